#include <torch/extension.h>
#include <ATen/Parallel.h>
#include <immintrin.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

// An int8 cache keeps one scale per (row, head, position) for its keys and one for its values; the other
// caches have none (ks, vs null). Scores are scaled after the dot product and weights before the sum.
template <typename T> static constexpr bool scaled = std::is_same_v<T, int8_t>;

static inline float to_f(float x) { return x; }
static inline float to_f(int8_t x) { return float(x); }
static inline float to_f(at::BFloat16 x) { uint32_t b = uint32_t(x.x) << 16; float f; std::memcpy(&f, &b, 4); return f; }

// s[j] = exp(s[j] - m) for j < end; returns their sum. With AVX2, 8 at a time (Cephes' expf: a degree-6
// polynomial on [-ln 2 / 2, ln 2 / 2] times 2^n, within 2 ulp): a scalar std::exp per position was most of a
// step's attention at 8 rows. The rest go through std::exp; which positions go which way depends only on
// `end`, so a row gets the same bits alone or in a batch.
static inline float softmax_exp(float* s, int64_t end, float m) {
  int64_t j = 0;
  float sum = 0.f;
#ifdef __AVX2__
  const __m256 top = _mm256_set1_ps(m), lo = _mm256_set1_ps(-87.3f), log2e = _mm256_set1_ps(1.44269504088896341f);
  const __m256 c1 = _mm256_set1_ps(0.693359375f), c2 = _mm256_set1_ps(-2.12194440e-4f), one = _mm256_set1_ps(1.f);
  __m256 acc = _mm256_setzero_ps();
  for (; j + 8 <= end; j += 8) {
    __m256 x = _mm256_max_ps(_mm256_sub_ps(_mm256_loadu_ps(s + j), top), lo);
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, log2e), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    x = _mm256_fnmadd_ps(n, c2, _mm256_fnmadd_ps(n, c1, x));
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, x, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, x), x, x), one);
    const __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    const __m256 v = _mm256_mul_ps(p, _mm256_castsi256_ps(e));
    _mm256_storeu_ps(s + j, v);
    acc = _mm256_add_ps(acc, v);
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, acc);
  for (float l : lanes) sum += l;
#endif
  for (; j < end; ++j) { s[j] = std::exp(s[j] - m); sum += s[j]; }
  return sum;
}

// Asks for a row of 64 values ahead of its use, so the memory is busy while the arithmetic runs
template <typename T>
static inline void prefetch64(const T* p) {
  for (int64_t i = 0; i < int64_t(64 * sizeof(T)); i += 64) _mm_prefetch(reinterpret_cast<const char*>(p) + i, _MM_HINT_T0);
}

#ifdef __AVX512F__
static inline __m512 load16(const float* p) { return _mm512_loadu_ps(p); }
static inline __m512 load16(const at::BFloat16* p) {
  __m256i h = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
}
static inline __m512 load16(const int8_t* p) {
  return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
}
// The sums of 4 vectors' lanes, as [sum a, sum b, sum c, sum d]: one shared tree of shuffles instead of 4
// reductions, which were most of a position's score.
static inline __m128 sum4(__m512 a, __m512 b, __m512 c, __m512 d) {
  const __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));   // per 128 bits: a b a b
  const __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(c, d), _mm512_unpackhi_ps(c, d));
  const __m512d abd = _mm512_castps_pd(ab), cdd = _mm512_castps_pd(cd);
  const __m512 abcd = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(abd, cdd)),      // per 128 bits: a b c d
                                    _mm512_castpd_ps(_mm512_unpackhi_pd(abd, cdd)));
  const __m512d wide = _mm512_castps_pd(abcd);
  const __m256 half = _mm256_add_ps(_mm256_castpd_ps(_mm512_castpd512_pd256(wide)),
                                    _mm256_castpd_ps(_mm512_extractf64x4_pd(wide, 1)));
  return _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
}

