import { finalizerOfKind } from '../finalizers.js';
import { validateObject } from '../validation/validate-object.js';
import { finalizerProbes } from './finalizer-probes.js';

describe('finalizerProbes', () => {
  const probes = finalizerProbes('default');

  it('has one probe per kind with a finalizer, of that kind', () => {
    expect(probes.map((p) => [p.object.kind, p.type.kind, p.finalizer])).toEqual(Object.entries(finalizerOfKind).map(([kind, f]) => [kind, kind, f]));
  });

  it.each(probes.map((p) => [p.object.kind, p]))('makes a valid %s, so the dry run reaches the policy', (_kind, probe) => {
    // The apiserver generates the name from generateName before it validates.
    const named = { ...probe.object, metadata: { ...probe.object.metadata, name: 'stratus-probe-x7k2q' } };
    expect(validateObject(named).errors).toEqual([]);
  });
});
