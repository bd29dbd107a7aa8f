// Bundles the CLI into dist/: ESM, one entry (dist/cli.js) plus lazily imported chunks
// (the Ink UI sits behind a dynamic import, so `check` never loads React).
import { build } from 'esbuild';
import { rm, chmod, readFile } from 'node:fs/promises';

const pkg = JSON.parse(await readFile('package.json', 'utf8'));

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'source/cli.tsx' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"', 'process.env.DEV': '"false"', __C401_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __c401_cr } from 'node:module';",
      'const require = __c401_cr(import.meta.url);',
    ].join('\n'),
  },
  // Ink imports react-devtools-core only when DEV=true; it is never installed or shipped.
  plugins: [
    {
      name: 'stub-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};', loader: 'js' }));
      },
    },
  ],
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
