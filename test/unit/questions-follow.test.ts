// Questions follow what is known (issue 20): an OAuth token where an API key belongs settles the
// key step, so the wizard does not ask its age, offer the activation wait, or ask about it under
// Console → API keys; and the client the user named shapes the headline's fix.
import { describe, expect, it } from 'vitest';
import { reduce, start, toDiagnosis, type State } from '../../source/core/machine.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { options } from '../helpers/discovery.js';
import { feed, input, nextProbe } from '../helpers/machine.js';

/**
 * Runs the machine answering every question with Enter's answer (its first choice, or a skip), and every probe with
 * `live`.
 */
function drive(s: State, live: (path: string) => [number, string | null]): { s: State; asked: string[] } {
  const asked: string[] = [];
  for (let i = 0; i < 200 && s.pending.type !== 'done'; i++) {
    const p = s.pending;
    if (p.type === 'question') {
      asked.push(p.question.id);
      const first = p.question.choices?.[0]?.value;
      s = first ? reduce(s, { type: 'answered', id: p.question.id, value: first }) : reduce(s, { type: 'skip' });
    } else if (p.type === 'probe' || p.type === 'probes') {
      const job = nextProbe(s)!;
      const [status, message] = live(job.request.url);
      s = feed(s, status, message);
    } else throw new Error(`unexpected ${p.type}`);
  }
  return { s, asked };
}

const refusesOAuth = (): [number, string] => [401, 'invalid x-api-key'];

describe('an OAuth token in ANTHROPIC_API_KEY', () => {
  it('is not asked about as a Console key: no key age, no wait, no Admin key, no Console question', () => {
    const s0 = start(
      input({ interactive: true, env: { ANTHROPIC_API_KEY: fakeKey('oat') }, options: options({ client: 'auto' }) }),
    );
    const { s, asked } = drive(s0, refusesOAuth);
    expect(s.findings.map((f) => f.id)).toContain('key.oauth_token');
    expect(asked).not.toContain('key_age');
    expect(asked).not.toContain('wait');
    expect(asked).not.toContain('admin_key');
    expect(asked).not.toContain('console_status');
  });

  it('a Console API key that is refused is still asked about (the control)', () => {
    const s0 = start(
      input({ interactive: true, env: { ANTHROPIC_API_KEY: fakeKey('api') }, options: options({ client: 'auto' }) }),
    );
    const { asked } = drive(s0, refusesOAuth);
    expect(asked).toEqual(expect.arrayContaining(['key_age', 'console_status']));
  });

  it('the user runs the SDK: the headline gives the SDK fix, not the Claude Code one', () => {
    const s0 = start(
      input({ interactive: true, env: { ANTHROPIC_API_KEY: fakeKey('oat') }, options: options({ client: 'sdk' }) }),
    );
    const { s } = drive(s0, refusesOAuth);
    const d = toDiagnosis(s, Date.parse('2026-11-23T16:01:00Z'));
    expect(d.verdict).toBe('problem');
    expect(d.summary).toMatch(/^An OAuth token is used where an API key belongs — .*API key/);
    expect(d.summary).not.toMatch(/For Claude Code|unset ANTHROPIC_API_KEY/);
  });
});
