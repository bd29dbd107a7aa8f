// Which credential each client would really send, in which header, and what in the environment
// makes that surprising (fact sheet §5 SDKs, §6 Claude Code). Pure: reads a Discovery, returns data.
//
// The model, per variable name and client ("slot"): Claude Code settings `env` blocks (Claude Code
// only; later block wins; "" cancels) > the process environment (set-but-empty counts as unset, yet
// still hides dotenv values, because dotenv never overrides an existing variable) > dotenv files
// (only for clients that load them). Shell start-up files never supply a value to a program started
// from here: they only tell what a new terminal would get.
import {
  customHeadersCmd,
  fileAndLine,
  fileOf,
  isEnvOrigin,
  removal,
  rename,
  setKeyCmd,
  sourceCmd,
  unsetCmd,
} from './commands.js';
import { fingerprint, kindOf } from './credential.js';
import { finding, mostSevere, SOURCE_FIX, type FindingId } from './findings.js';
import {
  API_KEY,
  AUTH_TOKEN,
  BEDROCK_TOKEN,
  CREDENTIAL_NAMES,
  FOUNDRY_KEY,
  NEAR_MISS_NAMES,
  OAUTH_TOKEN,
  OTHER_REAL_NAMES,
  TYPO_TARGETS,
  typoTarget,
} from './names.js';
import type {
  Candidate,
  ClientChoice,
  ClientInfo,
  ClientModel,
  CredentialKind,
  Discovery,
  Finding,
  HeaderStyle,
  Provider,
  Resolution,
  Severity,
  SourceOrigin,
} from './types.js';
import { OAUTH_BETA } from './api.js';
import { frameworkFor, rowOf, type FrameworkRow } from './clients.js';

/** Logged by @anthropic-ai/sdk ≥ 1.0 when both variables are set (fact sheet §5). */
export const SDK_BOTH_SET_WARNING =
  'Anthropic: ANTHROPIC_API_KEY and ANTHROPIC_AUTH_TOKEN are both set. Using ANTHROPIC_API_KEY.';
export { OAUTH_BETA };

const CUSTOM_HEADERS = 'ANTHROPIC_CUSTOM_HEADERS';

/** [O/U] ~/.claude.json customApiKeyResponses stores the last 20 characters of an approved key. */
const APPROVAL_SUFFIX_LENGTH = 20;
/** Claude Code's isEnvTruthy. */
const TRUTHY = /^(1|true|yes|on)$/i;

const CC_PROVIDER_FLAGS: readonly [string, Provider][] = [
  ['CLAUDE_CODE_USE_BEDROCK', 'bedrock'],
  ['CLAUDE_CODE_USE_VERTEX', 'vertex'],
  ['CLAUDE_CODE_USE_FOUNDRY', 'foundry'],
];

/** The client table's row of a model (core/clients.ts): everything precedence knows about a client. */
const B = rowOf;
/** Programs that load dotenv themselves (applications using an SDK) may also walk up to parent .env files. */
const loadsDotenv = (m: ClientModel): boolean => B(m).dotenv === 'app';

// ---------------------------------------------------------------------------------------------
// Which clients

interface ClientEntry {
  model: ClientModel;
  label: string;
  assumed: boolean;
  /** The framework whose own copy this is, when it adds rules of its own (core/clients.ts). */
  framework?: FrameworkRow;
}

const HOW_RANK: Record<ClientInfo['how'], number> = { installed: 0, locked: 1, declared: 2 };

function copyLabel(c: ClientInfo): string {
  const name = c.name === 'anthropic' ? 'Python anthropic' : c.name === 'claude-code' ? 'Claude Code' : c.name;
  // A range only (nothing installed or locked): npm install brings the highest version it allows.
  const range =
    c.how === 'declared' && c.model !== 'sdk-py' ? ` (not installed: an install brings ${B(c.model).label})` : '';
  return `${name} ${c.version}${c.via ? ` (via ${c.via})` : ''}${range}`;
}

function sdkEntries(d: Discovery): ClientEntry[] {
  // One entry per client model and framework: copies of one model reached the same way resolve
  // identically, so they are named together (the most exact find first).
  const groups = new Map<string, { model: ClientModel; framework?: FrameworkRow; copies: ClientInfo[] }>();
  for (const c of [...d.clients].sort((a, b) => HOW_RANK[a.how] - HOW_RANK[b.how])) {
    if (c.model === 'claude-code') continue;
    const framework = (c.via && frameworkFor(c.via)) || undefined;
    const key = `${c.model}\u0000${framework?.package ?? ''}`;
    const g = groups.get(key) ?? { model: c.model, ...(framework ? { framework } : {}), copies: [] };
    // The same package reached the same way is one copy, named by its most exact find.
    if (!g.copies.some((o) => o.name === c.name && (o.via ?? null) === (c.via ?? null))) g.copies.push(c);
    groups.set(key, g);
  }
  if (groups.size > 0) {
    return [...groups.values()].map((g) => ({
      model: g.model,
      label: g.copies.map(copyLabel).join(', '),
      assumed: false,
      ...(g.framework ? { framework: g.framework } : {}),
    }));
  }
  return [
    { model: 'sdk-ts-1', label: '@anthropic-ai/sdk ≥ 1.0 (assumed: none found in the project)', assumed: true },
    { model: 'sdk-py', label: 'Python anthropic (assumed: none found in the project)', assumed: true },
  ];
}

