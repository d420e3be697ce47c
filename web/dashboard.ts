// The project dashboard: one static page over the JSON API (runs, approvals, ledger, fleet,
// availability). No build step and no framework: the page is small and must work offline.
export function dashboardHtml(o: { temporalUiUrl?: string }): string {
  const ui = JSON.stringify(o.temporalUiUrl ?? '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Iron Throne</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  :root { --bg:#0f1419; --panel:#182029; --text:#d8dee6; --dim:#8a96a3; --ok:#3fb950; --warn:#d29922; --bad:#f85149; --accent:#58a6ff; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.45 system-ui, sans-serif; background:var(--bg); color:var(--text); }
  header { padding:14px 22px; border-bottom:1px solid #2a3441; display:flex; gap:18px; align-items:baseline; }
  header h1 { font-size:18px; margin:0; } header span { color:var(--dim); }
  main { display:grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap:16px; padding:16px 22px; }
  section { background:var(--panel); border-radius:8px; padding:12px 16px; }
  section h2 { font-size:14px; margin:0 0 10px; color:var(--dim); text-transform:uppercase; letter-spacing:.05em; }
  table { width:100%; border-collapse:collapse; } td, th { padding:4px 6px; text-align:left; border-bottom:1px solid #243040; vertical-align:top; }
  th { color:var(--dim); font-weight:500; }
  .ok { color:var(--ok) } .warn { color:var(--warn) } .bad { color:var(--bad) } .dim { color:var(--dim) }
  a { color:var(--accent); text-decoration:none } code { font-size:12px; }
  button { background:#238636; color:white; border:0; border-radius:5px; padding:4px 10px; cursor:pointer; margin-right:4px; }
  button.reject { background:#8b2c2c; } input { background:#0d1117; color:var(--text); border:1px solid #30363d; border-radius:4px; padding:3px 6px; width:90px; }
  .pill { display:inline-block; padding:0 7px; border-radius:9px; font-size:12px; background:#243040; }
  #msg { padding:0 22px; min-height:18px; }
</style></head>
<body>
<header><h1>Iron Throne</h1><span>availability, proven — runbooks on Temporal</span><span id="clock" class="dim"></span></header>
<div id="msg" class="dim"></div>
<main>
  <section id="approvals-panel"><h2>Waiting for approval</h2><div id="approvals" class="dim">none</div></section>
  <section><h2>Recent runs</h2><table id="runs"><tr><th>run</th><th>status</th><th>started</th></tr></table></section>
  <section><h2>Runbooks</h2><table id="runbooks"><tr><th>id</th><th>title</th><th>triggers</th></tr></table></section>
  <section><h2>Ledger</h2><div id="ledger" class="dim">not available</div></section>
  <section><h2>Fleet health</h2><div id="fleet" class="dim">not available</div></section>
  <section><h2>Availability</h2><div id="slo" class="dim">not available</div></section>
</main>
<script>
const UI = ${ui};
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
const cls = (s) => /COMPLETED|completed|OK|ok/.test(s) ? 'ok' : /FAILED|failed|rejected|rolled|Critical|TERMINATED/.test(s) ? 'bad' : 'warn';
const runLink = (id) => UI ? '<a href="' + UI + '/namespaces/default/workflows/' + encodeURIComponent(id) + '" target="_blank">' + esc(id) + '</a>' : esc(id);
async function get(path) { const r = await fetch(path); if (!r.ok) throw new Error(path + ': ' + r.status); return r.json(); }
async function decide(wid, stepId, decision) {
  const user = document.getElementById('u-' + stepId).value.trim();
  if (!user) { msg('enter the approver name first', 'bad'); return; }
  const r = await fetch('/api/runs/' + encodeURIComponent(wid) + '/approve', { method:'POST', headers:{'content-type':'application/json'}, body: JSON.stringify({ user, decision, stepId }) });
  const b = await r.json(); msg(r.ok ? decision + 'd ' + stepId + ' as ' + user : (b.error || r.status), r.ok ? 'ok' : 'bad'); refresh();
}
function msg(t, c) { const m = document.getElementById('msg'); m.textContent = t; m.className = c; }
async function refresh() {
  document.getElementById('clock').textContent = new Date().toLocaleTimeString();
  try {
    const runs = await get('/api/runs');
    document.getElementById('runs').innerHTML = '<tr><th>run</th><th>status</th><th>started</th></tr>' + runs.slice(0, 15).map((r) =>
      '<tr><td>' + runLink(r.workflowId) + '</td><td><span class="pill ' + cls(r.phase || r.status) + '">' + esc(r.phase || r.status) + '</span></td><td class="dim">' + esc(r.startTime.slice(11, 19)) + '</td></tr>').join('');
    const waiting = runs.filter((r) => r.status === 'RUNNING' && r.phase === 'waiting-approval');
    const rows = [];
    for (const r of waiting) {
      const p = await get('/api/runs/' + encodeURIComponent(r.workflowId));
      const a = p.pendingApproval; if (!a) continue;
      rows.push('<div style="margin-bottom:10px"><b>' + esc(p.title) + '</b> — ' + esc(a.name) + '<br><span class="dim">' + esc(a.message || '') + ' · roles ' + esc(a.roles.join(', ')) + ' · ' + (a.needed - a.approvedBy.length) + ' more needed</span><br>' +
        '<input id="u-' + esc(a.stepId) + '" placeholder="user"> <button onclick="decide(\\'' + esc(r.workflowId) + '\\', \\'' + esc(a.stepId) + '\\', \\'approve\\')">Approve</button><button class="reject" onclick="decide(\\'' + esc(r.workflowId) + '\\', \\'' + esc(a.stepId) + '\\', \\'reject\\')">Reject</button></div>');
    }
    document.getElementById('approvals').innerHTML = rows.join('') || '<span class="dim">none</span>';
  } catch (e) { msg(String(e), 'bad'); }
  try {
    const rbs = await get('/api/runbooks');
    document.getElementById('runbooks').innerHTML = '<tr><th>id</th><th>title</th><th>triggers</th></tr>' + rbs.map((b) =>
      '<tr><td><code>' + esc(b.id || b.file) + '</code></td><td>' + esc(b.title) + (b.errors ? ' <span class="bad">(' + b.errors + ' errors)</span>' : '') + '</td><td class="dim">' + esc((b.triggers || []).map((t) => t.event).join(', ')) + '</td></tr>').join('');
  } catch {}
  for (const [id, path, render] of PANELS) { try { document.getElementById(id).innerHTML = render(await get(path)); } catch {} }
}
const PANELS = [
  ['ledger', '/api/v1/ledger/head', (h) => 'height <b>' + esc(h.height) + '</b> · records <b>' + esc(h.treeSize) + '</b><br><code>root ' + esc(String(h.root).slice(0, 32)) + '…</code>'],
  ['fleet', '/api/v1/fleet', (f) => '<table>' + (f.hosts || []).map((h) => '<tr><td>' + esc(h.host) + '</td><td class="' + cls(h.health) + '">' + esc(h.health) + '</td><td class="dim">' + esc(h.detail || '') + '</td></tr>').join('') + '</table>'],
  ['slo', '/api/v1/slo?window=30d', (s) => '<table><tr><th>group</th><th>uptime</th><th>SLO</th><th>budget left</th><th>incidents</th></tr>' + (s.figures || []).map((r) => '<tr><td>' + esc(r.group) + '</td><td class="' + (r.attained ? 'ok' : 'bad') + '">' + (r.uptime * 100).toFixed(3) + '%</td><td>' + (r.objective * 100).toFixed(2) + '%</td><td>' + (r.errorBudgetLeft * 100).toFixed(1) + '%</td><td>' + esc(r.incidents) + '</td></tr>').join('') + '</table><span class="dim">' + esc(s.window && String(s.window.from).slice(0, 16).replace('T', ' ')) + ' .. ' + esc(s.window && String(s.window.to).slice(0, 16).replace('T', ' ')) + ' UTC (30 days), from ledger height ' + esc(s.ledger && s.ledger.height) + ', root ' + esc(s.ledger && String(s.ledger.root).slice(0, 16)) + '…</span>'],
];
refresh(); setInterval(refresh, 3000);
</script>
</body></html>`;
}
