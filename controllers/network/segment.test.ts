import type { Network } from '../../pkg/api/types.generated.js';
import { defaultSettings } from '../../pkg/api/settings.js';
import { chooseSegment, firstFreeVlan } from './segment.js';

const network = (spec: Partial<Network['spec']>): Network =>
  ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'n', namespace: 't' }, spec: { cidr: '10.0.0.0/24', type: 'bridge', ...spec } }) as Network;

describe('chooseSegment', () => {
  it.each([
    ['a tenant Network gets a VLAN on the tenant bridge', {}, { tenant: { bridge: 'br-stratus' } }],
    ['a chosen VLAN outside the pool is a provider segment', { vlan: 50 }, { provider: { provider: true, bridge: 'br-stratus', vlan: 50 } }],
    ['a chosen bridge, untagged', { bridge: 'br-lab' }, { provider: { provider: true, bridge: 'br-lab' } }],
    ['a pool VLAN on another bridge', { bridge: 'br-lab', vlan: 1500 }, { provider: { provider: true, bridge: 'br-lab', vlan: 1500 } }],
    ['macvlan on its master', { type: 'macvlan' as const, master: 'ens5' }, { provider: { provider: true, master: 'ens5' } }],
    ['macvlan on eth0 by default', { type: 'macvlan' as const }, { provider: { provider: true, master: 'eth0' } }],
  ])('%s', (_, spec, expected) => expect(chooseSegment(network(spec), defaultSettings)).toEqual(expected));

  it('refuses a provider VLAN from the tenant pool on the tenant bridge', () => {
    expect(chooseSegment(network({ vlan: 1500 }), defaultSettings)).toEqual({
      conflict:
        'spec.vlan: VLAN 1500 on bridge br-stratus belongs to the tenant pool (1000-3999), which Stratus hands out to tenant Networks; choose a VLAN outside it or another bridge',
    });
  });

  it('follows the configured tenant bridge', () => {
    expect(chooseSegment(network({}), { ...defaultSettings, tenantBridge: 'br-t' })).toEqual({ tenant: { bridge: 'br-t' } });
  });
});

describe('firstFreeVlan', () => {
  const ranges = [
    { first: 300, last: 300 },
    { first: 100, last: 102 },
  ];
  it('takes the lowest free VLAN of all ranges', () => {
    expect(firstFreeVlan(ranges, new Set())).toBe(100);
    expect(firstFreeVlan(ranges, new Set([100, 101]))).toBe(102);
    expect(firstFreeVlan(ranges, new Set([100, 101, 102]))).toBe(300);
    expect(firstFreeVlan(ranges, new Set([100, 101, 102, 300]))).toBeUndefined();
  });
});
