// Validation of incoming datapoints: each is stored or refused with a reason (`invalid`,
// `future` for clock skew, `too-old`, `late`), and refusals are counted per reason.
import type { Datapoint, IngestResult, RefusalReason, TelemetryStore } from './store.ts';
import { TagError } from './tags.ts';

const iso = (t: number) => new Date(t).toISOString();

function ingestOne(store: TelemetryStore, p: Datapoint): string | undefined {
  const refuse = (r: RefusalReason, msg: string) => {
    store.stats.refused[r]++;
    return `${r}: ${msg}`;
  };
  if (typeof p !== 'object' || p === null) return refuse('invalid', 'expected an object {tags, timestamp, value}');
  if (typeof p.timestamp !== 'number') return refuse('invalid', 'timestamp: expected epoch milliseconds (number)');
  if (typeof p.value !== 'number')
    return refuse('invalid', `value: expected a number, got ${p.value === null ? 'null' : typeof p.value}`);
  const why = store.checkTime(p.timestamp);
  if (why === 'invalid') return refuse(why, `timestamp ${p.timestamp} is not a valid epoch-ms time`);
  if (why === 'future')
    return refuse(
      why,
      `timestamp ${iso(p.timestamp)} is more than ${store.maxFutureMs / 1000}s ahead of the server clock (clock skew?)`
    );
  if (why === 'too-old')
    return refuse(why, `timestamp ${iso(p.timestamp)} is older than the ${store.retentionMs / 3_600_000}h retention`);
  let id: number;
  try {
    id = store.resolve(p.tags);
  } catch (err) {
    if (err instanceof TagError) return refuse('invalid', err.message);
    throw err;
  }
  const r = store.putId(id, p.timestamp, p.value);
  if (r)
    return refuse(
      r,
      `the ${iso(p.timestamp)} bucket of this series is already sealed (older than the ${store.headSlots}-step head)`
    );
  store.stats.accepted++;
  return undefined;
}

export function ingestBatch(store: TelemetryStore, points: readonly Datapoint[]): IngestResult {
  const errors: IngestResult['errors'] = [];
  let accepted = 0;
  points.forEach((p, index) => {
    const reason = ingestOne(store, p);
    if (reason) errors.push({ index, reason });
    else accepted++;
  });
  return { accepted, errors };
}
