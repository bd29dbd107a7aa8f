// Admin API look-ups (fact sheet §4, §8): which organization the Admin key belongs to, the
// failing key's record (status, expiry, creator, workspace) and its workspace's state.
// Every request goes through runProbe, so timeouts, proxies, retries and network errors behave
// as in the other live checks; requests go to `req.apiUrl` only. Both keys are secrets: output
// names them by fingerprint, never by value.
import { fingerprint, kindOf } from '../core/credential.js';
import { finding, ROTATION_STEPS } from '../core/findings.js';
import { API_VERSION, OAUTH_BETA } from '../core/api.js';
import type { AdminOutcome, AdminRequest } from '../core/machine.js';
import { stripControl } from '../core/redact.js';
import type { CredentialKind, ProbeRequest, ProbeResult } from '../core/types.js';
import { runProbe, type Transport } from './probe.js';

export const ADMIN_API_VERSION = API_VERSION;
/**
 * Keys per page. The API allows 1–1000 (fact sheet §4), but runProbe reads at most 64 KB of an
 * answer and a key item is about 400 bytes, so 1000 would be cut off; 100 fits with room to spare.
 * A page that still comes back unreadable (long key names) is asked for again at half the size.
 */
export const KEYS_PAGE_LIMIT = 100;
const MIN_PAGE_LIMIT = 10;
/** Stop paging after this many pages (10,000 keys): a bound on time, not a real organization's size. */
export const MAX_KEY_PAGES = 100;
export const DEFAULT_WORKSPACE_NAME = 'Default Workspace';

/** The manual route, for when the Admin API cannot answer. */
const CONSOLE_ROUTE = (tail: string) => [
  `In the Console, open Settings → API keys and find the key ending in …${tail}: compare the last 4 ` +
    `characters, its workspace and its status (active / inactive / archived / expired).`,
  'Admin keys (sk-ant-admin01-…) are created in Console → Settings → Admin keys by an organization ' +
    'admin; individual accounts have none.',
];

/** What the Admin API says about the failing key; the outcome also lists the live requests made. */
export type AdminLookupOutcome = AdminOutcome & { probes: ProbeResult[] };

export interface AdminDeps {
  /** The HTTP layer under runProbe (tests); defaults to probe.ts's node:http transport. */
  transport?: Transport;
  /** Clock for "has `expires_at` passed" (epoch ms). */
  now?: () => number;
  /** Override MAX_KEY_PAGES (tests). */
  maxPages?: number;
}

interface KeyRecord {
  id: string;
  name: string;
  status: string;
  createdAt: string | null;
  expiresAt: string | null;
  createdBy: { id: string; type: string } | null;
  workspaceId: string | null;
  hint: string;
}

