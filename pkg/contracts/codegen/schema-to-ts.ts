// An upstream CRD schema as TypeScript, through json-schema-to-typescript.
// CRD schemas are OpenAPI with Kubernetes extensions, so they are first
// brought into what the library reads: int-or-string becomes `number |
// string`, preserve-unknown-fields an open record, an object with no fields
// `Record<string, never>`, nested `metadata` Stratus's ObjectMeta, and the
// validation-only combinators (anyOf, oneOf, allOf, not) go: a structural
// schema may not declare types in them.
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { deepEqual } from '../../util/equality.js';

export type Schema = JSONSchema & Record<string, unknown>;

/** A named type other kinds may refer to: its schema (without descriptions) and where it is exported. */
export interface SharedType {
  schema: Schema;
  importPath: string;
}

const combinators = ['anyOf', 'oneOf', 'allOf', 'not'];

function withoutDescriptions(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(withoutDescriptions);
  if (s && typeof s === 'object') {
    return Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'description').map(([k, v]) => [k, withoutDescriptions(v)]));
  }
  return s;
}

function normalize(schema: Schema, key: string): Schema {
  const s: Schema = Object.fromEntries(Object.entries(schema).filter(([k]) => !combinators.includes(k)));
  if (s['x-kubernetes-int-or-string']) return { ...s, type: undefined, tsType: 'number | string' };
  if (s.properties) {
    s.properties = Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, normalize(v, k)]));
    if (s['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = true;
  } else if (s.type === 'object' && typeof s.additionalProperties === 'object') {
    s.additionalProperties = normalize(s.additionalProperties as Schema, '');
  } else if (s.type === 'object' && !s.additionalProperties) {
    if (key === 'metadata') s.tsType = 'ObjectMeta';
    else s.tsType = s['x-kubernetes-preserve-unknown-fields'] ? 'Record<string, unknown>' : 'Record<string, never>';
  }
  if (s.items && !Array.isArray(s.items)) s.items = normalize(s.items as Schema, '');
  return s;
}

/** The sub-schema at a path like `spec.template.spec` or `spec.dataVolumeTemplates[].spec`, for in-place edits. */
function at(root: Schema, path: string): Schema | undefined {
  let s: Schema | undefined = root;
  for (const part of path.split('.')) {
    const list = part.endsWith('[]');
    s = (s?.properties as Record<string, Schema> | undefined)?.[list ? part.slice(0, -2) : part];
    if (list) s = s?.items as Schema | undefined;
  }
  return s;
}

export interface KindTypes {
  source: string;
  /** The named types this file exports, for later kinds' refs. */
  exported: Map<string, Schema>;
  /** The refs that matched, by name. */
  referenced: Set<string>;
}

export async function kindTypes(
  kind: string,
  openApi: Schema,
  o: { named?: Record<string, string>; refs?: Record<string, string>; shared: Map<string, SharedType> },
): Promise<KindTypes> {
  const root = normalize(structuredClone(openApi), '');
  // apiVersion, kind and metadata come from KubeObject, which the root extends.
  const properties = { ...(root.properties as Record<string, Schema>) };
  delete properties.apiVersion;
  delete properties.kind;
  delete properties.metadata;
  root.properties = properties;
  root.additionalProperties = false;

  // Named types are compared in full, so their schemas are taken before refs shorten them.
  const exported = new Map<string, Schema>();
  for (const [path, name] of Object.entries(o.named ?? {})) {
    const target = at(root, path);
    if (!target) throw new Error(`${kind}: no schema at ${path} to name ${name}`);
    exported.set(name, withoutDescriptions(target) as Schema);
  }
  const referenced = new Set<string>();
  for (const [path, name] of Object.entries(o.refs ?? {})) {
    const target = at(root, path);
    const shared = o.shared.get(name);
    if (!target || !shared || !deepEqual(withoutDescriptions(target), shared.schema)) continue;
    for (const k of Object.keys(target)) delete target[k];
    target.tsType = name;
    referenced.add(name);
  }
  for (const [path, name] of Object.entries(o.named ?? {})) at(root, path)!.title = name;
  const source = await compile(root, kind, {
    bannerComment: '',
    additionalProperties: false,
    declareExternallyReferenced: true,
    // Bounds would become tuple unions (maxItems 256: 257 tuples); the apiserver enforces them.
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: false,
    unknownAny: true,
    format: true,
    style: { singleQuote: true, printWidth: 160, bracketSpacing: true, trailingComma: 'all' },
  });
  return { source: source.replace(`export interface ${kind} {`, `export interface ${kind} extends KubeObject {`), exported, referenced };
}
