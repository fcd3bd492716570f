import { pointWebhooksAt } from './admission.js';

describe('pointWebhooksAt', () => {
  const config = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'virt-api-validator' },
    webhooks: [
      { name: 'virtualmachine-validator.kubevirt.io', failurePolicy: 'Fail', clientConfig: { service: { namespace: 'kubevirt', name: 'virt-api', path: '/virtualmachines-validate', port: 443 } } },
    ],
  };

  it("replaces the Service with the server's URL and CA, keeping everything else", () => {
    const [out] = pointWebhooksAt([config], 'https://127.0.0.1:4443', 'PEM');
    expect(out).toEqual({
      ...config,
      webhooks: [{ name: 'virtualmachine-validator.kubevirt.io', failurePolicy: 'Fail', clientConfig: { url: 'https://127.0.0.1:4443/virtualmachines-validate', caBundle: Buffer.from('PEM').toString('base64') } }],
    });
  });

  it('refuses a webhook without a service path, which it could not route', () => {
    const pathless = { ...config, webhooks: [{ name: 'x', clientConfig: { url: 'https://elsewhere' } }] };
    expect(() => pointWebhooksAt([pathless], 'https://127.0.0.1:4443', 'PEM')).toThrow('webhook x names no service path');
  });
});
