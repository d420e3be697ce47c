// Every activity the workers register. Names are history-visible: rename never.
// Each capability exports a factory over its dependencies, merged in workers/activities.ts.
export {};
