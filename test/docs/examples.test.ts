// Every JSON example in docs/ is a file memsched accepts: the docs may not show what the tool rejects.

import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/formats/schedule.js';
import { parseVerify } from '../../src/formats/verify.js';
import { loadNetwork } from '../../src/frontends/index.js';
import { segmentCost } from '../../src/model/cost.js';
import { analyzeSegment } from '../../src/model/segment.js';
import { checkSegmentSchedule } from '../../src/model/validate.js';
import { repo } from '../cli/helpers.js';

const docs = resolve(repo, 'docs');

function jsonExamples(): { file: string; index: number; text: string }[] {
  const out: { file: string; index: number; text: string }[] = [];
  for (const file of readdirSync(docs).filter((f) => f.endsWith('.md'))) {
    const blocks = readFileSync(resolve(docs, file), 'utf8').split('```json\n').slice(1);
    blocks.forEach((b, index) => {
      out.push({ file, index, text: b.split('\n```')[0]! });
    });
  }
  return out;
}

describe('the JSON examples in docs/', () => {
  const examples = jsonExamples();

  it('are found (a schedule and a verify file at least)', () => {
    const formats = examples.map((e) => (JSON.parse(e.text) as { format: string }).format).sort();
    expect(formats).toEqual(['memsched.schedule', 'memsched.verify']);
  });

  for (const e of examples)
    it(`${e.file} example ${e.index + 1} is accepted`, () => {
      const format = (JSON.parse(e.text) as { format: string }).format;
      if (format === 'memsched.verify') {
        expect(parseVerify(e.text).points.length).toBeGreaterThan(0);
        return;
      }
      const sched = parseSchedule(e.text);
      const net = loadNetwork(`zoo:${sched.network}`);
      // the example shows segments of the network, not necessarily all of them: each is checked alone
      sched.segments.forEach((s, i) => {
        const seg = analyzeSegment(net, s.layers, `segments[${i}]`);
        checkSegmentSchedule(seg, s, `segments[${i}]`);
        const cost = segmentCost(seg, s, sched.elementBytes);
        expect(cost.dramReads).toBeGreaterThan(0);
      });
    });
});
