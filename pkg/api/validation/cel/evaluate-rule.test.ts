import { evaluateRule, isTransitionRule } from './evaluate-rule.js';

describe('isTransitionRule', () => {
  test.each([
    ['self == oldSelf', true],
    ['self.x > oldSelf.x', true],
    ['!oldSelf.hasValue() || self >= oldSelf.value()', true],
    ['self.oldSelfish > 0', false],
    ['"oldSelf" == self', false],
    ['self.all(x, x > 0)', false],
  ])('%s → %s', (rule, expected) => {
    expect(isTransitionRule(rule)).toBe(expected);
  });
});

describe('evaluateRule', () => {
  test('true rules pass, false rules get the default message', () => {
    expect(evaluateRule({ rule: 'self > 0' }, 1, undefined, false)).toEqual({ ok: true });
    expect(evaluateRule({ rule: '  self > 0 ' }, 0, undefined, false)).toEqual({ ok: false, message: 'failed rule: self > 0' });
  });

  test('message is trimmed and wins over the default', () => {
    expect(evaluateRule({ rule: 'self > 0', message: ' must be positive ' }, 0, undefined, false)).toEqual({ ok: false, message: 'must be positive' });
  });

  test('messageExpression is evaluated with self', () => {
    const rule = { rule: 'self.size() < 3', messageExpression: '"too long: " + string(self.size())' };
    expect(evaluateRule(rule, 'abcd', undefined, false)).toEqual({ ok: false, message: 'too long: 4' });
  });

  test.each([
    ['non-string result', '42'],
    ['empty string', '"  "'],
    ['line break', '"a\\nb"'],
    ['evaluation error', 'self.nope'],
  ])('messageExpression falling back to message on %s', (_, expr) => {
    const rule = { rule: 'false', message: 'fallback', messageExpression: expr };
    expect(evaluateRule(rule, {}, undefined, false)).toEqual({ ok: false, message: 'fallback' });
    expect(evaluateRule({ rule: 'false', messageExpression: expr }, {}, undefined, false)).toEqual({ ok: false, message: 'failed rule: false' });
  });

  test('evaluation errors use the apiserver wording', () => {
    expect(evaluateRule({ rule: 'self.x > 0' }, {}, undefined, false)).toEqual({ ok: false, error: 'no such key: x evaluating rule: self.x > 0' });
    expect(evaluateRule({ rule: 'self.x > 0', message: 'need x' }, {}, undefined, false)).toEqual({ ok: false, error: 'no such key: x evaluating rule: need x' });
    expect(evaluateRule({ rule: 'self[3] == 1' }, [1], undefined, false)).toEqual({ ok: false, error: 'index out of bounds: 3 evaluating rule: self[3] == 1' });
    expect(evaluateRule({ rule: '1 / self == 1' }, 0, undefined, false)).toEqual({ ok: false, error: 'division by zero evaluating rule: 1 / self == 1' });
  });

  test('runtime type mismatches (int-or-string) are overload errors', () => {
    const r = evaluateRule({ rule: 'self > 5' }, 'abc', undefined, false);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^'no such overload: .*': call arguments did not match a supported operator, function or macro signature for rule: self > 5$/) });
  });

  test('compile errors', () => {
    expect(evaluateRule({ rule: 'self >' }, 1, undefined, false)).toEqual({ ok: false, error: expect.stringMatching(/^rule compile error: /) });
    expect(evaluateRule({ rule: 'self + 1' }, 1, undefined, false)).toEqual({ ok: false, error: 'rule compile error: cel expression must evaluate to a bool' });
  });

  test('transition rules are skipped without an old value', () => {
    expect(evaluateRule({ rule: 'self == oldSelf' }, 1, undefined, false)).toEqual({ ok: true, skipped: true });
    expect(evaluateRule({ rule: 'self == oldSelf', message: 'immutable' }, 1, 2, true)).toEqual({ ok: false, message: 'immutable' });
    expect(evaluateRule({ rule: 'self == oldSelf' }, 1, 1, true)).toEqual({ ok: true });
  });

  test('optionalOldSelf binds oldSelf as an optional, also on create', () => {
    const rule = { rule: '!oldSelf.hasValue() || self >= oldSelf.value()', optionalOldSelf: true };
    expect(evaluateRule(rule, 1, undefined, false)).toEqual({ ok: true });
    expect(evaluateRule(rule, 1, 2, true)).toEqual({ ok: false, message: `failed rule: ${rule.rule}` });
    expect(evaluateRule({ rule: 'oldSelf.hasValue()', optionalOldSelf: true }, 1, undefined, false)).toEqual({ ok: false, message: 'failed rule: oldSelf.hasValue()' });
    expect(evaluateRule({ rule: 'oldSelf.orValue(0) == 0', optionalOldSelf: true }, 1, undefined, false)).toEqual({ ok: true });
  });

  test('schema typing: integer vs number', () => {
    expect(evaluateRule({ rule: 'type(self) == int' }, 3, undefined, false, { type: 'integer' })).toEqual({ ok: true });
    expect(evaluateRule({ rule: 'type(self) == double' }, 3, undefined, false, { type: 'number' })).toEqual({ ok: true });
    expect(evaluateRule({ rule: 'self / 2 == 1' }, 3, undefined, false, { type: 'integer' })).toEqual({ ok: true });
    expect(evaluateRule({ rule: 'self / 2.0 == 1.5' }, 3, undefined, false, { type: 'number' })).toEqual({ ok: true });
    // CEL has no double/int arithmetic: a number field divided by an int literal is an overload error.
    expect(evaluateRule({ rule: 'self / 2 == 1.5' }, 3, undefined, false, { type: 'number' })).toEqual({ ok: false, error: expect.stringMatching(/^'no such overload/) });
  });

  test('caching by rule text does not leak values between calls', () => {
    expect(evaluateRule({ rule: 'self == 1' }, 1, undefined, false)).toEqual({ ok: true });
    expect(evaluateRule({ rule: 'self == 1' }, 2, undefined, false)).toEqual({ ok: false, message: 'failed rule: self == 1' });
  });
});

describe('syntax this evaluator lacks is flagged, not reported as a rule failure', () => {
  test.each(['self.?a.orValue(1) == 1', 'self.all(k, v, v != "")', 'cel.bind(x, self.a, x == x)'])('%s', (rule) => {
    const r = evaluateRule({ rule }, { a: 'x' }, undefined, false);
    expect(r).toEqual({ ok: false, error: expect.stringContaining('unsupported by the offline CEL evaluator'), unsupported: true });
  });
});
