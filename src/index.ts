/** The `tessera` package: the NumPy-compatible API, on the CPU, WebGPU and MPI processors. */
import "./platform.js";

export * from "./numpy/index.js";
