// VirtualMachine: a KubeVirt virtual machine, or a group of identical ones.
import { array, boolean, enumOf, integer, map, object, quantity, rule, string, type Schema } from './builder.js';
import { conditions, label, localObjectReference, networkPools, objectName, observedGeneration, portNumber, protocol } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { clusterInstancetypes, diskImages, instancetypes, networks, secrets, volumes } from './reference-targets.js';

const ipv4 = (description: string): Schema =>
  string({ description, maxLength: 15, rules: [rule('isIP(self) && ip(self).family() == 4', 'must be an IPv4 address')] });

const rootDisk = object(
  {
    image: string({
      description: 'A container image holding the disk (a KubeVirt containerDisk). The disk is ephemeral: changes are lost on restart.',
      maxLength: 512,
    }),
    volume: objectName('A Volume holding the disk. The disk is persistent; the Volume is attached to this VM only.'),
    diskImage: objectName(
      'A DiskImage (golden image) to clone: the VM (each member of a group) gets a persistent disk of its own, made from the image without a new import, and deleted with the VM.',
    ),
    size: quantity({ description: "With diskImage: the size of the VM's disk (default: the image's size; not smaller)." }),
    bus: enumOf(['virtio', 'sata', 'scsi'], { description: 'The disk bus the guest sees.', default: 'virtio' }),
  },
  {
    name: 'RootDisk',
    description: 'The disk the VM boots from: a container image (ephemeral), a Volume (persistent), or a clone of a DiskImage (persistent, per VM).',
    rules: [
      rule('[has(self.image), has(self.volume), has(self.diskImage)].filter(x, x).size() == 1', 'set exactly one of image, volume and diskImage'),
      rule('!has(self.size) || has(self.diskImage)', 'size applies only to a root disk cloned from a diskImage', { fieldPath: '.size' }),
    ],
  },
);

const disk = object(
  {
    name: label('Names the disk inside the VM.'),
    volume: objectName('A Volume to attach (persistent, this VM only).'),
    size: quantity({ description: 'Instead of a Volume: a blank disk of this size made for this VM (or for each member of a group).' }),
    storageClassName: string({ description: 'With size: the StorageClass of the blank disk (default: the cluster default).', maxLength: 253 }),
    bus: enumOf(['virtio', 'sata', 'scsi'], { description: 'The disk bus the guest sees.', default: 'virtio' }),
    readOnly: boolean({ description: 'Attach the disk read-only.', default: false }),
  },
  {
    name: 'Disk',
    required: ['name'],
    rules: [
      rule('has(self.volume) != has(self.size)', 'set exactly one of volume and size'),
      rule('!has(self.storageClassName) || has(self.size)', 'storageClassName applies only to disks made from size', { fieldPath: '.storageClassName' }),
    ],
  },
);

const networkInterface = object(
  {
    name: label('Names the interface.'),
    network: objectName('The Network to attach to. Unset: the cluster pod network (with NAT, reachable through ports).'),
    ipAddress: ipv4('A fixed address on the Network (must be inside its CIDR, not its gateway, and free). Unset: the Network allocates one.'),
    macAddress: string({
      description: 'A fixed MAC address. Unset: a stable one is generated.',
      pattern: '^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$',
    }),
  },
  {
    name: 'NetworkInterface',
    required: ['name'],
    rules: [rule('has(self.network) || (!has(self.ipAddress) && !has(self.macAddress))', 'ipAddress and macAddress apply only to a Network, not the pod network', { fieldPath: '.ipAddress' })],
  },
);

const port = object(
  {
    name: label('Names the port.'),
    port: portNumber('The port inside the VM, also the Service port.'),
    protocol: protocol(),
  },
  { name: 'Port', required: ['name', 'port'] },
);

