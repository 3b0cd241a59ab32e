#include <torch/extension.h>
#include <ATen/Parallel.h>
#include <omp.h>
#include <algorithm>
#include <cstdint>

// The codec's own kernels (codec.py): the ELU before each of EnCodec's layers, and its LSTM stepped for a
// batch of jobs at once. Both are written so the compiler vectorises them in any build (plain SSE2, AVX2,
// AVX-512).

// exp(v) - 1 as 2^n (exp(r) - 1) + (2^n - 1), for v in [-87.3, 88]: Cephes' expf (a degree-6 polynomial on
// [-ln 2 / 2, ln 2 / 2] times 2^n, within 2 ulp), rounding by the 1.5 * 2^23 trick instead of a call. This
// form keeps its relative precision near 0, where n = 0.
static inline float expm1f_(float v) {
  const float n = (v * 1.44269504088896341f + 12582912.f) - 12582912.f;   // round(v / ln 2)
  const float r = (v - n * 0.693359375f) + n * 2.12194440e-4f;           // v - n ln 2, in two parts
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float q = p * r * r + r;                                           // exp(r) - 1
  const float scale = __builtin_bit_cast(float, (static_cast<int32_t>(n) + 127) << 23);   // 2^n
  return scale * q + (scale - 1.f);
}

static inline float clamp(float x, float lo, float hi) { return x < lo ? lo : (x > hi ? hi : x); }

// ELU (alpha 1): EnCodec applies it to every layer's input, about 95 million values for 10 s of musicgen's
// audio. torch's took about 1 ns a value on 2 cores here (its exp alone 0.5): 82 ms of a 10 s job's
// 0.75-0.87 s decode, where this one takes 29.
static inline float elu1(float x) { return x > 0.f ? x : expm1f_(clamp(x, -87.3f, 0.f)); }

static inline float sigmoid(float x) { return 1.f / (2.f + expm1f_(clamp(-x, -87.3f, 88.f))); }

static inline float tanh_(float x) {   // -expm1(-2|x|) / (expm1(-2|x|) + 2), its sign restored
  const float e = expm1f_(clamp(-2.f * (x < 0.f ? -x : x), -87.3f, 0.f));
  const float t = -e / (e + 2.f);
  return x < 0.f ? -t : t;
}

// out = elu(x), both contiguous float32 of the same size; out may be x.
void elu(const torch::Tensor& x, torch::Tensor& out) {
  TORCH_CHECK(x.dtype() == torch::kFloat32 && out.dtype() == torch::kFloat32, "elu takes float32");
  TORCH_CHECK(x.is_contiguous() && out.is_contiguous() && x.numel() == out.numel(), "elu takes contiguous tensors of one size");
  const float* in = x.data_ptr<float>();
  float* o = out.data_ptr<float>();
  const int64_t n = x.numel();
#pragma omp parallel for simd schedule(static) if (n >= 65536)
  for (int64_t i = 0; i < n; ++i) o[i] = elu1(in[i]);
}

// 16 floats as one value: GCC makes it a register of whatever width the build has (one AVX-512, two AVX2)
typedef float f16 __attribute__((vector_size(64)));
static inline f16 load(const float* p) { f16 v; __builtin_memcpy(&v, p, sizeof v); return v; }

// The sum of v's 16 lanes by a fixed tree of halves
static inline float total(f16 v) {
  float l[16];
  __builtin_memcpy(l, &v, sizeof l);
  for (int width = 8; width > 0; width /= 2)
    for (int i = 0; i < width; ++i) l[i] += l[i + width];
  return l[0];
}

