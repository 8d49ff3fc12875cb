#ifndef ALBUMGENRE_CDNNL_SHIM_H
#define ALBUMGENRE_CDNNL_SHIM_H
// The engine's only view of oneDNN: the oneDNN 3.x C API, spelt `agdnnl_…`, on top of whichever oneDNN the
// build finds. With oneDNN 3.x each function forwards to its `dnnl_…` namesake; with oneDNN 2.x
// (Debian 12's 2.6) it builds the 2.x operation descriptor and creates the primitive descriptor from it.
//
// Memory descriptors are the main difference: a 3.x `dnnl_memory_desc_t` is an opaque handle created
// and destroyed by the library and read through `dnnl_memory_desc_query`; a 2.x one is a plain struct
// read field by field. Here both are an owned `agdnnl_md_t` (a 2.x struct lives on the heap), created
// by `agdnnl_md_create_with_tag`, `agdnnl_md_clone` or a query, and released by `agdnnl_md_destroy`.
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#include <oneapi/dnnl/dnnl_version.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if DNNL_VERSION_MAJOR >= 3
#define AGDNNL_V3 1
#else
#define AGDNNL_V3 0
#endif

/// The oneDNN version the engine was compiled against, e.g. 20603 for 2.6.3, 30200 for 3.2.0.
static inline int agdnnl_compiled_version(void) {
    return DNNL_VERSION_MAJOR * 10000 + DNNL_VERSION_MINOR * 100 + DNNL_VERSION_PATCH;
}

/// The version of the library loaded at run time (the same number scheme).
static inline int agdnnl_runtime_version(void) {
    const dnnl_version_t *v = dnnl_version();
    return v->major * 10000 + v->minor * 100 + v->patch;
}

/// `DNNL_MEMORY_ALLOCATE` is a cast macro that Swift cannot import.
static inline void *albumgenre_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
/// `DNNL_MEMORY_NONE` likewise.
static inline void *albumgenre_dnnl_memory_none(void) { return DNNL_MEMORY_NONE; }

// MARK: - Memory descriptors

/// An owned memory descriptor (never dereferenced outside this header).
typedef struct agdnnl_md_opaque *agdnnl_md_t;

#if AGDNNL_V3
static inline const_dnnl_memory_desc_t agdnnl_raw(agdnnl_md_t md) { return (const_dnnl_memory_desc_t)md; }
#else
static inline const dnnl_memory_desc_t *agdnnl_raw(agdnnl_md_t md) { return (const dnnl_memory_desc_t *)md; }
static inline agdnnl_md_t agdnnl_heap_copy(const dnnl_memory_desc_t *source) {
    dnnl_memory_desc_t *copy = (dnnl_memory_desc_t *)malloc(sizeof(dnnl_memory_desc_t));
    if (copy) {
        if (source) *copy = *source;
        else memset(copy, 0, sizeof(*copy));
    }
    return (agdnnl_md_t)copy;
}
#endif

static inline void agdnnl_md_destroy(agdnnl_md_t md) {
    if (!md) return;
#if AGDNNL_V3
    dnnl_memory_desc_destroy((dnnl_memory_desc_t)md);
#else
    free(md);
#endif
}

/// A descriptor with dimensions `dims[0..<ndims]`, element type `data_type` and format `tag`
/// (`dnnl_format_tag_any`: let the primitive choose).
static inline dnnl_status_t agdnnl_md_create_with_tag(agdnnl_md_t *md, int ndims, const dnnl_dims_t dims,
                                                      dnnl_data_type_t data_type, dnnl_format_tag_t tag) {
#if AGDNNL_V3
    dnnl_memory_desc_t created = NULL;
    dnnl_status_t status = dnnl_memory_desc_create_with_tag(&created, ndims, dims, data_type, tag);
    *md = (agdnnl_md_t)created;
    return status;
#else
    dnnl_memory_desc_t created;
    dnnl_status_t status = dnnl_memory_desc_init_by_tag(&created, ndims, dims, data_type, tag);
    *md = status == dnnl_success ? agdnnl_heap_copy(&created) : NULL;
    return status == dnnl_success && !*md ? dnnl_out_of_memory : status;
#endif
}

