// A worker thread searching single-layer fronts for explore (one segment per message).

import { parentPort } from 'node:worker_threads';
import type { Segment } from '../model/segment.js';
import type { LayerFrontOptions } from './layer-search.js';
import { singleLayerFront } from './layer-search.js';

parentPort?.on('message', (m: { id: number; segment: Segment; options: LayerFrontOptions }) => {
  parentPort?.postMessage({ id: m.id, front: singleLayerFront(m.segment, m.options) });
});
