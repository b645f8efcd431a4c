// Reading and checking schedule files: every error is one line naming the field.

import { InputError } from '../ir/errors.js';
import type { Network } from '../ir/network.js';
import { NotClosedForm, segmentCost, warmupNeeded } from './cost.js';
import type { BufferLevels, Level, LoopName, NetworkSchedule, SegmentSchedule, Warmup } from './schedule.js';
import { levelDepth, loopNames, scheduleFormat, scheduleVersion, warmupLoops } from './schedule.js';
import type { Segment } from './segment.js';
import { analyzeSegment } from './segment.js';

type Json = unknown;

function fail(path: string, message: string): never {
  throw new InputError(`${path}: ${message}`);
}

function object(v: Json, path: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'expected an object');
  return v as Record<string, Json>;
}

function onlyKeys(o: Record<string, Json>, keys: string[], path: string): void {
  for (const k of Object.keys(o))
    if (!keys.includes(k)) fail(`${path}.${k}`, `unknown field (expected ${keys.join(', ')})`);
}

/**
 * A value of a file as JSON text for an error message: short, one line, and safe for any nesting (the
 * file may nest arrays a million deep, which JSON.stringify cannot print).
 */
export function valueText(v: Json, limit = 200): string {
  let out = '';
  const put = (s: string) => {
    out += s;
    return out.length <= limit;
  };
  const walk = (x: Json, depth: number): boolean => {
    if (typeof x !== 'object' || x === null) return put(String(JSON.stringify(x)));
    if (depth > 20) return put('...');
    const array = Array.isArray(x);
    if (!put(array ? '[' : '{')) return false;
    const entries = array ? x.map((e, i) => [i, e] as const) : Object.entries(x);
    for (const [i, [k, e]] of entries.entries()) {
      if (i > 0 && !put(',')) return false;
      if (!array && !put(`${JSON.stringify(k)}:`)) return false;
      if (!walk(e, depth + 1)) return false;
    }
    return put(array ? ']' : '}');
  };
  return walk(v, 0) ? out : `${out.slice(0, limit)}...`;
}

function integer(v: Json, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(path, `expected an integer, got ${valueText(v)}`);
  return v;
}

function level(v: Json, path: string): Level {
  if (v !== 'root' && !loopNames.includes(v as LoopName))
    fail(path, `expected one of root, ${loopNames.join(', ')}, got ${valueText(v)}`);
  return v as Level;
}

function parseSegment(v: Json, path: string): SegmentSchedule {
  const o = object(v, path);
  onlyKeys(o, ['layers', 'tile', 'order', 'warmup', 'buffers'], path);
  if (!Array.isArray(o['layers']) || o['layers'].some((n) => typeof n !== 'string'))
    fail(`${path}.layers`, 'expected a list of layer names');
  const t = object(o['tile'], `${path}.tile`);
  onlyKeys(t, [...loopNames], `${path}.tile`);
  const tile = {
    x: integer(t['x'], `${path}.tile.x`),
    y: integer(t['y'], `${path}.tile.y`),
    zo: integer(t['zo'], `${path}.tile.zo`),
    zi: integer(t['zi'], `${path}.tile.zi`),
  };
  const order = o['order'];
  if (!Array.isArray(order) || order.length !== 4 || !loopNames.every((l) => order.includes(l)))
    fail(
      `${path}.order`,
      `expected the four loops ${loopNames.join(', ')} in some order, got ${valueText(order)}`,
    );
  const b = object(o['buffers'], `${path}.buffers`);
  const buffers: Record<string, BufferLevels> = {};
  for (const [id, lv] of Object.entries(b)) {
    const p = `${path}.buffers["${id}"]`;
    const l = object(lv, p);
    onlyKeys(l, ['store', 'fill'], p);
    buffers[id] = { store: level(l['store'], `${p}.store`), fill: level(l['fill'], `${p}.fill`) };
  }
  const s: SegmentSchedule = {
    layers: o['layers'] as string[],
    tile,
    order: order as SegmentSchedule['order'],
    buffers,
  };
  if (o['warmup'] !== undefined) {
    const w = object(o['warmup'], `${path}.warmup`);
    onlyKeys(w, [...warmupLoops], `${path}.warmup`);
    const warmup: Warmup = {};
    for (const l of warmupLoops) {
      if (w[l] === undefined) continue;
      const n = integer(w[l], `${path}.warmup.${l}`);
      if (n < 1)
        fail(
          `${path}.warmup.${l}`,
          `expected at least 1 warm-up iteration (leave the loop out for none), got ${n}`,
        );
      warmup[l] = n;
    }
    s.warmup = warmup;
  }
  return s;
}

/** JSON.parse's message, on one line: it quotes the file's text, which may hold line breaks and control characters. */
export function jsonErrorText(e: unknown): string {
  return oneLine((e as Error).message);
}

/** Control characters (line breaks included) escaped as in JSON, so that a message stays one line. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters escaped
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\n'
      ? '\\n'
      : c === '\r'
        ? '\\r'
        : c === '\t'
          ? '\\t'
          : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Parses the JSON of a schedule file (structure only; `checkSchedule` checks it against a network). */