/// An empty descriptor (ndims 0): "no such argument".
static inline dnnl_status_t agdnnl_md_create_empty(agdnnl_md_t *md) {
#if AGDNNL_V3
    // The empty descriptor is NULL on 3.x (what primitive queries give for an unused argument is
    // turned into NULL too), which every function here treats as ndims 0.
    *md = NULL;
    return dnnl_success;
#else
    *md = agdnnl_heap_copy(NULL);
    return *md ? dnnl_success : dnnl_out_of_memory;
#endif
}

static inline dnnl_status_t agdnnl_md_clone(agdnnl_md_t *md, agdnnl_md_t source) {
#if AGDNNL_V3
    if (!source) { *md = NULL; return dnnl_success; }
    dnnl_memory_desc_t created = NULL;
    dnnl_status_t status = dnnl_memory_desc_clone(&created, agdnnl_raw(source));
    *md = (agdnnl_md_t)created;
    return status;
#else
    *md = agdnnl_heap_copy(agdnnl_raw(source));
    return *md ? dnnl_success : dnnl_out_of_memory;
#endif
}

static inline int agdnnl_md_ndims(agdnnl_md_t md) {
    if (!md) return 0;
#if AGDNNL_V3
    int ndims = 0;
    if (dnnl_memory_desc_query(agdnnl_raw(md), dnnl_query_ndims_s32, &ndims) != dnnl_success) return 0;
    return ndims;
#else
    return agdnnl_raw(md)->ndims;
#endif
}

static inline dnnl_data_type_t agdnnl_md_data_type(agdnnl_md_t md) {
    if (!md) return dnnl_data_type_undef;
#if AGDNNL_V3
    dnnl_data_type_t type = dnnl_data_type_undef;
    dnnl_memory_desc_query(agdnnl_raw(md), dnnl_query_data_type, &type);
    return type;
#else
    return agdnnl_raw(md)->data_type;
#endif
}

/// 1 for a blocked (strided, possibly channel-blocked) format, 0 for `any`, opaque or empty.
static inline int agdnnl_md_is_blocked(agdnnl_md_t md) {
    if (!md) return 0;
#if AGDNNL_V3
    dnnl_format_kind_t kind = dnnl_format_kind_undef;
    dnnl_memory_desc_query(agdnnl_raw(md), dnnl_query_format_kind, &kind);
    return kind == dnnl_blocked;
#else
    return agdnnl_raw(md)->format_kind == dnnl_blocked;
#endif
}

/// What `agdnnl_md_get_dims` reads.
typedef enum {
    agdnnl_dims_logical = 0,     ///< the tensor's dimensions
    agdnnl_dims_padded = 1,      ///< the dimensions including padding (e.g. channels up to a multiple of 16)
    agdnnl_dims_strides = 2,     ///< strides between the outermost blocks (blocked formats only)
    agdnnl_dims_inner_blocks = 3,///< sizes of the innermost blocks (blocked formats only)
    agdnnl_dims_inner_indices = 4///< which logical dimension each inner block splits (blocked formats only)
} agdnnl_dims_kind_t;

