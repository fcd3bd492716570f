import { parseNetworks } from '../../contracts/multus/index.js';
import { macFor, networkStatus } from './multus.js';

describe('parseNetworks', () => {
  it('reads the JSON form and defaults the namespace', () => {
    expect(parseNetworks('[{"name":"db-net","ips":["10.1.0.5/24"]}]', 'tenant')).toEqual([
      { name: 'db-net', namespace: 'tenant', ips: ['10.1.0.5/24'] },
    ]);
  });

  it('reads the short form with namespaces and interface names', () => {
    expect(parseNetworks('a, other/b@eth5', 'ns')).toEqual([
      { name: 'a', namespace: 'ns', interface: undefined },
      { name: 'b', namespace: 'other', interface: 'eth5' },
    ]);
  });
});

describe('networkStatus', () => {
  it('reports the pod network first and one interface per attachment', () => {
    const status = networkStatus('uid-1', '10.244.0.5', [{ name: 'db-net', namespace: 'tenant', ips: ['10.1.0.5/24'] }]);
    expect(status[0]).toMatchObject({ interface: 'eth0', ips: ['10.244.0.5'], default: true });
    expect(status[1]).toMatchObject({ name: 'tenant/db-net', interface: 'net1', ips: ['10.1.0.5'] });
    expect(status[1]!.mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(macFor('x')).toBe(macFor('x'));
  });
});
