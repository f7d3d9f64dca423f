/** np.random: the Generator API (PCG64 + SeedSequence), matching NumPy's streams. */
export { Generator, default_rng } from "./generator.js";
export { SeedSequence } from "./seed_sequence.js";
