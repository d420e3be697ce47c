// Fetches (once, cached by version outside the checkout) and runs a real Elasticsearch, no Docker.
// The distribution is Elastic's integration-test zip from Maven Central: the server with
// transport-netty4, x-pack-core and x-pack-security, but no ingest-common, ILM or data streams,
// so parsing happens in our pipeline and retention is our own job (core/logs/es-retention.ts).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, dirname } from 'node:path';
import { cacheDir } from '../../core/config.ts';

/** Newest 8.19 patch on Maven Central (metadata lists 8.19.0/2/4/21); matches client 8.19.x. */
export const ES_VERSION = process.env.IRONTHRONE_ES_VERSION ?? '8.19.21';
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
/** Elasticsearch refuses to run as root; when we are root it runs as this system user. */
export const ES_USER = 'ironthrone-es';
const READY_MARK = '.ironthrone-ready';

export function esHome(): string {
  return cacheDir(`elasticsearch-${ES_VERSION}`);
}

/** JDK for Elasticsearch: `ES_JAVA_HOME`, else the machine's OpenJDK 17. */
export function esJavaHome(): string {
  const fromEnv = process.env.ES_JAVA_HOME;
  if (fromEnv) return fromEnv;
  for (const dir of [
    '/usr/lib/jvm/java-17-openjdk-amd64',
    '/usr/lib/jvm/java-17-openjdk-arm64',
    '/usr/lib/jvm/openjdk-17',
  ]) {
    if (existsSync(join(dir, 'bin', 'java'))) return dir;
  }
  throw new Error('no OpenJDK 17 found under /usr/lib/jvm; set ES_JAVA_HOME to a JDK 17+ home');
}

