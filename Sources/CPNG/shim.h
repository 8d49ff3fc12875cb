#ifndef ALBUMGENRE_CPNG_SHIM_H
#define ALBUMGENRE_CPNG_SHIM_H
#include <png.h>
#endif
