/*
 * tessera/fft.h: the compiled form of np.fft's transforms, after pocketfft (NumPy's FFT
 * library). Plans (factors, twiddles, chirps) are built by the caller and handed over as a
 * descriptor of int32 values and one table of doubles, so that this file only executes them:
 *
 *   Cooley-Tukey  {0, n, npass, then per pass: ip, l1, ido, tw, twf, roots}
 *   Bluestein     {1, n, n2, bk, bkf, then the Cooley-Tukey plan of length n2}
 *   real          {2, n, tw, then the complex plan of length n/2 (even n) or n (odd n)}
 *
 * where tw, twf, roots, bk, bkf are offsets into the table (roots -1 for radix 2, 3, 4, 5).
 * Complex data are interleaved (re, im) doubles; transforms are unnormalised. Every sum is
 * written in the order of the JavaScript plans (complex_plan.ts, real_plan.ts) and compiled
 * without contraction into fused multiply-adds, so both give the same bits.
 */
#ifndef TESSERA_FFT_H
#define TESSERA_FFT_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * GCC 12's SLP vectoriser turns the scalar complex products into fused multiply-adds
 * (vfmaddsub) even under -ffp-contract=off, which would change the roundings: the scalar code
 * is not SLP-vectorised, and the loops that matter use explicit vectors (tfft_v) instead.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("no-tree-slp-vectorize")
#endif

#define TFFT_TAU3 0.8660254037844386
#define TFFT_C51 0.30901699437494745
#define TFFT_S51 0.9510565162951535
#define TFFT_C52 (-0.8090169943749473)
#define TFFT_S52 0.5877852522924732

/* Store the complex value (r, i) at o. */
static inline void tfft_put(double *o, double r, double i) {
  o[0] = r;
  o[1] = i;
}

/* Multiply (*r, *i) by the twiddle w[0] + i w[1]. */
#define TFFT_ROT(r, i, w) do { double t_ = (r) * (w)[0] - (i) * (w)[1]; (i) = (r) * (w)[1] + (i) * (w)[0]; (r) = t_; } while (0)

/*
 * One Stockham pass (pocketfft's cfftp layout): input (i, j, k) at i + ido·(j + ip·k), output
 * (i, k, m) at i + ido·(k + l1·m); sg is -1 forward, +1 backward; tw the pass's twiddles for
 * that direction ((ip-1)·ido, interleaved). Column i = 0 has no twiddles: the scalar
 * butterflies take NULL twiddle pointers for it (the compiler drops the products), and the
 * vector ones below leave its lanes unrotated.
 */
static inline void tfft_bf2(const double *a, int64_t sc, double *o, int64_t so, const double *w) {
  tfft_put(o, a[0] + a[sc], a[1] + a[sc + 1]);
  double dr = a[0] - a[sc], di = a[1] - a[sc + 1];
  if (w) TFFT_ROT(dr, di, w);
  tfft_put(o + so, dr, di);
}

static inline void tfft_bf3(const double *a, int64_t sc, double *o, int64_t so, double s, const double *w1, const double *w2) {
  double a0r = a[0], a0i = a[1], a1r = a[sc], a1i = a[sc + 1], a2r = a[2 * sc], a2i = a[2 * sc + 1];
  double tr = a1r + a2r, ti = a1i + a2i;
  double cr = a0r - 0.5 * tr, ci = a0i - 0.5 * ti;
  double dr = -s * (a1i - a2i), di = s * (a1r - a2r);
  tfft_put(o, a0r + tr, a0i + ti);
  double y1r = cr + dr, y1i = ci + di, y2r = cr - dr, y2i = ci - di;
  if (w1) {
    TFFT_ROT(y1r, y1i, w1);
    TFFT_ROT(y2r, y2i, w2);
  }
  tfft_put(o + so, y1r, y1i);
  tfft_put(o + 2 * so, y2r, y2i);
}

static inline void tfft_bf4(const double *a, int64_t sc, double *o, int64_t so, double sg, const double *w1, const double *w2, const double *w3) {
  double a0r = a[0], a0i = a[1], a1r = a[sc], a1i = a[sc + 1];
  double a2r = a[2 * sc], a2i = a[2 * sc + 1], a3r = a[3 * sc], a3i = a[3 * sc + 1];
  double s0r = a0r + a2r, s0i = a0i + a2i, d0r = a0r - a2r, d0i = a0i - a2i;
  double s1r = a1r + a3r, s1i = a1i + a3i;
  double e1r = -sg * (a1i - a3i), e1i = sg * (a1r - a3r);
  tfft_put(o, s0r + s1r, s0i + s1i);
  double y1r = d0r + e1r, y1i = d0i + e1i, y2r = s0r - s1r, y2i = s0i - s1i, y3r = d0r - e1r, y3i = d0i - e1i;
  if (w1) {
    TFFT_ROT(y1r, y1i, w1);
    TFFT_ROT(y2r, y2i, w2);
    TFFT_ROT(y3r, y3i, w3);
  }
  tfft_put(o + so, y1r, y1i);
  tfft_put(o + 2 * so, y2r, y2i);
  tfft_put(o + 3 * so, y3r, y3i);
}

