#ifndef ALBUMGENRE_CZLIB_SHIM_H
#define ALBUMGENRE_CZLIB_SHIM_H
#include <zlib.h>

/// `inflateInit2` is a macro that Swift cannot import; this wraps it.
static inline int albumgenre_inflate_init2(z_stream *stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
#endif
