// Index template for the daily log indices: explicit mappings (no dynamic guessing), one shard and
// no replica by default (a single node; raise both on a cluster), and a catch-all text field the
// free-text query runs on, so message and raw are searched together as in the SQLite FTS table.
import type { estypes } from '@elastic/elasticsearch';

const keyword = { type: 'keyword' } as const;

export function logsTemplate(prefix: string, replicas = 0): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: prefix,
    index_patterns: [`${prefix}-*`],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas, refresh_interval: '1s' },
      mappings: {
        dynamic: 'strict',
        properties: {
          id: keyword,
          ts: { type: 'date' },
          received: { type: 'date' },
          raw: { type: 'text', copy_to: 'all_text' },
          message: { type: 'text', copy_to: 'all_text' },
          all_text: { type: 'text' },
          severity: keyword,
          format: keyword,
          host: keyword,
          app: keyword,
          service: keyword,
          region: keyword,
          rack: keyword,
          source: keyword,
          messageId: keyword,
          component: keyword,
          correlationIds: keyword,
          tags: keyword,
          // Kept in _source (and so in digests), not indexed: field names vary by format.
          fields: { type: 'object', enabled: false },
          batch: { properties: { id: keyword, index: { type: 'integer' } } },
        },
      },
    },
  };
}

/** Batch digests live in their own index (outside the `<prefix>-*` pattern), stored, not searched. */
export function batchesIndexBody(): estypes.IndicesCreateRequest['mappings'] {
  return { dynamic: false, properties: { id: keyword, root: keyword, start: { type: 'date' }, end: { type: 'date' } } };
}

/** `<prefix>-2026.11.25` for a doc time (UTC days). */
export function dailyIndex(prefix: string, ts: string): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getUTCFullYear()}.${p(d.getUTCMonth() + 1)}.${p(d.getUTCDate())}`;
}
