// Markdown and JSON renderers of a finished diagnosis. Pure: the time, the time zone and the
// environment arrive inside the Diagnosis; the redactor is passed in by the caller.
// Secrets: every string leaves through `redact`; text from outside also through stripControl.
import { fingerprint } from './credential.js';
import { bySeverity, ROTATION_STEPS } from './findings.js';
import {
  EXPORT,
  fixesForClients,
  fixKey,
  groupFindings,
  mark,
  runnableOrder,
  severityMark,
  splitFix,
  STEP_SHORT,
  UNSET,
} from './present.js';
import { sanitizeUrl, stripControl } from './redact.js';
import type {
  Candidate,
  ClientInfo,
  CredentialKind,
  Diagnosis,
  Finding,
  HeaderStyle,
  PastedError,
  ProbePurpose,
  ProbeResult,
  Resolution,
  StepResult,
  Verdict,
} from './types.js';
import { API_VERSION, OAUTH_BETA, OFFICIAL_API } from './api.js';
import type { ObservedProgram } from './observed.js';

export const TOOL_NAME = 'claude-401-wizard';
/** Findings after which the key has to be replaced, so the report adds the rotation guide. */
const ROTATION_IDS = new Set(['key.invalid', 'key.expired', 'key.inactive', 'key.leaked']);
/** The summary must fit on one screen; longer fix lists continue under Findings. */
const SUMMARY_MAX_FIXES = 8;

// ---------------------------------------------------------------------------------------------
// JSON (cli-contract.md "JSON document")

export interface JsonProbe {
  method: 'GET' | 'POST';
  url: string;
  status: number | null;
  requestId: string | null;
  errorType: string | null;
  errorMessage: string | null;
  ms: number;
  organizationId?: string;
  workspaceId?: string;
  purpose: ProbePurpose;
  at: string;
  /** What the probe stands for (absent for requests of no client): the clients, and how it sent the credential. */
  clients?: string[];
  sentAs?: HeaderStyle;
  anthropicVersion?: string | null;
  oauthBeta?: boolean;
  credential?: string;
  secondaryCredential?: string | null;
}

export interface JsonDocument {
  schemaVersion: 1;
  tool: { name: string; version: string };
  verdict: Verdict;
  summary: string;
  credential: { source: string; kind: CredentialKind; fingerprint: string } | null;
  clients: { name: string; version: string; source: string; sends: ClientInfo['sends']; via: string | null }[];
  sources: { source: string; name: string; kind: CredentialKind; fingerprint: string; usedBy: string[] }[];
  steps: StepResult[];
  findings: Finding[];
  probes: JsonProbe[];
  pasted: PastedError | null;
  /** What observed programs sent (cli-contract.md "Observing the real program"); only when something was observed. */
  observed?: JsonObserved[];
  /** Files that could not be read, places that do not exist: what the diagnosis could not see. */
  notes: string[];
}

/** The contract's `observed[]` entry, as the diagnosis holds it (text redacted on the way out). */
export type JsonObserved = ObservedProgram;

function observedJson(list: ObservedProgram[]): JsonObserved[] {
  return list.map((p) => ({
    command: p.command,
    client: p.client,
    exitCode: p.exitCode,
    timedOut: p.timedOut,
    output: p.output,
    outputError: p.outputError && { ...p.outputError },
    bypassed: [...p.bypassed],
    requests: p.requests.map((r) => ({ ...r, anthropicBeta: [...r.anthropicBeta], sources: [...r.sources] })),
    unrecorded: p.unrecorded,
  }));
}

/** A probe's error text; a request that got no answer carries its network error here. */
function probeError(p: ProbeResult): string | null {
  return p.errorMessage ?? (p.network ? `${p.network.kind} (${p.network.code}): ${p.network.message}` : null);
}

