// io/admin.ts against the real emulator: every answer comes from the emulator's Admin API.
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../source/core/credential.js';
import { adminLookup, type AdminDeps } from '../../source/io/admin.js';
import {
  emulatorKey,
  startEmulator,
  DEFAULT_ORG_ID,
  type Emulator,
  type EmulatorConfig,
  type EmulatorKey,
} from '../../source/emulator/index.js';
import { fakeKey, randomBody } from '../../source/emulator/keys.js';
import { leaksWindow } from './sandbox.js';

const ORG = { id: DEFAULT_ORG_ID, name: 'Acme Research' };
const LIVE_WS = {
  id: 'wrkspc_01LiveTeam',
  name: 'Team',
  orgId: DEFAULT_ORG_ID,
  archivedAt: null,
  createdAt: '2025-06-01T00:00:00Z',
};
const OLD_WS = {
  id: 'wrkspc_01OldTeam',
  name: 'Old team',
  orgId: DEFAULT_ORG_ID,
  archivedAt: '2026-02-03T04:05:00Z',
  createdAt: '2025-01-01T00:00:00Z',
};
const NOW = Date.parse('2026-06-01T12:00:00Z');

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

/** An organization with an Admin key and the given keys; `target` is the failing key's value. */
async function world(keys: EmulatorKey[], over: Partial<EmulatorConfig> = {}) {
  const admin = fakeKey('admin');
  const emu = await startEmulator({
    keys,
    adminKeys: [{ value: admin, orgId: ORG.id }],
    orgs: [{ ...ORG }],
    workspaces: [LIVE_WS, OLD_WS],
    now: () => NOW,
    ...over,
  });
  running.push(emu);
  return { emu, admin };
}

function lookup(value: string, adminKey: string, apiUrl: string, deps: AdminDeps = {}) {
  return adminLookup(
    { value, fingerprint: fingerprint(value), adminKey, apiUrl },
    { timeoutMs: 5000, env: {} },
    { now: () => NOW, ...deps },
  );
}

const ids = (o: { findings: { id: string }[] }) => o.findings.map((f) => f.id).sort();
const key = (over: Partial<EmulatorKey>) =>
  emulatorKey({ orgId: ORG.id, createdAt: '2026-01-10T09:00:00Z', ...over }, NOW);

