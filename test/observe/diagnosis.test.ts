// Observation feeding the pure machine: the observed credential form is what gets probed, with
// exactly the observed headers, and what the model concluded that observation contradicts goes,
// each time with a note. The observations here are hand-built records of the kind io/observe.ts
// makes (observe.test.ts checks those against the real clients).
import { describe, expect, it } from 'vitest';
import { start, toDiagnosis } from '../../source/core/machine.js';
import type { RawObservation, RawObservedRequest } from '../../source/core/observed.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { discovery, envCandidate, options } from '../helpers/discovery.js';
import { feed, ids, input, nextProbe } from '../helpers/machine.js';

function request(over: Partial<RawObservedRequest>): RawObservedRequest {
  return {
    method: 'GET',
    path: '/v1/models',
    target: '127.0.0.1:4000',
    via: 'direct',
    baseUrlHonoured: true,
    xApiKey: null,
    authorization: null,
    anthropicVersion: '2023-06-01',
    anthropicBeta: [],
    userAgent: 'my-app/1.0',
    stainlessPackageVersion: null,
    stainlessLang: null,
    otherHeaders: [],
    ...over,
  };
}

function observation(requests: RawObservedRequest[], over: Partial<RawObservation> = {}): RawObservation {
  return {
    argv: ['node', 'app.mjs'],
    origin: 'command',
    exitCode: 1,
    signal: null,
    timedOut: false,
    cancelled: false,
    stoppedBy: 'exit',
    spawnError: null,
    output: '',
    outputTruncated: false,
    requests,
    unrecorded: 0,
    bypassed: [],
    standInUrl: 'http://127.0.0.1:4000',
    pid: 1234,
    timeoutSeconds: 30,
    ms: 100,
    ...over,
  };
}

describe('observation outranks the model', () => {
  it('a key under a name of its own: probed exactly as sent; key.missing and env.wrong_name give way to notes', () => {
    const key = fakeKey('api');
    const raw = observation([request({ xApiKey: key, anthropicBeta: ['some-beta-2025-01-01'] })]);
    const without = start(input({ options: options({ client: 'auto' }), env: { MY_CLAUDE_KEY: key } }));
    // The model alone: nothing to probe, and wrong about the name.
    expect(without.pending.type).toBe('done');
    expect(ids(without)).toEqual(expect.arrayContaining(['key.missing', 'env.wrong_name']));

    let s = start(input({ options: options({ client: 'auto' }), env: { MY_CLAUDE_KEY: key }, observed: [raw] }));
    const first = nextProbe(s);
    if (!first) throw new Error('no probe');
    expect(first.request.purpose).toBe('models');
    const h = first.request.headers;
    expect(h['x-api-key']).toBe(key);
    expect(h['authorization']).toBeUndefined();
    expect(h['anthropic-version']).toBe('2023-06-01');
    expect(h['anthropic-beta']).toBe('some-beta-2025-01-01');
    expect(ids(s)).not.toContain('key.missing');
    expect(ids(s)).not.toContain('env.wrong_name');
    expect(s.notes.join('\n')).toMatch(/no client reads MY_CLAUDE_KEY \(env\.wrong_name\)/);
    s = feed(s, 401, 'invalid x-api-key');
    while (nextProbe(s)) s = feed(s, 401, 'invalid x-api-key');
    const d = toDiagnosis(s, Date.parse('2026-11-23T16:00:05Z'));
    expect(d.findings[0]!.id).toBe('key.invalid');
    expect(d.credential).toMatchObject({ source: 'env:MY_CLAUDE_KEY', kind: 'api_key' });
    expect(d.observed?.[0]?.requests[0]?.sources).toEqual(['env:MY_CLAUDE_KEY']);
  });

  it("the user's command replaces the model's guess; a note says what the model expected", () => {
    const envKey = fakeKey('api');
    const hardCoded = fakeKey('api');
    const raw = observation([
      request({
        authorization: `Bearer ${hardCoded}`,
        anthropicVersion: '2026-10-21',
        userAgent: 'Anthropic/JS 1.17.0',
      }),
    ]);
    const s = start(
      input({
        options: options({ client: 'sdk' }),
        discovery: discovery({
          candidates: [envCandidate('ANTHROPIC_API_KEY', envKey)],
          clients: [
            {
              name: '@anthropic-ai/sdk',
              version: '0.137.0',
              source: 'file:node_modules/@anthropic-ai/sdk/package.json',
              how: 'installed',
              sends: 'x-api-key',
              model: 'sdk-ts-0',
            },
          ],
        }),
        observed: [raw],
      }),
    );
    const first = nextProbe(s);
    if (!first) throw new Error('no probe');
    expect(first.request.headers['authorization']).toBe(`Bearer ${hardCoded}`);
    expect(first.request.headers['x-api-key']).toBeUndefined();
    expect(first.request.headers['anthropic-version']).toBe('2026-10-21');
    expect(s.subjects.map((x) => x.value)).toEqual([hardCoded]);
    expect(ids(s)).toContain('client.unknown_credential');
    expect(s.notes.join('\n')).toMatch(/Live checks use what `node app\.mjs` was seen sending/);
  });

  it('a program that sent nothing: the model keeps its subjects, client.no_request is added', () => {
    const key = fakeKey('api');
    const raw = observation([], {
      output: 'CredentialsError: Could not resolve authentication method. Expected one of apiKey',
    });
    const s = start(input({ options: options({ client: 'curl' }), env: { ANTHROPIC_API_KEY: key }, observed: [raw] }));
    expect(nextProbe(s)?.request.purpose).toBe('models');
    expect(ids(s)).toContain('client.no_request');
  });
});
