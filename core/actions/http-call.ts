// The `http` step kind's behaviour: one real HTTP call with its expectations checked.
// Transport and 5xx failures are transient (the runbook's retries apply); a 4xx that was not
// expected is permanent, so a runbook does not hammer an endpoint with a bad request.

export interface HttpCallParams {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** Raw body, sent as is. */
  body?: string;
  /** JSON body (sets content-type). */
  json?: unknown;
  /** Name of an environment variable holding a bearer token: the secret never enters history. */
  bearerTokenEnv?: string;
  expect?: { status?: number | number[]; json?: Record<string, unknown> };
  timeoutMs?: number;
}

export interface HttpCallResult {
  status: number;
  ok: boolean;
  headers: Record<string, string>;
  body: string;
  json: unknown;
  durationMs: number;
}

export class HttpCallError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean
  ) {
    super(message);
    this.name = 'HttpCallError';
  }
}

const MAX_BODY = 64 * 1024;

/** Read a dotted path (`a.b.0.c`) out of parsed JSON. */
export function readPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export async function httpCall(p: HttpCallParams, signal?: AbortSignal): Promise<HttpCallResult> {
  let url: URL;
  try {
    url = new URL(p.url);
  } catch {
    throw new HttpCallError(`invalid url ${JSON.stringify(p.url)}, expected an absolute http(s) URL`, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpCallError(`unexpected scheme ${url.protocol} in ${p.url}, expected http: or https:`, true);
  }
  const headers: Record<string, string> = { ...(p.headers ?? {}) };
  if (p.bearerTokenEnv) {
    const token = process.env[p.bearerTokenEnv];
    if (!token) throw new HttpCallError(`environment variable ${p.bearerTokenEnv} (bearer token) is not set`, true);
    headers.authorization = `Bearer ${token}`;
  }
  let body = p.body;
  if (p.json !== undefined) {
    body = JSON.stringify(p.json);
    headers['content-type'] ??= 'application/json';
  }
  const timeout = AbortSignal.timeout(p.timeoutMs ?? 30_000);
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(url, {
      method: (p.method ?? 'GET').toUpperCase(),
      headers,
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (err) {
    throw new HttpCallError(`${p.method ?? 'GET'} ${p.url}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`, false);
  }
  const text = (await res.text()).slice(0, MAX_BODY);
  let json: unknown = null;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  const result: HttpCallResult = {
    status: res.status,
    ok: res.ok,
    headers: headersObject(res.headers),
    body: text,
    json,
    durationMs: Math.round(performance.now() - started),
  };
  const want = p.expect?.status;
  const accepted = want === undefined ? res.ok : Array.isArray(want) ? want.includes(res.status) : want === res.status;
  if (!accepted) {
    const expected = want === undefined ? '2xx' : Array.isArray(want) ? want.join(' or ') : String(want);
    throw new HttpCallError(
      `${p.method ?? 'GET'} ${p.url}: unexpected status ${res.status}, expected ${expected}`,
      res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429
    );
  }
  for (const [path, expected] of Object.entries(p.expect?.json ?? {})) {
    const actual = readPath(json, path);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      throw new HttpCallError(`${p.url}: unexpected ${path} = ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`, false);
    }
  }
  return result;
}

function headersObject(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => (out[k] = v));
  return out;
}
