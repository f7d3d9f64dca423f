/*
 * tessera/gemv.h: matrix-vector products y = A x on row-major A, float64 and float32, for
 * np.matmul's matrix-vector case. They stream A once at memory speed: y = A x two rows at a time
 * with the row length a constant for narrow A (a copy per width up to 64), four rows at a time
 * against x held in registers otherwise; y = A^T x the rows in order, each times its x element
 * added into y's sums, which stay in the first-level cache (four rows at a time for a wide A).
 * Sums are in the element type, as BLAS's gemv keeps them, in vector lanes (a different order
 * than a serial loop, as any BLAS; the same order for every row length).
 */
#ifndef TESSERA_GEMV_H
#define TESSERA_GEMV_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* y = A^T x with at most this many columns is summed on the stack a row at a time. */
#define TGEMV_NB 64

/*
 * y = A x for a narrow A is bound by each row's sums unless the row length is a constant the
 * compiler unrolls (measured in Tessera's tasks, 1,000,000 x 32 float64 on two workers: 12.3-13.5
 * ms with k a variable, 9.4-10.4 ms as constants, where summing A takes 8.9-9.7 ms): narrow
 * widths get their own copy.
 */
#define TGEMV_CASE(S, K)                                                                                                 \
  case K:                                                                                                                \
    tgemv_rows2_##S(m, K, A, lda, x, y, incy);                                                                           \
    break;
#define TGEMV_WIDTHS(S)                                                                                                  \
  TGEMV_CASE(S, 1) TGEMV_CASE(S, 2) TGEMV_CASE(S, 3) TGEMV_CASE(S, 4) TGEMV_CASE(S, 5) TGEMV_CASE(S, 6)                  \
  TGEMV_CASE(S, 7) TGEMV_CASE(S, 8) TGEMV_CASE(S, 9) TGEMV_CASE(S, 10) TGEMV_CASE(S, 11) TGEMV_CASE(S, 12)               \
  TGEMV_CASE(S, 13) TGEMV_CASE(S, 14) TGEMV_CASE(S, 15) TGEMV_CASE(S, 16) TGEMV_CASE(S, 20) TGEMV_CASE(S, 24)            \
  TGEMV_CASE(S, 28) TGEMV_CASE(S, 32) TGEMV_CASE(S, 36) TGEMV_CASE(S, 40) TGEMV_CASE(S, 44) TGEMV_CASE(S, 48)            \
  TGEMV_CASE(S, 52) TGEMV_CASE(S, 56) TGEMV_CASE(S, 60) TGEMV_CASE(S, 64)

/*
 * y = A x's sweep along a group of rows: for each vector of x's elements from j on (xv), the
 * body adds the rows' elements times them into their sums with TGEMV_LANE(sum, row).
 */
#define TGEMV_SWEEP(V, LANES, ...)                                                                                       \
  for (; j + (LANES) <= k; j += (LANES)) {                                                                               \
    V xv;                                                                                                                \
    memcpy(&xv, x + j, sizeof xv);                                                                                       \
    __VA_ARGS__                                                                                                          \
  }
#define TGEMV_LANE(s, a)                                                                                                 \
  do {                                                                                                                   \
    __typeof__(s) v_;                                                                                                    \
    memcpy(&v_, (a) + j, sizeof v_);                                                                                     \
    (s) += v_ * xv;                                                                                                      \
  } while (0)

/*
 * TGEMV_DEFINE(suffix, T, LANES) defines, for element type T and vectors of LANES elements:
 *   tgemv_n_suffix(m, k, A, lda, x, incx, y, incy): y[i] = sum_j A[i lda + j] x[j incx], i < m
 *   tgemv_t_suffix(k, n, A, lda, x, incx, y, incy): y[j] = sum_i A[i lda + j] x[i incx], j < n
 * Both return 0, or -1 when a strided x could not be copied (no memory).
 */
