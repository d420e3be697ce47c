// `npm run bench`: runs every benchmark (or those named on the command line).
const benches: Record<string, () => Promise<unknown>> = {
  // name: () => import('./x.ts').then((m) => m.run()),
  logs: () => import('./logs.ts').then((m) => m.run()),
  ledger: () => import('./ledger.ts').then((m) => m.run()),
  runbook: () => import('./runbook.ts').then((m) => m.run()),
  predict: () => import('./predict.ts').then((m) => m.run()),
  fabric: () => import('./fabric.ts').then((m) => m.run()),
  redfish: () => import('./redfish.ts').then((m) => m.run()),
  telemetry: () => import('./telemetry.ts').then((m) => m.run()),
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n### bench: ${name}`);
  await run();
}
