// The conformance harness: throw-away project layouts built from the REAL client packages installed
// in this repository's node_modules, a capture server (the emulator: it answers 401 in the API's
// shape, zero tokens), a proxy that refuses everything that would leave the machine, and runners
// for the real clients and for the built CLI in the same directory and environment.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../source/emulator/index.js';
import { makeBox, type Box } from '../helpers/box.js';
import { CLI, hostPath } from '../helpers/cli.js';

export const REPO = path.resolve(__dirname, '../..');
const NM = path.join(REPO, 'node_modules');

/** A real package of this repository's dev tree, by the directory it is installed in. */
export interface RealPackage {
  /** The name the project imports it by. */
  name: string;
  /** Directory below the repository's node_modules. */
  dir: string;
  version: string;
}

/** Every client version the suite proves; a new version is one line here. */
export const PACKAGES = {
  sdk117: { name: '@anthropic-ai/sdk', dir: '@anthropic-ai/sdk', version: '1.17.0' },
  sdk112: { name: '@anthropic-ai/sdk', dir: 'anthropic-sdk-112', version: '1.12.0' },
  sdk0x: { name: '@anthropic-ai/sdk', dir: 'anthropic-sdk-0x', version: '0.137.0' },
  sdk0122: {
    name: '@anthropic-ai/sdk',
    dir: '@langchain/anthropic/node_modules/@anthropic-ai/sdk',
    version: '0.122.0',
  },
  langchain: { name: '@langchain/anthropic', dir: '@langchain/anthropic', version: '1.5.11' },
  aiSdk: { name: '@ai-sdk/anthropic', dir: '@ai-sdk/anthropic', version: '3.0.140' },
  claudeCode: { name: '@anthropic-ai/claude-code', dir: '@anthropic-ai/claude-code', version: '2.1.332' },
} as const satisfies Record<string, RealPackage>;

export const CLAUDE_BIN = path.join(NM, '@anthropic-ai/claude-code-linux-x64/claude');

const cleanups: (() => Promise<void> | void)[] = [];
export async function cleanup(): Promise<void> {
  for (const f of cleanups.splice(0).reverse()) await f();
}

export function box(): Box {
  return makeBox('c401-conf-', (f) => cleanups.push(f));
}

/**
 * A package placed at `dest` as its own directory whose entries link to the real package's files
 * (never its nested node_modules): the layout decides where its dependencies are, as an installer
 * would, while the code that runs is the real package's.
 */
export function place(pkg: RealPackage, dest: string): void {
  const src = realpathSync(path.join(NM, pkg.dir));
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(src)) {
    if (entry === 'node_modules') continue;
    symlinkSync(path.join(src, entry), path.join(dest, entry));
  }
}

export function link(target: string, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  symlinkSync(target, file);
}

export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Servers

export interface ProxyRecord {
  method: string;
  /** host:port of a CONNECT, or of the absolute URI of a plain proxied request. */
  target: string;
}

export interface RefusingProxy {
  url: string;
  records: ProxyRecord[];
  close(): Promise<void>;
}

/**
 * A proxy that lets nothing out: every CONNECT is recorded and refused (403); a plain proxied
 * request is recorded and forwarded only when it is for `allowed` (the capture server on
 * 127.0.0.1), else refused.
 */
