// Credential kinds, fingerprints and the key_format lint (fact sheet §1, §5, §6). Pure.
// Positions and lengths count UTF-16 code units (JavaScript's `length`), 1-based for positions.
import type { ClientModel, CredentialKind, Finding, SourceLabel } from './types.js';
import { finding, LINT_FIX } from './findings.js';
import { rowOf } from './clients.js';

export interface KindInfo {
  kind: CredentialKind;
  /** The public prefix shown in fingerprints; '' when none is known. */
  prefix: string;
  /** For `foreign`: whose key it is. */
  provider?: string;
}

// ---------------------------------------------------------------------------------------------
// Formats

/** [U] fact sheet §1: every scanner expects api03/admin01 keys to end in the literal "AA"; why is unverified. */
export const KEY_SUFFIX = 'AA';
/** [V] api03/admin01 bodies: 93 random characters, then KEY_SUFFIX. */
const FIXED_BODY = 93 + KEY_SUFFIX.length;
/** [U] OAuth tokens have no published length; gitleaks wants 40+ body characters (95 seen in the wild). */
const MIN_TOKEN_BODY = 40;
/**
 * [U] fact sheet §1: OAuth access tokens (`claude setup-token`, /login) are seen with 95 body
 * characters (108 in all). Shorter is read as a truncated copy; a live answer that accepts the
 * token outranks this (the activation step withdraws the finding).
 */
const SEEN_TOKEN_BODY = 95;
const KEY_ALPHABET = /^[A-Za-z0-9_-]$/;

interface AnthropicType {
  kind: CredentialKind;
  /** The version every current credential of this type has. */
  current: string;
  /** Body length (after the prefix) when the format fixes it. */
  body?: number;
  /** Body length every token of this type has been seen with (no published length). */
  seenBody?: number;
  what: string;
}

/** `sk-ant-<type><version>-`; other versions (secretlint accepts `api0\d`) are unusual, not malformed. */
const ANTHROPIC_TYPES: Record<string, AnthropicType> = {
  api: { kind: 'api_key', current: '03', body: FIXED_BODY, what: 'an API key' },
  admin: { kind: 'admin_key', current: '01', body: FIXED_BODY, what: 'an Admin API key' },
  oat: { kind: 'oauth_access', current: '01', seenBody: SEEN_TOKEN_BODY, what: 'an OAuth access token' },
  ort: { kind: 'oauth_refresh', current: '01', what: 'an OAuth refresh token' },
  sid: { kind: 'session_cookie', current: '01', what: 'a claude.ai session cookie' },
};
const ANTHROPIC_PREFIX = /^sk-ant-([a-z]{2,8})(\d{0,3})-/;

interface ForeignFormat {
  prefix: string;
  /** Shape of what follows the prefix. */
  body: RegExp;
  provider: string;
  /** Where that provider's tools read it from (for the fix line). */
  envVar: string;
}

const WORD_BODY = /^[A-Za-z0-9_-]{8,}$/;
/** Other providers' keys (fact sheet §1 "anything else … not an Anthropic first-party credential"). Order matters. */
const FOREIGN: ForeignFormat[] = [
  { prefix: 'sk-proj-', body: WORD_BODY, provider: 'OpenAI', envVar: 'OPENAI_API_KEY' },
  { prefix: 'sk-svcacct-', body: WORD_BODY, provider: 'OpenAI', envVar: 'OPENAI_API_KEY' },
  { prefix: 'sk-admin-', body: WORD_BODY, provider: 'OpenAI', envVar: 'OPENAI_ADMIN_KEY' },
  { prefix: 'sk-or-v1-', body: WORD_BODY, provider: 'OpenRouter', envVar: 'OPENROUTER_API_KEY' },
  { prefix: 'sk-', body: /^[A-Za-z0-9]{48}$/, provider: 'OpenAI', envVar: 'OPENAI_API_KEY' },
  { prefix: 'AKIA', body: /^[0-9A-Z]{16}$/, provider: 'AWS', envVar: 'AWS_ACCESS_KEY_ID' },
  { prefix: 'ASIA', body: /^[0-9A-Z]{16}$/, provider: 'AWS', envVar: 'AWS_ACCESS_KEY_ID' },
  { prefix: 'ABSK', body: /^[A-Za-z0-9+/=]{16,}$/, provider: 'AWS Bedrock', envVar: 'AWS_BEARER_TOKEN_BEDROCK' },
  { prefix: 'AIza', body: /^[0-9A-Za-z_-]{30,}$/, provider: 'Google', envVar: 'GEMINI_API_KEY' },
  { prefix: 'gsk_', body: WORD_BODY, provider: 'Groq', envVar: 'GROQ_API_KEY' },
  { prefix: 'xai-', body: WORD_BODY, provider: 'xAI', envVar: 'XAI_API_KEY' },
  { prefix: 'hf_', body: WORD_BODY, provider: 'Hugging Face', envVar: 'HF_TOKEN' },
  { prefix: 'github_pat_', body: WORD_BODY, provider: 'GitHub', envVar: 'GITHUB_TOKEN' },
  ...['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'].map((prefix) => ({
    prefix,
    body: WORD_BODY,
    provider: 'GitHub',
    envVar: 'GITHUB_TOKEN',
  })),
];

