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

/**
 * Colour or not: never with --no-color or NO_COLOR (`allowed` false); FORCE_COLOR=1 (or any value
 * but 0/false) turns it on for a pipe, FORCE_COLOR=0 off for a terminal; otherwise only on a terminal.
 */
export function colorWanted(o: { allowed: boolean; env: Record<string, string | undefined>; isTTY: boolean }): boolean {
  if (!o.allowed) return false;
  const f = o.env.FORCE_COLOR;
  if (f !== undefined) return f !== '0' && f !== 'false';
  return o.isTTY;
}

export const VERDICT_WORDS = { ok: 'OK', problem: 'PROBLEM', inconclusive: 'INCONCLUSIVE' } as const;
const VERDICT_COLORS = { ok: 32, problem: 31, inconclusive: 33 } as const;

// ---------------------------------------------------------------------------------------------
// Commands in fix text: copyable, so never wrapped inside themselves nor indented mid-command.

/** A fix line that starts with one of these is a command to run (also after "…: "). */
const COMMAND = new RegExp(
  '^(?:export|unset|set|setx|curl|curl\\.exe|claude|npx|npm|pnpm|yarn|pip|uv|git|gcloud|az|aws|chmod|echo|printf|' +
    'source|docker|\\$env:|Remove-Item|\\[Environment\\])(?=\\s|$)',
);

/**
 * A fix line as prose and the command it holds: "Check it: npx …" → lead "Check it:", command
 * "npx …" (also after " — "). A sentence (it ends with a full stop) is prose, whatever its first word.
 */
export function splitFix(line: string): { lead: string; command: string | null } {
  const isCommand = (t: string) => COMMAND.test(t) && !/\.\s*$/.test(t);
  if (line.includes('`')) return { lead: line, command: null }; // already marked up by its author
  if (isCommand(line)) return { lead: '', command: line };
  for (const m of line.matchAll(/(?::|\s—|\s--)\s+/g)) {
    const rest = line.slice(m.index + m[0].length);
    if (isCommand(rest)) return { lead: line.slice(0, m.index + m[0].trimEnd().length), command: rest };
  }
  return { lead: line, command: null };
}

/**
 * Whom a fix line addresses: "Claude Code: …", "For Claude Code: …", a `claude` command;
 * "SDK/curl: …", "For the API and SDKs: …".
 */
function addressee(line: string): 'claude-code' | 'sdk' | null {
  if (/^(For )?Claude Code\b[^:.]*:/i.test(line) || /^claude\s/.test(line)) return 'claude-code';
  if (/^(For )?(the API and )?(SDKs?|SDK\/curl|curl)\b[^:.]*:/i.test(line)) return 'sdk';
  return null;
}

/**
 * The fix lines meant for the clients this diagnosis is about (the user's answer or --client
 * narrows them): a Claude Code fix is not given to someone whose SDK fails, nor the reverse. With
 * no client known, or when nothing would be left, every line.
 */
export function fixesForClients(lines: readonly string[], clients: readonly string[]): string[] {
  if (clients.length === 0) return [...lines];
  const claudeCode = clients.includes('claude-code');
  const others = clients.some((c) => c !== 'claude-code');
  const kept = lines.filter((l) => {
    const to = addressee(l);
    return to === null || (to === 'claude-code' ? claudeCode : others);
  });
  return kept.length > 0 ? kept : [...lines];
}

/** A POSIX `export NAME=value` and `unset NAME` (fix lines are written in POSIX shell). */
export const EXPORT = /^export\s+([A-Za-z_][A-Za-z0-9_]*)=(\S*)(.*)$/;
export const UNSET = /^unset\s+([A-Za-z_][A-Za-z0-9_]*)(.*)$/;

