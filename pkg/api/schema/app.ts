// App: an image run as a scalable service (Deployment + Service).
import { array, boolean, enumOf, integer, map, object, quantity, rule, string } from './builder.js';
import { conditions, networkPools, objectName, observedGeneration, portNumber, protocol, secretKeyRef } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { apps, configMaps, networks, secrets, virtualMachines, volumes } from './reference-targets.js';

const dependencyKind = enumOf(['VirtualMachine', 'Volume', 'App'], { description: 'The kind of the dependency.' });

const envVar = object(
  {
    name: string({ description: 'The variable name.', maxLength: 256, pattern: '^[-._a-zA-Z][-._a-zA-Z0-9]*$' }),
    value: string({ description: 'A literal value.', maxLength: 32768 }),
    secretKeyRef,
    configMapKeyRef: object(
      { name: objectName('The ConfigMap.'), key: string({ description: 'The key.', maxLength: 253 }) },
      { name: 'ConfigMapKeyReference', required: ['name', 'key'] },
    ),
    dependency: object(
      {
        kind: dependencyKind,
        name: objectName('The dependency, as listed in dependsOn.'),
        property: enumOf(['address', 'host', 'port', 'url'], {
          description: 'address: host:port (or host); host: DNS name or IP; port: the first port; url: scheme://host:port.',
          default: 'address',
        }),
      },
      { name: 'DependencyReference', description: "A dependency's address, kept current (a change rolls the App out).", required: ['kind', 'name'] },
    ),
  },
  {
    name: 'EnvVar',
    required: ['name'],
    rules: [
      rule('[has(self.value), has(self.secretKeyRef), has(self.configMapKeyRef), has(self.dependency)].filter(x, x).size() == 1', 'set exactly one of value, secretKeyRef, configMapKeyRef and dependency'),
    ],
  },
);

const healthCheck = object(
  {
    http: object(
      { path: string({ description: 'The path to GET.', default: '/', maxLength: 1024 }), port: portNumber('The container port.') },
      { name: 'HttpCheck', required: ['port'] },
    ),
    tcp: object({ port: portNumber('The container port.') }, { name: 'TcpCheck', required: ['port'] }),
    exec: object({ command: array(string({ maxLength: 4096 }), { minItems: 1, maxItems: 64 }) }, { name: 'ExecCheck', required: ['command'] }),
    initialDelaySeconds: integer({ description: 'Wait this long after start before checking.', minimum: 0, maximum: 3600, default: 0 }),
    periodSeconds: integer({ description: 'Check this often.', minimum: 1, maximum: 3600, default: 10 }),
    timeoutSeconds: integer({ description: 'A check taking longer fails.', minimum: 1, maximum: 3600, default: 1 }),
    failureThreshold: integer({ description: 'Failures in a row before the container is restarted or marked unready.', minimum: 1, maximum: 100, default: 3 }),
  },
  {
    name: 'HealthCheck',
    description: 'How to tell a healthy instance: becomes the readiness and liveness probes.',
    rules: [rule('[has(self.http), has(self.tcp), has(self.exec)].filter(x, x).size() == 1', 'set exactly one of http, tcp and exec')],
  },
);

const resources = object(
  {
    requests: map(quantity(), { description: 'Reserved resources (cpu, memory, …).' }),
    limits: map(quantity(), { description: 'Maximum resources.' }),
  },
  { name: 'Resources', description: 'Compute resources per instance, as in Kubernetes.' },
);

