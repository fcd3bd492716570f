import type { Logger } from 'winston';

/** What to reconcile: a namespace/name key. */
export interface Request {
  key: string;
  namespace?: string;
  name: string;
}

export interface ReconcileContext {
  /** Aborts when the manager stops or loses leadership. */
  signal: AbortSignal;
  /** Carries controller, key and reconcileID. */
  log: Logger;
  reconcileId: string;
}

export interface Result {
  /** Reconcile again after this long (e.g. to poll something without events). */
  requeueAfterMs?: number;
  /**
   * The requeue finishes a write this reconcile held back (a settling
   * status): until it ran, the controller is not idle. A periodic poll is not.
   */
  heldWrite?: boolean;
  /** Reconcile again with backoff, without counting it as an error. */
  requeue?: boolean;
}

export interface Reconciler {
  reconcile(request: Request, ctx: ReconcileContext): Promise<Result | void>;
}

/**
 * An error retrying cannot fix (invalid input the user must change): logged
 * and recorded, never retried. The next change to the object triggers a new
 * reconcile anyway.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TerminalError';
  }
}
