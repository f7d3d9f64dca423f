/*
 * tessera/parquet.h: the dictionary-encoded pages of Parquet's direct reader
 * (src/numpy/arrow/parquet_pages.ts). A page holds indices into its column chunk's
 * dictionary in the RLE/bit-packed hybrid encoding: runs of one repeated index, or groups of
 * 8 indices packed least significant bit first. Each index is replaced by its dictionary value
 * as it is unpacked. Values (4 or 8 bytes) are copied as bytes, never through a
 * floating-point register, so NaN payloads survive.
 */
#ifndef TESSERA_PARQUET_H
#define TESSERA_PARQUET_H
#include <stdint.h>
#include <string.h>

static inline void tparquet_put(uint8_t *o, const uint8_t *v, int w) {
  if (w == 8) memcpy(o, v, 8);
  else memcpy(o, v, 4);
}

/*
 * n values of w bytes into out from the hybrid-encoded indices b[0, len) of `width` bits
 * (at most 32) into dict's `size` values. Returns 0, or -1 where the bytes do not encode n
 * indices below size (out may then be partly written).
 */
static int tparquet_gather(const uint8_t *b, int64_t len, int width, const uint8_t *dict, int64_t size, int w,
                           uint8_t *out, int64_t n) {
  if (width < 0 || width > 32 || (w != 4 && w != 8)) return -1;
  const uint64_t mask = (1ull << width) - 1;
  int64_t at = 0, i = 0;
  while (i < n) {
    uint64_t h = 0;
    for (int shift = 0;; shift += 7) {
      if (at >= len || shift > 35) return -1;
      const uint8_t c = b[at++];
      h |= (uint64_t)(c & 127) << shift;
      if (c < 128) break;
    }
    const int64_t count = (h & 1) ? (int64_t)(h >> 1) * 8 : (int64_t)(h >> 1);
    if (count == 0) return -1;
    const int64_t m = n - i < count ? n - i : count;
    uint8_t *o = out + i * w;
    if (!(h & 1)) {
      const int nb = (width + 7) / 8;
      if (at + nb > len) return -1;
      uint64_t v = 0;
      for (int k = 0; k < nb; k++) v |= (uint64_t)b[at++] << (8 * k);
      v &= mask;
      if ((int64_t)v >= size) return -1;
      for (int64_t k = 0; k < m; k++) tparquet_put(o + k * w, dict + v * w, w);
    } else {
      const int64_t bytes = count / 8 * width;
      if (at + bytes > len) return -1;
      const uint8_t *p = b + at;
      for (int64_t k = 0; k < m; k++) {
        const uint64_t bit = (uint64_t)k * (uint64_t)width;
        const int64_t q = (int64_t)(bit >> 3);
        uint64_t word = 0;
        if (q + 8 <= bytes) memcpy(&word, p + q, 8); /* little-endian, as Parquet */
        else
          for (int64_t r = 0; q + r < bytes && r < 8; r++) word |= (uint64_t)p[q + r] << (8 * r);
        const uint64_t j = (word >> (bit & 7)) & mask;
        if ((int64_t)j >= size) return -1;
        tparquet_put(o + k * w, dict + j * w, w);
      }
      at += bytes;
    }
    i += count;
  }
  return 0;
}

#endif
