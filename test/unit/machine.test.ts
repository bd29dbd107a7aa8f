// The state machine, transition by transition: no terminal, no network, no clock.
import { describe, expect, it } from 'vitest';
import { reduce, start, toDiagnosis, UNKNOWN, type MachineInput, type State } from '../../source/core/machine.js';
import type { ProbeResult } from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { discovery, envCandidate, ENVIRONMENT, options } from '../helpers/discovery.js';

let n = 0;
function answer(
  status: number | null,
  message: string | null = null,
  extra: Partial<ProbeResult> = {},
  s?: State,
): ProbeResult {
  const pending = s?.pending;
  const req = pending?.type === 'probe' ? pending.request : null;
  const requestId = `req_test${String(++n).padStart(20, '0')}`;
  return {
    method: req?.method ?? 'GET',
    url: req?.url ?? 'http://127.0.0.1:1/v1/models',
    purpose: req?.purpose ?? 'models',
    status,
    requestId: status === null ? null : requestId,
    errorType:
      status && status >= 400
        ? status === 401
          ? 'authentication_error'
          : status === 400
            ? 'invalid_request_error'
            : 'api_error'
        : null,
    errorMessage: message,
    bodySnippet: message
      ? JSON.stringify({ type: 'error', error: { type: 'authentication_error', message }, request_id: requestId })
      : '{"data":[{"id":"claude-sonnet-4-5"}]}',
    contentType: 'application/json',
    anthropicEnvelope: status !== null && status >= 400,
    retryAfterSeconds: null,
    network: null,
    ms: 5,
    attempts: 1,
    at: '2026-11-23T16:00:00.000Z',
    json: status === 200 ? { data: [{ id: 'claude-sonnet-4-5' }], has_more: false } : undefined,
    sentAs: req?.sentAs ?? 'x-api-key',
    anthropicVersion: req?.anthropicVersion ?? '2023-06-01',
    oauthBeta: req?.oauthBeta ?? false,
    ...extra,
  };
}

function input(partial: Partial<MachineInput> & { env?: Record<string, string> } = {}): MachineInput {
  const { env = {}, ...rest } = partial;
  return {
    options: options({ client: 'curl' }),
    discovery: discovery({ candidates: Object.entries(env).map(([k, v]) => envCandidate(k, v)) }),
    environment: ENVIRONMENT,
    nowMs: Date.parse('2026-11-23T16:00:00Z'),
    interactive: false,
    ...rest,
  };
}

function feed(s: State, status: number | null, message: string | null = null, extra: Partial<ProbeResult> = {}): State {
  expect(s.pending.type).toBe('probe');
  return reduce(s, { type: 'probeFinished', result: answer(status, message, extra, s) });
}

const ids = (s: State) => s.findings.map((f) => f.id);

