// An error answered by the Kubernetes API, classified by HTTP status code and
// the Status object's reason, never by message text.

/** The metav1.Status body the apiserver sends with an error. */
export interface StatusBody {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    kind?: string;
    /** metav1.StatusCause: its Go field Type is serialised as `reason`. */
    causes?: { reason?: string; message?: string; field?: string }[];
    retryAfterSeconds?: number;
  };
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: StatusBody;
  readonly verb: string;
  readonly path: string;

  constructor(verb: string, path: string, status: number, body: StatusBody) {
    super(`${verb} ${path}: ${status} ${body.reason ?? ''} ${body.message ?? ''}`.trim());
    this.name = 'ApiError';
    this.verb = verb;
    this.path = path;
    this.status = status;
    this.body = body;
  }

  get reason(): string | undefined {
    return this.body.reason;
  }
}

const hasStatus = (err: unknown, code: number): boolean => err instanceof ApiError && err.status === code;

export const isNotFound = (err: unknown): boolean => hasStatus(err, 404);
export const isConflict = (err: unknown): boolean => hasStatus(err, 409);
export const isAlreadyExists = (err: unknown): boolean =>
  err instanceof ApiError && err.status === 409 && err.reason === 'AlreadyExists';
export const isGone = (err: unknown): boolean => hasStatus(err, 410);
export const isInvalid = (err: unknown): boolean => hasStatus(err, 422);
export const isServiceUnavailable = (err: unknown): boolean => hasStatus(err, 503);

/** A create refused because its namespace is being deleted: nothing to retry. */
export const isNamespaceTerminating = (err: unknown): boolean =>
  err instanceof ApiError && err.status === 403 && (err.body.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