export async function adminLookup(
  req: AdminRequest,
  opts: { timeoutMs: number; env: Record<string, string | undefined> },
  deps: AdminDeps = {},
): Promise<AdminLookupOutcome> {
  const out: AdminLookupOutcome = { findings: [], notes: [], probes: [] };
  const admin = kindOf(req.adminKey);
  const adminFp = fingerprint(req.adminKey);
  const target = kindOf(req.value);
  const tail = req.value.length >= 20 ? req.value.slice(-4) : '????';

  // 1. Only an Admin key (or an OAuth token, which may carry org:admin) is sent to the Admin API.
  if (!ADMIN_CREDENTIAL_KINDS.includes(admin.kind)) {
    const what = admin.kind === 'api_key' ? 'a normal API key' : KIND_NAMES[admin.kind];
    const swapped =
      admin.kind === 'api_key' && target.kind === 'admin_key'
        ? ' The two keys look swapped: the Admin key is where the API key belongs, and the other way round.'
        : '';
    out.notes.push(`Admin API: not asked: the key given as the Admin key (${adminFp}) is ${what}.`);
    out.findings.push(
      finding(
        'admin.unavailable',
        `The key given as the Admin key is ${what} (${adminFp}); Admin keys start with sk-ant-admin01- ` +
          `and are created in Console → Settings → Admin keys.${swapped}`,
        {
          severity: 'warning',
          fix: [
            'Pass an Admin key (sk-ant-admin01-…): ANTHROPIC_ADMIN_KEY=… npx claude-401-wizard check ' +
              '--admin-key-env ANTHROPIC_ADMIN_KEY',
            ...CONSOLE_ROUTE(tail),
          ],
        },
      ),
    );
    return out;
  }

  // 6. Only API keys are listed by the Admin API; an Admin key in the API key's place is key_format's finding.
  if (target.kind !== 'api_key') {
    out.notes.push(
      target.kind === 'admin_key'
        ? `Admin API: the failing credential ${req.fingerprint} is itself an Admin key, not an API key; ` +
            `there is no API key record to look up.`
        : `Admin API: the failing credential ${req.fingerprint} is ${KIND_NAMES[target.kind]}, not an API ` +
            `key; the Admin API lists API keys only.`,
    );
    return out;
  }

  const get = async (path: string): Promise<ProbeResult> => {
    const r = await runProbe(
      adminRequest(req, path, admin.kind),
      { timeoutMs: opts.timeoutMs },
      { env: opts.env, transport: deps.transport },
    );
    // The diagnosis keeps the summary: a successful body lists other keys of the organization.
    const { json: _json, ...kept } = r;
    out.probes.push(r.status === 200 ? { ...kept, bodySnippet: '' } : kept);
    return r;
  };
  const unavailable = (detail: string) => {
    out.findings.push(finding('admin.unavailable', detail, { fix: CONSOLE_ROUTE(tail) }));
    return out;
  };

  // 2. Which organization the Admin key belongs to.
  const me = await get('/v1/organizations/me');
  const org = ok(me) ? orgOf(me.json) : null;
  if (!org) {
    out.notes.push(
      `Admin API: ${answerText(me)} for GET /v1/organizations/me; key status and workspace not looked up.`,
    );
    return unavailable(`The Admin API could not be used with ${adminFp}: ${whyRefused(me)}`);
  }
  const orgName = `${org.name} (${org.id})`;
  out.notes.push(`Admin key ${adminFp} belongs to organization ${orgName}.`);

  // 3. Page through the organization's keys for one whose partial hint matches.
  const maxPages = deps.maxPages ?? MAX_KEY_PAGES;
  const matches: KeyRecord[] = [];
  let searched = 0;
  let after: string | null = null;
  let limit = KEYS_PAGE_LIMIT;
  for (let pageNo = 1; ;) {
    const q: string = `?limit=${limit}` + (after ? `&after_id=${encodeURIComponent(after)}` : '');
    const r = await get('/v1/organizations/api_keys' + q);
    if (r.status === 200 && r.json === undefined && limit > MIN_PAGE_LIMIT) {
      // Cut off (too long to read whole): the same page again, smaller.
      limit = Math.max(MIN_PAGE_LIMIT, Math.floor(limit / 2));
      continue;
    }
    const page = ok(r) ? pageOf(r.json) : null;
    if (!page) {
      out.notes.push(`Admin API: ${answerText(r)} for GET /v1/organizations/api_keys (page ${pageNo}).`);
      return unavailable(`The keys of organization ${orgName} could not be listed: ${whyRefused(r)}`);
    }
    searched += page.keys.length;
    matches.push(...page.keys.filter((k) => hintMatches(k.hint, target.prefix, req.value)));
    if (!page.hasMore || !page.lastId || page.lastId === after) break;
    if (pageNo >= maxPages) {
      out.notes.push(`Admin API: stopped after ${maxPages} pages (${searched} keys); the organization has more.`);
      if (matches.length === 0)
        return unavailable(
          `The first ${searched} keys of organization ${orgName} hold none ending in …${tail}; the rest ` +
            `were not searched.`,
        );
      break;
    }
    after = page.lastId;
    pageNo++;
  }

  // 5. Not there: another organization's key, or a deleted one.
  if (matches.length === 0) {
    out.findings.push(
      finding(
        'admin.key_not_in_org',
        `The Admin key's organization ${orgName} has no key ending in …${tail} (${req.fingerprint}; ` +
          `${searched} keys searched): the key belongs to another organization, or was deleted.`,
        {
          fix: [
            `Find the organization the key was created in: in the Console, switch organization (top ` +
              `left) and look for …${tail} under Settings → API keys.`,
            'Or run again with an Admin key of that organization.',
            'If the key was deleted, create a new one: Console → Settings → API keys → Create key, and ' +
              'update every place the old one is used.',
          ],
        },
      ),
    );
    return out;
  }

  // 4. Found: report the record, then its workspace.
  const key = newest(matches);
  if (matches.length > 1)
    out.notes.push(
      `Admin API: ${matches.length} keys share the hint of ${req.fingerprint} (first 3 and last 4 ` +
        `characters); using the newest, ${key.id}.`,
    );
  const now = (deps.now ?? Date.now)();
  const expiredAt = key.expiresAt !== null && Date.parse(key.expiresAt) <= now ? key.expiresAt : null;
  const status = key.status === 'active' && expiredAt ? 'expired' : key.status;
  out.keyStatus = status;
  out.notes.push(
    `Key ${req.fingerprint} is "${key.name}" (${key.id}): status ${key.status}, created ${when(key.createdAt)}` +
      (key.createdBy ? ` by ${key.createdBy.type} ${key.createdBy.id}` : '') +
      (`, expires ${key.expiresAt ? when(key.expiresAt) : 'never'}, workspace ` +
        `${key.workspaceId ?? DEFAULT_WORKSPACE_NAME}.`),
  );

  let workspaceArchived = false;
  if (key.workspaceId === null) {
    out.workspace = { id: null, name: DEFAULT_WORKSPACE_NAME, archived: false };
  } else {
    const r = await get(`/v1/organizations/workspaces/${encodeURIComponent(key.workspaceId)}`);
    const ws = ok(r) ? workspaceOf(r.json) : null;
    if (!ws) {
      out.notes.push(`Admin API: ${answerText(r)} for workspace ${key.workspaceId}; its state is not known.`);
      out.workspace = { id: key.workspaceId, name: null, archived: false };
    } else {
      workspaceArchived = ws.archivedAt !== null;
      out.workspace = { id: key.workspaceId, name: ws.name, archived: workspaceArchived };
      if (ws.archivedAt !== null) {
        out.findings.push(
          finding(
            'workspace.archived',
            `Key ${req.fingerprint} ("${key.name}") is in workspace "${ws.name}" (${key.workspaceId}), ` +
              `archived on ${when(ws.archivedAt)}; archiving a workspace revokes every key in it (this ` +
              `key's status: ${status}).`,
            {
              fix: [
                'Archiving a workspace revokes every key in it and cannot be undone: create a new key in ' +
                  'a live workspace (Console → Settings → Workspaces → an active workspace → API keys → ' +
                  'Create key).',
                'Update every place the old key is used (the sources listed in this diagnosis).',
              ],
            },
          ),
        );
      }
    }
  }

  if (status === 'expired') {
    const at = expiredAt ?? key.expiresAt;
    out.findings.push(
      finding(
        'key.expired',
        `Key ${req.fingerprint} ("${key.name}") expired${at ? ` on ${when(at)}` : ''} (Admin API status: ` +
          `${key.status}).`,
      ),
    );
  } else if ((status === 'inactive' || status === 'archived') && !workspaceArchived) {
    // A key archived with its workspace is explained by workspace.archived; reactivating it cannot help.
    out.findings.push(
      status === 'inactive'
        ? finding(
            'key.inactive',
            `Key ${req.fingerprint} ("${key.name}") was deactivated on the Console (Admin API status: inactive).`,
            {
              fix: [`Reactivate it: Console → Settings → API keys → "${key.name}" → Activate, or create a new key.`],
            },
          )
        : finding(
            'key.inactive',
            `Key ${req.fingerprint} ("${key.name}") is archived (Admin API status: archived); archived ` +
              `keys cannot be reactivated.`,
            { fix: [...ROTATION_STEPS] },
          ),
    );
  } else if (status === 'active' && key.expiresAt) {
    out.notes.push(`Key ${req.fingerprint} is active and expires on ${when(key.expiresAt)}.`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Credential kinds the Admin API may accept: Admin keys, OAuth tokens (org:admin scope), and
 *  values of no known shape (an Admin key format this tool does not know yet). */
const ADMIN_CREDENTIAL_KINDS: readonly CredentialKind[] = ['admin_key', 'oauth_access', 'unknown'];

const KIND_NAMES: Record<CredentialKind, string> = {
  api_key: 'an API key',
  admin_key: 'an Admin key',
  oauth_access: 'an OAuth access token',
  oauth_refresh: 'an OAuth refresh token',
  session_cookie: 'a claude.ai session cookie',
  foreign: "another provider's key",
  unknown: 'a value of no known shape',
};

function adminRequest(req: AdminRequest, path: string, kind: CredentialKind): ProbeRequest {
  const oauth = kind === 'oauth_access';
  const headers: Record<string, string> = {
    'user-agent': 'claude-401-wizard',
    accept: 'application/json',
    'anthropic-version': ADMIN_API_VERSION,
  };
  // fact sheet §4: an OAuth token with org:admin goes as Bearer; §2: every OAuth Bearer request needs the beta.
  if (oauth) {
    headers['authorization'] = `Bearer ${req.adminKey}`;
    headers['anthropic-beta'] = OAUTH_BETA;
  } else headers['x-api-key'] = req.adminKey;
  return {
    purpose: 'admin',
    method: 'GET',
    url: req.apiUrl.replace(/\/+$/, '') + path,
    headers,
    sentAs: oauth ? 'authorization' : 'x-api-key',
    anthropicVersion: ADMIN_API_VERSION,
    oauthBeta: oauth,
    credentialKind: kind,
  };
}

const ok = (r: ProbeResult): boolean => r.status === 200 && r.json !== undefined;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);

function orgOf(json: unknown): { id: string; name: string } | null {
  if (!isObject(json) || !str(json.id)) return null;
  return { id: clean(json.id as string), name: clean(str(json.name) ?? '(no name)') };
}

function pageOf(json: unknown): { keys: KeyRecord[]; hasMore: boolean; lastId: string | null } | null {
  if (!isObject(json) || !Array.isArray(json.data)) return null;
  const keys: KeyRecord[] = [];
  for (const item of json.data) {
    if (!isObject(item) || !str(item.id) || !str(item.partial_key_hint)) continue;
    const by =
      isObject(item.created_by) && str(item.created_by.id)
        ? { id: clean(item.created_by.id as string), type: clean(str(item.created_by.type) ?? 'user') }
        : null;
    keys.push({
      id: clean(item.id as string),
      name: clean(str(item.name) ?? (item.id as string)),
      status: clean(str(item.status) ?? 'unknown'),
      createdAt: str(item.created_at),
      expiresAt: str(item.expires_at),
      createdBy: by,
      workspaceId: str(item.workspace_id) === null ? null : clean(item.workspace_id as string),
      hint: item.partial_key_hint as string,
    });
  }
  return { keys, hasMore: json.has_more === true, lastId: str(json.last_id) };
}

function workspaceOf(json: unknown): { name: string; archivedAt: string | null } | null {
  if (!isObject(json) || !str(json.id)) return null;
  return { name: clean(str(json.name) ?? (json.id as string)), archivedAt: str(json.archived_at) };
}

/** partial_key_hint = public prefix + first 3 body characters + `...` + last 4 (fact sheet §1, §4). */
export function hintMatches(hint: string, prefix: string, value: string): boolean {
  const m = /^(.+?)(?:\.\.\.|…)(.{4})$/.exec(hint);
  if (!m || !prefix || !value.startsWith(prefix)) return false;
  return m[1] === value.slice(0, prefix.length + 3) && m[2] === value.slice(-4);
}

function newest(keys: KeyRecord[]): KeyRecord {
  const t = (k: KeyRecord) => (k.createdAt ? Date.parse(k.createdAt) || 0 : 0);
  return keys.reduce((a, b) => (t(b) > t(a) ? b : a));
}

/** `2026-02-01 00:00 UTC`; text that is not a date is shown cleaned. */
function when(iso: string | null): string {
  if (!iso) return 'at an unknown time';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? clean(iso) : new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** Text from the server, for a note or detail: control characters removed, one line, capped. */
function clean(text: string, max = 120): string {
  const s = stripControl(text).replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function answerText(r: ProbeResult): string {
  if (r.network) return `no answer (${r.network.kind}${r.network.code ? ` ${clean(r.network.code, 40)}` : ''})`;
  return `answer ${r.status}${r.errorMessage ? ` "${clean(r.errorMessage)}"` : ''}`;
}

/** Why the Admin API did not answer as hoped, for admin.unavailable's detail. */
function whyRefused(r: ProbeResult): string {
  const said = r.errorMessage ? ` ("${clean(r.errorMessage)}")` : '';
  if (r.network)
    return `the API could not be reached (${r.network.kind}); key status and workspace were not looked up.`;
  switch (r.status) {
    case 401:
      return `it was rejected (401${said}): the Admin key is invalid, deactivated or deleted.`;
    case 403:
      return (
        `it was refused (403${said}): this credential has no Admin rights (an OAuth token needs the ` +
        `org:admin scope).`
      );
    case 404:
      return (
        `the Admin API answered 404${said}: individual accounts have no Admin API (only organizations do), ` +
        `or the Admin key is disabled.`
      );
    case 200:
      return "the answer was not the Admin API's JSON (a gateway or proxy in between?).";
    default:
      return `the Admin API answered ${r.status}${said}; try again later.`;
  }
}
