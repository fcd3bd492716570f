// What a kind definition states besides its schema: names, columns, subresources.
import type { Rule, Schema } from './builder.js';

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

/** What a reference names: a resource the requester must be allowed to `get`. */
export interface ReferenceTarget {
  group: string;
  resource: string;
  namespaced: boolean;
}

/** A field naming another object in the same namespace (or a cluster-scoped one). */
export interface Reference {
  /** The field holding the name, e.g. spec.env[].secretKeyRef.name (see pkg/api/admission/reference-path.ts). */
  path: string;
  target: ReferenceTarget;
}

/** A field naming an object of any kind: an apiVersion, kind and name (the Scaler's metric objects). */
export interface TypedReference {
  /** The object holding apiVersion, kind and name, e.g. spec.metrics[].object.describedObject. */
  path: string;
  /** The apiVersion when the reference leaves it out. */
  defaultApiVersion: string;
  /** Also needs permission to change the object (a scale target): update on it or on its scale subresource. */
  scales?: boolean;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  description: string;
  spec: Schema;
  /** Absent for kinds without status (no status subresource). */
  status?: Schema;
  /** Rules on the whole spec (cross-field and transition rules). */
  specRules?: Rule[];
  printerColumns: PrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath: string };
  /** Kinds Stratus keeps for itself; not meant to be written by users. */
  internal?: boolean;
  /** Default Namespaced. */
  scope?: 'Namespaced' | 'Cluster';
  /**
   * Fields that make the controllers read or use another object: admission
   * refuses a new reference the requester may not `get` themselves.
   */
  references?: Reference[];
  typedReferences?: TypedReference[];
}

export const readyColumn: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Whether the object matches its spec',
};

export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
