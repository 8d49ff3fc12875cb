// Depthwise convolution weight gradient on channel-blocked activations (nChw16c or nChw8c): the kernel
// oneDNN lacks for filters larger than 3x3 (it falls back to im2col + gemm at < 1 GFLOP/s).
#include "CPUKernels.h"

#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPUKERNELS_X86 1
#else
#define CPUKERNELS_X86 0
#endif

/// Output positions `ow` whose input column `ow * stride - pad + tap` lies inside [0, extent).
static inline void valid_range(int64_t tap, int64_t stride, int64_t pad, int64_t extent, int64_t outputs,
                               int64_t *first, int64_t *end) {
    // ow * stride >= pad - tap  and  ow * stride <= extent - 1 + pad - tap
    int64_t low = pad - tap;
    int64_t lo = low <= 0 ? 0 : (low + stride - 1) / stride;
    int64_t high = extent - 1 + pad - tap;
    int64_t hi = high < 0 ? -1 : high / stride;
    if (hi > outputs - 1) hi = outputs - 1;
    *first = lo;
    *end = hi + 1 > lo ? hi + 1 : lo;
}

typedef struct {
    const float *source, *output_gradient;
    int64_t lanes; // the channel block: 8 or 16
    int64_t batch, blocks, input_height, input_width, output_height, output_width;
    int64_t kernel_height, kernel_width, stride_height, stride_width, pad_top, pad_left;
} geometry_t;

/// For output row `oh` and tap row `kh`: the offsets (in floats, within one image's block) of the
/// input row `ih = oh * stride - pad + kh` and of the output-gradient row; 0 when `ih` is padding.
static inline int paired_rows(const geometry_t *g, int64_t oh, int64_t kh, int64_t *x_row, int64_t *dy_row) {
    int64_t ih = oh * g->stride_height - g->pad_top + kh;
    if (ih < 0 || ih >= g->input_height) return 0;
    *x_row = ih * g->input_width * g->lanes;
    *dy_row = oh * g->output_width * g->lanes;
    return 1;
}

/// The input column tap column `kw` reads for output column `ow`.
static inline int64_t input_column(const geometry_t *g, int64_t ow, int64_t kw) {
    return ow * g->stride_width - g->pad_left + kw;
}

// Each variant accumulates one channel block: `taps` is [kernel_h * kernel_w][lanes], `bias` is [lanes]
// or NULL. They differ only in how many lanes one instruction covers.

#if CPUKERNELS_X86
/// 16 lanes per FMA (blocks of 16 only).
__attribute__((target("avx512f")))
static void block_avx512(const geometry_t *g, int64_t block, float *taps, float *bias) {
    const int64_t in_plane = g->input_height * g->input_width * 16;
    const int64_t out_plane = g->output_height * g->output_width * 16;
    __m512 bias_sum = _mm512_setzero_ps();
    for (int64_t n = 0; n < g->batch; n++) {
        const float *x = g->source + (n * g->blocks + block) * in_plane;
        const float *dy = g->output_gradient + (n * g->blocks + block) * out_plane;
        if (bias) {
            for (int64_t p = 0; p < g->output_height * g->output_width; p++)
                bias_sum = _mm512_add_ps(bias_sum, _mm512_loadu_ps(dy + p * 16));
        }
        for (int64_t kw = 0; kw < g->kernel_width; kw++) {
            int64_t ow_first, ow_end;
            valid_range(kw, g->stride_width, g->pad_left, g->input_width, g->output_width, &ow_first, &ow_end);
            for (int64_t kh = 0; kh < g->kernel_height; kh++) {
                float *tap = taps + (kh * g->kernel_width + kw) * 16;
                __m512 acc = _mm512_loadu_ps(tap);
                int64_t xr, dyr;
                for (int64_t oh = 0; oh < g->output_height; oh++) {
                    if (!paired_rows(g, oh, kh, &xr, &dyr)) continue;
                    for (int64_t ow = ow_first; ow < ow_end; ow++)
                        acc = _mm512_fmadd_ps(_mm512_loadu_ps(x + xr + input_column(g, ow, kw) * 16), _mm512_loadu_ps(dy + dyr + ow * 16), acc);
                }
                _mm512_storeu_ps(tap, acc);
            }
        }
    }
    if (bias) _mm512_storeu_ps(bias, bias_sum);
}

