// Performance and packaging benchmarks (issue 9). Each figure is a ratio against a bare-node
// baseline measured in the same run on the same machine; medians of RUNS runs, interleaved so
// that drift hits both sides alike. Prints each figure with its target; exits 1 if one misses.
//   node bench/run.mjs            (npm run bench builds first)
import { build } from 'esbuild';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'dist/cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
if (!existsSync(CLI)) {
  console.error('dist/cli.js is missing: run `npm run build` first (npm run bench does).');
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

const sandbox = mkdtempSync(join(tmpdir(), 'c401-bench-'));
const home = join(sandbox, 'home');
const cwd = join(sandbox, 'project');
mkdirSync(home, { recursive: true });
mkdirSync(cwd, { recursive: true });
const baseEnv = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' };

function timeProcess(cmd, args, env) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', rej);
    child.on('close', (code) => res({ ms: performance.now() - t0, code, out }));
  });
}

/** Time from spawn in a real PTY until `ready(screenText)` holds. */
async function timePty(cmd, args, env, ready) {
  const pty = (await import('@lydell/node-pty')).default ?? (await import('@lydell/node-pty'));
  return new Promise((res, rej) => {
    const t0 = performance.now();
    let text = '';
    let done = false;
    const p = pty.spawn(cmd, args, { cols: 80, rows: 24, cwd, env: { ...env, TERM: 'xterm-256color', CI: 'false' } });
    const timer = setTimeout(() => {
      if (!done) {
        p.kill();
        rej(new Error(`PTY ${args.join(' ')}: not ready in 10 s; saw ${JSON.stringify(text.slice(0, 200))}`));
      }
    }, 10_000);
    p.onData((d) => {
      text += d;
      if (!done && ready(text)) {
        done = true;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        p.kill();
        res(ms);
      }
    });
    p.onExit(() => {
      if (!done) {
        clearTimeout(timer);
        rej(new Error(`PTY ${args.join(' ')} exited before ready; saw ${JSON.stringify(text.slice(0, 300))}`));
      }
    });
  });
}

async function pair(label, target, a, b) {
  const xa = [];
  const xb = [];
  for (let i = 0; i < 2; i++) {
    await a();
    await b();
  } // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    xa.push(await a());
    xb.push(await b());
  }
  const ma = median(xa);
  const mb = median(xb);
  const ratio = ma / mb;
  const ok = ratio <= target;
  results.push({
    label,
    value: `${ratio.toFixed(2)}×`,
    detail: `${fmt(ma)} vs baseline ${fmt(mb)}`,
    target: `≤ ${target}×`,
    ok,
  });
}

const results = [];

// 1. First visible frame of the wizard in a PTY vs `node -e` printing one line.
const firstLine = /claude-401-wizard .* looking/;
await pair(
  'wizard: first visible frame in a PTY',
  2.0,
  () => timePty(process.execPath, [CLI], baseEnv, (t) => firstLine.test(t)),
  () =>
    timePty(process.execPath, ['-e', 'console.log("hello from node")'], baseEnv, (t) => t.includes('hello from node')),
);
// Also report (no target) when Ink's own first frame appears.
{
  const xs = [];
  for (let i = 0; i < Math.min(RUNS, 11); i++)
    xs.push(await timePty(process.execPath, [CLI], baseEnv, (t) => /Which program gets the 401\?/.test(t)));
  results.push({
    label: 'wizard: first Ink frame (first question) in a PTY',
    value: fmt(median(xs)),
    detail: 'informational',
    target: '—',
    ok: true,
  });
}

// 2. check --json --no-network vs bare `node -e ''`.
await pair(
  'check --json --no-network',
  1.5,
  async () => (await timeProcess(process.execPath, [CLI, 'check', '--json', '--no-network'], baseEnv)).ms,
  async () => (await timeProcess(process.execPath, ['-e', ''], baseEnv)).ms,
);

