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
  /** What the requester must be allowed to do to the named object (default get; update where Stratus writes over it, as a restore in place does). */
  verb?: 'get' | 'update';
}

/**
 * A field that, once set or changed, has the controllers act on objects of a
 * resource in the namespace that the field does not name one by one: a label
 * selector (every object it matches: the requester needs list), or objects
 * Stratus makes on the requester's behalf (create).
 */
export interface ScopeReference {
  path: string;
  target: ReferenceTarget;
  verb: 'list' | 'create';
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
  /** A tighter limit on metadata.name than the 63 characters of a label value every kind has, and why. */
  nameLimit?: { maxLength: number; why: string };
  scopeReferences?: ScopeReference[];
}

export const readyColumn: PrinterColumn = {
  name: 'Ready',
  type: 'string',
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  description: 'Whether the object matches its spec',
};

export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
