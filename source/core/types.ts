// Shared shapes of the diagnosis. Pure types only: no I/O, no runtime code.
import type { ObservedProgram } from './observed.js';
// The outside of the program (JSON field names, ids) is fixed by ../shared/design/cli-contract.md.

export type StepId = 'key_format' | 'activation' | 'header' | 'scope' | 'workspace' | 'provider';
/** `network` is where transport problems are reported; it is not one of the six wizard steps. */
export type FindingStep = StepId | 'network';
export const STEP_ORDER: readonly StepId[] = ['key_format', 'activation', 'header', 'scope', 'workspace', 'provider'];

export type Severity = 'error' | 'warning' | 'info';
export type Verdict = 'ok' | 'problem' | 'inconclusive';
export type StepStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type CredentialKind =
  'api_key' | 'admin_key' | 'oauth_access' | 'oauth_refresh' | 'session_cookie' | 'foreign' | 'unknown';

/** What the user says fails (`--client`). `auto` = reason about Claude Code and the SDK. */
export type ClientChoice = 'claude-code' | 'sdk' | 'curl' | 'other' | 'auto';
export type Provider = 'anthropic' | 'bedrock' | 'vertex' | 'foundry';

/**
 * A concrete client model the engine reasons about. The SDK splits by language and major,
 * because since @anthropic-ai/sdk 1.0 they send credentials differently (fact sheet §5).
 */
export type ClientModel = 'claude-code' | 'sdk-ts-1' | 'sdk-ts-0' | 'sdk-py' | 'ai-sdk' | 'curl' | 'other';

/** How a credential travels. */
export type HeaderStyle = 'x-api-key' | 'authorization' | 'both' | 'none';

// ---------------------------------------------------------------------------------------------
// Discovery (io/discover.ts, io/clients.ts produce it; core reads it)

/** Where a value came from, in the contract's notation: `env:NAME`, `file:~/.bashrc:12`, … */
export type SourceLabel = string;

export type SourceOrigin =
  | 'env' // process environment
  | 'key-env' // --key-env NAME
  | 'dotenv' // .env, .env.local, … in cwd or a parent
  | 'shell' // ~/.bashrc etc.
  | 'claude-user' // ~/.claude/settings.json env block
  | 'claude-project' // .claude/settings.json env block
  | 'claude-local' // .claude/settings.local.json env block
  | 'claude-managed' // managed-settings.json env block
  | 'prompt'; // pasted into the wizard

/** One variable assignment found somewhere. `value` is a SECRET when it is a credential. */
export interface Candidate {
  source: SourceLabel;
  origin: SourceOrigin;
  /** Variable name as written (may be a near-miss such as CLAUDE_API_KEY). */
  name: string;
  /** Raw value exactly as the consuming program would read it (dotenv-unquoted, not trimmed). */
  value: string;
  /** Absolute path of the file, when from a file. */
  file?: string;
  line?: number;
  /** For dotenv files: how far above the working directory (0 = the working directory). */
  depth?: number;
}

export interface ApiKeyHelperInfo {
  source: SourceLabel; // e.g. file:~/.claude/settings.json
  /** How the command may be shown: its program only (`op …`), never its arguments. */
  command: string;
  /** The command as configured (non-enumerable: never serialised); only the redactor's context reads it. */
  readonly raw?: string;
}

export interface ClaudeCredentialsFile {
  source: SourceLabel; // file:~/.claude/.credentials.json
  present: boolean;
  /** Kinds of tokens present (never the values). */
  kinds: CredentialKind[];
  expiresAt?: number; // epoch ms of the access token
  subscriptionType?: string; // pro, max, team, enterprise …
  scopes?: string[];
  /** Last 4 characters of the access token, for fingerprints only. */
  accessTokenTail?: string;
  accessTokenLength?: number;
}

export interface ClientInfo {
  /**
   * A package of the client table (`@anthropic-ai/sdk`, `@ai-sdk/anthropic`, `anthropic` for Python),
   * or `claude-code`.
   */
  name: string;
  /** Exact version when installed or locked; a range when only declared. */
  version: string;
  source: SourceLabel; // file:node_modules/@anthropic-ai/sdk/package.json
  how: 'installed' | 'locked' | 'declared';
  /** Derived from the client table: which header this client sends an API key in. */
  sends: 'x-api-key' | 'authorization' | 'both';
  model: ClientModel;
  /** The framework whose own copy this is (`@langchain/anthropic`); null for the project's own. */
  via?: string | null;
  /** An installed Node copy's package directory (absolute): what `--observe-clients` runs. Never printed. */
  dir?: string;
}

