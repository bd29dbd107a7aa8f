// What stands between the client and the API: the emulator's `mode`, and its fault answers.
// Gateway answers are NOT from Anthropic: no `request-id`, no anthropic-* headers, foreign bodies.
// A gateway that forwards passes the API's answer through unchanged, headers included, as a real
// pass-through gateway keeps upstream headers.
import { answer, fail, handleApi } from './api.js';
import * as M from './messages.js';
import type { EmulatorConfig, Fault, Incoming, Reply } from './types.js';

const foreignJson = (status: number, body: object): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export function respond(req: Incoming, cfg: EmulatorConfig, now: number): Reply {
  const mode = cfg.mode ?? 'api';
  switch (mode) {
    case 'api':
      return handleApi(req, cfg, now);
    case 'strip-x-api-key-proxy': {
      const { 'x-api-key': _stripped, ...headers } = req.headers;
      return handleApi({ ...req, headers }, cfg, now);
    }
    case 'gateway-x-api-key-only':
      return req.headers['x-api-key'] ? handleApi(req, cfg, now) : foreignJson(401, M.GATEWAY_MISSING_X_API_KEY);
    case 'gateway-authorization-only':
      return req.headers['authorization']
        ? handleApi(req, cfg, now)
        : foreignJson(401, M.GATEWAY_MISSING_AUTHORIZATION);
    case 'gateway-plain-text':
      return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: M.PLAIN_404 };
    case 'gateway-openai':
      return foreignJson(401, M.GATEWAY_INVALID_KEY);
    default: {
      const never: never = mode;
      throw new Error(`unknown emulator mode ${String(never)}`);
    }
  }
}

/** The first fault matching the request with uses left; consumes one use. */
export function takeFault(faults: Fault[], method: string, path: string): Fault | undefined {
  for (const f of faults) {
    if ((f.times ?? Infinity) <= 0) continue;
    if (f.match?.method && f.match.method.toUpperCase() !== method) continue;
    if (f.match?.path && !path.startsWith(f.match.path)) continue;
    if (f.times !== undefined) f.times--;
    return f;
  }
  return undefined;
}

/** The canned answer of a fault, or undefined for those that act on the socket (hang, reset, trickle, cut). */
export function faultReply(f: Fault, cfg: EmulatorConfig, now: number): Reply | undefined {
  switch (f.kind) {
    case 'hang':
    case 'reset':
    case 'trickle':
    case 'cut':
      return undefined;
    case 'html502':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: M.HTML_502_BODY };
    case 'overloaded':
      return fail(M.OVERLOADED, { 'x-should-retry': 'true' });
    case 'server_error':
      return fail(M.SERVER_ERROR);
    case 'rate_limited': {
      const reset = new Date(now + f.retryAfterSeconds * 1000).toISOString();
      return fail(M.rateLimited(cfg.orgs![0]?.id ?? ''), {
        'retry-after': String(f.retryAfterSeconds),
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': reset,
        'anthropic-ratelimit-input-tokens-limit': '30000',
        'anthropic-ratelimit-input-tokens-remaining': '0',
        'anthropic-ratelimit-input-tokens-reset': reset,
      });
    }
    case 'spend_cap':
      return fail(M.SPEND_CAP, {}, { error_code: M.SPEND_CAP_ERROR_CODE });
    case 'request_not_allowed':
      // The body has no request_id (fact sheet §2); the header is kept, as on every edge answer of the API. [U]
      return answer(403, M.REQUEST_NOT_ALLOWED_BODY);
    default: {
      const never: never = f;
      throw new Error(`unknown fault ${JSON.stringify(never)}`);
    }
  }
}
