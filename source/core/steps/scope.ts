// Step 4, scope: with a credential that works, can it use the model (GET /v1/models/{id}) and
// make a request (count_tokens, free)?
import { classifyAnswer } from '../classify.js';
import { finding } from '../findings.js';
import { probe } from '../probes.js';
import { QUESTIONS } from '../questions.js';
import {
  acceptedProbe,
  addFindings,
  askFor,
  classifyCtx,
  currentModel,
  firstListedModel,
  lastOf,
  type Planner,
  subscriptionAnswer,
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