export function clientModels(d: Discovery, choice: ClientChoice): ClientEntry[] {
  const cc = d.clients.find((c) => c.model === 'claude-code');
  const claudeCode: ClientEntry = {
    model: 'claude-code',
    label: cc ? `Claude Code ${cc.version}` : 'Claude Code',
    assumed: false,
  };
  switch (choice) {
    case 'claude-code':
      return [claudeCode];
    case 'curl':
      return [{ model: 'curl', label: B('curl').label, assumed: false }];
    case 'other':
      return [{ model: 'other', label: B('other').label, assumed: false }];
    case 'sdk':
      return sdkEntries(d);
    case 'auto':
      return [claudeCode, ...sdkEntries(d)];
    default: {
      const never: never = choice;
      throw new Error(`unknown client choice: ${String(never)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sources

const SETTINGS_RANK: Partial<Record<SourceOrigin, number>> = {
  'claude-user': 0,
  'claude-project': 1,
  'claude-local': 2,
  'claude-managed': 3,
};

interface Sources {
  /** How a variable name is compared: Windows environment names are case-insensitive. */
  fold: (name: string) => string;
  /** Process environment by folded name. */
  env: Map<string, Candidate>;
  /** Claude Code settings env entries, lowest precedence first. */
  settings: Candidate[];
  dotenv: Candidate[];
  shell: Candidate[];
  /** Everything above plus key-env/prompt candidates: what `shadowed` is chosen from. */
  all: Candidate[];
}

const same = (a: Candidate | null | undefined, b: Candidate | null | undefined): boolean =>
  !!a && !!b && a.source === b.source && a.name === b.name;

function gather(d: Discovery): Sources {
  const fold = d.platform === 'win32' ? (n: string) => n.toUpperCase() : (n: string) => n;
  const env = new Map<string, Candidate>();
  // A plain `env` candidate is preferred over a --key-env one of the same name (same variable).
  for (const c of d.candidates) if (c.origin === 'env' && !env.has(fold(c.name))) env.set(fold(c.name), c);
  for (const c of d.candidates) if (c.origin === 'key-env' && !env.has(fold(c.name))) env.set(fold(c.name), c);
  const synthesized: Candidate[] = [];
  for (const [name, value] of Object.entries(d.env)) {
    if (env.has(fold(name))) continue;
    const c: Candidate = { source: `env:${name}`, origin: 'env', name, value };
    env.set(fold(name), c);
    synthesized.push(c);
  }
  const settings = d.candidates.filter((c) => SETTINGS_RANK[c.origin] !== undefined);
  for (const block of d.claudeSettingsEnv) {
    for (const [name, value] of Object.entries(block.env)) {
      if (settings.some((c) => c.origin === block.origin && c.name === name)) continue;
      const c: Candidate = { source: block.source, origin: block.origin, name, value };
      settings.push(c);
      synthesized.push(c);
    }
  }
  settings.sort((a, b) => SETTINGS_RANK[a.origin]! - SETTINGS_RANK[b.origin]!);
  return {
    fold,
    env,
    settings,
    dotenv: d.candidates.filter((c) => c.origin === 'dotenv').sort(byNearness),
    shell: d.candidates.filter((c) => c.origin === 'shell'),
    all: [...d.candidates, ...synthesized],
  };
}

const depthOf = (c: Candidate): number => c.depth ?? 0;
const baseName = (c: Candidate): string => (c.file ?? fileOf(c)).split(/[\\/]/).pop() ?? '';

/** Nearest directory first; in a directory `.env` (what dotenv loads) first; in a file, the last assignment. */
function byNearness(a: Candidate, b: Candidate): number {
  const byDepth = depthOf(a) - depthOf(b);
  if (byDepth !== 0) return byDepth;
  const fa = baseName(a);
  const fb = baseName(b);
  if (fa !== fb) return fa === '.env' ? -1 : fb === '.env' ? 1 : fa < fb ? -1 : 1;
  return (b.line ?? 0) - (a.line ?? 0);
}

// ---------------------------------------------------------------------------------------------
// Slots: one variable as one client sees it

type Why =
  | 'overridden' // a Claude Code settings env block wins over it
  | 'cancelled' // a settings env block sets it to ""
  | 'empty' // set but empty: the client treats it as unset
  | 'hidden' // a dotenv value hidden by a set-but-empty env variable
  | 'env-wins' // a dotenv value; dotenv never overrides the environment
  | 'farther' // a dotenv value in a file that yields to a nearer one
  | 'not-read' // a dotenv file this client does not load
  | 'new-terminal' // a shell-file export; this environment has the variable with another value
  | 'not-sourced'; // a shell-file export; this environment lacks the variable

interface Loser {
  c: Candidate;
  why: Why;
}

interface Slot {
  name: string;
  winner: Candidate | null;
  /** Why the winner may not apply (dotenv files), or null when it certainly does. */
  caveat: string | null;
  losers: Loser[];
  /** The set-but-empty env variable, when that is what the client sees. */
  empty: Candidate | null;
  /** The settings entry that cancels the variable with "". */
  cancel: Candidate | null;
}

function unsetFor(model: ClientModel, value: string): boolean {
  const b = B(model);
  return b.emptyIsUnset && (b.trims ? value.trim() === '' : value === '');
}

function readsDotenv(model: ClientModel, c: Candidate): boolean {
  const mode = B(model).dotenv;
  return mode === 'app' || (mode === 'launch-dir' && depthOf(c) === 0);
}

function dotenvCaveat(model: ClientModel, c: Candidate): string {
  if (B(model).dotenv === 'launch-dir') return `${fileOf(c)} is loaded from the launch directory by ${B(model).label}`;
  if (depthOf(c) > 0)
    return `may apply: dotenv loads ./.env only, but find_dotenv(), framework loaders and Bun walk up to ${fileOf(c)}`;
  if (baseName(c) !== '.env')
    return `may apply: ${fileOf(c)} is a framework convention (Next.js, Vite, Bun), not what dotenv loads`;
  return "applies when the program loads dotenv (import 'dotenv/config', load_dotenv())";
}

function slotFor(src: Sources, model: ClientModel, name: string): Slot {
  const b = B(model);
  const key = src.fold(name);
  const named = (c: Candidate) => src.fold(c.name) === key;
  const env = src.env.get(key) ?? null;
  const settings = b.settings ? src.settings.filter(named) : [];
  const dotenv = src.dotenv.filter(named);
  const shell = src.shell.filter(named);
  const slot: Slot = { name, winner: null, caveat: null, losers: [], empty: null, cancel: null };
  const lose = (c: Candidate, why: Why) => slot.losers.push({ c, why });

  const top = settings.at(-1);
  if (top) {
    // Settings env blocks overwrite the shell's value inside Claude Code; "" cancels it.
    if (top.value === '') slot.cancel = top;
    else slot.winner = top;
    for (const c of [...settings.slice(0, -1), ...(env ? [env] : []), ...dotenv, ...shell])
      lose(c, slot.cancel ? 'cancelled' : 'overridden');
  } else if (env) {
    if (unsetFor(model, env.value)) {
      slot.empty = env;
      lose(env, 'empty');
    } else slot.winner = env;
    // dotenv never overrides a variable that exists, even an empty one.
    for (const c of dotenv) lose(c, !readsDotenv(model, c) ? 'not-read' : slot.empty ? 'hidden' : 'env-wins');
    for (const c of shell) lose(c, 'new-terminal');
  } else {
    slot.winner = dotenv.find((c) => readsDotenv(model, c) && !unsetFor(model, c.value)) ?? null;
    if (slot.winner) slot.caveat = dotenvCaveat(model, slot.winner);
    for (const c of dotenv) {
      if (c === slot.winner) continue;
      lose(c, !readsDotenv(model, c) ? 'not-read' : unsetFor(model, c.value) ? 'empty' : 'farther');
    }
    for (const c of shell) lose(c, 'not-sourced');
  }
  return slot;
}

function namesOf(src: Sources): Set<string> {
  return new Set([...src.env.keys(), ...[...src.settings, ...src.dotenv].map((c) => src.fold(c.name))]);
}

export function effectiveEnv(d: Discovery, model: ClientModel): Map<string, Candidate> {
  const src = gather(d);
  const out = new Map<string, Candidate>();
  for (const name of namesOf(src)) {
    const w = slotFor(src, model, name).winner;
    if (w) out.set(name, w);
  }
  return out;
}

/** Memoized slots of one client over one gathered Discovery. */
function slotReader(src: Sources, model: ClientModel): (name: string) => Slot {
  const memo = new Map<string, Slot>();
  return (name) => {
    let s = memo.get(name);
    if (!s) memo.set(name, (s = slotFor(src, model, name)));
    return s;
  };
}

// ---------------------------------------------------------------------------------------------
// Resolution

interface Pick {
  credential: Candidate | null;
  sendsAs: HeaderStyle;
  secondary?: Candidate | null;
  oauthBeta?: boolean;
  kind?: CredentialKind | null;
  provider?: Provider;
  login?: boolean;
  helper?: boolean;
  /** What is used, in words, when it is not simply a candidate. */
  what?: string;
  notes?: string[];
}

const NONE: Pick = { credential: null, sendsAs: 'none' };

function readValue(model: ClientModel, c: Candidate): string {
  return B(model).trims ? c.value.trim() : c.value;
}

function hasLogin(d: Discovery): boolean {
  const f = d.credentialsFile;
  return !!f && f.present && f.kinds.includes('oauth_access');
}

function loginWords(d: Discovery): string {
  const sub = d.credentialsFile?.subscriptionType;
  return (
    `the subscription login${sub ? ` (${sub})` : ''} from ` +
    `${d.credentialsFile?.source ?? '~/.claude/.credentials.json'}`
  );
}

type Approval = 'approved' | 'rejected' | 'unknown';
function approvalOf(d: Discovery, c: Candidate): Approval {
  const suffix = c.value.slice(-APPROVAL_SUFFIX_LENGTH);
  if (d.rejectedKeySuffixes.includes(suffix)) return 'rejected';
  if (d.approvedKeySuffixes.includes(suffix)) return 'approved';
  return 'unknown';
}

function claudeCodePick(d: Discovery, slot: (n: string) => Slot, skipApiKey = false): Pick {
  const val = (n: string) => slot(n).winner;
  for (const [flag, provider] of CC_PROVIDER_FLAGS) {
    if (!TRUTHY.test(val(flag)?.value.trim() ?? '')) continue;
    if (provider === 'bedrock') {
      const token = val(BEDROCK_TOKEN);
      return token
        ? { credential: token, sendsAs: 'authorization', provider }
        : {
            credential: null,
            sendsAs: 'authorization',
            provider,
            what: 'the AWS credential chain (SigV4, not checked here)',
          };
    }
    if (provider === 'foundry') {
      const key = val(FOUNDRY_KEY);
      return key
        ? { credential: key, sendsAs: 'x-api-key', provider }
        : {
            credential: null,
            sendsAs: 'authorization',
            provider,
            what: 'Azure credentials (az login; not checked here)',
          };
    }
    return {
      credential: null,
      sendsAs: 'authorization',
      provider,
      what: 'Google application default credentials (not checked here)',
    };
  }
  // Observed (fact sheet §6, Claude Code 2.1.332): ANTHROPIC_API_KEY goes out as x-api-key, and
  // ANTHROPIC_AUTH_TOKEN or the apiKeyHelper's output goes out beside it as Authorization: Bearer.
  const auth = val(AUTH_TOKEN);
  const api = skipApiKey ? null : val(API_KEY);
  if (api) {
    const approval = approvalOf(d, api);
    const notes =
      approval === 'approved'
        ? ['approved in interactive Claude Code']
        : approval === 'rejected'
          ? [
              `you rejected this key in Claude Code, so interactive sessions ignore it (they use ` +
                `${describePick(claudeCodePick(d, slot, true))}); \`claude -p\` still uses it`,
            ]
          : ['interactive Claude Code asks once whether to use it; `claude -p` always uses it'];
    if (auth) {
      const pair = pairPick('claude-code', api, auth);
      return { ...pair, notes: [...(pair.notes ?? []), ...notes] };
    }
    if (d.apiKeyHelper)
      return {
        credential: api,
        sendsAs: 'both',
        helper: true,
        notes: [
          `the apiKeyHelper's output (${d.apiKeyHelper.source}) goes out too, as Authorization: Bearer`,
          ...notes,
        ],
      };
    return { credential: api, sendsAs: 'x-api-key', notes };
  }
  if (auth) return { credential: auth, sendsAs: 'authorization' };
  if (d.apiKeyHelper)
    return { credential: null, sendsAs: 'both', helper: true, what: `the apiKeyHelper from ${d.apiKeyHelper.source}` };
  const oauth = val(OAUTH_TOKEN);
  if (oauth) return { credential: oauth, sendsAs: 'authorization', oauthBeta: true };
  if (hasLogin(d))
    return {
      credential: null,
      sendsAs: 'authorization',
      oauthBeta: true,
      login: true,
      kind: 'oauth_access',
      what: loginWords(d),
    };
  return NONE;
}

/** One request carrying `xKey` in x-api-key and `bearer` in Authorization (client rows with `both`). */
function pairPick(model: ClientModel, xKey: Candidate, bearer: Candidate): Pick {
  const differ = readValue(model, xKey) !== readValue(model, bearer);
  return {
    credential: xKey,
    sendsAs: 'both',
    secondary: differ ? bearer : null,
    notes: [
      differ
        ? `${bearer.name} goes out too, as Authorization: Bearer, with a different value`
        : `${bearer.name} holds the same value and goes out as Authorization: Bearer too`,
    ],
  };
}

/** Any client but Claude Code, from its table row (and the framework whose copy it is). */
function tablePick(model: ClientModel, slot: (n: string) => Slot, framework?: FrameworkRow): Pick {
  const row = B(model);
  if (framework && !framework.requires.some((n) => slot(n).winner))
    return {
      ...NONE,
      notes: [`${framework.package} throws before any request unless ${framework.requires.join(' or ')} is set`],
    };
  const [first, ...rest] = row.reads.map((n) => slot(n).winner).filter((c): c is Candidate => !!c);
  if (!first) return NONE;
  const sendsAs = row.header[first.name] ?? 'x-api-key';
  const second = rest.find((c) => (row.header[c.name] ?? 'x-api-key') !== sendsAs);
  if (row.both === 'both' && second && sendsAs === 'x-api-key') return pairPick(model, first, second);
  // sdk-ts-1 logs this when both variables are set, and uses ANTHROPIC_API_KEY (fact sheet §5).
  const notes = model === 'sdk-ts-1' && rest.length ? [SDK_BOTH_SET_WARNING] : [];
  return { credential: first, sendsAs, notes };
}

function pickFor(d: Discovery, entry: ClientEntry, slot: (n: string) => Slot): Pick {
  if (entry.model === 'claude-code') return claudeCodePick(d, slot);
  return tablePick(entry.model, slot, entry.framework);
}

/** Newline-separated `Name: value` lines, as the SDKs and Claude Code parse them. */
export function parseCustomHeaders(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (raw ?? '').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    if (name) out[name] = line.slice(i + 1).trim();
  }
  return out;
}

