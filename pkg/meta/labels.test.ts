import { formatSelector, parseLabelSelector } from './labels.js';

describe('parseLabelSelector', () => {
  it('takes a selector as an API object spells it, operators checked', () => {
    const selector = parseLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] });
    expect(formatSelector(selector)).toBe('app=web,tier in (a,b),!canary');
  });

  it('refuses an operator apimachinery does not know', () => {
    expect(() => parseLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'Matches', values: ['a'] }] })).toThrow('"Matches" is not a valid label selector operator');
  });
});
