// The finished diagnosis: findings in the order to act on them, the verdict, the one-line
// summary, and the Diagnosis that report.ts renders. Pure.
import { fixesForClients } from './present.js';
import { fingerprint, kindOf } from './credential.js';
import { bySeverity } from './findings.js';
import { toObservedProgram } from './observed.js';
import { isCredentialCandidate } from './probes.js';
import { type Question, type QuestionId, QUESTIONS, SECRET_QUESTIONS, UNKNOWN } from './questions.js';
import { acceptedProbe, currentModel, listedModel, lastOf, pastedOf, type State, type Subject } from './state.js';
import {
  type Candidate,
  type ClientModel,
  type Diagnosis,
  type Finding,
  type ProbeResult,
  STEP_ORDER,
  type StepResult,
  type Verdict,
} from './types.js';

const STEP_RANK: Record<string, number> = Object.fromEntries([...STEP_ORDER, 'network'].map((s, i) => [s, i]));

/** Findings in the order a person should act on them: severity, then diagnostic order. */
export function orderFindings(list: Finding[]): Finding[] {
  return [...list].sort(
    (a, b) => bySeverity(a.severity, b.severity) || (STEP_RANK[a.step] ?? 9) - (STEP_RANK[b.step] ?? 9),
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
  // An answer cut after its status line proves nothing: not the acceptance, not the base URL the client uses.
  const verified =
    s.subjects.length > 0 &&
    s.subjects.every((x) => acceptedProbe(s, x.id) && !acceptedProbe(s, x.id)!.network) &&
    !s.probes.some((p) => (p.result.purpose === 'base_url' || p.result.purpose === 'base_url_alt') && p.result.network);
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
    const first = fixesForClients(
      top.fix,
      s.resolutions.map((r) => r.client),
    )[0];
    return `${top.title}${first ? ` — ${first}` : ''}`;
  }
  if (verdict === 'ok') {
    const subject = s.subjects[0]!;
    const waited = findings.find((f) => f.id === 'key.not_yet_active');
    if (waited)
      return (
        `The key was not active yet when it failed; it is now (${subject.fingerprint}). ` +
        `Nothing to fix — new keys can take a few minutes.`
      );
    const warn = findings.find((f) => f.severity === 'warning');
    const look = warn ? ` One thing to look at: ${lowerFirst(warn.title)}.` : '';
    return `The credential works: ${subject.fingerprint} from ${subject.source} was accepted.${look}`;
  }
  const net = findings.find((f) => f.step === 'network');
  if (net) return `Could not verify the credential: ${lowerFirst(net.title)}${net.fix[0] ? ` — ${net.fix[0]}` : ''}`;
  if (!s.input.options.network)
    return 'Nothing wrong found in the configuration; the credential was not checked live (--no-network).';
  if (s.resolutions.some((r) => r.usesSubscriptionLogin))
    return (
      'Claude Code uses your subscription login, whose tokens this tool never sends; nothing ' +
      'else wrong was found. In Claude Code, run /status to see the login.'
    );
  if (s.resolutions.some((r) => r.usesApiKeyHelper))
    return (
      'An apiKeyHelper supplies the key; this tool does not run it. Run the helper yourself ' +
      'and check its output with this tool (--key-env).'
    );
  return 'Nothing wrong found, but the credential could not be verified.';
}

/**
 * A title inside a sentence: a capitalised first word is lowered; names stay (API,
 * ANTHROPIC_BASE_URL, Claude, Anthropic).
 */
function lowerFirst(title: string): string {
  const first = /^\S+/.exec(title)?.[0] ?? '';
  if (!/^[A-Z][a-z]/.test(first) || /^(Claude|Anthropic)$/.test(first)) return title;
  return first.toLowerCase() + title.slice(first.length);
}

