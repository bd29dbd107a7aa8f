// Security properties of the BUILT CLI: the credential goes only to --api-url; no connection but
// to the API under test (no telemetry); TLS verification is never turned off; the report is
// private (0600), atomic and never half-written; no 8-character window of any generated secret in
// any output — including the output of failures.
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, emulatorKey } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { box, cli, CLI, emulator, EXIT, expectSane, forwardProxy, ids, requireBuild, type Box } from './helpers.js';

beforeAll(() => requireBuild());

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const NOBODY = 65534;

describe('the credential goes to --api-url and nowhere else', () => {
  async function twoApis() {
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const other = await emulator({ keys: [key] }); // what ANTHROPIC_BASE_URL points at
    return { key, api, other };
  }

  it.each([['auto'], ['sdk'], ['claude-code'], ['curl']])(
    '--client %s with ANTHROPIC_BASE_URL at a second API: it receives nothing',
    async (client) => {
      const b = box();
      const { key, api, other } = await twoApis();
      const r = await cli(['check', '--json', '--api-url', api.url, '--client', client], b, {
        env: { ANTHROPIC_API_KEY: key.value, ANTHROPIC_BASE_URL: other.url },
      });
      expectSane(r, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets: [key.value] });
      expect(api.requests.length).toBeGreaterThan(0);
      expect(other.requests).toEqual([]);
    },
  );

  it('ANTHROPIC_BASE_URL from a project .env and from ~/.claude/settings.json: the second API still receives nothing', async () => {
    const b = box();
    const { key, api, other } = await twoApis();
    b.write('.env', `ANTHROPIC_BASE_URL=${other.url}\n`);
    b.write('~/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_BASE_URL: other.url } }));
    const r = await cli(['check', '--json', '--api-url', api.url], b, { env: { ANTHROPIC_API_KEY: key.value } });
    expectSane(r, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets: [key.value] });
    expect(other.requests).toEqual([]);
  });

  it('the Admin key (--admin-key-env) goes only to --api-url too', async () => {
    const b = box();
    const key = emulatorKey();
    const admin = fakeKey('admin');
    const api = await emulator({ keys: [key], adminKeys: [{ value: admin, orgId: DEFAULT_ORG_ID }] });
    const other = await emulator({ keys: [key], adminKeys: [{ value: admin, orgId: DEFAULT_ORG_ID }] });
    const r = await cli(['check', '--json', '--api-url', api.url, '--admin-key-env', 'ADMIN'], b, {
      env: { ANTHROPIC_API_KEY: key.value, ADMIN: admin, ANTHROPIC_BASE_URL: other.url },
    });
    expectSane(r, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets: [key.value, admin] });
    expect(api.requests.some((q) => q.headers['x-api-key'] === admin)).toBe(true);
    expect(other.requests).toEqual([]);
  });

  it('with --probe-base-url the second API is probed (so the tests above can fail)', async () => {
    const b = box();
    const { key, api, other } = await twoApis();
    const r = await cli(['check', '--json', '--api-url', api.url, '--probe-base-url'], b, {
      env: { ANTHROPIC_API_KEY: key.value, ANTHROPIC_BASE_URL: other.url },
    });
    expectSane(r, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets: [key.value] });
    expect(other.requests.length).toBeGreaterThan(0);
  });
});

