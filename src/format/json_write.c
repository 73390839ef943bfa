/* format/json_write.c — the JSON writer: a sink for the table interpreter that streams JSON into a
 * whea_out buffer. Key names follow libcper where it has the field (docs/JSON.md). Freestanding:
 * no allocator, no stdio. Every 64-bit integer is written exactly as a JSON number.
 *
 * How it stays fast (issue 2):
 * - A cursor: every callback reserves room for its worst case once and stores its bytes through
 *   w->p; o->len and o->total catch up when the record ends. When the caller's buffer lacks the
 *   room, the cursor moves into a scratch area that goes out through whea_out_write, so there is
 *   one slow path and the bytes (and the flushes) are the same. Every reservation of that path
 *   is bounded (long strings and byte runs go in pieces), so the scratch area has the room.
 * - The busy callbacks check the room first; their common path then makes no calls and needs no
 *   stack frame (the other case runs a separate copy of the body).
 * - One separator flag instead of a stack: ',' is due exactly when the innermost container
 *   already has a member, and a container is closed on its own line exactly when it has one.
 * - Compact and pretty output have their own copies of the busy callbacks (the `pretty`
 *   argument of the inline bodies is a constant in each); a pretty separator, newline and
 *   indentation is one fixed-size copy from a table, made once for the members of a run.
 * - Decimals by ranges and blocks of digits; GUID text, string escape checks and (with SSSE3)
 *   base64 in vector registers; type names kept escaped in a small per-thread cache. */
#include <string.h>

#include "cper/interp.h"
#include "util/base64.h"
#include "util/fmt.h"
#include "util/outbuf.h"
#include "whea/format.h"

#if defined(__GNUC__)
#define JW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define JW_NOINLINE __attribute__((noinline))
/* Hides x's value from the optimiser: keeps it from turning a block-copy loop into a memmove
 * call (which would give the callback a stack frame). */
#define JW_OPAQUE(x) __asm__("" : "+r"(x))
#else
#define JW_UNLIKELY(x) (x)
#define JW_NOINLINE
#define JW_OPAQUE(x) (void)0
#endif

#if defined(__GNUC__) && defined(__SSE2__)
/* Vector registers through the compiler's vector extensions (no intrinsics headers). */
typedef uint8_t jw_u8x16 __attribute__((vector_size(16)));
typedef int8_t jw_i8x16 __attribute__((vector_size(16)));
typedef uint64_t jw_u64x2 __attribute__((vector_size(16)));
#endif

#define JW_MAX_DIAGS 32
#define JW_SCRATCH 2048 /* more than any single reservation */
#define JW_KEY_MAX 256  /* longer keys take the chunked path */
#define JW_CHUNK 192    /* string bytes escaped (6 output bytes each at most) per reservation */
#define JW_B64_CHUNK 768 /* bytes base64-encoded per reservation (a multiple of 3) */
#define JW_MAX_IND 81   /* newline and 80 spaces: the deepest indentation */

typedef struct jw {
	char *p, *end;   /* where the next byte goes, and the end of the room there */
	unsigned comma;  /* 1 when the innermost open container has a member */
	unsigned depth;
	unsigned ind;    /* pretty: ind_of(depth), kept up to date when the depth changes */
	bool pretty;
	bool in_scratch; /* p points into scratch (else into o's buffer, o->len not yet updated) */
	char *synced;    /* o->buf + o->len when p last caught up with o */
	whea_out *o;
	/* Diagnostics are collected and written at the end of the record, and counted. */
	unsigned ndiag, dropped;
	whea_diag_counts counts;
	struct {
		int sev, code;
		uint64_t off;
		char msg[160];
	} diag[JW_MAX_DIAGS];
	char scratch[JW_SCRATCH];
} jw;

/* ---- The cursor. */

/* Brings o up to date with the cursor and points the cursor at o's free room. */
static void jw_sync(jw *w)
{
	whea_out *o = w->o;
	if (w->in_scratch) {
		w->in_scratch = false;
		whea_out_write(o, w->scratch, (size_t)(w->p - w->scratch));
	} else {
		size_t n = (size_t)(w->p - w->synced);
		o->len += n;
		o->total += n;
	}
	w->p = w->synced = o->buf ? o->buf + o->len : NULL;
	w->end = o->buf ? o->buf + o->cap : NULL;
}

/* The cursor has less than need bytes of room: o's buffer if it has them now, else scratch. */
static JW_NOINLINE char *jw_slow(jw *w, size_t need)
{
	jw_sync(w);
	if ((size_t)(w->end - w->p) >= need)
		return w->p;
	w->in_scratch = true;
	w->p = w->scratch;
	w->end = w->scratch + sizeof w->scratch;
	return w->p;
}

/* Where need (at most JW_SCRATCH) bytes can be stored; finish with w->p = the end. */
static WHEA_ALWAYS_INLINE char *room(jw *w, size_t need)
{
	char *q = w->p;
	if (JW_UNLIKELY((size_t)(w->end - q) < need))
		q = jw_slow(w, need);
	return q;
}

/* Whether need bytes fit at the cursor. The busy callbacks test this first and then run their
 * body with `fits` set, which makes no calls (the other case goes to a separate copy of the body
 * that reserves as it goes), so their common path needs no stack frame. */
static inline bool jw_fits(const jw *w, size_t need) { return (size_t)(w->end - w->p) >= need; }

/* room(), or the cursor when the caller knows the bytes fit. */
static WHEA_ALWAYS_INLINE char *room_(jw *w, size_t need, bool fits) { return fits ? w->p : room(w, need); }

/* n bytes of s in pieces of any length. */
static void put_raw(jw *w, const char *s, size_t n)
{
	while (n) {
		size_t k = n < JW_SCRATCH ? n : JW_SCRATCH;
		char *q = room(w, k);
		memcpy(q, s, k);
		w->p = q + k;
		s += k;
		n -= k;
	}
}

/* ---- Separators, keys, strings. */

/* "," "\n" and 80 spaces: from offset 1 - comma, comma + ind bytes are the separator, newline
 * and indentation of a pretty member; 32 bytes can be read from either start. */
static const char sep_nl[84] = ",\n                                                                                ";
/* Bytes a separator is stored with at once (the room always covers them). */
#define SEP_NL_COPY 32

/* Newline and indentation of a pretty member at depth (jw.ind; compact output never needs it). */
static inline unsigned ind_of(unsigned depth) { return depth < (JW_MAX_IND - 1) / 2 ? 1 + 2 * depth : JW_MAX_IND; }

/* n bytes without a call: overlapping fixed-size moves, 16-byte blocks beyond 16 bytes. */
static WHEA_ALWAYS_INLINE void copy_str(char *d, const char *s, size_t n)
{
	if (n <= 16) {
		whea_copy_small(d, s, n); /* no call up to 16 bytes */
		return;
	}
	memcpy(d, s, 16);
	for (size_t i = 16; i + 16 < n; i += 16) {
		memcpy(d + i, s + i, 16);
		JW_OPAQUE(i);
	}
	memcpy(d + n - 16, s + n - 16, 16);
}

/* A compiled key with its '": ' (see whea_skey: padded, so whole 16-byte blocks may be read) at
 * q: keys up to 29 bytes, most of them, in one 32-byte copy and a single test, up to 45 bytes
 * (a quarter of the flags) with one more block, longer ones with the rest in blocks (the room
 * covers whole blocks). */
static WHEA_ALWAYS_INLINE void pkey_copy(char *q, const char *key, size_t klen)
{
	memcpy(q, key, 32);
	if (JW_UNLIKELY(klen > 29)) {
		memcpy(q + 32, key + 32, 16);
		for (size_t i = 48; i < klen + 3; i += 16)
			memcpy(q + i, key + i, 16);
	}
}

/* Pretty: the deepest indentation at which every separator of a callback (comma and the
 * indentation of a small object's members, ind + 2) fits one 32-byte copy; the frameless paths
 * are taken only up to it, so their separators need no length test ("shallow"). */
#define SHALLOW_IND (SEP_NL_COPY - 3)

/* Separator (comma: 0 or 1) and, pretty, newline and ind bytes of indentation at q (shallow:
 * comma + ind is known to be at most SEP_NL_COPY). */
static WHEA_ALWAYS_INLINE char *sep_at(char *q, unsigned comma, unsigned ind, bool pretty, bool shallow)
{
	if (!pretty) {
		*q = ',';
		return q + comma;
	}
	const char *s = sep_nl + 1 - comma;
	size_t n = comma + ind;
	if (shallow || n <= SEP_NL_COPY)
		memcpy(q, s, SEP_NL_COPY); /* one fixed-size copy; the room covers it */
	else
		copy_str(q, s, n);
	return q + n;
}

/* "key": (compact) or "key": followed by a space (pretty) at q (4 bytes stored after the key);
 * padded: the key is a member's whea_skey key, padded when it is short (see pkey_copy), and the
 * room covers 32 bytes of it. */
