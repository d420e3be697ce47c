// `ironthrone ledger …` as the real CLI process, on a fresh data folder, with no stack running
// (TEMPORAL_ADDRESS points at a closed port, so `import` writes directly).
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/config.ts';
import { freePort } from '../../scripts/lib/procs.ts';
import { testDataDir } from '../helpers/temporal.ts';

const dataDir = testDataDir('ledger-cli');
const closedPort = await freePort();
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(projectRoot, 'bin', 'ironthrone.js'), ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: {
      ...process.env,
      IRONTHRONE_DATA_DIR: dataDir,
      TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}`,
      IRONTHRONE_LEDGER: 'embedded',
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ironthrone ledger', { timeout: 300_000 }, () => {
  it('refuses a file with bad lines, naming line and field, and writes nothing', () => {
    const good = readFileSync(join(projectRoot, 'docs/examples/events.jsonl'), 'utf8').trim().split('\n');
    const file = join(dataDir, 'bad.jsonl');
    writeFileSync(
      file,
      [
        good[0],
        '{"target":"h1","kind":"x","from":"up","to":"down","severity":"bad","observedAt":"2026-01-01T00:00:00Z","source":"s","payload":1}',
        'not json',
        good[1],
        good[0],
      ].join('\n')
    );
    const r = cli('ledger', 'import', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:2: severity:`);
    expect(r.stderr).toContain(`${file}:3: not valid JSON`);
    expect(r.stderr).toContain(`${file}:5: id: duplicate of line 1`);
    expect(r.stderr).toContain('nothing was imported');
    expect(JSON.parse(cli('--json', 'ledger', 'head').stdout)).toMatchObject({ height: 0, treeSize: 0 });
  });

  it('imports the sample in batches, idempotently, and verifies, proves, shows and exports it', () => {
    const r = cli('--json', 'ledger', 'import', 'docs/examples/events.jsonl', '--batch-size', '10');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      via: 'direct',
      records: 24,
      appended: 24,
      head: { height: 3, treeSize: 24 },
    });
    expect(
      JSON.parse(cli('--json', 'ledger', 'import', 'docs/examples/events.jsonl', '--batch-size', '10').stdout)
    ).toMatchObject({ appended: 0, duplicates: 24 });
    const v = cli('ledger', 'verify');
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^ok: 3 blocks, 24 records verified/);
    expect(cli('ledger', 'verify', '--from', '2', '--to', '3').stdout).toMatch(/^ok: 2 blocks, 14 records/);

    const exported = cli('ledger', 'export')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; target: string });
    expect(exported).toHaveLength(24);
    const proof = cli('--json', 'ledger', 'prove', exported[13]!.id);
    expect(proof.status).toBe(0);
    expect(JSON.parse(proof.stdout)).toMatchObject({
      height: 2,
      proof: { leafIndex: 13, treeSize: 24 },
      check: { ok: true },
    });
    expect(cli('ledger', 'prove', 'nope').status).toBe(3);
    const show = cli('--json', 'ledger', 'show', '#2');
    expect(JSON.parse(show.stdout)).toMatchObject({ height: 2, count: 10, firstIndex: 10 });
    expect(cli('ledger', 'show', 'no-such-batch').status).toBe(3);
    expect(cli('ledger', 'export', '--blocks').stdout.trim().split('\n')).toHaveLength(3);
    const q = JSON.parse(cli('--json', 'ledger', 'query', '--target', exported[0]!.target).stdout) as unknown[];
    expect(q.length).toBe(exported.filter((e) => e.target === exported[0]!.target).length);
  });

  it('verify names the tampered block and exits 1', () => {
    const db = new Database(join(dataDir, 'ledger', 'ledger.sqlite'));
    db.prepare(
      `UPDATE records SET json = replace(json, '"severity":"critical"', '"severity":"info"') WHERE idx = (SELECT MIN(idx) FROM records WHERE height = 2 AND json LIKE '%"severity":"critical"%')`
    ).run();
    db.close();
    const v = cli('ledger', 'verify');
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/^TAMPERED: block 2: record \S+ at leaf 1\d: stored JSON does not hash to its leaf/);
    expect(cli('ledger', 'verify', '--to', '1').status).toBe(0);
  });
});
