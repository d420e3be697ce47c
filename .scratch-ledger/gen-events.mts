const hosts = ['idrac-r740-01', 'idrac-r740-02', 'idrac-r650-03', 'svc:checkout-api', 'svc:payments'];
const lines: string[] = [];
let t = Date.UTC(2026, 9, 1, 8, 0, 0);
const states: Record<string, string> = {};
for (let i = 0; i < 24; i++) {
  const target = hosts[i % hosts.length]!;
  const from = states[target] ?? 'up';
  const to = from === 'up' ? (i % 3 === 0 ? 'degraded' : 'down') : 'up';
  states[target] = to;
  t += 7 * 60_000 + i * 13_000;
  const kind = to === 'up' ? 'availability.up' : to === 'down' ? 'availability.down' : 'availability.degraded';
  const severity = to === 'up' ? 'info' : to === 'down' ? 'critical' : 'warning';
  const ev: Record<string, unknown> = { target, kind, from, to, severity, observedAt: new Date(t).toISOString(), source: target.startsWith('svc:') ? 'http-probe' : 'redfish-poller' };
  ev.payload = target.startsWith('svc:') ? { status: to === 'up' ? 200 : 503, latencyMs: 40 + i } : { health: to === 'up' ? 'OK' : 'Critical', component: 'PSU.Slot.1' };
  if (i % 4 === 0) ev.tags = { region: 'eu-west-1', rack: `r${i % 3}` };
  lines.push(JSON.stringify(ev));
}
console.log(lines.join('\n'));
