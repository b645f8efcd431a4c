// A worker thread searching segment fronts for explore (one segment per message).

import { parentPort } from 'node:worker_threads';
import type { Segment } from '../model/segment.js';
import type { SegmentFrontOptions } from './segment-search.js';
import { segmentFront } from './segment-search.js';

parentPort?.on('message', (m: { id: number; segment: Segment; options: SegmentFrontOptions }) => {
  parentPort?.postMessage({ id: m.id, front: segmentFront(m.segment, m.options) });
});