function sendsOauthBeta(headers: Record<string, string>): boolean {
  return Object.entries(headers).some(
    ([k, v]) => k.toLowerCase() === 'anthropic-beta' && v.split(',').some((x) => x.trim() === OAUTH_BETA),
  );
}

const HEADER_WORDS: Record<HeaderStyle, string> = {
  'x-api-key': 'x-api-key',
  authorization: 'Authorization: Bearer',
  both: 'both x-api-key and Authorization: Bearer',
  none: 'no credential header',
};

function describePick(p: Pick): string {
  if (p.credential)
    return (
      label(p.credential) +
      (p.credential.origin === 'dotenv'
        ? ' (dotenv)'
        : SETTINGS_RANK[p.credential.origin] !== undefined
          ? ' (Claude Code settings env)'
          : '')
    );
  return p.what ?? 'no credential';
}

function resolveOne(d: Discovery, src: Sources, entry: ClientEntry): Resolution {
  const { model } = entry;
  const b = B(model);
  const slot = slotReader(src, model);
  const p = pickFor(d, entry, slot);
  const baseVar = (entry.framework?.baseUrlVars ?? b.baseUrlVars).find((n) => {
    const w = slot(n).winner;
    return w && !unsetFor(model, w.value);
  });
  const base = baseVar ? slot(baseVar).winner : null;
  const customHeaders = b.customHeaders ? parseCustomHeaders(slot(CUSTOM_HEADERS).winner?.value) : {};
  const oauthBeta = !!p.oauthBeta || sendsOauthBeta(customHeaders);
  const secondary = p.secondary ?? null;
  const credSlot = p.credential ? slot(p.credential.name) : null;

  const notes = [...(p.notes ?? [])];
  if (credSlot?.caveat && same(credSlot.winner, p.credential)) notes.push(credSlot.caveat);
  let note: string;
  if (p.credential || p.what) {
    note =
      `${describePick(p)}, sent as ${HEADER_WORDS[p.sendsAs]} (anthropic-version ` +
      `${b.anthropicVersion}${oauthBeta ? `, anthropic-beta: ${OAUTH_BETA}` : ''})`;
  } else {
    note =
      `no credential: ${b.reads.join(', ')} ${b.reads.length > 1 ? 'are' : 'is'} not set for ` +
      `${entry.label}${model === 'claude-code' ? ', and there is no apiKeyHelper or subscription login' : ''}`;
  }
  if (notes.length) note += `; ${notes.join('; ')}`;

  const used = (c: Candidate) => same(c, p.credential) || same(c, secondary);
  return {
    client: model,
    label: entry.label,
    assumed: entry.assumed,
    credential: p.credential,
    credentialKind: p.kind !== undefined ? p.kind : p.credential ? kindOf(p.credential.value.trim()).kind : null,
    sendsAs: p.sendsAs,
    secondary,
    anthropicVersion: b.anthropicVersion,
    oauthBeta,
    trims: b.trims,
    baseUrl: base && !unsetFor(model, base.value) ? { value: readValue(model, base), source: base.source } : null,
    baseUrlJoin: b.baseUrlJoin,
    customHeaders,
    provider: p.provider ?? 'anthropic',
    usesSubscriptionLogin: !!p.login,
    usesApiKeyHelper: !!p.helper,
    shadowed: src.all.filter(
      (c, i, all) =>
        c.origin !== 'prompt' && isCredentialish(d, c) && !used(c) && all.findIndex((x) => same(x, c)) === i,
    ),
    note,
  };
}

