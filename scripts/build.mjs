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
  define: {
    'process.env.NODE_ENV': '"production"',
    'process.env.DEV': '"false"',
    __C401_VERSION__: JSON.stringify(pkg.version),
  },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __c401_cr } from 'node:module';",
      'const require = __c401_cr(import.meta.url);',
    ].join('\n'),
  },
  // Ink's reconciler does `await import('./devtools.js')` when process.env['DEV'] === 'true' (a
  // computed key, so `define` cannot remove it); that module pulls in ws and react-devtools-core
  // (about 100 KB minified). The wizard never runs with React DevTools: it becomes an empty module.
  plugins: [
    {
      name: 'stub-devtools',
      setup(b) {
        b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
          /[\\/]ink[\\/]build$/.test(args.resolveDir) ? { path: 'ink-devtools', namespace: 'stub' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
      },
    },
  ],
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
