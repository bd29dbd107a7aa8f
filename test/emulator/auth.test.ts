// Contract: authentication order, exact messages (fact sheet §2) and the org/workspace headers.
// Observed messages are written out literally here, so a typo in messages.ts fails; [U] choices
// are read from their constants.
import { describe, expect, it } from 'vitest';
import { emulatorKey, DEFAULT_ORG_ID } from '../../source/emulator/index.js';
import * as M from '../../source/emulator/messages.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { call, countBody, expectAnthropicError, fixture, start, OAUTH_BETA, V, V2026 } from './helpers.js';

const noOrgHeaders = (a: { headers: Record<string, string | undefined> }) => {
  expect(a.headers['anthropic-organization-id']).toBeUndefined();
  expect(a.headers['anthropic-workspace-id']).toBeUndefined();
};

describe('request shape before credentials', () => {
  it('a browser Origin without the opt-in header is refused first', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { origin: 'https://example.test', 'x-api-key': f.key.value } });
    expectAnthropicError(
      a,
      401,
      'authentication_error',
      "CORS requests must set 'anthropic-dangerous-direct-browser-access' header",
    );
    noOrgHeaders(a);
    const ok = await call(emu, '/v1/models', {
      headers: {
        ...V,
        origin: 'https://example.test',
        'anthropic-dangerous-direct-browser-access': 'true',
        'x-api-key': f.key.value,
      },
    });
    expect(ok.status).toBe(200);
  });

  it('a missing anthropic-version is a 400, checked before the key', async () => {
    const emu = await start();
    const a = await call(emu, '/v1/models', { headers: { 'x-api-key': 'anything' } });
    expectAnthropicError(a, 400, 'invalid_request_error', 'anthropic-version: header is required');
    noOrgHeaders(a);
  });

  it('an invalid anthropic-version names the value', async () => {
    const emu = await start();
    const a = await call(emu, '/v1/models', { headers: { 'anthropic-version': '2023-06-01, 2023-06-01' } });
    expectAnthropicError(
      a,
      400,
      'invalid_request_error',
      'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version',
    );
  });

  it.each(['2023-06-01', '2023-01-01', '2026-10-21'])('version %s is valid', async (v) => {
    const f = fixture();
    const emu = await start(f.config);
    expect(
      (await call(emu, '/v1/models', { headers: { 'anthropic-version': v, 'x-api-key': f.key.value } })).status,
    ).toBe(200);
  });

  it('no credential header at all', async () => {
    const emu = await start();
    const a = await call(emu, '/v1/models', { headers: V });
    expectAnthropicError(a, 401, 'authentication_error', 'x-api-key header is required');
    noOrgHeaders(a);
  });
});