export function resolveClients(d: Discovery, choice: ClientChoice): Resolution[] {
  const src = gather(d);
  return clientModels(d, choice).map((e) => resolveOne(d, src, e));
}

// ---------------------------------------------------------------------------------------------
// Names

/** The real name a misnamed credential should have, or null when the name is fine (or not credential-ish). */
function wrongNameTarget(d: Discovery, c: Candidate): string | null {
  if (
    c.origin === 'key-env' ||
    c.origin === 'prompt' ||
    CREDENTIAL_NAMES.includes(c.name) ||
    OTHER_REAL_NAMES.has(c.name)
  )
    return null;
  // Windows environment names are case-insensitive: anthropic_api_key IS ANTHROPIC_API_KEY there.
  if (TYPO_TARGETS.includes(c.name.toUpperCase())) return d.platform === 'win32' ? null : c.name.toUpperCase();
  const typo = typoTarget(c.name);
  if (typo) return typo;
  const kind = kindOf(c.value.trim()).kind;
  const byValue = kind === 'oauth_access' ? OAUTH_TOKEN : API_KEY;
  if (NEAR_MISS_NAMES.includes(c.name.toUpperCase())) return byValue;
  // Any other variable holding an Anthropic key, except Admin keys, which live under custom names by design.
  return /^\s*sk-ant-/.test(c.value) && kind !== 'admin_key' ? byValue : null;
}

function isCredentialish(d: Discovery, c: Candidate): boolean {
  return (
    CREDENTIAL_NAMES.includes(c.name) ||
    c.origin === 'key-env' ||
    /^\s*sk-ant-/.test(c.value) ||
    wrongNameTarget(d, c) !== null
  );
}

