// The files under src/ that tsc does not emit but dist/ needs at run time (read next to the modules that
// use them), copied to the same place under dist/. Run by `npm run build` after tsc.

import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Per folder of src/, the endings of the files to copy. */
const assets = [
  { dir: 'report/page', endings: ['.js', '.d.ts', '.css'] },
  { dir: 'lower', endings: ['.js', '.d.ts'] },
];

const root = fileURLToPath(new URL('..', import.meta.url));
let copied = 0;
for (const { dir, endings } of assets) {
  const from = join(root, 'src', dir);
  const to = join(root, 'dist', dir);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from))
    if (endings.some((e) => name.endsWith(e))) {
      copyFileSync(join(from, name), join(to, name));
      copied++;
    }
}
if (copied === 0) throw new Error('copy-assets: no file copied (a folder moved?)');
