/* format/json_fast.h — internal: the JSON -> CPER fast path and the DOM path it falls back to.
 *
 * whea_json_to_record() first runs whea_json_fast_encode(): a streaming encoder that reads the JSON
 * text in the order json_write.c writes it, without building a node tree. Whenever the text is not
 * exactly what it expects (keys out of order, unknown keys, escapes it does not handle, unions,
 * errors of any kind) it gives up and the DOM path (json_encode.c) runs from the start, so results,
 * errors and output bytes are always the DOM path's. Both encoders take what they compute alike from
 * here (inline helpers: key and name lookups, a struct's view for hooks, array element sizes, layout
 * extents, timestamps), so the two cannot drift apart. */
#ifndef WHEA_FORMAT_JSON_FAST_H
#define WHEA_FORMAT_JSON_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "whea/record.h"
#include "whea/table.h"

/* 0: the record is in out[0..*outlen) (exactly what the DOM path would produce); 1: gave up, out
 * and *outlen untouched (run the DOM path). Never fails otherwise. */
int whea_json_fast_encode(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

/* whea_json_to_record() without the fast path (for tests and the fuzzer). */
int whea_json_to_record_dom(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

/* a[0..n) == b[0..n), for short keys (inline: cheaper than a call to memcmp); both encoders use it. */
static inline bool whea_json_same(const char *a, const char *b, size_t n)
{
	uint64_t u, v;
	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&u, a, 8), memcpy(&v, b, 8);
		if (u != v)
			return false;
	}
	if (n >= 4) {
		uint32_t p, q, r, t;
		memcpy(&p, a, 4), memcpy(&q, b, 4), memcpy(&r, a + n - 4, 4), memcpy(&t, b + n - 4, 4);
		return p == q && r == t;
	}
	for (; n; a++, b++, n--)
		if (*a != *b)
			return false;
	return true;
}

/* ---- what both encoders compute alike ------------------------------------------------------ */

/* Does v fit in an integer row of size bytes? */
static inline bool whea_json_fits(unsigned size, uint64_t v) { return size >= 8 || v < (1ull << (8 * size)); }

/* Of the len bytes at off of an output of cap bytes, how many lie within it. */
static inline size_t whea_json_avail(size_t cap, size_t off, size_t len)
{
	return off >= cap ? 0 : len < cap - off ? len : cap - off;
}

/* The bytes of the struct at out[off..off+len) that a hook may read (*avail of them). */
static inline const uint8_t *whea_json_view(const uint8_t *out, size_t cap, size_t off, size_t len, size_t *avail)
{
	*avail = whea_json_avail(cap, off, len);
	return out + (off < cap ? off : cap);
}

/* The size of one element of ARRAY row f, as far as the table says: f->size, else its layout's. */
static inline size_t whea_json_elem_fixed(const whea_field *f) { return f->size ? f->size : f->sub ? f->sub->size : 0; }

/* The size of an element of ARRAY row f with an elem_size hook, given the a bytes of it written so far
 * (at p) and ext, what its rows covered: what the hook reads from them, never less than ext. */
static inline size_t whea_json_elem_size(const whea_field *f, const uint8_t *p, size_t a, size_t ext)
{
	size_t es = a ? f->elem_size(p, a) : ext;
	return es == 0 || es < ext ? ext : es;
}

/* Does present row f, placed at off, end past the len bytes of its struct? (Arrays and open-ended
 * rows are bounded by len as they are written.) */
static inline bool whea_json_beyond(const whea_field *f, size_t off, size_t len)
{
	return f->kind != WHEA_K_ARRAY && f->size && off + f->size > len;
}

/* A layout's extent `end` after row f, which covered up to cursor (size bytes; given: from the JSON)
 * in a struct of len bytes (SIZE_MAX: open). Like the decoder, the layout covers every row that fits,
 * given or not. */
static inline size_t whea_json_extent(size_t end, const whea_field *f, size_t cursor, size_t size, bool given,
				      size_t len)
{
	return cursor > end && size && (given || (len != SIZE_MAX && f->kind != WHEA_K_ARRAY && cursor <= len)) ? cursor
														  : end;
}

/* The entry of names (ended by a NULL name) called s[0..n), or NULL. */
static inline const whea_name *whea_json_name(const whea_name *names, const char *s, size_t n)
{
	for (; names && names->name; names++)
		if (strlen(names->name) == n && memcmp(names->name, s, n) == 0)
			return names;
	return NULL;
}

/* The timestamp encoding called s[0..n) ("bcd", "binary", "unix"), or 0. */
static inline int whea_json_ts_encoding(const char *s, size_t n)
{
	for (int e = WHEA_TS_BCD; e <= WHEA_TS_UNIX; e++) {
		const char *name = whea_ts_encoding_name(e);
		if (strlen(name) == n && memcmp(name, s, n) == 0)
			return e;
	}
	return 0;
}

/* The date and time of "YYYY-MM-DDTHH:MM:SS" (s[0..n); the characters at 13 and 16 are not
 * checked) into *t; false when s is not of that form. */
static inline bool whea_json_time_text(const char *s, size_t n, whea_time *t)
{
	if (n != 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T')
		return false;
	for (int i = 0; i < 19; i++)
		if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && (s[i] < '0' || s[i] > '9'))
			return false;
#define WHEA_JSON_D2(i) ((unsigned)(s[i] - '0') * 10 + (unsigned)(s[(i) + 1] - '0'))
	t->year = (uint16_t)(WHEA_JSON_D2(0) * 100 + WHEA_JSON_D2(2)), t->month = (uint8_t)WHEA_JSON_D2(5);
	t->day = (uint8_t)WHEA_JSON_D2(8), t->hour = (uint8_t)WHEA_JSON_D2(11), t->minute = (uint8_t)WHEA_JSON_D2(14);
	t->second = (uint8_t)WHEA_JSON_D2(17);
#undef WHEA_JSON_D2
	return true;
}

#endif
