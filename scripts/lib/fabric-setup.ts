// One-time creation of a network's artifacts: crypto material (cryptogen), the channel's genesis
// block (configtxgen), peers joining the channel, and the CCaaS chaincode lifecycle (package,
// install on both peers, approve by both organisations, commit with the two-organisation
// endorsement policy).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fabricBin } from './fabric-build.ts';
import {
  CHAINCODE_NAME,
  CHANNEL,
  ENDORSEMENT_POLICY,
  ORGS,
  TEMPLATE_DIR,
  type Layout,
  type OrgKey,
  type Ports,
} from './fabric-layout.ts';
import { waitFor } from './procs.ts';

/** Runs a Fabric tool; on failure the error carries its output. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { env: { ...process.env, ...env }, cwd, maxBuffer: 64 * 1024 * 1024, timeout: 180_000 },
      (err, stdout, stderr) => {
        if (err)
          reject(
            new Error(
              `${cmd.split('/').pop()} ${args.slice(0, 3).join(' ')} failed: ${err.message}\n${stderr}\n${stdout}`.trim()
            )
          );
        else resolve(`${stdout}${stderr}`);
      }
    );
  });
}

export async function createNetworkArtifacts(l: Layout, log: (s: string) => void): Promise<void> {
  log('fabric: generating crypto material (cryptogen)…');
  rmSync(l.crypto, { recursive: true, force: true });
  await run(fabricBin('cryptogen'), [
    'generate',
    '--config',
    join(TEMPLATE_DIR, 'crypto-config.yaml'),
    '--output',
    l.crypto,
  ]);
  log('fabric: creating the availability channel genesis block (configtxgen)…');
  await run(fabricBin('configtxgen'), [
    '-configPath',
    join(l.configDir, 'configtx'),
    '-profile',
    'AvailabilityChannel',
    '-channelID',
    CHANNEL,
    '-outputBlock',
    l.channelBlock,
  ]);
}

/** Environment for the `peer` CLI acting as an organisation's admin against its own peer. */
export function adminEnv(l: Layout, ports: Ports, org: OrgKey): NodeJS.ProcessEnv {
  const p = l.peer(org);
  return {
    FABRIC_CFG_PATH: p.configDir,
    FABRIC_LOGGING_SPEC: 'warning',
    CORE_PEER_LOCALMSPID: p.mspId,
    CORE_PEER_MSPCONFIGPATH: p.admin.mspDir,
    CORE_PEER_ADDRESS: `127.0.0.1:${ports[org].peer}`,
    CORE_PEER_TLS_ENABLED: 'true',
    CORE_PEER_TLS_ROOTCERT_FILE: p.tlsCa,
  };
}

/** A CCaaS package: metadata.json + code.tar.gz holding connection.json (the server's address). */
async function packageFor(l: Layout, ports: Ports, org: OrgKey): Promise<string> {
  const p = l.peer(org);
  const work = join(l.dataDir, 'chaincode', `pkg-${org}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'src'), { recursive: true });
  const label = `${CHAINCODE_NAME}_${org}`;
  writeFileSync(
    join(work, 'src', 'connection.json'),
    JSON.stringify({ address: `127.0.0.1:${ports[org].chaincodeServer}`, dial_timeout: '10s', tls_required: false })
  );
  writeFileSync(join(work, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
  await run('tar', ['-C', join(work, 'src'), '-czf', join(work, 'code.tar.gz'), 'connection.json']);
  await run('tar', ['-C', work, '-czf', p.packageFile, 'metadata.json', 'code.tar.gz']);
  // The package id is the label and the SHA-256 of the package file (what `peer lifecycle` prints).
  return `${label}:${createHash('sha256').update(readFileSync(p.packageFile)).digest('hex')}`;
}

export async function deployChaincode(
  l: Layout,
  ports: Ports,
  log: (s: string) => void,
  startChaincode: (org: OrgKey, packageId: string) => void
): Promise<Record<OrgKey, string>> {
  const peer = fabricBin('peer');
  const ordererArgs = ['-o', `127.0.0.1:${ports.orderer}`, '--tls', '--cafile', l.ordererTlsCa];
  for (const o of ORGS) {
    log(`fabric: ${l.peer(o.key).name} joining the channel…`);
    await waitFor(
      `${o.key} joins ${CHANNEL}`,
      async () => {
        await run(peer, ['channel', 'join', '-b', l.channelBlock], adminEnv(l, ports, o.key));
        return true;
      },
      60_000,
      2000
    );
  }
  const packageIds = {} as Record<OrgKey, string>;
  for (const o of ORGS) {
    packageIds[o.key] = await packageFor(l, ports, o.key);
    log(`fabric: installing ${packageIds[o.key].slice(0, 40)}… on ${l.peer(o.key).name}`);
    await run(peer, ['lifecycle', 'chaincode', 'install', l.peer(o.key).packageFile], adminEnv(l, ports, o.key));
    startChaincode(o.key, packageIds[o.key]);
  }
  const definition = [
    '--channelID',
    CHANNEL,
    '--name',
    CHAINCODE_NAME,
    '--version',
    '1.0',
    '--sequence',
    '1',
    '--signature-policy',
    ENDORSEMENT_POLICY,
  ];
  for (const o of ORGS) {
    log(`fabric: ${o.mspId} approving the chaincode definition…`);
    // The peer must have caught up with the channel before it can approve: retry briefly.
    await waitFor(
      `${o.mspId} approval`,
      async () => {
        await run(
          peer,
          [
            'lifecycle',
            'chaincode',
            'approveformyorg',
            ...ordererArgs,
            ...definition,
            '--package-id',
            packageIds[o.key],
          ],
          adminEnv(l, ports, o.key)
        );
        return true;
      },
      90_000,
      3000
    );
  }
  log('fabric: committing the chaincode definition (endorsement: both organisations)…');
  const peerArgs = ORGS.flatMap((o) => [
    '--peerAddresses',
    `127.0.0.1:${ports[o.key].peer}`,
    '--tlsRootCertFiles',
    l.peer(o.key).tlsCa,
  ]);
  await waitFor(
    'chaincode commit',
    async () => {
      await run(
        peer,
        ['lifecycle', 'chaincode', 'commit', ...ordererArgs, ...definition, ...peerArgs],
        adminEnv(l, ports, 'org1')
      );
      return true;
    },
    90_000,
    3000
  );
  for (const o of ORGS) {
    await waitFor(
      `definition committed on ${o.key}`,
      async () => {
        const out = await run(
          peer,
          ['lifecycle', 'chaincode', 'querycommitted', '--channelID', CHANNEL, '--name', CHAINCODE_NAME],
          adminEnv(l, ports, o.key)
        );
        return out.includes('Sequence: 1');
      },
      60_000,
      1000
    );
  }
  return packageIds;
}
