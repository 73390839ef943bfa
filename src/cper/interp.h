/* cper/interp.h — the field-table interpreter's output interface (the "sink") and entry points.
 *
 * decode: walks a whea_def over bytes and emits semantic events to a sink; the JSON writer, the
 * text printer and the validator are sinks. Diagnostics go to the sink's diag callback.
 *
 * Every member event carries the member's name as the interpreter compiled it (whea_skey: the
 * JSON key and the text label, zero-padded for whole 16-byte block copies), so writers look
 * nothing up per member. Besides one event per member (begin/end of objects and arrays, num,
 * enm, bits, boolean, guid, text, bytes, time), the walk batches what it can:
 *   scalars: a run of numbers, booleans and enums (whea_scalar: name and value);
 *   rows:    consecutive integer or enum rows of a struct, all there and valid: the sink reads the
 *            values itself (whea_skey off and mask, whea_skey_row);
 *   fields:  an integer with a bitfield layout of numbers, booleans and enums: begin, its value
 *            and members (whea_skey lo and mask, whea_skey_bits), end in one call;
 *   elems:   the elements of an array of integers of a fixed size.
 * Enum members of these carry their value names compiled (whea_skey.names, whea_skey_enum); FLAGS
 * and VALIDBITS members their bit names (whea_flagnames). A sink sees the same output whichever
 * form an event takes: a batch is exactly the sequence of single events it stands for. */
#ifndef WHEA_CPER_INTERP_H
#define WHEA_CPER_INTERP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/le.h"
#include "whea/record.h"
#include "whea/table.h"

/* Presentation hints a sink may use for GUID fields. */
enum whea_guid_role { WHEA_GUID_PLAIN = 0, WHEA_GUID_SECTION_TYPE, WHEA_GUID_NOTIFY_TYPE, WHEA_GUID_CREATOR };

/* A member's name as the interpreter's compiled tables keep it: the JSON key and the text label
 * (given, or derived from the key by whea_key_label), each of n characters followed by what
 * follows it in a member's line (the key by '": ', the label by ": ") and zero bytes up to
 * WHEA_SKEY_ROOM(n) (its whole 16-byte blocks and two more), so writers may copy them in whole
 * 16-byte blocks (whea_copy_blocks), separator included. Names made on the fly (walks without
 * compiled tables) are padded the same way when at most WHEA_SKEY_PAD_MAX characters long; a longer key or label
 * (only hand-made tables have them) may be the table's own string, which must be copied exactly;
 * run members always have compiled names. */
#define WHEA_SKEY_PAD_MAX 128
/* What a member of a run is (whea_skey.kind). */
enum { WHEA_SK_NUM = 0, WHEA_SK_BOOL, WHEA_SK_ENUM };
/* Room the fixed parts of an enum member of a run may take in a writer beyond its names: "unknown
 * (N)", and the JSON writer's object with its lines indented up to 32. */
#define WHEA_SKEY_ENUM_ROOM 224
struct whea_flagnames;
typedef struct whea_skey {
	const char *key, *text;
	uint32_t klen, tlen;
	uint32_t room;   /* max(klen, tlen); enum members: plus the room of their value names (the
	                    longest name or label, at least 9) and WHEA_SKEY_ENUM_ROOM */
	uint8_t kind;    /* runs: WHEA_SK_*; a boolean is true when v is not 0 */
	uint8_t fmt;     /* runs: integers' whea_fmt, never WHEA_FMT_BCDREV */
	uint8_t lo;      /* fields: the bitfield's lowest bit */
	uint32_t width;  /* runs: integers' width in bytes */
	uint32_t off;    /* rows: the member's offset in its struct */
	uint64_t mask;   /* fields: the bitfield's mask (after shifting by lo); rows: of the member's bytes;
	                    an enum's value names: the value */
	const struct whea_flagnames *names; /* enum members: their values' names (plain JSON strings) */
} whea_skey;

/* The value of bitfield k of v (sink.fields). */
static inline uint64_t whea_skey_bits(const whea_skey *k, uint64_t v) { return (v >> k->lo) & k->mask; }
/* The value of member k of the struct at p (sink.rows: 8 bytes from its offset are there). */
static inline uint64_t whea_skey_row(const whea_skey *k, const uint8_t *p) { return whea_le64(p + k->off) & k->mask; }

/* Bytes a padded name of n characters takes (its whole 16-byte blocks and two more). */
#define WHEA_SKEY_ROOM(n) ((((size_t)(n) + 15) & ~(size_t)15) + 32)

