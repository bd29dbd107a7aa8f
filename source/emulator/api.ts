// The Anthropic API logic: one request in, one answer out. No sockets here (index.ts owns them),
// so every rule is a plain function of (request, config, clock).
import { createHash, randomBytes } from 'node:crypto';
import * as M from './messages.js';
import type { ErrorSpec } from './messages.js';
import type { EmulatorConfig, EmulatorKey, EmulatorModel, EmulatorOrg, Incoming, Reply } from './types.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const OAT_PREFIX = 'sk-ant-' + 'oat01-';

/** `n` base62 characters: random, or derived from `seed` (stable ids for defaults). */
export function base62(n: number, seed?: string): string {
  const bytes = seed === undefined ? randomBytes(n) : createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < n; i++) out += BASE62[bytes[i % bytes.length]! % 62];
  return out;
}

export const newRequestId = (): string => 'req_' + base62(24);

/** The Default Workspace has a `wrkspc_` id like any other (fact sheet §8); stable per org. */
export const defaultWorkspaceId = (org: EmulatorOrg): string =>
  org.defaultWorkspaceId ?? 'wrkspc_01' + base62(24, 'default-workspace:' + org.id);

// --- replies -------------------------------------------------------------------------------------

/** An answer from "Anthropic": JSON with a fresh `request-id` header; `body` may embed the id. */
export function answer(
  status: number,
  body: object | ((requestId: string) => object),
  headers: Record<string, string> = {},
): Reply {
  const id = newRequestId();
  const payload: object = typeof body === 'function' ? (body as (requestId: string) => object)(id) : body;
  return {
    status,
    headers: { 'content-type': 'application/json', 'request-id': id, ...headers },
    body: JSON.stringify(payload),
  };
}

/** The Anthropic error envelope, `request_id` equal to the `request-id` header. */
export function fail(spec: ErrorSpec, headers: Record<string, string> = {}, details?: object): Reply {
  return answer(
    spec.status,
    (id) => ({
      type: 'error',
      error: { type: spec.type, message: spec.message, ...(details ? { details } : {}) },
      request_id: id,
    }),
    headers,
  );
}

// --- routing -------------------------------------------------------------------------------------

type RouteName =
  'models' | 'model' | 'count_tokens' | 'messages' | 'me' | 'api_keys' | 'api_key' | 'workspaces' | 'workspace';
const ROUTES: { method: string; re: RegExp; name: RouteName }[] = [
  { method: 'GET', re: /^\/v1\/models$/, name: 'models' },
  { method: 'GET', re: /^\/v1\/models\/([^/]+)$/, name: 'model' },
  { method: 'POST', re: /^\/v1\/messages\/count_tokens$/, name: 'count_tokens' },
  { method: 'POST', re: /^\/v1\/messages$/, name: 'messages' },
  { method: 'GET', re: /^\/v1\/organizations\/me$/, name: 'me' },
  { method: 'GET', re: /^\/v1\/organizations\/api_keys$/, name: 'api_keys' },
  { method: 'GET', re: /^\/v1\/organizations\/api_keys\/([^/]+)$/, name: 'api_key' },
  { method: 'GET', re: /^\/v1\/organizations\/workspaces$/, name: 'workspaces' },
  { method: 'GET', re: /^\/v1\/organizations\/workspaces\/([^/]+)$/, name: 'workspace' },
];

interface Route {
  name: RouteName;
  param: string;
  admin: boolean;
}

function matchRoute(method: string, path: string): Route | ErrorSpec {
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.re.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      pathMatched = true;
      continue;
    }
    let param = m[1] ?? '';
    try {
      param = decodeURIComponent(param);
    } catch {
      // keep a malformed %-escape as sent
    }
    return { name: r.name, param, admin: path.startsWith('/v1/organizations/') };
  }
  return pathMatched ? M.METHOD_NOT_ALLOWED : M.NOT_FOUND;
}

// --- authentication ------------------------------------------------------------------------------

type Principal =
  | { kind: 'key'; key: EmulatorKey }
  | { kind: 'admin'; orgId: string }
  | { kind: 'oauth'; orgId: string; scopes?: string[] };