export function toJson(d: Diagnosis, redact: (s: string) => string): JsonDocument {
  const doc: JsonDocument = {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: d.environment.toolVersion },
    verdict: d.verdict,
    summary: d.summary,
    credential: d.credential && {
      source: d.credential.source,
      kind: d.credential.kind,
      fingerprint: d.credential.fingerprint,
    },
    clients: d.clients.map((c) => ({
      name: c.name,
      version: c.version,
      source: c.source,
      sends: sendsOf(d, c),
      via: c.via ?? null,
    })),
    sources: d.sources.map((s) => ({
      source: s.source,
      name: s.name,
      kind: s.kind,
      fingerprint: s.fingerprint,
      usedBy: [...s.usedBy],
    })),
    steps: d.steps.map((s) => ({ id: s.id, status: s.status, note: s.note })),
    findings: d.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      step: f.step,
      title: f.title,
      detail: f.detail,
      fix: [...f.fix],
    })),
    probes: d.probes.map((p) => ({
      method: p.method,
      url: safeUrl(p.url, redact),
      status: p.status,
      requestId: p.requestId,
      errorType: p.errorType,
      errorMessage: probeError(p),
      ms: p.ms,
      ...(p.organizationId ? { organizationId: p.organizationId } : {}),
      ...(p.workspaceId ? { workspaceId: p.workspaceId } : {}),
      purpose: p.purpose,
      ...(p.unused ? { unused: true } : {}),
      at: p.at,
      ...(p.clients
        ? {
            clients: [...p.clients],
            sentAs: p.sentAs,
            anthropicVersion: p.anthropicVersion,
            oauthBeta: p.oauthBeta,
            credential: p.credential ?? '',
            secondaryCredential: p.secondaryCredential ?? null,
          }
        : {}),
    })),
    pasted: d.pasted && {
      status: d.pasted.status,
      requestId: d.pasted.requestId,
      errorType: d.pasted.errorType,
      errorMessage: d.pasted.errorMessage,
      form: d.pasted.form,
    },
    ...(d.observed && d.observed.length > 0 ? { observed: observedJson(d.observed) } : {}),
    notes: [...d.notes],
  };
  // The same strings recur (kinds, statuses, sources, fingerprints): each is cleaned once.
  const cleaned = new Map<string, string>();
  return mapStrings(doc, (s) => {
    let out = cleaned.get(s);
    if (out === undefined) cleaned.set(s, (out = clean(s, redact)));
    return out;
  });
}

/** What a client copy sends: `both` when its resolution puts a credential in each header. */
function sendsOf(d: Diagnosis, c: ClientInfo): ClientInfo['sends'] {
  const both = d.resolutions.some((r) => r.client === c.model && r.sendsAs === 'both' && r.credential);
  return both ? 'both' : c.sends;
}

/** Redacted before sanitizing: percent-encoding could split a secret so the redactor misses it. */
function safeUrl(url: string, redact: (s: string) => string): string {
  return sanitizeUrl(redact(url));
}

/**
 * Redact, strip control sequences, redact again: a secret split by an escape sequence
 * is whole again after stripping.
 */
