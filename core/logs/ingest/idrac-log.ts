// iDRAC SEL and Lifecycle log entries read over Redfish (core/hardware/idrac.ts `sel()` /
// `lclog()`) into the pipeline, as the LogEntry JSON the parser knows. Keys are
// `<host>:<log>:<entry id>:<created>`, so polling the same entries again adds nothing, and an id
// reused after the SEL is cleared (a new Created time) is a new line.
import type { LogPipeline } from '../pipeline.ts';

/** The fields of a Redfish LogEntry that core/hardware/idrac.ts returns. */
export interface IdracLogEntry {
  id: string;
  created: string;
  severity: string;
  messageId: string;
  message: string;
}

export async function ingestIdracLog(
  pipeline: LogPipeline,
  host: string,
  log: 'Sel' | 'Lclog',
  entries: IdracLogEntry[]
): Promise<number> {
  const received = new Date();
  for (const e of entries) {
    const line = JSON.stringify({
      Id: e.id,
      Created: e.created,
      Severity: e.severity,
      MessageId: e.messageId,
      Message: e.message,
      EntryType: log === 'Sel' ? 'SEL' : 'Oem',
    });
    await pipeline.submit(line, {
      source: `redfish:${log.toLowerCase()}`,
      key: `${host}:${log}:${e.id}:${e.created}`,
      received,
      peer: host,
    });
  }
  return entries.length;
}
