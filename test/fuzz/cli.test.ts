// The leak fuzz suite, end-to-end share: the BUILT CLI in a sandbox, the secret put where the case
// says (env, .env, ~/.bashrc, settings env, apiKeyHelper, ANTHROPIC_CUSTOM_HEADERS, a proxy URL, a
// pasted --error-file, a server's answer), live checks against a local server that echoes every
// header it got back in its 401 (or the case's own echo text). Checked: stdout, stderr, the report
// file, the JSON, and for a few cases the raw PTY byte stream of the wizard.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { leaks } from '../helpers/leak.js';
import { answeringServer, box, cli, closedPort, ptyRun, requireBuild } from '../robustness/helpers.js';
import { makeCase, RUNS, SEED, tally, type Case } from './gen.js';

beforeAll(requireBuild);

/** The CLI share: one in 60 of the in-process count, at least 40 (each case is a process). */
const CLI_RUNS = Math.max(40, Math.round(RUNS / 60));
/** The wizard in a PTY: a handful (each is a few seconds). */
const PTY_RUNS = Math.max(4, Math.round(RUNS / 600));

/** A server that answers 401 and puts the case's echo text, or every header it received, in the body. */
async function echoServer(c: Case) {
  return answeringServer((req) => ({
    status: 401,
    headers: { 'content-type': 'application/json', 'request-id': 'req_011CFuzzEcho00000001' },
    body:
      c.placement === 'echo'
        ? c.text
        : JSON.stringify({
            type: 'error',
            error: {
              type: 'authentication_error',
              message: `invalid x-api-key; you sent ${JSON.stringify(req.headers)}`,
            },
          }),
  }));
}

/** The sandbox and environment of a case: the secret where the case puts it. */
async function setUp(c: Case) {
  const b = box();
  const env: Record<string, string> = {};
  const args: string[] = [];
  switch (c.placement) {
    case 'env':
      env[c.detail] = c.secret;
      break;
    case 'dotenv':
      b.write('.env', `${c.text}\n`);
      break;
    case 'shell':
      b.write('~/.bashrc', `# set up\n${c.text}\n`);
      break;
    case 'settings-env':
      b.write('~/.claude/settings.json', c.text);
      break;
    case 'helper':
      b.write('~/.claude/settings.json', JSON.stringify({ apiKeyHelper: c.text }));
      break;
    case 'custom-header':
      env.ANTHROPIC_CUSTOM_HEADERS = c.text;
      env.ANTHROPIC_API_KEY = `sk-ant-${'api03'}-fuzz`;
      break;
    case 'proxy':
      env.HTTPS_PROXY = c.text.replace('127.0.0.1:9', `127.0.0.1:${await closedPort()}`);
      env.HTTP_PROXY = env.HTTPS_PROXY;
      env.ANTHROPIC_API_KEY = `sk-ant-${'api03'}-fuzz`;
      break;
    case 'pasted':
      writeFileSync(b.path('error.txt'), c.text);
      args.push('--error-file', 'error.txt');
      break;
    case 'echo':
      env.ANTHROPIC_API_KEY = `sk-ant-${'api03'}-fuzz`;
      break;
  }
  const server = await echoServer(c);
  // A proxy case must reach the proxy: a non-local URL (never reached; the proxy refuses first).
  args.push('--api-url', c.placement === 'proxy' ? 'http://api.invalid' : server.url);
  return { b, env, args };
}

describe('leak fuzz, end to end (built CLI, local echo server)', () => {
  it(`${CLI_RUNS} CLI cases, seed ${SEED}: nothing on stdout, stderr, in the JSON or the report`, async () => {
    const cases: Case[] = [];
    const failures: string[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      // Spread over the in-process index space so that every shape and placement comes up.
      const c = makeCase(SEED, i * 7 + 3);
      cases.push(c);
      const { b, env, args } = await setUp(c);
      const json = i % 2 === 0;
      const report = path.join(b.cwd, 'r.md');
      const r = await cli(['check', ...(json ? ['--json'] : []), '--report', report, '--timeout', '2000', ...args], b, {
        env,
      });
      let md = '';
      try {
        md = (await import('node:fs')).readFileSync(report, 'utf8');
      } catch {
        failures.push(`case ${c.index}: no report (exit ${r.code}): ${r.stderr.slice(0, 300)}`);
      }
      const found = leaks({ stdout: r.stdout.replace(/\\[nrt]/g, ' '), stderr: r.stderr, report: md }, [c.secret]);
      for (const l of found)
        failures.push(`case ${c.index} (${c.shape} in ${c.placement}, ${JSON.stringify(c.damage)}): ${l}`);
      if (r.code === null || ![0, 1, 3].includes(r.code))
        failures.push(`case ${c.index}: exit ${r.code} ${r.signal ?? ''}: ${r.stderr.slice(0, 300)}`);
    }
    console.log(`leak fuzz CLI: ${cases.length} cases, seed ${SEED}\n${tally(cases)}`);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 600_000);

  it(`${PTY_RUNS} wizard cases in a PTY, seed ${SEED}: nothing in the raw byte stream`, async () => {
    const cases: Case[] = [];
    const failures: string[] = [];
    // The wizard shows what it reads from the environment and files, and what the server says.
    const placements = new Set(['env', 'dotenv', 'helper', 'custom-header', 'echo', 'settings-env']);
    for (let i = 0; cases.length < PTY_RUNS; i++) {
      const c = makeCase(SEED, i * 11 + 5);
      if (!placements.has(c.placement)) continue;
      cases.push(c);
      const { b, env, args } = await setUp(c);
      const run = await ptyRun([...args, '--timeout', '2000'], { cwd: b.cwd, home: b.home, env, cols: 100, rows: 40 });
      // Enter at every question (the defaults assume nothing), until the wizard ends.
      let done = false;
      void run.exited.then(() => (done = true));
      for (let n = 0; !done && n < 200; n++) {
        await new Promise((r) => setTimeout(r, 150));
        // A wait for a new key to activate is skipped (Esc); everything else gets Enter.
        if (!done) run.write(/Waiting for the key/.test(run.screen()) ? '\u001b' : '\r');
      }
      if (!done) failures.push(`case ${c.index}: the wizard did not end:\n${run.screen()}`);
      run.kill();
      for (const l of leaks({ 'PTY bytes': run.raw() }, [c.secret]))
        failures.push(`case ${c.index} (${c.shape} in ${c.placement}, ${JSON.stringify(c.damage)}): ${l}`);
    }
    console.log(`leak fuzz PTY: ${cases.length} wizard runs, seed ${SEED}\n${tally(cases)}`);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 600_000);
});
