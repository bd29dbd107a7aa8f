// Issue 17, end to end: a live answer outranks a heuristic, a pasted error or an answer to a
// question. Each case drives the BUILT `check --json` against the embedded emulator (or a port
// nothing listens on, or a server that cuts the connection) and asserts the finding ids, the
// verdict, the exit code and the FIRST fix (the first finding after ordering, its first line).
// Every run is also held to the rules that hold everywhere: an accepted credential is never
// called invalid / truncated / in need of rotation, summaries use proper case, no fix names a
// client the project does not have, and "(from the pasted error)" only follows a paste.
import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import Anthropic112 from 'anthropic-sdk-112';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, emulatorKey, type Emulator, type EmulatorConfig } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { requireBuild } from '../helpers/cli.js';
import {
  box,
  check,
  closedPort,
  describeRun,
  emulator,
  EXIT,
  expectNoInference,
  expectNoLeak,
  ids,
  type Box,
  type Doc,
  type Run,
} from './check-harness.js';

requireBuild();

type Severity = 'error' | 'warning' | 'info';
type Verdict = Doc['verdict'];
type IdSpec = string | [string, Severity];

interface Setup {
  emus: Emulator[];
  args: string[];
  env: Record<string, string>;
  secrets: string[];
  /** Values the API accepts: no finding may call them invalid, truncated or due for rotation. */
  accepted?: string[];
  /** Checks on what each server received (the corrective probe, zero credentials without consent). */
  after?: (r: Run) => void;
}

interface Case {
  name: string;
  setup: (b: Box) => Promise<Setup>;
  verdict: Verdict;
  /** Finding ids that must be there (with that severity when given). */
  has: IdSpec[];
  /** Finding ids that must not be there (only at that severity when given). */
  lacks?: IdSpec[];
  /** The first finding (ordered as output) and its first fix line. */
  first: { id?: string; fix: RegExp[] };
  /** Text each named finding's detail must contain. */
  details?: [id: string, names: (string | RegExp)[]][];
  summary?: RegExp[];
  timeoutMs?: number;
}

const CODE: Record<Verdict, number> = { ok: EXIT.ok, problem: EXIT.problem, inconclusive: EXIT.inconclusive };

// --- servers and texts ------------------------------------------------------------------------------

/** An API that knows `k` plus a second Anthropic-shaped server at ANTHROPIC_BASE_URL. */
async function apiAndHop(hop: Partial<EmulatorConfig>, knowsKey: boolean) {
  const k = emulatorKey();
  const api = await emulator({ keys: [k] });
  const gw = await emulator({ keys: knowsKey ? [k] : [emulatorKey()], ...hop });
  return { k, api, gw };
}

/** A server that reads a request and closes the connection right after its status line. */
async function cutAfterStatusLine(): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.once('data', () => s.end('HTTP/1.1 200 OK\r\n', () => s.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  servers.push(
    () => new Promise<void>((resolve) => (sockets.forEach((x) => x.destroy()), server.close(() => resolve()))),
  );
  return `http://127.0.0.1:${port}`;
}

/** Servers of this file's own, closed after it (the harness closes the emulators). */
const servers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of servers.splice(0)) await close();
});

const SDK117 = (b: Box) =>
  b.write(
    'node_modules/@anthropic-ai/sdk/package.json',
    JSON.stringify({ name: '@anthropic-ai/sdk', version: '1.17.0' }),
  );
const SDK0 = (b: Box) =>
  b.write(
    'node_modules/@anthropic-ai/sdk/package.json',
    JSON.stringify({ name: '@anthropic-ai/sdk', version: '0.137.0' }),
  );

/** Claude Code's subscription login on disk (no token value is ever sent by the tool). */
const LOGIN = (b: Box, subscriptionType = 'max') =>
  b.write(
    '~/.claude/.credentials.json',
    JSON.stringify({
      claudeAiOauth: {
        accessToken: fakeKey('oat'),
        refreshToken: fakeKey('ort'),
        expiresAt: Date.now() + 3_600_000,
        scopes: ['user:inference', 'user:profile'],
        subscriptionType,
      },
    }),
    0o600,
  );

/** What a real client printed: the error's String() (as a terminal shows an uncaught error). */
async function thrown(f: () => Promise<unknown>): Promise<string> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (/^ANTHROPIC_|^CLAUDE_/.test(name)) delete process.env[name];
  try {
    await f();
  } catch (e) {
    return String(e);
  } finally {
    Object.assign(process.env, saved);
  }
  throw new Error('the client did not fail');
}

const sdk117 = (o: ConstructorParameters<typeof Anthropic>[0]) => new Anthropic({ maxRetries: 0, ...o });
const sdk112 = (o: ConstructorParameters<typeof Anthropic112>[0]) => new Anthropic112({ maxRetries: 0, ...o });

const VERTEX_ENV = { CLAUDE_CODE_USE_VERTEX: '1', ANTHROPIC_VERTEX_PROJECT_ID: 'my-proj', CLOUD_ML_REGION: 'us-east5' };
const FOUNDRY_ENV = { CLAUDE_CODE_USE_FOUNDRY: '1', ANTHROPIC_FOUNDRY_RESOURCE: 'my-resource' };
/** Google's token endpoint answer as Node clients print it (public issue threads, 2025-26). */
const ADC_RAPT =
  'API Error: 400 {"error":"invalid_grant","error_description":"reauth related error (invalid_rapt)",' +
  '"error_uri":"https://support.google.com/a/answer/9368756","error_subtype":"invalid_rapt"}';
