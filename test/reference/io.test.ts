import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/ir/errors.js';
import { readImage, readRaw } from '../../src/reference/index.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'memsched-reference-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes a 2x1 PNG from samples in the given colour type (0 grey, 2 RGB, 6 RGBA) and depth. */
function png(name: string, colorType: 0 | 2 | 6, bitDepth: 8 | 16, samples: number[]): string {
  const image = new PNG({ width: 2, height: 1 });
  image.data = bitDepth === 8 ? Buffer.from(samples) : Buffer.from(Uint16Array.from(samples).buffer);
  const file = path.join(tmp, name);
  writeFileSync(file, PNG.sync.write(image, { colorType, inputColorType: colorType, bitDepth }));
  return file;
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

const y = (r: number, g: number, b: number) => (16 + 0.257 * r + 0.504 * g + 0.098 * b) / 255;

describe('readImage', () => {
  it('reads 8-bit greyscale as values / 255', () => {
    const t = readImage(png('grey8.png', 0, 8, [0, 51]), { c: 1, h: 1, w: 2 });
    expect(Array.from(t.data)).toEqual([0, Math.fround(0.2)]);
    // Three channels repeat the grey value.
    const rgb = readImage(png('grey8b.png', 0, 8, [255, 51]), { c: 3, h: 1, w: 2 });
    expect(Array.from(rgb.data)).toEqual([1, 0.2, 1, 0.2, 1, 0.2].map(Math.fround));
  });

  it('reads 16-bit greyscale at full precision', () => {
    const t = readImage(png('grey16.png', 0, 16, [65535, 257]), { c: 1, h: 1, w: 2 });
    expect(Array.from(t.data)).toEqual([1, Math.fround(257 / 65535)]);
  });

  it('reads RGB planes, or their luma for one channel', () => {
    const file = png('rgb8.png', 2, 8, [255, 0, 0, 10, 20, 30]);
    const rgb = readImage(file, { c: 3, h: 1, w: 2 });
    expect(Array.from(rgb.data)).toEqual([1, 10 / 255, 0, 20 / 255, 0, 30 / 255].map(Math.fround));
    const luma = readImage(file, { c: 1, h: 1, w: 2 });
    expect(luma.data[0]).toBeCloseTo(y(255, 0, 0), 6);
    expect(luma.data[1]).toBeCloseTo(y(10, 20, 30), 6);
  });

  it('reads 16-bit RGBA, ignoring alpha', () => {
    const t = readImage(png('rgba16.png', 6, 16, [65535, 0, 65535, 0, 0, 65535, 0, 65535]), {
      c: 1,
      h: 1,
      w: 2,
    });
    expect(t.data[0]).toBeCloseTo(y(255, 0, 255), 6);
    expect(t.data[1]).toBeCloseTo(y(0, 255, 0), 6);
  });

  it('names the file when it is missing, not a PNG, broken or the wrong size', () => {
    const shape = { c: 1, h: 1, w: 2 };
    const missing = path.join(tmp, 'missing.png');
    expect(inputError(() => readImage(missing, shape)).describe()).toBe(
      `${missing}: cannot read the file: no such file`,
    );
    const text = path.join(tmp, 'text.png');
    writeFileSync(text, 'not an image');
    expect(inputError(() => readImage(text, shape)).describe()).toBe(`${text}: is not a PNG file`);
    const good = png('good.png', 0, 8, [1, 2]);
    const truncated = path.join(tmp, 'truncated.png');
    writeFileSync(truncated, readFileSync(good).subarray(0, 30));
    expect(inputError(() => readImage(truncated, shape)).describe()).toMatch(
      new RegExp(
        `^${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: cannot decode the PNG: the file ends early$`,
      ),
    );
    expect(inputError(() => readImage(good, { c: 1, h: 2, w: 2 })).describe()).toBe(
      `${good}: the image is 2x1 (width x height), the network wants 2x2`,
    );
    expect(inputError(() => readImage(good, { c: 4, h: 1, w: 2 })).describe()).toBe(
      `${good}: an image gives 1 or 3 channels, the network wants 4`,
    );
  });
});

describe('readRaw', () => {
  it('reads little-endian float32 values', () => {
    const file = path.join(tmp, 'x.bin');
    const bytes = Buffer.alloc(12);
    [1.5, -2, 1e-3].forEach((v, i) => {
      bytes.writeFloatLE(v, 4 * i);
    });
    writeFileSync(file, bytes);
    const t = readRaw(file, { c: 3, h: 1, w: 1 });
    expect(t.shape).toEqual({ c: 3, h: 1, w: 1 });
    expect(Array.from(t.data)).toEqual([1.5, -2, Math.fround(1e-3)]);
  });

  it('rejects a file of the wrong length, naming it', () => {
    const file = path.join(tmp, 'short.bin');
    writeFileSync(file, Buffer.alloc(10));
    expect(inputError(() => readRaw(file, { c: 1, h: 1, w: 3 })).describe()).toBe(
      `${file}: holds 10 bytes, a float32 tensor 1x1x3 needs 12`,
    );
    expect(inputError(() => readRaw(tmp, { c: 1, h: 1, w: 3 })).describe()).toBe(
      `${tmp}: cannot read the file: is a folder`,
    );
  });

  it('rejects NaN and infinities, naming the element', () => {
    const file = path.join(tmp, 'nan.bin');
    for (const [v, text] of [
      [Number.NaN, 'NaN'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
    ] as const) {
      const bytes = Buffer.alloc(12);
      bytes.writeFloatLE(v, 8);
      writeFileSync(file, bytes);
      expect(inputError(() => readRaw(file, { c: 1, h: 1, w: 3 })).describe()).toBe(
        `${file}: element 2 (byte 8) is ${text}, not a finite number`,
      );
    }
  });
});
