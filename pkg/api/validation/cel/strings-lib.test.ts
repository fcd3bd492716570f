import { cel, celError } from '../../../../test/support/cel.js';

describe('strings extension (cel-go v2 semantics)', () => {
  test.each([
    '"hello".charAt(1) == "e" && "hello".charAt(5) == ""',
    '"😀a".charAt(1) == "a" && "😀a".size() == 2',
    '"hello mellow".indexOf("ello") == 1 && "hello mellow".indexOf("ello", 2) == 7 && "hello".indexOf("") == 0 && "hello".indexOf("x") == -1',
    '"hello mellow".lastIndexOf("ello") == 7 && "hello mellow".lastIndexOf("ello", 6) == 1',
    '"😀ab".indexOf("b") == 2',
    '"TacoCat".lowerAscii() == "tacocat" && "TacoCÉt".upperAscii() == "TACOCÉT"',
    '"aaa".replace("a", "b") == "bbb" && "aaa".replace("a", "b", 1) == "baa" && "aaa".replace("a", "b", -1) == "bbb" && "aaa".replace("a", "b", 0) == "aaa"',
    '"a,b,c".split(",") == ["a", "b", "c"] && "a,b,c".split(",", 2) == ["a", "b,c"] && "a,b,c".split(",", 0) == [] && "abc".split("") == ["a", "b", "c"]',
    '"tacocat".substring(4) == "cat" && "tacocat".substring(0, 4) == "taco" && "😀ab".substring(1, 2) == "a"',
    '"  \\t trim \\n ".trim() == "trim"',
    '["a", "b"].join() == "ab" && ["a", "b"].join("-") == "a-b"',
    '"%s and %d".format(["x", 2]) == "x and 2"',
    'strings.quote("a\\nb") == "\\"a\\\\nb\\""',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('range errors', () => {
    expect(celError('"abc".charAt(4)')).toBe('index out of range: 4');
    expect(celError('"abc".substring(4)')).toBe('index out of range: 4');
    expect(celError('"abc".substring(2, 1)')).toBe('invalid substring range. start: 2, end: 1');
    expect(celError('"abc".indexOf("a", 5)')).toBe('index out of range: 5');
  });
});
