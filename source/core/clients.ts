// THE client model, as data: for each client and version range, which variables it reads, which
// files, which header carries each credential, anthropic-version, betas, what it does with the base
// URL and with two credentials, retries. core/precedence.ts reads this table and nothing else about
// clients; io/clients.ts maps what it finds installed to a row. Adding a client or a version band is
// a row here (and a line in test/clients/conformance.test.ts, which proves the row against the real
// package). Each row cites the fact sheet (shared/reference/anthropic-auth-facts.md) or the
// observation behind it: "observed" = the real package at a loopback capture server, how and when.
import { bandOfHighest, parseVersion, satisfies } from './semver.js';
import type { ClientModel } from './types.js';

export type HeaderForm = 'x-api-key' | 'authorization';

export interface ClientRow {
  model: ClientModel;
  /** The package that brings this behaviour (npm, or PyPI for Python), null for curl and "other". */
  package: string | null;
  /** Which versions of the package behave like this row (npm range); '*' = all. */
  versions: string;
  /** How findings name the client when nothing more exact is known. */
  label: string;
  /** Credential variables, highest precedence first. */
  reads: readonly string[];
  /** The header each credential variable goes out in. */
  header: Readonly<Record<string, HeaderForm>>;
  /**
   * Two credential variables set at once: 'both' = each goes out in its own header on the same
   * request; 'first' = only the first of `reads` is used.
   */
  both: 'both' | 'first';
  /** Whitespace around an environment value is removed before use. */
  trims: boolean;
  /** A variable set to "" counts as unset (false: an empty header goes out). */
  emptyIsUnset: boolean;
  /** Which dotenv files reach it: none; whatever the application loads; only the launch directory's. */
  dotenv: 'none' | 'app' | 'launch-dir';
  /** Reads Claude Code settings `env` blocks. */
  settings: boolean;
  /** Variables naming the base URL, first found wins; [] = the user gives the URL (curl). */
  baseUrlVars: readonly string[];
  /**
   * What the client appends to the base URL: '/v1/…' (it adds /v1 itself, so a base ending in
   * /v1 yields /v1/v1/…), or '/…' (it expects the base to end in /v1 already).
   */
  baseUrlJoin: '/v1/…' | '/…';
  /** Reads ANTHROPIC_CUSTOM_HEADERS. */
  customHeaders: boolean;
  anthropicVersion: '2023-06-01' | '2026-10-21';
  /** anthropic-beta values sent on every request, whatever the credential. */
  betas: readonly string[];
  /** Sends anthropic-beta: oauth-2025-04-20 with an OAuth token from this variable. */
  oauthBetaFor: readonly string[];
  /** Requests made for one call that gets a 401, by default; and the variable that changes it. */
  retries: { on401: number; env: string | null };
  /** What the row rests on: fact sheet sections and observations (date, how). */
  evidence: readonly string[];
}

const API_KEY = 'ANTHROPIC_API_KEY';
const AUTH_TOKEN = 'ANTHROPIC_AUTH_TOKEN';
const OAUTH_TOKEN = 'CLAUDE_CODE_OAUTH_TOKEN';
const BASE_URL = 'ANTHROPIC_BASE_URL';

const OBSERVED = 'observed 2026-12-04 at a loopback capture server (test/clients/conformance.test.ts)';