/// Copies the requested array into `out` (DNNL_MAX_NDIMS entries, zero-filled); returns how many are
/// meaningful (ndims, or the number of inner blocks).
static inline int agdnnl_md_get_dims(agdnnl_md_t md, agdnnl_dims_kind_t kind, int64_t out[DNNL_MAX_NDIMS]) {
    memset(out, 0, sizeof(int64_t) * DNNL_MAX_NDIMS);
    if (!md) return 0;
    int ndims = agdnnl_md_ndims(md);
    int blocked = agdnnl_md_is_blocked(md);
    if (kind >= agdnnl_dims_strides && !blocked) return 0;
#if AGDNNL_V3
    int count = ndims;
    dnnl_query_t what = dnnl_query_dims;
    switch (kind) {
    case agdnnl_dims_logical: what = dnnl_query_dims; break;
    case agdnnl_dims_padded: what = dnnl_query_padded_dims; break;
    case agdnnl_dims_strides: what = dnnl_query_strides; break;
    case agdnnl_dims_inner_blocks: what = dnnl_query_inner_blks; break;
    case agdnnl_dims_inner_indices: what = dnnl_query_inner_idxs; break;
    }
    if (kind >= agdnnl_dims_inner_blocks) {
        count = 0;
        dnnl_memory_desc_query(agdnnl_raw(md), dnnl_query_inner_nblks_s32, &count);
        if (count == 0) return 0;
    }
    const dnnl_dims_t *values = NULL;
    if (dnnl_memory_desc_query(agdnnl_raw(md), what, &values) != dnnl_success || !values) return 0;
    memcpy(out, *values, sizeof(int64_t) * (size_t)count);
    return count;
#else
    const dnnl_memory_desc_t *raw = agdnnl_raw(md);
    const dnnl_blocking_desc_t *blocking = &raw->format_desc.blocking;
    int count = ndims;
    const int64_t *values = raw->dims;
    switch (kind) {
    case agdnnl_dims_logical: values = raw->dims; break;
    case agdnnl_dims_padded: values = raw->padded_dims; break;
    case agdnnl_dims_strides: values = blocking->strides; break;
    case agdnnl_dims_inner_blocks: values = blocking->inner_blks; count = blocking->inner_nblks; break;
    case agdnnl_dims_inner_indices: values = blocking->inner_idxs; count = blocking->inner_nblks; break;
    }
    memcpy(out, values, sizeof(int64_t) * (size_t)count);
    return count;
#endif
}

static inline size_t agdnnl_md_size(agdnnl_md_t md) {
    if (!md) return 0;
    return dnnl_memory_desc_get_size(agdnnl_raw(md));
}

static inline int agdnnl_md_equal(agdnnl_md_t lhs, agdnnl_md_t rhs) {
    if (!lhs || !rhs) return agdnnl_md_ndims(lhs) == 0 && agdnnl_md_ndims(rhs) == 0;
    return dnnl_memory_desc_equal(agdnnl_raw(lhs), agdnnl_raw(rhs));
}

/// The same dimensions, blocking and strides with another element type (strides count elements, so
/// only the byte size changes).
static inline dnnl_status_t agdnnl_md_with_data_type(agdnnl_md_t *md, agdnnl_md_t source, dnnl_data_type_t data_type) {
#if AGDNNL_V3
    // 3.x descriptors are immutable and have no "same format, other type" constructor: find the
    // format tag that reproduces the source exactly and create the descriptor anew with the new type.
    int64_t dims[DNNL_MAX_NDIMS];
    int ndims = agdnnl_md_get_dims(source, agdnnl_dims_logical, dims);
    dnnl_data_type_t source_type = agdnnl_md_data_type(source);
    for (int tag = (int)dnnl_format_tag_any + 1; tag < (int)dnnl_format_tag_last; tag++) {
        dnnl_memory_desc_t candidate = NULL;
        if (dnnl_memory_desc_create_with_tag(&candidate, ndims, dims, source_type, (dnnl_format_tag_t)tag) != dnnl_success)
            continue;
        int same = dnnl_memory_desc_equal(candidate, agdnnl_raw(source));
        dnnl_memory_desc_destroy(candidate);
        if (same) return agdnnl_md_create_with_tag(md, ndims, dims, data_type, (dnnl_format_tag_t)tag);
    }
    *md = NULL;
    return dnnl_unimplemented;
#else
    dnnl_status_t status = agdnnl_md_clone(md, source);
    if (status == dnnl_success) ((dnnl_memory_desc_t *)*md)->data_type = data_type;
    return status;
#endif
}

// MARK: - Primitive descriptors