export interface DotenvFileInfo {
  path: string; // absolute
  source: SourceLabel; // file:../.env
  depth: number;
  holdsCredential: boolean;
  /** null when not in a git repository or git is missing. */
  ignoredByGit: boolean | null;
}

export interface Discovery {
  cwd: string;
  home: string;
  platform: NodeJS.Platform;
  /** Every assignment of a credential-ish or relevant variable, in every source. */
  candidates: Candidate[];
  /** Relevant process environment (ANTHROPIC_BASE_URL, CLAUDE_CODE_USE_*, proxies, …), raw. */
  env: Record<string, string>;
  /** Effective Claude Code settings env blocks, highest precedence last. */
  claudeSettingsEnv: { origin: SourceOrigin; source: SourceLabel; env: Record<string, string> }[];
  apiKeyHelper?: ApiKeyHelperInfo;
  credentialsFile?: ClaudeCredentialsFile;
  /** Last-20-character suffixes from ~/.claude.json customApiKeyResponses (compared, never shown). */
  approvedKeySuffixes: string[];
  rejectedKeySuffixes: string[];
  dotenvFiles: DotenvFileInfo[];
  clients: ClientInfo[];
  /** key.leaked evidence: candidate value -> tracked files that hold it (relative paths). */
  leaks: { value: string; files: string[] }[];
  /** Files that could not be read and why (never a crash). Already free of secrets. */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------
// Findings

export interface Finding {
  id: string; // a FindingId from core/findings.ts
  severity: Severity;
  step: FindingStep;
  title: string;
  detail: string;
  fix: string[];
}

export interface StepResult {
  id: StepId;
  status: StepStatus;
  note: string;
}

// ---------------------------------------------------------------------------------------------
// Probes

export type ProbePurpose =
  | 'models' // GET /v1/models as the client sends it
  | 'model' // GET /v1/models/{id}
  | 'count_tokens' // POST /v1/messages/count_tokens
  | 'alt_header' // the same credential in the other header (differential)
  | 'no_version' // without anthropic-version (differential)
  | 'with_beta' // OAuth token with the beta (differential)
  | 'base_url' // the ANTHROPIC_BASE_URL the client would use (consent)
  | 'base_url_reach' // the same base URL with no credential at all: does it answer? (no consent needed)
  | 'base_url_alt' // the credential in the other header, to the base URL (consent): locates a hop's header
  | 'alternative' // another credential found, in the form the failing client sends: would it work?
  | 'activation' // polling a possibly-new key
  | 'admin';

export interface ProbeRequest {
  purpose: ProbePurpose;
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  /** Includes the credential header: SECRET. */
  headers: Record<string, string>;
  body?: string;
  /** How the credential was sent, for the classifier. */
  sentAs: HeaderStyle;
  anthropicVersion: string | null;
  oauthBeta: boolean;
  credentialKind: CredentialKind | null;
}

export type NetworkErrorKind = 'unreachable' | 'timeout' | 'tls' | 'proxy' | 'reset' | 'dns';

export interface ProbeResult {
  method: 'GET' | 'POST';
  url: string; // sanitized (no user-info, no query)
  purpose: ProbePurpose;
  /** null when no answer came. */
  status: number | null;
  requestId: string | null;
  errorType: string | null;
  errorMessage: string | null;
  /** error.details.error_code when present. */
  errorCode?: string | null;
  organizationId?: string | null;
  workspaceId?: string | null;
  /** First 2 KB of the body, as text (from outside: sanitize before display). */
  bodySnippet: string;
  contentType: string | null;
  /** Whether the body is the Anthropic error envelope `{"type":"error","error":{...}}`. */
  anthropicEnvelope: boolean;
  retryAfterSeconds: number | null;
  network: { kind: NetworkErrorKind; code: string; message: string } | null;
  ms: number;
  attempts: number;
  /** ISO timestamp of when the request started. */
  at: string;
  /** Parsed JSON body when the answer was JSON (models list, admin objects). */
  json?: unknown;
  sentAs: HeaderStyle;
  anthropicVersion: string | null;
  oauthBeta: boolean;
  /** Sent ahead of need (machine.ts sendAhead) and never asked for: its answer decided nothing. */
  unused?: true;
  /** The clients (labels) whose request this probe stands for; absent for requests of no client (Admin API). */
  clients?: string[];
  /** Fingerprints of what went out: in x-api-key (or the only header), and the Bearer one when it differs. */
  credential?: string;
  secondaryCredential?: string | null;
}

/** A pasted error after parsing (`pasted` in the JSON). */
export interface PastedError {
  status: number | null;
  requestId: string | null;
  errorType: string | null;
  errorMessage: string | null;
  /** sdk-ts, sdk-py, claude-code, curl, bedrock, vertex, gateway, text */
  form: string;
  /** A client's own transport error (`Connection to HOST failed`, `Request to HOST timed out`). */
  network?: { kind: NetworkErrorKind; host: string } | null;
}

// ---------------------------------------------------------------------------------------------
// Options (parsed flags; the headless driver answers questions from them)

export interface Options {
  json: boolean;
  report: string | null; // FILE, '-' or null
  apiUrl: string;
  probeBaseUrl: boolean;
  network: boolean;
  client: ClientChoice;
  errorText: string | null;
  keyEnv: string | null;
  project: string | null;
  model: string | null;
  keyAgeMinutes: number | null;
  waitSeconds: number;
  adminKeyEnv: string | null;
  provider: Provider | null;
  timeoutMs: number;
  strict: boolean;
  color: boolean;
  /** (check) Also observe the clients found installed (cli-contract.md). */
  observeClients: boolean;
  /** How long an observed program may run before it is stopped. */
  observeTimeoutSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// Precedence (core/precedence.ts): which credential each client really sends, and how.

export interface Resolution {
  client: ClientModel;
  /** Human label: "Claude Code", "@anthropic-ai/sdk 1.12.0", "Python anthropic (assumed)", "curl". */
  label: string;
  /** True when the client model was assumed, not found in the project. */
  assumed: boolean;
  /** The credential that wins for this client, or null. */
  credential: Candidate | null;
  credentialKind: CredentialKind | null;
  /** How the winning credential travels. */
  sendsAs: HeaderStyle;
  /** When two different credentials are sent (0.x / Python with both env vars): the Bearer one. */
  secondary: Candidate | null;
  anthropicVersion: '2023-06-01' | '2026-10-21';
  /** Sends anthropic-beta: oauth-2025-04-20 (Claude Code's own OAuth paths). */
  oauthBeta: boolean;
  /** Whether this client trims the env value before sending (TS SDK: yes). */
  trims: boolean;
  /** The base URL this client would call, with its source; null = the official API. */
  baseUrl: { value: string; source: SourceLabel } | null;
  /** What the client appends to the base URL (core/clients.ts): `/v1/…`, or `/…` (it expects /v1 in the base). */
  baseUrlJoin?: '/v1/…' | '/…';
  /** ANTHROPIC_CUSTOM_HEADERS, parsed (values may be secret: redact). */
  customHeaders: Record<string, string>;
  provider: Provider;
  /** Claude Code only: the subscription login from .credentials.json/keychain is what it uses. */
  usesSubscriptionLogin: boolean;
  /** Claude Code only: apiKeyHelper supplies the credential (sent as both headers, same value). */
  usesApiKeyHelper: boolean;
  /** Other candidates this client would NOT use (shadowed, wrong name, not loaded). */
  shadowed: Candidate[];
  /** One-line explanation, e.g. "ANTHROPIC_API_KEY from file:../.env (dotenv), sent as x-api-key". */
  note: string;
}

// ---------------------------------------------------------------------------------------------
// A finished diagnosis: what report.ts renders as Markdown and as the contract's JSON.

export interface QuestionAnswer {
  id: string;
  question: string;
  /** Already redacted by the driver. */
  answer: string;
}

export interface EnvironmentInfo {
  toolVersion: string;
  os: string; // e.g. "linux 6.1.0 x64"
  node: string;
  shell: string | null; // basename of $SHELL
  terminal: string | null; // TERM_PROGRAM or TERM
  ci: boolean;
  /** Host (and port) of the proxy only, never credentials. */
  proxy: string | null;
  claudeCodeVersion: string | null;
  timezone: string; // IANA name, e.g. Europe/Berlin
}

export interface Diagnosis {
  verdict: Verdict;
  summary: string;
  /** The first client's winning credential. */
  credential: { source: SourceLabel; kind: CredentialKind; fingerprint: string } | null;
  clients: ClientInfo[];
  sources: { source: SourceLabel; name: string; kind: CredentialKind; fingerprint: string; usedBy: ClientModel[] }[];
  resolutions: Resolution[];
  steps: StepResult[];
  findings: Finding[];
  probes: ProbeResult[];
  pasted: PastedError | null;
  answers: QuestionAnswer[];
  environment: EnvironmentInfo;
  notes: string[];
  startedAt: string; // ISO
  finishedAt: string; // ISO
  /** Base URL the live checks used (sanitized). */
  apiUrl: string;
  model: string | null;
  /** What observed programs sent (`observed` in the JSON); absent when nothing was observed. */
  observed?: ObservedProgram[];
}
