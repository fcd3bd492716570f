// Manifests for the differential test: each is judged by the real apiserver
// (dry run) and by the offline validator; verdicts and field paths must agree.
// `old` makes a case an update of that object.
import { parse } from 'yaml';
import type { KubeObject } from '../../pkg/meta/object.js';

export interface Case {
  name: string;
  object: KubeObject;
  old?: KubeObject;
  /** The field paths the apiserver reports (empty: valid). */
  expect: string[];
  /** Keep the object's own name (the test otherwise names objects case-N). */
  keepName?: boolean;
}

const y = (text: string): KubeObject => parse(text) as KubeObject;
const meta = (kind: string, name: string) => `apiVersion: stratus.dev/v1alpha1\nkind: ${kind}\nmetadata: {name: ${name}}\n`;

const volume = (spec: string) => y(`${meta('Volume', 'data')}spec: ${spec}`);
const network = (spec: string) => y(`${meta('Network', 'net')}spec: ${spec}`);
const vm = (spec: string) => y(`${meta('VirtualMachine', 'vm')}spec: ${spec}`);
const app = (spec: string) => y(`${meta('App', 'web')}spec: ${spec}`);
const scaler = (spec: string) => y(`${meta('Scaler', 'sc')}spec: ${spec}`);
const snapshot = (spec: string) => y(`${meta('Snapshot', 'snap')}spec: ${spec}`);
const restore = (spec: string) => y(`${meta('Restore', 'rollback')}spec: ${spec}`);
const schedule = (spec: string) => y(`${meta('SnapshotSchedule', 'nightly')}spec: ${spec}`);
const image = (spec: string) => y(`${meta('DiskImage', 'debian')}spec: ${spec}`);

