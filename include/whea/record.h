/* whea/record.h — CPER records: zero-copy parse with complete validation and diagnostics,
 * accessors, timestamps, and the builder (reserved extra space, add and grow sections). */
#ifndef WHEA_RECORD_H
#define WHEA_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whea/error.h"
#include "whea/export.h"
#include "whea/guid.h"
#include "whea/table.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WHEA_RECORD_HEADER_SIZE 128
#define WHEA_SECTION_DESC_SIZE 72
/* The record header's first four bytes, and where its 64-bit RecordID lies (spec 2.1). */
#define WHEA_RECORD_SIGNATURE "CPER"
#define WHEA_RECORD_ID_OFFSET 96

enum whea_severity {
	WHEA_SEV_RECOVERABLE = 0,
	WHEA_SEV_FATAL = 1,
	WHEA_SEV_CORRECTED = 2,
	WHEA_SEV_INFORMATIONAL = 3,
};
/* Name of a severity ("Fatal"); unknown values give "Unknown". */
WHEA_API const char *whea_severity_name(uint32_t sev);
/* Rank for "most severe" comparisons: fatal 3 > recoverable 2 > corrected 1 > informational 0;
 * unknown values rank as fatal (as Linux GHES treats them). */
WHEA_API int whea_severity_rank(uint32_t sev);

/* One diagnostic found while parsing or decoding. */
typedef struct whea_diag {
	int severity;        /* WHEA_DIAG_ERROR or WHEA_DIAG_WARNING */
	int code;            /* WHEA_ETRUNC, WHEA_EFORMAT, ... */
	uint64_t offset;     /* byte offset from the start of the record */
	const char *msg;     /* borrowed: valid during the callback only */
} whea_diag;
typedef void (*whea_diag_fn)(void *ctx, const whea_diag *d);

/* A parsed record: a view of the caller's bytes (nothing is copied). */
typedef struct whea_record {
	const uint8_t *data;   /* borrowed: the record's first byte */
	size_t len;            /* bytes usable: min(RecordLength, buffer length) */
	size_t buflen;         /* the buffer length given to parse */
	uint32_t record_length;/* the header's RecordLength */
	uint16_t section_count;/* sections whose descriptor lies inside the buffer */
	unsigned errors;       /* error diagnostics found by parse */
	unsigned warnings;
	unsigned flags;        /* the parse flags */
} whea_record;

enum whea_parse_flags {
	/* Decode what can be decoded and report the rest; parse fails only when there is no
	 * usable record header at all. Without it, any error diagnostic fails the parse. */
	WHEA_PARSE_TOLERANT = 1,
	/* Also decode every section body during parse, so its diagnostics are reported. */
	WHEA_PARSE_SECTIONS = 2,
};

/* Parses and validates the record at buf. Every problem is reported to fn (may be NULL) with
 * its byte offset. Returns 0, or WHEA_ETRUNC / WHEA_EFORMAT (details in whea_error_last()). */
WHEA_API int whea_record_parse(whea_record *r, const void *buf, size_t buflen, unsigned flags,
			       whea_diag_fn fn, void *ctx);

/* Header accessors (the record must have at least 128 bytes, which parse guarantees). */
WHEA_API uint16_t whea_record_revision(const whea_record *r);
WHEA_API uint32_t whea_record_severity(const whea_record *r);
WHEA_API uint32_t whea_record_validation_bits(const whea_record *r);
WHEA_API uint64_t whea_record_id(const whea_record *r);
WHEA_API uint32_t whea_record_flags(const whea_record *r);
WHEA_API void whea_record_creator(const whea_record *r, whea_guid *out);
WHEA_API void whea_record_notify_type(const whea_record *r, whea_guid *out);

/* A section descriptor, decoded. */
typedef struct whea_section_desc {
	uint32_t offset, length;
	uint16_t revision;
	uint8_t validation_bits;
	uint32_t flags;
	whea_guid type;
	whea_guid fru_id;
	uint32_t severity;
	char fru_text[21];             /* NUL-terminated copy */
	const uint8_t *body;           /* borrowed; NULL when the body lies outside the record */
	const whea_section_type *known;/* registered type, or NULL */
} whea_section_desc;

/* Returns 0, or WHEA_ENOTFOUND when i >= section_count. */
WHEA_API int whea_record_section(const whea_record *r, unsigned i, whea_section_desc *out);
/* Index of the first section of the given type at or after `from`, or -1. */
WHEA_API int whea_record_find_section(const whea_record *r, const whea_guid *type, unsigned from);

/* Timestamps (spec 3.1): UEFI writes BCD, Windows plain binary, Linux pstore Unix seconds. */
enum whea_ts_encoding { WHEA_TS_BCD = 1, WHEA_TS_BINARY, WHEA_TS_UNIX, WHEA_TS_INVALID };
enum whea_ts_hint { WHEA_TS_HINT_NONE = 0, WHEA_TS_HINT_WINDOWS, WHEA_TS_HINT_PSTORE };
typedef struct whea_time {
	uint16_t year;
	uint8_t month, day, hour, minute, second;
	bool precise;
	uint8_t encoding;  /* whea_ts_encoding */
} whea_time;
WHEA_API const char *whea_ts_encoding_name(int enc); /* "bcd", "binary", "unix", "invalid" */
/* Decodes 8 timestamp bytes; hint comes from the creator (whea_ts_hint_for_creator). Returns 0
 * or WHEA_EFORMAT when no reading gives a valid date (out->encoding = WHEA_TS_INVALID). */
