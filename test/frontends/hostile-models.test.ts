// Model files that try to make the loader hang, overflow its stack, read outside the model's folder or
// count past 2^53: each is a one-line InputError naming the file.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCaffemodel } from '../../src/frontends/caffe/caffemodel.js';
import { loadCaffe } from '../../src/frontends/caffe/load.js';
import { parseTextFormat } from '../../src/frontends/caffe/prototxt.js';
import { loadOnnx, loadOnnxFile } from '../../src/frontends/onnx/load.js';
import { DataLocation, DataType, encodeModel } from '../../src/frontends/onnx/schema.js';
import { buildNetwork, limits } from '../../src/ir/build.js';
import { InputError } from '../../src/ir/errors.js';
import type { Network } from '../../src/ir/network.js';
import { networkStats } from '../../src/ir/stats.js';
import { inspectText, summarizeNetwork } from '../../src/report/inspect.js';
import { memsched } from '../cli/helpers.js';
import { conv, pool } from '../layers.js';

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.describe()).not.toContain('\n');
    return e;
  }
  throw new Error('expected an InputError');
}

type Obj = Record<string, unknown>;

const valueInfo = (name: string, dims: number[]): Obj => ({
  name,
  type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dim_value: d })) } } },
});

/** One 1x1 convolution (3 -> 4 channels) over an input of the given dims, its weight tensor `w`. */
function convModel(w: Obj, inputDims = [1, 3, 8, 8]): Uint8Array {
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [{ op_type: 'Conv', input: ['x', 'w'], output: ['y'], name: 'c', attribute: [] }],
      initializer: [w],
      input: [valueInfo('x', inputDims)],
      output: [{ name: 'y' }],
    },
  });
}

/** The 4 x 3 x 1 x 1 float weights stored at `location`. */
function external(location: string, offset?: number, length?: number): Obj {
  const entries = [{ key: 'location', value: location }];
  if (offset !== undefined) entries.push({ key: 'offset', value: String(offset) });
  if (length !== undefined) entries.push({ key: 'length', value: String(length) });
  return {
    name: 'w',
    dims: [4, 3, 1, 1],
    data_type: DataType.FLOAT,
    data_location: DataLocation.EXTERNAL,
    external_data: entries,
  };
}

const varint = (n: number): number[] => {
  const out: number[] = [];
  for (; n > 127; n = Math.floor(n / 128)) out.push((n & 127) | 128);
  out.push(n);
  return out;
};

/** A protobuf field (wire type 2) holding `body`. */
const field = (id: number, body: number[]): number[] => [(id << 3) | 2, ...varint(body.length), ...body];

/** `depth` groups of unknown field 50 nested in one another (wire types 3 and 4). */
function nestedGroups(depth: number): number[] {
  return [...Array(depth).fill([0x93, 0x03]).flat(), ...Array(depth).fill([0x94, 0x03]).flat()];
}