export function toDiagnosis(s: State, finishedAtMs: number): Diagnosis {
  const d = s.input.discovery;
  const verdict = verdictOf(s);
  const first = s.resolutions.find((r) => r.credential) ?? null;
  // Observation outranks the model: the credential the program was seen sending comes first.
  const observedFirst = s.subjects.find((x) => x.observed) ?? null;
  const observed = s.input.observed ?? [];
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
    credential: observedFirst
      ? { source: observedFirst.source, kind: observedFirst.kind, fingerprint: observedFirst.fingerprint }
      : first?.credential
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
    probes: [
      ...s.probes.map((p) =>
        standsFor(
          p.result,
          s.subjects.find((x) => x.id === p.subject),
        ),
      ),
      // Sent ahead of need and never asked for: listed (every live request is), marked unused.
      ...s.unused.map((x) => ({
        ...standsFor(
          x.result,
          s.subjects.find((y) => y.id === x.job.subject),
        ),
        unused: true as const,
      })),
    ],
    pasted: pastedOf(s),
    answers: s.asked.flatMap((id, i) => {
      if (id === 'error') return [];
      // The question as it was asked (with its key, its workspace, its URL), the answer as it read.
      const p = s.history[i]?.pending;
      const q = p?.type === 'question' && p.question.id === id ? p.question : null;
      const a = s.answers[id] ?? UNKNOWN;
      const label = q?.choices?.find((c) => c.value === a)?.label;
      const given = a !== UNKNOWN && a.trim() !== '';
      const shown = label ?? (!given ? UNKNOWN : SECRET_QUESTIONS.includes(id) ? `(given: ${fingerprint(a)})` : a);
      return [{ id, question: q?.prompt ?? questionText(id), answer: shown }];
    }),
    environment: s.input.environment,
    notes: s.notes,
    startedAt: new Date(s.input.nowMs).toISOString(),
    finishedAt: new Date(finishedAtMs).toISOString(),
    apiUrl: s.input.options.apiUrl,
    model: currentModel(s) ?? listedModelOf(s),
    ...(observed.length > 0 ? { observed: observed.map((o) => toObservedProgram(o, d)) } : {}),
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
    if (step.id === 'activation' && step.status === 'pass') return activationNote(s, step);
    if (step.status !== 'fail') return step;
    const warning = mine.find((f) => f.severity === 'warning');
    return warning
      ? { ...step, status: 'warn', note: warning.title }
      : { ...step, status: 'pass', note: 'explained by a later step' };
  });
}

/**
 * A key refused as sent and accepted in another form is live: the activation line says so, and
 * points at the header step, instead of a bare "401" next to a pass mark.
 */
function activationNote(s: State, step: StepResult): StepResult {
  const parts = s.subjects.map((x) => {
    const first = lastOf(s, x.id, 'models');
    const other = s.probes.find(
      (p) =>
        p.subject === x.id &&
        (p.result.purpose === 'alt_header' || p.result.purpose === 'with_beta') &&
        p.result.status === 200,
    )?.result;
    if (!first || first.status === 200 || !other) return null;
    const form = other.purpose === 'with_beta' ? 'with the OAuth beta header' : `as ${other.sentAs}`;
    return `${x.fingerprint} accepted when sent ${form} (refused as sent: see Header)`;
  });
  if (parts.every((p) => p === null)) return step;
  return { ...step, note: parts.filter((p): p is string => p !== null).join('; ') };
}

function listedModelOf(s: State): string | null {
  for (const p of s.probes) {
    const m = p.result.purpose === 'models' ? listedModel(p.result) : null;
    if (m) return m;
  }
  return null;
}

/** A question answered without being asked (never in the wizard): its prompt without specifics. */
function questionText(id: QuestionId): string {
  const make = (QUESTIONS as Record<string, ((...a: string[]) => Question) | undefined>)[id];
  return make ? make('(not shown)').prompt : id;
}

/** A probe with the clients and the credential form it stands for (issue 18: entries must be told apart). */
function standsFor(r: ProbeResult, subject: Subject | undefined): ProbeResult {
  if (!subject) return r;
  return {
    ...r,
    clients: [...subject.labels],
    // Fingerprints of the values as they went out (cleaned of what a header cannot carry).
    credential: fingerprint(subject.value),
    secondaryCredential: r.sentAs === 'both' && subject.secondary ? fingerprint(subject.secondary) : null,
  };
}