export const CLIENT_TABLE: readonly ClientRow[] = [
  {
    model: 'claude-code',
    package: '@anthropic-ai/claude-code',
    versions: '*',
    label: 'Claude Code',
    // ANTHROPIC_AUTH_TOKEN outranks ANTHROPIC_API_KEY for *which login is used* (docs), yet with
    // both set both go out; CLAUDE_CODE_OAUTH_TOKEN yields to an API key (only x-api-key is sent).
    reads: [AUTH_TOKEN, API_KEY, OAUTH_TOKEN],
    header: { [API_KEY]: 'x-api-key', [AUTH_TOKEN]: 'authorization', [OAUTH_TOKEN]: 'authorization' },
    both: 'both',
    trims: false,
    emptyIsUnset: true,
    dotenv: 'none',
    settings: true,
    baseUrlVars: [BASE_URL],
    baseUrlJoin: '/v1/…',
    customHeaders: true,
    anthropicVersion: '2023-06-01',
    betas: ['claude-code-20250219'],
    oauthBetaFor: [OAUTH_TOKEN],
    retries: { on401: 6, env: 'CLAUDE_CODE_MAX_RETRIES' },
    evidence: [
      'fact sheet §6 "Observed 2026-12-04 with Claude Code 2.1.332": both env vars → x-api-key = the key and ' +
        'Authorization: Bearer = the token; apiKeyHelper + env key → x-api-key = env key, Bearer = helper output; ' +
        'a key only in ./.env → no request, "Not logged in · Please run /login"; a 401 retried (6 requests in 18 s)',
      `2.1.332 ${OBSERVED}: claude -p hi with a throw-away HOME, ANTHROPIC_BASE_URL at the capture server`,
      '2.1.332 observed 2026-12-04, not in the fact sheet: with HTTP_PROXY set (NO_PROXY unset) its request to an ' +
        'http://127.0.0.1 base URL goes THROUGH the proxy as an absolute-URI request, not straight to the listener; ' +
        'POST /v1/messages with user-agent "claude-cli/2.1.332 (external, sdk-cli)", x-stainless-package-version ' +
        '0.128.0, anthropic-dangerous-direct-browser-access: true; after a 401 to both headers it prints ' +
        '"Invalid API key · Fix external API key"',
      'fact sheet §6 precedence list (code.claude.com authentication) for which login is used',
    ],
  },
  {
    model: 'sdk-ts-1',
    package: '@anthropic-ai/sdk',
    versions: '>=1.0.0',
    label: '@anthropic-ai/sdk 1.x',
    reads: [API_KEY, AUTH_TOKEN],
    header: { [API_KEY]: 'authorization', [AUTH_TOKEN]: 'authorization' },
    both: 'first',
    trims: true,
    emptyIsUnset: true,
    dotenv: 'app',
    settings: false,
    baseUrlVars: [BASE_URL],
    baseUrlJoin: '/v1/…',
    customHeaders: true,
    anthropicVersion: '2026-10-21',
    betas: [],
    oauthBetaFor: [],
    retries: { on401: 1, env: null },
    evidence: [
      'fact sheet §5 "2026-10-21: the TypeScript SDK 1.x" (SDK source, 1.12.0): every credential as Bearer, ' +
        'both set → ANTHROPIC_API_KEY wins with a logged warning, env values trimmed',
      `1.12.0 and 1.17.0 ${OBSERVED}: models.list() with maxRetries default — one request for a 401; on ` +
        'Node 20 it ignores HTTPS_PROXY/HTTP_PROXY (the refusing proxy saw nothing)',
    ],
  },
  {
    model: 'sdk-ts-0',
    package: '@anthropic-ai/sdk',
    versions: '<1.0.0',
    label: '@anthropic-ai/sdk 0.x',
    reads: [API_KEY, AUTH_TOKEN],
    header: { [API_KEY]: 'x-api-key', [AUTH_TOKEN]: 'authorization' },
    both: 'both',
    trims: true,
    emptyIsUnset: true,
    dotenv: 'app',
    settings: false,
    baseUrlVars: [BASE_URL],
    baseUrlJoin: '/v1/…',
    customHeaders: true,
    anthropicVersion: '2023-06-01',
    betas: [],
    oauthBetaFor: [],
    retries: { on401: 1, env: null },
    evidence: [
      'fact sheet §5 "TypeScript @anthropic-ai/sdk 0.x" (src/client.ts v0.120.0): X-Api-Key + 2023-06-01, both ' +
        'set → both headers, no OAuth beta on the static authToken path',
      `0.122.0 (nested under @langchain/anthropic 1.5.11) and 0.137.0 ${OBSERVED}: both env vars → both ` +
        'headers on one request; one request for a 401; proxy variables ignored on Node 20',
    ],
  },
  {
    model: 'ai-sdk',
    package: '@ai-sdk/anthropic',
    versions: '*',
    label: '@ai-sdk/anthropic',
    reads: [API_KEY],
    header: { [API_KEY]: 'x-api-key' },
    both: 'first',
    trims: false,
    // loadApiKey() throws only when the variable is undefined: "" goes out as an empty x-api-key.
    emptyIsUnset: false,
    dotenv: 'app',
    settings: false,
    baseUrlVars: [BASE_URL],
    baseUrlJoin: '/…',
    customHeaders: false,
    anthropicVersion: '2023-06-01',
    betas: [],
    oauthBetaFor: [],
    retries: { on401: 1, env: null },
    evidence: [
      'fact sheet §5 "2026-12-04: observed": x-api-key + 2023-06-01, reads only ANTHROPIC_API_KEY (never ' +
        'ANTHROPIC_AUTH_TOKEN), ANTHROPIC_BASE_URL taken as ending in /v1 (base http://h → POST http://h/messages)',
      '3.0.140 source (dist/index.mjs createAnthropic, provider-utils loadApiKey/loadOptionalSetting): no trim; ' +
        '"" is not unset; exactly https://api.anthropic.com is normalised to …/v1; ANTHROPIC_CUSTOM_HEADERS not read',
      `3.0.140 ${OBSERVED}: createAnthropic()('…').doGenerate(): x-api-key + 2023-06-01 even with ` +
        'ANTHROPIC_AUTH_TOKEN set; a base without /v1 → POST <base>/messages; ANTHROPIC_API_KEY="" → an empty ' +
        'x-api-key header goes out (no "API key is missing" error); user-agent "ai-sdk/anthropic/3.0.140 ' +
        'ai-sdk/provider-utils/4.0.65 runtime/node.js/v20.20.2"; proxy variables ignored on Node 20',
    ],
  },
  {
    model: 'sdk-py',
    package: 'anthropic',
    versions: '*',
    label: 'Python anthropic',
    reads: [API_KEY, AUTH_TOKEN],
    header: { [API_KEY]: 'x-api-key', [AUTH_TOKEN]: 'authorization' },
    both: 'both',
    trims: false,
    emptyIsUnset: true,
    dotenv: 'app',
    settings: false,
    baseUrlVars: [BASE_URL],
    baseUrlJoin: '/v1/…',
    customHeaders: true,
    anthropicVersion: '2023-06-01',
    betas: [],
    oauthBetaFor: [],
    retries: { on401: 1, env: null },
    evidence: ['fact sheet §5 "Python anthropic" (_client.py v0.121.0; 1.13.0 re-checked)'],
  },
  {
    model: 'curl',
    package: null,
    versions: '*',
    label: 'curl',
    reads: [API_KEY],
    header: { [API_KEY]: 'x-api-key' },
    both: 'first',
    trims: false,
    emptyIsUnset: true,
    dotenv: 'none',
    settings: false,
    baseUrlVars: [],
    baseUrlJoin: '/v1/…',
    customHeaders: false,
    anthropicVersion: '2023-06-01',
    betas: [],
    oauthBetaFor: [],
    retries: { on401: 1, env: null },
    evidence: ['the documented curl example (fact sheet §2): -H "x-api-key: $ANTHROPIC_API_KEY"'],
  },
  {
    model: 'other',
    package: null,
    versions: '*',
    label: 'other client (assumed to send x-api-key like curl)',
    reads: [API_KEY],
    header: { [API_KEY]: 'x-api-key' },
    both: 'first',
    trims: false,
    emptyIsUnset: true,
    dotenv: 'none',
    settings: false,
    baseUrlVars: [],
    baseUrlJoin: '/v1/…',
    customHeaders: false,
    anthropicVersion: '2023-06-01',
    betas: [],
    oauthBetaFor: [],
    retries: { on401: 1, env: null },
    evidence: ['assumption: the API documentation’s form'],
  },
];