describe('x-api-key', () => {
  it('a valid key is accepted and the answer names its organization and workspace', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': f.key.value } });
    expect(a.status).toBe(200);
    expect(a.headers['request-id']).toMatch(/^req_[A-Za-z0-9]{24}$/);
    expect(a.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
    // The Default Workspace has a wrkspc_ id too, though keys show workspace_id null.
    expect(a.headers['anthropic-workspace-id']).toBe(emu.config.orgs![0]!.defaultWorkspaceId);
    expect(a.headers['anthropic-workspace-id']).toMatch(/^wrkspc_/);
    const team = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': f.teamKey.value } });
    expect(team.headers['anthropic-workspace-id']).toBe('wrkspc_01EmuLatedTeamWorkspace0');
  });

  it.each([
    ['an unknown well-formed key', () => fakeKey('api')],
    ['garbage', () => 'not-a-key'],
  ])('%s → invalid x-api-key', async (_name, value) => {
    const emu = await start(fixture().config);
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': value() } });
    expectAnthropicError(a, 401, 'authentication_error', 'invalid x-api-key');
    noOrgHeaders(a);
  });

  it('a new key is invalid until its activation delay has passed on the emulator clock', async () => {
    let clock = Date.parse('2026-11-23T12:00:00Z');
    const key = emulatorKey({ createdAt: new Date(clock).toISOString(), activeAfterMs: 4000 });
    const emu = await start({ keys: [key], now: () => clock });
    const before = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expectAnthropicError(before, 401, 'authentication_error', 'invalid x-api-key');
    clock += 4000;
    expect((await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } })).status).toBe(200);
  });

  it.each([
    ['inactive', { status: 'inactive' as const }],
    ['archived', { status: 'archived' as const }],
    ['in an archived workspace', { workspaceId: 'wrkspc_01Archived' }],
  ])('a key that is %s → 401 KEY_REVOKED', async (_name, over) => {
    const key = emulatorKey(over);
    const emu = await start({
      keys: [key],
      workspaces: [{ id: 'wrkspc_01Archived', name: 'old', orgId: DEFAULT_ORG_ID, archivedAt: '2026-01-01T00:00:00Z' }],
    });
    const a = await call(emu, '/v1/messages/count_tokens', {
      method: 'POST',
      headers: { ...V, 'x-api-key': key.value },
      body: countBody(),
    });
    expectAnthropicError(a, 401, 'authentication_error', M.KEY_REVOKED.message);
  });

  it.each([
    ['expires_at in the past', { expiresAt: new Date(Date.now() - 1000).toISOString() }],
    ['status expired', { status: 'expired' as const }],
  ])('an expired key (%s) → 401 KEY_EXPIRED', async (_name, over) => {
    const key = emulatorKey(over);
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expectAnthropicError(a, 401, 'authentication_error', M.KEY_EXPIRED.message);
  });

  it('an OAuth token in x-api-key → invalid x-api-key', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { ...V, ...OAUTH_BETA, 'x-api-key': f.oat } });
    expectAnthropicError(a, 401, 'authentication_error', M.OAUTH_IN_X_API_KEY.message);
  });

  it('an Admin key on an inference endpoint → ADMIN_KEY_ON_INFERENCE', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': f.admin } });
    expectAnthropicError(
      a,
      M.ADMIN_KEY_ON_INFERENCE.status,
      M.ADMIN_KEY_ON_INFERENCE.type,
      M.ADMIN_KEY_ON_INFERENCE.message,
    );
  });

  it('a normal key on the Admin API → KEY_ON_ADMIN (401)', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/organizations/api_keys', { headers: { ...V, 'x-api-key': f.key.value } });
    expect(M.KEY_ON_ADMIN.status).toBe(401);
    expectAnthropicError(a, 401, 'authentication_error', M.KEY_ON_ADMIN.message);
    noOrgHeaders(a);
  });
});

describe('Authorization: Bearer', () => {
  it('an API key as Bearer under 2023-06-01 → Invalid bearer token', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { ...V, authorization: `Bearer ${f.key.value}` } });
    expectAnthropicError(a, 401, 'authentication_error', 'Invalid bearer token');
    noOrgHeaders(a);
  });

  it('an API key as Bearer under 2026-10-21 is accepted (TS SDK 1.x)', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { ...V2026, authorization: `Bearer ${f.key.value}` } });
    expect(a.status).toBe(200);
    expect(a.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
    expect(a.headers['anthropic-workspace-id']).toMatch(/^wrkspc_/);
  });

  it('an unknown key as Bearer under 2026-10-21 → BEARER_KEY_REJECTED', async () => {
    const emu = await start(fixture().config);
    const a = await call(emu, '/v1/models', { headers: { ...V2026, authorization: `Bearer ${fakeKey('api')}` } });
    expectAnthropicError(a, 401, 'authentication_error', M.BEARER_KEY_REJECTED.message);
  });

  it.each([['Bearer not-a-token'], ['Basic dXNlcjpwYXNz']])('%s → Invalid bearer token', async (authorization) => {
    const emu = await start();
    const a = await call(emu, '/v1/models', { headers: { ...V, authorization } });
    expectAnthropicError(a, 401, 'authentication_error', 'Invalid bearer token');
  });

  it('x-api-key and Authorization with different values → BOTH_HEADERS_DIFFER', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', {
      headers: { ...V, 'x-api-key': f.key.value, authorization: `Bearer ${f.oat}` },
    });
    expectAnthropicError(a, 401, 'authentication_error', M.BOTH_HEADERS_DIFFER.message);
  });

  it('the same value in both headers is one credential and works', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', {
      headers: { ...V, 'x-api-key': f.key.value, authorization: `Bearer ${f.key.value}` },
    });
    expect(a.status).toBe(200);
  });
});

