// Instant queries against the Prometheus HTTP API (/api/v1/query), as KEDA's
// Prometheus scaler runs them: one series expected; an empty or NaN answer is
// 0 when ignoreNullValues is set, a failure otherwise.
export interface PrometheusQuery {
  serverAddress: string;
  query: string;
  ignoreNullValues: boolean;
  auth?: { bearerToken?: string; username?: string; password?: string };
  timeoutMs?: number;
}

interface QueryResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: 'vector' | 'scalar' | 'matrix' | 'string'; result: unknown };
}

export class PrometheusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrometheusError';
  }
}

/** Interprets a query answer: the single value, or why there is none. */
export function valueOf(answer: QueryResponse, ignoreNullValues: boolean): number {
  if (answer.status !== 'success' || !answer.data) throw new PrometheusError(`prometheus query failed: ${answer.error ?? 'no data'}`);
  const { resultType, result } = answer.data;
  let raw: string | undefined;
  if (resultType === 'scalar') raw = (result as [number, string])[1];
  else if (resultType === 'vector') {
    const series = result as { value: [number, string] }[];
    if (series.length > 1) throw new PrometheusError(`prometheus query returned ${series.length} series; it must return one`);
    raw = series[0]?.value[1];
  } else throw new PrometheusError(`prometheus query returned a ${resultType}; it must return a vector or a scalar`);
  const value = raw === undefined ? NaN : Number(raw);
  if (Number.isFinite(value)) return value;
  if (ignoreNullValues) return 0;
  throw new PrometheusError(raw === undefined ? 'prometheus query returned no series (ignoreNullValues is false)' : `prometheus query returned ${raw} (ignoreNullValues is false)`);
}

export async function queryPrometheus(q: PrometheusQuery): Promise<number> {
  const url = `${q.serverAddress.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(q.query)}`;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (q.auth?.bearerToken) headers.Authorization = `Bearer ${q.auth.bearerToken}`;
  else if (q.auth?.username) headers.Authorization = `Basic ${Buffer.from(`${q.auth.username}:${q.auth.password ?? ''}`).toString('base64')}`;
  let res: Response;
  try {
    // Redirects are not followed: credentials go to serverAddress and nowhere else.
    res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(q.timeoutMs ?? 5_000) });
  } catch (err) {
    throw new PrometheusError(`prometheus at ${q.serverAddress} is unreachable: ${(err as Error).message}`);
  }
  if (res.status >= 300 && res.status < 400) {
    await res.body?.cancel();
    throw new PrometheusError(`prometheus at ${q.serverAddress} answered with a redirect (HTTP ${res.status}), which is not followed: set serverAddress to the server itself`);
  }
  const text = await res.text();
  let body: QueryResponse;
  try {
    body = JSON.parse(text) as QueryResponse;
  } catch {
    // The body is not repeated: whatever answered may not be Prometheus, and what it says is not ours to show.
    throw new PrometheusError(`prometheus at ${q.serverAddress} answered HTTP ${res.status} with a body that is not a Prometheus API response`);
  }
  return valueOf(body, q.ignoreNullValues);
}