function clean(s: string, redact: (s: string) => string): string {
  return redact(stripControl(redact(s)));
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return (value as unknown[]).map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// curl commands

/** POSIX single quoting: nothing inside is expanded. */
function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const KNOWN_VARS = new Set(['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN']);

/** The variable a support engineer (or the user) would hold this credential in. */
function varFor(c: Candidate | null, kind: CredentialKind | null): string {
  if (c && KNOWN_VARS.has(c.name)) return c.name;
  return kind === 'oauth_access' ? 'ANTHROPIC_AUTH_TOKEN' : 'ANTHROPIC_API_KEY';
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The first client's request shape as curl against the base URL it uses, on GET /v1/models
 * (zero tokens). Credential values are shell variables; custom header values are withheld.
 * `redact` applies to the base URL before quoting, which would otherwise split a secret in it.
 */
export function curlFor(d: Diagnosis, redact: (s: string) => string = (s) => s): string {
  const r: Resolution | undefined = d.resolutions[0];
  const base = safeUrl(r?.baseUrl?.value ?? (d.apiUrl || OFFICIAL_API), redact).replace(/\/+$/, '');
  const sendsAs: HeaderStyle = r?.sendsAs ?? 'x-api-key';
  const primary = varFor(r?.credential ?? null, r?.credentialKind ?? null);
  // Two different credentials (0.x / Python with both variables set): the Bearer one is the secondary.
  const bearer = r?.secondary ? varFor(r.secondary, 'oauth_access') : primary;
  const lines = [`curl -sS ${shq(`${base}/v1/models`)}`];
  if (sendsAs === 'x-api-key' || sendsAs === 'both') lines.push(`-H "x-api-key: $${primary}"`);
  if (sendsAs === 'authorization' || sendsAs === 'both') lines.push(`-H "Authorization: Bearer $${bearer}"`);
  lines.push(`-H "anthropic-version: ${r?.anthropicVersion ?? API_VERSION}"`);
  if (r?.oauthBeta) lines.push(`-H "anthropic-beta: ${OAUTH_BETA}"`);
  for (const name of Object.keys(r?.customHeaders ?? {}).map(redact)) {
    if (HEADER_NAME.test(name)) lines.push(`-H ${shq(`${name}: <redacted>`)}`);
  }
  const cmd = lines.join(' \\\n  ');
  return sendsAs === 'none' ? `# the client sends no credential header\n${cmd}` : cmd;
}

type ShellFamily = 'posix' | 'fish' | 'powershell' | 'cmd';

function shellFamily(shell: string | null): ShellFamily {
  if (shell && /^(pwsh|powershell)(\.exe)?$/i.test(shell)) return 'powershell';
  if (shell && /^cmd(\.exe)?$/i.test(shell)) return 'cmd';
  if (shell && /^fish$/i.test(shell)) return 'fish';
  return 'posix';
}

/** A POSIX `export`/`unset` command as the user's shell writes it; anything else as it is. */
export function inShell(command: string, family: ShellFamily): string {
  if (family === 'posix') return command;
  const ex = EXPORT.exec(command);
  const un = UNSET.exec(command);
  if (!ex && !un) return command;
  const ref = (v: string) =>
    family === 'powershell'
      ? v.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, '$env:$1')
      : family === 'cmd'
        ? v.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, '%$1%').replace(/^"(.*)"$/, '$1')
        : v;
  if (ex) {
    const [, name, value, rest] = ex as unknown as [string, string, string, string];
    const v = ref(value);
    if (family === 'fish') return `set -gx ${name} ${v}${rest}`;
    if (family === 'powershell') return `$env:${name} = ${/^["']/.test(v) ? v : `"${v}"`}${rest}`;
    return `set ${name}=${v}${rest.replace(/^\s+#/, ' & rem')}`;
  }
  const [, name, rest] = un as unknown as [string, string, string];
  if (family === 'fish') return `set -e ${name}${rest}`;
  if (family === 'powershell') return `Remove-Item Env:${name}${rest}`;
  return `set ${name}=${rest.replace(/^\s+#/, ' & rem')}`;
}

/** A known-good check against the official API, in the user's shell. */
export function verifyCommand(d: Diagnosis): string {
  const check = 'npx claude-401-wizard check';
  // Subscription and setup-token OAuth tokens are meant for Claude Code, which checks them itself.
  if (d.credential?.kind === 'oauth_access') return `claude auth status\n${check}`;
  const family = shellFamily(d.environment.shell);
  const ref = {
    posix: '$ANTHROPIC_API_KEY',
    fish: '$ANTHROPIC_API_KEY',
    powershell: '$env:ANTHROPIC_API_KEY',
    cmd: '%ANTHROPIC_API_KEY%',
  }[family];
  // In Windows PowerShell `curl` is an alias of Invoke-WebRequest; curl.exe is the real one.
  const curl = family === 'powershell' ? 'curl.exe' : 'curl';
  return `${curl} -sS ${OFFICIAL_API}/v1/models -H "x-api-key: ${ref}" -H "anthropic-version: 2023-06-01"\n${check}`;
}

// ---------------------------------------------------------------------------------------------
// Markdown helpers

/** Markdown shows the terminal's Unicode marks, without colour. */
const PLAIN = { unicode: true, color: false } as const;
const VERDICT_LINE: Record<Verdict, string> = {
  ok: '✓ OK: the credential works',
  problem: '✗ Problem found',
  inconclusive: '? Inconclusive: nothing wrong found, but the credential could not be verified',
};
const SENDS: Record<HeaderStyle, string> = {
  'x-api-key': 'x-api-key',
  authorization: 'Authorization: Bearer',
  both: 'x-api-key and Authorization: Bearer',
  none: 'no credential header',
};

/** A code span that survives backticks inside it. */
function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const tick = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${s}${pad}${tick}`;
}

function fence(s: string, lang = 'sh'): string {
  const longest = Math.max(2, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const tick = '`'.repeat(longest + 1);
  return `${tick}${lang}\n${s}\n${tick}`;
}

