// Typed Redfish errors. `type` is stable (it becomes the ApplicationFailure type a runbook's
// retry policy matches); `retryable` says whether trying again can help. Permanent errors are
// never retried, so a runbook does not hammer a BMC that already said no.

export type RedfishErrorType =
  | 'RedfishAuthError'
  | 'RedfishForbiddenError'
  | 'RedfishNotFoundError'
  | 'RedfishBadRequestError'
  | 'RedfishNotSupportedError'
  | 'RedfishUnsupportedResetTypeError'
  | 'RedfishPreconditionError'
  | 'RedfishMalformedResponseError'
  | 'RedfishPinMismatchError'
  | 'RedfishTlsError'
  | 'RedfishTimeoutError'
  | 'RedfishServerError'
  | 'RedfishUnreachableError'
  | 'RedfishTaskFailedError'
  | 'UnknownHostError'
  | 'SafetyRefusedError'
  | 'RateLimitedError';

const RETRYABLE: ReadonlySet<RedfishErrorType> = new Set([
  'RedfishTimeoutError',
  'RedfishServerError',
  'RedfishUnreachableError',
  'RateLimitedError',
]);

export class RedfishError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly type: RedfishErrorType,
    message: string,
    readonly details: { status?: number; url?: string; messageIds?: string[]; allowed?: string[] } = {}
  ) {
    super(message);
    this.name = type;
    this.retryable = RETRYABLE.has(type);
  }
}

export function isRedfishError(e: unknown): e is RedfishError {
  return e instanceof RedfishError;
}

interface ExtendedInfo {
  MessageId?: string;
  Message?: string;
  Resolution?: string;
}

/** Pull the human messages out of a Redfish error body (`error.@Message.ExtendedInfo`). */
export function extendedInfo(body: unknown): { messages: string[]; ids: string[] } {
  const err = (body as { error?: { message?: string; '@Message.ExtendedInfo'?: ExtendedInfo[] } } | undefined)?.error;
  const infos = Array.isArray(err?.['@Message.ExtendedInfo']) ? err['@Message.ExtendedInfo'] : [];
  const messages = infos.map((i) =>
    [i.Message, i.Resolution && i.Resolution !== 'None' ? `(${i.Resolution})` : ''].filter(Boolean).join(' ')
  );
  if (messages.length === 0 && err?.message) messages.push(err.message);
  return { messages, ids: infos.map((i) => i.MessageId ?? '').filter(Boolean) };
}

/** Map an HTTP error status plus Redfish body to the typed error. */
export function errorForStatus(method: string, url: string, status: number, body: unknown): RedfishError {
  const { messages, ids } = extendedInfo(body);
  const said = messages.length ? `: ${messages.join('; ')}` : '';
  const d = { status, url, messageIds: ids };
  const what = `${method} ${url} answered ${status}`;
  if (status === 401)
    return new RedfishError(
      'RedfishAuthError',
      `${what} (authentication failed: check the credentials reference)${said}`,
      d
    );
  if (status === 403)
    return new RedfishError(
      'RedfishForbiddenError',
      `${what} (the account lacks the privilege for this operation)${said}`,
      d
    );
  if (status === 404)
    return new RedfishError('RedfishNotFoundError', `${what} (no such resource on this BMC)${said}`, d);
  if (status === 412 || status === 428)
    return new RedfishError('RedfishPreconditionError', `${what} (ETag precondition)${said}`, d);
  if (status === 501)
    return new RedfishError('RedfishNotSupportedError', `${what} (not implemented by this BMC)${said}`, d);
  if (status >= 500) return new RedfishError('RedfishServerError', `${what}${said}`, d);
  return new RedfishError('RedfishBadRequestError', `${what}${said}`, d);
}
