#ifndef ALBUMGENRE_CPUKERNELS_H
#define ALBUMGENRE_CPUKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Hand-written kernels for what oneDNN lacks or does slowly. Buffer-level only. Every kernel has a
/// portable C path that compiles on any architecture; x86-64 adds AVX2 and AVX-512 paths chosen at run
/// time from what the CPU supports.

/// Returns 1 when the CPU supports AVX-512F, 0 otherwise (always 0 off x86).
int cpukernels_has_avx512(void);

/// Returns 1 when the CPU supports AVX2 and FMA, 0 otherwise (always 0 off x86).
int cpukernels_has_avx2_fma(void);

/// Sets the OpenMP thread count of the calling thread, which oneDNN's parallel regions use.
/// Looks `omp_set_num_threads` up at run time (libgomp is loaded by libdnnl), so this target needs no
/// OpenMP flags. Returns 1 when OpenMP was found, 0 otherwise.
int cpukernels_set_openmp_thread_count(int count);

/// The OpenMP thread count for parallel regions started from the calling thread (0 when unavailable).
int cpukernels_openmp_thread_count(void);

/// Instruction sets a kernel may use, in increasing order; a kernel uses the best one the CPU has
/// that is no higher than the caller's `max_isa`.
enum {
    CPUKERNELS_ISA_PORTABLE = 0,
    CPUKERNELS_ISA_AVX2 = 1,
    CPUKERNELS_ISA_AVX512 = 2,
};

/// Weight (and optionally bias) gradient of a depthwise convolution, on channel-blocked activations.
///
/// `source` is the convolution input and `output_gradient` the gradient of its output, both in oneDNN's
/// dense channel-blocked layout with `channel_block` = 16 (`aBcd16b`, nChw16c: AVX-512 CPUs) or 8
/// (`aBcd8b`, nChw8c: AVX2 CPUs): element (n, c, h, w) sits at
/// `((n * blocks + c / B) * height + h) * width + w) * B + c % B`, with `B = channel_block` and
/// `blocks = ceil(channels / B)`. Padding lanes (c >= channels) are read but never written out.
///
/// `weight_gradient` receives plain `[channels][kernel_h][kernel_w]` (PyTorch `[C, 1, KH, KW]`):
///     dW[c, kh, kw] = sum over n, oh, ow of x[n, c, oh*stride_h - pad_top + kh, ow*stride_w - pad_left + kw] * dY[n, c, oh, ow]
/// (taps falling into the zero padding contribute nothing). `bias_gradient`, when not NULL, receives
/// `dB[c] = sum over n, oh, ow of dY[n, c, oh, ow]`.
///
/// Processes the channel blocks `block_first ..< block_end` (callers run disjoint ranges in parallel).
/// AVX-512 (16-lane blocks only) covers a block with one FMA per tap and output position, AVX2 with one
/// per 8 lanes; `max_isa` caps the choice (tests compare the paths). Returns the `CPUKERNELS_ISA_…` used,
/// or 0 without computing anything for a block width other than 8 or 16.
int cpukernels_depthwise_backward_weights_blocked(
    int64_t block_first, int64_t block_end, int64_t channel_block, int max_isa,
    const float *source, const float *output_gradient, float *weight_gradient, float *bias_gradient,
    int64_t batch, int64_t channels, int64_t input_height, int64_t input_width,
    int64_t output_height, int64_t output_width, int64_t kernel_height, int64_t kernel_width,
    int64_t stride_height, int64_t stride_width, int64_t pad_top, int64_t pad_left);

#endif