describe('machine: headless', () => {
  it('no credential, no network: every step finishes, key.missing, problem', () => {
    const s = start(input({ options: options({ client: 'curl', network: false }) }));
    expect(s.pending.type).toBe('done');
    expect(s.steps.map((x) => x.id)).toEqual(['key_format', 'activation', 'header', 'scope', 'workspace', 'provider']);
    expect(ids(s)).toContain('key.missing');
    const d = toDiagnosis(s, s.input.nowMs);
    expect(d.verdict).toBe('problem');
    expect(d.steps.find((x) => x.id === 'activation')?.status).toBe('skip');
  });

  it('a working key: models then count_tokens on the first listed model, verdict ok', () => {
    const key = fakeKey('api');
    let s = start(input({ env: { ANTHROPIC_API_KEY: key } }));
    expect(s.pending.type === 'probe' && s.pending.request.purpose).toBe('models');
    if (s.pending.type !== 'probe') return;
    expect(s.pending.request.headers['x-api-key']).toBe(key);
    expect(s.pending.request.headers['anthropic-version']).toBe('2023-06-01');
    s = feed(s, 200);
    expect(s.pending.type === 'probe' && s.pending.request.purpose).toBe('count_tokens');
    if (s.pending.type === 'probe') expect(JSON.parse(s.pending.request.body!).model).toBe('claude-sonnet-4-5');
    s = feed(s, 200);
    expect(s.pending.type).toBe('done');
    const d = toDiagnosis(s, s.input.nowMs);
    expect(d.verdict).toBe('ok');
    expect(ids(s)).toContain('key.valid');
    expect(d.summary).toMatch(/The credential works/);
  });

  it('an unknown key: key.invalid with the request id, scope skipped, problem', () => {
    let s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') } }));
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending.type).toBe('done');
    const invalid = s.findings.find((f) => f.id === 'key.invalid');
    expect(invalid?.detail).toMatch(/req_test/);
    expect(s.steps.find((x) => x.id === 'scope')?.status).toBe('skip');
    expect(toDiagnosis(s, 0).verdict).toBe('problem');
  });

  it('a new key: waits, polls, and is accepted → key.not_yet_active, ok', () => {
    let s = start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({ client: 'curl', keyAgeMinutes: 1, waitSeconds: 20 }),
      }),
    );
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending).toMatchObject({ type: 'wait', attempt: 1, elapsedMs: 0, budgetMs: 20000 });
    s = reduce(s, { type: 'waitTick', elapsedMs: 2000 });
    expect(s.pending.type === 'probe' && s.pending.request.purpose).toBe('activation');
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending).toMatchObject({ type: 'wait', attempt: 2, elapsedMs: 2000 });
    s = reduce(s, { type: 'waitTick', elapsedMs: 3000 });
    s = feed(s, 200);
    // Scope runs with the now-working key.
    expect(s.pending.type === 'probe' && s.pending.request.purpose).toBe('count_tokens');
    s = feed(s, 200);
    expect(ids(s)).toEqual(expect.arrayContaining(['key.not_yet_active', 'key.valid']));
    expect(ids(s)).not.toContain('key.invalid');
    expect(toDiagnosis(s, 0).verdict).toBe('ok');
  });

  it('an old key is not waited for', () => {
    let s = start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({ client: 'curl', keyAgeMinutes: 600, waitSeconds: 20 }),
      }),
    );
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending.type).toBe('done');
  });

  it('the wait budget runs out: still key.invalid, saying how long it waited', () => {
    let s = start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({ client: 'curl', keyAgeMinutes: 2, waitSeconds: 4 }),
      }),
    );
    s = feed(s, 401, 'invalid x-api-key');
    s = reduce(s, { type: 'waitTick', elapsedMs: 4000 });
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending.type).toBe('done');
    expect(s.findings.find((f) => f.id === 'key.invalid')?.detail).toMatch(/after waiting 4 s/);
  });

  it('Esc during the wait stops waiting', () => {
    let s = start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({ client: 'curl', keyAgeMinutes: 2, waitSeconds: 60 }),
      }),
    );
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending.type).toBe('wait');
    s = reduce(s, { type: 'skip' });
    expect(s.pending.type).toBe('done');
    expect(ids(s)).toContain('key.invalid');
  });

  it('Claude Code with a Console key in ANTHROPIC_AUTH_TOKEN: Bearer rejected, x-api-key accepted → header.bearer', () => {
    const key = fakeKey('api');
    let s = start(input({ env: { ANTHROPIC_AUTH_TOKEN: key }, options: options({ client: 'claude-code' }) }));
    expect(s.pending.type === 'probe' && s.pending.request.headers.authorization).toBe(`Bearer ${key}`);
    s = feed(s, 401, 'Invalid bearer token');
    expect(s.pending.type === 'probe' && s.pending.request.purpose).toBe('alt_header');
    if (s.pending.type === 'probe') expect(s.pending.request.headers['x-api-key']).toBe(key);
    s = feed(s, 200);
    // Scope is checked in the form that worked.
    expect(s.pending.type === 'probe' && s.pending.request.sentAs).toBe('x-api-key');
    s = feed(s, 200);
    const bearer = s.findings.filter((f) => f.id === 'header.bearer');
    expect(bearer.length).toBeGreaterThan(0);
    expect(bearer.some((f) => /accepted as x-api-key/.test(f.detail))).toBe(true);
    expect(ids(s)).not.toContain('key.invalid');
    expect(toDiagnosis(s, 0).verdict).toBe('problem');
  });

  it('a transport failure is a finding and the verdict is inconclusive', () => {
    let s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') } }));
    s = feed(s, null, null, {
      network: { kind: 'unreachable', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' },
    });
    expect(s.pending.type).toBe('done');
    expect(ids(s)).toContain('network.unreachable');
    expect(toDiagnosis(s, 0).verdict).toBe('inconclusive');
  });

  it('--strict turns warnings into errors', () => {
    const key = fakeKey('api');
    const d = discovery({
      candidates: [envCandidate('ANTHROPIC_API_KEY', key)],
      dotenvFiles: [
        { path: '/work/project/.env', source: 'file:.env', depth: 0, holdsCredential: true, ignoredByGit: false },
      ],
    });
    let s = start(input({ discovery: d, options: options({ client: 'curl', strict: true }) }));
    s = feed(s, 200);
    s = feed(s, 200);
    expect(toDiagnosis(s, 0).verdict).toBe('problem');
    let lax = start(input({ discovery: d }));
    lax = feed(lax, 200);
    lax = feed(lax, 200);
    expect(toDiagnosis(lax, 0).verdict).toBe('ok');
  });

  it('a pasted error it explains is a problem even when the key works now', () => {
    let s = start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({
          client: 'curl',
          errorText:
            "Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', 'message': 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'}, 'request_id': 'req_011CSHoEeqs5C35K2UUqR7Fy'}",
        }),
      }),
    );
    s = feed(s, 200);
    s = feed(s, 200);
    const d = toDiagnosis(s, 0);
    expect(ids(s)).toContain('billing.credit');
    expect(d.verdict).toBe('problem');
    expect(d.pasted?.requestId).toBe('req_011CSHoEeqs5C35K2UUqR7Fy');
  });
});

