/* format/json_write.c — the JSON writer: a sink for the table interpreter that streams JSON into a
 * whea_out buffer. Key names follow libcper where it has the field (docs/JSON.md). Freestanding:
 * no allocator, no stdio. Every 64-bit integer is written exactly as a JSON number. */
#include <string.h>

#include "cper/interp.h"
#include "util/base64.h"
#include "util/fmt.h"
#include "util/outbuf.h"
#include "whea/format.h"

#define JW_MAX_DEPTH 40
#define JW_MAX_DIAGS 32

typedef struct jw {
	whea_out *o;
	bool pretty;
	int depth;
	bool first[JW_MAX_DEPTH];
	/* Diagnostics are collected and written at the end of the record. */
	unsigned ndiag, dropped;
	struct {
		int sev, code;
		uint64_t off;
		char msg[160];
	} diag[JW_MAX_DIAGS];
} jw;

static inline void put(jw *w, const char *s, size_t n) { whea_out_put(w->o, s, n); }
#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

/* "\n" and up to 80 spaces of indentation. */
static const char nl_spaces[] = "\n                                                                                ";

/* The same, padded: short indentations (up to 32 bytes with the newline) are stored as one
 * 32-byte copy where the room for the longest one is reserved anyway. */
static const char nl_pad[33] = "\n                               ";

/* Stores the newline and indentation of n bytes at p (room for sizeof nl_spaces checked). */
static WHEA_ALWAYS_INLINE void put_newline_at(char *p, size_t n)
{
	if (n <= 32)
		memcpy(p, nl_pad, 32);
	else
		whea_copy_small(p, nl_spaces, n);
}

static inline size_t newline_len(const jw *w)
{
	size_t n = 1 + 2 * (size_t)w->depth;
	return n < sizeof nl_spaces - 1 ? n : sizeof nl_spaces - 1;
}

static void newline(jw *w) { put(w, nl_spaces, newline_len(w)); }

/* Separator and key for the next member (key NULL inside arrays), slow path. */
static void member_slow(jw *w, const char *key, size_t klen)
{
	if (!w->first[w->depth])
		PUTS(w, ",");
	w->first[w->depth] = false;
	if (w->pretty)
		newline(w);
	if (key) {
		PUTS(w, "\"");
		put(w, key, klen);
		if (w->pretty)
			PUTS(w, "\": ");
		else
			PUTS(w, "\":");
	}
}

/* Room for a member's separator, newline and indentation, and quoted key. */
#define KEY_ROOM(klen) (1 + (sizeof nl_spaces - 1) + (klen) + 4)

/* Newline and indentation for a member at depth (pretty only). */
static WHEA_ALWAYS_INLINE char *p_newline(const jw *w, char *p, int depth)
{
	if (w->pretty) {
		size_t n = 1 + 2 * (size_t)depth;
		if (n > sizeof nl_spaces - 1)
			n = sizeof nl_spaces - 1;
		put_newline_at(p, n);
		p += n;
	}
	return p;
}

/* Separator, indentation and the key key + suffix of a member at depth, stored at p; returns the
 * end. The caller has checked the room (KEY_ROOM). */
static WHEA_ALWAYS_INLINE char *p_key2(const jw *w, char *p, int depth, bool first, const char *key, size_t klen,
			   const char *suffix, size_t slen)
{
	if (!first)
		*p++ = ',';
	p = p_newline(w, p, depth);
	*p++ = '"';
	whea_copy_small(p, key, klen);
	p += klen;
	whea_copy_small(p, suffix, slen);
	p += slen;
	*p++ = '"';
	*p++ = ':';
	if (w->pretty)
		*p++ = ' ';
	return p;
}

static WHEA_ALWAYS_INLINE char *p_key(const jw *w, char *p, int depth, bool first, const char *key, size_t klen)
{
	return p_key2(w, p, depth, first, key, klen, "", 0);
}