static WHEA_ALWAYS_INLINE char *key_at_(char *q, const char *key, size_t klen, bool pretty, bool padded)
{
	*q = '"';
	if (padded && klen <= 29) {
		/* hidden from the object-size checks: unoptimised builds keep this branch for literal
		 * keys too (where padded is false) and would warn about reading past them */
		JW_OPAQUE(key);
		memcpy(q + 1, key, 32);
	} else {
		copy_str(q + 1, key, klen);
	}
	q += klen + 1;
	memcpy(q, "\": ", 4); /* one store; compact keeps the first two */
	return q + (pretty ? 3 : 2);
}

/* The separator, newline, indentation and opening quote of a key, for members that share a depth
 * (a run, a flag set): pretty, one fixed-size copy from sep_nl and the quote stored over it (no
 * per-call copy of the prefix: most runs are short). */
typedef struct kpre {
	unsigned n; /* its length: "," "\n" indentation '"' (pretty only) */
} kpre;

/* The prefix of keys at indentation ind; false when too deep for one 32-byte copy. */
static WHEA_ALWAYS_INLINE bool kpre_init(kpre *k, unsigned ind, bool pretty)
{
	if (!pretty) /* compact output stores ",\"" as a constant */
		return true;
	if (ind + 2 > 32)
		return false;
	k->n = ind + 2;
	return true;
}

/* The prefix at q (first: the first member of its container, without the comma); 32 bytes of
 * room. */
static WHEA_ALWAYS_INLINE char *kpre_at(char *q, const kpre *k, bool first, bool pretty)
{
	if (pretty) {
		memcpy(q, sep_nl + first, 32);
		q[k->n - 1 - first] = '"';
	} else if (first) {
		*q = '"';
	} else {
		memcpy(q, ",\"", 2);
	}
	return q + (pretty ? k->n : 2) - first;
}

/* Room for a member's separator, indentation and quoted key, and slack for the fixed copies. */
#define MEMBER_ROOM(klen) (88 + (klen))

/* Separator and key of a member too long for one reservation, then room for extra bytes. */
static JW_NOINLINE char *member_long(jw *w, const char *key, size_t klen, size_t extra, bool pretty)
{
	char *q = room(w, MEMBER_ROOM(0));
	w->p = sep_at(q, w->comma, w->ind, pretty, false);
	w->comma = 1;
	q = room(w, 1);
	*q = '"';
	w->p = q + 1;
	put_raw(w, key, klen);
	q = room(w, 4 + extra);
	memcpy(q, "\": ", 4);
	return q + (pretty ? 3 : 2);
}

static WHEA_ALWAYS_INLINE char *key_at(char *q, const char *key, size_t klen, bool pretty)
{
	return key_at_(q, key, klen, pretty, false);
}

/* Separator and key (NULL inside arrays) of the next member at q (room checked; shallow: on the
 * callbacks' frameless paths, whose keys are their whea_skey's, so padded). */
static WHEA_ALWAYS_INLINE char *member_prefix(const jw *w, char *q, const char *key, size_t klen, bool pretty,
					       bool shallow)
{
	q = sep_at(q, w->comma, w->ind, pretty, shallow);
	return key ? key_at_(q, key, klen, pretty, shallow) : q;
}

/* Separator and key (NULL inside arrays) of the next member, with room for extra (at most
 * JW_SCRATCH - MEMBER_ROOM(JW_KEY_MAX)) bytes of its value after the returned pointer (fits:
 * the caller has checked the room with member_fits). */
static WHEA_ALWAYS_INLINE char *member_at_(jw *w, const char *key, size_t klen, size_t extra, bool pretty, bool fits)
{
	if (!fits && JW_UNLIKELY(klen > JW_KEY_MAX))
		return member_long(w, key, klen, extra, pretty);
	char *q = room_(w, MEMBER_ROOM(klen) + extra, fits);
	q = member_prefix(w, q, key, klen, pretty, fits);
	w->comma = 1;
	return q;
}

static WHEA_ALWAYS_INLINE char *member_at(jw *w, const char *key, size_t klen, size_t extra, bool pretty)
{
	return member_at_(w, key, klen, extra, pretty, false);
}

/* Whether a member with a key of klen bytes and extra bytes of value fits (see jw_fits), and
 * pretty output is shallow enough (SHALLOW_IND). */
static inline bool member_fits(const jw *w, size_t klen, size_t extra, bool pretty)
{
	/* any key length: the frameless path copies keys of any length; only the reservations of
	 * the other path have to stay bounded */
	return jw_fits(w, MEMBER_ROOM(klen) + extra) && (!pretty || w->ind <= SHALLOW_IND);
}

/* Inner member key of a small object written in one go: separator, indentation, key. */
static WHEA_ALWAYS_INLINE char *inner_key(char *q, unsigned comma, unsigned ind, const char *key, size_t klen,
					  bool pretty, bool shallow)
{
	return key_at(sep_at(q, comma, ind, pretty, shallow), key, klen, pretty);
}

/* Closes a small object written in one go: its own line (pretty) and the brace. */
static WHEA_ALWAYS_INLINE char *close_at(char *q, unsigned ind, bool pretty, bool shallow)
{
	if (pretty)
		q = sep_at(q, 0, ind, true, shallow);
	*q = '}';
	return q + 1;
}

/* Indentation of the members of a small object opened at the current depth. */
static inline unsigned inner_ind(const jw *w) { return w->ind < JW_MAX_IND - 1 ? w->ind + 2 : JW_MAX_IND; }

/* Worst case of a small object's inner member: separator and indentation, key, slack. */
#define INNER_ROOM(klen) (MEMBER_ROOM(klen) + 8)

/* "true" or "false" at q (8 bytes of room), returns the end. */
static WHEA_ALWAYS_INLINE char *bool_at(char *q, bool v)
{
	static const char tf[2][8] = {"false", "true"};
	memcpy(q, tf[v], 8);
	return q + 5 - v;
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

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
/* Non-zero when one of the 8 bytes of v is zero. */
static inline uint64_t zero_byte8(uint64_t v) { return (v - ONES) & ~v & HIGHS; }
/* Non-zero when one of the 8 bytes in x needs escaping: below 0x20, 0x7f and up, '"' or '\\'.
 * The additions carry out of a byte only when it is 0x80 or more, which sets the result anyway,
 * and zero_byte8's borrows only run upwards from a zero byte: so a zero result is exact, and
 * the flag of a byte is exact when no byte below it is flagged. */
static inline uint64_t needs_escape8(uint64_t x)
{
	return ((~(x + ONES * 0x60) | (x + ONES) | x) & HIGHS) | zero_byte8(x ^ (ONES * '"')) | zero_byte8(x ^ (ONES * '\\'));
}

/* The n raw bytes at p escaped one by one at q; returns the end. */
static char *esc_bytes(char *q, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
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
	return q;
}

/* The n raw bytes at p escaped for a JSON string, at q (room for 6 * n, and 8 at least);
 * returns the end. Printable ASCII as is, everything else as \u00XX (bytes map to code points
 * 0..255, so the reader can restore them exactly). Eight bytes at a time: a block that needs no
 * escape is copied whole, and so are the last 1..7 bytes (read as the end of an overlapping
 * block, or copied into a word when the string is shorter). */
static char *esc_at(char *q, const uint8_t *p, size_t n)
{
	size_t i = 0;
	uint64_t x;
#if defined(__GNUC__) && defined(__SSE2__)
	for (; i + 16 <= n; i += 16) { /* sixteen at a time where there are vector registers */
		jw_i8x16 v;
		memcpy(&v, p + i, 16);
		/* signed bytes: 0x80 and up are negative, so below 0x20 too */
		jw_u64x2 bad = (jw_u64x2)((v < 0x20) | (v == '"') | (v == '\\') | (v == 0x7f));
		if (JW_UNLIKELY(bad[0] | bad[1]))
			q = esc_bytes(q, p + i, 16);
		else
			memcpy(q, &v, 16), q += 16;
	}
#endif
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, p + i, 8);
		if (JW_UNLIKELY(needs_escape8(x)))
			q = esc_bytes(q, p + i, 8);
		else
			memcpy(q, &x, 8), q += 8;
	}
	size_t r = n - i; /* 0..7 bytes left */
	if (!r)
		return q;
	if (n >= 8) {
		memcpy(&x, p + n - 8, 8);
		x >>= 8 * (8 - r); /* little-endian: the last r bytes to the bottom */
	} else {
		char b[8] = {0};
		whea_copy_small(b, (const char *)p, r & 7); /* r < 8 (the mask tells the compiler) */
		memcpy(&x, b, 8);
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (needs_escape8(x) & (HIGHS >> (8 * (8 - r)))) /* only the r real bytes count */
		return esc_bytes(q, p + i, r);
	memcpy(q, &x, 8);
	return q + r;
#else
	return esc_bytes(q, p + i, r);
#endif
}

