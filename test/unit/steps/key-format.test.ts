// Step 1, key_format: the pasted error, where the program runs, the subscription override, and
// the static findings prepared before any request (names, format lint).
import { describe, expect, it } from 'vitest';
import { reduce, start, toDiagnosis } from '../../../source/core/machine.js';
import { fakeKey } from '../../../source/emulator/keys.js';
import { discovery, options } from '../../helpers/discovery.js';
import { feed, ids, input } from '../../helpers/machine.js';

describe('key_format', () => {
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

  it('a misspelled name holding a quoted key: env.wrong_name, and no lint about clients that never read it', () => {
    const key = fakeKey('api');
    const d = discovery({
      candidates: [
        {
          source: 'file:.env:3',
          origin: 'dotenv',
          name: 'ANTRHOPIC_API_KYE',
          value: `"${key}"`,
          file: '/work/project/.env',
          line: 3,
          depth: 0,
        },
      ],
    });
    const s = start(input({ discovery: d, options: options({ client: 'auto', network: false }) }));
    const wrong = s.findings.find((f) => f.id === 'env.wrong_name');
    expect(wrong?.detail).toMatch(/rename it to ANTHROPIC_API_KEY/);
    expect(ids(s)).not.toContain('key.whitespace');
    expect(s.findings.some((f) => /breaks Claude Code/.test(f.detail))).toBe(false);
  });

  it('the same quoted key under the right name is linted for the clients that read it', () => {
    const key = fakeKey('api');
    const s = start(
      input({ env: { ANTHROPIC_API_KEY: `"${key}"` }, options: options({ client: 'curl', network: false }) }),
    );
    expect(ids(s)).toContain('key.whitespace');
    expect(ids(s)).not.toContain('env.wrong_name');
  });

  it('where the program runs: docker adds env.not_delivered with the docker fix', () => {
    let s = start(
      input({
        interactive: true,
        env: { ANTHROPIC_API_KEY: fakeKey('api') },
        options: options({ client: 'curl', network: false }),
      }),
    );
    expect(s.pending.type === 'question' && s.pending.question.id).toBe('error');
    s = reduce(s, { type: 'answered', id: 'error', value: '' });
    s = reduce(s, { type: 'answered', id: 'runs_elsewhere', value: 'docker' });
    const f = s.findings.find((x) => x.id === 'env.not_delivered');
    expect(f?.detail).toMatch(/in a Docker container/);
    expect(f?.fix[0]).toMatch(/^docker run -e ANTHROPIC_API_KEY/);
  });

  it('Claude Code with an API key and a subscription: env.api_key_overrides_login', () => {
    const key = fakeKey('api');
    const s = start(
      input({
        env: { ANTHROPIC_API_KEY: key },
        answers: { subscription: 'yes' },
        options: options({ client: 'claude-code', network: false }),
      }),
    );
    const f = s.findings.find((x) => x.id === 'env.api_key_overrides_login');
    expect(f?.fix[0]).toBe('unset ANTHROPIC_API_KEY   # then run claude and /login');
    expect(toDiagnosis(s, 0).verdict).toBe('problem');
    const without = start(
      input({ env: { ANTHROPIC_API_KEY: key }, options: options({ client: 'claude-code', network: false }) }),
    );
    expect(ids(without)).not.toContain('env.api_key_overrides_login');
  });
});
