// libxml2's tolerant HTML parser and XPath, used by DataCollection to read chart pages.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