/* Defines name, a static whea_skey of the string literals k (JSON key) and t (text label). */
#define WHEA_SKEY_LIT(name, k, t)                                                                  \
	static const char name##_k[WHEA_SKEY_ROOM(sizeof(k))] = k "\": ",                                 \
			  name##_t[WHEA_SKEY_ROOM(sizeof(t))] = t ": ";                                     \
	static const whea_skey name = {name##_k, name##_t, sizeof(k) - 1, sizeof(t) - 1,                   \
				       (sizeof(k) > sizeof(t) ? sizeof(k) : sizeof(t)) - 1, 0, 0, 0, 0, 0, 0, NULL}

/* Room for one name made on the fly: key and text label, padded (see whea_skey). */
typedef struct whea_skey_buf {
	whea_skey k;
	char s[2 * WHEA_SKEY_ROOM(WHEA_SKEY_PAD_MAX)];
} whea_skey_buf;

/* The bit names of a FLAGS or VALIDBITS member, or the value names of an enum member of a run,
 * compiled (see whea_sink.bits, whea_skey.names). */
typedef struct whea_flagnames {
	/* FLAGS: the names in the table's order, each with lo its bit and mask 1 (mask 0 for a
	 * value beyond bit 63); VALIDBITS: the named bits in order; enums: the names in the table's
	 * order, mask the value. key: the name, text: its label. */
	const whea_skey *names;
	size_t n;
	size_t room; /* the sum of the names' room */
	const whea_skey *bybit[64]; /* the (first) name of each bit, NULL for none (not for enums) */
} whea_flagnames;

/* The name of value v of enum member k (kind WHEA_SK_ENUM), NULL for none (the first match). */
static inline const whea_skey *whea_skey_enum(const whea_skey *k, uint64_t v)
{
	for (size_t i = 0; i < k->names->n; i++)
		if (k->names->names[i].mask == v)
			return &k->names->names[i];
	return NULL;
}

/* One plain member of a run: its name and format, and its value. */
typedef struct whea_scalar {
	const whea_skey *k;
	uint64_t v;
} whea_scalar;

/* The name of a nameless member (an element of an array): key NULL, klen 0, an empty label. */
extern const whea_skey whea_skey_none;

/* Every member event carries the member's name k (see whea_skey; whea_skey_none for an element of
 * an array, never NULL); k points into the interpreter's tables, static data or the walk's stack, and is valid
 * for the duration of the call only. */
typedef struct whea_sink {
	void *ctx;
	void (*begin)(void *ctx, const whea_skey *k, bool array);
	void (*end)(void *ctx, bool array);
	void (*num)(void *ctx, const whea_skey *k, uint64_t v, int fmt, unsigned width);
	/* nlen: 0, or the length of a name that needs no escaping in a JSON string */
	void (*enm)(void *ctx, const whea_skey *k, uint64_t v, const char *name, size_t nlen, int fmt);
	/* FLAGS: names maps bit -> name, nlens their lengths (NULL: not known). VALIDBITS: def is the
	 * struct; names are extra bit names. fn: the same names compiled, or NULL. */
	void (*bits)(void *ctx, const whea_skey *k, uint64_t v, unsigned width, const whea_name *names,
		     const uint8_t *nlens, const whea_def *validdef, const whea_flagnames *fn);
	void (*boolean)(void *ctx, const whea_skey *k, bool v);
	void (*guid)(void *ctx, const whea_skey *k, const whea_guid *g, int role);
	void (*text)(void *ctx, const whea_skey *k, const uint8_t *p, size_t n);
	void (*bytes)(void *ctx, const whea_skey *k, const uint8_t *p, size_t n);
	void (*time)(void *ctx, const whea_skey *k, const uint8_t raw[8], int hint);
	void (*diag)(void *ctx, const whea_diag *d);
	/* n members in a row, as n calls of num, boolean or enm would give (the interpreter batches
	 * the common fixed integer and enum rows and bitfields so a writer can store them with one
	 * reservation); room: the sum of their names' room (whea_skey.room). */
	void (*scalars)(void *ctx, const whea_scalar *a, size_t n, size_t room);
	/* An integer shown with a bitfield layout whose members are all numbers, one-bit booleans
	 * and enums that are always there: the events begin(k), scalars(value: v, then bits[i]:
	 * whea_skey_bits(&bits[i], v) for i < n; room as there), end in one call. */
	void (*fields)(void *ctx, const whea_skey *k, const whea_skey *value, uint64_t v, const whea_skey *bits, size_t n,
		       size_t room);
	/* Consecutive integer and enum members of the struct at p, all present and valid: the events
	 * of scalars(k[i]: whea_skey_row(&k[i], p) for i < n; room as there) in one call. */
	void (*rows)(void *ctx, const whea_skey *k, size_t n, const uint8_t *p, size_t room);
	/* n elements of an array of integers, es (1 to 8) bytes each from p: the events
	 * num(&whea_skey_none, whea_leN(p + i * es, es), fmt, es) for i < n in one call. */
	void (*elems)(void *ctx, const uint8_t *p, size_t n, size_t es, int fmt);
	/* Optional (NULL: not wanted): a line for people derived from a struct's members, before
	 * them, e.g. k "PCI location" and text "0000:17:00.0" (whea_def.pci_loc). JSON leaves it
	 * out: its members already carry the values, and a derived key would not encode back. */
	void (*note)(void *ctx, const whea_skey *k, const char *text, size_t n);
	/* Only diagnostics are wanted (the validator): the walker skips value events and the rows
	 * that cannot report anything; diagnostics come in the same order as in a full walk. */
	bool diag_only;
} whea_sink;

