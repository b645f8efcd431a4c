// Seeded randomness, so every random case (tests, fuzzing, benchmarks, seeded inputs) replays from its seed.
/** A small deterministic generator (mulberry32), so every random case can be replayed from its seed. */
export function rng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
export function randomInt(r, lo, hi) {
    return lo + Math.floor(r() * (hi - lo + 1));
}
//# sourceMappingURL=random.js.map