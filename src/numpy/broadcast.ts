import { ValueError } from "./errors.js";

const fmt = (s: readonly number[]) => `(${s.join(",")}${s.length === 1 ? "," : ""})`;
export const formatShape = fmt;

/** np.broadcast_shapes, with NumPy's error text. */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  const first = shapes[0];
  if (first && shapes.every((s) => s === first || (s.length === first.length && s.every((n, i) => n === first[i])))) return [...first];
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = ndim - s.length + i;
      const n = s[i];
      if (n === out[d] || n === 1) continue;
      if (out[d] === 1) {
        out[d] = n;
        continue;
      }
      throw new ValueError(`operands could not be broadcast together with shapes ${shapes.map(fmt).join(" ")} `);
    }
  }
  return out;
}