WHEA_API int whea_timestamp_decode(const uint8_t raw[8], int hint, whea_time *out);
/* Encodes t in t->encoding (BCD, BINARY or UNIX). Returns 0 or WHEA_EINVAL. */
WHEA_API int whea_timestamp_encode(uint8_t raw[8], const whea_time *t);
WHEA_API int whea_ts_hint_for_creator(const whea_guid *creator);

/* Well-known GUIDs. */
WHEA_API extern const whea_guid WHEA_CREATOR_WINDOWS;       /* cf07c4bd-b789-4e18-b3c4-1f732cb57131 */
WHEA_API extern const whea_guid WHEA_CREATOR_DEVICE_DRIVER; /* 57217c8d-5e66-44fb-8033-9b74cacedf5b */
WHEA_API extern const whea_guid WHEA_CREATOR_LINUX_PSTORE;  /* 75a574e3-5052-4b29-8a8e-be2c6490b89d */
WHEA_API extern const whea_guid WHEA_CREATOR_OPENWHEA;      /* openwhea's own creator id */
/* Name of a notification-type GUID ("CMC", "MCE", ...) or NULL. */
WHEA_API const char *whea_notify_type_name(const whea_guid *g);
/* Name of a creator GUID or NULL. */
WHEA_API const char *whea_creator_name(const whea_guid *g);
/* The notification types by name (for the builder and the CLI); i from 0 until NULL. */
WHEA_API const char *whea_notify_type_at(size_t i, whea_guid *out);

/* The record header and descriptor layouts as tables (used by the writers and the JSON reader). */
WHEA_API extern const whea_def whea_def_record_header;
WHEA_API extern const whea_def whea_def_section_descriptor;

/* ---- Building records (spec 2, "extra buffer space"). ---------------------------------------
 * The builder works inside a caller buffer: it reserves room for max_sections descriptors and
 * places bodies after that; the rest of the buffer is spare space to add sections later or grow
 * one. Header length, section count, offsets and severity are kept consistent at every step. */
typedef struct whea_builder {
	uint8_t *buf;
	size_t cap;
	uint16_t max_sections;
	size_t used;   /* end of the last body */
} whea_builder;

/* The header values for whea_builder_init. Start from WHEA_RECORD_INIT_DEFAULTS and set what you
 * need, e.g.
 *     whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
 *     init.severity = WHEA_SEV_CORRECTED;
 *     init.record_id = whea_record_id_next(&ids, now);
 * The defaults are size = sizeof(whea_record_init) and version = WHEA_RECORD_INIT_VERSION (taken
 * where the caller compiles, so a program built against this header keeps telling the library
 * which layout it has), and zero for every other field: severity WHEA_SEV_RECOVERABLE (0), zero
 * creator, notification type, platform and partition ids (the last two then stay invalid in the
 * validation bits), record id 0, flags 0, no timestamp, RecordLength = the bytes used. Fields only
 * ever grow at the end. */
#define WHEA_RECORD_INIT_VERSION 1
#define WHEA_RECORD_INIT_DEFAULTS {.size = sizeof(whea_record_init), .version = WHEA_RECORD_INIT_VERSION}
typedef struct whea_record_init {
	uint32_t size, version;     /* sizeof(whea_record_init), WHEA_RECORD_INIT_VERSION */
	uint32_t severity;          /* header severity; raised automatically by more severe sections */
	whea_guid creator, notify_type, platform_id, partition_id;
	uint64_t record_id;         /* e.g. from whea_record_id_next() */
	uint32_t flags;
	bool has_timestamp;
	whea_time timestamp;
	bool record_length_is_capacity; /* RecordLength covers the whole buffer (slack included) */
} whea_record_init;

WHEA_API int whea_builder_init(whea_builder *b, void *buf, size_t cap, uint16_t max_sections,
			       const whea_record_init *init);
/* Continue building an existing valid record in a buffer of capacity cap. */
WHEA_API int whea_builder_attach(whea_builder *b, void *buf, size_t cap);
/* Adds a section of `length` zeroed bytes; *body (optional) receives a pointer to fill.
 * Returns the section index (>= 0) or WHEA_ENOSPACE / WHEA_ELIMIT. */
WHEA_API int whea_builder_add_section(whea_builder *b, const whea_guid *type, uint32_t length,
				      uint32_t severity, uint32_t desc_flags, uint8_t **body);
/* Grows section idx to new_length (zero-filled), moving later bodies. WHEA_ENOSPACE if the
 * spare space is too small; shrinking is refused (WHEA_EINVAL). */
WHEA_API int whea_builder_grow_section(whea_builder *b, unsigned idx, uint32_t new_length, uint8_t **body);
WHEA_API int whea_builder_set_fru(whea_builder *b, unsigned idx, const whea_guid *fru_id, const char *fru_text);
/* Length of the finished record (the header's RecordLength). */
WHEA_API size_t whea_builder_length(const whea_builder *b);

/* Record ids unique across restarts (spec 13): seconds since the epoch in the high 32 bits and a
 * counter, never below last_known + 1. The state is caller-owned: persist `last` to survive
 * restarts in the same second. */
typedef struct whea_recid_state {
	uint64_t last;
} whea_recid_state;
WHEA_API uint64_t whea_record_id_next(whea_recid_state *s, uint64_t unix_seconds);

#ifdef __cplusplus
}
#endif
#endif
