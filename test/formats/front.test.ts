import { describe, expect, it } from 'vitest';
import { explore } from '../../src/dse/explore.js';
import type { FrontFile } from '../../src/formats/front.js';
import {
  frontFileOf,
  frontFileOfJson,
  frontFileText,
  frontOfJson,
  isFront,
  pointOfFront,
} from '../../src/formats/front.js';
import { InputError } from '../../src/ir/errors.js';
import { conv, net } from '../model/fixtures.js';

// in 1x8x8 -> a: conv 3x3, 2 channels -> b: conv 1x1, 4 channels
const n = net({ c: 1, h: 8, w: 8 }, [conv('a', 'in', 2, 3), conv('b', 'a', 4, 1)]);
const file: FrontFile = {
  ...frontFileOf(await explore(n, { space: 'seed', elementBytes: 2, threads: 1 })),
  budgetBytes: 1000,
  chosen: 0,
};
const read = (text: string) => frontFileOfJson(frontOfJson(JSON.parse(text)));
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('accepted');
};

describe('front files', () => {
  it('read back what explore -o writes, field by field', () => {
    const text = frontFileText(file);
    expect(text.endsWith('}\n')).toBe(true);
    expect(isFront(JSON.parse(text))).toBe(true);
    // the search's work counts are not read back: a plot or report does not show them
    const { searchStats: _, ...shown } = file;
    expect(file.front.length).toBeGreaterThan(1);
    expect(read(text)).toEqual(shown);
    expect(pointOfFront(frontOfJson(JSON.parse(text)), undefined)).toEqual(file.front[0]!.schedule);
    expect(pointOfFront(frontOfJson(JSON.parse(text)), 1)).toEqual(file.front[1]!.schedule);
  });

  it('refuses another format or version, and broken fields, naming the field', () => {
    expect(refusal(() => frontOfJson({ format: 'memsched.schedule' }))).toBe(
      "not a front file (format 'memsched.front', written by explore -o)",
    );
    expect(refusal(() => frontOfJson({ ...file, version: 2 }))).toBe(
      'version: this memsched reads front files of version 1, got 2',
    );
    expect(refusal(() => read(JSON.stringify({ ...file, space: 'all' })))).toBe(
      'broken front file: space: expected full or seed, got "all"',
    );
    expect(refusal(() => read(JSON.stringify({ ...file, chosen: 99 })))).toBe(
      'broken front file: chosen: 99 is not a point',
    );
    expect(refusal(() => pointOfFront(frontOfJson({ ...file, front: [{ bytes: 1 }] }), 0))).toBe(
      'point 0: no schedule',
    );
    expect(refusal(() => pointOfFront(frontOfJson(file), file.front.length))).toBe(
      `--point: ${file.front.length} is not a point of this front (0..${file.front.length - 1})`,
    );
  });
});
