// The diagnosis as a state machine over the diagnostic order (architecture.md).
// Pure: no I/O, no clock, no randomness. A driver (headless or Ink) runs what `pending` asks for
// and feeds the outcome back as an event. Each step is a planner: given the state, it either asks
// for one more thing (a probe, a question, a wait, an Admin look-up) or says it is finished.
import { classifyAnswer, isAnthropicAnswer, parsePastedError } from './classify.js';
import { fingerprint, kindOf, lintKey } from './credential.js';
import { finding, type FindingId } from './findings.js';
import { precedenceFindings, resolveClients } from './precedence.js';
import { QUESTIONS, SECRET_QUESTIONS, UNKNOWN, type Question, type QuestionId } from './questions.js';
import {
  STEP_ORDER,
  type Candidate,
  type ClientModel,
  type CredentialKind,
  type Diagnosis,
  type Discovery,
  type EnvironmentInfo,
  type Finding,
  type HeaderStyle,
  type Options,
  type PastedError,
  type ProbePurpose,
  type ProbeRequest,
  type ProbeResult,
  type Resolution,
  type StepId,
  type StepResult,
  type Verdict,
} from './types.js';
import { API_VERSION, BEARER_KEY_VERSION, OAUTH_BETA, OFFICIAL_API } from './api.js';

/** A key younger than this may still be activating (fact sheet; seeds: "a few minutes"). [U] */
export const NEW_KEY_MINUTES = 15;
/** Claude Code's real credential variables; anything else holding a key is a near-miss name. */
export const CREDENTIAL_NAMES = [
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_FOUNDRY_API_KEY',
  'AWS_BEARER_TOKEN_BEDROCK',
];

/** Marks findings that come from the error the person pasted, not from a live check. */
export const PASTED_MARK = ' (from the pasted error)';

export { QUESTIONS, SECRET_QUESTIONS, UNKNOWN, type Choice, type Question, type QuestionId } from './questions.js';

// ---------------------------------------------------------------------------------------------
// Admin look-ups (io/admin.ts runs them; the result comes back as findings and notes)

export interface AdminRequest {
  /** The credential whose key record to find (SECRET). */
  value: string;
  fingerprint: string;
  /** The Admin key (SECRET). */
  adminKey: string;
  apiUrl: string;
}

export interface AdminOutcome {
  findings: Finding[];
  notes: string[];
  /** Workspace the key lives in, when found (`null` = Default Workspace). */
  workspace?: { id: string | null; name: string | null; archived: boolean } | null;
  /** Key record status, when found. */
  keyStatus?: string | null;
  /** The Admin API requests made (bodies listing other keys already removed). */
  probes?: ProbeResult[];
}

// ---------------------------------------------------------------------------------------------
// State, pending work, events

/** One distinct credential form to probe (several clients may share it). */
export interface Subject {
  id: string;
  clients: ClientModel[];
  labels: string[];
  source: string;
  /** The value as probed: cleaned of outside whitespace/quotes so it can go in a header (SECRET). */
  value: string;
  /** The Bearer value when two different credentials go out (SECRET). */
  secondary: string | null;
  kind: CredentialKind;
  sendsAs: HeaderStyle;
  version: '2023-06-01' | '2026-10-21';
  beta: boolean;
  customHeaders: Record<string, string>;
  fingerprint: string;
}

export type Pending =
  | { type: 'question'; question: Question }
  | { type: 'probe'; request: ProbeRequest; subject: string; step: StepId; label: string }
  | { type: 'wait'; step: 'activation'; attempt: number; elapsedMs: number; budgetMs: number; subject: string }
  | { type: 'admin'; request: AdminRequest }
  | { type: 'done' };

export interface ProbeRecord {
  subject: string;
  step: StepId;
  result: ProbeResult;
}

export interface MachineInput {
  options: Options;
  discovery: Discovery;
  environment: EnvironmentInfo;
  /** Epoch ms when the run started (the driver's clock). */
  nowMs: number;
  /** Answers known before the run (from flags). */
  answers?: Partial<Record<QuestionId, string>>;
  /** Whether a person can be asked (the wizard); headless answers every question "unknown". */
  interactive: boolean;
  /** The Admin key value, read by the driver from --admin-key-env (SECRET). */
  adminKey?: string | null;
}

export interface State {
  input: MachineInput;
  resolutions: Resolution[];
  subjects: Subject[];
  answers: Partial<Record<QuestionId, string>>;
  /** Question ids in the order they were answered (for Esc = back). */
  asked: QuestionId[];
  /** The state before each question was answered. */
  history: State[];
  probes: ProbeRecord[];
  admin: AdminOutcome | null;
  /** Milliseconds spent waiting for activation, and waits finished, per subject. */
  waited: Record<string, number>;
  waits: Record<string, number>;
  /** What prepare() last resolved with (client answer + pasted key); re-resolve when it changes. */
  preparedWith: string | null;
  stepIndex: number;
  steps: StepResult[];
  findings: Finding[];
  notes: string[];
  pending: Pending;
  cancelled: boolean;
  finishedAtMs: number | null;
}

export type Event =
  | { type: 'answered'; id: QuestionId; value: string }
  | { type: 'probeFinished'; result: ProbeResult }
  | { type: 'waitTick'; elapsedMs: number }
  | { type: 'adminFinished'; outcome: AdminOutcome }
  | { type: 'skip' }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'finished'; nowMs: number };

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
    preparedWith: null,
    stepIndex: 0,
    steps: [],
    findings: [],
    notes: [...input.discovery.notes],
    pending: { type: 'done' },
    cancelled: false,
    finishedAtMs: null,
  };
  return advance(base);
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

type PlanOutcome = { pending: Pending } | { done: { status?: StepResult['status']; note: string; skipped?: boolean } };