/** A preload that logs every TCP connection the process opens (Node's fetch, http, net: all end in Socket#connect). */
function connectHook(b: Box): { nodeOptions: string; log: string; targets(): string[] } {
  const log = path.join(b.root, 'connections.log');
  const hook = path.join(b.root, 'connect-hook.mjs');
  writeFileSync(log, '');
  writeFileSync(
    hook,
    `import net from 'node:net';
import { appendFileSync } from 'node:fs';
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  let o = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof o !== 'object' || o === null) o = { port: o, host: typeof args[1] === 'string' ? args[1] : 'localhost' };
  appendFileSync(${JSON.stringify(log)}, (o.path ? 'ipc:' + o.path : (o.host ?? 'localhost') + ':' + o.port) + '\\n');
  return connect.apply(this, args);
};
`,
  );
  return { nodeOptions: `--import ${hook}`, log, targets: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

describe('no telemetry', () => {
  it('a full live check opens TCP connections only to the --api-url host and port', async () => {
    const b = box();
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const hook = connectHook(b);
    const r = await cli(['check', '--json', '--api-url', api.url], b, {
      env: { ANTHROPIC_API_KEY: key.value, NODE_OPTIONS: hook.nodeOptions },
    });
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
    const targets = hook.targets();
    expect(targets.length).toBeGreaterThan(0); // the hook works
    expect(new Set(targets)).toEqual(new Set([`127.0.0.1:${api.port}`]));
  });

  it('--no-network opens no TCP connection at all', async () => {
    const b = box();
    const hook = connectHook(b);
    const r = await cli(['check', '--json', '--no-network'], b, {
      env: { ANTHROPIC_API_KEY: fakeKey('api'), NODE_OPTIONS: hook.nodeOptions },
    });
    expectSane(r, { codes: [EXIT.inconclusive] });
    expect(hook.targets()).toEqual([]);
  });

  it('through a recording proxy (HTTP_PROXY and HTTPS_PROXY, NO_PROXY empty): every request is for the --api-url host', async () => {
    const b = box();
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const proxy = await forwardProxy();
    const r = await cli(['check', '--json', '--api-url', api.url], b, {
      env: { ANTHROPIC_API_KEY: key.value, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' },
    });
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value] });
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen.map((s) => s.target))).toEqual(new Set([`127.0.0.1:${api.port}`]));
  });
});

