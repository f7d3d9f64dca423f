/*
 * tessera/kernel.h: what every compiled Tessera kernel is built on (np.get_include() names
 * this directory). Each kernel the CPU backend generates is this header followed by its loop
 * nest, so C code run on an array's memory (through koffi; `a.to_arrow()` shares it) can
 * use the same NumPy semantics:
 *  - libmvec's vector forms of the math functions (SIMD declarations), so loops vectorise;
 *  - integer floor division and modulo as Python's // and % (ifloordiv, imodpy, ufloordiv,
 *    umodpy; division by zero gives 0, as NumPy's integer ufuncs), float divmod (fdivmod,
 *    ffloordiv, fmodpy);
 *  - float to integer conversions as NumPy's casts on x86-64 (f2i64, f2u64, f2i32: NaN and
 *    out-of-range values give the minimum);
 *  - sign, power, frexp exponent, gcd and lcm helpers;
 *  - non-temporal block stores (tessera_stream, tessera_stream_fence) for large outputs.
 */
#ifndef TESSERA_KERNEL_H
#define TESSERA_KERNEL_H
#include <stdint.h>
#include <math.h>
#define SIMD __attribute__((simd("notinbranch")))
SIMD double exp(double); SIMD double log(double); SIMD double sin(double); SIMD double cos(double);
SIMD double tan(double); SIMD double pow(double, double); SIMD double expm1(double); SIMD double log1p(double);
SIMD double log2(double); SIMD double log10(double); SIMD double tanh(double); SIMD double sinh(double);
SIMD double cosh(double); SIMD double asin(double); SIMD double acos(double); SIMD double atan(double);
SIMD double atan2(double, double); SIMD double hypot(double, double);
SIMD float expf(float); SIMD float logf(float); SIMD float sinf(float); SIMD float cosf(float);
SIMD float tanf(float); SIMD float powf(float, float); SIMD float expm1f(float); SIMD float log1pf(float);
SIMD float log2f(float); SIMD float log10f(float); SIMD float tanhf(float); SIMD float sinhf(float);
SIMD float coshf(float); SIMD float asinf(float); SIMD float acosf(float); SIMD float atanf(float);
SIMD float atan2f(float, float); SIMD float hypotf(float, float);
static inline double fdivmod(double a, double b, double* m) {
  double mod = fmod(a, b), div;
  if (b == 0) { *m = mod; return a / b; }
  div = (a - mod) / b;
  if (mod != 0) { if ((b < 0) != (mod < 0)) { mod += b; div -= 1.0; } } else { mod = copysign(0.0, b); }
  double fl;
  if (div != 0) { fl = floor(div); if (div - fl > 0.5) fl += 1.0; } else { fl = copysign(0.0, a / b); }
  *m = mod; return fl;
}
static inline double ffloordiv(double a, double b) { double m; return fdivmod(a, b, &m); }
static inline double fmodpy(double a, double b) { double m; if (b == 0) return NAN; fdivmod(a, b, &m); return m; }
static inline int64_t ifloordiv(int64_t a, int64_t b) { if (b == 0) return 0; if (b == -1) return (int64_t)(0 - (uint64_t)a); int64_t q = a / b; return ((a % b) != 0 && ((a < 0) != (b < 0))) ? q - 1 : q; }
static inline int64_t imodpy(int64_t a, int64_t b) { if (b == 0 || b == -1) return 0; int64_t r = a % b; return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r; }
static inline uint64_t ufloordiv(uint64_t a, uint64_t b) { return b == 0 ? 0 : a / b; }
static inline uint64_t umodpy(uint64_t a, uint64_t b) { return b == 0 ? 0 : a % b; }
static inline int64_t f2i64(double x) { return (x != x || x >= 9223372036854775808.0 || x < -9223372036854775808.0) ? INT64_MIN : (int64_t)x; }
static inline uint64_t f2u64(double x) { if (x != x || x >= 18446744073709551616.0) return 9223372036854775808ull; return x < 0 ? (uint64_t)f2i64(x) : (uint64_t)x; }
static inline int32_t f2i32(double x) { if (x != x || x >= 9223372036854775808.0 || x < -9223372036854775808.0) return INT32_MIN; return (int32_t)(uint32_t)(uint64_t)(int64_t)x; }
static inline double fsign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x; }
static inline double powpy(double a, double b) { return pow(a, b); }
static inline int32_t frexpe(double x) { int e = 0; if (isfinite(x)) frexp(x, &e); return e; }
static inline uint64_t ugcd(uint64_t a, uint64_t b) { while (b) { uint64_t t = a % b; a = b; b = t; } return a; }
static inline uint64_t uabs64(int64_t x) { return x < 0 ? 0 - (uint64_t)x : (uint64_t)x; }
static inline uint64_t ulcm(uint64_t a, uint64_t b) { uint64_t g = ugcd(a, b); return g == 0 ? 0 : (a / g) * b; }
/*
 * A task writing at least TESSERA_STREAM_MIN bytes computes each block of its output into a
 * local buffer and stores it with non-temporal stores: the destination's cache lines are not
 * first read from memory (a plain store reads each line before writing it), a third less
 * traffic for `c = a + b`, and the output does not evict what the next task reads. Smaller
 * outputs stay in cache for their next reader. `dst` and `src` are 32-byte aligned, `bytes`
 * a multiple of 32; tessera_stream_fence() orders the stores before the task reports done.
 */
#define TESSERA_STREAM_MIN (4 << 20)
static inline void tessera_stream(void* restrict dst, const void* restrict src, int64_t bytes) {
#if defined(__clang__)
  typedef long long v4 __attribute__((vector_size(32), aligned(32), may_alias));
  for (int64_t i = 0; i < bytes; i += 32) __builtin_nontemporal_store(*(const v4*)((const char*)src + i), (v4*)((char*)dst + i));
#elif defined(__AVX__)
  typedef long long v4 __attribute__((vector_size(32), may_alias));
  for (int64_t i = 0; i < bytes; i += 32) __builtin_ia32_movntdq256((v4*)((char*)dst + i), *(const v4*)((const char*)src + i));
#elif defined(__SSE2__)
  typedef long long v2 __attribute__((vector_size(16), may_alias));
  for (int64_t i = 0; i < bytes; i += 16) __builtin_ia32_movntdq((v2*)((char*)dst + i), *(const v2*)((const char*)src + i));
#else
  __builtin_memcpy(dst, src, (size_t)bytes);
#endif
}
static inline void tessera_stream_fence(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_sfence();
#endif
}
#endif
