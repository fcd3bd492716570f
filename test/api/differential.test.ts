// The offline validator against the real apiserver: every manifest of the
// corpus goes through both (server dry run with strict field validation);
// the verdicts and the field paths must agree.
import { ApiError } from '../../pkg/runtime/client/api-error.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import { resourcePath } from '../../pkg/meta/resource.js';
import { stratusKinds } from '../../pkg/api/resources.js';
import { validateObject } from '../../pkg/api/validation/validate-object.js';
import type { KubeObject } from '../../pkg/meta/object.js';
import { createNamespace, deleteNamespace, testClient } from '../support/kube.js';
import { cases, type Case } from './corpus.js';

let client: Client;
let ns: string;

beforeAll(async () => {
  client = testClient();
  ns = await createNamespace(client, 'validation');
});
afterAll(async () => {
  await deleteNamespace(client, ns);
  client.rest.close();
});

function typeOf(o: KubeObject) {
  const type = stratusKinds.find((k) => k.kind === o.kind);
  if (!type) throw new Error(`no type for ${o.kind}`);
  return type;
}

/** The field paths the apiserver rejects an object with ([] when it accepts it). */
async function serverPaths(c: Case, index: number): Promise<string[]> {
  const name = c.keepName ? c.object.metadata.name! : `case-${index}`;
  const object = { ...c.object, metadata: { ...c.object.metadata, name, namespace: ns } };
  const type = typeOf(object);
  const query = { dryRun: 'All', fieldValidation: 'Strict' };
  try {
    if (c.old) {
      const created = await client.create(type, { ...c.old, metadata: { ...c.old.metadata, name, namespace: ns } });
      object.metadata = { ...object.metadata, resourceVersion: created.metadata.resourceVersion };
      await client.rest.request('PUT', resourcePath(type, ns, name), { body: object, query });
    } else {
      await client.rest.request('POST', resourcePath(type, ns), { body: object, query });
    }
    return [];
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // A rule on the object itself has an empty field path.
    const causes = (err.body.details?.causes ?? []).map((cause) => cause.field ?? '');
    if (err.status === 422 && causes.length) return causes;
    // Strict decoding answers 400 with the unknown fields in the message.
    return [...(err.body.message ?? '').matchAll(/unknown field "([^"]+)"/g)].map((m) => m[1]!);
  }
}

function offlinePaths(c: Case): string[] {
  return validateObject(c.object, c.old).errors.map((e) => e.path);
}

const sorted = (paths: string[]) => [...new Set(paths)].sort();

describe('offline validation agrees with the apiserver', () => {
  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s', async (_, c, i) => {
    const server = sorted(await serverPaths(c, i));
    expect(server).toEqual(sorted(c.expect));
    expect(sorted(offlinePaths(c))).toEqual(server);
  });
});