describe('TLS verification is never turned off', () => {
  it('the bundle never disables certificate checks', () => {
    const chunks = path.join(path.dirname(CLI), 'chunks');
    const files = [CLI, ...(existsSync(chunks) ? readdirSync(chunks).map((f) => path.join(chunks, f)) : [])];
    for (const f of files) {
      const js = readFileSync(f, 'utf8');
      expect(js, f).not.toMatch(/rejectUnauthorized\s*:\s*(false|!1|0)\b/);
      expect(js, f).not.toMatch(/NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*['"]?0/);
      expect(js, f).not.toMatch(/checkServerIdentity\s*:\s*\(\)\s*=>/);
    }
  });
  // Live: network.test.ts ("TLS with a self-signed certificate", and with NODE_TLS_REJECT_UNAUTHORIZED=0).
});

describe('the report file', () => {
  it('--report FILE is mode 0600 even under umask 000, and holds no window of the key', async () => {
    const b = box();
    const key = emulatorKey();
    const api = await emulator({ keys: [key] });
    const report = b.path('r.md');
    const r = await cli(['check', '--report', report, '--api-url', api.url], b, {
      env: { ANTHROPIC_API_KEY: key.value },
      launcher: (argv) => ({
        file: '/bin/sh',
        args: ['-c', 'umask 000 && exec "$@"', 'sh', process.execPath, ...argv],
      }),
    });
    const md = readFileSync(report, 'utf8');
    expectSane(r, { codes: [EXIT.ok], secrets: [key.value], extra: [md] });
    expect(statSync(report).mode & 0o777).toBe(0o600);
    expect(md).toMatch(/^# /m);
    expect(readdirSync(b.cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an existing report file is replaced atomically (cli-contract.md --report): exit as the verdict, 0600, no temp file', async () => {
    const b = box();
    const key = fakeKey('api');
    const report = b.write('r.md', 'precious\n', 0o644);
    const r = await cli(['check', '--no-network', '--report', report], b, { env: { ANTHROPIC_API_KEY: key } });
    const md = readFileSync(report, 'utf8');
    expectSane(r, { codes: [EXIT.inconclusive], secrets: [key], extra: [md] });
    expect(md).toMatch(/^# /m);
    expect(statSync(report).mode & 0o777).toBe(0o600);
    expect(readdirSync(b.cwd).sort()).toEqual(['r.md']);
  });

  // Failure output goes through the redactor too: the path itself carries the key here.
  it.each([
    [
      'a directory that does not exist',
      (b: Box, key: string) => path.join(b.root, 'nonexistent', key, 'r.md'),
      /directory does not exist/,
    ],
    ['/nonexistent/dir/r.md', () => '/nonexistent/dir/r.md', /directory does not exist/],
    ['an existing directory', (b: Box) => b.cwd, /file exists|is a directory/],
  ])('--report into %s: one redacted line, exit 2, no file, no temp file', async (_what, target, said) => {
    const b = box();
    const key = fakeKey('api');
    const report = target(b, key);
    const r = await cli(['check', '--json', '--no-network', '--report', report], b, {
      env: { ANTHROPIC_API_KEY: key },
    });
    expectSane(r, { codes: [EXIT.usage], secrets: [key] });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^claude-401-wizard: cannot write report to /);
    expect(lines[0]).toMatch(said);
    expect(existsSync(path.join(b.root, 'nonexistent'))).toBe(false);
    expect(readdirSync(b.cwd)).toEqual([]);
  });

  it('--report into a directory the user may not write: "permission denied", exit 2, nothing left there', async () => {
    const b = box();
    const key = fakeKey('api');
    const dir = path.join(b.root, 'locked');
    execFileSync('mkdir', ['-p', dir]);
    if (isRoot) execFileSync('chmod', ['-R', 'a+rX', b.root]);
    chmodSync(dir, 0o555);
    const r = await cli(['check', '--no-network', '--report', path.join(dir, 'r.md')], b, {
      env: { ANTHROPIC_API_KEY: key },
      ...(isRoot ? { uid: NOBODY } : {}),
    });
    expectSane(r, { codes: [EXIT.usage], secrets: [key] });
    expect(r.stderr.trim()).toMatch(/^claude-401-wizard: cannot write report to .*: permission denied$/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('no window of any generated secret in any output', () => {
  it('a machine with a dozen credentials in every source, checked live (JSON, text, report): none leaks', async () => {
    const b = box();
    const good = emulatorKey();
    const admin = fakeKey('admin');
    const api = await emulator({ keys: [good], adminKeys: [{ value: admin, orgId: DEFAULT_ORG_ID }] });
    const s = {
      dotenv: fakeKey('api'),
      bashrc: fakeKey('api'),
      settings: fakeKey('api'),
      nearMiss: fakeKey('api'),
      custom: fakeKey('api'),
      authToken: fakeKey('oat'),
      oat: fakeKey('oat'),
      ort: fakeKey('ort'),
      sid: fakeKey('sid'),
      localSettings: fakeKey('api'),
    };
    b.write('.env', `ANTHROPIC_API_KEY=" ${s.dotenv} "\nOTHER_TOKEN=${s.sid}\n`);
    b.write('~/.bashrc', `export ANTHROPIC_API_KEY=${s.bashrc}\nexport CLAUDE_API_KEY='${s.nearMiss}'\n`);
    b.write(
      '~/.claude/settings.json',
      JSON.stringify({ env: { ANTHROPIC_API_KEY: s.settings }, apiKeyHelper: `echo ${s.settings}` }),
    );
    b.write('.claude/settings.local.json', JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: s.localSettings } }));
    b.write(
      '~/.claude/.credentials.json',
      JSON.stringify({
        claudeAiOauth: {
          accessToken: s.oat,
          refreshToken: s.ort,
          expiresAt: Date.now() + 3_600_000,
          scopes: ['user:inference'],
          subscriptionType: 'max',
        },
      }),
    );
    b.write(
      '~/.claude.json',
      JSON.stringify({ customApiKeyResponses: { approved: [good.value.slice(-20)], rejected: [s.dotenv.slice(-20)] } }),
    );
    const env = {
      ANTHROPIC_API_KEY: good.value,
      ANTHROPIC_AUTH_TOKEN: s.authToken,
      CLAUDE_API_KEY: s.nearMiss,
      MY_CI_KEY: s.custom,
      ADMIN: admin,
      ANTHROPIC_CUSTOM_HEADERS: `x-session: ${s.sid}`,
    };
    const pasted = `anthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'invalid x-api-key'}} x-api-key: ${s.dotenv} Bearer ${s.authToken}`;
    const secrets = [good.value, admin, ...Object.values(s)];
    const common = [
      '--api-url',
      api.url,
      '--key-env',
      'MY_CI_KEY',
      '--admin-key-env',
      'ADMIN',
      '--error',
      pasted,
      '--timeout',
      '3000',
    ];

    const json = await cli(['check', '--json', ...common], b, { env });
    expectSane(json, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets });
    expect(json.json.sources.length).toBeGreaterThanOrEqual(5);

    const report = b.path('leak-report.md');
    const text = await cli(['check', ...common, '--report', report], b, { env });
    const md = readFileSync(report, 'utf8');
    expectSane(text, { codes: [EXIT.ok, EXIT.problem, EXIT.inconclusive], secrets, extra: [md] });
    // Only the API under test saw the keys: they were sent, just never shown.
    expect(api.requests.some((q) => q.headers['x-api-key'] === good.value)).toBe(true);
    expect(ids(json).length).toBeGreaterThan(0);
  }, 60_000);
});