/** google-auth (Python) RefreshError, as AnthropicVertex users see it. */
const ADC_PY =
  "google.auth.exceptions.RefreshError: ('invalid_grant: Bad Request', {'error': 'invalid_grant', " +
  "'error_description': 'Bad Request'})";
/** The Foundry client's own error (fact sheet §5, cloud clients). */
const FOUNDRY_MISSING =
  'Error: Missing credentials. Please pass one of `apiKey` and `azureTokenProvider`, or set the ' +
  '`ANTHROPIC_FOUNDRY_API_KEY` environment variable.';
const COULD_NOT_RESOLVE =
  'Error: Could not resolve authentication method. Expected one of apiKey, authToken, credentials, ' +
  'config, or profile to be set.';
const ROTATE = /revoke|rotate|create a new key/i;

// --- the cases ----------------------------------------------------------------------------------------

const RULE1: Case[] = [
  {
    name: 'pasted "invalid x-api-key", but the key found here is accepted: no key.invalid, no rotation',
    async setup() {
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      const pasted = `Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CPastedRequestId000001"}`;
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'curl', '--error', pasted],
        env: { ANTHROPIC_API_KEY: k.value },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'ok',
    has: ['key.valid', ['env.not_delivered', 'warning']],
    lacks: ['key.invalid'],
    first: { id: 'env.not_delivered', fix: [/ANTHROPIC_API_KEY/, /failing program/i] },
    details: [['env.not_delivered', ['req_011CPastedRequestId000001', /accepted/]]],
  },
  {
    name: 'the API accepts the key, the server at ANTHROPIC_BASE_URL does not: endpoint.base_url, never key.invalid',
    async setup() {
      const { k, api, gw } = await apiAndHop({}, false);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: ['key.valid', ['endpoint.base_url', 'error']],
    lacks: ['key.invalid'],
    first: { id: 'endpoint.base_url', fix: [/^unset ANTHROPIC_BASE_URL\b/] },
    // The exact difference: the same header and version went to two hosts; both answers cited.
    details: [['endpoint.base_url', [/127\.0\.0\.1:\d+/, 'env:ANTHROPIC_BASE_URL', /x-api-key/, /req_\w+.*req_\w+/s]]],
  },
  {
    name: 'SDK 1.17 (Bearer) to a gateway that reads only x-api-key: header.bearer, the x-api-key probe sent there too',
    async setup(b) {
      SDK117(b);
      const { k, api, gw } = await apiAndHop({ mode: 'gateway-x-api-key-only' }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'sdk', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
        after: () => {
          // The corrective probe (the other header) reached the gateway, and only with consent.
          expect(gw.requests.some((q) => q.headers['x-api-key'] === k.value && !q.headers.authorization)).toBe(true);
          expect(gw.requests.some((q) => q.headers.authorization === `Bearer ${k.value}`)).toBe(true);
        },
      };
    },
    verdict: 'problem',
    has: ['key.valid', ['header.bearer', 'error']],
    lacks: ['key.invalid'],
    first: { id: 'header.bearer', fix: [/gateway|@anthropic-ai\/sdk@0/] },
    details: [['header.bearer', [/Authorization: Bearer/, /x-api-key/, /accepted/, /127\.0\.0\.1:\d+/]]],
  },
  {
    name: 'Claude Code (x-api-key) to a gateway that reads only Authorization: header.x_api_key, the Bearer probe sent there too',
    async setup() {
      const { k, api, gw } = await apiAndHop({ mode: 'gateway-authorization-only' }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
        after: () => expect(gw.requests.some((q) => q.headers.authorization === `Bearer ${k.value}`)).toBe(true),
      };
    },
    verdict: 'problem',
    has: ['key.valid', ['header.x_api_key', 'error']],
    lacks: ['key.invalid'],
    first: { id: 'header.x_api_key', fix: [/ANTHROPIC_AUTH_TOKEN/] },
    details: [['header.x_api_key', [/x-api-key/, /Authorization/, /127\.0\.0\.1:\d+/]]],
  },
  {
    name: 'a proxy at ANTHROPIC_BASE_URL strips x-api-key: header.stripped about that hop, worded without a redacted gap',
    async setup() {
      const { k, api, gw } = await apiAndHop({ mode: 'strip-x-api-key-proxy' }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: ['key.valid', ['header.stripped', 'error']],
    lacks: ['key.invalid'],
    first: { id: 'header.stripped', fix: [/ANTHROPIC_BASE_URL/] },
    details: [['header.stripped', [/127\.0\.0\.1:\d+/, /something in between/i]]],
  },
  {
    name: 'a key shorter than 108 characters that the API accepts: not key.truncated, verdict ok',
    async setup() {
      const value = fakeKey('api').slice(0, 100);
      const api = await emulator({ keys: [emulatorKey({ value })] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: value },
        secrets: [value],
        accepted: [value],
      };
    },
    verdict: 'ok',
    has: ['key.valid'],
    lacks: ['key.truncated', ['key.malformed', 'error'], ['key.malformed', 'warning']],
    first: { fix: [] },
  },
  {
    name: 'a key that does not end in "AA" and is accepted: key.malformed is never an error, verdict ok',
    async setup() {
      const value = fakeKey('api').slice(0, 106) + 'xy';
      const api = await emulator({ keys: [emulatorKey({ value })] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: value },
        secrets: [value],
        accepted: [value],
      };
    },
    verdict: 'ok',
    has: ['key.valid'],
    lacks: [['key.malformed', 'error'], 'key.truncated', 'key.invalid'],
    first: { fix: [] },
  },
];

const RULE2: Case[] = [
  {
    name: 'ANTHROPIC_BASE_URL at a closed port (--probe-base-url): endpoint.base_url error naming host:port',
    async setup() {
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      const port = await closedPort();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [['endpoint.base_url', 'error']],
    first: { id: 'endpoint.base_url', fix: [/^unset ANTHROPIC_BASE_URL\b/] },
    details: [['endpoint.base_url', [/127\.0\.0\.1:\d+/, 'env:ANTHROPIC_BASE_URL', /refused|could not be made/i]]],
  },
  {
    name: 'ANTHROPIC_BASE_URL at a closed port, no consent to send the key: still found (no credential is sent)',
    async setup() {
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      const port = await closedPort();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [['endpoint.base_url', 'error']],
    first: { id: 'endpoint.base_url', fix: [/^unset ANTHROPIC_BASE_URL\b/] },
    details: [['endpoint.base_url', [/127\.0\.0\.1:\d+/, 'env:ANTHROPIC_BASE_URL']]],
  },
  {
    name: 'a live ANTHROPIC_BASE_URL without consent receives no credential, and the verdict stays ok',
    async setup() {
      const { k, api, gw } = await apiAndHop({}, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
        after: () => {
          for (const q of gw.requests) {
            expect(q.headers['x-api-key']).toBeUndefined();
            expect(q.headers.authorization).toBeUndefined();
          }
        },
      };
    },
    verdict: 'ok',
    has: ['key.valid', ['endpoint.base_url', 'warning']],
    first: { id: 'endpoint.base_url', fix: [/ANTHROPIC_BASE_URL/] },
    summary: [/ANTHROPIC_BASE_URL/],
  },
  {
    name: 'a dead ANTHROPIC_BASE_URL set in ~/.claude/settings.json: the fix edits that file',
    async setup(b) {
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      const port = await closedPort();
      b.write(
        '~/.claude/settings.json',
        JSON.stringify({ env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` } }, null, 2) + '\n',
      );
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [['endpoint.base_url', 'error']],
    first: { id: 'endpoint.base_url', fix: [/~\/\.claude\/settings\.json/, /ANTHROPIC_BASE_URL/] },
    details: [['endpoint.base_url', [/127\.0\.0\.1:\d+/, 'file:~/.claude/settings.json']]],
  },
  {
    name: 'ANTHROPIC_BASE_URL never answers (--timeout 800): endpoint.base_url error',
    async setup() {
      const { k, api, gw } = await apiAndHop({ faults: [{ kind: 'hang' }] }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url', '--timeout', '800'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [['endpoint.base_url', 'error']],
    first: { id: 'endpoint.base_url', fix: [/^unset ANTHROPIC_BASE_URL\b/] },
    details: [['endpoint.base_url', [/127\.0\.0\.1:\d+/, /time/i]]],
  },
  {
    name: 'ANTHROPIC_BASE_URL is https:// to a plain-HTTP port (TLS fails): endpoint.base_url error',
    async setup() {
      const { k, api, gw } = await apiAndHop({}, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url.replace('http:', 'https:') },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [['endpoint.base_url', 'error']],
    first: { id: 'endpoint.base_url', fix: [/ANTHROPIC_BASE_URL/] },
    details: [['endpoint.base_url', [/127\.0\.0\.1:\d+/, /TLS/]]],
  },
  {
    name: 'the API answers 200 and cuts the body: a network finding, not ok',
    async setup() {
      const k = emulatorKey();
      const api = await emulator({ keys: [k], faults: [{ kind: 'cut', after: 'headers' }] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: k.value },
        secrets: [k.value],
      };
    },
    verdict: 'inconclusive',
    has: [['network.unreachable', 'warning']],
    first: { id: 'network.unreachable', fix: [/127\.0\.0\.1:\d+/] },
    summary: [/^Could not verify/],
  },
  {
    name: 'a server that closes right after the status line: a network finding naming it, not ok',
    async setup() {
      const url = await cutAfterStatusLine();
      const key = fakeKey('api');
      return {
        emus: [],
        args: ['--api-url', url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: key },
        secrets: [key],
      };
    },
    verdict: 'inconclusive',
    has: [['network.unreachable', 'warning']],
    first: { id: 'network.unreachable', fix: [/127\.0\.0\.1:\d+/] },
  },
  {
    name: 'ANTHROPIC_BASE_URL answers 200 and cuts the body (--probe-base-url): a network finding about that host, not ok',
    async setup() {
      const { k, api, gw } = await apiAndHop({ faults: [{ kind: 'cut', after: 'headers' }] }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'inconclusive',
    has: [['network.unreachable', 'warning']],
    first: { id: 'network.unreachable', fix: [/127\.0\.0\.1:\d+/] },
  },
  {
    name: 'the API itself unreachable: the fix names that host, not api.anthropic.com',
    async setup() {
      const key = fakeKey('api');
      const url = `http://127.0.0.1:${await closedPort()}`;
      return {
        emus: [],
        args: ['--api-url', url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: key },
        secrets: [key],
      };
    },
    verdict: 'inconclusive',
    has: [['network.unreachable', 'warning']],
    first: { id: 'network.unreachable', fix: [/127\.0\.0\.1:\d+/] },
    summary: [/the API could not be reached/],
  },
];

const RULE3: Case[] = [
  {
    name: 'Claude Code: the environment key is rejected, ~/.bashrc line 3 holds one that works → tried; first fix makes it win',
    async setup(b) {
      const good = emulatorKey();
      const bad = fakeKey('api');
      const api = await emulator({ keys: [good] });
      b.write('~/.bashrc', `# shell\nexport PATH="$PATH:$HOME/bin"\nexport ANTHROPIC_API_KEY=${good.value}\n`);
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_API_KEY: bad },
        secrets: [good.value, bad],
        accepted: [good.value],
        after: () => expectEachProbedOnce(api, [good.value, bad]),
      };
    },
    verdict: 'problem',
    has: [['key.invalid', 'error']],
    first: { fix: [/unset ANTHROPIC_API_KEY/, /~\/\.bashrc/] },
    summary: [/~\/\.bashrc:3/, /works|accepted/],
  },
  {
    name: 'Claude Code: ~/.claude/settings.json line 3 holds a rejected key, the environment one works → remove it there',
    async setup(b) {
      const good = emulatorKey();
      const bad = fakeKey('api');
      const api = await emulator({ keys: [good] });
      b.write('~/.claude/settings.json', JSON.stringify({ env: { ANTHROPIC_API_KEY: bad } }, null, 2) + '\n');
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_API_KEY: good.value },
        secrets: [good.value, bad],
        accepted: [good.value],
        after: () => expectEachProbedOnce(api, [good.value, bad]),
      };
    },
    verdict: 'problem',
    has: [['key.invalid', 'error']],
    first: { fix: [/~\/\.claude\/settings\.json/, /line 3/, /ANTHROPIC_API_KEY/] },
    summary: [/env:ANTHROPIC_API_KEY/, /works|accepted/],
  },
  {
    name: 'SDK: the environment key (exported in ~/.bashrc line 2) is rejected, .env holds one that works',
    async setup(b) {
      SDK0(b);
      const good = emulatorKey();
      const bad = fakeKey('api');
      const api = await emulator({ keys: [good] });
      b.write('~/.bashrc', `# shell\nexport ANTHROPIC_API_KEY=${bad}\n`);
      b.write('.env', `ANTHROPIC_API_KEY=${good.value}\n`);
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'sdk'],
        env: { ANTHROPIC_API_KEY: bad },
        secrets: [good.value, bad],
        accepted: [good.value],
        after: () => expectEachProbedOnce(api, [good.value, bad]),
      };
    },
    verdict: 'problem',
    has: [['key.invalid', 'error']],
    first: { fix: [/~\/\.bashrc/, /line 2/] },
    summary: [/file:\.env:1/, /works|accepted/],
  },
  {
    name: 'three distinct keys (env, ~/.bashrc, ~/.zshrc): each is probed exactly once, the one that works is named',
    async setup(b) {
      const good = emulatorKey();
      const bad1 = fakeKey('api');
      const bad2 = fakeKey('api');
      const api = await emulator({ keys: [good] });
      b.write('~/.bashrc', `export ANTHROPIC_API_KEY=${bad2}\n`);
      b.write('~/.zshrc', `# zsh\nexport ANTHROPIC_API_KEY=${good.value}\n`);
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_API_KEY: bad1 },
        secrets: [good.value, bad1, bad2],
        accepted: [good.value],
        after: () => expectEachProbedOnce(api, [good.value, bad1, bad2]),
      };
    },
    verdict: 'problem',
    has: [['key.invalid', 'error']],
    first: { fix: [/unset ANTHROPIC_API_KEY/, /~\/\.zshrc/] },
    summary: [/~\/\.zshrc:2/],
  },
  {
    name: 'the Console hint names the real last 4 characters of a key with a trailing line break',
    async setup() {
      const api = await emulator({ keys: [emulatorKey()] });
      const bad = fakeKey('api');
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: `${bad}\n` },
        secrets: [bad],
        after: (r) => {
          const hint = r.json.findings.flatMap((f) => f.fix).find((l) => /ending in/.test(l));
          expect(hint, describeRun(r)).toContain(`ending in ${bad.slice(-4)}`);
          expect(hint).not.toMatch(/\\n|\\u/);
        },
      };
    },
    verdict: 'problem',
    has: [['key.whitespace', 'error'], 'admin.unavailable'],
    first: { id: 'key.whitespace', fix: [/ANTHROPIC_API_KEY/] },
  },
  {
    name: 'the Console hint names the real last 4 characters of a key with trailing spaces',
    async setup() {
      const api = await emulator({ keys: [emulatorKey()] });
      const bad = fakeKey('api');
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: `${bad}  ` },
        secrets: [bad],
        after: (r) => {
          const hint = r.json.findings.flatMap((f) => f.fix).find((l) => /ending in/.test(l));
          expect(hint, describeRun(r)).toContain(`ending in ${bad.slice(-4)}:`);
        },
      };
    },
    verdict: 'problem',
    has: [['key.whitespace', 'error'], 'admin.unavailable'],
    first: { id: 'key.whitespace', fix: [/ANTHROPIC_API_KEY/] },
  },
];