/// The descriptor of execution argument or query `what` of a primitive descriptor, as a new owned
/// descriptor (empty when the primitive has no such argument).
static inline dnnl_status_t agdnnl_pd_query_md(agdnnl_md_t *md, const_dnnl_primitive_desc_t pd, dnnl_query_t what, int index) {
#if AGDNNL_V3
    const_dnnl_memory_desc_t queried = dnnl_primitive_desc_query_md(pd, what, index);
    if (!queried) { *md = NULL; return dnnl_success; }
    int ndims = 0;
    dnnl_memory_desc_query(queried, dnnl_query_ndims_s32, &ndims);
    if (ndims == 0) { *md = NULL; return dnnl_success; }
    dnnl_memory_desc_t created = NULL;
    dnnl_status_t status = dnnl_memory_desc_clone(&created, queried);
    *md = (agdnnl_md_t)created;
    return status;
#else
    *md = agdnnl_heap_copy(dnnl_primitive_desc_query_md(pd, what, index));
    return *md ? dnnl_success : dnnl_out_of_memory;
#endif
}

static inline dnnl_status_t agdnnl_memory_create(dnnl_memory_t *memory, agdnnl_md_t md, dnnl_engine_t engine, void *handle) {
    return dnnl_memory_create(memory, agdnnl_raw(md), engine, handle);
}

static inline dnnl_status_t agdnnl_reorder_pd_create(dnnl_primitive_desc_t *pd, agdnnl_md_t source, agdnnl_md_t destination,
                                                     dnnl_engine_t engine, const_dnnl_primitive_attr_t attr) {
    return dnnl_reorder_primitive_desc_create(pd, agdnnl_raw(source), engine, agdnnl_raw(destination), engine, attr);
}

#if !AGDNNL_V3
/// oneDNN 2.x: the primitive descriptor of an operation descriptor.
#define AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, hint) \
    dnnl_primitive_desc_create((pd), (const_dnnl_op_desc_t)&(op), (attr), (engine), (hint))
#endif

/// 2-D direct convolution forward (`bias` may be NULL). No dilation.
static inline dnnl_status_t agdnnl_convolution_forward_pd_create(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, dnnl_prop_kind_t prop_kind, agdnnl_md_t src, agdnnl_md_t weights,
    agdnnl_md_t bias, agdnnl_md_t dst, const dnnl_dims_t strides, const dnnl_dims_t padding_l,
    const dnnl_dims_t padding_r, const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    dnnl_dims_t dilates = {0};
    return dnnl_convolution_forward_primitive_desc_create(pd, engine, prop_kind, dnnl_convolution_direct, agdnnl_raw(src),
                                                          agdnnl_raw(weights), bias ? agdnnl_raw(bias) : NULL,
                                                          agdnnl_raw(dst), strides, dilates, padding_l, padding_r, attr);
#else
    dnnl_convolution_desc_t op;
    dnnl_status_t status = dnnl_convolution_forward_desc_init(&op, prop_kind, dnnl_convolution_direct, agdnnl_raw(src),
                                                              agdnnl_raw(weights), bias ? agdnnl_raw(bias) : NULL,
                                                              agdnnl_raw(dst), strides, padding_l, padding_r);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, NULL);
#endif
}

static inline dnnl_status_t agdnnl_convolution_backward_data_pd_create(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, agdnnl_md_t diff_src, agdnnl_md_t weights, agdnnl_md_t diff_dst,
    const dnnl_dims_t strides, const dnnl_dims_t padding_l, const dnnl_dims_t padding_r,
    const_dnnl_primitive_desc_t hint, const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    dnnl_dims_t dilates = {0};
    return dnnl_convolution_backward_data_primitive_desc_create(pd, engine, dnnl_convolution_direct, agdnnl_raw(diff_src),
                                                                agdnnl_raw(weights), agdnnl_raw(diff_dst), strides,
                                                                dilates, padding_l, padding_r, hint, attr);
#else
    dnnl_convolution_desc_t op;
    dnnl_status_t status = dnnl_convolution_backward_data_desc_init(&op, dnnl_convolution_direct, agdnnl_raw(diff_src),
                                                                    agdnnl_raw(weights), agdnnl_raw(diff_dst), strides,
                                                                    padding_l, padding_r);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, hint);
