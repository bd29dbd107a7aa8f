// Live HTTP checks: one request (plus retries of transient answers) -> a ProbeResult. Never throws.
// Faults are results (`network`), not exceptions; TLS verification is never relaxed.
// The HTTP layer (http.ts) is node:http over node:net/node:tls sockets, not fetch: Node's fetch
// takes a proxy only through an undici Dispatcher, and bundling undici for that
// (EnvHttpProxyAgent) would have cost 166 KB gzipped of a 300 KB tarball budget.
import { errorFieldsFromJson, isTransient, noAnswer, textSummary } from '../core/classify.js';
import { sanitizeUrl } from '../core/redact.js';
import type { NetworkErrorKind, ProbeRequest, ProbeResult } from '../core/types.js';

/** One request as the transport sends it; `proxy` is the proxy that applies (proxyFor), if any. */
export interface TransportRequest {
  method: ProbeRequest['method'];
  url: URL;
  /** SECRET: carries the credential. */
  headers: Record<string, string>;
  body?: string;
  /** Aborts connect, tunnel, headers and body alike. */
  signal: AbortSignal;
  proxy: URL | null;
  /**
   * Only open the connection (and the TLS handshake for https), send nothing, and close it: does
   * the host answer at all? Used for a base URL the user did not agree to send a credential to.
   */
  connectOnly?: boolean;
}

/** The answer: status and lower-case headers; the body is read (and cut short) by the caller. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Uint8Array>;
}

/** Sends one request; never follows a redirect. Rejects with the socket/TLS/abort error. */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/**
 * The default transport, http.ts, is loaded on the first request: node:http, node:net and node:tls
 * take about 10 ms to load, which `check --no-network` should not pay.
 */
const defaultTransport: Transport = async (req) => (await import('./http.js')).httpTransport(req);

/** The connections of one run: a transport over kept-alive sockets, and the way to end them all. */
export interface Connections {
  transport: Transport;
  /** Ends every socket at once (idle or in flight); later requests fail. Safe to call twice. */
  close: () => void;
}

/**
 * A keep-alive pool (http.ts) made on the first request, so a run without a request loads no
 * node:http. The session owns one and closes it when the diagnosis ends: no socket lingers.
 */
export function openConnections(): Connections {
  let pool: Promise<import('./http.js').HttpPool> | null = null;
  let closed = false;
  return {
    transport: async (req) => {
      if (closed)
        throw Object.assign(new Error('the run ended; its connections are closed'), { code: 'ERR_POOL_CLOSED' });
      pool ??= import('./http.js').then((m) => m.createHttpPool());
      const p = await pool;
      // close() may have come while http.ts loaded: the pool's own refusal applies then.
      if (closed) p.close();
      return p.transport(req);
    },
    close: () => {
      closed = true;
      void pool?.then((p) => p.close());
    },
  };
}

export interface ProbeDeps {
  /** The HTTP layer; defaults to http.ts (node:http, CONNECT tunnels for https through a proxy). */
  transport?: Transport;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** For proxy variables; defaults to process.env. */
  env?: Record<string, string | undefined>;
}

export interface ProbeOptions {
  timeoutMs: number;
  /** Retries of transient answers (default 2). */
  retries?: number;
  /** A longer retry-after is reported, not waited for (default 10). */
  maxRetryAfterSeconds?: number;
}

const BODY_LIMIT = 64 * 1024;
const SNIPPET_LIMIT = 2 * 1024;
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 8_000;

/** Exponential backoff with full jitter (attempt 0 = the first retry), capped at 8 s. */
export function backoffMs(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  const r = random();
  return Math.floor((Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0.5) * ceiling);
}

function envValue(env: Record<string, string | undefined>, name: string): string {
  // Lower case first, as curl reads them; an empty value means "none".
  return env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '';
}

/** The proxy that applies to `url` (HTTPS_PROXY, else HTTP_PROXY for https), honouring NO_PROXY. */
export function proxyFor(url: string, env: Record<string, string | undefined>): string | null {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return null;
  }
  const httpProxy = envValue(env, 'http_proxy');
  const proxy =
    target.protocol === 'https:'
      ? envValue(env, 'https_proxy') || httpProxy
      : target.protocol === 'http:'
        ? httpProxy
        : '';
  if (!proxy) return null;
  const noProxy = envValue(env, 'no_proxy').trim();
  if (noProxy === '*') return null;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  for (const raw of noProxy.split(/[,\s]+/)) {
    if (!raw) continue;
    const m = /^(.*?)(?::(\d{1,5}))?$/.exec(raw)!;
    const entryHost = m[1]!
      .replace(/^\*?\./, '')
      .replace(/^\[|\]$/g, '')
      .toLowerCase();
    if (m[2] && Number(m[2]) !== port) continue;
    if (host === entryHost || host.endsWith('.' + entryHost)) return null;
  }
  return proxy;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', ...DNS_CODES]);
