import { cidrContains, hostRange, intToIp, ipToInt, isIPv4, parseCidr, rangeToCidrs } from './ipv4.js';

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

  it('covers a range with the fewest aligned CIDRs', () => {
    const cover = (a: string, b: string) => rangeToCidrs(ipToInt(a), ipToInt(b));
    expect(cover('10.0.0.7', '10.0.0.7')).toEqual(['10.0.0.7/32']);
    expect(cover('10.0.0.0', '10.0.0.255')).toEqual(['10.0.0.0/24']);
    expect(cover('10.64.0.1', '10.64.3.232')).toEqual(['10.64.0.1/32', '10.64.0.2/31', '10.64.0.4/30', '10.64.0.8/29', '10.64.0.16/28', '10.64.0.32/27', '10.64.0.64/26', '10.64.0.128/25', '10.64.1.0/24', '10.64.2.0/24', '10.64.3.0/25', '10.64.3.128/26', '10.64.3.192/27', '10.64.3.224/29', '10.64.3.232/32']);
    expect(cover('0.0.0.0', '255.255.255.255')).toEqual(['0.0.0.0/0']);
  });

  it('covers exactly the range, whatever its ends', () => {
    for (let i = 0; i < 200; i++) {
      const first = (i * 7919) % 5000;
      const last = first + ((i * 104729) % 3000);
      const blocks = rangeToCidrs(first, last).map(parseCidr);
      let next = first;
      for (const b of blocks) {
        expect(b.network).toBe(next);
        next += b.size;
      }
      expect(next).toBe(last + 1);
    }
  });
});
