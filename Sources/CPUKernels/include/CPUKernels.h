#ifndef ALBUMGENRE_CPUKERNELS_H
#define ALBUMGENRE_CPUKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Hand-written kernels for what oneDNN 2.6 lacks or does slowly. Buffer-level only.

/// Returns 1 when the CPU supports AVX-512F (the fast paths), 0 otherwise.
int cpukernels_has_avx512(void);

/// Sets the OpenMP thread count of the calling thread, which oneDNN's parallel regions use.
/// Looks `omp_set_num_threads` up at run time (libgomp is loaded by libdnnl), so this target needs no
/// OpenMP flags. Returns 1 when OpenMP was found, 0 otherwise.
int cpukernels_set_openmp_thread_count(int count);

/// The OpenMP thread count for parallel regions started from the calling thread (0 when unavailable).
int cpukernels_openmp_thread_count(void);

/// Weight (and optionally bias) gradient of a depthwise convolution, on channel-blocked activations.
///
/// `source` is the convolution input and `output_gradient` the gradient of its output, both in oneDNN's
/// dense `aBcd16b` (nChw16c) layout: element (n, c, h, w) sits at
/// `((n * blocks + c / 16) * height + h) * width + w) * 16 + c % 16`, with `blocks = ceil(channels / 16)`.
/// Padding lanes (c >= channels) are read but never written out.
///
/// `weight_gradient` receives plain `[channels][kernel_h][kernel_w]` (PyTorch `[C, 1, KH, KW]`):
///     dW[c, kh, kw] = sum over n, oh, ow of x[n, c, oh*stride_h - pad_top + kh, ow*stride_w - pad_left + kw] * dY[n, c, oh, ow]
/// (taps falling into the zero padding contribute nothing). `bias_gradient`, when not NULL, receives
/// `dB[c] = sum over n, oh, ow of dY[n, c, oh, ow]`.
///
/// Processes the 16-channel blocks `block_first ..< block_end` (callers run disjoint ranges in
/// parallel); one 16-lane FMA per tap and output position with AVX-512F when the CPU has it and
/// `allow_avx512` is non-zero, a portable loop otherwise (tests compare the two).
void cpukernels_depthwise_backward_weights_nchw16c(
    int64_t block_first, int64_t block_end, int allow_avx512,
    const float *source, const float *output_gradient, float *weight_gradient, float *bias_gradient,
    int64_t batch, int64_t channels, int64_t input_height, int64_t input_width,
    int64_t output_height, int64_t output_width, int64_t kernel_height, int64_t kernel_width,
    int64_t stride_height, int64_t stride_width, int64_t pad_top, int64_t pad_left);

#endif
