import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '../..');
export const shared = resolve(repo, '../shared');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (npm test builds dist/ first). */
export function memsched(...args: string[]): Run {
  const r = spawnSync(process.execPath, [resolve(repo, 'dist/cli/main.js'), ...args], {
    encoding: 'utf8',
    cwd: repo,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
