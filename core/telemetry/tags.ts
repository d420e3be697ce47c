// Series identity: a name plus tags, in Atlas's model the name is just the `name` tag. The
// canonical key is the tags sorted by key, so the same series always gets the same id no matter
// the order a client sent its tags in.

export type Tags = Record<string, string>;

/** Atlas's restricted character set for keys and values is wider; we refuse only what breaks queries. */
const KEY_RE = /^[A-Za-z0-9._\-/:]{1,64}$/;
const MAX_VALUE = 256;
export const MAX_TAGS = 32;

export class TagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TagError';
  }
}

/** Validate and canonicalise a tag map; returns the sorted copy and its key. */
export function canonicalTags(input: unknown): { tags: Tags; key: string } {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new TagError('tags: expected an object of string values');
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > MAX_TAGS) throw new TagError(`tags: ${entries.length} tags, at most ${MAX_TAGS} allowed`);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tags: Tags = {};
  let key = '';
  for (const [k, v] of entries) {
    if (!KEY_RE.test(k))
      throw new TagError(`tag key ${JSON.stringify(k)}: expected 1-64 of letters, digits and . _ - / :`);
    if (typeof v !== 'string') throw new TagError(`tag ${k}: expected a string value, got ${typeof v}`);
    if (v.length === 0 || v.length > MAX_VALUE)
      throw new TagError(`tag ${k}: expected a value of 1-${MAX_VALUE} characters`);
    tags[k] = v;
    key += (key ? ',' : '') + k + '=' + v;
  }
  if (tags.name === undefined) throw new TagError('tags: missing required tag `name`');
  return { tags, key };
}

/** Consolidation applied when several datapoints land in the same step bucket. */
export type Consolidation = 'avg' | 'sum' | 'max' | 'min' | 'count';
export const CONSOLIDATIONS: readonly Consolidation[] = ['avg', 'sum', 'max', 'min', 'count'];

/**
 * Atlas clients send `atlas.dstype` (gauge, rate, sum); a `rate` or `sum` series adds within a
 * bucket, anything else averages. `ironthrone.cf` overrides it explicitly.
 */
export function consolidationFor(tags: Tags): Consolidation {
  const cf = tags['ironthrone.cf'];
  if (cf && (CONSOLIDATIONS as readonly string[]).includes(cf)) return cf as Consolidation;
  const ds = tags['atlas.dstype'];
  return ds === 'sum' || ds === 'rate' ? 'sum' : 'avg';
}
