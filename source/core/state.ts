// The machine's state and what a step planner sees: the shapes (State, Pending, Event, …) and
// small pure queries over them that every step uses. No planning here: see steps/*.ts.
import { PREFERRED_MODEL } from './api.js';
import { classify, parsePastedError, type Answer, type ClassifyContext } from './classify.js';
import type { FindingId } from './findings.js';
import type { RawObservation } from './observed.js';
import { UNKNOWN, type Question, type QuestionId } from './questions.js';
import type {
  ClientModel,
  CredentialKind,
  Discovery,
  EnvironmentInfo,
  Finding,
  HeaderStyle,
  Options,
  PastedError,
  ProbePurpose,
  ProbeRequest,
  ProbeResult,
  Resolution,
  StepId,
  StepResult,
} from './types.js';

/** Marks findings that come from the error the person pasted, not from a live check. */
export const PASTED_MARK = ' (from the pasted error)';

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
  /**
   * A credential form seen on the wire (`observe`, `--observe-clients`): the probes send exactly
   * these credential, version and beta headers (SECRET values), and `program` names who sent them.
   */
  observed?: { headers: Record<string, string>; program: string };
}

/** One probe to run: what a planner asks for. */
export interface ProbeJob {
  request: ProbeRequest;
  subject: string;
  step: StepId;
  label: string;
}

/**
 * A probe of a batch, named so that its answer finds it whatever order answers arrive in.
 * `ahead`: sent ahead of need (machine.ts sendAhead); its answer is kept as a SpareAnswer.
 */
export type BatchedProbe = ProbeJob & { id: string; ahead?: true };

/** An answer to a probe sent ahead of need, kept until a planner asks for that very request. */
export interface SpareAnswer {
  job: ProbeJob;
  result: ProbeResult;
}

export type Pending =
  | { type: 'question'; question: Question }
  | ({ type: 'probe' } & ProbeJob)
  /** Probes that do not depend on each other's answers, run together (machine.ts batchProbes). */
  | { type: 'probes'; probes: BatchedProbe[] }
  | { type: 'wait'; step: 'activation'; attempt: number; elapsedMs: number; budgetMs: number; subject: string }
  | { type: 'admin'; request: AdminRequest }
  /** Watch programs against the local stand-in: the clients found installed, or the person's own command. */
  | { type: 'observe'; key: string; installed: boolean; command: string | null; label: string }
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
  /** Programs observed before the run (cli-contract.md "Observing the real program"); SECRET headers inside. */
  observed?: RawObservation[];
  /**
   * Whether the wizard offers to watch the installed clients and a command of the person's own: the
   * real wizard does (wizard.ts); a demo does not (its clients are made up), nor do drivers in tests.
   */
  offerObservation?: boolean;
  /**
   * `false`: send no probe ahead of need (machine.ts sendAhead), one round trip per dependent
   * probe. The reference the property tests compare the run that sends ahead against.
   */
  sendAhead?: boolean;
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
  /** The observations already asked for (`installed`, `command:<text>`), so none runs twice. */
  observedRuns: string[];
  /** What prepare() last resolved with (client answer + pasted key); re-resolve when it changes. */
  preparedWith: string | null;
  stepIndex: number;
  steps: StepResult[];
  findings: Finding[];
  notes: string[];
  pending: Pending;
  /** Answers to the pending batch that came in so far, by probe id (reduced once all are in). */
  arrived: Record<string, ProbeResult>;
  /** Answers sent ahead that no planner asked for in time: they decided nothing (listed as unused). */
  unused: SpareAnswer[];
  cancelled: boolean;
  finishedAtMs: number | null;
}

export type Event =
  | { type: 'answered'; id: QuestionId; value: string }
  /** `id`: which probe of a batch this answers (a single pending probe needs none). */
  | { type: 'probeFinished'; result: ProbeResult; id?: string }
  | { type: 'waitTick'; elapsedMs: number }
  | { type: 'adminFinished'; outcome: AdminOutcome }
  | { type: 'observed'; observations: RawObservation[] }
  | { type: 'skip' }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'finished'; nowMs: number };

