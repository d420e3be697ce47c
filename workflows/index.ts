// Workflow barrel: the worker bundles this file. Deterministic code only.
export { runRunbook } from './runbook.ts';
export { ledgerBatcher } from './ledger-batcher.ts';
export { fleetSweep } from './fleet-sweep.ts';
export { probeSweep } from './probe-sweep.ts';
export { predictSweep } from './predict-sweep.ts';
export { retrainModels } from './retrain.ts';
