// Every activity the workers register. Names are history-visible: rename never.
// Each capability exports a factory `create<Capability>Activities(opts)` in its own file; it is
// merged here, one line each. Workflows use `import type { Activities }` only.

import { createStepActivities } from './steps.ts';
import { createIncidentActivities } from './incidents.ts';
import { createRunbookLedgerActivities } from './runbook-ledger.ts';
import { createPredictLedgerActivities } from './predict-ledger.ts';
import { createLedgerActivities } from './ledger.ts';
import { createLogsActivities } from './logs.ts';
import { createPredictActivities } from './predict.ts';
import { createInsightActivities } from './insight.ts';
import { createRedfishActivities } from './redfish.ts';
import { createProbesActivities } from './probes.ts';

export interface ActivityOptions {
  /** Root data folder for stores opened by activities. */
  dataDir?: string;
}

export function createActivities(_opts: ActivityOptions = {}) {
  return {
    // capabilities merge here, one line each: ...createXActivities(opts),
    ...createLogsActivities(_opts),
    ...createStepActivities(),
    ...createIncidentActivities(),
    ...createRunbookLedgerActivities(_opts),
    ...createPredictLedgerActivities(_opts),
    ...createLedgerActivities(_opts),
    ...createPredictActivities(_opts),
    ...createInsightActivities(),
    ...createRedfishActivities(_opts),
    ...createProbesActivities(_opts),
  };
}

export type Activities = ReturnType<typeof createActivities>;