// ---------------------------------------------------------------------------------------------
// Words and fix commands (never a raw value: fingerprints only)

/** `env:NAME`, or `NAME in file:…`. */
function label(c: Candidate): string {
  return isEnvOrigin(c) ? c.source : `${c.name} in ${c.source}`;
}
function labelFp(c: Candidate): string {
  return `${label(c)} (${fingerprint(c.value)})`;
}
const NOT_SOURCED = 'the file was not sourced here (non-interactive shell, IDE, cron, Docker, CI)';

// ---------------------------------------------------------------------------------------------
// Findings: issues per client, merged so that one situation shared by clients is one finding

interface Who {
  names: string;
  many: boolean;
}
interface Issue {
  id: FindingId;
  /** What makes two clients' issues one finding (with the id). */
  key: string;
  /** For env.conflict: why the other value loses. */
  why?: Why;
  client: string;
  severity: Severity;
  text: (w: Who) => string;
  fix: string[];
}

const ORDER: FindingId[] = [
  'key.missing',
  'env.empty_var',
  'env.wrong_name',
  'env.conflict',
  'env.dotenv_parent',
  'env.auth_token_override',
  'env.api_key_overrides_login',
  'env.api_key_helper',
  'env.oauth_token_override',
  'header.both',
  'header.bearer',
  'header.oauth_beta',
];
const v = (w: Who, one: string, many: string): string => (w.many ? many : one);

function joinNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function merge(issues: Issue[]): Finding[] {
  const groups = new Map<string, Issue[]>();
  for (const i of issues) {
    const k = `${i.id}\u0000${i.key}`;
    groups.set(k, [...(groups.get(k) ?? []), i]);
  }
  const out: Finding[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const clients = [...new Set(group.map((i) => i.client).filter(Boolean))];
    const severity = group.reduce<Severity>((s, i) => mostSevere(s, i.severity), 'info');
    const fix = [...new Set(group.flatMap((i) => i.fix))];
    out.push(finding(first.id, first.text({ names: joinNames(clients), many: clients.length > 1 }), { severity, fix }));
  }
  return out.sort((a, b) => ORDER.indexOf(a.id as FindingId) - ORDER.indexOf(b.id as FindingId));
}

/** The client sends nothing at all (a provider chain, helper or login is something). */
function fails(r: Resolution): boolean {
  return !r.credential && !r.usesApiKeyHelper && !r.usesSubscriptionLogin && r.provider === 'anthropic';
}

/** Header mistakes are certain failures against the official API; a gateway may think otherwise. */
function headerSeverity(r: Resolution): Severity {
  return r.baseUrl ? 'warning' : 'error';
}

function winnerWords(d: Discovery, r: Resolution): string {
  if (r.credential) return labelFp(r.credential);
  if (r.usesSubscriptionLogin) return loginWords(d);
  if (r.usesApiKeyHelper) return `the apiKeyHelper from ${d.apiKeyHelper?.source ?? 'settings'}`;
  return r.provider === 'anthropic' ? 'no credential' : `its ${r.provider} credentials`;
}

interface Ctx {
  d: Discovery;
  src: Sources;
  r: Resolution;
  slot: (n: string) => Slot;
  issues: Issue[];
  /** Every client diagnosed in this run. */
  all: Resolution[];
}

function add(
  ctx: Ctx,
  id: FindingId,
  key: string,
  severity: Severity,
  text: (w: Who) => string,
  fix: string[],
  why?: Why,
): void {
  ctx.issues.push({ id, key, client: ctx.r.label, severity, text, fix, ...(why ? { why } : {}) });
}

/** Variables whose value matters to this client now: the ones it sends, and any that would outrank them. */
function relevantNames(r: Resolution): string[] {
  if (r.provider === 'bedrock') return [BEDROCK_TOKEN];
  if (r.provider === 'foundry') return [FOUNDRY_KEY];
  if (r.provider === 'vertex') return [];
  const reads = B(r.client).reads;
  const sent = [r.credential?.name, r.secondary?.name].filter((n): n is string => !!n);
  const rank = sent.length
    ? Math.max(...sent.map((n) => reads.indexOf(n)))
    : r.usesApiKeyHelper
      ? reads.indexOf(API_KEY)
      : reads.length - 1;
  return reads.slice(0, Math.max(rank, 0) + 1);
}

function conflictIssues(ctx: Ctx): void {
  const { d, r } = ctx;
  const sev: Severity = fails(r) ? 'error' : 'warning';
  for (const name of relevantNames(r)) {
    const s = ctx.slot(name);
    const anchor = s.winner;
    for (const { c, why } of s.losers) {
      if (why === 'empty' || why === 'hidden' || c.origin === 'prompt') continue; // env.empty_var says it
      if (c.origin === 'dotenv' && depthOf(c) > 0) continue; // env.dotenv_parent says it
      if (unsetFor(r.client, c.value) || (anchor && readValue(r.client, anchor) === readValue(r.client, c))) continue;
      const unsetBy = s.cancel
        ? `cancelled by "${name}": "" in ${s.cancel.source}`
        : s.empty
          ? `${s.empty.source} is empty`
          : null;
      let uses = anchor ? labelFp(anchor) : winnerWords(d, r);
      if (!anchor && unsetBy) uses = fails(r) ? `no ${name} (${unsetBy})` : `${uses} (${name}: ${unsetBy})`;
      const { text, fix } = conflictWords(d, r, c, why, anchor, s);
      // A file this client does not read is the cause only if it is the client that fails: when the
      // user has not said which one (--client auto) and another client does use it, it is a warning.
      const unsure = why === 'not-read' && ctx.all.some((o) => !fails(o));
      add(
        ctx,
        'env.conflict',
        `${anchor ? anchor.source + anchor.name : uses}|${c.source}|${c.name}|${why}`,
        unsure ? 'warning' : sev,
        (w) => `${w.names} ${v(w, 'uses', 'use')} ${uses}; ${labelFp(c)} ${text}`,
        fix,
        why,
      );
    }
  }
}

