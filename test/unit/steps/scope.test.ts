// Step 4, scope: the model and a free request, in the header form that worked.
import { describe, expect, it } from 'vitest';
import { PREFERRED_MODEL } from '../../../source/core/api.js';
import { start, toDiagnosis } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { options } from '../../helpers/discovery.js';
import { feed, ids, input, nextProbe } from '../../helpers/machine.js';

describe('scope', () => {
  it('a working key: models, with count_tokens sent ahead on the preferred model, verdict ok in one round', () => {
    const key = fakeKey('api');
    let s = start(input({ env: { ANTHROPIC_API_KEY: key } }));
    expect(s.pending.type).toBe('probes');
    if (s.pending.type !== 'probes') return;
    const [models, tokens, ...rest] = s.pending.probes;
    expect(rest).toEqual([]);
    expect([models?.request.purpose, models?.ahead]).toEqual(['models', undefined]);
    expect(models?.request.headers['x-api-key']).toBe(key);
    expect(models?.request.headers['anthropic-version']).toBe('2023-06-01');
    // Sent in the same form, before the list is back, on the model preferred when listed.
    expect([tokens?.request.purpose, tokens?.ahead, tokens?.request.sentAs]).toEqual([
      'count_tokens',
      true,
      'x-api-key',
    ]);
    expect(JSON.parse(tokens!.request.body!).model).toBe(PREFERRED_MODEL);
    s = feed(s, 200, null, { json: { data: [{ id: 'claude-sonnet-9' }, { id: PREFERRED_MODEL }], has_more: false } });
    s = feed(s, 200);
    // The key lists the preferred model: the answer sent ahead is the scope answer, nothing more goes out.
    expect(s.pending.type).toBe('done');
    const d = toDiagnosis(s, s.input.nowMs);
    expect(d.probes.map((p) => [p.purpose, p.unused ?? false])).toEqual([
      ['models', false],
      ['count_tokens', false],
    ]);
    expect(d.model).toBe(PREFERRED_MODEL);
    expect(d.verdict).toBe('ok');
    expect(ids(s)).toContain('key.valid');
    expect(d.summary).toMatch(/The credential works/);
  });

  it('a key that does not list the preferred model: count_tokens again on the first listed, the guess unused', () => {
    let s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') } }));
    s = feed(s, 200, null, { json: { data: [{ id: 'claude-sonnet-9' }, { id: 'claude-opus-9' }], has_more: false } });
    // The guessed model is not this key's: its answer (even a refusal) decides nothing.
    s = feed(s, 404, `model: ${PREFERRED_MODEL}`, { errorType: 'not_found_error' });
    expect(s.pending.type === 'probe' && JSON.parse(s.pending.request.body!).model).toBe('claude-sonnet-9');
    s = feed(s, 200);
    expect(s.pending.type).toBe('done');
    expect(ids(s)).not.toContain('scope.model');
    const d = toDiagnosis(s, 0);
    expect(d.verdict).toBe('ok');
    expect(d.probes.map((p) => [p.purpose, p.status, p.unused ?? false])).toEqual([
      ['models', 200, false],
      ['count_tokens', 200, false],
      ['count_tokens', 404, true],
    ]);
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
