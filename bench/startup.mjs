// Start-up without a network, alone (issue 22): `check --json --no-network` with a key in the
// environment, in an empty sandbox HOME and working directory, against a bare `node -e ''`. The
// sides take turns (baseline, then each build), medians of BENCH_RUNS (41) runs after 2 warm-ups.
// Besides the wall time seen from here, each process reports through a `-r` hook (both sides get it)
// its own CPU time (user + system) and when it exited (performance.now(), from process start).
//   node bench/startup.mjs                      (this tree's dist/cli.js)
//   node bench/startup.mjs /tmp/before/dist/cli.js dist/cli.js   (a before/after, interleaved)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 41);
const clis = process.argv.length > 2 ? process.argv.slice(2).map((c) => resolve(c)) : [join(ROOT, 'dist/cli.js')];

const sandbox = mkdtempSync(join(tmpdir(), 'c401-startup-'));
const home = join(sandbox, 'home');
const cwd = join(sandbox, 'project');
mkdirSync(home);
mkdirSync(cwd);
const hook = join(sandbox, 'hook.cjs');
writeFileSync(
  hook,
  "process.on('exit', () => { const c = process.cpuUsage(); " +
    "require('fs').writeSync(3, `${(c.user + c.system) / 1000} ${performance.now()}\\n`); });\n",
);
const env = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8' };
const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const key = 'sk-ant-api03-' + Array.from(randomBytes(93), (b) => alphabet[b & 63]).join('') + 'AA';

function run(args, e) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', hook, ...args], {
    cwd,
    env: e,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const wall = performance.now() - t0;
  if (args[0] !== '-e' && r.status !== 3) throw new Error(`${args[0]}: exit ${r.status}: ${String(r.stderr)}`);
  const [cpu, exit] = String(r.output[3]).trim().split(' ').map(Number);
  return { wall, cpu, exit };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const load0 = loadavg()[0];
const base = [];
const sides = clis.map(() => []);
for (let i = 0; i < RUNS + 2; i++) {
  const b = run(['-e', ''], env);
  const xs = clis.map((c) => run([c, 'check', '--json', '--no-network'], { ...env, ANTHROPIC_API_KEY: key }));
  if (i < 2) continue;
  base.push(b);
  xs.forEach((x, j) => sides[j].push(x));
}
rmSync(sandbox, { recursive: true, force: true });

const m = (xs, k) => median(xs.map((x) => x[k])).toFixed(1);
const mb = median(base.map((x) => x.wall));
console.log(
  `node ${process.version}, load ${load0.toFixed(2)} → ${loadavg()[0].toFixed(2)}, medians of ${RUNS}; ` +
    `node -e '': wall ${mb.toFixed(1)} ms, CPU ${m(base, 'cpu')} ms, exit at ${m(base, 'exit')} ms`,
);
clis.forEach((c, j) => {
  const w = median(sides[j].map((x) => x.wall));
  console.log(
    `${(w / mb).toFixed(2)}×  wall ${w.toFixed(1)} ms, CPU ${m(sides[j], 'cpu')} ms, ` +
      `exit at ${m(sides[j], 'exit')} ms  ${c}`,
  );
});
