// Step 2, activation: is the credential accepted now? One GET /v1/models per subject; a key the
// API does not know yet and that may be new is polled while the driver waits (with consent).
import { BEARER_KEY_VERSION } from '../api.js';
import { type Answer, classifyAnswer, isAnthropicAnswer } from '../classify.js';
import { kindOf } from '../credential.js';
import { alternativesOf, candidateOf, makeItWin, pastedRefusalExplained, withAccepted } from '../evidence.js';
import { finding, FIX } from '../findings.js';
import { probe } from '../probes.js';
import { QUESTIONS, UNKNOWN } from '../questions.js';
import {
  acceptedProbe,
  addFindings,
  answerOf,
  askFor,
  classifyCtx,
  lastOf,
  PASTED_MARK,
  type Planner,
  probesOf,
  type State,
  type Subject,
} from '../state.js';
import type { Finding, ProbeResult } from '../types.js';

/** A key younger than this may still be activating (fact sheet; seeds: "a few minutes"). [U] */
export const NEW_KEY_MINUTES = 15;

export const activation: Planner = (s) => {
  const o = s.input.options;
  if (s.subjects.length === 0) {
    const login = s.resolutions.some((r) => r.usesSubscriptionLogin);
    const helper = s.resolutions.some((r) => r.usesApiKeyHelper);
    const provider = s.resolutions.find((r) => r.provider !== 'anthropic');
    const note = login
      ? 'subscription login: its tokens are never sent by this tool'
      : helper
        ? 'apiKeyHelper supplies the key: the tool does not run it'
        : provider
          ? `requests go to ${provider.provider}, not checked live`
          : 'no credential to test';
    return { state: s, outcome: { done: { note, skipped: true } } };
  }
  if (!o.network) return { state: s, outcome: { done: { note: 'not checked (--no-network)', skipped: true } } };

  let state = s;
  for (const subject of s.subjects) {
    const first = lastOf(s, subject.id, 'models');
    if (!first)
      return {
        state,
        outcome: probe(s, subject, 'activation', `GET /v1/models as ${subject.sendsAs}`, {
          purpose: 'models',
          method: 'GET',
          path: '/v1/models?limit=20',
        }),
      };
    if (first.status === 200) continue;
    if (first.status !== 401 || !isAnthropicAnswer(first)) continue;
    if (!mayBeUnknownKey(answerOf(s, subject, first), subject)) continue;
    // Only a Console API key can be new and still activating: an OAuth token (or an Admin key)
    // where an API key belongs is settled in key_format; its age cannot change the diagnosis.
    if (!mayBeConsoleKey(subject)) continue;
    const age = s.answers.key_age;
    if (age === undefined && s.input.interactive) return { state, outcome: askFor(QUESTIONS.key_age()) };
    if (!mayBeNew(age)) continue;
    const budgetSeconds = waitBudget(s);
    if (budgetSeconds === null && s.input.interactive) return { state, outcome: askFor(QUESTIONS.wait()) };
    const budgetMs = (budgetSeconds ?? 0) * 1000;
    const polls = probesOf(s, subject.id, 'activation');
    const lastPoll = polls[polls.length - 1];
    if (lastPoll?.status === 200) continue;
    if (lastPoll && (lastPoll.network || (lastPoll.status !== 401 && lastPoll.status !== null))) continue;
    const waited = s.waited[subject.id] ?? 0;
    // After each wait, one poll; the driver sleeps with backoff and jitter and reports the time.
    if (polls.length < waitTicks(s, subject.id) && waited !== Number.POSITIVE_INFINITY) {
      return {
        state,
        outcome: probe(s, subject, 'activation', `GET /v1/models (attempt ${polls.length + 2})`, {
          purpose: 'activation',
          method: 'GET',
          path: '/v1/models?limit=1',
        }),
      };
    }
    if (waited < budgetMs) {
      return {
        state,
        outcome: {
          pending: {
            type: 'wait',
            step: 'activation',
            attempt: polls.length + 1,
            elapsedMs: waited,
            budgetMs,
            subject: subject.id,
          },
        },
      };
    }
  }

  // Every credential found is tried once when the one in use is refused: would another one work?
  const refused = s.subjects.find((x) => isRefused(s, x));
  if (refused) {
    for (const alt of alternativesOf(s)) {
      if (lastOf(s, alt.id, 'alternative')) continue;
      const oauth = kindOf(alt.value).kind === 'oauth_access';
      const form: Subject = {
        ...refused,
        id: alt.id,
        value: alt.value,
        secondary: null,
        kind: kindOf(alt.value).kind,
        sendsAs: oauth ? 'authorization' : refused.sendsAs === 'both' ? 'x-api-key' : refused.sendsAs,
        beta: oauth || refused.beta,
        fingerprint: alt.fingerprint,
        source: alt.candidate.source,
      };
      return {
        state,
        outcome: probe(s, form, 'activation', `GET /v1/models with ${alt.candidate.source}`, {
          purpose: 'alternative',
          method: 'GET',
          path: '/v1/models?limit=1',
        }),
      };
    }
  }

  // Conclude: classify what each subject's first answer says, and the waiting outcome.
  const notes: string[] = [];
  for (const subject of s.subjects) {
    const first = lastOf(s, subject.id, 'models')!;
    const polls = probesOf(s, subject.id, 'activation');
    const accepted = polls.find((p) => p.status === 200);
    if (first.status === 200) {
      state = { ...state, findings: withAccepted(state.findings, subject, first) };
      state = addFindings(state, [
        finding(
          'key.valid',
          `${subject.fingerprint} (${subject.source}) was accepted as ${subject.sendsAs} with ` +
            `anthropic-version ` +
            `${subject.version}${first.requestId ? ` (request-id ${first.requestId})` : ''}.`,
        ),
      ]);
      // Accepted, but the body never finished: say so (the list of models was not read).
      if (first.network) state = addFindings(state, classifyAnswer(first, classifyCtx(subject, first, s)));
      notes.push(`${subject.fingerprint} accepted`);
      continue;
    }
    if (accepted) {
      state = { ...state, findings: withAccepted(state.findings, subject, accepted) };
      const seconds = Math.round((s.waited[subject.id] ?? 0) / 1000);
      state = addFindings(state, [
        finding(
          'key.not_yet_active',
          `${subject.fingerprint} was rejected at first (request-id ${first.requestId ?? 'none'}) and ` +
            `accepted after about ${seconds} s of waiting (request-id ${accepted.requestId ?? 'none'}). ` +
            `New keys can take a few minutes to activate; nothing needs fixing.`,
        ),
        finding('key.valid', `${subject.fingerprint} (${subject.source}) is accepted now.`),
      ]);
      notes.push(`${subject.fingerprint} became active after ~${seconds} s`);
      continue;
    }
    const last = polls[polls.length - 1] ?? first;
    const found = classifyAnswer(last, classifyCtx(subject, last, s));
    const waitedMs = s.waited[subject.id] ?? 0;
    const young = mayBeNew(s.answers.key_age) && waitedMs === 0;
    const extra =
      waitedMs > 0 && waitedMs !== Number.POSITIVE_INFINITY
        ? ` Still rejected after waiting ${Math.round(waitedMs / 1000)} s.`
        : young
          ? ' The key is new: it may still be activating.'
          : '';
    const waitFix = young ? FIX.mayStillActivate : [];
    state = addFindings(
      state,
      found.map((f) =>
        f.id === 'key.invalid'
          ? {
              ...f,
              detail: `${subject.fingerprint} from ${subject.source}: ${f.detail}${extra}`,
              fix: [...waitFix, ...f.fix],
            }
          : f,
      ),
    );
    // Refused for a reason another step owns (the header it came in): say so, not a bare status.
    const elsewhere = !found.some((f) => f.step === 'activation' && f.severity === 'error');
    notes.push(
      first.network
        ? `no answer (${first.network.kind})`
        : elsewhere
          ? `${subject.fingerprint} refused as sent (` +
            `${first.status} ${first.errorMessage ?? ''}`.trim() +
            '): see Header'
          : `${subject.fingerprint}: ${first.status} ${first.errorMessage ?? ''}`.trim(),
    );
  }
  if (state.findings.some((f) => f.id === 'key.not_yet_active')) {
    // The 401 the person pasted is explained by the wait we just watched end.
    state = {
      ...state,
      findings: state.findings.map((f) =>
        f.id === 'key.invalid' && f.detail.endsWith(PASTED_MARK)
          ? {
              ...f,
              severity: 'info',
              detail: `${f.detail} Explained: the key was not yet active then, and is now.`,
              fix: [],
            }
          : f,
      ),
    };
  }
  // A pasted refusal while every credential found here is accepted: the failing program sent another.
  const oks = s.subjects.map((x) => acceptedProbe(state, x.id) ?? lastOf(state, x.id, 'models'));
  if (!state.findings.some((f) => f.id === 'key.not_yet_active') && oks.every((r) => r?.status === 200))
    state = { ...state, findings: pastedRefusalExplained(state.findings, s.subjects, oks as ProbeResult[]) };
  state = addFindings(state, workingAlternatives(state));
  const verified = s.subjects.some((x) => acceptedProbe(state, x.id) || lastOf(state, x.id, 'models')?.status === 200);
  const allNetwork = s.subjects.every((x) => lastOf(state, x.id, 'models')?.network);
  return {
    state,
    outcome: {
      done: { note: [...new Set(notes)].join('; ') || (verified ? 'accepted' : 'not verified'), skipped: allNetwork },
    },
  };
};

