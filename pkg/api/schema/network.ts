// Network: a secondary (Multus) network with address management and rules
// that guard both the pod network and the secondary interfaces.
import { array, boolean, enumOf, integer, object, rule, string, type Schema } from './builder.js';
import { conditions, labelSelector, objectName, observedGeneration, portNumber, protocol } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { networks } from './reference-targets.js';

const ipv4 = (description: string): Schema =>
  string({ description, maxLength: 15, rules: [rule('isIP(self) && ip(self).family() == 4', 'must be an IPv4 address')] });

const peer = object(
  {
    cidr: string({ description: 'Addresses in this CIDR.', maxLength: 18, rules: [rule('isCIDR(self)', 'must be a CIDR, e.g. 10.0.0.0/24')] }),
    network: objectName("Everything on this Network (its CIDR), in the same namespace."),
    apps: { ...labelSelector, description: 'Apps with these labels (their pods, on any network).' },
    virtualMachines: { ...labelSelector, description: 'VirtualMachines with these labels (on any network).' },
  },
  {
    name: 'RulePeer',
    rules: [rule('[has(self.cidr), has(self.network), has(self.apps), has(self.virtualMachines)].filter(x, x).size() == 1', 'set exactly one of cidr, network, apps and virtualMachines')],
  },
);

const rulePort = object(
  {
    protocol: protocol(),
    port: portNumber('The port (or the first of a range).'),
    endPort: portNumber('The last port of a range.'),
  },
  { name: 'RulePort', rules: [rule('!has(self.endPort) || (has(self.port) && self.endPort >= self.port)', 'endPort must be at least port', { fieldPath: '.endPort' })] },
);

const allowRule = (direction: 'from' | 'to'): Schema =>
  object(
    {
      [direction]: array(peer, { description: direction === 'from' ? 'Who may connect. Empty: anyone.' : 'Where to connect. Empty: anywhere.', maxItems: 32 }),
      ports: array(rulePort, { description: 'On which ports. Empty: all ports.', maxItems: 32 }),
    },
    { name: direction === 'from' ? 'IngressRule' : 'EgressRule' },
  );

const spec = object(
  {
    cidr: string({
      description: 'The IPv4 subnet, e.g. 192.168.10.0/24. Immutable.',
      maxLength: 18,
      rules: [
        rule('isCIDR(self)', 'must be a CIDR, e.g. 192.168.10.0/24'),
        rule('!isCIDR(self) || cidr(self).ip().family() == 4', 'only IPv4 networks are supported'),
        rule('!isCIDR(self) || cidr(self).prefixLength() <= 30', 'the prefix must be /30 or shorter to leave room for addresses'),
        rule('self == oldSelf', 'cidr is immutable'),
      ],
    }),
    gateway: ipv4('The gateway address (never allocated).'),
    allocationRange: object(
      {
        start: ipv4('The first address to allocate.'),
        end: ipv4('The last address to allocate.'),
      },
      { name: 'AllocationRange', description: 'Which addresses to hand out (default: the whole CIDR but network, broadcast and gateway).', required: ['start', 'end'] },
    ),
    type: enumOf(['bridge', 'macvlan'], {
      description: 'The CNI plugin: a Linux bridge on the nodes, or macvlan on a host interface (a provider network, which needs create on networks/provider).',
      default: 'bridge',
    }),
    bridge: string({
      description: 'For bridge: the bridge on the nodes. Setting it (or vlan, or type macvlan) makes a provider network, which needs create on networks/provider. Unset: the tenant bridge (default br-stratus).',
      maxLength: 15,
    }),
    master: string({ description: 'For macvlan: the host interface (default eth0).', maxLength: 15 }),
    vlan: integer({
      description: 'For bridge: a chosen VLAN ID (a provider network, which needs create on networks/provider). Unset: Stratus gives the Network a VLAN of its own from the tenant pool.',
      minimum: 1,
      maximum: 4094,
    }),
    mtu: integer({ description: 'The MTU of the interfaces.', minimum: 576, maximum: 9216 }),
    rules: object(
      {
        ingress: array(allowRule('from'), { description: 'Allowed incoming traffic. Set (even empty) to deny everything else.', maxItems: 64 }),
        egress: array(allowRule('to'), { description: 'Allowed outgoing traffic. Set (even empty) to deny everything else.', maxItems: 64 }),
      },
      {
        name: 'SecurityRules',
        description: "Security rules for the Network's members (VMs and Apps attached to it), enforced on their pod network and secondary interfaces alike.",
      },
    ),
  },
  {
    name: 'NetworkSpec',
    required: ['cidr'],
    rules: [
      rule('!has(self.gateway) || !isCIDR(self.cidr) || !isIP(self.gateway) || cidr(self.cidr).containsIP(self.gateway)', 'gateway must be inside cidr', { fieldPath: '.gateway' }),
      rule(
        '!has(self.allocationRange) || !isCIDR(self.cidr) || !isIP(self.allocationRange.start) || !isIP(self.allocationRange.end) || (cidr(self.cidr).containsIP(self.allocationRange.start) && cidr(self.cidr).containsIP(self.allocationRange.end))',
        'allocationRange must be inside cidr',
        { fieldPath: '.allocationRange' },
      ),
      rule("self.type == 'bridge' || (!has(self.vlan) && !has(self.bridge))", 'vlan and bridge apply only to type bridge', { fieldPath: '.type' }),
      rule("self.type == 'macvlan' || !has(self.master)", 'master applies only to type macvlan', { fieldPath: '.master' }),
    ],
  },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    networkAttachmentDefinition: string({ description: 'The Multus NetworkAttachmentDefinition.' }),
    allocated: integer({ description: 'Addresses in use.' }),
    free: integer({ description: 'Addresses left.' }),
    usedBy: array(object({ kind: string(), name: string() }, { name: 'NetworkUser', required: ['kind', 'name'] }), {
      description: 'The VirtualMachines and Apps attached (the first 100 by kind and name); the Network is not deleted while any is.',
      maxItems: 100,
    }),
    userCount: integer({ description: 'How many VirtualMachines and Apps are attached.' }),
    segment: object(
      {
        bridge: string({ description: 'For bridge: the bridge on the nodes.' }),
        vlan: integer({ description: 'For bridge: the VLAN ID; unset: untagged.' }),
        master: string({ description: 'For macvlan: the host interface.' }),
        provider: boolean({ description: 'Chosen in the spec (a provider network, which may share its segment on purpose) rather than given by Stratus.' }),
      },
      { name: 'NetworkSegmentStatus', description: 'The layer-2 segment the Network is on: a tenant Network gets a VLAN of its own.', required: ['provider'] },
    ),
  },
  { name: 'NetworkStatus' },
);

export const network: KindDefinition = {
  kind: 'Network',
  plural: 'networks',
  singular: 'network',
  shortNames: ['snet'],
  categories: ['stratus'],
  description: 'A secondary network (Multus bridge or macvlan) with IP address management and security rules.',
  spec,
  status,
  printerColumns: [
    readyColumn,
    { name: 'CIDR', type: 'string', jsonPath: '.spec.cidr' },
    { name: 'Type', type: 'string', jsonPath: '.spec.type' },
    { name: 'VLAN', type: 'integer', jsonPath: '.status.segment.vlan' },
    { name: 'Allocated', type: 'integer', jsonPath: '.status.allocated' },
    { name: 'Free', type: 'integer', jsonPath: '.status.free' },
    ageColumn,
  ],
  references: [
    { path: 'spec.rules.ingress[].from[].network', target: networks },
    { path: 'spec.rules.egress[].to[].network', target: networks },
  ],
};
