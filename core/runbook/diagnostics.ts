// Compile diagnostics in remark-lint's shape: a position, a rule and "Unexpected X, expected Y".

export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  /** Which check produced it (`front-matter`, `step-kind`, `expression`, …). */
  rule: string;
  severity: 'error' | 'warning';
}

/** `file:line:col: message`, the format editors and `runbook lint` use. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message);
}

/** Maps offsets in the Markdown source to 1-based line and column. */
export class SourceMap {
  private readonly starts: number[] = [0];
  constructor(readonly source: string) {
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') this.starts.push(i + 1);
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
  offset(line: number, column: number): number {
    return (this.starts[line - 1] ?? this.source.length) + column - 1;
  }
}

/** Collects diagnostics for one file. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly map: SourceMap
  ) {}
  at(offset: number, rule: string, message: string, severity: Diagnostic['severity'] = 'error'): void {
    const { line, column } = this.map.position(offset);
    this.diagnostics.push({ file: this.file, line, column, message, rule, severity });
  }
  atLine(line: number, column: number, rule: string, message: string): void {
    this.diagnostics.push({ file: this.file, line, column, message, rule, severity: 'error' });
  }
  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
