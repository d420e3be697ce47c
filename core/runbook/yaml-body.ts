// YAML in runbooks (front matter and step bodies): parse with positions, and turn zod issues
// into positioned "Unexpected X, expected Y" diagnostics.
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Reporter } from './diagnostics.ts';

export type Path = (string | number)[];

export interface YamlBlock {
  doc: Document;
  value: unknown;
  /** Offset of the YAML text in the Markdown source. */
  base: number;
  text: string;
}

/** Parse YAML found at `base` in the source; reports syntax errors and returns undefined on any. */
export function parseYaml(text: string, base: number, report: Reporter, rule: string): YamlBlock | undefined {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // Later errors are usually consequences of the first: report that one only.
    const message = (first.message.split('\n')[0] ?? first.message).replace(/\.$/, '');
    const lineStart = text.lastIndexOf('\n', first.pos[0] - 1) + 1;
    const lineEnd = text.indexOf('\n', first.pos[0]);
    const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
    const hint = line.includes('${') ? ' (quote values that hold `${…}` with `: ` or `{`)' : '';
    report.at(base + first.pos[0], rule, `Unexpected YAML (${message}), expected valid YAML${hint}`);
    return undefined;
  }
  return { doc, value: doc.toJS() as unknown, base, text };
}

/** Offset in the source of the node at `path` (or of the key `key` inside it); falls back to the parent. */
export function locate(block: YamlBlock, path: Path, key?: string): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? block.doc.contents : block.doc.getIn(path.slice(0, n), true);
    const k = n === path.length ? key : undefined;
    if (k !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === k);
      const r = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (r) return block.base + r[0];
    }
    if (n < path.length && isMap(node)) {
      // Point at the key of the missing or bad child, if it exists.
      const want = path[n];
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === want);
      const r = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (r) return block.base + r[0];
    }
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return block.base + range[0];
  }
  return block.base;
}

/** Offset of the text of a string scalar at `path` (inside its quotes), for `${…}` columns. */
export function scalarTextOffset(block: YamlBlock, path: Path, value: string): number {
  const node = path.length === 0 ? block.doc.contents : block.doc.getIn(path, true);
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  if (!range) return locate(block, path);
  const raw = block.text.slice(range[0], range[1]);
  const firstLine = value.split('\n')[0] ?? '';
  const idx = firstLine === '' ? -1 : raw.indexOf(firstLine);
  if (idx >= 0) return block.base + range[0] + idx;
  return block.base + range[0] + (raw.startsWith('"') || raw.startsWith("'") ? 1 : 0);
}

const article: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  int: 'an integer',
  null: 'null',
};

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
  return `\`${s.length > 40 ? s.slice(0, 37) + '...' : s}\``;
}

function valueAt(root: unknown, path: Path): unknown {
  let cur = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

type Def = {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  options?: unknown[];
  valueType?: unknown;
};
const defOf = (s: unknown): Def | undefined => (s as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** Field names an object schema at `path` accepts (through optional/default/pipe wrappers). */
export function knownKeys(schema: unknown, path: Path): string[] {
  let cur = schema;
  const unwrap = (s: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const d = defOf(s);
      if (!d) return s;
      if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable' || d.type === 'prefault')
        s = d.innerType;
      else if (d.type === 'pipe') s = d.in;
      else return s;
    }
    return s;
  };
  for (const p of path) {
    const d = defOf(unwrap(cur));
    if (d?.type === 'object' && d.shape) cur = d.shape[String(p)];
    else if (d?.type === 'record') cur = d.valueType;
    else return [];
  }
  const d = defOf(unwrap(cur));
  if (d?.type === 'object' && d.shape) return Object.keys(d.shape);
  if (d?.type === 'union' && d.options) return [...new Set(d.options.flatMap((o) => knownKeys(o, [])))];
  return [];
}

/** Pick the most relevant branch of a union failure: the one with fewest issues. */
function flatten(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
  return best.flatMap((i) => flatten({ ...i, path: [...issue.path, ...i.path] }));
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return article[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return 'a non-empty string';
      if (issue.origin === 'array') return `at least ${String(issue.minimum)} item(s)`;
      return `a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`;
    case 'too_big':
      return `a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`;
    default:
      return issue.message.startsWith('expected') ? issue.message.slice('expected '.length) : issue.message;
  }
}

/** Report each zod issue at its YAML position. `what` names the block (`front matter`, `http step`). */
export function reportIssues(
  issues: z.core.$ZodIssue[],
  block: YamlBlock,
  schema: unknown,
  report: Reporter,
  rule: string,
  prefix: Path = []
): void {
  for (const issue of issues.flatMap(flatten)) {
    const path = [...prefix, ...issue.path] as Path;
    const dotted = path.join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path as Path);
      for (const key of issue.keys) {
        const expected = known.length > 0 ? `one of ${known.join(', ')}` : 'a known field';
        report.at(locate(block, path, key), rule, `Unexpected field \`${key}\`, expected ${expected}`);
      }
      continue;
    }
    const value = valueAt(block.value, path);
    const what = value === undefined ? 'missing' : describe(value);
    const field = dotted === '' ? 'the body' : `\`${dotted}\``;
    const message =
      value === undefined && dotted !== ''
        ? `Unexpected missing ${field}, expected ${expectation(issue)}`
        : `Unexpected ${what} for ${field}, expected ${expectation(issue)}`;
    report.at(locate(block, path), rule, message);
  }
}
