#ifndef ALBUMGENRE_CPUKERNELS_H
#define ALBUMGENRE_CPUKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Hand-written kernels for what oneDNN 2.6 lacks or does slowly. Buffer-level only.
/// Returns 1 when the CPU supports AVX-512F (the fast paths), 0 otherwise.
int cpukernels_has_avx512(void);

#endif
