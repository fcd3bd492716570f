import { formatAddr, parseAddr, parsePrefix } from './ip-addr.js';

describe('netip-compatible parsing', () => {
  test.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8::ABCD', '2001:db8::abcd'],
    ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:1:0:1:0:1:1', '2001:db8:1:0:1:0:1:1'],
    ['::1.2.3.4', '::102:304'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
  ])('%s → %s', (input, canonical) => {
    expect(formatAddr(parseAddr(input))).toBe(canonical);
  });

  test.each(['', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1.2.3.256', ':::1', '1::2::3', '12345::', 'abc', '1.2.3.4%eth0', '::1%', '1:2:3:4:5:6:7:8:9'])('%j is invalid', (input) => {
    expect(() => parseAddr(input)).toThrow(/ParseAddr/);
  });

  test.each(['10.0.0.0/33', '::/129', '10.0.0.0/08', '10.0.0.0/', '10.0.0.0', 'fe80::1%eth0/64'])('prefix %j is invalid', (input) => {
    expect(() => parsePrefix(input)).toThrow(/ParsePrefix/);
  });
});
