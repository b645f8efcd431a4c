// `npm run bench`: writes JSON results under bench/results/ and prints a summary.

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { modelSpeed } from './model-speed.js';

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model,
  modelSpeed: modelSpeed(),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/model-speed.json', `${JSON.stringify(results, null, 2)}\n`);
for (const r of results.modelSpeed)
  console.log(`${r.case}: ${r.perSecond.toLocaleString('en-US')} ${r.unit}/s (one core)`);