/** Refused by the API itself (not a network fault, not a gateway, not transient), and not accepted later. */
function isRefused(s: State, x: Subject): boolean {
  const first = lastOf(s, x.id, 'models');
  if (!first || acceptedProbe(s, x.id)) return false;
  return answerOf(s, x, first).kind === 'rejected';
}

/** A refused credential in use, and another one found that the API accepts: say which, and make it win. */
function workingAlternatives(s: State): Finding[] {
  const out: Finding[] = [];
  for (const subject of s.subjects.filter((x) => isRefused(s, x))) {
    const failing = candidateOf(s, subject);
    if (!failing) continue;
    for (const alt of alternativesOf(s)) {
      const ok = lastOf(s, alt.id, 'alternative');
      if (ok?.status !== 200 || ok.network) continue;
      const first = lastOf(s, subject.id, 'models')!;
      const readsDotenv = subject.clients.some((c) => c !== 'claude-code' && c !== 'curl' && c !== 'other');
      out.push(
        finding(
          'env.conflict',
          `${subject.labels.join(', ')} ${subject.labels.length > 1 ? 'send' : 'sends'} ${subject.fingerprint} ` +
            `from ${subject.source}, which the API refuses (request-id ${first.requestId ?? 'none'}); ` +
            `${alt.fingerprint} from ${alt.candidate.source} is accepted the same way ` +
            `(request-id ${ok.requestId ?? 'none'}).`,
          {
            severity: 'error',
            title: `A key that works is in ${alt.candidate.source}; the one in use (${subject.source}) is refused`,
            fix: makeItWin(s, failing, alt.candidate, readsDotenv),
          },
        ),
      );
      break;
    }
  }
  return out;
}

