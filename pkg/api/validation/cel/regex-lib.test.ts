import { cel, celError } from '../../../../test/support/cel.js';
import { findAll } from './regex-lib.js';

describe('regex library', () => {
  test.each([
    '"abc 123".find("[0-9]+") == "123"',
    '"abc 123".find("xyz") == ""',
    '"abc 123".find("[0-9]*") == ""',
    '"123 abc 456".findAll("[0-9]+") == ["123", "456"]',
    '"123 abc 456".findAll("[0-9]+", 1) == ["123"]',
    '"123 abc 456".findAll("[0-9]+", 0) == []',
    '"1, 2, 3, 4".findAll("[0-9]+").map(x, int(x)).sum() < 100',
    '"ABC".find("(?i)b") == "B"',
    '"a1".find("[[:digit:]]") == "1"',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test("empty matches right after a match are skipped, like Go's FindAllString", () => {
    expect(findAll('1, 2, 3, 4', '[0-9]*', -1)).toEqual(['1', '', '2', '', '3', '', '4']);
    expect(findAll('abc', '', -1)).toEqual(['', '', '', '']);
  });

  test('RE2-invalid patterns fail', () => {
    expect(celError('"abc".find("(?<=a)b")')).toMatch(/^Illegal regex/);
    expect(celError('"abc".findAll("[")')).toMatch(/^Illegal regex/);
  });
});
