import type { Pod } from '../../pkg/kube/core-types.js';
import { instanceAddresses } from './pools.js';

const pod = (networks: string | undefined, status?: unknown[], phase = 'Running'): Pod =>
  ({
    metadata: {
      name: 'p',
      namespace: 'shop',
      annotations: {
        ...(networks ? { 'k8s.v1.cni.cncf.io/networks': networks } : {}),
        ...(status ? { 'k8s.v1.cni.cncf.io/network-status': JSON.stringify(status) } : {}),
      },
    },
    spec: { containers: [] },
    status: { phase },
  }) as unknown as Pod;

const attachment = JSON.stringify([{ name: 'private.app.web', namespace: 'shop' }]);

describe('instanceAddresses', () => {
  it('collects the addresses instances report, by attachment', () => {
    const r = instanceAddresses([pod(attachment, [{ name: 'sim/pod-network', ips: ['10.244.0.5'], default: true }, { name: 'shop/private.app.web', ips: ['10.60.0.10'] }])]);
    expect(r).toEqual({ held: new Set(['shop/private.app.web|10.60.0.10']), attaching: false });
  });

  it('tells when an instance has not reported its address yet', () => {
    expect(instanceAddresses([pod(attachment)]).attaching).toBe(true);
    expect(instanceAddresses([pod(attachment, [{ name: 'shop/private.app.web', ips: [] }])]).attaching).toBe(true);
  });

  it('ignores finished pods and pods without secondary networks', () => {
    expect(instanceAddresses([pod(attachment, undefined, 'Failed'), pod(undefined)])).toEqual({ held: new Set(), attaching: false });
  });
});
