/** The `tessera/core` package: the task runtime, on the CPU, WebGPU and MPI processors. */
import "./platform.js";

export * from "./core/index.js";