static inline void tfft_bf5(const double *a, int64_t sc, double *o, int64_t so, double s1, double s2, const double *w1, const double *w2,
                            const double *w3, const double *w4) {
  double a0r = a[0], a0i = a[1];
  double b1r = a[sc], b1i = a[sc + 1], b2r = a[2 * sc], b2i = a[2 * sc + 1];
  double b3r = a[3 * sc], b3i = a[3 * sc + 1], b4r = a[4 * sc], b4i = a[4 * sc + 1];
  double t1r = b1r + b4r, t1i = b1i + b4i, t4r = b1r - b4r, t4i = b1i - b4i;
  double t2r = b2r + b3r, t2i = b2i + b3i, t3r = b2r - b3r, t3i = b2i - b3i;
  double c1r = a0r + TFFT_C51 * t1r + TFFT_C52 * t2r, c1i = a0i + TFFT_C51 * t1i + TFFT_C52 * t2i;
  double c2r = a0r + TFFT_C52 * t1r + TFFT_C51 * t2r, c2i = a0i + TFFT_C52 * t1i + TFFT_C51 * t2i;
  double u1r = s1 * t4r + s2 * t3r, u1i = s1 * t4i + s2 * t3i;
  double u2r = s2 * t4r - s1 * t3r, u2i = s2 * t4i - s1 * t3i;
  double y1r = c1r - u1i, y1i = c1i + u1r, y4r = c1r + u1i, y4i = c1i - u1r;
  double y2r = c2r - u2i, y2i = c2i + u2r, y3r = c2r + u2i, y3i = c2i - u2r;
  tfft_put(o, a0r + t1r + t2r, a0i + t1i + t2i);
  if (w1) {
    TFFT_ROT(y1r, y1i, w1);
    TFFT_ROT(y2r, y2i, w2);
    TFFT_ROT(y3r, y3i, w3);
    TFFT_ROT(y4r, y4i, w4);
  }
  tfft_put(o + so, y1r, y1i);
  tfft_put(o + 2 * so, y2r, y2i);
  tfft_put(o + 3 * so, y3r, y3i);
  tfft_put(o + 4 * so, y4r, y4i);
}

/*
 * Two lines at once: a vector of 4 doubles holds two complex values, interleaved as the data
 * are, so the butterflies run in SIMD lanes. The pairs are columns i and i+1 of a group
 * (kd = 2: adjacent), or, in a pass with one column (ido = 1), groups k and k+1 (kd = 2·ip).
 * The complex products are the scalar ones lane by lane (r·wr - i·wi, i·wr + r·wi), with the
 * same roundings, and column 0 is never rotated (as in the scalar code), so both give the
 * same bits.
 */
typedef double tfft_v __attribute__((vector_size(32), aligned(8)));
#define TFFT_LD(p) (*(const tfft_v *)(p))
#define TFFT_ST(p, v) (*(tfft_v *)(p) = (v))
/* Complex values at p and p + kd as one vector. */
static inline tfft_v tfft_ld2(const double *p, int64_t kd) {
  if (kd == 2) return TFFT_LD(p);
  tfft_v v = {p[0], p[1], p[kd], p[kd + 1]};
  return v;
}
/* (re, im) → (im, re) in each complex lane. */
#define TFFT_SWAP(v) __builtin_shufflevector((v), (v), 1, 0, 3, 2)
static inline tfft_v tfft_vrot(tfft_v y, const double *w) {
  const tfft_v wv = TFFT_LD(w);
  const tfft_v wr = __builtin_shufflevector(wv, wv, 0, 0, 2, 2), wi = __builtin_shufflevector(wv, wv, 1, 1, 3, 3);
  const tfft_v alt = {-1.0, 1.0, -1.0, 1.0};
  return y * wr + TFFT_SWAP(y) * wi * alt;
}
/* What the pair's twiddles do: rotate both lanes, all but lane 0 (columns 0 and 1), or none (groups). */
enum { TFFT_ROT_ALL = 0, TFFT_ROT_NOT0 = 1, TFFT_ROT_NONE = 2 };
static inline tfft_v tfft_vrotm(tfft_v y, const double *w, int mode) {
  if (mode == TFFT_ROT_NONE) return y;
  tfft_v r = tfft_vrot(y, w);
  if (mode == TFFT_ROT_NOT0) r = __builtin_shufflevector(y, r, 0, 1, 6, 7);
  return r;
}
/* ±i·v: (-sg·im, sg·re). */
static inline tfft_v tfft_vmuli(tfft_v v, double sg) {
  const tfft_v f = {-sg, sg, -sg, sg};
  return f * TFFT_SWAP(v);
}

