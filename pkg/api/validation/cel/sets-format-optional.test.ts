import { cel } from '../../../../test/support/cel.js';

describe('sets extension', () => {
  test.each([
    'sets.contains([1, 2, 3], [2, 3]) && !sets.contains([1], [2]) && sets.contains([1], [])',
    'sets.equivalent([1, 2], [2, 1, 1]) && !sets.equivalent([1], [1, 2])',
    'sets.intersects([1, 2], [2, 5]) && !sets.intersects([1], [3])',
    'sets.contains([1], [1.0])',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });
});

describe('optional values', () => {
  test.each([
    'optional.of(1).hasValue() && optional.of(1).value() == 1',
    '!optional.none().hasValue() && optional.none().orValue(5) == 5 && optional.of(2).orValue(5) == 2',
    'optional.none().or(optional.of(3)).value() == 3',
    '!optional.ofNonZeroValue("").hasValue() && optional.ofNonZeroValue("x").hasValue() && !optional.ofNonZeroValue([]).hasValue()',
    'optional.of(1) == optional.of(1) && optional.of(1) != optional.of(2) && optional.none() == optional.none() && optional.none() != optional.of(1)',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('value() of none is an error', () => {
    expect(cel('optional.none().value()')).toEqual({ error: 'optional.none() dereference' });
  });
});

describe('format library', () => {
  test.each([
    '!format.dns1123Label().validate("my-name").hasValue()',
    'format.dns1123Label().validate("My_Name").hasValue()',
    '!format.named("dns1123Subdomain").value().validate("example.com").hasValue()',
    '!format.named("nope").hasValue()',
    '!format.dns1123LabelPrefix().validate("my-name-").hasValue() && format.dns1123Label().validate("my-name-").hasValue()',
    '!format.qualifiedName().validate("example.com/MyName").hasValue() && format.qualifiedName().validate("a/b/c").hasValue()',
    '!format.labelValue().validate("").hasValue() && format.labelValue().validate("-x").hasValue()',
    '!format.uuid().validate("123e4567-e89b-12d3-a456-426614174000").hasValue() && format.uuid().validate("nope").hasValue()',
    '!format.uri().validate("https://example.com").hasValue() && format.uri().validate("relative").hasValue()',
    '!format.byte().validate("aGVsbG8=").hasValue() && format.byte().validate("aGVsbG8").hasValue()',
    '!format.date().validate("2024-02-29").hasValue() && format.date().validate("2023-02-29").hasValue()',
    '!format.datetime().validate("2024-01-01T10:00:00Z").hasValue() && format.datetime().validate("yesterday").hasValue()',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('error texts are apimachinery validation messages', () => {
    expect(cel('format.dns1123Label().validate("Foo").value()')).toEqual({
      value: expect.objectContaining({ size: 1 }),
    });
    expect(cel('format.dns1123Label().validate("Foo").value()[0]')).toEqual({
      value:
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    });
  });
});
