// Issue 5 "Done when", end to end: every classic cause of a 401 and every classifier finding,
// produced by the BUILT `check --json` against the embedded emulator (or a pasted error), with
// the exit code of the contract, the failing answer's request-id, zero tokens spent and no secret
// in the output.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORG_ID, emulatorKey, type Emulator, type EmulatorConfig } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { requireBuild, runCli } from '../helpers/cli.js';
import {
  box,
  check,
  closedPort,
  describeRun,
  emulator,
  EXIT,
  expectCitesFailingProbe,
  expectNoInference,
  expectNoLeak,
  findingOf,
  FIXTURES,
  forwardProxy,
  ids,
  leaks,
  type Box,
} from './check-harness.js';

requireBuild();

interface Setup {
  emus: Emulator[];
  args: string[];
  env: Record<string, string>;
  secrets: string[];
}

interface Case {
  name: string;
  /** The finding that must be there, with its severity. */
  id: string;
  severity: 'error' | 'warning' | 'info';
  code: (typeof EXIT)[keyof typeof EXIT];
  /** The status of the live failing answer whose request-id the finding must cite. */
  live?: number;
  /** Ids that must NOT be there as errors (a wrong explanation of the same failure). */
  not?: string[];
  /** Text the finding's detail must name. */
  names?: string;
  /** How many times GET /v1/models (the first probe) reached the API: retries of transient answers only. */
  modelsCalls?: number;
  setup: (b: Box) => Promise<Setup>;
  timeoutMs?: number;
}

/** A working key in an emulator (plus `over` config), sent by `client` from ANTHROPIC_API_KEY. */
async function withKey(
  client: string,
  over: Partial<EmulatorConfig> = {},
  keyOver: Parameters<typeof emulatorKey>[0] = {},
  extra: string[] = [],
): Promise<Setup> {
  const k = emulatorKey(keyOver);
  const emu = await emulator({ keys: [k], ...over });
  return {
    emus: [emu],
    args: ['--api-url', emu.url, '--client', client, ...extra],
    env: { ANTHROPIC_API_KEY: k.value },
    secrets: [k.value],
  };
}

/** An Anthropic error body as the TS SDK prints it, with a made-up request id. */
const sdkError = (status: number, type: string, message: string) =>
  `Error: ${status} ` +
  `{"type":"error","error":{"type":"${type}","message":${JSON.stringify(message)}},` +
  `"request_id":"req_011CPastedRequestId000001"}`;

