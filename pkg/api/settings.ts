// The cluster-wide settings a cluster operator gives Stratus: the ConfigMap
// stratus-settings in the operator's namespace (stratus-system). Admission
// reads it (as the parameter of the policies in pkg/api/admission) and so do
// the controllers; an absent ConfigMap or key means the documented default.

export const settingsName = 'stratus-settings';
export const settingsNamespace = 'stratus-system';

export const settingsKeys = {
  /** Origins (scheme://host[:port]) a Prometheus metric may query, comma- or newline-separated. Unset: any server. */
  prometheusServers: 'prometheus.allowedServers',
  /** The bridge tenant Networks are put on. Default br-stratus. */
  tenantBridge: 'networks.tenantBridge',
  /** VLAN IDs for tenant Networks, e.g. "1000-3999" or "100-199,300". Default 1000-3999. */
  tenantVlans: 'networks.tenantVlans',
  /** The Gateways Apps' routes may attach to, as <choice>=<namespace>/<gateway>, comma- or newline-separated. Default default=stratus-gateway/stratus. */
  gateways: 'routes.gateways',
  /** The choice among routes.gateways an App's route takes unless it names one. Default: the first listed. */
  defaultGateway: 'routes.defaultGateway',
} as const;

export interface VlanRange {
  first: number;
  last: number;
}

/** A Gateway Apps may attach their routes to, under the name an App's spec.route.gateway gives. */
export interface GatewayChoice {
  choice: string;
  namespace: string;
  name: string;
}

export interface Settings {
  /** Allowed Prometheus origins; undefined: any. */
  prometheusServers?: string[];
  tenantBridge: string;
  tenantVlans: VlanRange[];
  gateways: GatewayChoice[];
  /** One of gateways' choices. */
  defaultGateway: string;
}

export const defaultSettings: Settings = {
  tenantBridge: 'br-stratus',
  tenantVlans: [{ first: 1000, last: 3999 }],
  // The embedded plane's Gateway (pkg/simulators/gateway); a cluster names its own.
  gateways: [{ choice: 'default', namespace: 'stratus-gateway', name: 'stratus' }],
  defaultGateway: 'default',
};

const bridgePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** <choice>=<namespace>/<gateway>: DNS labels, the Gateway's name a DNS subdomain (as settings-policies.ts checks). */
export const gatewayEntryPattern = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?=[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$';

function list(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * scheme://host:port of an http(s) URL, the port always written and the
 * host lowercased, so that origins compare as admission compares them
 * (settings-policies.ts); undefined for anything else.
 */
export function originOf(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()}:${port}`;
}

function parseServers(value: string, errors: string[]): string[] {
  return list(value).flatMap((s) => {
    const origin = originOf(s);
    const url = origin ? new URL(s) : undefined;
    if (!url || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      errors.push(`${settingsKeys.prometheusServers}: "${s}" is not an http or https origin (scheme://host[:port], nothing after it)`);
      return [];
    }
    return [origin!];
  });
}

function parseVlans(value: string, errors: string[]): VlanRange[] {
  const ranges = list(value).map((part) => {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    const first = m ? Number(m[1]) : NaN;
    const last = m?.[2] ? Number(m[2]) : first;
    if (!(first >= 1 && last <= 4094 && first <= last)) {
      errors.push(`${settingsKeys.tenantVlans}: "${part}" is not a VLAN ID or range within 1-4094`);
      return undefined;
    }
    return { first, last };
  });
  const valid = ranges.filter((r): r is VlanRange => !!r);
  if (!valid.length && !errors.length) errors.push(`${settingsKeys.tenantVlans}: names no VLAN IDs`);
  return valid;
}

function parseGateways(value: string, errors: string[]): GatewayChoice[] {
  const choices = list(value).flatMap((entry) => {
    if (!new RegExp(gatewayEntryPattern).test(entry)) {
      errors.push(`${settingsKeys.gateways}: "${entry}" is not <choice>=<namespace>/<gateway>`);
      return [];
    }
    const [choice, ref] = entry.split('=') as [string, string];
    const [namespace, name] = ref.split('/') as [string, string];
    return [{ choice, namespace, name }];
  });
  const seen = new Set<string>();
  for (const c of choices) {
    if (seen.has(c.choice)) errors.push(`${settingsKeys.gateways}: "${c.choice}" is listed twice`);
    seen.add(c.choice);
  }
  if (!choices.length && !errors.length) errors.push(`${settingsKeys.gateways}: names no Gateway`);
  return choices;
}

/** The settings a ConfigMap's data says, and what is wrong with it (wrong parts fall back to the defaults). */
export function parseSettings(data: Record<string, string> | undefined): { settings: Settings; errors: string[] } {
  const errors: string[] = [];
  const settings: Settings = { ...defaultSettings };
  const known = new Set<string>(Object.values(settingsKeys));
  for (const key of Object.keys(data ?? {})) {
    if (!known.has(key)) errors.push(`unknown key ${key} (known: ${[...known].join(', ')})`);
  }
  const servers = data?.[settingsKeys.prometheusServers];
  if (servers !== undefined) settings.prometheusServers = parseServers(servers, errors);
  const bridge = data?.[settingsKeys.tenantBridge]?.trim();
  if (bridge !== undefined) {
    if (bridge.length <= 15 && bridgePattern.test(bridge)) settings.tenantBridge = bridge;
    else errors.push(`${settingsKeys.tenantBridge}: "${bridge}" is not a bridge name (lowercase letters, digits and '-', at most 15)`);
  }
  const vlans = data?.[settingsKeys.tenantVlans];
  if (vlans !== undefined) {
    const before = errors.length;
    const ranges = parseVlans(vlans, errors);
    if (errors.length === before) settings.tenantVlans = ranges;
  }
  const gateways = data?.[settingsKeys.gateways];
  if (gateways !== undefined) {
    const before = errors.length;
    const choices = parseGateways(gateways, errors);
    if (errors.length === before) settings.gateways = choices;
    settings.defaultGateway = settings.gateways[0]!.choice;
  }
  const defaultGateway = data?.[settingsKeys.defaultGateway]?.trim();
  if (defaultGateway !== undefined) {
    if (settings.gateways.some((g) => g.choice === defaultGateway)) settings.defaultGateway = defaultGateway;
    else errors.push(`${settingsKeys.defaultGateway}: "${defaultGateway}" is not among ${settingsKeys.gateways} (${settings.gateways.map((g) => g.choice).join(', ')})`);
  }
  return { settings, errors };
}

/** The Gateway a route attaches to: the one `choice` names, or the default; undefined when the settings list no such choice. */
export function chosenGateway(settings: Settings, choice: string | undefined): GatewayChoice | undefined {
  const wanted = choice ?? settings.defaultGateway;
  return settings.gateways.find((g) => g.choice === wanted);
}
