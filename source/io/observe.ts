// Observing the real program (cli-contract.md "Observing the real program"): ONE local server on
// 127.0.0.1 is both the stand-in for the API and the proxy every proxy variable points at. What
// reaches it is recorded and answered `529 overloaded_error` (never forwarded: no token is spent);
// a proxied request for any other host and every CONNECT is recorded (host:port) and refused.
// The program runs once, without a shell, in its own process group, and is stopped when its
// requests stop coming, when it exits, at the timeout, or on Ctrl-C — the whole group with it.
//
// The raw observation holds the credential headers the program sent (SECRETS): kept in memory only,
// long enough for the caller to match them against the discovered sources and to probe with them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OVERLOADED } from '../emulator/messages.js';
import {
  STAND_IN_REQUEST_ID,
  type RawObservation,
  type RawObservedRequest,
  type StopReason,
} from '../core/observed.js';

export { STAND_IN_REQUEST_ID };

/** How many requests are recorded; the program's retries beyond this are only counted. */
export const MAX_RECORDED_REQUESTS = 20;
/** The program is stopped this long after its last request (it has had its answer). */
export const DEFAULT_QUIET_MS = 1500;
export const DEFAULT_OBSERVE_TIMEOUT_S = 30;
/** The tail of the program's own output (stdout and stderr together) kept for the report. */
export const OUTPUT_TAIL_BYTES = 16 * 1024;
/** After SIGTERM, the group gets this long before SIGKILL. */
const KILL_GRACE_MS = 1000;

export interface ObserveOptions {
  argv: string[];
  /** How to show the command (defaults to argv joined). */
  label?: string;
  /** The user's environment: the child gets it plus only the variables of `observeEnv`. */
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whole-run limit in milliseconds (--observe-timeout). */
  timeoutMs: number;
  /** Stop this long after the last request. */
  quietMs?: number;
  /** stdin = the user's terminal (interactive) or closed. */
  interactive: boolean;
  /** Ctrl-C: abort to stop the program (its whole group). */
  signal?: AbortSignal;
  /** Called once per request as it arrives (for progress); receives no secrets. */
  onRequest?: (r: { method: string; path: string; via: RawObservedRequest['via'] }) => void;
}

/** The variables that change for the observed program, and nothing else (cli-contract.md). */
export const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

