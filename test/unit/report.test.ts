import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PRESET, secretlintMessages, STANDALONE } from '../helpers/secretlint.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../source/core/credential.js';
import { finding } from '../../source/core/findings.js';
import { createRedactor } from '../../source/core/redact.js';
import { leakedWindow } from '../helpers/leak.js';
import { curlFor, toJson, toMarkdown, verifyCommand } from '../../source/core/report.js';
import type {
  Candidate,
  ClientInfo,
  Diagnosis,
  EnvironmentInfo,
  ProbeResult,
  Resolution,
  StepResult,
} from '../../source/core/types.js';
import { fakeKey, type FakeKind } from '../../source/emulator/keys.js';
import { prng } from '../helpers/discovery.js';

// ---------------------------------------------------------------------------------------------
// Hand-built fixtures

const HOME = '/home/alex';
const identity = (s: string) => s;
const noSecrets = createRedactor({ secrets: [], home: HOME });

function env(over: Partial<EnvironmentInfo> = {}): EnvironmentInfo {
  return {
    toolVersion: '0.1.0',
    os: 'Linux 6.1.0 x64',
    node: 'v20.20.2',
    shell: 'bash',
    terminal: 'xterm-256color',
    ci: false,
    proxy: null,
    claudeCodeVersion: '2.1.330',
    timezone: 'Europe/Berlin',
    ...over,
  };
}

function candidate(name: string, value: string, source = `env:${name}`): Candidate {
  return { source, origin: 'env', name, value };
}

function probe(over: Partial<ProbeResult> = {}): ProbeResult {
  return {
    method: 'GET',
    url: 'https://api.anthropic.com/v1/models',
    purpose: 'models',
    status: 200,
    requestId: 'req_011CValidRequest0001',
    errorType: null,
    errorMessage: null,
    bodySnippet: '',
    contentType: 'application/json',
    anthropicEnvelope: false,
    retryAfterSeconds: null,
    network: null,
    ms: 183,
    attempts: 1,
    at: '2026-11-23T16:40:10.000Z',
    sentAs: 'x-api-key',
    anthropicVersion: '2023-06-01',
    oauthBeta: false,
    ...over,
  };
}

function resolution(over: Partial<Resolution> & Pick<Resolution, 'client' | 'label'>): Resolution {
  return {
    assumed: false,
    credential: null,
    credentialKind: 'api_key',
    sendsAs: 'x-api-key',
    secondary: null,
    anthropicVersion: '2023-06-01',
    oauthBeta: false,
    trims: false,
    baseUrl: null,
    customHeaders: {},
    provider: 'anthropic',
    usesSubscriptionLogin: false,
    usesApiKeyHelper: false,
    shadowed: [],
    note: 'ANTHROPIC_API_KEY from env:ANTHROPIC_API_KEY, sent as x-api-key',
    ...over,
  };
}

const sdkTs1 = (credential: Candidate | null): Resolution =>
  resolution({
    client: 'sdk-ts-1',
    label: '@anthropic-ai/sdk 1.12.0',
    credential,
    sendsAs: 'authorization',
    anthropicVersion: '2026-10-21',
    trims: true,
  });
const sdkPy = (credential: Candidate | null): Resolution =>
  resolution({ client: 'sdk-py', label: 'Python anthropic 1.13.0', credential });
const claudeCode = (credential: Candidate | null): Resolution =>
  resolution({ client: 'claude-code', label: 'Claude Code', credential });

const TS_CLIENT: ClientInfo = {
  name: '@anthropic-ai/sdk',
  version: '1.12.0',
  source: 'file:node_modules/@anthropic-ai/sdk/package.json',
  how: 'installed',
  sends: 'authorization',
  model: 'sdk-ts-1',
};
const PY_CLIENT: ClientInfo = {
  name: 'anthropic',
  version: '1.13.0',
  source: 'file:uv.lock',
  how: 'locked',
  sends: 'x-api-key',
  model: 'sdk-py',
};

const steps = (status: StepResult['status']): StepResult[] =>
  (['key_format', 'activation', 'header', 'scope', 'workspace', 'provider'] as const).map((id) => ({
    id,
    status,
    note: `${id} ${status}`,
  }));

