#ifndef PFS_CLIBXML2_SHIM_H
#define PFS_CLIBXML2_SHIM_H

/* Debian's libxml2 headers pull in the system ICU headers, which clash with the ICU
   module Foundation carries ("'UErrorCode' has different definitions"). We use no
   ICU-dependent API, so hide it. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlmemory.h>
#include <libxml/c14n.h>

/* xmlFree is a mutable global function pointer; Swift 6 refuses to call it directly. */
static inline void pfs_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
