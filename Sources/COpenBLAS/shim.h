#ifndef ALBUMGENRE_COPENBLAS_SHIM_H
#define ALBUMGENRE_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
