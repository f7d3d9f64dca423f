import { Machine, ProcessorKind } from "./machine.js";

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
}

/** Where and how wide a launch runs. `inline` means on the calling thread, no hand-off. */
export interface Mapping {
  readonly target: ProcessorKind | "inline";
  readonly pieces: number;
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
 *    handing a task to a worker costs ~15-30 us and tiny arrays must not pay for it;
 *  - otherwise the launch is cut into one piece per CPU worker, but no piece smaller than
 *    `minPieceWork`, so medium arrays use fewer workers;
 *  - serial tasks get one piece on a worker (keeping the main thread free).
 */
export class DefaultMapper implements Mapper {
  readonly name = "default";
  constructor(readonly inlineWork = 1 << 16, readonly minPieceWork = 1 << 15) {}
  mapLaunch(info: LaunchInfo, machine: Machine): Mapping {
    const work = info.volume * info.weight;
    if (work < this.inlineWork || machine.cpus <= 1 && !info.serial && work < this.inlineWork * 4) return { target: "inline", pieces: 1 };
    if (info.serial) return { target: "cpu", pieces: 1 };
    const pieces = Math.max(1, Math.min(machine.cpus, Math.floor(work / this.minPieceWork)));
    return { target: "cpu", pieces };
  }
}
