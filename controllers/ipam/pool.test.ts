import type { Network } from '../../pkg/api/types.generated.js';
import { desiredPoolNad, planPool, poolNadName, poolSize } from './pool.js';

const member = (i: number, address: string) => ({ interface: `pool-${i}`, address });

describe('poolSize', () => {
  it.each([
    [0, 1],
    [1, 2],
    [3, 4],
    [4, 5],
    [5, 7],
    [10, 13],
  ])('%i instances need %i addresses (the surge of a rolling update included)', (replicas, want) => {
    expect(poolSize(replicas)).toBe(want);
  });

  it('counts every interface an instance has on the Network', () => {
    expect(poolSize(4, 2)).toBe(10);
  });
});

describe('planPool', () => {
  it('adds the lowest free member names up to the size', () => {
    expect(planPool([member(1, '10.0.0.5')], new Set(), 3)).toEqual({ keep: [member(1, '10.0.0.5')], add: ['pool-0', 'pool-2'] });
  });

  it('keeps the lowest-numbered members when shrinking', () => {
    const existing = [member(2, '10.0.0.7'), member(0, '10.0.0.5'), member(1, '10.0.0.6')];
    expect(planPool(existing, new Set(), 2)).toEqual({ keep: [member(0, '10.0.0.5'), member(1, '10.0.0.6')], add: [] });
  });

  it('never drops an address an instance holds, even past the size', () => {
    const existing = [member(0, '10.0.0.5'), member(1, '10.0.0.6'), member(2, '10.0.0.7')];
    expect(planPool(existing, new Set(['10.0.0.7']), 2)).toEqual({ keep: [member(2, '10.0.0.7'), member(0, '10.0.0.5')], add: [] });
    expect(planPool(existing, new Set(['10.0.0.6', '10.0.0.7']), 1).keep).toEqual([member(1, '10.0.0.6'), member(2, '10.0.0.7')]);
  });
});

describe('desiredPoolNad', () => {
  const network: Network = {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Network',
    metadata: { name: 'private', namespace: 'shop' },
    spec: { cidr: '10.60.0.0/24', gateway: '10.60.0.1', type: 'bridge', vlan: 20, mtu: 1400 },
  } as Network;

  it("leases exactly the owner's addresses, in runs, from the Network's pool", () => {
    expect(poolNadName('app', 'web', 'private')).toBe('private.app.web');
    expect(poolNadName('group', 'workers', 'private')).toBe('private.group.workers');
    const nad = desiredPoolNad('private.app.web', 'shop', { 'stratus.dev/app': 'web' }, network, { provider: true, bridge: 'br-stratus', vlan: 20 }, ['10.60.0.12', '10.60.0.10', '10.60.0.11', '10.60.0.20']);
    expect(nad.metadata).toEqual({ name: 'private.app.web', namespace: 'shop', labels: { 'stratus.dev/app': 'web' } });
    expect(JSON.parse((nad as unknown as { spec: { config: string } }).spec.config)).toEqual({
      cniVersion: '0.3.1',
      name: 'shop-private',
      type: 'bridge',
      bridge: 'br-stratus',
      vlan: 20,
      mtu: 1400,
      ipam: {
        type: 'whereabouts',
        network_name: 'shop/private',
        gateway: '10.60.0.1',
        ipRanges: [
          { range: '10.60.0.0/24', range_start: '10.60.0.10', range_end: '10.60.0.12' },
          { range: '10.60.0.0/24', range_start: '10.60.0.20', range_end: '10.60.0.20' },
        ],
      },
    });
  });
});
