// Where everything of one native Fabric network lives under its data folder, its ports, and the
// rendering of the project's config templates (scripts/fabric/*.yaml) into that folder.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../core/config.ts';

export const CHANNEL = 'availability';
export const CHAINCODE_NAME = 'ironthrone';
export const ENDORSEMENT_POLICY = "AND('Org1MSP.peer','Org2MSP.peer')";
export const TEMPLATE_DIR = join(projectRoot, 'scripts', 'fabric');

export interface PeerPorts {
  peer: number;
  chaincodeListen: number;
  operations: number;
  /** The CCaaS chaincode server this organisation runs. */
  chaincodeServer: number;
}

export interface Ports {
  orderer: number;
  ordererAdmin: number;
  ordererOps: number;
  org1: PeerPorts;
  org2: PeerPorts;
}

/** Fixed offsets from a base port: 24 ports in [base, base + 24). */
export function portsFrom(base: number): Ports {
  const peer = (b: number): PeerPorts => ({
    peer: b,
    chaincodeListen: b + 1,
    operations: b + 2,
    chaincodeServer: b + 3,
  });
  return { orderer: base, ordererAdmin: base + 1, ordererOps: base + 2, org1: peer(base + 10), org2: peer(base + 20) };
}

export const ORGS = [
  { key: 'org1', mspId: 'Org1MSP', domain: 'org1.ironthrone.local' },
  { key: 'org2', mspId: 'Org2MSP', domain: 'org2.ironthrone.local' },
] as const;
export type OrgKey = (typeof ORGS)[number]['key'];

const ORDERER_DOMAIN = 'orderer.ironthrone.local';

export function layout(dataDir: string) {
  const crypto = join(dataDir, 'crypto');
  const peerOrg = (domain: string) => join(crypto, 'peerOrganizations', domain);
  const user = (domain: string, name: string) => {
    const base = join(peerOrg(domain), 'users', `${name}@${domain}`, 'msp');
    return {
      mspDir: base,
      certPath: join(base, 'signcerts', `${name}@${domain}-cert.pem`),
      keyPath: join(base, 'keystore', 'priv_sk'),
    };
  };
  const ordererDir = join(crypto, 'ordererOrganizations', ORDERER_DOMAIN, 'orderers', `orderer0.${ORDERER_DOMAIN}`);
  const ordererAdminTls = join(
    crypto,
    'ordererOrganizations',
    ORDERER_DOMAIN,
    'users',
    `Admin@${ORDERER_DOMAIN}`,
    'tls'
  );
  return {
    dataDir,
    stateFile: join(dataDir, 'network.json'),
    pidsFile: join(dataDir, 'pids.json'),
    crypto,
    logs: join(dataDir, 'logs'),
    configDir: join(dataDir, 'config'),
    channelBlock: join(dataDir, `${CHANNEL}.block`),
    builderDir: join(dataDir, 'builder'),
    ordererDir,
    ordererTlsCa: join(ordererDir, 'tls', 'ca.crt'),
    ordererAdminTls: { cert: join(ordererAdminTls, 'client.crt'), key: join(ordererAdminTls, 'client.key') },
    peer(org: OrgKey) {
      const o = ORGS.find((x) => x.key === org)!;
      const dir = join(peerOrg(o.domain), 'peers', `peer0.${o.domain}`);
      return {
        name: `peer0.${org}`,
        hostAlias: `peer0.${o.domain}`,
        mspId: o.mspId,
        dir,
        tlsCa: join(dir, 'tls', 'ca.crt'),
        configDir: join(dataDir, 'config', `peer0.${org}`),
        admin: user(o.domain, 'Admin'),
        user1: user(o.domain, 'User1'),
        packageFile: join(dataDir, 'chaincode', `${CHAINCODE_NAME}-${org}.tgz`),
      };
    },
  };
}
export type Layout = ReturnType<typeof layout>;

/** Fills `${NAME}` placeholders; an unknown placeholder is an error, not an empty string. */
export function render(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`fabric config template: no value for \${${name}}`);
    return String(v);
  });
}

export function renderTemplate(file: string, out: string, vars: Record<string, string | number>): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, render(readFileSync(join(TEMPLATE_DIR, file), 'utf8'), vars));
}

/** Writes configtx.yaml, orderer.yaml and each peer's core.yaml into the data folder. */
export function renderConfigs(l: Layout, ports: Ports, batchTimeout = '25ms'): void {
  const common = { DATA: l.dataDir, CRYPTO: l.crypto };
  renderTemplate('configtx.yaml', join(l.configDir, 'configtx', 'configtx.yaml'), {
    ...common,
    ORDERER_PORT: ports.orderer,
    PEER1_PORT: ports.org1.peer,
    PEER2_PORT: ports.org2.peer,
    BATCH_TIMEOUT: batchTimeout,
  });
  renderTemplate('orderer.yaml', join(l.configDir, 'orderer0', 'orderer.yaml'), {
    ...common,
    ORDERER_DIR: l.ordererDir,
    ORDERER_PORT: ports.orderer,
    ORDERER_ADMIN_PORT: ports.ordererAdmin,
    ORDERER_OPS_PORT: ports.ordererOps,
  });
  for (const org of ORGS) {
    const p = l.peer(org.key);
    const pp = ports[org.key];
    renderTemplate('core.yaml', join(p.configDir, 'core.yaml'), {
      ...common,
      PEER_NAME: p.name,
      PEER_DIR: p.dir,
      MSP_ID: p.mspId,
      PEER_PORT: pp.peer,
      PEER_CC_PORT: pp.chaincodeListen,
      PEER_OPS_PORT: pp.operations,
      BUILDER_DIR: l.builderDir,
    });
  }
}
