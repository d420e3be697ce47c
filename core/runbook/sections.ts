// Splits the mdast into runbook sections. The rule (docs/runbook-language.md, "Steps"):
//  - every `##` heading opens a section that runs to the next `#`/`##` heading;
//  - `## Parallel: <name>` is a parallel group and `## Rollback` holds compensation steps: in both,
//    each `###` subsection is one step;
//  - any other section with exactly one step block (a fenced block whose info string starts
//    with a registered kind) is a step; with none it is documentation; with more, an error.
import type { Code, Heading, Root, RootContent } from 'mdast';
import { visit } from 'unist-util-visit';

export interface StepSection {
  heading: Heading;
  name: string;
  /** Step blocks found in the section (exactly one makes a valid step). */
  blocks: Code[];
  /** Suspicious non-kind blocks (`htpp`, or a block with policy flags): probably a typo. */
  strays: Code[];
  /** Markdown of the section's prose, for display. */
  doc: string;
}

export type Section =
  | { type: 'step'; section: StepSection }
  | { type: 'parallel'; heading: Heading; name: string; steps: StepSection[]; loose: Code[] }
  | { type: 'rollback'; heading: Heading; steps: StepSection[]; loose: Code[] }
  | { type: 'doc'; nodes: RootContent[] };

const DOC_LANGUAGES = new Set([
  'json',
  'yaml',
  'yml',
  'bash',
  'sh',
  'shell',
  'console',
  'text',
  'txt',
  'ini',
  'toml',
  'sql',
  'diff',
]);
const POLICY_TOKEN = /(^|\s)(retries|timeout|as|if)=|(^|\s)(destructive|continue-on-error)(\s|$)/;

export function headingText(node: { type: string; value?: string; children?: unknown[] }): string {
  if (typeof node.value === 'string') return node.value;
  return (node.children ?? []).map((c) => headingText(c as typeof node)).join('');
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

/** A block that is not a step but looks like one was meant (a typo in the kind, or policy flags). */
export function isStray(code: Code, kinds: ReadonlySet<string>): boolean {
  const lang = (code.lang ?? '').toLowerCase();
  if (!lang || kinds.has(lang)) return false;
  if (POLICY_TOKEN.test(code.meta ?? '')) return true;
  if (DOC_LANGUAGES.has(lang) || lang.length < 3) return false;
  return [...kinds].some((k) => distance(lang, k) <= 2);
}

function collect(nodes: RootContent[], kinds: ReadonlySet<string>, source: string, heading: Heading): StepSection {
  const blocks: Code[] = [];
  const strays: Code[] = [];
  for (const n of nodes) {
    visit(n, 'code', (c: Code) => {
      if (kinds.has(c.lang ?? '')) blocks.push(c);
      else if (isStray(c, kinds)) strays.push(c);
    });
  }
  const doc = nodes
    .filter((n) => !(n.type === 'code' && blocks.includes(n)))
    .map((n) => source.slice(n.position?.start.offset ?? 0, n.position?.end.offset ?? 0))
    .join('\n\n')
    .trim();
  return { heading, name: headingText(heading).trim(), blocks, strays, doc };
}

/** Group `###` subsections of a parallel or rollback section into steps. */
function subsections(
  nodes: RootContent[],
  kinds: ReadonlySet<string>,
  source: string
): { steps: StepSection[]; loose: Code[] } {
  const steps: StepSection[] = [];
  const loose: Code[] = [];
  let current: { heading: Heading; nodes: RootContent[] } | undefined;
  const flush = () => {
    if (current) steps.push(collect(current.nodes, kinds, source, current.heading));
  };
  for (const n of nodes) {
    if (n.type === 'heading' && n.depth === 3) {
      flush();
      current = { heading: n, nodes: [] };
    } else if (current) current.nodes.push(n);
    else visit(n, 'code', (c: Code) => void (kinds.has(c.lang ?? '') && loose.push(c)));
  }
  flush();
  return { steps, loose };
}

export function splitSections(root: Root, kinds: ReadonlySet<string>, source: string): Section[] {
  const sections: Section[] = [];
  let open: { heading: Heading; nodes: RootContent[] } | undefined;
  const preamble: RootContent[] = [];
  const close = () => {
    if (!open) return;
    const name = headingText(open.heading).trim();
    const parallel = /^parallel\s*:\s*(.+)$/i.exec(name);
    if (parallel) {
      const { steps, loose } = subsections(open.nodes, kinds, source);
      sections.push({ type: 'parallel', heading: open.heading, name: (parallel[1] ?? '').trim(), steps, loose });
    } else if (/^rollback$/i.test(name)) {
      const { steps, loose } = subsections(open.nodes, kinds, source);
      sections.push({ type: 'rollback', heading: open.heading, steps, loose });
    } else {
      const s = collect(open.nodes, kinds, source, open.heading);
      if (s.blocks.length === 0 && s.strays.length === 0)
        sections.push({ type: 'doc', nodes: [open.heading, ...open.nodes] });
      else sections.push({ type: 'step', section: s });
    }
    open = undefined;
  };
  for (const n of root.children) {
    if (n.type === 'yaml') continue;
    if (n.type === 'heading' && n.depth <= 2) {
      close();
      if (n.depth === 2) open = { heading: n, nodes: [] };
      else preamble.push(n);
    } else if (open) open.nodes.push(n);
    else preamble.push(n);
  }
  close();
  if (preamble.length > 0) sections.unshift({ type: 'doc', nodes: preamble });
  return sections;
}
