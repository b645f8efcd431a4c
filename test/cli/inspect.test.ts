import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memsched, shared } from './helpers.js';

const onnx = (f: string) => join(shared, 'networks/onnx', f);
const caffe = (f: string) => join(shared, 'networks/caffe', f);

/** A bad-input run: exit 2, exactly one line on stderr, no stack trace. */
function expectOneLineError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^memsched: error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('memsched inspect', () => {
  it('prints the per-layer table and totals of an ONNX file', () => {
    const r = memsched('inspect', onnx('resnet18.shape.onnx'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/input -> output/);
    expect(r.stdout).toContain('total: 1,814,073,344 MACs, 11,680,872 parameters');
    expect(r.stdout).toContain('weights: none (shape-only network)');
  });

  it('gives JSON with exact totals', () => {
    const r = memsched('inspect', onnx('squeezenet1_1.onnx'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.totals.macs).toBe(349151936);
    expect(j.totals.parameters).toBe(1233288);
    expect(j.outputs[0].shape).toBe('1000x1x1');
    expect(j.hasWeights).toBe(true);
  });

  it('lists a batch-norm after a concat as an affine layer, its parameters counted and its MACs 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memsched-'));
    const model = join(dir, 'dense.prototxt');
    writeFileSync(
      model,
      `input: "data" input_dim: 1 input_dim: 2 input_dim: 4 input_dim: 4
      layer { name: "c1" type: "Convolution" bottom: "data" top: "c1" convolution_param { num_output: 3 kernel_size: 3 pad: 1 } }
      layer { name: "cat" type: "Concat" bottom: "data" bottom: "c1" top: "cat" }
      layer { name: "bn" type: "BatchNorm" bottom: "cat" top: "cat" }
      layer { name: "sc" type: "Scale" bottom: "cat" top: "cat" scale_param { bias_term: true } }
      layer { name: "relu" type: "ReLU" bottom: "cat" top: "cat" }
      layer { name: "c2" type: "Convolution" bottom: "cat" top: "c2" convolution_param { num_output: 4 kernel_size: 1 } }`,
    );
    const r = memsched('inspect', model);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ bn +affine\+relu +5x4x4 -> 5x4x4 +0 +10 +80/);
    // MACs 16 * (2*3*9 + 5*4); parameters c1 2*3*9 + 3, bn 2 * 5, c2 5*4 + 4
    expect(r.stdout).toContain('total: 1,184 MACs, 91 parameters (weights + biases, affine scales + shifts)');
    expect(r.stdout).toContain(
      'affine layers (unfolded batch-norm) count 0 MACs, as published MAC counts do',
    );
  });

  it('reads a Caffe prototxt with its caffemodel and writes the graph', () => {
    const dir = mkdtempSync(join(tmpdir(), 'memsched-'));
    const dot = join(dir, 'g.dot');
    const r = memsched('inspect', caffe('vdsr/VDSR_net_deploy.prototxt'), '--dot', dot);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('weights: present');
    const text = readFileSync(dot, 'utf8');
    expect(text).toMatch(/^digraph /);
    expect(text.match(/->/g)!.length).toBeGreaterThan(20);
  });

  it('inspects every built-in network', () => {
    const list = memsched('zoo');
    expect(list.code).toBe(0);
    const names = [...list.stdout.matchAll(/zoo:(\S+)/g)].map((m) => m[1]!);
    expect(names).toEqual(
      expect.arrayContaining(['traffic', 'vdsr', 'vgg16', 'vgg19', 'resnet101', 'resnet152', 'mobilenet_v2']),
    );
    for (const n of ['traffic', 'vgg16']) expect(memsched('inspect', `zoo:${n}`).code).toBe(0);
  });
});

describe('bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memsched-bad-'));
  it('names a missing file', () =>
    expectOneLineError(memsched('inspect', 'nope.onnx'), /nope\.onnx: no such file/));
  it('names an empty file', () => {
    const f = join(dir, 'empty.onnx');
    writeFileSync(f, '');
    expectOneLineError(memsched('inspect', f), /empty\.onnx: the file is empty/);
  });
  it('names a truncated ONNX file', () => {
    const f = join(dir, 'cut.onnx');
    const b = readFileSync(onnx('squeezenet1_1.shape.onnx'));
    writeFileSync(f, b.subarray(0, Math.floor(b.length / 2)));
    expectOneLineError(memsched('inspect', f), /cut\.onnx: /);
  });
  it('names a file of the wrong format', () => {
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'hello');
    expectOneLineError(memsched('inspect', f), /notes\.txt: unknown model format/);
  });
  it('names a text file posing as ONNX', () => {
    const f = join(dir, 'text.onnx');
    writeFileSync(f, 'this is not a protobuf at all, just words\n'.repeat(20));
    expectOneLineError(memsched('inspect', f), /text\.onnx: /);
  });
  it('names an unknown zoo network', () =>
    expectOneLineError(memsched('inspect', 'zoo:lenet'), /unknown zoo network 'lenet'/));
  it('rejects unknown flags and commands', () => {
    expectOneLineError(memsched('inspect', 'zoo:vdsr', '--frobnicate'), /frobnicate/);
    expectOneLineError(memsched('frobnicate'), /unknown command 'frobnicate'/);
  });
  it('leaves no file behind when it cannot write', () => {
    const target = join(dir, 'missing-dir', 'g.dot');
    expectOneLineError(memsched('inspect', 'zoo:vdsr', '--dot', target), /g\.dot: cannot write/);
    expect(existsSync(target)).toBe(false);
  });
});
