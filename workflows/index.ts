// Workflow barrel: the worker bundles this file. Deterministic code only.
export {};