/* Reserves room for the separator and key of the next member plus `extra` bytes of its value,
 * and stores the former; returns where the value goes (finish with done_at), or NULL, having
 * written nothing, when the buffer lacks the room. */
static WHEA_ALWAYS_INLINE char *member_at(jw *w, const char *key, size_t klen, size_t extra)
{
	char *p = whea_out_room(w->o, KEY_ROOM(klen) + extra);
	if (!p)
		return NULL;
	bool first = w->first[w->depth];
	w->first[w->depth] = false;
	if (key)
		return p_key(w, p, w->depth, first, key, klen);
	if (!first)
		*p++ = ',';
	return p_newline(w, p, w->depth);
}

/* Accounts for everything stored up to end (a pointer from member_at). */
static inline void done_at(jw *w, char *end) { whea_out_commit(w->o, (size_t)(end - (w->o->buf + w->o->len))); }

/* Separator and key for the next member. */
static void member_n(jw *w, const char *key, size_t klen)
{
	char *p = member_at(w, key, klen, 0);
	if (p)
		done_at(w, p);
	else
		member_slow(w, key, klen);
}

static inline void member(jw *w, const char *key) { member_n(w, key, key ? strlen(key) : 0); }
/* A literal key. */
#define MEMBER_LIT(w, lit) member_n((w), (lit), sizeof(lit) - 1)