function conflictWords(
  d: Discovery,
  r: Resolution,
  c: Candidate,
  why: Why,
  anchor: Candidate | null,
  s: Slot,
): { text: string; fix: string[] } {
  switch (why) {
    case 'new-terminal':
      return {
        text: `exports a different key that a new terminal would use`,
        fix: SOURCE_FIX.newTerminal(fileAndLine(c), c.name),
      };
    case 'not-sourced':
      return {
        text: `is exported in ${fileOf(c)} but not in this environment: ${NOT_SOURCED}`,
        fix: SOURCE_FIX.notSourced(sourceCmd(d.platform, fileOf(c)), c.name),
      };
    case 'overridden':
      return {
        text: `is overridden for Claude Code by that settings "env" block`,
        fix: SOURCE_FIX.overriddenBySettings(fileOf(anchor!), c.name, c.source, removal(d.platform, c)),
      };
    case 'cancelled':
      return {
        text: `is cancelled for Claude Code by "${c.name}": "" in ${s.cancel!.source}`,
        fix: SOURCE_FIX.cancelledBySettings(fileOf(s.cancel!), c.name, c.source),
      };
    case 'env-wins':
      return {
        text: `holds a different key, which dotenv does not load because the environment already sets ${c.name}`,
        fix: SOURCE_FIX.envWins(unsetCmd(d.platform, c.name), fileOf(c), removal(d.platform, c)),
      };
    case 'not-read':
      return {
        text: `is not read by ${r.label}: only programs that load dotenv read .env files`,
        fix: SOURCE_FIX.notRead(
          anchor ? removal(d.platform, c) : null,
          d.platform === 'win32' ? null : fileOf(c),
          c.name,
        ),
      };
    case 'farther':
      return {
        text: `holds a different key in a dotenv file that yields to ${anchor ? anchor.source : 'a nearer file'}`,
        fix: SOURCE_FIX.remove(removal(d.platform, c)),
      };
    case 'empty':
    case 'hidden':
      return { text: '', fix: [] };
  }
}

function emptyVarIssues(ctx: Ctx): void {
  const { src, r } = ctx;
  for (const name of B(r.client).reads) {
    const empty = ctx.slot(name).empty;
    if (!empty) continue;
    // Which dotenv values it hides is a property of the files, the same for every dotenv loader.
    const hidden = src.dotenv.filter((c) => c.name === name && c.value.trim() !== '');
    const what = hidden.length
      ? `it hides the value in ${hidden.map((c) => c.source).join(', ')} from dotenv-loading programs`
      : 'clients treat it as unset';
    add(
      ctx,
      'env.empty_var',
      empty.source,
      fails(r) ? 'error' : 'warning',
      (w) => `${name} is set but empty in the environment; ${what} (${w.names})`,
      [unsetCmd(ctx.d.platform, name)],
    );
  }
}

function dotenvParentIssues(ctx: Ctx): void {
  const { r } = ctx;
  if (!loadsDotenv(r.client)) return; // only dotenv-loading applications walk upward
  for (const name of B(r.client).reads) {
    const s = ctx.slot(name);
    const entries: Loser[] = [...(s.winner ? [{ c: s.winner, why: 'farther' as Why }] : []), ...s.losers];
    for (const { c, why } of entries) {
      if (c.origin !== 'dotenv' || depthOf(c) === 0 || c.value.trim() === '') continue;
      const used = same(s.winner, c);
      const status = used
        ? (w: Who) => `${w.names} may use it: nothing nearer supplies ${name}`
        : why === 'hidden'
          ? () => `it is hidden by the empty ${s.empty?.source ?? name}`
          : why === 'env-wins'
            ? () => `${s.winner?.source ?? 'the environment'} wins over it`
            : () => 'a nearer file wins over it';
      add(
        ctx,
        'env.dotenv_parent',
        `${c.source}|${c.name}|${used ? 'used' : why}`,
        'warning',
        (w) =>
          `${labelFp(c)} is in a .env file above the working directory. dotenv loads ./.env only, but ` +
          `find_dotenv(), framework loaders and Bun walk upward; ${status(w)}.`,
        SOURCE_FIX.dotenvParent(fileAndLine(c), c.name),
      );
    }
  }
}

function authTokenIssues(ctx: Ctx): void {
  const { d, r } = ctx;
  const auth = ctx.slot(AUTH_TOKEN).winner;
  if (!auth || r.client === 'curl' || r.client === 'other' || r.provider !== 'anthropic') return;
  const key = (role: string) => `${auth.source}|${role}`;
  const fix = [removal(d.platform, auth)];
  if (r.client === 'claude-code' && same(r.credential, auth)) {
    const outranked = [
      d.apiKeyHelper ? `the apiKeyHelper (${d.apiKeyHelper.source})` : null,
      ctx.slot(OAUTH_TOKEN).winner ? labelFp(ctx.slot(OAUTH_TOKEN).winner!) : null,
      hasLogin(d) ? loginWords(d) : null,
    ].filter((x): x is string => !!x);
    const words = outranked.length ? `it outranks ${joinNames(outranked)}` : 'nothing else is configured';
    add(
      ctx,
      'env.auth_token_override',
      key(`outranks:${words}`),
      outranked.length ? 'warning' : 'info',
      (w) => `${w.names} ${v(w, 'sends', 'send')} ${labelFp(auth)} as Authorization: Bearer (no OAuth beta); ${words}`,
      fix,
    );
  } else if (r.client === 'sdk-ts-1') {
    if (same(r.credential, auth))
      add(
        ctx,
        'env.auth_token_override',
        key('alone'),
        'info',
        (w) => `${w.names} ${v(w, 'sends', 'send')} ${labelFp(auth)} as Authorization: Bearer`,
        fix,
      );
    else
      add(
        ctx,
        'env.auth_token_override',
        key('ts1-ignored'),
        'warning',
        (w) =>
          `${w.names} ${v(w, 'uses', 'use')} ANTHROPIC_API_KEY and ${v(w, 'ignores', 'ignore')} ` +
          `${labelFp(auth)} (it logs "${SDK_BOTH_SET_WARNING}"); Claude Code, Python and ` +
          `@anthropic-ai/sdk 0.x would send it`,
        fix,
      );
  } else if (same(r.secondary, auth) || (r.sendsAs === 'both' && !r.secondary)) {
    add(
      ctx,
      'env.auth_token_override',
      key('joins'),
      'warning',
      (w) =>
        `${w.names} ${v(w, 'sends', 'send')} ${labelFp(auth)} in Authorization (Bearer) and ` +
        `ANTHROPIC_API_KEY in x-api-key, both on every request`,
      fix,
    );
  } else if (same(r.credential, auth)) {
    add(
      ctx,
      'env.auth_token_override',
      key('alone'),
      'info',
      (w) => `${w.names} ${v(w, 'sends', 'send')} ${labelFp(auth)} as Authorization: Bearer`,
      fix,
    );
  }
}

