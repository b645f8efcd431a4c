import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runnableNetwork } from '../../src/codegen/c.js';
import { loadOnnxFile } from '../../src/frontends/onnx/load.js';
import { zooNetwork } from '../../src/frontends/zoo/index.js';
import { networkStats } from '../../src/ir/stats.js';
import { memsched, shared } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'memsched-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('memsched export', () => {
  it('writes a zoo network with seeded weights, says so in one line, and the file loads as the network', () => {
    const file = join(dir, 'traffic.onnx');
    const r = memsched('export', 'zoo:traffic', '-o', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`memsched: zoo:traffic has no weights: ${file} holds seeded ones\n`);
    const back = loadOnnxFile(file);
    const net = runnableNetwork(zooNetwork('traffic'));
    expect(back.layers.map((l) => [l.name, l.kind, l.shape])).toEqual(
      net.layers.map((l) => [l.name, l.kind, l.shape]),
    );
    const conv1 = back.layers[0]!;
    const seeded = net.layers[0]!;
    expect(conv1.kind === 'conv' && seeded.kind === 'conv' && conv1.weights).toEqual(
      seeded.kind === 'conv' && seeded.weights,
    );
    expect(networkStats(back)).toEqual(networkStats(net));
  });

  it("keeps a model's own weights, silently", () => {
    const model = join(shared, 'networks/onnx/squeezenet1_1.onnx');
    const file = join(dir, 'squeezenet.onnx');
    const r = memsched('export', model, '-o', file);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    const back = loadOnnxFile(file);
    const own = loadOnnxFile(model);
    const first = (n: typeof own) => {
      const l = n.layers[0]!;
      return l.kind === 'conv' ? l.weights : undefined;
    };
    expect(first(back)).toEqual(first(own));
    expect(networkStats(back)).toEqual(networkStats(own));
  });

  it('bad flags, models and outputs: one line, exit code 2, no file left behind', () => {
    const out = join(dir, 'bad.onnx');
    const cases: [string[], string][] = [
      [['export', 'zoo:traffic'], "memsched: error: 'export' needs -o FILE (.onnx)\n"],
      [
        ['export', '-o', out],
        "memsched: error: 'export' takes one model (a .onnx, .prototxt or zoo:NAME), got 0\n",
      ],
      [['export', 'zoo:traffic', '--width', '1', '-o', out], "memsched: error: Unknown option '--width'\n"],
      [
        ['export', 'zoo:nothing', '-o', out],
        "memsched: error: unknown zoo network 'nothing' (known: traffic, vdsr, vgg16, vgg19, resnet18, resnet50, resnet101, resnet152, mobilenet_v1, mobilenet_v2, alexnet, squeezenet1_1)\n",
      ],
      [
        ['export', 'zoo:traffic', '-o', dir],
        `memsched: error: ${dir}: cannot write: not a regular file (memsched writes whole files, renamed into place)\n`,
      ],
      [
        ['export', 'zoo:traffic', '-o', join(dir, 'none', 'x.onnx')],
        `memsched: error: ${join(dir, 'none', 'x.onnx')}: cannot write: ENOENT\n`,
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = memsched(...args);
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', stderr]);
    }
    const broken = join(dir, 'broken.onnx');
    writeFileSync(broken, readFileSync(join(dir, 'traffic.onnx')).subarray(0, 1000));
    const r = memsched('export', broken, '-o', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^memsched: error: ${broken}: [^\\n]+\\n$`));
    expect(readdirSync(dir).sort()).toEqual(['broken.onnx', 'squeezenet.onnx', 'traffic.onnx']);
  });
});
