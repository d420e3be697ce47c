// Exit codes and output helpers shared by all subcommands.
export const EXIT = {
  ok: 0,
  failure: 1, // the operation ran and failed (runbook failed, verify found tampering)
  usage: 2, // bad arguments or bad input file (compile errors)
  notFound: 3, // workflow, batch or record does not exist
  unavailable: 4, // a server (Temporal, Elasticsearch, a BMC) could not be reached
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Print either JSON (with --json) or the human rendering. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  console.log(json ? JSON.stringify(value, null, 2) : human());
}
