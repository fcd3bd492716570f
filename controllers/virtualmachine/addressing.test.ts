import { parse } from 'yaml';
import { networkData, stableMac } from './addressing.js';

describe('stableMac', () => {
  it('is stable, unicast and locally administered', () => {
    expect(stableMac('uid', 'eth1')).toBe(stableMac('uid', 'eth1'));
    expect(stableMac('uid', 'eth1')).not.toBe(stableMac('uid', 'eth2'));
    expect(stableMac('uid', 'eth1')).toMatch(/^02(:[0-9a-f]{2}){5}$/);
  });
});

describe('networkData', () => {
  it('configures static addresses by MAC and keeps DHCP on the pod network', () => {
    const text = networkData([
      { name: 'default', mac: '02:00:00:00:00:01' },
      { name: 'backend', network: 'backend', nad: 'ns/backend', mac: '02:00:00:00:00:02', address: { ip: '192.168.50.10', prefix: 24 } },
    ]);
    expect(parse(text!)).toEqual({
      version: 2,
      ethernets: {
        eth0: { match: { macaddress: '02:00:00:00:00:01' }, 'set-name': 'eth0', dhcp4: true },
        eth1: { match: { macaddress: '02:00:00:00:00:02' }, 'set-name': 'eth1', addresses: ['192.168.50.10/24'] },
      },
    });
  });

  it('leaves network configuration to the image when nothing is static, unless asked always to say it', () => {
    expect(networkData([{ name: 'default', mac: '02:00:00:00:00:01' }])).toBeUndefined();
    expect(parse(networkData([{ name: 'default', mac: '02:00:00:00:00:01' }], true)!)).toEqual({
      version: 2,
      ethernets: { eth0: { match: { macaddress: '02:00:00:00:00:01' }, 'set-name': 'eth0', dhcp4: true } },
    });
  });
});
