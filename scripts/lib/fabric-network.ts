// A native Hyperledger Fabric network without Docker: one Raft orderer, two organisations with one
// peer each, the `availability` channel (joined through the channel participation API) and the
// ledger chaincode running as a service (one chaincode server per organisation). Everything
// listens on 127.0.0.1 and keeps its state under one data folder; a second start on the same
// folder reuses it (no crypto, channel or lifecycle work: seconds, not minutes).
import { existsSync, readFileSync, writeFileSync, mkdirSync, cpSync, chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { fabricBin, ensureFabricBinaries } from './fabric-build.ts';
import {
  CHAINCODE_NAME,
  CHANNEL,
  ORGS,
  TEMPLATE_DIR,
  layout,
  portsFrom,
  renderConfigs,
  type Layout,
  type OrgKey,
  type Ports,
} from './fabric-layout.ts';
import { createNetworkArtifacts, deployChaincode, run } from './fabric-setup.ts';
import { ensureChaincodeBuilt, chaincodeDir } from './fabric-chaincode.ts';
import { spawnServer, waitFor, type Spawned } from './procs.ts';

export interface FabricIdentity {
  mspId: string;
  certPath: string;
  keyPath: string;
}

export interface FabricPeerInfo {
  name: string;
  mspId: string;
  endpoint: string;
  /** The TLS server name the peer's certificate carries (its IP SAN 127.0.0.1 works too). */
  hostAlias: string;
  tlsCaCertPath: string;
}

export interface FabricNetworkInfo {
  dataDir: string;
  channel: string;
  chaincode: string;
  ports: Ports;
  peers: FabricPeerInfo[];
  orderer: { endpoint: string; tlsCaCertPath: string };
  /** Org1 client: the configured writer role. */
  writer: FabricIdentity;
  /** Org2 client: a channel member that may read but not write. */
  outsider: FabricIdentity;
  /** Package id of each organisation's CCaaS chaincode (what its chaincode server announces). */
  packageIds: Record<OrgKey, string>;
}

export interface FabricNetwork extends FabricNetworkInfo {
  stop(): Promise<void>;
  stopPeer(org: OrgKey): Promise<void>;
  startPeer(org: OrgKey): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  /** First of 24 consecutive ports (used only when the folder holds no network yet). */
  basePort?: number;
  log?: (s: string) => void;
  /** Leave the processes running when this process exits (for the CLI scripts). */
  detached?: boolean;
  batchTimeout?: string;
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => (req.destroy(), resolve(false)));
    req.end();
  });
}

export function networkInfo(l: Layout, ports: Ports, packageIds: Record<OrgKey, string>): FabricNetworkInfo {
  const p1 = l.peer('org1');
  const p2 = l.peer('org2');
  return {
    dataDir: l.dataDir,
    channel: CHANNEL,
    chaincode: CHAINCODE_NAME,
    ports,
    peers: ORGS.map((o) => {
      const p = l.peer(o.key);
      return {
        name: p.name,
        mspId: p.mspId,
        endpoint: `127.0.0.1:${ports[o.key].peer}`,
        hostAlias: p.hostAlias,
        tlsCaCertPath: p.tlsCa,
      };
    }),
    orderer: { endpoint: `127.0.0.1:${ports.orderer}`, tlsCaCertPath: l.ordererTlsCa },
    writer: { mspId: p1.mspId, certPath: p1.user1.certPath, keyPath: p1.user1.keyPath },
    outsider: { mspId: p2.mspId, certPath: p2.user1.certPath, keyPath: p2.user1.keyPath },
    packageIds,
  };
}

/** Reads the connection info of a network created earlier in `dataDir` (without starting it). */
export function readNetworkInfo(dataDir: string): FabricNetworkInfo | undefined {
  const l = layout(dataDir);
  if (!existsSync(l.stateFile)) return undefined;
  const s = JSON.parse(readFileSync(l.stateFile, 'utf8')) as { ports: Ports; packageIds: Record<OrgKey, string> };
  return networkInfo(l, s.ports, s.packageIds);
}

