// Workflow barrel: the worker bundles this file. Deterministic code only.
export { runRunbook } from './runbook.ts';
export { fleetSweep } from './fleet-sweep.ts';
