/* whea/table.h — the declarative description of CPER section layouts.
 *
 * Every section type is described ONCE by a whea_def: an array of field rows (offset, width, kind,
 * validation bit, names). One interpreter (src/cper/interp.c) walks that description to decode, to
 * validate, to print text and JSON, to encode JSON back to bytes, to generate the JSON Schema and
 * random records. Plug-ins describe vendor sections with the same structures and register them with
 * whea_section_register(). See docs/SECTION-TABLES.md for the rules. */
#ifndef WHEA_TABLE_H
#define WHEA_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whea/export.h"
#include "whea/guid.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Diagnostic severities (used by whea_def.check and the record parser). */
enum whea_diag_severity { WHEA_DIAG_ERROR = 1, WHEA_DIAG_WARNING = 2 };

/* A value -> name pair. ENUM: value is the numeric value. FLAGS and bit sets: value is the bit
 * number. Arrays of names end with {0, NULL}. The name is a camelCase key-like word used in JSON
 * (and accepted back by the encoder); the text printer shows it as words. */
typedef struct whea_name {
	uint64_t value;
	const char *name;
} whea_name;

typedef enum whea_kind {
	WHEA_K_UINT = 1,     /* unsigned little-endian integer, size 1, 2, 4 or 8; bitfields via sub->bits */
	WHEA_K_ENUM,         /* unsigned integer with value names (names) */
	WHEA_K_FLAGS,        /* unsigned integer whose bits are named (names: bit number -> name) */
	WHEA_K_VALIDBITS,    /* the struct's validation-bits field; bit names come from the rows it gates */
	WHEA_K_BOOL,         /* only in bitfields: one bit */
	WHEA_K_GUID,         /* 16 bytes */
	WHEA_K_BYTES,        /* opaque bytes; size 0 = up to the end of the enclosing struct */
	WHEA_K_ASCII,        /* fixed-length text, not necessarily NUL-terminated; size 0 = to the end */
	WHEA_K_TIMESTAMP,    /* 8-byte CPER timestamp (BCD or binary, detected) */
	WHEA_K_STRUCT,       /* nested struct: layout in sub (or chosen by select); size 0 = to the end */
	WHEA_K_ARRAY,        /* array of structs of layout sub (sub NULL: of unsigned integers of `size`
	                        bytes, shown with fmt); count from count() or fixed `count_fixed` */
	WHEA_K_RESERVED,     /* should be zero; shown only when it is not (with a warning) */
} whea_kind;

typedef enum whea_fmt {
	WHEA_FMT_DEC = 0, /* decimal */
	WHEA_FMT_HEX,     /* 0x-prefixed hex, minimal digits */
	WHEA_FMT_ADDR,    /* 0x-prefixed hex padded to the field width (addresses, register values) */
	WHEA_FMT_BCDREV,  /* 2-byte revision: byte1 = major, byte0 = minor; JSON {"major","minor"} */
	WHEA_FMT_CODE,    /* ENUM shown in JSON as {"code","name"} (libcper's severity form) */
} whea_fmt;

/* WHEA_V(n): the row is valid only when bit n of the struct's WHEA_K_VALIDBITS row is set.
 * Stored as n + 1 so that 0 (the default of a designated initializer) means "not gated". */
#define WHEA_V(n) ((uint8_t)((n) + 1))

/* Row offset that means "right after the previous row" (for rows that follow a variable-length
 * array, e.g. the x86 context structures after the error-information array). */
#define WHEA_OFF_NEXT UINT32_MAX

/* One named bit range inside an integer field. */
typedef struct whea_bitfield {
	const char *key;          /* JSON key, camelCase */
	const char *label;        /* text label; NULL = derived from key */
	uint8_t lo;               /* lowest bit */
	uint8_t width;            /* number of bits (1..64) */
	uint8_t kind;             /* WHEA_K_UINT, WHEA_K_ENUM, WHEA_K_BOOL or WHEA_K_FLAGS */
	uint8_t fmt;              /* whea_fmt */
	uint8_t valid;            /* WHEA_V(n): gated by bit n OF THE SAME INTEGER (x86 check info); 0 = not */
	const whea_name *names;   /* ENUM / FLAGS names */
} whea_bitfield;

struct whea_def;

/* Hooks receive the bytes of the enclosing struct (st, len = bytes available from st). */
typedef const struct whea_def *(*whea_select_fn)(const uint8_t *st, size_t len);
typedef size_t (*whea_count_fn)(const uint8_t *st, size_t len);
/* Size of one variable-length array element starting at elem (avail bytes left); 0 = malformed. */
typedef size_t (*whea_elem_size_fn)(const uint8_t *elem, size_t avail);

