import { cel, celError } from '../../../../test/support/cel.js';

describe('ip library', () => {
  test.each([
    'isIP("127.0.0.1") && isIP("::1")',
    '!isIP("127.0.0.256") && !isIP(":::1") && !isIP("01.2.3.4")',
    '!isIP("::ffff:1.2.3.4") && !isIP("fe80::1%eth0")',
    'ip("127.0.0.1").family() == 4 && ip("::1").family() == 6',
    'ip("0.0.0.0").isUnspecified() && ip("::").isUnspecified() && !ip("::1").isUnspecified()',
    'ip("127.0.0.1").isLoopback() && ip("::1").isLoopback() && !ip("192.168.0.1").isLoopback()',
    'ip("224.0.0.1").isLinkLocalMulticast() && !ip("224.0.1.1").isLinkLocalMulticast() && ip("ff02::1").isLinkLocalMulticast() && !ip("fd00::1").isLinkLocalMulticast()',
    'ip("169.254.169.254").isLinkLocalUnicast() && ip("fe80::1").isLinkLocalUnicast() && !ip("fd80::1").isLinkLocalUnicast()',
    'ip("192.168.0.1").isGlobalUnicast() && !ip("255.255.255.255").isGlobalUnicast() && ip("2001:db8::abcd").isGlobalUnicast() && !ip("ff00::1").isGlobalUnicast()',
    'ip.isCanonical("127.0.0.1") && ip.isCanonical("2001:db8::abcd")',
    '!ip.isCanonical("2001:DB8::ABCD") && !ip.isCanonical("2001:db8::0:0:0:abcd")',
    'string(ip("2001:db8:0:0:0:0:0:1")) == "2001:db8::1"',
    'ip("2001:DB8::1") == ip("2001:db8::1")',
    'type(ip("1.2.3.4")) == type(ip("::1"))',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('ip() errors', () => {
    expect(celError('ip("::ffff:1.2.3.4")')).toBe('IPv4-mapped IPv6 address "::ffff:1.2.3.4" is not allowed');
    expect(celError('ip("fe80::1%eth0")')).toBe('IP address "fe80::1%eth0" with zone value is not allowed');
    expect(celError('ip("1.2.3")')).toMatch(/^IP Address "1.2.3" parse error during conversion from string: ParseAddr\("1.2.3"\)/);
  });
});

describe('cidr library', () => {
  test.each([
    'isCIDR("192.168.0.0/16") && isCIDR("::1/128") && isCIDR("10.0.0.1/8")',
    '!isCIDR("192.168.0.0/33") && !isCIDR("::1/129") && !isCIDR("::ffff:1.2.3.4/120") && !isCIDR("10.0.0.0")',
    'cidr("192.168.0.0/24").containsIP(ip("192.168.0.1")) && !cidr("192.168.0.0/24").containsIP("192.168.1.1")',
    'cidr("2001:db8::/32").containsIP("2001:db8::1") && !cidr("2001:db8::/32").containsIP(ip("2001:dc8::1"))',
    '!cidr("10.0.0.0/8").containsIP("::1")',
    'cidr("192.168.0.0/24").containsCIDR(cidr("192.168.0.0/25")) && !cidr("192.168.0.0/24").containsCIDR("192.168.0.0/23")',
    // kubernetes#130450 (1.33+): other addresses inside the prefix count too.
    'cidr("192.168.0.0/16").containsCIDR("192.168.10.0/24") && cidr("192.168.0.0/16").containsCIDR("192.168.0.1/32")',
    '!cidr("10.0.0.0/8").containsCIDR("11.0.0.0/16") && !cidr("10.0.0.0/8").containsCIDR("::/0")',
    'cidr("2001:db8::/32").containsCIDR("2001:db8::/33") && !cidr("2001:db8::/32").containsCIDR("2001:db8::/31")',
    'cidr("192.168.0.1/24").ip() == ip("192.168.0.1") && cidr("::1/128").ip().family() == 6',
    'cidr("192.168.0.1/24").masked() == cidr("192.168.0.0/24") && cidr("2001:db8:1::/32").masked() == cidr("2001:db8::/32")',
    'cidr("192.168.0.0/24") == cidr("192.168.0.0/24").masked() && cidr("192.168.0.1/24") != cidr("192.168.0.1/24").masked()',
    'cidr("192.168.0.0/16").prefixLength() == 16 && cidr("::1/128").prefixLength() == 128',
    'string(cidr("192.168.0.0/24")) == "192.168.0.0/24" && string(cidr("2001:DB8::/32")) == "2001:db8::/32"',
  ])('%s', (expr) => {
    expect(cel(expr)).toEqual({ value: true });
  });

  test('cidr() errors', () => {
    expect(celError('cidr("192.168.0.0/")')).toBe(
      'network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix("192.168.0.0/"): bad bits after slash: ""',
    );
  });
});
