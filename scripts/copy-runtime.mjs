// After tsc (which copies only what it compiles): the C runtime files beside the compiled code
// generator, which reads them when it writes a program. The folder is replaced, so no stale file stays.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

const from = new URL('../src/codegen/runtime/', import.meta.url);
const to = new URL('../dist/codegen/runtime/', import.meta.url);
rmSync(to, { recursive: true, force: true });
mkdirSync(to, { recursive: true });
for (const f of readdirSync(from)) if (/\.[ch]$/.test(f)) copyFileSync(new URL(f, from), new URL(f, to));
