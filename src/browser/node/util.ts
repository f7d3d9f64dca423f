/** `node:util` in the browser bundle: the symbol Node's inspect looks for. */
export const inspect = { custom: Symbol.for("nodejs.util.inspect.custom") };