export const cases: Case[] = [
  // Valid.
  { name: 'a blank volume', object: volume('{size: 10Gi}'), expect: [] },
  { name: 'a volume imported over https', object: volume('{size: 10Gi, source: {http: {url: "https://example.com/disk.qcow2"}}}'), expect: [] },
  { name: 'a network with range and rules', object: network('{cidr: 10.0.0.0/24, gateway: 10.0.0.1, allocationRange: {start: 10.0.0.10, end: 10.0.0.20}, rules: {ingress: [{from: [{cidr: 10.1.0.0/16}], ports: [{port: 22}]}]}}'), expect: [] },
  { name: 'a VM group from an image', object: vm('{replicas: 3, rootDisk: {image: "quay.io/containerdisks/fedora:41"}, disks: [{name: scratch, size: 1Gi}]}'), expect: [] },
  { name: 'a VM that can grow live and may not leave its node unmoved', object: vm('{rootDisk: {image: x}, cpu: {cores: 2, maxCores: 16}, memory: 4Gi, maxMemory: 64Gi, evictionStrategy: LiveMigrate, migrateRequestedAt: "2026-11-26T08:00:00Z"}'), expect: [] },
  { name: 'an app with a dependency', object: app('{image: nginx, dependsOn: [{kind: VirtualMachine, name: db}], env: [{name: DB, dependency: {kind: VirtualMachine, name: db}}]}'), expect: [] },
  { name: 'a scaler to zero on an object metric', object: scaler('{scaleTargetRef: {kind: App, name: web}, minReplicas: 0, maxReplicas: 5, metrics: [{type: Object, object: {describedObject: {apiVersion: v1, kind: ConfigMap, name: q}, metric: {name: depth}, fieldPath: .data.depth, target: {type: AverageValue, averageValue: "5"}}}]}'), expect: [] },
  { name: 'a volume that grows', old: volume('{size: 10Gi}'), object: volume('{size: 20Gi}'), expect: [] },
  { name: 'a snapshot of a VM', object: snapshot('{source: {virtualMachine: db}, deletionPolicy: Retain}'), expect: [] },
  { name: 'a restore in place with consent', object: restore('{snapshot: snap, target: {virtualMachine: db}, stopVirtualMachine: true}'), expect: [] },
  { name: 'a restore into a new VM', object: restore('{snapshot: snap, target: {newVirtualMachine: db-copy}}'), expect: [] },
  { name: 'a nightly schedule by selector', object: schedule('{cron: "0 2 * * *", timezone: Europe/Berlin, startingDeadlineSeconds: 3600, sources: [{volumeSelector: {matchLabels: {backup: nightly}}}, {virtualMachine: db}], retention: {keep: 7, maxAge: 168h}}'), expect: [] },
  { name: 'a disk image with a checksum and a refresh', object: image('{source: {http: {url: "https://example.com/debian.qcow2", checksum: "sha256:0123abcd"}}, size: 4Gi, refresh: {cron: "@weekly"}}'), expect: [] },
  { name: 'a volume from a snapshot disk', object: volume('{size: 10Gi, source: {snapshot: {name: snap, disk: rootdisk}}}'), expect: [] },
  { name: 'a volume from a disk image', object: volume('{size: 10Gi, source: {diskImage: {name: debian}}}'), expect: [] },
  { name: 'a VM group from a disk image', object: vm('{replicas: 3, rootDisk: {diskImage: debian, size: 20Gi}}'), expect: [] },

  // Invalid on create.
  { name: 'an unknown field', object: volume('{size: 10Gi, sizee: 20Gi}'), expect: ['spec.sizee'] },
  // Enum, required, too-long and too-many errors make the apiserver skip the CEL rules and say so at <nil>.
  { name: 'a wrong enum', object: volume('{size: 10Gi, accessMode: Sometimes}'), expect: ['spec.accessMode', '<nil>'] },
  { name: 'a missing required field', object: volume('{accessMode: ReadWriteOnce}'), expect: ['spec.size', '<nil>'] },
  { name: 'a malformed quantity', object: volume('{size: ten}'), expect: ['spec.size'] },
  { name: 'a volume below 1Mi', object: volume('{size: 10Ki}'), expect: ['spec.size'] },
  { name: 'two sources', object: volume('{size: 1Gi, source: {blank: {}, http: {url: "https://example.com/x"}}}'), expect: ['spec.source'] },
  { name: 'an ftp URL', object: volume('{size: 1Gi, source: {http: {url: "ftp://example.com/x"}}}'), expect: ['spec.source.http.url'] },
  { name: 'a bad CIDR', object: network('{cidr: 10.0.0.0/33}'), expect: ['spec.cidr'] },
  { name: 'a gateway outside the CIDR', object: network('{cidr: 10.0.0.0/24, gateway: 10.0.1.1}'), expect: ['spec.gateway'] },
  { name: 'an allocation range outside the CIDR', object: network('{cidr: 10.0.0.0/24, allocationRange: {start: 10.0.0.10, end: 10.0.1.20}}'), expect: ['spec.allocationRange'] },
  { name: 'vlan on macvlan', object: network('{cidr: 10.0.0.0/24, type: macvlan, vlan: 10}'), expect: ['spec.type'] },
  { name: 'a VLAN out of range', object: network('{cidr: 10.0.0.0/24, vlan: 5000}'), expect: ['spec.vlan'] },
  { name: 'a rule peer with two kinds', object: network('{cidr: 10.0.0.0/24, rules: {ingress: [{from: [{cidr: 10.1.0.0/16, network: other}]}]}}'), expect: ['spec.rules.ingress[0].from[0]'] },
  { name: 'replicas > 1 with a persistent root disk', object: vm('{replicas: 2, rootDisk: {volume: data}}'), expect: ['spec.replicas'] },
  { name: 'a root disk with image and volume', object: vm('{rootDisk: {image: x, volume: data}}'), expect: ['spec.rootDisk'] },
  { name: 'instancetype with cpu', object: vm('{rootDisk: {image: x}, instancetype: {name: u1.small}, cpu: {cores: 2}}'), expect: ['spec.instancetype'] },
  { name: 'a fixed address that is not IPv4', object: vm('{rootDisk: {image: x}, networks: [{name: a, network: n, ipAddress: "fe80::1"}]}'), expect: ['spec.networks[0].ipAddress'] },
  { name: 'a duplicate interface name', object: vm('{rootDisk: {image: x}, networks: [{name: a, network: n}, {name: a, network: m}]}'), expect: ['spec.networks[1]'] },
  { name: 'two pod-network interfaces', object: vm('{rootDisk: {image: x}, networks: [{name: a}, {name: b}]}'), expect: ['spec.networks'] },
  { name: 'memory below 64Mi', object: vm('{rootDisk: {image: x}, memory: 32Mi}'), expect: ['spec.memory'] },
  { name: 'an interface name that is not a label', object: vm('{rootDisk: {image: x}, networks: [{name: Eth_0}]}'), expect: ['spec.networks[0].name'] },
  { name: 'maxCores below cores', object: vm('{rootDisk: {image: x}, cpu: {cores: 4, maxCores: 2}}'), expect: ['spec.cpu.maxCores'] },
  { name: 'maxMemory below memory', object: vm('{rootDisk: {image: x}, memory: 8Gi, maxMemory: 4Gi}'), expect: ['spec.maxMemory'] },
  { name: 'maxMemory with memory not in 2Mi steps', object: vm('{rootDisk: {image: x}, memory: 1025Mi, maxMemory: 4Gi}'), expect: ['spec.memory'] },
  { name: 'maxMemory with an instancetype', object: vm('{rootDisk: {image: x}, instancetype: {name: u1.small}, maxMemory: 4Gi}'), expect: ['spec.maxMemory'] },
  { name: 'an env dependency not in dependsOn', object: app('{image: nginx, env: [{name: DB, dependency: {kind: App, name: db}}]}'), expect: ['spec.env'] },
  { name: 'an env var with two sources', object: app('{image: nginx, env: [{name: A, value: x, secretKeyRef: {name: s, key: k}}]}'), expect: ['spec.env[0]'] },
  // The scale subresource checks replicas too, naming the field by its JSON path.
  { name: 'an app port name too long for a container port', object: app('{image: nginx, ports: [{name: very-long-port-name, port: 80}]}'), expect: ['spec.ports[0].name', '<nil>'] },
  { name: 'an app port name without a letter', object: app('{image: nginx, ports: [{name: "8080", port: 8080}]}'), expect: ['spec.ports[0].name'] },
  { name: 'a name too long for a label value', object: y(`${meta('Volume', 'a'.repeat(64))}spec: {size: 1Gi}`), expect: ['<nil>'], keepName: true },
  { name: 'negative replicas', object: app('{image: nginx, replicas: -1}'), expect: ['spec.replicas', '.spec.replicas'] },
  { name: 'min > max', object: scaler('{scaleTargetRef: {kind: App, name: web}, minReplicas: 5, maxReplicas: 2}'), expect: ['spec.minReplicas'] },
  { name: 'scale to zero on cpu only', object: scaler('{scaleTargetRef: {kind: App, name: web}, minReplicas: 0, maxReplicas: 2}'), expect: ['spec.minReplicas'] },
  { name: 'a metric whose field does not match its type', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 2, metrics: [{type: Pods, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]}'), expect: ['spec.metrics[0]'] },
  { name: 'a schedule with an unknown time zone', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, schedules: [{name: day, cron: "0 8 * * 1-5", timezone: Mars/Olympus_Mons, durationSeconds: 3600, minReplicas: 2}]}'), expect: ['spec.schedules[0].timezone'] },
  { name: 'a schedule that is not cron', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, schedules: [{name: day, cron: "every morning", durationSeconds: 3600, minReplicas: 2}]}'), expect: ['spec.schedules[0].cron'] },
  { name: 'a schedule hour out of range', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, schedules: [{name: day, cron: "0 24 * * *", durationSeconds: 3600, minReplicas: 2}]}'), expect: ['spec.schedules[0].cron'] },
  { name: 'a valid schedule in a time zone', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, schedules: [{name: day, cron: "@daily", timezone: Europe/Berlin, durationSeconds: 3600, minReplicas: 2}]}'), expect: [] },
  { name: 'a negative tolerance', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, behavior: {scaleDown: {tolerance: "-0.1"}}}'), expect: ['spec.behavior.scaleDown.tolerance'] },
  { name: 'a zero target value', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, metrics: [{type: Object, object: {describedObject: {kind: ConfigMap, name: q}, metric: {name: d}, fieldPath: .data.d, target: {type: Value, value: "0"}}}]}'), expect: ['spec.metrics[0].object.target.value'] },
  { name: 'a Value target on a resource metric', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, metrics: [{type: Resource, resource: {name: cpu, target: {type: Value, value: "1"}}}]}'), expect: ['spec.metrics[0]'] },
  { name: 'fallback above maxReplicas', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 4, minReplicas: 1, fallback: {failureThreshold: 3, replicas: 9}}'), expect: ['spec.fallback.replicas'] },
  { name: 'a Secret as a metric object', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 2, metrics: [{type: Object, object: {describedObject: {kind: Secret, name: db}, metric: {name: x}, fieldPath: .data.password, target: {type: Value, value: "1"}}}]}'), expect: ['spec.metrics[0].object.describedObject'] },
  { name: 'a Secret as an external metric source', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 2, metrics: [{type: External, external: {metric: {name: x}, source: {objectRef: {apiVersion: v1, kind: Secret, name: db}, fieldPath: .data.token}, target: {type: Value, value: "1"}}}]}'), expect: ['spec.metrics[0].external.source.objectRef'] },
  { name: 'a snapshot of a VM and a Volume', object: snapshot('{source: {virtualMachine: db, volume: data}}'), expect: ['spec.source'] },
  { name: 'a restore to two targets', object: restore('{snapshot: snap, target: {virtualMachine: db, newVirtualMachine: db-copy}}'), expect: ['spec.target'] },
  { name: 'consent to stop a new VM', object: restore('{snapshot: snap, target: {newVirtualMachine: db-copy}, stopVirtualMachine: true}'), expect: ['spec.stopVirtualMachine'] },
  { name: 'a schedule that is not cron', object: schedule('{cron: "nightly", sources: [{volume: data}], retention: {keep: 3}}'), expect: ['spec.cron'] },
  { name: 'a schedule in an unknown time zone', object: schedule('{cron: "0 2 * * *", timezone: Moon/Tranquility, sources: [{volume: data}], retention: {keep: 3}}'), expect: ['spec.timezone'] },
  { name: 'a schedule keeping nothing said', object: schedule('{cron: "0 2 * * *", sources: [{volume: data}], retention: {}}'), expect: ['spec.retention'] },
  { name: 'a maximum age in days', object: schedule('{cron: "0 2 * * *", sources: [{volume: data}], retention: {maxAge: 7d}}'), expect: ['spec.retention.maxAge'] },
  { name: 'a maximum age under a minute', object: schedule('{cron: "0 2 * * *", sources: [{volume: data}], retention: {maxAge: 30s}}'), expect: ['spec.retention.maxAge'] },
  { name: 'a schedule source of two kinds', object: schedule('{cron: "0 2 * * *", sources: [{volume: data, virtualMachine: db}], retention: {keep: 1}}'), expect: ['spec.sources[0]'] },
  { name: 'a disk image from two sources', object: image('{source: {http: {url: "https://example.com/a"}, registry: {url: "docker://quay.io/a"}}, size: 1Gi}'), expect: ['spec.source'] },
  { name: 'a checksum without its algorithm', object: image('{source: {http: {url: "https://example.com/a", checksum: "0123abcd"}}, size: 1Gi}'), expect: ['spec.source.http.checksum'] },
  { name: 'a root disk size without a disk image', object: vm('{rootDisk: {image: x, size: 10Gi}}'), expect: ['spec.rootDisk.size'] },
  { name: 'a root disk with image and disk image', object: vm('{rootDisk: {image: x, diskImage: debian}}'), expect: ['spec.rootDisk'] },
  { name: 'a volume from a snapshot and a URL', object: volume('{size: 1Gi, source: {snapshot: {name: s}, http: {url: "https://example.com/x"}}}'), expect: ['spec.source'] },
  { name: 'a utilization target without a value', object: scaler('{scaleTargetRef: {kind: App, name: web}, maxReplicas: 2, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization}}}]}'), expect: ['spec.metrics[0].resource.target'] },
  { name: 'an app routed with a split and a tag', object: app('{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: [web.example.com], paths: [/, /api], tls: {issuer: {kind: ClusterIssuer, name: le}}}, traffic: [{revision: web-00001, percent: 90}, {latestRevision: true, percent: 10, tag: canary}], rollout: {steps: [{percent: 10}, {percent: 50}]}}'), expect: [] },
  { name: 'traffic that does not add up to 100', object: app('{image: nginx, traffic: [{revision: web-00001, percent: 90}, {latestRevision: true, percent: 20}]}'), expect: ['spec.traffic'] },
  { name: 'a traffic entry naming a revision and the latest', object: app('{image: nginx, traffic: [{revision: web-00001, latestRevision: true, percent: 100}]}'), expect: ['spec.traffic[0]'] },
  { name: 'a tag twice', object: app('{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: [a.example.com]}, traffic: [{latestRevision: true, percent: 100, tag: x}, {revision: web-00001, tag: x}]}'), expect: ['spec.traffic'] },
  { name: 'a tag without a route', object: app('{image: nginx, traffic: [{latestRevision: true, percent: 100, tag: canary}]}'), expect: ['spec.traffic'] },
  { name: 'a route without ports', object: app('{image: nginx, route: {hostnames: [web.example.com]}}'), expect: ['spec.route'] },
  { name: 'a route to a port the app does not have', object: app('{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: [web.example.com], port: grpc}}'), expect: ['spec.route.port'] },
  { name: 'a wildcard hostname', object: app('{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: ["*.example.com"]}}'), expect: ['spec.route.hostnames[0]'] },
  { name: 'a path with //', object: app('{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: [web.example.com], paths: [/a//b]}}'), expect: ['spec.route.paths[0]'] },
  { name: 'tls from a Secret and an issuer', object: app('{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: [web.example.com], tls: {secretName: s, issuer: {name: le}}}}'), expect: ['spec.route.tls'] },
  { name: 'a tag too long for a hostname label', object: app(`{image: nginx, ports: [{name: http, port: 80}], route: {hostnames: [${'a'.repeat(50)}.example.com]}, traffic: [{latestRevision: true, percent: 100, tag: canary-candidate}]}`), expect: ['spec.traffic'] },
  { name: 'rollout steps that go down', object: app('{image: nginx, rollout: {steps: [{percent: 50}, {percent: 10}]}}'), expect: ['spec.rollout.steps'] },
  { name: 'a rollout with no traffic for the latest revision', object: app('{image: nginx, traffic: [{revision: web-00001, percent: 100}], rollout: {steps: [{percent: 50}]}}'), expect: ['spec.rollout'] },
  { name: 'an app name too long for its revisions', object: y(`${meta('App', 'a'.repeat(58))}spec: {image: nginx}`), expect: ['<nil>'], keepName: true },

  // Invalid on update.
  { name: 'a volume that shrinks', old: volume('{size: 10Gi}'), object: volume('{size: 5Gi}'), expect: ['spec.size'] },
  { name: 'a changed storage class', old: volume('{size: 1Gi, storageClassName: a}'), object: volume('{size: 1Gi, storageClassName: b}'), expect: ['spec.storageClassName'] },
  { name: 'a changed volume source', old: volume('{size: 1Gi, source: {http: {url: "https://example.com/a"}}}'), object: volume('{size: 1Gi, source: {http: {url: "https://example.com/b"}}}'), expect: ['spec.source'] },
  { name: 'a changed CIDR', old: network('{cidr: 10.0.0.0/24}'), object: network('{cidr: 10.0.1.0/24}'), expect: ['spec.cidr'] },
  { name: 'a changed snapshot', old: snapshot('{source: {volume: a}}'), object: snapshot('{source: {volume: b}}'), expect: ['spec'] },
  { name: 'a changed restore', old: restore('{snapshot: a, target: {virtualMachine: db}}'), object: restore('{snapshot: b, target: {virtualMachine: db}}'), expect: ['spec'] },
  { name: 'a disk image on another storage class', old: image('{source: {registry: {url: "docker://quay.io/a"}}, size: 1Gi, storageClassName: a}'), object: image('{source: {registry: {url: "docker://quay.io/a"}}, size: 1Gi, storageClassName: b}'), expect: ['spec.storageClassName'] },
  { name: 'replicas added to a single VM', old: vm('{rootDisk: {image: x}}'), object: vm('{replicas: 1, rootDisk: {image: x}}'), expect: ['spec.replicas'] },
];