const RULE4: Case[] = [
  {
    name: 'Vertex: Google ADC "reauth related error (invalid_rapt)" → provider.vertex, re-run the ADC login',
    async setup() {
      const api = await emulator();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--error', ADC_RAPT],
        env: VERTEX_ENV,
        secrets: [],
      };
    },
    verdict: 'problem',
    has: [['provider.vertex', 'error']],
    lacks: ['key.missing'],
    first: { id: 'provider.vertex', fix: [/^gcloud auth application-default login\b/] },
    details: [['provider.vertex', [/invalid_rapt|re-?auth/i]]],
  },
  {
    name: 'Vertex: google-auth RefreshError invalid_grant (Python) → provider.vertex, re-run the ADC login',
    async setup() {
      const api = await emulator();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'sdk', '--error', ADC_PY],
        env: VERTEX_ENV,
        secrets: [],
      };
    },
    verdict: 'problem',
    has: [['provider.vertex', 'error']],
    lacks: ['key.missing'],
    first: { id: 'provider.vertex', fix: [/^gcloud auth application-default login\b/] },
    details: [['provider.vertex', [/invalid_grant/]]],
  },
  {
    name: 'Foundry: "Missing credentials…" with CLAUDE_CODE_USE_FOUNDRY → ANTHROPIC_FOUNDRY_API_KEY is missing',
    async setup() {
      const api = await emulator();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--error', FOUNDRY_MISSING],
        env: FOUNDRY_ENV,
        secrets: [],
      };
    },
    verdict: 'problem',
    has: [['provider.foundry', 'error']],
    lacks: ['key.missing'],
    first: { id: 'provider.foundry', fix: [/^export ANTHROPIC_FOUNDRY_API_KEY=/] },
    details: [['provider.foundry', [/ANTHROPIC_FOUNDRY_API_KEY is not set/]]],
  },
  {
    name: 'Foundry: "Could not resolve authentication method" with CLAUDE_CODE_USE_FOUNDRY → ANTHROPIC_FOUNDRY_API_KEY is missing',
    async setup() {
      const api = await emulator();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--error', COULD_NOT_RESOLVE],
        env: FOUNDRY_ENV,
        secrets: [],
      };
    },
    verdict: 'problem',
    has: [['provider.foundry', 'error']],
    lacks: ['key.missing'],
    first: { id: 'provider.foundry', fix: [/^export ANTHROPIC_FOUNDRY_API_KEY=/] },
    details: [['provider.foundry', [/ANTHROPIC_FOUNDRY_API_KEY is not set/]]],
  },
  {
    name: 'a setup-token cut short in CLAUDE_CODE_OAUTH_TOKEN → key.truncated',
    async setup() {
      const oat = fakeKey('oat');
      const api = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] });
      const short = oat.slice(0, 90);
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { CLAUDE_CODE_OAUTH_TOKEN: short },
        secrets: [oat],
      };
    },
    verdict: 'problem',
    has: [['key.truncated', 'error']],
    first: { id: 'key.truncated', fix: [/CLAUDE_CODE_OAUTH_TOKEN/] },
    details: [['key.truncated', [/90 of 108/]]],
  },
  {
    name: 'an OAuth token cut short in ANTHROPIC_AUTH_TOKEN → key.truncated',
    async setup() {
      const oat = fakeKey('oat');
      const api = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_AUTH_TOKEN: oat.slice(0, 101) },
        secrets: [oat],
      };
    },
    verdict: 'problem',
    has: [['key.truncated', 'error']],
    first: { id: 'key.truncated', fix: [/ANTHROPIC_AUTH_TOKEN/] },
    details: [['key.truncated', [/101 of 108/]]],
  },
  {
    name: 'a Max login on disk + an API key with no credit (live) → billing.credit and auth.subscription_vs_api',
    async setup(b) {
      LOGIN(b, 'max');
      const k = emulatorKey();
      const api = await emulator({ keys: [k], orgs: [{ id: DEFAULT_ORG_ID, name: 'Org', creditExhausted: true }] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code'],
        env: { ANTHROPIC_API_KEY: k.value },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [
      ['billing.credit', 'error'],
      ['auth.subscription_vs_api', 'error'],
    ],
    first: { id: 'auth.subscription_vs_api', fix: [/^unset ANTHROPIC_API_KEY/] },
    details: [['auth.subscription_vs_api', [/Max/, /does not (fund|pay for)/]]],
  },
  {
    name: 'a Pro login on disk + a pasted "Credit balance is too low" → billing.credit and auth.subscription_vs_api',
    async setup(b) {
      LOGIN(b, 'pro');
      const api = await emulator();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--error', 'Credit balance is too low'],
        env: {},
        secrets: [],
      };
    },
    verdict: 'problem',
    has: [
      ['billing.credit', 'error'],
      ['auth.subscription_vs_api', 'error'],
    ],
    first: { id: 'auth.subscription_vs_api', fix: [/\/status|\/login/] },
    details: [['auth.subscription_vs_api', [/Pro/, /does not (fund|pay for)/]]],
  },
  {
    name: 'a subscription token in CLAUDE_CODE_OAUTH_TOKEN, used by an SDK → auth.subscription_vs_api, never key.missing',
    async setup(b) {
      SDK117(b);
      const oat = fakeKey('oat');
      const api = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'sdk'],
        env: { CLAUDE_CODE_OAUTH_TOKEN: oat },
        secrets: [oat],
      };
    },
    verdict: 'problem',
    has: [['auth.subscription_vs_api', 'error']],
    lacks: ['key.missing'],
    first: { id: 'auth.subscription_vs_api', fix: [/API key/] },
  },
  {
    name: 'a subscription token in ANTHROPIC_API_KEY, used by an SDK → key.oauth_token / auth.subscription_vs_api, never key.invalid',
    async setup(b) {
      SDK117(b);
      const oat = fakeKey('oat');
      const api = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'sdk'],
        env: { ANTHROPIC_API_KEY: oat },
        secrets: [oat],
        accepted: [oat],
      };
    },
    verdict: 'problem',
    has: [
      ['key.oauth_token', 'error'],
      ['auth.subscription_vs_api', 'error'],
    ],
    lacks: ['key.missing', 'key.invalid'],
    first: { id: 'key.oauth_token', fix: [/API key/] },
  },
  {
    name: 'Claude Code "Not logged in · Please run /login" after ANTHROPIC_AUTH_TOKEN was refused → about that token',
    async setup() {
      // A Console key in ANTHROPIC_AUTH_TOKEN: Claude Code sends it as Bearer, which the API refuses.
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--error', 'Not logged in · Please run /login'],
        env: { ANTHROPIC_AUTH_TOKEN: k.value },
        secrets: [k.value],
      };
    },
    verdict: 'problem',
    has: [['header.bearer', 'error']],
    lacks: ['key.missing'],
    first: { id: 'header.bearer', fix: [/ANTHROPIC_API_KEY/] },
  },
  {
    name: 'Claude Code "Not logged in" after an unknown CLAUDE_CODE_OAUTH_TOKEN was refused → key.invalid for that token',
    async setup() {
      const oat = fakeKey('oat');
      const api = await emulator();
      return {
        emus: [api],
        args: ['--api-url', api.url, '--client', 'claude-code', '--error', 'Not logged in · Please run /login'],
        env: { CLAUDE_CODE_OAUTH_TOKEN: oat },
        secrets: [oat],
      };
    },
    verdict: 'problem',
    has: [['key.invalid', 'error']],
    lacks: ['key.missing'],
    first: { id: 'key.invalid', fix: [/setup-token|\/login/] },
    details: [['key.invalid', ['env:CLAUDE_CODE_OAUTH_TOKEN']]],
  },
];

