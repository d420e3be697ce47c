// `ironthrone ledger import | head | verify | prove | show | export | query`: the tamper-evident
// ledger from the command line. `import` writes straight to the ledger when no worker is serving
// the task queue, and through the durable batcher when the stack is running.
import type { Command } from 'commander';
import { Connection, Client, WithStartWorkflowOperation } from '@temporalio/client';
import { createWriteStream } from 'node:fs';
import { LEDGER_BATCHER_ID } from '../../activities/ledger.ts';
import { dataDir, temporalSettings } from '../../core/config.ts';
import { EmbeddedLedger } from '../../core/ledger/embedded.ts';
import { ImportError, readEventFile, type ParsedImport } from '../../core/ledger/import.ts';
import {
  openLedger,
  verifyInclusion,
  type Ledger,
  type LedgerQuery,
  type LedgerRecordType,
} from '../../core/ledger/index.ts';
import { ledgerBatcher, ledgerFlushUpdate, ledgerSubmitUpdate } from '../../workflows/ledger-batcher.ts';
import { CliError, EXIT, emit } from '../output.ts';

const json = (cmd: Command) => Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);
const kind = () => process.env.IRONTHRONE_LEDGER ?? 'embedded';
const int = (v: string | undefined, name: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new CliError(`${name}: expected a non-negative integer, got '${v}'`, EXIT.usage);
  return n;
};

async function withLedger<T>(fn: (l: Ledger) => Promise<T>): Promise<T> {
  const l = await openLedger(kind(), { dir: dataDir('ledger') });
  try {
    return await fn(l);
  } finally {
    await l.close();
  }
}

/** A Temporal client when a worker is polling the task queue (the stack is up), else undefined. */
async function runningStack(): Promise<Client | undefined> {
  const t = temporalSettings();
  try {
    const connection = await Connection.connect({ address: t.address, connectTimeout: 1500 });
    const client = new Client({ connection, namespace: t.namespace });
    const tq = await connection.workflowService.describeTaskQueue({
      namespace: t.namespace,
      taskQueue: { name: t.taskQueue },
      taskQueueType: 1,
    });
    if ((tq.pollers ?? []).length > 0) return client;
    await connection.close();
  } catch {
    /* no server: import directly */
  }
  return undefined;
}

async function importDirect(parsed: ParsedImport, batchSize: number) {
  return withLedger(async (l) => {
    let appended = 0;
    let duplicates = 0;
    for (let i = 0, n = 0; i < parsed.records.length; i += batchSize, n++) {
      const batch = parsed.records.slice(i, i + batchSize).map((v) => v.record);
      // Batch ids from the file digest: importing the same file again changes nothing.
      const r = await l.appendBatch(`import:${parsed.fileDigest.slice(0, 16)}:${batchSize}:${n}`, batch, {
        skipExisting: true,
      });
      appended += r.duplicate ? 0 : r.count;
      duplicates += r.duplicate ? r.count : r.skippedIds.length;
    }
    return { via: 'direct' as const, appended, duplicates, head: await l.head() };
  });
}

