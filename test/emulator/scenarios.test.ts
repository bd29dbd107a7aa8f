// The demo scenarios: each broken setup really is broken the way it claims, against the
// emulator(s) it starts, and its pasted error is what the real client prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The sdk-upgrade-gateway sandbox pins SDK 1.12.0, so its pasted error comes from that exact release.
import Anthropic112 from 'anthropic-sdk-112';
import Anthropic0 from 'anthropic-sdk-0x';
import { afterEach, describe, expect, it } from 'vitest';
import { isFindingId } from '../../source/core/findings.js';
import { SCENARIOS, startScenario, type RunningScenario } from '../../source/emulator/scenarios.js';
import { call, countBody, V } from './helpers.js';

const running: RunningScenario[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
async function run(name: string): Promise<RunningScenario> {
  const r = await startScenario(SCENARIOS.find((s) => s.name === name)!);
  running.push(r);
  return r;
}

const count = (url: { url: string }, headers: Record<string, string>) =>
  call(url, '/v1/messages/count_tokens', { method: 'POST', headers, body: countBody() });
/** The error text with its request id blanked, for comparing with a live one. */
const noId = (s: string) => s.replace(/req_[A-Za-z0-9]{24}/g, 'req_X');

const CHECKS: Record<string, (r: RunningScenario) => Promise<void>> = {
  'trailing-newline': async (r) => {
    const line = r.files['project/.env']!;
    const value = /^ANTHROPIC_API_KEY="(.*)\\n"\n$/.exec(line)?.[1];
    expect(value).toBeDefined();
    expect((await count(r.api, { ...V, 'x-api-key': value! })).status).toBe(200); // the key itself is fine
  },
  'revoked-key': async (r) => {
    const a = await count(r.api, { ...V, 'x-api-key': r.env['ANTHROPIC_API_KEY']! });
    expect(a.json.error.message).toBe('invalid x-api-key');
    expect(r.options.errorText).toContain("'message': 'invalid x-api-key'");
  },
  'bearer-header': async (r) => {
    const token = r.env['ANTHROPIC_AUTH_TOKEN']!;
    const a = await count(r.api, { ...V, authorization: `Bearer ${token}` });
    expect(noId(r.options.errorText!)).toBe(`Failed to authenticate. API Error: 401 ${noId(a.text)}`);
    expect((await count(r.api, { ...V, 'x-api-key': token })).status).toBe(200);
  },
  'new-key': async (r) => {
    const h = { ...V, 'x-api-key': r.env['ANTHROPIC_API_KEY']! };
    expect((await count(r.api, h)).status).toBe(401);
    r.api.config.now = () => Date.now() + 5000; // the emulator clock, 5 s on
    expect((await count(r.api, h)).status).toBe(200);
    expect(r.options).toMatchObject({ keyAgeMinutes: 1, waitSeconds: 20 });
  },
  'disabled-org': async (r) => {
    const h = { ...V, 'x-api-key': r.env['ANTHROPIC_API_KEY']! };
    expect((await call(r.api, '/v1/models', { headers: h })).status).toBe(200);
    const a = await count(r.api, h);
    expect(noId(r.options.errorText!)).toBe(`API Error: 400 ${noId(a.text)}`);
  },
  'gateway-base-url': async (r) => {
    expect(r.env['ANTHROPIC_BASE_URL']).toBe(r.gateway!.url);
    expect(r.files['home/.bashrc']).toContain(r.gateway!.url);
    const h = { ...V, 'x-api-key': r.env['ANTHROPIC_API_KEY']! };
    const viaGateway = await count({ url: r.env['ANTHROPIC_BASE_URL']! }, h);
    expect(r.options.errorText).toBe(`API Error: 401 ${viaGateway.text}`);
    expect((await count(r.api, h)).status).toBe(200);
  },
  'sdk-upgrade-gateway': async (r) => {
    expect(JSON.parse(r.files['project/node_modules/@anthropic-ai/sdk/package.json']!).version).toBe('1.12.0');
    const apiKey = r.env['ANTHROPIC_API_KEY']!;
    const baseURL = r.env['ANTHROPIC_BASE_URL']!;
    const err = await new Anthropic112({ apiKey, baseURL, maxRetries: 0 }).models.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic112.AuthenticationError);
    expect(r.options.errorText).toBe(`AuthenticationError: ${(err as Error).message}`);
    // The same key through the same gateway works from SDK 0.x, which sends x-api-key.
    const ok = await new Anthropic0({ apiKey, authToken: null, baseURL, maxRetries: 0 }).models.list();
    expect(ok.data.length).toBeGreaterThan(0);
  },
  'credit-exhausted': async (r) => {
    const a = await count(r.api, { ...V, 'x-api-key': r.env['ANTHROPIC_API_KEY']! });
    expect(a.status).toBe(400);
    expect(r.options.errorText).toContain(`'message': '${a.json.error.message}'`);
  },
  'oauth-no-beta': async (r) => {
    const authToken = r.env['ANTHROPIC_AUTH_TOKEN']!;
    expect(JSON.parse(r.files['project/node_modules/@anthropic-ai/sdk/package.json']!).version).toMatch(/^0\./);
    const err = await new Anthropic0({ apiKey: null, authToken, baseURL: r.api.url, maxRetries: 0 }).models
      .list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic0.AuthenticationError);
    expect(noId(r.options.errorText!)).toBe(noId(`AuthenticationError: ${(err as Error).message}`));
  },
  'custom-key-variable': async (r) => {
    // The program itself, run against the emulator: it sends MY_CLAUDE_KEY, which the API rejects.
    const dir = mkdtempSync(join(tmpdir(), 'c401-scenario-'));
    writeFileSync(join(dir, 'app.mjs'), r.files['project/app.mjs']!);
    // Asynchronously: the emulator answers from this same process.
    const out = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['app.mjs'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', MY_CLAUDE_KEY: r.env['MY_CLAUDE_KEY']!, ANTHROPIC_BASE_URL: r.api.url },
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('the API said 401');
    expect(out.stderr).toContain('invalid x-api-key');
    expect(r.env['ANTHROPIC_API_KEY']).toBeUndefined();
  },
};

describe('demo scenarios', () => {
  it('are named uniquely, complete, and expect a catalogued finding', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(Object.keys(CHECKS)));
    expect(Object.keys(CHECKS)).toEqual(expect.arrayContaining(names));
    for (const s of SCENARIOS) {
      expect(s.name).toMatch(/^[a-z0-9-]+$/);
      expect(s.title.length).toBeGreaterThan(0);
      expect(s.description).not.toContain('\n');
      expect(isFindingId(s.expectedFinding), s.expectedFinding).toBe(true);
    }
  });

  it.each(SCENARIOS.map((s) => s.name))('%s behaves as described', async (name) => {
    const r = await run(name);
    const all = JSON.stringify([r.env, r.files, r.options]);
    expect(all).not.toContain('{{');
    if (r.gateway) expect(all).toContain(r.gateway.url);
    await CHECKS[name]!(r);
  });

  it('make fresh credentials each time', () => {
    const s = SCENARIOS.find((x) => x.name === 'bearer-header')!;
    expect(s.setup().env['ANTHROPIC_AUTH_TOKEN']).not.toBe(s.setup().env['ANTHROPIC_AUTH_TOKEN']);
  });

  it('no credential-shaped literal is written in the emulator sources', () => {
    const dir = fileURLToPath(new URL('../../source/emulator', import.meta.url));
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(/sk-ant-[a-z]+\d+-[A-Za-z0-9_-]{8,}/);
    }
  });
});
