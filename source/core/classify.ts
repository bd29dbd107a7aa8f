// An HTTP answer (live probe) or a pasted error -> a typed Answer and its findings. Pure: no I/O, no clock.
// Every message this file matches lives in MESSAGES below with its fact-sheet mark
// (../shared/reference/anthropic-auth-facts.md), so a drift in wording is a one-line change.
import { ANSWER_FIX, finding, FIX, ROTATION_STEPS, type FindingId } from './findings.js';
import { stripControl } from './redact.js';
import type {
  ClientModel,
  CredentialKind,
  Finding,
  HeaderStyle,
  NetworkErrorKind,
  PastedError,
  ProbeRequest,
  ProbeResult,
  Provider,
} from './types.js';
import { API_VERSION, BEARER_KEY_VERSION } from './api.js';

/** Case-insensitive substrings. Order matters: earlier entries are more specific (see bestLine). */
export const MESSAGES = {
  lineBreakInKey: { text: 'Invalid X-Api-Key header value from', mark: '§6 [V] Claude Code' },
  badAuthTokenChar: { text: 'Invalid auth token · Fix external auth token', mark: '§6 [V] Claude Code' },
  oauthBetaMissing: { text: 'OAuth authentication is currently not supported', mark: '§2 [V]+[O]' },
  oauthOrgForbids: { text: 'OAuth authentication is currently not allowed for this organization', mark: '§2 [O]' },
  oauthOrgForbidsCode: { text: 'oauth_not_allowed_for_organization', mark: '§2 [U] (403 variant)' },
  oauthExpired: { text: 'OAuth token has expired', mark: '§2 [O], §6 [V]' },
  loginExpired: { text: 'Login expired · Please run /login', mark: '§6 [V] Claude Code' },
  oauthSessionExpired: { text: 'OAuth session expired', mark: '§6 [V] Claude Code -p' },
  oauthRevoked: { text: 'OAuth token has been revoked', mark: '§2 [O], status [U]' },
  oauthRevokedCc: { text: 'OAuth token revoked', mark: '§6 [V] Claude Code' },
  invalidOauth: { text: 'Invalid OAuth token', mark: '§2 [O]' },
  claudeCodeOnly: { text: 'only authorized for use with Claude Code', mark: '§2 [O]' },
  oauthScope: { text: 'does not meet scope requirement', mark: '§2 [O]/[V]' },
  corsHeader: { text: 'CORS requests must set', mark: '§2 [O]' },
  corsOrg: { text: 'CORS requests are not allowed for this Organization', mark: '§2 [O]' },
  revokedCredentials: { text: 'Invalid authentication credentials', mark: '§2 [V]+[O]' },
  disabledOrgKey: { text: 'belongs to a disabled organization', mark: '§6 [V] Claude Code' },
  disabledOrg: { text: 'This organization has been disabled', mark: '§2 [O]' },
  orgNoApiKeys: { text: 'Your organization has disabled API key authentication', mark: '§6 [V] Claude Code' },
  orgNoSubscription: { text: 'Your organization has disabled Claude subscription access', mark: '§6 [V] Claude Code' },
  credit: { text: 'credit balance is too low', mark: '§2 [O], §6 [V]' },
  workspaceSpendLimit: { text: 'specified workspace API usage limits', mark: '§2 [V], §8 [V]' },
  spendLimit: { text: 'specified API usage limits', mark: '§2 [V]' },
  monthlyCap: { text: 'monthly API usage threshold', mark: '§2 [V]' },
  spendCapCode: { text: 'enforced_spend_limit_reached', mark: '§2 [V] (429, no retry-after)' },
  versionMissing: { text: 'anthropic-version: header is required', mark: '§2 [O]' },
  versionInvalid: { text: 'is not a valid version', mark: '§2 [O]' },
  workspaceRequired: { text: 'anthropic-workspace-id is required', mark: '§8 [O]' },
  workspaceNotScoped: { text: 'not scoped to a workspace', mark: '§8 [O]' },
  selectedModel: { text: "There's an issue with the selected model", mark: '§6 [V] Claude Code' },
  requestNotAllowed: { text: 'Request not allowed', mark: '§2 [V] (403 forbidden, no request_id)' },
  tooLarge: { text: 'Request exceeds the maximum size', mark: '§2 [O]+[V] (413, no request_id)' },
  notLoggedIn: { text: 'Not logged in', mark: '§6 [V] Claude Code' },
  noAuthMethod: { text: 'Could not resolve authentication method', mark: '§5 [V] SDKs (1.17: CredentialsError)' },
  missingApiKeyCc: { text: 'Missing API key · Run /login', mark: '§6 [O] older Claude Code' },
  invalidXApiKey: { text: 'invalid x-api-key', mark: '§2 [O]' },
  invalidApiKeyCc: { text: 'Invalid API key', mark: '§6 [V] Claude Code' },
  xApiKeyRequired: { text: 'x-api-key header is required', mark: '§2 [O]' },
  invalidBearer: { text: 'Invalid bearer token', mark: '§2 [O]' },
  permissionDenied: { text: 'Permission denied', mark: '§2 [O]' },
} as const satisfies Record<string, { text: string; mark: string }>;
type MessageKey = keyof typeof MESSAGES;

/** Non-substring shapes (all bounded, linear). */
const PATTERNS = {
  /** 404 `model: <id>` — §2 [O]. */
  unknownModel: /^model:[ \t]{0,4}(\S{1,200})/i,
  /** Claude Code `... selected model (claude-...)` — §6 [V]. */
  selectedModelId: /selected model \(([^)\s]{1,200})\)/i,
  /** Claude Code line-break detail — §6 [V]. */
  lineBreakAt: /line break at character (\d{1,6})/i,
  /** `OAuth token does not meet scope requirement user:profile` — §2 [O]/[V]. */
  scopeNeeded: /scope requirement:?[ \t]{0,3}([^\n]{1,200})/i,
  /** `anthropic-version: "<value>" is not a valid version` — §2 [O]. */
  badVersion: /anthropic-version:[ \t]{0,3}"([^"\n]{0,100})"/i,
} as const;

/** Provider failure markers (§7 [O]/[V]). Upper-case status names are matched case-sensitively. */
const PROVIDER_MARKERS = {
  bedrock: [
    'UnrecognizedClientException',
    'ExpiredTokenException',
    'AccessDeniedException',
    'The security token included in the request is',
    'bedrock:InvokeModel',
    'aws-marketplace:',
    'Could not load credentials from any providers',
    'AWS credentials expired or invalid',
    'AWS authentication failed',
    'bedrock-runtime.',
  ],
  vertex: [
    // Google ADC refresh failures (public issue threads [O]): the login expired or needs re-authentication.
    'invalid_rapt',
    'reauth related error',
    'google.auth.exceptions',
    'aiplatform.endpoints.predict',
    'Request had invalid authentication credentials',
    'Request is missing required authentication credential',
    'aiplatform.googleapis.com',
    'Could not load the default credentials',
    'is not allowed to use Publisher Model',
    'requires data sharing to be enabled for publisher',
  ],
  vertexExact: ['PERMISSION_DENIED', 'UNAUTHENTICATED', 'CREDENTIALS_MISSING'],
  foundry: ['ChainedTokenCredential', 'azureADTokenProvider', 'services.ai.azure.com', 'ANTHROPIC_FOUNDRY_API_KEY'],
} as const;

