import type { Machine, ProcessorKind } from "./machine.js";
import { log, logEnabled } from "./log.js";
import { setting } from "./settings.js";

/** What the mapper is told about one launch. */
export interface LaunchInfo {
  readonly name: string;
  /** Launch domain shape and its volume (elements visited). */
  readonly domain: readonly number[];
  readonly volume: number;
  /** Relative cost per element (1 = a simple add); transcendental chains weigh more. */
  readonly weight: number;
  /** The launch cannot be split (a serial task). */
  readonly serial: boolean;
  /** Why the launch cannot run on the GPU, or null when it can (dtypes, ops, bindings). */
  readonly gpuBlocker: string | null;
}

/** Where and how wide a launch runs. `inline` means on the calling thread, no hand-off. */
export interface Mapping {
  readonly target: ProcessorKind | "inline";
  readonly pieces: number;
  /** A note for TESSERA_LOG=mapping (e.g. why a launch stayed on the CPU). */
  readonly note?: string;
}

/**
 * The mapper decides *where* work runs; libraries only say *what*. Replace it with
 * `runtime().setMapper(m)`.
 */
export interface Mapper {
  readonly name: string;
  mapLaunch(info: LaunchInfo, machine: Machine): Mapping;
}

/**
 * Default policy:
 *  - work below `inlineWork` (volume x weight) runs inline on the main thread, because
 *    handing a launch to the workers and waiting for them costs ~100-200 µs (posting,
 *    waking threads, folding partial results), in which one core streams a few MB itself;
 *  - otherwise the launch is cut into one piece per CPU worker, but no piece smaller than
 *    `minPieceWork`, so medium arrays use fewer workers;
 *  - serial tasks get one piece on a worker (keeping the main thread free);
 *  - TESSERA_INLINE_WORK and TESSERA_MIN_PIECE_WORK override the two thresholds (0 and 1
 *    cut even tiny launches into one piece per CPU, e.g. to test partitioning);
 *  - across MPI ranks the CPUs of every rank count, and points are dealt out to ranks;
 *  - with a GPU (TESSERA_GPUS=1), launches of at least `gpuWork` elements whose dtypes and
 *    operations WebGPU supports (float32, int32, uint32, bool) run there as one piece;
 *    float64, int64, complex and the rest stay on the CPU, and the log says why.
 */
export class DefaultMapper implements Mapper {
  readonly name = "default";
  constructor(
    readonly inlineWork = setting("TESSERA_INLINE_WORK"),
    readonly minPieceWork = setting("TESSERA_MIN_PIECE_WORK"),
    readonly gpuWork = setting("TESSERA_GPU_MIN"),
  ) {}
  mapLaunch(info: LaunchInfo, machine: Machine): Mapping {
    const work = info.volume * info.weight;
    let note: string | undefined;
    if (machine.gpus > 0 && info.volume >= this.gpuWork) {
      if (info.gpuBlocker === null) return { target: "webgpu", pieces: 1 };
      note = `stays on CPU: ${info.gpuBlocker}`;
    }
    const m = this.cpuMapping(info, machine, work);
    return note ? { ...m, note } : m;
  }
  private cpuMapping(info: LaunchInfo, machine: Machine, work: number): Mapping {
    if (work < this.inlineWork || (machine.cpus <= 1 && !info.serial && work < this.inlineWork * 4)) return INLINE;
    if (info.serial) return { target: "cpu", pieces: 1 };
    const pieces = Math.max(1, Math.min(machine.cpus, Math.floor(work / this.minPieceWork)));
    return { target: "cpu", pieces };
  }
}

const INLINE: Mapping = Object.freeze({ target: "inline", pieces: 1 });

/** Ask `mapper` where a launch runs, and log its answer (TESSERA_LOG=mapping) unless `quiet` (a probe whose launch may still go to the window). */
export function mapLaunch(mapper: Mapper, info: LaunchInfo, machine: Machine, quiet = false): Mapping {
  const m = mapper.mapLaunch(info, machine);
  if (!quiet && logEnabled("mapping"))
    log(
      "mapping",
      () =>
        `${info.name} domain=(${info.domain.join(",")}) -> ${m.target}${m.target === "inline" ? "" : ` x${m.pieces}`}${m.note ? ` (${m.note})` : ""}`,
    );
  return m;
}
