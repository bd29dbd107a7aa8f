// Observing the real clients (cli-contract.md "Observing the real program"): the real SDK 1.17.0 and
// 0.137.0 and the real Claude Code 2.1.332, each in a throw-away layout, against the stand-in.
//
// What "nothing left the machine" can honestly mean here: every program under test was given only
// loopback addresses (base URL and every proxy variable). For each one we assert that (a) its API
// requests reached the stand-in (`baseUrlHonoured`), (b) any attempt for another host went through
// the refusing proxy and is listed in `bypassed` (a CONNECT is answered 403, a proxied request is cut),
// and (c) the answer it printed is the stand-in's own (its request-id marker, or its address). A
// program that ignored both the base URL and the proxy variables would not be seen — no test program
// here does, and (c) would fail if one had got an answer from elsewhere.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeKey } from '../../source/emulator/keys.js';
import { observe, observeEnv, PROXY_VARS, STAND_IN_REQUEST_ID } from '../../source/io/observe.js';
import { observedFindings, toObservedProgram, type RawObservation } from '../../source/core/observed.js';
import { discovery, envCandidate } from '../helpers/discovery.js';
import { leakedWindow } from '../helpers/leak.js';
import { baseEnv, CLAUDE_BIN, claudeEnv, gone, layout, linkPackage, script, SDK_0, SDK_1 } from './helpers.js';

const LIST_MODELS = "import Anthropic from '@anthropic-ai/sdk';\nawait new Anthropic().models.list();\n";

function answeredByStandIn(raw: RawObservation): boolean {
  return raw.output.includes(STAND_IN_REQUEST_ID) || raw.output.includes(new URL(raw.standInUrl).host);
}

function nothingElsewhere(raw: RawObservation): void {
  expect(raw.bypassed).toEqual([]);
  expect(raw.requests.every((r) => r.baseUrlHonoured)).toBe(true);
  expect(new URL(raw.standInUrl).hostname).toBe('127.0.0.1');
}

describe('observeEnv: the user environment plus only the contract variables', () => {
  it(
    'changes exactly ANTHROPIC_BASE_URL, the proxy variables, NODE_USE_ENV_PROXY, CLAUDE_CODE_MAX_RETRIES; ' +
      'drops NO_PROXY',
    () => {
      const key = fakeKey('api');
      const user = {
        PATH: '/bin',
        ANTHROPIC_API_KEY: key,
        ANTHROPIC_BASE_URL: 'https://gateway.example',
        NO_PROXY: 'localhost',
        no_proxy: '127.0.0.1',
        HTTPS_PROXY: 'http://corp:3128',
        OTHER: 'x',
        UNSET: undefined,
      };
      const env = observeEnv(user, 'http://127.0.0.1:4000');
      const changed = Object.keys({ ...user, ...env }).filter(
        (k) => (user as Record<string, string | undefined>)[k] !== env[k],
      );
      expect(changed.sort()).toEqual(
        [
          'ANTHROPIC_BASE_URL',
          'NO_PROXY',
          'no_proxy',
          'NODE_USE_ENV_PROXY',
          'CLAUDE_CODE_MAX_RETRIES',
          ...PROXY_VARS.filter((v) => v !== 'HTTPS_PROXY'),
          'HTTPS_PROXY',
        ].sort(),
      );
      expect(env.ANTHROPIC_API_KEY).toBe(key);
      expect('NO_PROXY' in env || 'no_proxy' in env || 'UNSET' in env).toBe(false);
      for (const v of [...PROXY_VARS, 'ANTHROPIC_BASE_URL']) expect(env[v]).toBe('http://127.0.0.1:4000');
      expect(env.NODE_USE_ENV_PROXY).toBe('1');
      expect(env.CLAUDE_CODE_MAX_RETRIES).toBe('0');
    },
  );
});

