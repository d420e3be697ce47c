// Elasticsearch LogStore: daily indices from a template, bulk `create` writes (a doc id already in
// its index is a 409, which we count as "existing": replays never duplicate), item-level retries for
// rejections, and retention by dropping whole daily indices.
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { createEsClient, type EsSettings } from './es-client.ts';
import { batchesIndexBody, dailyIndex, logsTemplate } from './es-mapping.ts';
import {
  LogStoreRejectedError,
  LogStoreUnavailableError,
  checkQuery,
  utcDayStart,
  type BatchDigest,
  type LogStore,
  type WriteResult,
} from './store.ts';
import { SEVERITIES, type LogDoc, type LogQuery, type LogSearchResult } from './types.ts';

export interface EsLogStoreOptions extends Partial<EsSettings> {
  client?: Client;
  /** Attempts for items rejected with 429 / 5xx (default 5). */
  bulkAttempts?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Transport-level failures (refused, reset, timeout): the cluster is unreachable, not wrong. */
function isUnavailable(err: unknown): boolean {
  return (
    err instanceof errors.ConnectionError ||
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoLivingConnectionsError ||
    (err instanceof errors.ResponseError && (err.statusCode ?? 0) >= 502)
  );
}

export class EsLogStore implements LogStore {
  readonly kind = 'elasticsearch' as const;
  readonly location: string;
  readonly prefix: string;
  private readonly client: Client;
  private readonly batchesIndex: string;
  private readonly attempts: number;
  private ready?: Promise<void>;

  constructor(opts: EsLogStoreOptions) {
    this.prefix = opts.indexPrefix ?? 'ironthrone-logs';
    this.batchesIndex = `${this.prefix.replace(/-logs$/, '')}-logbatches`;
    if (this.batchesIndex.startsWith(`${this.prefix}-`))
      throw new Error(`index prefix ${this.prefix} would make the batches index match the log pattern`);
    this.client = opts.client ?? createEsClient({ nodes: opts.nodes ?? ['http://127.0.0.1:9200'], ...opts });
    this.location = `elasticsearch:${this.prefix}-*`;
    this.attempts = opts.bulkAttempts ?? 5;
  }

  /** Template and batches index, once per store (idempotent on the cluster side). */
  init(): Promise<void> {
    this.ready ??= (async () => {
      await this.client.indices.putIndexTemplate(logsTemplate(this.prefix));
      const exists = await this.client.indices.exists({ index: this.batchesIndex });
      if (!exists) {
        await this.client.indices
          .create({
            index: this.batchesIndex,
            settings: { number_of_shards: 1, number_of_replicas: 0 },
            mappings: batchesIndexBody(),
          })
          .catch((err: unknown) => {
            if (!(
              err instanceof errors.ResponseError &&
              err.body &&
              JSON.stringify(err.body).includes('resource_already_exists')
            ))
              throw err;
          });
      }
    })().catch((err: unknown) => {
      this.ready = undefined;
      throw isUnavailable(err)
        ? new LogStoreUnavailableError(`Elasticsearch unreachable: ${(err as Error).message}`, { cause: err })
        : err;
    });
    return this.ready;
  }

  async write(docs: LogDoc[]): Promise<WriteResult> {
    if (docs.length === 0) return { written: 0, existing: 0 };
    await this.init();
    let pending = docs;
    let written = 0;
    let existing = 0;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const operations = pending.flatMap((d) => [{ create: { _index: dailyIndex(this.prefix, d.ts), _id: d.id } }, d]);
      let res: estypes.BulkResponse;
      try {
        res = await this.client.bulk({ operations });
      } catch (err) {
        if (isUnavailable(err))
          throw new LogStoreUnavailableError(`Elasticsearch bulk failed: ${(err as Error).message}`, { cause: err });
        throw err;
      }
      const retry: LogDoc[] = [];
      res.items.forEach((item, i) => {
        const r = item.create!;
        if (r.status === 201) written++;
        else if (r.status === 409) existing++;
        else if (r.status === 429 || r.status >= 500) retry.push(pending[i]!);
        else
          throw new LogStoreRejectedError(
            `Elasticsearch refused log ${pending[i]!.id}: ${r.status} ${JSON.stringify(r.error)}`
          );
      });
      if (retry.length && attempt >= this.attempts)
        throw new LogStoreUnavailableError(
          `Elasticsearch kept rejecting ${retry.length} logs after ${attempt} attempts`
        );
      if (retry.length) await sleep(Math.min(5000, 200 * 2 ** attempt));
      pending = retry;
    }
    return { written, existing };
  }

