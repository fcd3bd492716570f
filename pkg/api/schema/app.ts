// App: an image run as a scalable service, in immutable revisions (a
// Deployment and a Service each), reachable through the platform's Gateway
// (an HTTPRoute) with traffic split between revisions.
import { array, boolean, enumOf, integer, label, map, object, quantity, rule, string } from './builder.js';
import { conditions, networkPools, objectName, observedGeneration, portNumber, protocol, secretKeyRef } from './common.js';
import { ageColumn, readyColumn, type KindDefinition } from './kind.js';
import { apps, clusterIssuers, configMaps, issuers, networks, secrets, virtualMachines, volumes } from './reference-targets.js';

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

/** A hostname as Gateway API takes it, without a wildcard. */
const hostname = string({
  description: 'A hostname (RFC 1123; no wildcard, no IP address).',
  minLength: 1,
  maxLength: 253,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
});

const routePath = string({
  description: 'A path prefix, e.g. /api: matches /api and /api/…, not /apis.',
  maxLength: 1024,
  pattern: "^/(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*$",
  rules: [
    rule(
      "!self.contains('//') && !self.contains('/./') && !self.contains('/../') && !self.lowerAscii().contains('%2f') && !self.endsWith('/.') && !self.endsWith('/..')",
      "must not contain '//', '/./', '/../' or '%2f', nor end in '/.' or '/..' (as an HTTPRoute path match)",
    ),
  ],
});

const tls = object(
  {
    secretName: objectName('A Secret of type kubernetes.io/tls in the same namespace holding the certificate and key for the hostnames.'),
    issuer: object(
      {
        kind: enumOf(['Issuer', 'ClusterIssuer'], { description: 'Issuer: in the same namespace; ClusterIssuer: cluster-wide.', default: 'Issuer' }),
        name: objectName('The issuer.'),
      },
      { name: 'CertificateIssuerReference', description: 'A cert-manager issuer that issues the certificate into the Secret <app>-tls.', required: ['name'] },
    ),
  },
  {
    name: 'AppTls',
    description: "HTTPS for the route's hostnames, terminated by the Gateway on listeners of the App's own (a ListenerSet).",
    rules: [rule('has(self.secretName) != has(self.issuer)', 'set exactly one of secretName and issuer')],
  },
);

const route = object(
  {
    hostnames: array(hostname, { description: 'Hostnames the App answers on.', minItems: 1, maxItems: 16, listType: 'set' }),
    paths: array(routePath, { description: 'Path prefixes routed to the App (default: /, everything).', maxItems: 16, listType: 'set' }),
    port: string({ description: 'The App port (spec.ports[].name) requests go to (default: the first).', maxLength: 15 }),
    gateway: label('The Gateway to attach to, among those the cluster offers (settings key routes.gateways; default: routes.defaultGateway).'),
    tls,
  },
  {
    name: 'AppRoute',
    description: "How the App is reached from outside the cluster: an HTTPRoute on the platform's Gateway (Gateway API), one more per traffic tag.",
    required: ['hostnames'],
  },
);

const trafficTarget = object(
  {
    revision: objectName('A revision of this App, e.g. web-00002 (status.revisions lists them).'),
    latestRevision: boolean({ description: 'The latest revision: the newest created, once its instances are ready.' }),
    percent: integer({ description: 'Share of the requests, 0-100 (default 0: reachable only through its tag).', minimum: 0, maximum: 100 }),
    tag: string({
      description: 'Gives the target a URL of its own: <tag>-<hostname> for each route hostname (e.g. canary-shop.example.com).',
      maxLength: 20,
      pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
    }),
  },
  {
    name: 'TrafficTarget',
    rules: [rule('has(self.revision) != (has(self.latestRevision) && self.latestRevision)', 'set exactly one of revision and latestRevision: true')],
  },
);

const revisionHistory = object(
  {
    limit: integer({ description: 'Retired revisions kept for rollback (those taking no traffic), newest first.', minimum: 0, maximum: 1000, default: 10 }),
    maxAgeSeconds: integer({ description: 'Retired revisions created longer ago than this are deleted (default: no age limit).', minimum: 60 }),
  },
  { name: 'RevisionHistory', description: 'Which old revisions are kept. A revision taking traffic, the latest and a tagged one are always kept.' },
);

