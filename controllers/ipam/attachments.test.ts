import type { Network } from '../../pkg/api/types.generated.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { addressRuns, desiredNad, desiredVmNad } from './attachments.js';

const network = (spec: Partial<Network['spec']> = {}): Network =>
  ({ apiVersion: 'stratus.dev/v1alpha1', kind: 'Network', metadata: { name: 'backend', namespace: 'shop' }, spec: { cidr: '192.168.50.0/24', type: 'bridge', ...spec } }) as Network;
const tenant = { provider: false, bridge: 'br-stratus', vlan: 1003 };
const config = (nad: KubeObject) => JSON.parse((nad as KubeObject & { spec: { config: string } }).spec.config) as Record<string, unknown>;

describe('desiredNad', () => {
  it("leases the Network's range minus the gateway and Stratus's allocations", () => {
    const nad = desiredNad(network({ gateway: '192.168.50.1', allocationRange: { start: '192.168.50.10', end: '192.168.50.99' } }), tenant, ['192.168.50.12', '192.168.50.10']);
    expect(nad.metadata.name).toBe('backend');
    expect(config(nad)).toMatchObject({ type: 'bridge', bridge: 'br-stratus', vlan: 1003 });
    expect(config(nad).ipam).toEqual({
      type: 'whereabouts',
      network_name: 'shop/backend',
      range: '192.168.50.0/24',
      range_start: '192.168.50.10',
      range_end: '192.168.50.99',
      gateway: '192.168.50.1',
      exclude: ['192.168.50.1/32', '192.168.50.10/32', '192.168.50.12/32'],
    });
  });

  it('excludes a run of allocations as a few CIDRs, not one entry per address', () => {
    const allocated = Array.from({ length: 1000 }, (_, i) => `10.64.${(i + 2) >> 8}.${(i + 2) & 255}`);
    const ipam = config(desiredNad(network({ cidr: '10.64.0.0/16', gateway: '10.64.0.1' }), tenant, allocated)).ipam as { exclude: string[] };
    expect(ipam.exclude).toEqual(['10.64.0.1/32', '10.64.0.2/31', '10.64.0.4/30', '10.64.0.8/29', '10.64.0.16/28', '10.64.0.32/27', '10.64.0.64/26', '10.64.0.128/25', '10.64.1.0/24', '10.64.2.0/24', '10.64.3.0/25', '10.64.3.128/26', '10.64.3.192/27', '10.64.3.224/29', '10.64.3.232/31']);
  });

  it('configures macvlan on its master', () => {
    expect(config(desiredNad(network({ type: 'macvlan', master: 'ens5' }), { provider: true, master: 'ens5' }, []))).toMatchObject({ type: 'macvlan', master: 'ens5', mode: 'bridge' });
  });

  it('puts an untagged provider segment on its bridge without a VLAN', () => {
    const c = config(desiredNad(network({ bridge: 'br-lab' }), { provider: true, bridge: 'br-lab' }, []));
    expect(c).toMatchObject({ type: 'bridge', bridge: 'br-lab' });
    expect(c).not.toHaveProperty('vlan');
  });
});

describe('desiredVmNad', () => {
  it('has no IPAM: Stratus addresses VM interfaces itself', () => {
    const nad = desiredVmNad(network({ vlan: 7 }), { provider: true, bridge: 'br-stratus', vlan: 7 });
    expect(nad.metadata.name).toBe('backend.vm');
    expect(config(nad)).toMatchObject({ type: 'bridge', vlan: 7, ipam: {} });
  });
});

describe('addressRuns', () => {
  it('groups consecutive addresses, dropping repeats', () => {
    expect(addressRuns(['10.0.0.9', '10.0.1.0', '10.0.0.255', '10.0.0.7', '10.0.0.9'])).toEqual([
      ['10.0.0.7', '10.0.0.7'],
      ['10.0.0.9', '10.0.0.9'],
      ['10.0.0.255', '10.0.1.0'],
    ]);
    expect(addressRuns([])).toEqual([]);
  });
});
