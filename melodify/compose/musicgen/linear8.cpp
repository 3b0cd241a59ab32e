// A linear layer in int8 for the few rows of a decoding step: 8-bit weights (one scale per output channel)
// times 8-bit activations (each row over its own [min, max]), summed exactly in int32, in one call that
// quantises the rows, multiplies and scales back. Exact integer sums and per-row arithmetic give a row the
// same bits alone or in any batch, and on any of the paths below.
//
// Weights are packed (fast.pack) in blocks of BLOCK outputs by groups of GROUP inputs: block b, group p
// holds w[BLOCK b + o][GROUP p + j] at [b][p][o][j]; `layout()` tells Python which this build uses.
// - AVX-512 VNNI: 16 outputs x 4 inputs. A group is 64 bytes; vpdpbusd multiplies it by the row's 4 codes
//   (broadcast) and adds each output's 4 products into its int32 sum: 64 products in one instruction.
//   With AMX as well, 4 or more rows go through tiles instead (amx_blocks): the same layout, groups padded
//   to whole tiles of 16.
// - AVX2 (and the plain loop): 8 outputs x 2 inputs. A group is 16 bytes, widened to 16 int16 and
//   multiplied by the row's pair of codes with madd_epi16: 8 outputs' int32 sums at once. (maddubs, what
//   int8 kernels without VNNI use, adds its pairs in int16 and overflows with full 8-bit activations; that
//   is why torch asks for 7 bits there, and 7 bits cost agreement with float32.)
#include <torch/extension.h>
#include <ATen/Parallel.h>
#include <immintrin.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>
#if defined(__AMX_INT8__) && defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace {

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
#define VNNI512 1
constexpr int BLOCK = 16, GROUP = 4, CODE_BITS = 8;    // a group's codes: 4 bytes of one int32
constexpr bool WIDE = true;     // 32 registers: 8 rows x 2 blocks of sums fit
// Weights are asked for this many groups (cache lines, 32 KB) ahead of their use, into L2: a core's L1 has
// too few miss buffers to cover memory's latency at the rate a step streams weights, and 32 lines ahead into
// L1 left the arithmetic waiting. 96 layers of a step (AMD EPYC, 2 threads): 2 rows 15.4 -> 12.3 ms, 8 rows
// 18.5 -> 14.4 (32 into L1 before; 512 into L1, 17.4 at 8 rows; 384-768 into L2 alike).
constexpr int64_t AHEAD = 512;
constexpr int64_t ALIGN = 16;   // groups padded to whole AMX tiles (16 groups = 64 inputs); zeros add nothing
#else
constexpr int BLOCK = 8, GROUP = 2, CODE_BITS = 16;    // a group's codes: 2 int16 of one int32
constexpr bool WIDE = false;    // 16 registers: one block of sums for 8 rows
constexpr int64_t AHEAD = 2048; // groups of 16 bytes: 32 KB ahead into L2, as above (this path built on the
                                // AMD EPYC, 2 rows: 16.5 -> 13.9 ms a step's layers by medians, 8 rows 41.8 -> 36.0)
constexpr int64_t ALIGN = 1;
#endif

// code j of group p is element GROUP p + j of a row's codes as CODE_BITS-wide integers (little-endian);
// may_alias: the same memory is read back as int32 groups
typedef uint16_t __attribute__((__may_alias__)) u16_alias;
using Code = std::conditional_t<CODE_BITS == 8, uint8_t, u16_alias>;

inline uint32_t code(float x, float lo, float inv) {
  return uint32_t(std::min(255.f, std::max(0.f, __builtin_roundevenf((x - lo) * inv))));
}

// Row x (K floats) -> its groups of 8-bit codes, one int32 each (code j at bit CODE_BITS j), and the row's
// low and step. In vector registers where the build has them: GCC vectorises neither the min/max nor the
// rounding loop written plainly, and at 8 rows those scalar loops were a third of a step's int8 time. The
// vector and scalar lanes do the same float operations, so every build gives the same codes.
void quantise_row(const float* x, int64_t K, int64_t groups, int32_t* out, float* low, float* step) {
  float lo = x[0], hi = x[0];
  int64_t k = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__)
  __m512 los = _mm512_set1_ps(lo), his = los;
  for (; k + 16 <= K; k += 16) {
    const __m512 v = _mm512_loadu_ps(x + k);
    los = _mm512_min_ps(los, v);
    his = _mm512_max_ps(his, v);
  }
  lo = _mm512_reduce_min_ps(los);
  hi = _mm512_reduce_max_ps(his);
