/** `node:path` in the browser bundle: only `join`, for names that are never used there. */
export default { join: (...parts: string[]): string => parts.join("/") };
