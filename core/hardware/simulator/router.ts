// Request handling for one simulated iDRAC: auth (basic or session token), the resource tree,
// actions with their counters, and Redfish-shaped error bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { MANAGER_RESET_TYPES, SYSTEM_RESET_TYPES, type SimHost } from './host.ts';
import * as R from './resources.ts';

export interface Credentials {
  user: string;
  password: string;
  /** A login that may read but not act (Dell's ReadOnly role): actions answer 403. */
  readOnlyUser?: { user: string; password: string };
}

export const ACTION_HEADER = 'x-idempotency-key';

type Json = Record<string, unknown>;

function send(res: ServerResponse, code: number, body?: unknown, headers: Record<string, string> = {}): void {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(code, {
    'OData-Version': '4.0',
    ...(data ? { 'Content-Type': 'application/json;odata.metadata=minimal;charset=utf-8' } : {}),
    ...headers,
  });
  res.end(data);
}

/** A Redfish error body (DSP0266 §9.6) with Base registry message ids. */
export function redfishError(
  res: ServerResponse,
  code: number,
  messageId: string,
  message: string,
  resolution = 'None'
): void {
  send(res, code, {
    error: {
      code: `Base.1.12.${messageId}`,
      message,
      '@Message.ExtendedInfo': [
        {
          MessageId: `Base.1.12.${messageId}`,
          Message: message,
          Severity: code >= 500 ? 'Critical' : 'Warning',
          Resolution: resolution,
        },
      ],
    },
  });
}

async function readJson(req: IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

function authenticate(
  req: IncomingMessage,
  h: SimHost,
  creds: Credentials
): { user: string; readOnly: boolean } | undefined {
  const token = req.headers['x-auth-token'];
  if (typeof token === 'string') {
    const s = h.sessions.get(token);
    return s ? { user: s.user, readOnly: s.user === creds.readOnlyUser?.user } : undefined;
  }
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const [user, ...rest] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    const password = rest.join(':');
    if (user === creds.user && password === creds.password) return { user, readOnly: false };
    if (creds.readOnlyUser && user === creds.readOnlyUser.user && password === creds.readOnlyUser.password)
      return { user, readOnly: true };
  }
  return undefined;
}

function checkLogin(body: Json, creds: Credentials): string | undefined {
  const { UserName: u, Password: p } = body;
  if (u === creds.user && p === creds.password) return u;
  if (creds.readOnlyUser && u === creds.readOnlyUser.user && p === creds.readOnlyUser.password) return u;
  return undefined;
}

export async function handle(h: SimHost, creds: Credentials, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://idrac');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const method = req.method ?? 'GET';
  const key = typeof req.headers[ACTION_HEADER] === 'string' ? req.headers[ACTION_HEADER] : undefined;

  if (path === '/redfish') return send(res, 200, { v1: '/redfish/v1/' });
  if (path === '/redfish/v1' && method === 'GET') return send(res, 200, R.serviceRoot());
  if (path === '/redfish/v1/SessionService/Sessions' && method === 'POST') {
    const body = await readJson(req);
    if (!body) return malformedJson(res);
    const user = checkLogin(body, creds);
    if (!user)
      return redfishError(res, 401, 'NoValidSession', 'There is no valid session established with the implementation.');
    const token = randomBytes(16).toString('hex');
    const id = h.newId('');
    h.sessions.set(token, { id, user });
    const loc = `/redfish/v1/SessionService/Sessions/${id}`;
    return send(res, 201, { '@odata.id': loc, Id: id, UserName: user }, { 'X-Auth-Token': token, Location: loc });
  }

  const who = authenticate(req, h, creds);
  if (!who)
    return redfishError(res, 401, 'NoValidSession', 'There is no valid session established with the implementation.');

  const sessionMatch = /^\/redfish\/v1\/SessionService\/Sessions\/(\w+)$/.exec(path);
  if (sessionMatch && method === 'DELETE') {
    for (const [t, s] of h.sessions) if (s.id === sessionMatch[1]) h.sessions.delete(t);
    return send(res, 204);
  }

  if (method === 'GET') return get(h, path, res);
  if (method === 'PATCH' && path === R.SYS) return patchSystem(h, req, res);
  if (method === 'POST' || method === 'DELETE') {
    if (method === 'POST' && path === '/redfish/v1/EventService/Subscriptions') return subscribe(h, req, res);
    const subDel = /^\/redfish\/v1\/EventService\/Subscriptions\/(\w+)$/.exec(path);
    if (subDel && method === 'DELETE') return send(res, h.subscriptions.delete(subDel[1]!) ? 204 : 404);
    if (who.readOnly)
      return redfishError(
        res,
        403,
        'InsufficientPrivilege',
        'There are insufficient privileges for the account or credentials associated with the current session to perform the requested operation.'
      );
    return action(h, path, req, res, key, who.user);
  }
  return redfishError(res, 405, 'OperationNotAllowed', `The ${method} method is not allowed on ${path}.`);
}