// sums[g * H + r * stride] += w[g * H] . h[r] for the 4 gate rows g of one unit (w: its first, the next H
// * H floats apart) and R rows of h (each H long, consecutive): 4 x R sums in registers, each weight and
// state read once per 16 of them. Each sum runs in 16 lanes added by one fixed tree, so a row gets the
// same bits whichever rows are beside it.
template <int R>
static inline void dots(const float* w, const float* h, int64_t H, float* sums, int64_t stride) {
  f16 acc[4][R] = {};
  int64_t d = 0;
  for (; d + 16 <= H; d += 16) {
    f16 hd[R];
    for (int r = 0; r < R; ++r) hd[r] = load(h + r * H + d);
    for (int g = 0; g < 4; ++g) {
      const f16 wd = load(w + g * H * H + d);
      for (int r = 0; r < R; ++r) acc[g][r] += wd * hd[r];
    }
  }
  for (int g = 0; g < 4; ++g)
    for (int r = 0; r < R; ++r) {
      float s = total(acc[g][r]);
      for (int64_t e = d; e < H; ++e) s += w[g * H * H + e] * h[r * H + e];
      sums[g * H + r * stride] += s;
    }
}

// One LSTM layer (torch's gates i, f, g, o; zero initial state) for B jobs at once. gates (T, B, 4H):
// x W_ih^T + b_ih + b_hh at every step, added to in place; w (4H, H): the recurrent weights. Returns the
// states h (T, B, H). A step reads w once for all B jobs (16 MB a layer in musicgen's codec), where torch's
// LSTM took 4 times as long for 4 jobs as for one. Each thread owns a range of units, all 4 gates of
// each, so a step needs the others only for the previous states: one barrier a step.
torch::Tensor lstm(torch::Tensor gates, const torch::Tensor& w) {
  TORCH_CHECK(gates.dtype() == torch::kFloat32 && w.dtype() == torch::kFloat32, "lstm takes float32");
  TORCH_CHECK(gates.is_contiguous() && w.is_contiguous() && gates.dim() == 3 && w.dim() == 2, "contiguous gates (T, B, 4H), w (4H, H)");
  const int64_t T = gates.size(0), B = gates.size(1), H = w.size(1);
  TORCH_CHECK(w.size(0) == 4 * H && gates.size(2) == 4 * H, "gates (T, B, 4H) for w (4H, H)");
  auto out = torch::empty({T, B, H}, gates.options());
  auto cell = torch::zeros({B, H}, gates.options()), start = torch::zeros({B, H}, gates.options());
  float *g = gates.data_ptr<float>(), *o = out.data_ptr<float>(), *c = cell.data_ptr<float>();
  const float *W = w.data_ptr<float>(), *h0 = start.data_ptr<float>();
#pragma omp parallel num_threads(at::get_num_threads())
  {
    const int64_t threads = omp_get_num_threads(), per = ((H + 15) / 16 + threads - 1) / threads * 16;
    const int64_t lo = std::min(H, omp_get_thread_num() * per), hi = std::min(H, lo + per);
    for (int64_t t = 0; t < T; ++t) {
      const float* h = t ? o + (t - 1) * B * H : h0;
      float* gt = g + t * B * 4 * H;
      for (int64_t j = lo; j < hi; ++j)
        for (int64_t b = 0; b < B; b += 4) {
          const float* wj = W + j * H;
          float* sums = gt + b * 4 * H + j;
          switch (std::min<int64_t>(4, B - b)) {
            case 4: dots<4>(wj, h + b * H, H, sums, 4 * H); break;
            case 3: dots<3>(wj, h + b * H, H, sums, 4 * H); break;
            case 2: dots<2>(wj, h + b * H, H, sums, 4 * H); break;
            default: dots<1>(wj, h + b * H, H, sums, 4 * H);
          }
        }
      for (int64_t b = 0; b < B; ++b) {
        const float* a = gt + b * 4 * H;
        float *cb = c + b * H, *ob = o + (t * B + b) * H;
#pragma omp simd
        for (int64_t j = lo; j < hi; ++j) {
          cb[j] = sigmoid(a[H + j]) * cb[j] + sigmoid(a[j]) * tanh_(a[2 * H + j]);
          ob[j] = sigmoid(a[3 * H + j]) * tanh_(cb[j]);
        }
      }
#pragma omp barrier
    }
  }
  return out;
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("elu", &elu, "out = elu(x), alpha 1", py::arg("x"), py::arg("out"));
  m.def("lstm", &lstm, "one LSTM layer's states for a batch, its input gates given", py::arg("gates"), py::arg("w"));
}