/** The code of a proxy failure that carries no socket error of its own (set-up, a non-2xx CONNECT answer). */
export const PROXY_CODE = 'EPROXY';
/** The name of the errors http.ts raises when the proxy, not the target, failed. */
export const PROXY_ERROR = 'ProxyError';

/** Every error in a cause chain (a tunnel failure wraps the socket error; connects may be AggregateErrors). */
function causes(err: unknown): { name: string; code: string; message: string }[] {
  const out: { name: string; code: string; message: string }[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 12) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    const o = e as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    out.push({
      name: typeof o.name === 'string' ? o.name : '',
      code: typeof o.code === 'string' ? o.code : '',
      message: typeof o.message === 'string' ? o.message : '',
    });
    if (o.cause !== undefined) queue.push(o.cause);
    if (Array.isArray(o.errors)) queue.push(...(o.errors as unknown[]));
  }
  return out;
}

function networkError(err: unknown, viaProxy: boolean): { kind: NetworkErrorKind; code: string; message: string } {
  const chain = causes(err);
  const codes = chain.map((c) => c.code).filter(Boolean);
  const message = chain.filter((c) => c.message).map((c) => c.message)[0] ?? 'request failed';
  const pick = (kind: NetworkErrorKind, code: string) => ({ kind, code, message });
  const tls = codes.find((c) => TLS_CODES.has(c) || c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_'));
  if (tls) return pick('tls', tls);
  // AbortSignal.timeout aborts with a DOMException named TimeoutError (connect, tunnel, headers or body).
  if (chain.some((c) => c.name === 'TimeoutError')) return pick('timeout', 'ETIMEDOUT');
  // With a proxy in play every connection goes to the proxy, so a failed connect or a failed
  // tunnel (a PROXY_ERROR from http.ts) is the proxy's failure.
  const connect = codes.find((c) => CONNECT_CODES.has(c));
  if (viaProxy && (connect || chain.some((c) => c.name === PROXY_ERROR)))
    return pick('proxy', connect ?? codes[0] ?? PROXY_CODE);
  if (connect) return pick(DNS_CODES.has(connect) ? 'dns' : 'unreachable', connect);
  const reset = codes.find((c) => RESET_CODES.has(c));
  if (reset || chain.some((c) => /socket hang up/i.test(c.message))) return pick('reset', reset ?? 'ECONNRESET');
  return pick('unreachable', codes[0] ?? chain[chain.length - 1]?.name ?? 'UNKNOWN');
}

/** Removes anything of the request's headers and URL secrets from an error message. */
function scrub(message: string, req: ProbeRequest, proxy: string | null): string {
  let out = message;
  for (const raw of [req.url, proxy].filter((x): x is string => Boolean(x)))
    out = out.split(raw).join(sanitizeUrl(raw));
  out = out.replace(/\/\/[^/@\s]{1,200}@/g, '//');
  for (const value of Object.values(req.headers)) {
    for (const token of value.split(/[\s"'\\,;]+/)) if (token.length >= 8) out = out.split(token).join('[redacted]');
  }
  return out.length > 300 ? out.slice(0, 299) + '…' : out;
}

/** node:http would refuse these with a bare "Invalid character": catch them first and say where. */
function invalidHeader(headers: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(headers)) {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) {
        const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
        const what =
          c === 0x0a || c === 0x0d
            ? 'a line break'
            : c === 0
              ? 'a NUL byte'
              : c > 0xff
                ? `a non-Latin-1 character (${hex})`
                : `a control character (${hex})`;
        return `the ${name} header value contains ${what} at character ${i + 1}, which HTTP cannot carry`;
      }
    }
  }
  return null;
}

/** A proxy variable's value as a URL; a bare `host:port` means http://host:port, as curl reads it. */
function parseProxy(value: string): URL {
  const url = new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`unsupported proxy scheme ${url.protocol}`);
  return url;
}

// ---- one attempt, retries ----