/** UTC, then local time in the user's zone: `2026-11-23 16:40:12 UTC (17:40:12 Europe/Berlin)`. */
export function formatStamp(iso: string, timeZone: string | null): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const [utcDate, utcTime] = t.toISOString().slice(0, 19).split('T') as [string, string];
  const utc = `${utcDate} ${utcTime} UTC`;
  if (!timeZone || /^(Etc\/)?(UTC|GMT|Zulu|UCT)$/i.test(timeZone)) return utc;
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(t);
    const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
    const date = `${part('year')}-${part('month')}-${part('day')}`;
    const time = `${part('hour')}:${part('minute')}:${part('second')}`;
    return `${utc} (${date === utcDate ? time : `${date} ${time}`} ${timeZone})`;
  } catch {
    return utc; // an unknown time zone name
  }
}

/** Fix text with its command in a code span (a whole-line command, or one after "…: "). */
function fixLine(line: string): string {
  const { lead, command } = splitFix(line);
  if (command === null) return line;
  return lead ? `${lead} ${code(command)}` : code(command);
}

function numbered(items: string[], clean: (s: string) => string): string[] {
  return items.map(clean).map((item, i) => {
    const head = `${i + 1}. `;
    // A multi-line command becomes a fenced block inside the list item.
    if (item.includes('\n')) return `${head}\n\n${fence(item).replace(/^/gm, ' '.repeat(head.length))}\n`;
    return `${head}${fixLine(item)}`;
  });
}

/** Errors, warnings, info; a leaked key leads its rank, because it must be revoked before anything else. */
function actionOrder(findings: Finding[]): Finding[] {
  const leakedFirst = (f: Finding) => (f.id === 'key.leaked' ? 0 : 1);
  return [...findings].sort((a, b) => bySeverity(a.severity, b.severity) || leakedFirst(a) - leakedFirst(b));
}

/**
 * THE fix list: the headline finding's fixes first (a leaked key's revocation before anything),
 * then those of the other errors, then warnings; each step once (the same command with another
 * comment, or a second export of the same variable, is the same step); in an order that works
 * top to bottom; commands in the user's shell.
 */
export function fixSteps(d: Diagnosis): string[] {
  const ordered = actionOrder(d.findings).filter((f) => f.severity !== 'info');
  const lead = ordered.findIndex((f) => f.severity === 'error' && d.summary.startsWith(f.title));
  if (lead > 0 && ordered[0]!.id !== 'key.leaked') ordered.unshift(...ordered.splice(lead, 1));
  const seen = new Set<string>();
  const lines: string[] = [];
  const clients = (d.resolutions ?? []).map((r) => r.client);
  for (const line of ordered.flatMap((f) => fixesForClients(f.fix, clients))) {
    const key = fixKey(line);
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(line);
  }
  const family = shellFamily(d.environment.shell);
  return runnableOrder(lines).map((line) => {
    const { lead: text, command } = splitFix(line);
    if (command === null) return line;
    const cmd = inShell(command, family);
    return text ? `${text} ${cmd}` : cmd;
  });
}

