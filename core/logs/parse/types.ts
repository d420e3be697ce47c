// What a format parser returns: the fields it understood. Enrichment turns it into a LogDoc.
import type { LogFormat, LogTag, Severity } from '../types.ts';

export interface Parsed {
  format: LogFormat;
  /** ISO time when the line carried one. */
  ts?: string;
  host?: string;
  app?: string;
  message: string;
  severity?: Severity;
  messageId?: string;
  component?: string;
  fields: Record<string, string>;
  tags?: LogTag[];
}

/** Context a parser may need: the receive time (RFC 3164 timestamps have no year or zone). */
export interface ParseContext {
  received: Date;
}