/** Claude Code output markers (§6 [V]); matched case-sensitively as Claude Code prints them. */
const CLAUDE_CODE_MARKERS = [
  'Please run /login',
  'Fix external API key',
  'Fix external auth token',
  'Invalid API key ·',
  'Not logged in ·',
  'Credit balance is too low',
  'Failed to authenticate',
  "There's an issue with the selected model",
  'Invalid X-Api-Key header value from',
  'belongs to a disabled organization',
  'OAuth token revoked',
  'Login expired',
  'Your organization has disabled',
  'apiKeyHelper',
  'Run /model',
  'Run /login',
  'API Error:',
];

/** Documented error type -> status (§2 [V]); used only when a pasted text shows a type but no status. */
const TYPE_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * [U] fact sheet §5 / open question 10: that the API accepts an API key as `Authorization: Bearer`
 * under this version only. @anthropic-ai/sdk 1.x ships it; no Anthropic statement says so.
 */
export { BEARER_KEY_VERSION };
/** The version under which an API key belongs in x-api-key (§2 [V]). */
export const X_API_KEY_VERSION = API_VERSION;

const MAX_SHOWN = 300;
const JSON_ATTEMPTS = 24;
const JSON_BUDGET = 1 << 20;
const REQUEST_ID = /\breq_[A-Za-z0-9]{16,64}(?![A-Za-z0-9_])/;

// ---------------------------------------------------------------------------------------------
// Text helpers