function claudeCodeIssues(ctx: Ctx): void {
  const { d, r } = ctx;
  if (r.client !== 'claude-code') return;
  const c = r.credential;
  if (hasLogin(d) && c && (c.name === API_KEY || c.name === AUTH_TOKEN)) {
    const approval = c.name === API_KEY ? approvalOf(d, c) : 'unknown';
    const how =
      c.name === AUTH_TOKEN
        ? 'ANTHROPIC_AUTH_TOKEN always outranks the login'
        : approval === 'approved'
          ? 'you approved this key in Claude Code, so it outranks the login'
          : approval === 'rejected'
            ? 'you rejected this key in Claude Code, so interactive sessions use the login, but `claude ' +
              '-p` uses the key'
            : 'interactive Claude Code asks once whether to use it (once approved, it outranks the login); ' +
              '`claude -p` always uses it';
    add(
      ctx,
      'env.api_key_overrides_login',
      c.source,
      'warning',
      (w) => `${w.names} ${v(w, 'uses', 'use')} ${labelFp(c)} instead of ${loginWords(d)}: ${how}`,
      SOURCE_FIX.useLogin(removal(d.platform, c)),
    );
  }
  if (d.apiKeyHelper) {
    const h = d.apiKeyHelper;
    if (r.usesApiKeyHelper) {
      const login = hasLogin(d);
      add(
        ctx,
        'env.api_key_helper',
        h.source,
        login ? 'warning' : 'info',
        (w) =>
          `${w.names} ${v(w, 'runs', 'run')} the apiKeyHelper from ${h.source} (\`${h.command}\`) and ` +
          `${v(w, 'sends', 'send')} its output as ` +
          (r.credential
            ? `Authorization: Bearer beside ${labelFp(r.credential)} in x-api-key`
            : 'both x-api-key and Authorization: Bearer') +
          (login ? `; it shadows ${loginWords(d)}` : ''),
        SOURCE_FIX.apiKeyHelper(login ? h.source.replace(/^file:/, '') : null),
      );
    } else {
      add(
        ctx,
        'env.api_key_helper',
        `${h.source}|unused`,
        'info',
        (w) =>
          `The apiKeyHelper from ${h.source} is configured but ${w.names} ${v(w, 'does', 'do')} not use ` +
          `it: ${winnerWords(d, r)} outranks it`,
        [],
      );
    }
  }
  const oauth = ctx.slot(OAUTH_TOKEN).winner;
  if (oauth) {
    if (!same(c, oauth)) {
      add(
        ctx,
        'env.oauth_token_override',
        `${oauth.source}|unused`,
        'warning',
        (w) =>
          `${labelFp(oauth)} is set but ${w.names} ${v(w, 'does', 'do')} not use it: ${winnerWords(d, r)} outranks it`,
        [removal(d.platform, oauth)],
      );
    } else if (hasLogin(d)) {
      add(
        ctx,
        'env.oauth_token_override',
        `${oauth.source}|login`,
        'warning',
        (w) => `${w.names} ${v(w, 'uses', 'use')} ${labelFp(oauth)} instead of ${loginWords(d)}`,
        SOURCE_FIX.useLoginSession(removal(d.platform, oauth)),
      );
    } else {
      add(
        ctx,
        'env.oauth_token_override',
        `${oauth.source}|alone`,
        'info',
        (w) =>
          `${w.names} ${v(w, 'authenticates', 'authenticate')} with ${labelFp(oauth)} (a claude ` +
          `setup-token token), sent as Authorization: Bearer with anthropic-beta: ${OAUTH_BETA}`,
        [removal(d.platform, oauth)],
      );
    }
  }
}

function headerIssues(ctx: Ctx, all: Resolution[]): void {
  const { d, r } = ctx;
  const c = r.credential;
  if (!c || r.provider !== 'anthropic') return;
  const kind = kindOf(c.value.trim()).kind;
  if (r.sendsAs === 'both' && r.secondary) {
    const sec = r.secondary;
    add(
      ctx,
      'header.both',
      `${c.source}|${sec.source}`,
      headerSeverity(r),
      (w) =>
        `${w.names} ${v(w, 'sends', 'send')} both x-api-key (${labelFp(c)}) and Authorization: Bearer ` +
        `(${labelFp(sec)}): two different credentials on every request. Which of the two the API honours ` +
        `is not known; leave one.`,
      SOURCE_FIX.leaveOne(removal(d.platform, sec), removal(d.platform, c)),
    );
  }
  if (r.sendsAs === 'both' && r.usesApiKeyHelper && c.name === API_KEY) {
    const h = d.apiKeyHelper;
    add(
      ctx,
      'header.both',
      `${c.source}|helper`,
      'warning',
      (w) =>
        `${w.names} ${v(w, 'sends', 'send')} ${labelFp(c)} as x-api-key and the apiKeyHelper's output as ` +
        `Authorization: Bearer on every request; if the two differ, which one the API honours is not ` +
        `known. Leave one.`,
      SOURCE_FIX.leaveKeyOrHelper(removal(d.platform, c), h ? h.source.replace(/^file:/, '') : null),
    );
  }
  if (r.client === 'sdk-ts-1' && c.name === API_KEY && kind === 'api_key' && r.baseUrl) {
    add(
      ctx,
      'header.bearer',
      `${c.source}|ts1-gateway`,
      'warning',
      (w) =>
        `${w.names} ${v(w, 'sends', 'send')} every key as Authorization: Bearer, ${labelFp(c)} included; ` +
        `a gateway at ${r.baseUrl!.source} that reads only x-api-key answers 401`,
      // An assumed SDK is not in the project: no fix installs or pins one (issue 17).
      SOURCE_FIX.gatewayWantsXApiKey(r.assumed),
    );
  }
  if (c.name !== AUTH_TOKEN || r.sendsAs !== 'authorization') return;
  if (kind === 'api_key') {
    if (r.client === 'sdk-ts-1') {
      // 1.x sends every key as Bearer under 2026-10-21, which the API accepts [U]: only a gateway,
      // or another client reading the same variable, would fail.
      const strict = all.some((o) => o.client !== 'sdk-ts-1' && same(o.credential, c) && o.sendsAs === 'authorization');
      if (strict) return; // that client's error names the problem
      const words = r.baseUrl
        ? `a gateway at ${r.baseUrl.source} that reads only x-api-key answers 401`
        : 'Claude Code, Python and @anthropic-ai/sdk 0.x would send it as Bearer under 2023-06-01 and fail';
      add(
        ctx,
        'header.bearer',
        `${c.source}|ts1`,
        'warning',
        (w) =>
          `${w.names} ${v(w, 'sends', 'send')} the API key ${labelFp(c)} as Authorization: Bearer with ` +
          `anthropic-version 2026-10-21, which the API accepts; ${words}`,
        rename(d.platform, c, API_KEY),
      );
    } else if (r.client !== 'curl' && r.client !== 'other') {
      add(
        ctx,
        'header.bearer',
        c.source,
        headerSeverity(r),
        (w) =>
          `${w.names} ${v(w, 'sends', 'send')} the API key ${labelFp(c)} as Authorization: Bearer with ` +
          `anthropic-version ${r.anthropicVersion}; ` +
          `${r.baseUrl ? 'a server that wants x-api-key' : 'the API'} answers 401 "Invalid bearer token"`,
        rename(d.platform, c, API_KEY),
      );
    }
  }
  if (kind === 'oauth_access' && !r.oauthBeta) {
    const fix =
      r.client === 'claude-code'
        ? SOURCE_FIX.oauthTokenVariable(rename(d.platform, c, OAUTH_TOKEN))
        : SOURCE_FIX.oauthBetaHeader(customHeadersCmd(d.platform, `anthropic-beta: ${OAUTH_BETA}`), OAUTH_BETA);
    add(
      ctx,
      'header.oauth_beta',
      c.source,
      headerSeverity(r),
      (w) =>
        `${w.names} ${v(w, 'sends', 'send')} the OAuth token ${labelFp(c)} as a static Bearer token ` +
        `without anthropic-beta: ${OAUTH_BETA}; the API answers 401 "OAuth authentication is currently ` +
        `not supported."`,
      fix,
    );
  }
}