static inline void tfft_vbf2(const double *a, int64_t sc, int64_t kd, double *o, int64_t so, const double *w, int mode) {
  tfft_v a0 = tfft_ld2(a, kd), a1 = tfft_ld2(a + sc, kd);
  TFFT_ST(o, a0 + a1);
  TFFT_ST(o + so, tfft_vrotm(a0 - a1, w, mode));
}

static inline void tfft_vbf3(const double *a, int64_t sc, int64_t kd, double *o, int64_t so, double s, const double *w1, const double *w2,
                             int mode) {
  tfft_v a0 = tfft_ld2(a, kd), a1 = tfft_ld2(a + sc, kd), a2 = tfft_ld2(a + 2 * sc, kd);
  tfft_v t = a1 + a2, c = a0 - 0.5 * t, d = tfft_vmuli(a1 - a2, s);
  TFFT_ST(o, a0 + t);
  TFFT_ST(o + so, tfft_vrotm(c + d, w1, mode));
  TFFT_ST(o + 2 * so, tfft_vrotm(c - d, w2, mode));
}

static inline void tfft_vbf4(const double *a, int64_t sc, int64_t kd, double *o, int64_t so, double sg, const double *w1, const double *w2,
                             const double *w3, int mode) {
  tfft_v a0 = tfft_ld2(a, kd), a1 = tfft_ld2(a + sc, kd), a2 = tfft_ld2(a + 2 * sc, kd), a3 = tfft_ld2(a + 3 * sc, kd);
  tfft_v s0 = a0 + a2, d0 = a0 - a2, s1 = a1 + a3, e1 = tfft_vmuli(a1 - a3, sg);
  TFFT_ST(o, s0 + s1);
  TFFT_ST(o + so, tfft_vrotm(d0 + e1, w1, mode));
  TFFT_ST(o + 2 * so, tfft_vrotm(s0 - s1, w2, mode));
  TFFT_ST(o + 3 * so, tfft_vrotm(d0 - e1, w3, mode));
}

static inline void tfft_vbf5(const double *a, int64_t sc, int64_t kd, double *o, int64_t so, double s1, double s2, const double *w1,
                             const double *w2, const double *w3, const double *w4, int mode) {
  tfft_v a0 = tfft_ld2(a, kd), b1 = tfft_ld2(a + sc, kd), b2 = tfft_ld2(a + 2 * sc, kd), b3 = tfft_ld2(a + 3 * sc, kd),
         b4 = tfft_ld2(a + 4 * sc, kd);
  tfft_v t1 = b1 + b4, t4 = b1 - b4, t2 = b2 + b3, t3 = b2 - b3;
  tfft_v c1 = a0 + TFFT_C51 * t1 + TFFT_C52 * t2, c2 = a0 + TFFT_C52 * t1 + TFFT_C51 * t2;
  /* i·u as (-u_im, u_re): y1 = c1 + i·u1, y4 = c1 - i·u1, y2 = c2 + i·u2, y3 = c2 - i·u2. */
  tfft_v iu1 = tfft_vmuli(s1 * t4 + s2 * t3, 1.0), iu2 = tfft_vmuli(s2 * t4 - s1 * t3, 1.0);
  TFFT_ST(o, a0 + t1 + t2);
  TFFT_ST(o + so, tfft_vrotm(c1 + iu1, w1, mode));
  TFFT_ST(o + 2 * so, tfft_vrotm(c2 + iu2, w2, mode));
  TFFT_ST(o + 3 * so, tfft_vrotm(c2 - iu2, w3, mode));
  TFFT_ST(o + 4 * so, tfft_vrotm(c1 - iu1, w4, mode));
}

/* The input and output of column i of group k in a pass of radix ip. */
#define TFFT_IN(ip, i, k) (cc + 2 * ((i) + ido * (ip) * (k)))
#define TFFT_OUT(i, k) (ch + 2 * ((i) + ido * (k)))
#define TFFT_W(m, i) (tw + 2 * ((m) * ido + (i)))
/*
 * Every column of every group: with one column, groups in pairs (VCALL with kd = 2·ip, no
 * twiddles); otherwise columns in pairs, the first pair keeping column 0 unrotated, and an odd
 * last column alone. CALL0 and CALL are the scalar butterfly without and with twiddles.
 */
