/* format/json_read.h — a small freestanding JSON reader: strict RFC 8259, no malloc, no stdio.
 *
 * The caller hands in all memory: an array of nodes and a byte buffer for strings that contain escapes.
 * Parsing is one pass, iterative (no recursion), and builds an index-based tree: node 0 is the root,
 * nodes are stored in document order (pre-order), children are linked through `child`/`next`.
 * Strings without escapes and number tokens point straight into the input text, so the text must
 * outlive the document. Every node remembers its byte offset; whea_json_path() names any node
 * ("$.sections[2].Memory.node") so errors can say exactly where the JSON is wrong.
 *
 * Strictness: no trailing commas, comments, single quotes, NaN/Infinity, leading zeros, unescaped
 * control characters, invalid escapes, lone UTF-16 surrogates, invalid UTF-8 (overlong forms, UTF-8
 * encoded surrogates, code points above U+10FFFF), duplicate keys in one object. "\u0000" is kept:
 * strings carry their length and are NOT NUL-terminated.
 *
 * Error reporting: every failure returns a negative WHEA_E* code and records the detail with
 * whea_error_set() (message, byte offset, JSON path). On failure the document holds a partial tree
 * that is only good for whea_json_path(). */
#ifndef WHEA_FORMAT_JSON_READ_H
#define WHEA_FORMAT_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest nesting of arrays/objects accepted; one level more is WHEA_ELIMIT. */
#define WHEA_JSON_MAX_DEPTH 64

/* Arena sizes that always suffice for len bytes of JSON text (so one parse never needs a retry):
 * every value takes at least one byte plus a separator, and decoded strings never grow. Invalid
 * input never needs more either: it is reported as a syntax error whatever the arena sizes. */
#define WHEA_JSON_NODES_FOR(len) ((len) / 2 + 1)
#define WHEA_JSON_STRBUF_FOR(len) (len)

typedef enum whea_jtype {
	WHEA_JNULL = 1,
	WHEA_JFALSE,
	WHEA_JTRUE,
	WHEA_JNUMBER,
	WHEA_JSTRING,
	WHEA_JARRAY,
	WHEA_JOBJECT
} whea_jtype;

typedef struct whea_jnode {
	uint8_t type;     /* whea_jtype */
	uint8_t reserved; /* 0 */
	uint16_t khash;   /* hash of the member key (internal: speeds up lookups and the duplicate check) */
	uint32_t off;     /* byte offset of the value's first character in the input */
	uint32_t parent;  /* index of the parent node; UINT32_MAX for the root (node 0) */
	uint32_t next;    /* index of the next sibling, 0 = none */
	uint32_t child;   /* first child of an array/object (always this node's index + 1), 0 = none */
	uint32_t count;   /* number of children of an array/object, 0 for scalars */
	union {
		uint32_t keylen; /* object members: byte length of key */
		uint32_t index;  /* array elements: position in the array (0-based); root: 0 */
	};
	uint32_t len;     /* byte length of str */
	const char *key;  /* object members: decoded key (UTF-8, NOT NUL-terminated); NULL otherwise */
	/* STRING: decoded value (escapes resolved, UTF-8, may contain NUL, NOT NUL-terminated).
	 * NUMBER, true, false, null: the raw token text. ARRAY, OBJECT: the raw text of the whole
	 * value from its bracket to the matching one (str == text + off). */
	const char *str;
} whea_jnode;

typedef struct whea_jdoc {
	const char *text;   /* the input given to the parser */
	size_t textlen;
	whea_jnode *nodes;  /* nodes[0] is the root */
	uint32_t nnodes;    /* nodes used */
	uint32_t max_nodes; /* capacity of nodes */
	char *strbuf;       /* decoded strings that contained escapes */
	size_t strcap;      /* capacity of strbuf */
	size_t strused;     /* bytes of strbuf used */
	/* What the whole document needs: set on success and on WHEA_ENOSPACE (then retry with arenas of
	 * exactly these sizes); 0 after other errors. */
	uint32_t need_nodes;
	size_t need_strbuf;
} whea_jdoc;