describe('machine: interactive questions', () => {
  it('asks which program fails first; Esc goes back one question; cancel ends it', () => {
    let s = start(input({ interactive: true, options: options({ client: 'auto', network: false }) }));
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('client');
    s = reduce(s, { type: 'answered', id: 'client', value: 'curl' });
    // No key found: offer to test a pasted one (masked).
    expect(s.pending.type === 'question' && s.pending.question).toMatchObject({ id: 'paste_key', input: 'secret' });
    s = reduce(s, { type: 'back' });
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('client');
    s = reduce(s, { type: 'answered', id: 'client', value: 'curl' });
    s = reduce(s, { type: 'cancel' });
    expect(s.cancelled).toBe(true);
    expect(s.pending.type).toBe('done');
  });

  it('a pasted key is diagnosed like ANTHROPIC_API_KEY and never appears in the answers', () => {
    const key = fakeKey('api');
    let s = start(input({ interactive: true, options: options({ client: 'curl' }) }));
    s = reduce(s, { type: 'answered', id: 'paste_key', value: key });
    // Then the error paste and where it runs.
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('error');
    s = reduce(s, { type: 'answered', id: 'error', value: '' });
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('runs_elsewhere');
    s = reduce(s, { type: 'answered', id: 'runs_elsewhere', value: 'docker' });
    expect(s.pending.type === 'probe' && s.pending.request.headers['x-api-key']).toBe(key);
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('key_age');
    s = reduce(s, { type: 'answered', id: 'key_age', value: 'old' });
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('admin_key');
    s = reduce(s, { type: 'skip' });
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('console_status');
    s = reduce(s, { type: 'answered', id: 'console_status', value: 'archived' });
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('provider');
    s = reduce(s, { type: 'answered', id: 'provider', value: 'anthropic' });
    expect(s.pending.type).toBe('done');
    const d = toDiagnosis(s, 0);
    expect(ids(s)).toEqual(expect.arrayContaining(['key.invalid', 'key.inactive', 'env.not_delivered']));
    expect(JSON.stringify(d.answers)).not.toContain(key.slice(13, 30));
    expect(d.answers.find((a) => a.id === 'paste_key')?.answer).toMatch(/^\(given: sk-ant-api03-…/);
    expect(d.answers.find((a) => a.id === 'admin_key')?.answer).toBe(UNKNOWN);
  });
});
