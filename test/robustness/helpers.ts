// Shared pieces of the robustness family: the BUILT CLI run as a child process in a sandbox, the
// checks every run must pass (exit code from the contract, no crash text, no secret), and small
// hostile servers (a recording / header-stripping forward proxy, an HTTPS server with a
// self-signed certificate, an HTTP server that answers whatever a test gives it).
import { createServer as createHttpServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, expect } from 'vitest';
import { leakedWindow } from '../helpers/leak.js';
import { selfSignedCert } from '../helpers/tls.js';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../source/emulator/index.js';
import { CLI, requireBuild, runCli } from '../helpers/cli.js';
import { makeBox, type Box } from '../helpers/box.js';
import { runCli as runPty, type PtyOptions, type Run as PtyRun } from '../e2e/pty.js';

export { CLI, requireBuild };

/** Exit codes of cli-contract.md. */
export const EXIT = { ok: 0, problem: 1, usage: 2, inconclusive: 3, cancelled: 130 } as const;

/** Any terminal control byte that must never come from outside text: ESC, BEL, CSI, OSC (8-bit). */
export const CONTROL_BYTES = /[\u001b\u0007\u009b\u009d]/;

/** What a crash looks like on stderr: a V8 stack frame, Node's own crash banners. */
const CRASH_TEXT = new RegExp(
  '^\\s+at .+\\(?.+:\\d+:\\d+\\)?$|node:internal|Unhandled|unhandledRejection|UnhandledPromiseRejection|' +
    'ERR_UNHANDLED|TypeError|ReferenceError|RangeError|SyntaxError|FATAL ERROR|Segmentation fault',
  'm',
);

// Everything a test file starts is ended after the file.
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

export function onCleanup(f: () => Promise<void> | void): void {
  cleanups.push(f);
}

export async function emulator(config: EmulatorConfig = {}): Promise<Emulator> {
  const emu = await startEmulator(config);
  onCleanup(() => emu.close());
  return emu;
}

export type { Box };

export function box(): Box {
  return makeBox('c401-robust-', onCleanup);
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Parsed stdout when it is JSON, else null. */
  json: any;
  args: string[];
}

export interface RunOptions {
  /** The only environment the program sees, besides PATH, HOME and CI=true (unless given). */
  env?: Record<string, string>;
  cwd?: string;
  home?: string;
  input?: string | Buffer;
  /** The child is killed and the test fails after this long (a hang). */
  killAfterMs?: number;
  uid?: number;
  gid?: number;
  /** Run `argv` through this program instead of node (e.g. /bin/sh -c '…' to delete the working directory first). */
  launcher?: (nodeArgv: string[]) => { file: string; args: string[] };
}

/** Runs `node dist/cli.js ...args`. Rejects (failing the test) when it outlives `killAfterMs`. */
export async function cli(args: string[], b: Pick<Box, 'cwd' | 'home'>, o: RunOptions = {}): Promise<Run> {
  const { killAfterMs, cwd, home, ...rest } = o;
  const r = await runCli(args, { ...rest, cwd: cwd ?? b.cwd, home: home ?? b.home, timeoutMs: killAfterMs ?? 20_000 });
  let json: any = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // not JSON
  }
  return { ...r, json, args };
}

export const ids = (r: Run): string[] => (r.json?.findings ?? []).map((f: { id: string }) => f.id);
export const findingOf = (r: Run, id: string) => (r.json?.findings ?? []).find((f: { id: string }) => f.id === id);

/**
 * What every run must show: it ended by itself with one of `codes`, wrote no crash text, and no
 * 8-character window of any secret is in anything it printed.
 */
export function expectSane(r: Run, o: { codes: number[]; secrets?: string[]; extra?: string[] }): void {
  const context =
    `\n$ cli ${r.args.join(' ').slice(0, 200)}\nexit ${r.code} signal ${r.signal}\nstdout: ` +
    `${r.stdout.slice(0, 1500)}\nstderr: ${r.stderr.slice(0, 1500)}`;
  expect(r.signal, `killed by a signal${context}`).toBeNull();
  expect(o.codes, `exit code${context}`).toContain(r.code);
  expect(r.stderr, `crash text on stderr${context}`).not.toMatch(CRASH_TEXT);
  for (const s of o.secrets ?? []) {
    for (const [name, text] of [
      ['stdout', r.stdout],
      ['stderr', r.stderr],
      ...(o.extra ?? []).map((t, i) => [`extra ${i}`, t]),
    ] as const) {
      expect(leakedWindow(text, s), `a window of a secret in ${name}${context}`).toBeNull();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Servers

async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  onCleanup(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A plain HTTP server that answers every request with `answer(request)` and records what arrived. */
export async function answeringServer(
  answer: (req: { method: string; url: string; headers: IncomingHttpHeaders }) => Answer,
) {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const r = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers };
      seen.push(r);
      const a = answer(r);
      res.writeHead(a.status, { ...a.headers, 'content-length': String(Buffer.byteLength(a.body)) });
      res.end(a.body);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

export interface ProxyRecord {
  kind: 'http' | 'connect';
  /** host:port the request or tunnel was for. */
  target: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * A forward proxy (what HTTP_PROXY / HTTPS_PROXY point at): forwards absolute-form requests and
 * CONNECT tunnels, records each, and removes the `strip` headers (lower-case) on the way.
 */
export async function forwardProxy(o: { strip?: string[] } = {}) {
  const seen: ProxyRecord[] = [];
  const strip = new Set(o.strip ?? []);
  const server = createHttpServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !strip.has(name)));
    seen.push({
      kind: 'http',
      target: target.host,
      method: req.method ?? 'GET',
      path: target.pathname,
      headers: req.headers,
    });
    const up = request(target, { method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(up);
  });
  server.on('connect', (req, sock: Socket, head: Buffer) => {
    const target = req.url ?? '';
    seen.push({ kind: 'connect', target, method: 'CONNECT', path: '', headers: req.headers });
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const up = connect(port, host, () => {
      sock.write('HTTP/1.1 200 Connection established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, seen };
}

/** An HTTPS server on 127.0.0.1 with a fresh self-signed certificate (made by the openssl CLI). */
export async function selfSignedServer(dir: string) {
  const requests: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  let handshakes = 0;
  const { key, cert } = selfSignedCert(dir);
  const server = createHttpsServer({ key, cert }, (req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers });
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"data":[],"has_more":false,"first_id":null,"last_id":null}');
  });
  server.on('secureConnection', () => handshakes++);
  const port = await listen(server);
  return { url: `https://127.0.0.1:${port}`, requests, handshakes: () => handshakes };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------------------------------------
// A real pseudo-terminal (the e2e helper's shape, plus resize and full control of the environment:
// these tests need no TERM at all, NO_COLOR, 20 columns, a shell around the program).

export type { PtyOptions };
export type Pty = PtyRun;

/** A PTY run of the built CLI (test/e2e/pty.ts), killed when the test ends. */
export async function ptyRun(args: string[], o: PtyOptions): Promise<Pty> {
  requireBuild();
  const run = runPty(args, o);
  onCleanup(() => run.kill());
  return run;
}