const root = mkdtempSync(path.join(tmpdir(), 'memsched-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ONNX external data', () => {
  const dir = path.join(root, 'model');
  mkdirSync(dir);
  const weights = new Float32Array([...Array(12).keys()]);
  writeFileSync(path.join(dir, 'w.bin'), new Uint8Array(weights.buffer));
  writeFileSync(path.join(root, 'outside.bin'), new Uint8Array(weights.buffer));

  /** The error of loading a model (written into the model folder) whose weights are `w`. */
  const refused = (w: Obj, name = 'm.onnx') => {
    const file = path.join(dir, name);
    writeFileSync(file, convModel(w));
    const e = inputError(() => loadOnnxFile(file));
    expect(e.file).toBe(file);
    return e.message;
  };

  it('reads a file in the model folder, also through a symbolic link that stays inside it', () => {
    symlinkSync('w.bin', path.join(dir, 'link.bin'));
    for (const location of ['w.bin', './w.bin', 'link.bin']) {
      writeFileSync(path.join(dir, 'ok.onnx'), convModel(external(location, 0, 48)));
      const c = loadOnnxFile(path.join(dir, 'ok.onnx')).layers[0]!;
      expect(c.kind === 'conv' && Array.from(c.weights!)).toEqual(Array.from(weights));
    }
  });

  it('refuses absolute paths, .. and symbolic links out of the folder (/dev/urandom never read)', () => {
    expect(refused(external('/dev/urandom', 0, 48))).toBe(
      "tensor 'w': external data location '/dev/urandom' is not a relative path; it must name a file in the model's folder",
    );
    expect(refused(external(path.join(root, 'outside.bin'), 0, 48))).toContain('is not a relative path');
    expect(refused(external('../outside.bin', 0, 48))).toContain("leaves the model's folder ('..')");
    expect(refused(external('sub/../../outside.bin'))).toContain("leaves the model's folder ('..')");
    symlinkSync('/dev/urandom', path.join(dir, 'random.bin'));
    expect(refused(external('random.bin', 0, 48))).toContain("is a symbolic link out of the model's folder");
    symlinkSync('../outside.bin', path.join(dir, 'escape.bin'));
    expect(refused(external('escape.bin', 0, 48))).toContain("is a symbolic link out of the model's folder");
  });

  it('refuses what is not a regular file, a FIFO included, without blocking on it', () => {
    mkdirSync(path.join(dir, 'folder'));
    expect(refused(external('folder', 0, 48))).toContain("'folder' is not a regular file");
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    expect(refused(external('fifo', 0, 48))).toContain("'fifo' is not a regular file");
  });

  it('needs offset and length inside the file and matching the tensor size', () => {
    expect(refused(external('w.bin', 0, 44))).toContain(
      'external data length 44 does not match its dims [4, 3, 1, 1] (48 bytes)',
    );
    expect(refused(external('w.bin', 8, 48))).toContain('is truncated: needs bytes 8..56, it has 48');
    expect(refused(external('w.bin', 2 ** 60, 48))).toContain(
      "external data offset '1152921504606847000' is beyond any file",
    );
    expect(refused(external('w.bin', 4))).toContain('is truncated: needs bytes 4..52, it has 48');
    // Without a length the tensor runs to the end of the file, so the rest must be exactly its bytes.
    writeFileSync(path.join(dir, 'long.bin'), new Uint8Array(56));
    expect(refused(external('long.bin', 4))).toContain(
      'holds 52 bytes from offset 4, its dims [4, 3, 1, 1] need 48',
    );
    writeFileSync(path.join(dir, 'ok.onnx'), convModel(external('long.bin', 8)));
    expect(loadOnnxFile(path.join(dir, 'ok.onnx')).layers).toHaveLength(1);
    expect(refused(external('w.bin', 0, 2 ** 62))).toContain(
      "external data length '4611686018427388000' is beyond any file",
    );
    expect(refused(external('w.bin', -4, 48))).toContain("external data offset '-4' is not a number");
  });

  it('the CLI prints one line and exits with 2', () => {
    const file = path.join(dir, 'urandom.onnx');
    writeFileSync(file, convModel(external('/dev/urandom', 0, 48)));
    const r = memsched('inspect', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `memsched: error: ${file}: node 'c': tensor 'w': external data location '/dev/urandom' is not a relative path; it must name a file in the model's folder`,
    ]);
  });
});

describe('deep nesting', () => {
  it('prototxt: up to 100 nested messages parse, more are refused with the line', () => {
    const nest = (n: number) => `${'a { '.repeat(n)}${'} '.repeat(n)}`;
    expect(parseTextFormat(nest(100), 'ok.prototxt').fields).toHaveLength(1);
    const e = inputError(() => parseTextFormat(nest(101), 'deep.prototxt'));
    expect(e.describe()).toBe('deep.prototxt: line 1:403: messages are nested more than 100 deep');
    // Far deeper than the stack could recurse.
    const deep = `layer { name: "r" type: "ReLU" bottom: "data" top: "r" ${nest(200_000)} }`;
    expect(inputError(() => loadCaffe(deep, 'deep.prototxt')).describe()).toContain('deep.prototxt: line 1:');
  });

  it('caffemodel: nested groups are refused at protobuf depth 100', () => {
    const e = inputError(() => decodeCaffemodel(Uint8Array.from(nestedGroups(100_000)), 'w.caffemodel'));
    expect(e.describe()).toBe('w.caffemodel: messages or groups are nested more than 100 deep');
  });

  it('ONNX: subgraphs nested in attributes, or groups, are refused at depth 100', () => {
    // graph { node { attribute { g { node { attribute { g ... } } } } } }, built from the inside out.
    let graph: number[] = [];
    for (let i = 0; i < 1000; i++) graph = field(1, field(5, field(6, graph)));
    const nested = Uint8Array.from([0x08, 0x08, ...field(7, graph)]);
    expect(inputError(() => loadOnnx(nested, 'nested.onnx')).describe()).toBe(
      'nested.onnx: messages (subgraphs, attributes or groups) are nested more than 100 deep',
    );
    const groups = Uint8Array.from([0x08, 0x08, ...nestedGroups(100_000)]);
    expect(inputError(() => loadOnnx(groups, 'groups.onnx')).message).toContain('nested more than 100 deep');
  });
});