describe('the real clients, observed', () => {
  it(
    '@anthropic-ai/sdk 1.17.0 sends the key as Bearer with ' + '2026-10-21, and the key is matched to its source',
    async () => {
      const { home, cwd } = await layout();
      await linkPackage(cwd, '@anthropic-ai/sdk', SDK_1);
      await script(cwd, 'app.mjs', LIST_MODELS);
      const key = fakeKey('api');
      const raw = await observe({
        argv: [process.execPath, 'app.mjs'],
        env: baseEnv(home, { ANTHROPIC_API_KEY: key }),
        cwd,
        timeoutMs: 20_000,
        interactive: false,
      });
      nothingElsewhere(raw);
      expect(answeredByStandIn(raw)).toBe(true);
      expect(raw.exitCode).toBe(1);
      const models = raw.requests.filter((r) => r.path === '/v1/models');
      expect(models.length).toBeGreaterThanOrEqual(1);
      const r = models[0]!;
      expect(r).toMatchObject({
        method: 'GET',
        via: 'direct',
        xApiKey: null,
        authorization: `Bearer ${key}`,
        anthropicVersion: '2026-10-21',
        userAgent: 'Anthropic/JS 1.17.0',
        stainlessPackageVersion: '1.17.0',
        stainlessLang: 'js',
      });
      const d = discovery({ candidates: [envCandidate('ANTHROPIC_API_KEY', key)] });
      const program = toObservedProgram(raw, d);
      expect(program.client).toBe('Anthropic/JS 1.17.0');
      expect(program.requests[0]!.sources).toEqual(['env:ANTHROPIC_API_KEY']);
      expect(program.requests[0]!.authorization).toMatch(/^Bearer sk-ant-api03-…[\w-]{4} \(108 chars\)$/);
      // The stand-in's own 529 is never read back as the user's error.
      expect(program.outputError).toBeNull();
      expect(observedFindings(raw, d)).toEqual([]);
    },
  );

  it(
    '@anthropic-ai/sdk 0.137.0 sends x-api-key with ' + '2023-06-01, and both headers when both variables are set',
    async () => {
      const { home, cwd } = await layout();
      await linkPackage(cwd, '@anthropic-ai/sdk', SDK_0);
      await script(cwd, 'app.mjs', LIST_MODELS);
      const key = fakeKey('api');
      const token = fakeKey('oat');
      const raw = await observe({
        argv: [process.execPath, 'app.mjs'],
        env: baseEnv(home, { ANTHROPIC_API_KEY: key, ANTHROPIC_AUTH_TOKEN: token }),
        cwd,
        timeoutMs: 20_000,
        interactive: false,
      });
      nothingElsewhere(raw);
      expect(answeredByStandIn(raw)).toBe(true);
      expect(raw.requests[0]).toMatchObject({
        method: 'GET',
        path: '/v1/models',
        xApiKey: key,
        authorization: `Bearer ${token}`,
        anthropicVersion: '2023-06-01',
        userAgent: 'Anthropic/JS 0.137.0',
        stainlessPackageVersion: '0.137.0',
      });
      const d = discovery({
        candidates: [envCandidate('ANTHROPIC_API_KEY', key), envCandidate('ANTHROPIC_AUTH_TOKEN', token)],
      });
      expect(toObservedProgram(raw, d).requests[0]!.sources).toEqual([
        'env:ANTHROPIC_API_KEY',
        'env:ANTHROPIC_AUTH_TOKEN',
      ]);
    },
  );

  it(
    'Claude Code 2.1.332 (-p, throw-away HOME) sends ' +
      'x-api-key with its beta, through the proxy to the ' +
      'stand-in',
    async () => {
      const { home, cwd } = await layout();
      const key = fakeKey('api');
      const raw = await observe({
        argv: [CLAUDE_BIN, '-p', 'hi'],
        env: claudeEnv(home, { ANTHROPIC_API_KEY: key }),
        cwd,
        timeoutMs: 30_000,
        interactive: false,
      });
      nothingElsewhere(raw);
      expect(answeredByStandIn(raw)).toBe(true);
      const messages = raw.requests.filter((r) => r.path === '/v1/messages');
      // CLAUDE_CODE_MAX_RETRIES=0 and x-should-retry: false: one request, no retries.
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        method: 'POST',
        xApiKey: key,
        authorization: null,
        anthropicVersion: '2023-06-01',
        stainlessPackageVersion: '0.128.0',
        baseUrlHonoured: true,
      });
      expect(messages[0]!.userAgent).toMatch(/^claude-cli\/2\.1\.332 /);
      expect(messages[0]!.anthropicBeta).toContain('claude-code-20250219');
      expect(messages[0]!.anthropicBeta).not.toContain('oauth-2025-04-20');
      const program = toObservedProgram(raw, discovery({ candidates: [envCandidate('ANTHROPIC_API_KEY', key)] }));
      expect(program.client).toBe('claude-cli/2.1.332');
      expect(program.outputError).toBeNull();
    },
  );
});