// ---------------------------------------------------------------------------------------------
// Anatomy: where the key sits inside a raw value, and what surrounds or damages it.

const QUOTES = new Set([
  0x22, 0x27, 0x60, 0x2018, 0x2019, 0x201a, 0x201b, 0x201c, 0x201d, 0x201e, 0x201f, 0x2032, 0x2033, 0x00ab, 0x00bb,
  0x2039, 0x203a, 0xff02, 0xff07,
]);
/** Dashes a word processor substitutes for "-"; mapped back so a damaged prefix is still recognised. */
const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d]);
const LINE_BREAKS = new Set([0x0a, 0x0d]);

/** Not part of any credential: whitespace, controls, quotes, anything outside printable ASCII. */
function isJunk(cp: number): boolean {
  return cp <= 0x20 || cp >= 0x7f || QUOTES.has(cp);
}

interface Char {
  index: number; // UTF-16 index in the raw value
  cp: number;
}

interface Anatomy {
  /** The key's span in the raw value, after surrounding junk and a leading "Bearer ". */
  start: number;
  end: number;
  bearer: { index: number; text: string } | null;
  lead: readonly Char[]; // junk before the key (not the Bearer word)
  trail: readonly Char[]; // junk after it
  inner: readonly Char[]; // junk inside it
  /** ASCII characters inside it that no credential alphabet has (".", "+", "/" …). */
  odd: readonly Char[];
  /** The key as meant: inner junk removed, look-alike dashes turned back into "-". */
  core: string;
}