#endif
}

/// `diff_bias` may be NULL.
static inline dnnl_status_t agdnnl_convolution_backward_weights_pd_create(
    dnnl_primitive_desc_t *pd, dnnl_engine_t engine, agdnnl_md_t src, agdnnl_md_t diff_weights, agdnnl_md_t diff_bias,
    agdnnl_md_t diff_dst, const dnnl_dims_t strides, const dnnl_dims_t padding_l, const dnnl_dims_t padding_r,
    const_dnnl_primitive_desc_t hint, const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    dnnl_dims_t dilates = {0};
    return dnnl_convolution_backward_weights_primitive_desc_create(
        pd, engine, dnnl_convolution_direct, agdnnl_raw(src), agdnnl_raw(diff_weights),
        diff_bias ? agdnnl_raw(diff_bias) : NULL, agdnnl_raw(diff_dst), strides, dilates, padding_l, padding_r, hint, attr);
#else
    dnnl_convolution_desc_t op;
    dnnl_status_t status = dnnl_convolution_backward_weights_desc_init(
        &op, dnnl_convolution_direct, agdnnl_raw(src), agdnnl_raw(diff_weights), diff_bias ? agdnnl_raw(diff_bias) : NULL,
        agdnnl_raw(diff_dst), strides, padding_l, padding_r);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, hint);
#endif
}

/// Elementwise `algorithm` on `data` (source and destination share its layout).
static inline dnnl_status_t agdnnl_eltwise_forward_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                             dnnl_prop_kind_t prop_kind, dnnl_alg_kind_t algorithm,
                                                             agdnnl_md_t data, float alpha, float beta,
                                                             const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    return dnnl_eltwise_forward_primitive_desc_create(pd, engine, prop_kind, algorithm, agdnnl_raw(data), agdnnl_raw(data),
                                                      alpha, beta, attr);
#else
    dnnl_eltwise_desc_t op;
    dnnl_status_t status = dnnl_eltwise_forward_desc_init(&op, prop_kind, algorithm, agdnnl_raw(data), alpha, beta);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, NULL);
#endif
}

/// Gradient of `algorithm` with respect to its source; gradients and data share `data`'s layout.
static inline dnnl_status_t agdnnl_eltwise_backward_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                              dnnl_alg_kind_t algorithm, agdnnl_md_t data, float alpha,
                                                              float beta, const_dnnl_primitive_desc_t hint,
                                                              const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    return dnnl_eltwise_backward_primitive_desc_create(pd, engine, algorithm, agdnnl_raw(data), agdnnl_raw(data),
                                                       agdnnl_raw(data), alpha, beta, hint, attr);
#else
    dnnl_eltwise_desc_t op;
    dnnl_status_t status = dnnl_eltwise_backward_desc_init(&op, algorithm, agdnnl_raw(data), agdnnl_raw(data), alpha, beta);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, hint);
#endif
}

/// Batch normalisation forward; source and destination share `data`'s layout.
static inline dnnl_status_t agdnnl_batch_normalization_forward_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                                         dnnl_prop_kind_t prop_kind, agdnnl_md_t data,
                                                                         float epsilon, unsigned flags,
                                                                         const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    return dnnl_batch_normalization_forward_primitive_desc_create(pd, engine, prop_kind, agdnnl_raw(data), agdnnl_raw(data),
                                                                  epsilon, flags, attr);
#else
    dnnl_batch_normalization_desc_t op;
    dnnl_status_t status = dnnl_batch_normalization_forward_desc_init(&op, prop_kind, agdnnl_raw(data), epsilon, flags);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, NULL);
#endif
}