function wrongNameIssues(d: Discovery, src: Sources, resolutions: Resolution[], issues: Issue[]): void {
  const byName = new Map<string, { to: string; cs: Candidate[] }>();
  for (const c of src.all) {
    if (c.value.trim() === '') continue;
    const to = wrongNameTarget(d, c);
    if (!to) continue;
    const g = byName.get(c.name) ?? { to, cs: [] };
    g.cs.push(c);
    byName.set(c.name, g);
  }
  const sev: Severity = resolutions.some(fails) ? 'error' : 'warning';
  for (const [name, { to, cs }] of byName) {
    issues.push({
      id: 'env.wrong_name',
      key: name,
      client: '',
      severity: sev,
      text: () => `${cs.map(labelFp).join(', ')}: no client reads ${name}; rename it to ${to}`,
      fix: cs.flatMap((c) => rename(d.platform, c, to)),
    });
  }
}

const MISSING_CONTEXT: Why[] = ['not-sourced', 'not-read', 'cancelled'];

function missingIssue(d: Discovery, src: Sources, resolutions: Resolution[], issues: Issue[]): void {
  if (resolutions.length === 0 || !resolutions.every(fails)) return;
  if (issues.some((i) => i.id === 'env.empty_var' && i.severity === 'error')) return; // that finding is the explanation
  // A --key-env credential is the user's own pick: the program passes it explicitly.
  if (src.all.some((c) => c.origin === 'key-env' && c.value.trim() !== '')) return;
  const context = new Map<string, string>();
  const shellFiles = new Set<string>();
  for (const r of resolutions) {
    const slot = slotReader(src, r.client);
    for (const name of B(r.client).reads) {
      for (const { c, why } of slot(name).losers) {
        if (context.has(c.source + c.name) || unsetFor(r.client, c.value) || !MISSING_CONTEXT.includes(why)) continue;
        if (why === 'not-sourced') {
          shellFiles.add(fileOf(c));
          context.set(
            c.source + c.name,
            `${labelFp(c)} is exported in ${fileOf(c)} but not in this environment: ${NOT_SOURCED}`,
          );
        }
        if (why === 'not-read')
          context.set(c.source + c.name, `${labelFp(c)} is in a dotenv file ${r.label} does not load`);
        if (why === 'cancelled')
          context.set(
            c.source + c.name,
            `${labelFp(c)} is cancelled for Claude Code by "${name}": "" in ${slot(name).cancel!.source}`,
          );
      }
    }
  }
  for (const c of src.all)
    if (c.value.trim() !== '' && wrongNameTarget(d, c))
      context.set(c.source + c.name, `${labelFp(c)} has a name no client reads`);
  const names = joinNames(resolutions.map((r) => r.label));
  const detail =
    `No credential reaches ` +
    names +
    (context.size
      ? `. Found, but not used: ${[...context.values()].join('; ')}`
      : `: no ${API_KEY}, ${AUTH_TOKEN}, ${OAUTH_TOKEN}, apiKeyHelper or Claude Code login was found`) +
    '.';
  const fix = [
    ...[...shellFiles].map((f) => SOURCE_FIX.sourceShellFile(`${d.platform === 'win32' ? '.' : 'source'} ${f}`)),
    ...new Set(
      resolutions.map((r) =>
        r.client === 'claude-code'
          ? SOURCE_FIX.claudeLogin(setKeyCmd(d.platform))
          : loadsDotenv(r.client)
            ? SOURCE_FIX.setKeyOrDotenv(setKeyCmd(d.platform))
            : setKeyCmd(d.platform),
      ),
    ),
  ];
  issues.unshift({ id: 'key.missing', key: 'all', client: '', severity: 'error', text: () => detail, fix });
}

export function precedenceFindings(d: Discovery, resolutions: Resolution[]): Finding[] {
  const src = gather(d);
  const issues: Issue[] = [];
  for (const r of resolutions) {
    const ctx: Ctx = { d, src, r, slot: slotReader(src, r.client), issues, all: resolutions };
    emptyVarIssues(ctx);
    conflictIssues(ctx);
    dotenvParentIssues(ctx);
    authTokenIssues(ctx);
    claudeCodeIssues(ctx);
    headerIssues(ctx, resolutions);
  }
  wrongNameIssues(d, src, resolutions, issues);
  missingIssue(d, src, resolutions, issues);
  // key.missing already names what did not reach the clients (unsourced files, unread .env, cancels).
  const missing = issues.some((i) => i.id === 'key.missing');
  const told = (i: Issue) => i.id === 'env.conflict' && i.why !== undefined && MISSING_CONTEXT.includes(i.why);
  return merge(missing ? issues.filter((i) => !told(i)) : issues);
}