function chars(s: string, from = 0, to = s.length): Char[] {
  const out: Char[] = [];
  for (let i = from; i < to;) {
    const cp = s.codePointAt(i)!;
    out.push({ index: i, cp });
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

/**
 * anatomy() of the values asked about lately. A run asks about the same few values dozens of times
 * (kinds, fingerprints, forms to redact, lint); each answer is frozen, so sharing it is safe.
 */
const ANATOMY_MEMO = new Map<string, Anatomy>();
const ANATOMY_MEMO_SIZE = 64;
/** Longer values (a pasted blob) are not kept. */
const ANATOMY_MEMO_MAX_LENGTH = 8192;

function anatomy(value: string): Anatomy {
  const known = ANATOMY_MEMO.get(value);
  if (known) return known;
  const a = dissect(value);
  if (value.length <= ANATOMY_MEMO_MAX_LENGTH) {
    if (ANATOMY_MEMO.size >= ANATOMY_MEMO_SIZE) ANATOMY_MEMO.clear();
    ANATOMY_MEMO.set(value, a);
  }
  return a;
}

function dissect(value: string): Anatomy {
  const all = chars(value);
  let a = 0;
  let b = all.length;
  const lead: Char[] = [];
  const trail: Char[] = [];
  let bearer: Anatomy['bearer'] = null;
  for (;;) {
    while (a < b && isJunk(all[a]!.cp)) lead.push(all[a++]!);
    const at = a < b ? all[a]!.index : value.length;
    const m: RegExpExecArray | null = bearer ? null : /^bearer[ \t]+/i.exec(value.slice(at, at + 16));
    if (!m) break;
    bearer = { index: at, text: m[0] };
    while (a < b && all[a]!.index < at + m[0].length) a++;
  }
  while (b > a && isJunk(all[b - 1]!.cp)) trail.unshift(all[--b]!);
  const inner: Char[] = [];
  const odd: Char[] = [];
  let core = '';
  for (let i = a; i < b; i++) {
    const c = all[i]!;
    if (isJunk(c.cp)) {
      inner.push(c);
      if (DASHES.has(c.cp)) core += '-';
      continue;
    }
    const ch = String.fromCodePoint(c.cp);
    if (!KEY_ALPHABET.test(ch)) odd.push(c);
    core += ch;
  }
  const start = all[a]?.index ?? value.length;
  const end = b > a ? (all[b]?.index ?? value.length) : start;
  const freeze = (cs: Char[]): readonly Char[] => Object.freeze(cs.map((c) => Object.freeze(c)));
  return Object.freeze({
    start,
    end,
    bearer: bearer && Object.freeze(bearer),
    lead: freeze(lead),
    trail: freeze(trail),
    inner: freeze(inner),
    odd: freeze(odd),
    core,
  });
}

/** The value without surrounding whitespace, quotes or a leading "Bearer " (inner damage kept). */
export function unwrapCredential(value: string): string {
  const a = anatomy(value);
  return value.slice(a.start, a.end);
}

/** The credential as meant: like unwrapCredential, and inner whitespace/invisible characters removed. */
export function cleanCredential(value: string): string {
  return anatomy(value).core;
}

function classify(
  core: string,
): KindInfo & { type?: string; version?: string; format?: AnthropicType; foreign?: ForeignFormat } {
  const m = ANTHROPIC_PREFIX.exec(core);
  if (m) {
    const format = ANTHROPIC_TYPES[m[1]!];
    return { kind: format?.kind ?? 'unknown', prefix: m[0], type: m[1]!, version: m[2]!, format };
  }
  for (const f of FOREIGN) {
    if (core.startsWith(f.prefix) && f.body.test(core.slice(f.prefix.length)))
      return { kind: 'foreign', prefix: f.prefix, provider: f.provider, foreign: f };
  }
  return { kind: 'unknown', prefix: '' };
}

/** The full length a credential of this kind has when its format fixes it (api03, admin01), else null. */
export function fixedLength(value: string): number | null {
  const { prefix, format } = classify(value);
  return format?.body === undefined ? null : prefix.length + format.body;
}

/** An Anthropic credential under any name, also when damaged by quotes or a "Bearer " prefix. */
export function looksLikeAnthropicKey(value: string): boolean {
  return /^[\s'"`\u2018-\u201f]*(?:bearer\s+)?sk-ant-/i.test(value);
}

export function kindOf(value: string): KindInfo {
  const { kind, prefix, provider } = classify(anatomy(value).core);
  return provider === undefined ? { kind, prefix } : { kind, prefix, provider };
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

function hex(cp: number): string {
  return cp.toString(16).toUpperCase().padStart(4, '0');
}

/** Shows invisible characters as escapes (\n, \x20, \u200B) so a fragment of a raw value stays one visible line. */
export function showInvisible(s: string): string {
  let out = '';
  for (const { cp } of chars(s)) {
    if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp === 0x09) out += '\\t';
    // Printable ASCII is exactly 0x21–0x7E of these classes: the Unicode test only for the rest.
    else if ((cp >= 0x21 && cp <= 0x7e) || (cp > 0x7f && /[\p{L}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp))))
      out += String.fromCodePoint(cp);
    else if (cp <= 0xff) out += `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp)}`;
    else out += `\\u{${hex(cp)}}`;
  }
  return out;
}

/** Values shorter than this show no characters at all (cli-contract.md). */
const FINGERPRINT_MIN = 20;

/**
 * `<public prefix>…<last 4> (N chars)`; `… (N chars)` under 20 characters. N is the raw value's
 * UTF-16 length; the last 4 code points are the raw value's, invisible ones escaped.
 */
export function fingerprint(value: string): string {
  const n = value.length;
  const size = `(${n} char${n === 1 ? '' : 's'})`;
  if (n < FINGERPRINT_MIN) return `… ${size}`;
  const last4 = Array.from(value.slice(-8)).slice(-4).join('');
  return `${kindOf(value).prefix}…${showInvisible(last4)} ${size}`;
}

// ---------------------------------------------------------------------------------------------
// Characters

const CHAR_NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x08: 'BACKSPACE',
  0x09: 'CHARACTER TABULATION',
  0x0a: 'LINE FEED',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x20: 'SPACE',
  0x22: 'QUOTATION MARK',
  0x27: 'APOSTROPHE',
  0x60: 'GRAVE ACCENT',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0xa0: 'NO-BREAK SPACE',
  0xab: 'LEFT-POINTING DOUBLE ANGLE QUOTATION MARK',
  0xad: 'SOFT HYPHEN',
  0xbb: 'RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x1680: 'OGHAM SPACE MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD',
  0x2001: 'EM QUAD',
  0x2002: 'EN SPACE',
  0x2003: 'EM SPACE',
  0x2004: 'THREE-PER-EM SPACE',
  0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE',
  0x2007: 'FIGURE SPACE',
  0x2008: 'PUNCTUATION SPACE',
  0x2009: 'THIN SPACE',
  0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2010: 'HYPHEN',
  0x2011: 'NON-BREAKING HYPHEN',
  0x2012: 'FIGURE DASH',
  0x2013: 'EN DASH',
  0x2014: 'EM DASH',
  0x2015: 'HORIZONTAL BAR',
  0x2018: 'LEFT SINGLE QUOTATION MARK',
  0x2019: 'RIGHT SINGLE QUOTATION MARK',
  0x201a: 'SINGLE LOW-9 QUOTATION MARK',
  0x201b: 'SINGLE HIGH-REVERSED-9 QUOTATION MARK',
  0x201c: 'LEFT DOUBLE QUOTATION MARK',
  0x201d: 'RIGHT DOUBLE QUOTATION MARK',
  0x201e: 'DOUBLE LOW-9 QUOTATION MARK',
  0x201f: 'DOUBLE HIGH-REVERSED-9 QUOTATION MARK',
  0x2026: 'HORIZONTAL ELLIPSIS',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x202f: 'NARROW NO-BREAK SPACE',
  0x2032: 'PRIME',
  0x2033: 'DOUBLE PRIME',
  0x2039: 'SINGLE LEFT-POINTING ANGLE QUOTATION MARK',
  0x203a: 'SINGLE RIGHT-POINTING ANGLE QUOTATION MARK',
  0x205f: 'MEDIUM MATHEMATICAL SPACE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x2212: 'MINUS SIGN',
  0x3000: 'IDEOGRAPHIC SPACE',
  0x3164: 'HANGUL FILLER',
  0xfe58: 'SMALL EM DASH',
  0xfe63: 'SMALL HYPHEN-MINUS',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE (byte order mark)',
  0xff02: 'FULLWIDTH QUOTATION MARK',
  0xff07: 'FULLWIDTH APOSTROPHE',
  0xff0d: 'FULLWIDTH HYPHEN-MINUS',
  0xfffd: 'REPLACEMENT CHARACTER',
};

/** "U+200B ZERO WIDTH SPACE"; characters without a listed name get their category. */
export function describeChar(cp: number): string {
  const code = `U+${hex(cp)}`;
  const name = CHAR_NAMES[cp];
  if (name) return `${code} ${name}`;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `${code} (a control character)`;
  if (cp >= 0xd800 && cp <= 0xdfff) return `${code} (half of a broken character pair)`;
  if (/\p{Cf}/u.test(ch)) return `${code} (an invisible formatting character)`;
  if (/\p{Z}/u.test(ch)) return `${code} (a space character)`;
  if (/\p{Co}|\p{Cn}/u.test(ch)) return `${code} (a private or unassigned character)`;
  if (/\p{M}/u.test(ch)) return `${code} (a combining mark)`;
  return `${code} "${ch}"`;
}

// ---------------------------------------------------------------------------------------------
// Placeholders

const PLACEHOLDER_WORDS = new Set([
  'undefined',
  'null',
  'none',
  'nil',
  'empty',
  'todo',
  'tbd',
  'fixme',
  'changeme',
  'change-me',
  'change_me',
  'replaceme',
  'replace-me',
  'replace_me',
  'placeholder',
  'example',
  'sample',
  'test',
  'testing',
  'dummy',
  'fake',
  'secret',
  'password',
  'redacted',
  'false',
  'true',
  'nan',
]);
/**
 * "your-api-key", "YOUR_ANTHROPIC_API_KEY_HERE", "insert-key-here", "ANTHROPIC_API_KEY"
 * (a name where the value belongs).
 */
const WORDY_PLACEHOLDER = new RegExp(
  '^(?:(?:your|my|the|insert|enter|paste|put|replace|add|set)[-_.]?)*(?:(?:anthropic|' +
    'claude|openai)[-_.]?)?(?:(?:api|auth|oauth|access)[-_.]?)?(?:key|token|secret)(?:[' +
    '-_.]?(?:goes[-_.]?)?here)?$',
);
const VARIABLE_REFERENCE = /^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%[A-Za-z_][A-Za-z0-9_]*%)$/;