export async function startFabricNetwork(opts: StartOptions): Promise<FabricNetwork> {
  const log = opts.log ?? (() => {});
  const l = layout(opts.dataDir);
  mkdirSync(l.logs, { recursive: true });
  await ensureFabricBinaries(log);
  ensureChaincodeBuilt(log);
  const fresh = !existsSync(l.stateFile);
  const ports = fresh
    ? portsFrom(opts.basePort ?? 27050)
    : (JSON.parse(readFileSync(l.stateFile, 'utf8')) as { ports: Ports }).ports;
  // Builder scripts are copied so the data folder is self-contained (and keeps the exec bits).
  cpSync(join(TEMPLATE_DIR, 'builder'), l.builderDir, { recursive: true });
  for (const f of readdirSync(join(l.builderDir, 'bin'))) chmodSync(join(l.builderDir, 'bin', f), 0o755);
  renderConfigs(l, ports, opts.batchTimeout);
  if (fresh) await createNetworkArtifacts(l, log);

  const procs = new Map<string, Spawned>();
  const pids: Record<string, number> = {};
  const spawnNode = (name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string) => {
    const s = spawnServer(cmd, args, { logFile: join(l.logs, `${name}.log`), env, cwd, detached: opts.detached });
    if (opts.detached) s.child.unref();
    procs.set(name, s);
    pids[name] = s.child.pid ?? 0;
    writeFileSync(l.pidsFile, JSON.stringify(pids, null, 2));
  };
  const startOrderer = async () => {
    spawnNode('orderer0', fabricBin('orderer'), [], {
      FABRIC_CFG_PATH: join(l.configDir, 'orderer0'),
      FABRIC_LOGGING_SPEC: 'warning',
    });
    await waitFor('orderer health', () => healthy(ports.ordererOps), 60_000);
  };
  const startPeer = async (org: OrgKey) => {
    const p = l.peer(org);
    spawnNode(p.name, fabricBin('peer'), ['node', 'start'], {
      FABRIC_CFG_PATH: p.configDir,
      FABRIC_LOGGING_SPEC: 'warning:gateway=info',
    });
    await waitFor(`${p.name} health`, () => healthy(ports[org].operations), 90_000);
  };
  const startChaincode = (org: OrgKey, packageId: string) => {
    spawnNode(
      `chaincode.${org}`,
      process.execPath,
      [
        join(chaincodeDir, 'node_modules', 'fabric-shim', 'cli.js'),
        'server',
        '--chaincode-address',
        `127.0.0.1:${ports[org].chaincodeServer}`,
        '--chaincode-id',
        packageId,
      ],
      { CORE_CHAINCODE_LOGGING_LEVEL: 'warning', IRONTHRONE_WRITER_MSP: 'Org1MSP', IRONTHRONE_WRITER_ROLE: 'client' },
      chaincodeDir
    );
  };
  const stopAll = async () => {
    for (const name of [...procs.keys()].reverse()) await procs.get(name)?.stop('SIGTERM', 10_000);
    procs.clear();
  };

  try {
    await startOrderer();
    if (fresh) await joinOrderer(l, ports, log);
    await startPeer('org1');
    await startPeer('org2');
    let packageIds: Record<OrgKey, string>;
    if (fresh) {
      packageIds = await deployChaincode(l, ports, log, startChaincode);
      writeFileSync(l.stateFile, JSON.stringify({ ports, packageIds, createdAt: new Date().toISOString() }, null, 2));
    } else {
      packageIds = (JSON.parse(readFileSync(l.stateFile, 'utf8')) as { packageIds: Record<OrgKey, string> }).packageIds;
      for (const o of ORGS) startChaincode(o.key, packageIds[o.key]);
    }
    const info = networkInfo(l, ports, packageIds);
    await waitForEndorsement(info, log);
    // What IRONTHRONE_FABRIC_NETWORK=<dataDir> reads (core/ledger/fabric-settings.ts).
    writeFileSync(join(l.dataDir, 'connection.json'), JSON.stringify(info, null, 2));
    return {
      ...info,
      stop: stopAll,
      async stopPeer(org) {
        const name = l.peer(org).name;
        await procs.get(name)?.stop('SIGTERM', 10_000);
        procs.delete(name);
      },
      startPeer,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * Ready means a transaction endorsed by both organisations commits: the peers must have found
 * each other through gossip (anchor peers) for the gateway's discovery to satisfy the policy.
 */
async function waitForEndorsement(info: FabricNetworkInfo, log: (s: string) => void): Promise<void> {
  const { FabricConnection } = await import('../../core/ledger/fabric-client.ts');
  const conn = new FabricConnection({
    peers: info.peers.map((p) => ({ endpoint: p.endpoint, tlsCaCert: p.tlsCaCertPath, hostAlias: p.hostAlias })),
    identity: { mspId: info.writer.mspId, cert: info.writer.certPath, key: info.writer.keyPath },
    channel: info.channel,
    chaincode: info.chaincode,
  });
  log('fabric: waiting for a transaction endorsed by both organisations…');
  try {
    await waitFor(
      'a transaction endorsed by both organisations',
      () => conn.submit('GetHead', 'ready').then(() => true),
      120_000,
      1000
    );
  } finally {
    conn.close();
  }
}

async function joinOrderer(l: Layout, ports: Ports, log: (s: string) => void): Promise<void> {
  log('orderer: joining the availability channel (channel participation API)…');
  await run(fabricBin('osnadmin'), [
    'channel',
    'join',
    '--channelID',
    CHANNEL,
    '--config-block',
    l.channelBlock,
    '-o',
    `127.0.0.1:${ports.ordererAdmin}`,
    '--ca-file',
    l.ordererTlsCa,
    '--client-cert',
    l.ordererAdminTls.cert,
    '--client-key',
    l.ordererAdminTls.key,
  ]);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A base port whose 24 ports (see portsFrom) are all free now, picked at random in 20000-59999. */
export async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 1600) * 25;
    let ok = true;
    for (let p = base; p < base + 24 && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error('no block of 24 free ports found on 127.0.0.1');
}

/** True when every process recorded in the data folder's pids.json is still alive. */
export function recordedRunning(dataDir: string): boolean {
  const l = layout(dataDir);
  if (!existsSync(l.pidsFile)) return false;
  const pids = Object.values(JSON.parse(readFileSync(l.pidsFile, 'utf8')) as Record<string, number>);
  if (pids.length < 5) return false;
  return pids.every((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * For `npm start -- --ledger fabric`: brings the network in `dataDir` up (or reuses it when it is
 * already running) and points this process's ledger at it (IRONTHRONE_LEDGER=fabric,
 * IRONTHRONE_FABRIC_NETWORK=dataDir), so every openLedger() call — the batcher's included — writes
 * to Fabric. Returns the network when this call started it (stop it with `stop()`).
 */
export async function useFabricLedger(
  dataDir: string,
  log: (s: string) => void = console.log
): Promise<FabricNetwork | undefined> {
  let net: FabricNetwork | undefined;
  if (!recordedRunning(dataDir)) net = await startFabricNetwork({ dataDir, log });
  process.env.IRONTHRONE_LEDGER = 'fabric';
  process.env.IRONTHRONE_FABRIC_NETWORK = dataDir;
  return net;
}

/** Stops processes recorded in the data folder's pids.json (what fabric-up started detached). */
export function stopRecorded(dataDir: string): string[] {
  const l = layout(dataDir);
  if (!existsSync(l.pidsFile)) return [];
  const pids = JSON.parse(readFileSync(l.pidsFile, 'utf8')) as Record<string, number>;
  const stopped: string[] = [];
  for (const [name, pid] of Object.entries(pids).reverse()) {
    try {
      process.kill(pid, 'SIGTERM');
      stopped.push(name);
    } catch {
      // already gone
    }
  }
  writeFileSync(l.pidsFile, '{}');
  return stopped;
}