// ---------------------------------------------------------------------------------------------
// What a step planner returns

export interface StepDone {
  status?: StepResult['status'];
  note: string;
  skipped?: boolean;
}

export type PlanOutcome = { pending: Pending } | { done: StepDone };

/**
 * One diagnostic step: a pure function of the state. It returns the state with what it
 * concluded (findings) and either a pending request for the outside world or "this step is done".
 */
export type Planner = (s: State) => { state: State; outcome: PlanOutcome };

export function askFor(question: Question): PlanOutcome {
  return { pending: { type: 'question', question } };
}

// ---------------------------------------------------------------------------------------------
// Queries over the state

export function probesOf(s: State, subject: string, purpose: ProbePurpose): ProbeResult[] {
  return s.probes.filter((p) => p.subject === subject && p.result.purpose === purpose).map((p) => p.result);
}

export function lastOf(s: State, subject: string, purpose: ProbePurpose): ProbeResult | undefined {
  const all = probesOf(s, subject, purpose);
  return all[all.length - 1];
}

const AUTH_PURPOSES: ProbePurpose[] = ['models', 'activation', 'alt_header', 'with_beta'];

/** The answer that proved the credential works, if any. */
export function acceptedProbe(s: State, subject: string): ProbeResult | undefined {
  return s.probes.find(
    (p) => p.subject === subject && AUTH_PURPOSES.includes(p.result.purpose) && p.result.status === 200,
  )?.result;
}

export function classifyCtx(subject: Subject, r: ProbeResult, s: State): ClassifyContext {
  return {
    sentAs: r.sentAs,
    credentialKind: subject.kind,
    anthropicVersion: r.anthropicVersion,
    oauthBeta: r.oauthBeta,
    client: subject.clients[0],
    viaBaseUrl: r.purpose === 'base_url' || r.purpose === 'base_url_alt',
    model: currentModel(s),
    clientAssumed: s.resolutions.find((x) => x.client === subject.clients[0])?.assumed,
    provider: failingProvider(s),
  };
}

/** Where the diagnosed clients send requests when it is not the Anthropic API (Bedrock, Vertex, Foundry). */
export function failingProvider(s: State): Resolution['provider'] | undefined {
  return s.resolutions.find((r) => r.provider !== 'anthropic')?.provider;
}

/** What a live answer for `subject` means (the one classifier; steps switch on its kind). */
export function answerOf(s: State, subject: Subject, r: ProbeResult): Answer {
  return classify(r, classifyCtx(subject, r, s)).answer;
}

export function addFindings(s: State, found: Finding[]): State {
  return { ...s, findings: dedupe([...s.findings, ...found]) };
}

export function dedupe(list: Finding[]): Finding[] {
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

export function hasFinding(s: State, id: FindingId): boolean {
  return s.findings.some((f) => f.id === id);
}

export function currentModel(s: State): string | null {
  const m = s.answers.model;
  return m && m !== UNKNOWN ? m : null;
}

/**
 * The model a live check asks about, from a `GET /v1/models` answer: PREFERRED_MODEL when the key
 * lists it (the request could then go out before the list came back), else the first one listed.
 */
export function listedModel(r: ProbeResult | undefined): string | null {
  const data = (r?.json as { data?: { id?: unknown }[] } | undefined)?.data;
  if (!Array.isArray(data)) return null;
  const ids = data.map((m) => m?.id).filter((id): id is string => typeof id === 'string');
  return ids.includes(PREFERRED_MODEL) ? PREFERRED_MODEL : (ids[0] ?? null);
}

export function subscriptionAnswer(s: State): string | undefined {
  return s.answers.subscription ?? (s.input.discovery.credentialsFile?.subscriptionType ? 'yes' : undefined);
}

export function pastedOf(s: State): PastedError | null {
  const text = s.answers.error;
  if (!text || text === UNKNOWN || text.trim() === '') return null;
  return parsePastedError(text);
}
