// Bundles the workbench page into $WORKBENCH_OUT (default dist): index.html, the page's JS and CSS,
// their fonts, and the three Monaco workers, all addressed relative to the page (served at /workbench/).
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, process.env.WORKBENCH_OUT || 'dist');
const production = process.env.WORKBENCH_DEV !== 'true';

const common = {
  bundle: true,
  minify: production,
  sourcemap: false,
  legalComments: 'none',
  target: ['chrome115', 'firefox115', 'safari16'],
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
  logLevel: 'warning',
};

// graphiql/style.css carries Monaco's styles already; the copies Monaco's modules import would
// only land as CSS files beside lazily loaded chunks that nothing links.
const monacoCssFromGraphiqlStyles = {
  name: 'monaco-css-from-graphiql-styles',
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, args => /[\\/]monaco-editor[\\/]/.test(args.importer)
      ? { path: args.path, namespace: 'monaco-css' } : undefined);
    build.onLoad({ filter: /.*/, namespace: 'monaco-css' }, () => ({ contents: '', loader: 'css' }));
  },
};

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// The page: ES modules, so that GraphiQL's lazily loaded Monaco lands in chunks of its own.
await esbuild.build({
  ...common,
  entryPoints: { main: join(here, 'src/main.jsx') },
  outdir: out,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  jsx: 'automatic',
  plugins: [monacoCssFromGraphiqlStyles],
  // The API schema, read from the server's own file at build time (production refuses introspection).
  loader: { '.graphqls': 'text', '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
});

// Monaco's workers: classic scripts the page starts with new Worker(url) (src/monaco-workers.js).
await esbuild.build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir: join(out, 'workers'),
  format: 'iife',
});

// Chunks whose only CSS was Monaco's still get a CSS file, empty: nothing links them.
for (const file of await readdir(join(out, 'chunks'))) {
  if (file.endsWith('.css') && (await stat(join(out, 'chunks', file))).size === 0) await rm(join(out, 'chunks', file));
}

await copyFile(join(here, 'src/index.html'), join(out, 'index.html'));

const html = await readFile(join(out, 'index.html'), 'utf8');
if (/<script(?![^>]*\bsrc=)/i.test(html)) {
  throw new Error('index.html must not hold an inline script (the page is served with script-src \'self\')');
}
console.log(`workbench built into ${out}`);