typedef struct whea_field {
	const char *key;          /* JSON key, camelCase (libcper's key where libcper has the field) */
	const char *label;        /* text label; NULL = derived from key ("physicalAddress" -> "Physical address") */
	uint32_t off;             /* byte offset in the enclosing struct, or WHEA_OFF_NEXT */
	uint32_t size;            /* width in bytes. BYTES: 0 = to the end. ARRAY: element size (0 = sub->size or elem_size()) */
	uint8_t kind;             /* whea_kind */
	uint8_t fmt;              /* whea_fmt for integers */
	uint8_t valid;            /* WHEA_V(n) or 0 */
	const whea_name *names;   /* ENUM / FLAGS names. VALIDBITS: names of bits that gate no whole row */
	const struct whea_def *sub;   /* STRUCT / ARRAY element layout; UINT: bitfield layout (sub->bits) */
	whea_select_fn select;        /* optional: choose sub from the ENCLOSING struct's bytes (a union
	                                 discriminated by an earlier row, e.g. x86 check info by GUID) */
	whea_count_fn count;          /* ARRAY: element count from the enclosing struct */
	uint32_t count_fixed;         /* ARRAY: fixed element count when count is NULL */
	whea_elem_size_fn elem_size;  /* ARRAY: size of a variable-length element */
} whea_field;

/* Where a struct keeps a PCI function's address, so that text output can show it in the usual
 * SSSS:BB:DD.F notation besides the separate fields. Offsets are stored plus one (0 = not there):
 * either one byte each for bus, device and function, or a 16-bit routing ID (bus in bits 15:8,
 * device 7:3, function 2:0); the segment, when there, is seg_size (1 or 2) bytes. */
typedef struct whea_pci_loc {
	uint8_t seg, seg_size;
	uint8_t bus, dev, fn;
	uint8_t rid;
} whea_pci_loc;

/* A struct layout (a section body, a nested structure) or an integer's bitfield layout. */
typedef struct whea_def {
	const char *name;             /* human name, e.g. "Platform memory error" */
	uint32_t size;                /* extent of the fixed rows (the "full" size of this revision) */
	uint32_t min_size;            /* smallest accepted size (older layouts); 0 = size */
	const whea_field *fields;
	uint16_t nfields;
	const whea_bitfield *bits;    /* integer layouts only */
	uint16_t nbits;
	/* Optional: this def is a union; the layout to use is select(own bytes, len) (e.g. the WHEA
	 * packet by its signature, XPF MCA by version). Returning NULL = decode as bytes. */
	whea_select_fn select;
	/* With select: every layout select can return, NULL-terminated. The JSON encoder tries them in
	 * turn and keeps the one select agrees with once the bytes are written. */
	const struct whea_def *const *variants;
	/* Optional extra semantic check of a decoded struct; reports through the diag callback.
	 * base = absolute offset of st in the record, for diagnostics. */
	void (*check)(const uint8_t *st, size_t len, uint64_t base,
		      void (*diag)(void *ctx, int severity, uint64_t off, const char *msg), void *ctx);
	/* Optional: the struct holds a PCI address (text output adds a "PCI location" line). */
	const whea_pci_loc *pci_loc;
} whea_def;

#define WHEA_NFIELDS(a) ((uint16_t)(sizeof(a) / sizeof((a)[0])))

/* A section type: GUID, names and layout. */
typedef struct whea_section_type {
	whea_guid guid;
	const char *name;             /* "Platform Memory" */
	const char *key;              /* JSON key of the section object, e.g. "Memory" (libcper's) */
	const whea_def *def;          /* NULL = opaque: decoded as bytes */
	const whea_guid *alt_guid;    /* another byte encoding of the same type (CXL events), or NULL */
} whea_section_type;

/* The JSON key of a section whose type nobody registered (its body is kept as bytes); no
 * registered type may take it. */
#define WHEA_SECTION_KEY_UNKNOWN "Unknown"

/* Registry. Built-in types are always present. whea_section_register() adds a vendor
 * (platform-specific) type at run time; call it before decoding starts (not thread-safe against
 * concurrent lookups). The pointer is borrowed and must stay valid. Returns 0, WHEA_EEXIST (GUID
 * taken), WHEA_ELIMIT (table full) or WHEA_EINVAL (a table that fails whea_def_check). */
WHEA_API int whea_section_register(const whea_section_type *t);
WHEA_API int whea_section_unregister(const whea_guid *g);
WHEA_API const whea_section_type *whea_section_lookup(const whea_guid *g);
WHEA_API const whea_section_type *whea_section_by_key(const char *key, size_t len);
/* All known types, built-in first; i from 0 until NULL. */
WHEA_API const whea_section_type *whea_section_at(size_t i);

/* Table self-check: rows inside size, no overlaps, unique keys, validation bits used once,
 * names unique. Writes a description of the first problem into msg. Returns 0 or WHEA_EINVAL. */
WHEA_API int whea_def_check(const whea_def *d, char *msg, size_t msgcap);

#ifdef __cplusplus
}
#endif
#endif