/* Room a string of n bytes needs in its first reservation (quotes included). */
static inline size_t str_room(size_t n) { return 6 * (n < JW_CHUNK ? n : JW_CHUNK) + 2 + 8; }

/* A JSON string of the n bytes at p, starting at q (room for str_room(n)); moves the cursor
 * past it. Long strings take more reservations. */
static void str_from(jw *w, char *q, const uint8_t *p, size_t n)
{
	*q++ = '"';
	while (n > JW_CHUNK) {
		w->p = esc_at(q, p, JW_CHUNK);
		p += JW_CHUNK;
		n -= JW_CHUNK;
		q = room(w, str_room(n));
	}
	q = esc_at(q, p, n);
	*q = '"';
	w->p = q + 1;
}

/* ---- Decimal numbers (util/fmt.h's range-based writer): the small ones inline, the big ones out
 * of line so that the callbacks stay small. */
static JW_NOINLINE char *dec_big_at(char *q, uint64_t v) { return whea_dec_big_at(q, v); }

/* v in decimal at q (20 bytes of room); returns the end. Single digits, the most common, are
 * tested first. */
static WHEA_ALWAYS_INLINE char *dec_at(char *q, uint64_t v)
{
	if (v < 10) {
		*q = (char)('0' + v);
		return q + 1;
	}
	return v < 10000 ? whea_dec4_at(q, (uint32_t)v) : dec_big_at(q, v);
}

static JW_NOINLINE void dec_big_end(jw *w, char *q, uint64_t v) { w->p = dec_big_at(q, v); }

/* v in decimal at q, ending the callback's output (the big numbers by a tail call). */
static WHEA_ALWAYS_INLINE void dec_end(jw *w, char *q, uint64_t v)
{
	if (v < 10000)
		w->p = dec_at(q, v);
	else
		dec_big_end(w, q, v);
}

/* ---- Members. */

static WHEA_ALWAYS_INLINE void num_member_f(jw *w, const char *key, size_t klen, uint64_t v, bool pretty, bool fits)
{
	dec_end(w, member_at_(w, key, klen, 20, pretty, fits), v);
}

static WHEA_ALWAYS_INLINE void num_member(jw *w, const char *key, size_t klen, uint64_t v, bool pretty)
{
	num_member_f(w, key, klen, v, pretty, false);
}

static WHEA_ALWAYS_INLINE void bool_member_f(jw *w, const char *key, size_t klen, bool v, bool pretty, bool fits)
{
	w->p = bool_at(member_at_(w, key, klen, 8, pretty, fits), v);
}

static WHEA_ALWAYS_INLINE void bool_member(jw *w, const char *key, size_t klen, bool v, bool pretty)
{
	bool_member_f(w, key, klen, v, pretty, false);
}

/* A member whose value is the JSON string of n bytes at p. */
static void str_member(jw *w, const char *key, size_t klen, const uint8_t *p, size_t n)
{
	str_from(w, member_at(w, key, klen, str_room(n), w->pretty), p, n);
}

static void str_member_z(jw *w, const char *key, const char *s)
{
	str_member(w, key, strlen(key), (const uint8_t *)s, strlen(s));
}

/* Opens a container member (key NULL inside arrays) with bracket c. */
static WHEA_ALWAYS_INLINE void open_f(jw *w, const char *key, size_t klen, char c, bool pretty, bool fits)
{
	char *q = fits ? member_prefix(w, w->p, key, klen, pretty, true) : member_at_(w, key, klen, 1, pretty, false);
	*q = c;
	w->p = q + 1;
	w->comma = 0;
	w->depth++;
	if (pretty) /* shallow (fits): below the cap of ind_of, one step is 2 */
		w->ind = fits ? w->ind + 2 : ind_of(w->depth);
}

/* Closes the innermost container with bracket c: on its own line when pretty and not empty. */
static WHEA_ALWAYS_INLINE void close_f(jw *w, char c, bool pretty, bool fits)
{
	bool empty = !w->comma;
	if (w->depth) {
		w->depth--;
		if (pretty && fits) /* shallow: one step is 2 (see open_f) */
			w->ind -= 2;
	}
	if (pretty && !fits)
		w->ind = ind_of(w->depth);
	w->comma = 1;
	char *q = room_(w, MEMBER_ROOM(0), fits);
	if (pretty && !empty)
		q = sep_at(q, 0, w->ind, true, fits);
	*q = c;
	w->p = q + 1;
}

static void open_(jw *w, const char *key, size_t klen, char c, bool pretty) { open_f(w, key, klen, c, pretty, false); }
static void close_(jw *w, char c, bool pretty) { close_f(w, c, pretty, false); }

/* ---- The sink callbacks. Each busy one is an inline body with a `pretty` argument and two
 * thin copies, one per mode (j_x_c, j_x_p); the others read w->pretty. */

/* Declares key and klen, a member's JSON key and its length (NULL and 0 inside arrays), for the
 * member helpers below. */
#define KEY_OF(k) const char *key = (k)->key; size_t klen = (k)->klen

static WHEA_ALWAYS_INLINE void j_begin(void *ctx, const whea_skey *k, bool array, bool pretty)
{
	jw *w = ctx;
	KEY_OF(k);
	if (JW_UNLIKELY(!member_fits(w, klen, 1, pretty)))
		open_(w, key, klen, array ? '[' : '{', pretty);
	else
		open_f(w, key, klen, array ? '[' : '{', pretty, true);
}

static WHEA_ALWAYS_INLINE void j_end(void *ctx, bool array, bool pretty)
{
	jw *w = ctx;
	if (JW_UNLIKELY(!jw_fits(w, MEMBER_ROOM(0)) || (pretty && w->ind > SHALLOW_IND)))
		close_(w, array ? ']' : '}', pretty);
	else
		close_f(w, array ? ']' : '}', pretty, true);
}

/* Room a revision object ({"major": M, "minor": m}) needs after its key. */
#define BCDREV_ROOM (1 + 2 * (INNER_ROOM(5) + 3) + INNER_ROOM(0))

static WHEA_ALWAYS_INLINE void bcdrev_member(jw *w, const char *key, size_t klen, uint64_t v, bool pretty, bool fits)
{
	char *q = member_at_(w, key, klen, BCDREV_ROOM, pretty, fits);
	unsigned in = inner_ind(w);
	*q++ = '{';
	q = inner_key(q, 0, in, "major", 5, pretty, fits);
	q = dec_at(q, (v >> 8) & 0xff);
	q = inner_key(q, 1, in, "minor", 5, pretty, fits);
	q = dec_at(q, v & 0xff);
	w->p = close_at(q, w->ind, pretty, fits);
}

/* A number or boolean member that takes the general path (the room, a long key), out of line: a
 * call on the callbacks' common path would cost them a stack frame. */
static JW_NOINLINE void num_slow(jw *w, const char *key, size_t klen, uint64_t v, bool pretty)
{
	num_member(w, key, klen, v, pretty);
}
static JW_NOINLINE void bool_slow(jw *w, const char *key, size_t klen, bool v, bool pretty)
{
	bool_member(w, key, klen, v, pretty);
}

static JW_NOINLINE void bcdrev_slow(jw *w, const char *key, size_t klen, uint64_t v, bool pretty)
{
	bcdrev_member(w, key, klen, v, pretty, false);
}

static WHEA_ALWAYS_INLINE void j_num(void *ctx, const whea_skey *k, uint64_t v, int fmt, unsigned width, bool pretty)
{
	jw *w = ctx;
	KEY_OF(k);
	(void)width;
	if (fmt == WHEA_FMT_BCDREV) {
		if (JW_UNLIKELY(!member_fits(w, klen, BCDREV_ROOM, pretty)))
			bcdrev_slow(w, key, klen, v, pretty);
		else
			bcdrev_member(w, key, klen, v, pretty, true);
	} else if (JW_UNLIKELY(!member_fits(w, klen, 20, pretty))) {
		num_slow(w, key, klen, v, pretty);
	} else {
		num_member_f(w, key, klen, v, pretty, true);
	}
}

/* Longest enum name written in the same reservation as its object. */
#define ENUM_NAME_MAX JW_CHUNK

/* {"code" or "value": v, "name": name} at q, the room checked for the name (fits: for all of it,
 * with a plain name (nlen bytes, nothing to escape) or none, and v < 10000: no calls). */
