#ifndef ALBUMGENRE_CTURBOJPEG_SHIM_H
#define ALBUMGENRE_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>
#endif
