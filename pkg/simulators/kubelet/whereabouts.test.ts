import { ipToInt } from '../../net/ipv4.js';
import { exhaustedMessage, pickAddress, poolOf, whereaboutsRanges } from './whereabouts.js';

const config = (ipam: Record<string, unknown>) => JSON.stringify({ cniVersion: '0.3.1', type: 'bridge', ipam });
const none = () => new Set<number>();

describe('whereaboutsRanges', () => {
  it('is undefined for another IPAM or none', () => {
    expect(whereaboutsRanges(config({}))).toBeUndefined();
    expect(whereaboutsRanges(config({ type: 'host-local', subnet: '10.0.0.0/24' }))).toBeUndefined();
    expect(whereaboutsRanges(JSON.stringify({ type: 'bridge' }))).toBeUndefined();
  });

  it('reads range, start, end and exclusions, skipping network and broadcast', () => {
    const ranges = whereaboutsRanges(config({ type: 'whereabouts', network_name: 'ns/a', range: '10.0.0.0/29', exclude: ['10.0.0.1/32', '10.0.0.4/31'] }))!;
    expect(ranges).toHaveLength(1);
    expect(ranges[0]!.pool).toBe('ns/a|10.0.0.0/29');
    const picked: string[] = [];
    const taken = new Set<number>();
    for (let ip = pickAddress(ranges, () => taken); ip; ip = pickAddress(ranges, () => taken)) {
      picked.push(ip);
      taken.add(ipToInt(ip));
    }
    expect(picked).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.6']);
  });

  it('hands out only the ipRanges, in order', () => {
    const ranges = whereaboutsRanges(
      config({
        type: 'whereabouts',
        ipRanges: [
          { range: '10.0.0.0/24', range_start: '10.0.0.20', range_end: '10.0.0.21' },
          { range: '10.0.0.0/24', range_start: '10.0.0.40', range_end: '10.0.0.40' },
        ],
      }),
    )!;
    expect(pickAddress(ranges, none)).toBe('10.0.0.20');
    expect(pickAddress(ranges, () => new Set([ipToInt('10.0.0.20'), ipToInt('10.0.0.21')]))).toBe('10.0.0.40');
    expect(pickAddress(ranges, () => new Set(['10.0.0.20', '10.0.0.21', '10.0.0.40'].map(ipToInt)))).toBeUndefined();
    expect(poolOf(ranges, '10.0.0.99')).toBe('|10.0.0.0/24');
    expect(poolOf(ranges, '10.1.0.1')).toBeUndefined();
    expect(exhaustedMessage(ranges)).toContain('Could not allocate IP in range: 10.0.0.20 - 10.0.0.21 in 10.0.0.0/24, 10.0.0.40 - 10.0.0.40 in 10.0.0.0/24');
  });

  it('keeps leases apart by network_name', () => {
    const a = whereaboutsRanges(config({ type: 'whereabouts', network_name: 'x/a', range: '10.0.0.0/30' }))!;
    const b = whereaboutsRanges(config({ type: 'whereabouts', network_name: 'y/a', range: '10.0.0.0/30' }))!;
    const leased = new Map([[a[0]!.pool, new Set([ipToInt('10.0.0.1')])]]);
    expect(pickAddress(a, (pool) => leased.get(pool) ?? new Set())).toBe('10.0.0.2');
    expect(pickAddress(b, (pool) => leased.get(pool) ?? new Set())).toBe('10.0.0.1');
  });

  it('names the field of a config without a range', () => {
    expect(() => whereaboutsRanges(config({ type: 'whereabouts' }))).toThrow('ipam: a range is required');
  });
});