describe('what observation shows that configuration cannot', () => {
  it('a key written into the program is found in no source: client.unknown_credential', async () => {
    const { home, cwd } = await layout();
    await linkPackage(cwd, '@anthropic-ai/sdk', SDK_1);
    const hardCoded = fakeKey('api'); // generated now: no key-shaped literal in the repository
    const inEnv = fakeKey('api');
    await script(
      cwd,
      'app.mjs',
      `import Anthropic from '@anthropic-ai/sdk';\nawait new Anthropic({ apiKey: '${hardCoded}' }).models.list();\n`,
    );
    const raw = await observe({
      argv: [process.execPath, 'app.mjs'],
      env: baseEnv(home, { ANTHROPIC_API_KEY: inEnv }),
      cwd,
      timeoutMs: 20_000,
      interactive: false,
    });
    nothingElsewhere(raw);
    expect(answeredByStandIn(raw)).toBe(true);
    const d = discovery({ candidates: [envCandidate('ANTHROPIC_API_KEY', inEnv)] });
    expect(toObservedProgram(raw, d).requests[0]!.sources).toEqual([]);
    const findings = observedFindings(raw, d);
    expect(findings.map((f) => f.id)).toEqual(['client.unknown_credential']);
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.step).toBe('key_format');
    expect(leakedWindow(JSON.stringify(findings), hardCoded)).toBeNull();
  });

  it('a program with no credential prints the SDK error and sends nothing: client.no_request, classified', async () => {
    const { home, cwd } = await layout();
    await linkPackage(cwd, '@anthropic-ai/sdk', SDK_1);
    await script(cwd, 'app.mjs', LIST_MODELS);
    const raw = await observe({
      argv: [process.execPath, 'app.mjs'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 20_000,
      interactive: false,
    });
    expect(raw.requests).toEqual([]);
    expect(raw.bypassed).toEqual([]);
    expect(raw.output).toContain('Could not resolve authentication method');
    const d = discovery();
    const program = toObservedProgram(raw, d);
    expect(program.outputError?.errorMessage).toMatch(/Could not resolve authentication method/);
    expect(program.outputError?.form).toBe('sdk-ts');
    const findings = observedFindings(raw, d);
    expect(findings.map((f) => f.id)).toEqual(['client.no_request']);
    expect(findings[0]!.detail).toMatch(/Could not resolve authentication method/);
    expect(findings[0]!.detail).toMatch(/found no credential/);
  });

  it(
    'a program that ignores the base URL but honours the ' + 'proxy: its CONNECT is recorded, refused, and reported',
    async () => {
      const { home, cwd } = await layout();
      // Honours HTTPS_PROXY the way curl does: CONNECT to the API host through the proxy.
      await script(
        cwd,
        'direct.mjs',
        [
          "import http from 'node:http';",
          'const proxy = new URL(process.env.HTTPS_PROXY);',
          "const req = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: " +
            "'api.anthropic.com:443' });",
          "req.on('connect', (res, socket) => { console.error('proxy said ' + res.statusCode); " +
            'socket.destroy(); process.exit(3); });',
          "req.on('error', (e) => { console.error('proxy error ' + e.message); process.exit(4); });",
          'req.end();',
        ].join('\n'),
      );
      const raw = await observe({
        argv: [process.execPath, 'direct.mjs'],
        env: baseEnv(home),
        cwd,
        timeoutMs: 20_000,
        interactive: false,
      });
      expect(raw.output).toContain('proxy said 403');
      expect(raw.bypassed).toEqual(['api.anthropic.com:443']);
      expect(raw.requests).toMatchObject([
        { method: 'CONNECT', path: 'api.anthropic.com:443', baseUrlHonoured: false },
      ]);
      const findings = observedFindings(raw, discovery());
      expect(findings.map((f) => [f.id, f.severity, f.step])).toEqual([
        ['client.bypasses_base_url', 'error', 'provider'],
      ]);
    },
  );

  it('a proxied http:// request for another host is recorded and cut off, never forwarded', async () => {
    const { home, cwd } = await layout();
    await script(
      cwd,
      'proxied.mjs',
      [
        "import http from 'node:http';",
        'const proxy = new URL(process.env.HTTP_PROXY);',
        'const req = http.request({ host: proxy.hostname, port: proxy.port, path: ' +
          "'http://gateway.example:8080/v1/models', headers: { host: 'gateway.example:8080' } });",
        "req.on('response', (res) => { console.error('answered ' + res.statusCode); process.exit(0); });",
        "req.on('error', (e) => { console.error('no answer: ' + e.code); process.exit(5); });",
        'req.end();',
      ].join('\n'),
    );
    const raw = await observe({
      argv: [process.execPath, 'proxied.mjs'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 20_000,
      interactive: false,
    });
    expect(raw.output).toContain('no answer');
    expect(raw.exitCode).toBe(5);
    expect(raw.bypassed).toEqual(['gateway.example:8080']);
    expect(raw.requests[0]).toMatchObject({ via: 'proxy', path: '/v1/models', baseUrlHonoured: false });
  });
});

describe('stopping the program', () => {
  it('a program that never exits is stopped at the timeout, with everything it started', async () => {
    const { home, cwd, root } = await layout();
    const pidFile = join(root, 'grandchild.pid');
    await script(
      cwd,
      'forever.mjs',
      [
        "import { spawn } from 'node:child_process';",
        "import { writeFileSync } from 'node:fs';",
        "const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
        `writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));`,
        "process.on('SIGTERM', () => {}); // ignores the polite stop: SIGKILL must follow",
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const raw = await observe({
      argv: [process.execPath, 'forever.mjs'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 1500,
      interactive: false,
    });
    expect(raw.timedOut).toBe(true);
    expect(raw.stoppedBy).toBe('timeout');
    expect(raw.pid).not.toBeNull();
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(gone(raw.pid!, true)).toBe(true);
    expect(gone(grandchild)).toBe(true);
    const findings = observedFindings(raw, discovery());
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['client.no_request', 'warning']]);
    expect(findings[0]!.detail).toMatch(/within 2 s/);
  });

  it('a program that exits leaves nothing behind: what it started in its group is stopped too', async () => {
    const { home, cwd, root } = await layout();
    const pidFile = join(root, 'grandchild.pid');
    await script(
      cwd,
      'starter.mjs',
      [
        "import { spawn } from 'node:child_process';",
        "import { writeFileSync } from 'node:fs';",
        "const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
        'g.unref();',
        `writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));`,
        'process.exit(0);',
      ].join('\n'),
    );
    const raw = await observe({
      argv: [process.execPath, 'starter.mjs'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 20_000,
      interactive: false,
    });
    expect(raw.stoppedBy).toBe('exit');
    expect(raw.exitCode).toBe(0);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    expect(gone(grandchild)).toBe(true);
  });

  it('an abort (Ctrl-C) stops the program and its group at once', async () => {
    const { home, cwd } = await layout();
    await script(cwd, 'forever.mjs', 'setInterval(() => {}, 1000);\n');
    const ctl = new AbortController();
    const running = observe({
      argv: [process.execPath, 'forever.mjs'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 60_000,
      interactive: false,
      signal: ctl.signal,
    });
    setTimeout(() => ctl.abort(), 300);
    const raw = await running;
    expect(raw.cancelled).toBe(true);
    expect(raw.timedOut).toBe(false);
    expect(gone(raw.pid!, true)).toBe(true);
  });

  it('stops after the requests stop coming; the retries it still makes are recorded and bounded', async () => {
    const { home, cwd } = await layout();
    // Ignores x-should-retry and keeps asking, then idles without exiting.
    await script(
      cwd,
      'retry.mjs',
      [
        "import http from 'node:http';",
        'const base = new URL(process.env.ANTHROPIC_BASE_URL);',
        'let n = 0;',
        'const ask = () => http.get({ host: base.hostname, port: base.port, path: "/v1/models" }, (res) => {',
        '  res.resume(); res.on("end", () => { if (++n < 30) ask(); });',
        '});',
        'ask();',
        'setInterval(() => {}, 1000);',
      ].join('\n'),
    );
    const raw = await observe({
      argv: [process.execPath, 'retry.mjs'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 30_000,
      quietMs: 500,
      interactive: false,
    });
    expect(raw.stoppedBy).toBe('quiet');
    expect(raw.requests).toHaveLength(20);
    expect(raw.unrecorded).toBe(10);
    expect(gone(raw.pid!, true)).toBe(true);
  });

  it('a command that does not exist is a spawn error, not a crash', async () => {
    const { home, cwd } = await layout();
    const raw = await observe({
      argv: ['c401-no-such-program'],
      env: baseEnv(home),
      cwd,
      timeoutMs: 5000,
      interactive: false,
    });
    expect(raw.spawnError).toBe('ENOENT');
    expect(raw.requests).toEqual([]);
  });
});
