import os from "node:os";
import { launcherInt, setting } from "./settings.js";

/** A kind of processor that can run task variants. */
export type ProcessorKind = "cpu" | "webgpu" | "cuda";

export interface Memory {
  readonly kind: "host" | "gpu";
  readonly bytes: number;
  readonly shared: boolean;
}

/**
 * The machine this process drives: CPU worker count (TESSERA_CPUS, default: every core),
 * GPUs (TESSERA_GPUS) and ranks. Like `legate --cpus --gpus --nodes`, it only shapes what
 * the mapper may use; the program itself never names processors.
 */
export interface Machine {
  readonly cpus: number;
  readonly gpus: number;
  readonly rank: number;
  readonly ranks: number;
  readonly memories: readonly Memory[];
}

export function detectMachine(): Machine {
  const cpus = setting("TESSERA_CPUS") ?? os.availableParallelism();
  const gpus = setting("TESSERA_GPUS");
  if (gpus > 1) throw new RangeError(`TESSERA_GPUS=${gpus}: one GPU per process is supported (use ranks for more)`);
  // Under mpirun every process is one rank (OpenMPI names them before MPI_Init).
  const ranks = launcherInt("OMPI_COMM_WORLD_SIZE", 1, 1);
  const rank = launcherInt("OMPI_COMM_WORLD_RANK", 0, 0);
  if (ranks > 1 && gpus > 0) throw new RangeError(`TESSERA_GPUS=${gpus} with ${ranks} ranks: GPUs are not yet supported in multi-rank runs`);
  return {
    cpus,
    gpus,
    rank,
    ranks,
    memories: [{ kind: "host", bytes: os.totalmem(), shared: true }],
  };
}
