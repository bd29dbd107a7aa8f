// Several probes pending at once (issue 22): the machine asks for probes that do not depend on
// each other's answers together, and reduces their answers the same whatever order they arrive in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstProbes, reduce, start, toDiagnosis, type ProbeJob, type State } from '../../source/core/machine.js';
import { PREFERRED_MODEL } from '../../source/core/api.js';
import type { ProbeResult } from '../../source/core/types.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { options } from '../helpers/discovery.js';
import { answer, input } from '../helpers/machine.js';

/** What a test server would answer a probe: one of a few outcomes, chosen per (subject, purpose). */
type Outcome = 'ok' | 'ok_other_models' | 'invalid' | 'bearer' | 'forbidden' | 'timeout';
function respond(job: ProbeJob, outcome: Outcome, s: State): ProbeResult {
  const r = answerOf(job, outcome, s);
  return { ...r, bodySnippet: r.bodySnippet.replace(/req_test\d+/g, r.requestId ?? '') };
}

function answerOf(job: ProbeJob, outcome: Outcome, s: State): ProbeResult {
  const base = answer(200, null, {}, s);
  // The request id names the probe, so that two runs can be compared field by field.
  const req = {
    method: job.request.method,
    url: job.request.url,
    purpose: job.request.purpose,
    requestId: `req_${job.subject}_${job.request.purpose}_${job.request.sentAs}`,
  };
  const form = { sentAs: job.request.sentAs, anthropicVersion: job.request.anthropicVersion };
  switch (outcome) {
    case 'ok':
      return { ...base, ...req, ...form, json: { data: [{ id: PREFERRED_MODEL }], has_more: false } };
    case 'ok_other_models':
      return { ...base, ...req, ...form, json: { data: [{ id: 'claude-other-1' }], has_more: false } };
    case 'invalid':
      return { ...answer(401, 'invalid x-api-key', {}, s), ...req, ...form };
    case 'bearer':
      return { ...answer(401, 'Invalid bearer token', {}, s), ...req, ...form };
    case 'forbidden':
      return { ...answer(403, 'Permission denied', { errorType: 'permission_error' }, s), ...req, ...form };
    case 'timeout':
      return {
        ...answer(null, null, {}, s),
        ...req,
        requestId: null,
        ...form,
        network: { kind: 'timeout', code: 'ETIMEDOUT', message: 'timed out' },
      };
  }
}

const env = () => ({
  ANTHROPIC_API_KEY: fakeKey('api'),
  ANTHROPIC_AUTH_TOKEN: fakeKey('api'),
  CLAUDE_API_KEY: fakeKey('api'),
});

/**
 * Runs the machine to done, answering every probe with `outcomeOf`; each batch's answers arrive
 * in the order `order` gives (a permutation seed per batch). Returns the final state and batch sizes.
 */
function run(
  e: Record<string, string>,
  outcomeOf: (job: ProbeJob) => Outcome,
  order: (n: number, batch: number) => number[],
  sendAhead = true,
): { state: State; batches: number[] } {
  let s = start({ ...input({ env: e, options: options({ client: 'auto' }) }), sendAhead });
  const batches: number[] = [];
  for (let guard = 0; s.pending.type !== 'done' && guard < 100; guard++) {
    const p = s.pending;
    if (p.type === 'probe') s = reduce(s, { type: 'probeFinished', result: respond(p, outcomeOf(p), s) });
    else if (p.type === 'probes') {
      batches.push(p.probes.length);
      const answers = p.probes.map((job) => ({ id: job.id, result: respond(job, outcomeOf(job), s) }));
      for (const i of order(p.probes.length, batches.length)) {
        const before = s;
        s = reduce(s, { type: 'probeFinished', ...answers[i]! });
        // Until the last answer is in, nothing is planned: the same batch stays pending.
        if (Object.keys(s.arrived).length > 0) expect(s.pending).toBe(before.pending);
      }
    } else throw new Error(`unexpected pending ${p.type}`);
  }
  return { state: s, batches };
}

const keyOf = (job: ProbeJob) => `${job.subject}|${job.request.purpose}|${job.request.sentAs}`;

