// API authentication: a bearer token on /api, except on the loopback demo where the stack is
// bound to 127.0.0.1 and only local users can reach it.
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

function isLoopback(addr: string | undefined): boolean {
  return !!addr && (addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.'));
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function requireToken(opts: { token?: string; loopbackDemo?: boolean }): MiddlewareHandler {
  return async (c, next) => {
    if (opts.loopbackDemo) {
      let addr: string | undefined;
      try {
        addr = getConnInfo(c).remote.address;
      } catch {
        addr = undefined; // not served by node-server (tests call app.request directly)
      }
      if (addr === undefined || isLoopback(addr)) return next();
    }
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!opts.token) return c.json({ error: 'the API needs IRONTHRONE_API_TOKEN to be set for non-loopback access' }, 401);
    if (!given || !sameToken(given, opts.token)) return c.json({ error: 'missing or wrong bearer token' }, 401);
    return next();
  };
}
