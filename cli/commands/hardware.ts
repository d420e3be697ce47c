// `ironthrone simulate idrac|fault` (the built-in iDRAC simulator) and `ironthrone hardware …`
// (health, logs and guarded actions on inventory hosts, a one-shot sweep).
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, projectRoot } from '../../core/config.ts';
import { isRedfishError } from '../../core/hardware/errors.ts';
import { InventoryError, inventoryPath, loadInventory } from '../../core/hardware/inventory.ts';
import { HardwareService, READ_ACTIONS, WRITE_ACTIONS, type RedfishAction } from '../../core/hardware/service.ts';
import { SweepStore } from '../../core/hardware/handoff.ts';
import { pollHost } from '../../core/hardware/sweep.ts';
import { FAULTS } from '../../core/hardware/simulator/messages.ts';
import { simulatorInventoryYaml, SIM_PASSWORD_ENV } from '../../core/hardware/simulator/inventory-file.ts';
import { startSimulator } from '../../core/hardware/simulator/server.ts';
import { CliError, EXIT, emit } from '../output.ts';

const simDir = () => dataDir('hardware', 'simulator');
const stateFile = () => join(simDir(), 'simulator.json');
const json = (cmd: Command) => Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);

function cliError(err: unknown): never {
  if (isRedfishError(err)) {
    const code =
      err.type === 'UnknownHostError'
        ? EXIT.notFound
        : ['RedfishTimeoutError', 'RedfishUnreachableError'].includes(err.type)
          ? EXIT.unavailable
          : err.type === 'RedfishBadRequestError' || err.type === 'RedfishUnsupportedResetTypeError'
            ? EXIT.usage
            : EXIT.failure;
    throw new CliError(`${err.type}: ${err.message}`, code);
  }
  if (err instanceof InventoryError) throw new CliError(err.message, EXIT.usage);
  throw err;
}

function service(opts: { inventory?: string; timeout?: string }): HardwareService {
  try {
    return new HardwareService({
      inventory: loadInventory(opts.inventory ?? inventoryPath(projectRoot)),
      dataDir: dataDir('hardware'),
      timeoutMs: opts.timeout ? Number(opts.timeout) : undefined,
    });
  } catch (e) {
    cliError(e);
  }
}

