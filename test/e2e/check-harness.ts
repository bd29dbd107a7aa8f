// Shared harness of the check-*.test.ts end-to-end tests: the BUILT CLI (`dist/cli.js check
// --json`) run as a child process against in-process emulators, in a sandbox where the project
// lies below HOME (discovery walks dotenv files up to HOME, so nothing outside the sandbox is read).
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { startEmulator, type Emulator, type EmulatorConfig } from '../../source/emulator/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { makeBox, type Box } from '../helpers/box.js';

/** The JSON document of cli-contract.md, as far as these tests read it. */
export interface Doc {
  verdict: 'ok' | 'problem' | 'inconclusive';
  summary: string;
  credential: { source: string; kind: string; fingerprint: string } | null;
  clients: { name: string; version: string; source: string; sends: string; via: string | null }[];
  sources: { source: string; name: string; kind: string; fingerprint: string; usedBy: string[] }[];
  steps: { id: string; status: string; note: string }[];
  findings: { id: string; severity: string; step: string; title: string; detail: string; fix: string[] }[];
  probes: {
    method: string;
    url: string;
    status: number | null;
    requestId: string | null;
    errorType: string | null;
    errorMessage: string | null;
    purpose?: string;
    unused?: boolean;
  }[];
  pasted: {
    status: number | null;
    requestId: string | null;
    errorType: string | null;
    errorMessage: string | null;
    form: string;
  } | null;
}

export interface Run extends CliResult {
  json: Doc;
  args: string[];
}

// Everything a test starts is ended after the file: concurrent tests share no per-test hooks.
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

export async function emulator(config: EmulatorConfig = {}): Promise<Emulator> {
  const emu = await startEmulator(config);
  cleanups.push(() => emu.close());
  return emu;
}

export type { Box };

export function box(): Box {
  return makeBox('c401-e2e-', (f) => cleanups.push(f));
}

/** `claude-401-wizard check --json …args` in `b` with exactly `env` (plus PATH, HOME, CI). */
export async function check(
  b: Box,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<Run> {
  const all = ['check', '--json', ...args];
  const r = await runCli(all, { cwd: b.cwd, home: b.home, env, timeoutMs });
  let json: Doc;
  try {
    json = JSON.parse(r.stdout) as Doc;
  } catch {
    throw new Error(
      `stdout is not JSON (exit ${r.code}) for: ${all.join(' ')}\n--- stdout ---\n${r.stdout}\n--- stderr ` +
        `---\n${r.stderr}`,
    );
  }
  return { ...r, json, args: all };
}

// --- fixtures --------------------------------------------------------------------------------------

/** Project fixtures of issue 12: which Anthropic SDK the project holds. Each returns the extra
 *  environment it needs (a virtualenv is activated by VIRTUAL_ENV). */
export const FIXTURES: Record<'ts1' | 'ts0Lock' | 'pyVenv' | 'malformedLock', (b: Box) => Record<string, string>> = {
  ts1: (b) => (
    b.write(
      'node_modules/@anthropic-ai/sdk/package.json',
      JSON.stringify({ name: '@anthropic-ai/sdk', version: '1.12.0' }),
    ),
    {}
  ),
  ts0Lock: (b) => {
    const lock = {
      name: 'app',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', dependencies: { '@anthropic-ai/sdk': '^0.137.0' } },
        'node_modules/@anthropic-ai/sdk': { version: '0.137.0' },
      },
    };
    b.write('package-lock.json', JSON.stringify(lock));
    return {};
  },
  pyVenv: (b) => {
    const venv = path.join(b.cwd, '.venv');
    b.write(
      path.join(venv, 'lib/python3.12/site-packages/anthropic-1.13.0.dist-info/METADATA'),
      'Metadata-Version: 2.1\nName: anthropic\nVersion: 1.13.0\n',
    );
    return { VIRTUAL_ENV: venv };
  },
  malformedLock: (b) => (
    b.write(
      'package-lock.json',
      '{"name": "app", "lockfileVersion": 3, "packages": {"node_modules/@anthropic-ai/sdk": {"version": ',
    ),
    {}
  ),
};