/// Batch normalisation backward (`dnnl_backward`: gradients of source, scale and shift).
static inline dnnl_status_t agdnnl_batch_normalization_backward_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                                          agdnnl_md_t data, float epsilon, unsigned flags,
                                                                          const_dnnl_primitive_desc_t hint,
                                                                          const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    return dnnl_batch_normalization_backward_primitive_desc_create(pd, engine, dnnl_backward, agdnnl_raw(data),
                                                                   agdnnl_raw(data), agdnnl_raw(data), epsilon, flags,
                                                                   hint, attr);
#else
    dnnl_batch_normalization_desc_t op;
    dnnl_status_t status = dnnl_batch_normalization_backward_desc_init(&op, dnnl_backward, agdnnl_raw(data),
                                                                       agdnnl_raw(data), epsilon, flags);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, hint);
#endif
}

/// Whether the backward batch normalisation takes DNNL_ARG_SHIFT as an input: 2.x demands it (although
/// no gradient depends on it), 3.x refuses it.
static inline int agdnnl_batch_normalization_backward_takes_shift(void) { return !AGDNNL_V3; }

/// Elementwise binary `algorithm`; both sources and the destination share `data`'s layout.
static inline dnnl_status_t agdnnl_binary_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                    dnnl_alg_kind_t algorithm, agdnnl_md_t data,
                                                    const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    return dnnl_binary_primitive_desc_create(pd, engine, algorithm, agdnnl_raw(data), agdnnl_raw(data), agdnnl_raw(data),
                                             attr);
#else
    dnnl_binary_desc_t op;
    dnnl_status_t status = dnnl_binary_desc_init(&op, algorithm, agdnnl_raw(data), agdnnl_raw(data), agdnnl_raw(data));
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, NULL);
#endif
}

/// 2-D pooling forward, no dilation.
static inline dnnl_status_t agdnnl_pooling_forward_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                             dnnl_prop_kind_t prop_kind, dnnl_alg_kind_t algorithm,
                                                             agdnnl_md_t src, agdnnl_md_t dst, const dnnl_dims_t strides,
                                                             const dnnl_dims_t kernel, const dnnl_dims_t padding_l,
                                                             const dnnl_dims_t padding_r, const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    dnnl_dims_t dilation = {0};
    return dnnl_pooling_forward_primitive_desc_create(pd, engine, prop_kind, algorithm, agdnnl_raw(src), agdnnl_raw(dst),
                                                      strides, kernel, dilation, padding_l, padding_r, attr);
#else
    dnnl_pooling_desc_t op;
    dnnl_status_t status = dnnl_pooling_forward_desc_init(&op, prop_kind, algorithm, agdnnl_raw(src), agdnnl_raw(dst),
                                                          strides, kernel, padding_l, padding_r);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, NULL);
#endif
}

static inline dnnl_status_t agdnnl_pooling_backward_pd_create(dnnl_primitive_desc_t *pd, dnnl_engine_t engine,
                                                              dnnl_alg_kind_t algorithm, agdnnl_md_t diff_src,
                                                              agdnnl_md_t diff_dst, const dnnl_dims_t strides,
                                                              const dnnl_dims_t kernel, const dnnl_dims_t padding_l,
                                                              const dnnl_dims_t padding_r, const_dnnl_primitive_desc_t hint,
                                                              const_dnnl_primitive_attr_t attr) {
#if AGDNNL_V3
    dnnl_dims_t dilation = {0};
    return dnnl_pooling_backward_primitive_desc_create(pd, engine, algorithm, agdnnl_raw(diff_src), agdnnl_raw(diff_dst),
                                                       strides, kernel, dilation, padding_l, padding_r, hint, attr);
#else
    dnnl_pooling_desc_t op;
    dnnl_status_t status = dnnl_pooling_backward_desc_init(&op, algorithm, agdnnl_raw(diff_src), agdnnl_raw(diff_dst),
                                                           strides, kernel, padding_l, padding_r);
    return status != dnnl_success ? status : AGDNNL_CREATE_FROM_OP(pd, op, attr, engine, hint);
#endif
}

#endif