// one (row, head) with head_dim 64: scores, softmax and the weighted sum, the head's q and output in registers;
// next_k: the next head's keys, fetched while this head's values are summed
template <typename T>
static void head64(const float* q, const T* k, const T* v, float* out, int64_t end, float scale, float* s,
                   const T* next_k, const T*, const float* ks, const float* vs) {
  const __m512 q0 = load16(q), q1 = load16(q + 16), q2 = load16(q + 32), q3 = load16(q + 48);
  const auto dot = [&](const T* kj) {
    __m512 a = _mm512_mul_ps(q0, load16(kj));
    a = _mm512_fmadd_ps(q1, load16(kj + 16), a);
    a = _mm512_fmadd_ps(q2, load16(kj + 32), a);
    return _mm512_fmadd_ps(q3, load16(kj + 48), a);
  };
  __m128 top = _mm_set1_ps(-INFINITY);
  int64_t j0 = 0;
  for (; j0 + 4 <= end; j0 += 4) {   // 4 positions at a time; which go this way depends only on `end`
    const T* kj = k + j0 * 64;
    for (int i = 0; i < 4; ++i) prefetch64(v + (j0 + i) * 64);
    __m128 four = _mm_mul_ps(sum4(dot(kj), dot(kj + 64), dot(kj + 128), dot(kj + 192)), _mm_set1_ps(scale));
    if constexpr (scaled<T>) four = _mm_mul_ps(four, _mm_loadu_ps(ks + j0));
    _mm_storeu_ps(s + j0, four);
    top = _mm_max_ps(top, four);
  }
  alignas(16) float tops[4];
  _mm_store_ps(tops, top);
  float m = std::max(std::max(tops[0], tops[1]), std::max(tops[2], tops[3]));
  for (int64_t j = j0; j < end; ++j) {
    prefetch64(v + j * 64);
    s[j] = _mm512_reduce_add_ps(dot(k + j * 64)) * scale;
    if constexpr (scaled<T>) s[j] *= ks[j];
    m = s[j] > m ? s[j] : m;
  }
  const float sum = softmax_exp(s, end, m);
  __m512 o0 = _mm512_setzero_ps(), o1 = o0, o2 = o0, o3 = o0;
  for (int64_t j = 0; j < end; ++j) {
    const T* vj = v + j * 64;
    if (next_k) prefetch64(next_k + j * 64);
    const __m512 p = _mm512_set1_ps(scaled<T> ? s[j] * vs[j] : s[j]);
    o0 = _mm512_fmadd_ps(p, load16(vj), o0);
    o1 = _mm512_fmadd_ps(p, load16(vj + 16), o1);
    o2 = _mm512_fmadd_ps(p, load16(vj + 32), o2);
    o3 = _mm512_fmadd_ps(p, load16(vj + 48), o3);
  }
  const __m512 inv = _mm512_set1_ps(1.f / sum);
  _mm512_storeu_ps(out, _mm512_mul_ps(o0, inv));
  _mm512_storeu_ps(out + 16, _mm512_mul_ps(o1, inv));
  _mm512_storeu_ps(out + 32, _mm512_mul_ps(o2, inv));
  _mm512_storeu_ps(out + 48, _mm512_mul_ps(o3, inv));
}

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
// Lane i of the result: the sum of v[i]'s 16 int32 lanes (a tree of unpacks and 128-bit shuffles shared by
// the 16, instead of 16 reductions).
static inline __m512i sum16(const __m512i* v) {
  __m512i a[8], b[4];
  for (int i = 0; i < 8; ++i)
    a[i] = _mm512_add_epi32(_mm512_unpacklo_epi32(v[2 * i], v[2 * i + 1]), _mm512_unpackhi_epi32(v[2 * i], v[2 * i + 1]));
  for (int i = 0; i < 4; ++i)   // per 128 bits: the lane's sums of v[4i .. 4i+3]
    b[i] = _mm512_add_epi32(_mm512_unpacklo_epi64(a[2 * i], a[2 * i + 1]), _mm512_unpackhi_epi64(a[2 * i], a[2 * i + 1]));
  const __m512i lo = _mm512_add_epi32(_mm512_shuffle_i32x4(b[0], b[1], 0x88), _mm512_shuffle_i32x4(b[0], b[1], 0xDD));
  const __m512i hi = _mm512_add_epi32(_mm512_shuffle_i32x4(b[2], b[3], 0x88), _mm512_shuffle_i32x4(b[2], b[3], 0xDD));
  return _mm512_add_epi32(_mm512_shuffle_i32x4(lo, hi, 0x88), _mm512_shuffle_i32x4(lo, hi, 0xDD));
}

