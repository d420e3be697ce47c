// A small typed Redfish client over node:https (see README design notes for why not the
// `redfish-client` npm package). Sessions or basic auth, TLS pinning, @odata.id navigation,
// task monitors, ETag/If-Match, typed errors, timeouts, and retries for GETs only.
import { request, type Agent } from 'node:https';
import { errorForStatus, RedfishError } from './errors.ts';
import { agentFor, type TlsSettings } from './tls.ts';

export interface RedfishClientOptions {
  /** `https://host:port` of the BMC. */
  baseUrl: string;
  username: string;
  password: string;
  /** `session` (default): one X-Auth-Token session, logged out on close. `basic`: credentials per request. */
  auth?: 'session' | 'basic';
  tls: TlsSettings;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
  /** Extra attempts for idempotent reads (default 2); writes are never retried here. */
  getRetries?: number;
  backoffMs?: number;
  maxSockets?: number;
}

export interface RedfishResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
  etag?: string;
  location?: string;
}

export interface ODataRef {
  '@odata.id': string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RedfishClient {
  readonly base: URL;
  private readonly agent: Agent;
  private token?: string;
  private sessionUri?: string;
  private loggingIn?: Promise<void>;

  constructor(readonly opts: RedfishClientOptions) {
    this.base = new URL(opts.baseUrl);
    if (this.base.protocol !== 'https:')
      throw new RedfishError('RedfishTlsError', `BMC address ${opts.baseUrl} must be https://`);
    this.agent = agentFor(opts.tls, opts.maxSockets);
  }

  /** One HTTP exchange, no retry, no auth handling. */
  async raw(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<RedfishResponse<unknown>> {
    const url = new URL(path, this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            'OData-Version': '4.0',
            ...(payload
              ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload).toString() }
              : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) =>
            reject(
              new RedfishError('RedfishUnreachableError', `${method} ${url.href}: ${e.message}`, { url: url.href })
            )
          );
          res.on('end', () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            let parsed: unknown = undefined;
            if (text.trim()) {
              const ctype = String(res.headers['content-type'] ?? '');
              if (ctype.includes('text/html') || /^\s*</.test(text)) {
                return reject(
                  new RedfishError(
                    'RedfishMalformedResponseError',
                    `${method} ${url.href} answered HTML (status ${status}) instead of Redfish JSON: is this a BMC, or a proxy/login page in the way? Body starts: ${JSON.stringify(text.slice(0, 80))}`,
                    { status, url: url.href }
                  )
                );
              }
              try {
                parsed = JSON.parse(text);
              } catch (e) {
                return reject(
                  new RedfishError(
                    'RedfishMalformedResponseError',
                    `${method} ${url.href} answered malformed JSON (status ${status}): ${(e as Error).message}; body starts: ${JSON.stringify(text.slice(0, 80))}`,
                    { status, url: url.href }
                  )
                );
              }
            }
            if (status >= 400) return reject(errorForStatus(method, url.href, status, parsed));
            const h = res.headers;
            resolve({
              status,
              body: parsed ?? {},
              headers: h,
              etag: typeof h.etag === 'string' ? h.etag : undefined,
              location: typeof h.location === 'string' ? h.location : undefined,
            });
          });
        }
      );
      const timer = setTimeout(
        () =>
          req.destroy(
            new RedfishError('RedfishTimeoutError', `${method} ${url.href}: no answer within ${timeoutMs} ms`, {
              url: url.href,
            })
          ),
        timeoutMs
      );
      req.on('error', (e: Error & { code?: string }) => {
        clearTimeout(timer);
        if (e instanceof RedfishError) return reject(e);
        const tlsCodes = [
          'DEPTH_ZERO_SELF_SIGNED_CERT',
          'SELF_SIGNED_CERT_IN_CHAIN',
          'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
          'CERT_HAS_EXPIRED',
          'ERR_TLS_CERT_ALTNAME_INVALID',
          'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
        ];
        if (e.code && tlsCodes.includes(e.code))
          return reject(
            new RedfishError(
              'RedfishTlsError',
              `${method} ${url.href}: TLS verification failed (${e.code}): ${e.message}`,
              { url: url.href }
            )
          );
        reject(
          new RedfishError('RedfishUnreachableError', `${method} ${url.href}: ${e.code ?? ''} ${e.message}`.trim(), {
            url: url.href,
          })
        );
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  async login(): Promise<void> {
    const r = await this.raw('POST', '/redfish/v1/SessionService/Sessions', {
      UserName: this.opts.username,
      Password: this.opts.password,
    });
    const token = r.headers['x-auth-token'];
    if (typeof token !== 'string')
      throw new RedfishError(
        'RedfishMalformedResponseError',
        `session login to ${this.base.href} returned no X-Auth-Token header`,
        { status: r.status }
      );
    this.token = token;
    this.sessionUri = r.location ?? (r.body as { '@odata.id'?: string })['@odata.id'];
  }

  async logout(): Promise<void> {
    if (!this.token || !this.sessionUri) return;
    const uri = this.sessionUri;
    const headers = this.authHeaders();
    this.token = undefined;
    this.sessionUri = undefined;
    await this.raw('DELETE', uri, undefined, headers).catch(() => {});
  }

  private authHeaders(): Record<string, string> {
    if (this.token) return { 'X-Auth-Token': this.token };
    return { Authorization: `Basic ${Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64')}` };
  }

  /** Authenticated request; a session that expired (401 on a token) is renewed once. */
  async send<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {}
  ): Promise<RedfishResponse<T>> {
    if ((this.opts.auth ?? 'session') === 'session' && !this.token) {
      this.loggingIn ??= this.login().finally(() => (this.loggingIn = undefined));
      await this.loggingIn;
    }
    try {
      return (await this.raw(method, path, body, { ...this.authHeaders(), ...headers })) as RedfishResponse<T>;
    } catch (e) {
      if (e instanceof RedfishError && e.type === 'RedfishAuthError' && this.token) {
        this.token = undefined;
        await this.login();
        return (await this.raw(method, path, body, { ...this.authHeaders(), ...headers })) as RedfishResponse<T>;
      }
      throw e;
    }
  }

  /** GET with retries and exponential backoff for retryable errors only. */
  async get<T = Record<string, unknown>>(path: string | ODataRef): Promise<RedfishResponse<T>> {
    const p = typeof path === 'string' ? path : path['@odata.id'];
    const retries = this.opts.getRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send<T>('GET', p);
      } catch (e) {
        if (!(e instanceof RedfishError) || !e.retryable || attempt >= retries) throw e;
        await sleep((this.opts.backoffMs ?? 200) * 2 ** attempt * (0.75 + Math.random() / 2));
      }
    }
  }

  async getJson<T = Record<string, unknown>>(path: string | ODataRef): Promise<T> {
    return (await this.get<T>(path)).body;
  }

  /** Every member document of a collection, following `Members[].@odata.id`. */
  async members<T = Record<string, unknown>>(collection: string | ODataRef): Promise<T[]> {
    const c = await this.getJson<{ Members?: ODataRef[] }>(collection);
    return Promise.all((c.Members ?? []).map((m) => this.getJson<T>(m)));
  }

  /** POST an action. Never retried: the caller (safety layer) owns at-most-once. */
  async post<T = Record<string, unknown>>(
    path: string,
    body: unknown,
    idempotencyKey?: string
  ): Promise<RedfishResponse<T>> {
    return this.send<T>('POST', path, body, idempotencyKey ? { 'X-Idempotency-Key': idempotencyKey } : {});
  }

  /** PATCH with If-Match: reads the current ETag when none is given. */
  async patch<T = Record<string, unknown>>(path: string, body: unknown, etag?: string): Promise<RedfishResponse<T>> {
    const tag = etag ?? (await this.get(path)).etag;
    return this.send<T>('PATCH', path, body, tag ? { 'If-Match': tag } : {});
  }

  /** Follow a 202 + Location task monitor until the task leaves Running/New/Pending. */
  async waitTask(
    location: string,
    opts: { timeoutMs?: number; pollMs?: number } = {}
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + (opts.timeoutMs ?? 300_000);
    for (;;) {
      const r = await this.get(location);
      const state =
        typeof r.body.TaskState === 'string' ? r.body.TaskState : r.status === 202 ? 'Running' : 'Completed';
      if (r.status !== 202 && !['New', 'Starting', 'Running', 'Pending'].includes(state)) {
        if (['Exception', 'Killed', 'Cancelled'].includes(state) || r.body.TaskStatus === 'Critical')
          throw new RedfishError(
            'RedfishTaskFailedError',
            `task ${location} ended ${state}: ${JSON.stringify(r.body.Messages ?? [])}`
          );
        return r.body;
      }
      if (Date.now() > deadline)
        throw new RedfishError(
          'RedfishTimeoutError',
          `task ${location} still ${state} after ${opts.timeoutMs ?? 300_000} ms`
        );
      await sleep(opts.pollMs ?? 500);
    }
  }

  async close(): Promise<void> {
    await this.logout();
    this.agent.destroy();
  }
}
