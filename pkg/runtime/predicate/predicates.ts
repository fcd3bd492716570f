// Predicates filter informer events before they reach the queue: an event
// passes a watch when all of its predicates pass (Controller.watch); `or`
// combines them the other way. The update predicates below let adds and
// deletes through.
import type { InformerEvent } from '../cache/informer.js';
import type { KubeObject } from '../../meta/object.js';

export type Predicate<T extends KubeObject = KubeObject> = (event: InformerEvent<T>) => boolean;

function updateOnly(test: (old: KubeObject, obj: KubeObject) => boolean): Predicate {
  return (event) => event.type !== 'update' || test(event.old, event.obj);
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export const generationChanged = updateOnly((o, n) => o.metadata.generation !== n.metadata.generation);
export const labelsChanged = updateOnly((o, n) => !sameJson(o.metadata.labels, n.metadata.labels));
export const annotationsChanged = updateOnly((o, n) => !sameJson(o.metadata.annotations, n.metadata.annotations));
export const finalizersChanged = updateOnly((o, n) => !sameJson(o.metadata.finalizers, n.metadata.finalizers));
export const deletionStarted = updateOnly((o, n) => !o.metadata.deletionTimestamp && !!n.metadata.deletionTimestamp);

/** Passes when any of the predicates passes. */
export function or(...predicates: Predicate[]): Predicate {
  return (event) => predicates.some((p) => p(event));
}

/**
 * The default for a controller's own kind: anything but a status-only change,
 * so a controller's own status write does not wake it again.
 */
export const specOrMetadataChanged: Predicate = or(
  generationChanged,
  labelsChanged,
  annotationsChanged,
  finalizersChanged,
  deletionStarted,
);