static WHEA_ALWAYS_INLINE void enum_object_(jw *w, char *q, uint64_t v, const char *name, size_t nlen, bool plain,
					    int fmt, bool pretty, bool fits, bool padded)
{
	unsigned in = inner_ind(w);
	*q++ = '{';
	if (fmt == WHEA_FMT_CODE)
		q = inner_key(q, 0, in, "code", 4, pretty, fits);
	else
		q = inner_key(q, 0, in, "value", 5, pretty, fits);
	q = fits ? whea_dec4_at(q, (uint32_t)v) : dec_at(q, v);
	q = inner_key(q, 1, in, "name", 4, pretty, fits);
	if (!name) {
		memcpy(q, "\"unknown (", 10);
		q = fits ? whea_dec4_at(q + 10, (uint32_t)v) : dec_at(q + 10, v);
		memcpy(q, ")\"", 2);
		q += 2;
	} else if (plain) { /* nothing to escape */
		*q = '"';
		if (padded && nlen <= 29) /* a compiled name (see pkey_copy): one copy */
			memcpy(q + 1, name, 32);
		else
			copy_str(q + 1, name, nlen);
		q[nlen + 1] = '"';
		q += nlen + 2;
	} else if (nlen <= ENUM_NAME_MAX) {
		*q = '"';
		q = esc_at(q + 1, (const uint8_t *)name, nlen);
		*q++ = '"';
	} else { /* a long name: in pieces, then room for the rest */
		str_from(w, q, (const uint8_t *)name, nlen);
		q = room(w, INNER_ROOM(0));
	}
	w->p = close_at(q, w->ind, pretty, fits);
}

static WHEA_ALWAYS_INLINE void enum_object(jw *w, char *q, uint64_t v, const char *name, size_t nlen, bool plain,
					   int fmt, bool pretty, bool fits)
{
	enum_object_(w, q, v, name, nlen, plain, fmt, pretty, fits, false);
}

/* Room an enum object needs after its key, name_room for its name. */
#define ENUM_ROOM(name_room) (1 + INNER_ROOM(5) + 20 + INNER_ROOM(4) + (name_room) + INNER_ROOM(0))

/* Room the name of an enum object takes in the object's reservation: "unknown (N)", a plain
 * name, or one escaped in one go (a longer one reserves as it goes). */
static inline size_t enum_name_room(const char *name, size_t nlen, bool plain)
{
	if (!name)
		return 32;
	if (plain)
		return nlen + 2;
	return nlen <= ENUM_NAME_MAX ? str_room(nlen) : 0;
}

static JW_NOINLINE void enum_slow(jw *w, const char *key, size_t klen, uint64_t v, const char *name, size_t plain,
				  int fmt, bool pretty)
{
	size_t nlen = plain ? plain : name ? strlen(name) : 0;
	char *q = member_at(w, key, klen, ENUM_ROOM(enum_name_room(name, nlen, plain != 0)), pretty);
	enum_object(w, q, v, name, nlen, plain != 0, fmt, pretty, false);
}

static WHEA_ALWAYS_INLINE void j_enm(void *ctx, const whea_skey *k, uint64_t v, const char *name, size_t plain, int fmt,
				     bool pretty)
{
	jw *w = ctx;
	KEY_OF(k);
	/* plain: the name's length when it needs no escaping (at most 255) */
	if (JW_UNLIKELY((name && !plain) || plain > 255 || v >= 10000 ||
			!member_fits(w, klen, ENUM_ROOM(255 + 32), pretty))) {
		enum_slow(w, key, klen, v, name, plain, fmt, pretty);
		return;
	}
	enum_object(w, member_at_(w, key, klen, ENUM_ROOM(255 + 32), pretty, true), v, name, plain, true, fmt, pretty,
		    true);
}

/* Room for one flag member after the first: separator, indentation, key, "false", slack. */
#define FLAG_ROOM(nlen) (INNER_ROOM(nlen) + 8)

/* Whether flag f is set in v. */
static inline bool flag_set(const whea_name *f, uint64_t v) { return f->value < 64 && ((v >> (f->value & 63)) & 1); }

/* The flag members from names[i] on and the closing brace, at q, with a check of the room per
 * member (nlens may be NULL). */
static JW_NOINLINE void flags_rest(jw *w, char *q, uint64_t v, const whea_name *names, const uint8_t *nlens, size_t i,
				   bool pretty)
{
	unsigned in = inner_ind(w);
	for (; names && names[i].name; i++) {
		const char *n = names[i].name;
		size_t l = nlens ? nlens[i] : strlen(n);
		if (l > JW_KEY_MAX || (size_t)(w->end - q) < FLAG_ROOM(l)) {
			/* near the end of the room, or a long name: the general member path */
			w->p = q;
			unsigned ind = w->ind;
			w->ind = in;
			q = member_at(w, n, l, 8, pretty);
			w->ind = ind;
		} else {
			q = inner_key(q, 1, in, n, l, pretty, false);
		}
		q = bool_at(q, flag_set(&names[i], v));
	}
	w->p = q;
	w->p = close_at(room(w, INNER_ROOM(0)), w->ind, pretty, false);
}

/* Room for the key and "value" of a flag set after its key. */
#define FLAGS_HEAD_ROOM (1 + INNER_ROOM(5) + 20)

static JW_NOINLINE void flags_slow(jw *w, const char *key, size_t klen, uint64_t v, const whea_name *names,
				   const uint8_t *nlens, bool pretty)
{
	char *q = member_at(w, key, klen, FLAGS_HEAD_ROOM, pretty);
	*q++ = '{';
	q = inner_key(q, 0, inner_ind(w), "value", 5, pretty, false);
	flags_rest(w, dec_at(q, v), v, names, nlens, 0, pretty);
}

/* A flag set: {"value": v, "name": bool, ...} (names with lengths from the compiled table on
 * the frameless path, each member checked against the room with one comparison). */
static WHEA_ALWAYS_INLINE void flags_member(jw *w, const char *key, size_t klen, uint64_t v, const whea_name *names,
					    const uint8_t *nlens, bool pretty)
{
	if (JW_UNLIKELY(!nlens || v >= 10000 || !member_fits(w, klen, FLAGS_HEAD_ROOM, pretty))) {
		flags_slow(w, key, klen, v, names, nlens, pretty);
		return;
	}
	unsigned in = inner_ind(w);
	kpre pre;
	if (JW_UNLIKELY(!kpre_init(&pre, in, pretty))) {
		flags_slow(w, key, klen, v, names, nlens, pretty);
		return;
	}
	char *q = member_at_(w, key, klen, FLAGS_HEAD_ROOM, pretty, true);
	*q++ = '{';
	q = inner_key(q, 0, in, "value", 5, pretty, true);
	q = whea_dec4_at(q, (uint32_t)v);
	const char *end = w->end;
	for (size_t i = 0; names[i].name; i++) {
		if (JW_UNLIKELY((size_t)(end - q) < FLAG_ROOM(255) + INNER_ROOM(0))) {
			flags_rest(w, q, v, names, nlens, i, pretty);
			return;
		}
		size_t l = nlens[i];
		q = kpre_at(q, &pre, false, pretty);
		copy_str(q, names[i].name, l);
		memcpy(q + l, "\": ", 4);
		q += l + (pretty ? 3 : 2);
		q = bool_at(q, flag_set(&names[i], v));
	}
	w->p = close_at(q, w->ind, pretty, true);
}

/* Room for the members of a compiled flag set after their names: separator and indentation (a
 * fixed 32-byte copy), the slack of whole-block name copies (32), '": ', "false", slack. */
#define FLAG_MEMBER_ROOM 80

/* A flag set with compiled names (see whea_flagnames): like flags_member, with one check of the
 * room for all members and the names copied in whole blocks. */
static WHEA_ALWAYS_INLINE void flags_compiled(jw *w, const char *key, size_t klen, uint64_t v,
					      const whea_flagnames *fn, const whea_name *names, const uint8_t *nlens,
					      bool pretty)
{
	unsigned in = inner_ind(w);
	kpre pre;
	if (JW_UNLIKELY(v >= 10000 || !member_fits(w, klen, FLAGS_HEAD_ROOM + fn->n * FLAG_MEMBER_ROOM + fn->room +
								     INNER_ROOM(0), pretty) ||
			!kpre_init(&pre, in, pretty))) {
		flags_slow(w, key, klen, v, names, nlens, pretty);
		return;
	}
	char *q = member_at_(w, key, klen, FLAGS_HEAD_ROOM, pretty, true);
	*q++ = '{';
	q = inner_key(q, 0, in, "value", 5, pretty, true);
	q = whea_dec4_at(q, (uint32_t)v);
	/* the bounds in locals: the stores could alias the table for all the compiler knows */
	for (const whea_skey *nk = fn->names, *end = nk + fn->n; nk < end; nk++) {
		size_t l = nk->klen;
		bool set = whea_skey_bits(nk, v) != 0;
		q = kpre_at(q, &pre, false, pretty);
		pkey_copy(q, nk->key, l);
		q = bool_at(q + l + (pretty ? 3 : 2), set);
	}
	w->p = close_at(q, w->ind, pretty, true);
}