function get(h: SimHost, path: string, res: ServerResponse): void {
  const etag = `W/"${h.etagSeq}"`;
  const dimm = /^\/redfish\/v1\/Systems\/System\.Embedded\.1\/Memory\/DIMM\.Socket\.(\w+)$/.exec(path);
  const cpu = /^\/redfish\/v1\/Systems\/System\.Embedded\.1\/Processors\/(CPU\.Socket\.[12])$/.exec(path);
  const task = /^\/redfish\/v1\/TaskService\/Tasks\/(\w+)$/.exec(path);
  const docs: Record<string, () => unknown> = {
    '/redfish/v1/Systems': () => R.collection('/redfish/v1/Systems', 'ComputerSystem', [R.SYS]),
    '/redfish/v1/Chassis': () => R.collection('/redfish/v1/Chassis', 'Chassis', [R.CHASSIS]),
    '/redfish/v1/Managers': () => R.collection('/redfish/v1/Managers', 'Manager', [R.MGR]),
    [R.SYS]: () => R.system(h),
    [`${R.SYS}/Memory`]: () => R.memoryCollection(),
    [`${R.SYS}/Processors`]: () => R.processorCollection(),
    [R.CHASSIS]: () => R.chassis(h),
    [`${R.CHASSIS}/Thermal`]: () => R.thermal(h),
    [`${R.CHASSIS}/Power`]: () => R.power(h),
    [R.MGR]: () => R.manager(h),
    [`${R.MGR}/LogServices`]: () => R.logServices(),
    [`${R.MGR}/LogServices/Sel`]: () => R.logService('Sel', h.sel.length),
    [`${R.MGR}/LogServices/Lclog`]: () => R.logService('Lclog', h.lclog.length),
    [`${R.MGR}/LogServices/Sel/Entries`]: () => R.logEntries('Sel', h.sel),
    [`${R.MGR}/LogServices/Lclog/Entries`]: () => R.logEntries('Lclog', h.lclog),
    '/redfish/v1/SessionService': () => ({
      '@odata.id': '/redfish/v1/SessionService',
      Id: 'SessionService',
      ServiceEnabled: true,
      SessionTimeout: 1800,
      Sessions: { '@odata.id': '/redfish/v1/SessionService/Sessions' },
    }),
    '/redfish/v1/EventService': () => ({
      '@odata.id': '/redfish/v1/EventService',
      Id: 'EventService',
      ServiceEnabled: true,
      EventTypesForSubscription: ['Alert', 'StatusChange'],
      Subscriptions: { '@odata.id': '/redfish/v1/EventService/Subscriptions' },
    }),
    '/redfish/v1/EventService/Subscriptions': () =>
      R.collection(
        '/redfish/v1/EventService/Subscriptions',
        'EventDestination',
        [...h.subscriptions.keys()].map((id) => `/redfish/v1/EventService/Subscriptions/${id}`)
      ),
  };
  const make = docs[path];
  if (make) return send(res, 200, make(), path === R.SYS ? { ETag: etag } : {});
  if (dimm && ['A1', 'A2', 'B1', 'B2'].includes(dimm[1]!)) return send(res, 200, R.dimm(h, dimm[1]!));
  if (cpu) return send(res, 200, R.processor(cpu[1]!));
  if (task && h.tasks.has(task[1]!)) {
    const t = h.tasks.get(task[1]!)!;
    const body = {
      '@odata.id': path,
      '@odata.type': '#Task.v1_5_0.Task',
      Id: t.id,
      TaskState: t.state,
      PercentComplete: t.state === 'Completed' ? 100 : 50,
      Messages: [
        {
          MessageId: t.state === 'Completed' ? 'IDRAC.2.8.SUP018' : 'IDRAC.2.8.JCP000',
          Message: t.state === 'Completed' ? 'Successfully deleted the job queue.' : 'Job in progress.',
        },
      ],
    };
    // A task monitor answers 202 while running and the final document when done (DSP0266 §12.2).
    return send(res, t.state === 'Completed' ? 200 : 202, body, t.state === 'Completed' ? {} : { Location: path });
  }
  return redfishError(
    res,
    404,
    'ResourceMissingAtURI',
    `The resource at the URI ${path} was not found.`,
    'Place a valid resource at the URI or correct the URI and resubmit the request.'
  );
}