export function parseSchedule(text: string): NetworkSchedule {
  let v: Json;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${jsonErrorText(e)}`);
  }
  return scheduleOfJson(v);
}

/** A schedule from parsed JSON (a schedule file's, or a point's of a front file), checked as parseSchedule does. */
export function scheduleOfJson(v: Json): NetworkSchedule {
  const o = object(v, 'schedule');
  onlyKeys(o, ['format', 'version', 'network', 'elementBytes', 'segments'], 'schedule');
  if (o['format'] !== scheduleFormat)
    fail('format', `expected "${scheduleFormat}", got ${valueText(o['format'])}`);
  if (o['version'] !== scheduleVersion)
    fail('version', `this memsched reads version ${scheduleVersion}, got ${valueText(o['version'])}`);
  if (typeof o['network'] !== 'string') fail('network', 'expected the network name');
  const w = o['elementBytes'];
  if (w !== 1 && w !== 2 && w !== 4) fail('elementBytes', `expected 1, 2 or 4, got ${valueText(w)}`);
  if (!Array.isArray(o['segments']) || o['segments'].length === 0)
    fail('segments', 'expected a non-empty list');
  return {
    format: scheduleFormat,
    version: scheduleVersion,
    network: o['network'],
    elementBytes: w,
    segments: o['segments'].map((s, i) => parseSegment(s, `segments[${i}]`)),
  };
}

/** The depth at which a layer of the segment computes: its output buffer's fill level (the last: 4). */
export function computeDepth(seg: Segment, s: SegmentSchedule, layer: string): number {
  if (layer === seg.last.name) return 4;
  return levelDepth(s.order, s.buffers[layer]!.fill);
}

/** Checks tiles, buffer ids and levels (store above fill, fills above their readers). */
function checkLevels(seg: Segment, s: SegmentSchedule, path: string): void {
  for (const l of loopNames) {
    const t = s.tile[l];
    if (t < 1 || t > seg.dims[l])
      fail(`${path}.tile.${l}`, `${t} is outside 1..${seg.dims[l]} (the ${l} extent of '${seg.last.name}')`);
  }
  const last = seg.last;
  if (last.kind === 'conv' && last.groups > 1 && seg.dims.zi > 1 && s.tile.zi !== seg.dims.zi)
    fail(
      `${path}.tile.zi`,
      `'${last.name}' is a grouped convolution: its reduction tile must be whole (${seg.dims.zi})`,
    );
  for (const l of warmupLoops) {
    const w = s.warmup?.[l];
    if (w === undefined) continue;
    const needed = warmupNeeded(seg, s, l);
    if (w > needed)
      fail(
        `${path}.warmup.${l}`,
        needed === 0
          ? `no layer of the segment computes anything before loop '${l}' starts: it needs no warm-up`
          : `${w} warm-up iterations, but no layer computes anything before iteration -${needed}: at most ${needed}`,
      );
  }
  const ids = new Set(seg.buffers.map((b) => b.id));
  for (const id of Object.keys(s.buffers)) {
    if (ids.has(id)) continue;
    const shared = seg.buffers.find(
      (b) => b.role === 'input' && b.readers.some((r) => `${b.tensor}@${r}` === id),
    );
    if (shared)
      fail(
        `${path}.buffers["${id}"]`,
        `'${shared.tensor}' is read by ${shared.readers.map((r) => `'${r}'`).join(', ')}: one buffer, named '${shared.id}' after its first reader`,
      );
    fail(`${path}.buffers["${id}"]`, `no such buffer in this segment (it has ${[...ids].join(', ')})`);
  }
  const missing = seg.buffers.filter((b) => !(b.id in s.buffers)).map((b) => b.id);
  if (missing.length > 0) fail(`${path}.buffers`, `missing levels for ${missing.join(', ')}`);
  for (const b of seg.buffers) {
    const p = `${path}.buffers["${b.id}"]`;
    const lv = s.buffers[b.id]!;
    const store = levelDepth(s.order, lv.store);
    const fill = levelDepth(s.order, lv.fill);
    if (store > fill) fail(`${p}.store`, `'${lv.store}' is inside the fill level '${lv.fill}'`);
    // A buffer must be filled before (at or above) the computation that reads it.
    for (const r of b.readers) {
      const at = computeDepth(seg, s, r);
      if (fill > at)
        fail(
          `${p}.fill`,
          `'${lv.fill}' is inside the level where '${r}' computes ('${at === 0 ? 'root' : s.order[at - 1]}')`,
        );
    }
  }
}

/** Checks one segment's schedule against the segment: also that the model can count it exactly. */
export function checkSegmentSchedule(seg: Segment, s: SegmentSchedule, path: string): void {
  checkLevels(seg, s, path);
  // A tensor read by several layers: some level combinations have no exact closed form.
  if (seg.buffers.some((b) => b.readers.length > 1))
    try {
      segmentCost(seg, s, 1);
    } catch (e) {
      if (e instanceof NotClosedForm) fail(`${path}.buffers["${e.bufferId}"].fill`, e.reason);
      throw e;
    }
}

/** Checks a whole network schedule: every layer in one segment, segments in an executable order. */
export function checkSchedule(net: Network, sched: NetworkSchedule): Segment[] {
  const covered = new Map<string, number>();
  const segments = sched.segments.map((s, i) => {
    const path = `segments[${i}]`;
    const seg = analyzeSegment(net, s.layers, path);
    for (const l of seg.layers) {
      if (covered.has(l.name))
        fail(`${path}.layers`, `layer '${l.name}' is already in segments[${covered.get(l.name)}]`);
      covered.set(l.name, i);
    }
    checkSegmentSchedule(seg, s, path);
    return seg;
  });
  const missing = net.layers.filter((l) => !covered.has(l.name)).map((l) => l.name);
  if (missing.length > 0)
    fail(
      'segments',
      `layers in no segment: ${missing.slice(0, 8).join(', ')}${missing.length > 8 ? ', ...' : ''}`,
    );
  const available = new Set(net.inputs.map((t) => t.name));
  segments.forEach((seg, i) => {
    for (const b of seg.buffers)
      if (b.role === 'input' && !available.has(b.tensor))
        fail(`segments[${i}]`, `reads '${b.tensor}' before the segment that produces it has run`);
    available.add(seg.last.name);
  });
  return segments;
}
