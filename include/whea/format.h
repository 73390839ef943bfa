/* whea/format.h — output buffers and the record writers (text, JSON) and reader (JSON -> CPER).
 * The writers need no allocator and no stdio: they write into a caller buffer that an optional
 * flush callback drains (the CLI flushes to a FILE*; firmware can use one fixed buffer). */
#ifndef WHEA_FORMAT_H
#define WHEA_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "whea/export.h"
#include "whea/record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct whea_out {
	char *buf;        /* caller's buffer */
	size_t cap;       /* its size */
	size_t len;       /* bytes in buf not yet flushed */
	/* Called when buf is full and at whea_out_flush(); returns 0 or a WHEA_E* code. NULL: output
	 * past cap is counted in `total` but dropped, and `err` becomes WHEA_ENOSPACE. */
	int (*flush)(void *ctx, const char *p, size_t n);
	void *ctx;
	uint64_t total;   /* bytes produced so far (flushed or not, including dropped ones) */
	int err;          /* first error (sticky) */
} whea_out;

WHEA_API void whea_out_init(whea_out *o, char *buf, size_t cap, int (*flush)(void *, const char *, size_t), void *ctx);
WHEA_API void whea_out_write(whea_out *o, const char *p, size_t n);
WHEA_API int whea_out_flush(whea_out *o);

enum whea_json_flags {
	WHEA_JSON_PRETTY = 1,   /* indented, one member per line */
};
enum whea_text_flags {
	WHEA_TEXT_HEXDUMP = 1,  /* add a hex dump of every section */
};

/* Writes one record (parsed with whea_record_parse) as JSON / text. Diagnostics found while
 * decoding are included ("diagnostics" array in JSON). Return 0 or o->err. */
WHEA_API int whea_record_to_json(const whea_record *r, whea_out *o, unsigned flags);
WHEA_API int whea_record_to_text(const whea_record *r, whea_out *o, unsigned flags);

/* The diagnostics a writer put in its output, by severity. */
typedef struct whea_diag_counts {
	unsigned errors, warnings;
} whea_diag_counts;

/* As whea_record_to_json / whea_record_to_text, and *counts gets the number of error and warning
 * diagnostics written: the record-level ones and every section's. A caller that needs both the
 * output and the record's validity (a decoder's exit status) can then parse without
 * WHEA_PARSE_SECTIONS and walk the sections once, here, instead of twice. */
WHEA_API int whea_record_to_json_counted(const whea_record *r, whea_out *o, unsigned flags, whea_diag_counts *counts);
WHEA_API int whea_record_to_text_counted(const whea_record *r, whea_out *o, unsigned flags, whea_diag_counts *counts);

/* Writes the JSON Schema (draft 2020-12) of one record as whea_record_to_json writes it,
 * generated from the header, descriptor and every registered section table (docs/JSON.md;
 * docs/schema/whea-record.schema.json is its output for the built-in types). flags:
 * WHEA_JSON_PRETTY. Uses about 13 KiB of stack. Returns 0, o->err, or WHEA_ELIMIT when the
 * tables need more schema entries or nesting than the writer's fixed limits. */
WHEA_API int whea_schema_write(whea_out *o, unsigned flags);

/* JSON -> CPER. Parses one JSON record object (the format whea_record_to_json writes) and writes
 * the record into out (capacity cap); *outlen gets its length. If cap is too small returns
 * WHEA_ENOSPACE with *outlen = the needed size. Errors name the JSON path and byte offset
 * (whea_error_last()). scratch/scratchcap: working memory (nodes and strings); 0 = use the
 * built-in default (needs an allocator: not available in freestanding builds). */
WHEA_API int whea_json_to_record(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

#ifdef __cplusplus
}
#endif
#endif
