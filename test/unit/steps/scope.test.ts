// Step 4, scope: the model and a free request, in the header form that worked.
import { describe, expect, it } from 'vitest';
import { start, toDiagnosis } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { options } from '../../helpers/discovery.js';
import { feed, ids, input, nextProbe } from '../../helpers/machine.js';

describe('scope', () => {
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

  it('a model named with --model is looked up first; a 404 is scope.model', () => {
    let s = start(
      input({ env: { ANTHROPIC_API_KEY: fakeKey('api') }, options: options({ client: 'curl', model: 'claude-nope' }) }),
    );
    s = feed(s, 200);
    expect(nextProbe(s)?.request.url).toMatch(/\/v1\/models\/claude-nope$/);
    s = feed(s, 404, 'model: claude-nope', { errorType: 'not_found_error' });
    expect(nextProbe(s)?.request.purpose).toBe('count_tokens');
    expect(JSON.parse(nextProbe(s)!.request.body!).model).toBe('claude-nope');
    s = feed(s, 404, 'model: claude-nope', { errorType: 'not_found_error' });
    expect(s.pending.type).toBe('done');
    expect(ids(s)).toContain('scope.model');
    expect(toDiagnosis(s, 0).verdict).toBe('problem');
  });

  it('is skipped when the credential was not accepted', () => {
    let s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') } }));
    s = feed(s, 401, 'invalid x-api-key');
    expect(s.steps.find((x) => x.id === 'scope')).toMatchObject({
      status: 'skip',
      note: 'not checked: the credential was not accepted',
    });
  });
});