// One (row, head) of the int8 cache, head_dim 64, in integer sums (VNNI), 1.4x the float path's speed where
// the cache is in the CPU's cache; beyond it, what counts is asking for the next head's keys and values
// ahead: its keys while this head's scores are made, then its values while this head's sum is.
// - Scores: q as 16-bit integers over its own largest value, split into high and low bytes, so each
//   position's 64 products are two vpdpbusd (keys xor 0x80 read as unsigned k + 128; the 128 * sum(q) that
//   adds is taken back once), exact in int32. q keeps 1/32512 of its largest value, far finer than the keys.
// - Values: the weights (softmax times each position's value scale) as 16-bit integers over their largest,
//   two positions' values interleaved into int16 pairs, one vpdpwssd for 16 dimensions of both, the int32
//   sums moved into float32 every 64 pairs before they could overflow.
static void head64(const float* q, const int8_t* k, const int8_t* v, float* out, int64_t end, float scale, float* s,
                   const int8_t* next_k, const int8_t* next_v, const float* ks, const float* vs) {
  float top = 0.f;
  for (int d = 0; d < 64; ++d) top = std::max(top, std::fabs(q[d]));
  const float sq = top / 32512.f, inv = top > 0.f ? 32512.f / top : 0.f;
  alignas(64) int8_t qhi[64], qlo[64];
  int32_t total = 0;
  for (int d = 0; d < 64; ++d) {
    const int32_t qi = int32_t(std::nearbyint(q[d] * inv));   // |qi| <= 32512 = 127 * 256
    const int32_t h = (qi + 128) >> 8;                         // qi = 256 h + l, l in [-128, 127]
    qhi[d] = int8_t(h);
    qlo[d] = int8_t(qi - 256 * h);
    total += qi;
  }
  const __m512i hv = _mm512_load_si512(qhi), lv = _mm512_load_si512(qlo), flip = _mm512_set1_epi8(char(0x80));
  const __m512i taken = _mm512_set1_epi32(128 * total);
  const __m512 unit = _mm512_set1_ps(scale * sq);
  __m512 best = _mm512_set1_ps(-INFINITY);
  for (int64_t j0 = 0; j0 < end; j0 += 16) {
    const int n = int(std::min<int64_t>(16, end - j0));
    __m512i acc[16];
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
      if (i < n) {
        prefetch64(v + (j0 + i) * 64);
        if (next_k) {
          _mm_prefetch(reinterpret_cast<const char*>(next_k + (j0 + i) * 64), _MM_HINT_T1);
        }
        const __m512i kk = _mm512_xor_si512(_mm512_loadu_si512(k + (j0 + i) * 64), flip);
        const __m512i high = _mm512_dpbusd_epi32(_mm512_setzero_si512(), kk, hv);
        acc[i] = _mm512_dpbusd_epi32(_mm512_slli_epi32(high, 8), kk, lv);
      } else {
        acc[i] = _mm512_setzero_si512();
      }
    }
    const __mmask16 valid = __mmask16((1u << n) - 1);
    const __m512 dots = _mm512_cvtepi32_ps(_mm512_sub_epi32(sum16(acc), taken));
    const __m512 sc = _mm512_mul_ps(_mm512_mul_ps(dots, unit), _mm512_maskz_loadu_ps(valid, ks + j0));
    _mm512_mask_storeu_ps(s + j0, valid, sc);
    best = _mm512_mask_max_ps(best, valid, best, sc);
  }
  const float m = _mm512_reduce_max_ps(best);
  const float sum = softmax_exp(s, end, m);
  // the weights w = s * vs as int16 over their largest, padded to whole pairs
  __m512 wtop = _mm512_setzero_ps();
  for (int64_t j = 0; j < end; j += 16) {
    const __mmask16 valid = __mmask16(end - j >= 16 ? 0xFFFF : (1u << (end - j)) - 1);
    const __m512 w = _mm512_mul_ps(_mm512_maskz_loadu_ps(valid, s + j), _mm512_maskz_loadu_ps(valid, vs + j));
    _mm512_mask_storeu_ps(s + j, valid, w);
    wtop = _mm512_max_ps(wtop, w);
  }
  const float W = _mm512_reduce_max_ps(wtop), winv = W > 0.f ? 32767.f / W : 0.f;
  thread_local std::vector<int16_t> wq;
  wq.resize(end + 1);
  for (int64_t j = 0; j < end; ++j) wq[j] = int16_t(std::nearbyint(s[j] * winv));
  wq[end] = 0;
  __m512i A = _mm512_setzero_si512(), B = A, C = A, D = A;
  __m512 fa = _mm512_setzero_ps(), fb = fa, fc = fa, fd = fa;
  const auto flush = [&] {
    fa = _mm512_add_ps(fa, _mm512_cvtepi32_ps(A));
    fb = _mm512_add_ps(fb, _mm512_cvtepi32_ps(B));
    fc = _mm512_add_ps(fc, _mm512_cvtepi32_ps(C));
    fd = _mm512_add_ps(fd, _mm512_cvtepi32_ps(D));
    A = B = C = D = _mm512_setzero_si512();
  };
  for (int64_t j = 0, pairs = 0; j < end; j += 2) {
    if (next_k) {
      prefetch64(next_k + j * 64);
      prefetch64(next_k + (j + 1) * 64);
      _mm_prefetch(reinterpret_cast<const char*>(next_v + j * 64), _MM_HINT_T1);
      _mm_prefetch(reinterpret_cast<const char*>(next_v + (j + 1) * 64), _MM_HINT_T1);
    }
    const __m512i a = _mm512_loadu_si512(v + j * 64);
    const __m512i b = j + 1 < end ? _mm512_loadu_si512(v + (j + 1) * 64) : _mm512_setzero_si512();
    const __m512i lo = _mm512_unpacklo_epi8(a, b), hi = _mm512_unpackhi_epi8(a, b);   // (a_d, b_d) byte pairs
    int32_t pair;
    std::memcpy(&pair, wq.data() + j, 4);
    const __m512i w = _mm512_set1_epi32(pair);
    A = _mm512_dpwssd_epi32(A, _mm512_cvtepi8_epi16(_mm512_castsi512_si256(lo)), w);       // d 0-7, 16-23
    B = _mm512_dpwssd_epi32(B, _mm512_cvtepi8_epi16(_mm512_extracti64x4_epi64(lo, 1)), w);  // d 32-39, 48-55
    C = _mm512_dpwssd_epi32(C, _mm512_cvtepi8_epi16(_mm512_castsi512_si256(hi)), w);       // d 8-15, 24-31
    D = _mm512_dpwssd_epi32(D, _mm512_cvtepi8_epi16(_mm512_extracti64x4_epi64(hi, 1)), w);  // d 40-47, 56-63
    if (++pairs == 64) {   // 64 pairs: |sum| < 2 * 64 * 127 * 32767 < 2^31
      flush();
      pairs = 0;
    }
  }
  flush();
  const __m512 norm = _mm512_set1_ps(sum > 0.f ? W / 32767.f / sum : 0.f);
  _mm512_storeu_ps(out, _mm512_mul_ps(_mm512_shuffle_f32x4(fa, fc, 0x44), norm));
  _mm512_storeu_ps(out + 16, _mm512_mul_ps(_mm512_shuffle_f32x4(fa, fc, 0xEE), norm));
  _mm512_storeu_ps(out + 32, _mm512_mul_ps(_mm512_shuffle_f32x4(fb, fd, 0x44), norm));
  _mm512_storeu_ps(out + 48, _mm512_mul_ps(_mm512_shuffle_f32x4(fb, fd, 0xEE), norm));
}
#endif
#elif defined(__AVX2__)
static inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
static inline __m256 load8(const at::BFloat16* p) {
  __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}