const CASES: Case[] = [
  // --- the five classic causes (issue 5) ----------------------------------------------------------
  {
    name: 'invalid key: an API key the API does not know',
    id: 'key.invalid',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    modelsCalls: 1, // 401 is never retried
    async setup() {
      const emu = await emulator({ keys: [emulatorKey()] });
      const stranger = fakeKey('api');
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: stranger },
        secrets: [stranger],
      };
    },
  },
  {
    name: 'not-yet-active key: rejected at first, accepted while waiting (--key-age 1 --wait 20)',
    id: 'key.not_yet_active',
    severity: 'info',
    code: EXIT.ok,
    live: 401,
    not: ['key.invalid'],
    timeoutMs: 40_000,
    setup: () =>
      withKey('curl', {}, { createdAt: new Date().toISOString(), activeAfterMs: 2000 }, [
        '--key-age',
        '1',
        '--wait',
        '20',
      ]),
  },
  {
    name: 'wrong header: a Console key in ANTHROPIC_AUTH_TOKEN for Claude Code (Bearer under 2023-06-01)',
    id: 'header.bearer',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    not: ['key.invalid'],
    async setup() {
      const k = emulatorKey();
      const emu = await emulator({ keys: [k] });
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'claude-code'],
        env: { ANTHROPIC_AUTH_TOKEN: k.value },
        secrets: [k.value],
      };
    },
  },
  {
    name: 'wrong header AND a bad key: rejected as Bearer and as x-api-key too (Claude Code, ANTHROPIC_AUTH_TOKEN)',
    id: 'key.invalid',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    async setup() {
      const emu = await emulator({ keys: [emulatorKey()] });
      const stranger = fakeKey('api');
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'claude-code'],
        env: { ANTHROPIC_AUTH_TOKEN: stranger },
        secrets: [stranger],
      };
    },
  },
  {
    name: 'missing scope: --model the key may not use',
    id: 'scope.model',
    severity: 'error',
    code: EXIT.problem,
    live: 404,
    names: 'claude-opus-4-1-20250805',
    setup: () =>
      withKey('curl', {}, { models: ['claude-haiku-4-5-20251001'] }, ['--model', 'claude-opus-4-1-20250805']),
  },
  {
    name: 'missing scope: an OAuth token without an inference scope',
    id: 'scope.permission',
    severity: 'error',
    code: EXIT.problem,
    live: 403,
    async setup() {
      const oat = fakeKey('oat');
      const emu = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID, scopes: ['user:profile'] }] });
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'claude-code'],
        env: { CLAUDE_CODE_OAUTH_TOKEN: oat },
        secrets: [oat],
      };
    },
  },
  {
    name: 'wrong workspace: ANTHROPIC_CUSTOM_HEADERS names a workspace the key does not live in',
    id: 'workspace.mismatch',
    severity: 'error',
    code: EXIT.problem,
    names: 'wrkspc_other',
    async setup() {
      // curl sends only the headers typed; Claude Code and the SDKs send ANTHROPIC_CUSTOM_HEADERS.
      const s = await withKey('claude-code');
      return { ...s, env: { ...s.env, ANTHROPIC_CUSTOM_HEADERS: 'anthropic-workspace-id: wrkspc_other' } };
    },
  },
  {
    name: 'wrong workspace: an identity-linked key sent without anthropic-workspace-id',
    id: 'workspace.required',
    severity: 'error',
    code: EXIT.problem,
    live: 400,
    setup: () => withKey('curl', {}, { identityLinked: true }),
  },

  // --- each classifier finding ----------------------------------------------------------------------
  {
    name: 'expired key (the Admin API tells expired from revoked)',
    id: 'key.expired',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const k = emulatorKey({ expiresAt: '2026-01-01T00:00:00Z' });
      const admin = fakeKey('admin');
      const emu = await emulator({ keys: [k], adminKeys: [{ value: admin, orgId: DEFAULT_ORG_ID }] });
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'curl', '--admin-key-env', 'ADMIN_KEY'],
        env: { ANTHROPIC_API_KEY: k.value, ADMIN_KEY: admin },
        secrets: [k.value, admin],
      };
    },
  },
  {
    name: 'missing key header (pasted; no credential anywhere)',
    id: 'header.missing_key',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const emu = await emulator();
      return {
        emus: [emu],
        args: [
          '--api-url',
          emu.url,
          '--client',
          'curl',
          '--error',
          sdkError(401, 'authentication_error', 'x-api-key header is required'),
        ],
        env: {},
        secrets: [],
      };
    },
  },
  {
    name: 'stripped key header: a proxy that removes x-api-key',
    id: 'header.stripped',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    setup: () => withKey('curl', { mode: 'strip-x-api-key-proxy' }),
  },
  {
    name: 'OAuth token without the beta: oat in ANTHROPIC_AUTH_TOKEN, SDK 0.x project',
    id: 'header.oauth_beta',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    async setup(b) {
      FIXTURES.ts0Lock(b);
      const oat = fakeKey('oat');
      const emu = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }] });
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'sdk'],
        env: { ANTHROPIC_AUTH_TOKEN: oat },
        secrets: [oat],
      };
    },
  },
  {
    name: 'missing anthropic-version (pasted)',
    id: 'header.missing_version',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const s = await withKey('curl');
      return {
        ...s,
        args: [...s.args, '--error', sdkError(400, 'invalid_request_error', 'anthropic-version: header is required')],
      };
    },
  },
  {
    name: 'disabled organization',
    id: 'org.disabled',
    severity: 'error',
    code: EXIT.problem,
    live: 400,
    setup: () => withKey('curl', { orgs: [{ id: DEFAULT_ORG_ID, name: 'Org', disabled: true }] }),
  },
  {
    name: 'credit balance too low',
    id: 'billing.credit',
    severity: 'error',
    code: EXIT.problem,
    live: 400,
    setup: () => withKey('curl', { orgs: [{ id: DEFAULT_ORG_ID, name: 'Org', creditExhausted: true }] }),
  },
  {
    name: 'spend limit reached (400)',
    id: 'billing.spend_limit',
    severity: 'error',
    code: EXIT.problem,
    live: 400,
    setup: () => withKey('curl', { orgs: [{ id: DEFAULT_ORG_ID, name: 'Org', spendLimitReached: true }] }),
  },
  {
    name: 'monthly spend cap (429 without retry-after)',
    id: 'billing.spend_limit',
    severity: 'error',
    code: EXIT.problem,
    live: 429,
    not: ['api.rate_limited'],
    setup: () => withKey('curl', { faults: [{ kind: 'spend_cap', match: { path: '/v1/messages/count_tokens' } }] }),
  },
  {
    name: 'a subscription credential outside Claude Code (pasted)',
    id: 'auth.subscription_vs_api',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const s = await withKey('sdk');
      const text = sdkError(
        400,
        'invalid_request_error',
        'This credential is only authorized for use with Claude Code and cannot be used for other API requests.',
      );
      return { ...s, args: [...s.args, '--error', text] };
    },
  },
  {
    name: 'region / network refusal: 403 "Request not allowed"',
    id: 'region.blocked',
    severity: 'error',
    code: EXIT.problem,
    live: 403,
    setup: () => withKey('curl', { faults: [{ kind: 'request_not_allowed' }] }),
  },
  {
    name: 'expired OAuth token in CLAUDE_CODE_OAUTH_TOKEN (Claude Code)',
    id: 'oauth.expired',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    async setup() {
      const oat = fakeKey('oat');
      const emu = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID, expired: true }] });
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'claude-code'],
        env: { CLAUDE_CODE_OAUTH_TOKEN: oat },
        secrets: [oat],
      };
    },
  },
  {
    name:
      'missing beta AND an expired OAuth token (ANTHROPIC_AUTH_TOKEN, SDK 0.x): the probe with the beta says ' +
      'expired',
    id: 'oauth.expired',
    severity: 'error',
    code: EXIT.problem,
    live: 401,
    async setup(b) {
      FIXTURES.ts0Lock(b);
      const oat = fakeKey('oat');
      const emu = await emulator({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID, expired: true }] });
      return {
        emus: [emu],
        args: ['--api-url', emu.url, '--client', 'sdk'],
        env: { ANTHROPIC_AUTH_TOKEN: oat },
        secrets: [oat],
      };
    },
  },
  {
    name: 'a gateway at ANTHROPIC_BASE_URL answers (--probe-base-url)',
    id: 'endpoint.gateway_response',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const k = emulatorKey();
      const api = await emulator({ keys: [k] });
      const gateway = await emulator({ keys: [k], mode: 'gateway-openai' });
      return {
        emus: [api, gateway],
        args: ['--api-url', api.url, '--client', 'claude-code', '--probe-base-url'],
        env: { ANTHROPIC_API_KEY: k.value, ANTHROPIC_BASE_URL: gateway.url },
        secrets: [k.value],
      };
    },
  },
  {
    name: 'Bedrock (CLAUDE_CODE_USE_BEDROCK): not checked live, so inconclusive',
    id: 'provider.bedrock',
    severity: 'warning',
    code: EXIT.inconclusive,
    async setup() {
      const s = await withKey('claude-code');
      return { ...s, env: { ...s.env, CLAUDE_CODE_USE_BEDROCK: '1' } };
    },
  },
  {
    name: 'Bedrock while the user means the Anthropic API (--provider anthropic)',
    id: 'provider.bedrock',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const s = await withKey('claude-code', {}, {}, ['--provider', 'anthropic']);
      return { ...s, env: { ...s.env, CLAUDE_CODE_USE_BEDROCK: '1' } };
    },
  },
  {
    name: 'Vertex (CLAUDE_CODE_USE_VERTEX)',
    id: 'provider.vertex',
    severity: 'warning',
    code: EXIT.inconclusive,
    async setup() {
      const s = await withKey('claude-code');
      return { ...s, env: { ...s.env, CLAUDE_CODE_USE_VERTEX: '1', ANTHROPIC_VERTEX_PROJECT_ID: 'my-project' } };
    },
  },
  {
    name: 'Foundry (CLAUDE_CODE_USE_FOUNDRY)',
    id: 'provider.foundry',
    severity: 'warning',
    code: EXIT.inconclusive,
    async setup() {
      const s = await withKey('claude-code');
      return { ...s, env: { ...s.env, CLAUDE_CODE_USE_FOUNDRY: '1' } };
    },
  },
  {
    name: 'pasted Bedrock error',
    id: 'provider.bedrock',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const s = await withKey('claude-code');
      return {
        ...s,
        args: [...s.args, '--error', 'API Error: 403 The security token included in the request is invalid.'],
      };
    },
  },
  {
    name: 'pasted Vertex error',
    id: 'provider.vertex',
    severity: 'error',
    code: EXIT.problem,
    async setup() {
      const s = await withKey('claude-code');
      const text =
        `API Error: 403 [{"error":{"code":403,"message":"Permission 'aiplatform.endpoints.predict' denied on ` +
        `resource ` +
        `'//aiplatform.googleapis.com/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5' ` +
        `(or it may not exist).","status":"PERMISSION_DENIED"}}]`;
      return { ...s, args: [...s.args, '--error', text] };
    },
  },
  {
    name: 'overloaded on every try (529 more often than the retries)',
    id: 'api.overloaded',
    severity: 'warning',
    code: EXIT.inconclusive,
    live: 529,
    modelsCalls: 3, // the first try and at most two retries
    // Counted over every request (count_tokens goes out with the first look) and both runs.
    setup: () => withKey('curl', { faults: [{ kind: 'overloaded', times: 100 }] }),
  },
  {
    name: 'server error on every try (500)',
    id: 'api.server_error',
    severity: 'warning',
    code: EXIT.inconclusive,
    live: 500,
    modelsCalls: 3,
    setup: () => withKey('curl', { faults: [{ kind: 'server_error' }] }),
  },
  {
    name: 'rate limited with retry-after 60 (reported, not waited for)',
    id: 'api.rate_limited',
    severity: 'warning',
    code: EXIT.inconclusive,
    live: 429,
    modelsCalls: 1, // retry-after 60 > 10 s: reported at once
    setup: () => withKey('curl', { faults: [{ kind: 'rate_limited', retryAfterSeconds: 60 }] }),
  },
  {
    name: 'unreachable: nothing listens on the API port',
    id: 'network.unreachable',
    severity: 'warning',
    code: EXIT.inconclusive,
    async setup() {
      const k = fakeKey('api');
      return {
        emus: [],
        args: ['--api-url', `http://127.0.0.1:${await closedPort()}`, '--client', 'curl'],
        env: { ANTHROPIC_API_KEY: k },
        secrets: [k],
      };
    },
  },
  {
    name: 'proxy: HTTP_PROXY names a port nothing listens on',
    id: 'network.proxy',
    severity: 'warning',
    code: EXIT.inconclusive,
    async setup() {
      const s = await withKey('curl');
      return { ...s, env: { ...s.env, HTTP_PROXY: `http://127.0.0.1:${await closedPort()}` } };
    },
  },
  {
    name: 'timeout: the API never answers (--timeout 300)',
    id: 'network.timeout',
    severity: 'warning',
    code: EXIT.inconclusive,
    setup: () => withKey('curl', { faults: [{ kind: 'hang' }] }, {}, ['--timeout', '300']),
  },
];

