import { chosenGateway, defaultSettings, originOf, parseSettings } from './settings.js';

describe('parseSettings', () => {
  it("gives the defaults without a ConfigMap: any Prometheus server, VLANs 1000-3999 on br-stratus, the embedded plane's Gateway", () => {
    expect(parseSettings(undefined)).toEqual({ settings: defaultSettings, errors: [] });
    expect(defaultSettings).toEqual({
      tenantBridge: 'br-stratus',
      tenantVlans: [{ first: 1000, last: 3999 }],
      gateways: [{ choice: 'default', namespace: 'stratus-gateway', name: 'stratus' }],
      defaultGateway: 'default',
    });
  });

  it('reads every key', () => {
    const { settings, errors } = parseSettings({
      'prometheus.allowedServers': 'http://prometheus.monitoring:9090,\n https://Thanos.example.com ',
      'networks.tenantBridge': 'br-tenants',
      'networks.tenantVlans': '100-199, 300',
      'routes.gateways': 'public=gateways/public,\n internal=gateways/internal.lan',
      'routes.defaultGateway': 'internal',
    });
    expect(errors).toEqual([]);
    expect(settings).toEqual({
      prometheusServers: ['http://prometheus.monitoring:9090', 'https://thanos.example.com:443'],
      tenantBridge: 'br-tenants',
      tenantVlans: [
        { first: 100, last: 199 },
        { first: 300, last: 300 },
      ],
      gateways: [
        { choice: 'public', namespace: 'gateways', name: 'public' },
        { choice: 'internal', namespace: 'gateways', name: 'internal.lan' },
      ],
      defaultGateway: 'internal',
    });
  });

  it('takes the first Gateway listed as the default unless one is named', () => {
    const { settings, errors } = parseSettings({ 'routes.gateways': 'public=gw/public,internal=gw/internal' });
    expect(errors).toEqual([]);
    expect(settings.defaultGateway).toBe('public');
    expect(chosenGateway(settings, undefined)).toEqual({ choice: 'public', namespace: 'gw', name: 'public' });
    expect(chosenGateway(settings, 'internal')).toEqual({ choice: 'internal', namespace: 'gw', name: 'internal' });
    expect(chosenGateway(settings, 'default')).toBeUndefined();
  });

  it.each([
    [{ 'routes.gateways': 'public' }, 'routes.gateways: "public" is not <choice>=<namespace>/<gateway>'],
    [{ 'routes.gateways': 'Public=gw/public' }, 'is not <choice>=<namespace>/<gateway>'],
    [{ 'routes.gateways': 'a=gw/x,a=gw/y' }, 'routes.gateways: "a" is listed twice'],
    [{ 'routes.gateways': ',' }, 'routes.gateways: names no Gateway'],
    [{ 'routes.defaultGateway': 'public' }, 'routes.defaultGateway: "public" is not among routes.gateways (default)'],
  ])('reports %j and keeps the default Gateways', (data, error) => {
    const { settings, errors } = parseSettings(data as Record<string, string>);
    expect(errors.join('\n')).toContain(error);
    expect(settings.gateways).toEqual(defaultSettings.gateways);
    expect(settings.defaultGateway).toBe('default');
  });

  it.each([
    [{ 'prometheus.allowedServers': 'http://prom:9090/api' }, 'prometheus.allowedServers: "http://prom:9090/api" is not an http or https origin'],
    [{ 'prometheus.allowedServers': 'http://user:pw@prom:9090' }, 'is not an http or https origin'],
    [{ 'prometheus.allowedServers': 'ftp://prom' }, 'is not an http or https origin'],
    [{ 'networks.tenantBridge': 'Bridge_1' }, 'networks.tenantBridge: "Bridge_1" is not a bridge name'],
    [{ 'networks.tenantVlans': '5000' }, 'networks.tenantVlans: "5000" is not a VLAN ID or range within 1-4094'],
    [{ 'networks.tenantVlans': '20-10' }, '"20-10" is not a VLAN ID or range'],
    [{ 'networks.tenantVlans': ' , ' }, 'networks.tenantVlans: names no VLAN IDs'],
    [{ 'prometheus.servers': 'x' }, 'unknown key prometheus.servers'],
  ])('reports %j and keeps the defaults for it', (data, error) => {
    const { settings, errors } = parseSettings(data as Record<string, string>);
    expect(errors.join('\n')).toContain(error);
    expect(settings.tenantBridge).toBe('br-stratus');
    expect(settings.tenantVlans).toEqual(defaultSettings.tenantVlans);
  });

  it('allows no Prometheus server at all when the list holds none that is valid (it fails closed)', () => {
    expect(parseSettings({ 'prometheus.allowedServers': 'not a url' }).settings.prometheusServers).toEqual([]);
  });
});

describe('originOf', () => {
  it.each([
    ['http://Prom.Monitoring:9090/', 'http://prom.monitoring:9090'],
    ['https://prom', 'https://prom:443'],
    ['http://prom:80/api/v1', 'http://prom:80'],
    ['http://[::1]:9090', 'http://::1:9090'],
    ['ftp://prom', undefined],
    ['prom:9090', undefined],
  ])('%s → %s', (address, origin) => expect(originOf(address)).toBe(origin));
});
