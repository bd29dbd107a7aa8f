// What the benchmark scripts share: the PATH the measured programs get, and the embedded emulator.
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');

/** @returns {Promise<typeof import('../source/emulator/index.ts')>} */
export async function loadEmulator(dir) {
  const outfile = join(dir, 'emulator.mjs');
  await build({
    entryPoints: [join(ROOT, 'source/emulator/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  });
  return import(outfile);
}

/**
 * The PATH without npm's node_modules/.bin entries: under `npm run bench` they hold the project's
 * own devDependency `claude`, which the wizard would find and offer to watch (a different run).
 */
export const PATH = (process.env.PATH ?? '')
  .split(':')
  .filter((d) => !/[\\/]node_modules[\\/]\.bin$/.test(d))
  .join(':');