const RULE5: Case[] = [
  {
    name: 'no SDK in the project: no "npm install @anthropic-ai/sdk" fix (gateway that reads only x-api-key)',
    async setup() {
      const { k, api, gw } = await apiAndHop({ mode: 'gateway-x-api-key-only' }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'sdk', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
      };
    },
    verdict: 'problem',
    has: [['header.bearer', 'error']],
    first: { id: 'header.bearer', fix: [/gateway/i] },
  },
  {
    name: 'Claude Code to a gateway that reads only x-api-key: no fix about @anthropic-ai/sdk',
    async setup() {
      const { k, api, gw } = await apiAndHop({ mode: 'gateway-x-api-key-only' }, true);
      return {
        emus: [api, gw],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_AUTH_TOKEN: k.value, ANTHROPIC_BASE_URL: gw.url },
        secrets: [k.value],
        accepted: [k.value],
        // Only Claude Code is diagnosed: no fix line speaks of the SDK.
        after: (r) =>
          expect(r.json.findings.flatMap((f) => f.fix).filter((l) => /@anthropic-ai\/sdk/.test(l))).toEqual([]),
      };
    },
    verdict: 'problem',
    has: [['header.bearer', 'error']],
    first: { id: 'header.bearer', fix: [/ANTHROPIC_API_KEY/] },
  },
];