export function observeEnv(env: Record<string, string | undefined>, standInUrl: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  delete out.NO_PROXY;
  delete out.no_proxy;
  out.ANTHROPIC_BASE_URL = standInUrl;
  for (const name of PROXY_VARS) out[name] = standInUrl;
  out.NODE_USE_ENV_PROXY = '1';
  out.CLAUDE_CODE_MAX_RETRIES = '0';
  return out;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

const RECORDED_HEADERS = new Set([
  'x-api-key',
  'authorization',
  'anthropic-version',
  'anthropic-beta',
  'user-agent',
  'x-stainless-package-version',
  'x-stainless-lang',
]);

/** The 529 the API answers when overloaded (fact sheet §2), marked as the stand-in's by its request id. */
function overloaded(res: ServerResponse): void {
  const id = `${STAND_IN_REQUEST_ID}_${randomBytes(8).toString('hex')}`;
  const body = JSON.stringify({
    type: 'error',
    error: { type: OVERLOADED.type, message: OVERLOADED.message },
    request_id: id,
  });
  res.writeHead(OVERLOADED.status, {
    'content-type': 'application/json',
    'request-id': id,
    // The real API says `true`; the stand-in asks for no retry so that the program prints its error
    // at once. Retries that still come are recorded (bounded).
    'x-should-retry': 'false',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  });
  res.end(body);
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Runs `argv` once against the stand-in and records what it sends. Never throws for the program's faults. */
export async function observe(o: ObserveOptions): Promise<RawObservation> {
  const started = Date.now();
  const requests: RawObservedRequest[] = [];
  const bypassed: string[] = [];
  let unrecorded = 0;
  const sockets = new Set<Socket>();
  let onActivity: () => void = () => {};

  const record = (r: RawObservedRequest): void => {
    if (r.via !== 'direct' && !r.baseUrlHonoured && !bypassed.includes(r.target)) bypassed.push(r.target);
    if (requests.length < MAX_RECORDED_REQUESTS) requests.push(r);
    else unrecorded++;
    o.onRequest?.({ method: r.method, path: r.path, via: r.via });
    onActivity();
  };

  const server = createServer((req, res) => {
    const raw = req.url ?? '/';
    let via: RawObservedRequest['via'] = 'direct';
    let target = `127.0.0.1:${port}`;
    let path = raw;
    let honoured = true;
    if (!raw.startsWith('/')) {
      via = 'proxy';
      try {
        const u = new URL(raw);
        const p = u.port || (u.protocol === 'https:' ? '443' : '80');
        target = `${u.hostname}:${p}`;
        path = u.pathname;
        honoured = u.protocol === 'http:' && LOOPBACK_NAMES.has(u.hostname) && Number(p) === port;
      } catch {
        target = raw.slice(0, 100);
        path = '';
        honoured = false;
      }
    }
    const q = path.indexOf('?');
    if (q >= 0) path = path.slice(0, q);
    const beta = header(req, 'anthropic-beta');
    record({
      method: (req.method ?? 'GET').toUpperCase(),
      path: path.slice(0, 300),
      target,
      via,
      baseUrlHonoured: honoured,
      xApiKey: header(req, 'x-api-key'),
      authorization: header(req, 'authorization'),
      anthropicVersion: header(req, 'anthropic-version'),
      anthropicBeta: beta
        ? beta
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean)
        : [],
      userAgent: header(req, 'user-agent'),
      stainlessPackageVersion: header(req, 'x-stainless-package-version'),
      stainlessLang: header(req, 'x-stainless-lang'),
      otherHeaders: Object.keys(req.headers)
        .filter((h) => !RECORDED_HEADERS.has(h))
        .sort(),
    });
    // The body is read and dropped (a prompt is none of our business); never forwarded.
    req.on('data', () => {});
    req.on('end', () => {
      if (honoured) overloaded(res);
      else req.socket.destroy(); // refused: no answer from anywhere
    });
    req.on('error', () => req.socket.destroy());
  });
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    const target = (req.url ?? '').slice(0, 300);
    record({
      method: 'CONNECT',
      path: target,
      target,
      via: 'connect',
      baseUrlHonoured: false,
      xApiKey: null,
      authorization: null,
      anthropicVersion: null,
      anthropicBeta: [],
      userAgent: header(req, 'user-agent'),
      stainlessPackageVersion: null,
      stainlessLang: null,
      otherHeaders: [],
    });
    socket.on('error', () => {});
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  server.on('clientError', (_e, socket: Socket) => socket.destroy());
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const standInUrl = `http://127.0.0.1:${port}`;

  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });

  let child: ChildProcess;
  try {
    child = spawn(o.argv[0]!, o.argv.slice(1), {
      cwd: o.cwd,
      env: observeEnv(o.env, standInUrl),
      stdio: [o.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: stopping it stops everything it started
      shell: false,
      windowsHide: true,
    });
  } catch (e) {
    await closeServer();
    return spawnFailure(o, standInUrl, started, (e as NodeJS.ErrnoException).code ?? (e as Error).message);
  }

  // The output tail: a rolling buffer of the last OUTPUT_TAIL_BYTES bytes.
  let tail = Buffer.alloc(0);
  let truncated = false;
  const keep = (chunk: Buffer): void => {
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > OUTPUT_TAIL_BYTES) {
      tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
      truncated = true;
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const outcome = await new Promise<{
    exitCode: number | null;
    signal: string | null;
    stoppedBy: StopReason;
    spawnError: string | null;
  }>((resolve) => {
    let stoppedBy: StopReason | null = null;
    let quietTimer: NodeJS.Timeout | null = null;
    let killTimer: NodeJS.Timeout | null = null;
    let exited = false;
    const timeoutTimer = setTimeout(() => stop('timeout'), o.timeoutMs);

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    function stop(why: StopReason): void {
      if (stoppedBy === null) stoppedBy = why;
      killGroup('SIGTERM');
      if (!killTimer) killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    }
    onActivity = () => {
      if (quietTimer) clearTimeout(quietTimer);
      quietTimer = setTimeout(() => stop('quiet'), o.quietMs ?? DEFAULT_QUIET_MS);
    };
    const onAbort = (): void => stop('cancel');
    if (o.signal?.aborted) stop('cancel');
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, signal: string | null, spawnError: string | null): void => {
      if (exited) return;
      exited = true;
      clearTimeout(timeoutTimer);
      if (quietTimer) clearTimeout(quietTimer);
      o.signal?.removeEventListener('abort', onAbort);
      // Whatever it started (a dev server, a watcher) goes with it; then make sure.
      killGroup('SIGTERM');
      setTimeout(() => {
        killGroup('SIGKILL');
        if (killTimer) clearTimeout(killTimer);
        resolve({ exitCode, signal, stoppedBy: stoppedBy ?? (spawnError ? 'spawn-error' : 'exit'), spawnError });
      }, 50);
    };
    child.once('error', (e: NodeJS.ErrnoException) => finish(null, null, e.code ?? e.message));
    // `exit`, not `close`: a grandchild holding the pipes must not keep us waiting.
    child.once('exit', (code, sig) => finish(code, sig, null));
  });
  // Let the last output already in the pipes arrive, but never wait long on a grandchild's pipes.
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 250);
    child.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    if (child.stdout === null || (child.stdout.readableEnded && child.stderr?.readableEnded)) resolve();
  });
  child.stdout?.destroy();
  child.stderr?.destroy();
  await closeServer();

  return {
    argv: [...o.argv],
    ...(o.label ? { label: o.label } : {}),
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.stoppedBy === 'timeout',
    cancelled: outcome.stoppedBy === 'cancel',
    stoppedBy: outcome.stoppedBy,
    spawnError: outcome.spawnError,
    output: tail.toString('utf8'),
    outputTruncated: truncated,
    requests,
    unrecorded,
    bypassed,
    standInUrl,
    pid: child.pid ?? null,
    timeoutSeconds: Math.round(o.timeoutMs / 1000),
    ms: Date.now() - started,
  };
}

function spawnFailure(o: ObserveOptions, standInUrl: string, started: number, why: string): RawObservation {
  return {
    argv: [...o.argv],
    ...(o.label ? { label: o.label } : {}),
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: false,
    stoppedBy: 'spawn-error',
    spawnError: why,
    output: '',
    outputTruncated: false,
    requests: [],
    unrecorded: 0,
    bypassed: [],
    standInUrl,
    pid: null,
    timeoutSeconds: Math.round(o.timeoutMs / 1000),
    ms: Date.now() - started,
  };
}