function registerSimulate(program: Command): void {
  const sim = program.command('simulate').description('built-in simulators for demos and runbook tests');
  sim
    .command('idrac')
    .description('run N simulated Dell iDRACs (Redfish over HTTPS, one port per host) until interrupted')
    .option('--hosts <n>', 'number of hosts', '3')
    .option('--port <p>', 'first host port (hosts take consecutive ports); 0 picks free ports', '0')
    .option('--admin-port <p>', 'port of the fault-injection admin API; 0 picks a free one', '0')
    .option('--boot-ms <ms>', 'time a power cycle takes', '6000')
    .action(async (o: { hosts: string; port: string; adminPort: string; bootMs: string }, cmd: Command) => {
      const n = Number(o.hosts);
      if (!Number.isInteger(n) || n < 1 || n > 5000)
        throw new CliError(`--hosts: expected an integer 1..5000, got '${o.hosts}'`, EXIT.usage);
      const running = await startSimulator({
        hosts: n,
        basePort: Number(o.port),
        adminPort: Number(o.adminPort),
        certDir: simDir(),
        timings: { bootMs: Number(o.bootMs) },
      });
      const inv = join(simDir(), 'inventory.yaml');
      writeFileSync(inv, simulatorInventoryYaml(running));
      writeFileSync(
        stateFile(),
        JSON.stringify({ adminUrl: running.adminUrl, pid: process.pid, inventory: inv }, null, 2)
      );
      emit(
        json(cmd),
        { adminUrl: running.adminUrl, fingerprint256: running.fingerprint256, inventory: inv, hosts: running.hosts },
        () =>
          [
            `iDRAC simulator: ${n} hosts, admin API ${running.adminUrl}`,
            `certificate SHA-256 ${running.fingerprint256}`,
            `inventory written to ${inv} (password from $${SIM_PASSWORD_ENV}; user ${running.credentials.user}, password ${running.credentials.password})`,
            ...running.hosts.slice(0, 20).map((h) => `  ${h.name}  ${h.url}  ${h.serviceTag}`),
            ...(n > 20 ? [`  … ${n - 20} more`] : []),
            `inject a fault: ironthrone simulate fault <host> <${FAULTS.join('|')}>`,
          ].join('\n')
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.stop();
    });
  sim
    .command('fault')
    .description(`inject (or --repair) a fault on a simulated host: ${FAULTS.join(', ')}`)
    .argument('<host>')
    .argument('<fault>')
    .option('--repair', 'clear the fault instead (a technician fixed it)')
    .option('--admin <url>', 'admin API of the simulator (default: the one `simulate idrac` started)')
    .action(async (host: string, fault: string, o: { repair?: boolean; admin?: string }, cmd: Command) => {
      let admin = o.admin;
      if (!admin) {
        if (!existsSync(stateFile()))
          throw new CliError(
            `no running simulator found (${stateFile()} missing): start one with \`ironthrone simulate idrac\` or pass --admin`,
            EXIT.unavailable
          );
        admin = (JSON.parse(readFileSync(stateFile(), 'utf8')) as { adminUrl: string }).adminUrl;
      }
      const res = await fetch(`${admin}/hosts/${encodeURIComponent(host)}/faults/${encodeURIComponent(fault)}`, {
        method: o.repair ? 'DELETE' : 'POST',
      }).catch((e: unknown) => {
        throw new CliError(`simulator admin API ${admin} unreachable: ${String(e)}`, EXIT.unavailable);
      });
      const body = (await res.json()) as { error?: string; health?: string; faults?: string[] };
      if (!res.ok)
        throw new CliError(
          body.error ?? `admin API answered ${res.status}`,
          res.status === 404 ? EXIT.notFound : EXIT.usage
        );
      emit(json(cmd), body, () => `${host}: health ${body.health}, faults: ${body.faults?.join(', ') || 'none'}`);
    });
}

function registerHardware(program: Command): void {
  const hw = program
    .command('hardware')
    .description('Dell servers through Redfish: health, logs, guarded actions, sweep')
    .option('--inventory <file>', 'inventory YAML (default $IRONTHRONE_INVENTORY or config/inventory.yaml)')
    .option('--timeout <ms>', 'per-request BMC timeout');
  hw.command('read')
    .description(`read a host: ${READ_ACTIONS.join(', ')}`)
    .argument('<host>')
    .argument('[what]', 'what to read', 'health')
    .option('--path <p>', 'Redfish path for `get`')
    .action(async (host: string, what: string, o: { path?: string }, cmd: Command) => {
      if (!(READ_ACTIONS as readonly string[]).includes(what))
        throw new CliError(`unknown read '${what}', expected one of ${READ_ACTIONS.join(', ')}`, EXIT.usage);
      const s = service(hw.opts());
      try {
        const r = await s.perform({ host, action: what as RedfishAction, path: o.path });
        emit(json(cmd), r, () => JSON.stringify(r, null, 2));
      } catch (e) {
        cliError(e);
      } finally {
        await s.close();
      }
    });
  hw.command('act')
    .description(`act on a host, at most once per --key: ${WRITE_ACTIONS.join(', ')}`)
    .argument('<host>')
    .argument('<action>')
    .option('--reset-type <t>', 'ComputerSystem.Reset type for `reset`')
    .option('--key <k>', 'idempotency key (default cli:<host>:<action>:<time>)')
    .option('--dry-run', 'print the requests, send nothing')
    .action(
      async (host: string, action: string, o: { resetType?: string; key?: string; dryRun?: boolean }, cmd: Command) => {
        if (!(WRITE_ACTIONS as readonly string[]).includes(action))
          throw new CliError(`unknown action '${action}', expected one of ${WRITE_ACTIONS.join(', ')}`, EXIT.usage);
        const s = service(hw.opts());
        try {
          const r = await s.perform({
            host,
            action: action as RedfishAction,
            resetType: o.resetType,
            key: o.key ?? `cli:${host}:${action}:${Date.now()}`,
            dryRun: o.dryRun,
          });
          emit(json(cmd), r, () => JSON.stringify(r, null, 2));
        } catch (e) {
          cliError(e);
        } finally {
          await s.close();
        }
      }
    );
  hw.command('sweep')
    .description('poll every inventory host once and print health transitions since the last sweep')
    .option('--concurrency <n>', 'polls in flight', '32')
    .action(async (o: { concurrency: string }, cmd: Command) => {
      const s = service(hw.opts());
      const store = new SweepStore(dataDir('hardware'));
      try {
        const hosts = s.opts.inventory.hosts.map((h) => h.name);
        const polls: Awaited<ReturnType<typeof pollHost>>[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(Number(o.concurrency), hosts.length) }, async () => {
            while (next < hosts.length) polls.push(await pollHost(s, hosts[next++]!));
          })
        );
        const events = store.record(polls.map(({ sensors: _s, latencyMs: _l, ...p }) => p));
        emit(json(cmd), { polled: polls.length, events }, () =>
          [
            `polled ${polls.length} hosts`,
            ...polls
              .sort((a, b) => a.host.localeCompare(b.host))
              .map((p) => `  ${p.host.padEnd(12)} ${p.state.padEnd(11)} ${p.error ?? ''}`),
            `${events.length} transitions`,
            ...events.map((e) => `  ${e.target}: ${e.kind} ${e.from} -> ${e.to}`),
          ].join('\n')
        );
      } catch (e) {
        cliError(e);
      } finally {
        store.close();
        await s.close();
      }
    });
}