#define TFFT_PASS(ip, VCALL, CALL0, CALL)                                                \
  if (ido == 1) {                                                                        \
    int64_t k = 0, i = 0;                                                                \
    for (; k + 1 < l1; k += 2) VCALL(2 * (ip), TFFT_ROT_NONE);                           \
    if (k < l1) CALL0;                                                                   \
  } else                                                                                 \
    for (int64_t k = 0; k < l1; k++) {                                                   \
      int64_t i = 0;                                                                     \
      VCALL(2, TFFT_ROT_NOT0);                                                           \
      for (i = 2; i + 1 < ido; i += 2) VCALL(2, TFFT_ROT_ALL);                           \
      if (i < ido) CALL;                                                                 \
    }

static void tfft_pass2(int64_t l1, int64_t ido, const double *restrict tw, const double *restrict cc, double *restrict ch) {
  const int64_t sc = 2 * ido, so = 2 * ido * l1;
#define V2(kd, mode) tfft_vbf2(TFFT_IN(2, i, k), sc, kd, TFFT_OUT(i, k), so, TFFT_W(0, i), mode)
  TFFT_PASS(2, V2, tfft_bf2(TFFT_IN(2, 0, k), sc, TFFT_OUT(0, k), so, NULL), tfft_bf2(TFFT_IN(2, i, k), sc, TFFT_OUT(i, k), so, TFFT_W(0, i)))
#undef V2
}

static void tfft_pass3(int64_t l1, int64_t ido, const double *restrict tw, const double *restrict cc, double *restrict ch, double sg) {
  const int64_t sc = 2 * ido, so = 2 * ido * l1;
  const double s = sg * TFFT_TAU3;
#define V3(kd, mode) tfft_vbf3(TFFT_IN(3, i, k), sc, kd, TFFT_OUT(i, k), so, s, TFFT_W(0, i), TFFT_W(1, i), mode)
  TFFT_PASS(3, V3, tfft_bf3(TFFT_IN(3, 0, k), sc, TFFT_OUT(0, k), so, s, NULL, NULL),
            tfft_bf3(TFFT_IN(3, i, k), sc, TFFT_OUT(i, k), so, s, TFFT_W(0, i), TFFT_W(1, i)))
#undef V3
}

static void tfft_pass4(int64_t l1, int64_t ido, const double *restrict tw, const double *restrict cc, double *restrict ch, double sg) {
  const int64_t sc = 2 * ido, so = 2 * ido * l1;
#define V4(kd, mode) tfft_vbf4(TFFT_IN(4, i, k), sc, kd, TFFT_OUT(i, k), so, sg, TFFT_W(0, i), TFFT_W(1, i), TFFT_W(2, i), mode)
  TFFT_PASS(4, V4, tfft_bf4(TFFT_IN(4, 0, k), sc, TFFT_OUT(0, k), so, sg, NULL, NULL, NULL),
            tfft_bf4(TFFT_IN(4, i, k), sc, TFFT_OUT(i, k), so, sg, TFFT_W(0, i), TFFT_W(1, i), TFFT_W(2, i)))
#undef V4
}

static void tfft_pass5(int64_t l1, int64_t ido, const double *restrict tw, const double *restrict cc, double *restrict ch, double sg) {
  const int64_t sc = 2 * ido, so = 2 * ido * l1;
  const double s1 = sg * TFFT_S51, s2 = sg * TFFT_S52;
#define V5(kd, mode) \
  tfft_vbf5(TFFT_IN(5, i, k), sc, kd, TFFT_OUT(i, k), so, s1, s2, TFFT_W(0, i), TFFT_W(1, i), TFFT_W(2, i), TFFT_W(3, i), mode)
  TFFT_PASS(5, V5, tfft_bf5(TFFT_IN(5, 0, k), sc, TFFT_OUT(0, k), so, s1, s2, NULL, NULL, NULL, NULL),
            tfft_bf5(TFFT_IN(5, i, k), sc, TFFT_OUT(i, k), so, s1, s2, TFFT_W(0, i), TFFT_W(1, i), TFFT_W(2, i), TFFT_W(3, i)))
#undef V5
}

