// A worker thread searching segment fronts for explore (one segment per message).

import { parentPort } from 'node:worker_threads';
import type { Segment } from '../model/segment.js';
import type { SegmentFrontOptions } from './segment-search.js';
import type { StreamingOptions } from './streaming.js';
import { searchSegment } from './streaming.js';

parentPort?.on(
  'message',
  (m: {
    segment: Segment;
    options: SegmentFrontOptions | undefined;
    streaming: StreamingOptions | undefined;
  }) => {
    parentPort?.postMessage(searchSegment(m.segment, m.options, m.streaming));
  },
);
