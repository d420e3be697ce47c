// The policy half of a step block's info string: ```http retries=3 timeout=2m as=health if=${…}

import { parseDuration } from './duration.ts';
import { IDENTIFIER } from './front-matter.ts';

export const FLAGS = ['retries=', 'timeout=', 'as=', 'if=', 'continue-on-error', 'destructive'];
export const RESERVED_NAMES = ['inputs', 'run', 'probe', 'true', 'false', 'null', 'this'];

export interface InfoToken {
  text: string;
  /** Offset of the token within the info string. */
  offset: number;
}

export interface InfoPolicy {
  retries?: number;
  timeoutMs?: number;
  as?: string;
  /** The `if=` expression text and its offset in the info string. */
  if?: { text: string; offset: number };
  continueOnError?: boolean;
  destructive?: boolean;
}

export interface InfoProblem {
  offset: number;
  message: string;
}

/** Split on whitespace, keeping `${ … }` and quoted strings inside one token. */
export function tokenize(info: string): InfoToken[] {
  const tokens: InfoToken[] = [];
  let i = 0;
  while (i < info.length) {
    while (i < info.length && /\s/.test(info[i] ?? '')) i++;
    if (i >= info.length) break;
    const start = i;
    let depth = 0;
    while (i < info.length && (depth > 0 || !/\s/.test(info[i] ?? ''))) {
      const ch = info[i];
      if (ch === '$' && info[i + 1] === '{') {
        depth++;
        i += 2;
        continue;
      }
      if (depth > 0 && (ch === '"' || ch === "'")) {
        for (i++; i < info.length && info[i] !== ch; i++) if (info[i] === '\\') i++;
      } else if (depth > 0 && ch === '{') depth++;
      else if (depth > 0 && ch === '}') depth--;
      i++;
    }
    tokens.push({ text: info.slice(start, i), offset: start });
  }
  return tokens;
}

/** Parse the policy tokens (everything after the kind word). */
export function parsePolicy(tokens: InfoToken[]): { policy: InfoPolicy; problems: InfoProblem[] } {
  const policy: InfoPolicy = {};
  const problems: InfoProblem[] = [];
  const seen = new Set<string>();
  for (const { text, offset } of tokens) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const value = eq < 0 ? undefined : text.slice(eq + 1);
    const valueAt = offset + eq + 1;
    if (seen.has(key)) {
      problems.push({ offset, message: `Unexpected second \`${key}\`, expected each policy at most once` });
      continue;
    }
    seen.add(key);
    if (key === 'retries' && value !== undefined) {
      if (/^\d+$/.test(value) && Number(value) <= 100) policy.retries = Number(value);
      else
        problems.push({
          offset: valueAt,
          message: `Unexpected \`retries=${value}\`, expected a whole number from 0 to 100`,
        });
    } else if (key === 'timeout' && value !== undefined) {
      const ms = parseDuration(value);
      if (ms !== undefined && ms > 0) policy.timeoutMs = ms;
      else
        problems.push({
          offset: valueAt,
          message: `Unexpected \`timeout=${value}\`, expected a duration such as 30s, 5m or 2h`,
        });
    } else if (key === 'as' && value !== undefined) {
      if (!IDENTIFIER.test(value)) {
        problems.push({ offset: valueAt, message: `Unexpected \`as=${value}\`, expected a name such as \`health\`` });
      } else if (RESERVED_NAMES.includes(value)) {
        problems.push({
          offset: valueAt,
          message: `Unexpected reserved name \`as=${value}\`, expected a name other than ${RESERVED_NAMES.join(', ')}`,
        });
      } else policy.as = value;
    } else if (key === 'if' && value !== undefined) {
      const wrapped = /^\$\{[\s\S]*\}$/.test(value);
      if (value.startsWith('${') && !wrapped) {
        problems.push({ offset: valueAt, message: 'Unexpected end of info string, expected `}` to close `${`' });
      } else if (wrapped) policy.if = { text: value.slice(2, -1), offset: valueAt + 2 };
      else if (value === '')
        problems.push({ offset: valueAt, message: 'Unexpected empty `if=`, expected `if=${condition}`' });
      else policy.if = { text: value, offset: valueAt };
    } else if (key === 'continue-on-error' && value === undefined) policy.continueOnError = true;
    else if (key === 'destructive' && value === undefined) policy.destructive = true;
    else problems.push({ offset, message: `Unexpected flag \`${text}\`, expected one of ${FLAGS.join(', ')}` });
  }
  return { policy, problems };
}
