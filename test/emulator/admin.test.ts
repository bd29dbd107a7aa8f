// Contract: the Admin API (fact sheet §4, §8).
import { describe, expect, it } from 'vitest';
import { emulatorKey, DEFAULT_ORG_ID, DEFAULT_WORKSPACE_ID, type EmulatorConfig } from '../../source/emulator/index.js';
import * as M from '../../source/emulator/messages.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { call, expectAnthropicError, start, OAUTH_BETA, V, V2026 } from './helpers.js';

function world(extra: Partial<EmulatorConfig> = {}) {
  const admin = fakeKey('admin');
  const config: EmulatorConfig = {
    adminKeys: [{ value: admin, orgId: DEFAULT_ORG_ID }],
    workspaces: [
      { id: DEFAULT_WORKSPACE_ID, name: 'Team', orgId: DEFAULT_ORG_ID, createdAt: '2025-06-01T00:00:00Z' },
      {
        id: 'wrkspc_01Old',
        name: 'Old',
        orgId: DEFAULT_ORG_ID,
        archivedAt: '2026-02-01T00:00:00Z',
        createdAt: '2025-01-01T00:00:00Z',
      },
    ],
    ...extra,
  };
  return { admin, config, h: { ...V, 'x-api-key': admin } };
}

describe('Admin API', () => {
  it('GET /v1/organizations/me names the organization; org header yes, workspace header no', async () => {
    const w = world();
    const emu = await start(w.config);
    const a = await call(emu, '/v1/organizations/me', { headers: w.h });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ id: DEFAULT_ORG_ID, type: 'organization', name: 'Emulated Org' });
    expect(a.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
    expect(a.headers['anthropic-workspace-id']).toBeUndefined();
    expect(a.headers['request-id']).toMatch(/^req_/);
  });

  it('api_keys items are exactly the documented object, with a partial hint and derived status', async () => {
    const key = emulatorKey({
      id: 'apikey_01A',
      name: 'ci',
      createdAt: '2026-01-01T00:00:00Z',
      expiresAt: '2026-02-01T00:00:00Z',
      workspaceId: DEFAULT_WORKSPACE_ID,
    });
    const w = world({ keys: [key] });
    const emu = await start(w.config);
    const a = await call(emu, '/v1/organizations/api_keys', { headers: w.h });
    expect(a.status).toBe(200);
    const v = key.value;
    expect(a.json).toEqual({
      data: [
        {
          id: 'apikey_01A',
          created_at: '2026-01-01T00:00:00Z',
          created_by: { id: 'user_01EmuLatedUser0000000000', type: 'user' },
          expires_at: '2026-02-01T00:00:00Z',
          name: 'ci',
          partial_key_hint: 'sk-ant-' + 'api03-' + v.slice(13, 16) + '...' + v.slice(-4),
          principal: { id: 'user_01EmuLatedUser0000000000', type: 'user' },
          status: 'expired',
          type: 'api_key',
          workspace_id: DEFAULT_WORKSPACE_ID,
        },
      ],
      first_id: 'apikey_01A',
      has_more: false,
      last_id: 'apikey_01A',
    });
    expect(a.json.data[0].partial_key_hint).toMatch(/AA$/);
    const one = await call(emu, '/v1/organizations/api_keys/apikey_01A', { headers: w.h });
    expect(one.json).toEqual(a.json.data[0]);
    const none = await call(emu, '/v1/organizations/api_keys/apikey_nope', { headers: w.h });
    expectAnthropicError(none, 404, 'not_found_error', M.NOT_FOUND.message);
  });

  it('filters by status (incl. derived), workspace_id and created_by_user_id', async () => {
    const keys = [
      emulatorKey({ id: 'k1', workspaceId: null }),
      emulatorKey({ id: 'k2', status: 'inactive', workspaceId: DEFAULT_WORKSPACE_ID }),
      emulatorKey({ id: 'k3', workspaceId: 'wrkspc_01Old' }), // archived with its workspace
      emulatorKey({ id: 'k4', createdBy: { id: 'user_other', type: 'user' }, expiresAt: '2020-01-01T00:00:00Z' }),
    ];
    const w = world({ keys });
    const emu = await start(w.config);
    const ids = async (q: string) =>
      (await call(emu, `/v1/organizations/api_keys?${q}`, { headers: w.h })).json.data
        .map((k: { id: string }) => k.id)
        .sort();
    expect(await ids('status=active')).toEqual(['k1']);
    expect(await ids('status=inactive')).toEqual(['k2']);
    expect(await ids('status=archived')).toEqual(['k3']);
    expect(await ids('status=expired')).toEqual(['k4']);
    expect(await ids(`workspace_id=${DEFAULT_WORKSPACE_ID}`)).toEqual(['k2']);
    expect(await ids('created_by_user_id=user_other')).toEqual(['k4']);
  });

  it('pages past 1,000 keys', async () => {
    const base = Date.parse('2026-01-01T00:00:00Z');
    const keys = Array.from({ length: 1500 }, (_, i) =>
      emulatorKey({ id: `apikey_${String(i).padStart(4, '0')}`, createdAt: new Date(base + i * 1000).toISOString() }),
    );
    const w = world({ keys });
    const emu = await start(w.config);
    const get = (q: string) => call(emu, `/v1/organizations/api_keys?${q}`, { headers: w.h });
    const dflt = await get('');
    expect(dflt.json.data).toHaveLength(20);
    expect(dflt.json.first_id).toBe('apikey_1499'); // newest first
    const p1 = await get('limit=1000');
    expect(p1.json.data).toHaveLength(1000);
    expect(p1.json.has_more).toBe(true);
    const mid = await get(`limit=499&after_id=${p1.json.last_id}`);
    expect(mid.json.data).toHaveLength(499);
    expect(mid.json.has_more).toBe(true);
    const p2 = await get(`limit=1000&after_id=${p1.json.last_id}`);
    expect(p2.json.data).toHaveLength(500);
    expect(p2.json.has_more).toBe(false);
    expect(p2.json.last_id).toBe('apikey_0000');
    const seen = new Set([...p1.json.data, ...p2.json.data].map((k: { id: string }) => k.id));
    expect(seen.size).toBe(1500);
    const back = await get(`limit=1000&before_id=${p2.json.first_id}`);
    expect(back.json.data.map((k: { id: string }) => k.id)).toEqual(p1.json.data.map((k: { id: string }) => k.id));
    expect(back.json.has_more).toBe(false);
    expect((await get('limit=1001')).status).toBe(400);
  });

  it('lists workspaces without the Default Workspace; archived ones only with include_archived', async () => {
    const w = world();
    const emu = await start(w.config);
    const ids = async (q: string) =>
      (await call(emu, `/v1/organizations/workspaces${q}`, { headers: w.h })).json.data.map(
        (x: { id: string }) => x.id,
      );
    expect(await ids('')).toEqual([DEFAULT_WORKSPACE_ID]);
    expect(await ids('?include_archived=true')).toEqual([DEFAULT_WORKSPACE_ID, 'wrkspc_01Old']);
    const one = await call(emu, '/v1/organizations/workspaces/wrkspc_01Old', { headers: w.h });
    expect(one.json).toMatchObject({
      id: 'wrkspc_01Old',
      name: 'Old',
      archived_at: '2026-02-01T00:00:00Z',
      type: 'workspace',
    });
    const dflt = await call(emu, `/v1/organizations/workspaces/${emu.config.orgs![0]!.defaultWorkspaceId}`, {
      headers: w.h,
    });
    expect(dflt.status).toBe(404);
  });

  it("an Admin key sees only its own organization's keys", async () => {
    const other = fakeKey('admin');
    const w = world({
      keys: [emulatorKey({ id: 'mine' })],
      orgs: [
        { id: DEFAULT_ORG_ID, name: 'A' },
        { id: 'org-b', name: 'B' },
      ],
    });
    w.config.adminKeys!.push({ value: other, orgId: 'org-b' });
    const emu = await start(w.config);
    const a = await call(emu, '/v1/organizations/api_keys', { headers: { ...V, 'x-api-key': other } });
    expect(a.json.data).toEqual([]);
    expect(a.headers['anthropic-organization-id']).toBe('org-b');
    expect((await call(emu, '/v1/organizations/api_keys/mine', { headers: { ...V, 'x-api-key': other } })).status).toBe(
      404,
    );
  });

  it('an individual account has no Admin API → ADMIN_UNAVAILABLE_INDIVIDUAL', async () => {
    const w = world({ orgs: [{ id: DEFAULT_ORG_ID, name: 'Me', individual: true }] });
    const emu = await start(w.config);
    const a = await call(emu, '/v1/organizations/api_keys', { headers: w.h });
    const u = M.ADMIN_UNAVAILABLE_INDIVIDUAL;
    expectAnthropicError(a, u.status, u.type, u.message);
  });

  it('an OAuth token needs the org:admin scope', async () => {
    const good = fakeKey('oat');
    const weak = fakeKey('oat');
    const emu = await start({
      oauthTokens: [
        { value: good, orgId: DEFAULT_ORG_ID, scopes: ['org:admin'] },
        { value: weak, orgId: DEFAULT_ORG_ID, scopes: ['user:inference'] },
      ],
    });
    const h = (t: string) => ({ ...V, ...OAUTH_BETA, authorization: `Bearer ${t}` });
    expect((await call(emu, '/v1/organizations/me', { headers: h(good) })).status).toBe(200);
    const a = await call(emu, '/v1/organizations/me', { headers: h(weak) });
    expectAnthropicError(a, 403, 'permission_error', M.OAUTH_SCOPE_ADMIN.message);
  });

  it('an Admin key as Bearer is accepted under 2026-10-21 only', async () => {
    const w = world();
    const emu = await start(w.config);
    expect(
      (await call(emu, '/v1/organizations/me', { headers: { ...V2026, authorization: `Bearer ${w.admin}` } })).status,
    ).toBe(200);
    const a = await call(emu, '/v1/organizations/me', { headers: { ...V, authorization: `Bearer ${w.admin}` } });
    expectAnthropicError(a, 401, 'authentication_error', 'Invalid bearer token');
  });
});
