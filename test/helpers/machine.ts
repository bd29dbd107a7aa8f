// Driving the pure machine in tests: a live answer shaped like the emulator's, an input with
// environment candidates, and `feed` to answer the pending probe (the next one of a batch).
import { expect } from 'vitest';
import { PREFERRED_MODEL } from '../../source/core/api.js';
import { classify, type Refusal } from '../../source/core/classify.js';
import { reduce, type BatchedProbe, type MachineInput, type ProbeJob, type State } from '../../source/core/machine.js';
import type { ProbeResult } from '../../source/core/types.js';
import { discovery, envCandidate, ENVIRONMENT, options } from './discovery.js';

let n = 0;
export function answer(
  status: number | null,
  message: string | null = null,
  extra: Partial<ProbeResult> = {},
  s?: State,
): ProbeResult {
  const req = s ? (nextProbe(s)?.request ?? null) : null;
  const requestId = `req_test${String(++n).padStart(20, '0')}`;
  return {
    method: req?.method ?? 'GET',
    url: req?.url ?? 'http://127.0.0.1:1/v1/models',
    purpose: req?.purpose ?? 'models',
    status,
    requestId: status === null ? null : requestId,
    errorType:
      status && status >= 400
        ? status === 401
          ? 'authentication_error'
          : status === 400
            ? 'invalid_request_error'
            : 'api_error'
        : null,
    errorMessage: message,
    bodySnippet: message
      ? JSON.stringify({ type: 'error', error: { type: 'authentication_error', message }, request_id: requestId })
      : '{"data":[{"id":"claude-sonnet-4-5"}]}',
    contentType: 'application/json',
    anthropicEnvelope: status !== null && status >= 400,
    retryAfterSeconds: null,
    network: null,
    ms: 5,
    attempts: 1,
    at: '2026-11-23T16:00:00.000Z',
    json: status === 200 ? { data: [{ id: PREFERRED_MODEL }], has_more: false } : undefined,
    sentAs: req?.sentAs ?? 'x-api-key',
    anthropicVersion: req?.anthropicVersion ?? '2023-06-01',
    oauthBeta: req?.oauthBeta ?? false,
    ...extra,
  };
}

export function input(partial: Partial<MachineInput> & { env?: Record<string, string> } = {}): MachineInput {
  const { env = {}, ...rest } = partial;
  return {
    options: options({ client: 'curl' }),
    discovery: discovery({ candidates: Object.entries(env).map(([k, v]) => envCandidate(k, v)) }),
    environment: ENVIRONMENT,
    nowMs: Date.parse('2026-11-23T16:00:00Z'),
    interactive: false,
    ...rest,
  };
}

export function feed(
  s: State,
  status: number | null,
  message: string | null = null,
  extra: Partial<ProbeResult> = {},
): State {
  const job = nextProbe(s);
  expect(job).not.toBeNull();
  const id = s.pending.type === 'probes' ? { id: (job as BatchedProbe).id } : {};
  let next = reduce(s, { type: 'probeFinished', result: answer(status, message, extra, s), ...id });
  // A probe sent ahead of need for a credential the batch saw refused gets that refusal (the server
  // refuses the credential everywhere); one for a credential accepted is left to the test (nextProbe).
  for (let ahead = mirrored(next); ahead && next.pending.type === 'probes'; ahead = mirrored(next)) {
    const r = ahead.probe.request;
    const result = {
      ...ahead.answer,
      requestId: ahead.answer.requestId ? `${ahead.answer.requestId}_ahead` : null,
      method: r.method,
      url: r.url,
      purpose: r.purpose,
      sentAs: r.sentAs,
      anthropicVersion: r.anthropicVersion,
      oauthBeta: r.oauthBeta,
      json: undefined,
    };
    next = reduce(next, { type: 'probeFinished', result, id: ahead.probe.id });
  }
  return next;
}

/** A probe sent ahead whose credential's look in the batch was answered with a refusal, and that answer. */
function mirrored(s: State): { probe: BatchedProbe; answer: ProbeResult } | null {
  if (s.pending.type !== 'probes' || s.pending.probes.some((p) => !p.ahead && !s.arrived[p.id])) return null;
  for (const p of s.pending.probes) {
    if (!p.ahead || s.arrived[p.id]) continue;
    const own = s.pending.probes.find((x) => !x.ahead && x.subject === p.subject);
    const answer = own ? s.arrived[own.id] : undefined;
    if (answer && answer.status !== 200) return { probe: p, answer };
  }
  return null;
}

/**
 * The probe `feed` answers next: the pending one, or the first of a batch still unanswered (so a
 * test answers a batch in plan order, as the planners asked for its probes one after another;
 * probes sent ahead of need come last, as the planners would ask for them once the rest is in).
 */
export function nextProbe(s: State): ProbeJob | null {
  if (s.pending.type === 'probe') return s.pending;
  if (s.pending.type === 'probes') return s.pending.probes.find((p) => !s.arrived[p.id]) ?? null;
  return null;
}

export const ids = (s: State) => s.findings.map((f) => f.id);

/** Whether the classifier reads a live answer to an API key as refused for `reason`. */
export function refusedFor(result: ProbeResult, reason: Refusal): boolean {
  const meant = classify(result, {
    sentAs: result.sentAs,
    credentialKind: 'api_key',
    anthropicVersion: result.anthropicVersion,
    oauthBeta: false,
  }).answer;
  return meant.kind === 'rejected' && meant.reason === reason;
}