const spec = object(
  {
    image: string({ description: 'The container image.', maxLength: 512, minLength: 1 }),
    command: array(string({ maxLength: 4096 }), { description: "Replaces the image's entrypoint.", maxItems: 64 }),
    args: array(string({ maxLength: 4096 }), { description: "Replaces the image's arguments.", maxItems: 256 }),
    env: array(envVar, { description: 'Environment variables.', mapKeys: ['name'], maxItems: 128 }),
    resources,
    replicas: integer({ description: 'Instances to run; also the scale subresource (kubectl scale, a Scaler, an HPA or KEDA).', minimum: 0, maximum: 10000, default: 1 }),
    ports: array(
      object(
        {
          name: string({
            description: 'Names the port; it also names the container port, so at most 15 characters and at least one letter.',
            maxLength: 15,
            pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
            rules: [rule("self.matches('[a-z]')", 'must contain at least one letter')],
          }),
          port: portNumber('The port the container listens on, also the Service port.'),
          protocol: protocol(),
        },
        { name: 'AppPort', required: ['name', 'port'] },
      ),
      { description: 'Ports the App serves.', mapKeys: ['name'], maxItems: 32 },
    ),
    expose: object(
      {
        type: enumOf(['None', 'ClusterIP', 'NodePort', 'LoadBalancer'], {
          description: 'The Service type; None makes no Service.',
          default: 'ClusterIP',
        }),
      },
      { name: 'AppExposure', description: 'How the ports are exposed (default: a ClusterIP Service).' },
    ),
    healthCheck,
    volumes: array(
      object(
        {
          name: objectName('The Volume.'),
          mountPath: string({ description: 'Where to mount it.', maxLength: 1024, pattern: '^/' }),
          readOnly: boolean({ description: 'Mount read-only.', default: false }),
        },
        { name: 'VolumeMount', required: ['name', 'mountPath'] },
      ),
      { description: 'Volumes to mount. A Volume with accessMode ReadWriteOnce needs replicas <= 1.', mapKeys: ['name'], maxItems: 32 },
    ),
    networks: array(
      object(
        {
          name: string({
            description: "Names the interface (its name in the instances' pods, so at most 15 characters).",
            maxLength: 15,
            pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
          }),
          network: objectName('The Network to attach to.'),
        },
        { name: 'AppNetworkInterface', required: ['name', 'network'] },
      ),
      {
        description:
          "Interfaces on secondary Networks (besides the pod network), as a VirtualMachine's networks. The App gets a pool of addresses from each Network's allocator (one per instance and interface plus the rollout's surge) and each interface one address from its pool.",
        mapKeys: ['name'],
        maxItems: 8,
      },
    ),
    dependsOn: array(
      object({ kind: dependencyKind, name: objectName('The dependency, in the same namespace.') }, { name: 'Dependency', required: ['kind', 'name'] }),
      { description: 'Objects that must be Ready before the App starts.', mapKeys: ['kind', 'name'], maxItems: 32 },
    ),
  },
  {
    name: 'AppSpec',
    required: ['image'],
    rules: [
      rule(
        '!has(self.env) || self.env.all(e, !has(e.dependency) || (has(self.dependsOn) && self.dependsOn.exists(d, d.kind == e.dependency.kind && d.name == e.dependency.name)))',
        'env[].dependency must name an entry of dependsOn',
        { fieldPath: '.env' },
      ),
    ],
  },
);

const status = object(
  {
    observedGeneration: observedGeneration(),
    conditions: conditions(),
    replicas: integer({ description: 'Instances that exist.' }),
    readyReplicas: integer({ description: 'Instances that are ready.' }),
    updatedReplicas: integer({ description: 'Instances running the current spec.' }),
    availableReplicas: integer({ description: 'Instances available to serve.' }),
    selector: string({ description: 'The label selector of the instances, for the scale subresource.' }),
    address: string({ description: 'How to reach the App: host:port of its Service.' }),
    url: string({ description: 'The URL of the first port (http).' }),
    dependencies: array(
      object({ kind: string(), name: string(), ready: boolean(), address: string() }, { name: 'DependencyStatus', required: ['kind', 'name', 'ready'] }),
      { description: 'Each dependency and whether it is ready.' },
    ),
    networks: networkPools(),
  },
  { name: 'AppStatus' },
);

export const app: KindDefinition = {
  kind: 'App',
  plural: 'apps',
  singular: 'app',
  shortNames: ['sapp'],
  categories: ['stratus'],
  description: 'An application: an image run as a scalable, reachable service.',
  spec,
  status,
  printerColumns: [
    readyColumn,
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
    { name: 'Address', type: 'string', jsonPath: '.status.address' },
    { name: 'Image', type: 'string', jsonPath: '.spec.image', priority: 1 },
    ageColumn,
  ],
  scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  references: [
    { path: 'spec.env[].secretKeyRef.name', target: secrets },
    { path: 'spec.env[].configMapKeyRef.name', target: configMaps },
    { path: 'spec.volumes[].name', target: volumes },
    { path: 'spec.networks[].network', target: networks },
    { path: 'spec.dependsOn[kind=VirtualMachine].name', target: virtualMachines },
    { path: 'spec.dependsOn[kind=Volume].name', target: volumes },
    { path: 'spec.dependsOn[kind=App].name', target: apps },
  ],
};
