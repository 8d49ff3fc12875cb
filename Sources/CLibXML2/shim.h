// libxml2's tolerant HTML parser, used by DataCollection to read chart pages.
//
// Debian builds libxml2 with ICU, so encoding.h would include <unicode/ucnv.h>, whose enums
// clash with Foundation's own ICU module in the same Swift compilation. We only use libxml2's
// encoding handlers through pointers, so hiding the ICU part of that struct is safe.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/HTMLtree.h>
