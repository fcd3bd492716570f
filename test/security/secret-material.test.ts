// No secret material leaves through Stratus: a Prometheus credential goes to
// the server it is meant for and nowhere else (not to a server the cluster's
// settings do not allow, not along a redirect), and no status, event or log
// line repeats a Secret-shaped value — neither a credential nor a field a
// metric could not parse, nor what an unexpected server answered.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Scalers } from '../../pkg/api/resources.js';
import type { Scaler } from '../../pkg/api/types.generated.js';
import { settingsName } from '../../pkg/api/settings.js';
import { startOperator, type RunningOperator } from '../../pkg/cli/operator.js';
import { ConfigMaps, CoreEvents, Deployments, Events, Secrets } from '../../pkg/kube/resources.js';
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { findCondition } from '../../pkg/runtime/conditions/conditions.js';
import { createLogger } from '../../pkg/runtime/log/logger.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, eventually, testClient, testKubeConfig } from '../support/kube.js';

const token = 'glpat-7Hq2xK9mVb4Rz8LwN3sYtE6u';
const password = 'S3cr3t-Pa55w0rd-9f8e7d6c5b4a';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

class FakeServer {
  readonly seen: Seen[] = [];
  private server?: Server;
  constructor(private readonly answer: (res: import('node:http').ServerResponse, headers: IncomingHttpHeaders) => void) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.seen.push({ path: req.url ?? '', headers: req.headers });
      this.answer(res, req.headers);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }
  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const vector = (value: string) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [Date.now() / 1000, value] }] } });
const prometheus = new FakeServer((res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(vector('3')));
const elsewhere = new FakeServer((res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(vector('3')));
const redirecting = new FakeServer((res) => res.writeHead(302, { Location: `${elsewhere.url}/api/v1/query?query=up` }).end());
// A server that is not Prometheus and says back what it was sent.
const echoing = new FakeServer((res, headers) => res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`bad request from ${headers.authorization ?? ''}`));

let admin: Client;
let ns: string;
let operator: RunningOperator;
const logs: string[] = [];

beforeAll(async () => {
  for (const s of [prometheus, elsewhere, redirecting, echoing]) await s.start();
  admin = testClient();
  ns = await createNamespace(admin, 'secrets');
  await admin.create(ConfigMaps, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: settingsName, namespace: ns },
    data: { 'prometheus.allowedServers': [prometheus.url, redirecting.url, echoing.url].join(',') },
  } as KubeObject);
  await admin.create(Secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prom-auth', namespace: ns }, stringData: { bearerToken: token } } as KubeObject);
  await admin.create(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'leaky', namespace: ns }, data: { password } } as KubeObject);
  await admin.create(Deployments, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  } as KubeObject);
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  operator = await startOperator({ kubeConfig: testKubeConfig(), namespace: ns, settingsNamespace: ns, logger: createLogger({ level: 'debug', format: 'json', stream }) });
  await operator.manager.cache.waitForSync();
});
afterAll(async () => {
  await operator?.stop();
  await admin.deleteIfExists(PolicyBindings, undefined, `${ns}-prometheus-servers`);
  await deleteNamespace(admin, ns);
  admin.rest.close();
  for (const s of [prometheus, elsewhere, redirecting, echoing]) await s.stop();
});

const PolicyBindings = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false };

function scaler(name: string, metric: Record<string, unknown>): Scaler {
  return {
    apiVersion: 'stratus.dev/v1alpha1',
    kind: 'Scaler',
    metadata: { name, namespace: ns },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, pollingIntervalSeconds: 1, metrics: [metric] } as unknown as Scaler['spec'],
  };
}
const prometheusMetric = (serverAddress: string) => ({ type: 'Prometheus', prometheus: { serverAddress, query: 'queue_depth', threshold: '10', authSecretRef: { name: 'prom-auth' } } });

/** The Scaler once its ScalingActive condition says `pattern`. */
async function settled(name: string, pattern: RegExp): Promise<Scaler> {
  return eventually(async () => {
    const s = await admin.get<Scaler>(Scalers, ns, name);
    const active = findCondition(s.status?.conditions, 'ScalingActive');
    return !!active && pattern.test(`${active.status} ${active.reason} ${active.message}`) && s;
  }, 30_000, `Scaler ${name}: ${pattern}`);
}

