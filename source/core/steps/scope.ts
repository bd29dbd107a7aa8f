// Step 4, scope: with a credential that works, can it use the model (GET /v1/models/{id}) and
// make a request (count_tokens, free)?
import { classifyAnswer } from '../classify.js';
import { insertBefore, subscriptionNotForApi } from '../evidence.js';
import { probe } from '../probes.js';
import { QUESTIONS } from '../questions.js';
import {
  acceptedProbe,
  addFindings,
  askFor,
  classifyCtx,
  currentModel,
  listedModel,
  lastOf,
  type Planner,
} from '../state.js';

export const scope: Planner = (s) => {
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
  if (s.input.interactive && s.answers.model === undefined) return { state, outcome: askFor(QUESTIONS.model()) };
  // Probe in the form that worked, so scope answers are not header answers.
  const form = { sentAs: accepted.sentAs, version: accepted.anthropicVersion, beta: accepted.oauthBeta };
  const explicit = currentModel(s);
  const model = explicit ?? listedModel(accepted) ?? listedModel(lastOf(s, subject.id, 'models'));
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
  // A Claude Pro/Max login on disk and a credit error: the subscription does not pay for API usage.
  const credit = state.findings.some((f) => f.id === 'billing.credit');
  const sub =
    credit &&
    subscriptionNotForApi(
      state,
      `${subject.labels.join(', ')} ${subject.labels.length > 1 ? 'send' : 'sends'} ${subject.fingerprint} ` +
        `from ${subject.source}, whose organization has no credit left`,
    );
  if (sub) state = { ...state, findings: insertBefore(state.findings, sub, 'billing.credit') };
  return { state, outcome: { done: { note: notes.join('; ') || 'nothing to check' } } };
};
