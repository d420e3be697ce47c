// Redfish push: every inventory BMC is subscribed to a listener on 127.0.0.1; an alert from a
// host starts an immediate fleet sweep of that host (which records the transition on the ledger
// and dispatches runbooks), so detection does not wait for the next scheduled poll.
import type { Client } from '@temporalio/client';
import { listenForEvents, subscribe, type EventListener, type HardwareAlert } from '../../core/hardware/events.ts';
import { inventoryPath, loadInventory } from '../../core/hardware/inventory.ts';
import { HardwareService } from '../../core/hardware/service.ts';
import { dataDir, projectRoot } from '../../core/config.ts';
import { fleetSweep } from '../../workflows/fleet-sweep.ts';

/** One targeted sweep per host at a time, at most one per `quietMs` (alert storms repeat). */
export function alertHandler(client: Client, taskQueue: string, log: (s: string) => void, quietMs = 10_000) {
  const last = new Map<string, number>();
  return (a: HardwareAlert) => {
    const now = Date.now();
    if (now - (last.get(a.host) ?? 0) < quietMs) return;
    last.set(a.host, now);
    log(`push alert from ${a.host}: ${a.messageId} ${a.message} → sweeping ${a.host} now`);
    client.workflow
      .start(fleetSweep, { taskQueue, workflowId: `fleet-sweep:push:${a.host}:${now}`, args: [{ hosts: [a.host], handOff: 'ledger', dispatch: true }] })
      .catch((err: unknown) => log(`could not start the push sweep for ${a.host}: ${String(err)}`));
  };
}

export async function startPushEvents(client: Client, taskQueue: string, log: (s: string) => void): Promise<EventListener> {
  const listener = await listenForEvents(alertHandler(client, taskQueue, log));
  const hw = new HardwareService({ inventory: loadInventory(inventoryPath(projectRoot)), dataDir: dataDir('hardware') });
  const subscribed: string[] = [];
  for (const h of hw.opts.inventory.hosts) {
    try {
      await subscribe(hw.client(h.name), listener.url, h.name);
      subscribed.push(h.name);
    } catch (err) {
      log(`push events: ${h.name} not subscribed (${err instanceof Error ? err.message : String(err)}); the sweep still polls it`);
    }
  }
  log(`Redfish push events: ${subscribed.length} BMC(s) subscribed to ${listener.url}`);
  return listener;
}