/* Any odd radix: a direct DFT of length ip per column; outputs m and ip-m share the sums of the pairs (j, ip-j). */
static void tfft_passg(int64_t ip, int64_t l1, int64_t ido, const double *restrict tw, const double *restrict roots, const double *restrict cc,
                       double *restrict ch, double sg, double *restrict x) {
  const int64_t sc = 2 * ido, so = 2 * ido * l1, half = (ip - 1) / 2;
  for (int64_t k = 0; k < l1; k++)
    for (int64_t i = 0; i < ido; i++) {
      const double *a = cc + 2 * (i + ido * ip * k);
      for (int64_t j = 0; j < ip; j++) {
        x[2 * j] = a[j * sc];
        x[2 * j + 1] = a[j * sc + 1];
      }
      double *o = ch + 2 * (i + ido * k);
      double r0 = x[0], i0 = x[1];
      for (int64_t j = 1; j < ip; j++) {
        r0 += x[2 * j];
        i0 += x[2 * j + 1];
      }
      o[0] = r0;
      o[1] = i0;
      for (int64_t m = 1; m <= half; m++) {
        double ar = x[0], ai = x[1], br = 0, bi = 0;
        int64_t idx = 0;
        for (int64_t j = 1; j <= half; j++) {
          idx += m;
          if (idx >= ip) idx -= ip;
          double c = roots[2 * idx], s = sg * roots[2 * idx + 1];
          double pr = x[2 * j] + x[2 * (ip - j)], pi = x[2 * j + 1] + x[2 * (ip - j) + 1];
          double qr = x[2 * j] - x[2 * (ip - j)], qi = x[2 * j + 1] - x[2 * (ip - j) + 1];
          ar += c * pr;
          ai += c * pi;
          br -= s * qi;
          bi += s * qr;
        }
        double y1r = ar + br, y1i = ai + bi, y2r = ar - br, y2i = ai - bi;
        if (i > 0) {
          TFFT_ROT(y1r, y1i, tw + 2 * ((m - 1) * ido + i));
          TFFT_ROT(y2r, y2i, tw + 2 * ((ip - m - 1) * ido + i));
        }
        o[m * so] = y1r;
        o[m * so + 1] = y1i;
        o[(ip - m) * so] = y2r;
        o[(ip - m) * so + 1] = y2i;
      }
    }
}

/* Scratch (doubles) a complex plan needs besides the data: 2n, or 4·n2 for Bluestein. */
static int64_t tfft_cscratch(const int32_t *d) { return d[0] == 1 ? 4 * (int64_t)d[2] : 2 * (int64_t)d[1]; }

/* Largest odd radix above 5 in a Cooley-Tukey plan (the generic pass's column buffer). */
static int64_t tfft_maxradix(const int32_t *d) {
  int64_t r = 0;
  for (int32_t p = 0; p < d[2]; p++)
    if (d[3 + 6 * p] > r) r = d[3 + 6 * p];
  return r;
}

static void tfft_cooley_tukey(const int32_t *d, const double *tab, double *c, double *work, int forward) {
  const int64_t n = d[1], npass = d[2];
  const double sg = forward ? -1.0 : 1.0;
  double *src = c, *dst = work, *col = NULL;
  if (tfft_maxradix(d) > 5) col = (double *)malloc(2 * sizeof(double) * (size_t)tfft_maxradix(d));
  for (int64_t p = 0; p < npass; p++) {
    const int32_t *q = d + 3 + 6 * p;
    const int64_t ip = q[0], l1 = q[1], ido = q[2];
    const double *tw = tab + (forward ? q[4] : q[3]);
    if (ip == 4) tfft_pass4(l1, ido, tw, src, dst, sg);
    else if (ip == 2) tfft_pass2(l1, ido, tw, src, dst);
    else if (ip == 3) tfft_pass3(l1, ido, tw, src, dst, sg);
    else if (ip == 5) tfft_pass5(l1, ido, tw, src, dst, sg);
    else tfft_passg(ip, l1, ido, tw, tab + q[5], src, dst, sg, col);
    double *t = src;
    src = dst;
    dst = t;
  }
  free(col);
  if (src != c) memcpy(c, src, sizeof(double) * 2 * (size_t)n);
}

/*
 * dst_m = a_m·(b_m,re, s·b_m,im) for m < count, two products per vector (written out, as the
 * loop vectoriser would otherwise contract them too).
 */
static void tfft_cmul(double *dst, const double *a, const double *b, double s, int64_t count) {
  const tfft_v sv = {1.0, s, 1.0, s};
  int64_t m = 0;
  for (; m + 1 < count; m += 2) {
    const tfft_v w = TFFT_LD(b + 2 * m) * sv;
    double wl[4];
    memcpy(wl, &w, sizeof wl);
    TFFT_ST(dst + 2 * m, tfft_vrot(TFFT_LD(a + 2 * m), wl));
  }
  if (m < count) {
    double xr = a[2 * m], xi = a[2 * m + 1], br = b[2 * m], bi = s * b[2 * m + 1];
    dst[2 * m] = xr * br - xi * bi;
    dst[2 * m + 1] = xr * bi + xi * br;
  }
}

