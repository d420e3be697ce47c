import { fileURLToPath } from 'node:url';

/** Workflows are registered by path: they run in their own V8 context from a bundle. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