#elif defined(__AVX2__)
  __m256 los = _mm256_set1_ps(lo), his = los;
  for (; k + 8 <= K; k += 8) {
    const __m256 v = _mm256_loadu_ps(x + k);
    los = _mm256_min_ps(los, v);
    his = _mm256_max_ps(his, v);
  }
  alignas(32) float l8[8], h8[8];
  _mm256_store_ps(l8, los);
  _mm256_store_ps(h8, his);
  for (int l = 0; l < 8; ++l) { lo = std::min(lo, l8[l]); hi = std::max(hi, h8[l]); }
#endif
  for (; k < K; ++k) { lo = std::min(lo, x[k]); hi = std::max(hi, x[k]); }
  const float span = std::max(hi - lo, 1e-12f), inv = 255.f / span;
  *low = lo;
  *step = span / 255.f;
  Code* codes = reinterpret_cast<Code*>(out);
  k = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__)
  const __m512 vlo = _mm512_set1_ps(lo), vinv = _mm512_set1_ps(inv), zero = _mm512_setzero_ps(),
               top = _mm512_set1_ps(255.f);
  for (; k + 16 <= K; k += 16) {
    __m512 c = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_sub_ps(_mm512_loadu_ps(x + k), vlo), vinv),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m512i i = _mm512_cvtps_epi32(_mm512_min_ps(top, _mm512_max_ps(zero, c)));
    if constexpr (CODE_BITS == 8)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + k), _mm512_cvtepi32_epi8(i));
    else
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(codes + k), _mm512_cvtepi32_epi16(i));
  }
#elif defined(__AVX2__)
  const __m256 vlo = _mm256_set1_ps(lo), vinv = _mm256_set1_ps(inv), zero = _mm256_setzero_ps(),
               top = _mm256_set1_ps(255.f);
  for (; k + 8 <= K; k += 8) {   // the AVX2 layout: 16-bit codes
    __m256 c = _mm256_round_ps(_mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + k), vlo), vinv),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256i i = _mm256_cvtps_epi32(_mm256_min_ps(top, _mm256_max_ps(zero, c)));
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi32(i, i), 0x08);   // 8 x uint16 low
    _mm_storeu_si128(reinterpret_cast<__m128i*>(codes + k), _mm256_castsi256_si128(packed));
  }
#endif
  for (; k < K; ++k) codes[k] = Code(code(x[k], lo, inv));
  for (; k < groups * GROUP; ++k) codes[k] = 0;
}

#if defined(VNNI512)
// R rows x OB blocks of 16 outputs, over all groups: acc[r][ob] int32 sums.
template <int R, int OB>
inline void tile(const int32_t* act, int64_t groups, const int8_t* w, int64_t block_bytes, int32_t* sums,
                 int64_t sums_stride) {
  __m512i acc[R][OB];
  for (int r = 0; r < R; ++r)
    for (int b = 0; b < OB; ++b) acc[r][b] = _mm512_setzero_si512();
  for (int64_t p = 0; p < groups; ++p) {
    __m512i wv[OB];
    for (int b = 0; b < OB; ++b) {
      // without it, at 4-8 rows the arithmetic waited on memory (8 rows x 4096 x 1024: 303 us, with it 212);
      // past a block's end it asks for the blocks after, which this thread reads next
      _mm_prefetch(reinterpret_cast<const char*>(w + b * block_bytes + (p + AHEAD) * 64), _MM_HINT_T1);
      wv[b] = _mm512_loadu_si512(w + b * block_bytes + p * 64);
    }
    for (int r = 0; r < R; ++r) {
      const __m512i a = _mm512_set1_epi32(act[r * groups + p]);
      for (int b = 0; b < OB; ++b) acc[r][b] = _mm512_dpbusd_epi32(acc[r][b], a, wv[b]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int b = 0; b < OB; ++b) _mm512_storeu_si512(sums + r * sums_stride + b * 16, acc[r][b]);
}
#elif defined(__AVX2__)
// R rows x OB blocks of 8 outputs, over all pairs: acc[r][ob] int32 sums.
template <int R, int OB>
inline void tile(const int32_t* act, int64_t pairs, const int8_t* w, int64_t block_bytes, int32_t* sums,
                 int64_t sums_stride) {
  __m256i acc[R][OB];
  for (int r = 0; r < R; ++r)
    for (int b = 0; b < OB; ++b) acc[r][b] = _mm256_setzero_si256();
  for (int64_t p = 0; p < pairs; ++p) {
    __m256i wv[OB];
    for (int b = 0; b < OB; ++b) {
      _mm_prefetch(reinterpret_cast<const char*>(w + b * block_bytes + (p + AHEAD) * 16), _MM_HINT_T1);
      wv[b] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + b * block_bytes + p * 16)));
    }
    for (int r = 0; r < R; ++r) {
      const __m256i a = _mm256_set1_epi32(act[r * pairs + p]);
      for (int b = 0; b < OB; ++b) acc[r][b] = _mm256_add_epi32(acc[r][b], _mm256_madd_epi16(a, wv[b]));
    }
  }
  for (int r = 0; r < R; ++r)
    for (int b = 0; b < OB; ++b)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(sums + r * sums_stride + b * 8), acc[r][b]);
}
#endif