static WHEA_ALWAYS_INLINE void j_bits(void *ctx, const whea_skey *k, uint64_t v, unsigned width,
				      const whea_name *names, const uint8_t *nlens, const whea_def *validdef,
				      const whea_flagnames *fn, bool pretty)
{
	(void)width;
	jw *w = ctx;
	KEY_OF(k);
	if (validdef) { /* validation bits: a plain number; the gated fields say the rest */
		if (JW_UNLIKELY(!member_fits(w, klen, 20, pretty)))
			num_slow(w, key, klen, v, pretty);
		else
			num_member_f(w, key, klen, v, pretty, true);
	} else if (fn) { /* flag sets: "value" and one boolean per named bit */
		flags_compiled(w, key, klen, v, fn, names, nlens, pretty);
	} else {
		flags_member(w, key, klen, v, names, nlens, pretty);
	}
}

static WHEA_ALWAYS_INLINE void j_bool(void *ctx, const whea_skey *k, bool v, bool pretty)
{
	jw *w = ctx;
	KEY_OF(k);
	if (JW_UNLIKELY(!member_fits(w, klen, 8, pretty)))
		bool_slow(w, key, klen, v, pretty);
	else
		bool_member_f(w, key, klen, v, pretty, true);
}

/* The value of an enum member of a run at q (see j_enm; room checked); returns the end. Its
 * names are compiled (padded). */
static WHEA_ALWAYS_INLINE char *enum_value_at(jw *w, char *q, const whea_skey *k, uint64_t v, bool pretty)
{
	const whea_skey *e = whea_skey_enum(k, v);
	const char *name = e ? e->key : NULL;
	size_t nlen = e ? e->klen : 0;
	if (v < 10000 && (!pretty || inner_ind(w) < SEP_NL_COPY)) /* as j_enm's common case */
		enum_object_(w, q, v, name, nlen, true, k->fmt, pretty, true, true);
	else
		enum_object_(w, q, v, name, nlen, true, k->fmt, pretty, false, true);
	return w->p;
}

/* enum_value_at per mode, out of line (rare enough among the members of a run). */
static JW_NOINLINE char *enum_value_c(jw *w, char *q, const whea_skey *k, uint64_t v)
{
	return enum_value_at(w, q, k, v, false);
}
static JW_NOINLINE char *enum_value_p(jw *w, char *q, const whea_skey *k, uint64_t v)
{
	return enum_value_at(w, q, k, v, true);
}

/* One member k (number, boolean, enum) of value v of a run at q (room checked); bools: test for a
 * boolean first (the bitfields of sink.fields are mostly flags, the runs mostly numbers). */
static WHEA_ALWAYS_INLINE char *scalar_at_(jw *w, char *q, const whea_skey *k, uint64_t v, const kpre *pre, bool first,
					   bool pretty, bool bools)
{
	/* everything read before the first store (the stores could alias it for all the compiler knows) */
	const char *key = k->key;
	size_t klen = k->klen;
	unsigned kind = k->kind;
	q = kpre_at(q, pre, first, pretty);
	pkey_copy(q, key, klen);
	q += klen + (pretty ? 3 : 2);
	if (bools && kind == WHEA_SK_BOOL)
		return bool_at(q, v != 0);
	if (kind) /* one test for the numbers */
		return kind == WHEA_SK_BOOL ? bool_at(q, v != 0) : (pretty ? enum_value_p : enum_value_c)(w, q, k, v);
	/* the big numbers inline too: no call in the loop, so no stack frame for the run */
	if (v < 10) {
		*q = (char)('0' + v);
		return q + 1;
	}
	return v < 10000 ? whea_dec4_at(q, (uint32_t)v) : whea_dec_big_at(q, v);
}

static WHEA_ALWAYS_INLINE char *scalar_at(jw *w, char *q, const whea_skey *k, uint64_t v, const kpre *pre, bool first,
					  bool pretty)
{
	return scalar_at_(w, q, k, v, pre, first, pretty, false);
}

/* Worst case of one member of a run beyond its key: separator and indentation (a fixed 32-byte
 * copy at least), the quote, the slack of whole-block key copies (32), '": ', the value (20). */
static inline size_t scalar_room(const jw *w, bool pretty) { return (pretty ? w->ind + 1 + 32 : 1) + 1 + 32 + 4 + 20; }

/* Run members from a[i] on, each with its own check of the room (near the end of the buffer). */
static JW_NOINLINE void scalars_slow(jw *w, const whea_scalar *a, size_t i, size_t n, bool pretty)
{
	for (; i < n; i++) {
		const whea_skey *k = a[i].k;
		if (k->kind == WHEA_SK_ENUM) {
			const whea_skey *e = whea_skey_enum(k, a[i].v);
			enum_slow(w, k->key, k->klen, a[i].v, e ? e->key : NULL, e ? e->klen : 0, k->fmt, pretty);
			continue;
		}
		if (k->klen > JW_KEY_MAX) {
			if (k->kind == WHEA_SK_BOOL)
				bool_member(w, k->key, k->klen, a[i].v != 0, pretty);
			else
				num_member(w, k->key, k->klen, a[i].v, pretty);
			continue;
		}
		char *q = room(w, scalar_room(w, pretty) + k->klen);
		q = sep_at(q, w->comma, w->ind, pretty, false);
		w->comma = 1;
		*q++ = '"';
		whea_copy_blocks(q, k->key, k->klen);
		q += k->klen;
		memcpy(q, "\": ", 4);
		q += pretty ? 3 : 2;
		w->p = k->kind == WHEA_SK_BOOL ? bool_at(q, a[i].v != 0) : dec_at(q, a[i].v);
	}
}

/* A run of plain members (see whea_sink.scalars): numbers and booleans, with one check of the
 * room for all of them (keys: at least the sum of their lengths). */
static WHEA_ALWAYS_INLINE void j_scalars(void *ctx, const whea_scalar *a, size_t n, size_t keys, bool pretty)
{
	jw *w = ctx;
	char *q = w->p;
	kpre pre;
	if (JW_UNLIKELY((size_t)(w->end - q) < n * scalar_room(w, pretty) + keys ||
			!kpre_init(&pre, w->ind, pretty))) {
		scalars_slow(w, a, 0, n, pretty);
		return;
	}
	size_t i = 0;
	if (!w->comma && n) /* the first member of its container */
		q = scalar_at(w, q, a[0].k, a[0].v, &pre, true, pretty), w->comma = 1, i++;
	for (; i < n; i++)
		q = scalar_at(w, q, a[i].k, a[i].v, &pre, false, pretty);
	w->p = q;
}

/* A bitfield object of plain members (see whea_sink.fields): opened, its members with one check
 * of the room (else one by one), closed. */
static WHEA_ALWAYS_INLINE void j_fields(void *ctx, const whea_skey *k, const whea_skey *value, uint64_t v,
					const whea_skey *bits, size_t n, size_t keys, bool pretty)
{
	jw *w = ctx;
	j_begin(ctx, k, false, pretty);
	char *q = w->p;
	kpre pre;
	if (JW_UNLIKELY((size_t)(w->end - q) < (n + 1) * scalar_room(w, pretty) + keys ||
			!kpre_init(&pre, w->ind, pretty))) {
		whea_scalar a = {value, v};
		j_scalars(ctx, &a, 1, value->room, pretty);
		for (size_t i = 0; i < n; i++) {
			a.k = &bits[i], a.v = whea_skey_bits(&bits[i], v);
			j_scalars(ctx, &a, 1, a.k->room, pretty);
		}
	} else {
		q = scalar_at(w, q, value, v, &pre, true, pretty); /* the object is new: no comma */
		for (const whea_skey *b = bits, *e = bits + n; b < e; b++)
			q = scalar_at_(w, q, b, whea_skey_bits(b, v), &pre, false, pretty, true);
		w->p = q;
		w->comma = 1;
	}
	j_end(ctx, false, pretty);
}

/* A block of plain members (see whea_sink.rows): with one check of the room (else one by one). */
static WHEA_ALWAYS_INLINE void j_rows(void *ctx, const whea_skey *k, size_t n, const uint8_t *st, size_t keys,
				      bool pretty)
{
	jw *w = ctx;
	char *q = w->p;
	kpre pre;
	if (JW_UNLIKELY((size_t)(w->end - q) < n * scalar_room(w, pretty) + keys ||
			!kpre_init(&pre, w->ind, pretty))) {
		for (size_t i = 0; i < n; i++) {
			whea_scalar a = {&k[i], whea_skey_row(&k[i], st)};
			j_scalars(ctx, &a, 1, k[i].room, pretty);
		}
		return;
	}
	size_t i = 0;
	if (!w->comma) /* the first member of its container */
		q = scalar_at(w, q, &k[0], whea_skey_row(&k[0], st), &pre, true, pretty), w->comma = 1, i++;
	for (; i < n; i++)
		q = scalar_at(w, q, &k[i], whea_skey_row(&k[i], st), &pre, false, pretty);
	w->p = q;
}

/* Elements of an array of integers (see whea_sink.elems): with one check of the room (else one
 * by one as j_num writes them). */