async function patchSystem(h: SimHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const match = req.headers['if-match'];
  if (!match)
    return redfishError(
      res,
      428,
      'PreconditionRequired',
      'A precondition header or annotation is required to change the resource.'
    );
  if (match !== `W/"${h.etagSeq}"` && match !== '*')
    return redfishError(
      res,
      412,
      'PreconditionFailed',
      'The ETag supplied did not match the ETag required to change this resource.'
    );
  const body = await readJson(req);
  if (!body) return malformedJson(res);
  if (typeof body.AssetTag === 'string') h.assetTag = body.AssetTag;
  h.etagSeq++;
  send(res, 200, R.system(h), { ETag: `W/"${h.etagSeq}"` });
}

async function subscribe(h: SimHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if (!body || typeof body.Destination !== 'string')
    return redfishError(
      res,
      400,
      'PropertyMissing',
      'The property Destination is a required property and must be included in the request.'
    );
  const id = h.newId('');
  h.subscriptions.set(id, {
    Id: id,
    Destination: body.Destination,
    Context: typeof body.Context === 'string' ? body.Context : '',
    EventTypes: Array.isArray(body.EventTypes) ? (body.EventTypes as string[]) : ['Alert'],
  });
  const loc = `/redfish/v1/EventService/Subscriptions/${id}`;
  send(res, 201, { '@odata.id': loc, Id: id, Destination: body.Destination }, { Location: loc });
}

async function action(
  h: SimHost,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  key: string | undefined,
  user: string
): Promise<void> {
  const body = await readJson(req);
  if (!body) return malformedJson(res);
  const resetType = typeof body.ResetType === 'string' ? body.ResetType : undefined;
  const badReset = (allowed: string[]) =>
    redfishError(
      res,
      400,
      'ActionParameterValueNotInList',
      `The value '${resetType ?? ''}' for the parameter ResetType is not in the list of acceptable values: ${allowed.join(', ')}.`,
      'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.'
    );
  switch (path) {
    case `${R.SYS}/Actions/ComputerSystem.Reset`:
      if (!resetType || !SYSTEM_RESET_TYPES.includes(resetType)) return badReset(SYSTEM_RESET_TYPES);
      h.countAction(`ComputerSystem.Reset:${resetType}`, key);
      h.reset(resetType);
      if (h.actionReplyDelayMs) await new Promise((r) => setTimeout(r, h.actionReplyDelayMs));
      return send(res, 204);
    case `${R.MGR}/Actions/Manager.Reset`:
      if (!resetType || !MANAGER_RESET_TYPES.includes(resetType)) return badReset(MANAGER_RESET_TYPES);
      h.countAction('Manager.Reset', key);
      // The answer goes out before the iDRAC stops answering, as on hardware.
      send(res, 204);
      h.resetManager();
      return;
    case `${R.MGR}/LogServices/Sel/Actions/LogService.ClearLog`:
      h.countAction('LogService.ClearLog', key);
      h.clearSel(user);
      return send(res, 204);
    case `${R.MGR}/Oem/Dell/DellJobService/Actions/DellJobService.DeleteJobQueue`: {
      if (body.JobID !== 'JID_CLEARALL' && typeof body.JobID !== 'string')
        return redfishError(
          res,
          400,
          'PropertyMissing',
          'The property JobID is a required property and must be included in the request.'
        );
      h.countAction('DellJobService.DeleteJobQueue', key);
      const task = h.clearJobs();
      return send(res, 202, {}, { Location: `/redfish/v1/TaskService/Tasks/${task.id}` });
    }
    case `${R.MGR}/Actions/Oem/DellManager.ResetToDefaults`:
      h.countAction('DellManager.ResetToDefaults', key);
      h.resetManager();
      return send(res, 200, {
        '@Message.ExtendedInfo': [
          { MessageId: 'IDRAC.2.8.SYS446', Message: 'The operation to reset iDRAC to default settings is initiated.' },
        ],
      });
  }
  return redfishError(res, 404, 'ResourceMissingAtURI', `The resource at the URI ${path} was not found.`);
}

/** The iDRAC's answer to a body that is not JSON. */
function malformedJson(res: ServerResponse): void {
  redfishError(
    res,
    400,
    'MalformedJSON',
    'The request body submitted was malformed JSON and could not be parsed by the receiving service.'
  );
}