it('sends the credential to the allowed server, with the query', async () => {
  await admin.create(Scalers, scaler('to-prometheus', prometheusMetric(prometheus.url)));
  await settled('to-prometheus', /^True /);
  expect(prometheus.seen.length).toBeGreaterThan(0);
  for (const s of prometheus.seen) {
    expect(s.headers.authorization).toBe(`Bearer ${token}`);
    expect(s.path).toBe('/api/v1/query?query=queue_depth');
  }
});

it('queries no server the settings do not allow, and follows no redirect with the credential', async () => {
  await admin.create(Scalers, scaler('to-elsewhere', prometheusMetric(elsewhere.url)));
  await admin.create(Scalers, scaler('via-redirect', prometheusMetric(redirecting.url)));
  const refused = await settled('to-elsewhere', /^False .* is not among the servers this cluster allows/);
  expect(findCondition(refused.status?.conditions, 'ScalingActive')!.message).toContain(`prometheus server ${elsewhere.url}`);
  await settled('via-redirect', /answered with a redirect \(HTTP 302\), which is not followed/);
  // Both poll every second: three redirects answered means both were evaluated again since.
  await eventually(async () => redirecting.seen.length >= 3, 30_000, 'three evaluations');
  expect(redirecting.seen.every((s) => s.headers.authorization === `Bearer ${token}`)).toBe(true);
  expect(elsewhere.seen).toEqual([]);
});

it('refuses a server the settings do not allow at admission, where a binding reads those settings', async () => {
  // The shipped binding reads stratus-system/stratus-settings; this one reads the test's own.
  await admin.create(PolicyBindings, {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: `${ns}-prometheus-servers` },
    spec: {
      policyName: 'stratus.dev-scalers-prometheus-servers',
      validationActions: ['Deny'],
      paramRef: { name: settingsName, namespace: ns, parameterNotFoundAction: 'Allow' },
      matchResources: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } },
    },
  } as KubeObject);
  const err = await eventually(
    async () => {
      const e = await admin.create(Scalers, scaler('refused', prometheusMetric(elsewhere.url)), { dryRun: true }).catch((x: unknown) => x as ApiError);
      return e instanceof ApiError && e;
    },
    10_000,
    'the binding in force',
  );
  const origin = `${elsewhere.url}`;
  expect(err.body.message).toContain(`spec.metrics[0].prometheus.serverAddress: ${origin} is not among the Prometheus servers this cluster allows`);
  // An existing Scaler naming it can still be edited (the server is not new to it).
  const existing = await admin.get<Scaler>(Scalers, ns, 'to-elsewhere');
  expect(await admin.update(Scalers, { ...existing, spec: { ...existing.spec, maxReplicas: 4 } }).then(() => 'updated')).toBe('updated');
});

it('says what an unparsable field holds and what an unexpected server answered, never their content', async () => {
  await admin.create(Scalers, scaler('echo', prometheusMetric(echoing.url)));
  await admin.create(
    Scalers,
    scaler('leaky-field', { type: 'Object', object: { describedObject: { kind: 'ConfigMap', name: 'leaky' }, metric: { name: 'x' }, fieldPath: '.data.password', target: { type: 'Value', value: '1' } } }),
  );
  const echo = await settled('echo', /answered HTTP 500 with a body that is not a Prometheus API response/);
  expect(echoing.seen[0]?.headers.authorization).toBe(`Bearer ${token}`);
  const field = await settled('leaky-field', new RegExp(`field \\.data\\.password holds a string of ${password.length} characters, not a number`));
  expect(JSON.stringify([echo.status, field.status])).not.toContain(token);
});

it('puts no secret value in any status, event or log line', async () => {
  const statuses = (await admin.list<Scaler>(Scalers, { namespace: ns })).items.map((s) => JSON.stringify(s.status));
  const events = [...(await admin.list(Events, { namespace: ns })).items, ...(await admin.list(CoreEvents, { namespace: ns })).items].map((e) => JSON.stringify(e));
  expect(statuses.length).toBe(5);
  expect(logs.length).toBeGreaterThan(0);
  const secrets = [token, password, Buffer.from(token).toString('base64'), Buffer.from(password).toString('base64')];
  for (const text of [...statuses, ...events, ...logs]) {
    for (const secret of secrets) {
      // Any 8 characters in a row of a secret would be a leak.
      for (let i = 0; i + 8 <= secret.length; i++) expect(text).not.toContain(secret.slice(i, i + 8));
    }
  }
});
