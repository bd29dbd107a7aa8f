// Step 5, workspace: which workspace the key resolves to versus the one expected; the key record
// through the Admin API when an Admin key is given, else what the Console says.
import { consoleTail } from '../evidence.js';
import { finding, FIX } from '../findings.js';
import { mayBeConsoleKey } from './activation.js';
import { QUESTIONS, UNKNOWN } from '../questions.js';
import { acceptedProbe, addFindings, askFor, hasFinding, type Planner, type State, type Subject } from '../state.js';
import type { Finding } from '../types.js';

export const workspace: Planner = (s) => {
  const o = s.input.options;
  let state = s;
  const subject = s.subjects.find((x) => acceptedProbe(s, x.id)) ?? s.subjects[0];
  const seen = s.probes.map((p) => p.result.workspaceId).find((w): w is string => !!w) ?? null;
  const expected = expectedWorkspace(s, subject);
  const notes: string[] = [];
  if (seen) notes.push(`the key resolves to ${seen}`);

  // Admin API look-up when an Admin key was given (flag, or pasted in the wizard).
  const pastedAdmin = s.answers.admin_key && s.answers.admin_key !== UNKNOWN ? s.answers.admin_key.trim() : null;
  const adminKey = s.input.adminKey ?? pastedAdmin;
  // The Admin API and the Console's key list know Console API keys only: for an OAuth token the
  // questions cannot change the diagnosis, so they are not asked.
  const consoleKey = !!subject && mayBeConsoleKey(subject);
  if (!adminKey && subject && consoleKey && o.network && s.input.interactive && s.answers.admin_key === undefined) {
    return { state, outcome: askFor(QUESTIONS.admin_key()) };
  }
  if (adminKey && subject && o.network && !s.admin) {
    return {
      state,
      outcome: {
        pending: {
          type: 'admin',
          request: { value: subject.value, fingerprint: subject.fingerprint, adminKey, apiUrl: o.apiUrl },
        },
      },
    };
  }
  if (s.admin) {
    state = addFindings(state, s.admin.findings);
    state = { ...state, notes: [...state.notes, ...s.admin.notes] };
    if (s.admin.workspace)
      notes.push(
        `workspace ` +
          (s.admin.workspace.name ?? s.admin.workspace.id ?? 'Default Workspace') +
          (s.admin.workspace.archived ? ' (archived)' : ''),
      );
  }

  if (!expected && seen && s.input.interactive && s.answers.workspace_expected === undefined) {
    return { state, outcome: askFor(QUESTIONS.workspace_expected(seen)) };
  }
  const adminWs = s.admin?.workspace;
  const sameAsAdmin =
    !!expected &&
    !!adminWs &&
    (expected.id === adminWs.id || expected.id.toLowerCase() === (adminWs.name ?? '').toLowerCase());
  if (expected && seen && expected.id !== seen && !sameAsAdmin) {
    state = addFindings(state, [
      finding(
        'workspace.mismatch',
        `The key resolves to workspace ${seen}, but ${expected.source} expects ${expected.id}.`,
        {
          fix: FIX.workspaceMismatch(expected.id, seen),
        },
      ),
    ]);
  } else if (expected && adminWs && adminWs.id && !sameAsAdmin) {
    state = addFindings(state, [
      finding(
        'workspace.mismatch',
        `The key lives in workspace ${adminWs.name ?? adminWs.id} (${adminWs.id}), but ` +
          `${expected.source} expects ${expected.id}.`,
      ),
    ]);
  }

  if (!adminKey && subject) {
    const rejected = !acceptedProbe(s, subject.id) && o.network;
    if (rejected && consoleKey && s.input.interactive && s.answers.console_status === undefined) {
      return {
        state,
        outcome: askFor(QUESTIONS.console_status(`ending in ${consoleTail(subject)} (${subject.fingerprint})`)),
      };
    }
    const fromConsole = consoleFindings(s, subject);
    state = addFindings(state, fromConsole);
    const said = s.answers.console_status;
    if (said && said !== UNKNOWN) notes.push(`the Console shows the key as ${said.replace('_', ' ')}`);
    if (rejected && fromConsole.length === 0 && !hasFinding(state, 'admin.unavailable')) {
      state = addFindings(state, [
        finding(
          'admin.unavailable',
          `No Admin API key was given, so the key's status and workspace were not looked up.`,
          {
            fix: FIX.adminUnavailable(consoleTail(subject)),
          },
        ),
      ]);
    }
  }
  const skipped =
    notes.length === 0 && !s.admin && !state.findings.some((f) => f.step === 'workspace' && f.severity !== 'info');
  return {
    state,
    outcome: {
      done: { note: notes.join('; ') || (o.network ? 'workspace not known' : 'not checked (--no-network)'), skipped },
    },
  };
};

function expectedWorkspace(s: State, subject: Subject | undefined): { id: string; source: string } | null {
  const fromHeaders =
    subject?.customHeaders['anthropic-workspace-id'] ??
    Object.entries(subject?.customHeaders ?? {}).find(([k]) => k.toLowerCase() === 'anthropic-workspace-id')?.[1];
  if (fromHeaders) return { id: fromHeaders.trim(), source: 'ANTHROPIC_CUSTOM_HEADERS' };
  const a = s.answers.workspace_expected;
  if (a && a !== UNKNOWN) return { id: a.trim(), source: 'your answer' };
  return null;
}

function consoleFindings(s: State, subject: Subject): Finding[] {
  const a = s.answers.console_status;
  const where = `The Console says the key ending in ${consoleTail(subject)} (${subject.fingerprint}) is`;
  switch (a) {
    case 'inactive':
      return [finding('key.inactive', `${where} inactive.`)];
    case 'archived':
      return [finding('key.inactive', `${where} archived.`, { fix: [...FIX.archivedKey] })];
    case 'expired':
      return [finding('key.expired', `${where} expired.`)];
    case 'workspace_archived':
      return [finding('workspace.archived', `${where} in an archived workspace.`)];
    case 'missing':
      return [
        finding(
          'key.invalid',
          `The Console of the organization you looked in does not list ${subject.fingerprint}: it was ` +
            `deleted, or it belongs to another organization.`,
        ),
      ];
    default:
      return [];
  }
}
