// Preparation of what gets probed: resolve the clients, turn each distinct credential form into
// a probe subject, build the requests, and the static findings of the configuration (key format
// lint, git hygiene) that need no network. Pure.
import { fingerprint, kindOf, lintKey } from './credential.js';
import { finding, FIX } from './findings.js';
import { isCredentialName } from './names.js';
import { applyObservation } from './observed.js';
import { precedenceFindings, resolveClients } from './precedence.js';
import { UNKNOWN } from './questions.js';
import { dedupe, type PlanOutcome, type State, type Subject } from './state.js';
import type {
  Candidate,
  ClientModel,
  Discovery,
  Finding,
  HeaderStyle,
  Options,
  ProbePurpose,
  ProbeRequest,
  Resolution,
  StepId,
} from './types.js';
import { OAUTH_BETA, OFFICIAL_API } from './api.js';

function clientChoice(s: State): Options['client'] {
  const a = s.answers.client;
  return a === 'claude-code' || a === 'sdk' || a === 'curl' || a === 'other' ? a : 'auto';
}

/** Resolves clients and the static findings from scratch (only before key_format finishes). */
export function prepare(state: State): State {
  const d = withPastedKey(state.input.discovery, state.answers.paste_key);
  const resolutions = withKeyEnv(resolveClients(d, clientChoice(state)), d);
  const findings = [
    ...precedenceFindings(d, resolutions),
    ...lintFindings(d, resolutions),
    ...hygieneFindings(d, resolutions),
  ];
  const subjects = buildSubjects(resolutions);
  const observed = state.input.observed ?? [];
  if (observed.length === 0) return { ...state, resolutions, subjects, findings: dedupe(findings) };
  // Observation outranks the model: the credential forms seen on the wire are what gets probed.
  const applied = applyObservation({ observed, discovery: d, resolutions, subjects, findings });
  const notes = [...state.notes, ...applied.notes.filter((n) => !state.notes.includes(n))];
  return { ...state, resolutions, subjects: applied.subjects, findings: dedupe(applied.findings), notes };
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

export function isCredentialCandidate(c: Candidate): boolean {
  return isCredentialName(c.name) || c.origin === 'key-env' || kindOf(c.value).kind !== 'unknown';
}

function lintFindings(d: Discovery, resolutions: Resolution[]): Finding[] {
  const out: Finding[] = [];
  for (const c of d.candidates) {
    if (c.value === '' || !isCredentialCandidate(c)) continue;
    const users = resolutions.filter(
      (r) => r.credential === c || (r.credential && r.credential.source === c.source && r.credential.value === c.value),
    );
    // A name no client reads (precedence reports it as env.wrong_name): its value reaches no client,
    // so what its quotes or spaces would break is not this diagnosis' business.
    if (users.length === 0 && !isCredentialName(c.name) && c.origin !== 'key-env') continue;
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
            fix: FIX.dotenvNotIgnored(name, rel),
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
    // Claude Code with an env key and an apiKeyHelper sends the helper's output as Bearer beside it;
    // the tool never runs the helper, so the probe carries only the part it knows (header.both says the rest).
    const sendsAs = r.usesApiKeyHelper && r.sendsAs === 'both' ? 'x-api-key' : r.sendsAs;
    const key = [
      value,
      secondary ?? '',
      sendsAs,
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
      sendsAs,
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

export interface RequestShape {
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
  // An observed form is sent exactly as the program sent it, unless a differential probe changes it.
  const exact = s.observed && shape.sentAs === undefined && shape.version === undefined && shape.beta === undefined;
  if (exact) {
    delete headers['anthropic-version'];
    delete headers['anthropic-beta'];
    Object.assign(headers, s.observed!.headers);
  } else if (sentAs === 'x-api-key') headers['x-api-key'] = s.value;
  else if (sentAs === 'authorization') headers['authorization'] = `Bearer ${s.value}`;
  else if (sentAs === 'both') {
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
    anthropicVersion: exact ? (s.observed!.headers['anthropic-version'] ?? null) : version,
    oauthBeta: beta,
    credentialKind: s.kind,
  };
}

export function probe(s: State, subject: Subject, step: StepId, label: string, shape: RequestShape): PlanOutcome {
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

// ---------------------------------------------------------------------------------------------
// Base URLs

/** For comparing base URLs: the probe base, case-folded. */
export function normalize(url: string): string {
  return baseForProbe(url).toLowerCase();
}

export function baseForProbe(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '');
}