static inline __m256 load8(const int8_t* p) {
  return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}
static inline float sum8(__m256 a) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}
// the same as the AVX-512 head64 with 8-wide vectors: q in 8 registers for the scores, then 8 sums
template <typename T>
static void head64(const float* q, const T* k, const T* v, float* out, int64_t end, float scale, float* s,
                   const T* next_k, const T*, const float* ks, const float* vs) {
  __m256 qv[8];
  for (int i = 0; i < 8; ++i) qv[i] = load8(q + 8 * i);
  float m = -INFINITY;
  for (int64_t j = 0; j < end; ++j) {
    const T* kj = k + j * 64;
    prefetch64(v + j * 64);
    __m256 a = _mm256_mul_ps(qv[0], load8(kj));
    __m256 b = _mm256_mul_ps(qv[1], load8(kj + 8));
    for (int i = 2; i < 8; i += 2) {
      a = _mm256_fmadd_ps(qv[i], load8(kj + 8 * i), a);
      b = _mm256_fmadd_ps(qv[i + 1], load8(kj + 8 * i + 8), b);
    }
    s[j] = sum8(_mm256_add_ps(a, b)) * scale;
    if constexpr (scaled<T>) s[j] *= ks[j];
    m = s[j] > m ? s[j] : m;
  }
  const float sum = softmax_exp(s, end, m);
  __m256 o[8];
  for (int i = 0; i < 8; ++i) o[i] = _mm256_setzero_ps();
  for (int64_t j = 0; j < end; ++j) {
    const T* vj = v + j * 64;
    if (next_k) prefetch64(next_k + j * 64);
    const __m256 p = _mm256_set1_ps(scaled<T> ? s[j] * vs[j] : s[j]);
    for (int i = 0; i < 8; ++i) o[i] = _mm256_fmadd_ps(p, load8(vj + 8 * i), o[i]);
  }
  const __m256 inv = _mm256_set1_ps(1.f / sum);
  for (int i = 0; i < 8; ++i) _mm256_storeu_ps(out + 8 * i, _mm256_mul_ps(o[i], inv));
}
#endif

