import { cidrContains, hostRange, intToIp, ipToInt, isIPv4, parseCidr } from './ipv4.js';

describe('ipv4', () => {
  it('converts addresses both ways', () => {
    expect(ipToInt('10.0.0.1')).toBe(167772161);
    expect(intToIp(167772161)).toBe('10.0.0.1');
    expect(intToIp(ipToInt('255.255.255.255'))).toBe('255.255.255.255');
    expect(isIPv4('10.0.0.256')).toBe(false);
    expect(isIPv4('10.0.0')).toBe(false);
  });

  it('parses CIDRs and rejects host bits', () => {
    const c = parseCidr('192.168.10.0/24');
    expect(c.size).toBe(256);
    expect(cidrContains(c, '192.168.10.77')).toBe(true);
    expect(cidrContains(c, '192.168.11.1')).toBe(false);
    expect(() => parseCidr('192.168.10.5/24')).toThrow('host bits set (did you mean 192.168.10.0/24?)');
    expect(() => parseCidr('10.0.0.0/33')).toThrow('prefix');
    expect(() => parseCidr('nonsense')).toThrow('invalid CIDR');
  });

  it('excludes network and broadcast addresses from the host range', () => {
    const { first, last } = hostRange(parseCidr('10.1.2.0/24'));
    expect(intToIp(first)).toBe('10.1.2.1');
    expect(intToIp(last)).toBe('10.1.2.254');
    expect(hostRange(parseCidr('10.0.0.4/31'))).toEqual({ first: ipToInt('10.0.0.4'), last: ipToInt('10.0.0.5') });
  });
});
