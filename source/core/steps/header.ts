// Step 3, header: is the credential in the header the API wants? Differential probes: the same
// key as x-api-key after a refused Bearer, an OAuth token with its beta header.
import { API_VERSION, OAUTH_BETA } from '../api.js';
import { classifyAnswer, refusalIn } from '../classify.js';
import { finding, FIX } from '../findings.js';
import { probe } from '../probes.js';
import { addFindings, answerOf, classifyCtx, lastOf, type Planner, probesOf } from '../state.js';

export const header: Planner = (s) => {
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
    const refused = refusalIn(answerOf(s, subject, first));
    // Differential: the same key in the other header locates a header problem.
    if (subject.kind === 'api_key' && subject.sendsAs === 'authorization' && refused === 'bearer_refused') {
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
            { fix: FIX.bearerByClient(subject.clients) },
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
    if (subject.kind === 'oauth_access' && !subject.beta && refused === 'oauth_beta_missing') {
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