// any head_dim, plain loops
template <typename T>
static void head_any(const float* q, const T* k, const T* v, float* out, int64_t D, int64_t end, float scale, float* s,
                     const float* ks, const float* vs) {
  float m = -INFINITY;
  for (int64_t j = 0; j < end; ++j) {
    float a = 0.f;
    for (int64_t d = 0; d < D; ++d) a += q[d] * to_f(k[j * D + d]);
    s[j] = a * scale;
    if constexpr (scaled<T>) s[j] *= ks[j];
    m = s[j] > m ? s[j] : m;
  }
  const float sum = softmax_exp(s, end, m);
  for (int64_t d = 0; d < D; ++d) out[d] = 0.f;
  for (int64_t j = 0; j < end; ++j) {
    const float p = scaled<T> ? s[j] * vs[j] : s[j];
    for (int64_t d = 0; d < D; ++d) out[d] += p * to_f(v[j * D + d]);
  }
  for (int64_t d = 0; d < D; ++d) out[d] /= sum;
}

// Flushes subnormal floats to zero on this thread while it lives. A position far below a head's top score
// has a weight under float32's smallest normal (e^-87), and every product with a subnormal is a microcode
// assist of some hundred cycles: with sharp heads, a step read its cache at 0.9 GB/s instead of 17-23.
// Flushing changes only weights under 1e-38 of the head's largest.
struct FlushSubnormals {
  const unsigned int saved = _mm_getcsr();
  FlushSubnormals() { _mm_setcsr(saved | 0x8040); }   // FTZ (bit 15) and DAZ (bit 6)
  ~FlushSubnormals() { _mm_setcsr(saved); }
};

