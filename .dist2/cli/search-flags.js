// The flags of the commands that search (explore, and report without --front): the space, how long a
// chain is fused, how much recomputation is allowed (default defaultMaxRecompute), and the search processes.
import { availableParallelism } from 'node:os';
import { defaultMaxRecompute } from '../dse/explore.js';
import { InputError } from '../ir/errors.js';
export const searchFlags = {
    space: { type: 'string' },
    'max-fuse': { type: 'string' },
    'max-fuse-joins': { type: 'string' },
    'max-fuse-outputs': { type: 'string' },
    'own-levels': { type: 'string' },
    'max-recompute': { type: 'string' },
    'max-strips': { type: 'string' },
    'max-tiled-fuse': { type: 'string' },
    segments: { type: 'string' },
    threads: { type: 'string' },
};
export const searchFlagNames = Object.keys(searchFlags);
/** The search options the flags give; a bad value is refused naming the flag. */
export function searchOptions(flags) {
    const space = flags['space'] ?? 'full';
    if (space !== 'full' && space !== 'seed')
        throw new InputError(`--space: expected full or seed, got '${space}'`);
    // absent: no limit (chains up to the whole network), and defaultMaxFuseJoins for segments with joins
    const layers = (flag, least = 1) => {
        if (flags[flag] === undefined)
            return undefined;
        const n = Number(flags[flag]);
        if (!Number.isInteger(n) || n < least || !/^\d+$/.test(String(flags[flag])))
            throw new InputError(`--${flag}: expected ${least === 0 ? 'a whole number (0: none)' : 'a positive integer'}, got '${flags[flag]}'`);
        return n;
    };
    const maxFuse = layers('max-fuse');
    const maxFuseJoins = layers('max-fuse-joins');
    const maxFuseOutputs = layers('max-fuse-outputs', 0);
    const ownLevelsUpTo = layers('own-levels');
    const maxTiledFuse = layers('max-tiled-fuse');
    const maxRecompute = recomputeFlag(flags['max-recompute']);
    const strips = flags['max-strips'];
    const maxStrips = strips === undefined ? undefined : Number(strips);
    if (maxStrips !== undefined && !(typeof strips === 'string' && /^\d+$/.test(strips)))
        throw new InputError(`--max-strips: expected 0 (no streaming schedules) or a positive integer, got '${strips}'`);
    const segmentSets = flags['segments'] ?? 'dag';
    if (segmentSets !== 'dag' && segmentSets !== 'runs')
        throw new InputError(`--segments: expected dag or runs, got '${segmentSets}'`);
    const threads = flags['threads'] === undefined ? availableParallelism() : Number(flags['threads']);
    if (!Number.isInteger(threads) || threads < 1)
        throw new InputError(`--threads: expected a positive integer, got '${flags['threads']}'`);
    return {
        space,
        segmentSets,
        threads,
        ...(maxFuse === undefined ? {} : { maxFuse }),
        ...(maxFuseJoins === undefined ? {} : { maxFuseJoins }),
        ...(maxFuseOutputs === undefined ? {} : { maxFuseOutputs }),
        ...(ownLevelsUpTo === undefined ? {} : { ownLevelsUpTo }),
        ...(maxRecompute === undefined ? {} : { maxRecompute }),
        ...(maxStrips === undefined ? {} : { maxStrips }),
        ...(maxTiledFuse === undefined ? {} : { maxTiledFuse }),
    };
}
/** --max-recompute: a factor of at least 1, `none` (no limit: undefined), or by default defaultMaxRecompute. */
function recomputeFlag(flag) {
    if (flag === undefined)
        return defaultMaxRecompute;
    if (flag === 'none')
        return undefined;
    const factor = Number(flag);
    if (!(Number.isFinite(factor) && factor >= 1))
        throw new InputError(`--max-recompute: expected a factor of at least 1 (1: no recomputation) or none (no limit), got '${flag}'`);
    return factor;
}
//# sourceMappingURL=search-flags.js.map