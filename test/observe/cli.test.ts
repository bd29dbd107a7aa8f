// `observe -- COMMAND` and `check --observe-clients` through the BUILT CLI, with the emulator as
// --api-url. The stand-in receives the observed program's own requests (a POST /v1/messages from
// Claude Code included) and answers 529; the emulator, which the live checks use, must never see a
// POST /v1/messages. See observe.test.ts for what "nothing left the machine" is taken to mean.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorKey, startEmulator, type Emulator } from '../../source/emulator/index.js';
import { fakeKey } from '../../source/emulator/keys.js';
import { CLI, requireBuild, runCli } from '../helpers/cli.js';
import { leakedWindow } from '../helpers/leak.js';
import { CLAUDE_BIN, gone, layout, linkPackage, script, SDK_0, SDK_1 } from './helpers.js';

const LIST_MODELS = "import Anthropic from '@anthropic-ai/sdk';\nawait new Anthropic().models.list();\n";

let emu: Emulator | null = null;
afterEach(async () => {
  if (emu) {
    // No follow-up check ever spends a token.
    expect(emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages')).toEqual([]);
    await emu.close();
  }
  emu = null;
});

interface JsonObservedRequest {
  method: string;
  path: string;
  xApiKey: string | null;
  authorization: string | null;
  anthropicVersion: string | null;
  anthropicBeta: string[];
  baseUrlHonoured: boolean;
  sources: string[];
}
interface JsonDoc {
  verdict: string;
  findings: { id: string; severity: string; step: string; detail: string }[];
  observed?: {
    command: string;
    client: string | null;
    exitCode: number | null;
    timedOut: boolean;
    output: string;
    bypassed: string[];
    requests: JsonObservedRequest[];
  }[];
}

describe('observe -- COMMAND', () => {
  it('observes the real SDK 1.17.0, writes `observed` in the contract shape, and leaks nothing', async () => {
    const key = emulatorKey();
    emu = await startEmulator({ keys: [key] });
    const { home, cwd } = await layout();
    await linkPackage(cwd, '@anthropic-ai/sdk', SDK_1);
    await script(cwd, 'app.mjs', LIST_MODELS);
    const r = await runCli(['observe', '--json', '--api-url', emu.url, '--', process.execPath, 'app.mjs'], {
      cwd,
      home,
      env: { ANTHROPIC_API_KEY: key.value },
      timeoutMs: 40_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.observed).toHaveLength(1);
    const o = doc.observed![0]!;
    expect(o.command).toMatch(/app\.mjs$/);
    expect(o.client).toBe('Anthropic/JS 1.17.0');
    expect(o.exitCode).toBe(1);
    expect(o.timedOut).toBe(false);
    expect(o.bypassed).toEqual([]);
    expect(o.requests[0]).toEqual({
      method: 'GET',
      path: '/v1/models',
      xApiKey: null,
      authorization: expect.stringMatching(/^Bearer sk-ant-api03-…[\w-]{4} \(108 chars\)$/),
      anthropicVersion: '2026-10-21',
      anthropicBeta: [],
      userAgent: 'Anthropic/JS 1.17.0',
      stainlessPackageVersion: '1.17.0',
      stainlessLang: 'js',
      baseUrlHonoured: true,
      sources: ['env:ANTHROPIC_API_KEY'],
    });
    expect(o.output).toContain('req_c401standin');
    // The stand-in's 529 is not the user's error: no api.overloaded finding from it.
    expect(doc.findings.map((f) => f.id)).not.toContain('api.overloaded');
    expect(leakedWindow(r.stdout + r.stderr, key.value)).toBeNull();
  });

  it(
    'reports a hard-coded credential as ' + 'client.unknown_credential, and redacts it from the ' + 'output it kept',
    async () => {
      emu = await startEmulator({ keys: [] });
      const { home, cwd } = await layout();
      await linkPackage(cwd, '@anthropic-ai/sdk', SDK_0);
      // Not key-shaped (a gateway's own token): only knowing the observed value can redact it.
      const hardCoded = 'gw' + randomBytes(24).toString('hex');
      // The program prints its own key: the kept output must not show it.
      await script(
        cwd,
        'app.mjs',
        `import Anthropic from '@anthropic-ai/sdk';\nconst k = '${hardCoded}';\nconsole.log('using ' + k);\n` +
          'await new Anthropic({ apiKey: k }).models.list();\n',
      );
      const r = await runCli(
        ['observe', '--json', '--no-network', '--api-url', emu.url, '--', process.execPath, 'app.mjs'],
        { cwd, home, env: {}, timeoutMs: 40_000 },
      );
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(r.code).toBe(1);
      expect(doc.verdict).toBe('problem');
      expect(doc.findings.map((f) => f.id)).toContain('client.unknown_credential');
      expect(doc.observed![0]!.requests[0]!.sources).toEqual([]);
      expect(doc.observed![0]!.requests[0]!.xApiKey).toBe(`…${hardCoded.slice(-4)} (50 chars)`);
      expect(doc.observed![0]!.output).toContain('using ');
      expect(leakedWindow(r.stdout + r.stderr, hardCoded)).toBeNull();
    },
  );

  it('Ctrl-C while the program runs: exit 130, and the program and its group are gone', async () => {
    requireBuild();
    const { home, cwd, root } = await layout();
    const pidFile = join(root, 'child.pid');
    await script(
      cwd,
      'forever.mjs',
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\n` +
        'setInterval(() => {}, 1000);\n',
    );
    const child = spawn(process.execPath, [CLI, 'observe', '--no-network', '--', process.execPath, 'forever.mjs'], {
      cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    for (let i = 0; i < 400 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 25));
    const pid = Number(await readFile(pidFile, 'utf8'));
    expect(gone(pid)).toBe(false);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code, stderr).toBe(130);
    expect(gone(pid, true)).toBe(true);
  });

  it('usage errors: no command, no --, a bad --observe-timeout (echoing at most 6 characters)', async () => {
    const { home, cwd } = await layout();
    const secretish = fakeKey('api');
    for (const args of [
      ['observe'],
      ['observe', '--'],
      ['observe', 'node', 'app.js'],
      ['observe', '--observe-timeout', secretish, '--', 'true'],
      ['observe', '--observe-timeout', '0', '--', 'true'],
    ]) {
      const r = await runCli(args, { cwd, home });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(leakedWindow(r.stderr, secretish)).toBeNull();
    }
  });
});

describe('check --observe-clients', () => {
  it(
    'observes each SDK copy in the project and Claude Code, and skips Claude Code when a settings file sets ' +
      'ANTHROPIC_BASE_URL',
    async () => {
      const key = emulatorKey();
      emu = await startEmulator({ keys: [key] });
      const { home, cwd } = await layout();
      await linkPackage(cwd, '@anthropic-ai/sdk', SDK_1);
      await linkPackage(cwd, 'some-framework/node_modules/@anthropic-ai/sdk', SDK_0);
      await linkPackage(cwd, '@anthropic-ai/claude-code-linux-x64/claude', CLAUDE_BIN);
      const env = {
        ANTHROPIC_API_KEY: key.value,
        DISABLE_AUTOUPDATER: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      };
      const args = ['check', '--json', '--observe-clients', '--api-url', emu.url];
      const r = await runCli(args, { cwd, home, env, timeoutMs: 90_000 });
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      const byClient = Object.fromEntries(doc.observed!.map((o) => [o.client, o]));
      expect(Object.keys(byClient).sort()).toEqual([
        'Anthropic/JS 0.137.0',
        'Anthropic/JS 1.17.0',
        'claude-cli/2.1.332',
      ]);
      expect(byClient['Anthropic/JS 1.17.0']!.requests[0]!.authorization).toMatch(/^Bearer /);
      expect(byClient['Anthropic/JS 0.137.0']!.requests[0]!.xApiKey).toMatch(/^sk-ant-api03-/);
      const cc = byClient['claude-cli/2.1.332']!;
      expect(cc.command).toBe('claude -p hi');
      expect(cc.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', baseUrlHonoured: true });
      for (const o of doc.observed!) {
        expect(o.bypassed).toEqual([]);
        expect(o.requests.every((q) => q.sources.includes('env:ANTHROPIC_API_KEY'))).toBe(true);
      }
      expect(leakedWindow(r.stdout + r.stderr, key.value)).toBeNull();

      // A settings file that sets ANTHROPIC_BASE_URL outranks the environment: Claude Code is not run.
      await mkdir(join(home, '.claude'), { recursive: true });
      await writeFile(
        join(home, '.claude/settings.json'),
        JSON.stringify({ env: { ANTHROPIC_BASE_URL: 'https://gateway.example' } }),
      );
      const again = await runCli([...args, '--no-network'], { cwd, home, env, timeoutMs: 90_000 });
      const doc2 = JSON.parse(again.stdout) as JsonDoc & { notes: string[] };
      expect(doc2.observed!.map((o) => o.client).sort()).toEqual(['Anthropic/JS 0.137.0', 'Anthropic/JS 1.17.0']);
      expect(doc2.notes.join('\n')).toMatch(
        /Claude Code was not observed: file:~\/\.claude\/settings\.json sets ANTHROPIC_BASE_URL/,
      );
    },
  );
});