/* Bluestein: the DFT as a convolution with the chirp bk, through transforms of length n2. */
static void tfft_bluestein(const int32_t *d, const double *tab, double *c, double *work, int forward) {
  const int64_t n = d[1], n2 = d[2];
  const double *bk = tab + d[3], *bkf = tab + d[4];
  const int32_t *plan = d + 5;
  double *a = work, *w = work + 2 * n2;
  const double s = forward ? -1.0 : 1.0;
  /* Forward: a_j = x_j·conj(b_j); backward: x_j·b_j. */
  tfft_cmul(a, c, bk, s, n);
  memset(a + 2 * n, 0, sizeof(double) * 2 * (size_t)(n2 - n));
  tfft_cooley_tukey(plan, tab, a, w, 1);
  /* The chirp is even, so its transform is too; backward convolves with conj(b): conj(bkf). */
  tfft_cmul(a, a, bkf, -s, n2);
  tfft_cooley_tukey(plan, tab, a, w, 0);
  tfft_cmul(c, a, bk, s, n);
}

/* A complex transform of c (2n doubles) in place; work holds tfft_cscratch(d) doubles. */
static void tfft_complex(const int32_t *d, const double *tab, double *c, double *work, int forward) {
  if (d[0] == 1) tfft_bluestein(d, tab, c, work, forward);
  else if (d[1] > 1) tfft_cooley_tukey(d, tab, c, work, forward);
}

/*
 * rfft of n reals x into n/2+1 complex values out; work: 2n + the complex plan's scratch. For
 * even n, x is overwritten (it is transformed where it lies, read as n/2 complex values).
 */
static void tfft_real_forward(const int32_t *d, const double *tab, double *x, double *out, double *work) {
  const int64_t n = d[1], h = n / 2;
  const double *tw = tab + d[2];
  const int32_t *cp = d + 3;
  if (n % 2 == 1) {
    double *z = work, *w = work + 2 * n;
    for (int64_t j = 0; j < n; j++) {
      z[2 * j] = x[j];
      z[2 * j + 1] = 0;
    }
    tfft_complex(cp, tab, z, w, 1);
    memcpy(out, z, sizeof(double) * 2 * (size_t)(h + 1));
    return;
  }
  const double *z = x;
  tfft_complex(cp, tab, x, work, 1);
  /* E = (Z_k + conj Z_{h-k})/2, O = (Z_k - conj Z_{h-k})/2i, X_k = E + exp(-2πik/n)·O; Z_h is Z_0. */
  for (int64_t k = 0; k <= h; k++) {
    const int64_t p = 2 * (k == h ? 0 : k), q = 2 * (k == 0 ? 0 : h - k);
    double zr = z[p], zi = z[p + 1], cr = z[q], ci = -z[q + 1];
    double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci), or_ = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
    double wr = tw[2 * k], wi = -tw[2 * k + 1];
    out[2 * k] = er + wr * or_ - wi * oi;
    out[2 * k + 1] = ei + wr * oi + wi * or_;
  }
}

/* irfft of n/2+1 complex values X (imaginary parts of X_0 and X_n/2 ignored) into n reals. */
static void tfft_real_backward(const int32_t *d, const double *tab, const double *X, double *out, double *work) {
  const int64_t n = d[1], h = n / 2;
  const double *tw = tab + d[2];
  const int32_t *cp = d + 3;
  if (n % 2 == 1) {
    double *z = work, *w = work + 2 * n;
    z[0] = X[0];
    z[1] = 0;
    for (int64_t k = 1; k <= h; k++) {
      z[2 * k] = z[2 * (n - k)] = X[2 * k];
      z[2 * k + 1] = X[2 * k + 1];
      z[2 * (n - k) + 1] = -X[2 * k + 1];
    }
    tfft_complex(cp, tab, z, w, 0);
    for (int64_t j = 0; j < n; j++) out[j] = z[2 * j];
    return;
  }
  /* Z_k = (Y_k + Y_k+h) + i·exp(2πik/n)·(Y_k - Y_k+h), Y_k+h = conj(X_h-k), built in out; the
   * inverse of length h then gives x_2j + i·x_2j+1 there. */
  double *z = out;
  for (int64_t k = 0; k < h; k++) {
    double yr = X[2 * k], yi = k == 0 ? 0 : X[2 * k + 1];
    double ur = X[2 * (h - k)], ui = k == 0 ? 0 : -X[2 * (h - k) + 1];
    double sr = yr + ur, si = yi + ui, dr = yr - ur, di = yi - ui;
    double wr = tw[2 * k], wi = tw[2 * k + 1];
    double tr = wr * dr - wi * di, ti = wr * di + wi * dr;
    z[2 * k] = sr - ti;
    z[2 * k + 1] = si + tr;
  }
  tfft_complex(cp, tab, z, work, 0);
}