function diagnosis(key: string, over: Partial<Diagnosis> = {}): Diagnosis {
  const cand = candidate('ANTHROPIC_API_KEY', key);
  const fp = fingerprint(key);
  return {
    verdict: 'ok',
    summary: 'The key works.',
    credential: { source: cand.source, kind: 'api_key', fingerprint: fp },
    clients: [PY_CLIENT],
    sources: [{ source: cand.source, name: cand.name, kind: 'api_key', fingerprint: fp, usedBy: ['sdk-py'] }],
    resolutions: [sdkPy(cand)],
    steps: steps('pass'),
    findings: [finding('key.valid', 'GET /v1/models answered 200.')],
    probes: [probe({ organizationId: 'org-uuid-1', workspaceId: 'wrkspc_01ABC' })],
    pasted: null,
    answers: [],
    environment: env(),
    notes: [],
    startedAt: '2026-11-23T16:40:09.000Z',
    finishedAt: '2026-11-23T16:40:12.000Z',
    apiUrl: 'https://api.anthropic.com',
    model: null,
    ...over,
  };
}

/** An invalid key, found in the environment and in ~/.bashrc (same key), plus another key in .env. */
function invalidDiagnosis(key = fakeKey('api'), other = fakeKey('api')): Diagnosis {
  const fp = fingerprint(key);
  return diagnosis(key, {
    verdict: 'problem',
    summary: 'The API rejects this key: create a new one.',
    sources: [
      {
        source: 'env:ANTHROPIC_API_KEY',
        name: 'ANTHROPIC_API_KEY',
        kind: 'api_key',
        fingerprint: fp,
        usedBy: ['sdk-py'],
      },
      { source: 'file:~/.bashrc:12', name: 'ANTHROPIC_API_KEY', kind: 'api_key', fingerprint: fp, usedBy: [] },
      {
        source: 'file:.env:3',
        name: 'ANTHROPIC_API_KEY',
        kind: 'api_key',
        fingerprint: fingerprint(other),
        usedBy: [],
      },
    ],
    steps: [
      ...steps('pass').slice(0, 1),
      { id: 'activation', status: 'fail', note: '401 invalid x-api-key' },
      ...steps('skip').slice(2),
    ],
    findings: [
      finding('key.invalid', 'GET /v1/models answered 401 authentication_error "invalid x-api-key".'),
      finding('env.conflict', 'Two different keys: env and .env.', { fix: ['unset ANTHROPIC_API_KEY'] }),
    ],
    probes: [
      probe({
        status: 401,
        requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
        errorType: 'authentication_error',
        errorMessage: 'invalid x-api-key',
        anthropicEnvelope: true,
      }),
      probe({
        purpose: 'alt_header',
        status: 401,
        requestId: 'req_011CSecondProbe0002',
        errorType: 'authentication_error',
        errorMessage: 'Invalid bearer token',
        sentAs: 'authorization',
      }),
    ],
  });
}

