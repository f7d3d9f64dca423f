import type { LapackImpl } from "./lapack_api.js";

/** The portable LAPACK: not yet available in this build. */
function missing(): never {
  throw new Error("no LAPACK library is available and the portable LAPACK is not built");
}
export const portableLapack: LapackImpl = {
  name: "portable",
  getrf: missing,
  gesv: missing,
  potrf: missing,
  geqrf: missing,
  orgqr: missing,
  gesdd: missing,
  syevd: missing,
  geev: missing,
  gelsd: missing,
};
