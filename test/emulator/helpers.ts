// Shared pieces of the emulator contract tests: a raw HTTP client (node:http, so no header is
// added or refused behind our back) and a fixture of credentials made at run time.
import { request } from 'node:http';
import { afterEach, expect } from 'vitest';
import {
  emulatorKey,
  startEmulator,
  DEFAULT_ORG_ID,
  type Emulator,
  type EmulatorConfig,
} from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';

const started: Emulator[] = [];

/** Starts an emulator that is closed after the current test. */
export async function start(config?: EmulatorConfig): Promise<Emulator> {
  const emu = await startEmulator(config);
  started.push(emu);
  return emu;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

export interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  json: any;
}

export function call(
  emu: { url: string },
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(emu.url + path, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string | undefined>,
          text,
          json,
        });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const V = { 'anthropic-version': '2023-06-01' };
export const V2026 = { 'anthropic-version': '2026-10-21' };
export const OAUTH_BETA = { 'anthropic-beta': 'oauth-2025-04-20' };
export const countBody = (model = 'claude-sonnet-4-5', text = 'Hello, world') =>
  JSON.stringify({ model, messages: [{ role: 'user', content: text }] });

/** Asserts the exact Anthropic error envelope, and that header and body name the same request. */
export function expectAnthropicError(a: Answer, status: number, type: string, message: string): void {
  expect({ status: a.status, type: a.json?.error?.type, message: a.json?.error?.message }).toEqual({
    status,
    type,
    message,
  });
  expect(a.headers['content-type']).toBe('application/json');
  expect(Object.keys(a.json).sort()).toEqual(['error', 'request_id', 'type']);
  expect(a.json.type).toBe('error');
  expect(a.headers['request-id']).toMatch(/^req_[A-Za-z0-9]{24}$/);
  expect(a.json.request_id).toBe(a.headers['request-id']);
}

/** A world with one of each credential, all in the default org. */
export function fixture() {
  const now = Date.now();
  const key = emulatorKey({}, now);
  const teamKey = emulatorKey({ workspaceId: 'wrkspc_01EmuLatedTeamWorkspace0' }, now);
  const admin = fakeKey('admin');
  const oat = fakeKey('oat');
  const config: EmulatorConfig = {
    keys: [key, teamKey],
    adminKeys: [{ value: admin, orgId: DEFAULT_ORG_ID }],
    oauthTokens: [{ value: oat, orgId: DEFAULT_ORG_ID }],
  };
  return { key, teamKey, admin, oat, config, now };
}