#if defined(VNNI512) && defined(__AMX_INT8__) && defined(__linux__)
#define AMX 1
// AMX multiplies a tile of up to 16 rows x 64 codes by one of 64 inputs x 16 outputs (16 groups of a block,
// already in the packed layout) in one instruction, so at 8 rows the arithmetic costs next to nothing
// beside reading the weights. Linux hands out the tile registers only on request, once per process.
bool amx_ready() {
  static const bool ready = syscall(SYS_arch_prctl, 0x1023 /* ARCH_REQ_XCOMP_PERM */, 18 /* XTILEDATA */) == 0;
  return ready;
}

struct TileConfig {
  uint8_t palette = 1, start_row = 0, reserved[14] = {};
  uint16_t colsb[16] = {};
  uint8_t rows[16] = {};
};

// Blocks [lo, hi) for rows [0, m), m <= 16: tiles 0 and 3 the sums of two blocks (m x 16 int32), 1 the codes
// (m x 64), 2 and 4 the two blocks' weights. Two blocks at once share each load of the codes and keep two
// chains of products in flight; each step asks for the weights two tiles ahead, all 16 lines of them: with
// the next tile's first line only, 4 rows streamed weights slower than VNNI's loop.
void amx_blocks(const int32_t* act, int64_t m, int64_t groups, const int8_t* w, int64_t lo, int64_t hi,
                int32_t* sums, int64_t stride) {
  TileConfig config;
  config.rows[0] = config.rows[1] = config.rows[3] = uint8_t(m);
  config.rows[2] = config.rows[4] = 16;
  config.colsb[0] = config.colsb[1] = config.colsb[2] = config.colsb[3] = config.colsb[4] = 64;
  _tile_loadconfig(&config);
  const int64_t bb = groups * BLOCK * GROUP;
  const auto ahead = [](const int8_t* tile) {
    for (int line = 0; line < 16; ++line) _mm_prefetch(reinterpret_cast<const char*>(tile + 2048 + line * 64), _MM_HINT_T0);
  };
  int64_t b = lo;
  for (; b + 2 <= hi; b += 2) {
    const int8_t *w0 = w + b * bb, *w1 = w0 + bb;
    _tile_zero(0);
    _tile_zero(3);
    for (int64_t p = 0; p < groups; p += 16) {
      ahead(w0 + p * 64);
      ahead(w1 + p * 64);
      _tile_loadd(1, act + p, groups * 4);
      _tile_loadd(2, w0 + p * 64, 64);
      _tile_loadd(4, w1 + p * 64, 64);
      _tile_dpbusd(0, 1, 2);
      _tile_dpbusd(3, 1, 4);
    }
    _tile_stored(0, sums + b * BLOCK, stride * 4);
    _tile_stored(3, sums + (b + 1) * BLOCK, stride * 4);
  }
  for (; b < hi; ++b) {
    const int8_t* wb = w + b * bb;
    _tile_zero(0);
    for (int64_t p = 0; p < groups; p += 16) {
      ahead(wb + p * 64);
      _tile_loadd(1, act + p, groups * 4);
      _tile_loadd(2, wb + p * 64, 64);
      _tile_dpbusd(0, 1, 2);
    }
    _tile_stored(0, sums + b * BLOCK, stride * 4);
  }
  _tile_release();
}
#endif