describe('size limits', () => {
  const image = (c: number, h: number, w: number) => [{ name: 'x', shape: { c, h, w } }];

  it('refuses huge inputs instead of searching for hours (1e6 x 1e6, 2^31)', () => {
    const huge = convModel({ name: 'w', dims: [4, 3, 1, 1], data_type: DataType.FLOAT }, [1, 3, 1e6, 1e6]);
    expect(inputError(() => loadOnnx(huge, 'huge.onnx')).describe()).toBe(
      "huge.onnx: input 'x' 3x1000000x1000000 exceeds the size limits (height and width at most 16384, channels at most 65536, 2^30 elements per tensor, 2^42 MACs per network)",
    );
    const file = path.join(root, 'huge.onnx');
    writeFileSync(file, huge);
    const r = memsched('explore', file, '--budget', '64KiB');
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `memsched: error: ${file}: input 'x' 3x1000000x1000000 exceeds the size limits (height and width at most 16384, channels at most 65536, 2^30 elements per tensor, 2^42 MACs per network)`,
    ]);
    const wide = convModel({ name: 'w', dims: [4, 3, 1, 1], data_type: DataType.FLOAT }, [1, 3, 1, 2 ** 31]);
    expect(inputError(() => loadOnnx(wide, 'wide.onnx')).message).toContain('3x1x2147483648 exceeds');
    const caffe = `input: "data" input_dim: 1 input_dim: 70000 input_dim: 1 input_dim: 1
      layer { name: "p" type: "Pooling" bottom: "data" top: "p" pooling_param { pool: MAX kernel_size: 1 } }`;
    expect(inputError(() => loadCaffe(caffe, 'c.prototxt')).describe()).toContain(
      "c.prototxt: input 'data' 70000x1x1 exceeds the size limits",
    );
  });

  it('accepts sizes at the limits', () => {
    const net = buildNetwork('edge', image(1, limits.extent, limits.extent), [
      pool('p', 'x', { kernel: [limits.extent, 1], stride: [limits.extent, 1] }),
    ]);
    expect(net.layers[0]!.shape).toEqual({ c: 1, h: 1, w: limits.extent });
    const fc = buildNetwork('fc', image(limits.channels, 1, 1), [conv('fc', 'x', limits.channels, 1)]);
    expect(networkStats(fc).macs).toBe(2 ** 32);
  });

  it('refuses layers whose output, geometry or work exceeds them', () => {
    const concat = inputError(() =>
      buildNetwork('t', image(40_000, 1, 1), [{ kind: 'concat', name: 'cat', inputs: ['x', 'x'], post: [] }]),
    );
    expect(concat.describe()).toContain("node 'cat': the output 80000x1x1 exceeds the size limits");
    const padded = inputError(() =>
      buildNetwork('t', image(1, 8, 8), [
        conv('c', 'x', 1, 1, { pads: { top: 0, left: 0, bottom: 2 ** 31, right: 0 } }),
      ]),
    );
    expect(padded.message).toBe('padding [0, 0, 2147483648, 0] exceeds the size limit of 16384');
    const dilated = inputError(() =>
      buildNetwork('t', image(1, 8, 8), [conv('c', 'x', 1, 3, { dilation: [2 ** 40, 1] })]),
    );
    expect(dilated.message).toBe('dilation [1099511627776, 1] exceeds the size limit of 16384');
    // 2^20 positions x 1024 x 1024 channels x 3 x 3: 9 x 2^40 MACs, each tensor within its limits.
    const work = inputError(() =>
      buildNetwork('t', image(1024, 1024, 1024), [
        conv('c', 'x', 1024, 3, { pads: { top: 1, left: 1, bottom: 1, right: 1 } }),
      ]),
    );
    expect(work.describe()).toContain("node 'c': the network needs more than 2^42 multiply-accumulates");
  });

  it('statistics and inspect count exactly or refuse, never rounding past 2^53', () => {
    // A network built without the limits (as a library user may): 2^62 MACs.
    const big: Network = {
      name: 'big',
      inputs: image(2 ** 16, 2 ** 15, 2 ** 15),
      layers: [
        {
          ...conv('c', 'x', 2 ** 16, 1),
          shape: { c: 2 ** 16, h: 2 ** 15, w: 2 ** 15 },
        },
      ],
      outputs: ['c'],
    };
    expect(inputError(() => networkStats(big)).describe()).toBe(
      "node 'c': the MAC count is beyond 2^53, where counts stop being exact",
    );
    expect(() => inspectText(summarizeNetwork(big))).toThrow(InputError);
    // Just below 2^53 every digit is printed.
    const edge: Network = {
      name: 'edge',
      inputs: image(2 ** 16, 1, 1),
      layers: [
        { ...conv('c', 'x', 2 ** 16, 1, { hasBias: false }), shape: { c: 2 ** 16, h: 2 ** 10, w: 2 ** 10 } },
        { ...conv('d', 'c', 1, 1, { hasBias: false }), shape: { c: 1, h: 2 ** 10, w: 2 ** 10 } },
      ],
      outputs: ['d'],
    };
    // c: 2^20 positions x 2^32 weights = 2^52 MACs; d: 2^20 x 2^16 = 2^36.
    expect(networkStats(edge).macs).toBe(2 ** 52 + 2 ** 36);
    expect(inspectText(summarizeNetwork(edge))).toContain('total: 4,503,668,346,847,232 MACs');
  });
});