describe.concurrent('check --json: each cause → its finding, exit code and request-id (built CLI, emulator)', () => {
  it.each(CASES)('$name → $id', async (c) => {
    const b = box();
    const s = await c.setup(b);
    const started = Date.now();
    const r = await check(b, s.args, s.env, c.timeoutMs ?? 30_000);
    const elapsed = Date.now() - started;
    const context = describeRun(r);

    expect(ids(r), context).toContain(c.id);
    expect(
      r.json.findings.filter((f) => f.id === c.id).map((f) => f.severity),
      context,
    ).toContain(c.severity);
    expect(r.code, context).toBe(c.code);
    expect(r.json.verdict, context).toBe(({ 0: 'ok', 1: 'problem', 3: 'inconclusive' } as const)[c.code]);
    for (const wrong of c.not ?? [])
      expect(
        r.json.findings.filter((f) => f.id === wrong && f.severity === 'error'),
        context,
      ).toEqual([]);
    if (c.names)
      expect(
        r.json.findings
          .filter((f) => f.id === c.id)
          .map((f) => f.detail)
          .join('\n'),
      ).toContain(c.names);
    if (c.modelsCalls !== undefined)
      expect(s.emus[0]!.requests.filter((q) => q.method === 'GET' && q.path === '/v1/models').length, context).toBe(
        c.modelsCalls,
      );
    if (c.live !== undefined) expectCitesFailingProbe(r, c.id, c.live);
    // A request that got no answer is still listed: status null, the error in errorMessage.
    if (c.id.startsWith('network.'))
      expect(
        r.json.probes.some((p) => p.status === null && !!p.errorMessage),
        context,
      ).toBe(true);
    // A pasted error's finding says so and never claims a live request-id it did not see.
    if (s.args.includes('--error')) expect(findingOf(r, c.id).detail).toContain('(from the pasted error)');
    if (c.id === 'api.rate_limited')
      expect(elapsed, 'a 60 s retry-after must be reported, not waited for').toBeLessThan(10_000);
    expectNoLeak(r, ...s.secrets);

    // The same diagnosis as Markdown (stdout) and human text (stderr): same exit code, no secret.
    const md = await runCli(['check', '--report', '-', ...s.args], {
      cwd: b.cwd,
      home: b.home,
      env: s.env,
      timeoutMs: c.timeoutMs ?? 30_000,
    });
    expect(md.code, `--report - exit: ${md.stderr}`).toBe(c.code);
    expect(md.stdout).toMatch(/^#/m);
    for (const secret of s.secrets) {
      expect(leaks(md.stdout, secret), 'Markdown report leaks a secret').toBeNull();
      expect(leaks(md.stderr, secret), 'human output leaks a secret').toBeNull();
    }
    expectNoInference(...s.emus);
  });
});

describe.concurrent('check --json through a working proxy (HTTP_PROXY honoured, as the client would)', () => {
  it('HTTP_PROXY → the probes go through the proxy and the key is accepted: ok, exit 0', async () => {
    const b = box();
    const proxy = await forwardProxy();
    const s = await withKey('curl');
    const r = await check(b, s.args, { ...s.env, HTTP_PROXY: proxy.url });
    const context = describeRun(r);
    expect(proxy.seen.length, `the proxy saw no request: ${context}`).toBeGreaterThan(0);
    expect(r.json.verdict, context).toBe('ok');
    expect(r.code, context).toBe(EXIT.ok);
    expectNoInference(...s.emus);
    expectNoLeak(r, ...s.secrets);
  });

  it('NO_PROXY covering the API host → direct, ok, the proxy sees nothing', async () => {
    const b = box();
    const proxy = await forwardProxy();
    const s = await withKey('curl');
    const r = await check(b, s.args, { ...s.env, HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    expect(proxy.seen).toEqual([]);
    expect(r.code, describeRun(r)).toBe(EXIT.ok);
  });
});

describe.concurrent('check --json: healthy setups → verdict ok, exit 0', () => {
  /** Each fixture writes the project and returns extra environment (a virtualenv). */
  const HEALTHY: { name: string; client: string; fixture: (b: Box) => Record<string, string> }[] = [
    { name: 'curl', client: 'curl', fixture: () => ({}) },
    { name: 'Claude Code', client: 'claude-code', fixture: () => ({}) },
    { name: 'TS SDK 1.x project', client: 'sdk', fixture: FIXTURES.ts1 },
    { name: 'TS SDK 0.x project', client: 'sdk', fixture: FIXTURES.ts0Lock },
    { name: 'Python venv', client: 'sdk', fixture: FIXTURES.pyVenv },
  ];
  it.each(HEALTHY)('$name', async ({ client, fixture }) => {
    const b = box();
    const extra = fixture(b);
    const s = await withKey(client);
    const env = { ...s.env, ...extra };
    const r = await check(b, s.args, env);
    const context = describeRun(r);
    expect(r.json.verdict, context).toBe('ok');
    expect(r.code, context).toBe(EXIT.ok);
    expect(
      r.json.findings.filter((f) => f.severity === 'error'),
      context,
    ).toEqual([]);
    expect(ids(r), context).toContain('key.valid');
    expect(r.json.credential?.source).toBe('env:ANTHROPIC_API_KEY');
    expectNoInference(...s.emus);
    expectNoLeak(r, ...s.secrets);
  });
});