/** Runs planners until one needs the outside world, or every step is finished. */
function advance(state: State): State {
  let s = state;
  if (s.stepIndex === 0) {
    // The program that fails decides everything else: ask first when nobody said.
    if (s.answers.client === undefined && s.input.interactive) return ask(s, QUESTIONS.client());
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

function ask(s: State, question: Question): State {
  return { ...s, pending: { type: 'question', question } };
}

function finishStep(
  s: State,
  step: StepId,
  done: { status?: StepResult['status']; note: string; skipped?: boolean },
): StepResult {
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

// ---------------------------------------------------------------------------------------------
// Preparation: resolve clients, build probe subjects, static findings

function clientChoice(s: State): Options['client'] {
  const a = s.answers.client;
  return a === 'claude-code' || a === 'sdk' || a === 'curl' || a === 'other' ? a : 'auto';
}

/** Resolves clients and the static findings from scratch (only before key_format finishes). */
function prepare(state: State): State {
  const d = withPastedKey(state.input.discovery, state.answers.paste_key);
  const resolutions = withKeyEnv(resolveClients(d, clientChoice(state)), d);
  const findings = [
    ...precedenceFindings(d, resolutions),
    ...lintFindings(d, resolutions),
    ...hygieneFindings(d, resolutions),
  ];
  return { ...state, resolutions, subjects: buildSubjects(resolutions), findings: dedupe(findings) };
}

/**
 * `--key-env NAME`: the program reads NAME itself and passes the value in code (a CI secret
 * under its own name). A client that finds no credential of its own is diagnosed with it, in
 * the header that client sends an API key (or token) in.
 */
function withKeyEnv(resolutions: Resolution[], d: Discovery): Resolution[] {
  const c = d.candidates.find((x) => x.origin === 'key-env' && x.value.trim() !== '');
  if (!c) return resolutions;
  const kind = kindOf(c.value).kind;
  return resolutions.map((r) => {
    // Claude Code cannot be handed a key in code: it reads only its own variables.
    if (
      r.client === 'claude-code' ||
      r.credential ||
      r.usesSubscriptionLogin ||
      r.usesApiKeyHelper ||
      r.provider !== 'anthropic'
    )
      return r;
    const bearer = r.client === 'sdk-ts-1' || kind === 'oauth_access';
    return {
      ...r,
      credential: c,
      credentialKind: kind,
      sendsAs: bearer ? 'authorization' : 'x-api-key',
      secondary: null,
      oauthBeta: r.oauthBeta,
      note: `${c.name} from ${c.source} (--key-env), passed in code; sent as ${bearer ? 'authorization' : 'x-api-key'}`,
    };
  });
}

/** A key pasted into the wizard is diagnosed as if it were ANTHROPIC_API_KEY in the environment. */
function withPastedKey(d: Discovery, pasted: string | undefined): Discovery {
  if (!pasted || pasted === UNKNOWN || pasted.trim() === '') return d;
  const candidate: Candidate = { source: 'prompt:pasted key', origin: 'env', name: 'ANTHROPIC_API_KEY', value: pasted };
  return {
    ...d,
    candidates: [...d.candidates.filter((c) => !(c.origin === 'env' && c.name === 'ANTHROPIC_API_KEY')), candidate],
  };
}

function isCredentialCandidate(c: Candidate): boolean {
  return CREDENTIAL_NAMES.includes(c.name) || c.origin === 'key-env' || kindOf(c.value).kind !== 'unknown';
}

function lintFindings(d: Discovery, resolutions: Resolution[]): Finding[] {
  const out: Finding[] = [];
  for (const c of d.candidates) {
    if (c.value === '' || !isCredentialCandidate(c)) continue;
    const users = resolutions.filter(
      (r) => r.credential === c || (r.credential && r.credential.source === c.source && r.credential.value === c.value),
    );
    // A gateway in ANTHROPIC_BASE_URL may take keys of its own shape: only Anthropic's API insists.
    const viaGateway = users.length > 0 && users.every((r) => r.baseUrl && normalize(r.baseUrl.value) !== OFFICIAL_API);
    const expects =
      c.name === 'CLAUDE_CODE_OAUTH_TOKEN'
        ? 'oauth'
        : c.name === 'ANTHROPIC_AUTH_TOKEN' || viaGateway
          ? 'any'
          : c.name === 'AWS_BEARER_TOKEN_BEDROCK' || c.name === 'ANTHROPIC_FOUNDRY_API_KEY'
            ? 'any'
            : 'api_key';
    const trims: Partial<Record<ClientModel, boolean>> = {};
    for (const r of users) trims[r.client] = r.trims;
    const found = lintKey(c.value, {
      name: c.name,
      source: c.source,
      consumers: users.map((r) => r.client),
      trims,
      expects,
    });
    for (const f of found) {
      if (users.length === 0 && f.severity === 'error') {
        // Damage in a value no diagnosed client reads is a risk, not the cause.
        out.push({ ...f, severity: 'warning', detail: `${f.detail} (No client diagnosed here uses ${c.source}.)` });
      } else out.push(f);
    }
  }
  return out;
}

function hygieneFindings(d: Discovery, resolutions: Resolution[]): Finding[] {
  const out: Finding[] = [];
  const inUse = new Set(resolutions.map((r) => r.credential?.value).filter((v): v is string => !!v));
  for (const leak of d.leaks) {
    if (leak.files.length === 0) continue;
    const used = inUse.has(leak.value);
    out.push(
      finding(
        'key.leaked',
        `${fingerprint(leak.value)} is in ${leak.files.length === 1 ? 'a tracked file' : 'tracked files'}: ${leak.files.slice(0, 5).join(', ')}${used ? '' : ' (not the credential the clients use)'}. Anyone with the repository has it.`,
        {
          severity: used ? 'error' : 'warning',
        },
      ),
    );
  }
  for (const f of d.dotenvFiles) {
    if (f.holdsCredential && f.ignoredByGit === false) {
      const rel = f.source.replace(/^file:/, '').replace(/:\d+$/, '');
      const name = rel.split('/').pop() ?? '.env';
      out.push(
        finding(
          'env.dotenv_not_ignored',
          `${rel} holds a credential and is not ignored by git: one \`git add .\` publishes it.`,
          {
            fix: [`echo '${name}' >> .gitignore`, `git rm --cached ${rel} 2>/dev/null   # if it was already added`],
          },
        ),
      );
    }
  }
  return out;
}

/** The value as the client puts it on the wire, cleaned only as far as an HTTP header can carry it. */
export function probeValue(raw: string): string {
  let v = raw
    .trim()
    .replace(/^(['"\u2018\u2019\u201c\u201d])(.*)\1$/s, '$2')
    .replace(/^["'\u2018\u2019\u201c\u201d]|["'\u2018\u2019\u201c\u201d]$/g, '');
  v = v.replace(/^bearer\s+/i, '');
  // Anthropic keys use [A-Za-z0-9_-]; anything else inside (zero-width, NBSP, line breaks) is damage
  // that key_format reports. Probing without it tells whether the key itself is good.
  if (/^sk-ant-/.test(v)) v = v.replace(/[^A-Za-z0-9_-]/g, '');
  return v.replace(/[^\x21-\x7e]/g, '');
}

function buildSubjects(resolutions: Resolution[]): Subject[] {
  const subjects: Subject[] = [];
  for (const r of resolutions) {
    if (!r.credential || r.credential.value.trim() === '' || r.provider !== 'anthropic') continue;
    if (r.usesSubscriptionLogin) continue; // tokens from .credentials.json are never sent
    const value = probeValue(r.credential.value);
    if (value === '') continue;
    const secondary = r.secondary ? probeValue(r.secondary.value) : null;
    const key = [
      value,
      secondary ?? '',
      r.sendsAs,
      r.anthropicVersion,
      r.oauthBeta,
      JSON.stringify(r.customHeaders),
    ].join('\u0000');
    const existing = subjects.find((x) => x.id === key);
    if (existing) {
      existing.clients.push(r.client);
      existing.labels.push(r.label);
      continue;
    }
    subjects.push({
      id: key,
      clients: [r.client],
      labels: [r.label],
      source: r.credential.source,
      value,
      secondary,
      kind: r.credentialKind ?? kindOf(value).kind,
      sendsAs: r.sendsAs,
      version: r.anthropicVersion,
      beta: r.oauthBeta,
      customHeaders: r.customHeaders,
      fingerprint: fingerprint(r.credential.value),
    });
  }
  // Subject ids are internal; give them short stable names for records.
  return subjects.map((x, i) => ({ ...x, id: `s${i + 1}` }));
}

// ---------------------------------------------------------------------------------------------
// Probe requests

interface RequestShape {
  purpose: ProbePurpose;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  sentAs?: HeaderStyle;
  version?: string | null;
  beta?: boolean;
  base?: string;
}

export function buildRequest(s: Subject, apiUrl: string, shape: RequestShape): ProbeRequest {
  const sentAs = shape.sentAs ?? s.sendsAs;
  const version = shape.version === undefined ? s.version : shape.version;
  const beta = shape.beta ?? s.beta;
  const headers: Record<string, string> = { 'user-agent': 'claude-401-wizard', accept: 'application/json' };
  for (const [k, v] of Object.entries(s.customHeaders)) headers[k.toLowerCase()] = v;
  if (version) headers['anthropic-version'] = version;
  if (beta)
    headers['anthropic-beta'] = headers['anthropic-beta'] ? `${headers['anthropic-beta']},${OAUTH_BETA}` : OAUTH_BETA;
  if (sentAs === 'x-api-key') headers['x-api-key'] = s.value;
  if (sentAs === 'authorization') headers['authorization'] = `Bearer ${s.value}`;
  if (sentAs === 'both') {
    headers['x-api-key'] = s.value;
    headers['authorization'] = `Bearer ${s.secondary ?? s.value}`;
  }
  if (shape.body !== undefined) headers['content-type'] = 'application/json';
  return {
    purpose: shape.purpose,
    method: shape.method,
    url: (shape.base ?? apiUrl).replace(/\/+$/, '') + shape.path,
    headers,
    ...(shape.body !== undefined ? { body: shape.body } : {}),
    sentAs,
    anthropicVersion: version,
    oauthBeta: beta,
    credentialKind: s.kind,
  };
}

function probe(s: State, subject: Subject, step: StepId, label: string, shape: RequestShape): PlanOutcome {
  return {
    pending: {
      type: 'probe',
      request: buildRequest(subject, s.input.options.apiUrl, shape),
      subject: subject.id,
      step,
      label,
    },
  };
}

function probesOf(s: State, subject: string, purpose: ProbePurpose): ProbeResult[] {
  return s.probes.filter((p) => p.subject === subject && p.result.purpose === purpose).map((p) => p.result);
}

function lastOf(s: State, subject: string, purpose: ProbePurpose): ProbeResult | undefined {
  const all = probesOf(s, subject, purpose);
  return all[all.length - 1];
}

const AUTH_PURPOSES: ProbePurpose[] = ['models', 'activation', 'alt_header', 'with_beta'];

/** The answer that proved the credential works, if any. */
function acceptedProbe(s: State, subject: string): ProbeResult | undefined {
  return s.probes.find(
    (p) => p.subject === subject && AUTH_PURPOSES.includes(p.result.purpose) && p.result.status === 200,
  )?.result;
}

function classifyCtx(subject: Subject, r: ProbeResult, s: State) {
  return {
    sentAs: r.sentAs,
    credentialKind: subject.kind,
    anthropicVersion: r.anthropicVersion,
    oauthBeta: r.oauthBeta,
    client: subject.clients[0],
    viaBaseUrl: r.purpose === 'base_url',
    model: currentModel(s),
  };
}

function addFindings(s: State, found: Finding[]): State {
  return { ...s, findings: dedupe([...s.findings, ...found]) };
}

function dedupe(list: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of list) {
    const key = `${f.id}\u0000${f.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

function has(s: State, id: FindingId): boolean {
  return s.findings.some((f) => f.id === id);
}

// ---------------------------------------------------------------------------------------------
// Step planners: pure functions of the state. Each returns the state with what it concluded
// (findings) and either a pending request for the outside world or "this step is done".

type Planner = (s: State) => { state: State; outcome: PlanOutcome };

// --- key_format ---------------------------------------------------------------------------------

const keyFormat: Planner = (s) => {
  // The pasted error is evidence for every later step; read it once, here.
  if (s.answers.error === undefined && s.input.interactive)
    return { state: s, outcome: { pending: { type: 'question', question: QUESTIONS.error() } } };
  if (s.answers.runs_elsewhere === undefined && s.input.interactive)
    return { state: s, outcome: { pending: { type: 'question', question: QUESTIONS.runs_elsewhere() } } };
  const cc = s.resolutions.find((r) => r.client === 'claude-code');
  const loginKnown = !!s.input.discovery.credentialsFile?.present;
  if (cc?.credential && !loginKnown && s.answers.subscription === undefined && s.input.interactive) {
    return { state: s, outcome: { pending: { type: 'question', question: QUESTIONS.subscription() } } };
  }
  let state = addFindings(s, deliveryFindings(s));
  if (cc?.credential && !loginKnown && s.answers.subscription === 'yes' && !has(s, 'env.api_key_overrides_login')) {
    state = addFindings(state, [
      finding(
        'env.api_key_overrides_login',
        `Claude Code uses ${cc.credential.name} from ${cc.credential.source} (${fingerprint(cc.credential.value)}) instead of your Claude Pro/Max login. If that key's organization is disabled or out of credit, Claude Code fails although your subscription is fine.`,
        {
          severity: 'error',
          fix: [
            `unset ${cc.credential.name}   # then run claude and /login`,
            'In Claude Code, /status shows which credential is active.',
          ],
        },
      ),
    ]);
  }
  const pasted = pastedOf(s);
  if (pasted && !s.findings.some((f) => f.detail.endsWith(PASTED_MARK))) {
    const subject = s.subjects[0];
    const r0 = s.resolutions[0];
    const found = classifyAnswer(pasted, {
      sentAs: subject?.sendsAs ?? r0?.sendsAs ?? 'x-api-key',
      credentialKind: subject?.kind ?? r0?.credentialKind ?? null,
      anthropicVersion: subject?.version ?? r0?.anthropicVersion ?? null,
      oauthBeta: subject?.beta ?? false,
      client: r0?.client,
      viaBaseUrl: !!r0?.baseUrl,
      model: currentModel(s),
    }).map((f) => ({
      ...f,
      severity: f.step === 'network' ? f.severity : ('error' as const),
      detail: `${f.detail}${PASTED_MARK}`,
    }));
    state = addFindings(state, found);
  }
  const winners = s.resolutions.filter((r) => r.credential).length;
  const note =
    s.resolutions.length === 0
      ? 'no client to diagnose'
      : s.resolutions
          .map(
            (r) =>
              `${r.label}: ${r.credential ? `${r.credential.source} as ${r.sendsAs}` : r.usesSubscriptionLogin ? 'subscription login' : 'no credential'}`,
          )
          .join('; ');
  return {
    state,
    outcome: {
      done: {
        note: winners === 0 && s.resolutions.every((r) => !r.usesSubscriptionLogin) ? 'no credential found' : note,
      },
    },
  };
};

// --- activation ----------------------------------------------------------------------------------

const activation: Planner = (s) => {
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
    if (first.network || first.status !== 401 || !isAnthropicAnswer(first)) continue;
    const msg = (first.errorMessage ?? '').toLowerCase();
    // Only a key the API does not (yet) know can be "not yet active".
    const unknownKey =
      msg.includes('invalid x-api-key') ||
      (msg.includes('invalid bearer token') &&
        subject.sendsAs === 'authorization' &&
        subject.version === BEARER_KEY_VERSION);
    if (!unknownKey) continue;
    const age = s.answers.key_age;
    if (age === undefined && s.input.interactive)
      return { state, outcome: { pending: { type: 'question', question: QUESTIONS.key_age() } } };
    if (!mayBeNew(age)) continue;
    const budgetSeconds = waitBudget(s);
    if (budgetSeconds === null && s.input.interactive)
      return { state, outcome: { pending: { type: 'question', question: QUESTIONS.wait() } } };
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

  // Conclude: classify what each subject's first answer says, and the waiting outcome.
  const notes: string[] = [];
  for (const subject of s.subjects) {
    const first = lastOf(s, subject.id, 'models')!;
    const polls = probesOf(s, subject.id, 'activation');
    const accepted = polls.find((p) => p.status === 200);
    if (first.status === 200) {
      state = addFindings(state, [
        finding(
          'key.valid',
          `${subject.fingerprint} (${subject.source}) was accepted as ${subject.sendsAs} with anthropic-version ${subject.version}${first.requestId ? ` (request-id ${first.requestId})` : ''}.`,
        ),
      ]);
      // Accepted, but the body never finished: say so (the list of models was not read).
      if (first.network) state = addFindings(state, classifyAnswer(first, classifyCtx(subject, first, s)));
      notes.push(`${subject.fingerprint} accepted`);
      continue;
    }
    if (accepted) {
      const seconds = Math.round((s.waited[subject.id] ?? 0) / 1000);
      state = addFindings(state, [
        finding(
          'key.not_yet_active',
          `${subject.fingerprint} was rejected at first (request-id ${first.requestId ?? 'none'}) and accepted after about ${seconds} s of waiting (request-id ${accepted.requestId ?? 'none'}). New keys can take a few minutes to activate; nothing needs fixing.`,
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
    const waitFix = young
      ? ['The key may still be activating: check again for a few minutes: npx claude-401-wizard check --wait 180']
      : [];
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
    notes.push(
      first.network
        ? `no answer (${first.network.kind})`
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
  const verified = s.subjects.some((x) => acceptedProbe(state, x.id) || lastOf(state, x.id, 'models')?.status === 200);
  const allNetwork = s.subjects.every((x) => lastOf(state, x.id, 'models')?.network);
  return {
    state,
    outcome: {
      done: { note: [...new Set(notes)].join('; ') || (verified ? 'accepted' : 'not verified'), skipped: allNetwork },
    },
  };
};

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

// --- header --------------------------------------------------------------------------------------

const header: Planner = (s) => {
  const o = s.input.options;
  let state = s;
  if (!o.network || s.subjects.length === 0) {
    const staticHeader = s.findings.some((f) => f.step === 'header');
    return {
      state,
      outcome: {
        done: {
          note: staticHeader
            ? 'from the configuration'
            : o.network
              ? 'nothing sent to check'
              : 'from the configuration only (--no-network)',
          skipped: !staticHeader,
        },
      },
    };
  }
  const notes: string[] = [];
  for (const subject of s.subjects) {
    const first = lastOf(s, subject.id, 'models');
    if (!first || first.network || first.status === 200) {
      if (first?.status === 200) notes.push(`${subject.sendsAs} with ${subject.version}: accepted`);
      continue;
    }
    // Accepted after waiting for activation: the header was never the problem.
    if (probesOf(s, subject.id, 'activation').some((p) => p.status === 200)) continue;
    const msg = (first.errorMessage ?? '').toLowerCase();
    // Differential: the same key in the other header locates a header problem.
    if (subject.kind === 'api_key' && subject.sendsAs === 'authorization' && msg.includes('invalid bearer token')) {
      const alt = lastOf(s, subject.id, 'alt_header');
      if (!alt)
        return {
          state,
          outcome: probe(s, subject, 'header', 'GET /v1/models as x-api-key', {
            purpose: 'alt_header',
            method: 'GET',
            path: '/v1/models?limit=1',
            sentAs: 'x-api-key',
            version: API_VERSION,
            beta: false,
          }),
        };
      if (alt.status === 200) {
        state = addFindings(state, [
          finding(
            'header.bearer',
            `${subject.fingerprint} is rejected as Authorization: Bearer with anthropic-version ${subject.version} ("${first.errorMessage}", request-id ${first.requestId ?? 'none'}) but accepted as x-api-key with ${API_VERSION} (request-id ${alt.requestId ?? 'none'}). Used by: ${subject.labels.join(', ')}.`,
            { fix: bearerFix(subject) },
          ),
        ]);
        state = {
          ...state,
          findings: state.findings.filter((f) => !(f.id === 'key.invalid' && f.detail.includes(subject.fingerprint))),
        };
        notes.push('Bearer rejected, x-api-key accepted');
      } else {
        // Rejected in both headers: the header is not the only problem; say what the API said.
        state = addFindings(state, classifyAnswer(alt, classifyCtx(subject, alt, s)));
        notes.push(`also rejected as x-api-key (${alt.status ?? alt.network?.kind})`);
      }
      continue;
    }
    if (
      subject.kind === 'oauth_access' &&
      !subject.beta &&
      msg.includes('oauth authentication is currently not supported')
    ) {
      const withBeta = lastOf(s, subject.id, 'with_beta');
      if (!withBeta)
        return {
          state,
          outcome: probe(s, subject, 'header', `GET /v1/models with anthropic-beta: ${OAUTH_BETA}`, {
            purpose: 'with_beta',
            method: 'GET',
            path: '/v1/models?limit=1',
            sentAs: 'authorization',
            beta: true,
          }),
        };
      if (withBeta.status === 200) notes.push('accepted once the OAuth beta header is sent');
      else {
        state = addFindings(state, classifyAnswer(withBeta, classifyCtx(subject, withBeta, s)));
        notes.push(`still rejected with the beta (${withBeta.status ?? withBeta.network?.kind})`);
      }
      continue;
    }
    notes.push(
      `sent as ${subject.sendsAs} with ${subject.version}: the answer (${first.status}) is not about the header`,
    );
  }
  return { state, outcome: { done: { note: notes.join('; ') || 'no header problem seen' } } };
};

function bearerFix(subject: Subject): string[] {
  const fix: string[] = [];
  if (subject.clients.includes('claude-code'))
    fix.push(
      'Claude Code: unset ANTHROPIC_AUTH_TOKEN and export ANTHROPIC_API_KEY=<the key> instead (it is then sent as x-api-key).',
    );
  if (subject.clients.includes('sdk-ts-0') || subject.clients.includes('sdk-py'))
    fix.push(
      'SDK: pass the key as apiKey / api_key (ANTHROPIC_API_KEY), not authToken / auth_token (ANTHROPIC_AUTH_TOKEN).',
    );
  if (subject.clients.includes('sdk-ts-1'))
    fix.push(
      '@anthropic-ai/sdk ≥ 1.0 sends keys as Bearer with anthropic-version 2026-10-21; if something in between wants x-api-key, send it there, or pin @anthropic-ai/sdk@0 until the gateway is updated.',
    );
  if (subject.clients.includes('curl') || subject.clients.includes('other'))
    fix.push('Send the key as -H "x-api-key: $ANTHROPIC_API_KEY" with -H "anthropic-version: 2023-06-01".');
  return fix;
}

// --- scope ---------------------------------------------------------------------------------------

function currentModel(s: State): string | null {
  const m = s.answers.model;
  return m && m !== UNKNOWN ? m : null;
}

function firstListedModel(r: ProbeResult | undefined): string | null {
  const data = (r?.json as { data?: { id?: unknown }[] } | undefined)?.data;
  const id = Array.isArray(data) ? data[0]?.id : undefined;
  return typeof id === 'string' ? id : null;
}

const scope: Planner = (s) => {
  const o = s.input.options;
  let state = s;
  if (!o.network) return { state, outcome: { done: { note: 'not checked (--no-network)', skipped: true } } };
  const subject = s.subjects.find((x) => acceptedProbe(s, x.id));
  if (!subject)
    return {
      state,
      outcome: {
        done: {
          note: s.subjects.length ? 'not checked: the credential was not accepted' : 'no credential to test',
          skipped: true,
        },
      },
    };
  const accepted = acceptedProbe(s, subject.id)!;
  if (s.input.interactive && s.answers.model === undefined)
    return { state, outcome: { pending: { type: 'question', question: QUESTIONS.model() } } };
  // Probe in the form that worked, so scope answers are not header answers.
  const form = { sentAs: accepted.sentAs, version: accepted.anthropicVersion, beta: accepted.oauthBeta };
  const explicit = currentModel(s);
  const model = explicit ?? firstListedModel(accepted) ?? firstListedModel(lastOf(s, subject.id, 'models'));
  if (explicit && !lastOf(s, subject.id, 'model')) {
    return {
      state,
      outcome: probe(s, subject, 'scope', `GET /v1/models/${explicit}`, {
        purpose: 'model',
        method: 'GET',
        path: `/v1/models/${encodeURIComponent(explicit)}`,
        ...form,
      }),
    };
  }
  if (model && !lastOf(s, subject.id, 'count_tokens')) {
    const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'ping' }] });
    return {
      state,
      outcome: probe(s, subject, 'scope', 'POST /v1/messages/count_tokens (free)', {
        purpose: 'count_tokens',
        method: 'POST',
        path: '/v1/messages/count_tokens',
        body,
        ...form,
      }),
    };
  }
  const notes: string[] = [];
  for (const purpose of ['model', 'count_tokens'] as const) {
    const r = lastOf(s, subject.id, purpose);
    if (!r) continue;
    state = addFindings(state, classifyAnswer(r, classifyCtx(subject, r, s)));
    notes.push(`${purpose === 'model' ? `model ${explicit}` : 'count_tokens'}: ${r.status ?? r.network?.kind}`);
  }
  if (!model) notes.push('no model to check');
  // A subscription token in an SDK: the API refuses it outside Claude Code.
  if (subscriptionAnswer(s) === 'yes' && subject.kind === 'oauth_access' && !subject.clients.includes('claude-code')) {
    state = addFindings(state, [
      finding(
        'auth.subscription_vs_api',
        `${subject.fingerprint} is a Claude subscription token used by ${subject.labels.join(', ')}.`,
      ),
    ]);
  }
  return { state, outcome: { done: { note: notes.join('; ') || 'nothing to check' } } };
};

// --- workspace -----------------------------------------------------------------------------------

const workspace: Planner = (s) => {
  const o = s.input.options;
  let state = s;
  const subject = s.subjects.find((x) => acceptedProbe(s, x.id)) ?? s.subjects[0];
  const seen = s.probes.map((p) => p.result.workspaceId).find((w): w is string => !!w) ?? null;
  const expected = expectedWorkspace(s, subject);
  const notes: string[] = [];
  if (seen) notes.push(`the key resolves to ${seen}`);

  // Admin API look-up when an Admin key was given (flag, or pasted in the wizard).
  const pastedAdmin = s.answers.admin_key && s.answers.admin_key !== UNKNOWN ? s.answers.admin_key.trim() : null;
  const adminKey = s.input.adminKey ?? pastedAdmin;
  if (!adminKey && subject && o.network && s.input.interactive && s.answers.admin_key === undefined) {
    return { state, outcome: { pending: { type: 'question', question: QUESTIONS.admin_key() } } };
  }
  if (adminKey && subject && o.network && !s.admin) {
    return {
      state,
      outcome: {
        pending: {
          type: 'admin',
          request: { value: subject.value, fingerprint: subject.fingerprint, adminKey, apiUrl: o.apiUrl },
        },
      },
    };
  }
  if (s.admin) {
    state = addFindings(state, s.admin.findings);
    state = { ...state, notes: [...state.notes, ...s.admin.notes] };
    if (s.admin.workspace)
      notes.push(
        `workspace ${s.admin.workspace.name ?? s.admin.workspace.id ?? 'Default Workspace'}${s.admin.workspace.archived ? ' (archived)' : ''}`,
      );
  }

  if (!expected && seen && s.input.interactive && s.answers.workspace_expected === undefined) {
    return { state, outcome: { pending: { type: 'question', question: QUESTIONS.workspace_expected(seen) } } };
  }
  const adminWs = s.admin?.workspace;
  const sameAsAdmin =
    !!expected &&
    !!adminWs &&
    (expected.id === adminWs.id || expected.id.toLowerCase() === (adminWs.name ?? '').toLowerCase());
  if (expected && seen && expected.id !== seen && !sameAsAdmin) {
    state = addFindings(state, [
      finding(
        'workspace.mismatch',
        `The key resolves to workspace ${seen}, but ${expected.source} expects ${expected.id}.`,
        {
          fix: [
            `Use a key created in workspace ${expected.id} (Console → Settings → API keys, filter by workspace), or change the expected workspace to ${seen}.`,
          ],
        },
      ),
    ]);
  } else if (expected && adminWs && adminWs.id && !sameAsAdmin) {
    state = addFindings(state, [
      finding(
        'workspace.mismatch',
        `The key lives in workspace ${adminWs.name ?? adminWs.id} (${adminWs.id}), but ${expected.source} expects ${expected.id}.`,
      ),
    ]);
  }

  if (!adminKey && subject) {
    const rejected = !acceptedProbe(s, subject.id) && o.network;
    if (rejected && s.input.interactive && s.answers.console_status === undefined) {
      return {
        state,
        outcome: { pending: { type: 'question', question: QUESTIONS.console_status(subject.fingerprint) } },
      };
    }
    const fromConsole = consoleFindings(s, subject);
    state = addFindings(state, fromConsole);
    const said = s.answers.console_status;
    if (said && said !== UNKNOWN) notes.push(`the Console shows the key as ${said.replace('_', ' ')}`);
    if (rejected && fromConsole.length === 0 && !has(state, 'admin.unavailable')) {
      state = addFindings(state, [
        finding(
          'admin.unavailable',
          `No Admin API key was given, so the key's status and workspace were not looked up.`,
          {
            fix: [
              `In the Console, open Settings → API keys and find the key ending in ${subject.fingerprint.split('…')[1]?.split(' ')[0] ?? '????'}: check its status (active / inactive / archived / expired) and its workspace.`,
              'Or run again with an Admin key: ANTHROPIC_ADMIN_KEY=… npx claude-401-wizard check --admin-key-env ANTHROPIC_ADMIN_KEY',
            ],
          },
        ),
      ]);
    }
  }
  const skipped =
    notes.length === 0 && !s.admin && !state.findings.some((f) => f.step === 'workspace' && f.severity !== 'info');
  return {
    state,
    outcome: {
      done: { note: notes.join('; ') || (o.network ? 'workspace not known' : 'not checked (--no-network)'), skipped },
    },
  };
};

function expectedWorkspace(s: State, subject: Subject | undefined): { id: string; source: string } | null {
  const fromHeaders =
    subject?.customHeaders['anthropic-workspace-id'] ??
    Object.entries(subject?.customHeaders ?? {}).find(([k]) => k.toLowerCase() === 'anthropic-workspace-id')?.[1];
  if (fromHeaders) return { id: fromHeaders.trim(), source: 'ANTHROPIC_CUSTOM_HEADERS' };
  const a = s.answers.workspace_expected;
  if (a && a !== UNKNOWN) return { id: a.trim(), source: 'your answer' };
  return null;
}

function consoleFindings(s: State, subject: Subject): Finding[] {
  const a = s.answers.console_status;
  const where = `Console says the key ending ${subject.fingerprint} is`;
  switch (a) {
    case 'inactive':
      return [finding('key.inactive', `${where} inactive.`)];
    case 'archived':
      return [
        finding('key.inactive', `${where} archived.`, { fix: ['Archived keys cannot be restored: create a new key.'] }),
      ];
    case 'expired':
      return [finding('key.expired', `${where} expired.`)];
    case 'workspace_archived':
      return [finding('workspace.archived', `${where} in an archived workspace.`)];
    case 'missing':
      return [
        finding(
          'key.invalid',
          `The Console of the organization you looked in does not list ${subject.fingerprint}: it was deleted, or it belongs to another organization.`,
        ),
      ];
    default:
      return [];
  }
}

// --- provider ------------------------------------------------------------------------------------

const provider: Planner = (s) => {
  const o = s.input.options;
  if (s.input.interactive && s.answers.provider === undefined)
    return { state: s, outcome: { pending: { type: 'question', question: QUESTIONS.provider() } } };
  let state = s;
  const found: Finding[] = [];
  const notes: string[] = [];
  const seenUrls = new Set<string>();
  for (const r of s.resolutions) {
    if (r.provider !== 'anthropic') {
      const id = `provider.${r.provider}` as FindingId;
      const wanted = s.answers.provider;
      const severity = wanted === 'anthropic' ? 'error' : 'warning';
      found.push(finding(id, providerDetail(r, wanted), { severity, fix: providerFix(r.provider) }));
      notes.push(`${r.label}: ${r.provider}`);
    }
    if (r.baseUrl && !seenUrls.has(r.baseUrl.value)) {
      seenUrls.add(r.baseUrl.value);
      const odd = baseUrlOddities(r.baseUrl.value);
      if (odd.length > 0 || normalize(r.baseUrl.value) !== OFFICIAL_API) {
        found.push(
          finding(
            'endpoint.base_url',
            `${r.baseUrl.source} = ${r.baseUrl.value} (used by ${r.label}). ${odd.length ? odd.join(' ') : 'Requests go to this host, not to api.anthropic.com: a 401 there is that server\u2019s answer.'}`,
            {
              severity: odd.some((x) => x.startsWith('Broken:')) ? 'error' : 'warning',
              fix: [
                `unset ANTHROPIC_BASE_URL   # if you meant to call the Anthropic API directly`,
                'Or check the gateway: which header it reads (x-api-key or Authorization) and which key it expects.',
              ],
            },
          ),
        );
      }
    }
  }
  const wanted = s.answers.provider;
  if (
    wanted &&
    wanted !== 'anthropic' &&
    wanted !== UNKNOWN &&
    s.resolutions.every((r) => r.provider === 'anthropic')
  ) {
    found.push(
      finding(
        `provider.${wanted}` as FindingId,
        `You mean to use ${wanted}, but the clients here send requests to the Anthropic API with an Anthropic key.`,
        { severity: 'error', fix: providerFix(wanted as Resolution['provider']) },
      ),
    );
  }
  state = addFindings(state, found);

  // With consent, probe the base URL the client would really use, and compare.
  const target = s.resolutions.find((r) => r.baseUrl && normalize(r.baseUrl.value) !== normalize(o.apiUrl));
  const subject = target && s.subjects.find((x) => x.clients.includes(target.client));
  if (target?.baseUrl && subject && o.network) {
    if (s.answers.probe_base_url === undefined && s.input.interactive) {
      return {
        state,
        outcome: { pending: { type: 'question', question: QUESTIONS.probe_base_url(target.baseUrl.value) } },
      };
    }
    if (s.answers.probe_base_url === 'yes') {
      const r = lastOf(s, subject.id, 'base_url');
      if (!r)
        return {
          state,
          outcome: probe(s, subject, 'provider', `GET ${target.baseUrl.value}/v1/models`, {
            purpose: 'base_url',
            method: 'GET',
            path: '/v1/models?limit=1',
            base: baseForProbe(target.baseUrl.value),
          }),
        };
      state = addFindings(state, classifyAnswer(r, classifyCtx(subject, r, s)));
      notes.push(
        `base URL answered ${r.status ?? r.network?.kind}${isAnthropicAnswer(r) ? '' : ' (not an Anthropic answer)'}`,
      );
    }
  }
  return {
    state,
    outcome: {
      done: { note: notes.join('; ') || (seenUrls.size ? 'custom base URL' : 'requests go to the Anthropic API') },
    },
  };
};

/** For comparing base URLs: the probe base, case-folded. */
function normalize(url: string): string {
  return baseForProbe(url).toLowerCase();
}

function baseForProbe(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function baseUrlOddities(raw: string): string[] {
  const out: string[] = [];
  const v = raw.trim();
  if (v !== raw) out.push('Broken: the value has spaces or a line break around it.');
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return ['Broken: it is not a URL.'];
  }
  if (u.hostname === '0.0.0.0')
    out.push('Broken: 0.0.0.0 is a listen address, not one to connect to; use 127.0.0.1 or the host name.');
  if (/\/v1\/?$/.test(u.pathname))
    out.push('Broken: it ends in /v1, and clients add /v1/… themselves, so requests go to /v1/v1/….');
  if (u.protocol === 'http:' && !['localhost', '127.0.0.1', '::1', '[::1]'].includes(u.hostname))
    out.push('It uses plain http:// to a remote host: the key travels unencrypted.');
  if (u.hostname === 'api.anthropic.com' && u.protocol === 'http:')
    out.push('Broken: the Anthropic API is https only.');
  if (u.username || u.password) out.push('It carries user:password in the URL.');
  return out;
}

function providerDetail(r: Resolution, wanted: string | undefined): string {
  const base = `${r.label} sends requests to ${r.provider === 'bedrock' ? 'Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK)' : r.provider === 'vertex' ? 'Google Vertex AI (CLAUDE_CODE_USE_VERTEX)' : 'Microsoft Foundry (CLAUDE_CODE_USE_FOUNDRY)'}; an Anthropic API key is not used there.`;
  return wanted === 'anthropic' ? `${base} You said you mean to use the Anthropic API.` : base;
}

function providerFix(p: Resolution['provider']): string[] {
  switch (p) {
    case 'bedrock':
      return [
        'Bedrock uses AWS credentials: aws sts get-caller-identity   # check them',
        'Or set AWS_BEARER_TOKEN_BEDROCK; to use the Anthropic API instead: unset CLAUDE_CODE_USE_BEDROCK',
      ];
    case 'vertex':
      return [
        'Vertex uses Google credentials: gcloud auth application-default login',
        'Set ANTHROPIC_VERTEX_PROJECT_ID and CLOUD_ML_REGION; to use the Anthropic API instead: unset CLAUDE_CODE_USE_VERTEX',
      ];
    case 'foundry':
      return [
        'Foundry uses Azure credentials: az login, or set ANTHROPIC_FOUNDRY_API_KEY',
        'To use the Anthropic API instead: unset CLAUDE_CODE_USE_FOUNDRY',
      ];
    default:
      return [];
  }
}

// ---------------------------------------------------------------------------------------------

function subscriptionAnswer(s: State): string | undefined {
  return s.answers.subscription ?? (s.input.discovery.credentialsFile?.subscriptionType ? 'yes' : undefined);
}

const DELIVERY: Record<string, { where: string; fix: string[] }> = {
  docker: {
    where: 'in a Docker container',
    fix: [
      "docker run -e ANTHROPIC_API_KEY …   # passes this shell's value in",
      'docker compose: add ANTHROPIC_API_KEY under environment: (or env_file: .env) for the service',
    ],
  },
  ci: {
    where: 'in CI',
    fix: [
      'Store the key as a CI secret and map it to ANTHROPIC_API_KEY in the job (GitHub Actions: env: ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }})',
      'Check it there: npx claude-401-wizard check --json --key-env ANTHROPIC_API_KEY',
    ],
  },
  serverless: {
    where: 'on a serverless platform',
    fix: [
      "Set ANTHROPIC_API_KEY in the platform's environment settings (Vercel/Netlify/Lambda) and redeploy: running deployments keep the old value.",
    ],
  },
  ide: {
    where: 'from an IDE or a GUI app',
    fix: [
      "GUI apps do not read ~/.bashrc or ~/.zshrc: set the variable in the IDE's run configuration, or start the IDE from a terminal that has it.",
    ],
  },
};

/** Where the failing program runs decides whether this shell's variables reach it at all. */
function deliveryFindings(s: State): Finding[] {
  const d = DELIVERY[s.answers.runs_elsewhere ?? ''];
  if (!d) return [];
  return [
    finding(
      'env.not_delivered',
      `The failing program runs ${d.where}: what this terminal has (checked here) does not reach it by itself. Make sure the same key is delivered there.`,
      { fix: d.fix },
    ),
  ];
}

function pastedOf(s: State): PastedError | null {
  const text = s.answers.error;
  if (!text || text === UNKNOWN || text.trim() === '') return null;
  return parsePastedError(text);
}

const PLANNERS: Record<StepId, Planner> = { key_format: keyFormat, activation, header, scope, workspace, provider };

// ---------------------------------------------------------------------------------------------
// The finished diagnosis

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;
const STEP_RANK: Record<string, number> = Object.fromEntries([...STEP_ORDER, 'network'].map((s, i) => [s, i]));

/** Findings in the order a person should act on them: severity, then diagnostic order. */
export function orderFindings(list: Finding[]): Finding[] {
  return [...list].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || (STEP_RANK[a.step] ?? 9) - (STEP_RANK[b.step] ?? 9),
  );
}

export function effectiveFindings(s: State): Finding[] {
  const strict = s.input.options.strict;
  const list = s.findings.map((f) => (strict && f.severity === 'warning' ? { ...f, severity: 'error' as const } : f));
  // key.valid is only news when nothing else is wrong with the same key; keep it (info).
  return orderFindings(list);
}

export function verdictOf(s: State): Verdict {
  const findings = effectiveFindings(s);
  if (findings.some((f) => f.severity === 'error')) return 'problem';
  const verified = s.subjects.length > 0 && s.subjects.every((x) => acceptedProbe(s, x.id));
  const unprobed = s.resolutions.some(
    (r) => r.usesSubscriptionLogin || r.usesApiKeyHelper || r.provider !== 'anthropic',
  );
  return verified && !unprobed ? 'ok' : 'inconclusive';
}

/** Findings that say WHY a key is rejected; they make a better headline than key.invalid. */
const EXPLAINS_INVALID = new Set([
  'key.inactive',
  'key.expired',
  'workspace.archived',
  'admin.key_not_in_org',
  'org.disabled',
]);

export function summaryOf(s: State, verdict: Verdict): string {
  const findings = effectiveFindings(s);
  let top = findings[0];
  if (top?.id === 'key.invalid')
    top = findings.find((f) => f.severity === 'error' && EXPLAINS_INVALID.has(f.id)) ?? top;
  if (verdict === 'problem' && top) {
    const first = top.fix[0];
    return `${top.title}${first ? ` — ${first}` : ''}`;
  }
  if (verdict === 'ok') {
    const subject = s.subjects[0]!;
    const waited = findings.find((f) => f.id === 'key.not_yet_active');
    if (waited)
      return `The key was not active yet when it failed; it is now (${subject.fingerprint}). Nothing to fix — new keys can take a few minutes.`;
    const warn = findings.find((f) => f.severity === 'warning');
    return `The credential works: ${subject.fingerprint} from ${subject.source} was accepted.${warn ? ` One thing to look at: ${warn.title.toLowerCase()}.` : ''}`;
  }
  const net = findings.find((f) => f.step === 'network');
  if (net) return `Could not verify the credential: ${net.title.toLowerCase()}${net.fix[0] ? ` — ${net.fix[0]}` : ''}`;
  if (!s.input.options.network)
    return 'Nothing wrong found in the configuration; the credential was not checked live (--no-network).';
  if (s.resolutions.some((r) => r.usesSubscriptionLogin))
    return 'Claude Code uses your subscription login, whose tokens this tool never sends; nothing else wrong was found. In Claude Code, run /status to see the login.';
  if (s.resolutions.some((r) => r.usesApiKeyHelper))
    return 'An apiKeyHelper supplies the key; this tool does not run it. Run the helper yourself and check its output with this tool (--key-env).';
  return 'Nothing wrong found, but the credential could not be verified.';
}

export function toDiagnosis(s: State, finishedAtMs: number): Diagnosis {
  const d = s.input.discovery;
  const verdict = verdictOf(s);
  const first = s.resolutions.find((r) => r.credential) ?? null;
  const usedBy = (c: Candidate): ClientModel[] =>
    s.resolutions.filter((r) => r.credential === c || r.secondary === c).map((r) => r.client);
  const sources = d.candidates
    .filter((c) => isCredentialCandidate(c) || c.value === '')
    .map((c) => ({
      source: c.source,
      name: c.name,
      kind: c.value === '' ? ('unknown' as const) : kindOf(c.value).kind,
      fingerprint: fingerprint(c.value),
      usedBy: usedBy(c),
    }));
  if (d.credentialsFile?.present) {
    const cf = d.credentialsFile;
    const login = s.resolutions.filter((r) => r.usesSubscriptionLogin).map((r) => r.client);
    sources.push({
      source: cf.source,
      name: 'claudeAiOauth',
      kind: 'oauth_access',
      fingerprint:
        cf.accessTokenTail && cf.accessTokenLength
          ? `sk-ant-oat01-…${cf.accessTokenTail} (${cf.accessTokenLength} chars)`
          : 'present',
      usedBy: login,
    });
  }
  return {
    verdict,
    summary: summaryOf(s, verdict),
    credential: first?.credential
      ? {
          source: first.credential.source,
          kind: first.credentialKind ?? kindOf(first.credential.value).kind,
          fingerprint: fingerprint(first.credential.value),
        }
      : null,
    clients: d.clients,
    sources,
    resolutions: s.resolutions,
    steps: finalSteps(s),
    findings: effectiveFindings(s),
    probes: s.probes.map((p) => p.result),
    pasted: pastedOf(s),
    answers: s.asked
      .filter((id) => id !== 'error')
      .map((id) => {
        const a = s.answers[id] ?? UNKNOWN;
        const shown = SECRET_QUESTIONS.includes(id) && a !== UNKNOWN && a !== '' ? `(given: ${fingerprint(a)})` : a;
        return { id, question: questionText(id), answer: shown };
      }),
    environment: s.input.environment,
    notes: s.notes,
    startedAt: new Date(s.input.nowMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    apiUrl: s.input.options.apiUrl,
    model: currentModel(s) ?? firstListedModelOf(s),
  };
}

/**
 * Step statuses as the final findings say: a later step can explain an earlier failure away
 * (header.bearer for a 401 that looked like key.invalid) or add to it (the Console says archived).
 */
function finalSteps(s: State): StepResult[] {
  const findings = effectiveFindings(s);
  return s.steps.map((step) => {
    const mine = findings.filter((f) => f.step === step.id);
    const error = mine.find((f) => f.severity === 'error');
    if (error) return step.status === 'fail' ? step : { ...step, status: 'fail', note: error.title };
    if (step.status !== 'fail') return step;
    const warning = mine.find((f) => f.severity === 'warning');
    return warning
      ? { ...step, status: 'warn', note: warning.title }
      : { ...step, status: 'pass', note: 'explained by a later step' };
  });
}

function firstListedModelOf(s: State): string | null {
  for (const p of s.probes) {
    const m = p.result.purpose === 'models' ? firstListedModel(p.result) : null;
    if (m) return m;
  }
  return null;
}

function questionText(id: QuestionId): string {
  const make = (QUESTIONS as Record<string, ((...a: string[]) => Question) | undefined>)[id];
  return make ? make('the key').prompt : id;
}
