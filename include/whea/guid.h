/* whea/guid.h — GUIDs as the 16 bytes they are in a record (EFI_GUID layout: Data1..3
 * little-endian, Data4 in order), with parsing and formatting of the string form. */
#ifndef WHEA_GUID_H
#define WHEA_GUID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whea/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct whea_guid {
	uint8_t b[16];
} whea_guid;

/* A GUID constant from its string-form parts: WHEA_GUID(0x2dce8bb1, 0xbdd7, 0x450e, 0xb9, 0xad,
 * 0x9c, 0xf4, 0xeb, 0xd4, 0xf8, 0x90) for 2dce8bb1-bdd7-450e-b9ad-9cf4ebd4f890. */
#define WHEA_GUID(d1, d2, d3, a, b_, c, d, e, f, g, h)                                            \
	{{(uint8_t)(d1), (uint8_t)((d1) >> 8), (uint8_t)((d1) >> 16), (uint8_t)((uint32_t)(d1) >> 24), \
	  (uint8_t)(d2), (uint8_t)((d2) >> 8), (uint8_t)(d3), (uint8_t)((d3) >> 8), a, b_, c, d, e, f, g, h}}

#define WHEA_GUID_STRLEN 36 /* without the NUL */

WHEA_API bool whea_guid_equal(const whea_guid *a, const whea_guid *b);
WHEA_API bool whea_guid_is_zero(const whea_guid *g);
/* Writes 36 characters and a NUL into out (37 bytes), lower case; returns out. */
WHEA_API char *whea_guid_format(const whea_guid *g, char out[WHEA_GUID_STRLEN + 1]);
/* Parses "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" (optionally in braces) of exactly len bytes.
 * Returns 0 or WHEA_EFORMAT. */
WHEA_API int whea_guid_parse(whea_guid *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
