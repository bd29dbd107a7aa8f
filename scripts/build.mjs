// Bundles the CLI into dist/: ESM, one entry (dist/cli.js) plus lazily imported chunks
// (the Ink UI sits behind a dynamic import, so `check` never loads React).
//
// One chunk for the check path (issue 22): esbuild puts each module in a chunk named by the set
// of entry points (cli.js and every dynamic-import target) that reach it, so the engine, reached
// by cli.js and by some lazy modules but not others, came out as a dozen small chunks, and Node's
// ESM loader pays for each file it resolves, reads and links. Pass 1 finds the static graph of
// cli.tsx; pass 2 makes every dynamic-import target also import that whole graph (modules cli.js
// has already evaluated by then, so nothing runs twice or earlier): one entry set, one chunk.
import { build } from 'esbuild';
import { rm, chmod, readFile } from 'node:fs/promises';
import path from 'node:path';

const pkg = JSON.parse(await readFile('package.json', 'utf8'));
const ENTRY = 'source/cli.tsx';

const options = {
  entryPoints: { cli: ENTRY },
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
  logLevel: 'warning',
};

// Ink's reconciler does `await import('./devtools.js')` when process.env['DEV'] === 'true' (a
// computed key, so `define` cannot remove it); that module pulls in ws and react-devtools-core
// (about 100 KB minified). The wizard never runs with React DevTools: it becomes an empty module.
const stubDevtools = {
  name: 'stub-devtools',
  setup(b) {
    b.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) =>
      /[\\/]ink[\\/]build$/.test(args.resolveDir) ? { path: 'ink-devtools', namespace: 'stub' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

// Pass 1: which of our modules cli.tsx loads statically, and which are loaded lazily.
const { metafile } = await build({ ...options, write: false, metafile: true, plugins: [stubDevtools] });
const staticGraph = new Set();
const visit = (file) => {
  if (staticGraph.has(file)) return;
  staticGraph.add(file);
  for (const i of metafile.inputs[file]?.imports ?? []) if (!i.external && i.kind !== 'dynamic-import') visit(i.path);
};
visit(ENTRY);
const lazy = new Set(
  Object.values(metafile.inputs).flatMap((input) =>
    input.imports.filter((i) => !i.external && i.kind === 'dynamic-import').map((i) => i.path),
  ),
);
const ours = (f) => f.startsWith('source/');
const engine = [...staticGraph].filter((f) => ours(f) && f !== ENTRY);
// A lazy import of a module the static graph already holds (demo's report.ts) is a chunk entry
// of its own all the same: it gets the import too (a cycle through modules already evaluated).
const lazyOurs = [...lazy].filter(ours);

// Pass 2: each lazy module of ours also imports the whole static graph (see the top).
const oneChunk = {
  name: 'check-path-one-chunk',
  setup(b) {
    const abs = new Set(lazyOurs.map((f) => path.resolve(f)));
    b.onResolve({ filter: /^c401:check-path$/ }, () => ({ path: 'check-path', namespace: 'c401' }));
    b.onLoad({ filter: /.*/, namespace: 'c401' }, () => ({
      contents: engine.map((f) => `import ${JSON.stringify(path.resolve(f))};`).join('\n'),
      loader: 'js',
      resolveDir: process.cwd(),
    }));
    b.onLoad({ filter: /\.(ts|tsx)$/ }, async (args) => {
      if (!abs.has(args.path)) return undefined;
      const text = await readFile(args.path, 'utf8');
      return { contents: `import 'c401:check-path';\n${text}`, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

await rm('dist', { recursive: true, force: true });
await build({ ...options, plugins: [stubDevtools, oneChunk] });
await chmod('dist/cli.js', 0o755);