// --- reading a run -----------------------------------------------------------------------------------

export const ids = (r: Run): string[] => r.json.findings.map((f) => f.id);

export function findingOf(r: Run, id: string): Doc['findings'][number] {
  const f = r.json.findings.find((x) => x.id === id);
  if (!f)
    throw new Error(
      `no ${id} finding in ${r.args.join(' ')}; findings: ${ids(r).join(', ') || '(none)'}\nsummary: ` +
        `${r.json.summary}\nstderr: ${r.stderr}`,
    );
  return f;
}

/** One line of context for failing assertions. */
export function describeRun(r: Run): string {
  return (
    `${r.args.join(' ')} → exit ${r.code}, verdict ${r.json.verdict}; findings: ` +
    `${r.json.findings.map((f) => `${f.id}(${f.severity})`).join(', ')}; probes: ` +
    `${r.json.probes.map((p) => `${p.method} ${new URL(p.url).pathname} ${p.status}`).join(', ')}`
  );
}

/** Zero tokens: no emulator ever saw POST /v1/messages (count_tokens is fine). */
export function expectNoInference(...emus: Emulator[]): void {
  for (const emu of emus)
    expect(emu.requests.filter((q) => q.method === 'POST' && q.path === '/v1/messages')).toEqual([]);
}

const PUBLIC_PREFIX = /^(?:sk-ant-[a-z]+\d\d-|sk-proj-|sk-or-v1-|AKIA|AIza)/;

/**
 * The first 8-character window of `secret` beyond its public prefix that `text` contains, else
 * null. Written here, not imported from core/redact.ts, so a bug there cannot hide in both.
 * Invisible characters inside a damaged secret are also removed, since output may drop them.
 */
export function leaks(text: string, secret: string): string | null {
  for (const form of new Set([secret, secret.replace(/[^\x21-\x7e]/g, '')])) {
    const body = form.replace(PUBLIC_PREFIX, '');
    for (let i = 0; i + 8 <= body.length; i++) {
      const w = body.slice(i, i + 8);
      if (text.includes(w)) return w;
    }
  }
  return null;
}

export function expectNoLeak(r: Run, ...secrets: string[]): void {
  for (const s of secrets) {
    expect(leaks(r.stdout, s), `stdout leaks a window of a secret: ${r.args.join(' ')}`).toBeNull();
    expect(leaks(r.stderr, s), `stderr leaks a window of a secret: ${r.args.join(' ')}`).toBeNull();
  }
}

/**
 * The live failing answer behind a finding: a probe with that status carries an Anthropic
 * `req_` id, and a finding with that id cites one such probe's id in its detail.
 */
export function expectCitesFailingProbe(r: Run, id: string, status: number): void {
  const failing = r.json.probes.filter((p) => p.status === status);
  expect(failing.length, `no probe answered ${status}: ${describeRun(r)}`).toBeGreaterThan(0);
  for (const p of failing) expect(p.requestId).toMatch(/^req_[A-Za-z0-9]{16,}$/);
  findingOf(r, id);
  const details = r.json.findings.filter((f) => f.id === id).map((f) => f.detail);
  expect(
    details.some((d) => failing.some((p) => d.includes(p.requestId!))),
    `no ${id} finding cites ${failing.map((p) => p.requestId).join(' or ')}:\n${details.join('\n')}`,
  ).toBe(true);
}

/** A port nothing listens on: bound and released by the OS a moment ago. */
export async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A forward proxy on 127.0.0.1 that tunnels CONNECT and relays absolute-form requests (the probe
 * sends plain-http targets that way); `seen` records each request line.
 */
export async function forwardProxy(): Promise<{ url: string; seen: string[] }> {
  const { createServer, request } = await import('node:http');
  const { connect } = await import('node:net');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const u = new URL(req.url ?? '/');
    const up = request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const up = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  );
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

export const EXIT = { ok: 0, problem: 1, inconclusive: 3 } as const;
