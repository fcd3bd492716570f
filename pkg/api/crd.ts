// Turns a kind definition into its CustomResourceDefinition.
import { group, version } from './schema/common.js';
import type { KindDefinition } from './schema/kind.js';
import type { Schema } from './schema/builder.js';

/** The schema without the TypeScript-only annotations. */
export function crdSchema(schema: Schema): Schema {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'tsName') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, crdSchema(v)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = crdSchema(value as Schema);
    } else out[key] = value;
  }
  return out as Schema;
}

/** The object's full schema: apiVersion, kind, metadata, spec (with its cross-field rules) and status. */
export function objectSchema(def: KindDefinition): Schema {
  const spec: Schema = { ...def.spec };
  if (def.specRules?.length) spec['x-kubernetes-validations'] = [...(spec['x-kubernetes-validations'] ?? []), ...def.specRules];
  const properties: Record<string, Schema> = {
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: { type: 'object' },
    spec,
  };
  // An object the controller has not reported on yet reads as "generation
  // not observed" (kstatus: InProgress), not as a status-less kind that is
  // current once it exists; the default is applied on every read, nothing is
  // stored. So the first status need not be written in haste.
  if (def.status) properties.status = def.status.properties?.observedGeneration ? { ...def.status, default: { observedGeneration: 0 } } : def.status;
  return crdSchema({
    type: 'object',
    description: def.description,
    required: ['spec'],
    properties,
    'x-kubernetes-validations': [
      def.nameLimit
        ? { rule: `self.metadata.name.size() <= ${def.nameLimit.maxLength}`, message: `metadata.name may have at most ${def.nameLimit.maxLength} characters: ${def.nameLimit.why}` }
        : { rule: 'self.metadata.name.size() <= 63', message: 'metadata.name may have at most 63 characters: Stratus puts it in label values' },
    ],
  });
}

export function crdName(def: KindDefinition): string {
  return `${def.plural}.${group}`;
}

export function customResourceDefinition(def: KindDefinition): Record<string, unknown> {
  const subresources: Record<string, unknown> = {};
  if (def.status) subresources.status = {};
  if (def.scale) subresources.scale = def.scale;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(def), labels: { 'app.kubernetes.io/part-of': 'stratus' } },
    spec: {
      group,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.singular,
        shortNames: def.shortNames,
        categories: def.categories,
      },
      scope: def.scope ?? 'Namespaced',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          ...(Object.keys(subresources).length ? { subresources } : {}),
          additionalPrinterColumns: def.printerColumns,
          schema: { openAPIV3Schema: objectSchema(def) },
        },
      ],
    },
  };
}
