// The diagnosis as a state machine over the diagnostic order (architecture.md).
// Pure: no I/O, no clock, no randomness. A driver (headless or Ink) runs what `pending` asks for
// and feeds the outcome back as an event. Each step is a planner: given the state, it either asks
// for one more thing (a probe, a question, a wait, an Admin look-up) or says it is finished.
import { PREFERRED_MODEL } from './api.js';
import { MESSAGES, noAnswer } from './classify.js';
import { QUESTIONS, UNKNOWN, type Question, type QuestionId } from './questions.js';
import { prepare } from './probes.js';
import type {
  BatchedProbe,
  Event,
  MachineInput,
  Pending,
  Planner,
  ProbeJob,
  ProbeRecord,
  SpareAnswer,
  State,
  StepDone,
} from './state.js';
import { activation } from './steps/activation.js';
import { header } from './steps/header.js';
import { keyFormat } from './steps/key-format.js';
import { provider } from './steps/provider.js';
import { scope } from './steps/scope.js';
import { workspace } from './steps/workspace.js';
import { STEP_ORDER, type Options, type ProbeResult, type StepId, type StepResult } from './types.js';

// The machine's public face: drivers and tests import from here.
export { QUESTIONS, SECRET_QUESTIONS, UNKNOWN, type Choice, type Question, type QuestionId } from './questions.js';
export {
  PASTED_MARK,
  type AdminOutcome,
  type AdminRequest,
  type BatchedProbe,
  type Event,
  type MachineInput,
  type Pending,
  type ProbeJob,
  type ProbeRecord,
  type State,
  type Subject,
} from './state.js';
export { buildRequest, probeValue } from './probes.js';
export { NEW_KEY_MINUTES } from './steps/activation.js';
export { baseUrlOddities } from './steps/provider.js';
export { effectiveFindings, orderFindings, summaryOf, toDiagnosis, verdictOf } from './verdict.js';

// ---------------------------------------------------------------------------------------------
// The step registry: one planner per step (steps/*.ts), run in STEP_ORDER (cli-contract.md).

const PLANNERS: Record<StepId, Planner> = { key_format: keyFormat, activation, header, scope, workspace, provider };

// ---------------------------------------------------------------------------------------------
// Start

export function start(input: MachineInput): State {
  const answers: Partial<Record<QuestionId, string>> = { ...answersFromOptions(input.options), ...input.answers };
  const base: State = {
    input,
    resolutions: [],
    subjects: [],
    answers,
    asked: [],
    history: [],
    probes: [],
    admin: null,
    waited: {},
    waits: {},
    observedRuns: [],
    preparedWith: null,
    stepIndex: 0,
    steps: [],
    findings: [],
    notes: [...input.discovery.notes],
    pending: { type: 'done' },
    arrived: {},
    unused: [],
    cancelled: false,
    finishedAtMs: null,
  };
  return advance(base);
}

/**
 * The probes a run would send first whoever answers the wizard's questions: the first batch of a
 * run with no questions, for every answer the first question (which program) can get, keeping
 * only the requests all of them send. The wizard sends these while its first questions are on
 * screen (session.prefetch): whatever the person answers, the machine then asks for each of these
 * very requests, and no key is sent in a form the chosen program would not use.
 */
export function firstProbes(input: MachineInput): ProbeJob['request'][] {
  const batch = (i: MachineInput): ProbeJob['request'][] => {
    const p = start({ ...i, interactive: false }).pending;
    if (p.type === 'probe') return [p.request];
    // Not the probes sent ahead of need: the wizard asks questions first (the model, for one).
    return p.type === 'probes' ? p.probes.filter((x) => !x.ahead).map((x) => x.request) : [];
  };
  if (input.options.client !== 'auto') return batch(input);
  const choices = (QUESTIONS.client().choices ?? []).map((c) => c.value as Options['client']);
  const perChoice = choices.map((client) => batch({ ...input, options: { ...input.options, client } }));
  const same = (a: ProbeJob['request'], b: ProbeJob['request']) => JSON.stringify(a) === JSON.stringify(b);
  return (perChoice[0] ?? []).filter((r) => perChoice.every((list) => list.some((x) => same(x, r))));
}