// lengths: null, or one per row (each row's heads are B / rows consecutive b) capping `end` for that row
template <typename T>
static void run(const float* q, const T* k, const T* v, float* out, int64_t B, int64_t L, int64_t D, int64_t end,
                const int64_t* lengths, int64_t heads, const float* ks = nullptr, const float* vs = nullptr) {
  const float scale = 1.f / std::sqrt(float(D));
  at::parallel_for(0, B, 1, [&](int64_t lo, int64_t hi) {
    const FlushSubnormals flush;
    std::vector<float> s(end);
    for (int64_t b = lo; b < hi; ++b) {
      const int64_t n = lengths ? std::min(end, lengths[b / heads]) : end;
      const float* kb = ks ? ks + b * L : nullptr;
      const float* vb = vs ? vs + b * L : nullptr;
#if defined(__AVX512F__) || defined(__AVX2__)
      if (D == 64) {
        head64(q + b * D, k + b * L * D, v + b * L * D, out + b * D, n, scale, s.data(),
               b + 1 < hi ? k + (b + 1) * L * D : nullptr, b + 1 < hi ? v + (b + 1) * L * D : nullptr, kb, vb);
        continue;
      }
#endif
      head_any(q + b * D, k + b * L * D, v + b * L * D, out + b * D, D, n, scale, s.data(), kb, vb);
    }
  });
}

// One query per (row, head): q (B, D) float32; keys, values (B, L, D) contiguous float32, bfloat16 or int8
// with key_scales and value_scales (B, L) float32 (the cache); attends to positions [0, end), or [0, min(end, lengths[row])) where lengths (rows,) int64 is given
// (all >= 1). Each (row, head) is computed on its own, so a row's result does not depend on the rows beside it.
torch::Tensor attend(torch::Tensor q, torch::Tensor keys, torch::Tensor values, int64_t end,
                     std::optional<torch::Tensor> lengths, std::optional<torch::Tensor> key_scales,
                     std::optional<torch::Tensor> value_scales) {
  TORCH_CHECK(q.is_contiguous() && keys.is_contiguous() && values.is_contiguous(), "contiguous tensors");
  TORCH_CHECK(q.scalar_type() == at::kFloat && keys.scalar_type() == values.scalar_type(), "float32 q");
  TORCH_CHECK(end > 0 && end <= keys.size(1) && q.size(0) == keys.size(0) && q.size(1) == keys.size(2));
  const int64_t B = keys.size(0), L = keys.size(1), D = keys.size(2);
  const int64_t* ends = nullptr;
  int64_t heads = 1;
  if (lengths) {
    TORCH_CHECK(lengths->scalar_type() == at::kLong && lengths->is_contiguous() && B % lengths->size(0) == 0);
    TORCH_CHECK(lengths->min().item<int64_t>() >= 1, "every row attends to at least one position");
    ends = lengths->data_ptr<int64_t>();
    heads = B / lengths->size(0);
  }
  auto out = torch::empty({B, D}, q.options());
  if (keys.scalar_type() == at::kChar) {
    TORCH_CHECK(key_scales && value_scales && key_scales->is_contiguous() && value_scales->is_contiguous() &&
                key_scales->numel() == B * L && value_scales->numel() == B * L, "an int8 cache takes its scales");
    run(q.data_ptr<float>(), keys.data_ptr<int8_t>(), values.data_ptr<int8_t>(), out.data_ptr<float>(),
        B, L, D, end, ends, heads, key_scales->data_ptr<float>(), value_scales->data_ptr<float>());
  } else if (keys.scalar_type() == at::kBFloat16)
    run(q.data_ptr<float>(), keys.data_ptr<at::BFloat16>(), values.data_ptr<at::BFloat16>(), out.data_ptr<float>(),
        B, L, D, end, ends, heads);
  else
    run(q.data_ptr<float>(), keys.data_ptr<float>(), values.data_ptr<float>(), out.data_ptr<float>(),
        B, L, D, end, ends, heads);
  return out;
}

