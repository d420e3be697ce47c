// Series tags and the inverted index over them. Tag strings are interned once (a key or value
// shared by many series is stored once and reference-counted); a series' tags are (key id,
// value id) pairs in one pooled column table, and each pair is also a node of the posting list
// of its key=value (linked newest first), so the index costs no object per series either.
// `:eq` is a lookup, `:has` a union over a key's values, `:re`/`:lt`/`:gt` scan only the values of
// one key, never the series.

function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, Math.ceil(a.length * 1.25)));
  b.set(a);
  return b;
}

/** Interned strings with reference counts; ids are reused once a string is no longer referenced. */
class Strings {
  readonly text: string[] = [];
  private readonly ids = new Map<string, number>();
  private refs = new Int32Array(256);
  private readonly free: number[] = [];

  id(s: string): number | undefined {
    return this.ids.get(s);
  }

  ref(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.free.pop() ?? this.text.length;
      this.text[id] = s;
      this.ids.set(s, id);
      this.refs = grow(this.refs, id + 1);
    }
    this.refs[id]!++;
    return id;
  }

  unref(id: number): void {
    if (--this.refs[id]! > 0) return;
    this.ids.delete(this.text[id]!);
    this.text[id] = '';
    this.free.push(id);
  }
}

export class TagIndex {
  private readonly strings = new Strings();
  /** Pair columns: key id, value id, series id, next pair of the same key=value (-1 = end). */
  private pk = new Int32Array(4096);
  private pv = new Int32Array(4096);
  private pid = new Int32Array(4096);
  private pnext = new Int32Array(4096);
  private pairs = 0;
  /** Per series: first pair and pair count (series ids index these). */
  private off = new Int32Array(1024);
  private len = new Int32Array(1024);
  /** key id → value id → newest pair of that key=value. */
  private readonly heads = new Map<number, Map<number, number>>();

  /** Register series `id` with canonical (key-sorted) tags. */
  add(id: number, tags: Record<string, string>): void {
    const entries = Object.entries(tags);
    const need = this.pairs + entries.length;
    if (need > this.pk.length) {
      this.pk = grow(this.pk, need);
      this.pv = grow(this.pv, need);
      this.pid = grow(this.pid, need);
      this.pnext = grow(this.pnext, need);
    }
    this.off = grow(this.off, id + 1);
    this.len = grow(this.len, id + 1);
    this.off[id] = this.pairs;
    this.len[id] = entries.length;
    for (const [k, v] of entries) {
      const p = this.pairs++;
      const kid = this.strings.ref(k);
      const vid = this.strings.ref(v);
      this.pk[p] = kid;
      this.pv[p] = vid;
      this.pid[p] = id;
      let vals = this.heads.get(kid);
      if (!vals) this.heads.set(kid, (vals = new Map<number, number>()));
      this.pnext[p] = vals.get(vid) ?? -1;
      vals.set(vid, p);
    }
  }

  /** Forget series `id` (its pairs' slots are not reused; retention removal is rare). */
  remove(id: number): void {
    const o = this.off[id]!;
    for (let p = o; p < o + this.len[id]!; p++) {
      const kid = this.pk[p]!;
      const vid = this.pv[p]!;
      const vals = this.heads.get(kid)!;
      let q = vals.get(vid)!;
      if (q === p) {
        if (this.pnext[p]! < 0) vals.delete(vid);
        else vals.set(vid, this.pnext[p]!);
      } else {
        while (this.pnext[q] !== p) q = this.pnext[q]!;
        this.pnext[q] = this.pnext[p]!;
      }
      if (vals.size === 0) this.heads.delete(kid);
      this.strings.unref(kid);
      this.strings.unref(vid);
    }
    this.len[id] = 0;
  }

  /** Canonical tags of series `id`. */
  tags(id: number): Record<string, string> {
    const out: Record<string, string> = {};
    const o = this.off[id]!;
    for (let p = o; p < o + this.len[id]!; p++) out[this.strings.text[this.pk[p]!]!] = this.strings.text[this.pv[p]!]!;
    return out;
  }

  /** Value of tag `key` of series `id`, or undefined. */
  value(id: number, key: string): string | undefined {
    const vid = this.valueId(id, this.keyId(key));
    return vid < 0 ? undefined : this.strings.text[vid];
  }

  /** Interned id of a key (for `valueId`), -1 if no series has it. */
  keyId(key: string): number {
    return this.strings.id(key) ?? -1;
  }

  /** Interned value id of key `kid` on series `id`, -1 if it has no such tag: cheap grouping. */
  valueId(id: number, kid: number): number {
    const o = this.off[id]!;
    for (let p = o; p < o + this.len[id]!; p++) if (this.pk[p] === kid) return this.pv[p]!;
    return -1;
  }

  /** Whether series `id` has exactly these canonical (key-sorted) tags. */
  sameTags(id: number, tags: Record<string, string>): boolean {
    const o = this.off[id]!;
    let p = o;
    for (const k in tags) {
      if (p >= o + this.len[id]!) return false;
      if (this.strings.text[this.pk[p]!] !== k || this.strings.text[this.pv[p]!] !== tags[k]) return false;
      p++;
    }
    return p === o + this.len[id]!;
  }

  private list(p: number, out: number[]): void {
    const from = out.length;
    for (; p >= 0; p = this.pnext[p]!) out.push(this.pid[p]!);
    // lists are linked newest first and ids are handed out in increasing order, so reversing
    // sorts them; the check keeps callers' sorted-list merges right if that ever changes
    for (let i = from, j = out.length - 1; i < j; i++, j--) [out[i], out[j]] = [out[j]!, out[i]!];
    for (let i = from + 1; i < out.length; i++)
      if (out[i - 1]! > out[i]!) {
        out.splice(from, out.length - from, ...out.slice(from).sort((a, b) => a - b));
        return;
      }
  }

  eq(key: string, value: string): number[] {
    const kid = this.strings.id(key);
    const vid = this.strings.id(value);
    if (kid === undefined || vid === undefined) return [];
    const p = this.heads.get(kid)?.get(vid);
    const out: number[] = [];
    if (p !== undefined) this.list(p, out);
    return out;
  }

  /** Union of the id lists of every value of `key` that passes `test`. */
  matchValues(key: string, test: (value: string) => boolean): number[] {
    const kid = this.strings.id(key);
    const vals = kid === undefined ? undefined : this.heads.get(kid);
    if (!vals) return [];
    const lists: number[][] = [];
    for (const [vid, p] of vals)
      if (test(this.strings.text[vid]!)) {
        const l: number[] = [];
        this.list(p, l);
        lists.push(l);
      }
    return unionAll(lists);
  }

  keys(): string[] {
    return [...this.heads.keys()].map((k) => this.strings.text[k]!).sort();
  }

  values(key: string): string[] {
    const kid = this.strings.id(key);
    const vals = kid === undefined ? undefined : this.heads.get(kid);
    return [...(vals?.keys() ?? [])].map((v) => this.strings.text[v]!).sort();
  }
}

export function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

export function union(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}

export function unionAll(lists: number[][]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0]!;
  const seen = new Set<number>();
  for (const l of lists) for (const id of l) seen.add(id);
  return [...seen].sort((a, b) => a - b);
}

/** Sorted `all` minus sorted `b`. */
export function difference(all: number[], b: number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of all) {
    while (j < b.length && b[j]! < x) j++;
    if (j < b.length && b[j] === x) continue;
    out.push(x);
  }
  return out;
}
