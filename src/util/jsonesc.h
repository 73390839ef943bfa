/* util/jsonesc.h — the one rule for writing a byte inside a JSON string, shared by the simple
 * emitters (the schema writer, the CLI's JSON lines); json_write.c keeps its own word-at-a-time
 * escaper for speed. Freestanding. */
#ifndef WHEA_UTIL_JSONESC_H
#define WHEA_UTIL_JSONESC_H

#include <stddef.h>

/* The longest form of one byte (\u00XX). */
#define WHEA_JSON_ESC_MAX 6

/* Writes byte c as it goes inside a JSON string into e and returns its length: '"' and '\\' as
 * \" and \\ (2), control bytes and DEL as \u00XX (6), every other byte as is (1), so UTF-8 passes
 * through unchanged. */
size_t whea_json_esc(unsigned char c, char e[WHEA_JSON_ESC_MAX]);

#endif