interface PlaceholderInfo {
  /** What it is, for the finding detail. */
  what: string;
  /** The value is public text (a word or a variable reference): safe to show and not worth redacting. */
  publicText: boolean;
}

export function placeholderInfo(value: string): PlaceholderInfo | null {
  const a = anatomy(value);
  const core = a.core;
  if (core === '') return null;
  const lower = core.toLowerCase();
  const info = classify(core);
  const body = core.slice(info.prefix.length);
  if (VARIABLE_REFERENCE.test(core)) return { what: `an unexpanded variable reference (${core})`, publicText: true };
  if (PLACEHOLDER_WORDS.has(lower)) return { what: `the word "${core}"`, publicText: true };
  if (WORDY_PLACEHOLDER.test(lower.replace(/^sk-ant-(?:[a-z]{2,8}\d{0,3}-)?/, '')))
    return { what: `example text ("${core}")`, publicText: true };
  if (/^\{\{.*\}\}$/.test(core)) return { what: 'a template placeholder ({{…}})', publicText: false };
  if (/^<.*>$/.test(core)) return { what: 'text in angle brackets (<…>)', publicText: false };
  if (value.includes('...') || value.includes('…'))
    return { what: 'a shortened or example key (it contains "..." or "…")', publicText: false };
  if (info.prefix !== '' && body === '')
    return { what: `only the prefix ${info.prefix}, with no key after it`, publicText: true };
  if (/^sk-ant-?$/.test(core)) return { what: `only the prefix ${core}, with no key after it`, publicText: true };
  const meat = info.format?.body === FIXED_BODY && body.endsWith(KEY_SUFFIX) ? body.slice(0, -KEY_SUFFIX.length) : body;
  if (/^[xX*#.]{4,}$/.test(meat) || /^(.)\1{7,}$/.test(meat))
    return { what: 'a dummy key (the same character repeated)', publicText: false };
  return null;
}

export function looksLikePlaceholder(value: string): boolean {
  return placeholderInfo(value) !== null;
}

// ---------------------------------------------------------------------------------------------
// Lint

export interface LintContext {
  /** Variable name. */
  name: string;
  source: SourceLabel;
  /** Clients that would read this value; empty = none known (impact described for all, severity not lowered). */
  consumers: ClientModel[];
  /** Per-client override of whether it trims the value (default: only @anthropic-ai/sdk does, fact sheet §5). */
  trims?: Partial<Record<ClientModel, boolean>>;
  /**
   * What belongs here. `api_key` (default): an OAuth token is `key.oauth_token`, unknown shapes are
   * `key.malformed`. `oauth` (CLAUDE_CODE_OAUTH_TOKEN): an oat01 token is right; an API key is not flagged
   * here. `any` (ANTHROPIC_AUTH_TOKEN for gateways): any token, including another provider's.
   */
  expects?: 'api_key' | 'oauth' | 'any';
}

const ALL_CLIENTS: ClientModel[] = ['claude-code', 'sdk-ts-1', 'sdk-ts-0', 'sdk-py', 'curl', 'other'];
const CLIENT_LABEL: Record<ClientModel, string> = {
  'claude-code': 'Claude Code',
  'sdk-ts-1': '@anthropic-ai/sdk 1.x',
  'sdk-ts-0': '@anthropic-ai/sdk 0.x',
  'sdk-py': 'the Python SDK',
  'ai-sdk': '@ai-sdk/anthropic',
  curl: 'curl',
  other: 'other clients',
};

type Damage = 'line_break' | 'non_latin1' | 'other' | 'end_spaces';

/**
 * Why a damaged value breaks a client, as a short reason. Line breaks: fact sheet §5/§6 (httpx refuses,
 * Claude Code's message). Characters above U+00FF: Node and httpx cannot put them in a header (reasoning
 * from their header validation, not observed). Spaces at the ends: RFC 9110 lets servers drop them, strict
 * HTTP libraries (h11) refuse them.
 */
function effect(client: ClientModel, damage: Damage, name: string): string {
  switch (damage) {
    case 'line_break':
      if (client === 'claude-code') {
        return name === 'ANTHROPIC_API_KEY'
          ? 'it refuses it: "Invalid X-Api-Key header value from ANTHROPIC_API_KEY: it contains a line break …"'
          : name === 'ANTHROPIC_AUTH_TOKEN' || name === 'CLAUDE_CODE_OAUTH_TOKEN'
            ? 'it refuses it: "Invalid auth token · Fix external auth token"'
            : 'it refuses to send it';
      }
      return client === 'sdk-py'
        ? 'httpx refuses the header before sending'
        : client === 'curl'
          ? 'it sends a broken header'
          : client === 'other'
            ? 'refused or sent as a broken header'
            : 'a header may not contain a line break';
    case 'non_latin1':
      return client === 'curl'
        ? 'it sends it, and the API answers 401'
        : client === 'other'
          ? 'refused, or a 401'
          : 'it cannot put the character in a header';
    case 'end_spaces':
      return 'servers usually drop spaces at the ends of a header value, strict HTTP libraries refuse them';
    case 'other':
      return 'sent as part of the key, so the API answers 401';
  }
}

function count(n: number, one: string, many: string): string {
  return n === 1 ? `a ${one}` : `${n} ${many}`;
}

function positions(list: readonly Char[]): string {
  const shown = list.slice(0, 5).map((c) => c.index + 1);
  const more = list.length > 5 ? ` and ${list.length - 5} more` : '';
  return `${list.length === 1 ? 'position' : 'positions'} ${shown.join(', ')}${more}`;
}

/** "a line break", "2 spaces", "U+FEFF ZERO WIDTH NO-BREAK SPACE (byte order mark)" for a run of one character. */
function charRun(cp: number, n: number): string {
  if (cp === 0x20) return count(n, 'space', 'spaces');
  if (cp === 0x09) return count(n, 'tab', 'tabs');
  if (cp === 0x0a) return count(n, 'line break', 'line breaks');
  if (cp === 0x0d) return count(n, 'carriage return (CR)', 'carriage returns (CR)');
  return n === 1 ? describeChar(cp) : `${n}× ${describeChar(cp)}`;
}

function groupByChar(list: readonly Char[]): Map<number, Char[]> {
  const by = new Map<number, Char[]>();
  for (const c of list) by.set(c.cp, [...(by.get(c.cp) ?? []), c]);
  return by;
}

/** Human phrases for the junk around and inside the key. */
function describeJunk(a: Anatomy): string[] {
  const lead = [...a.lead];
  const trail = [...a.trail];
  const items: string[] = [];
  const first = lead[0];
  const last = trail[trail.length - 1];
  if (first && last && QUOTES.has(first.cp) && QUOTES.has(last.cp)) {
    lead.shift();
    trail.pop();
    const kind =
      first.cp === 0x22 && last.cp === 0x22
        ? 'straight double quotes'
        : first.cp === 0x27 && last.cp === 0x27
          ? 'straight single quotes'
          : 'quotes';
    const which =
      first.cp === last.cp ? describeChar(first.cp) : `${describeChar(first.cp)} … ${describeChar(last.cp)}`;
    items.push(`${kind} around the value (${which})`);
  }
  for (const [side, list] of [
    ['at the start', lead],
    ['at the end', trail],
  ] as const) {
    if (list.length === 0) continue;
    const runs = [...groupByChar(list)].map(
      ([cp, cs]) => charRun(cp, cs.length) + (cp > 0x20 && cp !== 0x7f ? ` (${positions(cs)})` : ''),
    );
    items.push(`${runs.join(' and ')} ${side}`);
  }
  for (const [cp, cs] of groupByChar(a.inner)) items.push(`${charRun(cp, cs.length)} at ${positions(cs)}`);
  return items;
}

function whitespaceFinding(a: Anatomy, ctx: LintContext, who: string, anthropic: boolean): Finding | null {
  const junk = [...a.lead, ...a.trail, ...a.inner];
  if (junk.length === 0) return null;
  if (a.core === '') {
    const runs = [...groupByChar(junk)].map(([cp, cs]) => charRun(cp, cs.length)).join(' and ');
    return finding(
      'key.whitespace',
      `${who} holds no key at all, only ${runs}. Clients that trim it see an empty value; the others ` +
        `send it and get a 401.`,
      {
        fix: LINT_FIX.emptyValue(ctx),
      },
    );
  }
  const items = describeJunk(a);
  const onlyEnds = a.inner.length === 0;
  // String.prototype.trim() is what the TS SDK applies (fact sheet §5): it removes \s, which includes NBSP and BOM.
  const trimmable = onlyEnds && junk.every((c) => /\s/.test(String.fromCodePoint(c.cp)));
  const hasBreak = junk.some((c) => LINE_BREAKS.has(c.cp));
  const damage: Damage = hasBreak
    ? 'line_break'
    : junk.some((c) => c.cp > 0xff)
      ? 'non_latin1'
      : onlyEnds && junk.every((c) => c.cp === 0x20 || c.cp === 0x09)
        ? 'end_spaces'
        : 'other';
  const consumers = ctx.consumers.length > 0 ? ctx.consumers : ALL_CLIENTS;
  const trims = (c: ClientModel) => ctx.trims?.[c] ?? rowOf(c).trims;
  const broken = consumers.filter((c) => !(trims(c) && trimmable));
  const harmless = consumers.filter((c) => trims(c) && trimmable);
  const reasons = new Map<string, ClientModel[]>();
  for (const c of broken) {
    const why = effect(c, damage, ctx.name);
    reasons.set(why, [...(reasons.get(why) ?? []), c]);
  }
  const labels = (cs: ClientModel[]) => cs.map((c) => CLIENT_LABEL[c]).join(' and ');
  const breaks = [...reasons].map(([why, cs]) => `${labels(cs)} (${why})`).join(', ');
  const detail = [
    `${who} has ${items.join(', ')}.`,
    breaks ? `${damage === 'end_spaces' ? 'This may break' : 'This breaks'} ${breaks}.` : '',
    harmless.length > 0
      ? `Harmless to ${labels(harmless)}, which ${harmless.length === 1 ? 'trims' : 'trim'} the value.`
      : '',
    a.inner.length > 0 ? 'Whitespace or invisible characters inside a key are never harmless.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const severity = ctx.consumers.length > 0 && broken.length === 0 ? 'warning' : 'error';

  const asciiSpaceOnly = junk.every((c) => c.cp === 0x20 || c.cp === 0x09 || c.cp === 0x0a || c.cp === 0x0d);
  const fix = LINT_FIX.whitespace(ctx, {
    what: items.join(', '),
    inner: a.inner.length > 0,
    keep: asciiSpaceOnly ? 'space' : anthropic ? 'key_alphabet' : 'graph',
    bearer: a.bearer?.text ?? null,
  });
  return finding('key.whitespace', detail, { fix, severity });
}

/** key_format findings for one value: at most one finding per id, details that never contain the value. */
export function lintKey(value: string, ctx: LintContext): Finding[] {
  if (value === '') return []; // empty: env.empty_var / key.missing belong to the caller
  const expects = ctx.expects ?? 'api_key';
  const fp = fingerprint(value);
  const who = `${ctx.name} from ${ctx.source} (${fp})`;
  const ph = placeholderInfo(value);
  if (ph)
    return [
      finding('key.placeholder', `${who} holds ${ph.what}, not a key.`, {
        fix: LINT_FIX.placeholder(ctx),
      }),
    ];

  const a = anatomy(value);
  const info = classify(a.core);
  const anthropic = ANTHROPIC_PREFIX.test(a.core);
  const out: Finding[] = [];

  if (a.bearer) {
    const word = a.bearer.text;
    out.push(
      finding(
        'key.bearer_prefix',
        `${who} starts with "${word.trimEnd()} " at position ${a.bearer.index + 1}. Clients add the ` +
          `scheme themselves, so the server receives "Bearer Bearer …" or a key that begins with "Bearer".`,
        {
          fix: LINT_FIX.bearerPrefix(ctx, word),
        },
      ),
    );
  }

  const ws = whitespaceFinding(a, ctx, who, anthropic);
  if (ws) out.push(ws);
  if (a.core === '') return out;

  if (info.kind === 'foreign') {
    if (expects !== 'any') {
      const f = info.foreign!;
      out.push(
        finding(
          'key.wrong_provider',
          `${who} is ${/^[AEIOU]/.test(info.provider!) ? 'an' : 'a'} ${info.provider} key ` +
            `(${info.prefix}…), not an Anthropic key.`,
          {
            fix: LINT_FIX.wrongProvider(ctx, info.provider!, f.envVar),
          },
        ),
      );
    }
    return out;
  }

  const format = info.format;
  if (info.kind === 'admin_key')
    out.push(
      finding(
        'key.admin_key',
        `${who} is an Admin API key (${info.prefix}…): it works only on /v1/organizations/*, never for inference.`,
      ),
    );
  if (info.kind === 'oauth_access' && expects === 'api_key') {
    out.push(
      finding(
        'key.oauth_token',
        `${who} is an OAuth access token (${info.prefix}…), not an API key: it only works as ` +
          `Authorization: Bearer with anthropic-beta: oauth-2025-04-20.`,
        {
          fix: LINT_FIX.oauthToken(ctx.name, ctx.consumers),
        },
      ),
    );
  }
  if (info.kind === 'oauth_refresh' || info.kind === 'session_cookie') {
    const what =
      info.kind === 'oauth_refresh'
        ? `an OAuth refresh token (${info.prefix}…): it is only exchanged for access tokens at the token endpoint and`
        : `a claude.ai browser session cookie (${info.prefix}…): it`;
    out.push(finding('key.wrong_token', `${who} is ${what} never authenticates an API request.`));
  }

  // Shape: where the key text starts, doubles, its alphabet and its length.
  const problems: string[] = [];
  let unusual = false;
  const coreAt = (i: number) => {
    // UTF-16 position in the raw value of the core's i-th character (inner junk skipped).
    let seen = 0;
    for (const c of chars(value, a.start, a.end)) {
      if (isJunk(c.cp) && !DASHES.has(c.cp)) continue;
      if (seen++ === i) return c.index + 1;
    }
    return a.end;
  };
  const later = anthropic ? 0 : a.core.search(/sk-ant-[a-z]{2,8}\d{0,3}-/);
  if (!anthropic) {
    if (later > 0)
      problems.push(
        `${later} characters come before its sk-ant- prefix (at position ${coreAt(later)}): a variable ` +
          `name or other text was pasted with it`,
      );
    else if (expects !== 'any')
      problems.push(
        `it does not start with an Anthropic prefix ` +
          `(${expects === 'oauth' ? 'sk-ant-oat01- for an OAuth token' : 'sk-ant-api03- for an API key'})`,
      );
  } else if (!format) {
    problems.push(`its type ${info.prefix} is not a known Anthropic credential`);
  }
  const pastedWith = !anthropic && later > 0;
  const twice = anthropic ? a.core.indexOf('sk-ant-', 1) : -1;
  if (twice > 0)
    problems.push(
      `it holds the sk-ant- prefix twice (the second at position ${coreAt(twice)}): the key was pasted twice`,
    );
  if (a.odd.length > 0 && !pastedWith && (anthropic || expects !== 'any')) {
    const list = a.odd
      .slice(0, 5)
      .map((c) => `"${String.fromCodePoint(c.cp)}" at position ${c.index + 1}`)
      .join(', ');
    problems.push(
      `it has characters no key has (only A–Z, a–z, 0–9, "_" and "-" belong): ` +
        `${list}${a.odd.length > 5 ? ` and ${a.odd.length - 5} more` : ''}`,
    );
  }
  let truncated: string | null = null;
  if (format && twice < 0) {
    const body = a.core.length - info.prefix.length;
    const current = info.version === format.current;
    if (!current) {
      unusual = true;
      problems.push(
        `its version ${info.type}${info.version} is unusual (current ones are ${info.type}${format.current})`,
      );
    }
    if (format.body !== undefined && current) {
      const total = info.prefix.length + format.body;
      if (body < format.body) {
        const noSuffix = body === format.body - KEY_SUFFIX.length && !a.core.endsWith(KEY_SUFFIX);
        truncated =
          `${who} has ${a.core.length} of ${total} ` +
          'characters' +
          (noSuffix
            ? `: the final "${KEY_SUFFIX}" every key ends with is missing`
            : ` (${total - a.core.length} missing)`) +
          '.';
      } else if (body > format.body) {
        problems.push(`it is too long: ${a.core.length} characters where ${format.what} has ${total}`);
      } else if (!a.core.endsWith(KEY_SUFFIX)) {
        problems.push(`it does not end in "${KEY_SUFFIX}" as every ${format.what.replace(/^an? /, '')} does`);
      }
    } else if (body < MIN_TOKEN_BODY) {
      truncated =
        `${who} has ${a.core.length} characters; ${format.what} has at least ` +
        `${info.prefix.length + MIN_TOKEN_BODY}.`;
    } else if (format.seenBody !== undefined && current && body < format.seenBody) {
      const total = info.prefix.length + format.seenBody;
      const missing = total - a.core.length;
      truncated =
        `${who} has ${a.core.length} of ${total} characters (${missing} missing): ` +
        `${format.what} is ${total} long.`;
    }
  }
  if (truncated)
    out.push(
      finding('key.truncated', truncated, {
        fix: LINT_FIX.truncated(ctx, info.kind === 'oauth_access'),
      }),
    );
  if (problems.length > 0) {
    out.push(
      finding(
        'key.malformed',
        `${who}: ${problems.join('; ')}.`,
        unusual && problems.length === 1 ? { severity: 'warning', title: 'The key has an unusual version' } : {},
      ),
    );
  }
  return out;
}
