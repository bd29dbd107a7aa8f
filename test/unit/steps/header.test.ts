// Step 3, header: differential probes that locate a header problem.
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../../source/core/classify.js';
import { start, toDiagnosis } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { options } from '../../helpers/discovery.js';
import { answer, feed, ids, input, nextProbe, refusedFor } from '../../helpers/machine.js';

describe('header', () => {
  it(
    'Claude Code with a Console key in ANTHROPIC_AUTH_TOKEN: Bearer rejected, x-api-key accepted → ' + 'header.bearer',
    () => {
      const key = fakeKey('api');
      let s = start(input({ env: { ANTHROPIC_AUTH_TOKEN: key }, options: options({ client: 'claude-code' }) }));
      expect(nextProbe(s)?.request.headers.authorization).toBe(`Bearer ${key}`);
      s = feed(s, 401, 'Invalid bearer token');
      expect(nextProbe(s)?.request.purpose).toBe('alt_header');
      expect(nextProbe(s)?.request.headers['x-api-key']).toBe(key);
      s = feed(s, 200);
      // Scope is checked in the form that worked.
      expect(nextProbe(s)?.request.sentAs).toBe('x-api-key');
      s = feed(s, 200);
      const bearer = s.findings.filter((f) => f.id === 'header.bearer');
      expect(bearer.length).toBeGreaterThan(0);
      expect(bearer.some((f) => /accepted as x-api-key/.test(f.detail))).toBe(true);
      expect(ids(s)).not.toContain('key.invalid');
      expect(toDiagnosis(s, 0).verdict).toBe('problem');
    },
  );

  it('an OAuth token refused for want of the beta header is retried with it', () => {
    const token = fakeKey('oat');
    let s = start(input({ env: { ANTHROPIC_AUTH_TOKEN: token }, options: options({ client: 'claude-code' }) }));
    expect(nextProbe(s)?.request.headers['anthropic-beta']).toBeUndefined();
    s = feed(s, 401, 'OAuth authentication is currently not supported.');
    expect(nextProbe(s)?.request.purpose).toBe('with_beta');
    expect(nextProbe(s)?.request.headers['anthropic-beta']).toBe('oauth-2025-04-20');
    s = feed(s, 200);
    while (nextProbe(s)) s = feed(s, 200);
    // Accepted with the beta: the configuration's missing beta is the finding, not the token.
    const probes = toDiagnosis(s, 0).probes;
    expect(probes.filter((p) => !p.unused).map((p) => p.purpose)).toEqual(['models', 'with_beta', 'count_tokens']);
    // The count_tokens sent ahead in the refused form decided nothing, and says so.
    expect(probes.filter((p) => p.unused).map((p) => [p.purpose, p.oauthBeta])).toEqual([['count_tokens', false]]);
    expect(ids(s)).toContain('header.oauth_beta');
    expect(ids(s)).not.toContain('key.invalid');
  });

  it('with the network off it reports only what the configuration says', () => {
    const s = start(input({ env: { ANTHROPIC_API_KEY: fakeKey('api') }, options: options({ network: false }) }));
    expect(s.steps.find((x) => x.id === 'header')).toMatchObject({ status: 'skip' });
    expect(toDiagnosis(s, 0).probes).toEqual([]);
  });
});

describe('the header retry follows the classifier', () => {
  it.each(Object.entries(MESSAGES))('a 401 saying %s', (_key, { text }) => {
    const key = fakeKey('api');
    const s0 = start(input({ env: { ANTHROPIC_AUTH_TOKEN: key }, options: options({ client: 'claude-code' }) }));
    const bearerRefused = refusedFor(answer(401, text, {}, s0), 'bearer_refused');
    const s = feed(s0, 401, text);
    expect(nextProbe(s)?.request.purpose === 'alt_header').toBe(bearerRefused);
  });
});