/** One line for a detail: controls removed, whitespace collapsed, capped. */
function shown(text: string, max = MAX_SHOWN): string {
  const s = stripControl(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MESSAGE_ENTRIES = (Object.keys(MESSAGES) as MessageKey[]).map((key) => ({
  key,
  lc: MESSAGES[key].text.toLowerCase(),
  re: new RegExp(escapeRegExp(MESSAGES[key].text), 'i'),
}));

/** The line of `text` around index `i`, capped on both sides (bounded work). */
function lineAround(text: string, i: number): string {
  const from = Math.max(text.lastIndexOf('\n', i) + 1, i - 400);
  const nl = text.indexOf('\n', i);
  const to = Math.min(nl === -1 ? text.length : nl, i + 400);
  return text.slice(from, to);
}

/** A line that echoes a request header (curl -v `> x-api-key: …`) may hold a secret: never use it. */
function isRequestHeaderLine(line: string): boolean {
  return /^\s{0,4}>/.test(line) || /(?:x-api-key|authorization|api-key|cookie)[ \t]{0,3}:/i.test(line);
}

/** Summary of a non-JSON body: tags dropped, first meaningful line (HTML title when present). */
export function textSummary(body: string): string | null {
  const clean = stripControl(body.slice(0, 64 * 1024));
  const title = /<title>([^<]{1,200})<\/title>/i.exec(clean);
  if (title) return shown(title[1]!);
  const text = clean.replace(/<[^>]{0,500}>/g, ' ');
  for (const line of text.split('\n')) {
    const s = line.trim();
    if (s && !isRequestHeaderLine(s)) return shown(s, 200);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// A tolerant literal reader: JSON, and Python's dict repr ('single quotes', True/False/None).

class LiteralReader {
  steps = 0;
  constructor(
    private readonly s: string,
    public i: number,
    private readonly budget: number,
  ) {}

  private ws(): void {
    for (;;) {
      const c = this.s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return;
      this.i++;
      if (++this.steps > this.budget) throw new Error('limit');
    }
  }

  value(depth = 0): unknown {
    if (depth > 24 || ++this.steps > this.budget) throw new Error('limit');
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"' || c === "'") return this.string();
    const word = /^(?:true|false|null|True|False|None|-?\d{1,20}(?:\.\d{1,20})?(?:[eE][+-]?\d{1,4})?)/.exec(
      this.s.slice(this.i, this.i + 48),
    );
    if (!word) throw new Error('token');
    this.i += word[0].length;
    const w = word[0];
    if (w === 'true' || w === 'True') return true;
    if (w === 'false' || w === 'False') return false;
    if (w === 'null' || w === 'None') return null;
    return Number(w);
  }

  private object(depth: number): Record<string, unknown> {
    const out = Object.create(null) as Record<string, unknown>;
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      const q = this.s[this.i];
      if (q !== '"' && q !== "'") throw new Error('key');
      const key = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') throw new Error('colon');
      out[key] = this.value(depth + 1);
      this.ws();
      const sep = this.s[this.i++];
      if (sep === '}') return out;
      if (sep !== ',') throw new Error('sep');
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const sep = this.s[this.i++];
      if (sep === ']') return out;
      if (sep !== ',') throw new Error('sep');
    }
  }

  private string(): string {
    const quote = this.s.charCodeAt(this.i++);
    const parts: string[] = [];
    let run = this.i;
    while (this.i < this.s.length) {
      if (++this.steps > this.budget) throw new Error('limit');
      const c = this.s.charCodeAt(this.i);
      if (c !== quote && c !== 0x5c && c !== 0x0a) {
        this.i++;
        continue;
      }
      parts.push(this.s.slice(run, this.i));
      this.i++;
      if (c === quote) return parts.join('');
      if (c === 0x5c) parts.push(this.escape());
      // a raw line break: a terminal wrapped the line; drop it
      run = this.i;
    }
    throw new Error('unterminated');
  }

  private escape(): string {
    const e = this.s[this.i++];
    const hex = (len: number) => {
      const h = this.s.slice(this.i, this.i + len);
      if (h.length !== len || !/^[0-9a-fA-F]+$/.test(h)) throw new Error('escape');
      this.i += len;
      const cp = parseInt(h, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    };
    switch (e) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'u':
        return hex(4);
      case 'x':
        return hex(2);
      case 'U':
        return hex(8);
      default:
        return e ?? '';
    }
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** What an error body says, whatever envelope it uses. Shared with io/probe.ts. */
export interface ErrorFields {
  type: string | null;
  message: string | null;
  requestId: string | null;
  code: string | null;
  /** A numeric status inside the body (Google envelopes). */
  status: number | null;
  shape: 'anthropic' | 'anthropic-edge' | 'openai' | 'google' | 'aws' | 'other';
}

export function errorFieldsFromJson(json: unknown): ErrorFields {
  const o: unknown = Array.isArray(json) && json.length > 0 ? (json as unknown[])[0] : json;
  const none: ErrorFields = { type: null, message: null, requestId: null, code: null, status: null, shape: 'other' };
  if (!isObj(o)) return none;
  const e = o.error;
  if (isObj(e)) {
    const details = isObj(e.details) ? e.details : null;
    const fields: ErrorFields = {
      ...none,
      type: str(e.type) ?? str(e.status),
      message: str(e.message),
      requestId: str(o.request_id),
      code: str(details?.error_code) ?? (typeof e.code === 'string' ? e.code : null),
    };
    if (o.type === 'error') return { ...fields, shape: 'anthropic' };
    if (typeof e.code === 'number' && typeof e.status === 'string')
      return { ...fields, status: e.code, shape: 'google' };
    if ('code' in e || 'param' in e) return { ...fields, shape: 'openai' };
    // `{"error":{"type":"forbidden","message":"Request not allowed"}}` comes from Anthropic's edge.
    const edge =
      fields.message !== null &&
      [MESSAGES.requestNotAllowed, MESSAGES.tooLarge].some((m) => fields.message!.includes(m.text));
    return { ...fields, shape: edge ? 'anthropic-edge' : 'other' };
  }
  const message = str(o.message) ?? str(o.Message) ?? str(o.detail) ?? (typeof e === 'string' ? e : null);
  const awsType = str(o.__type);
  if (awsType) return { ...none, type: awsType.slice(awsType.lastIndexOf('#') + 1), message, shape: 'aws' };
  return { ...none, message, type: str(o.type), requestId: str(o.request_id) };
}

/** Where an error object may start, most likely first: the Anthropic envelope, `{"error":`, any object. */
const OBJECT_STARTS = [
  /\{\s{0,8}["']type["']\s{0,4}:\s{0,4}["']error["']/g,
  /\{\s{0,8}["']error["']\s{0,4}:/g,
  /\{\s{0,8}["']/g,
];

/** Finds the most error-like object literal in free text (bounded attempts and steps). */
function findErrorObject(text: string): { value: unknown; fields: ErrorFields } | null {
  let best: { value: unknown; fields: ErrorFields; score: number } | null = null;
  let budget = JSON_BUDGET;
  const tried = new Set<number>();
  for (const start of OBJECT_STARTS) {
    // A fresh RegExp per call: a global pattern's lastIndex is state, and core keeps none.
    const pattern = new RegExp(start.source, start.flags);
    for (let attempts = 0; attempts < JSON_ATTEMPTS && budget > 0;) {
      const m = pattern.exec(text);
      if (!m) break;
      if (tried.has(m.index)) continue;
      tried.add(m.index);
      attempts++;
      const reader = new LiteralReader(text, m.index, budget);
      try {
        const value = reader.value();
        pattern.lastIndex = Math.max(pattern.lastIndex, reader.i);
        const fields = errorFieldsFromJson(value);
        const score =
          fields.shape === 'anthropic' ? 4 : fields.message !== null ? (isObj((value as Obj).error) ? 3 : 2) : 1;
        if (!best || score > best.score) best = { value, fields, score };
        if (score === 4) return best;
      } catch {
        // not a literal here; try the next start
      } finally {
        budget -= reader.steps;
      }
    }
    if (best && best.score >= 3) return best;
  }
  return best;
}

function hasMarker(text: string, markers: readonly string[], caseSensitive = false): boolean {
  if (caseSensitive) return markers.some((m) => text.includes(m));
  const lc = text.toLowerCase();
  return markers.some((m) => lc.includes(m.toLowerCase()));
}

const PROVIDER_LINES = [
  ...PROVIDER_MARKERS.bedrock,
  ...PROVIDER_MARKERS.vertex,
  ...PROVIDER_MARKERS.vertexExact,
  ...PROVIDER_MARKERS.foundry,
];
function detectProvider(text: string): ProviderName | null {
  if (hasMarker(text, PROVIDER_MARKERS.bedrock)) return 'bedrock';
  if (hasMarker(text, PROVIDER_MARKERS.vertex) || hasMarker(text, PROVIDER_MARKERS.vertexExact, true)) return 'vertex';
  if (hasMarker(text, PROVIDER_MARKERS.foundry)) return 'foundry';
  return null;
}

/**
 * Texts that name no provider but mean one when the client is set to use it: Google's token
 * endpoint refusing ADC (`invalid_grant`) under Vertex, a client that found no credential under
 * Foundry (`Could not resolve authentication method`: ANTHROPIC_FOUNDRY_API_KEY is missing).
 */
function providerBySetting(text: string, ctx: ClassifyContext): ProviderName | null {
  const lc = text.toLowerCase();
  if (ctx.provider === 'vertex' && lc.includes('invalid_grant')) return 'vertex';
  if (ctx.provider === 'foundry' && lc.includes(MESSAGES.noAuthMethod.text.toLowerCase())) return 'foundry';
  return null;
}

/**
 * @anthropic-ai/sdk ≥ 1.17 (fact sheet §5, observed): `APIError.message` is
 * `<status> <API message> (error_code: …, request_id: …, path: …, type: …)`, any of the four in
 * that order, optionally followed by a details JSON block; the class name comes first when the
 * error is printed (`AuthenticationError: 401 …`).
 */
const SDK1_ERROR = new RegExp(
  String.raw`(?:^|[\s:])(?:[A-Z][A-Za-z]{0,60}Error: )?([1-5]\d\d) ([^\n]{1,1000}?) ` +
    String.raw`\(((?:error_code|request_id|path|type): [^()\n]{1,400})\)`,
);
/** Its transport errors: `Connection to HOST failed: …`, `Request to HOST timed out[ after Ns]`. */
const SDK1_NETWORK = /\b(Connection|Request) to ([^\s/]{1,300}) (failed|timed out)\b/;

function sdk1Error(text: string): PastedError | null {
  const m = SDK1_ERROR.exec(text);
  if (!m) return null;
  const fields: Record<string, string> = {};
  for (const part of m[3]!.split(', ')) {
    const i = part.indexOf(': ');
    if (i > 0) fields[part.slice(0, i)] = part.slice(i + 2).trim();
  }
  const requestId = fields.request_id && /^req_\w+$/.test(fields.request_id) ? fields.request_id : null;
  return {
    status: Number(m[1]),
    requestId,
    errorType: fields.type ?? null,
    errorMessage: shown(m[2]!, 500),
    form: 'sdk-ts',
  };
}

function sdk1Network(text: string): PastedError | null {
  const m = SDK1_NETWORK.exec(text);
  if (!m || (m[1] === 'Connection') !== (m[3] === 'failed')) return null;
  const kind: NetworkErrorKind = m[3] === 'failed' ? 'unreachable' : 'timeout';
  return {
    status: null,
    requestId: null,
    errorType: null,
    errorMessage: shown(lineAround(text, m.index), 500),
    form: 'sdk-ts',
    network: { kind, host: m[2]! },
  };
}

function statusFromText(text: string): number | null {
  let last: number | null = null;
  const statusLine = /HTTP\/[0-9.]{1,3}[ \t]{1,3}([1-5]\d\d)/g;
  for (let m = statusLine.exec(text); m; m = statusLine.exec(text)) {
    const s = Number(m[1]);
    if (s >= 200) last = s;
  }
  if (last !== null) return last;
  const patterns = [
    /\b(?:API Error|Error code|status[ _]?code|status)["']?[ \t]{0,2}[:=]?[ \t]{0,3}-?[ \t]{0,3}([1-5]\d\d)\b/i,
    /(?:^|[\s:])([1-5]\d\d) [{[]/m,
    new RegExp(
      '\\b([1-5]\\d\\d) (?:Unauthorized|Forbidden|Bad Request|Not Found|Too Many Requests' +
        '|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|page not fo' +
        'und)',
      'i',
    ),
  ];
  for (const re of patterns) {
    const m = re.exec(text);
    if (m) return Number(m[1]);
  }
  return null;
}

/** The known message (in table order) that the text contains, with its line. */
function bestLine(text: string): { key: MessageKey; line: string } | null {
  const lc = text.toLowerCase();
  for (const entry of MESSAGE_ENTRIES) {
    if (!lc.includes(entry.lc)) continue;
    const m = entry.re.exec(text);
    const line = m ? lineAround(text, m.index) : '';
    if (m && !isRequestHeaderLine(line)) return { key: entry.key, line };
  }
  return null;
}

function firstLine(text: string, markers: readonly string[]): string | null {
  for (const marker of markers) {
    const i = text.indexOf(marker);
    const line = i === -1 ? '' : lineAround(text, i);
    if (line && !isRequestHeaderLine(line)) return line;
  }
  return null;
}

/**
 * Understands an error a user pasted: which client printed it (form), its status, request id,
 * error type and message. Null when the text shows no error. Never throws; linear time.
 */
export function parsePastedError(text: string): PastedError | null {
  try {
    if (typeof text !== 'string') return null;
    const clean = stripControl(text);
    if (!clean.trim()) return null;
    const sdk1 = sdk1Error(clean) ?? sdk1Network(clean);
    if (sdk1) return sdk1;

    const obj = findErrorObject(clean);
    const fields = obj?.fields ?? null;
    const idMatch = REQUEST_ID.exec(clean);
    const requestId = fields?.requestId && /^req_/.test(fields.requestId) ? fields.requestId : (idMatch?.[0] ?? null);
    const known = bestLine(clean);

    const provider = detectProvider(clean);
    const gatewayBody =
      fields?.shape === 'openai' ||
      /404 page not found/i.test(clean) ||
      /<!doctype html|<html[\s>]/i.test(clean) ||
      /<Code>[^<]{1,100}<\/Code>/.test(clean);
    let form: string;
    if (provider === 'bedrock' || provider === 'vertex') form = provider;
    else if (gatewayBody && !requestId) form = 'gateway';
    else if (hasMarker(clean, CLAUDE_CODE_MARKERS, true)) form = 'claude-code';
    else if (/Error code: [1-5]\d\d - /.test(clean) || /\{'type': 'error'/.test(clean)) form = 'sdk-py';
    else if (/(?:^|\n)[ \t]{0,4}(?:<[ \t])?HTTP\/[0-9.]{1,3}[ \t]{1,3}[1-5]\d\d/.test(clean)) form = 'curl';
    else if (/(?:^|[\s(])(?:[A-Za-z.]{0,60}Error: )?[1-5]\d\d \{/.test(clean)) form = 'sdk-ts';
    // Thrown before any request (no status): the stack says which SDK (`Could not resolve authentication method`).
    else if (/Traceback|anthropic\/_client\.py|TypeError: "Could not/.test(clean)) form = 'sdk-py';
    else if (/CredentialsError|at Anthropic\.|@anthropic-ai\/sdk/.test(clean)) form = 'sdk-ts';
    else form = 'text';

    let status = statusFromText(clean) ?? fields?.status ?? null;
    const errorType = fields?.type ?? null;
    if (status === null && errorType && TYPE_STATUS[errorType]) status = TYPE_STATUS[errorType]!;

    // A nested body's message is the most exact; otherwise the line holding the most specific known
    // message (Claude Code prints its own lines, e.g. the line-break case never reaches the API).
    let errorMessage = fields?.message ?? known?.line ?? null;
    if (errorMessage === null && form === 'claude-code') errorMessage = firstLine(clean, CLAUDE_CODE_MARKERS);
    if (errorMessage === null && provider) errorMessage = firstLine(clean, PROVIDER_LINES);
    if (errorMessage === null && (gatewayBody || status !== null)) errorMessage = textSummary(clean);
    const awsException =
      provider === 'bedrock' ? (/\b([A-Z][A-Za-z]{2,60}Exception)\b/.exec(clean)?.[1] ?? null) : null;

    const recognised =
      status !== null || known !== null || fields?.message != null || provider !== null || form !== 'text';
    if (!recognised) return null;
    return {
      status,
      requestId,
      errorType: errorType ?? awsException,
      errorMessage: errorMessage === null ? null : shown(errorMessage, 500),
      form,
    };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Classification

export interface ClassifyContext {
  /** What the tool knows it sent; for a pasted error: what the failing client sends. */
  sentAs: HeaderStyle;
  credentialKind: CredentialKind | null;
  anthropicVersion: string | null;
  oauthBeta: boolean;
  client?: ClientModel;
  /** The answer came from ANTHROPIC_BASE_URL, not the official API. */
  viaBaseUrl?: boolean;
  model?: string | null;
  /** The client model was assumed (none found in the project): no fix may install or pin it. */
  clientAssumed?: boolean;
  /** Where the failing client sends requests (CLAUDE_CODE_USE_VERTEX/FOUNDRY…): reads a pasted text's cause. */
  provider?: Provider;
}

/**
 * Why a request was refused, as the message table reads it (one value per meaning; the wording
 * that maps to it lives only in MESSAGES). Steps decide on these, never on message text.
 */
export type MessageRefusal =
  | 'line_break' // Claude Code refused to send a key with a line break
  | 'bad_token_char' // Claude Code refused a token a header cannot carry
  | 'oauth_org_forbids'
  | 'oauth_beta_missing' // an OAuth Bearer token without anthropic-beta: oauth-2025-04-20
  | 'oauth_expired'
  | 'oauth_revoked'
  | 'oauth_invalid'
  | 'subscription_only'
  | 'oauth_scope'
  | 'cors'
  | 'credentials_revoked'
  | 'org_disabled'
  | 'org_no_api_keys'
  | 'org_no_subscription'
  | 'credit'
  | 'spend_limit'
  | 'version'
  | 'workspace_required'
  | 'model'
  | 'request_not_allowed'
  | 'not_logged_in'
  | 'missing_key' // the server saw no x-api-key
  | 'bearer_refused' // "Invalid bearer token"
  | 'unknown_key' // "invalid x-api-key": the API does not know this key (yet)
  | 'permission';
/** `unrecognised`: refused, but no known message says why (the status alone speaks). */
export type Refusal = MessageRefusal | 'unrecognised';

export type ProviderName = 'bedrock' | 'vertex' | 'foundry';

/** What an answer means. */
export type Answer =
  | { kind: 'accepted' }
  | { kind: 'rejected'; status: number | null; reason: Refusal }
  /** 429 without a known spend-cap message, 529, 5xx: worth trying again later. */
  | { kind: 'transient'; status: number | null; retryAfterSeconds: number | null }
  /** A gateway, proxy or cloud provider answered; `said` is what its text means in the table, if anything. */
  | { kind: 'not_anthropic'; status: number | null; provider: ProviderName | null; said: Refusal | null }
  /** No (complete) answer: the transport failed. */
  | { kind: 'network'; network: NetworkErrorKind; status: number | null };

export interface Classification {
  answer: Answer;
  findings: Finding[];
}

/** What the answer says was refused, whether the API or a gateway said it; null when nothing was. */
export function refusalIn(answer: Answer): Refusal | null {
  switch (answer.kind) {
    case 'rejected':
      return answer.reason;
    case 'not_anthropic':
      return answer.said;
    case 'accepted':
    case 'transient':
    case 'network':
      return null;
    default: {
      const never: never = answer;
      return never;
    }
  }
}

/** Transient answers worth a retry: 429 with retry-after (not a spend cap), 529, 5xx, resets. */
export function isTransient(
  r: Pick<ProbeResult, 'network' | 'status' | 'retryAfterSeconds' | 'errorCode' | 'errorMessage'>,
): boolean {
  if (r.network) return r.network.kind === 'reset';
  if (r.status === null) return false;
  if (r.status === 429) return r.retryAfterSeconds !== null && !isSpendCap(r.errorCode ?? null, r.errorMessage ?? '');
  return r.status >= 500;
}

/** The answer came from the Anthropic API: a `req_` request id, or the error envelope. */
export function isAnthropicAnswer(r: ProbeResult): boolean {
  return (r.requestId !== null && r.requestId.startsWith('req_')) || r.anthropicEnvelope;
}

function isSpendCap(code: string | null, message: string): boolean {
  return code === MESSAGES.spendCapCode.text || message.toLowerCase().includes(MESSAGES.monthlyCap.text.toLowerCase());
}

/** One normalised view of either kind of answer. */
interface View {
  status: number | null;
  requestId: string | null;
  type: string | null;
  message: string;
  code: string | null;
  retryAfter: number | null;
  /** Evidence that the answer did not come from the Anthropic API. */
  gateway: boolean;
  /** Lower-case text to match known messages in. */
  hay: string;
  provider: ProviderName | null;
  pasted: PastedError | null;
  probe: ProbeResult | null;
}

function toView(answer: ProbeResult | PastedError, ctx: ClassifyContext): View {
  if ('form' in answer) {
    const message = answer.errorMessage ? stripControl(answer.errorMessage) : '';
    const type = answer.errorType;
    const status = answer.status ?? (type && TYPE_STATUS[type] ? TYPE_STATUS[type] : null);
    const provider =
      answer.form === 'bedrock' || answer.form === 'vertex'
        ? answer.form
        : (detectProvider(`${message}\n${type ?? ''}`) ?? providerBySetting(`${message}\n${type ?? ''}`, ctx));
    return {
      status,
      requestId: answer.requestId,
      type,
      message,
      code: null,
      retryAfter: null,
      gateway: answer.form === 'gateway',
      hay: `${message}\n${type ?? ''}`.toLowerCase(),
      provider,
      pasted: answer,
      probe: null,
    };
  }
  const message = answer.errorMessage ? stripControl(answer.errorMessage) : '';
  const body = stripControl(answer.bodySnippet ?? '');
  const anthropic = isAnthropicAnswer(answer);
  const edge =
    !anthropic &&
    [MESSAGES.requestNotAllowed, MESSAGES.tooLarge].some((m) => message.includes(m.text)) &&
    !/"code"/.test(body);
  const status = answer.status;
  // A 5xx from the official host without a request id is still the API's trouble, not a gateway.
  const serverTrouble = status !== null && status >= 500 && !ctx.viaBaseUrl;
  return {
    status,
    requestId: answer.requestId,
    type: answer.errorType,
    message,
    code: answer.errorCode ?? null,
    retryAfter: answer.retryAfterSeconds,
    gateway: !anthropic && !edge && !serverTrouble && status !== null && status >= 300,
    hay: `${message}\n${answer.errorType ?? ''}\n${answer.errorCode ?? ''}\n${body}`.toLowerCase(),
    provider: anthropic ? null : detectProvider(`${message}\n${answer.errorType ?? ''}\n${body}`),
    pasted: null,
    probe: answer,
  };
}

const has = (v: View, key: MessageKey) => v.hay.includes(MESSAGES[key].text.toLowerCase());

/** The evidence sentence every detail starts with: status, type, exact message, request id. */
function evidence(v: View): string {
  const where = v.pasted ? `The pasted error (${v.pasted.form})` : `${v.probe!.method} ${v.probe!.url}`;
  const parts = [
    v.status !== null ? `HTTP ${v.status}` : null,
    v.type,
    v.message ? `"${shown(v.message)}"` : null,
  ].filter(Boolean);
  const id = v.requestId ? ` (request-id ${v.requestId})` : v.pasted ? '' : ' (no request-id)';
  return `${where}: ${parts.length ? parts.join(' ') : 'no status or message'}${id}.`;
}

const sent = (ctx: ClassifyContext) =>
  ctx.sentAs === 'none'
    ? 'no credential header'
    : ctx.sentAs === 'both'
      ? 'both x-api-key and Authorization'
      : ctx.sentAs === 'authorization'
        ? 'Authorization: Bearer'
        : 'x-api-key';

/** Known messages, in priority order. Null when none matched. */
/** What a refusal means, read from the message table in priority order. Null when no known message matched. */
function refusalOf(v: View): MessageRefusal | null {
  if (has(v, 'lineBreakInKey')) return 'line_break';
  if (has(v, 'badAuthTokenChar')) return 'bad_token_char';
  if (has(v, 'oauthOrgForbids') || has(v, 'oauthOrgForbidsCode') || v.code === MESSAGES.oauthOrgForbidsCode.text)
    return 'oauth_org_forbids';
  if (has(v, 'oauthBetaMissing')) return 'oauth_beta_missing';
  if (has(v, 'oauthExpired') || has(v, 'loginExpired') || has(v, 'oauthSessionExpired')) return 'oauth_expired';
  if (has(v, 'oauthRevoked') || has(v, 'oauthRevokedCc')) return 'oauth_revoked';
  if (has(v, 'invalidOauth')) return 'oauth_invalid';
  if (has(v, 'claudeCodeOnly')) return 'subscription_only';
  if (has(v, 'oauthScope')) return 'oauth_scope';
  if (has(v, 'corsHeader') || has(v, 'corsOrg')) return 'cors';
  if (has(v, 'revokedCredentials')) return 'credentials_revoked';
  if (has(v, 'disabledOrgKey') || has(v, 'disabledOrg')) return 'org_disabled';
  if (has(v, 'orgNoApiKeys')) return 'org_no_api_keys';
  if (has(v, 'orgNoSubscription')) return 'org_no_subscription';
  if (has(v, 'credit')) return 'credit';
  if (has(v, 'workspaceSpendLimit') || has(v, 'spendLimit') || isSpendCap(v.code, v.hay)) return 'spend_limit';
  if (has(v, 'versionMissing') || (has(v, 'versionInvalid') && v.hay.includes('anthropic-version'))) return 'version';
  if (has(v, 'workspaceRequired') || has(v, 'workspaceNotScoped')) return 'workspace_required';
  if (has(v, 'selectedModel') || (v.status === 404 && PATTERNS.unknownModel.test(v.message))) return 'model';
  if (has(v, 'requestNotAllowed') && (v.status === 403 || v.status === null)) return 'request_not_allowed';
  if (has(v, 'notLoggedIn') || has(v, 'missingApiKeyCc') || has(v, 'noAuthMethod')) return 'not_logged_in';
  if (has(v, 'xApiKeyRequired')) return 'missing_key';
  if (has(v, 'invalidBearer')) return 'bearer_refused';
  if (has(v, 'invalidXApiKey') || has(v, 'invalidApiKeyCc')) return 'unknown_key';
  if (has(v, 'permissionDenied') || (v.status === 403 && v.type === 'permission_error')) return 'permission';
  return null;
}

/** The findings for a refusal the message table recognised. */
function refusalFindings(reason: MessageRefusal, v: View, ctx: ClassifyContext): Finding[] {
  const ev = evidence(v);
  const kind = ctx.credentialKind;
  const apiKeyish = kind === 'api_key' || kind === null || kind === 'unknown';
  switch (reason) {
    case 'line_break': {
      const at = PATTERNS.lineBreakAt.exec(v.message)?.[1];
      return [
        finding(
          'key.whitespace',
          `${ev} Claude Code refused to send the key: ANTHROPIC_API_KEY contains a line ` +
            `break${at ? ` at character ${at}` : ''}; the request never left the machine.`,
          {
            fix: [...ANSWER_FIX.lineBreakInKey],
          },
        ),
      ];
    }
    case 'bad_token_char': {
      return [
        finding(
          'key.whitespace',
          `${ev} Claude Code refused ANTHROPIC_AUTH_TOKEN or CLAUDE_CODE_OAUTH_TOKEN: it contains a ` +
            `character a header cannot carry (a line break, space or invisible character); the request ` +
            `never left the machine.`,
        ),
      ];
    }
    case 'oauth_org_forbids': {
      return [
        finding(
          'scope.permission',
          `${ev} The organization forbids OAuth authentication: its tokens (Claude Code /login, ` +
            `setup-token) are refused for this org.`,
          {
            fix: [...ANSWER_FIX.oauthOrgForbids],
          },
        ),
      ];
    }
    case 'oauth_beta_missing': {
      const beta = ctx.oauthBeta
        ? ' The beta header was sent, so the token itself is not usable this way.'
        : ' It was sent without anthropic-beta: oauth-2025-04-20, which the API needs before it accepts an ' +
          'OAuth Bearer token at all.';
      return [
        finding('header.oauth_beta', `${ev} An OAuth token went in Authorization: Bearer.${beta}`, {
          fix: [...ANSWER_FIX.oauthBetaMissing],
        }),
      ];
    }
    case 'oauth_expired': {
      return [finding('oauth.expired', `${ev} The OAuth access token has expired and was not refreshed.`)];
    }
    case 'oauth_revoked': {
      return [
        finding(
          'key.invalid',
          `${ev} The OAuth token has been revoked (signed out elsewhere, or the token was withdrawn).`,
          { fix: [...ANSWER_FIX.oauthRelogin] },
        ),
      ];
    }
    case 'oauth_invalid': {
      return [
        finding(
          'key.invalid',
          `${ev} The OAuth token was not found or is malformed (a truncated copy, or a token that never existed).`,
          { fix: [...ANSWER_FIX.oauthRelogin] },
        ),
      ];
    }
    case 'subscription_only': {
      return [
        finding(
          'auth.subscription_vs_api',
          `${ev} The credential belongs to a Claude subscription and only works inside Claude Code.`,
        ),
      ];
    }
    case 'oauth_scope': {
      const scope = PATTERNS.scopeNeeded.exec(v.message)?.[1]?.trim();
      return [
        finding(
          'scope.permission',
          `${ev} The OAuth token lacks the scope ${scope ? `"${shown(scope, 200)}"` : 'this request needs'}.`,
          {
            fix: [...ANSWER_FIX.oauthScope],
          },
        ),
      ];
    }
    case 'cors': {
      const org = has(v, 'corsOrg');
      return [
        finding(
          'scope.permission',
          `${ev} The request came from a browser (it carried an Origin header): ` +
            (org
              ? "the organization's settings forbid browser access"
              : 'the API refuses browser requests that do not opt in with the ' +
                'anthropic-dangerous-direct-browser-access header') +
            '.',
          {
            fix: org ? [...ANSWER_FIX.corsOrg] : [...ANSWER_FIX.corsHeader],
          },
        ),
      ];
    }
    case 'credentials_revoked': {
      return [
        finding(
          'key.invalid',
          `${ev} The credential is recognised but no longer accepted: it was revoked, its organization ` +
            `was disabled or removed your access, or the account was deactivated.`,
          {
            fix: [...ANSWER_FIX.credentialsRevoked],
          },
        ),
      ];
    }
    case 'org_disabled': {
      const cc = has(v, 'disabledOrgKey') || ctx.client === 'claude-code';
      return [
        finding('org.disabled', `${ev} The organization this key belongs to is disabled.`, {
          fix: cc ? [...ANSWER_FIX.orgDisabledClaudeCode] : [],
        }),
      ];
    }
    case 'org_no_api_keys': {
      return [
        finding('scope.permission', `${ev} The organization has disabled API key authentication for Claude Code.`, {
          fix: [...ANSWER_FIX.orgNoApiKeys],
        }),
      ];
    }
    case 'org_no_subscription': {
      return [
        finding('scope.permission', `${ev} The organization has disabled Claude subscription access for Claude Code.`, {
          fix: [...ANSWER_FIX.orgNoSubscription],
        }),
      ];
    }
    case 'credit': {
      const cc =
        ctx.client === 'claude-code'
          ? ' In Claude Code an approved ANTHROPIC_API_KEY outranks the subscription: check the API key row in /status.'
          : '';
      return [finding('billing.credit', `${ev} The prepaid credit balance of the organization is exhausted.${cc}`)];
    }
    case 'spend_limit': {
      const what = has(v, 'workspaceSpendLimit')
        ? 'the workspace spend limit'
        : has(v, 'spendLimit')
          ? 'the spend limit set in the Console'
          : "the usage tier's monthly spend cap";
      return [
        finding(
          'billing.spend_limit',
          `${ev} Requests stop because ${what} is ` +
            `reached${v.status === 429 ? ' (no retry-after: waiting will not help until the period ends)' : ''}.`,
        ),
      ];
    }
    case 'version': {
      const bad = PATTERNS.badVersion.exec(v.message)?.[1];
      const was =
        ctx.anthropicVersion === null
          ? 'no anthropic-version header was sent'
          : `anthropic-version "${shown(bad ?? ctx.anthropicVersion, 100)}" was sent`;
      return [
        finding('header.missing_version', `${ev} The API needs a valid anthropic-version header; ${was}.`, {
          fix: [...ANSWER_FIX.versionOnce],
        }),
      ];
    }
    case 'workspace_required': {
      return [
        finding(
          'workspace.required',
          `${ev} The key is identity-linked (not scoped to one workspace), so every request must name the workspace.`,
          {
            fix: [...ANSWER_FIX.workspaceHeader],
          },
        ),
      ];
    }
    case 'model': {
      const model =
        PATTERNS.selectedModelId.exec(v.message)?.[1] ??
        PATTERNS.unknownModel.exec(v.message)?.[1] ??
        ctx.model ??
        null;
      return [
        finding(
          'scope.model',
          `${ev} The model ${model ? `"${shown(model, 200)}" ` : ''}does not exist or this key cannot use it.`,
          {
            fix: ctx.client === 'claude-code' ? [...ANSWER_FIX.claudeCodeModel] : [],
          },
        ),
      ];
    }
    case 'request_not_allowed': {
      return [
        finding(
          'region.blocked',
          `${ev} The request was refused before reaching the API (no request id). Documented causes: an ` +
            `inactive Pro/Max subscription, a Console user without the "Claude Code" or "Developer" role, ` +
            `a corporate proxy; it is also reported when traffic leaves from an unsupported country or ` +
            `region (a VPN that does not cover the CLI, a cloud function deployed in such a region).`,
          {
            fix: [...ANSWER_FIX.requestNotAllowed],
          },
        ),
      ];
    }
    case 'not_logged_in': {
      const who = has(v, 'noAuthMethod') ? 'The client' : 'Claude Code';
      return [
        // Not proof of nothing: Claude Code 2.1.332 prints the same line after the API rejects an
        // ANTHROPIC_AUTH_TOKEN or OAuth token (fact sheet §6, observed 2026-12-04; issue 18).
        who === 'Claude Code'
          ? finding(
              'key.missing',
              `${ev} Claude Code found no credential it would use — or the API rejected the ANTHROPIC_AUTH_TOKEN or ` +
                'OAuth token it sent: Claude Code prints the same line then.',
              { fix: [...ANSWER_FIX.notLoggedIn, ...ANSWER_FIX.notLoggedInToken] },
            )
          : finding('key.missing', `${ev} ${who} found no credential at all.`, {
              fix: [...ANSWER_FIX.notLoggedIn],
            }),
      ];
    }
    case 'missing_key': {
      if (ctx.sentAs === 'x-api-key' || ctx.sentAs === 'both') {
        return [
          finding(
            'header.stripped',
            `${ev} The client sent ${sent(ctx)}, but no x-api-key header reached the server` +
              `${ctx.viaBaseUrl ? ' behind ANTHROPIC_BASE_URL' : ''}; something in between ` +
              '(a proxy, a gateway, a header rewrite) removed it.',
            {
              fix: FIX.headerStripped(Boolean(ctx.viaBaseUrl)),
            },
          ),
        ];
      }
      if (ctx.sentAs === 'authorization' && apiKeyish) {
        return [
          finding(
            'header.bearer',
            `${ev} The key went only in Authorization: Bearer (anthropic-version ` +
              `${ctx.anthropicVersion ?? 'none'}), and the server wants x-api-key.`,
            { fix: FIX.bearerForClient(ctx.client, Boolean(ctx.viaBaseUrl), ctx.clientAssumed) },
          ),
        ];
      }
      return [
        finding(
          'header.missing_key',
          `${ev} The server received no usable credential header (the client sent ${sent(ctx)}): the ` +
            `variable is probably not exported to the failing process, or the header was dropped.`,
          {
            fix: [...ANSWER_FIX.missingKeyHeader],
          },
        ),
      ];
    }
    case 'bearer_refused': {
      if (ctx.sentAs === 'both') {
        return [
          finding(
            'header.both',
            `${ev} x-api-key and Authorization were both sent and the Authorization value is not a valid ` +
              `Bearer credential (typically ANTHROPIC_AUTH_TOKEN holding something else next to ` +
              `ANTHROPIC_API_KEY).`,
            { fix: [...ANSWER_FIX.bothHeaders] },
          ),
        ];
      }
      if (apiKeyish && ctx.anthropicVersion === BEARER_KEY_VERSION) {
        return [
          finding(
            'key.invalid',
            `${ev} The key was sent as Bearer with anthropic-version ${BEARER_KEY_VERSION}, the way ` +
              `@anthropic-ai/sdk 1.x sends it, and was still refused: the key itself is not accepted. ` +
              `(Assumption: the API accepts API keys as Bearer under ${BEARER_KEY_VERSION}.)`,
          ),
        ];
      }
      if (apiKeyish) {
        return [
          finding(
            'header.bearer',
            `${ev} An API key went in Authorization: Bearer with anthropic-version ` +
              `${ctx.anthropicVersion ?? '(none)'}. Under ${X_API_KEY_VERSION} the API wants API keys in ` +
              `x-api-key; only @anthropic-ai/sdk 1.x sends keys as Bearer, and it pairs them with ` +
              `anthropic-version ${BEARER_KEY_VERSION}.`,
            { fix: FIX.bearerForClient(ctx.client, false, ctx.clientAssumed) },
          ),
        ];
      }
      return [
        finding('key.invalid', `${ev} The ${kind ?? 'credential'} sent as Bearer was not accepted as a token.`, {
          fix: kind === 'oauth_access' ? [...ANSWER_FIX.oauthRelogin] : [],
        }),
      ];
    }
    case 'unknown_key': {
      if (kind === 'oauth_access') {
        return [
          finding('key.invalid', `${ev} An OAuth token was sent in x-api-key, where only API keys work.`, {
            fix: [...ANSWER_FIX.oauthInXApiKey],
          }),
        ];
      }
      const cc = ctx.client === 'claude-code' || has(v, 'invalidApiKeyCc') ? [...ANSWER_FIX.claudeCodeStatusKey] : [];
      return [
        finding(
          'key.invalid',
          `${ev} The API does not accept this key: it is mistyped, revoked, deleted, expired, or from a ` +
            `workspace that was archived.`,
          { fix: [...ROTATION_STEPS, ...cc] },
        ),
      ];
    }
    case 'permission': {
      return [permission(ev)];
    }
    default: {
      const never: never = reason;
      return never;
    }
  }
}

function permission(ev: string): Finding {
  return finding('scope.permission', `${ev} The credential is valid but not allowed to do this.`, {
    fix: [...ANSWER_FIX.permission],
  });
}

/** By status alone, when no known message matched. */
function byStatus(v: View, ctx: ClassifyContext): Classification {
  const ev = evidence(v);
  const s = v.status;
  if (s === 429) {
    const ra = v.retryAfter === null ? 'no retry-after' : `retry-after ${v.retryAfter} s`;
    return transient(s, v, [finding('api.rate_limited', `${ev} Rate limited (${ra}).`)]);
  }
  if (s === 529 || v.type === 'overloaded_error')
    return transient(s, v, [finding('api.overloaded', `${ev} The API is overloaded; this is transient.`)]);
  if (s !== null && s >= 500)
    return transient(s, v, [finding('api.server_error', `${ev} The server failed; this is transient.`)]);
  if (s === 403) return rejected('permission', v, [permission(ev)]);
  if (s === 404 && (v.probe?.purpose === 'model' || ctx.model)) {
    return rejected('model', v, [
      finding(
        'scope.model',
        `${ev} The model ${ctx.model ? `"${shown(ctx.model, 200)}" ` : ''}does not exist or this key cannot use it.`,
      ),
    ]);
  }
  if (v.pasted && ctx.viaBaseUrl && !v.requestId && s !== null && s >= 400) {
    return {
      answer: { kind: 'not_anthropic', status: s, provider: null, said: null },
      findings: [
        finding(
          'endpoint.gateway_response',
          `${ev} The message is not one the Anthropic API sends and ANTHROPIC_BASE_URL points elsewhere: ` +
            `it is probably the gateway's own answer.`,
          {
            severity: 'warning',
            fix: [...ANSWER_FIX.gatewayLogs],
          },
        ),
      ],
    };
  }
  if (s === 401)
    return rejected('unrecognised', v, [
      finding(
        'key.invalid',
        `${ev} The credential was rejected (authentication_error) with a message the tool does not know.`,
      ),
    ]);
  return rejected('unrecognised', v, []);
}

function rejected(reason: Refusal, v: View, findings: Finding[]): Classification {
  return { answer: { kind: 'rejected', status: v.status, reason }, findings };
}

function transient(status: number | null, v: View, findings: Finding[]): Classification {
  return { answer: { kind: 'transient', status, retryAfterSeconds: v.retryAfter }, findings };
}

function gatewayFindings(v: View, ctx: ClassifyContext): Finding[] {
  const ev = evidence(v);
  const out = [
    finding(
      'endpoint.gateway_response',
      `${ev} This answer has no Anthropic request id and no Anthropic error envelope: it came from a ` +
        `gateway, proxy or other ` +
        `server${ctx.viaBaseUrl ? ' at ANTHROPIC_BASE_URL' : ' between the client and the API'}.`,
      {
        fix: FIX.gatewayAnswered(Boolean(ctx.viaBaseUrl)),
      },
    ),
  ];
  const mentionsKeyHeader = /x-api-key|x_api_key|api-key header/.test(v.hay);
  // "401 Authorization Required" is only nginx's reason phrase: it must name the header or Bearer.
  const mentionsAuthorization =
    /\bbearer\b|authorization header|authorization:|(?:missing|no|invalid) authorization/.test(v.hay);
  const viaGateway = Boolean(ctx.viaBaseUrl) || v.pasted !== null;
  if (viaGateway && mentionsKeyHeader && !mentionsAuthorization && ctx.sentAs === 'authorization') {
    out.push(
      finding(
        'header.bearer',
        `${ev} The client sent the key as Authorization: Bearer (anthropic-version ` +
          `${ctx.anthropicVersion ?? 'none'}) to a gateway that reads only x-api-key.`,
        { fix: FIX.bearerForClient(ctx.client, true, ctx.clientAssumed) },
      ),
    );
  } else if (viaGateway && mentionsAuthorization && !mentionsKeyHeader && ctx.sentAs === 'x-api-key') {
    out.push(
      finding(
        'header.x_api_key',
        `${ev} The client sent the credential as x-api-key to a gateway that reads only Authorization: Bearer.`,
        {
          fix: FIX.gatewayWantsBearer(ctx.client === 'claude-code'),
        },
      ),
    );
  }
  return out;
}

const PROVIDER_FIX: Record<ProviderName, { id: FindingId; what: (v: View) => string; fix: (v: View) => string[] }> = {
  bedrock: {
    id: 'provider.bedrock',
    what: () =>
      'Amazon Bedrock refused the AWS credentials ' +
      '(ANTHROPIC_API_KEY is ignored there; Bedrock reports an expired token as 403).',
    fix: (v) =>
      /bedrock:invokemodel|aws-marketplace|accessdenied/.test(v.hay)
        ? [...ANSWER_FIX.bedrockIam]
        : [...ANSWER_FIX.bedrockCredentials],
  },
  vertex: {
    id: 'provider.vertex',
    what: (v) =>
      /invalid_grant|invalid_rapt|reauth related/.test(v.hay)
        ? 'Google refused to refresh the Application Default Credentials (invalid_grant): the gcloud ADC login ' +
          'expired or needs re-authentication (invalid_rapt is a Google Workspace session-length policy). ' +
          'Vertex never reads ANTHROPIC_API_KEY.'
        : 'Google Vertex AI refused the Google credentials (Vertex never reads ANTHROPIC_API_KEY).',
    fix: (v) =>
      /permission_denied|aiplatform.endpoints.predict/.test(v.hay)
        ? [...ANSWER_FIX.vertexIam]
        : [...ANSWER_FIX.vertexCredentials],
  },
  foundry: {
    id: 'provider.foundry',
    what: (v) =>
      v.hay.includes('missing credentials') || has(v, 'noAuthMethod')
        ? 'ANTHROPIC_FOUNDRY_API_KEY is not set, and no Azure credential (azureADTokenProvider) was configured: ' +
          'the Foundry client has nothing to authenticate with.'
        : 'Microsoft Foundry could not authenticate (Azure credentials).',
    fix: () => [...ANSWER_FIX.foundry],
  },
};

const NETWORK: Record<NetworkErrorKind, { id: FindingId; what: string; fix: string[] }> = {
  dns: {
    id: 'network.unreachable',
    what: 'the host name did not resolve (DNS)',
    fix: [...ANSWER_FIX.networkDns],
  },
  unreachable: {
    id: 'network.unreachable',
    what: 'the connection could not be made',
    fix: [...ANSWER_FIX.networkUnreachable],
  },
  reset: {
    id: 'network.unreachable',
    what: 'the connection was reset',
    fix: [...ANSWER_FIX.networkReset],
  },
  timeout: {
    id: 'network.timeout',
    what: 'no complete answer arrived in time',
    fix: [...ANSWER_FIX.networkTimeout],
  },
  tls: { id: 'network.tls', what: 'the TLS certificate could not be verified', fix: [] },
  proxy: {
    id: 'network.proxy',
    what: 'the proxy in HTTPS_PROXY/HTTP_PROXY failed',
    fix: [...ANSWER_FIX.networkProxy],
  },
};

function networkFindings(r: ProbeResult): Finding[] {
  const net = r.network!;
  const where = `${r.method} ${r.url}`;
  const message = shown(net.message);
  if (net.code === 'ERR_INVALID_HEADER') {
    return [
      finding(
        'key.whitespace',
        `${where}: not sent — ${message}. The Python SDK (httpx) refuses such a header the same way; ` +
          `curl sends it broken.`,
      ),
    ];
  }
  const n = NETWORK[net.kind];
  const answered = r.status !== null ? ` (after HTTP ${r.status} headers)` : '';
  let fix = n.fix;
  try {
    const u = new URL(r.url);
    fix = FIX.networkAt(net.kind, u.host, u.origin);
  } catch {
    // not a URL: keep the general advice
  }
  return [finding(n.id, `${where}: ${n.what}${answered} — ${net.code}${message ? `: ${message}` : ''}.`, { fix })];
}

/**
 * Reads an answer (live or pasted): what it means (a typed Answer the steps switch on) and the
 * findings it supports. 2xx -> accepted with no findings (the caller records key.valid).
 */
export function classify(answer: ProbeResult | PastedError, ctx: ClassifyContext): Classification {
  if (!('form' in answer) && answer.network) {
    return {
      answer: { kind: 'network', network: answer.network.kind, status: answer.status },
      findings: networkFindings(answer),
    };
  }
  if ('form' in answer && answer.network) {
    const { kind, host } = answer.network;
    const n = NETWORK[kind];
    const said = answer.errorMessage ? ` "${shown(answer.errorMessage)}"` : '';
    return {
      answer: { kind: 'network', network: kind, status: null },
      findings: [
        finding(n.id, `The pasted error (${answer.form}):${said}: the client got no answer from ${host}: ${n.what}.`, {
          fix: FIX.networkAt(kind, host),
        }),
      ],
    };
  }
  const v = toView(answer, ctx);
  if (v.status !== null && v.status >= 200 && v.status < 300) return { answer: { kind: 'accepted' }, findings: [] };
  const said = refusalOf(v);
  if (v.provider && (v.gateway || v.pasted)) {
    const p = PROVIDER_FIX[v.provider];
    return {
      answer: { kind: 'not_anthropic', status: v.status, provider: v.provider, said },
      findings: [finding(p.id, `${evidence(v)} ${p.what(v)}`, { severity: 'error', fix: p.fix(v) })],
    };
  }
  if (v.gateway) {
    return {
      answer: { kind: 'not_anthropic', status: v.status, provider: null, said },
      findings: gatewayFindings(v, ctx),
    };
  }
  if (said) return rejected(said, v, refusalFindings(said, v, ctx));
  return byStatus(v, ctx);
}

/** The findings of `classify` alone. */
export function classifyAnswer(answer: ProbeResult | PastedError, ctx: ClassifyContext): Finding[] {
  return classify(answer, ctx).findings;
}

/** A probe's result before any answer: every answer field empty (the transport fills them in). */
export function noAnswer(req: ProbeRequest, url: string = req.url): Omit<ProbeResult, 'ms' | 'attempts' | 'at'> {
  return {
    method: req.method,
    url,
    purpose: req.purpose,
    status: null,
    requestId: null,
    errorType: null,
    errorMessage: null,
    errorCode: null,
    organizationId: null,
    workspaceId: null,
    bodySnippet: '',
    contentType: null,
    anthropicEnvelope: false,
    retryAfterSeconds: null,
    network: null,
    sentAs: req.sentAs,
    anthropicVersion: req.anthropicVersion,
    oauthBeta: req.oauthBeta,
  };
}
