// sushy-tools (OpenStack's Redfish emulator, from PyPI) as an independent peer for the Redfish
// client: a venv under cacheDir('sushy-tools-<ver>'), `sushy-emulator --fake` on 127.0.0.1.
// The fake driver holds one system (`fake`, powered Off) and applies power changes 1-11 s after
// the request, so clients must poll.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../../core/config.ts';
import { freePort, spawnServer, waitFor, type Spawned } from './procs.ts';

export const SUSHY_TOOLS_VERSION = '2.2.0';

/** Install sushy-tools into its cached venv once; returns the emulator's path. */
export function ensureSushy(log: (s: string) => void = console.log): string {
  const dir = cacheDir(`sushy-tools-${SUSHY_TOOLS_VERSION}`);
  const bin = join(dir, 'venv', 'bin', 'sushy-emulator');
  const marker = join(dir, 'installed');
  if (!existsSync(marker) || !existsSync(bin)) {
    log(`installing sushy-tools ${SUSHY_TOOLS_VERSION} from PyPI into ${dir} (once)…`);
    execFileSync('python3', ['-m', 'venv', join(dir, 'venv')], { stdio: 'inherit' });
    execFileSync(
      join(dir, 'venv', 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', `sushy-tools==${SUSHY_TOOLS_VERSION}`],
      { stdio: 'inherit' }
    );
    writeFileSync(marker, new Date().toISOString());
  }
  return bin;
}

export interface SushyServer {
  url: string;
  stop(): Promise<void>;
  proc: Spawned;
}

/** Run `sushy-emulator --fake` over HTTPS with the given certificate (so the client can pin it). */
export async function startSushy(opts: {
  workDir: string;
  certFile: string;
  keyFile: string;
  user: string;
  password: string;
}): Promise<SushyServer> {
  const bin = ensureSushy();
  const port = await freePort();
  // Basic auth via an htpasswd file (sushy accepts bcrypt entries); state kept in workDir.
  const bcrypt = execFileSync(join(bin, '..', 'python'), [
    '-c',
    'import bcrypt,sys;print(bcrypt.hashpw(sys.argv[1].encode(),bcrypt.gensalt(rounds=4)).decode())',
    opts.password,
  ])
    .toString()
    .trim();
  const htpasswd = join(opts.workDir, 'htpasswd');
  writeFileSync(htpasswd, `${opts.user}:${bcrypt}\n`);
  const config = join(opts.workDir, 'sushy.conf');
  writeFileSync(
    config,
    `SUSHY_EMULATOR_AUTH_FILE = ${JSON.stringify(htpasswd)}\nSUSHY_EMULATOR_STATE_DIR = ${JSON.stringify(opts.workDir)}\n`
  );
  const proc = spawnServer(
    bin,
    [
      '--fake',
      '--config',
      config,
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '--ssl-certificate',
      opts.certFile,
      '--ssl-key',
      opts.keyFile,
    ],
    { logFile: join(opts.workDir, 'sushy.log') }
  );
  const url = `https://127.0.0.1:${port}`;
  await waitFor(
    'sushy-emulator',
    async () => {
      if (proc.child.exitCode !== null)
        throw new Error(`sushy-emulator exited ${proc.child.exitCode}; see ${join(opts.workDir, 'sushy.log')}`);
      const { connect } = await import('node:net');
      return new Promise<boolean>((r) => {
        const s = connect(port, '127.0.0.1', () => (s.end(), r(true)));
        s.on('error', () => r(false));
      });
    },
    60_000
  );
  return { url, proc, stop: () => proc.stop() };
}