#define TGEMV_DEFINE(S, T, LANES)                                                                                        \
  typedef T tgemv_v_##S __attribute__((vector_size(LANES * sizeof(T)), aligned(sizeof(T))));                            \
  /* The sum of row a: the lanes of its vector sums s in order, then its elements from j on. */                          \
  static inline T tgemv_row_##S(tgemv_v_##S s, const T *a, const T *x, int64_t j, int64_t k) {                           \
    T r = 0;                                                                                                             \
    for (int l = 0; l < LANES; l++) r += s[l];                                                                           \
    for (; j < k; j++) r += a[j] * x[j];                                                                                 \
    return r;                                                                                                            \
  }                                                                                                                      \
  /* Two rows at a time, for a constant k (the compiler unrolls the row). */                                             \
  static inline __attribute__((always_inline)) void tgemv_rows2_##S(int64_t m, const int64_t k, const T *A, int64_t lda, \
                                                                   const T *x, T *y, int64_t incy) {                     \
    int64_t i = 0;                                                                                                       \
    for (; i + 2 <= m; i += 2) {                                                                                         \
      const T *a0 = A + i * lda, *a1 = a0 + lda;                                                                         \
      tgemv_v_##S s0 = {0}, s1 = {0};                                                                                    \
      int64_t j = 0;                                                                                                     \
      TGEMV_SWEEP(tgemv_v_##S, LANES, TGEMV_LANE(s0, a0); TGEMV_LANE(s1, a1);)                                           \
      y[i * incy] = tgemv_row_##S(s0, a0, x, j, k);                                                                      \
      y[(i + 1) * incy] = tgemv_row_##S(s1, a1, x, j, k);                                                                \
    }                                                                                                                    \
    if (i < m) y[i * incy] = tgemv_row_##S((tgemv_v_##S){0}, A + i * lda, x, 0, k);                                      \
  }                                                                                                                      \
  /* Four rows at a time (x is read once for the four), any k. */                                                        \
  static void tgemv_rows4_##S(int64_t m, int64_t k, const T *A, int64_t lda, const T *x, T *y, int64_t incy) {           \
    int64_t i = 0;                                                                                                       \
    for (; i + 4 <= m; i += 4) {                                                                                         \
      const T *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;                                         \
      tgemv_v_##S s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};                                                                \
      int64_t j = 0;                                                                                                     \
      TGEMV_SWEEP(tgemv_v_##S, LANES, TGEMV_LANE(s0, a0); TGEMV_LANE(s1, a1); TGEMV_LANE(s2, a2); TGEMV_LANE(s3, a3);)   \
      y[i * incy] = tgemv_row_##S(s0, a0, x, j, k);                                                                      \
      y[(i + 1) * incy] = tgemv_row_##S(s1, a1, x, j, k);                                                                \
      y[(i + 2) * incy] = tgemv_row_##S(s2, a2, x, j, k);                                                                \
      y[(i + 3) * incy] = tgemv_row_##S(s3, a3, x, j, k);                                                                \
    }                                                                                                                    \
    for (; i < m; i++) y[i * incy] = tgemv_row_##S((tgemv_v_##S){0}, A + i * lda, x, 0, k);                              \
  }                                                                                                                      \
  static int tgemv_n_##S(int64_t m, int64_t k, const T *A, int64_t lda, const T *x, int64_t incx, T *y, int64_t incy) { \
    T *packed = NULL;                                                                                                    \
    if (incx != 1) {                                                                                                     \
      packed = (T *)malloc((size_t)k * sizeof(T));                                                                       \
      if (!packed) return -1;                                                                                            \
      for (int64_t j = 0; j < k; j++) packed[j] = x[j * incx];                                                           \
      x = packed;                                                                                                        \
    }                                                                                                                    \
    switch (k) {                                                                                                         \
      TGEMV_WIDTHS(S)                                                                                                    \
      default:                                                                                                           \
        tgemv_rows4_##S(m, k, A, lda, x, y, incy);                                                                       \
    }                                                                                                                    \
    free(packed);                                                                                                        \
    return 0;                                                                                                            \
  }                                                                                                                      \
  static int tgemv_t_##S(int64_t k, int64_t n, const T *A, int64_t lda, const T *x, int64_t incx, T *y, int64_t incy) { \
    if (n <= TGEMV_NB) {                                                                                                 \
      /* A few columns (a tall, narrow A): one row at a time into sums on the stack. */                                  \
      T sums[TGEMV_NB] = {0};                                                                                            \
      for (int64_t i = 0; i < k; i++) {                                                                                  \
        const T *a = A + i * lda;                                                                                        \
        const T xi = x[i * incx];                                                                                        \
        for (int64_t j = 0; j < n; j++) sums[j] += a[j] * xi;                                                            \
      }                                                                                                                  \
      for (int64_t j = 0; j < n; j++) y[j * incy] = sums[j];                                                             \
      return 0;                                                                                                          \
    }                                                                                                                    \
    T *acc = (T *)calloc((size_t)n, sizeof(T));                                                                          \
    if (!acc) return -1;                                                                                                 \
    int64_t i = 0;                                                                                                       \
    for (; i + 4 <= k; i += 4) {                                                                                         \
      const T *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;                                         \
      const T x0 = x[i * incx], x1 = x[(i + 1) * incx], x2 = x[(i + 2) * incx], x3 = x[(i + 3) * incx];                 \
      for (int64_t j = 0; j < n; j++) acc[j] += (a0[j] * x0 + a1[j] * x1) + (a2[j] * x2 + a3[j] * x3);                   \
    }                                                                                                                    \
    for (; i < k; i++) {                                                                                                 \
      const T *a = A + i * lda;                                                                                          \
      const T xi = x[i * incx];                                                                                          \
      for (int64_t j = 0; j < n; j++) acc[j] += a[j] * xi;                                                               \
    }                                                                                                                    \
    for (int64_t j = 0; j < n; j++) y[j * incy] = acc[j];                                                                \
    free(acc);                                                                                                           \
    return 0;                                                                                                            \
  }

TGEMV_DEFINE(d, double, 8)
TGEMV_DEFINE(s, float, 16)

#endif
