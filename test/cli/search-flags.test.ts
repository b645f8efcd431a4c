import { describe, expect, it } from 'vitest';
import { searchOptions } from '../../src/cli/search-flags.js';
import { defaultMaxRecompute } from '../../src/dse/explore.js';
import { InputError } from '../../src/ir/errors.js';

const recompute = (value?: string) =>
  searchOptions(value === undefined ? {} : { 'max-recompute': value }).maxRecompute;

describe('--max-recompute', () => {
  it('defaults to the one constant, 1.1', () => {
    expect(defaultMaxRecompute).toBe(1.1);
    expect(recompute()).toBe(1.1);
  });

  it('takes a factor of at least 1, or none for no limit', () => {
    expect(recompute('1')).toBe(1);
    expect(recompute('1.5')).toBe(1.5);
    expect(recompute('12')).toBe(12);
    // none: no limit, as the search takes it (an absent maxRecompute)
    const none = searchOptions({ 'max-recompute': 'none' });
    expect(none.maxRecompute).toBeUndefined();
    expect('maxRecompute' in none).toBe(false);
  });

  it('refuses anything else, naming the flag and the value', () => {
    for (const bad of ['0.5', '0', '-2', 'lots', '', 'Infinity', 'NaN', 'None', '1.1x']) {
      let error: unknown;
      try {
        searchOptions({ 'max-recompute': bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `--max-recompute: expected a factor of at least 1 (1: no recomputation) or none (no limit), got '${bad}'`,
      );
    }
  });
});

describe('--max-strips', () => {
  it('takes 0 (no streaming schedules) or a count of strips; absent: the search default', () => {
    expect(searchOptions({}).maxStrips).toBeUndefined();
    expect(searchOptions({ 'max-strips': '0' }).maxStrips).toBe(0);
    expect(searchOptions({ 'max-strips': '8' }).maxStrips).toBe(8);
  });

  it('refuses anything else, naming the flag and the value', () => {
    for (const bad of ['-1', '1.5', '', 'two', ' 2', '1e3']) {
      let error: unknown;
      try {
        searchOptions({ 'max-strips': bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toBe(
        `--max-strips: expected 0 (no streaming schedules) or a positive integer, got '${bad}'`,
      );
    }
  });
});

describe('--max-tiled-fuse', () => {
  it('takes a number of layers; absent: the search default', () => {
    expect(searchOptions({}).maxTiledFuse).toBeUndefined();
    expect(searchOptions({ 'max-tiled-fuse': '6' }).maxTiledFuse).toBe(6);
  });

  it('refuses anything else, naming the flag and the value', () => {
    for (const bad of ['0', '-2', '2.5', 'all']) {
      expect(() => searchOptions({ 'max-tiled-fuse': bad })).toThrow(
        new InputError(`--max-tiled-fuse: expected a positive integer, got '${bad}'`),
      );
    }
  });
});

describe('--segments', () => {
  it('is dag by default, runs when told, and refuses anything else', () => {
    expect(searchOptions({}).segmentSets).toBe('dag');
    expect(searchOptions({ segments: 'runs' }).segmentSets).toBe('runs');
    expect(() => searchOptions({ segments: 'chains' })).toThrow(
      "--segments: expected dag or runs, got 'chains'",
    );
  });
});
