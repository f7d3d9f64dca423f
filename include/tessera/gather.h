/*
 * tessera/gather.h: the compiled loops of advanced indexing: the row copy of a[idx] and
 * a[idx] = v along one axis with whole contiguous rows kept (a row of one element for a 1-D
 * array), and np.nonzero of a 1-D mask.
 * Row i of the dense side and row idx[i] of the indexed side are copied whole, as raw bytes;
 * the next rows' sources are prefetched, since selected rows are scattered through the array
 * (a boolean mask's rows, a permutation).
 */
#ifndef TESSERA_GATHER_H
#define TESSERA_GATHER_H
#include <stdint.h>
#include <string.h>

/* Rows the prefetch runs ahead of the copy. */
#define TGATHER_AHEAD 8

/* Index i of an int64 (wide) or int32 index array, `step` elements apart, wrapped once when negative. */
static inline int64_t tgather_index(const void *idx, int wide, int64_t i, int64_t step, int64_t extent) {
  int64_t v = wide ? ((const int64_t *)idx)[i * step] : (int64_t)((const int32_t *)idx)[i * step];
  return v < 0 ? v + extent : v;
}

/*
 * Copy `rows` rows of `row_bytes`: dense row i at dense + i*dense_step, indexed row v at
 * indexed + v*indexed_step for v = idx[i]. Gathers into the dense side, or scatters from it
 * (`scatter`), in order, so that with repeated indices the last write wins.
 */
#define TGATHER_LOOP(BYTES)                                                                                                     \
  for (int64_t i = 0; i < rows; i++) {                                                                                         \
    if (i + TGATHER_AHEAD < rows) __builtin_prefetch(indexed + tgather_index(idx, wide, i + TGATHER_AHEAD, idx_step, extent) * indexed_step); \
    char *row = indexed + tgather_index(idx, wide, i, idx_step, extent) * indexed_step;                                        \
    if (scatter)                                                                                                               \
      memcpy(row, dense + i * dense_step, (size_t)(BYTES));                                                                    \
    else                                                                                                                       \
      memcpy(dense + i * dense_step, row, (size_t)(BYTES));                                                                    \
  }
static void tgather_rows(int64_t rows, int64_t row_bytes, char *dense, int64_t dense_step, char *indexed, int64_t indexed_step,
                         const void *idx, int wide, int64_t idx_step, int64_t extent, int scatter) {
  /* Single elements (a 1-D a[idx]) copy as one load and store each, not a memcpy call. */
  switch (row_bytes) {
    case 8:
      TGATHER_LOOP(8)
      break;
    case 4:
      TGATHER_LOOP(4)
      break;
    case 16:
      TGATHER_LOOP(16)
      break;
    default:
      TGATHER_LOOP(row_bytes)
  }
}

/*
 * np.nonzero of a 1-D array of bytes (a boolean mask): the positions of the nonzero bytes,
 * `stride` bytes apart, written in order to out[0], out[out_step], ... Returns their count.
 */
static int64_t tnonzero_bytes(int64_t n, const uint8_t *x, int64_t stride, int64_t *out, int64_t out_step) {
  int64_t row = 0;
  for (int64_t c = 0; c < n; c++)
    if (x[c * stride]) out[(row++) * out_step] = c;
  return row;
}

#endif
