#ifndef ALBUMGENRE_CDNNL_SHIM_H
#define ALBUMGENRE_CDNNL_SHIM_H
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>

/// `DNNL_MEMORY_ALLOCATE` is a cast macro that Swift cannot import.
static inline void *albumgenre_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
/// `DNNL_MEMORY_NONE` likewise.
static inline void *albumgenre_dnnl_memory_none(void) { return DNNL_MEMORY_NONE; }
#endif
