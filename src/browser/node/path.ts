/** `node:path` in the browser bundle: `join`, `dirname`, `basename`, for names that are never used there. */
export default {
  join: (...parts: string[]): string => parts.join("/"),
  dirname: (p: string): string => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) || "/" : "."),
  basename: (p: string): string => p.slice(p.lastIndexOf("/") + 1),
};
