// Act 4: prediction before an outage. Twelve hours of a server's inlet temperature reach the
// telemetry store through the Atlas publish API; its last minutes start climbing while every
// component is still healthy. The prediction sweep scores the series, records the prediction on
// the ledger and starts the runbook whose `prediction` trigger matches it. Each run publishes its
// own series (tag `demo.run`): a later `npm start` reuses the data folder, and the store refuses
// points older than a series' newest ones, so a shared series would mix this run's climb with the
// history of the last one.
import pc from 'picocolors';
import { progress } from '../../client/runs.ts';
import { renderProgress } from '../../cli/commands/runs.ts';
import { predictSweep } from '../../workflows/predict-sweep.ts';
import { until } from './cli.ts';
import type { DemoContext } from './index.ts';

const HOST = 'sim-002';

export async function predictAct(ctx: DemoContext): Promise<boolean> {
  const { client, log, taskQueue } = ctx;
  log(pc.bold('4. prediction before an outage') + ` — ${HOST}'s inlet temperature starts to climb; every component still reads OK`);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const run = String(now);
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const metrics = [];
  const N = 720;
  const RAMP = 6;
  for (let i = 0; i < N + RAMP; i++) {
    const value = i < N ? 45 + 2 * Math.sin(i / 30) + rnd() : 47 + (i - N) * 1.6 + rnd();
    metrics.push({ tags: { name: 'demo.inlet.temperature', host: HOST, 'nf.app': 'checkout', 'demo.run': run }, timestamp: now - (N + RAMP - i) * 60_000, value });
  }
  const pub = await fetch(new URL('/api/v1/publish', ctx.apiBase), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ metrics }) });
  log(`published ${metrics.length} datapoints (12 h at 1-minute steps) → HTTP ${pub.status}`);
  const result = await client.workflow.execute(predictSweep, {
    taskQueue,
    workflowId: `predict-sweep:demo:${Date.now()}`,
    args: [{ query: `name,demo.inlet.temperature,:eq,demo.run,${run},:eq,:and,(,host,),:by`, windowMs: 13 * 3600_000, threshold: 0.9, uncertainBelow: 0.7, handOff: 'ledger', dispatch: true }],
  });
  for (const p of result.predictions) log(`prediction (${p.band}): ${pc.yellow(p.explanation.summary)}`);
  if (result.predictions.length === 0) {
    log(pc.red(`no prediction raised (${result.scored} scored, ${result.quiet} quiet)`));
    return false;
  }
  const wid = await until(async () => {
    for await (const w of client.workflow.list({ query: `RunbookId='hw-thermal-prediction' AND Target='${HOST}'` })) return w.workflowId;
    return undefined;
  }, 60_000);
  if (!wid) {
    log(pc.red('no runbook was started for the prediction'));
    return false;
  }
  log(`the prediction trigger started ${pc.bold('hw-thermal-prediction')} as ${wid}`);
  try {
    await client.workflow.getHandle(wid).result();
  } catch (err) {
    log(pc.red(`hw-thermal-prediction failed: ${err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err)}`));
    return false;
  }
  console.log('\n' + renderProgress(wid, await progress(client, wid)));
  return true;
}
