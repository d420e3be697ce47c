// Builds (once, cached by version outside the checkout) Hyperledger Fabric's peer, orderer and
// tools from the Go module proxy. Fabric's go.mod has no /v2 suffix, so its v2.5.x tags are
// refused as +incompatible; we pin the v2.5.0 release commit by its pseudo-version instead (the
// only 2.5 release commit the proxy here serves, checked with `go list -m`). `go install pkg@ver`
// is refused too, because Fabric's go.mod carries a replace directive, so the build runs inside a
// tiny wrapper module that requires Fabric and repeats that replace.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../../core/config.ts';

export const FABRIC_VERSION = '2.5.0';
/** The v2.5.0 release commit (FABRIC_VER 2.5.0, release_notes/v2.5.0.md), as a Go pseudo-version. */
export const FABRIC_MODULE_VERSION = 'v1.4.0-rc1.0.20230401164317-bd8e24856939';
export const FABRIC_COMMIT = 'bd8e24856939';
export const FABRIC_TOOLS = ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin'] as const;
export type FabricTool = (typeof FABRIC_TOOLS)[number];

export function fabricHome(): string {
  return cacheDir(`fabric-${FABRIC_VERSION}-${FABRIC_COMMIT}`);
}

export function fabricBin(tool: FabricTool): string {
  return join(fabricHome(), 'bin', tool);
}

const WRAPPER_GO_MOD = `module ironthrone.local/fabric-build

go 1.20

require github.com/hyperledger/fabric ${FABRIC_MODULE_VERSION}

// Repeated from Fabric's own go.mod (replace directives of dependencies are ignored).
replace github.com/cespare/xxhash/v2 => github.com/cespare/xxhash/v2 v2.1.2
`;

/**
 * Returns the folder holding the five binaries, building them with `go install` when missing
 * (about 2-10 minutes on 2 cores; cached afterwards). Builds into a temporary folder and renames
 * it, so an interrupted build never leaves a half-filled bin/.
 */
export async function ensureFabricBinaries(log: (s: string) => void = console.log): Promise<string> {
  const home = fabricHome();
  const bin = join(home, 'bin');
  if (FABRIC_TOOLS.every((t) => existsSync(join(bin, t)))) return bin;
  const src = join(home, 'src');
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'go.mod'), WRAPPER_GO_MOD);
  const tmpBin = join(home, `bin.tmp-${process.pid}`);
  rmSync(tmpBin, { recursive: true, force: true });
  log(`building Hyperledger Fabric ${FABRIC_VERSION} (${FABRIC_COMMIT}) with go install (once; cached in ${home})…`);
  const meta = 'github.com/hyperledger/fabric/common/metadata';
  const started = Date.now();
  // Asynchronous, so a test worker or server that waits for the build stays responsive.
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'go',
      [
        'install',
        '-trimpath',
        `-ldflags=-X ${meta}.Version=${FABRIC_VERSION} -X ${meta}.CommitSHA=${FABRIC_COMMIT}`,
        ...FABRIC_TOOLS.map((t) => `github.com/hyperledger/fabric/cmd/${t}`),
      ],
      {
        cwd: src,
        env: { ...process.env, GOBIN: tmpBin, GOFLAGS: '-mod=mod', CGO_ENABLED: process.env.CGO_ENABLED ?? '1' },
        stdio: ['ignore', 'inherit', 'inherit'],
      }
    );
    child.once('error', (err) => reject(new Error(`cannot run go (needed once to build Fabric): ${err.message}`)));
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install of Fabric ${FABRIC_VERSION} failed (exit ${code})`))
    );
  });
  // Another process may have finished the same build meanwhile: keep its bin/ rather than pull it
  // from under it.
  if (FABRIC_TOOLS.every((t) => existsSync(join(bin, t)))) rmSync(tmpBin, { recursive: true, force: true });
  else {
    rmSync(bin, { recursive: true, force: true });
    renameSync(tmpBin, bin);
  }
  log(`built Fabric in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}
