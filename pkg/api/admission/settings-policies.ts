// Admission for the cluster-wide settings (pkg/api/settings.ts): the
// settings ConfigMap itself is checked as the controllers read it, a
// Scaler may query only the Prometheus servers it allows, and an App's
// route may choose only a Gateway it lists.
import { group } from '../schema/common.js';
import { defaultSettings, gatewayEntryPattern, settingsKeys, settingsName, settingsNamespace } from '../settings.js';
import { fieldIn, namesIn } from './reference-path.js';
import { validatingPolicy } from './validating-policy.js';
import type { KubeObject } from '../../meta/object.js';

const serversKey = `'${settingsKeys.prometheusServers}'`;

/** The entries of a comma- or newline-separated setting. */
function entries(value: string): string {
  return `${value}.replace('\\n', ',').split(',').map(s, s.trim()).filter(s, s != '')`;
}

/** scheme://host:port, as originOf in pkg/api/settings.ts writes it. */
function origin(u: string): string {
  const port = `(url(${u}).getPort() != '' ? url(${u}).getPort() : url(${u}).getScheme() == 'https' ? '443' : '80')`;
  return `(url(${u}).getScheme() + '://' + url(${u}).getHostname().lowerAscii() + ':' + ${port})`;
}

function settingsPolicy(): KubeObject[] {
  const known = Object.values(settingsKeys);
  const data = 'object.?data.orValue({})';
  const absent = (key: string): string => `!('${key}' in ${data})`;
  return validatingPolicy(`${group}-settings`, {
    description: `The settings ConfigMap ${settingsNamespace}/${settingsName}: known keys, each in its format.`,
    match: { apiGroups: [''], resources: ['configmaps'] },
    matchConditions: [{ name: 'stratus-settings', expression: `object.metadata.namespace == '${settingsNamespace}' && object.metadata.name == '${settingsName}'` }],
    validations: [
      {
        expression: `${data}.all(k, k in ${JSON.stringify(known).replaceAll('"', "'")})`,
        messageExpression: `'data.' + ${data}.filter(k, !(k in ${JSON.stringify(known).replaceAll('"', "'")}))[0] + ': unknown key; known keys: ${known.join(', ')}'`,
        reason: 'Invalid',
      },
      {
        expression: `${absent(settingsKeys.prometheusServers)} || ${entries(`object.data[${serversKey}]`)}.all(s, isURL(s) && url(s).getScheme() in ['http', 'https'] && url(s).getEscapedPath() in ['', '/'] && url(s).getQuery().size() == 0 && !s.contains('@') && !s.contains('#'))`,
        message: `data.${settingsKeys.prometheusServers}: each entry must be an http or https origin, scheme://host[:port] with nothing after it`,
        reason: 'Invalid',
      },
      {
        expression: `${absent(settingsKeys.tenantBridge)} || (object.data['${settingsKeys.tenantBridge}'].trim().matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$') && size(object.data['${settingsKeys.tenantBridge}'].trim()) <= 15)`,
        message: `data.${settingsKeys.tenantBridge}: must be a bridge name: lowercase letters, digits and '-', at most 15 characters`,
        reason: 'Invalid',
      },
      {
        expression: `${absent(settingsKeys.tenantVlans)} || (size(${entries(`object.data['${settingsKeys.tenantVlans}']`)}) > 0 && ${entries(`object.data['${settingsKeys.tenantVlans}']`)}.all(r, r.matches('^[0-9]+( *- *[0-9]+)?$') && int(r.split('-')[0].trim()) >= 1 && int(r.split('-')[size(r.split('-')) - 1].trim()) <= 4094 && int(r.split('-')[0].trim()) <= int(r.split('-')[size(r.split('-')) - 1].trim())))`,
        message: `data.${settingsKeys.tenantVlans}: must list VLAN IDs or ranges within 1-4094, e.g. 1000-3999 or 100-199,300`,
        reason: 'Invalid',
      },
      {
        expression: `${absent(settingsKeys.gateways)} || (size(${entries(`object.data['${settingsKeys.gateways}']`)}) > 0 && ${entries(`object.data['${settingsKeys.gateways}']`)}.all(e, e.matches('${gatewayEntryPattern}')) && ${choices(`object.data['${settingsKeys.gateways}']`)}.all(c, ${choices(`object.data['${settingsKeys.gateways}']`)}.exists_one(d, d == c)))`,
        message: `data.${settingsKeys.gateways}: must list Gateways as <choice>=<namespace>/<gateway>, each choice once, e.g. public=gateways/public,internal=gateways/internal`,
        reason: 'Invalid',
      },
      {
        expression: `${absent(settingsKeys.defaultGateway)} || object.data['${settingsKeys.defaultGateway}'].trim() in ${knownChoices('object.data')}`,
        message: `data.${settingsKeys.defaultGateway}: must be one of the choices ${settingsKeys.gateways} lists (without it: ${defaultSettings.defaultGateway})`,
        reason: 'Invalid',
      },
    ],
  });
}

