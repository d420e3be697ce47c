// Who may write. Reads are open to every channel member (the channel's own Readers policy already
// keeps everyone else out); writes need the writer organisation AND the writer role. The role is
// an X.509 OU (what cryptogen and Fabric CA's NodeOUs put in a certificate, e.g. `client`, or an
// extra OU issued for writers) or a Fabric CA attribute `ironthrone.role`. Configured per
// chaincode server through the environment so an operator can change it without a new package.
import type { Context } from 'fabric-contract-api';

export interface WriterPolicy {
  mspId: string;
  role: string;
}

export function writerPolicy(env: NodeJS.ProcessEnv = process.env): WriterPolicy {
  return { mspId: env.IRONTHRONE_WRITER_MSP ?? 'Org1MSP', role: env.IRONTHRONE_WRITER_ROLE ?? 'client' };
}

/** The subject OUs of the caller's certificate (from the shim's `x509::/C=…/OU=…/CN=…::issuer` id). */
export function subjectOUs(id: string): string[] {
  const subject = id.split('::')[1] ?? '';
  return subject
    .split(/(?<!\\)\//)
    .filter((p) => p.startsWith('OU='))
    .map((p) => p.slice(3));
}

export function assertWriter(ctx: Context, policy: WriterPolicy = writerPolicy()): void {
  const msp = ctx.clientIdentity.getMSPID();
  const ous = subjectOUs(ctx.clientIdentity.getID());
  const attr = ctx.clientIdentity.getAttributeValue('ironthrone.role');
  if (msp !== policy.mspId || !(ous.includes(policy.role) || attr === policy.role)) {
    throw new Error(
      `FORBIDDEN: identity of ${msp} with roles [${[...ous, ...(attr ? [attr] : [])].join(', ')}] may not write; ` +
        `writers are ${policy.mspId} identities with role ${policy.role}`
    );
  }
}
