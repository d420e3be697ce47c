// Settings and error mapping of the Fabric ledger, without a network: missing or half-given
// settings are refused with a message naming what to set, and gateway errors map onto the
// ledger's error classes (chaincode refusals non-retryable with the chaincode's message).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  classify,
  LedgerRefusedError,
  LedgerUnavailableError,
  RetryableConflict,
} from '../../../core/ledger/fabric-client.ts';
import { fabricOptionsFromEnv } from '../../../core/ledger/fabric-settings.ts';
import { LedgerConflictError } from '../../../core/ledger/ledger.ts';

describe('fabric settings', () => {
  it('needs a network folder or peers plus an identity', () => {
    expect(() => fabricOptionsFromEnv({})).toThrow(/IRONTHRONE_FABRIC_NETWORK .* or IRONTHRONE_FABRIC_PEERS/);
    expect(() => fabricOptionsFromEnv({ IRONTHRONE_FABRIC_PEERS: '127.0.0.1:7051' })).toThrow(
      /IRONTHRONE_FABRIC_TLS_CA is not/
    );
    expect(() =>
      fabricOptionsFromEnv({
        IRONTHRONE_FABRIC_PEERS: 'a:1',
        IRONTHRONE_FABRIC_TLS_CA: 'ca.pem',
        IRONTHRONE_FABRIC_CERT: 'c.pem',
      })
    ).toThrow(/set both IRONTHRONE_FABRIC_CERT and IRONTHRONE_FABRIC_KEY/);
    const dir = mkdtempSync(join(tmpdir(), 'fab-settings-'));
    expect(() => fabricOptionsFromEnv({ IRONTHRONE_FABRIC_NETWORK: dir })).toThrow(/no connection.json there/);
  });

  it('reads peers, identity and stream from the environment or a network folder', () => {
    const o = fabricOptionsFromEnv({
      IRONTHRONE_FABRIC_PEERS: 'p1:7051, p2:9051',
      IRONTHRONE_FABRIC_TLS_CA: 'ca1.pem,ca2.pem',
      IRONTHRONE_FABRIC_CERT: 'c.pem',
      IRONTHRONE_FABRIC_KEY: 'k.pem',
      IRONTHRONE_FABRIC_STREAM: 'dc-east',
    });
    expect(o.peers).toEqual([
      { endpoint: 'p1:7051', tlsCaCert: 'ca1.pem' },
      { endpoint: 'p2:9051', tlsCaCert: 'ca2.pem' },
    ]);
    expect(o).toMatchObject({ identity: { mspId: 'Org1MSP', cert: 'c.pem', key: 'k.pem' }, stream: 'dc-east' });
    const dir = mkdtempSync(join(tmpdir(), 'fab-settings-'));
    const info = {
      peers: [{ endpoint: '127.0.0.1:1', tlsCaCertPath: '/ca', hostAlias: 'peer0' }],
      writer: { mspId: 'Org1MSP', certPath: '/c', keyPath: '/k' },
      channel: 'availability',
      chaincode: 'ironthrone',
    };
    writeFileSync(join(dir, 'connection.json'), JSON.stringify(info));
    expect(fabricOptionsFromEnv({ IRONTHRONE_FABRIC_NETWORK: dir })).toMatchObject({
      peers: [{ endpoint: '127.0.0.1:1', tlsCaCert: '/ca', hostAlias: 'peer0' }],
      identity: { cert: '/c', key: '/k' },
    });
  });
});

describe('fabric error mapping', () => {
  const gatewayError = (code: number, message: string, details: string[] = []) =>
    Object.assign(new Error(message), {
      code,
      details: details.map((m) => ({ address: 'p', mspId: 'Org1MSP', message: m })),
    });

  it('maps chaincode refusals by their code word, keeping the message', () => {
    const forbidden = classify(
      gatewayError(10, '10 ABORTED: failed to endorse', [
        'chaincode response 500, FORBIDDEN: identity of Org2MSP may not write',
      ])
    );
    expect(forbidden).toBeInstanceOf(LedgerRefusedError);
    expect(forbidden).toMatchObject({
      name: 'LedgerAccessError',
      retryable: false,
      message: 'chaincode refused: identity of Org2MSP may not write',
    });
    expect(
      classify(gatewayError(2, '2 UNKNOWN: chaincode response 500, CONFLICT: batch id b1 was already used'))
    ).toBeInstanceOf(LedgerConflictError);
    expect(classify(gatewayError(2, 'x', ['STALE: the next block is 3']))).toBeInstanceOf(RetryableConflict);
    expect(classify(gatewayError(2, 'x', ['INVALID: batch root mismatch']))).toMatchObject({
      name: 'LedgerRefusedError',
      code: 'INVALID',
    });
  });

  it('treats an unreachable or under-populated network as retryable', () => {
    expect(classify(gatewayError(14, '14 UNAVAILABLE: connect ECONNREFUSED'))).toBeInstanceOf(LedgerUnavailableError);
    expect(classify(gatewayError(4, '4 DEADLINE_EXCEEDED'))).toMatchObject({ retryable: true });
    expect(
      classify(
        gatewayError(
          9,
          '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy'
        )
      )
    ).toMatchObject({
      name: 'LedgerUnavailableError',
    });
  });
});