function retryAfterSeconds(header: (name: string) => string | null, now: number): number | null {
  const ms = header('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms) / 1000);
  const v = header('retry-after')?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

/** At most BODY_LIMIT bytes; leaving the loop early destroys the stream, so the rest is never read. */
async function readLimited(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    total += chunk.byteLength;
    if (total >= BODY_LIMIT) break;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks).subarray(0, BODY_LIMIT));
}

type Attempt = Omit<ProbeResult, 'ms' | 'attempts' | 'at'>;

function base(req: ProbeRequest): Attempt {
  return noAnswer(req, sanitizeUrl(req.url));
}

async function attemptOnce(
  req: ProbeRequest,
  opts: ProbeOptions,
  transport: Transport,
  proxy: URL | null,
  proxyText: string | null,
  now: () => number,
): Promise<Attempt> {
  const result = base(req);
  try {
    // The transport never follows a redirect: it would carry x-api-key to another host.
    const signal = AbortSignal.timeout(opts.timeoutMs);
    const connectOnly = req.purpose === 'base_url_reach';
    const res = await transport({
      method: req.method,
      url: new URL(req.url),
      headers: req.headers,
      body: req.body,
      signal,
      proxy,
      ...(connectOnly ? { connectOnly } : {}),
    });
    // Connected (no request was sent): nothing to read.
    if (connectOnly) return result;
    const header = (name: string): string | null => {
      const v = res.headers[name];
      return Array.isArray(v) ? v.join(', ') : (v ?? null);
    };
    result.status = res.status;
    result.contentType = header('content-type');
    result.organizationId = header('anthropic-organization-id');
    result.workspaceId = header('anthropic-workspace-id');
    result.retryAfterSeconds = retryAfterSeconds(header, now());
    const headerId = header('request-id');
    const body = await readLimited(res.body);
    result.bodySnippet = body.slice(0, SNIPPET_LIMIT);
    let json: unknown;
    if (/json/i.test(result.contentType ?? '') || /^\s*[{[]/.test(body)) {
      try {
        json = JSON.parse(body);
        result.json = json;
      } catch {
        // not JSON after all (or cut at the body limit)
      }
    }
    const fields = errorFieldsFromJson(json);
    result.requestId = headerId ?? fields.requestId;
    result.anthropicEnvelope = fields.shape === 'anthropic';
    if (res.status >= 300) {
      result.errorType = fields.type;
      result.errorMessage = fields.message ?? (json === undefined ? textSummary(body) : null);
      result.errorCode = fields.code;
    }
  } catch (err) {
    const net = networkError(err, proxy !== null);
    result.network = { ...net, message: scrub(net.message, req, proxyText) };
  }
  return result;
}

/**
 * Sends one probe, retrying transient answers (429 with a short retry-after, 529, 5xx, resets)
 * at most `retries` times with backoff and jitter. Never throws.
 */
export async function runProbe(req: ProbeRequest, opts: ProbeOptions, deps: ProbeDeps = {}): Promise<ProbeResult> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const transport = deps.transport ?? defaultTransport;
  const retries = Math.max(0, opts.retries ?? 2);
  const maxRetryAfter = opts.maxRetryAfterSeconds ?? 10;
  const started = now();
  const at = new Date(started).toISOString();
  const finish = (r: Attempt, attempts: number): ProbeResult => ({
    ...r,
    ms: Math.max(0, now() - started),
    attempts,
    at,
  });

  const bad = invalidHeader(req.headers);
  if (bad)
    return finish(
      {
        ...base(req),
        network: { kind: 'unreachable', code: 'ERR_INVALID_HEADER', message: `${bad}; the request was not sent` },
      },
      0,
    );

  const proxyText = proxyFor(req.url, deps.env ?? process.env);
  let proxy: URL | null = null;
  try {
    if (proxyText) proxy = parseProxy(proxyText);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return finish(
      {
        ...base(req),
        network: { kind: 'proxy', code: PROXY_CODE, message: scrub(`proxy set-up failed: ${message}`, req, proxyText) },
      },
      0,
    );
  }

  for (let attempt = 1; ; attempt++) {
    const r = await attemptOnce(req, opts, transport, proxy, proxyText, now);
    if (attempt > retries || !isTransient(r)) return finish(r, attempt);
    if (r.retryAfterSeconds !== null && r.retryAfterSeconds > maxRetryAfter) return finish(r, attempt);
    await sleep(r.retryAfterSeconds !== null ? r.retryAfterSeconds * 1000 : backoffMs(attempt - 1, random));
  }
}