describe('adminLookup against the emulator', () => {
  it(
    'finds an active key in the Default Workspace: org ' + 'note, record note, no findings, no workspace request',
    async () => {
      const k = key({ name: 'backend', workspaceId: null, expiresAt: '2026-12-31T00:00:00Z' });
      const { emu, admin } = await world([key({}), k, key({})]);
      const o = await lookup(k.value, admin, emu.url);
      expect(o.findings).toEqual([]);
      expect(o.keyStatus).toBe('active');
      expect(o.workspace).toEqual({ id: null, name: 'Default Workspace', archived: false });
      expect(o.notes.join('\n')).toContain(`belongs to organization Acme Research (${ORG.id})`);
      expect(o.notes.join('\n')).toMatch(
        new RegExp(
          '"backend" \\(apikey_\\w+\\): status active, created 2026-01-10 09:00 UTC by user ' +
            'user_01EmuLatedUser\\w+, expires 2026-12-31 00:00 UTC, workspace Default Workspace',
        ),
      );
      expect(emu.requests.map((r) => r.path)).toEqual(['/v1/organizations/me', '/v1/organizations/api_keys']);
      for (const r of emu.requests) {
        expect(r.headers['x-api-key']).toBe(admin);
        expect(r.headers['anthropic-version']).toBe('2023-06-01');
        expect(r.headers['authorization']).toBeUndefined();
        // The failing key itself is never sent to the Admin API.
        expect(JSON.stringify(r.headers)).not.toContain(k.value);
      }
      expect(o.probes.map((p) => p.status)).toEqual([200, 200]);
    },
  );

  it('pages past 1,000 keys with after_id = last_id and finds the target on a later page', async () => {
    // 1,200 keys, newest first; the target is the 1,100th newest (page 11). Every page is read, so
    // that two keys with the same hint would be noticed.
    const keys = Array.from({ length: 1200 }, (_, i) =>
      key({
        id: `apikey_01${String(i).padStart(5, '0')}`,
        createdAt: new Date(NOW - (i + 1) * 60_000).toISOString(),
        workspaceId: LIVE_WS.id,
      }),
    );
    const target = keys[1099]!;
    const { emu, admin } = await world(keys);
    const o = await lookup(target.value, admin, emu.url);
    const lists = emu.requests.filter((r) => r.path === '/v1/organizations/api_keys');
    const expected = Array.from({ length: 12 }, (_, p) =>
      p === 0 ? { limit: '100' } : { limit: '100', after_id: keys[p * 100 - 1]!.id },
    );
    expect(lists.map((r) => Object.fromEntries(new URLSearchParams(r.query)))).toEqual(expected);
    expect(o.findings).toEqual([]);
    expect(o.notes.join('\n')).toContain(target.id);
    expect(o.workspace).toEqual({ id: LIVE_WS.id, name: 'Team', archived: false });
    expect(emu.requests.at(-1)!.path).toBe(`/v1/organizations/workspaces/${LIVE_WS.id}`);
  });

  it('stops after the page limit with a note, and does not claim the key is missing', async () => {
    const keys = Array.from({ length: 1200 }, (_, i) =>
      key({ createdAt: new Date(NOW - (i + 1) * 60_000).toISOString() }),
    );
    const { emu, admin } = await world(keys);
    const o = await lookup(keys[1100]!.value, admin, emu.url, { maxPages: 1 });
    expect(emu.requests.filter((r) => r.path === '/v1/organizations/api_keys')).toHaveLength(1);
    expect(o.notes.join('\n')).toContain('stopped after 1 pages (100 keys)');
    expect(ids(o)).toEqual(['admin.unavailable']);
    expect(o.findings[0]!.severity).toBe('info');
  });

  it('a page too long to read whole (long key names) is asked for again at half the size', async () => {
    const keys = Array.from({ length: 120 }, (_, i) =>
      key({ name: 'n'.repeat(1000), createdAt: new Date(NOW - (i + 1) * 60_000).toISOString() }),
    );
    const { emu, admin } = await world(keys);
    const o = await lookup(keys[110]!.value, admin, emu.url);
    expect(o.findings).toEqual([]);
    expect(o.keyStatus).toBe('active');
    const limits = emu.requests
      .filter((r) => r.path === '/v1/organizations/api_keys')
      .map((r) => new URLSearchParams(r.query).get('limit'));
    expect(limits.slice(0, 3)).toEqual(['100', '50', '25']);
    expect(new Set(limits.slice(2))).toEqual(new Set(['25']));
    // Names from the server are shown capped.
    expect(o.notes.join('\n')).not.toContain('n'.repeat(200));
  });

  it('text from the server (a key name) is shown without terminal control sequences', async () => {
    const k = key({ name: 'ci\u001b]0;pwned\u0007\u001b[2J-bot\u202e', status: 'inactive' });
    const { emu, admin } = await world([k]);
    const o = await lookup(k.value, admin, emu.url);
    // Successful Admin answers are not kept as body snippets (they list other keys).
    expect(o.probes.map((p) => p.bodySnippet)).toEqual(['', '']);
    const text = JSON.stringify(o);
    expect(text).not.toMatch(/\\u001b|\\u0007|\\u202e|\u202e/);
    expect(o.findings[0]!.detail).toContain('"ci-bot"');
  });

  it(
    'archived workspace → workspace.archived with the date; ' + 'the key archived with it is not also key.inactive',
    async () => {
      const k = key({ name: 'old-ci', workspaceId: OLD_WS.id });
      const { emu, admin } = await world([k]);
      const o = await lookup(k.value, admin, emu.url);
      expect(ids(o)).toEqual(['workspace.archived']);
      const f = o.findings[0]!;
      expect(f.severity).toBe('error');
      expect(f.detail).toContain('"Old team" (wrkspc_01OldTeam), archived on 2026-02-03 04:05 UTC');
      expect(f.fix.join(' ')).toMatch(/revokes every key.*create a new key in a live workspace/);
      expect(o.workspace).toEqual({ id: OLD_WS.id, name: 'Old team', archived: true });
      expect(o.keyStatus).toBe('archived');
    },
  );

  it('expired key (status expired) → key.expired with the date', async () => {
    const k = key({ status: 'expired', expiresAt: '2026-05-01T00:00:00Z' });
    const { emu, admin } = await world([k]);
    const o = await lookup(k.value, admin, emu.url);
    expect(ids(o)).toEqual(['key.expired']);
    expect(o.findings[0]!.detail).toContain('expired on 2026-05-01 00:00 UTC');
    expect(o.keyStatus).toBe('expired');
  });

  it('expires_at in the past by the injected clock → key.expired even when the record still says active', async () => {
    const k = key({ expiresAt: '2026-06-01T11:00:00Z' });
    // The emulator's clock is an hour earlier, so it still calls the key active.
    const { emu, admin } = await world([k], { now: () => NOW - 2 * 3_600_000 });
    const o = await lookup(k.value, admin, emu.url);
    expect(ids(o)).toEqual(['key.expired']);
    expect(o.findings[0]!.detail).toContain('expired on 2026-06-01 11:00 UTC (Admin API status: active)');
    // One hour before expiry by the injected clock: active, with the expiry in a note.
    const early = await lookup(k.value, admin, emu.url, { now: () => NOW - 2 * 3_600_000 });
    expect(early.findings).toEqual([]);
    expect(early.notes.join('\n')).toContain('expires on 2026-06-01 11:00 UTC');
  });

  it('inactive key → key.inactive "deactivated on the Console"', async () => {
    const k = key({ status: 'inactive', name: 'paused', workspaceId: LIVE_WS.id });
    const { emu, admin } = await world([k]);
    const o = await lookup(k.value, admin, emu.url);
    expect(ids(o)).toEqual(['key.inactive']);
    expect(o.findings[0]!.detail).toContain('deactivated on the Console');
    expect(o.findings[0]!.fix.join(' ')).toContain('"paused" → Activate');
    expect(o.workspace).toEqual({ id: LIVE_WS.id, name: 'Team', archived: false });
  });

  it('archived key in a live workspace → key.inactive "archived", rotation as the fix', async () => {
    const k = key({ status: 'archived', workspaceId: LIVE_WS.id });
    const { emu, admin } = await world([k]);
    const o = await lookup(k.value, admin, emu.url);
    expect(ids(o)).toEqual(['key.inactive']);
    expect(o.findings[0]!.detail).toContain('is archived');
    expect(o.findings[0]!.fix[0]).toMatch(/^Create a new key/);
    expect(o.keyStatus).toBe('archived');
  });

  it('several keys share the hint → says so and uses the newest', async () => {
    const older = key({ name: 'older', createdAt: '2025-01-01T00:00:00Z' });
    const twinValue = older.value.slice(0, 16) + randomBody(88) + older.value.slice(-4);
    const newer = key({ name: 'newer', value: twinValue, status: 'inactive', createdAt: '2026-03-01T00:00:00Z' });
    const { emu, admin } = await world([older, newer]);
    const o = await lookup(older.value, admin, emu.url);
    expect(o.notes.join('\n')).toContain(`2 keys share the hint`);
    expect(o.notes.join('\n')).toContain(`using the newest, ${newer.id}`);
    expect(o.keyStatus).toBe('inactive');
  });

  it('unknown key → admin.key_not_in_org (error) naming the organization and the last 4', async () => {
    const { emu, admin } = await world([key({}), key({})]);
    const stranger = fakeKey('api');
    const o = await lookup(stranger, admin, emu.url);
    expect(ids(o)).toEqual(['admin.key_not_in_org']);
    const f = o.findings[0]!;
    expect(f.severity).toBe('error');
    expect(f.detail).toContain(`organization Acme Research (${ORG.id}) has no key ending in …${stranger.slice(-4)}`);
    expect(f.detail).toContain('another organization, or was deleted');
    expect(f.fix.length).toBeGreaterThan(0);
    expect(o.workspace).toBeUndefined();
  });

  it('a normal API key given as the Admin key → no request, admin.unavailable warning', async () => {
    const k = key({});
    const { emu } = await world([k]);
    const notAdmin = fakeKey('api');
    const o = await lookup(k.value, notAdmin, emu.url);
    expect(emu.requests).toEqual([]);
    expect(o.probes).toEqual([]);
    expect(ids(o)).toEqual(['admin.unavailable']);
    expect(o.findings[0]!.severity).toBe('warning');
    expect(o.findings[0]!.detail).toContain('is a normal API key (' + 'sk-ant-' + 'api03-…');
    expect(o.findings[0]!.detail).toContain(
      'start with ' + 'sk-ant-' + 'admin01- and are created in Console → Settings → Admin keys',
    );
    expect(leaksWindow(JSON.stringify(o), notAdmin, 13)).toBe(false);
  });

  it('the failing credential is itself an Admin key → a note, no look-up', async () => {
    const { emu, admin } = await world([]);
    const o = await lookup(fakeKey('admin'), admin, emu.url);
    expect(emu.requests).toEqual([]);
    expect(o.findings).toEqual([]);
    expect(o.notes.join('\n')).toMatch(/is itself an Admin key/);
  });

  it('individual account → admin.unavailable info explaining why, with the manual route; nothing fails', async () => {
    const k = key({});
    const { emu, admin } = await world([k], { orgs: [{ ...ORG, individual: true }] });
    const o = await lookup(k.value, admin, emu.url);
    expect(ids(o)).toEqual(['admin.unavailable']);
    const f = o.findings[0]!;
    expect(f.severity).toBe('info');
    expect(f.detail).toMatch(/404.*individual accounts have no Admin API/);
    expect(f.fix[0]).toContain(`Settings → API keys and find the key ending in …${k.value.slice(-4)}`);
    expect(o.findings.some((x) => x.severity === 'error')).toBe(false);
    expect(emu.requests).toHaveLength(1);
  });

  it('an Admin key the API does not know → admin.unavailable info "rejected (401 …)"', async () => {
    const k = key({});
    const { emu } = await world([k]);
    const o = await lookup(k.value, fakeKey('admin'), emu.url);
    expect(ids(o)).toEqual(['admin.unavailable']);
    expect(o.findings[0]!.severity).toBe('info');
    expect(o.findings[0]!.detail).toMatch(/rejected \(401 \("invalid x-api-key"\)\)/);
  });

  it('an OAuth token goes as Bearer with the beta; without org:admin it is refused (403 → info)', async () => {
    const k = key({ workspaceId: null });
    const withScope = fakeKey('oat');
    const without = fakeKey('oat');
    const { emu } = await world([k], {
      oauthTokens: [
        { value: withScope, orgId: ORG.id, scopes: ['org:admin'] },
        { value: without, orgId: ORG.id, scopes: ['user:inference'] },
      ],
    });
    const good = await lookup(k.value, withScope, emu.url);
    expect(good.findings).toEqual([]);
    expect(good.keyStatus).toBe('active');
    expect(emu.requests[0]!.headers['authorization']).toBe(`Bearer ${withScope}`);
    expect(emu.requests[0]!.headers['anthropic-beta']).toBe('oauth-2025-04-20');
    expect(emu.requests[0]!.headers['x-api-key']).toBeUndefined();
    const bad = await lookup(k.value, without, emu.url);
    expect(ids(bad)).toEqual(['admin.unavailable']);
    expect(bad.findings[0]!.detail).toContain('403');
    expect(bad.findings[0]!.detail).toContain('org:admin');
  });

  it('network failure (closed port) → a note and admin.unavailable info, no throw', async () => {
    const { emu, admin } = await world([]);
    const url = emu.url;
    await emu.close();
    running.splice(running.indexOf(emu), 1);
    const v = fakeKey('api');
    const o = await lookup(v, admin, url);
    expect(ids(o)).toEqual(['admin.unavailable']);
    expect(o.findings[0]!.severity).toBe('info');
    expect(o.findings[0]!.detail).toContain('could not be reached');
    expect(o.notes.join('\n')).toMatch(/no answer \(\w+/);
    expect(o.probes[0]!.status).toBeNull();
  });

  it('neither key appears in any output field (no 8-character window)', async () => {
    const k = key({ status: 'inactive', workspaceId: OLD_WS.id });
    const { emu, admin } = await world([k, key({})]);
    const outcomes = [
      await lookup(k.value, admin, emu.url),
      await lookup(fakeKey('api'), admin, emu.url),
      await lookup(k.value, fakeKey('admin'), emu.url),
    ];
    for (const o of outcomes) {
      const text = JSON.stringify(o);
      expect(leaksWindow(text, admin, 15)).toBe(false);
      expect(leaksWindow(text, k.value, 13)).toBe(false);
    }
    // The look-up did happen: the outputs are about the key, by fingerprint.
    expect(JSON.stringify(outcomes[0])).toContain(fingerprint(k.value));
    expect(JSON.stringify(outcomes[0])).toContain(fingerprint(admin));
  });
});