/* The name of a section type's object (its key and name; "Unknown" / "Unknown section" for t
 * NULL), from a cache of padded names, or made in b when the cache is full. */
const whea_skey *whea_section_skey(const whea_section_type *t, whea_skey_buf *b);

/* Walks def over p[0..len); abs = offset of p in the record (for diagnostics); hint = timestamp
 * hint. Emits the struct's members (not a surrounding begin/end). Returns the bytes covered. */
size_t whea_interp_decode(const whea_sink *s, const whea_def *def, const uint8_t *p, size_t len,
			  uint64_t abs, int hint);

/* Decodes one section body (members of the section object): the def's rows, then
 * "trailingBytes" when the body is longer than the layout. Opaque types: "data". */
void whea_interp_section(const whea_sink *s, const whea_section_type *t, const uint8_t *p, size_t len,
			 uint64_t abs, int hint);

/* Walks a whole record (cper/walk.c): header, sectionDescriptors, sections, extraBytes. */
void whea_interp_record(const whea_sink *s, const whea_record *r);

/* Tests: false makes every walk run without the compiled tables (as when their arena is full),
 * which must give the same events; true (the default) uses them again. Not for concurrent use. */
void whea_interp_tables_enable(bool on);

/* Name of bit `bit` of a VALIDBITS row of def (derived from the rows it gates, or its names). */
const char *whea_validbit_name(const whea_def *def, unsigned bit);
/* The def's WHEA_K_VALIDBITS row, or NULL. */
const whea_field *whea_def_validbits_row(const whea_def *d);
/* Mask of the validation bits def defines. */
uint64_t whea_validbits_known(const whea_def *def);
/* Name for value v in names, or NULL. */
const char *whea_name_of(const whea_name *names, uint64_t v);
/* "physicalAddressMask" -> "Physical address mask" into buf; returns buf. */
const char *whea_key_label(const char *key, char *buf, size_t cap);

/* Whether d is a def of the built-in types (reached through sub and variants, not through select
 * hooks): it never goes away, so its compiled form serves every registry generation. */
bool whea_def_builtin(const whea_def *d);
/* Whether t is a built-in section type (its cached name serves every registry generation). */
bool whea_section_builtin(const whea_section_type *t);

/* Changes whenever a section type is unregistered (its tables may go away): caches keyed by
 * table pointers (the text writer's labels) drop entries of older generations. */
unsigned whea_registry_generation(void);

/* Whether the n bytes at key are WHEA_SECTION_KEY_UNKNOWN (the JSON readers' question). */
static inline bool whea_is_unknown_key(const char *key, size_t n)
{
	return n == sizeof WHEA_SECTION_KEY_UNKNOWN - 1 && memcmp(key, WHEA_SECTION_KEY_UNKNOWN, n) == 0;
}

/* Whether key needs no escaping in JSON (no quote, backslash or control character): the writers
 * copy keys as they are, so whea_def_check and whea_section_register refuse other keys. */
bool whea_key_plain(const char *key);
/* Whether name is ASCII, as enum value names and section type names must be (whea_def_check and
 * whea_section_register refuse others: JSON would show their bytes above 0x7f as \u0080..\u00ff). */
bool whea_name_ascii(const char *name);

/* Resolves def-level unions: the layout to use for these bytes (NULL = opaque). */
const whea_def *whea_def_resolve(const whea_def *d, const uint8_t *p, size_t len);
/* Layout of a row's sub (field-level select), NULL if none. */
const whea_def *whea_row_sub(const whea_field *f, const uint8_t *st, size_t len);

/* Whether t, decoded without error from raw, encodes back to exactly raw (what
 * whea_timestamp_encode and a comparison tell, without encoding BCD and binary dates). */
bool whea_ts_exact(const uint8_t raw[8], const whea_time *t);

#endif