/* Parses text[0..len) (a complete JSON value with optional surrounding whitespace) into doc, using
 * nodes[0..max_nodes) and strbuf[0..strcap) as arenas (strings with no escapes point into text and
 * use no strbuf). WHEA_JSON_NODES_FOR(len) nodes and WHEA_JSON_STRBUF_FOR(len) bytes always suffice.
 * Returns 0, or:
 *   WHEA_ENOSPACE  the text is valid JSON but an arena is too small: doc->need_nodes and
 *                  doc->need_strbuf say exactly how much to retry with (the rest of the text is
 *                  still checked, so syntax errors win over WHEA_ENOSPACE; a duplicate key past the
 *                  point where the arena ran out shows up only on the retry);
 *   WHEA_EFORMAT   syntax error: the message says "line L, column C: expected X, got Y", the error's
 *                  offset is the byte offset and its path the JSON path where it happened;
 *   WHEA_ELIMIT    nesting deeper than WHEA_JSON_MAX_DEPTH, or len >= 4 GiB;
 *   WHEA_EJSON     a key appears twice in one object (message names the key, path the 2nd member);
 *   WHEA_EINVAL    doc is NULL, or a NULL arena/text with a non-zero size.
 * Anything but whitespace after the value is an error (see whea_json_parse_prefix for streams). */
int whea_json_parse(whea_jdoc *doc, const char *text, size_t len, whea_jnode *nodes, uint32_t max_nodes,
		    char *strbuf, size_t strcap);

/* Like whea_json_parse, but stops after the first complete value (leading whitespace is skipped) and
 * stores in *consumed how many bytes were used (up to the value's last byte; trailing whitespace is
 * left for the next call). For JSON Lines and concatenated JSON: call again on text + *consumed.
 * Node offsets are relative to text. Input holding only whitespace returns WHEA_ENOTFOUND with
 * *consumed = len (end of stream); on other errors *consumed is 0. */
int whea_json_parse_prefix(whea_jdoc *doc, const char *text, size_t len, size_t *consumed, whea_jnode *nodes,
			   uint32_t max_nodes, char *strbuf, size_t strcap);

/* Index of the member of object obj whose key is the NUL-terminated key, or 0 when there is none or obj
 * is not an object (0 is never a member: it is the root). Test for 0 before passing the result on:
 * whea_json_u64(d, 0, ...) would read the root. */
uint32_t whea_json_get(const whea_jdoc *d, uint32_t obj, const char *key);
/* Same with an explicit key length (keys may contain NUL). */
uint32_t whea_json_getn(const whea_jdoc *d, uint32_t obj, const char *key, size_t keylen);
/* Index of the i-th (0-based) child of array (or object) arr, or 0 when out of range / not a container. */
uint32_t whea_json_at(const whea_jdoc *d, uint32_t arr, uint32_t i);

/* Reads node n as an exact unsigned 64-bit integer. Accepts a JSON number made only of decimal digits,
 * and a string holding "0x"/"0X" followed by 1+ hex digits (leading zeros allowed) or decimal digits
 * (no sign, no spaces, no leading zeros). Rejects negative numbers, fractions, exponents (even 1.0 or
 * 1e3), values above 18446744073709551615 and every other type: WHEA_EJSON recorded with the node's
 * offset and path (whea_json_fail). *out is written only on success. */
int whea_json_u64(const whea_jdoc *d, uint32_t n, uint64_t *out);
/* Reads node n as true/false; anything else is WHEA_EJSON (with path). */
int whea_json_bool(const whea_jdoc *d, uint32_t n, bool *out);

/* Writes the JSON path of node n into buf (always NUL-terminated when cap > 0) and returns buf. Keys
 * that are identifiers ([A-Za-z_][A-Za-z0-9_]*) are written ".key", others ["key"] with JSON escapes;
 * array elements "[i]"; the root "$". When the path does not fit, leading segments are replaced by
 * "..." ("$...[3].node") so the most specific part is kept. An invalid n gives "". */
char *whea_json_path(const whea_jdoc *d, uint32_t n, char *buf, size_t cap);

/* Formats the message (printf subset: %d %i %u %x %X %o %c %s %p %% with flags, width, precision,
 * and the hh h l ll z j t length modifiers; no floating point) and records WHEA_EJSON with node n's
 * byte offset and JSON path via whea_error_set. Returns WHEA_EJSON. n may be invalid (no offset/path). */
int whea_json_fail(const whea_jdoc *d, uint32_t n, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Line and column of byte `at` of text (both 1-based, the column counted in characters), as syntax
 * errors state them ("line L, column C: "). */
void whea_json_linecol(const char *text, size_t at, unsigned long *line, unsigned long *col);

/* "null", "false", "true", "number", "string", "array", "object" (or "invalid"). */
const char *whea_json_type_name(int type);

#ifdef __cplusplus
}
#endif
#endif