// --- SDK 1.17 error text, made by the real package against the emulator --------------------------------

describe.concurrent(
  'SDK 1.17 error text is read like the older JSON form (real @anthropic-ai/sdk against the emulator)',
  () => {
    it('401 "<message> (request_id:…, path:…, type:…)" → the same status, type, message and findings as 1.12', async () => {
      const api = await emulator({ keys: [emulatorKey()] });
      const bad = fakeKey('api');
      const t117 = await thrown(() => sdk117({ apiKey: bad, baseURL: api.url }).models.list());
      const t112 = await thrown(() => sdk112({ apiKey: bad, baseURL: api.url }).models.list());
      expect(t117).toMatch(/^AuthenticationError: 401 Invalid bearer token \(request_id: req_\w+, path: \/v1\/models/);
      const b = box();
      SDK117(b);
      const runs = await Promise.all(
        [t117, t112].map((t) =>
          check(b, ['--no-network', '--client', 'sdk', '--error', t], { ANTHROPIC_API_KEY: bad }),
        ),
      );
      const [r117, r112] = runs as [Run, Run];
      const id117 = /request_id: (req_\w+)/.exec(t117)![1];
      expect(r117.json.pasted, describeRun(r117)).toMatchObject({
        status: 401,
        errorType: 'authentication_error',
        errorMessage: 'Invalid bearer token',
        requestId: id117,
        form: 'sdk-ts',
      });
      expect(r117.json.pasted).toMatchObject({
        status: r112.json.pasted!.status,
        errorType: r112.json.pasted!.errorType,
        errorMessage: r112.json.pasted!.errorMessage,
        form: r112.json.pasted!.form,
      });
      expect(ids(r117).sort()).toEqual(ids(r112).sort());
      for (const r of runs) expectNoLeak(r, bad);
    });

    it('429 with details.error_code (spend cap) → billing.spend_limit, as in 1.12', async () => {
      const k = emulatorKey();
      const api = await emulator({ keys: [k], faults: [{ kind: 'spend_cap' }] });
      const call = (c: Anthropic | Anthropic112) =>
        c.messages.countTokens({ model: 'claude-haiku-4-5-20251001', messages: [{ role: 'user', content: 'x' }] });
      const t117 = await thrown(() => call(sdk117({ apiKey: k.value, baseURL: api.url })));
      const t112 = await thrown(() => call(sdk112({ apiKey: k.value, baseURL: api.url })));
      expect(t117).toMatch(/\(error_code: enforced_spend_limit_reached, request_id: req_/);
      const b = box();
      SDK117(b);
      for (const t of [t117, t112]) {
        const r = await check(b, ['--no-network', '--client', 'sdk', '--error', t], { ANTHROPIC_API_KEY: k.value });
        expect(r.json.pasted, describeRun(r)).toMatchObject({ status: 429, errorType: 'rate_limit_error' });
        expect(ids(r), describeRun(r)).toContain('billing.spend_limit');
        expect(ids(r)).not.toContain('api.rate_limited');
        expect(r.code).toBe(EXIT.problem);
      }
    });

    it('400 credit balance (1.17) → billing.credit with the bare API message', async () => {
      const k = emulatorKey();
      const api = await emulator({ keys: [k], orgs: [{ id: DEFAULT_ORG_ID, name: 'Org', creditExhausted: true }] });
      const t = await thrown(() =>
        sdk117({ apiKey: k.value, baseURL: api.url }).messages.countTokens({
          model: 'claude-haiku-4-5-20251001',
          messages: [{ role: 'user', content: 'x' }],
        }),
      );
      const b = box();
      SDK117(b);
      const r = await check(b, ['--no-network', '--client', 'sdk', '--error', t], { ANTHROPIC_API_KEY: k.value });
      expect(r.json.pasted?.errorMessage, describeRun(r)).toMatch(/^Your credit balance is too low .*credits\.$/);
      expect(r.json.findings[0]?.id).toBe('billing.credit');
      expect(r.code).toBe(EXIT.problem);
    });

    it('CredentialsError (1.17) with nothing set → key.missing, as the 1.12 plain Error', async () => {
      const api = await emulator();
      const t117 = await thrown(() => sdk117({ baseURL: api.url }).models.list());
      const t112 = await thrown(() => sdk112({ baseURL: api.url }).models.list());
      expect(t117).toMatch(/^CredentialsError: Could not resolve authentication method/);
      const b = box();
      SDK117(b);
      for (const t of [t117, t112]) {
        const r = await check(b, ['--api-url', api.url, '--client', 'sdk', '--error', t], {});
        expect(r.json.findings[0]?.id, describeRun(r)).toBe('key.missing');
        expect(r.code).toBe(EXIT.problem);
      }
    });

    it('"Connection to HOST failed" (1.17) for the ANTHROPIC_BASE_URL host → endpoint.base_url, even without --probe-base-url', async () => {
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      const dead = `http://127.0.0.1:${await closedPort()}`;
      const t = await thrown(() => sdk117({ apiKey: k.value, baseURL: dead }).models.list());
      expect(t).toMatch(/^APIConnectionError: Connection to 127\.0\.0\.1:\d+ failed/);
      const b = box();
      SDK117(b);
      const r = await check(b, ['--api-url', api.url, '--client', 'sdk', '--error', t], {
        ANTHROPIC_API_KEY: k.value,
        ANTHROPIC_BASE_URL: dead,
      });
      const context = describeRun(r);
      expect(r.json.findings[0]?.id, context).toBe('endpoint.base_url');
      expect(r.json.findings[0]?.severity).toBe('error');
      expect(r.json.findings[0]?.detail).toContain(new URL(dead).host);
      expect(r.code, context).toBe(EXIT.problem);
      expectEverywhere(r, b, { accepted: [k.value], pasted: true });
    });

    it('"Request to HOST timed out" (1.17) for the API host → network.timeout naming that host', async () => {
      const k = emulatorKey();
      const api = await emulator({ keys: [k], faults: [{ kind: 'hang' }] });
      const t = await thrown(() => sdk117({ apiKey: k.value, baseURL: api.url, timeout: 200 }).models.list());
      expect(t).toMatch(/^APIConnectionTimeoutError: Request to 127\.0\.0\.1:\d+ timed out/);
      const b = box();
      SDK117(b);
      const r = await check(b, ['--no-network', '--client', 'sdk', '--error', t], { ANTHROPIC_API_KEY: k.value });
      expect(ids(r), describeRun(r)).toContain('network.timeout');
      expect(r.json.findings.find((f) => f.id === 'network.timeout')?.detail).toContain(new URL(api.url).host);
    });
  },
);

// --- the runner --------------------------------------------------------------------------------------

function severityOf(spec: IdSpec): [string, Severity | undefined] {
  return typeof spec === 'string' ? [spec, undefined] : spec;
}

/** Each value went to GET /v1/models exactly once (zero tokens; no value probed twice). */
function expectEachProbedOnce(api: Emulator, values: string[]): void {
  const sent = (q: Emulator['requests'][number]) =>
    q.headers['x-api-key'] ?? q.headers.authorization?.replace(/^Bearer /, '');
  const models = api.requests.filter((q) => q.method === 'GET' && q.path === '/v1/models');
  for (const v of values)
    expect(
      models.filter((q) => sent(q) === v).length,
      `GET /v1/models with one of the keys: ${models.length} in all`,
    ).toBe(1);
}

const FINGERPRINT_TAIL = (v: string) => `…${v.trim().slice(-4)} (`;
const PROPER = [
  'API',
  'ANTHROPIC_BASE_URL',
  'ANTHROPIC_API_KEY',
  'Anthropic',
  'Authorization',
  'Bearer',
  'OAuth',
  'TLS',
  'DNS',
];

/** The rules of issue 17 that hold in every run, whatever the case. */
function expectEverywhere(r: Run, b: Box, o: { accepted?: string[]; pasted: boolean }): void {
  const context = describeRun(r);
  // 1. An accepted credential is never invalid, truncated, malformed as an error, or due for rotation.
  for (const v of o.accepted ?? []) {
    const tail = FINGERPRINT_TAIL(v);
    for (const f of r.json.findings) {
      if (!f.detail.includes(tail)) continue;
      const damning =
        ['key.invalid', 'key.truncated', 'key.expired', 'key.inactive'].includes(f.id) ||
        (f.id === 'key.malformed' && f.severity === 'error');
      expect(damning, `${f.id} for an accepted credential: ${f.detail}\n${context}`).toBe(false);
      if (!r.json.findings.some((x) => x.id === 'key.leaked'))
        expect(
          f.fix.filter((l) => ROTATE.test(l)),
          `rotation advice for an accepted credential\n${context}`,
        ).toEqual([]);
    }
  }
  // 5. Proper case in the summary; no fix for a client the project does not have; no paste claimed.
  for (const word of PROPER) {
    // A word of its own: not part of x-api-key, @anthropic-ai/sdk, api.anthropic.com or a variable name.
    const wrong = new RegExp(`(?<![\\w\\-./@])${word}(?![\\w\\-/@]|\\.\\w)`, 'gi');
    for (const m of r.json.summary.match(wrong) ?? [])
      expect(m, `summary spells ${word} as ${m}: ${r.json.summary}`).toBe(word);
  }
  const hasTsSdk = existsSync(b.path('node_modules/@anthropic-ai/sdk/package.json'));
  if (!hasTsSdk)
    expect(
      r.json.findings.flatMap((f) => f.fix).filter((l) => /npm install @anthropic-ai\/sdk/.test(l)),
      context,
    ).toEqual([]);
  if (!o.pasted) {
    expect(r.stdout + r.stderr).not.toContain('(from the pasted error)');
    expect(r.json.pasted).toBeNull();
  }
}

for (const [rule, cases] of [
  ['rule 1: a live answer outranks a heuristic or a pasted error', RULE1],
  ['rule 2: a dead base URL is an error; a cut connection is not ok', RULE2],
  ['rule 3: every credential found is tried; the working one is named and made to win', RULE3],
  ['rule 4: findings that must exist', RULE4],
  ['rule 5: every summary and fix names the right thing', RULE5],
] as const) {
  describe.concurrent(`check --json, ${rule}`, () => {
    it.each(cases)('$name', async (c) => {
      const b = box();
      const s = await c.setup(b);
      const r = await check(b, s.args, s.env, c.timeoutMs ?? 30_000);
      const context = describeRun(r);
      expect(r.json.verdict, context).toBe(c.verdict);
      expect(r.code, context).toBe(CODE[c.verdict]);
      for (const spec of c.has) {
        const [id, severity] = severityOf(spec);
        const found = r.json.findings.filter((f) => f.id === id);
        expect(found.length, `${id} missing: ${context}`).toBeGreaterThan(0);
        if (severity)
          expect(
            found.map((f) => f.severity),
            `${id}: ${context}`,
          ).toContain(severity);
      }
      for (const spec of c.lacks ?? []) {
        const [id, severity] = severityOf(spec);
        const found = r.json.findings.filter((f) => f.id === id && (!severity || f.severity === severity));
        expect(
          found.map((f) => `${f.id}(${f.severity}): ${f.detail}`),
          context,
        ).toEqual([]);
      }
      const first = r.json.findings[0];
      if (c.first.id) expect(first?.id, context).toBe(c.first.id);
      for (const re of c.first.fix) expect(first?.fix[0] ?? '', `first fix: ${context}`).toMatch(re);
      if (c.verdict === 'problem' && first?.fix[0]) expect(r.json.summary).toContain(first.fix[0]);
      for (const [id, names] of c.details ?? []) {
        const text = r.json.findings
          .filter((f) => f.id === id)
          .map((f) => f.detail)
          .join('\n');
        for (const n of names)
          expect(text, `${id} detail: ${context}`).toMatch(typeof n === 'string' ? new RegExp(escape(n)) : n);
      }
      for (const re of c.summary ?? []) expect(r.json.summary, context).toMatch(re);
      expectEverywhere(r, b, { accepted: s.accepted, pasted: s.args.includes('--error') });
      s.after?.(r);
      expectNoLeak(r, ...s.secrets);
      expectNoInference(...s.emus);
    });
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