#if defined(VNNI512) || defined(__AVX2__)
// Output blocks [lo, hi) for all M rows into sums (rows of `stride`). Fewer than 4 rows (a job) take 4
// blocks a tile, so 8 sums are in flight as with 8 rows of one block.
void blocks(const int32_t* act, int64_t M, int64_t groups, const int8_t* w, int64_t lo, int64_t hi, int32_t* sums,
            int64_t stride) {
  const int64_t bb = groups * BLOCK * GROUP;
  for (int64_t b = lo; b < hi;) {
    const int8_t* wb = w + b * bb;
    int32_t* s = sums + b * BLOCK;
    int64_t r = 0;
    if (M < 4 && hi - b >= 4) {
      for (; M - r >= 2; r += 2) tile<2, 4>(act + r * groups, groups, wb, bb, s + r * stride, stride);
      for (; r < M; ++r) tile<1, 4>(act + r * groups, groups, wb, bb, s + r * stride, stride);
      b += 4;
      continue;
    }
    if (WIDE && hi - b >= 2) {   // two blocks a tile: each row's codes serve twice as many sums
      for (; M - r >= 8; r += 8) tile<8, 2>(act + r * groups, groups, wb, bb, s + r * stride, stride);
      for (; M - r >= 4; r += 4) tile<4, 2>(act + r * groups, groups, wb, bb, s + r * stride, stride);
      for (; M - r >= 2; r += 2) tile<2, 2>(act + r * groups, groups, wb, bb, s + r * stride, stride);
      for (; r < M; ++r) tile<1, 2>(act + r * groups, groups, wb, bb, s + r * stride, stride);
      b += 2;
      continue;
    }
    for (; M - r >= 8; r += 8) tile<8, 1>(act + r * groups, groups, wb, bb, s + r * stride, stride);
    for (; M - r >= 4; r += 4) tile<4, 1>(act + r * groups, groups, wb, bb, s + r * stride, stride);
    for (; M - r >= 2; r += 2) tile<2, 1>(act + r * groups, groups, wb, bb, s + r * stride, stride);
    for (; r < M; ++r) tile<1, 1>(act + r * groups, groups, wb, bb, s + r * stride, stride);
    b += 1;
  }
}
#else
void blocks(const int32_t* act, int64_t M, int64_t groups, const int8_t* w, int64_t lo, int64_t hi, int32_t* sums,
            int64_t stride) {
  for (int64_t b = lo; b < hi; ++b)
    for (int64_t r = 0; r < M; ++r)
      for (int o = 0; o < BLOCK; ++o) {
        int32_t s = 0;
        for (int64_t p = 0; p < groups; ++p) {
          const uint32_t codes = uint32_t(act[r * groups + p]);
          const int8_t* wp = w + ((b * groups + p) * BLOCK + o) * GROUP;
          for (int j = 0; j < GROUP; ++j) s += int32_t(wp[j]) * int32_t((codes >> (CODE_BITS * j)) & 0xff);
        }
        sums[r * stride + b * BLOCK + o] = s;
      }
}
#endif

}  // namespace

// Row x (K floats) through a LayerNorm (weight, bias, eps) into out, as torch computes it in float32. The
// sums in vector lanes (omp simd): written plainly, each add waited on the last, 2.6 us a row of 1024, and at
// 8 rows the step's 72 norms cost a millisecond.
void layer_norm(const float* x, int64_t K, const float* weight, const float* bias, double eps, float* out) {
  float mean = 0.f;
#pragma omp simd reduction(+ : mean)
  for (int64_t k = 0; k < K; ++k) mean += x[k];
  mean /= float(K);
  float var = 0.f;
#pragma omp simd reduction(+ : var)
  for (int64_t k = 0; k < K; ++k) var += (x[k] - mean) * (x[k] - mean);
  const float rstd = 1.f / std::sqrt(var / float(K) + float(eps));
  for (int64_t k = 0; k < K; ++k) out[k] = (x[k] - mean) * rstd * weight[k] + bias[k];
}

// erf to float32's precision (Eigen's rational approximation on [-4, 4], beyond which erf is +-1 in
// float32), in plain arithmetic the compiler vectorises; GELU is x/2 (1 + erf(x / sqrt 2)).
inline float erf_fast(float x) {
  x = std::min(4.f, std::max(-4.f, x));
  const float x2 = x * x;
  float p = -2.72614225801306e-10f;
  p = p * x2 + 2.77068142495902e-08f;
  p = p * x2 - 2.10102402082508e-06f;
  p = p * x2 - 5.69250639462346e-05f;
  p = p * x2 - 7.34990630326855e-04f;
  p = p * x2 - 2.95459980854025e-03f;
  p = p * x2 - 1.60960333262415e-02f;
  float q = -1.45660718464996e-05f;
  q = q * x2 - 2.13374055278905e-04f;
  q = q * x2 - 1.68282697438203e-03f;
  q = q * x2 - 7.37332916720468e-03f;
  q = q * x2 - 1.42647390514189e-02f;
  return x * p / q;
}