function networkDiagnosis(): Diagnosis {
  return diagnosis(fakeKey('api'), {
    verdict: 'inconclusive',
    summary: 'The API did not answer in time.',
    steps: steps('skip'),
    findings: [finding('network.timeout', 'No answer from api.anthropic.com within 10000 ms.')],
    probes: [
      probe({
        status: null,
        requestId: null,
        network: { kind: 'timeout', code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect Timeout Error' },
        ms: 10004,
        attempts: 3,
      }),
    ],
  });
}

function offlineDiagnosis(): Diagnosis {
  return diagnosis(fakeKey('api'), {
    verdict: 'inconclusive',
    summary: 'Not verified (--no-network).',
    steps: steps('skip'),
    findings: [],
    probes: [],
  });
}

function pastedDiagnosis(): Diagnosis {
  return {
    ...invalidDiagnosis(),
    pasted: {
      status: 401,
      requestId: 'req_011CPastedError00003',
      errorType: 'authentication_error',
      errorMessage: 'invalid x-api-key',
      form: 'sdk-py',
    },
    answers: [{ id: 'client', question: 'Which program gets the 401?', answer: 'Python SDK' }],
    notes: ['~/.zshrc could not be read: permission denied'],
  };
}

function multiClientDiagnosis(first: 'ts' | 'py', key = fakeKey('api')): Diagnosis {
  const cand = candidate('ANTHROPIC_API_KEY', key);
  const ts = sdkTs1(cand);
  const py = sdkPy(cand);
  return diagnosis(key, {
    clients: [TS_CLIENT, PY_CLIENT],
    resolutions: first === 'ts' ? [ts, py, claudeCode(cand)] : [py, ts, claudeCode(cand)],
    sources: [
      {
        source: cand.source,
        name: cand.name,
        kind: 'api_key',
        fingerprint: fingerprint(key),
        usedBy: ['sdk-ts-1', 'sdk-py', 'claude-code'],
      },
    ],
  });
}

const SECTIONS = [
  '# Claude API 401 diagnosis',
  '## Summary',
  '## What was checked',
  '## Findings',
  '## Credentials found',
  '## Live checks',
  '## Your answers',
  '## Environment',
  '## For support',
];

function section(md: string, title: string): string {
  const start = md.indexOf(`\n## ${title}\n`);
  expect(start, `section ${title}`).toBeGreaterThanOrEqual(0);
  const end = md.indexOf('\n## ', start + 4);
  return md.slice(start, end === -1 ? undefined : end);
}

// ---------------------------------------------------------------------------------------------
// JSON

describe('toJson', () => {
  it('has exactly the contract fields with the contract types', () => {
    const d = pastedDiagnosis();
    const doc = toJson(d, noSecrets);
    // The contract's fields, plus `notes` (what the diagnosis could not see: unreadable files, missing places).
    expect(Object.keys(doc).sort()).toEqual(
      [
        'clients',
        'credential',
        'findings',
        'notes',
        'pasted',
        'probes',
        'schemaVersion',
        'sources',
        'steps',
        'summary',
        'tool',
        'verdict',
      ].sort(),
    );
    expect(doc.notes).toEqual(d.notes);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: 'claude-401-wizard', version: '0.1.0' });
    expect(doc.verdict).toBe('problem');
    expect(typeof doc.summary).toBe('string');
    expect(doc.credential).toEqual({
      source: 'env:ANTHROPIC_API_KEY',
      kind: 'api_key',
      fingerprint: d.credential!.fingerprint,
    });
    expect(doc.clients).toEqual([
      { name: 'anthropic', version: '1.13.0', source: 'file:uv.lock', sends: 'x-api-key', via: null },
    ]);
    for (const s of doc.sources) {
      expect(Object.keys(s).sort()).toEqual(['fingerprint', 'kind', 'name', 'source', 'usedBy']);
      expect(Array.isArray(s.usedBy)).toBe(true);
    }
    expect(doc.sources.map((s) => s.source)).toEqual(['env:ANTHROPIC_API_KEY', 'file:~/.bashrc:12', 'file:.env:3']);
    for (const s of doc.steps) {
      expect(Object.keys(s).sort()).toEqual(['id', 'note', 'status']);
      expect(['pass', 'warn', 'fail', 'skip']).toContain(s.status);
    }
    for (const f of doc.findings) {
      expect(Object.keys(f).sort()).toEqual(['detail', 'fix', 'id', 'severity', 'step', 'title']);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.fix.every((x) => typeof x === 'string')).toBe(true);
    }
    expect(doc.findings[0]!.id).toBe('key.invalid');
    expect(doc.probes[0]).toEqual({
      method: 'GET',
      url: 'https://api.anthropic.com/v1/models',
      status: 401,
      requestId: 'req_011CSHoEeqs5C35K2UUqR7Fy',
      errorType: 'authentication_error',
      errorMessage: 'invalid x-api-key',
      ms: 183,
      purpose: 'models',
      at: '2026-11-23T16:40:10.000Z',
    });
    expect(doc.pasted).toEqual({
      status: 401,
      requestId: 'req_011CPastedError00003',
      errorType: 'authentication_error',
      errorMessage: 'invalid x-api-key',
      form: 'sdk-py',
    });
  });

  it('carries organizationId / workspaceId only when the answer named them; no credential is null', () => {
    const doc = toJson(diagnosis(fakeKey('api'), { credential: null }), noSecrets);
    expect(doc.probes[0]).toMatchObject({ organizationId: 'org-uuid-1', workspaceId: 'wrkspc_01ABC' });
    expect(doc.credential).toBeNull();
    expect(doc.pasted).toBeNull();
    expect('organizationId' in toJson(invalidDiagnosis(), noSecrets).probes[0]!).toBe(false);
  });

  it('lists a request that got no answer with status null and the error in errorMessage', () => {
    const doc = toJson(networkDiagnosis(), noSecrets);
    expect(doc.verdict).toBe('inconclusive');
    expect(doc.probes[0]).toMatchObject({ status: null, requestId: null, ms: 10004 });
    expect(doc.probes[0]!.errorMessage).toContain('Connect Timeout Error');
    expect(toJson(offlineDiagnosis(), noSecrets).probes).toEqual([]);
  });

  it('passes every string field through the redactor, and nothing else', () => {
    const doc = toJson(pastedDiagnosis(), (s) => `<${s}>`);
    const strings: string[] = [];
    const numbers: unknown[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
      else numbers.push(v);
    };
    walk(doc);
    expect(strings.length).toBeGreaterThan(40);
    for (const s of strings) expect(s).toMatch(/^<.*>$/s);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.probes[0]!.status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------
// Markdown

describe('toMarkdown', () => {
  it('has every section, the request ids, the fingerprints and the generated time in UTC and local time', () => {
    const d = pastedDiagnosis();
    const md = toMarkdown(d, noSecrets);
    for (const s of [...SECTIONS, '## Pasted error', '## Rotation guide', '## Notes']) expect(md).toContain(s);
    expect(md).toContain('Generated 2026-11-23 16:40:12 UTC (17:40:12 Europe/Berlin)');
    for (const id of ['req_011CSHoEeqs5C35K2UUqR7Fy', 'req_011CSecondProbe0002', 'req_011CPastedError00003']) {
      expect(section(md, 'Live checks') + section(md, 'Pasted error')).toContain(id);
      expect(section(md, 'For support')).toContain(id);
    }
    for (const s of d.sources) expect(section(md, 'Credentials found')).toContain(s.fingerprint);
    expect(section(md, 'Credentials found')).toContain('file:~/.bashrc:12');
    expect(section(md, 'Your answers')).toContain('Python SDK');
    expect(section(md, 'Notes')).toContain('~/.zshrc could not be read');
  });

  it('lists a probe sent ahead and not used, marked, and never takes its error for the failure', () => {
    const guess = probe({
      method: 'POST',
      url: 'https://api.anthropic.com/v1/messages/count_tokens',
      purpose: 'count_tokens',
      status: 404,
      requestId: 'req_011CUnusedGuess000009',
      errorType: 'not_found_error',
      errorMessage: 'model: claude-guess',
      unused: true,
    });
    const used = probe({ url: 'https://api.anthropic.com/v1/messages/count_tokens', purpose: 'count_tokens' });
    const d = diagnosis(fakeKey('api'), { probes: [probe(), used, guess] });
    const md = toMarkdown(d, noSecrets);
    expect(section(md, 'Live checks')).toMatch(/count_tokens \(count_tokens, sent ahead, not used\).*\| 404 \|/);
    expect(section(md, 'For support')).not.toContain('model: claude-guess');
    const json = toJson(d, noSecrets) as { probes: { status: number | null; unused?: boolean }[] };
    expect(json.probes.map((p) => [p.status, p.unused ?? false])).toEqual([
      [200, false],
      [200, false],
      [404, true],
    ]);
  });

  it('puts the verdict, the cause and the fixes (errors first, commands as code) on the first screen', () => {
    const d = diagnosis(fakeKey('api'), {
      verdict: 'problem',
      summary: 'ANTHROPIC_AUTH_TOKEN overrides your key.',
      findings: [
        finding('env.auth_token_override', 'ANTHROPIC_AUTH_TOKEN is set in env.'),
        finding('key.whitespace', 'The key ends with a line break.'),
        ...Array.from({ length: 12 }, (_, i) =>
          finding('env.conflict', `conflict ${i}`, { fix: [`Step number ${i}`] }),
        ),
      ],
    });
    const md = toMarkdown(d, noSecrets);
    const summary = md.slice(0, md.indexOf('## What was checked'));
    expect(summary.split('\n').length).toBeLessThanOrEqual(24);
    expect(summary).toContain('Problem found');
    expect(summary).toContain('ANTHROPIC_AUTH_TOKEN overrides your key.');
    expect(summary).toMatch(/1\. Re-paste the key as plain text/);
    expect(summary).toContain('`unset ANTHROPIC_AUTH_TOKEN`');
    expect(summary.indexOf('Re-paste')).toBeLessThan(summary.indexOf('unset ANTHROPIC_AUTH_TOKEN'));
    expect(summary).toMatch(/more steps under Findings/);
    // Every fix is still in the report, under Findings.
    expect(section(md, 'Findings')).toContain('Step number 11');
  });

  it('shows each step with its mark, and escapes pipes, backticks and control sequences in table cells', () => {
    const d = diagnosis(fakeKey('api'), {
      steps: [
        { id: 'key_format', status: 'pass', note: 'ok' },
        { id: 'activation', status: 'warn', note: 'a | b `c`' },
        { id: 'header', status: 'fail', note: 'bad \u001b[31mred\u001b[0m\nnext' },
        { id: 'scope', status: 'skip', note: 'skipped' },
      ],
    });
    const table = section(toMarkdown(d, noSecrets), 'What was checked');
    expect(table).toContain('| ✓ | Key format | ok |');
    expect(table).toContain('| ! | Activation | a \\| b \\`c\\` |');
    expect(table).toMatch(/\| ✗ \| Header \| bad red next \|/);
    expect(table).toContain('| – | Scope | skipped |');
    expect(table).not.toContain('\u001b');
  });

  it('lists each client with the credential it uses, header style, version and trimming', () => {
    const md = toMarkdown(multiClientDiagnosis('ts'), noSecrets);
    const creds = section(md, 'Credentials found');
    expect(creds).toMatch(
      new RegExp(
        '\\| @anthropic-ai\\/sdk 1\\.12\\.0 \\| ANTHROPIC_API_KEY from env:ANTHROPIC_API_KEY, ' +
          'sk-ant-api03-…\\S{4} \\(108 chars\\) ' +
          '\\| Authorization: Bearer \\| 2026-10-21 \\| yes \\|',
      ),
    );
    expect(creds).toMatch(/\| Python anthropic 1\.13\.0 \| .* \| x-api-key \| 2023-06-01 \| no \|/);
    expect(creds).toContain('| Claude Code |');
    const envSection = section(md, 'Environment');
    expect(envSection).toContain(
      '@anthropic-ai/sdk 1.12.0 (installed, file:node_modules/@anthropic-ai/sdk/package.json): ' +
        'sends Authorization: Bearer',
    );
    expect(envSection).toContain('anthropic 1.13.0 (locked, file:uv.lock): sends x-api-key');
    expect(envSection).toContain('Claude Code: 2.1.330');
  });

  it('shows live checks with status or network error, and says so when none ran', () => {
    const live = section(toMarkdown(invalidDiagnosis(), noSecrets), 'Live checks');
    expect(live).toMatch(
      new RegExp(
        '\\| 2026-11-23 16:40:10 UTC \\| GET https:\\/\\/api\\.anthropic\\.com\\/v1\\/models \\(models\\) ' +
          '\\| 401 \\| req_011CSHoEeqs5C35K2UUqR7Fy \\| authentication_error: invalid x-api-key \\| – \\| 183 ms \\|',
      ),
    );
    const net = section(toMarkdown(networkDiagnosis(), noSecrets), 'Live checks');
    expect(net).toContain('no answer');
    expect(net).toContain('timeout (UND_ERR_CONNECT_TIMEOUT): Connect Timeout Error');
    expect(net).toContain('(3 attempts)');
    expect(section(toMarkdown(offlineDiagnosis(), noSecrets), 'Live checks')).toContain(
      'No live checks were run (--no-network).',
    );
    const nothing = { ...offlineDiagnosis(), credential: null, sources: [], resolutions: [claudeCode(null)] };
    expect(section(toMarkdown(nothing, noSecrets), 'Live checks')).toContain(
      'No live checks were run: no client uses a credential',
    );
    expect(section(toMarkdown(diagnosis(fakeKey('api')), noSecrets), 'Live checks')).toContain(
      'org-uuid-1 / wrkspc_01ABC',
    );
  });

  it(
    'adds the rotation guide for invalid, expired, inactive and leaked keys only, ' + 'listing where the key is used',
    () => {
      for (const id of ['key.invalid', 'key.expired', 'key.inactive'] as const) {
        const md = toMarkdown({ ...invalidDiagnosis(), findings: [finding(id, 'x')] }, noSecrets);
        const guide = section(md, 'Rotation guide');
        expect(guide.indexOf('Create a new key')).toBeLessThan(guide.indexOf('Revoke the old key'));
        expect(guide).toContain('`env:ANTHROPIC_API_KEY`');
        expect(guide).toContain('`file:~/.bashrc:12`');
        expect(guide).not.toContain('file:.env:3'); // holds a different key
        expect(guide).toMatch(/Verify/);
      }
      const leaked = section(
        toMarkdown({ ...invalidDiagnosis(), findings: [finding('key.leaked', 'in config.py')] }, noSecrets),
        'Rotation guide',
      );
      expect(leaked).toMatch(/^1\. \*\*Revoke the old key FIRST\*\*/m);
      expect(leaked.indexOf('FIRST')).toBeLessThan(leaked.indexOf('Create a new key'));
      // With a leak and an invalid key together, the summary too starts with revoking.
      const both = toMarkdown(
        { ...invalidDiagnosis(), findings: [finding('key.invalid', 'x'), finding('key.leaked', 'in config.py')] },
        noSecrets,
      );
      const summary = section(both, 'Summary');
      expect(summary).toMatch(/^1\. Revoke the key first/m);
      expect(summary.indexOf('Revoke the key first')).toBeLessThan(summary.indexOf('Create a new key'));
      expect(toMarkdown(diagnosis(fakeKey('api')), noSecrets)).not.toContain('## Rotation guide');
      expect(toMarkdown(networkDiagnosis(), noSecrets)).not.toContain('## Rotation guide');
    },
  );

  it('gives support the request shape and the known-good verification command', () => {
    const d = pastedDiagnosis();
    const support = section(toMarkdown(d, noSecrets), 'For support');
    expect(support).toContain(curlFor(d));
    expect(support).toContain(verifyCommand(d));
    expect(support).toContain('`invalid x-api-key`');
    expect(support).toContain('HTTP status: 401');
    expect(support).toContain('anthropic 1.13.0');
    expect(support).toContain('When: 2026-11-23 16:40:10 UTC (17:40:10 Europe/Berlin) (the failing check)');
    expect(section(toMarkdown(offlineDiagnosis(), noSecrets), 'For support')).toContain(
      'When: 2026-11-23 16:40:12 UTC (17:40:12 Europe/Berlin) (this diagnosis)',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// curl

describe('curlFor / verifyCommand', () => {
  it('SDK 1.x: every key as Authorization: Bearer with anthropic-version 2026-10-21', () => {
    const curl = curlFor(multiClientDiagnosis('ts'));
    expect(curl).toContain('-H "Authorization: Bearer $ANTHROPIC_API_KEY"');
    expect(curl).toContain('-H "anthropic-version: 2026-10-21"');
    expect(curl).not.toContain('x-api-key');
    expect(curl).toMatch(/^curl -sS 'https:\/\/api\.anthropic\.com\/v1\/models'/);
  });

  it('Python: x-api-key with anthropic-version 2023-06-01', () => {
    const curl = curlFor(multiClientDiagnosis('py'));
    expect(curl).toContain('-H "x-api-key: $ANTHROPIC_API_KEY"');
    expect(curl).toContain('-H "anthropic-version: 2023-06-01"');
    expect(curl).not.toContain('Authorization');
  });

  it('OAuth with beta, two credentials, custom headers withheld, base URL without user-info or query', () => {
    const token = fakeKey('oat');
    const secret = 'hdr-' + fakeKey('api').slice(13, 40);
    const d = diagnosis(fakeKey('api'), {
      resolutions: [
        resolution({
          client: 'claude-code',
          label: 'Claude Code',
          credential: candidate('CLAUDE_CODE_OAUTH_TOKEN', token),
          credentialKind: 'oauth_access',
          sendsAs: 'authorization',
          oauthBeta: true,
          baseUrl: {
            value: `https://user:${secret}@gateway.example/anthropic/?token=${secret}`,
            source: 'env:ANTHROPIC_BASE_URL',
          },
          customHeaders: { 'anthropic-workspace-id': 'wrkspc_01ABC', 'x-gateway-key': secret },
        }),
      ],
    });
    const curl = curlFor(d);
    expect(curl).toContain("curl -sS 'https://gateway.example/anthropic/v1/models'");
    expect(curl).toContain('-H "Authorization: Bearer $CLAUDE_CODE_OAUTH_TOKEN"');
    expect(curl).toContain('-H "anthropic-beta: oauth-2025-04-20"');
    expect(curl).toContain("-H 'x-gateway-key: <redacted>'");
    expect(curl).not.toContain(secret);
    expect(curl).not.toContain(token);

    const both = curlFor(
      diagnosis(fakeKey('api'), {
        resolutions: [sdkPy(candidate('ANTHROPIC_API_KEY', fakeKey('api')))].map((r) => ({
          ...r,
          sendsAs: 'both' as const,
          secondary: candidate('ANTHROPIC_AUTH_TOKEN', fakeKey('oat')),
        })),
      }),
    );
    expect(both).toContain('-H "x-api-key: $ANTHROPIC_API_KEY"');
    expect(both).toContain('-H "Authorization: Bearer $ANTHROPIC_AUTH_TOKEN"');
  });

  it.skipIf(process.platform === 'win32' || spawnSync('curl', ['--version']).status !== 0)(
    'the curl command really sends the shape it claims (run against a local server)',
    async () => {
      const seen: { url?: string; headers?: IncomingHttpHeaders }[] = [];
      const server = createServer((req, res) => {
        seen.push({ url: req.url, headers: req.headers });
        res.writeHead(401, { 'content-type': 'application/json' }).end('{}');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const key = fakeKey('api');
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        for (const first of ['ts', 'py'] as const) {
          const d = multiClientDiagnosis(first, key);
          d.resolutions[0] = { ...d.resolutions[0]!, baseUrl: { value: base, source: 'env:ANTHROPIC_BASE_URL' } };
          const { spawn } = await import('node:child_process');
          const child = spawn('bash', ['-c', curlFor(d)], {
            env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: key },
            stdio: 'ignore',
          });
          await once(child, 'exit');
        }
        expect(seen).toHaveLength(2);
        expect(seen[0]!.url).toBe('/v1/models');
        expect(seen[0]!.headers!.authorization).toBe(`Bearer ${key}`);
        expect(seen[0]!.headers!['anthropic-version']).toBe('2026-10-21');
        expect(seen[0]!.headers!['x-api-key']).toBeUndefined();
        expect(seen[1]!.headers!['x-api-key']).toBe(key);
        expect(seen[1]!.headers!['anthropic-version']).toBe('2023-06-01');
        expect(seen[1]!.headers!.authorization).toBeUndefined();
      } finally {
        server.close();
      }
    },
  );

  it('verifyCommand is the known-good check, in the user shell', () => {
    const posix = verifyCommand(invalidDiagnosis());
    expect(posix).toContain(
      'curl -sS https://api.anthropic.com/v1/models -H "x-api-key: $ANTHROPIC_API_KEY" ' +
        '-H "anthropic-version: 2023-06-01"',
    );
    expect(posix).toContain('npx claude-401-wizard check');
    const pwsh = verifyCommand({ ...invalidDiagnosis(), environment: env({ shell: 'pwsh.exe' }) });
    expect(pwsh).toContain('curl.exe -sS https://api.anthropic.com/v1/models -H "x-api-key: $env:ANTHROPIC_API_KEY"');
    expect(verifyCommand({ ...invalidDiagnosis(), environment: env({ shell: 'cmd.exe' }) })).toContain(
      '%ANTHROPIC_API_KEY%',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Secrets: no 8-character window of any secret survives in the Markdown or the JSON

const KINDS: FakeKind[] = ['api', 'admin', 'oat', 'ort', 'sid'];
const SECRETISH = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_./+=!@#%^&*|`~"\' '];

const fakeKeyArb = fc.tuple(fc.constantFrom(...KINDS), fc.integer()).map(([kind, seed]) => fakeKey(kind, prng(seed)));
const secretArb = fc.oneof(
  fakeKeyArb,
  // Keys as they are really mis-pasted (key.whitespace): a line break, quotes, an invisible character inside.
  fc
    .tuple(fakeKeyArb, fc.constantFrom('\n', '\r\n', '"', '\u200b', '\u001b[0m'), fc.nat(100))
    .map(([k, junk, at]) => k.slice(0, at) + junk + k.slice(at)),
  // Random strings: enough distinct characters that an 8-window is not ordinary report text.
  fc
    .string({ unit: fc.constantFrom(...SECRETISH), minLength: 20, maxLength: 80 })
    .filter((s) => new Set(s).size >= 10 && s.trim() === s),
);

/** A diagnosis with the given secrets in every string field that can hold outside text. */
function leakyDiagnosis([a, b, c]: [string, string, string]): Diagnosis {
  const credA = { ...candidate('ANTHROPIC_API_KEY', a, `file:${HOME}/${b}/.env:1`), file: `${HOME}/${b}/.env` };
  const credB = candidate(c, b, `env:${c}`);
  const base = invalidDiagnosis(a);
  return {
    ...base,
    summary: `The key ${a} is rejected`,
    credential: { source: credA.source, kind: 'api_key', fingerprint: fingerprint(a) },
    sources: [
      {
        source: credA.source,
        name: `ANTHROPIC_API_KEY_${c}`,
        kind: 'api_key',
        fingerprint: fingerprint(a),
        usedBy: ['sdk-py'],
      },
      { source: `file:~/.bashrc:${b}`, name: c, kind: 'unknown', fingerprint: fingerprint(b), usedBy: [] },
    ],
    resolutions: [
      {
        ...sdkTs1(credA),
        baseUrl: { value: `https://u:${b}@gw.example/${c}?key=${a}`, source: `file:${HOME}/.zshrc` },
        customHeaders: { 'x-api-key': a, [`x-${'h'}`]: c },
        note: `uses ${a} from ${HOME}/${b}`,
      },
      { ...sdkPy(credB), secondary: credA, sendsAs: 'both', note: `shadowed ${c}` },
    ],
    steps: steps('fail').map((s) => ({ ...s, note: `${s.note} ${a} ${b}` })),
    findings: [
      finding('key.leaked', `The key ${a} is in ${HOME}/project/${c}.py`, {
        fix: [`git rm --cached ${c}.py`, `export ANTHROPIC_API_KEY=${b}`],
      }),
      finding('key.whitespace', `value "${b}\n" has a trailing newline`),
    ],
    probes: [
      probe({
        url: `https://api.anthropic.com/v1/models?key=${a}`,
        status: 401,
        requestId: `req_${c}`,
        errorType: `authentication_error ${b}`,
        errorMessage: `invalid x-api-key: ${a}`,
        bodySnippet: a,
      }),
      probe({
        url: `https://x:${c}@api.anthropic.com/v1/models`,
        status: null,
        network: { kind: 'proxy', code: 'ECONNREFUSED', message: `proxy http://user:${b}@proxy:8080 refused (${c})` },
      }),
    ],
    pasted: {
      status: 401,
      requestId: `req_${b}`,
      errorType: 'authentication_error',
      errorMessage: `Error code: 401 - {'message': 'invalid x-api-key ${a}'}`,
      form: `sdk-py ${c}`,
    },
    answers: [{ id: 'paste', question: `Paste ${c}`, answer: `here it is: ${a}` }],
    environment: env({
      proxy: `http://user:${b}@proxy.corp:8080`,
      shell: c,
      terminal: b,
      os: `Linux ${a}`,
      claudeCodeVersion: c,
    }),
    notes: [`could not read ${HOME}/${b}/.env`, `value ${a}`],
    apiUrl: `https://api.anthropic.com/?key=${c}`,
    model: b,
  };
}

describe('no secret survives (property)', () => {
  it('in the Markdown and the JSON, for generated secrets in every string field', () => {
    fc.assert(
      fc.property(fc.tuple(secretArb, secretArb, secretArb), (secrets) => {
        const d = leakyDiagnosis(secrets);
        const redact = createRedactor({ secrets, home: HOME });
        const md = toMarkdown(d, redact);
        const json = JSON.stringify(toJson(d, redact));
        for (const s of secrets) {
          expect(leakedWindow(md, s), `markdown leaks ${JSON.stringify(s)}`).toBeNull();
          expect(leakedWindow(json, s), `json leaks ${JSON.stringify(s)}`).toBeNull();
        }
        expect(md).not.toContain(`${HOME}/`);
      }),
      { numRuns: 200 },
    );
  });

  it('is a real check: without the redactor the same diagnosis leaks', () => {
    const secrets: [string, string, string] = [
      fakeKey('api'),
      fakeKey('oat'),
      'Zq7-random-' + fakeKey('sid').slice(13, 40),
    ];
    const d = leakyDiagnosis(secrets);
    for (const s of secrets) expect(leakedWindow(toMarkdown(d, identity), s)).not.toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// secretlint over generated reports

describe('secretlint 11 (preset-recommend + anthropic)', () => {
  const cases: [string, Diagnosis, string[]][] = (() => {
    const keys: [string, string, string] = [fakeKey('api'), fakeKey('admin'), fakeKey('api')];
    return [
      ['leaky', leakyDiagnosis(keys), keys],
      [
        'invalid',
        {
          ...pastedDiagnosis(),
          pasted: {
            status: 401,
            requestId: 'req_x',
            errorType: 'authentication_error',
            errorMessage: `bad key ${keys[0]}`,
            form: 'text',
          },
        },
        keys,
      ],
    ];
  })();

  it.each(cases)('finds nothing in the redacted %s report (Markdown and JSON)', async (_name, d, secrets) => {
    const redact = createRedactor({ secrets, home: HOME });
    expect(await secretlintMessages(toMarkdown(d, redact), 'report.md')).toEqual([]);
    expect(await secretlintMessages(JSON.stringify(toJson(d, redact), null, 2), 'report.json')).toEqual([]);
  });

  it.each(cases)('flags the unredacted %s report (so the check can fail)', async (_name, d) => {
    const md = toMarkdown(d, identity);
    for (const rules of [[PRESET], [STANDALONE]]) {
      const messages = await secretlintMessages(md, 'report.md', rules);
      expect(messages.some((m) => /anthropic.*: found Anthropic Claude API key/.test(m))).toBe(true);
    }
  });
});
