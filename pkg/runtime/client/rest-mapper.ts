// Maps apiVersion + kind to the resource serving it, from the apiserver's
// discovery documents (the aggregated v2 form: one request for all groups).
// A miss refreshes discovery (at most once every few seconds), so kinds
// whose CRDs appear later are found.
import type { RestClient } from './rest-client.js';
import type { ResourceType } from '../../meta/resource.js';

interface DiscoveryV2 {
  items: {
    metadata: { name: string };
    versions: {
      version: string;
      resources: { resource: string; responseKind?: { kind?: string }; scope: 'Namespaced' | 'Cluster'; subresources?: { subresource: string }[] }[];
    }[];
  }[];
}

const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const refreshMinIntervalMs = 5_000;

export class NoKindMatchError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`no resource serves kind ${kind} in ${apiVersion}: is its CRD installed?`);
    this.name = 'NoKindMatchError';
  }
}

export interface MappedResource extends ResourceType {
  /** Subresources the resource has (status, scale, …). */
  subresources: string[];
}

export class RestMapper {
  private mappings = new Map<string, MappedResource>();
  private lastRefresh = 0;
  private refreshing?: Promise<void>;

  constructor(private readonly rest: RestClient) {}

  private static key(apiVersion: string, kind: string): string {
    return `${apiVersion}/${kind}`;
  }

  private async fetch(path: string): Promise<DiscoveryV2> {
    return this.rest.requestWithHeaders<DiscoveryV2>('GET', path, { Accept: accept });
  }

  async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const next = new Map<string, MappedResource>();
        for (const path of ['/api', '/apis']) {
          const doc = await this.fetch(path);
          for (const group of doc.items ?? []) {
            const groupName = group.metadata.name ?? '';
            for (const v of group.versions) {
              for (const r of v.resources) {
                const kind = r.responseKind?.kind;
                if (!kind || r.resource.includes('/')) continue;
                const apiVersion = groupName ? `${groupName}/${v.version}` : v.version;
                const key = RestMapper.key(apiVersion, kind);
                if (next.has(key)) continue;
                next.set(key, {
                  group: groupName,
                  version: v.version,
                  resource: r.resource,
                  kind,
                  namespaced: r.scope === 'Namespaced',
                  subresources: (r.subresources ?? []).map((s) => s.subresource),
                });
              }
            }
          }
        }
        this.mappings = next;
        this.lastRefresh = Date.now();
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** The resource for apiVersion + kind; throws NoKindMatchError when the apiserver serves none. */
  async resourceFor(apiVersion: string, kind: string): Promise<MappedResource> {
    const key = RestMapper.key(apiVersion, kind);
    let found = this.mappings.get(key);
    if (!found && Date.now() - this.lastRefresh > refreshMinIntervalMs) {
      await this.refresh();
      found = this.mappings.get(key);
    }
    if (!found) throw new NoKindMatchError(apiVersion, kind);
    return found;
  }
}