static WHEA_ALWAYS_INLINE void j_elems(void *ctx, const uint8_t *p, size_t n, size_t es, int fmt, bool pretty)
{
	jw *w = ctx;
	char *q = w->p;
	if (JW_UNLIKELY(fmt == WHEA_FMT_BCDREV || (size_t)(w->end - q) < n * (SEP_NL_COPY + 24) ||
			(pretty && w->ind > SHALLOW_IND))) {
		for (size_t i = 0; i < n; i++)
			j_num(ctx, &whea_skey_none, whea_leN(p + i * es, (unsigned)es), fmt, (unsigned)es, pretty);
		return;
	}
	unsigned comma = w->comma;
	for (size_t i = 0; i < n; i++, comma = 1)
		q = dec_at(sep_at(q, comma, w->ind, pretty, true), whea_leN(p + i * es, (unsigned)es));
	w->comma = 1;
	w->p = q;
}

/* ---- GUIDs: the text is made in vector registers where the compiler has them (two 16-digit
 * halves from nibbles, no table); the escaped name of a type is cached per thread. */
#if defined(__GNUC__) && defined(__SSE2__)
#if defined(__clang__)
#define JW_ZIP(a, b, i)                                                                                    \
	__builtin_shufflevector(a, b, i, i + 16, i + 1, i + 17, i + 2, i + 18, i + 3, i + 19, i + 4, i + 20, i + 5, \
				i + 21, i + 6, i + 22, i + 7, i + 23)
#else
#define JW_ZIP(a, b, i)                                                                                    \
	__builtin_shuffle(a, b, (jw_u8x16){i, i + 16, i + 1, i + 17, i + 2, i + 18, i + 3, i + 19, i + 4, i + 20, i + 5, \
					   i + 21, i + 6, i + 22, i + 7, i + 23})
#endif

/* Lower-case hex digits of the 16 nibbles in h. */
static WHEA_ALWAYS_INLINE jw_u8x16 hex16(jw_u8x16 h) { return h + '0' + ((h > 9) & ('a' - '0' - 10)); }

/* The quoted GUID text at q (40 bytes of room); returns the end. */
static WHEA_ALWAYS_INLINE char *guid_text_at(char *q, const whea_guid *g)
{
	uint64_t a, b;
	memcpy(&a, g->b, 8), memcpy(&b, g->b + 8, 8);
	/* Data1..3 are little-endian numbers: their bytes in printing order (Data4 is in order) */
	uint32_t d23 = (uint32_t)(a >> 32);
	d23 = ((d23 & 0x00ff00ffu) << 8) | ((d23 >> 8) & 0x00ff00ffu);
	a = (uint64_t)__builtin_bswap32((uint32_t)a) | (uint64_t)d23 << 32;
	jw_u8x16 v = (jw_u8x16)(jw_u64x2){a, b};
	jw_u8x16 hi = (v >> 4) & 15, lo = v & 15;
	jw_u8x16 t1 = hex16(JW_ZIP(hi, lo, 0)), t2 = hex16(JW_ZIP(hi, lo, 8));
	/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx": both 16-digit halves stored whole, the digits
	 * after each dash moved by stores that overlap */
	char c1[16], c2[16];
	memcpy(c1, &t1, 16), memcpy(c2, &t2, 16);
	q[0] = '"';
	memcpy(q + 1, c1, 16);
	memcpy(q + 15, c1 + 12, 4);
	memcpy(q + 10, c1 + 8, 4);
	memcpy(q + 21, c2, 16);
	memcpy(q + 20, c2, 4);
	q[9] = q[14] = q[19] = q[24] = '-';
	q[37] = '"';
	return q + 38;
}
#else
static char *guid_text_at(char *q, const whea_guid *g)
{
	q[0] = '"';
	whea_guid_format(g, q + 1); /* its NUL lands where the closing quote goes */
	q[WHEA_GUID_STRLEN + 1] = '"';
	return q + WHEA_GUID_STRLEN + 2;
}
#endif

#define NC_SLOTS 64
#define NC_TEXT 48 /* quoted, escaped type names up to this long are kept */

/* Type names as JSON strings, by the name's address and the registry generation (a section
 * type's name may go away with its type). */
typedef struct nc_ent {
	const char *name;
	unsigned gen;
	uint8_t len; /* of text; 0 = not kept (too long) */
	char text[NC_TEXT];
} nc_ent;

static _Thread_local nc_ent ncache[NC_SLOTS];

/* Fills e with name (a cache miss). */
static JW_NOINLINE void nc_fill(nc_ent *e, const char *name, unsigned gen)
{
	e->name = name, e->gen = gen, e->len = 0;
	size_t n = strlen(name);
	char b[6 * NC_TEXT];
	if (n + 2 > NC_TEXT) /* too long even unescaped */
		return;
	size_t m = (size_t)(esc_at(b, (const uint8_t *)name, n) - b) + 2;
	if (m > NC_TEXT)
		return;
	e->text[0] = '"';
	memcpy(e->text + 1, b, m - 2);
	e->text[m - 1] = '"';
	e->len = (uint8_t)m;
}

/* The cache entry of name: one of two slots (names are packed together in memory, so their
 * addresses are mixed by a multiplication first; two ways, because a pair of names that share
 * a slot and alternate, as a record's names do, would otherwise miss every time). A miss fills the
 * first slot and moves its old entry to the second. */
static JW_NOINLINE nc_ent *nc_miss(nc_ent *e, const char *name, unsigned gen)
{
	e[1] = e[0];
	nc_fill(e, name, gen);
	return e;
}

static inline nc_ent *nc_get(const char *name, unsigned gen)
{
	nc_ent *e = &ncache[(((uintptr_t)name * 0x9e3779b97f4a7c15ull) >> 58) & (NC_SLOTS - 2)];
	if (JW_UNLIKELY(e->name != name || e->gen != gen)) {
		if (e[1].name != name || e[1].gen != gen)
			return nc_miss(e, name, gen);
		return e + 1;
	}
	return e;
}

/* Notification type names by GUID (a pure function of the value, looked up in a list). */
#define NT_SLOTS 8
static _Thread_local struct {
	uint64_t lo, hi;
	const char *name; /* NULL: unknown */
	bool used;
} ntcache[NT_SLOTS];

static const char *notify_name(const whea_guid *g)
{
	uint64_t lo, hi;
	memcpy(&lo, g->b, 8), memcpy(&hi, g->b + 8, 8);
	unsigned i = (unsigned)(((lo ^ hi) * 0x9e3779b97f4a7c15ull) >> 61);
	if (!ntcache[i].used || ntcache[i].lo != lo || ntcache[i].hi != hi) {
		ntcache[i].used = true, ntcache[i].lo = lo, ntcache[i].hi = hi;
		ntcache[i].name = whea_notify_type_name(g);
	}
	return ntcache[i].name;
}

/* Whole typed GUID objects as written, per thread: the object is a function of the GUID, its role,
 * the registry generation (for section types) and, pretty, the indentation, and the same few
 * GUIDs come in every record, so a hit replaces the type lookup, the name cache and the GUID text
 * with one copy. Only known section types are kept: registering a type does not change the
 * generation, so an "Unknown" could go stale, while a known type changes only by unregistering,
 * which does. Two ways per set, as in the name cache. */
#define TG_SLOTS 64
#define TG_TEXT 160 /* objects up to TG_TEXT - 16 bytes are kept (copied in whole 16-byte blocks) */
typedef struct tg_ent {
	uint64_t lo, hi;
	unsigned gen;
	unsigned tag; /* role, and the indentation (pretty) or 0xff (compact) */
	unsigned len; /* of text; 0: empty */
	char text[TG_TEXT];
} tg_ent;

static _Thread_local tg_ent tgcache[TG_SLOTS];

/* The first of the two slots of a GUID. */
static inline tg_ent *tg_set(uint64_t lo, uint64_t hi)
{
	return &tgcache[(((lo ^ hi) * 0x9e3779b97f4a7c15ull) >> 58) & (TG_SLOTS - 2)];
}

static inline bool tg_match(const tg_ent *e, uint64_t lo, uint64_t hi, unsigned gen, unsigned tag)
{
	return e->len && e->lo == lo && e->hi == hi && e->gen == gen && e->tag == tag;
}

/* Keeps the object text[0..len) of a GUID (a miss): in the first slot, its old entry moved to the
 * second. */
static JW_NOINLINE void tg_store(tg_ent *e, uint64_t lo, uint64_t hi, unsigned gen, unsigned tag, const char *text,
				 size_t len)
{
	if (len > TG_TEXT - 16)
		return;
	e[1] = e[0];
	e->lo = lo, e->hi = hi, e->gen = gen, e->tag = tag, e->len = (unsigned)len;
	memcpy(e->text, text, len);
}

/* A section or notification type GUID: {"data" or "guid": its text, "type": its name}, made (a
 * miss of the object cache). Returns where the object starts when it was made in one piece. */
