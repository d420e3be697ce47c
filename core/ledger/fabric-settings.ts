// Connection settings for `openLedger('fabric')` (IRONTHRONE_LEDGER=fabric), from the environment:
//   IRONTHRONE_FABRIC_PEERS      comma-separated host:port of peer gateways, preferred first
//   IRONTHRONE_FABRIC_TLS_CA     comma-separated TLS CA certificate files, one per peer (or one for all)
//   IRONTHRONE_FABRIC_MSP_ID     the writer's MSP id (default Org1MSP)
//   IRONTHRONE_FABRIC_CERT       the writer's certificate file
//   IRONTHRONE_FABRIC_KEY        the writer's private key file
//   IRONTHRONE_FABRIC_CHANNEL    default availability;  IRONTHRONE_FABRIC_CHAINCODE  default ironthrone
//   IRONTHRONE_FABRIC_STREAM     logical ledger inside the channel, default main
// or IRONTHRONE_FABRIC_NETWORK=<data folder of a network started by scripts/fabric-up.ts>, which
// fills in all of the above from that network (writer: Org1 User1).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FabricLedgerOptions } from './fabric.ts';

interface NetworkFile {
  peers: { endpoint: string; tlsCaCertPath: string; hostAlias: string }[];
  writer: { mspId: string; certPath: string; keyPath: string };
  channel: string;
  chaincode: string;
}

function fromNetworkDir(dir: string): Partial<FabricLedgerOptions> {
  const file = join(dir, 'connection.json');
  if (!existsSync(file))
    throw new Error(
      `IRONTHRONE_FABRIC_NETWORK=${dir}: no connection.json there; start the network with tsx scripts/fabric-up.ts`
    );
  const n = JSON.parse(readFileSync(file, 'utf8')) as NetworkFile;
  return {
    peers: n.peers.map((p) => ({ endpoint: p.endpoint, tlsCaCert: p.tlsCaCertPath, hostAlias: p.hostAlias })),
    identity: { mspId: n.writer.mspId, cert: n.writer.certPath, key: n.writer.keyPath },
    channel: n.channel,
    chaincode: n.chaincode,
  };
}

export function fabricOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<FabricLedgerOptions> {
  const base = env.IRONTHRONE_FABRIC_NETWORK ? fromNetworkDir(env.IRONTHRONE_FABRIC_NETWORK) : {};
  const out: Partial<FabricLedgerOptions> = { ...base };
  if (env.IRONTHRONE_FABRIC_PEERS) {
    const peers = env.IRONTHRONE_FABRIC_PEERS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const cas = (env.IRONTHRONE_FABRIC_TLS_CA ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (cas.length === 0)
      throw new Error(
        "IRONTHRONE_FABRIC_PEERS is set but IRONTHRONE_FABRIC_TLS_CA is not: expected the peers' TLS CA certificate file(s)"
      );
    out.peers = peers.map((endpoint, i) => ({ endpoint, tlsCaCert: cas[i] ?? cas[0]! }));
  }
  if (env.IRONTHRONE_FABRIC_CERT || env.IRONTHRONE_FABRIC_KEY) {
    if (!env.IRONTHRONE_FABRIC_CERT || !env.IRONTHRONE_FABRIC_KEY)
      throw new Error('set both IRONTHRONE_FABRIC_CERT and IRONTHRONE_FABRIC_KEY (the writer identity)');
    out.identity = {
      mspId: env.IRONTHRONE_FABRIC_MSP_ID ?? 'Org1MSP',
      cert: env.IRONTHRONE_FABRIC_CERT,
      key: env.IRONTHRONE_FABRIC_KEY,
    };
  }
  if (env.IRONTHRONE_FABRIC_CHANNEL) out.channel = env.IRONTHRONE_FABRIC_CHANNEL;
  if (env.IRONTHRONE_FABRIC_CHAINCODE) out.chaincode = env.IRONTHRONE_FABRIC_CHAINCODE;
  if (env.IRONTHRONE_FABRIC_STREAM) out.stream = env.IRONTHRONE_FABRIC_STREAM;
  if (!out.peers || !out.identity) {
    throw new Error(
      'IRONTHRONE_LEDGER=fabric needs IRONTHRONE_FABRIC_NETWORK (a folder made by scripts/fabric-up.ts) or IRONTHRONE_FABRIC_PEERS, _TLS_CA, _CERT and _KEY'
    );
  }
  return out;
}
