// Evidence over assumption (issue 17): a live answer outranks a heuristic, a pasted error or an
// answer to a question. The rules the steps share live here, once. Pure.
import { fileOf, loadDotenvCmd, removal as removalCmd, sourceCmd } from './commands.js';
import { fingerprint, kindOf } from './credential.js';
import { finding, FIX, ROTATION_STEPS } from './findings.js';
import { isCredentialCandidate, probeValue } from './probes.js';
import { PASTED_MARK, type State, type Subject } from './state.js';
import type { Candidate, Finding, ProbeResult, Resolution } from './types.js';

// ---------------------------------------------------------------------------------------------
// What the Console shows

/** The last 4 characters as the Console shows the key (whitespace and quotes around it removed). */
export function consoleTail(subject: Subject): string {
  return subject.value.slice(-4);
}

// ---------------------------------------------------------------------------------------------
// A credential the API accepted

/** Heuristic verdicts on a value that a live answer proves wrong. */
const DAMNING = new Set(['key.invalid', 'key.expired', 'key.inactive']);
const SHAPE = new Set(['key.truncated', 'key.malformed']);
const ROTATION = new Set(ROTATION_STEPS);

/**
 * The findings once the API has accepted `subject` (request `ok`): its value is never invalid,
 * expired, truncated or malformed as an error, and never due for rotation (a leak aside).
 */
export function withAccepted(findings: Finding[], subject: Subject, ok: ProbeResult): Finding[] {
  const leaked = findings.some((f) => f.id === 'key.leaked' && f.detail.includes(subject.fingerprint));
  const proof = `The API accepted it${ok.requestId ? ` (request-id ${ok.requestId})` : ''}`;
  const out: Finding[] = [];
  for (const f of findings) {
    if (!f.detail.includes(subject.fingerprint) || f.detail.endsWith(PASTED_MARK)) {
      out.push(f);
      continue;
    }
    if (DAMNING.has(f.id)) continue;
    if (SHAPE.has(f.id)) {
      out.push(
        finding('key.malformed', `${f.detail} ${proof}, so it is whole and valid: nothing to fix.`, {
          severity: 'info',
          title: 'The key has an unusual shape, but the API accepts it',
        }),
      );
      continue;
    }
    out.push(leaked ? f : { ...f, fix: f.fix.filter((l) => !ROTATION.has(l)) });
  }
  return out;
}

/**
 * A pasted "this key is refused" while every credential found here is accepted: the failing
 * program did not send these. Never a reason to rotate a key the API just accepted.
 */
export function pastedRefusalExplained(findings: Finding[], subjects: Subject[], ok: ProbeResult[]): Finding[] {
  const first = subjects[0];
  if (!first) return findings;
  const proof = subjects
    .map((x, i) => {
      const id = ok[i]?.requestId;
      return `${x.fingerprint} from ${x.source}${id ? ` (request-id ${id})` : ''}`;
    })
    .join(', ');
  return findings.map((f) =>
    f.id === 'key.invalid' && f.detail.endsWith(PASTED_MARK)
      ? finding(
          'env.not_delivered',
          `${f.detail.slice(0, -PASTED_MARK.length)} But the key found here is accepted now: ${proof}. ` +
            'The failing program sent another key (or none): it runs elsewhere (a container, CI, an IDE), ' +
            'loads a different file, or has a key written in its code.',
          {
            severity: 'warning',
            title: 'The failing program does not send the key found here',
            fix: FIX.notThisKey(consoleTail(first), first.value.length),
          },
        )
      : f,
  );
}

// ---------------------------------------------------------------------------------------------
// Where a setting came from, and how to remove it there

/** One command or edit that removes `c` where it is set, naming the file and line. */
export function removal(s: State, c: Candidate): string {
  return removalCmd(s.input.discovery.platform, c);
}

/** The candidate behind a setting's source label (ANTHROPIC_BASE_URL, a credential). */
export function candidateAt(s: State, source: string, name?: string): Candidate | undefined {
  return s.input.discovery.candidates.find((c) => c.source === source && (!name || c.name === name));
}

/** A stand-in candidate for a setting known only by its source label (`env:NAME`, `file:PATH:LINE`). */
function fromLabel(source: string): Candidate {
  const name = 'ANTHROPIC_BASE_URL';
  if (!source.startsWith('file:')) return { source, origin: 'env', name, value: '' };
  const origin = /settings(\.local)?\.json/.test(source) ? 'claude-user' : /\.env/.test(source) ? 'dotenv' : 'shell';
  return { source, origin, name, value: '' };
}

/** The fix that removes a base URL setting where it came from (the client then calls the API). */
export function baseUrlRemoval(s: State, baseUrl: NonNullable<Resolution['baseUrl']>): string {
  const c = candidateAt(s, baseUrl.source, 'ANTHROPIC_BASE_URL') ?? fromLabel(baseUrl.source);
  const line = removal(s, c);
  return `${line}   # the client then calls https://api.anthropic.com`;
}

// ---------------------------------------------------------------------------------------------
// Every credential found is tried

export interface Alternative {
  /** Probe-record subject id: `alt1`, `alt2`, … */
  id: string;
  candidate: Candidate;
  /** The value as it would go on the wire (SECRET). */
  value: string;
  fingerprint: string;
}

