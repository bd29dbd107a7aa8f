import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../source/core/credential.js';
import {
  SDK_BOTH_SET_WARNING,
  clientModels,
  effectiveEnv,
  precedenceFindings,
  resolveClients,
} from '../../source/core/precedence.js';
import type {
  Candidate,
  ClientChoice,
  ClientInfo,
  ClientModel,
  Discovery,
  Finding,
  Resolution,
  SourceOrigin,
} from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { discovery } from '../helpers/discovery.js';
import { createRedactor } from '../../source/core/redact.js';

// ---------------------------------------------------------------------------------------------
// Hand-built fixtures

const HOME = '/home/alex';
const CWD = '/home/alex/proj';
const API = 'ANTHROPIC_API_KEY';
const AUTH = 'ANTHROPIC_AUTH_TOKEN';
const OAUTH = 'CLAUDE_CODE_OAUTH_TOKEN';

const disc = (over: Partial<Discovery> = {}): Discovery => discovery({ cwd: CWD, home: HOME, ...over });

const envC = (name: string, value: string): Candidate => ({ source: `env:${name}`, origin: 'env', name, value });
function dotenvC(name: string, value: string, depth = 0, file = '.env', line = 1): Candidate {
  const rel = depth === 0 ? file : `${'../'.repeat(depth)}${file}`;
  const dir = CWD.split('/')
    .slice(0, CWD.split('/').length - depth)
    .join('/');
  return { source: `file:${rel}:${line}`, origin: 'dotenv', name, value, file: `${dir}/${file}`, line, depth };
}
const shellC = (name: string, value: string, line = 12, file = '.bashrc'): Candidate => ({
  source: `file:~/${file}:${line}`,
  origin: 'shell',
  name,
  value,
  file: `${HOME}/${file}`,
  line,
});
const SETTINGS_FILE: Record<string, string> = {
  'claude-user': 'file:~/.claude/settings.json',
  'claude-project': 'file:.claude/settings.json',
  'claude-local': 'file:.claude/settings.local.json',
  'claude-managed': 'file:/etc/claude-code/managed-settings.json',
};
const block = (origin: SourceOrigin, env: Record<string, string>) => ({ origin, source: SETTINGS_FILE[origin]!, env });

const TS1: ClientInfo = {
  name: '@anthropic-ai/sdk',
  version: '1.12.0',
  source: 'file:node_modules/@anthropic-ai/sdk/package.json',
  how: 'installed',
  sends: 'authorization',
  model: 'sdk-ts-1',
};
const TS0: ClientInfo = {
  name: '@anthropic-ai/sdk',
  version: '0.120.0',
  source: 'file:node_modules/@anthropic-ai/sdk/package.json',
  how: 'installed',
  sends: 'x-api-key',
  model: 'sdk-ts-0',
};
const PY: ClientInfo = {
  name: 'anthropic',
  version: '0.121.0',
  source: 'file:requirements.txt',
  how: 'declared',
  sends: 'x-api-key',
  model: 'sdk-py',
};
const ALL_SDKS = [TS1, TS0, PY];
const LOGIN = {
  source: 'file:~/.claude/.credentials.json',
  present: true,
  kinds: ['oauth_access' as const, 'oauth_refresh' as const],
  subscriptionType: 'max',
};
const HELPER = { source: 'file:~/.claude/settings.json', command: '~/bin/get-key.sh' };

/** Claude Code, every SDK form and curl, each once. */
function everyClient(d: Discovery): Record<ClientModel, Resolution> {
  const withSdks = { ...d, clients: ALL_SDKS };
  const rs = [
    ...resolveClients(withSdks, 'auto'),
    ...resolveClients(withSdks, 'curl'),
    ...resolveClients(withSdks, 'other'),
  ];
  return Object.fromEntries(rs.map((r) => [r.client, r])) as Record<ClientModel, Resolution>;
}

const ids = (fs: Finding[]) => fs.map((f) => f.id);
const only = (fs: Finding[], id: string) => fs.filter((f) => f.id === id);
const one = (fs: Finding[], id: string): Finding => {
  const found = only(fs, id);
  expect(found, `${id} in ${JSON.stringify(ids(fs))}`).toHaveLength(1);
  return found[0]!;
};

/** No 8-character window of a secret beyond its public prefix anywhere in the output. */
function expectNoSecrets(out: unknown, secrets: string[]): void {
  const text = JSON.stringify(out);
  for (const s of secrets) {
    const body = s.replace(/^sk-ant-[a-z0-9]+-/, '');
    for (let i = 0; i + 8 <= body.length; i++)
      if (text.includes(body.slice(i, i + 8))) throw new Error(`secret window ${i} of ${fingerprint(s)} leaked`);
  }
}

function run(d: Discovery, choice: ClientChoice) {
  const rs = resolveClients(d, choice);
  const fs = precedenceFindings(d, rs);
  const secrets = [...d.candidates.map((c) => c.value), ...Object.values(d.env)].filter((v) => v.length >= 12);
  expectNoSecrets({ fs, notes: rs.map((r) => r.note) }, secrets);
  return { rs, fs, by: (m: ClientModel) => rs.find((r) => r.client === m)! };
}

// ---------------------------------------------------------------------------------------------

describe('clientModels', () => {
  it('maps each --client choice to client models', () => {
    const d = disc();
    expect(clientModels(d, 'claude-code')).toEqual([{ model: 'claude-code', label: 'Claude Code', assumed: false }]);
    expect(clientModels(d, 'curl').map((c) => c.model)).toEqual(['curl']);
    expect(clientModels(d, 'other').map((c) => c.model)).toEqual(['other']);
  });

  it('assumes TS ≥ 1.0 and Python when no SDK is found, and says so in the labels', () => {
    const sdk = clientModels(disc(), 'sdk');
    expect(sdk.map((c) => [c.model, c.assumed])).toEqual([
      ['sdk-ts-1', true],
      ['sdk-py', true],
    ]);
    expect(sdk[0]!.label).toBe('@anthropic-ai/sdk ≥ 1.0 (assumed: none found in the project)');
    expect(sdk[1]!.label).toMatch(/Python anthropic.*assumed: none found/);
  });

  it('lists the SDKs found, one per client model, most exact find first; auto puts Claude Code first', () => {
    const declared1: ClientInfo = { ...TS1, version: '^1.0.0', how: 'declared', source: 'file:package.json' };
    const d = disc({ clients: [declared1, PY, TS1, TS0] });
    const sdk = clientModels(d, 'sdk');
    expect(sdk.map((c) => c.model)).toEqual(['sdk-ts-1', 'sdk-ts-0', 'sdk-py']);
    expect(sdk.map((c) => c.label)).toEqual([
      '@anthropic-ai/sdk 1.12.0',
      '@anthropic-ai/sdk 0.120.0',
      'Python anthropic 0.121.0',
    ]);
    expect(sdk.every((c) => !c.assumed)).toBe(true);
    expect(clientModels(d, 'auto').map((c) => c.model)).toEqual(['claude-code', 'sdk-ts-1', 'sdk-ts-0', 'sdk-py']);
    expect(resolveClients(d, 'auto').map((r) => r.client)).toEqual(['claude-code', 'sdk-ts-1', 'sdk-ts-0', 'sdk-py']);
  });
});

