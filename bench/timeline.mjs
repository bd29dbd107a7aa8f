// When each probe leaves and comes back, for `check --json` over a slow link (issue 22): the
// emulator behind bench/latency-proxy.mjs, the built CLI pointed at it, the probes' start times
// (from the JSON, against the spawn) and durations. Shows which requests share a round trip.
//   npm run build && node bench/timeline.mjs            (BENCH_ONE_WAY_MS, default 50; BENCH_RUNS, default 3)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEmulator, PATH } from './common.mjs';
import { startLatencyProxy } from './latency-proxy.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = process.env.BENCH_CLI ? resolve(process.env.BENCH_CLI) : join(ROOT, 'dist/cli.js');
const ONE_WAY_MS = Number(process.env.BENCH_ONE_WAY_MS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const sandbox = mkdtempSync(join(tmpdir(), 'c401-timeline-'));
const { startEmulator, emulatorKey } = await loadEmulator(sandbox);
const [k1, k2] = [emulatorKey(), emulatorKey()];
const emu = await startEmulator({ keys: [k1, k2] });
const proxy = await startLatencyProxy({ port: emu.port, oneWayMs: ONE_WAY_MS });

function run(args, env) {
  return new Promise((done, fail) => {
    const t0 = Date.now();
    let out = '';
    const child = spawn(process.execPath, [CLI, 'check', '--json', ...args, '--api-url', proxy.url], {
      cwd: sandbox,
      env: { PATH, HOME: sandbox, CI: 'true', ANTHROPIC_API_KEY: k1.value, ...env },
    });
    child.stdout.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('exit', () => {
      const total = Date.now() - t0;
      try {
        const probes = JSON.parse(out).probes.map(
          (p) => `${p.purpose}${p.unused ? ' (unused)' : ''} +${Date.parse(p.at) - t0}ms ${p.ms}ms`,
        );
        done(`${total} ms: ${probes.join(' | ')}`);
      } catch {
        fail(new Error(`check printed no JSON: ${out.slice(0, 200)}`));
      }
    });
  });
}

console.log(`latency proxy ${ONE_WAY_MS} ms each way; wall time, then each probe: start after spawn, duration`);
for (const [what, args, env] of [
  ['one key, one client', ['--client', 'curl'], {}],
  ["one key, two clients' forms", [], {}],
  ['two different keys', [], { ANTHROPIC_AUTH_TOKEN: k2.value }],
]) {
  for (let i = 0; i < RUNS; i++) console.log(`${what}: ${await run(args, env)}`);
}
await proxy.close();
emu.close();
rmSync(sandbox, { recursive: true, force: true });
