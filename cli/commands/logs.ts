// `ironthrone logs …`: search, verify a line against the ledger, ingest files, run a syslog
// receiver, apply retention. The store is SQLite FTS5 unless IRONTHRONE_LOG_STORE=elasticsearch.
import type { Command } from 'commander';
import { openLedger } from '../../core/ledger/index.ts';
import { followFile } from '../../core/logs/ingest/file-follow.ts';
import { startSyslogServer } from '../../core/logs/ingest/syslog-server.ts';
import { closeSharedLogPipeline, sharedLogPipeline, openLogStore } from '../../core/logs/open.ts';
import { toLogQuery, timeArg, type QueryArgs } from '../../core/logs/query-args.ts';
import { LogQueryError, LogStoreUnavailableError } from '../../core/logs/store.ts';
import type { LogDoc } from '../../core/logs/types.ts';
import { verifyLine } from '../../core/logs/verify.ts';
import { CliError, EXIT, emit } from '../output.ts';

const isJson = (cmd: Command) => Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);

export function renderDoc(d: LogDoc): string {
  const where = [d.host, d.service].filter(Boolean).join('/') || '-';
  const id = d.messageId ? ` ${d.messageId}` : '';
  const tags = d.tags.length ? ` [${d.tags.join(',')}]` : '';
  return `${d.ts} ${d.severity.padEnd(8)} ${where}${id} ${d.message}${tags}  (${d.id})`;
}

function mapError(err: unknown): never {
  if (err instanceof LogQueryError) throw new CliError(err.message, EXIT.usage);
  if (err instanceof LogStoreUnavailableError) throw new CliError(err.message, EXIT.unavailable);
  throw err;
}

export function registerLogsCommands(program: Command): void {
  const logs = program.command('logs').description('log pipeline: search, verify against the ledger, ingest');

  logs
    .command('search [words...]')
    .description('full-text search, newest first (all words must match)')
    .option('--host <host>')
    .option('--service <service>')
    .option('--since <time>', 'duration back from now (15m, 2h) or ISO time')
    .option('--until <time>', 'duration back from now or ISO time')
    .option('--min-severity <level>', 'debug, info, warning, error or critical')
    .option('--message-id <id>', 'Dell message id, e.g. FAN0001')
    .option('--correlation-id <id>')
    .option('--tag <tag>', 'e.g. parse_error, truncated')
    .option('-n, --limit <n>', 'at most this many lines', '50')
    .action(async (words: string[], o: QueryArgs, cmd: Command) => {
      const store = openLogStore();
      try {
        const r = await Promise.resolve()
          .then(() => store.search(toLogQuery({ ...o, text: words.join(' ') })))
          .catch(mapError);
        emit(isJson(cmd), r, () => [...r.hits.map(renderDoc), `${r.hits.length} of ${r.total} line(s)`].join('\n'));
      } finally {
        await store.close();
      }
    });

  logs
    .command('verify <id>')
    .description('prove a stored line is what was ingested: inclusion proof against the batch root on the ledger')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const store = openLogStore();
      const ledger = await openLedger();
      try {
        const v = await verifyLine(store, ledger, id).catch(mapError);
        emit(isJson(cmd), v, () =>
          v.ok
            ? `ok: line ${id} is leaf ${v.proof!.leafIndex} of ${v.proof!.treeSize} in batch ${v.batchId}\n    batch root ${v.ledgerRoot} is ledger record ${v.ledgerRecordId} (ledger height ${v.ledgerHead!.height}, root ${v.ledgerHead!.root})`
            : `FAILED: ${v.reason}`
        );
        if (!v.ok) throw new CliError(`line ${id} did not verify`, v.doc ? EXIT.failure : EXIT.notFound);
      } finally {
        await store.close();
        await ledger.close();
      }
    });

  logs
    .command('ingest <files...>')
    .description('read log files through the pipeline (any supported format); --follow keeps tailing them')
    .option('--follow', 'keep following the files, across rotation, until interrupted')
    .action(async (files: string[], o: { follow?: boolean }) => {
      const { pipeline } = await sharedLogPipeline();
      const followers = files.map((path) => followFile({ pipeline, path }));
      for (const f of followers) await f.poll();
      if (o.follow) {
        await new Promise<void>((r) => process.once('SIGINT', () => r()));
      }
      for (const f of followers) await f.close();
      await closeSharedLogPipeline();
      console.log(
        `${followers.reduce((n, f) => n + f.lines, 0)} line(s) read; ${pipeline.stats.indexed} indexed, ${pipeline.stats.existing} already present, ${pipeline.stats.spooledBatches} batch(es) spooled`
      );
    });

  logs
    .command('syslog')
    .description('receive syslog (RFC 5424/3164) over UDP and TCP until interrupted')
    .option('--host <addr>', 'listen address', '127.0.0.1')
    .option('--udp <port>', 'UDP port', '5514')
    .option('--tcp <port>', 'TCP port', '5514')
    .action(async (o: { host: string; udp: string; tcp: string }) => {
      const { pipeline } = await sharedLogPipeline();
      const srv = await startSyslogServer({ pipeline, host: o.host, udpPort: Number(o.udp), tcpPort: Number(o.tcp) });
      console.log(`syslog on ${o.host} udp/${srv.udpPort} tcp/${srv.tcpPort}; Ctrl-C stops`);
      await new Promise<void>((r) => process.once('SIGINT', () => r()));
      await srv.close();
      await closeSharedLogPipeline();
    });

  logs
    .command('retention')
    .description('drop logs older than the given age (whole UTC days)')
    .requiredOption('--keep <duration>', 'how much to keep, e.g. 14d')
    .action(async (o: { keep: string }, cmd: Command) => {
      const store = openLogStore();
      try {
        const cutoff = (() => {
          try {
            return timeArg(o.keep, 'keep');
          } catch (err) {
            return mapError(err);
          }
        })();
        const removed = await store.deleteBefore(cutoff).catch(mapError);
        emit(
          isJson(cmd),
          { cutoff, removed },
          () => `removed ${removed} line(s) from days before ${cutoff.slice(0, 10)}`
        );
      } finally {
        await store.close();
      }
    });
}
