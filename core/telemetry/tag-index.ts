// Inverted tag index: key → value → sorted series ids. `:eq` is a lookup, `:has` a union over a
// key's values, `:re`/`:lt`/`:gt` scan only the values of one key, never the series.

export class TagIndex {
  private readonly byKey = new Map<string, Map<string, number[]>>();
  private count = 0;

  add(id: number, tags: Record<string, string>): void {
    for (const [k, v] of Object.entries(tags)) {
      let vals = this.byKey.get(k);
      if (!vals) this.byKey.set(k, (vals = new Map<string, number[]>()));
      const ids = vals.get(v);
      // ids are handed out in increasing order, so pushing keeps each list sorted
      if (ids) ids.push(id);
      else vals.set(v, [id]);
    }
    this.count = Math.max(this.count, id + 1);
  }

  remove(id: number, tags: Record<string, string>): void {
    for (const [k, v] of Object.entries(tags)) {
      const vals = this.byKey.get(k);
      const ids = vals?.get(v);
      if (!vals || !ids) continue;
      const i = ids.indexOf(id);
      if (i >= 0) ids.splice(i, 1);
      if (ids.length === 0) vals.delete(v);
      if (vals.size === 0) this.byKey.delete(k);
    }
  }

  eq(key: string, value: string): number[] {
    return this.byKey.get(key)?.get(value) ?? [];
  }

  /** Union of the id lists of every value of `key` that passes `test`. */
  matchValues(key: string, test: (value: string) => boolean): number[] {
    const vals = this.byKey.get(key);
    if (!vals) return [];
    const lists: number[][] = [];
    for (const [v, ids] of vals) if (test(v)) lists.push(ids);
    return unionAll(lists);
  }

  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }

  values(key: string): string[] {
    return [...(this.byKey.get(key)?.keys() ?? [])].sort();
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
  if (lists.length === 1) return lists[0]!.slice();
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