/** Why a key-shaped credential was refused, before it is worded for the header it came in. */
type KeyRefusal = 'unknown' | 'revoked' | 'expired' | 'admin_on_inference' | 'key_on_admin';

const X_API_KEY_REFUSAL: Record<KeyRefusal, ErrorSpec> = {
  unknown: M.INVALID_X_API_KEY,
  revoked: M.KEY_REVOKED,
  expired: M.KEY_EXPIRED,
  admin_on_inference: M.ADMIN_KEY_ON_INFERENCE,
  key_on_admin: M.KEY_ON_ADMIN,
};

const isExpired = (k: EmulatorKey, now: number): boolean =>
  k.status === 'expired' || (k.expiresAt != null && Date.parse(k.expiresAt) <= now);

const workspaceArchived = (cfg: EmulatorConfig, id: string | null): boolean =>
  id !== null && cfg.workspaces!.some((w) => w.id === id && w.archivedAt != null);

/** The Admin API's view of a key: `expired` and archiving-by-workspace are derived (fact sheet §4, §8). */
export function derivedStatus(k: EmulatorKey, cfg: EmulatorConfig, now: number): EmulatorKey['status'] {
  if (k.status !== 'active') return k.status;
  if (isExpired(k, now)) return 'expired';
  if (workspaceArchived(cfg, k.workspaceId)) return 'archived';
  return 'active';
}

function resolveKey(value: string, cfg: EmulatorConfig, now: number, adminRoute: boolean): Principal | KeyRefusal {
  const admin = cfg.adminKeys!.find((a) => a.value === value);
  if (admin) return adminRoute ? { kind: 'admin', orgId: admin.orgId } : 'admin_on_inference';
  const key = cfg.keys!.find((k) => k.value === value);
  if (!key) return 'unknown';
  // A key still propagating is indistinguishable from an unknown one.
  if (key.activeAfterMs && now < Date.parse(key.createdAt) + key.activeAfterMs) return 'unknown';
  const status = derivedStatus(key, cfg, now);
  if (status === 'expired') return 'expired';
  if (status !== 'active') return 'revoked';
  return adminRoute ? 'key_on_admin' : { kind: 'key', key };
}

function viaXApiKey(value: string, cfg: EmulatorConfig, now: number, adminRoute: boolean): Principal | ErrorSpec {
  if (value.startsWith(OAT_PREFIX)) return M.OAUTH_IN_X_API_KEY;
  const r = resolveKey(value, cfg, now, adminRoute);
  return typeof r === 'string' ? X_API_KEY_REFUSAL[r] : r;
}

function viaBearer(
  token: string,
  req: Incoming,
  cfg: EmulatorConfig,
  now: number,
  adminRoute: boolean,
): Principal | ErrorSpec {
  if (token.startsWith(OAT_PREFIX)) {
    const betas = (req.headers['anthropic-beta'] ?? '').split(',').map((b) => b.trim());
    if (!betas.includes(M.OAUTH_BETA)) return M.OAUTH_NOT_SUPPORTED;
    const t = cfg.oauthTokens!.find((o) => o.value === token);
    if (!t) return M.OAUTH_INVALID;
    if (t.expired) return M.OAUTH_EXPIRED;
    if (cfg.orgs!.find((o) => o.id === t.orgId)?.oauthAllowed === false) return M.OAUTH_ORG_NOT_ALLOWED;
    return { kind: 'oauth', orgId: t.orgId, scopes: t.scopes };
  }
  // Before 2026-10-21 Bearer means OAuth (or a gateway token); an API key there is refused.
  if (req.headers['anthropic-version'] !== M.BEARER_API_KEY_VERSION) return M.INVALID_BEARER;
  const r = resolveKey(token, cfg, now, adminRoute);
  return typeof r === 'string' ? M.BEARER_KEY_REJECTED : r;
}

