import type { ExploreOptions } from '../dse/explore.js';
export declare const searchFlags: {
    readonly space: {
        readonly type: 'string';
    };
    readonly 'max-fuse': {
        readonly type: 'string';
    };
    readonly 'max-fuse-joins': {
        readonly type: 'string';
    };
    readonly 'max-fuse-outputs': {
        readonly type: 'string';
    };
    readonly 'own-levels': {
        readonly type: 'string';
    };
    readonly 'max-recompute': {
        readonly type: 'string';
    };
    readonly 'max-strips': {
        readonly type: 'string';
    };
    readonly 'max-tiled-fuse': {
        readonly type: 'string';
    };
    readonly segments: {
        readonly type: 'string';
    };
    readonly threads: {
        readonly type: 'string';
    };
};
export declare const searchFlagNames: (keyof typeof searchFlags)[];
/** The search options the flags give; a bad value is refused naming the flag. */
export declare function searchOptions(flags: Record<string, string | boolean | undefined>): Pick<ExploreOptions, 'space' | 'maxFuse' | 'maxFuseJoins' | 'maxFuseOutputs' | 'ownLevelsUpTo' | 'maxRecompute' | 'maxStrips' | 'maxTiledFuse' | 'segmentSets' | 'threads'>;