describe('probes in batches', () => {
  it('probes every credential found at once: one batch for the first look at each', () => {
    const { state, batches } = run(
      env(),
      () => 'ok',
      (n) => [...Array(n).keys()],
    );
    expect(state.subjects.length).toBeGreaterThanOrEqual(2);
    // Each subject's first look, and, sent ahead, the scope probe each would need were it the one accepted.
    expect(batches[0]).toBe(2 * state.subjects.length);
    expect(state.pending.type).toBe('done');
    // Every subject's first look is in the record, in plan order: the batch's order.
    const firsts = state.probes.slice(0, state.subjects.length).map((p) => p.subject);
    expect(new Set(firsts).size).toBe(state.subjects.length);
    // All are accepted: the first one's scope probe is used, the others' decided nothing. One round in all.
    expect(batches.length).toBe(1);
    expect(state.probes.map((p) => p.result.purpose).slice(state.subjects.length)).toEqual(['count_tokens']);
    expect(state.probes.at(-1)?.subject).toBe(state.subjects[0]?.id);
    expect(state.unused.map((x) => x.job.subject)).toEqual(state.subjects.slice(1).map((x) => x.id));
  });

  it('the same diagnosis whatever order the answers of a batch arrive in', () => {
    const e = env();
    fc.assert(
      fc.property(
        fc.func(fc.constantFrom<Outcome>('ok', 'invalid', 'bearer', 'forbidden', 'timeout')),
        fc.array(fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), { minLength: 6, maxLength: 6 }),
        (pick, shuffles) => {
          const outcomeOf = (job: ProbeJob) => pick(keyOf(job));
          const inOrder = run(e, outcomeOf, (n) => [...Array(n).keys()]);
          // A permutation of 0..n-1 per batch, from the generated numbers (Fisher–Yates).
          const permuted = run(e, outcomeOf, (n, batch) => {
            const idx = [...Array(n).keys()];
            const r = shuffles[(batch - 1) % shuffles.length]!;
            for (let i = n - 1; i > 0; i--) {
              const j = r[i % r.length]! % (i + 1);
              [idx[i], idx[j]] = [idx[j]!, idx[i]!];
            }
            return idx;
          });
          expect(permuted.batches).toEqual(inOrder.batches);
          expect(permuted.state.probes).toEqual(inOrder.state.probes);
          expect(toDiagnosis(permuted.state, 0)).toEqual(toDiagnosis(inOrder.state, 0));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('the same diagnosis with probes sent ahead of need as without, one round trip per probe', () => {
    const e = env();
    const outcomes = ['ok', 'ok_other_models', 'invalid', 'bearer', 'forbidden', 'timeout'] as const;
    const used = (st: State) => {
      const d = toDiagnosis(st, 0);
      return { ...d, probes: d.probes.filter((p) => !p.unused) };
    };
    let sentAhead = 0;
    let unused = 0;
    fc.assert(
      fc.property(fc.func(fc.constantFrom<Outcome>(...outcomes)), (pick) => {
        // The server's answer depends on the request (its model included), never on when it came.
        const outcomeOf = (job: ProbeJob) => pick(`${keyOf(job)}|${job.request.body ?? ''}`);
        const inOrder = (n: number) => [...Array(n).keys()];
        const ahead = run(e, outcomeOf, inOrder);
        const reference = run(e, outcomeOf, inOrder, false);
        expect(used(ahead.state)).toEqual(used(reference.state));
        // Fewer or as many rounds: never more.
        expect(ahead.batches.length).toBeLessThanOrEqual(reference.batches.length + 1);
        const d = toDiagnosis(ahead.state, 0);
        sentAhead += d.probes.length - used(ahead.state).probes.length + ahead.state.probes.length;
        unused += d.probes.filter((p) => p.unused).length;
      }),
      { numRuns: 200 },
    );
    // The property saw both kinds: answers sent ahead that were used, and ones that were not.
    expect(unused).toBeGreaterThan(0);
    expect(sentAhead).toBeGreaterThan(unused);
  });

  it('an answer to a probe not pending, or a second answer to one, changes nothing', () => {
    const s = start(input({ env: env(), options: options({ client: 'auto' }) }));
    expect(s.pending.type).toBe('probes');
    if (s.pending.type !== 'probes') return;
    const job = s.pending.probes[0]!;
    expect(reduce(s, { type: 'probeFinished', id: 'nope', result: respond(job, 'ok', s) })).toBe(s);
    const once = reduce(s, { type: 'probeFinished', id: job.id, result: respond(job, 'ok', s) });
    expect(reduce(once, { type: 'probeFinished', id: job.id, result: respond(job, 'invalid', s) })).toBe(once);
  });
});

describe('firstProbes (what the wizard sends before the first answer)', () => {
  it('one API key: only its x-api-key first look, the form every program choice sends', () => {
    const key = fakeKey('api');
    const reqs = firstProbes(input({ env: { ANTHROPIC_API_KEY: key }, options: options({ client: 'auto' }) }));
    expect(reqs.map((r) => [r.method, r.url, r.sentAs, r.headers['x-api-key'] === key])).toEqual([
      ['GET', 'http://127.0.0.1:1/v1/models?limit=20', 'x-api-key', true],
    ]);
  });

  it('a program named with --client: that program first batch, whole', () => {
    const e = { ANTHROPIC_API_KEY: fakeKey('api') };
    const sdk = firstProbes(input({ env: e, options: options({ client: 'sdk' }) }));
    expect(new Set(sdk.map((r) => r.sentAs))).toEqual(new Set(['authorization', 'x-api-key']));
  });

  it('no network, nothing to send', () => {
    const e = { ANTHROPIC_API_KEY: fakeKey('api') };
    expect(firstProbes(input({ env: e, options: options({ client: 'auto', network: false }) }))).toEqual([]);
  });
});