function registerRunbookTest(hw: Command): void {
  hw.command('test-runbook')
    .description(
      "run a runbook's declared tests (runbooks/<id>.test.yaml) against the iDRAC simulator on the Temporal server"
    )
    .argument('<spec...>', 'test files')
    .action(async (specs: string[], _o: unknown, cmd: Command) => {
      const { Connection, Client } = await import('@temporalio/client');
      const { NativeConnection } = await import('@temporalio/worker');
      const { runRunbookTests } = await import('./hardware-test.ts');
      const { loadRoles } = await import('../../client/users.ts');
      const { temporalSettings } = await import('../../core/config.ts');
      const t = temporalSettings();
      let conn, native;
      try {
        conn = await Connection.connect({ address: t.address, connectTimeout: 3000 });
        native = await NativeConnection.connect({ address: t.address });
      } catch (e) {
        throw new CliError(
          `Temporal server at ${t.address} unreachable (start it with npm start): ${String(e)}`,
          EXIT.unavailable
        );
      }
      let failed = 0;
      const all: unknown[] = [];
      try {
        for (const spec of specs) {
          const results = await runRunbookTests(spec, {
            client: new Client({ connection: conn, namespace: t.namespace }),
            connection: native,
            roles: loadRoles(),
          });
          all.push({ spec, results });
          failed += results.filter((r) => !r.passed).length;
          if (!json(cmd))
            for (const r of results)
              console.log(
                `${r.passed ? 'PASS' : 'FAIL'} ${spec}: ${r.name}${r.problems.map((p) => `\n     ${p}`).join('')}`
              );
        }
      } finally {
        await conn.close();
        await native.close();
      }
      if (json(cmd)) console.log(JSON.stringify(all, null, 2));
      if (failed) throw new CliError(`${failed} runbook test case(s) failed`, EXIT.failure);
    });
}

export function registerHardwareCommands(program: Command): void {
  registerSimulate(program);
  registerHardware(program);
  registerRunbookTest(program.commands.find((c) => c.name() === 'hardware')!);
}