// v (D floats) -> out, int8 over v's largest magnitude; returns the scale (largest / 127). With AVX-512 a head
// of 64 in four registers: a step's 48 stores at 8 rows took 0.52 ms in the scalar loops, 0.11 so. Both
// round v * inv to the nearest even integer, so either gives the same codes.
static inline float quantise(const float* v, int64_t D, int8_t* out) {
#ifdef __AVX512F__
  if (D == 64) {
    __m512 x[4], top = _mm512_setzero_ps();
    for (int i = 0; i < 4; ++i) top = _mm512_max_ps(top, _mm512_abs_ps(x[i] = _mm512_loadu_ps(v + 16 * i)));
    const float big = _mm512_reduce_max_ps(top);
    const __m512 inv = _mm512_set1_ps(big > 0.f ? 127.f / big : 0.f);
    for (int i = 0; i < 4; ++i)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 16 * i),
                       _mm512_cvtepi32_epi8(_mm512_cvt_roundps_epi32(_mm512_mul_ps(x[i], inv),
                                                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)));
    return big / 127.f;
  }
#endif
  float top = 0.f;
  for (int64_t d = 0; d < D; ++d) top = std::max(top, std::fabs(v[d]));
  const float inv = top > 0.f ? 127.f / top : 0.f;
  for (int64_t d = 0; d < D; ++d) out[d] = int8_t(std::nearbyint(v[d] * inv));
  return top / 127.f;
}

// x (rows, T, heads * D) float32 -> the int8 cache (rows * heads, L, D) at positions [start, start + T), each
// (row, head, position) over its own absolute maximum, its scale into scales (rows * heads, L).
void store(torch::Tensor x, torch::Tensor cache, torch::Tensor scales, int64_t start) {
  TORCH_CHECK(x.dim() == 3 && x.scalar_type() == at::kFloat && x.is_contiguous(), "x: (rows, T, width) float32");
  TORCH_CHECK(cache.scalar_type() == at::kChar && cache.is_contiguous() && scales.is_contiguous());
  const int64_t rows = x.size(0), T = x.size(1), B = cache.size(0), L = cache.size(1), D = cache.size(2);
  const int64_t heads = B / rows;
  TORCH_CHECK(B == rows * heads && x.size(2) == heads * D && start >= 0 && start + T <= L, "x does not fit the cache");
  const float* xp = x.data_ptr<float>();
  int8_t* c = cache.data_ptr<int8_t>();
  float* sc = scales.data_ptr<float>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t t = 0; t < T; ++t)
      for (int64_t h = 0; h < heads; ++h) {
        const float* v = xp + (r * T + t) * heads * D + h * D;
        int8_t* out = c + ((r * heads + h) * L + start + t) * D;
        sc[(r * heads + h) * L + start + t] = quantise(v, D, out);
      }
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("attend", &attend, "one query per (row, head) against the cache", py::arg("q"), py::arg("keys"),
        py::arg("values"), py::arg("end"), py::arg("lengths") = py::none(), py::arg("key_scales") = py::none(),
        py::arg("value_scales") = py::none());
  m.def("store", &store, "keys or values into an int8 cache", py::arg("x"), py::arg("cache"), py::arg("scales"),
        py::arg("start"));
}
