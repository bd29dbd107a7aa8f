// Step 6, provider: where the requests really go (Bedrock, Vertex, Foundry, a base URL) and,
// with consent, what the base URL answers.
import { API_VERSION, BEARER_KEY_VERSION, OFFICIAL_API } from '../api.js';
import { classify, isAnthropicAnswer } from '../classify.js';
import { baseUrlRemoval } from '../evidence.js';
import { finding, FIX, type FindingId } from '../findings.js';
import { baseForProbe, normalize, probe } from '../probes.js';
import { QUESTIONS, UNKNOWN } from '../questions.js';
import {
  acceptedProbe,
  addFindings,
  askFor,
  classifyCtx,
  lastOf,
  pastedOf,
  type Pending,
  type PlanOutcome,
  type Planner,
  type State,
  type Subject,
} from '../state.js';
import type { Finding, NetworkErrorKind, ProbeRequest, ProbeResult, Resolution } from '../types.js';

export const provider: Planner = (s) => {
  const o = s.input.options;
  if (s.input.interactive && s.answers.provider === undefined)
    return { state: s, outcome: askFor(QUESTIONS.provider()) };
  let state = s;
  const found: Finding[] = [];
  const notes: string[] = [];
  const seenUrls = new Set<string>();
  for (const r of s.resolutions) {
    if (r.provider !== 'anthropic') {
      const id = `provider.${r.provider}` as FindingId;
      const wanted = s.answers.provider;
      const severity = wanted === 'anthropic' ? 'error' : 'warning';
      found.push(finding(id, providerDetail(r, wanted), { severity, fix: FIX.provider(r.provider) }));
      notes.push(`${r.label}: ${r.provider}`);
    }
    const join = r.baseUrlJoin ?? '/v1/…';
    if (r.baseUrl && !seenUrls.has(`${r.baseUrl.value}\u0000${join}`)) {
      seenUrls.add(`${r.baseUrl.value}\u0000${join}`);
      const odd = baseUrlOddities(r.baseUrl.value, join, r.label);
      if (odd.length > 0 || normalize(r.baseUrl.value) !== OFFICIAL_API) {
        found.push(
          finding(
            'endpoint.base_url',
            `${r.baseUrl.source} = ${r.baseUrl.value} (used by ${r.label}). ${odd.length ? odd.join(' ') : 'Requests go to this host, not to api.anthropic.com: a 401 there is that server\u2019s answer.'}`,
            {
              severity: odd.some((x) => x.startsWith('Broken:')) ? 'error' : 'warning',
              fix: [...FIX.baseUrl],
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
        { severity: 'error', fix: FIX.provider(wanted as Resolution['provider']) },
      ),
    );
  }
  state = addFindings(state, found);

  // The base URL the client really uses: does it answer at all (no credential sent), and, with
  // consent, what does it answer to the credential the API accepts?
  const target = s.resolutions.find((r) => r.baseUrl && normalize(r.baseUrl.value) !== normalize(o.apiUrl));
  const subject = target && s.subjects.find((x) => x.clients.includes(target.client));
  let specific = false;
  if (
    target?.baseUrl &&
    o.network &&
    baseUrlOddities(target.baseUrl.value, target.baseUrlJoin, target.label).length === 0
  ) {
    const base = baseForProbe(target.baseUrl.value);
    const hop = { ...target.baseUrl, base, host: hostOf(base), label: labelsFor(s, target.baseUrl.value) };
    const reach = lastOf(s, BASE, 'base_url_reach');
    if (!reach) return { state, outcome: reachProbe(base, subject?.version ?? API_VERSION) };
    const pastedDead = pastedOf(s)?.network;
    if (reach.network && reach.status === null) {
      state = addFindings(state, [deadBaseUrl(s, hop, reach)]);
      specific = true;
      notes.push(`base URL does not answer (${reach.network.kind})`);
    } else if (pastedDead && pastedDead.host === hop.host) {
      state = addFindings(state, [deadBaseUrl(s, hop, null)]);
      specific = true;
    } else if (subject) {
      if (s.answers.probe_base_url === undefined && s.input.interactive)
        return { state, outcome: askFor(QUESTIONS.probe_base_url(target.baseUrl.value)) };
      if (s.answers.probe_base_url === 'yes') {
        const r = lastOf(s, subject.id, 'base_url');
        if (!r)
          return {
            state,
            outcome: probe(s, subject, 'provider', `GET ${target.baseUrl.value}/v1/models`, {
              purpose: 'base_url',
              method: 'GET',
              path: '/v1/models?limit=1',
              base,
            }),
          };
        const judged = judgeHop(s, subject, hop, r);
        if ('pending' in judged) return { state, outcome: judged };
        state = addFindings(state, judged.findings);
        specific = judged.specific;
        notes.push(
          `base URL answered ${r.status ?? r.network?.kind}${isAnthropicAnswer(r) ? '' : ' (not an Anthropic answer)'}`,
        );
      }
    }
    // A finding about what this base URL did replaces the general note that it is set.
    if (specific)
      state = {
        ...state,
        findings: state.findings.filter(
          (f) => !(f.id === 'endpoint.base_url' && f.severity === 'warning' && f.detail.startsWith(`${hop.source} = `)),
        ),
      };
  }
  return {
    state,
    outcome: {
      done: { note: notes.join('; ') || (seenUrls.size ? 'custom base URL' : 'requests go to the Anthropic API') },
    },
  };
};

/** Probe-record id of the credential-free request to the base URL. */
const BASE = 'base';

interface Hop {
  value: string;
  source: string;
  base: string;
  host: string;
  label: string;
}

function hostOf(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}

function labelsFor(s: State, value: string): string {
  return s.resolutions
    .filter((r) => r.baseUrl?.value === value)
    .map((r) => r.label)
    .join(', ');
}

/** GET /v1/models with no credential and no custom headers: nothing secret leaves; does anything answer? */
function reachProbe(base: string, version: string): PlanOutcome {
  const request: ProbeRequest = {
    purpose: 'base_url_reach',
    method: 'GET',
    url: `${base}/v1/models?limit=1`,
    headers: { 'user-agent': 'claude-401-wizard', accept: 'application/json', 'anthropic-version': version },
    sentAs: 'none',
    anthropicVersion: version,
    oauthBeta: false,
    credentialKind: null,
  };
  return { pending: { type: 'probe', request, subject: BASE, step: 'provider', label: `GET ${base} (no credential)` } };
}

const DEAD: Record<NetworkErrorKind, string> = {
  dns: 'its host name does not resolve (DNS)',
  unreachable: 'the connection is refused or cannot be made',
  timeout: 'it did not answer in time',
  tls: 'the TLS handshake failed',
  reset: 'the connection was reset before an answer',
  proxy: 'the proxy in HTTPS_PROXY/HTTP_PROXY failed on the way there',
};

/** A base URL the client really uses and that does not answer: every request fails there. */
function deadBaseUrl(s: State, hop: Hop, r: ProbeResult | null): Finding {
  const kind = r?.network?.kind ?? pastedOf(s)?.network?.kind;
  const how = kind ? DEAD[kind] : 'it does not answer';
  const seen = r
    ? ` (GET ${r.url}: ${r.network?.code ?? ''}${r.network?.message ? ` ${r.network.message}` : ''})`
    : ' (the pasted error)';
  return finding(
    'endpoint.base_url',
    `${hop.source} = ${hop.value} (used by ${hop.label}): ${how}${seen}. ` +
      `Every request the client makes goes to ${hop.host}, so it fails before any key is checked.`,
    {
      severity: 'error',
      title: `ANTHROPIC_BASE_URL (${hop.host}) does not answer`,
      fix: FIX.deadBaseUrl(baseUrlRemoval(s, hop), hop.host, hop.base),
    },
  );
}

/**
 * The base URL's answer to the credential, against the API's: a hop that refuses what the API
 * accepts is the finding (header, stripped header, other key store), never the key. A header
 * refusal is checked with the other header sent to the same hop.
 */
function judgeHop(
  s: State,
  subject: Subject,
  hop: Hop,
  r: ProbeResult,
): { pending: Pending } | { findings: Finding[]; specific: boolean } {
  if (r.network && r.status === null) return { findings: [deadBaseUrl(s, hop, r)], specific: true };
  const read = classify(r, classifyCtx(subject, r, s));
  const ok = acceptedProbe(s, subject.id);
  if (r.network || read.answer.kind === 'accepted' || !ok) return { findings: read.findings, specific: !!r.network };
  const apiSaid =
    `the API at ${hostOf(s.input.options.apiUrl)} accepts ${subject.fingerprint} as sent ` +
    `(request-id ${ok.requestId ?? 'none'})`;
  const headerFinding = read.findings.find((f) => f.id === 'header.bearer' || f.id === 'header.x_api_key');
  if (headerFinding && subject.kind === 'api_key') {
    const other = headerFinding.id === 'header.bearer' ? 'x-api-key' : 'authorization';
    const alt = lastOf(s, subject.id, 'base_url_alt');
    if (!alt)
      return probe(s, subject, 'provider', `GET ${hop.base}/v1/models as ${other}`, {
        purpose: 'base_url_alt',
        method: 'GET',
        path: '/v1/models?limit=1',
        base: hop.base,
        sentAs: other,
        version: other === 'x-api-key' ? API_VERSION : BEARER_KEY_VERSION,
        beta: false,
      }) as { pending: Pending };
    const form =
      other === 'x-api-key'
        ? `x-api-key (anthropic-version ${API_VERSION})`
        : `Authorization: Bearer (anthropic-version ${BEARER_KEY_VERSION})`;
    const result =
      alt.status === 200
        ? `The same key as ${form} to ${hop.host} was accepted (request-id ${alt.requestId ?? 'none'})`
        : `The same key as ${form} to ${hop.host} answered ${alt.status ?? alt.network?.kind}`;
    return {
      findings: read.findings.map((f) =>
        f === headerFinding ? { ...f, detail: `${f.detail} ${result}; ${apiSaid}.` } : f,
      ),
      specific: true,
    };
  }
  if (read.findings.some((f) => f.id.startsWith('header.'))) {
    return {
      findings: read.findings.map((f) =>
        f.id.startsWith('header.') ? { ...f, detail: `${f.detail} Yet ${apiSaid}.` } : f,
      ),
      specific: true,
    };
  }
  if (read.answer.kind === 'rejected' || read.answer.kind === 'not_anthropic') {
    const sentAs =
      subject.sendsAs === 'authorization'
        ? 'Authorization: Bearer'
        : subject.sendsAs === 'both'
          ? 'x-api-key and Authorization'
          : 'x-api-key';
    const message = r.errorMessage ? ` "${r.errorMessage}"` : '';
    const refused = `HTTP ${r.status ?? '?'}${message} (request-id ${r.requestId ?? 'none'})`;
    return {
      findings: [
        ...read.findings.filter((f) => !f.id.startsWith('key.')),
        finding(
          'endpoint.base_url',
          `${apiSaid}, but the server at ${hop.host} (${hop.source}, used by ${hop.label}) refuses the same ` +
            `request — same ${sentAs} header, same anthropic-version ${subject.version}, same key — with ` +
            `${refused}. Only the host differs: that server is not the Anthropic API, or it checks keys ` +
            'against a list of its own.',
          {
            severity: 'error',
            title: 'The server at ANTHROPIC_BASE_URL refuses a key the API accepts',
            fix: FIX.hopRefuses(baseUrlRemoval(s, hop), hop.host),
          },
        ),
      ],
      specific: true,
    };
  }
  return { findings: read.findings, specific: false };
}

/**
 * What is wrong with a base URL for a client that appends `join` to it (core/clients.ts): most add
 * /v1/… themselves; @ai-sdk/anthropic expects the base to end in /v1 and appends /messages.
 */
export function baseUrlOddities(raw: string, join: '/v1/…' | '/…' = '/v1/…', label = 'this client'): string[] {
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
  if (join === '/v1/…' && /\/v1\/?$/.test(u.pathname))
    out.push('Broken: it ends in /v1, and clients add /v1/… themselves, so requests go to /v1/v1/….');
  // @ai-sdk/anthropic 3.0.140 turns exactly https://api.anthropic.com into …/v1 (its source), nothing else.
  if (join === '/…' && !/\/v1\/?$/.test(u.pathname) && v.replace(/\/+$/, '') !== 'https://api.anthropic.com')
    out.push(
      `Broken: ${label} takes it as ending in /v1 and appends /messages, so requests go to ` +
        `${v.replace(/\/+$/, '')}/messages; add /v1.`,
    );
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
