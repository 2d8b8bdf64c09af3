// Bundles the viewer into dist/: app.js, app.css (imported by main.js) and
// index.html. Everything the page needs is in dist/; nothing is fetched from
// the internet at run time. `node build.mjs --watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const watch = process.argv.includes('--watch');

const options = {
  entryPoints: [join(here, 'src', 'main.js')],
  bundle: true,
  outfile: join(dist, 'app.js'), // the imported CSS goes to dist/app.css
  format: 'iife',
  target: ['es2020'],
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  legalComments: 'eof',
  logLevel: 'info',
};

await mkdir(dist, { recursive: true });
await copyFile(join(here, 'src', 'index.html'), join(dist, 'index.html'));
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