/** Fetch the zip with Maven (the registry's own client) and unpack it, unless already cached. */
export function ensureElasticsearch(log: (s: string) => void = console.log): string {
  const home = esHome();
  if (existsSync(join(home, READY_MARK))) return home;
  log(`fetching Elasticsearch ${ES_VERSION} (integ-test zip) from Maven Central (once; cached in ${home})…`);
  const work = mkdtempSync(join(dirname(home), `.elasticsearch-${ES_VERSION}-`));
  try {
    execFileSync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${work}`], {
      cwd: work,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    execFileSync('unzip', ['-q', join(work, `elasticsearch-${ES_VERSION}.zip`), '-d', join(work, 'x')], {
      stdio: 'inherit',
    });
    const unpacked = join(work, 'x', `elasticsearch-${ES_VERSION}`);
    writeFileSync(join(unpacked, READY_MARK), `${ARTIFACT}\n`);
    // Atomic publish: rename over the empty cache dir; if another process won the race, keep theirs.
    try {
      rmdirSync(home);
    } catch {
      /* not empty: someone else finished first */
    }
    try {
      renameSync(unpacked, home);
    } catch (err) {
      if (!existsSync(join(home, READY_MARK))) throw err;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return home;
}

export interface EsOptions {
  port: number;
  /** Owns config/, data/, logs/ and tmp/ of this node; reuse it across restarts to keep the indices. */
  dataDir: string;
  logFile: string;
  heap?: string;
  clusterName?: string;
}

export interface EsServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(graceMs?: number): Promise<void>;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Create the system user once (root only); returns its uid/gid. */
export function ensureEsUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, ES_USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--home-dir',
      `/var/lib/${ES_USER}`,
      '--create-home',
      '--shell',
      '/usr/sbin/nologin',
      ES_USER,
    ]);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else chownSync(p, uid, gid);
  }
}

function nodeConfig(o: EsOptions, dirs: { data: string; logs: string }): string {
  return [
    `cluster.name: ${o.clusterName ?? 'ironthrone'}`,
    'node.name: ironthrone-es',
    'discovery.type: single-node',
    'network.host: 127.0.0.1',
    `http.port: ${o.port}`,
    'transport.port: 0',
    `path.data: ${dirs.data}`,
    `path.logs: ${dirs.logs}`,
    // Local default only: production needs security on (TLS + auth), see core/logs/README section.
    'xpack.security.enabled: false',
    // Small dev disks would otherwise flip indices read-only.
    'cluster.routing.allocation.disk.threshold_enabled: true',
    'cluster.routing.allocation.disk.watermark.low: 97%',
    'cluster.routing.allocation.disk.watermark.high: 98%',
    'cluster.routing.allocation.disk.watermark.flood_stage: 99%',
    'action.destructive_requires_name: false',
    '',
  ].join('\n');
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=2s`, {
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The cache usually sits under root's 0700 home, which the ES user cannot traverse. Then the node
 * runs from a hard-linked copy in the ES user's home (same files, no extra disk on one filesystem).
 */
function runnableHome(home: string, asEs: (...c: string[]) => boolean): string {
  if (asEs('test', '-r', join(home, 'lib'))) return home;
  const mirror = `/var/lib/${ES_USER}/elasticsearch-${ES_VERSION}`;
  if (existsSync(join(mirror, READY_MARK))) return mirror;
  const tmp = `${mirror}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    execFileSync('cp', ['-al', home, tmp]);
  } catch {
    execFileSync('cp', ['-a', home, tmp]);
  }
  execFileSync('chmod', ['-R', 'a+rX', tmp]);
  try {
    renameSync(tmp, mirror);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(mirror, READY_MARK))) throw err;
  }
  return mirror;
}

/** Start one single-node Elasticsearch on 127.0.0.1:<port>; resolves when the cluster is yellow. */
export async function startElasticsearch(opts: EsOptions): Promise<EsServer> {
  const home = ensureElasticsearch();
  const dirs = {
    conf: join(opts.dataDir, 'config'),
    data: join(opts.dataDir, 'data'),
    logs: join(opts.dataDir, 'logs'),
    tmp: join(opts.dataDir, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // Each node gets its own config dir: ES writes its keystore there and we set our own yml.
  for (const f of readdirSync(join(home, 'config'))) {
    if (f !== 'elasticsearch.yml')
      cpSync(join(home, 'config', f), join(dirs.conf, f), { recursive: true, force: false, errorOnExist: false });
  }
  writeFileSync(join(dirs.conf, 'elasticsearch.yml'), nodeConfig(opts, dirs));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ES_JAVA_HOME: esJavaHome(),
    ES_PATH_CONF: dirs.conf,
    ES_TMPDIR: dirs.tmp,
    ES_JAVA_OPTS: `-Xms${opts.heap ?? '512m'} -Xmx${opts.heap ?? '512m'}`,
  };
  delete env.JAVA_HOME;
  let cmd = join(home, 'bin', 'elasticsearch');
  let args: string[] = [];
  if (isRoot()) {
    const { uid, gid } = ensureEsUser();
    chownTree(opts.dataDir, uid, gid);
    const asEs = (...c: string[]) =>
      spawnSync('setpriv', ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--', ...c]).status === 0;
    if (!asEs('test', '-w', join(dirs.data, '.'))) {
      throw new Error(
        `${ES_USER} cannot reach ${opts.dataDir}: give every parent folder o+x, or choose a data dir outside a 0700 folder`
      );
    }
    cmd = join(runnableHome(home, asEs), 'bin', 'elasticsearch');
    args = ['--reuid', String(uid), '--regid', String(gid), '--init-groups', '--', cmd];
    cmd = 'setpriv';
  }
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, { env, stdio: ['ignore', fd, fd], detached: true });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${opts.port}`;
  const stop = async (graceMs = 60_000): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM'); // the CLI launcher shuts the server JVM down cleanly on TERM
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`elasticsearch exited with ${child.exitCode}; see ${opts.logFile}`);
      if (await healthy(url)) break;
      if (Date.now() > deadline)
        throw new Error(`timed out after 240 s waiting for Elasticsearch on ${url}; see ${opts.logFile}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (err) {
    await stop(10_000);
    throw err;
  }
  return { url, port: opts.port, child, stop };
}
