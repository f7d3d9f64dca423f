/**
 * Errors of bad *data* raised inside tasks (not bugs in a task): they keep their class across
 * threads, so a program sees the same error whether a kernel ran inline or on a worker.
 * Libraries build on it (NumPy's ValueError is this class).
 */
export class ValueError extends Error { override name = "ValueError"; }
