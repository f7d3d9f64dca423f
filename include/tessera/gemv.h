/*
 * tessera/gemv.h: matrix-vector products y = A x on row-major A, float64 and float32, for
 * np.matmul's matrix-vector case. They stream A once at memory speed: four rows at a time
 * against x held in registers (y = A x), or the rows in order, each times its x element added
 * into y's sums, which stay in the first-level cache (y = A^T x; four rows at a time for a
 * wide A). Sums are in the
 * element type, as BLAS's gemv keeps them, in vector lanes (a different order than a
 * serial loop, as any BLAS).
 */
#ifndef TESSERA_GEMV_H
#define TESSERA_GEMV_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* y = A^T x with at most this many columns is summed on the stack a row at a time. */
#define TGEMV_NB 64

/*
 * TGEMV_DEFINE(suffix, T, LANES) defines, for element type T and vectors of LANES elements:
 *   tgemv_n_suffix(m, k, A, lda, x, incx, y, incy): y[i] = sum_j A[i lda + j] x[j incx], i < m
 *   tgemv_t_suffix(k, n, A, lda, x, incx, y, incy): y[j] = sum_i A[i lda + j] x[i incx], j < n
 * Both return 0, or -1 when a strided x could not be copied (no memory).
 */
#define TGEMV_DEFINE(S, T, LANES)                                                                                        \
  typedef T tgemv_v_##S __attribute__((vector_size(LANES * sizeof(T)), aligned(sizeof(T))));                            \
  static int tgemv_n_##S(int64_t m, int64_t k, const T *A, int64_t lda, const T *x, int64_t incx, T *y, int64_t incy) { \
    T *packed = NULL;                                                                                                    \
    if (incx != 1) {                                                                                                     \
      packed = (T *)malloc((size_t)k * sizeof(T));                                                                       \
      if (!packed) return -1;                                                                                            \
      for (int64_t j = 0; j < k; j++) packed[j] = x[j * incx];                                                           \
      x = packed;                                                                                                        \
    }                                                                                                                    \
    int64_t i = 0;                                                                                                       \
    for (; i + 4 <= m; i += 4) {                                                                                         \
      const T *a0 = A + i * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;                                         \
      tgemv_v_##S s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};                                                                \
      int64_t j = 0;                                                                                                     \
      for (; j + LANES <= k; j += LANES) {                                                                               \
        tgemv_v_##S xv, v;                                                                                               \
        memcpy(&xv, x + j, sizeof xv);                                                                                   \
        memcpy(&v, a0 + j, sizeof v);                                                                                    \
        s0 += v * xv;                                                                                                    \
        memcpy(&v, a1 + j, sizeof v);                                                                                    \
        s1 += v * xv;                                                                                                    \
        memcpy(&v, a2 + j, sizeof v);                                                                                    \
        s2 += v * xv;                                                                                                    \
        memcpy(&v, a3 + j, sizeof v);                                                                                    \
        s3 += v * xv;                                                                                                    \
      }                                                                                                                  \
      T r0 = 0, r1 = 0, r2 = 0, r3 = 0;                                                                                  \
      for (int l = 0; l < LANES; l++) {                                                                                  \
        r0 += s0[l];                                                                                                     \
        r1 += s1[l];                                                                                                     \
        r2 += s2[l];                                                                                                     \
        r3 += s3[l];                                                                                                     \
      }                                                                                                                  \
      for (; j < k; j++) {                                                                                               \
        r0 += a0[j] * x[j];                                                                                              \
        r1 += a1[j] * x[j];                                                                                              \
        r2 += a2[j] * x[j];                                                                                              \
        r3 += a3[j] * x[j];                                                                                              \
      }                                                                                                                  \
      y[i * incy] = r0;                                                                                                  \
      y[(i + 1) * incy] = r1;                                                                                            \
      y[(i + 2) * incy] = r2;                                                                                            \
      y[(i + 3) * incy] = r3;                                                                                            \
    }                                                                                                                    \
    for (; i < m; i++) {                                                                                                 \
      const T *a = A + i * lda;                                                                                          \
      T r = 0;                                                                                                           \
      for (int64_t j = 0; j < k; j++) r += a[j] * x[j];                                                                  \
      y[i * incy] = r;                                                                                                   \
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
