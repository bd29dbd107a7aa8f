// Live HTTP checks: one request (plus retries of transient answers) -> a ProbeResult. Never throws.
// Faults are results (`network`), not exceptions; TLS verification is never relaxed.
import { errorFieldsFromJson, isTransient, textSummary } from '../core/classify.js';
import { sanitizeUrl } from '../core/redact.js';
import type { NetworkErrorKind, ProbeRequest, ProbeResult } from '../core/types.js';

export interface ProbeDeps {
  fetch?: typeof fetch;
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
  // Lower case first, as undici and curl read them; an empty value means "none".
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
  const proxy = target.protocol === 'https:' ? envValue(env, 'https_proxy') || httpProxy : target.protocol === 'http:' ? httpProxy : '';
  if (!proxy) return null;
  const noProxy = envValue(env, 'no_proxy').trim();
  if (noProxy === '*') return null;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  for (const raw of noProxy.split(/[,\s]+/)) {
    if (!raw) continue;
    const m = /^(.*?)(?::(\d{1,5}))?$/.exec(raw)!;
    const entryHost = m[1]!.replace(/^\*?\./, '').replace(/^\[|\]$/g, '').toLowerCase();
    if (m[2] && Number(m[2]) !== port) continue;
    if (host === entryHost || host.endsWith('.' + entryHost)) return null;
  }
  return proxy;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH', 'EPROTO',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME']);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED']);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', ...DNS_CODES]);

/** Every error in a cause chain (Node's fetch wraps the real one, sometimes in an AggregateError). */
function causes(err: unknown): { name: string; code: string; message: string }[] {
  const out: { name: string; code: string; message: string }[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 12) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    const o = e as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    out.push({ name: String(o.name ?? ''), code: typeof o.code === 'string' ? o.code : '', message: typeof o.message === 'string' ? o.message : '' });
    if (o.cause !== undefined) queue.push(o.cause);
    if (Array.isArray(o.errors)) queue.push(...o.errors);
  }
  return out;
}

function networkError(err: unknown, viaProxy: boolean): { kind: NetworkErrorKind; code: string; message: string } {
  const chain = causes(err);
  const codes = chain.map((c) => c.code).filter(Boolean);
  const text = chain.map((c) => c.message).filter(Boolean);
  const deepest = chain.filter((c) => c.message && c.message !== 'fetch failed').pop();
  const message = deepest?.message ?? text[0] ?? 'request failed';
  const pick = (kind: NetworkErrorKind, code: string) => ({ kind, code, message });
  const tls = codes.find((c) => TLS_CODES.has(c) || c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_'));
  if (tls) return pick('tls', tls);
  // With a proxy in play every connection goes to the proxy, so a failed connect or a refused
  // tunnel ("Proxy response (407) !== 200") is the proxy's failure.
  const connect = codes.find((c) => CONNECT_CODES.has(c));
  if (viaProxy && (connect || text.some((m) => /proxy/i.test(m)))) return pick('proxy', connect ?? codes[0] ?? 'EPROXY');
  // AbortSignal.timeout rejects with a DOMException named TimeoutError (headers or body).
  if (chain.some((c) => c.name === 'TimeoutError') || codes.some((c) => TIMEOUT_CODES.has(c))) {
    return pick('timeout', codes.find((c) => TIMEOUT_CODES.has(c)) ?? 'ETIMEDOUT');
  }
  if (connect) return pick(DNS_CODES.has(connect) ? 'dns' : 'unreachable', connect);
  const reset = codes.find((c) => RESET_CODES.has(c));
  if (reset || text.some((m) => /socket hang up|other side closed/i.test(m))) return pick('reset', reset ?? 'ECONNRESET');
  return pick('unreachable', codes[0] ?? chain[chain.length - 1]?.name ?? 'UNKNOWN');
}

/** Removes anything of the request's headers and URL secrets from an error message. */
function scrub(message: string, req: ProbeRequest, proxy: string | null): string {
  let out = message;
  for (const raw of [req.url, proxy].filter((x): x is string => Boolean(x))) out = out.split(raw).join(sanitizeUrl(raw));
  out = out.replace(/\/\/[^/@\s]{1,200}@/g, '//');
  for (const value of Object.values(req.headers)) {
    for (const token of value.split(/[\s"'\\,;]+/)) if (token.length >= 8) out = out.split(token).join('[redacted]');
  }
  return out.length > 300 ? out.slice(0, 299) + '…' : out;
}

/** fetch would refuse these before sending (and name the value in its error): catch them first. */
function invalidHeader(headers: Record<string, string>): string | null {
  for (const [name, value] of Object.entries(headers)) {
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 0x0a || c === 0x0d || c === 0 || c > 0xff) {
        const what = c === 0x0a || c === 0x0d ? 'a line break' : c === 0 ? 'a NUL byte' : `a non-Latin-1 character (U+${c.toString(16).toUpperCase().padStart(4, '0')})`;
        return `the ${name} header value contains ${what} at character ${i + 1}, which HTTP cannot carry`;
      }
    }
  }
  return null;
}

function retryAfterSeconds(headers: Headers, now: number): number | null {
  const ms = headers.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms) / 1000);
  const v = headers.get('retry-after')?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

async function readLimited(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
    }
  } finally {
    if (total >= BODY_LIMIT) await reader.cancel().catch(() => {});
  }
  const all = new Uint8Array(Math.min(total, BODY_LIMIT));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, all.length - at);
    all.set(part, at);
    at += part.length;
    if (at >= all.length) break;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(all);
}