describe('OAuth access tokens', () => {
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('without the oauth beta → not supported', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/models', { headers: { ...V, ...bearer(f.oat) } });
    expectAnthropicError(a, 401, 'authentication_error', 'OAuth authentication is currently not supported.');
    noOrgHeaders(a);
  });

  it('with the beta (among others) → accepted', async () => {
    const f = fixture();
    const emu = await start(f.config);
    const a = await call(emu, '/v1/messages/count_tokens', {
      method: 'POST',
      headers: { ...V, ...bearer(f.oat), 'anthropic-beta': 'prompt-caching-2024-07-31, oauth-2025-04-20' },
      body: countBody(),
    });
    expect(a.status).toBe(200);
    expect(a.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
  });

  it('expired', async () => {
    const oat = fakeKey('oat');
    const emu = await start({ oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID, expired: true }] });
    const a = await call(emu, '/v1/models', { headers: { ...V, ...OAUTH_BETA, ...bearer(oat) } });
    expectAnthropicError(
      a,
      401,
      'authentication_error',
      'OAuth token has expired. Please obtain a new token or refresh your existing token.',
    );
  });

  it('unknown', async () => {
    const emu = await start();
    const a = await call(emu, '/v1/models', { headers: { ...V, ...OAUTH_BETA, ...bearer(fakeKey('oat')) } });
    expectAnthropicError(
      a,
      401,
      'authentication_error',
      'Invalid OAuth token. The provided token was not found or is malformed.',
    );
  });

  it('the organization forbids OAuth', async () => {
    const oat = fakeKey('oat');
    const emu = await start({
      orgs: [{ id: 'org-x', name: 'X', oauthAllowed: false }],
      oauthTokens: [{ value: oat, orgId: 'org-x' }],
    });
    const a = await call(emu, '/v1/models', { headers: { ...V, ...OAUTH_BETA, ...bearer(oat) } });
    expectAnthropicError(
      a,
      401,
      'authentication_error',
      'OAuth authentication is currently not allowed for this organization.',
    );
  });
});

describe('identity-linked keys', () => {
  it('without anthropic-workspace-id → 400 after authentication', async () => {
    const key = emulatorKey({ identityLinked: true });
    const emu = await start({ keys: [key] });
    const a = await call(emu, '/v1/models', { headers: { ...V, 'x-api-key': key.value } });
    expectAnthropicError(
      a,
      400,
      'invalid_request_error',
      'anthropic-workspace-id is required when authenticating with an identity-linked API key',
    );
    expect(a.headers['anthropic-organization-id']).toBe(DEFAULT_ORG_ID);
    expect(a.headers['anthropic-workspace-id']).toBeUndefined();
  });

  it('naming a workspace resolves to it; naming an unknown one is refused', async () => {
    const key = emulatorKey({ identityLinked: true });
    const emu = await start({ keys: [key] });
    const ok = await call(emu, '/v1/models', {
      headers: { ...V, 'x-api-key': key.value, 'anthropic-workspace-id': 'wrkspc_01EmuLatedTeamWorkspace0' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['anthropic-workspace-id']).toBe('wrkspc_01EmuLatedTeamWorkspace0');
    const bad = await call(emu, '/v1/models', {
      headers: { ...V, 'x-api-key': key.value, 'anthropic-workspace-id': 'wrkspc_nope' },
    });
    expectAnthropicError(bad, 400, 'invalid_request_error', M.workspaceUnknown('wrkspc_nope').message);
  });
});

describe('routing', () => {
  it('an unknown path is a 404 Not Found envelope', async () => {
    const emu = await start();
    const a = await call(emu, '/v1/v1/models', { headers: V });
    expectAnthropicError(a, 404, 'not_found_error', M.NOT_FOUND.message);
  });

  it('a known path with the wrong method is a 405', async () => {
    const emu = await start();
    const a = await call(emu, '/v1/organizations/api_keys', { method: 'POST', headers: V, body: '{}' });
    expectAnthropicError(a, 405, 'invalid_request_error', M.METHOD_NOT_ALLOWED.message);
  });

  it('records every request as it arrived', async () => {
    const emu = await start();
    await call(emu, '/v1/models?limit=2', { headers: { ...V, 'x-api-key': 'k' } });
    expect(emu.requests).toHaveLength(1);
    expect(emu.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models', query: 'limit=2', body: '' });
    expect(emu.requests[0]!.headers['x-api-key']).toBe('k');
  });
});