/**
 * Frameworks that call the API through their own copy of a client: what they add on top of the
 * copy's row. The copy (its version) decides the header; the framework decides what reaches it.
 */
export interface FrameworkRow {
  package: string;
  versions: string;
  /** The client package whose copy it runs. */
  runs: string;
  /** It throws before any request unless one of these is set (it passes the value in code). */
  requires: readonly string[];
  /** Base URL variables it reads itself and passes in code, first found wins. */
  baseUrlVars: readonly string[];
  evidence: readonly string[];
}

export const FRAMEWORK_TABLE: readonly FrameworkRow[] = [
  {
    package: '@langchain/anthropic',
    versions: '*',
    runs: '@anthropic-ai/sdk',
    requires: [API_KEY],
    baseUrlVars: ['ANTHROPIC_API_URL', BASE_URL],
    evidence: [
      'fact sheet §5 "2026-12-04: observed": 1.5.11 depends on SDK ^0.122.0 and keeps its own nested copy',
      '1.5.11 source (dist/chat_models.js): apiKey ← ANTHROPIC_API_KEY or throws "Anthropic API key not found"; ' +
        'baseURL ← ANTHROPIC_API_URL || ANTHROPIC_BASE_URL; the SDK copy still reads ANTHROPIC_AUTH_TOKEN itself',
      `1.5.11 ${OBSERVED}: ChatAnthropic.invoke() POSTs /v1/messages through its 0.122.0 copy (user-agent ` +
        '"Anthropic/JS 0.122.0", anthropic-dangerous-direct-browser-access: true); with ANTHROPIC_AUTH_TOKEN also ' +
        'set it sends both headers (x-api-key = the key, Bearer = the token)',
    ],
  },
];

/** The row of a model (every model has exactly one row). */
export function rowOf(model: ClientModel): ClientRow {
  const row = CLIENT_TABLE.find((r) => r.model === model);
  if (!row) throw new Error(`no client row for ${model}`);
  return row;
}

/** The packages the table knows, for discovery. */
export const CLIENT_PACKAGES: readonly string[] = [
  ...new Set(CLIENT_TABLE.map((r) => r.package).filter((p): p is string => p !== null)),
];

/**
 * The row for a package at a version. An exact version picks the row whose range holds it; a
 * declared range picks the row of the HIGHEST version it allows (what npm install brings). Null
 * when the package is unknown or the version is neither (a tag, a URL): the caller decides.
 */
export function rowFor(pkg: string, version: string): ClientRow | null {
  const rows = CLIENT_TABLE.filter((r) => r.package === pkg);
  const exact = parseVersion(version);
  if (exact) return rows.find((r) => satisfies(exact, r.versions, true)) ?? null;
  return bandOfHighest(
    version,
    rows.map((r) => ({ range: r.versions, value: r })),
  );
}

export function frameworkFor(pkg: string): FrameworkRow | null {
  return FRAMEWORK_TABLE.find((f) => f.package === pkg) ?? null;
}

/** The header an API key goes out in, for the contract's `clients[].sends`. */
export function apiKeyHeader(row: ClientRow): HeaderForm {
  return row.header[API_KEY] ?? 'x-api-key';
}