type Attempt = Omit<ProbeResult, 'ms' | 'attempts' | 'at'>;

function base(req: ProbeRequest): Attempt {
  return {
    method: req.method, url: sanitizeUrl(req.url), purpose: req.purpose, status: null, requestId: null,
    errorType: null, errorMessage: null, errorCode: null, organizationId: null, workspaceId: null,
    bodySnippet: '', contentType: null, anthropicEnvelope: false, retryAfterSeconds: null, network: null,
    sentAs: req.sentAs, anthropicVersion: req.anthropicVersion, oauthBeta: req.oauthBeta,
  };
}

async function attemptOnce(
  req: ProbeRequest,
  opts: ProbeOptions,
  doFetch: typeof fetch,
  dispatcher: unknown,
  proxy: string | null,
  now: () => number,
): Promise<Attempt> {
  const result = base(req);
  try {
    // The timeout signal also aborts the body stream, so a trickling body times out too.
    // redirect: 'manual' — following a redirect would carry x-api-key to another host.
    const init = { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(opts.timeoutMs), redirect: 'manual', dispatcher };
    const res = await doFetch(req.url, init as RequestInit);
    result.status = res.status;
    result.contentType = res.headers.get('content-type');
    result.organizationId = res.headers.get('anthropic-organization-id');
    result.workspaceId = res.headers.get('anthropic-workspace-id');
    result.retryAfterSeconds = retryAfterSeconds(res.headers, now());
    const headerId = res.headers.get('request-id');
    const body = await readLimited(res);
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
    result.network = { ...net, message: scrub(net.message, req, proxy) };
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
  const retries = Math.max(0, opts.retries ?? 2);
  const maxRetryAfter = opts.maxRetryAfterSeconds ?? 10;
  const started = now();
  const at = new Date(started).toISOString();
  const finish = (r: Attempt, attempts: number): ProbeResult => ({ ...r, ms: Math.max(0, now() - started), attempts, at });

  const bad = invalidHeader(req.headers);
  if (bad) return finish({ ...base(req), network: { kind: 'unreachable', code: 'ERR_INVALID_HEADER', message: `${bad}; the request was not sent` } }, 0);

  const proxy = proxyFor(req.url, deps.env ?? process.env);
  let dispatcher: { destroy(): Promise<void> } | undefined;
  try {
    if (proxy) {
      // Loaded only when a proxy applies, so `check --no-network` never loads undici.
      const { EnvHttpProxyAgent } = await import('undici');
      const env = deps.env ?? process.env;
      dispatcher = new EnvHttpProxyAgent({ httpProxy: envValue(env, 'http_proxy'), httpsProxy: envValue(env, 'https_proxy'), noProxy: envValue(env, 'no_proxy') });
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return finish({ ...base(req), network: { kind: 'proxy', code: 'EPROXY', message: scrub(`proxy set-up failed: ${message}`, req, proxy) } }, 0);
  }

  try {
    const doFetch = deps.fetch ?? fetch;
    for (let attempt = 1; ; attempt++) {
      const r = await attemptOnce(req, opts, doFetch, dispatcher, proxy, now);
      if (attempt > retries || !isTransient(r)) return finish(r, attempt);
      if (r.retryAfterSeconds !== null && r.retryAfterSeconds > maxRetryAfter) return finish(r, attempt);
      await sleep(r.retryAfterSeconds !== null ? r.retryAfterSeconds * 1000 : backoffMs(attempt - 1, random));
    }
  } finally {
    await dispatcher?.destroy().catch(() => {});
  }
}