/* Element types of tfft_lines' input and output. */
enum { TFFT_F64 = 0, TFFT_F32 = 1, TFFT_C128 = 2, TFFT_C64 = 3 };
/* Lines moved together when the transformed axis is strided: one cache line of each per row. */
#define TFFT_BLOCK 8

/*
 * Read `count` elements of each of nb lines (line b starts at element off + b·line, its
 * elements `step` apart) into buf + b·len (as len doubles: reals, or interleaved complex
 * values when `cplx`), zero-padding up to len. One loop per element type, so that each
 * is a plain copy the compiler vectorises.
 */
#define TFFT_READ(T, LANES)                                                              \
  for (int64_t b = 0; b < nb; b++) {                                                     \
    const T *s = (const T *)src + LANES * (off + b * line);                              \
    double *o = buf + b * len;                                                           \
    if (LANES == w && step == 1)                                                         \
      for (int64_t j = 0; j < LANES * count; j++) o[j] = s[j];                           \
    else                                                                                 \
      for (int64_t j = 0; j < count; j++) {                                              \
        o[w * j] = s[LANES * j * step];                                                  \
        if (w == 2) o[2 * j + 1] = LANES == 2 ? s[2 * j * step + 1] : 0;                 \
      }                                                                                  \
  }
static void tfft_read_lines(const void *src, int type, int64_t off, int64_t line, int64_t step, int64_t count, int64_t nb, double *buf,
                            int64_t len, int cplx) {
  const int64_t w = cplx ? 2 : 1;
  if (type == TFFT_F64) TFFT_READ(double, 1)
  else if (type == TFFT_F32) TFFT_READ(float, 1)
  else if (type == TFFT_C128) TFFT_READ(double, 2)
  else TFFT_READ(float, 2)
}

/* Strided lines, TFFT_BLOCK at a time: row j of every line is read before row j+1, so each cache line serves them all. */
static void tfft_read(const void *src, int type, int64_t off, int64_t line, int64_t step, int64_t count, int64_t nb, double *buf, int64_t len,
                      int cplx) {
  const int64_t w = cplx ? 2 : 1;
  for (int64_t b = 0; b < nb; b++) memset(buf + b * len + w * count, 0, sizeof(double) * (size_t)(len - w * count));
  if (nb == 1 || step == 1) {
    tfft_read_lines(src, type, off, line, step, count, nb, buf, len, cplx);
    return;
  }
  for (int64_t j = 0; j < count; j++) tfft_read_lines(src, type, off + j * step, line, 1, 1, nb, buf + w * j, len, cplx);
}

/* Write `count` elements of each of nb lines from buf (as tfft_read), times fct (x·1 is x, bit for bit). */
#define TFFT_WRITE(T, LANES)                                                             \
  for (int64_t b = 0; b < nb; b++) {                                                     \
    T *o = (T *)dst + LANES * (off + b * line);                                          \
    const double *s = buf + b * len;                                                     \
    if (step == 1)                                                                       \
      for (int64_t j = 0; j < LANES * count; j++) o[j] = (T)(s[j] * fct);                \
    else                                                                                 \
      for (int64_t j = 0; j < count; j++) {                                              \
        o[LANES * j * step] = (T)(s[LANES * j] * fct);                                   \
        if (LANES == 2) o[2 * j * step + 1] = (T)(s[2 * j + 1] * fct);                   \
      }                                                                                  \
  }
static void tfft_write_lines(void *dst, int type, int64_t off, int64_t line, int64_t step, int64_t count, int64_t nb, const double *buf,
                             int64_t len, double fct) {
  if (type == TFFT_F64) TFFT_WRITE(double, 1)
  else if (type == TFFT_F32) TFFT_WRITE(float, 1)
  else if (type == TFFT_C128) TFFT_WRITE(double, 2)
  else TFFT_WRITE(float, 2)
}

static void tfft_write(void *dst, int type, int64_t off, int64_t line, int64_t step, int64_t count, int64_t nb, const double *buf, int64_t len,
                       double fct) {
  const int64_t lanes = type >= TFFT_C128 ? 2 : 1;
  if (nb == 1 || step == 1) {
    tfft_write_lines(dst, type, off, line, step, count, nb, buf, len, fct);
    return;
  }
  for (int64_t j = 0; j < count; j++) tfft_write_lines(dst, type, off + j * step, line, 1, 1, nb, buf + lanes * j, len, fct);
}

/*
 * The four-step algorithm's twiddles: line g's output k times w^(k·g), w = exp(±2πi/N) (minus
 * forward), from two tables of exp(2πi·e/N): lo[e mod L] and hi[e div L]. Their product is
 * formed first (hi·lo), then the data are multiplied by it (conjugated forward), both with
 * tfft_cmul's roundings. p: scratch of 2n doubles.
 */