const spec = object(
  {
    replicas: integer({
      description:
        'Makes this a VM group of this many identical VMs (a KubeVirt VirtualMachinePool), scalable through the scale subresource. Unset: a single VM. Cannot be added or removed after creation.',
      minimum: 0,
      maximum: 1000,
    }),
    powerState: enumOf(['Running', 'Stopped'], { description: 'Whether the VM should run.', default: 'Running' }),
    restartRequestedAt: string({
      description: 'Set or change to any new timestamp to restart the VM once (e.g. `date -Iseconds`). Also applies pending changes.',
      format: 'date-time',
    }),
    migrateRequestedAt: string({
      description:
        'Set or change to any new timestamp to move the VM once to another node, live (a group: member by member). A VM that cannot live-migrate stays and status.migration says why.',
      format: 'date-time',
    }),
    updatePolicy: enumOf(['Manual', 'Automatic'], {
      description:
        'Changes that need a restart (see status.pendingChanges; more cores or memory up to their maximum, and added or removed data disks and secondary interfaces, are applied live under either policy): Manual lists them until the next restart; Automatic restarts the VM at once.',
      default: 'Manual',
    }),
    evictionStrategy: enumOf(['LiveMigrateIfPossible', 'LiveMigrate', 'None'], {
      description:
        "What happens when the VM's node is drained: LiveMigrateIfPossible (the default) moves it live when it can and otherwise restarts it on another node; LiveMigrate moves it live, and a VM that cannot keeps its node (the drain waits); None restarts it on another node. A group drains member by member.",
    }),
    cpu: object(
      {
        cores: integer({ description: 'Virtual CPU cores (KubeVirt CPU sockets of one core each).', minimum: 1, maximum: 256 }),
        maxCores: integer({
          description: 'The most cores the VM can grow to without a restart. Unset: four times the cores it starts with.',
          minimum: 1,
          maximum: 256,
        }),
        dedicated: boolean({ description: 'Pin vCPUs to dedicated host CPUs.', default: false }),
      },
      {
        name: 'Cpu',
        description: 'CPU (default: 1 core) unless an instancetype is set.',
        required: ['cores'],
        rules: [rule('!has(self.maxCores) || self.maxCores >= self.cores', 'maxCores may not be less than cores', { fieldPath: '.maxCores' })],
      },
    ),
    memory: quantity({
      description: 'Guest memory, e.g. 2Gi (default: 1Gi) unless an instancetype is set.',
      rules: [rule("quantity(string(self)).compareTo(quantity('64Mi')) >= 0", 'must be at least 64Mi')],
    }),
    maxMemory: quantity({
      description:
        'The most memory the VM can grow to without a restart. Unset: four times the memory it starts with, for VMs with at least 1Gi whose memory is a multiple of 2Mi (others change memory with a restart).',
      rules: [rule("quantity(string(self)).isInteger() && quantity(string(self)).asInteger() % 2097152 == 0", 'must be a multiple of 2Mi')],
    }),
    instancetype: object(
      {
        name: objectName('The instancetype.'),
        kind: enumOf(['VirtualMachineClusterInstancetype', 'VirtualMachineInstancetype'], {
          description: 'Cluster-wide or namespaced instancetype.',
          default: 'VirtualMachineClusterInstancetype',
        }),
      },
      { name: 'InstancetypeReference', description: 'A KubeVirt instancetype giving cpu and memory.', required: ['name'] },
    ),
    rootDisk,
    disks: array(disk, { description: 'More disks.', mapKeys: ['name'], maxItems: 16 }),
    networks: array(networkInterface, {
      description: 'Network interfaces, in order. Empty: one interface on the pod network.',
      mapKeys: ['name'],
      maxItems: 8,
      rules: [rule('self.filter(n, !has(n.network)).size() <= 1', 'at most one interface may use the pod network (an entry without network)')],
    }),
    cloudInit: object(
      {
        userData: string({ description: 'cloud-init user data (#cloud-config or a script).', maxLength: 32768 }),
        userDataSecretRef: localObjectReference,
      },
      {
        name: 'CloudInit',
        description: 'cloud-init configuration. Stratus adds the network configuration for fixed addresses and the SSH keys.',
        rules: [rule('!(has(self.userData) && has(self.userDataSecretRef))', 'set at most one of userData and userDataSecretRef')],
      },
    ),
    sshKeys: array(string({ maxLength: 4096 }), { description: 'SSH public keys authorised for the default user.', maxItems: 32, listType: 'set' }),
    ports: array(port, { description: 'Ports to expose through a Service.', mapKeys: ['name'], maxItems: 32 }),
    expose: object(
      { type: enumOf(['ClusterIP', 'NodePort', 'LoadBalancer'], { description: 'The Service type.', default: 'ClusterIP' }) },
      { name: 'Exposure', description: 'How the ports are exposed.' },
    ),
    nodeSelector: map(string({ maxLength: 63 }), { description: 'Run only on nodes with these labels.' }),
  },
  { name: 'VirtualMachineSpec', required: ['rootDisk'] },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    phase: enumOf(['Pending', 'Provisioning', 'Starting', 'Running', 'Stopping', 'Stopped', 'Failed', 'Unknown'], { description: 'Where the VM stands.' }),
    powerState: enumOf(['Running', 'Stopped'], { description: 'Whether the VM runs now.' }),
    nodeName: string({ description: 'The node the VM runs on (single VMs).' }),
    ipAddresses: array(string(), { description: 'The VM addresses, first interface first (single VMs).' }),
    interfaces: array(
      object(
        { name: string(), network: string(), ipAddress: string(), macAddress: string() },
        { name: 'InterfaceStatus', required: ['name'] },
      ),
      { description: 'Each interface and its address.', mapKeys: ['name'] },
    ),
    pendingChanges: array(string(), { description: 'Spec changes waiting for a restart.' }),
    liveUpdates: array(string(), { description: 'Spec changes applied to the running VM without a restart.' }),
    restartedAt: string({ description: 'The last spec.restartRequestedAt that was carried out.', format: 'date-time' }),
    migratedAt: string({ description: 'The last spec.migrateRequestedAt that was carried out (status.migration says how it went).', format: 'date-time' }),
    migration: object(
      {
        name: string({ description: 'The KubeVirt VirtualMachineInstanceMigration.' }),
        member: string({ description: 'For a group: the member that moves.' }),
        reason: enumOf(['Requested', 'NodeDrain', 'LiveUpdate', 'Other'], {
          description: 'Why it moves: spec.migrateRequestedAt, its node being drained, KubeVirt applying hotplugged CPU, memory or interfaces, or something else.',
        }),
        phase: string({ description: "KubeVirt's migration phase: Pending, Scheduling, Scheduled, PreparingTarget, TargetReady, Running, Succeeded or Failed." }),
        sourceNode: string({ description: 'The node it moves from.' }),
        targetNode: string({ description: 'The node it moves to.' }),
        startTime: string({ description: 'When the guest began to move.', format: 'date-time' }),
        endTime: string({ description: 'When the move ended.', format: 'date-time' }),
        message: string({ description: 'Why it failed, or why the VM cannot move.' }),
      },
      { name: 'MigrationStatus', description: 'The latest live migration of the VM (or of a group member).' },
    ),
    replicas: integer({ description: 'VMs that exist (for a group: members).' }),
    readyReplicas: integer({ description: 'VMs that are running and ready.' }),
    selector: string({ description: 'The label selector of the VMs, for the scale subresource.' }),
    serviceName: string({ description: 'The Service exposing the ports.' }),
    address: string({ description: 'How to reach the VM: the Service DNS name, or its address.' }),
    networks: networkPools(),
  },
  { name: 'VirtualMachineStatus' },
);

