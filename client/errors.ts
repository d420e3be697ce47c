// Errors and search-attribute keys shared by the client modules (no compiler import here).
import { defineSearchAttributeKey } from '@temporalio/common';

export const SA = {
  RunbookId: defineSearchAttributeKey('RunbookId', 'KEYWORD'),
  Target: defineSearchAttributeKey('Target', 'KEYWORD'),
  IncidentId: defineSearchAttributeKey('IncidentId', 'KEYWORD'),
  Severity: defineSearchAttributeKey('Severity', 'KEYWORD'),
  // Not `Status`: the SQL visibility store reserves that column name, so it could not be queried.
  Status: defineSearchAttributeKey('RunbookStatus', 'KEYWORD'),
};

/** An error the caller caused or can act on; `code` maps to CLI exit codes and HTTP statuses. */
export class RunbookError extends Error {
  constructor(
    message: string,
    readonly code: 'compile' | 'input' | 'not-found' | 'refused' | 'state',
    readonly details: string[] = []
  ) {
    super(details.length ? `${message}\n${details.join('\n')}` : message);
    this.name = 'RunbookError';
  }
}

