import type { AnyWorkload } from "../workload.js";
import add, { addWorkload } from "./add.js";
import addOut from "./add_out.js";
import triad, { triadWorkload } from "./triad.js";
import sum, { sumWorkload } from "./sum.js";
import chainF32 from "./chain.js";
import blackscholes, { blackscholesWorkload } from "./blackscholes.js";
import jacobi, { jacobiWorkload } from "./jacobi.js";
import cg from "./cg.js";
import { matmulF64, matmulF32 } from "./matmul.js";
import sort from "./sort.js";
import unique from "./unique.js";
import searchsorted from "./searchsorted.js";
import median from "./median.js";
import percentile from "./percentile.js";
import partition from "./partition.js";
import histogram from "./histogram.js";
import tinyOps, { tinyRead } from "./tiny_ops.js";
import tinyChain from "./tiny_chain.js";
import mediumSteps from "./medium_steps.js";
import logreg from "./logreg.js";
import kmeans from "./kmeans.js";
import int64Add from "./int64_add.js";
import concatenate from "./concatenate.js";
import { fft2d, fftPow2, fftPrime, rfftBatch } from "./fft.js";
import { cholesky, solve, inv, qr, svd, eigh } from "./linalg.js";
import { einsumBijBjk, einsumIjIjI } from "./einsum.js";
import { arrowZeroCopy, parquetReadPlain, parquetReadSnappy } from "./arrow.js";

const sumF32 = sumWorkload("float32");

/** Every workload, in the order the table lists them. */
export const WORKLOADS: readonly AnyWorkload[] = [
  add,
  addOut,
  triad,
  sum,
  sumF32,
  blackscholes,
  blackscholesWorkload("float32"),
  jacobi,
  jacobiWorkload("float32"),
  cg,
  matmulF64,
  matmulF32,
  sort,
  unique,
  searchsorted,
  median,
  percentile,
  partition,
  histogram,
  tinyOps,
  tinyRead,
  tinyChain,
  mediumSteps,
  logreg,
  kmeans,
  int64Add,
  concatenate,
  fftPow2,
  fftPrime,
  rfftBatch,
  fft2d,
  cholesky,
  solve,
  inv,
  qr,
  svd,
  eigh,
  einsumBijBjk,
  einsumIjIjI,
  arrowZeroCopy,
  parquetReadPlain,
  parquetReadSnappy,
];

/**
 * With `--gpus 1`: the float32 workloads WebGPU runs, each timed on the CPU backend and with
 * TESSERA_GPUS=1, in a table of their own.
 */
export const GPU_WORKLOADS: readonly AnyWorkload[] = [addWorkload("float32"), triadWorkload("float32"), sumF32, chainF32, matmulF32];