export const virtualMachine: KindDefinition = {
  kind: 'VirtualMachine',
  plural: 'virtualmachines',
  singular: 'virtualmachine',
  shortNames: ['svm'],
  categories: ['stratus'],
  description: 'A virtual machine (KubeVirt), or a group of identical ones when spec.replicas is set.',
  spec,
  status,
  specRules: [
    rule('!(has(self.instancetype) && (has(self.cpu) || has(self.memory)))', 'cpu and memory come from the instancetype: set either instancetype or cpu/memory', {
      fieldPath: '.instancetype',
    }),
    rule(
      "!has(self.replicas) || self.replicas <= 1 || (!has(self.rootDisk.volume) && (!has(self.disks) || self.disks.all(d, has(d.size))))",
      'replicas > 1 needs an image or diskImage root disk and per-VM disks (disks[].size): a Volume attaches to one VM only',
      { fieldPath: '.replicas' },
    ),
    rule(
      '!has(self.replicas) || self.replicas <= 1 || !has(self.networks) || self.networks.all(n, !has(n.ipAddress) && !has(n.macAddress))',
      'replicas > 1 cannot share a fixed ipAddress or macAddress',
      { fieldPath: '.replicas' },
    ),
    rule('has(self.replicas) == has(oldSelf.replicas)', 'replicas cannot be added or removed after creation: a single VM and a VM group are different things', {
      fieldPath: '.replicas',
    }),
    rule('!has(self.expose) || has(self.ports)', 'expose needs ports', { fieldPath: '.expose' }),
    rule('!(has(self.instancetype) && has(self.maxMemory))', 'memory comes from the instancetype: set either instancetype or maxMemory', { fieldPath: '.maxMemory' }),
    rule(
      "!has(self.maxMemory) || quantity(string(self.maxMemory)).compareTo(quantity(has(self.memory) ? string(self.memory) : '1Gi')) >= 0",
      'maxMemory may not be less than memory',
      { fieldPath: '.maxMemory' },
    ),
    rule(
      "!has(self.maxMemory) || !has(self.memory) || (quantity(string(self.memory)).compareTo(quantity('1Gi')) >= 0 && quantity(string(self.memory)).isInteger() && quantity(string(self.memory)).asInteger() % 2097152 == 0)",
      'with maxMemory, memory must be at least 1Gi and a multiple of 2Mi (KubeVirt hotplugs memory in 2Mi blocks)',
      { fieldPath: '.memory' },
    ),
  ],
  printerColumns: [
    readyColumn,
    { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
    { name: 'IP', type: 'string', jsonPath: '.status.ipAddresses[0]' },
    { name: 'Node', type: 'string', jsonPath: '.status.nodeName' },
    { name: 'Replicas', type: 'integer', jsonPath: '.status.readyReplicas', priority: 1 },
    { name: 'Pending', type: 'string', jsonPath: '.status.pendingChanges', priority: 1 },
    { name: 'Migration', type: 'string', jsonPath: '.status.migration.phase', priority: 1 },
    ageColumn,
  ],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  references: [
    { path: 'spec.cloudInit.userDataSecretRef.name', target: secrets },
    { path: 'spec.rootDisk.volume', target: volumes },
    { path: 'spec.rootDisk.diskImage', target: diskImages },
    { path: 'spec.disks[].volume', target: volumes },
    { path: 'spec.networks[].network', target: networks },
    { path: 'spec.instancetype(kind=VirtualMachineClusterInstancetype).name', target: clusterInstancetypes },
    { path: 'spec.instancetype(kind=VirtualMachineInstancetype).name', target: instancetypes },
  ],
};
