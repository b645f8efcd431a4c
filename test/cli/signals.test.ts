import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tinyFiles } from '../codegen/tiny.js';
import { repo } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-signals-'));
const { model, schedule } = tinyFiles(dir);

// A compiler that hangs, with a child of its own as gcc has cc1: it writes that child's pid and waits.
const cc = join(dir, 'hanging-cc');
writeFileSync(
  cc,
  '#!/bin/sh\nif [ "$1" = --version ]; then echo hanging-cc; exit 0; fi\nsleep 300 &\necho $! > "$MEMSCHED_TEST_PIDS"\nwait\n',
);
chmodSync(cc, 0o755);

/** Running and not a zombie (a container's init may not reap orphans). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitFor(what: () => boolean, ms: number): Promise<boolean> {
  for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((r) => setTimeout(r, 50)))
    if (what()) return true;
  return what();
}

describe('memsched verify stopped by a signal sent to it alone', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)
    it(`${signal}: kills the compiler and its children, removes its folder, exits ${code}`, async () => {
      const temp = join(dir, `tmp-${signal}`);
      mkdirSync(temp);
      const pids = join(dir, `pids-${signal}`);
      const child = spawn(
        process.execPath,
        [resolve(repo, 'dist/cli/main.js'), 'verify', model, '--schedule', schedule],
        { env: { ...process.env, CC: cc, TMPDIR: temp, MEMSCHED_TEST_PIDS: pids } },
      );
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += String(d);
      });
      const exited = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      expect(await waitFor(() => existsSync(pids) && readFileSync(pids, 'utf8').trim() !== '', 20000)).toBe(
        true,
      );
      const compilerChild = Number(readFileSync(pids, 'utf8'));
      expect(alive(compilerChild)).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toMatch(
        signal === 'SIGINT' ? /memsched: interrupted/ : `memsched: stopped by ${signal}`,
      );
      expect(await waitFor(() => !alive(compilerChild), 3000)).toBe(true);
      expect(readdirSync(temp)).toEqual([]);
    }, 30000);
});
