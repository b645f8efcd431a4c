// A search process of explore's pool: searches one segment's front per message and sends it back.
// It exits with its parent (the IPC channel closing).
import { dropGroup } from './segment-factors.js';
import { searchSegment } from './streaming.js';
process.on('message', (m) => {
    // a suffix group all of whose members have been searched: its tables can go
    if ('drop' in m)
        dropGroup(m.drop);
    else
        process.send?.(searchSegment(m.segment, m.options, m.streaming));
});
process.on('disconnect', () => process.exit(0));
//# sourceMappingURL=search-process.js.map