function needsRotation(d: Diagnosis): { leaked: boolean } | null {
  const ids = d.findings.filter((f) => f.severity !== 'info').map((f) => f.id);
  if (!ids.some((id) => ROTATION_IDS.has(id))) return null;
  return { leaked: ids.includes('key.leaked') };
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function toMarkdown(d: Diagnosis, redact: (s: string) => string): string {
  // Text from outside: redacted BEFORE escaping (escaping could split a secret so that the
  // final whole-document pass no longer recognises it), control sequences removed.
  const text = (s: string) => clean(s, redact).replace(/\s*[\r\n]+\s*/g, ' ');
  // Fix text keeps its line breaks (a multi-line command becomes a fenced block).
  const lines = (s: string) =>
    redact(s)
      .split('\n')
      .map((l) => clean(l, redact))
      .join('\n');
  const cell = (s: string | null | undefined) => (s ? text(s).replace(/[\\|`]/g, (c) => `\\${c}`) : '–');
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)];
  const tz = d.environment.timezone;
  const url = (u: string) => safeUrl(u, redact);
  const out: string[] = [];
  const section = (title: string, ...body: string[]) => {
    if (out.at(-1) !== '') out.push('');
    out.push(`## ${title}`, '', ...body);
  };

  // First screen: heading, verdict, cause, what to do.
  out.push(
    '# Claude API 401 diagnosis',
    '',
    `Generated ${text(formatStamp(d.finishedAt, tz))} by ${TOOL_NAME} ${text(d.environment.toolVersion)}.`,
  );
  const fixes = fixSteps(d);
  const shown = fixes.slice(0, SUMMARY_MAX_FIXES);
  section(
    'Summary',
    `- **Verdict:** ${VERDICT_LINE[d.verdict]}`,
    `- **Most likely cause:** ${text(d.summary)}`,
    '- **Credential:** ' +
      (d.credential ? `${text(d.credential.fingerprint)} from ${text(d.credential.source)}` : 'none found'),
    '',
    ...(fixes.length === 0 ? ['Nothing to fix.'] : ['**What to do, in order:**', '', ...numbered(shown, lines)]),
    ...(fixes.length > shown.length
      ? ['', `…and ${fixes.length - shown.length} more steps under Findings below.`]
      : []),
  );

  section(
    'What was checked',
    ...table(
      ['', 'Step', 'Note'],
      d.steps.map((s) => [mark(s.status, PLAIN), STEP_SHORT[s.id], cell(s.note)]),
    ),
  );

  section('Findings', ...(d.findings.length === 0 ? ['No findings.'] : []));
  // The same cause seen by several checks reads once, with each piece of evidence under it.
  for (const g of groupFindings(actionOrder(d.findings))) {
    out.push(`### ${severityMark(g, PLAIN)} ${g.severity}: ${text(g.title)} (${code(g.id)})`, '');
    out.push(...(g.details.length === 1 ? [text(g.details[0]!)] : g.details.map((x) => `- ${text(x)}`)), '');
    if (g.fix.length > 0) out.push('Fix:', '', ...numbered(g.fix, lines), '');
  }

  // Credentials: never a value, only fingerprints and where each came from.
  const fpOf = (c: Candidate) =>
    d.sources.find((s) => s.source === c.source && s.name === c.name)?.fingerprint ?? fingerprint(c.value);
  section(
    'Credentials found',
    ...(d.sources.length === 0
      ? ['No credential was found in any source.']
      : table(
          ['Fingerprint', 'Source', 'Variable', 'Kind', 'Used by'],
          d.sources.map((s) => [
            cell(s.fingerprint),
            cell(s.source),
            cell(s.name),
            cell(s.kind),
            s.usedBy.length ? cell(s.usedBy.join(', ')) : 'none',
          ]),
        )),
  );
  if (d.resolutions.length > 0) {
    const uses = (r: Resolution) =>
      r.credential
        ? `${cell(r.credential.name)} from ${cell(r.credential.source)}, ${cell(fpOf(r.credential))}`
        : r.usesSubscriptionLogin
          ? 'Claude subscription login'
          : r.usesApiKeyHelper
            ? 'apiKeyHelper output'
            : 'nothing';
    out.push(
      '',
      'Which credential each client uses:',
      '',
      ...table(
        ['Client', 'Uses', 'Sends as', 'anthropic-version', 'Trims value', 'Base URL'],
        d.resolutions.map((r) => [
          cell(r.label) + (r.assumed ? ' (assumed)' : ''),
          uses(r) +
            (r.secondary
              ? `; and ${cell(r.secondary.name)} from ${cell(r.secondary.source)}, ${cell(fpOf(r.secondary))}`
              : ''),
          SENDS[r.sendsAs] + (r.oauthBeta ? ` + anthropic-beta ${OAUTH_BETA}` : ''),
          r.anthropicVersion,
          r.trims ? 'yes' : 'no',
          r.baseUrl ? `${cell(url(r.baseUrl.value))} (${cell(r.baseUrl.source)})` : OFFICIAL_API,
        ]),
      ),
      '',
      ...d.resolutions.map((r) => `- ${text(r.label)}: ${text(r.note)}`),
    );
  }

  section(
    'Live checks',
    ...(d.probes.length === 0
      ? [noProbesReason(d)]
      : table(
          ['When (UTC)', 'Request', 'Status', 'request-id', 'Error', 'Org / workspace', 'Duration'],
          d.probes.map((p) => [
            cell(formatStamp(p.at, null)),
            `${p.method} ${cell(url(p.url))} (${p.purpose}${p.unused ? ', sent ahead, not used' : ''})`,
            p.status === null ? 'no answer' : String(p.status),
            cell(p.requestId),
            cell([p.errorType, probeError(p)].filter(Boolean).join(': ')),
            cell([p.organizationId, p.workspaceId].filter(Boolean).join(' / ')),
            `${p.ms} ms` + (p.attempts > 1 ? ` (${p.attempts} attempts)` : ''),
          ]),
        )),
  );

  if (d.pasted) {
    const p = d.pasted;
    section(
      'Pasted error',
      `- Form: ${text(p.form)}`,
      `- Status: ${p.status ?? 'not stated'}`,
      `- request-id: ${p.requestId ? text(p.requestId) : 'not stated'}`,
      `- Error type: ${p.errorType ? text(p.errorType) : 'not stated'}`,
      `- Message: ${p.errorMessage ? text(p.errorMessage) : 'not stated'}`,
    );
  }

  if (d.observed && d.observed.length > 0) observedSection(d.observed, section, out, text, lines, cell, table);

  section(
    'Your answers',
    ...(d.answers.length === 0
      ? ['No questions were asked or answered.']
      : d.answers.map((a) => `- ${text(a.question)} **${a.answer === 'unknown' ? 'skipped' : text(a.answer)}**`)),
  );

  const e = d.environment;
  section(
    'Environment',
    `- Tool: ${TOOL_NAME} ${text(e.toolVersion)}`,
    `- OS: ${text(e.os)}`,
    `- Node: ${text(e.node)}`,
    `- Shell: ${e.shell ? text(e.shell) : 'unknown'}`,
    `- Terminal: ${e.terminal ? text(e.terminal) : 'unknown'}`,
    `- CI: ${e.ci ? 'yes' : 'no'}`,
    `- Proxy: ${e.proxy ? text(e.proxy) : 'none'}`,
    `- Time zone: ${text(e.timezone)}`,
    `- Claude Code: ${e.claudeCodeVersion ? text(e.claudeCodeVersion) : 'not found'}`,
    ...(d.clients.length === 0
      ? ['- SDKs in the project: none found']
      : d.clients.map(
          (c) =>
            `- ${c.model === 'claude-code' ? 'Client' : 'SDK'}: ${text(c.name)} ${text(c.version)}` +
            `${c.via ? ` (via ${text(c.via)})` : ''} (${c.how}, ${text(c.source)}): sends ${SENDS[sendsOf(d, c)]}`,
        )),
    `- Live checks against: ${text(url(d.apiUrl))}`,
    ...(d.model ? [`- Model: ${text(d.model)}`] : []),
  );

  out.push(...supportSection(d, redact, text));

  const rotation = needsRotation(d);
  if (rotation) out.push(...rotationGuide(d, rotation.leaked, text));

  if (d.notes.length > 0) section('Notes', ...d.notes.map((n) => `- ${text(n)}`));

  return redact(out.join('\n') + '\n');
}

/** "What your program sent": each observed program, its requests as fingerprints, its own output (redacted). */
function observedSection(
  list: ObservedProgram[],
  section: (title: string, ...body: string[]) => void,
  out: string[],
  text: (s: string) => string,
  lines: (s: string) => string,
  cell: (s: string | null | undefined) => string,
  table: (head: string[], rows: string[][]) => string[],
): void {
  section(
    'What your program sent',
    'Observed locally: the program ran once against a stand-in for the API on 127.0.0.1 that answered ' +
      '`529 overloaded_error` and forwarded nothing, with every proxy variable pointing at a proxy that refuses.',
  );
  for (const p of list) {
    const ended = p.timedOut ? 'stopped at the time limit' : `exit code ${p.exitCode ?? 'none (stopped)'}`;
    out.push(
      '',
      `### ${code(text(p.command))}`,
      '',
      `- Client: ${p.client ? text(p.client) : 'not identified'}; ${ended}`,
    );
    if (p.bypassed.length > 0)
      out.push(`- Went elsewhere (refused): ${p.bypassed.map((b) => code(text(b))).join(', ')}`);
    if (p.requests.length === 0) out.push('- Requests: none reached the stand-in.');
    else
      out.push(
        '',
        ...table(
          ['Request', 'x-api-key', 'Authorization', 'anthropic-version', 'anthropic-beta', 'Base URL', 'Came from'],
          p.requests.map((r) => [
            `${r.method} ${cell(r.path)}`,
            cell(r.xApiKey),
            cell(r.authorization),
            cell(r.anthropicVersion),
            cell(r.anthropicBeta.join(', ')),
            r.baseUrlHonoured ? 'honoured' : 'bypassed',
            r.sources.length ? cell(r.sources.join(', ')) : r.xApiKey || r.authorization ? 'none of the sources' : '–',
          ]),
        ),
      );
    if (p.unrecorded > 0) out.push('', `…and ${p.unrecorded} more requests (its retries), not recorded.`);
    if (p.outputError?.errorMessage) out.push('', `- Its error, as read: ${text(p.outputError.errorMessage)}`);
    const tail = p.output.trim().split('\n').slice(-20).join('\n');
    out.push('', tail ? 'Its own output (last lines, redacted):' : 'It printed nothing.');
    if (tail) out.push('', fence(lines(tail), 'text'));
  }
}

/** Probes are skipped with --no-network, and when no client has a credential the tool would send. */
function noProbesReason(d: Diagnosis): string {
  const nothingToSend = d.resolutions.length > 0 && d.resolutions.every((r) => r.credential === null);
  return nothingToSend
    ? 'No live checks were run: no client uses a credential this tool sends ' +
        '(none was found, or it is a Claude subscription login).'
    : 'No live checks were run (--no-network).';
}

function supportSection(d: Diagnosis, redact: (s: string) => string, text: (s: string) => string): string[] {
  const failing = d.probes.find((p) => !p.unused && (p.status === null || p.status >= 400));
  const errorText = d.pasted?.errorMessage ?? (failing ? probeError(failing) : null);
  const status = d.pasted?.status ?? failing?.status ?? null;
  const ids = [...new Set([d.pasted?.requestId, ...d.probes.map((p) => p.requestId)].filter((x): x is string => !!x))];
  const clients = [
    ...d.clients.map((c) => `${c.name} ${c.version}`),
    ...(d.environment.claudeCodeVersion && !d.clients.some((c) => c.model === 'claude-code')
      ? [`Claude Code ${d.environment.claudeCodeVersion}`]
      : []),
  ];
  return [
    '',
    '## For support',
    '',
    'When you contact Anthropic support, include these (none of them is secret):',
    '',
    `- [ ] The exact error text: ${errorText ? code(text(errorText)) : 'copy it from the failing program'}`,
    `- [ ] HTTP status: ${status ?? statusNone(d, failing)}`,
    `- [ ] request-id(s): ${ids.length ? ids.map((id) => code(text(id))).join(', ') : 'none received'}`,
    '- [ ] Client and version: ' +
      (clients.length
        ? text(clients.join(', '))
        : 'the failing program and its version (no SDK was found in the project)') +
      '; model: ' +
      (d.model ? text(d.model) : 'the one your program calls (none was given here)'),
    `- [ ] When: ${text(formatStamp(failing?.at ?? d.finishedAt, d.environment.timezone))}` +
      (failing ? ' (the failing check)' : ' (this diagnosis)'),
    "- [ ] The request's shape (the key stays in your shell variable):",
    '',
    fence(curlFor(d, redact).split('\n').map(text).join('\n')),
    '',
    'A known-good check: run it in the same shell as the failing program. It should list models:',
    '',
    fence(verifyCommand(d)),
  ];
}

/** What the status line says when no failing status is known: why, from the probes. */
function statusNone(d: Diagnosis, failing: ProbeResult | undefined): string {
  if (failing?.network) return `none: no answer (${failing.network.kind})`;
  if (d.probes.length === 0) return 'none: no live check was run';
  return 'none: every live check here was answered without an error; give the status your program got';
}

function rotationGuide(d: Diagnosis, leaked: boolean, text: (s: string) => string): string[] {
  const [create, , verify, revoke] = ROTATION_STEPS as [string, string, string, string];
  // Where the old key lives: the sources holding the same credential, else every source.
  const same = d.credential ? d.sources.filter((s) => s.fingerprint === d.credential!.fingerprint) : [];
  const places = (same.length > 0 ? same : d.sources).map((s) => s.source);
  const update = [
    'Update every place the old key is used:',
    ...[...new Set(places)].map((p) => `   - ${code(text(p))}`),
    '   - and wherever else it is deployed (CI secrets, servers, other machines).',
  ].join('\n');
  const steps = leaked
    ? [
        '**Revoke the old key FIRST** (Console → Settings → API keys): it is in a file tracked by git, ' +
          'so anyone with the repository can use it until it is revoked.',
        create,
        update,
        verify,
      ]
    : [create, update, verify, revoke];
  return ['', '## Rotation guide', '', ...steps.map((s, i) => `${i + 1}. ${s}`)];
}
