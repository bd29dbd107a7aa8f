// Step 2, activation: is the credential accepted now, and waiting for a key that may be new.
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../source/core/classify.js';
import { reduce, start, toDiagnosis } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { options } from '../../helpers/discovery.js';
import { answer, feed, ids, input, nextProbe, refusedFor } from '../../helpers/machine.js';

describe('activation', () => {
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
    // Scope runs with the now-working key (the answer sent ahead before the wait stands for nothing).
    expect(s.pending.type === 'probe' && s.pending.request.purpose).toBe('count_tokens');
    s = feed(s, 200);
    expect(ids(s)).toEqual(expect.arrayContaining(['key.not_yet_active', 'key.valid']));
    expect(ids(s)).not.toContain('key.invalid');
    expect(toDiagnosis(s, 0).verdict).toBe('ok');
    expect(toDiagnosis(s, 0).probes.map((p) => [p.purpose, p.status, p.unused ?? false])).toEqual([
      ['models', 401, false],
      ['activation', 401, false],
      ['activation', 200, false],
      ['count_tokens', 200, false],
      ['count_tokens', 401, true],
    ]);
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
});

describe('activation waits exactly when the classifier says the key is unknown', () => {
  const newKey = (client: 'curl' | 'sdk') =>
    start(
      input({
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({ client, keyAgeMinutes: 1, waitSeconds: 20 }),
      }),
    );

  it.each(Object.entries(MESSAGES))('a 401 saying %s', (_key, { text }) => {
    const s0 = newKey('curl');
    expect(nextProbe(s0)?.request.purpose).toBe('models');
    const unknown = refusedFor(answer(401, text, {}, s0), 'unknown_key');
    const s = feed(s0, 401, text);
    expect(s.pending.type === 'wait').toBe(unknown);
  });

  it('waits for "invalid x-api-key" and for a Bearer refusal of @anthropic-ai/sdk 1.x, not for other 401s', () => {
    expect(feed(newKey('curl'), 401, 'invalid x-api-key').pending.type).toBe('wait');
    expect(feed(newKey('curl'), 401, 'some other refusal').pending.type).not.toBe('wait');
    // `sdk` diagnoses @anthropic-ai/sdk 1.x (Bearer, 2026-10-21) first.
    const sdk = newKey('sdk');
    expect(nextProbe(sdk)?.request.sentAs).toBe('authorization');
    expect(feed(sdk, 401, 'Invalid bearer token').pending.type).toBe('wait');
  });

  it('a gateway answer saying "invalid x-api-key" is not waited for', () => {
    const s = feed(newKey('curl'), 401, 'invalid x-api-key', { requestId: null, anthropicEnvelope: false });
    expect(s.pending.type).not.toBe('wait');
    expect(toDiagnosis(s, 0).verdict).toBe('problem');
    expect(ids(s)).toContain('endpoint.gateway_response');
  });
});
