// The files under src/ that tsc does not emit but dist/ needs at run time (read next to the modules that
// use them), copied to the same place under dist/. Run by `npm run build` after tsc. A folder of such
// files only is replaced, so no stale file stays.

import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Per folder of src/, the endings of the files to copy. */
const assets = [
  // the HTML report's page: its script, style and shared number helpers
  { dir: 'report/page', endings: ['.js', '.d.ts', '.css'] },
  // the loop-nest lowering, plain JavaScript that the C backend and the page both run
  { dir: 'lower', endings: ['.js', '.d.ts'] },
  // the C runtime the code generator writes into every program
  { dir: 'codegen/runtime', endings: ['.c', '.h'], replace: true },
];

const root = fileURLToPath(new URL('..', import.meta.url));
for (const { dir, endings, replace } of assets) {
  const from = join(root, 'src', dir);
  const to = join(root, 'dist', dir);
  if (replace) rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  let copied = 0;
  for (const name of readdirSync(from))
    if (endings.some((e) => name.endsWith(e))) {
      copyFileSync(join(from, name), join(to, name));
      copied++;
    }
  if (copied === 0) throw new Error(`copy-assets: nothing to copy in src/${dir} (a folder moved?)`);
}