// ---------------------------------------------------------------------------------------------

type Expect = { from: string | null; as: string; version?: string; secondary?: string | null; beta?: boolean };
const rules: { name: string; d: () => Discovery; expect: Partial<Record<ClientModel, Expect>> }[] = [
  {
    name: 'ANTHROPIC_API_KEY in the environment',
    d: () => disc({ candidates: [envC(API, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: `env:${API}`, as: 'x-api-key', version: '2023-06-01' },
      'sdk-ts-1': { from: `env:${API}`, as: 'authorization', version: '2026-10-21' },
      'sdk-ts-0': { from: `env:${API}`, as: 'x-api-key', version: '2023-06-01' },
      'sdk-py': { from: `env:${API}`, as: 'x-api-key', version: '2023-06-01' },
      curl: { from: `env:${API}`, as: 'x-api-key', version: '2023-06-01' },
      other: { from: `env:${API}`, as: 'x-api-key' },
    },
  },
  {
    name: 'ANTHROPIC_AUTH_TOKEN alone',
    d: () => disc({ candidates: [envC(AUTH, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: `env:${AUTH}`, as: 'authorization', beta: false },
      'sdk-ts-1': { from: `env:${AUTH}`, as: 'authorization', beta: false },
      'sdk-ts-0': { from: `env:${AUTH}`, as: 'authorization', beta: false },
      'sdk-py': { from: `env:${AUTH}`, as: 'authorization' },
      curl: { from: null, as: 'none' },
    },
  },
  {
    // Claude Code: observed 2026-12-04 with 2.1.332 (fact sheet §6; issue 18) — both go out.
    name: 'both variables, different values',
    d: () => disc({ candidates: [envC(API, fakeKey('api')), envC(AUTH, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: `env:${API}`, as: 'both', secondary: `env:${AUTH}` },
      'sdk-ts-1': { from: `env:${API}`, as: 'authorization', secondary: null },
      'sdk-ts-0': { from: `env:${API}`, as: 'both', secondary: `env:${AUTH}` },
      'sdk-py': { from: `env:${API}`, as: 'both', secondary: `env:${AUTH}` },
      curl: { from: `env:${API}`, as: 'x-api-key' },
    },
  },
  {
    name: 'both variables, the same value (one credential in two headers)',
    d: () => {
      const k = fakeKey('api');
      return disc({ candidates: [envC(API, k), envC(AUTH, k)] });
    },
    expect: {
      'sdk-ts-0': { from: `env:${API}`, as: 'both', secondary: null },
      'sdk-py': { from: `env:${API}`, as: 'both', secondary: null },
    },
  },
  {
    // Claude Code 2.1.332 reads no .env (fact sheet §6, observed 2026-12-04; issue 18).
    name: './.env only',
    d: () => disc({ candidates: [dotenvC(API, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: null, as: 'none' },
      'sdk-ts-1': { from: 'file:.env:1', as: 'authorization' },
      'sdk-py': { from: 'file:.env:1', as: 'x-api-key' },
      curl: { from: null, as: 'none' },
    },
  },
  {
    name: '../.env only (dotenv does not walk upward, other loaders do)',
    d: () => disc({ candidates: [dotenvC(API, fakeKey('api'), 1)] }),
    expect: {
      'claude-code': { from: null, as: 'none' },
      'sdk-ts-0': { from: 'file:../.env:1', as: 'x-api-key' },
      curl: { from: null, as: 'none' },
    },
  },
  {
    name: 'environment and ./.env: dotenv never overrides the environment',
    d: () => disc({ candidates: [dotenvC(API, fakeKey('api')), envC(API, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: `env:${API}`, as: 'x-api-key' },
      'sdk-py': { from: `env:${API}`, as: 'x-api-key' },
      curl: { from: `env:${API}`, as: 'x-api-key' },
    },
  },
  {
    name: 'empty environment variable hides ./.env',
    d: () => disc({ candidates: [envC(API, ''), dotenvC(API, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: null, as: 'none' },
      'sdk-ts-1': { from: null, as: 'none' },
      'sdk-py': { from: null, as: 'none' },
      curl: { from: null, as: 'none' },
    },
  },
  {
    name: 'whitespace-only environment variable: the TS SDK trims it to unset, Python sends it',
    d: () => disc({ candidates: [envC(API, '  '), dotenvC(API, fakeKey('api'))] }),
    expect: {
      'sdk-ts-1': { from: null, as: 'none' },
      'sdk-ts-0': { from: null, as: 'none' },
      'sdk-py': { from: `env:${API}`, as: 'x-api-key' },
    },
  },
  {
    name: '~/.bashrc only (not sourced here)',
    d: () => disc({ candidates: [shellC(API, fakeKey('api'))] }),
    expect: {
      'claude-code': { from: null, as: 'none' },
      'sdk-ts-1': { from: null, as: 'none' },
      curl: { from: null, as: 'none' },
    },
  },
  {
    name: 'Claude Code settings env overrides the shell, for Claude Code only',
    d: () =>
      disc({
        candidates: [envC(API, fakeKey('api'))],
        claudeSettingsEnv: [block('claude-project', { [API]: fakeKey('api') })],
      }),
    expect: {
      'claude-code': { from: 'file:.claude/settings.json', as: 'x-api-key' },
      'sdk-ts-1': { from: `env:${API}`, as: 'authorization' },
      curl: { from: `env:${API}`, as: 'x-api-key' },
    },
  },
  {
    name: 'settings precedence: user < project < local < managed',
    d: () =>
      disc({
        claudeSettingsEnv: [
          block('claude-user', { [API]: fakeKey('api') }),
          block('claude-local', { [API]: fakeKey('api') }),
          block('claude-project', { [API]: fakeKey('api') }),
        ],
      }),
    expect: {
      'claude-code': { from: 'file:.claude/settings.local.json', as: 'x-api-key' },
      'sdk-py': { from: null, as: 'none' },
    },
  },
  {
    name: 'settings env "" cancels the shell export for Claude Code',
    d: () =>
      disc({ candidates: [envC(API, fakeKey('api'))], claudeSettingsEnv: [block('claude-user', { [API]: '' })] }),
    expect: {
      'claude-code': { from: null, as: 'none' },
      'sdk-ts-1': { from: `env:${API}`, as: 'authorization' },
      curl: { from: `env:${API}`, as: 'x-api-key' },
    },
  },
  {
    name: 'CLAUDE_CODE_OAUTH_TOKEN: Claude Code sends it with the OAuth beta; SDKs do not read it',
    d: () => disc({ candidates: [envC(OAUTH, fakeKey('oat'))] }),
    expect: {
      'claude-code': { from: `env:${OAUTH}`, as: 'authorization', beta: true },
      'sdk-ts-1': { from: null, as: 'none' },
    },
  },
  {
    name: 'API key outranks CLAUDE_CODE_OAUTH_TOKEN in Claude Code',
    d: () => disc({ candidates: [envC(OAUTH, fakeKey('oat')), envC(API, fakeKey('api'))] }),
    expect: { 'claude-code': { from: `env:${API}`, as: 'x-api-key', beta: false } },
  },
];

describe('which credential each client sends (table)', () => {
  for (const rule of rules) {
    it(rule.name, () => {
      const d = rule.d();
      const by = everyClient(d);
      for (const [model, e] of Object.entries(rule.expect) as [ClientModel, Expect][]) {
        const r = by[model];
        const got = {
          from: r.credential?.source ?? null,
          as: r.sendsAs,
          version: r.anthropicVersion,
          secondary: r.secondary?.source ?? null,
          beta: r.oauthBeta,
        };
        expect(got, model).toMatchObject(e);
        // Equal, not identical: precedence keeps no module state, so candidates it makes up from
        // Discovery.env and settings blocks are new objects on each call (issue 16 item 4).
        if (r.credential) expect(effectiveEnv(d, model).get(r.credential.name), model).toEqual(r.credential);
      }
      precedenceFindings(d, Object.values(by)); // never throws
    });
  }

  it('trims: the TS SDKs yes, Python, Claude Code and curl no', () => {
    const by = everyClient(disc());
    expect(Object.fromEntries(Object.values(by).map((r) => [r.client, r.trims]))).toEqual({
      'claude-code': false,
      'sdk-ts-1': true,
      'sdk-ts-0': true,
      'sdk-py': false,
      curl: false,
      other: false,
    });
  });

  it('returns the discovery\u2019s own candidate objects (callers compare by identity)', () => {
    const c = envC(API, fakeKey('api'));
    for (const r of Object.values(everyClient(disc({ candidates: [c] })))) expect(r.credential).toBe(c);
  });

  it('uses variables from Discovery.env when they are not among the candidates', () => {
    const by = everyClient(disc({ env: { [API]: fakeKey('api') } }));
    expect(by['sdk-py'].credential?.source).toBe(`env:${API}`);
  });

  it('notes the dotenv caveats: applied for ./.env, "may apply" upward; Claude Code does not read it', () => {
    const by = everyClient(disc({ candidates: [dotenvC(API, fakeKey('api'))] }));
    expect(by['sdk-ts-1'].note).toMatch(/dotenv/);
    expect(by['claude-code'].note).toMatch(/^no credential/);
    const up = everyClient(disc({ candidates: [dotenvC(API, fakeKey('api'), 2)] }));
    expect(up['sdk-py'].note).toMatch(/may apply.*\.\.\/\.\.\/\.env/);
    const local = everyClient(disc({ candidates: [dotenvC(API, fakeKey('api'), 0, '.env.local')] }));
    expect(local['sdk-py'].note).toMatch(/may apply.*framework/);
    // ./.env wins over ./.env.local and over ../.env
    const near = dotenvC(API, fakeKey('api'));
    const both = everyClient(
      disc({ candidates: [dotenvC(API, fakeKey('api'), 1), dotenvC(API, fakeKey('api'), 0, '.env.local'), near] }),
    );
    expect(both['sdk-ts-0'].credential).toBe(near);
  });

  it('TS 1.x with both variables logs the SDK warning in its note and shadows the auth token', () => {
    const by = everyClient(disc({ candidates: [envC(API, fakeKey('api')), envC(AUTH, fakeKey('api'))] }));
    expect(by['sdk-ts-1'].note).toContain(SDK_BOTH_SET_WARNING);
    expect(by['sdk-ts-1'].shadowed.map((c) => c.source)).toContain(`env:${AUTH}`);
    expect(by['sdk-ts-0'].shadowed.map((c) => c.source)).not.toContain(`env:${AUTH}`);
    expect(by['sdk-ts-0'].note).not.toContain(SDK_BOTH_SET_WARNING);
  });

  it('reads ANTHROPIC_BASE_URL and ANTHROPIC_CUSTOM_HEADERS (Claude Code also from settings env; curl not at all)', () => {
    const d = disc({
      candidates: [
        envC(API, fakeKey('api')),
        envC('ANTHROPIC_BASE_URL', ' https://gw.example.com \n'),
        envC('ANTHROPIC_CUSTOM_HEADERS', 'anthropic-workspace-id: wrkspc_01\nX-Team:  blue \nnot a header'),
      ],
      claudeSettingsEnv: [block('claude-user', { ANTHROPIC_BASE_URL: 'https://cc-gw.example.com' })],
    });
    const by = everyClient(d);
    expect(by['sdk-ts-1'].baseUrl).toEqual({ value: 'https://gw.example.com', source: 'env:ANTHROPIC_BASE_URL' });
    expect(by['sdk-py'].baseUrl?.value).toBe(' https://gw.example.com \n');
    expect(by['claude-code'].baseUrl).toEqual({
      value: 'https://cc-gw.example.com',
      source: 'file:~/.claude/settings.json',
    });
    expect(by.curl.baseUrl).toBeNull();
    expect(by['sdk-ts-0'].customHeaders).toEqual({ 'anthropic-workspace-id': 'wrkspc_01', 'X-Team': 'blue' });
    expect(by.curl.customHeaders).toEqual({});
  });

  it('an oauth beta in ANTHROPIC_CUSTOM_HEADERS is sent, so oauthBeta is true', () => {
    const by = everyClient(
      disc({
        candidates: [
          envC(AUTH, fakeKey('oat')),
          envC('ANTHROPIC_CUSTOM_HEADERS', 'Anthropic-Beta: foo, oauth-2025-04-20'),
        ],
      }),
    );
    expect(by['sdk-ts-1'].oauthBeta).toBe(true);
    expect(precedenceFindings(disc(), [by['sdk-ts-1']]).some((f) => f.id === 'header.oauth_beta')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

describe('Claude Code precedence (fact sheet §6)', () => {
  it('CLAUDE_CODE_USE_BEDROCK: provider bedrock with the AWS chain, or AWS_BEARER_TOKEN_BEDROCK; SDKs unaffected; no key.missing', () => {
    const d = disc({
      env: { CLAUDE_CODE_USE_BEDROCK: '1' },
      candidates: [envC(API, fakeKey('api'))],
      credentialsFile: LOGIN,
    });
    const { by, fs } = run({ ...d, clients: [TS1] }, 'auto');
    expect(by('claude-code')).toMatchObject({ provider: 'bedrock', credential: null, usesSubscriptionLogin: false });
    expect(by('sdk-ts-1')).toMatchObject({ provider: 'anthropic', credential: { source: `env:${API}` } });
    expect(ids(fs)).not.toContain('key.missing');
    expect(ids(fs)).not.toContain('env.api_key_overrides_login');

    const withToken = run(
      { ...d, env: { CLAUDE_CODE_USE_BEDROCK: 'true', AWS_BEARER_TOKEN_BEDROCK: 'ABSK' + 'x'.repeat(40) } },
      'claude-code',
    );
    expect(withToken.by('claude-code')).toMatchObject({
      provider: 'bedrock',
      sendsAs: 'authorization',
      credential: { name: 'AWS_BEARER_TOKEN_BEDROCK' },
    });

    const off = run({ ...d, env: { CLAUDE_CODE_USE_BEDROCK: '0' } }, 'claude-code');
    expect(off.by('claude-code').provider).toBe('anthropic');
    const viaSettings = run(
      { ...d, env: {}, claudeSettingsEnv: [block('claude-user', { CLAUDE_CODE_USE_BEDROCK: '1' })] },
      'claude-code',
    );
    expect(viaSettings.by('claude-code').provider).toBe('bedrock');
  });

  it('CLAUDE_CODE_USE_VERTEX and CLAUDE_CODE_USE_FOUNDRY', () => {
    expect(run(disc({ env: { CLAUDE_CODE_USE_VERTEX: '1' } }), 'claude-code').by('claude-code')).toMatchObject({
      provider: 'vertex',
      credential: null,
    });
    const f = run(
      disc({
        env: { CLAUDE_CODE_USE_FOUNDRY: 'yes' },
        candidates: [envC('ANTHROPIC_FOUNDRY_API_KEY', 'f'.repeat(32))],
      }),
      'claude-code',
    );
    expect(f.by('claude-code')).toMatchObject({
      provider: 'foundry',
      sendsAs: 'x-api-key',
      credential: { name: 'ANTHROPIC_FOUNDRY_API_KEY' },
    });
  });

  it('subscription login: used when nothing else is set (Bearer + beta), shadowed by an API key', () => {
    const login = run(disc({ credentialsFile: LOGIN }), 'claude-code');
    expect(login.by('claude-code')).toMatchObject({
      usesSubscriptionLogin: true,
      credential: null,
      sendsAs: 'authorization',
      oauthBeta: true,
      credentialKind: 'oauth_access',
    });
    expect(login.fs).toEqual([]);

    const key = envC(API, fakeKey('api'));
    const shadowed = run(disc({ credentialsFile: LOGIN, candidates: [key] }), 'auto');
    expect(shadowed.by('claude-code')).toMatchObject({
      usesSubscriptionLogin: false,
      credential: key,
      oauthBeta: false,
    });
    const f = one(shadowed.fs, 'env.api_key_overrides_login');
    expect(f.severity).toBe('warning');
    expect(f.detail).toContain(
      `Claude Code uses env:${API} (${fingerprint(key.value)}) instead of the subscription login (max)`,
    );
    expect(f.detail).toMatch(/asks once/);
    expect(f.fix[0]).toMatch(/^unset ANTHROPIC_API_KEY/);
    // The SDKs never use the login: not named in that finding.
    expect(f.detail).not.toMatch(/sdk/);
  });

  it('an approved key outranks the login; a rejected one is ignored by interactive sessions but not by claude -p', () => {
    const key = fakeKey('api');
    const approved = run(
      disc({ credentialsFile: LOGIN, candidates: [envC(API, key)], approvedKeySuffixes: [key.slice(-20)] }),
      'claude-code',
    );
    expect(approved.by('claude-code').note).toMatch(/approved/);
    expect(one(approved.fs, 'env.api_key_overrides_login').detail).toMatch(/you approved this key/);

    const rejected = run(
      disc({ credentialsFile: LOGIN, candidates: [envC(API, key)], rejectedKeySuffixes: [key.slice(-20)] }),
      'claude-code',
    );
    const r = rejected.by('claude-code');
    expect(r.credential?.source).toBe(`env:${API}`);
    expect(r.note).toContain('you rejected this key in Claude Code, so interactive sessions ignore it');
    expect(r.note).toContain('`claude -p` still uses it');
    expect(r.note).toMatch(/they use the subscription login/);
    expect(one(rejected.fs, 'env.api_key_overrides_login').detail).toMatch(
      /interactive sessions use the login, but `claude -p` uses the key/,
    );

    // A suffix of some other key changes nothing.
    const other = run(
      disc({ candidates: [envC(API, key)], approvedKeySuffixes: [fakeKey('api').slice(-20)] }),
      'claude-code',
    );
    expect(other.by('claude-code').note).toMatch(/asks once/);
  });

  it('apiKeyHelper: both headers, same value; outranked by ANTHROPIC_API_KEY; warning when it shadows a login', () => {
    const helper = run(disc({ apiKeyHelper: HELPER }), 'claude-code');
    expect(helper.by('claude-code')).toMatchObject({
      usesApiKeyHelper: true,
      sendsAs: 'both',
      credential: null,
      secondary: null,
      oauthBeta: false,
    });
    const info = one(helper.fs, 'env.api_key_helper');
    expect(info.severity).toBe('info');
    expect(info.detail).toContain('~/bin/get-key.sh');
    expect(ids(helper.fs)).not.toContain('key.missing');

    const withLogin = run(disc({ apiKeyHelper: HELPER, credentialsFile: LOGIN }), 'claude-code');
    expect(withLogin.by('claude-code').usesSubscriptionLogin).toBe(false);
    const warn = one(withLogin.fs, 'env.api_key_helper');
    expect(warn.severity).toBe('warning');
    expect(warn.detail).toMatch(/shadows the subscription login/);

    // Observed 2026-12-04 (Claude Code 2.1.332, fact sheet §6; issue 18): the env key goes out as
    // x-api-key and the helper's output as Bearer, on the same request.
    const beside = run(disc({ apiKeyHelper: HELPER, candidates: [envC(API, fakeKey('api'))] }), 'claude-code');
    expect(beside.by('claude-code')).toMatchObject({ usesApiKeyHelper: true, sendsAs: 'both', secondary: null });
    expect(beside.by('claude-code').credential?.source).toBe(`env:${API}`);
    expect(one(beside.fs, 'env.api_key_helper').detail).toMatch(/its output as Authorization: Bearer beside env:/);
    expect(one(beside.fs, 'header.both')).toMatchObject({ severity: 'warning' });
    const outranked = run(disc({ apiKeyHelper: HELPER, candidates: [envC(AUTH, fakeKey('api'))] }), 'claude-code');
    expect(outranked.by('claude-code')).toMatchObject({ usesApiKeyHelper: false, sendsAs: 'authorization' });
    expect(one(outranked.fs, 'env.api_key_helper').detail).toMatch(/configured but Claude Code does not use it/);
  });

  it('env.oauth_token_override: over a login (warning), outranked (warning), alone (info)', () => {
    const tok = envC(OAUTH, fakeKey('oat'));
    const over = run(disc({ candidates: [tok], credentialsFile: LOGIN }), 'claude-code');
    expect(one(over.fs, 'env.oauth_token_override')).toMatchObject({ severity: 'warning' });
    expect(one(over.fs, 'env.oauth_token_override').detail).toMatch(/instead of the subscription login/);
    const outranked = run(disc({ candidates: [tok, envC(AUTH, fakeKey('api'))] }), 'claude-code');
    expect(one(outranked.fs, 'env.oauth_token_override').detail).toMatch(
      /is set but Claude Code does not use it: env:ANTHROPIC_AUTH_TOKEN/,
    );
    const alone = run(disc({ candidates: [tok] }), 'claude-code');
    expect(one(alone.fs, 'env.oauth_token_override').severity).toBe('info');
    // Not a Claude Code concern for an SDK-only diagnosis.
    expect(ids(run(disc({ candidates: [tok], credentialsFile: LOGIN }), 'sdk').fs)).not.toContain(
      'env.oauth_token_override',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('findings', () => {
  it('"Done when": parent .env with a damaged key, another key in ~/.bashrc, empty ANTHROPIC_API_KEY in the environment', () => {
    const damaged = fakeKey('api').slice(0, 60) + '\u200b' + fakeKey('api').slice(60);
    const parent = dotenvC(API, damaged, 1);
    const bashrc = shellC(API, fakeKey('api'));
    const empty = envC(API, '');
    const d = disc({ candidates: [parent, bashrc, empty], clients: [TS1] });
    const { rs, fs } = run(d, 'auto');

    // Every client's winner: nothing. The empty variable counts as unset and hides ../.env from dotenv;
    // ~/.bashrc is what a new terminal would export.
    for (const r of rs) {
      expect(r.credential, r.label).toBeNull();
      expect(r.shadowed.map((c) => c.source).sort()).toEqual([
        'env:ANTHROPIC_API_KEY',
        'file:../.env:1',
        'file:~/.bashrc:12',
      ]);
    }
    const emptyVar = one(fs, 'env.empty_var');
    expect(emptyVar.detail).toContain(
      'ANTHROPIC_API_KEY is set but empty in the environment; it hides the value in file:../.env:1 from dotenv-loading programs',
    );
    expect(emptyVar.detail).toContain('Claude Code and @anthropic-ai/sdk 1.12.0');
    expect(emptyVar.severity).toBe('error');
    expect(emptyVar.fix).toEqual(['unset ANTHROPIC_API_KEY']);

    const parentF = one(fs, 'env.dotenv_parent');
    expect(parentF.detail).toContain(`ANTHROPIC_API_KEY in file:../.env:1 (${fingerprint(damaged)})`);
    expect(parentF.detail).toMatch(/hidden by the empty env:ANTHROPIC_API_KEY/);
    expect(parentF.severity).toBe('warning');

    const conflict = one(fs, 'env.conflict');
    expect(conflict.detail).toContain(
      `ANTHROPIC_API_KEY in file:~/.bashrc:12 (${fingerprint(bashrc.value)}) exports a different key that a new terminal would use`,
    );
    expect(conflict.detail).toMatch(
      /^Claude Code and @anthropic-ai\/sdk 1.12.0 use no ANTHROPIC_API_KEY \(env:ANTHROPIC_API_KEY is empty\)/,
    );
    expect(conflict.fix[0]).toMatch(/^Edit ~\/\.bashrc line 12:/);
    // all three sources named
    const text = fs.map((f) => f.detail).join('\n');
    for (const s of ['env:ANTHROPIC_API_KEY', 'file:../.env:1', 'file:~/.bashrc:12']) expect(text).toContain(s);
    // env.empty_var is the explanation; no second "missing" finding
    expect(ids(fs)).not.toContain('key.missing');
  });

  it('the same scenario without the empty variable: the SDK may use ../.env; ~/.bashrc was not sourced here', () => {
    const parent = dotenvC(API, fakeKey('api'), 1);
    const d = disc({ candidates: [parent, shellC(API, fakeKey('api'))], clients: [PY] });
    const { by, fs } = run(d, 'auto');
    expect(by('sdk-py').credential).toBe(parent);
    expect(by('claude-code').credential).toBeNull();
    expect(one(fs, 'env.dotenv_parent').detail).toMatch(
      /Python anthropic 0\.121\.0 may use it: nothing nearer supplies ANTHROPIC_API_KEY/,
    );
    const conflicts = only(fs, 'env.conflict');
    const cc = conflicts.find((f) => f.detail.startsWith('Claude Code uses no credential'))!;
    expect(cc.detail).toContain(
      'is exported in ~/.bashrc but not in this environment: the file was not sourced here (non-interactive shell, IDE, cron, Docker, CI)',
    );
    expect(cc.severity).toBe('error'); // Claude Code has nothing
    const py = conflicts.find((f) => f.detail.startsWith('Python anthropic'))!;
    expect(py.severity).toBe('warning');
    expect(py.fix[0]).toMatch(/^source ~\/\.bashrc/);
  });

  it('env.conflict: environment vs ~/.bashrc, merged into one finding naming every client concerned', () => {
    const e = envC(AUTH, fakeKey('api'));
    const d = disc({ candidates: [e, shellC(AUTH, fakeKey('api'))] });
    const { fs } = run(d, 'claude-code');
    expect(one(fs, 'env.conflict').detail).toBe(
      `Claude Code uses env:ANTHROPIC_AUTH_TOKEN (${fingerprint(e.value)}); ANTHROPIC_AUTH_TOKEN in file:~/.bashrc:12 (${fingerprint(d.candidates[1]!.value)}) exports a different key that a new terminal would use`,
    );

    const k = envC(API, fakeKey('api'));
    const merged = run(disc({ candidates: [k, shellC(API, fakeKey('api'))], clients: [TS1, PY] }), 'auto');
    const f = one(merged.fs, 'env.conflict');
    expect(f.detail).toMatch(
      /^Claude Code, @anthropic-ai\/sdk 1\.12\.0 and Python anthropic 0\.121\.0 use env:ANTHROPIC_API_KEY/,
    );
    expect(f.severity).toBe('warning');

    // The same key in both places is no conflict.
    expect(ids(run(disc({ candidates: [k, shellC(API, k.value)] }), 'auto').fs)).not.toContain('env.conflict');
  });

  it('env.conflict: dotenv does not override the environment; a settings env block overrides it for Claude Code', () => {
    const e = envC(API, fakeKey('api'));
    const dot = run(disc({ candidates: [e, dotenvC(API, fakeKey('api'))], clients: [PY] }), 'sdk');
    expect(one(dot.fs, 'env.conflict').detail).toMatch(
      /file:\.env:1 .* holds a different key, which dotenv does not load because the environment already sets ANTHROPIC_API_KEY/,
    );

    const set = run(
      disc({ candidates: [e], claudeSettingsEnv: [block('claude-project', { [API]: fakeKey('api') })] }),
      'claude-code',
    );
    const f = one(set.fs, 'env.conflict');
    expect(f.detail).toMatch(
      /^Claude Code uses ANTHROPIC_API_KEY in file:\.claude\/settings\.json .*; env:ANTHROPIC_API_KEY .* is overridden for Claude Code/,
    );
    expect(f.fix[0]).toBe(
      'Edit .claude/settings.json: remove "ANTHROPIC_API_KEY" from "env"   # if Claude Code should use env:ANTHROPIC_API_KEY',
    );
  });

  it('settings env "" cancels the key for Claude Code: an error for Claude Code, key.missing when it is the only client', () => {
    const e = envC(API, fakeKey('api'));
    const d = disc({ candidates: [e], claudeSettingsEnv: [block('claude-user', { [API]: '' })], clients: [TS1] });
    const auto = run(d, 'auto');
    expect(auto.by('claude-code').credential).toBeNull();
    expect(auto.by('sdk-ts-1').credential).toBe(e);
    const c = one(auto.fs, 'env.conflict');
    expect(c.severity).toBe('error');
    expect(c.detail).toMatch(
      /^Claude Code uses no ANTHROPIC_API_KEY \(cancelled by "ANTHROPIC_API_KEY": "" in file:~\/\.claude\/settings\.json\)/,
    );
    expect(ids(auto.fs)).not.toContain('key.missing'); // the SDK has a key

    const cc = run(d, 'claude-code');
    expect(one(cc.fs, 'key.missing').detail).toMatch(/cancelled for Claude Code by "ANTHROPIC_API_KEY": ""/);
    // With a login behind it, the cancel is deliberate and harmless.
    const withLogin = run({ ...d, credentialsFile: LOGIN }, 'claude-code');
    expect(withLogin.by('claude-code').usesSubscriptionLogin).toBe(true);
    expect(ids(withLogin.fs)).not.toContain('key.missing');
  });

  it('env.empty_var: a warning when another credential still reaches the client', () => {
    const { fs } = run(disc({ candidates: [envC(API, ''), envC(AUTH, fakeKey('api'))], clients: [TS1] }), 'sdk');
    const f = one(fs, 'env.empty_var');
    expect(f.severity).toBe('warning');
    expect(f.detail).toMatch(/clients treat it as unset/);
  });

  it('env.wrong_name: near-miss, lower-case and typo names, and stray sk-ant- values', () => {
    const cases: [string, string, string][] = [
      ['CLAUDE_API_KEY', fakeKey('api'), API],
      ['ANTHROPIC_KEY', fakeKey('api'), API],
      ['ANTHROPIC_TOKEN', fakeKey('oat'), OAUTH],
      ['anthropic_api_key', fakeKey('api'), API],
      ['ANTRHOPIC_API_KEY', fakeKey('api'), API],
      ['MY_CLAUDE', fakeKey('api'), API],
    ];
    for (const [name, value, to] of cases) {
      const { fs } = run(disc({ candidates: [envC(name, value)] }), 'auto');
      const f = one(fs, 'env.wrong_name');
      expect(f.detail).toContain(`no client reads ${name}; rename it to ${to}`);
      expect(f.fix[0]).toBe(`export ${to}="$${name}"`);
      expect(f.severity).toBe('error'); // nothing else reaches any client
    }
    const file = run(
      disc({ candidates: [dotenvC('CLAUDE_API_KEY', fakeKey('api'), 0, '.env', 4), envC(API, fakeKey('api'))] }),
      'sdk',
    );
    expect(one(file.fs, 'env.wrong_name')).toMatchObject({
      severity: 'warning',
      fix: ['Edit .env line 4: rename CLAUDE_API_KEY to ANTHROPIC_API_KEY'],
    });
    // Not wrong: real names, Admin keys under custom names, --key-env, Windows' case-insensitive env, empty values
    const fine = [
      envC('ANTHROPIC_ADMIN_KEY', fakeKey('admin')),
      envC('OPS_ADMIN', fakeKey('admin')),
      { ...envC('CI_ANTHROPIC', fakeKey('api')), origin: 'key-env' as const },
      envC('CLAUDE_API_KEY', ''),
      envC('ANTHROPIC_BASE_URL', 'https://x.example'),
    ];
    expect(ids(run(disc({ candidates: fine }), 'auto').fs)).not.toContain('env.wrong_name');
    expect(
      ids(run(disc({ platform: 'win32', candidates: [envC('anthropic_api_key', fakeKey('api'))] }), 'auto').fs),
    ).not.toContain('env.wrong_name');
  });

  it('an API key in ANTHROPIC_AUTH_TOKEN: TS 1.x gets no header.bearer error, Claude Code / 0.x / Python do', () => {
    const k = envC(AUTH, fakeKey('api'));
    const ts1 = run(disc({ candidates: [k], clients: [TS1] }), 'sdk');
    const w = one(ts1.fs, 'header.bearer');
    expect(w.severity).toBe('warning');
    expect(w.detail).toMatch(
      /which the API accepts; Claude Code, Python and @anthropic-ai\/sdk 0\.x would send it as Bearer under 2023-06-01 and fail/,
    );
    expect(w.fix).toEqual(['export ANTHROPIC_API_KEY="$ANTHROPIC_AUTH_TOKEN"', 'unset ANTHROPIC_AUTH_TOKEN']);

    for (const choice of ['claude-code', 'auto'] as const) {
      const { fs } = run(disc({ candidates: [k], clients: [TS1] }), choice);
      const e = one(fs, 'header.bearer');
      expect(e.severity).toBe('error');
      expect(e.detail).toMatch(/^Claude Code sends the API key env:ANTHROPIC_AUTH_TOKEN/);
      expect(e.detail).toMatch(/"Invalid bearer token"/);
      expect(e.detail).not.toMatch(/@anthropic-ai\/sdk 1/);
    }
    const old = run(disc({ candidates: [k], clients: [TS0, PY] }), 'sdk');
    expect(one(old.fs, 'header.bearer').detail).toMatch(
      /^@anthropic-ai\/sdk 0\.120\.0 and Python anthropic 0\.121\.0 send the API key/,
    );
    // Behind a gateway it is a risk, not a certain failure.
    const gw = run(
      disc({ candidates: [k, envC('ANTHROPIC_BASE_URL', 'https://gw.example.com')], clients: [PY] }),
      'sdk',
    );
    expect(one(gw.fs, 'header.bearer').severity).toBe('warning');
    // TS 1.x sends even ANTHROPIC_API_KEY as Bearer: behind a gateway that is a risk worth a warning.
    const ts1gw = run(
      disc({
        candidates: [envC(API, fakeKey('api')), envC('ANTHROPIC_BASE_URL', 'https://gw.example.com')],
        clients: [TS1, TS0],
      }),
      'sdk',
    );
    const g = one(ts1gw.fs, 'header.bearer');
    expect(g).toMatchObject({ severity: 'warning' });
    expect(g.detail).toMatch(
      /^@anthropic-ai\/sdk 1\.12\.0 sends every key as Authorization: Bearer.*reads only x-api-key/,
    );
    expect(ids(run(disc({ candidates: [envC(API, fakeKey('api'))], clients: [TS1] }), 'sdk').fs)).not.toContain(
      'header.bearer',
    );
    // An OAuth token or an unknown gateway token in AUTH_TOKEN is not header.bearer.
    expect(ids(run(disc({ candidates: [envC(AUTH, 'gw-' + 'z'.repeat(30))] }), 'auto').fs)).not.toContain(
      'header.bearer',
    );
  });

  it('both variables set: TS 1.x uses the API key (auth_token_override says so), 0.x and Python send both → header.both', () => {
    const d = disc({ candidates: [envC(API, fakeKey('api')), envC(AUTH, fakeKey('api'))] });
    const ts1 = run({ ...d, clients: [TS1] }, 'sdk');
    expect(ids(ts1.fs)).not.toContain('header.both');
    const o = one(ts1.fs, 'env.auth_token_override');
    expect(o.detail).toMatch(/uses ANTHROPIC_API_KEY and ignores env:ANTHROPIC_AUTH_TOKEN/);
    expect(o.detail).toContain(SDK_BOTH_SET_WARNING);

    const old = run({ ...d, clients: [TS0, PY] }, 'sdk');
    const both = one(old.fs, 'header.both');
    expect(both.severity).toBe('error');
    expect(both.detail).toMatch(
      /^@anthropic-ai\/sdk 0\.120\.0 and Python anthropic 0\.121\.0 send both x-api-key \(env:ANTHROPIC_API_KEY/,
    );
    expect(both.fix[0]).toMatch(/^unset ANTHROPIC_AUTH_TOKEN/);
    const joins = one(old.fs, 'env.auth_token_override').detail;
    expect(joins).toMatch(/in Authorization \(Bearer\) and ANTHROPIC_API_KEY in x-api-key/);
    // Our own prose must survive the redactor unchanged (a long word after "Authorization: Bearer"
    // reads as a token to it).
    expect(createRedactor({ secrets: [] })(joins)).toBe(joins);

    // Claude Code 2.1.332 sends both as well (fact sheet §6, observed 2026-12-04; issue 18).
    const cc = run(d, 'claude-code');
    expect(one(cc.fs, 'env.auth_token_override')).toMatchObject({ severity: 'warning' });
    expect(one(cc.fs, 'env.auth_token_override').detail).toMatch(
      /in Authorization \(Bearer\) and ANTHROPIC_API_KEY in x-api-key/,
    );
    expect(one(cc.fs, 'header.both').detail).toMatch(
      /^Claude Code sends both x-api-key \(env:ANTHROPIC_API_KEY.*not known/,
    );

    // Same value in both: one credential, no header.both.
    const k = fakeKey('api');
    expect(ids(run(disc({ candidates: [envC(API, k), envC(AUTH, k)], clients: [PY] }), 'sdk').fs)).not.toContain(
      'header.both',
    );
  });

  it('header.oauth_beta: an sk-ant-oat01 token in ANTHROPIC_AUTH_TOKEN goes out without the beta', () => {
    const t = envC(AUTH, fakeKey('oat'));
    const { fs } = run(disc({ candidates: [t], clients: [TS1, PY] }), 'auto');
    const f = one(fs, 'header.oauth_beta');
    expect(f.severity).toBe('error');
    expect(f.detail).toMatch(
      /^Claude Code, @anthropic-ai\/sdk 1\.12\.0 and Python anthropic 0\.121\.0 send the OAuth token/,
    );
    expect(f.detail).toContain('"OAuth authentication is currently not supported."');
    expect(f.fix.some((x) => x.startsWith('export CLAUDE_CODE_OAUTH_TOKEN="$ANTHROPIC_AUTH_TOKEN"'))).toBe(true);
    expect(f.fix.some((x) => x.startsWith('export ANTHROPIC_CUSTOM_HEADERS="anthropic-beta: oauth-2025-04-20"'))).toBe(
      true,
    );
    // The same token in CLAUDE_CODE_OAUTH_TOKEN is fine for Claude Code.
    expect(ids(run(disc({ candidates: [envC(OAUTH, t.value)] }), 'claude-code').fs)).not.toContain('header.oauth_beta');
  });

  it('key.missing: nothing anywhere, an error naming where to set it', () => {
    const { fs } = run(disc(), 'auto');
    const f = one(fs, 'key.missing');
    expect(f.severity).toBe('error');
    expect(f.detail).toMatch(
      /No credential reaches Claude Code, @anthropic-ai\/sdk ≥ 1\.0 \(assumed.*\) and Python anthropic/,
    );
    expect(f.fix).toContain('claude /login   # or: export ANTHROPIC_API_KEY=<your key>');
    expect(f.fix.some((x) => x.includes('./.env'))).toBe(true);
    expect(one(run(disc(), 'curl').fs, 'key.missing').fix).toEqual(['export ANTHROPIC_API_KEY=<your key>']);
    expect(one(run(disc({ platform: 'win32' }), 'curl').fs, 'key.missing').fix).toEqual([
      '$env:ANTHROPIC_API_KEY = "<your key>"',
    ]);
  });

  it('key.missing: says where keys exist that do not reach (unsourced shell file, a .env curl does not load)', () => {
    const { fs } = run(
      disc({ candidates: [shellC(API, fakeKey('api'), 3, '.zshrc'), dotenvC(API, fakeKey('api'))] }),
      'curl',
    );
    const f = one(fs, 'key.missing');
    expect(f.detail).toMatch(
      /file:~\/\.zshrc:3 .* is exported in ~\/\.zshrc but not in this environment: the file was not sourced here/,
    );
    expect(f.detail).toMatch(/file:\.env:1 .* is in a dotenv file curl does not load/);
    expect(f.fix[0]).toMatch(/^source ~\/\.zshrc/);
    expect(ids(fs)).not.toContain('env.conflict'); // key.missing already names the unsourced file
    // A --key-env credential is the user's own pick: no key.missing.
    expect(
      ids(run(disc({ candidates: [{ ...envC('CI_KEY', fakeKey('api')), origin: 'key-env' }] }), 'curl').fs),
    ).not.toContain('key.missing');
  });

  it('a shell-file key that would outrank what Claude Code uses now is reported', () => {
    const { fs } = run(disc({ credentialsFile: LOGIN, candidates: [shellC(API, fakeKey('api'))] }), 'claude-code');
    const f = one(fs, 'env.conflict');
    expect(f.severity).toBe('warning');
    expect(f.detail).toMatch(
      /^Claude Code uses the subscription login \(max\) from file:~\/\.claude\/\.credentials\.json; ANTHROPIC_API_KEY in file:~\/\.bashrc:12/,
    );
  });

  it('fix commands: settings files and shell files are edited, Windows gets PowerShell', () => {
    const s = run(disc({ claudeSettingsEnv: [block('claude-project', { [AUTH]: fakeKey('api') })] }), 'claude-code');
    expect(one(s.fs, 'env.auth_token_override').fix).toEqual([
      'Edit .claude/settings.json: remove "ANTHROPIC_AUTH_TOKEN" from "env"',
    ]);
    expect(one(s.fs, 'header.bearer').fix).toEqual([
      'Edit .claude/settings.json: rename "ANTHROPIC_AUTH_TOKEN" to "ANTHROPIC_API_KEY" in "env"',
    ]);
    const w = run(disc({ platform: 'win32', candidates: [envC(API, ''), dotenvC(API, fakeKey('api'))] }), 'sdk');
    expect(one(w.fs, 'env.empty_var').fix).toEqual(['Remove-Item Env:ANTHROPIC_API_KEY']);
  });

  it('the same situation for several clients is one finding, never two', () => {
    const d = disc({
      candidates: [
        envC(API, ''),
        dotenvC(API, fakeKey('api'), 1),
        shellC(API, fakeKey('api')),
        envC('CLAUDE_API_KEY', fakeKey('api')),
      ],
      clients: ALL_SDKS,
    });
    const { fs } = run(d, 'auto');
    const keys = fs.map((f) => `${f.id}\u0000${f.detail}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(only(fs, 'env.empty_var')).toHaveLength(1);
    expect(only(fs, 'env.wrong_name')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------

describe('property: one winner per client, never one it lists as shadowed', () => {
  const POOL = [fakeKey('api'), fakeKey('api'), fakeKey('oat'), fakeKey('admin'), '', '  ', fakeKey('api') + '\n'];
  const NAMES = [API, AUTH, OAUTH, 'CLAUDE_API_KEY', 'ANTHROPIC_BASE_URL'];
  const ORIGINS = [
    'env',
    'dotenv0',
    'dotenv0local',
    'dotenv1',
    'shell',
    'claude-user',
    'claude-project',
    'claude-local',
    'claude-managed',
  ] as const;
  const source = fc.record({
    name: fc.constantFrom(...NAMES),
    origin: fc.constantFrom(...ORIGINS),
    value: fc.nat(POOL.length - 1),
  });

  function build(
    srcs: { name: string; origin: (typeof ORIGINS)[number]; value: number }[],
    extra: { login: boolean; helper: boolean; bedrock: boolean; clients: ClientInfo[]; win: boolean },
  ): Discovery {
    const d = disc({ clients: extra.clients, platform: extra.win ? 'win32' : 'linux' });
    const blocks = new Map<SourceOrigin, Record<string, string>>();
    srcs.forEach((s, i) => {
      const value = POOL[s.value]!;
      if (s.origin === 'env') {
        if (!d.candidates.some((c) => c.source === `env:${s.name}`)) d.candidates.push(envC(s.name, value));
      } else if (s.origin === 'dotenv0') d.candidates.push(dotenvC(s.name, value, 0, '.env', i + 1));
      else if (s.origin === 'dotenv0local') d.candidates.push(dotenvC(s.name, value, 0, '.env.local', i + 1));
      else if (s.origin === 'dotenv1') d.candidates.push(dotenvC(s.name, value, 1, '.env', i + 1));
      else if (s.origin === 'shell') d.candidates.push(shellC(s.name, value, i + 1));
      else blocks.set(s.origin, { ...(blocks.get(s.origin) ?? {}), [s.name]: value });
    });
    d.claudeSettingsEnv = [...blocks].map(([origin, env]) => block(origin, env));
    if (extra.login) d.credentialsFile = LOGIN;
    if (extra.helper) d.apiKeyHelper = HELPER;
    if (extra.bedrock) d.env = { CLAUDE_CODE_USE_BEDROCK: '1' };
    return d;
  }

  it('holds for random subsets of sources', () => {
    fc.assert(
      fc.property(
        fc.array(source, { maxLength: 10 }),
        fc.record({
          login: fc.boolean(),
          helper: fc.boolean(),
          bedrock: fc.boolean(),
          clients: fc.subarray(ALL_SDKS),
          win: fc.boolean(),
        }),
        fc.constantFrom<ClientChoice>('auto', 'sdk', 'claude-code', 'curl', 'other'),
        (srcs, extra, choice) => {
          const d = build(srcs, extra);
          const rs = resolveClients(d, choice);
          expect(rs.map((r) => r.client)).toEqual(clientModels(d, choice).map((c) => c.model));
          const key = (c: Candidate) => `${c.source}\u0000${c.name}`;
          const known = new Set([
            ...d.candidates.map(key),
            ...d.claudeSettingsEnv.flatMap((b) => Object.keys(b.env).map((n) => `${b.source}\u0000${n}`)),
            ...Object.keys(d.env).map((n) => `env:${n}\u0000${n}`),
          ]);
          for (const r of rs) {
            const shadowed = new Set(r.shadowed.map(key));
            expect(shadowed.size).toBe(r.shadowed.length); // listed once each
            const used = [r.credential, r.secondary].filter((c): c is Candidate => c !== null);
            for (const c of used) {
              expect(known.has(key(c))).toBe(true);
              expect(shadowed.has(key(c))).toBe(false);
              expect(r.trims ? c.value.trim() : c.value).not.toBe('');
            }
            if (r.secondary) expect(key(r.secondary)).not.toBe(key(r.credential!));
            if (r.credential && r.provider === 'anthropic')
              expect(effectiveEnv(d, r.client).get(r.credential.name)).toEqual(r.credential);
            // Exactly one way of authenticating, or none — except Claude Code's env key beside the
            // apiKeyHelper's output, both on one request (observed 2026-12-04, fact sheet §6).
            const ways = [r.credential !== null, r.usesApiKeyHelper, r.usesSubscriptionLogin].filter(Boolean).length;
            if (r.client === 'claude-code' && r.credential && r.usesApiKeyHelper) expect(r.sendsAs).toBe('both');
            else expect(ways).toBeLessThanOrEqual(1);
          }
          const fs = precedenceFindings(d, rs);
          const ks = fs.map((f) => `${f.id}\u0000${f.detail}`);
          expect(new Set(ks).size).toBe(ks.length);
          expectNoSecrets(
            { fs, notes: rs.map((r) => r.note) },
            POOL.filter((v) => v.length > 12),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