static WHEA_ALWAYS_INLINE char *typed_guid_make(jw *w, const char *key, size_t klen, const whea_guid *g, int role,
						bool pretty, bool *known)
{
	const char *name;
	unsigned gen = 0;
	*known = true;
	if (role == WHEA_GUID_SECTION_TYPE) {
		const whea_section_type *t = whea_section_lookup(g);
		name = t ? t->name : NULL;
		*known = t != NULL;
		if (t)
			gen = whea_registry_generation();
	} else {
		name = notify_name(g);
	}
	if (!name)
		name = "Unknown";
	const nc_ent *e = nc_get(name, gen);
	size_t tlen = e->len ? 0 : strlen(name);
	char *q = member_at(w, key, klen, 1 + INNER_ROOM(4) + 40 + INNER_ROOM(4) + NC_TEXT + str_room(tlen) + INNER_ROOM(0),
			    pretty);
	char *start = q;
	unsigned in = inner_ind(w);
	*q++ = '{';
	q = inner_key(q, 0, in, role == WHEA_GUID_SECTION_TYPE ? "data" : "guid", 4, pretty, false);
	q = guid_text_at(q, g);
	q = inner_key(q, 1, in, "type", 4, pretty, false);
	if (e->len) {
		memcpy(q, e->text, NC_TEXT); /* fixed size: the room covers it */
		q += e->len;
	} else {
		str_from(w, q, (const uint8_t *)name, tlen);
		q = room(w, INNER_ROOM(0));
		start = NULL;
	}
	w->p = close_at(q, w->ind, pretty, false);
	return start;
}

/* The key of a typed GUID object in the cache: role and the indentation (pretty) or 0xff. */
static inline unsigned tg_tag(const jw *w, int role, bool pretty)
{
	return (unsigned)role | (pretty ? (w->ind & 0xff) : 0xff) << 8;
}

/* A typed GUID object not in the cache (or without the room for the fast copy): made, and kept
 * when it was made in one piece. (Few arguments: the hit path ends in a tail call to it.) */
static JW_NOINLINE void typed_guid_miss(jw *w, const char *key, size_t klen, const whea_guid *g, int role, bool pretty)
{
	uint64_t lo, hi;
	memcpy(&lo, g->b, 8), memcpy(&hi, g->b + 8, 8);
	unsigned gen = role == WHEA_GUID_SECTION_TYPE ? whea_registry_generation() : 0, tag = tg_tag(w, role, pretty);
	bool known;
	char *start = pretty ? typed_guid_make(w, key, klen, g, role, true, &known)
			     : typed_guid_make(w, key, klen, g, role, false, &known);
	tg_ent *e = tg_set(lo, hi);
	if (start && known && !w->in_scratch && !tg_match(e, lo, hi, gen, tag) && !tg_match(e + 1, lo, hi, gen, tag))
		tg_store(e, lo, hi, gen, tag, start, (size_t)(w->p - start));
}

/* Bytes of a cached object copied in one go (6 blocks; longer ones copy the rest in blocks). */
#define TG_COPY 96

static WHEA_ALWAYS_INLINE void typed_guid_member(jw *w, const char *key, size_t klen, const whea_guid *g, int role,
						 bool pretty)
{
	uint64_t lo, hi;
	memcpy(&lo, g->b, 8), memcpy(&hi, g->b + 8, 8);
	unsigned gen = role == WHEA_GUID_SECTION_TYPE ? whea_registry_generation() : 0, tag = tg_tag(w, role, pretty);
	tg_ent *e = tg_set(lo, hi), *hit = tg_match(e, lo, hi, gen, tag) ? e : tg_match(e + 1, lo, hi, gen, tag) ? e + 1 : NULL;
	if (JW_UNLIKELY(!hit || !member_fits(w, klen, TG_TEXT, pretty))) {
		typed_guid_miss(w, key, klen, g, role, pretty);
		return;
	}
	char *q = member_at_(w, key, klen, TG_TEXT, pretty, true);
	size_t len = hit->len;
	memcpy(q, hit->text, TG_COPY); /* the entry and the room cover it */
	if (JW_UNLIKELY(len > TG_COPY))
		for (size_t i = TG_COPY; i < len; i += 16)
			memcpy(q + i, hit->text + i, 16);
	w->p = q + len;
}

_Static_assert(TG_COPY <= TG_TEXT && TG_TEXT % 16 == 0, "typed GUID cache copies");

/* typed_guid_member per mode, out of the callbacks' frameless path. */
static JW_NOINLINE void typed_guid_c(jw *w, const char *key, size_t klen, const whea_guid *g, int role)
{
	typed_guid_member(w, key, klen, g, role, false);
}
static JW_NOINLINE void typed_guid_p(jw *w, const char *key, size_t klen, const whea_guid *g, int role)
{
	typed_guid_member(w, key, klen, g, role, true);
}

static JW_NOINLINE void guid_slow(jw *w, const char *key, size_t klen, const whea_guid *g, bool pretty)
{
	w->p = guid_text_at(member_at(w, key, klen, 40, pretty), g);
}

static WHEA_ALWAYS_INLINE void j_guid(void *ctx, const whea_skey *k, const whea_guid *g, int role, bool pretty)
{
	jw *w = ctx;
	KEY_OF(k);
	if (role == WHEA_GUID_SECTION_TYPE || role == WHEA_GUID_NOTIFY_TYPE)
		(pretty ? typed_guid_p : typed_guid_c)(w, key, klen, g, role);
	else if (JW_UNLIKELY(!member_fits(w, klen, 40, pretty)))
		guid_slow(w, key, klen, g, pretty);
	else
		w->p = guid_text_at(member_at_(w, key, klen, 40, pretty, true), g);
}

/* The largest reservations of the paths that may use the scratch area fit in it. */
_Static_assert(MEMBER_ROOM(JW_KEY_MAX) + ENUM_ROOM(6 * ENUM_NAME_MAX + 10) <= JW_SCRATCH, "enum object");
_Static_assert(MEMBER_ROOM(JW_KEY_MAX) + 1 + 2 * INNER_ROOM(4) + 40 + NC_TEXT + 6 * JW_CHUNK + 10 + INNER_ROOM(0) <=
		       JW_SCRATCH,
	       "typed GUID");
_Static_assert(MEMBER_ROOM(JW_KEY_MAX) + WHEA_B64_LEN(JW_B64_CHUNK) + 2 <= JW_SCRATCH, "base64 piece");

/* ---- The callbacks used by both modes. */

static void j_text(void *ctx, const whea_skey *k, const uint8_t *p, size_t n)
{
	KEY_OF(k);
	while (n && !p[n - 1])
		n--;
	str_member(ctx, key, klen, p, n);
}

static void j_bytes(void *ctx, const whea_skey *name, const uint8_t *p, size_t n)
{
	jw *w = ctx;
	KEY_OF(name);
	size_t k = n < JW_B64_CHUNK ? n : JW_B64_CHUNK;
	char *q = member_at(w, key, klen, WHEA_B64_LEN(k) + 2, w->pretty);
	*q++ = '"';
	for (;;) {
		whea_b64_encode(q, p, k); /* SSSE3 where the CPU has it (util/base64.c) */
		q += WHEA_B64_LEN(k);
		p += k;
		n -= k;
		if (!n)
			break;
		k = n < JW_B64_CHUNK ? n : JW_B64_CHUNK;
		w->p = q;
		q = room(w, WHEA_B64_LEN(k) + 1);
	}
	*q = '"';
	w->p = q + 1;
}

/* k holds a key of klen (at most 63) bytes: appends suffix, cut at 63 characters in all (as
 * before); returns the new length. */
static size_t key_suffix(char k[64], size_t klen, const char *suffix, size_t slen)
{
	if (slen > 63 - klen)
		slen = 63 - klen;
	memcpy(k + klen, suffix, slen);
	return klen + slen;
}

/* "YYYY-MM-DDTHH:MM:SS" (quoted) at q (room for 40 bytes). */
static char *date_at(char *q, const whea_time *t)
{
	*q++ = '"';
	if (t->year < 10000 && t->month < 100 && t->day < 100 && t->hour < 100 && t->minute < 100 && t->second < 100) {
		q = whea_pair_at(whea_pair_at(q, t->year / 100), t->year % 100);
		*q++ = '-';
		q = whea_pair_at(q, t->month);
		*q++ = '-';
		q = whea_pair_at(q, t->day);
		*q++ = 'T';
		q = whea_pair_at(q, t->hour);
		*q++ = ':';
		q = whea_pair_at(q, t->minute);
		*q++ = ':';
		q = whea_pair_at(q, t->second);
	} else { /* wider fields than a date has, as the padded decimals give them */
		q += whea_u64_dec_pad(q, t->year, 4);
		*q++ = '-';
		q += whea_u64_dec_pad(q, t->month, 2);
		*q++ = '-';
		q += whea_u64_dec_pad(q, t->day, 2);
		*q++ = 'T';
		q += whea_u64_dec_pad(q, t->hour, 2);
		*q++ = ':';
		q += whea_u64_dec_pad(q, t->minute, 2);
		*q++ = ':';
		q += whea_u64_dec_pad(q, t->second, 2);
	}
	*q++ = '"';
	return q;
}