/** Each distinct credential value found that no subject sends (same order every time). */
export function alternativesOf(s: State): Alternative[] {
  const sent = new Set(s.subjects.flatMap((x) => [x.value, x.secondary ?? '']));
  const out: Alternative[] = [];
  for (const c of s.input.discovery.candidates) {
    if (c.value.trim() === '' || !isCredentialCandidate(c)) continue;
    const kind = kindOf(c.value).kind;
    if (kind !== 'api_key' && kind !== 'oauth_access') continue;
    const value = probeValue(c.value);
    if (value === '' || sent.has(value)) continue;
    sent.add(value);
    out.push({ id: `alt${out.length + 1}`, candidate: c, value, fingerprint: fingerprint(c.value) });
  }
  return out;
}

/** The candidate a subject sends (the first one discovery lists with that source). */
export function candidateOf(s: State, subject: Subject): Candidate | undefined {
  return s.input.discovery.candidates.find((c) => c.source === subject.source && probeValue(c.value) === subject.value);
}

/**
 * The one line that makes the working credential win over the failing one for this client:
 * remove the failing source (every file that sets the same value, with its line), then load the
 * working one where the client does not read it by itself.
 */
export function makeItWin(s: State, failing: Candidate, working: Candidate, readsDotenv: boolean): string[] {
  const same = s.input.discovery.candidates.filter(
    (c) => c.name === failing.name && probeValue(c.value) === probeValue(failing.value) && c !== failing,
  );
  // A value in the environment usually comes from a shell file: remove it there, too.
  const files = failing.origin === 'env' ? same.filter((c) => c.origin === 'shell') : [];
  const remove = files.length > 0 ? files.map((c) => removal(s, c)).join('; ') : removal(s, failing);
  const file = fileOf(working);
  const load =
    working.origin === 'shell'
      ? sourceCmd(s.input.discovery.platform, file)
      : working.origin === 'dotenv' && !readsDotenv
        ? loadDotenvCmd(file)
        : null;
  return FIX.makeItWin(remove, load, working.source);
}

// ---------------------------------------------------------------------------------------------
// Subscription logins and tokens: the credential is there, it just does not fund the API

function plan(type: string): string {
  return `Claude ${type.charAt(0).toUpperCase()}${type.slice(1)}`;
}

/** A Claude Pro/Max login on disk while API usage fails for credit: the subscription does not pay for it. */
export function subscriptionNotForApi(s: State, what: string): Finding | null {
  const cf = s.input.discovery.credentialsFile;
  if (!cf?.present || !cf.subscriptionType) return null;
  const name = plan(cf.subscriptionType);
  const cc = s.resolutions.find((r) => r.client === 'claude-code' && r.credential && !r.usesSubscriptionLogin);
  const fix = FIX.subscriptionLogin(cc?.credential ? removal(s, cc.credential) : null, name);
  return finding(
    'auth.subscription_vs_api',
    `${cf.source} shows a ${name} login, but ${what}. A Claude subscription does not fund API usage: ` +
      "API keys draw on their Console organization's prepaid credits, which are separate.",
    { title: 'A Claude subscription does not pay for API usage', fix },
  );
}

/** `finding` placed right before the first `before` finding (the order a person should read them). */
export function insertBefore(findings: Finding[], add: Finding, before: string): Finding[] {
  if (findings.some((f) => f.id === add.id && f.detail === add.detail)) return findings;
  const i = findings.findIndex((f) => f.id === before);
  return i === -1 ? [...findings, add] : [...findings.slice(0, i), add, ...findings.slice(i)];
}

/**
 * Subscription tokens (sk-ant-oat01-…) given to a client other than Claude Code: the API refuses
 * them there. A token the client does not even read is still the user's credential: not key.missing.
 */
export function subscriptionTokens(s: State, findings: Finding[]): Finding[] {
  let out = findings;
  for (const x of s.subjects) {
    if (x.kind !== 'oauth_access' || x.clients.includes('claude-code')) continue;
    out = [
      ...out,
      finding(
        'auth.subscription_vs_api',
        `${x.fingerprint} from ${x.source} is a Claude subscription (OAuth) token, used by ` +
          `${x.labels.join(', ')}: the API refuses subscription tokens outside Claude Code.`,
        { fix: [...FIX.subscriptionToken] },
      ),
    ];
  }
  const bare = s.resolutions.filter((r) => !r.credential && !r.usesSubscriptionLogin && r.provider === 'anthropic');
  const token = s.input.discovery.candidates.find(
    (c) => c.value.trim() !== '' && kindOf(c.value).kind === 'oauth_access',
  );
  if (
    token &&
    bare.length > 0 &&
    bare.every((r) => r.client !== 'claude-code') &&
    out.some((f) => f.id === 'key.missing')
  )
    out = [
      ...out.filter((f) => f.id !== 'key.missing'),
      finding(
        'auth.subscription_vs_api',
        `${token.source} holds a Claude subscription token (${fingerprint(token.value)}); ` +
          `${bare.map((r) => r.label).join(' and ')} ${bare.length > 1 ? 'do' : 'does'} not read ${token.name}, ` +
          'and the API refuses subscription tokens outside Claude Code.',
        { fix: [...FIX.subscriptionToken] },
      ),
    ];
  return out;
}
