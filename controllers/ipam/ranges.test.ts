import type { Network } from '../../pkg/api/types.generated.js';
import { ipToInt } from '../../pkg/net/ipv4.js';
import { allocationName, allocationRange, firstFree, fixedAddressProblem, rangeSize, type AddressRange } from './ranges.js';

const network = (spec: Partial<Network['spec']> = {}): Network => ({
  apiVersion: 'stratus.dev/v1alpha1',
  kind: 'Network',
  metadata: { name: 'backend', namespace: 'ns' },
  spec: { cidr: '192.168.50.0/24', gateway: '192.168.50.1', type: 'bridge', ...spec },
});

describe('allocationRange', () => {
  it('is the whole host range minus the gateway by default', () => {
    const r = allocationRange(network()) as AddressRange;
    expect(rangeSize(r)).toBe(253);
    expect(firstFree(r, new Set())).toBe('192.168.50.2');
  });

  it('follows allocationRange and refuses a reversed one', () => {
    const r = allocationRange(network({ allocationRange: { start: '192.168.50.10', end: '192.168.50.19' } })) as AddressRange;
    expect(rangeSize(r)).toBe(10);
    expect(allocationRange(network({ allocationRange: { start: '192.168.50.20', end: '192.168.50.10' } }))).toEqual({
      error: 'spec.allocationRange: start 192.168.50.20 is after end 192.168.50.10',
    });
  });

  it('skips taken addresses and reports a full range', () => {
    const r = allocationRange(network({ allocationRange: { start: '192.168.50.10', end: '192.168.50.11' } })) as AddressRange;
    expect(firstFree(r, new Set([ipToInt('192.168.50.10')]))).toBe('192.168.50.11');
    expect(firstFree(r, new Set([ipToInt('192.168.50.10'), ipToInt('192.168.50.11')]))).toBeUndefined();
  });
});

describe('fixedAddressProblem', () => {
  it.each([
    ['192.168.50.10', undefined],
    ['192.168.51.10', "192.168.51.10 is not inside Network backend's CIDR 192.168.50.0/24"],
    ['192.168.50.1', '192.168.50.1 is the gateway of Network backend'],
    ['192.168.50.255', '192.168.50.255 is the network or broadcast address of 192.168.50.0/24'],
  ])('%s', (ip, problem) => expect(fixedAddressProblem(network(), ip)).toBe(problem));
});

it('names allocations after network and address', () => {
  expect(allocationName('backend', '192.168.50.10')).toBe('backend.192.168.50.10');
});
