/* util/outbuf.h — inline fast paths over whea_out for the writers: when the caller's buffer has
 * room, bytes are stored straight into it with one capacity check; otherwise the call falls back
 * to whea_out_write (which flushes or counts dropped bytes), so the bytes produced are the same. */
#ifndef WHEA_UTIL_OUTBUF_H
#define WHEA_UTIL_OUTBUF_H

#include <stddef.h>
#include <string.h>

#include "util/compiler.h"
#include "util/fmt.h"
#include "whea/format.h"


/* memcpy for the short strings the writers mostly copy (keys, names, indentation): overlapping
 * fixed-size moves instead of a call; longer ones use memcpy. */
static inline void whea_copy_small(char *d, const char *s, size_t n)
{
	if (n >= 8) {
		if (n > 16) {
			memcpy(d, s, n);
			return;
		}
		memcpy(d, s, 8);
		memcpy(d + n - 8, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(d, s, 4);
		memcpy(d + n - 4, s + n - 4, 4);
	} else if (n) {
		d[0] = s[0];
		d[n / 2] = s[n / 2];
		d[n - 1] = s[n - 1];
	}
}

/* Copies n bytes as whole 16-byte blocks, at least two: reads and writes up to 32 bytes from the
 * start and up to 15 past n, so both sides must allow that (padded sources such as the compiled
 * keys, reserved room). */
static inline void whea_copy_blocks(char *d, const char *s, size_t n)
{
	memcpy(d, s, 16);
	memcpy(d + 16, s + 16, 16);
	for (size_t i = 32; i < n; i += 16)
		memcpy(d + i, s + i, 16);
}

/* Where n bytes can be stored directly, or NULL when the buffer has less room. */
static inline char *whea_out_room(whea_out *o, size_t n) { return n <= o->cap - o->len ? o->buf + o->len : NULL; }
/* Accounts for n bytes stored at whea_out_room(). */
static inline void whea_out_commit(whea_out *o, size_t n)
{
	o->len += n;
	o->total += n;
}
static inline void whea_out_put(whea_out *o, const char *p, size_t n)
{
	char *d = whea_out_room(o, n);
	if (d) {
		whea_copy_small(d, p, n);
		whea_out_commit(o, n);
	} else {
		whea_out_write(o, p, n);
	}
}
/* Writes v in decimal (straight into the buffer when 20 bytes fit). */
static inline void whea_out_dec(whea_out *o, uint64_t v)
{
	char b[20];
	char *d = whea_out_room(o, 20);
	if (d)
		whea_out_commit(o, whea_dec_inline(d, v));
	else
		whea_out_write(o, b, whea_dec_inline(b, v));
}
/* Writes one byte. */
static inline void whea_out_byte(whea_out *o, char c)
{
	if (o->len < o->cap) {
		o->buf[o->len++] = c;
		o->total++;
	} else {
		whea_out_write(o, &c, 1);
	}
}

#endif
