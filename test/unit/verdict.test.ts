// The finished diagnosis: verdict, summary and the order of findings.
import { describe, expect, it } from 'vitest';
import { start, toDiagnosis } from '../../source/core/machine.js';
import { orderFindings } from '../../source/core/verdict.js';
import { finding } from '../../source/core/findings.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { discovery, envCandidate, options } from '../helpers/discovery.js';
import { feed, ids, input } from '../helpers/machine.js';

describe('verdict', () => {
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

  it('orders findings by severity, then by the diagnostic order', () => {
    const list = [
      finding('endpoint.base_url', 'b', { severity: 'warning' }),
      finding('key.valid', 'v'),
      finding('env.not_delivered', 'n', { severity: 'error' }),
      finding('key.invalid', 'i'),
    ];
    expect(orderFindings(list).map((f) => f.id)).toEqual([
      'env.not_delivered',
      'key.invalid',
      'endpoint.base_url',
      'key.valid',
    ]);
  });
});