export async function refusingProxy(allowed: () => string[]): Promise<RefusingProxy> {
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    let target = '';
    try {
      target = new URL(req.url ?? '').host;
    } catch {
      target = String(req.headers.host ?? '');
    }
    records.push({ method: req.method ?? 'GET', target });
    if (!allowed().includes(target)) {
      res.writeHead(403).end();
      return;
    }
    const url = new URL(req.url!);
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const up = request(
      { host: url.hostname, port: url.port, method: req.method, path: url.pathname + url.search, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.on('connect', (req, socket: Socket) => {
    records.push({ method: 'CONNECT', target: req.url ?? '' });
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const proxy: RefusingProxy = {
    url: `http://127.0.0.1:${port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  cleanups.push(() => proxy.close());
  return proxy;
}

export interface Servers {
  /** The capture server: the emulator with no keys, so every credential gets a 401. */
  capture: Emulator;
  proxy: RefusingProxy;
}

export async function servers(): Promise<Servers> {
  const capture = await startEmulator({ keys: [] });
  cleanups.push(() => capture.close());
  const proxy = await refusingProxy(() => [new URL(capture.url).host]);
  return { capture, proxy };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;
/** Every host a proxy was asked for that is not this machine. */
export function leftTheMachine(p: RefusingProxy): string[] {
  return p.records.map((r) => r.target).filter((t) => !LOOPBACK.test(t));
}

/** The environment every run gets: the proxy variables at the refusing proxy, NO_PROXY removed. */
export function baseEnv(b: Box, s: Servers, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: hostPath(),
    HOME: b.home,
    LANG: 'C.UTF-8',
    HTTPS_PROXY: s.proxy.url,
    https_proxy: s.proxy.url,
    HTTP_PROXY: s.proxy.url,
    http_proxy: s.proxy.url,
    ALL_PROXY: s.proxy.url,
    all_proxy: s.proxy.url,
    ...extra,
  };
}

// ---------------------------------------------------------------------------------------------
// Running things

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export function run(
  file: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
  input = '',
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // its whole process group
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/** The real clients, each driven the way an application (or a user) drives it: one request. */
export type ClientKind = 'sdk' | 'langchain' | 'ai-sdk' | 'claude-code';

const SCRIPTS: Record<Exclude<ClientKind, 'claude-code'>, string> = {
  sdk: `import Anthropic from '@anthropic-ai/sdk';
try { await new Anthropic().models.list(); } catch (e) { console.log(e.constructor.name, e.status ?? ''); }`,
  langchain: `import { ChatAnthropic } from '@langchain/anthropic';
try { await new ChatAnthropic({ model: 'claude-sonnet-4-5', maxRetries: 0 }).invoke('hi'); }
catch (e) { console.log(e.constructor.name, e.status ?? '', String(e.message).slice(0, 80)); }`,
  'ai-sdk': `import { createAnthropic } from '@ai-sdk/anthropic';
try {
  await createAnthropic()('claude-sonnet-4-5').doGenerate({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
} catch (e) { console.log(e.constructor.name, e.statusCode ?? '', String(e.message).slice(0, 80)); }`,
};

/** Runs the real client once in `cwd` with exactly `env`. */
export function runClient(kind: ClientKind, cwd: string, env: Record<string, string>): Promise<Ran> {
  if (kind === 'claude-code') {
    const ccEnv: Record<string, string> = { ...env, CLAUDE_CODE_MAX_RETRIES: '0', DISABLE_AUTOUPDATER: '1' };
    ccEnv.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1';
    return run(CLAUDE_BIN, ['-p', 'hi'], cwd, ccEnv, 30_000);
  }
  return run(process.execPath, ['--input-type=module', '-e', SCRIPTS[kind]], cwd, env, 30_000);
}

/** The built CLI: `check --json --api-url <capture> …args`. */
export async function runCheck(
  cwd: string,
  env: Record<string, string>,
  apiUrl: string,
  args: string[],
): Promise<{ ran: Ran; json: CheckJson }> {
  const ran = await run(
    process.execPath,
    [CLI, 'check', '--json', '--api-url', apiUrl, ...args],
    cwd,
    {
      ...env,
      CI: 'true',
    },
    60_000,
  );
  let json: CheckJson;
  try {
    json = JSON.parse(ran.stdout) as CheckJson;
  } catch {
    throw new Error(`check --json printed no JSON (exit ${ran.code})\n${ran.stdout}\n${ran.stderr}`);
  }
  return { ran, json };
}

export interface CheckJson {
  verdict: string;
  clients: { name: string; version: string; source: string; sends: string; via: string | null }[];
  sources: { source: string; name: string; usedBy: string[] }[];
  findings: { id: string; severity: string; detail: string; fix: string[] }[];
  probes: {
    method: string;
    url: string;
    status: number | null;
    purpose?: string;
    clients?: string[];
    sentAs?: string;
    anthropicVersion?: string | null;
    oauthBeta?: boolean;
    credential?: string;
    secondaryCredential?: string | null;
  }[];
  notes: string[];
}