/** Flags answer questions: the headless driver never has to invent an answer. */
export function answersFromOptions(o: Options): Partial<Record<QuestionId, string>> {
  const a: Partial<Record<QuestionId, string>> = {};
  if (o.client !== 'auto') a.client = o.client;
  if (o.errorText !== null) a.error = o.errorText;
  if (o.keyAgeMinutes !== null) a.key_age = String(o.keyAgeMinutes);
  if (o.model !== null) a.model = o.model;
  if (o.provider !== null) a.provider = o.provider;
  if (o.probeBaseUrl) a.probe_base_url = 'yes';
  // --wait SECONDS answers "Wait and re-check?" (0, the default, leaves the question to the wizard).
  if (o.waitSeconds > 0) a.wait = String(o.waitSeconds);
  if (o.observeClients) a.observe_clients = 'yes';
  return a;
}

// ---------------------------------------------------------------------------------------------
// The reducer

export function reduce(state: State, event: Event): State {
  if (state.pending.type === 'done' && event.type !== 'finished') return state;
  switch (event.type) {
    case 'answered': {
      if (state.pending.type !== 'question' || state.pending.question.id !== event.id) return state;
      return advance({
        ...state,
        history: [...state.history, state],
        asked: [...state.asked, event.id],
        answers: { ...state.answers, [event.id]: event.value },
      });
    }
    case 'skip': {
      if (state.pending.type === 'question') {
        const id = state.pending.question.id;
        return advance({
          ...state,
          history: [...state.history, state],
          asked: [...state.asked, id],
          answers: { ...state.answers, [id]: UNKNOWN },
        });
      }
      if (state.pending.type === 'wait') {
        // Esc while waiting: stop waiting, for every key still waited for; they stay rejected.
        const stopped = Object.fromEntries(state.subjects.map((x) => [x.id, Number.POSITIVE_INFINITY]));
        return advance({ ...state, waited: { ...state.waited, ...stopped } });
      }
      return state;
    }
    case 'back': {
      const previous = state.history[state.history.length - 1];
      return previous && state.pending.type === 'question' ? previous : state;
    }
    case 'probeFinished': {
      if (state.pending.type === 'probes') return batchAnswer(state, state.pending.probes, event);
      if (state.pending.type !== 'probe') return state;
      const record: ProbeRecord = { subject: state.pending.subject, step: state.pending.step, result: event.result };
      return advance({ ...state, probes: [...state.probes, record] });
    }
    case 'waitTick': {
      if (state.pending.type !== 'wait') return state;
      const s = state.pending.subject;
      return advance({
        ...state,
        waited: { ...state.waited, [s]: (state.waited[s] ?? 0) + Math.max(0, event.elapsedMs) },
        waits: { ...state.waits, [s]: (state.waits[s] ?? 0) + 1 },
      });
    }
    case 'adminFinished': {
      if (state.pending.type !== 'admin') return state;
      const adminProbes = (event.outcome.probes ?? []).map((result): ProbeRecord => ({
        subject: 'admin',
        step: 'workspace',
        result,
      }));
      return advance({ ...state, admin: event.outcome, probes: [...state.probes, ...adminProbes] });
    }
    case 'observed': {
      if (state.pending.type !== 'observe') return state;
      const observed = [...(state.input.observed ?? []), ...event.observations];
      return advance({
        ...state,
        input: { ...state.input, observed },
        observedRuns: [...state.observedRuns, state.pending.key],
        preparedWith: null,
      });
    }
    case 'cancel':
      return { ...state, cancelled: true, pending: { type: 'done' } };
    case 'finished':
      return { ...state, finishedAtMs: event.nowMs };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/**
 * Runs planners until one needs the outside world, or every step is finished; a probe asked for
 * goes out together with the probes that would follow it whatever it answers (batchProbes).
 */
export function advance(state: State, spare: SpareAnswer[] = []): State {
  let s = plan(state);
  let left = spare;
  // A request sent ahead of need that a planner asks for now is answered by its spare answer.
  for (let p = s.pending; p.type === 'probe'; p = s.pending) {
    const job = jobOf(p);
    const hit = left.find((x) => sameRequest(x.job, job));
    if (!hit) break;
    left = left.filter((x) => x !== hit);
    s = plan({ ...s, probes: [...s.probes, { subject: job.subject, step: job.step, result: hit.result }] });
  }
  // The rest stands in for nothing later: a wait, a question or another round may change the answer.
  if (left.length > 0) s = { ...s, unused: [...s.unused, ...left] };
  return batchProbes(s);
}

// ---------------------------------------------------------------------------------------------
// Batches: probes that do not depend on each other's answers are asked for together. Planners
// stay sequential (one probe at a time); the machine looks ahead. A probe P2 joins the batch
// when, whatever the batch so far answers (accepted, refused, or no answer at all), the planners
// ask for exactly P2 next. Answers may arrive in any order: they are kept by probe id and
// recorded in batch order once all are in, so the outcome does not depend on arrival order.

/** At most this many probes at once (the transport keeps as many connections per host). */
export const MAX_BATCH = 6;

/** A look accepted, listing the model the scope step prefers; and no answer at all. */
const ACCEPTED: Partial<ProbeResult> = { status: 200, json: { data: [{ id: PREFERRED_MODEL }], has_more: false } };
const NO_ANSWER: Partial<ProbeResult> = { network: { kind: 'timeout', code: 'ETIMEDOUT', message: 'no answer' } };

/**
 * Answers a probe in flight could give, to steer the look-ahead (never recorded): accepted (with a
 * model listed), no answer at all, a gateway's bare 401, and the API's 401 and 403 with every
 * message the classifier knows (its table, so a new message is covered when it is added).
 */
const LOOKAHEAD: Partial<ProbeResult>[] = [
  ACCEPTED,
  NO_ANSWER,
  { status: 401 },
  ...([401, 403] as const).flatMap((status) =>
    Object.values(MESSAGES).map((m): Partial<ProbeResult> => ({
      status,
      errorType: status === 401 ? 'authentication_error' : 'permission_error',
      errorMessage: m.text,
      anthropicEnvelope: true,
      requestId: 'req_lookahead',
    })),
  ),
];

function sampleAnswer(r: ProbeJob['request'], over: Partial<ProbeResult>): ProbeResult {
  return { ...noAnswer(r), ms: 0, attempts: 1, at: '', ...over };
}

const sameRequest = (a: ProbeJob, b: ProbeJob) => JSON.stringify(a.request) === JSON.stringify(b.request);

function jobOf(p: Extract<Pending, { type: 'probe' }>): ProbeJob {
  return { request: p.request, subject: p.subject, step: p.step, label: p.label };
}

function batchProbes(s: State): State {
  if (s.pending.type !== 'probe') return s;
  const batch: ProbeJob[] = [jobOf(s.pending)];
  while (batch.length < MAX_BATCH) {
    let next: ProbeJob | null = null;
    for (const sample of LOOKAHEAD) {
      const records = batch.map((j): ProbeRecord => ({
        subject: j.subject,
        step: j.step,
        result: sampleAnswer(j.request, sample),
      }));
      const ahead = plan({ ...s, probes: [...s.probes, ...records] }).pending;
      const job = ahead.type === 'probe' ? jobOf(ahead) : null;
      if (!job || (next && !sameRequest(job, next))) {
        next = null;
        break;
      }
      next = job;
    }
    if (!next || batch.some((j) => sameRequest(j, next))) break;
    batch.push(next);
  }
  const ahead = sendAhead(s, batch);
  if (batch.length === 1 && ahead.length === 0) return s;
  // Ids are unique in the batch: the count of probes recorded before it, then the place in it.
  const probes = [
    ...batch.map((j, i): BatchedProbe => ({ ...j, id: `p${s.probes.length + i + 1}` })),
    ...ahead.map((j, i): BatchedProbe => ({ ...j, id: `a${s.probes.length + i + 1}`, ahead: true })),
  ];
  return { ...s, pending: { type: 'probes', probes }, arrived: {} };
}

/** Scheme and host of an absolute URL (no parsing that could throw on a strange base URL). */
const originOf = (url: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url)?.[0].toLowerCase() ?? url;

/**
 * Probes sent ahead of need, with the batch: for each credential, what the planners would ask for
 * next if its look were accepted (the healthy case, where an answer one round trip sooner matters),
 * followed while each of those would be accepted in turn (the scope step's model and count_tokens
 * probes). Only with a credential's first look, only requests to a server the batch already calls
 * with a credential the batch sends in that form, and never past a question (no answer is
 * assumed). The answers are kept as spare: a planner that asks for the same request right after the
 * batch is answered there (advance); one nobody asks for before the machine needs anything else
 * decided nothing and is listed as unused. Where the guess is wrong, the planners' own request goes out as
 * before: one round trip later, never a different answer.
 */
function sendAhead(s: State, batch: ProbeJob[]): ProbeJob[] {
  if (s.input.sendAhead === false) return [];
  const origins = new Set(batch.map((j) => originOf(j.request.url)));
  // Only with a credential's first look: once one was refused, the healthy case is not the likely one.
  const firstLooks = [...new Set(batch.map((j) => j.subject))].filter((id) => !s.probes.some((p) => p.subject === id));
  const ahead: ProbeJob[] = [];
  const answered = (j: ProbeJob, sample: Partial<ProbeResult>): ProbeRecord => ({
    subject: j.subject,
    step: j.step,
    result: sampleAnswer(j.request, sample),
  });
  // One world per credential: its look accepted, the others' unanswered, so that the planners go
  // on with this one (the scope step takes the first credential accepted).
  for (const subject of firstLooks) {
    const world = batch.map((j) => answered(j, j.subject === subject ? ACCEPTED : NO_ANSWER));
    let sample: State = { ...s, probes: [...s.probes, ...world] };
    while (batch.length + ahead.length < MAX_BATCH) {
      const next = plan(sample).pending;
      if (next.type !== 'probe') break;
      const job = jobOf(next);
      if (job.subject !== subject || !origins.has(originOf(job.request.url))) break;
      if (![...batch, ...ahead].some((j) => sameRequest(j, job))) ahead.push(job);
      sample = { ...sample, probes: [...sample.probes, answered(job, ACCEPTED)] };
    }
  }
  return ahead;
}

/** One answer of a batch: kept by id; once all are in, recorded in batch order and planning goes on. */
function batchAnswer(state: State, probes: BatchedProbe[], event: Extract<Event, { type: 'probeFinished' }>): State {
  const job = probes.find((p) => p.id === event.id);
  if (!job || state.arrived[job.id]) return state;
  const arrived = { ...state.arrived, [job.id]: event.result };
  if (probes.some((p) => !arrived[p.id])) return { ...state, arrived };
  const needed = probes.filter((p) => !p.ahead);
  const records = needed.map((p): ProbeRecord => ({ subject: p.subject, step: p.step, result: arrived[p.id]! }));
  const spare = probes.filter((p) => p.ahead).map(({ id, ahead: _, ...j }) => ({ job: j, result: arrived[id]! }));
  return advance({ ...state, arrived: {}, probes: [...state.probes, ...records] }, spare);
}

/** The planners alone: until one needs the outside world, or every step is finished. */
function plan(state: State): State {
  let s = state;
  if (s.stepIndex === 0) {
    // The program that fails decides everything else: ask first when nobody said.
    if (s.answers.client === undefined && s.input.interactive) return ask(s, QUESTIONS.client());
    // Evidence beats inference: offer to watch the real clients before reasoning about them.
    const watch = observeNext(s);
    if (watch) return watch;
    const signature = `${s.answers.client ?? ''}\u0000${s.answers.paste_key ?? ''}`;
    if (s.preparedWith !== signature) s = { ...prepare(s), preparedWith: signature };
    // Nothing found: with consent, test a key the person pastes (masked, never echoed).
    const nothing = s.resolutions.every(
      (r) => !r.credential && !r.usesSubscriptionLogin && !r.usesApiKeyHelper && r.provider === 'anthropic',
    );
    if (nothing && s.input.interactive && s.answers.paste_key === undefined)
      return ask(s, QUESTIONS.paste_key(s.input.options.apiUrl));
  }
  while (s.stepIndex < STEP_ORDER.length) {
    const step = STEP_ORDER[s.stepIndex]!;
    const { state: next, outcome } = PLANNERS[step](s);
    if ('pending' in outcome) return { ...next, pending: outcome.pending };
    s = { ...next, steps: [...next.steps, finishStep(next, step, outcome.done)], stepIndex: next.stepIndex + 1 };
  }
  return { ...s, pending: { type: 'done' } };
}

/** The wizard's offers to observe (installed clients, then the person's own command), one at a time. */
function observeNext(s: State): State | null {
  if (!s.input.interactive || s.input.offerObservation !== true) return null;
  const installed = s.input.discovery.clients.filter((c) => c.how === 'installed');
  const alreadyWatched = (s.input.observed ?? []).some((o) => o.origin === 'installed');
  if (installed.length > 0 && !alreadyWatched) {
    const names = [
      ...new Set(installed.map((c) => (c.name === 'claude-code' ? 'Claude Code' : c.name) + ` ${c.version}`)),
    ];
    const label =
      names.length <= 3 ? names.join(' and ') : `${names.slice(0, 2).join(', ')} and ${names.length - 2} more`;
    if (s.answers.observe_clients === undefined) return ask(s, QUESTIONS.observe_clients(label));
    if (s.answers.observe_clients === 'yes' && !s.observedRuns.includes('installed'))
      return { ...s, pending: { type: 'observe', key: 'installed', installed: true, command: null, label } };
  }
  if ((s.input.observed ?? []).some((o) => (o.origin ?? 'command') === 'command')) return null;
  if (s.answers.observe_command === undefined) return ask(s, QUESTIONS.observe_command());
  const command = s.answers.observe_command.trim();
  if (command !== '' && command !== UNKNOWN && !s.observedRuns.includes(`command:${command}`))
    return { ...s, pending: { type: 'observe', key: `command:${command}`, installed: false, command, label: command } };
  return null;
}

function ask(s: State, question: Question): State {
  return { ...s, pending: { type: 'question', question } };
}

function finishStep(s: State, step: StepId, done: StepDone): StepResult {
  const mine = s.findings.filter((f) => f.step === step);
  const strict = s.input.options.strict;
  const hasError = mine.some((f) => f.severity === 'error' || (strict && f.severity === 'warning'));
  const hasWarn = mine.some((f) => f.severity === 'warning');
  let status: StepResult['status'];
  if (hasError) status = 'fail';
  else if (done.skipped) status = 'skip';
  else if (hasWarn) status = 'warn';
  else status = done.status ?? 'pass';
  const firstBad = mine.find((f) => f.severity === 'error') ?? mine.find((f) => f.severity === 'warning');
  return { id: step, status, note: firstBad && status !== 'skip' ? firstBad.title : done.note };
}
