import { applySetId, asMember, groupKind, parentObject, parseGroupKind } from './applyset.js';

describe('ApplySet', () => {
  it('derives the id from the parent as kubectl does (base64url sha256, v1 suffix)', () => {
    const id = applySetId({ name: 'stratus-sync-examples', namespace: 'default' });
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(applySetId({ name: 'stratus-sync-examples', namespace: 'default' })).toBe(id);
    expect(applySetId({ name: 'other', namespace: 'default' })).not.toBe(id);
  });

  it('names group-kinds with the core group omitted', () => {
    expect(groupKind({ apiVersion: 'v1', kind: 'Namespace' })).toBe('Namespace');
    expect(groupKind({ apiVersion: 'stratus.dev/v1alpha1', kind: 'App' })).toBe('App.stratus.dev');
    expect(parseGroupKind('App.stratus.dev')).toEqual({ kind: 'App', group: 'stratus.dev' });
    expect(parseGroupKind('Secret')).toEqual({ kind: 'Secret', group: '' });
  });

  it('records sorted kinds and the namespaces besides its own', () => {
    const parent = parentObject({ name: 'p', namespace: 'default' }, ['Volume.stratus.dev', 'App.stratus.dev', 'App.stratus.dev'], ['default', 'b', 'a', 'a'], 'stratus/0.1.0');
    expect(parent.metadata.annotations).toEqual({
      'applyset.kubernetes.io/tooling': 'stratus/0.1.0',
      'applyset.kubernetes.io/contains-group-kinds': 'App.stratus.dev,Volume.stratus.dev',
      'applyset.kubernetes.io/additional-namespaces': 'a,b',
    });
    expect(parent.metadata.labels?.['applyset.kubernetes.io/id']).toBe(applySetId({ name: 'p', namespace: 'default' }));
  });

  it('labels members without dropping their own labels', () => {
    expect(asMember({ metadata: { name: 'x', labels: { team: 'a' } } }, 'id-1').metadata.labels).toEqual({ team: 'a', 'applyset.kubernetes.io/part-of': 'id-1' });
  });
});
