// Builds the modeler bundle into service/web/static/modeler/ (committed; the
// server never builds at run time). Run through scripts/vendor-frontend.sh,
// which installs the pinned packages first. Same inputs give the same bytes:
// no timestamps, no source maps with absolute paths.
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '../service/web/static/modeler');

// The bpmn font CSS inlines woff/ttf as data: URLs and also names legacy
// .eot/.svg files that current browsers never fetch: leave those URLs as they are.
const legacyFontsExternal = {
  name: 'legacy-fonts-external',
  setup(b) {
    b.onResolve({ filter: /\.(eot|svg)(\?.*)?$/ }, (args) => ({ path: args.path, external: true }));
  },
};

const common = {
  bundle: true,
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
  absWorkingDir: here,
  target: ['es2020'],
};

await build({
  ...common,
  entryPoints: ['src/index.js'],
  outfile: `${out}/guicheng-modeler.min.js`,
  format: 'iife',
  globalName: 'GuichengModeler',
  jsx: 'automatic',
  jsxImportSource: '@bpmn-io/properties-panel/preact',
  loader: { '.js': 'jsx' },
  define: { 'process.env.NODE_ENV': '"production"' },
});

await build({
  ...common,
  entryPoints: ['src/modeler.css'],
  outfile: `${out}/guicheng-modeler.css`,
  plugins: [legacyFontsExternal],
});