/** The choices of a routes.gateways value. */
function choices(value: string): string {
  return `${entries(value)}.map(e, e.split('=')[0])`;
}

/** The Gateway choices a settings ConfigMap's data (a CEL map) allows: its routes.gateways, or the default's. */
function knownChoices(data: string): string {
  const defaults = JSON.stringify(defaultSettings.gateways.map((g) => g.choice)).replaceAll('"', "'");
  return `('${settingsKeys.gateways}' in ${data} ? ${choices(`${data}['${settingsKeys.gateways}']`)} : ${defaults})`;
}

/** An App's route may choose only a Gateway the settings list (checked when the choice changes). */
function appGatewayPolicy(): KubeObject[] {
  const path = 'spec.route.gateway';
  return validatingPolicy(`${group}-apps-gateways`, {
    description: `An App's route chooses one of the Gateways ${settingsNamespace}/${settingsName} lists (${settingsKeys.gateways}).`,
    match: { apiGroups: [group], resources: ['apps'] },
    params: { namespace: settingsNamespace, name: settingsName },
    variables: [
      { name: 'known', expression: knownChoices('params.?data.orValue({})') },
      { name: 'added', expression: `${namesIn('object', path)}.filter(s, !(s in ${namesIn('oldObject', path)}))` },
    ],
    validations: [
      {
        expression: 'variables.added.all(s, s in variables.known)',
        messageExpression: `'${path}: "' + variables.added[0] + '" is not among the Gateways this cluster offers (' + variables.known.join(', ') + '; ConfigMap ${settingsNamespace}/${settingsName}, key ${settingsKeys.gateways})'`,
        reason: 'Forbidden',
      },
    ],
  });
}

function prometheusServersPolicy(): KubeObject[] {
  const path = 'spec.metrics[].prometheus.serverAddress';
  const first = 'variables.refused[0]';
  return validatingPolicy(`${group}-scalers-prometheus-servers`, {
    description: `Prometheus metrics query only the servers ${settingsNamespace}/${settingsName} allows (${settingsKeys.prometheusServers}; unset: any).`,
    match: { apiGroups: [group], resources: ['scalers'] },
    params: { namespace: settingsNamespace, name: settingsName },
    variables: [
      { name: 'restricted', expression: `has(params.data) && ${serversKey} in params.data` },
      { name: 'allowed', expression: `variables.restricted ? ${entries(`params.data[${serversKey}]`)}.filter(s, isURL(s)) : []` },
      { name: 'added', expression: `${namesIn('object', path)}.filter(s, !(s in ${namesIn('oldObject', path)}))` },
      { name: 'refused', expression: `variables.added.filter(s, !variables.allowed.exists(a, ${origin('a')} == ${origin('s')}))` },
    ],
    validations: [
      {
        expression: '!variables.restricted || size(variables.refused) == 0',
        messageExpression: `${fieldIn(path, first)} + ': ' + ${origin(first)} + ' is not among the Prometheus servers this cluster allows (' + variables.allowed.join(', ') + '; ConfigMap ${settingsNamespace}/${settingsName}, key ${settingsKeys.prometheusServers})'`,
        reason: 'Forbidden',
      },
    ],
  });
}

export function settingsPolicies(): KubeObject[] {
  return [...settingsPolicy(), ...prometheusServersPolicy(), ...appGatewayPolicy()];
}
