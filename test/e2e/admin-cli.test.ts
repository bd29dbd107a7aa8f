// End to end: the BUILT CLI (`dist/cli.js check --json --admin-key-env`) against the real emulator,
// in a sandbox (empty HOME and working directory, only the variables given here).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  emulatorKey,
  startEmulator,
  DEFAULT_ORG_ID,
  type Emulator,
  type EmulatorKey,
} from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { leaksWindow } from '../io/sandbox.js';
import { hostPath } from '../helpers/cli.js';

const CLI = path.resolve('dist/cli.js');
const ARCHIVED_WS = {
  id: 'wrkspc_01ArchivedTeam',
  name: 'Archived team',
  orgId: DEFAULT_ORG_ID,
  archivedAt: '2026-02-03T04:05:00Z',
  createdAt: '2025-01-01T00:00:00Z',
};

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does).');
});

interface Run {
  code: number | null;
  json: any;
  stdout: string;
  stderr: string;
  emu: Emulator;
}

/** Runs `check --json` with ANTHROPIC_API_KEY = `apiKey` and ADMIN_KEY = `adminKey` against an emulator holding `keys`. */
async function check(keys: EmulatorKey[], apiKey: string, adminKey: string): Promise<Run> {
  const emu = await startEmulator({
    keys,
    adminKeys: [{ value: fakeKeyFor.admin, orgId: DEFAULT_ORG_ID }],
    workspaces: [ARCHIVED_WS],
  });
  cleanup.push(() => emu.close());
  const root = mkdtempSync(path.join(tmpdir(), 'c401-admin-e2e-'));
  cleanup.push(() => rmSync(root, { recursive: true, force: true }));
  const home = path.join(root, 'home');
  const cwd = path.join(home, 'work'); // below HOME: discovery stops walking up at HOME
  mkdirSync(cwd, { recursive: true });
  const env = { PATH: hostPath(), HOME: home, ANTHROPIC_API_KEY: apiKey, ADMIN_KEY: adminKey };
  const args = [
    CLI,
    'check',
    '--json',
    '--api-url',
    emu.url,
    '--admin-key-env',
    'ADMIN_KEY',
    '--client',
    'curl',
    '--no-color',
  ];
  // Asynchronous: the emulator answers from this process's event loop.
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(process.execPath, args, { cwd, env, timeout: 60_000 }, (err, stdout, stderr) => {
        const c: unknown = err ? (err as { code?: unknown }).code : 0;
        resolve({ code: typeof c === 'number' ? c : null, stdout, stderr });
      });
    },
  );
  let json: any = null;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\n--- stderr ---\n${stderr}`);
  }
  return { code, json, stdout, stderr, emu };
}

/** The organization's Admin key, made once per file. */
const fakeKeyFor = { admin: fakeKey('admin') };

const ids = (r: Run): string[] => r.json.findings.map((f: { id: string }) => f.id);
const finding = (r: Run, id: string) => r.json.findings.find((f: { id: string }) => f.id === id);
const adminCalls = (r: Run) => r.emu.requests.filter((q) => q.path.startsWith('/v1/organizations/'));

function expectNoLeak(r: Run, ...secrets: [string, number][]) {
  for (const [secret, prefix] of secrets) {
    expect(leaksWindow(r.stdout, secret, prefix)).toBe(false);
    expect(leaksWindow(r.stderr, secret, prefix)).toBe(false);
  }
}

describe('check --json --admin-key-env (built CLI, emulator)', () => {
  it('archived workspace → workspace.archived, exit 1', async () => {
    const k = emulatorKey({ workspaceId: ARCHIVED_WS.id });
    const r = await check([k], k.value, fakeKeyFor.admin);
    expect(r.code).toBe(1);
    expect(r.json.verdict).toBe('problem');
    expect(ids(r)).toContain('workspace.archived');
    expect(finding(r, 'workspace.archived')).toMatchObject({ severity: 'error', step: 'workspace' });
    expect(finding(r, 'workspace.archived').detail).toContain('2026-02-03');
    expect(adminCalls(r).map((q) => q.path)).toContain(`/v1/organizations/workspaces/${ARCHIVED_WS.id}`);
    expectNoLeak(r, [fakeKeyFor.admin, 15], [k.value, 13]);
  });

  it('expired key → key.expired, exit 1', async () => {
    const k = emulatorKey({ expiresAt: '2026-01-01T00:00:00Z' });
    const r = await check([k], k.value, fakeKeyFor.admin);
    expect(r.code).toBe(1);
    expect(ids(r)).toContain('key.expired');
    expect(finding(r, 'key.expired').detail).toContain('2026-01-01');
    expect(ids(r)).not.toContain('admin.key_not_in_org');
    expectNoLeak(r, [fakeKeyFor.admin, 15], [k.value, 13]);
  });

  it('inactive key → key.inactive, exit 1', async () => {
    const k = emulatorKey({ status: 'inactive' });
    const r = await check([k], k.value, fakeKeyFor.admin);
    expect(r.code).toBe(1);
    expect(ids(r)).toContain('key.inactive');
    expect(finding(r, 'key.inactive').detail).toContain('deactivated');
    expectNoLeak(r, [fakeKeyFor.admin, 15], [k.value, 13]);
  });

  it('a key the organization does not have → admin.key_not_in_org, exit 1', async () => {
    const stranger = fakeKey('api');
    const r = await check([emulatorKey({})], stranger, fakeKeyFor.admin);
    expect(r.code).toBe(1);
    expect(ids(r)).toContain('admin.key_not_in_org');
    expect(finding(r, 'admin.key_not_in_org').detail).toContain(`…${stranger.slice(-4)}`);
    expectNoLeak(r, [fakeKeyFor.admin, 15], [stranger, 13]);
  });

  it('a normal API key as the Admin key → admin.unavailable warning, no Admin API request; a working key still exits 0', async () => {
    const k = emulatorKey({});
    const notAdmin = fakeKey('api');
    const r = await check([k], k.value, notAdmin);
    expect(adminCalls(r)).toEqual([]);
    expect(finding(r, 'admin.unavailable')).toMatchObject({ severity: 'warning' });
    expect(finding(r, 'admin.unavailable').detail).toContain('normal API key');
    expect(r.json.verdict).toBe('ok');
    expect(r.code).toBe(0);
    expectNoLeak(r, [notAdmin, 13], [k.value, 13]);
  });
});
