// How a diagnosis reads as plain text: step names, status marks (Unicode or ASCII), and the
// human summary that `check` prints. Shared by the headless driver and the Ink wizard so both
// say the same thing. Pure.
import { mostSevere } from './findings.js';
import type { Diagnosis, Finding, StepId, StepStatus } from './types.js';

export const STEP_TITLES: Record<StepId, string> = {
  key_format: 'Key format — which credential is used, and is its text intact',
  activation: 'Activation — does the API accept it',
  header: 'Header — is it sent the right way',
  scope: 'Scope — permissions, model, billing, organization',
  workspace: 'Workspace — where the key lives',
  provider: 'Provider — where requests really go',
};

export const STEP_SHORT: Record<StepId, string> = {
  key_format: 'Key format',
  activation: 'Activation',
  header: 'Header',
  scope: 'Scope',
  workspace: 'Workspace',
  provider: 'Provider',
};

export interface Look {
  unicode: boolean;
  color: boolean;
}

const MARKS_UNICODE: Record<StepStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };
const MARKS_ASCII: Record<StepStatus, string> = { pass: '[ok]', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' };
const SEVERITY_ASCII = { error: '[FAIL]', warning: '[warn]', info: '[info]' } as const;
const SEVERITY_UNICODE = { error: '✗', warning: '!', info: 'i' } as const;
const COLORS: Record<StepStatus, number> = { pass: 32, warn: 33, fail: 31, skip: 90 };

export function mark(status: StepStatus, look: Look): string {
  const m = look.unicode ? MARKS_UNICODE[status] : MARKS_ASCII[status];
  return look.color ? `\u001b[${COLORS[status]}m${m}\u001b[39m` : m;
}

export function severityMark(f: { severity: Finding['severity'] }, look: Look): string {
  const m = look.unicode ? SEVERITY_UNICODE[f.severity] : SEVERITY_ASCII[f.severity];
  const color = f.severity === 'error' ? 31 : f.severity === 'warning' ? 33 : 36;
  return look.color ? `\u001b[${color}m${m}\u001b[39m` : m;
}

/** Whether the terminal can show the Unicode marks (LANG/LC_* name UTF-8; Windows Terminal does). */
export function supportsUnicode(env: Record<string, string | undefined>, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') return !!env.WT_SESSION || env.TERM_PROGRAM === 'vscode';
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  if (env.TERM === 'linux' || env.TERM === 'dumb') return false;
  return locale === '' ? true : /utf-?8/i.test(locale);
}

export const VERDICT_WORDS = { ok: 'OK', problem: 'PROBLEM', inconclusive: 'INCONCLUSIVE' } as const;

/** The human text of `check`: a line per step, details under failures, the summary last. */
export function renderText(d: Diagnosis, look: Look): string {
  const out: string[] = [];
  for (const step of d.steps) {
    out.push(`${mark(step.status, look)} ${STEP_SHORT[step.id]}: ${step.note}`);
    const shown = d.findings.filter(
      (x) =>
        x.step === step.id &&
        (step.status === 'fail' || step.status === 'warn' ? true : x.severity === 'info') &&
        x.id !== 'key.valid',
    );
    for (const group of groupFindings(shown)) out.push(...findingLines(group, look));
  }
  const net = d.findings.filter((f) => f.step === 'network');
  if (net.length) {
    out.push(`${mark('warn', look)} Network`);
    for (const group of groupFindings(net)) out.push(...findingLines(group, look));
  }
  if (d.notes.length) {
    out.push('', 'Notes:');
    for (const n of d.notes) out.push(`  ${look.unicode ? '·' : '-'} ${n}`);
  }
  out.push('');
  out.push(`${VERDICT_WORDS[d.verdict]}: ${d.summary}`);
  return out.join('\n') + '\n';
}

/** One finding id with all its evidence: the same cause seen by several checks reads once. */
export interface FindingGroup {
  id: string;
  severity: Finding['severity'];
  title: string;
  details: string[];
  fix: string[];
}

export function groupFindings(list: Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of list) {
    const g = groups.get(f.id);
    if (!g) {
      groups.set(f.id, { id: f.id, severity: f.severity, title: f.title, details: [f.detail], fix: [...f.fix] });
      continue;
    }
    g.severity = mostSevere(g.severity, f.severity);
    g.details.push(f.detail);
    for (const x of f.fix) if (!g.fix.includes(x)) g.fix.push(x);
  }
  return [...groups.values()];
}

export function findingLines(g: FindingGroup, look: Look): string[] {
  const lines = [`    ${severityMark(g, look)} ${g.title} (${g.id})`];
  const bullet = g.details.length > 1 ? (look.unicode ? '• ' : '* ') : '';
  for (const d of g.details) lines.push(`      ${bullet}${d}`);
  for (const fix of g.fix) lines.push(`      ${look.unicode ? '→' : '->'} ${fix}`);
  return lines;
}
