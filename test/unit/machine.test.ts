// The state machine: the reducer and the step registry, transition by transition (no terminal,
// no network, no clock). Each step's own behaviour is tested in test/unit/steps/.
import { describe, expect, it } from 'vitest';
import { reduce, start, toDiagnosis, UNKNOWN } from '../../source/core/machine.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { options } from '../helpers/discovery.js';
import { feed, ids, input } from '../helpers/machine.js';

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