static void tfft_twiddle(double *c, int64_t n, int64_t g, int64_t N, int64_t L, const double *lo, const double *hi, int fwd, double *p) {
  double *q = p + 2 * n;
  int64_t e = 0;
  for (int64_t k = 0; k < n; k++) {
    memcpy(p + 2 * k, lo + 2 * (e % L), 2 * sizeof(double));
    memcpy(q + 2 * k, hi + 2 * (e / L), 2 * sizeof(double));
    e += g;
    if (e >= N) e -= N;
  }
  tfft_cmul(p, q, p, 1.0, n);
  tfft_cmul(c, c, p, fwd ? -1.0 : 1.0, n);
}

/* A thread's scratch, kept between calls up to this size: fresh memory costs a page fault per page. */
#define TFFT_KEEP ((size_t)64 << 20)
static __thread double *tfft_kept;
static __thread size_t tfft_kept_size;

static double *tfft_scratch(size_t bytes) {
  if (bytes > TFFT_KEEP) return (double *)malloc(bytes);
  if (bytes > tfft_kept_size) {
    free(tfft_kept);
    tfft_kept = (double *)malloc(bytes);
    tfft_kept_size = tfft_kept ? bytes : 0;
  }
  return tfft_kept;
}

static void tfft_scratch_done(double *p, size_t bytes) {
  if (bytes > TFFT_KEEP) free(p);
}

/*
 * Transform `nlines` lines: m = {kind (0 c2c, 1 r2c, 2 c2r), forward, n, count, nlines, x
 * offset, x line stride, x element stride, out offset, out line stride, out element stride,
 * x type, out type, N, g, L} (offsets and strides in elements). Each line's first `count`
 * inputs are read (zero-padded to the transform's input length), and every output is
 * multiplied by fct. d, tab: the complex plan of length n (c2c) or the real plan (r2c, c2r).
 * N > 0 (c2c only): line l is the four-step's line g + l, multiplied by its twiddles from
 * twid (L values of lo, then those of hi). Returns 0, or -1 when memory ran out.
 */
static int tfft_lines(const int64_t *m, const int32_t *d, const double *tab, const void *x, void *out, double fct, const double *twid) {
  const int64_t kind = m[0], fwd = m[1], n = m[2], count = m[3], nlines = m[4];
  const int64_t xoff = m[5], xline = m[6], xstep = m[7], ooff = m[8], oline = m[9], ostep = m[10];
  const int xt = (int)m[11], ot = (int)m[12];
  const int64_t N = m[13], g = m[14], L = m[15];
  const int64_t h = n / 2;
  /* Strided lines are moved TFFT_BLOCK at a time, so that each row's cache line serves all of them. */
  const int64_t block = (xstep == 1 && ostep == 1) || nlines < 2 ? 1 : TFFT_BLOCK;
  const int64_t inLen = kind == 1 ? n : 2 * (kind == 2 ? h + 1 : n);
  const int64_t outLen = kind == 0 ? 0 : kind == 2 ? n : 2 * (h + 1);
  int64_t scratch = kind == 0 ? tfft_cscratch(d) : 2 * n + tfft_cscratch(d + 3);
  if (N > 0 && scratch < 4 * n) scratch = 4 * n;
  const size_t bytes = sizeof(double) * (size_t)(block * inLen + block * outLen + scratch);
  double *in = tfft_scratch(bytes);
  if (!in) return -1;
  double *res = in + block * inLen, *work = res + block * outLen;
  for (int64_t l = 0; l < nlines; l += block) {
    const int64_t nb = nlines - l < block ? nlines - l : block;
    tfft_read(x, xt, xoff + l * xline, xline, xstep, count, nb, in, inLen, kind != 1);
    for (int64_t b = 0; b < nb; b++) {
      double *src = in + b * inLen, *dst = res + b * outLen;
      if (kind == 0) {
        tfft_complex(d, tab, src, work, (int)fwd);
        if (N > 0) tfft_twiddle(src, n, (g + l + b) % N, N, L, twid, twid + 2 * L, (int)fwd, work);
      } else if (kind == 1) tfft_real_forward(d, tab, src, dst, work);
      else tfft_real_backward(d, tab, src, dst, work);
    }
    /* Complex transforms run where they were read. */
    tfft_write(out, ot, ooff + l * oline, oline, ostep, kind == 1 ? h + 1 : n, nb, kind == 0 ? in : res, kind == 0 ? inLen : outLen, fct);
  }
  tfft_scratch_done(in, bytes);
  return 0;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif
#endif