function mayBeNew(age: string | undefined): boolean {
  if (age === undefined || age === UNKNOWN) return false;
  if (age === 'new') return true;
  if (age === 'old') return false;
  const minutes = Number(age);
  return Number.isFinite(minutes) && minutes < NEW_KEY_MINUTES;
}

function waitBudget(s: State): number | null {
  const a = s.answers.wait;
  if (a !== undefined) {
    const n = Number(a);
    return Number.isFinite(n) && n > 0 ? n : 0;
  }
  return s.input.interactive ? null : s.input.options.waitSeconds;
}

/** One poll follows each finished wait. */
function waitTicks(s: State, subject: string): number {
  return s.waits[subject] ?? 0;
}

/** Only a key the API does not (yet) know can be "not yet active": worth waiting for. */
/** A credential the Console lists under API keys (or one whose shape says nothing else). */
export function mayBeConsoleKey(subject: Subject): boolean {
  return subject.kind === 'api_key' || subject.kind === 'unknown';
}

export function mayBeUnknownKey(answer: Answer, subject: Subject): boolean {
  switch (answer.kind) {
    case 'rejected':
      switch (answer.reason) {
        case 'unknown_key':
          return true;
        case 'bearer_refused':
          // Refused as Bearer the way @anthropic-ai/sdk 1.x sends keys: the key itself is unknown.
          return subject.sendsAs === 'authorization' && subject.version === BEARER_KEY_VERSION;
        default:
          return false;
      }
    case 'accepted':
    case 'transient':
    case 'not_anthropic':
    case 'network':
      return false;
    default: {
      const never: never = answer;
      return never;
    }
  }
}