static void open_n(jw *w, const char *key, size_t klen, char c)
{
	char *p = member_at(w, key, klen, 1);
	if (p) {
		*p++ = c;
		done_at(w, p);
	} else {
		member_slow(w, key, klen);
		whea_out_byte(w->o, c);
	}
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static inline void open_(jw *w, const char *key, char c) { open_n(w, key, key ? strlen(key) : 0, c); }

/* Newline, indentation and bracket c (pretty, non-empty container), in one reservation. */
static void close_pretty(jw *w, char c)
{
	char *p = whea_out_room(w->o, sizeof nl_spaces + 1);
	if (p) {
		p = p_newline(w, p, w->depth);
		*p++ = c;
		done_at(w, p);
		return;
	}
	newline(w);
	whea_out_byte(w->o, c);
}

static void close_(jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (w->pretty && !empty) {
		close_pretty(w, c);
		return;
	}
	whea_out_byte(w->o, c);
}

static void u64(jw *w, uint64_t v) { whea_out_dec(w->o, v); }

static WHEA_ALWAYS_INLINE void num_member_n(jw *w, const char *key, size_t klen, uint64_t v)
{
	char *p = member_at(w, key, klen, 20);
	if (p) {
		done_at(w, p + whea_dec_inline(p, v));
		return;
	}
	member_slow(w, key, klen);
	u64(w, v);
}
#define NUM_MEMBER_LIT(w, lit, v) num_member_n((w), (lit), sizeof(lit) - 1, (v))

static inline void num_member(jw *w, const char *key, uint64_t v) { num_member_n(w, key, key ? strlen(key) : 0, v); }

static void bool_value(jw *w, bool v)
{
	if (v)
		PUTS(w, "true");
	else
		PUTS(w, "false");
}

static WHEA_ALWAYS_INLINE void bool_member_n(jw *w, const char *key, size_t klen, bool v)
{
	char *p = member_at(w, key, klen, 5);
	if (!p) {
		member_slow(w, key, klen);
		bool_value(w, v);
		return;
	}
	if (v)
		memcpy(p, "true", 4), p += 4;
	else
		memcpy(p, "false", 5), p += 5;
	done_at(w, p);
}

/* Bytes a JSON string needs escaped: 1 = as \" or \\, 2 = as \u00XX. */
static const uint8_t esc_class[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* JSON string of raw bytes at q (room for 6 * n + 2 bytes); returns its end. Printable ASCII as
 * is, everything else as \u00XX (bytes map to code points 0..255, so the reader can restore them
 * exactly). */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* Non-zero when one of the 8 bytes of v is zero. */
static inline uint64_t zero_byte8(uint64_t v) { return (v - ONES) & ~v & HIGHS; }
/* Non-zero when one of the 8 bytes in x needs escaping: below 0x20, 0x7f and up, '"' or '\\'. */
static inline uint64_t needs_escape8(uint64_t x)
{
	return ((x - ONES * 0x20) & ~x & HIGHS) | (x & HIGHS) | zero_byte8(x ^ (ONES * '"')) |
	       zero_byte8(x ^ (ONES * '\\')) | zero_byte8(x ^ (ONES * 0x7f));
}

static char *str_at(char *q, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	*q++ = '"';
	size_t i = 0;
	for (; i + 8 <= n; i += 8) { /* blocks of 8 that need no escape are copied whole */
		uint64_t x;
		memcpy(&x, p + i, 8);
		if (needs_escape8(x))
			break;
		memcpy(q, &x, 8);
		q += 8;
	}
	for (; i < n; i++) {
		uint8_t c = p[i];
		if (!esc_class[c]) {
			*q++ = (char)c;
		} else if (esc_class[c] == 1) {
			*q++ = '\\', *q++ = (char)c;
		} else {
			q[0] = '\\', q[1] = 'u', q[2] = '0', q[3] = '0', q[4] = hex[c >> 4], q[5] = hex[c & 15];
			q += 6;
		}
	}
	*q++ = '"';
	return q;
}

static void str_bytes(jw *w, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char *d = n < 4096 ? whea_out_room(w->o, 6 * n + 2) : NULL;
	if (d) { /* worst case fits: escape in place */
		whea_out_commit(w->o, (size_t)(str_at(d, p, n) - d));
		return;
	}
	PUTS(w, "\"");
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (!esc_class[c])
			continue;
		put(w, (const char *)p + run, i - run);
		run = i + 1;
		if (esc_class[c] == 1) {
			char e[2] = {'\\', (char)c};
			put(w, e, 2);
		} else {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			put(w, e, 6);
		}
	}
	put(w, (const char *)p + run, n - run);
	PUTS(w, "\"");
}

/* ---- Small objects in one go: when the buffer has room for their worst case, these store
 * the same bytes as the member-by-member path with one capacity check. Inner members are at
 * depth + 1 of the object's own member; the object is never empty. */
#define CLOSE_ROOM (sizeof nl_spaces)

static inline char *p_close(const jw *w, char *p, int depth, char c)
{
	p = p_newline(w, p, depth);
	*p++ = c;
	return p;
}

/* The object member `key`, opened with room for `inner` more bytes: returns where its first inner
 * member goes, or NULL (nothing written) to take the slow path. */
static inline char *object_at(jw *w, const char *key, size_t klen, size_t inner)
{
	if (w->depth + 1 >= JW_MAX_DEPTH)
		return NULL;
	char *p = member_at(w, key, klen, 1 + inner + CLOSE_ROOM);
	if (p)
		*p++ = '{';
	return p;
}

static void str(jw *w, const char *s) { str_bytes(w, (const uint8_t *)s, strlen(s)); }

static void j_begin(void *ctx, const char *key, size_t klen, const char *label, bool array)
{
	(void)label;
	open_n(ctx, key, klen, array ? '[' : '{');
}

static void j_end(void *ctx, bool array) { close_(ctx, array ? ']' : '}'); }

static void j_num(void *ctx, const char *key, size_t klen, const char *label, uint64_t v, int fmt, unsigned width)
{
	jw *w = ctx;
	(void)label, (void)width;
	if (fmt == WHEA_FMT_BCDREV) {
		char *p = object_at(w, key, klen, 2 * (KEY_ROOM(5) + 3));
		if (p) {
			int d = w->depth;
			p = p_key(w, p, d + 1, true, "major", 5);
			p += whea_dec_inline(p, (v >> 8) & 0xff);
			p = p_key(w, p, d + 1, false, "minor", 5);
			p += whea_dec_inline(p, v & 0xff);
			done_at(w, p_close(w, p, d, '}'));
			return;
		}
		open_n(w, key, klen, '{');
		NUM_MEMBER_LIT(w, "major", (v >> 8) & 0xff);
		NUM_MEMBER_LIT(w, "minor", v & 0xff);
		close_(w, '}');
		return;
	}
	num_member_n(w, key, klen, v);
}

static void j_enm(void *ctx, const char *key, size_t klen, const char *label, uint64_t v, const char *name,
		  size_t plain, int fmt)
{
	jw *w = ctx;
	(void)label;
	size_t nlen = plain ? plain : name ? strlen(name) : 0;
	char *p = nlen < 1024 ? object_at(w, key, klen, KEY_ROOM(5) + 20 + KEY_ROOM(4) + 6 * nlen + 60) : NULL;
	if (p) {
		int d = w->depth;
		if (fmt == WHEA_FMT_CODE)
			p = p_key(w, p, d + 1, true, "code", 4);
		else
			p = p_key(w, p, d + 1, true, "value", 5);
		p += whea_dec_inline(p, v);
		p = p_key(w, p, d + 1, false, "name", 4);
		if (plain) { /* nothing to escape */
			*p++ = '"';
			whea_copy_small(p, name, nlen);
			p += nlen;
			*p++ = '"';
		} else if (name) {
			p = str_at(p, (const uint8_t *)name, nlen);
		} else {
			char b[40] = "unknown (";
			size_t n = 9 + whea_dec_inline(b + 9, v);
			b[n++] = ')';
			p = str_at(p, (const uint8_t *)b, n);
		}
		done_at(w, p_close(w, p, d, '}'));
		return;
	}
	open_n(w, key, klen, '{');
	if (fmt == WHEA_FMT_CODE)
		NUM_MEMBER_LIT(w, "code", v);
	else
		NUM_MEMBER_LIT(w, "value", v);
	MEMBER_LIT(w, "name");
	if (name) {
		str(w, name);
	} else {
		char b[40] = "unknown (";
		size_t n = 9 + whea_dec_inline(b + 9, v);
		b[n++] = ')';
		str_bytes(w, (const uint8_t *)b, n);
	}
	close_(w, '}');
}

static void j_bits(void *ctx, const char *key, size_t klen, const char *label, uint64_t v, unsigned width,
		   const whea_name *names, const uint8_t *nlens, const whea_def *validdef)
{
	jw *w = ctx;
	(void)label, (void)width;
	if (validdef) { /* validation bits: a plain number; the gated fields say the rest */
		num_member_n(w, key, klen, v);
		return;
	}
	/* Flag sets: "value" and one boolean per named bit, in one go when there is room. */
	uint8_t buf[64];
	const uint8_t *lens = buf;
	size_t count = 0, inner = KEY_ROOM(5) + 20;
	if (nlens) { /* lengths from the compiled table */
		for (; names[count].name && count < 64; count++)
			inner += KEY_ROOM(nlens[count]) + 5;
		lens = nlens;
	} else {
		for (const whea_name *n = names; n && n->name && count < 64; n++, count++) {
			size_t l = strlen(n->name);
			if (l > 255)
				break;
			buf[count] = (uint8_t)l;
			inner += KEY_ROOM(l) + 5;
		}
	}
	char *p = !(names && names[count].name) ? object_at(w, key, klen, inner) : NULL;
	if (p) {
		int d = w->depth;
		p = p_key(w, p, d + 1, true, "value", 5);
		p += whea_dec_inline(p, v);
		for (size_t i = 0; i < count; i++) {
			p = p_key(w, p, d + 1, false, names[i].name, lens[i]);
			if (names[i].value < 64 && ((v >> names[i].value) & 1))
				memcpy(p, "true", 4), p += 4;
			else
				memcpy(p, "false", 5), p += 5;
		}
		done_at(w, p_close(w, p, d, '}'));
		return;
	}
	open_n(w, key, klen, '{');
	NUM_MEMBER_LIT(w, "value", v);
	for (const whea_name *n = names; n && n->name; n++)
		bool_member_n(w, n->name, strlen(n->name), n->value < 64 && ((v >> n->value) & 1));
	close_(w, '}');
}

static void j_bool(void *ctx, const char *key, size_t klen, const char *label, bool v)
{
	(void)label;
	bool_member_n(ctx, key, klen, v);
}

/* The members of a run at p (room checked), compact or pretty. */
static WHEA_ALWAYS_INLINE char *scalars_at(const jw *w, char *p, const whea_scalar *a, size_t n, bool first,
					   bool pretty)
{
	size_t ind = 1 + 2 * (size_t)w->depth;
	if (ind > sizeof nl_spaces - 1)
		ind = sizeof nl_spaces - 1;
	for (size_t i = 0; i < n; i++, first = false) {
		const whea_skey *k = a[i].k;
		if (!first)
			*p++ = ',';
		if (pretty) {
			put_newline_at(p, ind);
			p += ind;
		}
		*p++ = '"';
		whea_copy_blocks(p, k->key, k->klen);
		p += k->klen;
		*p++ = '"';
		*p++ = ':';
		if (pretty)
			*p++ = ' ';
		if (!k->boolean)
			p += whea_dec_inline(p, a[i].v);
		else if (a[i].v)
			memcpy(p, "true", 4), p += 4;
		else
			memcpy(p, "false", 5), p += 5;
	}
	return p;
}

/* A run of plain members (see whea_sink.scalars): numbers and booleans, in one reservation when
 * the buffer has room for all of them (keys are copied in whole blocks: 16 bytes of slack). */
static void j_scalars(void *ctx, const whea_scalar *a, size_t n, size_t room)
{
	jw *w = ctx;
	char *p = whea_out_room(w->o, n * (KEY_ROOM(0) + 20) + room + 32);
	if (!p) {
		for (size_t i = 0; i < n; i++)
			if (a[i].k->boolean)
				bool_member_n(w, a[i].k->key, a[i].k->klen, a[i].v != 0);
			else
				num_member_n(w, a[i].k->key, a[i].k->klen, a[i].v);
		return;
	}
	bool first = w->first[w->depth];
	w->first[w->depth] = false;
	if (w->pretty)
		p = scalars_at(w, p, a, n, first, true);
	else
		p = scalars_at(w, p, a, n, first, false);
	done_at(w, p);
}

static void guid_member_n(jw *w, const char *key, size_t klen, const whea_guid *g)
{
	char b[WHEA_GUID_STRLEN + 3];
	char *d = member_at(w, key, klen, WHEA_GUID_STRLEN + 2);
	if (!d)
		member_slow(w, key, klen);
	char *q = d ? d : b;
	q[0] = '"';
	whea_guid_format(g, q + 1); /* its NUL lands where the closing quote goes */
	q[WHEA_GUID_STRLEN + 1] = '"';
	if (d)
		done_at(w, d + WHEA_GUID_STRLEN + 2);
	else
		put(w, b, WHEA_GUID_STRLEN + 2);
}

static void j_guid(void *ctx, const char *key, size_t klen, const char *label, const whea_guid *g, int role)
{
	jw *w = ctx;
	(void)label;
	if (role == WHEA_GUID_SECTION_TYPE || role == WHEA_GUID_NOTIFY_TYPE) {
		const whea_section_type *t = role == WHEA_GUID_SECTION_TYPE ? whea_section_lookup(g) : NULL;
		const char *name = role == WHEA_GUID_SECTION_TYPE ? (t ? t->name : NULL) : whea_notify_type_name(g);
		const char *tn = name ? name : "Unknown";
		size_t tlen = strlen(tn);
		char *p = tlen < 1024 ? object_at(w, key, klen, 2 * KEY_ROOM(4) + WHEA_GUID_STRLEN + 3 + 6 * tlen + 2) : NULL;
		if (p) {
			int d = w->depth;
			p = p_key(w, p, d + 1, true, role == WHEA_GUID_SECTION_TYPE ? "data" : "guid", 4);
			*p++ = '"';
			whea_guid_format(g, p); /* its NUL lands where the closing quote goes */
			p += WHEA_GUID_STRLEN;
			*p++ = '"';
			p = p_key(w, p, d + 1, false, "type", 4);
			p = str_at(p, (const uint8_t *)tn, tlen);
			done_at(w, p_close(w, p, d, '}'));
			return;
		}
		open_n(w, key, klen, '{');
		if (role == WHEA_GUID_SECTION_TYPE)
			guid_member_n(w, "data", 4, g);
		else
			guid_member_n(w, "guid", 4, g);
		MEMBER_LIT(w, "type");
		str(w, name ? name : "Unknown");
		close_(w, '}');
		return;
	}
	guid_member_n(w, key, klen, g);
}

static void j_text(void *ctx, const char *key, const char *label, const uint8_t *p, size_t n)
{
	(void)label;
	while (n && !p[n - 1])
		n--;
	member(ctx, key);
	str_bytes(ctx, p, n);
}

static void j_bytes(void *ctx, const char *key, const char *label, const uint8_t *p, size_t n)
{
	jw *w = ctx;
	(void)label;
	member(w, key);
	char *d = n < ((size_t)1 << 24) ? whea_out_room(w->o, WHEA_B64_LEN(n) + 2) : NULL;
	if (d) {
		d[0] = '"';
		whea_b64_encode(d + 1, p, n);
		d[WHEA_B64_LEN(n) + 1] = '"';
		whea_out_commit(w->o, WHEA_B64_LEN(n) + 2);
		return;
	}
	PUTS(w, "\"");
	char b[256];
	while (n) {
		size_t k = n < 192 ? n : 192;
		whea_b64_encode(b, p, k);
		put(w, b, WHEA_B64_LEN(k));
		p += k;
		n -= k;
	}
	PUTS(w, "\"");
}

/* Writes key + suffix as a member key (at most 63 characters, as before). */
static void member2(jw *w, const char *key, const char *suffix)
{
	char k[64];
	size_t a = strlen(key), b = strlen(suffix);
	if (a > 63)
		a = 63;
	if (b > 63 - a)
		b = 63 - a;
	memcpy(k, key, a);
	memcpy(k + a, suffix, b);
	member_n(w, k, a + b);
}

static void j_time(void *ctx, const char *key, const char *label, const uint8_t raw[8], int hint)
{
	jw *w = ctx;
	(void)label;
	whea_time t;
	bool ok = whea_timestamp_decode(raw, hint, &t) == 0;
	bool exact = ok && whea_ts_exact(raw, &t);
	size_t klen = key ? strlen(key) : 0;
	char *p = ok && key && klen <= 54 ? member_at(w, key, klen, 40 + 3 * KEY_ROOM(klen + 9) + 40) : NULL;
	if (p) { /* all members in one go (the suffixed keys need no truncation) */
		int d = w->depth;
		*p++ = '"';
		p += whea_u64_dec_pad(p, t.year, 4);
		*p++ = '-';
		p += whea_u64_dec_pad(p, t.month, 2);
		*p++ = '-';
		p += whea_u64_dec_pad(p, t.day, 2);
		*p++ = 'T';
		p += whea_u64_dec_pad(p, t.hour, 2);
		*p++ = ':';
		p += whea_u64_dec_pad(p, t.minute, 2);
		*p++ = ':';
		p += whea_u64_dec_pad(p, t.second, 2);
		*p++ = '"';
		p = p_key2(w, p, d, false, key, klen, "IsPrecise", 9);
		if (t.precise)
			memcpy(p, "true", 4), p += 4;
		else
			memcpy(p, "false", 5), p += 5;
		p = p_key2(w, p, d, false, key, klen, "Encoding", 8);
		const char *en = whea_ts_encoding_name(t.encoding);
		p = str_at(p, (const uint8_t *)en, strlen(en));
		if (!exact) { /* not a canonical encoding of any date: keep the bytes */
			p = p_key2(w, p, d, false, key, klen, "Raw", 3);
			uint64_t v = 0;
			for (int i = 7; i >= 0; i--)
				v = v << 8 | raw[i];
			p += whea_dec_inline(p, v);
		}
		done_at(w, p);
		return;
	}
	if (ok) {
		char b[64];
		size_t n = 0;
		b[n++] = '"';
		n += whea_u64_dec_pad(b + n, t.year, 4);
		b[n++] = '-';
		n += whea_u64_dec_pad(b + n, t.month, 2);
		b[n++] = '-';
		n += whea_u64_dec_pad(b + n, t.day, 2);
		b[n++] = 'T';
		n += whea_u64_dec_pad(b + n, t.hour, 2);
		b[n++] = ':';
		n += whea_u64_dec_pad(b + n, t.minute, 2);
		b[n++] = ':';
		n += whea_u64_dec_pad(b + n, t.second, 2);
		b[n++] = '"';
		member(w, key);
		put(w, b, n);
		member2(w, key, "IsPrecise");
		bool_value(w, t.precise);
		member2(w, key, "Encoding");
		str(w, whea_ts_encoding_name(t.encoding));
	}
	if (!exact) { /* not a canonical encoding of any date: keep the bytes */
		member2(w, key, "Raw");
		uint64_t v = 0;
		for (int i = 7; i >= 0; i--)
			v = v << 8 | raw[i];
		u64(w, v);
	}
}

static void j_diag(void *ctx, const whea_diag *d)
{
	jw *w = ctx;
	if (w->ndiag == JW_MAX_DIAGS) {
		w->dropped++;
		return;
	}
	w->diag[w->ndiag].sev = d->severity;
	w->diag[w->ndiag].code = d->code;
	w->diag[w->ndiag].off = d->offset;
	whea_strlcpy(w->diag[w->ndiag].msg, d->msg, sizeof w->diag[0].msg);
	w->ndiag++;
}

static void write_diags(jw *w)
{
	if (!w->ndiag)
		return;
	open_(w, "diagnostics", '[');
	for (unsigned i = 0; i < w->ndiag; i++) {
		open_(w, NULL, '{');
		member(w, "severity");
		str(w, w->diag[i].sev == WHEA_DIAG_ERROR ? "error" : "warning");
		num_member(w, "offset", w->diag[i].off);
		member(w, "code");
		str(w, whea_error_name(w->diag[i].code));
		member(w, "message");
		str(w, w->diag[i].msg);
		close_(w, '}');
	}
	if (w->dropped) {
		open_(w, NULL, '{');
		member(w, "message");
		char b[64];
		whea_format(b, sizeof b, "%u more diagnostics not shown", w->dropped);
		str(w, b);
		close_(w, '}');
	}
	close_(w, ']');
}

int whea_record_to_json(const whea_record *r, whea_out *o, unsigned flags)
{
	jw w;
	w.o = o;
	w.pretty = flags & WHEA_JSON_PRETTY;
	w.depth = 0;
	w.first[0] = true;
	w.ndiag = w.dropped = 0;
	whea_sink s = {&w, j_begin, j_end, j_num, j_enm, j_bits, j_bool, j_guid, j_text, j_bytes, j_time, j_diag, j_scalars, false};
	open_(&w, NULL, '{');
	if (r->errors || r->warnings) { /* re-run the record-level checks to collect their messages */
		whea_record again;
		whea_record_parse(&again, r->data, r->buflen, WHEA_PARSE_TOLERANT, (whea_diag_fn)j_diag, &w);
	}
	whea_interp_record(&s, r);
	write_diags(&w);
	close_(&w, '}');
	return o->err;
}
