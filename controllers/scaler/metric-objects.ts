// Which objects an Object or External metric may read. Admission checked
// that the Scaler's author may get the object, naming its resource by the
// apiserver's guess from the kind (lowercase, then -s/-es/-ies; see
// pkg/api/admission/typed-reference-policy.ts); a kind served under another
// resource name was therefore not checked, and is not read. Secrets are
// never read: they hold credentials, not metrics (the CRD refuses them too).
import type { ResourceType } from '../../pkg/meta/resource.js';
import { parseApiVersion } from '../../pkg/meta/resource.js';
import { NoKindMatchError, type RestMapper } from '../../pkg/runtime/client/rest-mapper.js';

/** The resource Kubernetes' UnsafeGuessKindToResource names for a kind. */
export function guessedResource(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

export type MetricObjectType = { type: ResourceType } | { refused: string };

export async function metricObjectType(mapper: RestMapper, apiVersion: string, kind: string): Promise<MetricObjectType> {
  if (kind === 'Secret' && parseApiVersion(apiVersion).group === '') return { refused: 'Secrets are not read as metrics' };
  let type: ResourceType;
  try {
    type = await mapper.resourceFor(apiVersion, kind);
  } catch (err) {
    if (err instanceof NoKindMatchError) return { refused: err.message };
    throw err;
  }
  const guess = guessedResource(kind);
  if (type.resource !== guess) {
    return { refused: `kind ${kind} is served as resource ${type.resource}, not ${guess}, so admission could not check who may read it; it is not read as a metric` };
  }
  return { type };
}
