// Step 6, provider: where the requests really go (Bedrock, Vertex, Foundry, a base URL) and,
// with consent, what the base URL answers.
import { OFFICIAL_API } from '../api.js';
import { classifyAnswer, isAnthropicAnswer } from '../classify.js';
import { finding, FIX, type FindingId } from '../findings.js';
import { baseForProbe, normalize, probe } from '../probes.js';
import { QUESTIONS, UNKNOWN } from '../questions.js';
import { addFindings, askFor, classifyCtx, lastOf, type Planner } from '../state.js';
import type { Finding, Resolution } from '../types.js';

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

  // With consent, probe the base URL the client would really use, and compare.
  const target = s.resolutions.find((r) => r.baseUrl && normalize(r.baseUrl.value) !== normalize(o.apiUrl));
  const subject = target && s.subjects.find((x) => x.clients.includes(target.client));
  if (target?.baseUrl && subject && o.network) {
    if (s.answers.probe_base_url === undefined && s.input.interactive) {
      return {
        state,
        outcome: askFor(QUESTIONS.probe_base_url(target.baseUrl.value)),
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