const rollout = object(
  {
    steps: array(
      object(
        {
          percent: integer({ description: "The new revision's share of the latest revision's traffic during this step.", minimum: 1, maximum: 99 }),
          pauseSeconds: integer({ description: 'How long the step holds before the next.', minimum: 0, maximum: 86400, default: 60 }),
        },
        { name: 'RolloutStep', required: ['percent'] },
      ),
      { description: 'Steps of growing share; after the last, the new revision takes it all.', minItems: 1, maxItems: 10, rules: [rule('self.map(s, s.percent).isSorted()', 'steps must not lower the percent')] },
    ),
  },
  {
    name: 'AppRollout',
    description:
      'Moves the latest revision\'s traffic to a new revision in steps instead of at once. An instance of the new revision failing (a failing container, an instance that cannot be scheduled, an instance no longer ready) halts the rollout and moves the traffic back.',
    required: ['steps'],
  },
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
    route,
    traffic: array(trafficTarget, {
      description:
        'How requests are split between revisions (default: all to the latest revision). Traffic moves to a revision once its instances are ready. Rollback: point it at a previous revision.',
      maxItems: 16,
      rules: [
        rule('self.map(t, has(t.percent) ? t.percent : 0).sum() == 100', 'the percents must add up to 100'),
        rule('self.all(t, !has(t.tag) || self.exists_one(u, has(u.tag) && u.tag == t.tag))', 'each tag may appear once'),
      ],
    }),
    revisionHistory,
    rollout,
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
      rule('!has(self.route) || (has(self.ports) && size(self.ports) > 0)', 'a route needs a port to send requests to (spec.ports)', { fieldPath: '.route' }),
      rule('!has(self.route) || !has(self.route.port) || (has(self.ports) && self.ports.exists(p, p.name == self.route.port))', 'must name one of spec.ports', {
        fieldPath: '.route.port',
      }),
      rule('!has(self.traffic) || !self.traffic.exists(t, has(t.tag)) || has(self.route)', 'a tag gives a URL, so it needs spec.route', { fieldPath: '.traffic' }),
      rule(
        '!has(self.route) || !has(self.traffic) || self.traffic.all(t, !has(t.tag) || self.route.hostnames.all(h, size(t.tag) + size(h.split(\'.\')[0]) < 63))',
        'a tag and the first label of each hostname make a label of the tag\'s hostname (<tag>-<hostname>), which may have at most 63 characters',
        { fieldPath: '.traffic' },
      ),
      rule(
        '!has(self.route) || !has(self.route.tls) || size(self.route.hostnames) * (1 + (has(self.traffic) ? self.traffic.filter(t, has(t.tag)).size() : 0)) <= 64',
        "with tls, each hostname and each tag's hostname gets an HTTPS listener, and the App's ListenerSet holds at most 64",
        { fieldPath: '.route.tls' },
      ),
      rule('!has(self.rollout) || !has(self.traffic) || self.traffic.exists(t, has(t.latestRevision) && t.latestRevision && has(t.percent) && t.percent > 0)', 'a rollout moves the latest revision\'s traffic: spec.traffic must give the latest revision a share', {
        fieldPath: '.rollout',
      }),
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
    address: string({ description: 'How to reach the App inside the cluster: host:port of its Service.' }),
    url: string({ description: "The App's URL: its route's first, or else its Service's (http, first port)." }),
    latestCreatedRevision: string({ description: 'The newest revision.' }),
    latestReadyRevision: string({ description: 'The newest revision whose instances have all been ready.' }),
    revisions: array(
      object(
        {
          name: string({ description: 'The revision: <app>-<number>, its Deployment (and Service) too.' }),
          image: string({ description: 'The image it runs.' }),
          created: string({ description: 'When it was created.', format: 'date-time' }),
          ready: boolean({ description: 'Whether its instances have all been ready (a retired revision keeps the answer).' }),
          replicas: integer({ description: 'Instances it is given: its share of spec.replicas.' }),
          percent: integer({ description: 'Its share of the requests now.' }),
        },
        { name: 'RevisionStatus', required: ['name', 'created', 'ready', 'replicas'] },
      ),
      { description: 'The revisions kept, newest first.' },
    ),
    traffic: array(
      object(
        {
          revision: string({ description: 'The revision serving the share.' }),
          latestRevision: boolean({ description: 'Set when the entry follows the latest revision.' }),
          percent: integer({ description: 'Share of the requests.' }),
          tag: string({ description: 'The tag.' }),
          url: string({ description: "The tag's URL." }),
        },
        { name: 'TrafficStatus', required: ['revision'] },
      ),
      { description: 'How requests are split now: spec.traffic once its revisions are ready (and, with a rollout, its current step).' },
    ),
    route: object(
      {
        gateway: string({ description: 'The Gateway the routes attach to: namespace/name.' }),
        urls: array(string(), { description: "The route's URLs, one per hostname." }),
      },
      { name: 'RouteStatus' },
    ),
    rollout: object(
      {
        revision: string({ description: 'The revision taking over.' }),
        from: string({ description: 'The revision it takes over from.' }),
        step: integer({ description: 'The current step of spec.rollout.steps (0-based).' }),
        stepStartedAt: string({ description: 'When the current step began.', format: 'date-time' }),
        rolledBack: string({ description: 'Why the rollout was halted and the traffic moved back, if it was.' }),
      },
      { name: 'RolloutStatus', description: 'A progressive rollout in progress, or halted; absent once done.', required: ['revision', 'from', 'step'] },
    ),
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
  description: 'An application: an image run as a scalable, reachable service, in immutable revisions between which traffic is split.',
  spec,
  status,
  printerColumns: [
    readyColumn,
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Available', type: 'integer', jsonPath: '.status.availableReplicas' },
    { name: 'URL', type: 'string', jsonPath: '.status.url' },
    { name: 'Revision', type: 'string', jsonPath: '.status.latestReadyRevision', description: 'The newest ready revision' },
    { name: 'Address', type: 'string', jsonPath: '.status.address', priority: 1 },
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
    { path: 'spec.route.tls.secretName', target: secrets },
    { path: 'spec.route.tls.issuer(kind=Issuer).name', target: issuers },
    { path: 'spec.route.tls.issuer(kind=ClusterIssuer).name', target: clusterIssuers },
  ],
  nameLimit: { maxLength: 57, why: "Stratus puts it in label values and names the App's revisions <name>-00001" },
};