  async get(id: string): Promise<LogDoc | undefined> {
    await this.init();
    const res = await this.client.search<LogDoc>({
      index: `${this.prefix}-*`,
      query: { ids: { values: [id] } },
      size: 1,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
    return res.hits.hits[0]?._source;
  }

  async search(q: LogQuery): Promise<LogSearchResult> {
    const { limit } = checkQuery(q);
    await this.init();
    const filter: estypes.QueryDslQueryContainer[] = [];
    const must: estypes.QueryDslQueryContainer[] = [];
    if (q.text?.trim()) must.push({ match: { all_text: { query: q.text, operator: 'and' } } });
    const term = (field: string, v: string | undefined) => v !== undefined && filter.push({ term: { [field]: v } });
    term('host', q.host);
    term('service', q.service);
    term('severity', q.severity);
    term('messageId', q.messageId);
    term('correlationIds', q.correlationId);
    term('tags', q.tag);
    if (q.minSeverity) filter.push({ terms: { severity: SEVERITIES.slice(SEVERITIES.indexOf(q.minSeverity)) } });
    if (q.since || q.until) {
      const range: estypes.QueryDslDateRangeQuery = {};
      if (q.since) range.gte = new Date(q.since).toISOString();
      if (q.until) range.lt = new Date(q.until).toISOString();
      filter.push({ range: { ts: range } });
    }
    const res = await this.client.search<LogDoc>({
      index: `${this.prefix}-*`,
      ignore_unavailable: true,
      allow_no_indices: true,
      query: { bool: { must, filter } },
      sort: [{ ts: 'desc' }, { id: 'asc' }],
      size: limit,
      track_total_hits: true,
    });
    const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    return { total, hits: res.hits.hits.map((h) => h._source!) };
  }

  async putBatch(batch: BatchDigest): Promise<void> {
    await this.init();
    await this.client.index({ index: this.batchesIndex, id: batch.id, document: batch });
  }

  async getBatch(id: string): Promise<BatchDigest | undefined> {
    await this.init();
    try {
      return (await this.client.get<BatchDigest>({ index: this.batchesIndex, id }))._source;
    } catch (err) {
      if (err instanceof errors.ResponseError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Drops daily indices of days before the cut-off day; the count is what they held. */
  async deleteBefore(time: string): Promise<number> {
    await this.refresh();
    const cutoff = dailyIndex(this.prefix, utcDayStart(time).toISOString());
    const rows = await this.client.cat.indices({
      index: `${this.prefix}-*`,
      format: 'json',
      h: ['index', 'docs.count'],
    });
    // Daily names sort like their dates, so a plain string comparison finds the old ones.
    const old = rows.filter((r) => r.index !== undefined && /\d{4}\.\d{2}\.\d{2}$/.test(r.index) && r.index < cutoff);
    if (old.length === 0) return 0;
    await this.client.indices.delete({ index: old.map((r) => r.index!) });
    return old.reduce((n, r) => n + Number(r['docs.count'] ?? 0), 0);
  }

  async ping(): Promise<boolean> {
    try {
      await this.client.cluster.health({ timeout: '2s' }, { requestTimeout: 3000, maxRetries: 0 });
      return true;
    } catch {
      return false;
    }
  }

  async refresh(): Promise<void> {
    await this.init();
    await this.client.indices.refresh({ index: `${this.prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
