// Writing the children a Stratus object owns: server-side apply under the
// `stratus` field manager, forcing only on objects this owner controls, and
// not at all when the child already says what we want.
//
// "Says what we want" is checked with containsSubset, which lets the child
// carry fields others set (defaults, webhooks) but so cannot see a field
// Stratus stopped stating (a command or a probe delay removed from the
// spec). The child therefore carries a hash of the last applied desired
// state: any change to it, removals included, differs there and is
// applied, and server-side apply then drops what Stratus no longer states.
import type { Cache } from '../../pkg/runtime/cache/cache.js';
import type { Client } from '../../pkg/runtime/client/client.js';
import type { ResourceType } from '../../pkg/meta/resource.js';
import { controllerReference, isControlledBy, type KubeObject } from '../../pkg/meta/object.js';
import { createHash } from 'node:crypto';
import { containsSubset } from '../../pkg/util/equality.js';
import { unseenWritesOf } from './unseen-writes.js';

/** On children: a hash of the desired state Stratus last applied. */
const appliedHashAnnotation = 'stratus.dev/applied-hash';

function desiredHash(desired: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(desired)).digest('hex').slice(0, 16);
}

/** A child exists under the wanted name but belongs to someone else. */
export class ChildConflictError extends Error {
  constructor(
    readonly child: { kind: string; name: string },
    readonly owner: { kind: string; name: string },
  ) {
    super(`${child.kind} ${child.name} already exists and is not managed by ${owner.kind} ${owner.name}; rename or delete it`);
    this.name = 'ChildConflictError';
  }
}

export interface ApplyChildResult<T> {
  object: T;
  /** Whether an API write happened. */
  written: boolean;
}

/**
 * Applies `desired` as a child of `owner`. The owner reference is added
 * here; an existing object that `owner` does not control is never touched.
 */
export async function applyChild<T extends KubeObject>(
  client: Client,
  cache: Cache,
  type: ResourceType,
  owner: KubeObject,
  desired: KubeObject,
): Promise<ApplyChildResult<T>> {
  const withOwner: KubeObject = {
    ...desired,
    metadata: {
      ...desired.metadata,
      annotations: { ...desired.metadata.annotations, [appliedHashAnnotation]: desiredHash(desired) },
      ownerReferences: [controllerReference(owner)],
    },
  };
  const existing = cache.get<T>(type, desired.metadata.namespace, desired.metadata.name!);
  if (existing) {
    if (!isControlledBy(existing, owner.metadata.uid)) {
      throw new ChildConflictError({ kind: type.kind, name: desired.metadata.name! }, { kind: owner.kind ?? '', name: owner.metadata.name! });
    }
    if (containsSubset(existing, withOwner)) return { object: existing, written: false };
  }
  const hash = withOwner.metadata.annotations![appliedHashAnnotation]!;
  const unseen = unseenWritesOf(cache);
  const written = unseen.unseen<T>(type, withOwner, hash);
  if (written) return { object: written, written: false };
  const object = await client.apply<T>(type, withOwner, { force: true });
  unseen.wrote(type, object, hash);
  return { object, written: true };
}

/**
 * Deletes exactly `obj`: the uid precondition leaves alone a newer object
 * that took its name, and an object already gone (or replaced) is no error.
 */