// 3. check --json against the emulator vs a bare script doing one fetch of /v1/models.
const emuBundle = join(sandbox, 'emulator.mjs');
await build({
  entryPoints: [join(ROOT, 'source/emulator/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: emuBundle,
  logLevel: 'error',
});
const { startEmulator } = await import(emuBundle);
const keyBody = Array.from(
  randomBytes(93),
  (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'[b & 63],
).join('');
const key = 'sk-ant-' + 'api03-' + keyBody + 'AA';
const emu = await startEmulator({
  keys: [
    {
      id: 'apikey_bench',
      value: key,
      status: 'active',
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      workspaceId: null,
      orgId: 'org_bench',
    },
  ],
  orgs: [{ id: 'org_bench', name: 'Bench Org' }],
});
const fetchScript = join(sandbox, 'fetch.mjs');
writeFileSync(
  fetchScript,
  `const r = await fetch(process.argv[2] + '/v1/models', { headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY, 'anthropic-version': '2023-06-01' } }); await r.text(); if (r.status !== 200) process.exit(1);\n`,
);
const checkEnv = { ...baseEnv, ANTHROPIC_API_KEY: key };
{
  const r = await timeProcess(
    process.execPath,
    [CLI, 'check', '--json', '--client', 'curl', '--api-url', emu.url],
    checkEnv,
  );
  if (r.code !== 0) throw new Error(`check against the emulator did not pass (exit ${r.code}): ${r.out.slice(0, 400)}`);
}
await pair(
  'check --json against the emulator',
  1.5,
  async () =>
    (await timeProcess(process.execPath, [CLI, 'check', '--json', '--client', 'curl', '--api-url', emu.url], checkEnv))
      .ms,
  async () => (await timeProcess(process.execPath, [fetchScript, emu.url], checkEnv)).ms,
);
const messagesCalls = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages').length;
results.push({
  label: 'zero tokens: POST /v1/messages received',
  value: String(messagesCalls),
  detail: `${emu.requests.length} requests in all`,
  target: '0',
  ok: messagesCalls === 0,
});
await emu.close();

// 4. Packaging: tarball size, no dependencies, installs with nothing fetched.
const packDir = join(sandbox, 'pack');
mkdirSync(packDir);
const packed = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
)[0];
const tgz = join(packDir, packed.filename);
const kb = statSync(tgz).size / 1000;
results.push({
  label: 'packed tarball',
  value: `${kb.toFixed(1)} KB`,
  detail: `${packed.entryCount} files`,
  target: '≤ 300 KB',
  ok: kb <= 300,
});
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const deps = Object.keys(pkg.dependencies ?? {}).length;
results.push({ label: 'dependencies in package.json', value: String(deps), detail: '', target: '0', ok: deps === 0 });
const installDir = join(sandbox, 'install');
const emptyCache = join(sandbox, 'empty-cache');
mkdirSync(installDir);
writeFileSync(join(installDir, 'package.json'), '{"name":"bench-install","version":"1.0.0"}');
const inst = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', emptyCache, tgz], {
  cwd: installDir,
  encoding: 'utf8',
  env: { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' },
});
const runs = spawnSync(process.execPath, [join(installDir, 'node_modules/claude-401-wizard/dist/cli.js'), '--help'], {
  cwd: installDir,
  encoding: 'utf8',
});
results.push({
  label: 'install from the tarball, offline, empty cache',
  value: inst.status === 0 && runs.status === 0 ? 'ok' : 'FAILED',
  detail: inst.status === 0 ? '--help runs from the install' : (inst.stderr || '').split('\n').slice(-3).join(' '),
  target: 'nothing fetched',
  ok: inst.status === 0 && runs.status === 0,
});

rmSync(sandbox, { recursive: true, force: true });

const width = Math.max(...results.map((r) => r.label.length));
console.log(
  `claude-401-wizard bench — ${new Date().toISOString()} — node ${process.version}, ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, linux ${release()}; medians of ${RUNS} runs`,
);
for (const r of results)
  console.log(
    `${r.ok ? 'PASS' : 'MISS'}  ${r.label.padEnd(width)}  ${r.value.padStart(9)}  target ${r.target.padEnd(15)} ${r.detail}`,
  );
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