/// 8 lanes per FMA; a 16-lane block is two 8-lane halves.
__attribute__((target("avx2,fma")))
static void block_avx2(const geometry_t *g, int64_t block, float *taps, float *bias) {
    const int64_t lanes = g->lanes;
    const int64_t in_plane = g->input_height * g->input_width * lanes;
    const int64_t out_plane = g->output_height * g->output_width * lanes;
    for (int64_t half = 0; half < lanes; half += 8) {
        __m256 bias_sum = _mm256_setzero_ps();
        for (int64_t n = 0; n < g->batch; n++) {
            const float *x = g->source + (n * g->blocks + block) * in_plane + half;
            const float *dy = g->output_gradient + (n * g->blocks + block) * out_plane + half;
            if (bias) {
                for (int64_t p = 0; p < g->output_height * g->output_width; p++)
                    bias_sum = _mm256_add_ps(bias_sum, _mm256_loadu_ps(dy + p * lanes));
            }
            for (int64_t kw = 0; kw < g->kernel_width; kw++) {
                int64_t ow_first, ow_end;
                valid_range(kw, g->stride_width, g->pad_left, g->input_width, g->output_width, &ow_first, &ow_end);
                for (int64_t kh = 0; kh < g->kernel_height; kh++) {
                    float *tap = taps + (kh * g->kernel_width + kw) * lanes + half;
                    __m256 acc = _mm256_loadu_ps(tap);
                    int64_t xr, dyr;
                    for (int64_t oh = 0; oh < g->output_height; oh++) {
                        if (!paired_rows(g, oh, kh, &xr, &dyr)) continue;
                        for (int64_t ow = ow_first; ow < ow_end; ow++)
                            acc = _mm256_fmadd_ps(_mm256_loadu_ps(x + xr + input_column(g, ow, kw) * lanes), _mm256_loadu_ps(dy + dyr + ow * lanes), acc);
                    }
                    _mm256_storeu_ps(tap, acc);
                }
            }
        }
        if (bias) _mm256_storeu_ps(bias + half, bias_sum);
    }
}
#endif

/// The same accumulation in portable C, for any block width (the compiler vectorises the lane loops).
static void block_portable(const geometry_t *g, int64_t block, float *taps, float *bias) {
    const int64_t lanes = g->lanes;
    const int64_t in_plane = g->input_height * g->input_width * lanes;
    const int64_t out_plane = g->output_height * g->output_width * lanes;
    for (int64_t n = 0; n < g->batch; n++) {
        const float *x = g->source + (n * g->blocks + block) * in_plane;
        const float *dy = g->output_gradient + (n * g->blocks + block) * out_plane;
        if (bias) {
            for (int64_t p = 0; p < g->output_height * g->output_width; p++)
                for (int64_t lane = 0; lane < lanes; lane++) bias[lane] += dy[p * lanes + lane];
        }
        for (int64_t kw = 0; kw < g->kernel_width; kw++) {
            int64_t ow_first, ow_end;
            valid_range(kw, g->stride_width, g->pad_left, g->input_width, g->output_width, &ow_first, &ow_end);
            for (int64_t kh = 0; kh < g->kernel_height; kh++) {
                float *tap = taps + (kh * g->kernel_width + kw) * lanes;
                int64_t xr, dyr;
                for (int64_t oh = 0; oh < g->output_height; oh++) {
                    if (!paired_rows(g, oh, kh, &xr, &dyr)) continue;
                    for (int64_t ow = ow_first; ow < ow_end; ow++) {
                        const float *x_pixel = x + xr + input_column(g, ow, kw) * lanes, *dy_pixel = dy + dyr + ow * lanes;
                        for (int64_t lane = 0; lane < lanes; lane++) tap[lane] += x_pixel[lane] * dy_pixel[lane];
                    }
                }
            }
        }
    }
}

int cpukernels_depthwise_backward_weights_blocked(
    int64_t block_first, int64_t block_end, int64_t channel_block, int max_isa,
    const float *source, const float *output_gradient, float *weight_gradient, float *bias_gradient,
    int64_t batch, int64_t channels, int64_t input_height, int64_t input_width,
    int64_t output_height, int64_t output_width, int64_t kernel_height, int64_t kernel_width,
    int64_t stride_height, int64_t stride_width, int64_t pad_top, int64_t pad_left) {
    if (channel_block != 8 && channel_block != 16) return 0;
    const geometry_t g = {
        source, output_gradient, channel_block, batch, (channels + channel_block - 1) / channel_block,
        input_height, input_width, output_height, output_width, kernel_height, kernel_width,
        stride_height, stride_width, pad_top, pad_left,
    };
    int isa = CPUKERNELS_ISA_PORTABLE;
#if CPUKERNELS_X86
    if (max_isa >= CPUKERNELS_ISA_AVX512 && channel_block == 16 && cpukernels_has_avx512()) isa = CPUKERNELS_ISA_AVX512;
    else if (max_isa >= CPUKERNELS_ISA_AVX2 && cpukernels_has_avx2_fma()) isa = CPUKERNELS_ISA_AVX2;
#else
    (void)max_isa;
#endif
    const int64_t tap_count = kernel_height * kernel_width;

    for (int64_t block = block_first; block < block_end && block < g.blocks; block++) {
        float taps[tap_count * channel_block];
        float bias[16];
        memset(taps, 0, sizeof(taps));
        memset(bias, 0, sizeof(bias));
        float *bias_or_null = bias_gradient ? bias : NULL;
        switch (isa) {
#if CPUKERNELS_X86
        case CPUKERNELS_ISA_AVX512: block_avx512(&g, block, taps, bias_or_null); break;
        case CPUKERNELS_ISA_AVX2: block_avx2(&g, block, taps, bias_or_null); break;
#endif
        default: block_portable(&g, block, taps, bias_or_null); break;
        }

        // Scatter the block's lanes to plain [C][KH][KW]; padding lanes (c >= channels) are dropped.
        for (int64_t lane = 0; lane < channel_block; lane++) {
            int64_t c = block * channel_block + lane;
            if (c >= channels) break;
            for (int64_t t = 0; t < tap_count; t++) weight_gradient[c * tap_count + t] = taps[t * channel_block + lane];
            if (bias_gradient) bias_gradient[c] = bias[lane];
        }
    }
    return isa;
}