// x (M, K) float32; packed (blocks, groups, BLOCK, GROUP) int8; scale, row_sums, bias (N) float32 -> (M, N) float32.
// With norm_weight and norm_bias (K), each row goes through that LayerNorm first (it feeds only this layer);
// with gelu, the outputs go through GELU.
torch::Tensor linear(torch::Tensor x, torch::Tensor packed, torch::Tensor scale, torch::Tensor row_sums,
                     torch::Tensor bias, std::optional<torch::Tensor> norm_weight,
                     std::optional<torch::Tensor> norm_bias, double eps, bool gelu) {
  TORCH_CHECK(x.dim() == 2 && x.scalar_type() == at::kFloat && x.is_contiguous(), "x: (rows, in) contiguous float32");
  TORCH_CHECK(packed.scalar_type() == at::kChar && packed.dim() == 4 && packed.size(2) == BLOCK &&
              packed.size(3) == GROUP, "packed weights not in this build's layout()");
  const int64_t M = x.size(0), K = x.size(1), NB = packed.size(0), groups = packed.size(1), N = scale.size(0);
  TORCH_CHECK(groups == ((K + GROUP - 1) / GROUP + ALIGN - 1) / ALIGN * ALIGN && NB == (N + BLOCK - 1) / BLOCK,
              "packed weights do not match the input's width");
  TORCH_CHECK(norm_weight.has_value() == norm_bias.has_value(), "a LayerNorm takes its weight and its bias");
  std::vector<int32_t> act(M * groups);
  std::vector<float> low(M), step(M);
  const float* xp = x.data_ptr<float>();
  // Rows are quantised on the calling thread while they are few: a parallel region costs microseconds to
  // start, about what 16 rows of 1024 take, and a step makes 144 of these calls.
  at::parallel_for(0, M, std::max<int64_t>(1, 16384 / K), [&](int64_t lo, int64_t hi) {
    std::vector<float> normed(norm_weight ? K : 0);
    for (int64_t r = lo; r < hi; ++r) {
      const float* row = xp + r * K;
      if (norm_weight) {
        layer_norm(row, K, norm_weight->data_ptr<float>(), norm_bias->data_ptr<float>(), eps, normed.data());
        row = normed.data();
      }
      quantise_row(row, K, groups, act.data() + r * groups, &low[r], &step[r]);
    }
  });
  const int64_t stride = NB * BLOCK;
  std::vector<int32_t> sums(M * stride);
  auto out = torch::empty({M, N}, x.options());
  float* y = out.data_ptr<float>();
  const float *sc = scale.data_ptr<float>(), *rs = row_sums.data_ptr<float>(), *bi = bias.data_ptr<float>();
  // each thread's blocks, then their outputs scaled back in the same region, while the sums are in cache
  at::parallel_for(0, NB, 4, [&](int64_t lo, int64_t hi) {
#ifdef AMX
    if (M >= 4 && amx_ready()) {   // at fewer rows VNNI reads the weights as fast, and is faster to start
      for (int64_t r = 0; r < M; r += 16)
        amx_blocks(act.data() + r * groups, std::min<int64_t>(16, M - r), groups, packed.data_ptr<int8_t>(), lo, hi,
                   sums.data() + r * stride, stride);
    } else
#endif
      blocks(act.data(), M, groups, packed.data_ptr<int8_t>(), lo, hi, sums.data(), stride);
    const int64_t first = lo * BLOCK, last = std::min(hi * BLOCK, N);
    for (int64_t r = 0; r < M; ++r) {   // W x = scale * (step * W q + low * W 1) + bias, the same ops every row
      float* yr = y + r * N;
      const int32_t* sr = sums.data() + r * stride;
      for (int64_t o = first; o < last; ++o) yr[o] = sc[o] * (step[r] * float(sr[o]) + low[r] * rs[o]) + bi[o];
      if (gelu)
        for (int64_t o = first; o < last; ++o) yr[o] = 0.5f * yr[o] * (1.f + erf_fast(yr[o] * 0.70710678118654752f));
    }
  });
  return out;
}

// (BLOCK, GROUP, ALIGN): how fast.pack lays out the weights for this build.
std::tuple<int64_t, int64_t, int64_t> layout() { return {BLOCK, GROUP, ALIGN}; }

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("layout", &layout, "(outputs per block, inputs per group, groups padded to a multiple of) of the packed weights");
  m.def("linear", &linear, "int8 weights x 8-bit per-row activations, for a few rows", py::arg("x"),
        py::arg("packed"), py::arg("scale"), py::arg("row_sums"), py::arg("bias"), py::arg("norm_weight") = py::none(), py::arg("norm_bias") = py::none(),
        py::arg("eps") = 1e-5, py::arg("gelu") = false);
}