/** The same step twice: the command without its comment; an export by the variable it sets. */
export function fixKey(line: string): string {
  const { command } = splitFix(line);
  if (command === null) return line.trim();
  const bare = command
    .replace(/\s+#.*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const ex = EXPORT.exec(bare);
  return ex ? `export ${ex[1]}` : bare;
}

/**
 * Fix lines in an order that works when run top to bottom: a line that reads `$VAR` goes before
 * the line that unsets VAR (copying ANTHROPIC_AUTH_TOKEN into ANTHROPIC_API_KEY must come before
 * unsetting it). Otherwise the order stays.
 */
export function runnableOrder(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const cmd = splitFix(line).command ?? '';
    const reads = [...cmd.replace(/\s+#.*$/, '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
    const at = out.findIndex((prev) => {
      const un = UNSET.exec(splitFix(prev).command ?? '');
      return !!un && reads.includes(un[1]!);
    });
    if (at >= 0) out.splice(at, 0, line);
    else out.push(line);
  }
  return out;
}

/** Display width of a plain string (one column per code point; our texts hold no wide glyphs). */
function cols(s: string): number {
  return [...s].length;
}

/**
 * Words of `text` in lines of at most `width` columns: the first after `head`, the rest indented
 * to line up under it. A word longer than a line stands alone (never cut).
 */
export function wrapWords(head: string, text: string, width: number | null, indent = ' '.repeat(cols(head))): string[] {
  if (width === null || cols(head) + cols(text) <= width) return [head + text];
  const out: string[] = [];
  let line = head;
  let room = width - cols(head);
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (word === '') continue;
    // A word too long for an indented line (a URL) gets a line of its own at column 0: whole.
    if (cols(indent) + cols(word) > width && cols(word) <= width) {
      if (!empty || line.trim() !== '') out.push(line.trimEnd());
      out.push(word);
      line = indent;
      room = width - cols(indent);
      empty = true;
      continue;
    }
    if (!empty && cols(word) + 1 > room) {
      out.push(line);
      line = indent;
      room = width - cols(indent);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    room -= cols(word) + (empty ? 0 : 1);
    empty = false;
  }
  if (!empty || out.length === 0) out.push(line);
  return out;
}

/**
 * A fix line under `head` (e.g. "      → "): on one line when it fits; otherwise its prose wrapped
 * under the head and its command on a line of its own at column 0, whole, however long.
 */
export function fixLayout(head: string, fix: string, width: number | null): string[] {
  const lines = fix.split('\n');
  if (lines.length > 1) {
    // A multi-line command (curl with continuations): each line at column 0, as written.
    const [first, ...rest] = lines;
    return [...fixLayout(head, first!, width), ...rest];
  }
  if (width === null || cols(head) + cols(fix) <= width) return [head + fix];
  const { lead, command } = splitFix(fix);
  if (command === null) return wrapWords(head, fix, width);
  return [...(lead ? wrapWords(head, lead, width) : [head.trimEnd()]), command];
}

// ---------------------------------------------------------------------------------------------
// The text of `check`

/** For a terminal that cannot show Unicode: the usual symbols of our texts as ASCII. */
const ASCII_TWINS: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '…': '...',
  '—': '--',
  '–': '-',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '•': '*',
  '·': '-',
  '×': 'x',
  '≥': '>=',
  '≤': '<=',
  '✓': '[ok]',
  '✗': '[FAIL]',
  '↩': '<-',
  '❯': '>',
  '›': '>',
};

export function toAscii(text: string): string {
  return text.replace(/[→←…—–‘’“”•·×≥≤✓✗↩❯›]/g, (c) => ASCII_TWINS[c] ?? c);
}

export interface TextOptions {
  /** The run's redactor: applied to every text before colour is added (colour codes survive it). */
  redact?: (text: string) => string;
  /** Terminal width to word-wrap to; null: no wrapping (piped output). */
  width?: number | null;
}

function sgr(code: number, text: string, look: Look): string {
  return look.color ? `\u001b[${code}m${text}\u001b[${code === 1 ? 22 : 39}m` : text;
}

/**
 * The human text of `check`: a line per step, details under failures, the summary last. Text is
 * redacted (and made ASCII where Unicode cannot show) before it is wrapped and coloured, so the
 * redaction pass never sees, nor strips, the colour codes.
 */
export function renderText(d: Diagnosis, look: Look, o: TextOptions = {}): string {
  const redact = o.redact ?? ((t: string) => t);
  const width = o.width ?? null;
  const plain = (t: string) => (look.unicode ? redact(t) : toAscii(redact(t)));
  const out: string[] = [];
  const findings = (list: Finding[]) => {
    for (const g of groupFindings(list)) out.push(...findingLines(g, look, { plain, width, indent: 4 }));
  };
  for (const step of d.steps) {
    out.push(
      ...markedLines(mark(step.status, look), `${STEP_SHORT[step.id]}: ${step.note}`, { plain, width, indent: 0 }),
    );
    findings(
      d.findings.filter(
        (x) =>
          x.step === step.id &&
          (step.status === 'fail' || step.status === 'warn' ? true : x.severity === 'info') &&
          x.id !== 'key.valid',
      ),
    );
  }
  const net = d.findings.filter((f) => f.step === 'network');
  if (net.length) {
    out.push(...markedLines(mark('warn', look), 'Network', { plain, width, indent: 0 }));
    findings(net);
  }
  if (d.notes.length) {
    out.push('', 'Notes:');
    for (const n of d.notes) out.push(...markedLines(look.unicode ? '·' : '-', n, { plain, width, indent: 2 }));
  }
  out.push('');
  const word = `${VERDICT_WORDS[d.verdict]}:`;
  out.push(...summaryLines(sgr(VERDICT_COLORS[d.verdict], word, look), d.summary, { plain, width, indent: 0 }));
  return out.join('\n') + '\n';
}

/** How lines are made: `plain` redacts (and makes ASCII); `width` null = no wrapping. */
export interface LineOptions {
  plain: (text: string) => string;
  width: number | null;
  indent: number;
}

const stripSgr = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

/**
 * `mark text` at `indent`, the text wrapped under its own start. The mark may carry colour: it is
 * measured without it, and the text is redacted first — colour is added after redaction.
 */
export function markedLines(markText: string, text: string, o: LineOptions): string[] {
  const pad = ' '.repeat(o.indent);
  const bare = stripSgr(markText);
  const head = `${pad}${bare}${bare ? ' ' : ''}`;
  const lines = wrapWords(head, o.plain(text), o.width);
  lines[0] = `${pad}${markText}${bare ? ' ' : ''}${lines[0]!.slice(head.length)}`;
  return lines;
}

/** The verdict line: like markedLines, but a command at its end ("… — unset X") is kept whole. */
export function summaryLines(markText: string, text: string, o: LineOptions): string[] {
  const shown = o.plain(text);
  const bare = stripSgr(markText);
  const { lead, command } = splitFix(shown);
  if (o.width === null || command === null || [...`${bare} ${shown}`].length <= o.width)
    return markedLines(markText, text, o);
  return [...markedLines(markText, lead, { ...o, plain: (t) => t }), command];
}

/** One cause with its evidence and fix lines, wrapped; every command whole, at column 0 if it must. */
export function findingLines(g: FindingGroup, look: Look, o: LineOptions): string[] {
  const out = markedLines(severityMark(g, look), `${g.title} (${g.id})`, o);
  const bullet = g.details.length > 1 ? (look.unicode ? '•' : '*') : '';
  for (const detail of g.details) out.push(...markedLines(bullet, detail, { ...o, indent: o.indent + 2 }));
  const arrow = look.unicode ? '→' : '->';
  for (const fix of g.fix) out.push(...fixLayout(`${' '.repeat(o.indent + 2)}${arrow} `, o.plain(fix), o.width));
  return out;
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
    g.fix.push(...f.fix);
  }
  // Each step once (the same command with another comment is the same step), runnable in order.
  for (const g of groups.values()) {
    const seen = new Set<string>();
    g.fix = runnableOrder(g.fix.filter((x) => !seen.has(fixKey(x)) && seen.add(fixKey(x))));
  }
  return [...groups.values()];
}
