// The pipeline's stages and what each may import (docs/DESIGN: one folder per stage, pure functions over
// plain data between them). A break of these rules fails here, naming the file and the import.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo } from '../cli/helpers.js';

const src = resolve(repo, 'src');

/**
 * Per stage, the stages it may import (itself always). `util` holds small helpers any stage may use
 * (they report bad input with the IR's InputError).
 */
// biome-ignore format: one line per rank of the pipeline
const stages = [
  'ir', 'util', 'frontends', 'reference', 'model', 'simulate', 'dse', 'formats', 'lower', 'codegen', 'verify',
  'check', 'report', 'fuzz', 'bench', 'cli',
];
const allBut = (...not: string[]) => stages.filter((s) => !not.includes(s));
const allowed: Record<string, string[]> = {
  ir: [],
  util: ['ir'],
  frontends: ['ir', 'util'],
  reference: ['ir', 'util'],
  model: ['ir', 'util'],
  // the simulator derives every count and size itself (see valuesFromModel)
  simulate: ['ir', 'model', 'util'],
  dse: ['ir', 'model', 'util'],
  // a front file holds the search's result: its types (reading a file runs no search)
  formats: ['ir', 'model', 'dse', 'util'],
  // the loop nest every printer prints: plain data from the model's types, run in the report's page too
  lower: ['model'],
  codegen: ['ir', 'model', 'reference', 'formats', 'lower', 'util'],
  verify: ['ir', 'model', 'reference', 'codegen', 'formats', 'util'],
  check: ['ir', 'model', 'simulate', 'report', 'util'],
  report: ['ir', 'model', 'dse', 'check', 'formats', 'lower', 'util'],
  // the fuzzer's target is the command line itself, run in its worker threads
  fuzz: ['ir', 'frontends', 'dse', 'report', 'cli', 'util'],
  bench: allBut('bench', 'check', 'fuzz', 'cli'),
  cli: allBut('cli', 'bench', 'fuzz'),
};
/** Per stage, the stages it may take only types from. */
const typesOnly: Record<string, Set<string>> = { formats: new Set(['dse']) };
/** The model files the simulator and the code generator may take values (not only types) from. */
const valuesFromModel: Record<string, Set<string>> = {
  simulate: new Set(['model/schedule.js', 'model/segment.js', 'model/validate.js']),
  // the program carves and counts what the model predicted, given to it (it never calls the model)
  codegen: new Set(['model/schedule.js', 'model/segment.js']),
  lower: new Set(),
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|js)$/.test(p) ? [p] : [];
  });
}

interface Import {
  file: string;
  target: string;
  typeOnly: boolean;
}

function imports(): Import[] {
  const out: Import[] = [];
  for (const file of files(src)) {
    const text = readFileSync(file, 'utf8');
    const from = /^(import|export)(\s+type)?\s[^;]*?from\s+'(\.[^']+)'/gms;
    const dynamic = /import\('(\.[^']+)'\)/g;
    for (const m of text.matchAll(from)) out.push({ file, target: m[3]!, typeOnly: m[2] !== undefined });
    for (const m of text.matchAll(dynamic)) out.push({ file, target: m[1]!, typeOnly: false });
  }
  return out;
}

const stageOf = (path: string) => relative(src, path).split('/')[0]!;

describe('stage boundaries', () => {
  const all = imports();

  it('finds the imports of every stage', () => {
    const stages = new Set(all.map((i) => stageOf(i.file)));
    for (const s of [
      'ir',
      'frontends',
      'model',
      'simulate',
      'dse',
      'lower',
      'codegen',
      'verify',
      'report',
      'cli',
    ])
      expect(stages.has(s)).toBe(true);
    expect(all.length).toBeGreaterThan(300);
  });

  it('hold: each stage imports only what it may, only the fuzzer runs the CLI', () => {
    const breaks: string[] = [];
    for (const i of all) {
      const from = stageOf(i.file);
      const path = resolve(i.file, '..', i.target);
      const rel = relative(src, path);
      if (rel.startsWith('..') || !rel.includes('/')) continue; // src/index.ts and main entry points
      const to = stageOf(path);
      // src/index.ts, the library, gathers the stages (never the CLI)
      if (!relative(src, i.file).includes('/')) {
        if (to === 'cli')
          breaks.push(`${relative(repo, i.file)} imports ${i.target}: the library may not import the CLI`);
        continue;
      }
      if (from === to) continue;
      const may = allowed[from];
      const what = `${relative(repo, i.file)} imports ${i.target}`;
      if (may === undefined) breaks.push(`${what}: stage '${from}' has no rule`);
      else if (!may.includes(to)) breaks.push(`${what}: '${from}' may not import '${to}'`);
      else if (!i.typeOnly && typesOnly[from]?.has(to))
        breaks.push(`${what}: '${from}' takes only types from '${to}'`);
      else if (to === 'model' && !i.typeOnly && valuesFromModel[from]?.has(rel) === false)
        breaks.push(`${what}: '${from}' takes only types from the model's ${rel}`);
    }
    expect(breaks).toEqual([]);
  });
});
