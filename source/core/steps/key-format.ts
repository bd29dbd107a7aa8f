// Step 1, key_format: what the configuration says before anything is sent. The pasted error is
// read here (evidence for every later step), where the failing program runs, and whether Claude
// Code's API key overrides a subscription login. The static lint of each value ran in prepare().
import { classify, refusalIn } from '../classify.js';
import { insertBefore, subscriptionNotForApi, subscriptionTokens } from '../evidence.js';
import { fingerprint } from '../credential.js';
import { finding, FIX, type DeliveryPlace } from '../findings.js';
import { QUESTIONS } from '../questions.js';
import {
  addFindings,
  askFor,
  currentModel,
  failingProvider,
  hasFinding,
  PASTED_MARK,
  pastedOf,
  type Planner,
  type State,
} from '../state.js';
import type { Finding } from '../types.js';

export const keyFormat: Planner = (s) => {
  // The pasted error is evidence for every later step; read it once, here.
  if (s.answers.error === undefined && s.input.interactive) return { state: s, outcome: askFor(QUESTIONS.error()) };
  if (s.answers.runs_elsewhere === undefined && s.input.interactive)
    return { state: s, outcome: askFor(QUESTIONS.runs_elsewhere()) };
  const cc = s.resolutions.find((r) => r.client === 'claude-code');
  const loginKnown = !!s.input.discovery.credentialsFile?.present;
  if (cc?.credential && !loginKnown && s.answers.subscription === undefined && s.input.interactive) {
    return { state: s, outcome: askFor(QUESTIONS.subscription()) };
  }
  let state = addFindings(s, deliveryFindings(s));
  if (
    cc?.credential &&
    !loginKnown &&
    s.answers.subscription === 'yes' &&
    !hasFinding(s, 'env.api_key_overrides_login')
  ) {
    state = addFindings(state, [
      finding(
        'env.api_key_overrides_login',
        `Claude Code uses ${cc.credential.name} from ${cc.credential.source} (${fingerprint(cc.credential.value)}) instead of your Claude Pro/Max login. If that key's organization is disabled or out of credit, Claude Code fails although your subscription is fine.`,
        {
          severity: 'error',
          fix: FIX.apiKeyOverridesLogin(cc.credential.name),
        },
      ),
    ]);
  }
  const pasted = pastedOf(s);
  if (pasted && !s.findings.some((f) => f.detail.endsWith(PASTED_MARK))) {
    const subject = s.subjects[0];
    const r0 = s.resolutions[0];
    const read = classify(pasted, {
      sentAs: subject?.sendsAs ?? r0?.sendsAs ?? 'x-api-key',
      credentialKind: subject?.kind ?? r0?.credentialKind ?? null,
      anthropicVersion: subject?.version ?? r0?.anthropicVersion ?? null,
      oauthBeta: subject?.beta ?? false,
      client: r0?.client,
      viaBaseUrl: !!r0?.baseUrl,
      model: currentModel(s),
      clientAssumed: r0?.assumed,
      provider: failingProvider(s),
    });
    let found = read.findings;
    // "Not logged in" also follows a token the API refused: with a credential here, the live checks say why.
    if (refusalIn(read.answer) === 'not_logged_in' && s.subjects.length > 0) {
      found = found.filter((f) => f.id !== 'key.missing');
      state = {
        ...state,
        notes: [
          ...state.notes,
          `The pasted "${pasted.errorMessage ?? 'not logged in'}" is not read as "no credential": ` +
            `${s.subjects[0]!.source} is set, and Claude Code prints it after the API refuses a token too.`,
        ],
      };
    }
    // A cloud provider's own refusal: its credentials are the ones that count, not a missing Anthropic key.
    if (found.some((f) => f.id.startsWith('provider.')))
      state = { ...state, findings: state.findings.filter((f) => f.id !== 'key.missing') };
    found = found.map((f) => ({
      ...f,
      severity: f.step === 'network' ? f.severity : ('error' as const),
      detail: `${f.detail}${PASTED_MARK}`,
    }));
    state = addFindings(state, found);
    const paid = found.find((f) => f.id === 'billing.credit');
    const sub = paid && subscriptionNotForApi(state, 'the pasted error says the credit balance is too low');
    if (sub) state = { ...state, findings: insertBefore(state.findings, sub, 'billing.credit') };
  }
  state = { ...state, findings: subscriptionTokens(state, state.findings) };
  const winners = s.resolutions.filter((r) => r.credential).length;
  const seen = s.subjects.filter((x) => x.observed);
  const note =
    seen.length > 0
      ? seen.map((x) => `${x.observed!.program} sends ${x.source} as ${x.sendsAs} (observed)`).join('; ')
      : s.resolutions.length === 0
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
        note:
          winners === 0 && seen.length === 0 && s.resolutions.every((r) => !r.usesSubscriptionLogin)
            ? 'no credential found'
            : note,
      },
    },
  };
};

/** Where the failing program runs, in the words of the finding. */
const DELIVERY: Record<DeliveryPlace, string> = {
  docker: 'in a Docker container',
  ci: 'in CI',
  serverless: 'on a serverless platform',
  ide: 'from an IDE or a GUI app',
};

/** Where the failing program runs decides whether this shell's variables reach it at all. */
function deliveryFindings(s: State): Finding[] {
  const place = s.answers.runs_elsewhere;
  if (!place || !Object.hasOwn(DELIVERY, place)) return [];
  const where = DELIVERY[place as DeliveryPlace];
  return [
    finding(
      'env.not_delivered',
      `The failing program runs ${where}: what this terminal has (checked here) does not reach it by itself. Make sure the same key is delivered there.`,
      { fix: FIX.notDelivered(place as DeliveryPlace) },
    ),
  ];
}