async function importViaBatcher(client: Client, parsed: ParsedImport) {
  const t = temporalSettings();
  const workflowId = process.env.IRONTHRONE_LEDGER_BATCHER_ID ?? LEDGER_BATCHER_ID;
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < parsed.records.length; i += 500) {
    const chunk = parsed.records.slice(i, i + 500).map((v) => v.record);
    for (let attempt = 0; ; attempt++) {
      try {
        const start = new WithStartWorkflowOperation(ledgerBatcher, {
          workflowId,
          taskQueue: t.taskQueue,
          args: [{}],
          workflowIdConflictPolicy: 'USE_EXISTING',
        });
        const r = await client.workflow.executeUpdateWithStart(ledgerSubmitUpdate, {
          args: [chunk],
          startWorkflowOperation: start,
        });
        accepted += r.accepted;
        duplicates += r.duplicates;
        break;
      } catch (err) {
        // Backpressure: the batcher refuses while its buffer is full; wait and retry.
        if (
          attempt > 60 ||
          !/buffer full|draining/.test(String(((err as Error).cause as Error | undefined)?.message ?? err))
        )
          throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
  const status = await client.workflow.getHandle(workflowId).executeUpdate(ledgerFlushUpdate);
  return { via: 'batcher' as const, accepted, duplicates, status };
}

export function registerLedgerCommands(program: Command): void {
  const ledger = program.command('ledger').description('the tamper-evident availability ledger');

  ledger
    .command('import <events.jsonl>')
    .description('append availability events (one JSON object a line) in batches; the whole file is checked first')
    .option(
      '--batch-size <n>',
      'records per block when writing directly',
      process.env.IRONTHRONE_LEDGER_BATCH ?? '1000'
    )
    .option('--direct', 'write to the ledger directly even when the stack is running')
    .action(async (file: string, o: { batchSize: string; direct?: boolean }, cmd: Command) => {
      const batchSize = int(o.batchSize, '--batch-size')!;
      if (batchSize < 1 || batchSize > 100_000) throw new CliError('--batch-size: expected 1..100000', EXIT.usage);
      let parsed: ParsedImport;
      try {
        parsed = readEventFile(file);
      } catch (err) {
        if (err instanceof ImportError) throw new CliError(err.message, EXIT.usage);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          throw new CliError(`${file}: no such file`, EXIT.notFound);
        throw err;
      }
      const client = o.direct ? undefined : await runningStack();
      const result = client ? await importViaBatcher(client, parsed) : await importDirect(parsed, batchSize);
      emit(json(cmd), { file, records: parsed.records.length, ...result }, () =>
        result.via === 'direct'
          ? `imported ${result.appended} of ${parsed.records.length} events from ${file} (${result.duplicates} already present); head height ${result.head.height}, ${result.head.treeSize} records, root ${result.head.root}`
          : `submitted ${parsed.records.length} events from ${file} through the ledger batcher (${result.accepted} accepted, ${result.duplicates} duplicates), all flushed`
      );
    });

  ledger
    .command('head')
    .description('the signed head: height, tree size, Merkle root, signature')
    .action(async (_o: unknown, cmd: Command) => {
      const h = await withLedger((l) => l.head());
      emit(
        json(cmd),
        h,
        () =>
          `height ${h.height}\nrecords ${h.treeSize}\nroot ${h.root}\nblock ${h.blockHash}\nsignature ${h.signature || '(none: empty ledger)'}`
      );
    });

  ledger
    .command('verify')
    .description('recompute every block from its records; name the first bad block and why (exit 1)')
    .option('--from <height>', 'first block height to check')
    .option('--to <height>', 'last block height to check')
    .action(async (o: { from?: string; to?: string }, cmd: Command) => {
      const range = { fromHeight: int(o.from, '--from'), toHeight: int(o.to, '--to') };
      const started = Date.now();
      const r =
        kind() === 'embedded'
          ? await EmbeddedLedger.verifyDir(dataDir('ledger'), range)
          : await withLedger((l) => l.verify(range));
      emit(json(cmd), r, () =>
        r.ok
          ? `ok: ${r.checked} blocks, ${r.records} records verified in ${Date.now() - started} ms`
          : `TAMPERED: block ${r.firstBad?.height}: ${r.firstBad?.reason} (${r.checked} blocks before it verified)`
      );
      if (!r.ok) process.exitCode = EXIT.failure;
    });

  ledger
    .command('prove <recordId>')
    .description('inclusion proof of a record against the current signed head (checked before printing)')
    .option('--size <treeSize>', 'prove against an earlier tree size')
    .action(async (recordId: string, o: { size?: string }, cmd: Command) => {
      const out = await withLedger(async (l) => {
        const rec = await l.getRecord(recordId);
        if (!rec) throw new CliError(`record ${recordId} is not in the ledger`, EXIT.notFound);
        const proof = await l.proveInclusion(recordId, int(o.size, '--size'));
        const root = o.size ? await l.rootAt(proof.treeSize) : (await l.head()).root;
        return { record: rec.record, height: rec.height, proof, check: verifyInclusion(proof, rec.record, root) };
      });
      emit(json(cmd), out, () =>
        [
          `record ${recordId} in block ${out.height}, leaf ${out.proof.leafIndex} of ${out.proof.treeSize}`,
          `leaf hash ${out.proof.leafHash}`,
          ...out.proof.path.map((h, i) => `path[${i}] ${h}`),
          `root ${out.proof.root}`,
          out.check.ok ? 'proof verified' : `PROOF FAILED: ${out.check.reason}`,
        ].join('\n')
      );
      if (!out.check.ok) process.exitCode = EXIT.failure;
    });

  ledger
    .command('show <batchId>')
    .description('a block (by batch id, or #<height>) with its records')
    .action(async (batchId: string, _o: unknown, cmd: Command) => {
      const b = await withLedger((l) =>
        /^#\d+$/.test(batchId) ? l.getBlock(Number(batchId.slice(1))) : l.getBatch(batchId)
      );
      if (!b) throw new CliError(`batch ${batchId} is not in the ledger`, EXIT.notFound);
      emit(json(cmd), b, () =>
        [
          `block ${b.height} batch ${b.batchId} at ${b.createdAt}`,
          `records ${b.count} (leaves ${b.firstIndex}..${b.treeSize - 1}), batch root ${b.batchRoot}`,
          `tree root ${b.treeRoot}, prev ${b.prevHash}`,
          `hash ${b.blockHash}`,
          ...b.records.map((r) => `  ${r.id}  ${r.type}  ${JSON.stringify(r)}`),
        ].join('\n')
      );
    });

  ledger
    .command('query')
    .description('records by target, kind, type and time range')
    .option('--target <t>')
    .option('--kind <k>')
    .option('--type <type>')
    .option('--from <iso>', 'inclusive lower bound of the record time')
    .option('--to <iso>', 'exclusive upper bound of the record time')
    .option('--limit <n>', 'at most this many (≤ 10000)', '100')
    .action(
      async (
        o: { target?: string; kind?: string; type?: string; from?: string; to?: string; limit: string },
        cmd: Command
      ) => {
        const q: LedgerQuery = {
          target: o.target,
          kind: o.kind,
          type: o.type as LedgerRecordType | undefined,
          from: o.from,
          to: o.to,
          limit: int(o.limit, '--limit'),
        };
        const rows = await withLedger((l) => l.query(q)).catch((err: unknown) => {
          throw err instanceof RangeError ? new CliError(err.message, EXIT.usage) : err;
        });
        emit(
          json(cmd),
          rows,
          () => rows.map((r) => `${r.height}\t${r.leafIndex}\t${JSON.stringify(r.record)}`).join('\n') || '(no records)'
        );
      }
    );

  ledger
    .command('export')
    .description('every record as JSON lines, in ledger order (re-importable), or block headers with --blocks')
    .option('--out <file>', 'write to a file instead of standard output')
    .option('--blocks', 'export block headers (height, batch, roots, hash, signature) instead')
    .action(async (o: { out?: string; blocks?: boolean }) => {
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      await withLedger(async (l) => {
        const head = await l.head();
        for (let h = 1; h <= head.height; h++) {
          const b = (await l.getBlock(h))!;
          if (o.blocks) {
            const { records: _r, ...header } = b;
            out.write(JSON.stringify(header) + '\n');
          } else for (const r of b.records) out.write(JSON.stringify(r) + '\n');
        }
      });
      if (o.out) await new Promise<void>((res) => (out as NodeJS.WritableStream).end(() => res()));
    });
}