function authenticate(req: Incoming, cfg: EmulatorConfig, now: number, adminRoute: boolean): Principal | ErrorSpec {
  // An empty header value is treated like an absent one.
  const xKey = req.headers['x-api-key'] || undefined;
  const authz = req.headers['authorization'] || undefined;
  if (xKey === undefined && authz === undefined) return M.KEY_HEADER_MISSING;
  const bearer = authz === undefined ? undefined : /^bearer\s+(.+)$/i.exec(authz)?.[1]?.trim();
  if (xKey !== undefined && authz !== undefined) {
    if (bearer !== xKey) return M.BOTH_HEADERS_DIFFER;
    // The same value in both (Claude Code's apiKeyHelper) is one credential, read where its kind belongs.
    return xKey.startsWith(OAT_PREFIX)
      ? viaBearer(xKey, req, cfg, now, adminRoute)
      : viaXApiKey(xKey, cfg, now, adminRoute);
  }
  if (xKey !== undefined) return viaXApiKey(xKey, cfg, now, adminRoute);
  return bearer === undefined ? M.INVALID_BEARER : viaBearer(bearer, req, cfg, now, adminRoute);
}

const isError = (x: object): x is ErrorSpec => 'status' in x && 'message' in x;

// --- the handler ---------------------------------------------------------------------------------

export function handleApi(req: Incoming, cfg: EmulatorConfig, now: number): Reply {
  const route = matchRoute(req.method, req.path);
  if (isError(route)) return fail(route);
  const h = req.headers;
  if (h['origin'] !== undefined && h['anthropic-dangerous-direct-browser-access'] !== 'true')
    return fail(M.CORS_REQUIRED);
  const version = h['anthropic-version'];
  if (version === undefined) return fail(M.VERSION_MISSING);
  if (!M.VALID_VERSIONS.includes(version)) return fail(M.versionInvalid(version));

  const principal = authenticate(req, cfg, now, route.admin);
  if (isError(principal)) return fail(principal); // 401s carry no organization/workspace headers
  const orgId = principal.kind === 'key' ? principal.key.orgId : principal.orgId;
  const org = cfg.orgs!.find((o) => o.id === orgId) ?? { id: orgId, name: orgId };
  const orgHeader = { 'anthropic-organization-id': org.id };
  return route.admin
    ? handleAdmin(route, req, principal, org, cfg, now, orgHeader)
    : handleInference(route, req, principal, org, cfg, now, orgHeader);
}

// --- inference endpoints -------------------------------------------------------------------------

/** An alias (`claude-sonnet-4-5`) names the newest model whose id is the alias plus a date. */
function resolveModel(id: string, models: EmulatorModel[]): EmulatorModel | undefined {
  return (
    models.find((m) => m.id === id) ??
    byNewest(models).find((m) => m.id.startsWith(id + '-') && /^\d{8}$/.test(m.id.slice(id.length + 1)))
  );
}

const byNewest = (models: EmulatorModel[]): EmulatorModel[] =>
  [...models].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));

function allowedModels(principal: Principal, cfg: EmulatorConfig): EmulatorModel[] {
  const all = byNewest(cfg.models!);
  if (principal.kind !== 'key' || !principal.key.models) return all;
  const allowed = new Set(principal.key.models.map((a) => resolveModel(a, all)?.id ?? a));
  return all.filter((m) => allowed.has(m.id));
}

const modelInfo = (m: EmulatorModel) => ({
  type: 'model',
  id: m.id,
  display_name: m.display_name,
  created_at: m.created_at,
  max_input_tokens: m.max_input_tokens ?? 200000,
  max_tokens: m.max_tokens ?? 64000,
  capabilities: null,
});

/** Rough token estimate: one token per four characters of text. */
function estimateTokens(body: Record<string, unknown>): number {
  const text = (v: unknown): string =>
    typeof v === 'string'
      ? v
      : Array.isArray(v)
        ? v.map(text).join('')
        : v && typeof v === 'object'
          ? text((v as Record<string, unknown>)['text'] ?? (v as Record<string, unknown>)['content'] ?? '')
          : '';
  const chars =
    text(body['system']).length +
    text(body['messages']).length +
    (body['tools'] ? JSON.stringify(body['tools']).length : 0);
  return Math.max(1, Math.ceil(chars / 4));
}