/* A member whose value is the JSON string of the (static) name s, cached escaped. */
static void name_member(jw *w, const char *key, size_t klen, const char *s)
{
	const nc_ent *e = nc_get(s, 0);
	if (!e->len) {
		str_member(w, key, klen, (const uint8_t *)s, strlen(s));
		return;
	}
	char *q = member_at(w, key, klen, NC_TEXT, w->pretty);
	memcpy(q, e->text, NC_TEXT); /* fixed size: the room covers it */
	w->p = q + e->len;
}

/* "key": followed by a space (pretty) at q, the key of kl bytes and then suffix (a constant of
 * slen bytes, at most 12, stored with '": ' in one 16-byte copy). */
static WHEA_ALWAYS_INLINE char *suffixed_key_at(char *q, const char *key, size_t kl, const char *suffix, size_t slen,
						bool pretty)
{
	char b[16] = {0};
	memcpy(b, suffix, slen);
	memcpy(b + slen, "\": ", 3);
	copy_str(q, key, kl);
	memcpy(q + kl, b, 16);
	return q + kl + slen + (pretty ? 3 : 2);
}

/* Longest key whose suffixed keys are not cut (see key_suffix). */
#define TIME_KEY_MAX (63 - 9)

/* The three members of a decoded timestamp (date, "IsPrecise", "Encoding") in one reservation,
 * when the key is short, the encoding's name is cached and the room is there; false otherwise. */
static bool time_members(jw *w, const char *key, size_t kl, const whea_time *t)
{
	bool pretty = w->pretty;
	const nc_ent *e = nc_get(whea_ts_encoding_name(t->encoding), 0);
	kpre pre;
	if (!e->len || kl > TIME_KEY_MAX || !member_fits(w, kl + 12, 2 * MEMBER_ROOM(kl + 12) + 40 + 8 + NC_TEXT, pretty) ||
	    !kpre_init(&pre, w->ind, pretty))
		return false;
	char *q = kpre_at(w->p, &pre, !w->comma, pretty);
	q = date_at(suffixed_key_at(q, key, kl, "", 0, pretty), t);
	q = kpre_at(q, &pre, false, pretty);
	q = bool_at(suffixed_key_at(q, key, kl, "IsPrecise", 9, pretty), t->precise);
	q = kpre_at(q, &pre, false, pretty);
	q = suffixed_key_at(q, key, kl, "Encoding", 8, pretty);
	memcpy(q, e->text, NC_TEXT); /* fixed size: the room covers it */
	w->p = q + e->len;
	w->comma = 1;
	return true;
}

static void j_time(void *ctx, const whea_skey *name, const uint8_t raw[8], int hint)
{
	jw *w = ctx;
	whea_time t;
	bool ok = whea_timestamp_decode(raw, hint, &t) == 0;
	bool exact = ok && whea_ts_exact(raw, &t);
	const char *key = name->key;
	size_t klen = name->klen, kl = klen < 63 ? klen : 63;
	if (ok && time_members(w, key, klen, &t))
		ok = false; /* written */
	char k[64];
	memcpy(k, key, kl);
	if (ok) {
		w->p = date_at(member_at(w, key, klen, 40, w->pretty), &t);
		bool_member(w, k, key_suffix(k, kl, "IsPrecise", 9), t.precise, w->pretty);
		name_member(w, k, key_suffix(k, kl, "Encoding", 8), whea_ts_encoding_name(t.encoding));
	}
	if (!exact) { /* not a canonical encoding of any date: keep the bytes */
		uint64_t v = 0;
		for (int i = 7; i >= 0; i--)
			v = v << 8 | raw[i];
		num_member(w, k, key_suffix(k, kl, "Raw", 3), v, w->pretty);
	}
}

static void j_diag(void *ctx, const whea_diag *d)
{
	jw *w = ctx;
	if (d->severity == WHEA_DIAG_ERROR)
		w->counts.errors++;
	else
		w->counts.warnings++;
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
	bool pretty = w->pretty;
	if (!w->ndiag)
		return;
	open_(w, "diagnostics", 11, '[', pretty);
	for (unsigned i = 0; i < w->ndiag; i++) {
		open_(w, NULL, 0, '{', pretty);
		/* severity and code are static names: from the name cache, escaped once */
		name_member(w, "severity", 8, w->diag[i].sev == WHEA_DIAG_ERROR ? "error" : "warning");
		num_member(w, "offset", 6, w->diag[i].off, pretty);
		name_member(w, "code", 4, whea_error_name(w->diag[i].code));
		str_member_z(w, "message", w->diag[i].msg);
		close_(w, '}', pretty);
	}
	if (w->dropped) {
		open_(w, NULL, 0, '{', pretty);
		char b[64];
		whea_format(b, sizeof b, "%u more diagnostics not shown", w->dropped);
		str_member_z(w, "message", b);
		close_(w, '}', pretty);
	}
	close_(w, ']', pretty);
}

/* ---- The two sinks: thin copies of the busy callbacks per mode. */

/* Defines name_c and name_p: the body `name` with pretty false / true. */
#define JW_MODES(name, params, ...)                                        \
	static void name##_c params { name(__VA_ARGS__, false); }          \
	static void name##_p params { name(__VA_ARGS__, true); }

JW_MODES(j_begin, (void *c, const whea_skey *k, bool a), c, k, a)
JW_MODES(j_end, (void *c, bool a), c, a)
JW_MODES(j_num, (void *c, const whea_skey *k, uint64_t v, int f, unsigned wd), c, k, v, f, wd)
JW_MODES(j_enm, (void *c, const whea_skey *k, uint64_t v, const char *n, size_t nl, int f), c, k, v, n, nl, f)
JW_MODES(j_bits, (void *c, const whea_skey *k, uint64_t v, unsigned wd, const whea_name *n, const uint8_t *nl,
		  const whea_def *d, const whea_flagnames *fn), c, k, v, wd, n, nl, d, fn)
JW_MODES(j_bool, (void *c, const whea_skey *k, bool v), c, k, v)
JW_MODES(j_guid, (void *c, const whea_skey *k, const whea_guid *g, int r), c, k, g, r)
JW_MODES(j_scalars, (void *c, const whea_scalar *a, size_t n, size_t room), c, a, n, room)
JW_MODES(j_fields, (void *c, const whea_skey *k, const whea_skey *vk, uint64_t v, const whea_skey *b, size_t n, size_t room),
	 c, k, vk, v, b, n, room)
JW_MODES(j_rows, (void *c, const whea_skey *k, size_t n, const uint8_t *st, size_t room), c, k, n, st, room)
JW_MODES(j_elems, (void *c, const uint8_t *p, size_t n, size_t es, int fmt), c, p, n, es, fmt)

static const whea_sink sink_compact = {NULL,   j_begin_c, j_end_c,  j_num_c,  j_enm_c, j_bits_c, j_bool_c,
				       j_guid_c, j_text, j_bytes, j_time, j_diag, j_scalars_c, j_fields_c, j_rows_c, j_elems_c, NULL, false};
static const whea_sink sink_pretty = {NULL,   j_begin_p, j_end_p,  j_num_p,  j_enm_p, j_bits_p, j_bool_p,
				      j_guid_p, j_text, j_bytes, j_time, j_diag, j_scalars_p, j_fields_p, j_rows_p, j_elems_p, NULL, false};

int whea_record_to_json(const whea_record *r, whea_out *o, unsigned flags)
{
	return whea_record_to_json_counted(r, o, flags, NULL);
}

int whea_record_to_json_counted(const whea_record *r, whea_out *o, unsigned flags, whea_diag_counts *counts)
{
	jw w;
	w.o = o;
	w.pretty = flags & WHEA_JSON_PRETTY;
	w.comma = 0;
	w.depth = 0;
	w.ind = ind_of(0);
	w.in_scratch = false;
	w.p = w.synced = o->buf ? o->buf + o->len : NULL;
	w.end = o->buf ? o->buf + o->cap : NULL;
	w.ndiag = w.dropped = 0;
	w.counts = (whea_diag_counts){0, 0};
	whea_sink s = w.pretty ? sink_pretty : sink_compact;
	s.ctx = &w;
	open_(&w, NULL, 0, '{', w.pretty);
	if (r->errors || r->warnings) { /* re-run the record-level checks to collect their messages */
		whea_record again;
		whea_record_parse(&again, r->data, r->buflen, WHEA_PARSE_TOLERANT, (whea_diag_fn)j_diag, &w);
	}
	whea_interp_record(&s, r);
	write_diags(&w);
	close_(&w, '}', w.pretty);
	jw_sync(&w);
	if (counts)
		*counts = w.counts;
	return o->err;
}
