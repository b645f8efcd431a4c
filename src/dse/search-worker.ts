// A worker thread searching segment fronts for explore (one segment per message).

import { parentPort } from 'node:worker_threads';
import type { Segment } from '../model/segment.js';
import type { SegmentFrontOptions } from './segment-search.js';
import { segmentFront } from './segment-search.js';

parentPort?.on('message', (m: { segment: Segment; options: SegmentFrontOptions }) => {
  const stats = { prefixes: 0, tilings: 0 };
  const front = segmentFront(m.segment, m.options, stats);
  parentPort?.postMessage({ front, stats });
});