/** First day of next month (UTC), the date in the spend-limit message. */
const nextMonth = (now: number): string => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
};

const INFERENCE_SCOPES = ['user:inference', 'user:ccr_inference', 'user:voice', 'org:service_key_inference'];

function handleInference(
  route: Route,
  req: Incoming,
  principal: Principal,
  org: EmulatorOrg,
  cfg: EmulatorConfig,
  now: number,
  orgHeader: Record<string, string>,
): Reply {
  let headers = orgHeader;
  if (principal.kind === 'oauth' && principal.scopes && !principal.scopes.some((s) => INFERENCE_SCOPES.includes(s))) {
    return fail(M.OAUTH_SCOPE_INFERENCE, headers);
  }
  if (principal.kind === 'key') {
    let workspace = principal.key.workspaceId ?? defaultWorkspaceId(org);
    if (principal.key.identityLinked) {
      const named = req.headers['anthropic-workspace-id'];
      if (!named) return fail(M.WORKSPACE_HEADER_REQUIRED, headers);
      const known =
        named === defaultWorkspaceId(org) ||
        cfg.workspaces!.some((w) => w.id === named && w.orgId === org.id && w.archivedAt == null);
      if (!known) return fail(M.workspaceUnknown(named), headers);
      workspace = named;
    }
    // Present on every answer after authentication (fact sheet §2: absent only when it fails before).
    headers = { ...orgHeader, 'anthropic-workspace-id': workspace };
  }

  const models = allowedModels(principal, cfg);
  if (route.name === 'models') {
    const p = page(models, req.query);
    return isError(p) ? fail(p, headers) : answer(200, { ...p, data: p.data.map(modelInfo) }, headers);
  }
  if (route.name === 'model') {
    const m = resolveModel(route.param, models);
    return m ? answer(200, modelInfo(m), headers) : fail(M.modelNotFound(route.param), headers);
  }

  // count_tokens and messages
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    return fail(M.INVALID_JSON, headers);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fail(M.INVALID_JSON, headers);
  const b = body as Record<string, unknown>;
  if (typeof b['model'] !== 'string') return fail(M.fieldRequired('model'), headers);
  if (!Array.isArray(b['messages'])) return fail(M.fieldRequired('messages'), headers);
  // Organization state shows only on inference (fact sheet §3: a 200 from /v1/models proves authentication only).
  if (org.disabled) return fail(M.ORG_DISABLED, headers);
  if (org.creditExhausted) return fail(M.CREDIT_TOO_LOW, headers);
  if (org.spendLimitReached) return fail(M.spendLimitReached(nextMonth(now)), headers);
  const model = resolveModel(b['model'], models);
  if (!model) return fail(M.modelNotFound(b['model']), headers);
  const inputTokens = estimateTokens(b);
  if (route.name === 'count_tokens') return answer(200, { input_tokens: inputTokens }, headers);
  return answer(
    200,
    {
      id: 'msg_' + base62(24),
      type: 'message',
      role: 'assistant',
      model: model.id,
      content: [{ type: 'text', text: 'Hello from the emulator.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: 6 },
    },
    headers,
  );
}

// --- Admin API -----------------------------------------------------------------------------------

/** `partial_key_hint`: public prefix + first 3 body characters + `...` + last 4 (fact sheet §1, §4). */
export function partialKeyHint(value: string): string {
  const prefix = /^sk-ant-[a-z]+\d*-/.exec(value)?.[0] ?? '';
  return prefix + value.slice(prefix.length, prefix.length + 3) + '...' + value.slice(-4);
}

const keyItem = (k: EmulatorKey, cfg: EmulatorConfig, now: number) => ({
  id: k.id,
  created_at: k.createdAt,
  created_by: k.createdBy ?? null,
  expires_at: k.expiresAt ?? null,
  name: k.name ?? k.id,
  partial_key_hint: partialKeyHint(k.value),
  principal: k.createdBy ?? null,
  status: derivedStatus(k, cfg, now),
  type: 'api_key',
  workspace_id: k.workspaceId,
});

const workspaceItem = (w: NonNullable<EmulatorConfig['workspaces']>[number]) => ({
  id: w.id,
  archived_at: w.archivedAt ?? null,
  compartment_id: null,
  created_at: w.createdAt ?? '2025-01-01T00:00:00Z',
  data_residency: { allowed_inference_geos: 'unrestricted', default_inference_geo: 'global', workspace_geo: 'us' },
  display_color: '#6C5BB9',
  external_key_id: null,
  name: w.name,
  tags: [],
  type: 'workspace',
});

const newestFirst = <T extends { createdAt?: string }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => Date.parse(b.createdAt ?? '') - Date.parse(a.createdAt ?? ''));

function handleAdmin(
  route: Route,
  req: Incoming,
  principal: Principal,
  org: EmulatorOrg,
  cfg: EmulatorConfig,
  now: number,
  headers: Record<string, string>, // Admin answers carry no anthropic-workspace-id
): Reply {
  if (principal.kind === 'oauth' && !(principal.scopes ?? []).includes('org:admin'))
    return fail(M.OAUTH_SCOPE_ADMIN, headers);
  if (org.individual) return fail(M.ADMIN_UNAVAILABLE_INDIVIDUAL, headers);
  const q = req.query;
  switch (route.name) {
    case 'me':
      return answer(200, { id: org.id, type: 'organization', name: org.name }, headers);
    case 'api_keys': {
      const keys = newestFirst(cfg.keys!).filter(
        (k) =>
          k.orgId === org.id &&
          (!q.get('status') || derivedStatus(k, cfg, now) === q.get('status')) &&
          (!q.get('workspace_id') || k.workspaceId === q.get('workspace_id')) &&
          (!q.get('created_by_user_id') || k.createdBy?.id === q.get('created_by_user_id')),
      );
      const p = page(keys, q);
      return isError(p)
        ? fail(p, headers)
        : answer(200, { ...p, data: p.data.map((k) => keyItem(k, cfg, now)) }, headers);
    }
    case 'api_key': {
      const k = cfg.keys!.find((x) => x.id === route.param && x.orgId === org.id);
      return k ? answer(200, keyItem(k, cfg, now), headers) : fail(M.NOT_FOUND, headers);
    }
    case 'workspaces': {
      // The Default Workspace is never listed; archived ones only on request.
      const all = q.get('include_archived') === 'true';
      const ws = newestFirst(cfg.workspaces!).filter((w) => w.orgId === org.id && (all || w.archivedAt == null));
      const p = page(ws, q);
      return isError(p) ? fail(p, headers) : answer(200, { ...p, data: p.data.map(workspaceItem) }, headers);
    }
    case 'workspace': {
      const w = cfg.workspaces!.find((x) => x.id === route.param && x.orgId === org.id);
      return w ? answer(200, workspaceItem(w), headers) : fail(M.NOT_FOUND, headers);
    }
    default:
      return fail(M.NOT_FOUND, headers);
  }
}

// --- paging --------------------------------------------------------------------------------------

interface Page<T> {
  data: T[];
  first_id: string | null;
  has_more: boolean;
  last_id: string | null;
}

/** Cursor paging as the list endpoints document it: `limit` 1–1000 (default 20), `after_id`, `before_id`. */
export function page<T extends { id: string }>(items: T[], q: URLSearchParams): Page<T> | ErrorSpec {
  const raw = q.get('limit');
  const limit = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return M.limitOutOfRange(raw ?? '');
  const before = q.get('before_id');
  const after = q.get('after_id');
  let start = 0;
  let end = Math.min(limit, items.length);
  let hasMore = items.length > limit;
  if (before !== null) {
    end = items.findIndex((x) => x.id === before);
    start = Math.max(0, end - limit);
    hasMore = start > 0;
  } else if (after !== null) {
    const at = items.findIndex((x) => x.id === after);
    start = at < 0 ? items.length : at + 1;
    end = Math.min(start + limit, items.length);
    hasMore = end < items.length;
  }
  const data = end < 0 ? [] : items.slice(start, end);
  return {
    data,
    first_id: data[0]?.id ?? null,
    has_more: hasMore && data.length > 0,
    last_id: data.at(-1)?.id ?? null,
  };
}
