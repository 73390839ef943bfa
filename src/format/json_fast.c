/* format/json_fast.c — JSON -> CPER without a node tree: walks the record's tables (header,
 * descriptors, each section's layout) exactly like json_encode.c and pulls the tokens from the text
 * in the order json_write.c writes them, storing bytes straight into the output.
 *
 * It only ever accepts what the DOM path accepts and produces the same bytes: every token is checked
 * as strictly as json_read.c checks it, each object's keys must come in table order (so none is
 * unknown or repeated), and every row gets the bytes the DOM path gives it (rows from "notValid"
 * wait for it where the order of the writes cannot matter, see enc_rows). The text is read from a
 * copy with zero bytes after it, so token checks need no end checks (see peek()); the output buffer
 * is all zeros between records. Keys with their colon are compared as precomputed 8-byte words,
 * compiled once per table with what enc_rows() needs of each row (fx_kw); strings, base64, GUIDs and
 * digit runs are scanned 8 or 16 bytes at a time (SSE2 where there is, plain C elsewhere). Anything
 * else — escapes it does not decode, non-ASCII text, whitespace before a colon, unions, truncated
 * sections, overlapping sections, records past 64 KiB, any error — makes it give up (longjmp to
 * run(), and whea_json_fast_encode returns 1) and the caller runs the DOM path from the start. */
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
/* WHEA_JSON_PORTABLE (for testing) leaves out SSE2 and the little-endian digit words. */
#if defined(__SSE2__) && !defined(WHEA_JSON_PORTABLE)
#define FX_SSE2 1
#include <emmintrin.h>
#endif

#include "cper/interp.h"
#include "format/json_fast.h"
#include "format/thread_exit.h"
#include "util/le.h"
#include "whea/format.h"

#if defined(__GNUC__)
#define FX_INLINE inline __attribute__((always_inline))
#define FX_NOINLINE __attribute__((noinline))
#else
#define FX_INLINE inline
#define FX_NOINLINE
#endif

#define FX_CAP 65536u        /* output buffer: larger records take the DOM path */
#define FX_MAX_SECTIONS 64u
#define FX_MAX_JDEPTH 56     /* JSON nesting (the DOM parser allows 64) */
#define FX_MAX_DEF_DEPTH 16  /* json_encode.c's ENC_MAX_DEPTH */
#define FX_MAX_KEYS 32       /* members of one skipped object (for the duplicate-key check) */
#define FX_PAD 128u          /* zero bytes after the copy of the text (see peek()) */
#define FX_MAX_TEXT (1u << 22) /* longer texts take the DOM path (their records are too big anyway) */
#define FX_KEEP_TEXT (1u << 18) /* a copy buffer larger than this is freed after its record */

typedef struct fx {
	const char *end;
	uint8_t *out;
	size_t need;  /* highest offset written */
	size_t dirty; /* out[0..max(need, dirty)) may hold bytes: cleared after the record (see run()) */
	int depth, jdepth;
	const whea_field *forced_f; /* row_sub() answers forced_sub for this row */
	const whea_def *forced_sub;
	jmp_buf bail;
} fx;

static void clear(uint8_t *p, size_t n);

/* Gives up: clears what was written (see "output" below) and returns to run(). */
static _Noreturn void bail(fx *x)
{
	clear(x->out, x->need > x->dirty ? x->need : x->dirty);
	longjmp(x->bail, 1);
}

/* ---- output (json_encode.c's discipline, bounded by FX_CAP) ------------------------------ */

/* The output buffer is all zeros when a record starts (bail() and whea_json_fast_encode() clear what
 * a record wrote), so bytes not written are zeros, as json_encode.c's are. */

/* memset(p, 0, n) for n <= FX_CAP, 64 bytes a round (fewer instructions than the library's). */
static void clear(uint8_t *p, size_t n)
{
	if (n > FX_CAP)
		n = FX_CAP;
	size_t i = 0;
#ifdef FX_SSE2
	const __m128i z = _mm_setzero_si128();
	for (; n - i >= 64; i += 64) {
		__m128i *d = (__m128i *)(void *)(p + i);
		_mm_storeu_si128(d, z), _mm_storeu_si128(d + 1, z), _mm_storeu_si128(d + 2, z), _mm_storeu_si128(d + 3, z);
	}
#endif
	memset(p + i, 0, n - i);
}

static void in_cap(fx *x, size_t upto)
{
	if (upto > FX_CAP)
		bail(x);
}

/* Marks out[at..at+n) as written (n > 0). */
static inline void wrote(fx *x, size_t at, size_t n)
{
	if (at + n > x->need)
		x->need = at + n;
}

/* Room for n bytes at `at`: where they go. */
static inline uint8_t *room_at(fx *x, size_t at, size_t n)
{
	if (at > FX_CAP || n > FX_CAP - at)
		bail(x);
	return x->out + at;
}

static void put_bytes(fx *x, size_t at, const void *p, size_t n)
{
	if (!n)
		return;
	memcpy(room_at(x, at, n), p, n);
	wrote(x, at, n);
}

static inline void put_int(fx *x, size_t at, uint64_t v, unsigned size)
{
	if (!size)
		return;
	if (size > 8)
		bail(x);
	uint8_t *d = room_at(x, at, size);
	switch (size) {
	case 1: d[0] = (uint8_t)v; break;
	case 2: whea_st16(d, (uint16_t)v); break;
	case 4: whea_st32(d, (uint32_t)v); break;
	case 8: whea_st64(d, v); break;
	default: whea_stN(d, v, size); break;
	}
	wrote(x, at, size);
}

/* json_encode.c's view(): the bytes at off a hook may read (len finite). */
static const uint8_t *view(fx *x, size_t off, size_t len, size_t *avail)
{
	return whea_json_view(x->out, FX_CAP, off, len, avail);
}

static const whea_def *row_sub(fx *x, const whea_field *f, size_t base, size_t len)
{
	if (!f->select)
		return f->sub;
	if (f == x->forced_f)
		return x->forced_sub;
	size_t a;
	const uint8_t *p = view(x, base, len, &a);
	return f->select(p, a);
}

/* ---- tokens ------------------------------------------------------------------------------- */

/* The text is a copy with FX_PAD zero bytes after it (whea_json_fast_encode): a NUL is no token's
 * character (nor whitespace, nor part of a plain string, number, key or base64), so every scan
 * stops at the end without comparing pointers, and the cursor never passes the end. Checks read at
 * most FX_PAD bytes ahead of the cursor. */
static inline char peek(const fx *x, const char *p)
{
	(void)x;
	return *p;
}

static inline const char *ws(const fx *x, const char *p)
{
	(void)x;
	if ((unsigned char)*p > ' ')
		return p;
	while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
		p++;
	return p;
}

/* Characters a string may hold as they are: printable ASCII and DEL, not '"' or '\\'. */
static const uint8_t plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20..0x2f, '"' no */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x30.. */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x40.. */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,             /* 0x50.., '\\' no */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x60.. */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,             /* 0x70..0x7f */
};

/* The first character at or after p that is not plain (at the latest the NUL past the text): 16 at a
 * time with SSE2 (every x86-64 has it), 8 at a time elsewhere. */
static inline const char *plain_run(const char *p)
{
#ifdef FX_SSE2
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(' ');
	for (;;) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* signed: bytes >= 0x80 are negative, so one compare finds them and controls */
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
					   _mm_cmplt_epi8(v, space));
		unsigned m = (unsigned)_mm_movemask_epi8(bad);
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#else
	for (;;) {
		uint64_t v;
		memcpy(&v, p, 8);
		const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
		uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
		/* a byte is flagged if it is zero in q or b, below 0x20, or has its high bit set */
		uint64_t t = ((q - ones) & ~q) | ((b - ones) & ~b) | (v - ones * 0x20) | v;
		if (t & high)
			break; /* the byte loop finds it */
		p += 8;
	}
#endif
	while (plain[(uint8_t)*p])
		p++;
	return p;
}

/* Opens an object: the cursor ends at its first key or at '}'. */
static FX_INLINE void obj_open(fx *x, const char **pp)
{
	const char *p = *pp;
	if (peek(x, p) != '{' || ++x->jdepth > FX_MAX_JDEPTH)
		bail(x);
	p = ws(x, p + 1);
	char c = peek(x, p);
	if (c != '"' && c != '}')
		bail(x);
	*pp = p;
}

static inline void obj_close(fx *x, const char **pp)
{
	if (peek(x, *pp) != '}')
		bail(x);
	(*pp)++;
	x->jdepth--;
}

/* A table key as it starts in compact text: its length and the first 16 bytes of '"' key '"' ':'
 * (those past the colon zero), so most keys are told apart, and their colon found, by one or two
 * 8-byte compares; longer keys also by the last 8 bytes. A key followed by whitespace before its
 * colon does not match: it is left in the object, which then does not close, and the fast path
 * gives up. For a def's rows also what enc_rows() asks of each row. */
typedef struct fx_kw {
	uint64_t w, w2;  /* the next 8 bytes (for keys of 7 characters or more) */
	uint64_t m, m2;  /* which of their bytes belong to the key */
	uint64_t w3;     /* keys of 14 characters or more: the last 8 bytes of '"' key '"' ':' */
	uint64_t vbit;   /* rows: the validation bit that gates the row (0: none) */
	const struct fx_kw *sub; /* rows: the key words of its flag names, fixed bitfields or sub's rows */
	uint32_t fend;   /* rows: off + size (for simple rows) */
	uint16_t n;
	uint16_t vbi;    /* rows: whea_def_validbits_row()'s index (the same in every entry), or FX_NO_VB */
	uint8_t linked;  /* rows: linked() */
	uint8_t plain;   /* rows: a plain number (plain_int()) */
	uint8_t simple;  /* rows: simple_row() */
	uint8_t op;      /* simple rows: how enc_rows() encodes the value (fx_op) */
} fx_kw;
#define FX_NO_VB 0xffffu

/* The mask of the first b (0..8) bytes of a word in memory order. */
static inline uint64_t bytes_mask(size_t b)
{
	if (b >= 8)
		return ~0ull;
	if (b == 0)
		return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return ~0ull << (8 * (8 - b));
#else
	return ~0ull >> (8 * (8 - b));
#endif
}

/* The masks of fx_kw.w and .w2 for a key of n characters ('"' key '"' ':' is n + 3 bytes). */
static inline uint64_t kmask(size_t n) { return bytes_mask(n + 3); }
static inline uint64_t kmask2(size_t n) { return bytes_mask(n + 3 > 8 ? n + 3 - 8 : 0); }

static fx_kw kw_make(const char *k)
{
	size_t n = strlen(k);
	if (n > 0xffff)
		n = 0xffff; /* kw_build() refuses it */
	uint8_t b[19] = {'"'};
	memcpy(b + 1, k, n < 15 ? n : 15);
	if (n < 15)
		b[n + 1] = '"', b[n + 2] = ':';
	fx_kw kw = {0};
	kw.m = kmask(n), kw.m2 = kmask2(n), kw.n = (uint16_t)n;
	memcpy(&kw.w, b, 8), memcpy(&kw.w2, b + 8, 8);
	kw.w &= kw.m, kw.w2 &= kw.m2;
	if (n >= 14) {
		uint8_t t[8];
		memcpy(t, k + n - 6, 6);
		t[6] = '"', t[7] = ':';
		memcpy(&kw.w3, t, 8);
	}
	return kw;
}

/* Key words of whole tables (a def's rows, a layout's bitfields, a name list), one array per table
 * in a per-thread arena, found by the table's address; all dropped between records when the arena
 * is half full or a section type was unregistered (a table's memory may then be reused). */
#define FX_KW_ARENA 4096u
#define FX_KW_TABS 1024u
static _Thread_local fx_kw *kw_arena; /* FX_KW_ARENA entries (malloc: not in every thread's TLS) */
static _Thread_local struct {
	const void *owner;
	uint32_t at;
} kw_tabs[FX_KW_TABS];
static _Thread_local uint32_t kw_used, kw_ntabs;
static _Thread_local unsigned kw_gen;

static bool linked(const whea_field *f);

/* How the short path of enc_rows() encodes a simple row's value: the common kinds by small functions
 * of their own, the rest by enc_row(). */
enum fx_op { FX_OP_ROW, FX_OP_PLAIN, FX_OP_GUID, FX_OP_ENUM, FX_OP_FLAGS, FX_OP_BITS };

/* A row enc_rows() handles on its short path: fixed place and size, no hooks, no timestamp pair,
 * index and validation bit within the 64-bit masks. */
static bool simple_row(const whea_field *f, size_t i)
{
	return !linked(f) && f->kind != WHEA_K_TIMESTAMP && i < 64 && f->valid <= 64;
}

/* A row whose value can only be a plain number of 1, 2, 4 or 8 bytes (no names, bitfields, hooks
 * or other forms), as enc_integer() would read it. */
static bool plain_int(const whea_field *f)
{
	if (f->kind != WHEA_K_UINT && f->kind != WHEA_K_VALIDBITS)
		return false;
	if (f->select || f->fmt == WHEA_FMT_BCDREV || (f->kind == WHEA_K_UINT && f->sub && f->sub->nbits))
		return false;
	return f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8;
}

/* The key words of n entries of `stride` bytes at owner, each with its key pointer at keyoff
 * (n = SIZE_MAX: up to the first NULL key); fields: also linked(). NULL if the table is too big. */
static void kw_reset(void)
{
	memset(kw_tabs, 0, sizeof kw_tabs);
	kw_used = kw_ntabs = 0;
}

/* Called once per record, before any table is looked up (pointers into the arena stay valid for
 * the rest of the record): tables of unregistered types go, and a fuller arena starts afresh. */
static void kw_start_record(void)
{
	unsigned gen = whea_registry_generation();
	if (gen != kw_gen || kw_ntabs >= FX_KW_TABS / 2 || kw_used >= FX_KW_ARENA / 2)
		kw_reset(), kw_gen = gen;
}

static void kw_link(fx_kw *t, const whea_field *f, size_t n);

/* fx_kw.op of a simple row (enc_integer()'s cases that do not depend on the text or a hook). */
static uint8_t row_op(const whea_field *f)
{
	if (plain_int(f))
		return FX_OP_PLAIN;
	if (f->kind == WHEA_K_GUID && f->size == 16)
		return FX_OP_GUID;
	if (f->kind == WHEA_K_ENUM)
		return FX_OP_ENUM;
	if (f->kind == WHEA_K_FLAGS)
		return FX_OP_FLAGS;
	if (f->kind == WHEA_K_UINT && f->fmt != WHEA_FMT_BCDREV && !f->select && f->sub && f->sub->nbits)
		return FX_OP_BITS;
	return FX_OP_ROW;
}

static void fx_thread_owns(void);

static const fx_kw *kw_build(const void *owner, size_t n, size_t stride, size_t keyoff, bool fields)
{
	if (!kw_arena) {
		if (!(kw_arena = malloc(FX_KW_ARENA * sizeof *kw_arena)))
			return NULL; /* the callers give up */
		fx_thread_owns();
	}
	if (kw_ntabs >= FX_KW_TABS - 1)
		return NULL;
	size_t h = (size_t)(((uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ull) >> 54);
	while (kw_tabs[h].owner)
		h = (h + 1) & (FX_KW_TABS - 1);
	const char *base = owner;
	if (n == SIZE_MAX)
		for (n = 0; *(const char *const *)(base + n * stride + keyoff); n++)
			;
	if (n > FX_KW_ARENA - kw_used)
		return NULL; /* the callers do without */
	fx_kw *t = kw_arena + kw_used;
	size_t vbi = FX_NO_VB;
	for (size_t i = 0; i < n; i++) {
		t[i] = kw_make(*(const char *const *)(base + i * stride + keyoff));
		if (t[i].n > FX_PAD - 8)
			return NULL; /* is_keyw() reads the key's length ahead */
		if (fields) {
			const whea_field *f = (const whea_field *)(const void *)(base + i * stride);
			t[i].linked = linked(f), t[i].plain = plain_int(f), t[i].simple = simple_row(f, i);
			t[i].op = row_op(f);
			t[i].vbit = f->valid && f->valid <= 64 ? 1ull << (f->valid - 1) : 0;
			t[i].fend = t[i].simple ? f->off + f->size : 0;
			if (f->kind == WHEA_K_VALIDBITS && vbi == FX_NO_VB)
				vbi = i; /* whea_def_validbits_row() */
		}
	}
	for (size_t i = 0; i < n; i++)
		t[i].vbi = (uint16_t)vbi;
	kw_tabs[h].owner = owner, kw_tabs[h].at = kw_used;
	kw_used += (uint32_t)n, kw_ntabs++;
	if (fields)
		kw_link(t, owner, n);
	return t;
}

static inline const fx_kw *kw_table(const void *owner, size_t n, size_t stride, size_t keyoff, bool fields)
{
	size_t h = (size_t)(((uint64_t)(uintptr_t)owner * 0x9e3779b97f4a7c15ull) >> 54);
	for (; kw_tabs[h].owner; h = (h + 1) & (FX_KW_TABS - 1))
		if (kw_tabs[h].owner == owner)
			return kw_arena + kw_tabs[h].at;
	return kw_build(owner, n, stride, keyoff, fields);
}

static inline const fx_kw *kw_fields(const whea_def *d)
{
	return d->nfields ? kw_table(d->fields, d->nfields, sizeof *d->fields, offsetof(whea_field, key), true) : NULL;
}

static inline const fx_kw *kw_bits(const whea_def *d)
{
	return d->nbits ? kw_table(d->bits, d->nbits, sizeof *d->bits, offsetof(whea_bitfield, key), false) : NULL;
}

static inline const fx_kw *kw_names(const whea_name *nm)
{
	return nm ? kw_table(nm, SIZE_MAX, sizeof *nm, offsetof(whea_name, name), false) : NULL;
}

/* fx_kw.sub of the rows t of fields f (after t is registered: this may build more tables). */
static void kw_link(fx_kw *t, const whea_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++, f++)
		if (f->kind == WHEA_K_FLAGS)
			t[i].sub = kw_names(f->names);
		else if (f->kind == WHEA_K_UINT && f->sub && f->sub->nbits && !f->select)
			t[i].sub = kw_bits(f->sub);
		else if ((f->kind == WHEA_K_STRUCT || f->kind == WHEA_K_ARRAY) && f->sub)
			t[i].sub = kw_fields(f->sub); /* used where f->sub is the layout */
		else
			t[i].sub = NULL;
}

/* strlen of a table key, cached by address. */
static _Thread_local struct {
	const char *k;
	size_t n;
} klen_cache[512];

static inline size_t klen(const char *k)
{
	size_t h = (size_t)(((uint64_t)(uintptr_t)k * 0x9e3779b97f4a7c15ull) >> 55);
	if (klen_cache[h].k != k)
		klen_cache[h].k = k, klen_cache[h].n = strlen(k);
	return klen_cache[h].n;
}


/* Is the next member's key k[0..kl) + s[0..sl)? (Does not consume it.) */
static inline bool is_key2(const fx *x, const char *p, const char *k, size_t kl, const char *s, size_t sl)
{
	(void)x;
	return kl + sl + 2 < FX_PAD && p[0] == '"' && p[kl + sl + 1] == '"' && whea_json_same(p + 1, k, kl) &&
	       whea_json_same(p + 1 + kl, s, sl);
}

static inline bool is_key(const fx *x, const char *p, const char *k, size_t kl)
{
	(void)x;
	return kl + 2 < FX_PAD && p[0] == '"' && p[kl + 1] == '"' && whea_json_same(p + 1, k, kl);
}

/* For a key k of n > 21 characters at p ('"' k '"' ':'): the text between the first 16 bytes and
 * the last 8 matches, 8 bytes at a time (the last word overlapping the one before). */
static bool same_middle(const char *p, const char *k, size_t n)
{
	for (size_t i = 16;; i += 8) {
		if (i + 8 > n - 5)
			i = n - 13;
		uint64_t a, b;
		memcpy(&a, p + i, 8), memcpy(&b, k + i - 1, 8);
		if (a != b)
			return false;
		if (i + 8 >= n - 5)
			return true;
	}
}

/* Is table key k (key words c) next at p, followed by its colon? (Does not consume it.) */
static inline bool is_keyw(const fx *x, const char *p, const char *k, const fx_kw *c)
{
	size_t n = c->n; /* below FX_PAD - 8 (kw_build) */
	(void)x;
	uint64_t u;
	memcpy(&u, p, 8);
	if ((u & c->m) != c->w)
		return false;
	if (n <= 5)
		return true;
	memcpy(&u, p + 8, 8);
	if ((u & c->m2) != c->w2)
		return false;
	if (n <= 13)
		return true;
	memcpy(&u, p + n - 5, 8); /* up to the colon */
	return u == c->w3 && (n <= 21 || same_middle(p, k, n));
}

/* Consumes a key of n characters and its colon, both checked by is_keyw(). */
static inline void eat_keyw(fx *x, const char **pp, size_t n)
{
	*pp = ws(x, *pp + n + 3);
}

/* Consumes a key of n characters (checked by is_key) and the colon. */
static inline void eat_key(fx *x, const char **pp, size_t n)
{
	const char *p = *pp + n + 2;
	if (p[0] == ':' && (unsigned char)p[1] > ' ') { /* compact JSON */
		*pp = p + 1;
		return;
	}
	p = ws(x, p);
	if (peek(x, p) != ':')
		bail(x);
	*pp = ws(x, p + 1);
}

static FX_INLINE bool key(fx *x, const char **pp, const char *k, size_t kl)
{
	if (!is_key(x, *pp, k, kl))
		return false;
	eat_key(x, pp, kl);
	return true;
}

/* Consumes table key k (key words c) and its colon if they are next. */
static FX_INLINE bool keyw(fx *x, const char **pp, const char *k, const fx_kw *c)
{
	if (!is_keyw(x, *pp, k, c))
		return false;
	eat_keyw(x, pp, c->n);
	return true;
}

/* Byte i of '"' k '"' ':' (k of kl characters, zeros after it). */
static FX_INLINE uint64_t lit_byte(const char *k, size_t kl, size_t i)
{
	return i == 0 || i == kl + 1 ? '"' : i == kl + 2 ? ':' : i <= kl ? (uint8_t)k[i - 1] : 0;
}

/* Bytes at..at+8 of '"' k '"' ':' as a word in memory order: with k a literal, a constant (spelled out,
 * as compilers fold it then). */
static FX_INLINE uint64_t lit_word(const char *k, size_t kl, size_t at)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FX_B(j) (lit_byte(k, kl, at + (j)) << (56 - 8 * (j)))
#else
#define FX_B(j) (lit_byte(k, kl, at + (j)) << (8 * (j)))
#endif
	return FX_B(0) | FX_B(1) | FX_B(2) | FX_B(3) | FX_B(4) | FX_B(5) | FX_B(6) | FX_B(7);
#undef FX_B
}

/* is_keyw() for a literal key of kl <= 13 characters: one or two masked compares with immediates. */
static FX_INLINE bool is_lit(const char *p, const char *k, size_t kl)
{
	uint64_t u;
	memcpy(&u, p, 8);
	if (kl <= 5)
		return (u & kmask(kl)) == lit_word(k, kl, 0);
	if (u != lit_word(k, kl, 0))
		return false;
	memcpy(&u, p + 8, 8);
	return (u & kmask2(kl)) == lit_word(k, kl, 8);
}

static FX_INLINE bool key_lit(fx *x, const char **pp, const char *k, size_t kl)
{
	if (kl > 13)
		return key(x, pp, k, kl);
	if (!is_lit(*pp, k, kl))
		return false;
	eat_keyw(x, pp, kl);
	return true;
}

#define KEY(x, pp, lit) key_lit((x), (pp), (lit), sizeof(lit) - 1)

/* next() past whitespace. */
static void next_ws(fx *x, const char **pp)
{
	const char *p = ws(x, *pp);
	char c = peek(x, p);
	if (c == ',') {
		p = ws(x, p + 1);
		if (peek(x, p) != '"')
			bail(x);
	} else if (c != '}') {
		bail(x);
	}
	*pp = p;
}

/* After a member's value: the cursor ends at the next key or at '}'. */
static FX_INLINE void next(fx *x, const char **pp)
{
	const char *p = *pp;
	if (p[0] == ',' && p[1] == '"') { /* compact JSON */
		*pp = p + 1;
		return;
	}
	if (*p == '}')
		return;
	next_ws(x, pp);
}

/* Opens an array: false (and consumed) when it is empty, else the cursor is at the first element. */
static bool arr_open(fx *x, const char **pp)
{
	const char *p = *pp;
	if (peek(x, p) != '[' || ++x->jdepth > FX_MAX_JDEPTH)
		bail(x);
	p = ws(x, p + 1);
	if (peek(x, p) == ']') {
		*pp = p + 1;
		x->jdepth--;
		return false;
	}
	*pp = p;
	return true;
}

/* After an element: true with the cursor at the next one, or false past the ']'. */
static bool arr_next(fx *x, const char **pp)
{
	const char *p = ws(x, *pp);
	char c = peek(x, p);
	if (c == ',') {
		p = ws(x, p + 1);
		if (peek(x, p) == ']')
			bail(x);
		*pp = p;
		return true;
	}
	if (c != ']')
		bail(x);
	*pp = p + 1;
	x->jdepth--;
	return false;
}

/* Characters that would continue a number as a fraction or exponent. */
static const uint8_t num_end_bad[256] = {['.'] = 1, ['e'] = 1, ['E'] = 1};

/* A JSON number made of decimal digits only, up to 2^64-1 (what whea_json_u64 accepts of numbers). */
/* The number that starts at s, its digits before p already read (value v; none or up to 16, the
 * first not '0'), a character at a time. */
static uint64_t num_slow(fx *x, const char **pp, const char *s, const char *p, uint64_t v)
{
	const char *e = x->end;
	unsigned d;
	if (p == s) {
		d = p < e ? (unsigned)(*p - '0') : 10u;
		if (d > 9)
			bail(x);
		v = d, p++;
		if (v == 0 && p < e && (unsigned)(*p - '0') <= 9)
			bail(x); /* a leading zero: a syntax error */
	}
	if (v) {
		size_t left = 19 - (size_t)(p - s); /* 19 digits always fit */
		const char *lim = (size_t)(e - p) > left ? p + left : e;
		while (p < lim && (d = (unsigned)(*p - '0')) <= 9)
			v = v * 10 + d, p++;
		if (p < e && (d = (unsigned)(*p - '0')) <= 9) { /* the 20th digit */
			if (v > (UINT64_MAX - d) / 10)
				bail(x);
			v = v * 10 + d, p++;
			if (p < e && (unsigned)(*p - '0') <= 9)
				bail(x);
		}
	}
	if (p < e && num_end_bad[(uint8_t)*p])
		bail(x);
	*pp = p;
	return v;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && !defined(WHEA_JSON_PORTABLE)
#define FX_SWAR_DIGITS 1
/* How many of the 8 characters in w (little-endian) are digits before the first other one. */
static inline unsigned digits8(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ull, zeros = 0x3030303030303030ull;
	/* nonzero bytes: not a digit (a byte after the first of those may be flagged wrongly) */
	uint64_t nd = ((w & hi) ^ zeros) | (((w + 0x0606060606060606ull) & hi) ^ zeros);
	return nd ? (unsigned)__builtin_ctzll(nd) >> 3 : 8;
}

/* The value of the first k (1..8) characters of w, all digits. */
static inline uint64_t value8(uint64_t w, unsigned k)
{
	/* the digits in the top k bytes (leading zeros below), then pairs, quads and all eight */
	uint64_t d = (w - 0x3030303030303030ull) << (8 * (8 - k));
	d = d * 10 + (d >> 8);
	return ((d & 0x000000FF000000FFull) * (100 + (1000000ull << 32)) +
		((d >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32))) >> 32;
}
#endif

#ifdef FX_SWAR_DIGITS
/* After 16 digits (value v): up to 4 more, the 20th with an overflow check. */
static uint64_t num_tail(fx *x, const char **pp, const char *p, uint64_t v)
{
	uint64_t w;
	memcpy(&w, p, 8);
	unsigned k = digits8(w);
	if (k > 4)
		bail(x); /* 21 digits or more: past 2^64-1 */
	if (k == 4) { /* three digits always fit (below 10^19), the fourth may not */
		v = v * 1000 + value8(w, 3);
		unsigned d = (unsigned)(p[3] - '0');
		if (v > (UINT64_MAX - d) / 10)
			bail(x);
		v = v * 10 + d;
	} else if (k) {
		static const uint32_t pow10[4] = {1, 10, 100, 1000};
		v = v * pow10[k] + value8(w, k);
	}
	p += k;
	if (num_end_bad[(uint8_t)*p])
		bail(x);
	*pp = p;
	return v;
}
#endif

/* num() for everything but 1 to 7 digits: leading zeros, 8 digits or more, errors. */
static FX_NOINLINE uint64_t num_more(fx *x, const char **pp)
{
	const char *p = *pp;
	if (*p == '0')
		return num_slow(x, pp, p, p, 0); /* a leading zero (an error unless alone) */
#ifdef FX_SWAR_DIGITS
	uint64_t v = 0;
	/* 16 digits at most, 8 at a time: they fit without a check */
	static const uint32_t pow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
	const char *s = p;
	while (p - s < 16) {
		uint64_t w;
		memcpy(&w, p, 8);
		unsigned k = digits8(w);
		if (k == 8) {
			v = v * 100000000u + value8(w, 8), p += 8;
			continue;
		}
		if (k == 0 && p == s)
			bail(x);
		if (k)
			v = v * pow10[k] + value8(w, k), p += k;
		if (num_end_bad[(uint8_t)*p])
			bail(x);
		*pp = p;
		return v;
	}
	return num_tail(x, pp, p, v);
#else
	return num_slow(x, pp, p, p, 0);
#endif
}

/* num() after the one-digit case: 1 to 7 digits here (a leaf function: no registers to save),
 * the rest in num_more(). */
static uint64_t num_long(fx *x, const char **pp)
{
#ifdef FX_SWAR_DIGITS
	const char *p = *pp;
	uint64_t w;
	memcpy(&w, p, 8);
	unsigned k = digits8(w);
	if (*p != '0' && k - 1 < 7 && !num_end_bad[(uint8_t)p[k]]) {
		*pp = p + k;
		return value8(w, k);
	}
#endif
	return num_more(x, pp);
}

static FX_INLINE uint64_t num(fx *x, const char **pp)
{
	const char *p = *pp;
	unsigned d0 = (unsigned)(p[0] - '0'), d1 = (unsigned)(p[1] - '0');
	if (d0 <= 9 && d1 > 9) { /* one digit (the most common value) */
		if (num_end_bad[(uint8_t)p[1]])
			bail(x);
		*pp = p + 1;
		return d0;
	}
	return num_long(x, pp);
}

static FX_INLINE bool boolean(fx *x, const char **pp)
{
	const char *p = *pp;
	uint32_t w;
	if (memcpy(&w, p, 4), memcmp(&w, "true", 4) == 0) {
		*pp = p + 4;
		return true;
	}
	if (memcmp(p, "false", 5) == 0) {
		*pp = p + 5;
		return false;
	}
	bail(x);
}

/* A string of plain characters only (no escapes): its content. */
static const char *str(fx *x, const char **pp, size_t *len)
{
	const char *p = *pp;
	if (peek(x, p) != '"')
		bail(x);
	const char *s = ++p;
	p = plain_run(p);
	if (*p != '"')
		bail(x);
	*len = (size_t)(p - s);
	*pp = p + 1;
	return s;
}

/* Hex digit values + 1, 0 for other characters. */
static const uint8_t hex_digit[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9,
	['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11,
	['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static inline int hexv(char c) { return hex_digit[(uint8_t)c] - 1; }

/* The code unit of the escape at p (after the backslash); *n = its length. Surrogates give up. */
static unsigned escape(fx *x, const char *p, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k = *p ? memchr(from, *p, sizeof from - 1) : NULL;
	if (k) {
		*n = 1;
		return (uint8_t)to[k - from];
	}
	if (*p != 'u')
		bail(x); /* p[1..4] are in the text or its padding: a NUL is not a hex digit */
	int a = hexv(p[1]), b = hexv(p[2]), c = hexv(p[3]), d = hexv(p[4]);
	if ((a | b | c | d) < 0)
		bail(x);
	unsigned u = (unsigned)(a << 12 | b << 8 | c << 4 | d);
	if (u >= 0xd800 && u <= 0xdfff)
		bail(x);
	*n = 5;
	return u;
}

/* A text row's string decoded to bytes (code points up to U+00FF, as json_encode.c's read_text),
 * at most cap of them, into dst. */
static size_t text(fx *x, const char **pp, uint8_t *dst, size_t cap)
{
	const char *p = *pp;
	if (peek(x, p) != '"')
		bail(x);
	p++;
	size_t k = 0;
	for (;;) {
		uint8_t c = (uint8_t)*p;
		if (plain[c]) {
			p++;
		} else if (c == '"') {
			break;
		} else if (c == '\\') {
			size_t n;
			unsigned u = escape(x, p + 1, &n);
			if (u > 0xff)
				bail(x);
			c = (uint8_t)u;
			p += 1 + n;
		} else {
			bail(x); /* control characters, non-ASCII */
		}
		if (k >= cap)
			bail(x);
		dst[k++] = c;
	}
	*pp = p + 1;
	return k;
}

/* Base64 decoding table: 0..63, 0x80 = not in the alphabet. */
static const uint8_t b64v[256] = {
#define X8 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80
	X8, X8, X8, X8, X8, 0x80, 0x80, 0x80, 62, 0x80, 0x80, 0x80, 63,
	52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
	15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
	41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 0x80, 0x80, 0x80, 0x80, 0x80,
	X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8, X8,
#undef X8
};

#ifdef FX_SSE2
/* 16 base64 characters at p decoded into the 12 bytes at dst; false (and nothing written) if one of
 * them is not in the alphabet. The ranges are signed compares: bytes >= 0x80 are negative, in none. */
static inline bool b64_16(const uint8_t *p, uint8_t *dst)
{
	const __m128i c = _mm_loadu_si128((const __m128i *)(const void *)p);
#define FX_IN(lo, hi) \
	_mm_and_si128(_mm_cmpgt_epi8(c, _mm_set1_epi8((char)((lo) - 1))), _mm_cmplt_epi8(c, _mm_set1_epi8((char)((hi) + 1))))
	__m128i up = FX_IN('A', 'Z'), low = FX_IN('a', 'z'), dig = FX_IN('0', '9');
#undef FX_IN
	__m128i plus = _mm_cmpeq_epi8(c, _mm_set1_epi8('+')), slash = _mm_cmpeq_epi8(c, _mm_set1_epi8('/'));
	__m128i ok = _mm_or_si128(_mm_or_si128(up, low), _mm_or_si128(dig, _mm_or_si128(plus, slash)));
	if (_mm_movemask_epi8(ok) != 0xffff)
		return false;
	/* each class's distance from character to value: A-Z 0.., a-z 26.., 0-9 52.., '+' 62, '/' 63 */
	__m128i off = _mm_or_si128(_mm_or_si128(_mm_and_si128(up, _mm_set1_epi8(-65)), _mm_and_si128(low, _mm_set1_epi8(-71))),
				   _mm_or_si128(_mm_and_si128(dig, _mm_set1_epi8(4)),
						_mm_or_si128(_mm_and_si128(plus, _mm_set1_epi8(19)),
							     _mm_and_si128(slash, _mm_set1_epi8(16)))));
	__m128i v = _mm_add_epi8(c, off);
	/* pairs (first value high), then quads: 32-bit lanes of b0 << 18 | b1 << 12 | b2 << 6 | b3 */
	v = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0xff)), 6), _mm_srli_epi16(v, 8));
	v = _mm_madd_epi16(v, _mm_set1_epi32(0x00011000));
	uint32_t q[4];
	_mm_storeu_si128((__m128i *)(void *)q, v);
	for (int k = 0; k < 4; k += 2) { /* two lanes as 6 bytes, most significant first */
		uint64_t w = __builtin_bswap64((uint64_t)q[k] << 40 | (uint64_t)q[k + 1] << 16);
		memcpy(dst + 3 * k, &w, 6);
	}
	return true;
}
#endif

/* A base64 string decoded into dst (at most cap bytes): the same bytes whea_b64_decode gives, and
 * it gives up on everything whea_b64_decode rejects. */
static size_t b64(fx *x, const char **pp, uint8_t *dst, size_t cap)
{
	const uint8_t *p = (const uint8_t *)*pp;
	if (*p != '"')
		bail(x);
	p++;
	size_t o = 0;
#ifdef FX_SSE2
	while (cap - o >= 12 && b64_16(p, dst + o))
		o += 12, p += 16;
#endif
	for (;;) { /* a NUL is not in the alphabet: the loop stops at the end */
		uint32_t a = b64v[p[0]], b = b64v[p[1]], c = b64v[p[2]], d = b64v[p[3]];
		if ((a | b | c | d) & 0x80)
			break;
		if (cap - o < 3)
			bail(x);
		uint32_t v = a << 18 | b << 12 | c << 6 | d;
		dst[o] = (uint8_t)(v >> 16), dst[o + 1] = (uint8_t)(v >> 8), dst[o + 2] = (uint8_t)v;
		o += 3, p += 4;
	}
	if (*p == '"') {
		*pp = (const char *)p + 1;
		return o;
	}
	/* A padded last quad: "xx==" or "xxx=". */
	if (p[4] != '"' || p[3] != '=')
		bail(x);
	uint32_t a = b64v[p[0]], b = b64v[p[1]];
	if ((a | b) & 0x80)
		bail(x);
	if (p[2] == '=') {
		if ((b & 15) || cap - o < 1)
			bail(x);
		dst[o++] = (uint8_t)(a << 2 | b >> 4);
	} else {
		uint32_t c = b64v[p[2]];
		if ((c & 0x80) || (c & 3) || cap - o < 2)
			bail(x);
		dst[o++] = (uint8_t)(a << 2 | b >> 4);
		dst[o++] = (uint8_t)(b << 4 | c >> 2);
	}
	*pp = (const char *)p + 5;
	return o;
}

/* ---- skipping values the encoder ignores (checked as strictly as json_read.c) ------------- */

static void skip(fx *x, const char **pp);

static FX_NOINLINE void skip_string(fx *x, const char **pp, const char **s, size_t *n, bool *esc)
{
	const char *p = *pp;
	if (peek(x, p) != '"')
		bail(x);
	*s = ++p;
	*esc = false;
	for (;;) {
		p = plain_run(p);
		if (*p == '"')
			break;
		if (*p != '\\')
			bail(x);
		size_t k;
		escape(x, p + 1, &k);
		p += 1 + k;
		*esc = true;
	}
	*n = (size_t)(p - *s);
	*pp = p + 1;
}

/* A string value skipped: plain ones here (a leaf function), the rest by skip_string(). */
static void skip_str(fx *x, const char **pp)
{
	if (**pp == '"') {
		const char *p = plain_run(*pp + 1);
		if (*p == '"') {
			*pp = p + 1;
			return;
		}
	}
	const char *s;
	size_t n;
	bool esc;
	skip_string(x, pp, &s, &n, &esc);
}

static inline void skip_value(fx *x, const char **pp);

static void skip_number(fx *x, const char **pp)
{
	const char *p = *pp;
	if (*p == '-')
		p++;
	if ((unsigned)(*p - '0') > 9)
		bail(x);
	if (*p == '0')
		p++;
	else
		while ((unsigned)(*p - '0') <= 9)
			p++;
	if (*p == '.') {
		p++;
		if ((unsigned)(*p - '0') > 9)
			bail(x);
		while ((unsigned)(*p - '0') <= 9)
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if ((unsigned)(*p - '0') > 9)
			bail(x);
		while ((unsigned)(*p - '0') <= 9)
			p++;
	}
	*pp = p;
}

static void skip(fx *x, const char **pp)
{
	const char *p = *pp;
	char c = peek(x, p);
	if (c == '"') {
		skip_str(x, pp);
		return;
	}
	if (c == '{') {
		const char *keys[FX_MAX_KEYS];
		size_t lens[FX_MAX_KEYS];
		int nk = 0;
		obj_open(x, &p);
		while (peek(x, p) == '"') {
			const char *s = p + 1, *e = plain_run(s); /* keys with escapes: give up */
			size_t n = (size_t)(e - s);
			if (*e != '"' || nk == FX_MAX_KEYS)
				bail(x);
			for (int i = 0; i < nk; i++)
				if (lens[i] == n && whea_json_same(keys[i], s, n))
					bail(x); /* a duplicate key */
			keys[nk] = s, lens[nk] = n, nk++;
			p = ws(x, e + 1);
			if (peek(x, p) != ':')
				bail(x);
			p = ws(x, p + 1);
			if (*p == '"')
				skip_str(x, &p);
			else if (*p == '-' || (unsigned)(*p - '0') <= 9)
				skip_number(x, &p);
			else
				skip(x, &p);
			next(x, &p);
		}
		obj_close(x, &p);
	} else if (c == '[') {
		if (arr_open(x, &p))
			do
				skip(x, &p);
			while (arr_next(x, &p));
	} else if (c == 't' || c == 'f') {
		boolean(x, &p);
	} else if (c == 'n' && memcmp(p, "null", 4) == 0) {
		p += 4;
	} else {
		skip_number(x, &p);
	}
	*pp = p;
}

/* skip() of an object, json_write.c's form of a named value {"value": N, "name": V} directly
 * (N a number, V any value); others by skip(). */
static void skip_object(fx *x, const char **pp)
{
	const char *p = *pp;
	obj_open(x, &p);
	if (KEY(x, &p, "value") && (*p == '-' || (unsigned)(*p - '0') <= 9)) {
		skip_number(x, &p);
		next(x, &p);
		if (KEY(x, &p, "name")) {
			skip_value(x, &p);
			if (*p == '}') {
				x->jdepth--;
				*pp = p + 1;
				return;
			}
		}
	}
	x->jdepth--; /* from the start */
	skip(x, pp);
}

/* skip() for the common small values: numbers that fit 64 bits, booleans, plain strings, named
 * values. */
static inline void skip_value(fx *x, const char **pp)
{
	char c = peek(x, *pp);
	if ((unsigned)(c - '0') <= 9) {
		num(x, pp);
	} else if (c == 't' || c == 'f') {
		boolean(x, pp);
	} else if (c == '"') {
		skip_str(x, pp);
	} else if (c == '{') {
		skip_object(x, pp);
	} else {
		skip(x, pp);
	}
}

/* The value of member "notValid" of the object whose next key is at p: found by a structural scan
 * (the text is checked when it is read); NULL when there is none. */
static const char *find_not_valid(const fx *x, const char *p)
{
	static const uint8_t structural[256] = {['"'] = 1, ['{'] = 2, ['['] = 2, ['}'] = 3, [']'] = 3, [','] = 4};
	const char *e = x->end;
	int d = 0;
	bool want_key = true;
	for (;;) {
		while (p < e && !structural[(uint8_t)*p])
			p++;
		if (p >= e)
			return NULL;
		switch (structural[(uint8_t)*p]) {
		case 1: {
			const char *s = ++p;
			for (;;) { /* the closing quote: one not escaped by an odd run of backslashes */
				const char *q = memchr(p, '"', (size_t)(e - p));
				if (!q)
					return NULL;
				size_t bs = 0;
				while (q - bs > s && q[-1 - (ptrdiff_t)bs] == '\\')
					bs++;
				p = q + 1;
				if (!(bs & 1))
					break;
			}
			if (d == 0 && want_key) {
				if (p - s == 9 && memcmp(s, "notValid", 8) == 0) {
					p = ws(x, p);
					return peek(x, p) == ':' ? ws(x, p + 1) : NULL;
				}
				want_key = false;
			}
			continue;
		}
		case 2:
			d++;
			break;
		case 3:
			if (d-- == 0)
				return NULL;
			break;
		default:
			if (d == 0)
				want_key = true;
			break;
		}
		p++;
	}
}

/* ---- values of rows ------------------------------------------------------------------------ */

static uint64_t name_value(fx *x, const whea_name *names, const char *s, size_t n)
{
	const whea_name *nm = whea_json_name(names, s, n);
	if (!nm)
		bail(x);
	return nm->value;
}

/* An ENUM: a number, a name, or {"value"|"code": N, "name": S}. */
static uint64_t read_enum(fx *x, const char **pp, const whea_name *names)
{
	char c = peek(x, *pp);
	if (c == '"') {
		size_t n;
		const char *s = str(x, pp, &n);
		return name_value(x, names, s, n);
	}
	if (c != '{')
		return num(x, pp);
	obj_open(x, pp);
	bool hv = false, hc = false;
	uint64_t v = 0, code = 0;
	if (KEY(x, pp, "value"))
		v = num(x, pp), hv = true, next(x, pp);
	if (KEY(x, pp, "code"))
		code = num(x, pp), hc = true, next(x, pp);
	if (KEY(x, pp, "name")) {
		if (hv || hc) {
			skip_value(x, pp);
		} else if (peek(x, *pp) == '"') {
			size_t n;
			const char *s = str(x, pp, &n);
			v = name_value(x, names, s, n);
		} else {
			bail(x);
		}
		next(x, pp);
	} else if (!hv && !hc) {
		bail(x);
	}
	obj_close(x, pp);
	return hv || !hc ? v : code;
}

/* FLAGS and integers with bitfields are a number, or an object whose first member may be "value": N.
 * Returns false for a number (in *val); otherwise opens the object and consumes "value" if it comes
 * (*hv: it came, *val: its number, else 0). */
static FX_INLINE bool int_object(fx *x, const char **pp, uint64_t *val, bool *hv)
{
	if (peek(x, *pp) != '{') {
		*val = num(x, pp);
		return false;
	}
	obj_open(x, pp);
	*hv = false;
	*val = 0;
	if (KEY(x, pp, "value"))
		*val = num(x, pp), *hv = true, next(x, pp);
	return true;
}

/* FLAGS: a number, or {"value": N, <bit name>: bool, ...}. */
static uint64_t read_flags(fx *x, const char **pp, const whea_name *names, const fx_kw *kw)
{
	bool hv;
	uint64_t val, v = 0;
	if (!int_object(x, pp, &val, &hv))
		return val;
	if (!kw)
		kw = kw_names(names);
	if (!kw && names && names->name)
		bail(x);
	for (size_t i = 0; names && names[i].name; i++) {
		if (!keyw(x, pp, names[i].name, &kw[i]))
			continue;
		if (boolean(x, pp) && names[i].value < 64)
			v |= 1ull << names[i].value;
		next(x, pp);
	}
	obj_close(x, pp);
	return hv ? val : v;
}

/* An integer with bitfields: a number, or {"value": N, <bitfield>: ..., ...}. */
static uint64_t read_bitfields(fx *x, const char **pp, const whea_def *layout, const fx_kw *kw)
{
	bool hv;
	uint64_t val, v = 0;
	if (!int_object(x, pp, &val, &hv))
		return val;
	if (!kw)
		kw = kw_bits(layout);
	if (!kw)
		bail(x); /* (layout->nbits > 0) */
	for (uint16_t i = 0; i < layout->nbits; i++) {
		const whea_bitfield *b = &layout->bits[i];
		if (!keyw(x, pp, b->key, &kw[i]))
			continue;
		if (hv) {
			skip_value(x, pp); /* the value wins: json_encode.c does not read the bitfields */
		} else {
			uint64_t f = b->kind == WHEA_K_BOOL ? boolean(x, pp)
				     : b->kind == WHEA_K_ENUM ? read_enum(x, pp, b->names)
							       : num(x, pp);
			if (b->width < 64 && f >> b->width)
				bail(x);
			v |= f << b->lo;
		}
		next(x, pp);
	}
	obj_close(x, pp);
	return hv ? val : v;
}

#ifdef FX_SSE2
/* 16 hex digits of v as values, with *ok = all of them are hex digits. */
static inline __m128i hex_nibbles(__m128i v, unsigned *ok)
{
	const __m128i bias = _mm_set1_epi8((char)0x80);
	__m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));
	__m128i l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
	/* unsigned d < 10 and l < 6, as signed compares after flipping the top bit */
	__m128i isd = _mm_cmplt_epi8(_mm_xor_si128(d, bias), _mm_set1_epi8((char)(0x80 + 10)));
	__m128i isl = _mm_cmplt_epi8(_mm_xor_si128(l, bias), _mm_set1_epi8((char)(0x80 + 6)));
	*ok &= (unsigned)_mm_movemask_epi8(_mm_or_si128(isd, isl));
	return _mm_or_si128(_mm_and_si128(isd, d), _mm_and_si128(isl, _mm_add_epi8(l, _mm_set1_epi8(10))));
}

/* 32 hex digits at h as 16 bytes (pairs high nibble first); false if any is not a hex digit. */
static inline bool hex16(const char *h, uint8_t out[16])
{
	unsigned ok = 0xffff;
	__m128i a = hex_nibbles(_mm_loadu_si128((const __m128i *)(const void *)h), &ok);
	__m128i b = hex_nibbles(_mm_loadu_si128((const __m128i *)(const void *)(h + 16)), &ok);
	const __m128i low = _mm_set1_epi16(0x00ff);
	/* each 16-bit lane holds a pair: first digit in its low byte */
	a = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(a, low), 4), _mm_srli_epi16(a, 8));
	b = _mm_or_si128(_mm_slli_epi16(_mm_and_si128(b, low), 4), _mm_srli_epi16(b, 8));
	_mm_storeu_si128((__m128i *)(void *)out, _mm_packus_epi16(a, b));
	return ok == 0xffff;
}
#endif

/* A GUID string "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (what whea_guid_parse accepts, without the
 * braced form). */
static void guid_text(fx *x, const char **pp, whea_guid *g)
{
	static const uint8_t pos[16] = {6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34};
	const char *s = *pp + 1;
	if (s[-1] != '"' || s[36] != '"' || s[8] != '-' || s[13] != '-' || s[18] != '-' ||
	    s[23] != '-')
		bail(x);
	*pp = s + 37; /* the other 32 characters are hex digits: a plain string */
#ifdef FX_SSE2
	char h[32]; /* the digits without the dashes */
	memcpy(h, s, 8), memcpy(h + 8, s + 9, 4), memcpy(h + 12, s + 14, 4), memcpy(h + 16, s + 19, 4);
	memcpy(h + 20, s + 24, 12);
	uint8_t t[16];
	if (!hex16(h, t))
		bail(x);
	/* the first three fields little-endian (x86 is: SSE2) */
	uint64_t w;
	memcpy(&w, t, 8);
	w = (uint64_t)__builtin_bswap32((uint32_t)w) | (uint64_t)__builtin_bswap16((uint16_t)(w >> 32)) << 32 |
	    (uint64_t)__builtin_bswap16((uint16_t)(w >> 48)) << 48;
	memcpy(g->b, &w, 8);
	memcpy(g->b + 8, t + 8, 8);
	return;
#endif
	for (int i = 0; i < 16; i++) {
		int hi = hexv(s[pos[i]]), lo = hexv(s[pos[i] + 1]);
		if ((hi | lo) < 0)
			bail(x);
		g->b[i] = (uint8_t)(hi << 4 | lo);
	}
}

static void read_guid(fx *x, const char **pp, whea_guid *g)
{
	if (peek(x, *pp) == '{') {
		obj_open(x, pp);
		if (!KEY(x, pp, "data") && !KEY(x, pp, "guid"))
			bail(x);
		guid_text(x, pp, g);
		next(x, pp);
		if (KEY(x, pp, "type"))
			skip_value(x, pp), next(x, pp);
		obj_close(x, pp);
		return;
	}
	guid_text(x, pp, g);
}

static void enc_integer(fx *x, const whea_field *f, const fx_kw *c, const char **pp, size_t base, size_t off, size_t len)
{
	uint64_t v;
	const whea_def *layout = f->kind == WHEA_K_UINT ? row_sub(x, f, base, len) : NULL;
	if (f->kind == WHEA_K_ENUM) {
		v = read_enum(x, pp, f->names);
	} else if (f->kind == WHEA_K_FLAGS) {
		v = read_flags(x, pp, f->names, c->sub);
	} else if (f->fmt == WHEA_FMT_BCDREV && peek(x, *pp) == '{') {
		uint64_t a = 0, b = 0;
		obj_open(x, pp);
		if (KEY(x, pp, "major"))
			a = num(x, pp), next(x, pp);
		if (KEY(x, pp, "minor"))
			b = num(x, pp), next(x, pp);
		obj_close(x, pp);
		if (a > 255 || b > 255)
			bail(x);
		v = a << 8 | b;
	} else if (layout && layout->nbits) {
		v = read_bitfields(x, pp, layout, layout == f->sub ? c->sub : NULL);
	} else {
		v = num(x, pp);
	}
	if (!whea_json_fits(f->size, v))
		bail(x);
	put_int(x, base + off, v, f->size);
}

/* Bytes of base64 or text at `at`: fixed rows take at most `size`, open-ended ones up to room. */
static size_t enc_bytes(fx *x, bool ascii, const char **pp, size_t at, size_t size, size_t room)
{
	size_t cap = size ? size : room;
	if (at >= FX_CAP)
		bail(x);
	if (cap > FX_CAP - at)
		cap = FX_CAP - at; /* more would give up anyway */
	uint8_t *dst = room_at(x, at, cap);
	if (at + cap > x->dirty) /* text() and b64() may write, then give up */
		x->dirty = at + cap;
	size_t got = ascii ? text(x, pp, dst, cap) : b64(x, pp, dst, cap);
	if (got)
		wrote(x, at, got);
	return size ? size : got;
}

/* A row's timestamp members: key, keyIsPrecise, keyEncoding, keyRaw (json_write.c's order). */
static void enc_time(fx *x, const whea_field *f, const char **pp, size_t at)
{
	const char *k = f->key;
	size_t kl = klen(k), tl = 0;
	if (kl > 40)
		bail(x);
	const char *ts = NULL;
	int prec = -1, encoding = WHEA_TS_BCD;
	bool has_raw = false, enc_ok = true;
	uint64_t rawv = 0;
	if (key(x, pp, k, kl))
		ts = str(x, pp, &tl), next(x, pp);
	if (is_key2(x, *pp, k, kl, "IsPrecise", 9))
		eat_key(x, pp, kl + 9), prec = boolean(x, pp), next(x, pp);
	if (is_key2(x, *pp, k, kl, "Encoding", 8)) {
		size_t n;
		eat_key(x, pp, kl + 8);
		const char *s = str(x, pp, &n);
		encoding = whea_json_ts_encoding(s, n);
		enc_ok = encoding != 0;
		next(x, pp);
	}
	if (is_key2(x, *pp, k, kl, "Raw", 3))
		eat_key(x, pp, kl + 3), rawv = num(x, pp), has_raw = true, next(x, pp);
	uint8_t raw[8];
	if (has_raw) {
		whea_st64(raw, rawv);
		put_bytes(x, at, raw, 8);
		return;
	}
	whea_time t = {0};
	if (!ts || !enc_ok || !whea_json_time_text(ts, tl, &t))
		bail(x);
	t.encoding = (uint8_t)encoding;
	t.precise = prec == 1;
	if (whea_timestamp_encode(raw, &t))
		bail(x);
	put_bytes(x, at, raw, 8);
}

static size_t enc_def(fx *x, const whea_def *d, const fx_kw *kw, const char **pp, size_t base, size_t len);

static size_t enc_array(fx *x, const whea_field *f, const fx_kw *c, const char **pp, size_t base, size_t off, size_t len)
{
	if (!arr_open(x, pp))
		return 0;
	size_t pos = off;
	do {
		size_t es = whea_json_elem_fixed(f);
		if (!f->sub) {
			uint64_t v = num(x, pp);
			if (es > 8 || !whea_json_fits((unsigned)es, v))
				bail(x);
			put_int(x, base + pos, v, (unsigned)es);
		} else {
			size_t room = len > pos ? len - pos : 0;
			obj_open(x, pp);
			size_t ext = enc_def(x, f->sub, c->sub, pp, base + pos, f->elem_size ? room : es);
			obj_close(x, pp);
			if (f->elem_size) {
				size_t a;
				const uint8_t *ep = view(x, base + pos, room, &a);
				es = whea_json_elem_size(f, ep, a, ext);
			}
		}
		pos += es;
	} while (arr_next(x, pp));
	return pos - off;
}

/* One present row, its key still ahead at *pp; consumes key(s) and value(s). Returns the row's size. */
static size_t enc_row(fx *x, const whea_field *f, const fx_kw *c, const char **pp, size_t base, size_t off, size_t len)
{
	size_t kl = c->n;
	size_t room = len > off ? len - off : 0;
	if (f->kind == WHEA_K_TIMESTAMP) {
		enc_time(x, f, pp, base + off);
		return f->size;
	}
	eat_keyw(x, pp, kl);
	size_t size = f->size;
	switch (f->kind) {
	case WHEA_K_UINT:
	case WHEA_K_ENUM:
	case WHEA_K_FLAGS:
	case WHEA_K_VALIDBITS:
		enc_integer(x, f, c, pp, base, off, len);
		break;
	case WHEA_K_GUID: {
		whea_guid g;
		read_guid(x, pp, &g);
		put_bytes(x, base + off, g.b, 16);
		break;
	}
	case WHEA_K_STRUCT: {
		obj_open(x, pp);
		size_t sz = f->size ? f->size : room, ext = 0;
		const whea_def *sub = row_sub(x, f, base, len);
		if (sub) {
			ext = enc_def(x, sub, sub == f->sub ? c->sub : NULL, pp, base + off, sz);
		} else if (KEY(x, pp, "data")) {
			ext = enc_bytes(x, false, pp, base + off, f->size, room);
			next(x, pp);
		}
		obj_close(x, pp);
		size = f->size ? f->size : ext;
		break;
	}
	case WHEA_K_ARRAY:
		size = enc_array(x, f, c, pp, base, off, len);
		break;
	default: /* BYTES, ASCII, RESERVED */
		size = enc_bytes(x, f->kind == WHEA_K_ASCII, pp, base + off, f->size, room);
		break;
	}
	next(x, pp);
	return size;
}

/* enc_row() of a row whose value is a plain number (fx_kw.plain), stored at `at`. */
static FX_INLINE void plain_row(fx *x, const whea_field *f, size_t kl, const char **pp, size_t at)
{
	eat_keyw(x, pp, kl);
	uint64_t v = num(x, pp);
	if (!whea_json_fits(f->size, v))
		bail(x);
	put_int(x, at, v, f->size);
	next(x, pp);
}

/* enc_row() of a simple row of op GUID, ENUM, FLAGS or BITS (fx_kw.op), stored at `at`. */
static FX_NOINLINE void op_row(fx *x, const whea_field *f, const fx_kw *c, const char **pp, size_t at)
{
	eat_keyw(x, pp, c->n);
	if (c->op == FX_OP_GUID) {
		whea_guid g;
		read_guid(x, pp, &g);
		put_bytes(x, at, g.b, 16);
	} else {
		uint64_t v = c->op == FX_OP_ENUM    ? read_enum(x, pp, f->names)
			     : c->op == FX_OP_FLAGS ? read_flags(x, pp, f->names, c->sub)
						    : read_bitfields(x, pp, f->sub, c->sub);
		if (!whea_json_fits(f->size, v))
			bail(x);
		put_int(x, at, v, f->size);
	}
	next(x, pp);
}

/* Is row f's member next at p? (A timestamp by its key or its "Raw" twin.) */
static inline bool has_row(const fx *x, const char *p, const whea_field *f, const fx_kw *c)
{
	if (f->kind == WHEA_K_TIMESTAMP)
		return is_keyw(x, p, f->key, c) || is_key2(x, p, f->key, c->n, "Raw", 3);
	return is_keyw(x, p, f->key, c);
}

/* A row whose bytes or place depend on other rows (hooks, variable size or place). */
static bool linked(const whea_field *f)
{
	return f->select || f->kind == WHEA_K_ARRAY || f->off == WHEA_OFF_NEXT || f->size == 0;
}

/* A row with a select hook met while rows before it wait for "notValid": the struct's bytes as
 * they were at its place in the table. With the waiting rows before it filled in (once they are
 * written) they are the bytes the DOM path's hook reads (fixed rows do not overlap: whea_def_check),
 * while the buffer by then also holds rows after it. Used for a waiting row with a hook (it is
 * written later) and for hooked rows written at once (fx_recheck). */
#define FX_SNAP 512u
typedef struct fx_snap {
	unsigned row;    /* its index; FX_NO_SNAP = none */
	uint64_t before; /* the rows that waited before it */
	size_t n;
	uint8_t b[FX_SNAP];
} fx_snap;
#define FX_NO_SNAP 0xffffu

static void snap_take(fx *x, fx_snap *s, unsigned row, uint64_t before, size_t base, size_t len)
{
	size_t a;
	const uint8_t *v = view(x, base, len, &a);
	memcpy(s->b, v, a);
	s->row = row, s->before = before, s->n = a;
}

/* The layout the hook of row s->row chooses in the DOM path's state (see fx_snap). */
static const whea_def *snap_select(fx *x, const whea_def *d, fx_snap *s, size_t base)
{
	for (uint64_t r = s->before; r; r &= r - 1) {
		const whea_field *g = &d->fields[__builtin_ctzll(r)];
		if (g->off < s->n) {
			size_t k = g->size < s->n - g->off ? g->size : s->n - g->off, a;
			memcpy(s->b + g->off, view(x, base + g->off, k, &a), k);
		}
	}
	return d->fields[s->row].select(s->b, s->n);
}

/* snap_select() for a waiting row about to be written, which must also be what the hook chooses
 * now (a plain precaution: the DOM path's choice is the snapshot's). */
static const whea_def *snap_sub(fx *x, const whea_def *d, fx_snap *s, size_t base)
{
	const whea_def *sub = snap_select(x, d, s, base);
	size_t a;
	const uint8_t *now = view(x, base, s->n, &a);
	if (d->fields[s->row].select(now, a) != sub)
		bail(x);
	return sub;
}

/* Rows of d listed in `rows` (bit i = row i) that the object at *pp holds (in table order). */
static void rows_from(fx *x, const whea_def *d, const char **pp, uint64_t rows, size_t base, size_t len, fx_snap *snap)
{
	const fx_kw *kw = kw_fields(d);
	for (; rows; rows &= rows - 1) {
		unsigned i = (unsigned)__builtin_ctzll(rows);
		const whea_field *f = &d->fields[i];
		if (!has_row(x, *pp, f, &kw[i]))
			continue;
		if (f->size && f->off + f->size > len)
			bail(x);
		if (i == snap->row)
			x->forced_f = f, x->forced_sub = snap_sub(x, d, snap, base);
		enc_row(x, f, &kw[i], pp, base, f->off, len);
		x->forced_f = NULL;
	}
}

/* A select hook asked while rows that come before it in the table still waited for "notValid":
 * with them as zeros (they are not written yet), and the snapshot to ask it again. */
typedef struct fx_recheck {
	const whea_def *sub;
	fx_snap snap;
} fx_recheck;
#define FX_MAX_RECHECK 2

/* The waiting rows are written now: each hook must choose in the DOM path's state (its snapshot
 * with them) what it chose without them, or the fast path gives up. */
static void recheck_selects(fx *x, const whea_def *d, fx_recheck *rc, unsigned n, size_t base)
{
	for (unsigned i = 0; i < n; i++)
		if (snap_select(x, d, &rc[i].snap, base) != rc[i].sub)
			bail(x);
}

/* "notValid" in enc_rows: where it starts, the cursor in it, and state 0 not looked for, 1 none, 2 found. */
typedef struct fx_nv {
	const char *at, *cur;
	int state;
} fx_nv;

/* Looks up "notValid" ahead of p before its turn (enc_rows): when it is there, the rows that waited
 * for it (`pending`) are written from it (the cursor ends past them) and the hooks asked meanwhile
 * are asked again. */
static FX_INLINE fx_nv nv_early(fx *x, const whea_def *d, const char *p, uint64_t pending, size_t base, size_t len,
				fx_snap *snap, fx_recheck *rc, unsigned nrecheck)
{
	fx_nv nv = {find_not_valid(x, p), NULL, 1};
	if (nv.at) {
		nv.cur = nv.at, nv.state = 2;
		obj_open(x, &nv.cur);
		rows_from(x, d, &nv.cur, pending, base, len, snap);
		recheck_selects(x, d, rc, nrecheck, base);
	}
	return nv;
}

/* The rows of d from the object at *pp (json_encode.c's enc_rows), then its "notValid"; the cursor
 * ends at the next key or '}'. *mask (if any) gets bit i for each row i given outside notValid.
 *
 * A gated row missing from the object may be in "notValid", which json_write.c puts last. The DOM
 * path writes such rows at their place in the table; here they wait until "notValid" is reached
 * (they have fixed places and sizes, so the order of the writes does not matter). A select hook
 * met meanwhile is asked again once they are written (fx_recheck), and a waiting row with a hook
 * keeps a snapshot of the struct for it (fx_snap). Only a row that writes where waiting rows may
 * lie (arrays, open-ended and OFF_NEXT rows), or a second hooked row that waits, makes "notValid"
 * be looked up at once by a structural scan. */
static size_t enc_rows(fx *x, const whea_def *d, const fx_kw *kw, const char **pp, size_t base, size_t len, uint64_t *mask)
{
	fx_recheck rc[FX_MAX_RECHECK];        /* select hooks asked before rows that wait */
	fx_snap snap;                         /* a select row that waits */
	snap.row = FX_NO_SNAP;
	unsigned nrecheck = 0;
	fx_nv nv = {NULL, NULL, 0};           /* "notValid" */
	uint64_t pending = 0;                 /* rows to look for in "notValid" when it comes */
	size_t pend_end = 0;                  /* where the last of them ends */
	if (!kw)
		kw = kw_fields(d);
	if (!kw && d->nfields)
		bail(x);
	unsigned vbi = kw ? kw[0].vbi : FX_NO_VB;
	const whea_field *vbrow = vbi == FX_NO_VB ? NULL : &d->fields[vbi];
	bool vb_given = false;
	uint64_t derived = 0, given = 0; /* given: rows i < 64 given outside notValid */
	size_t cursor = 0, end = 0;
	for (uint16_t i = 0; i < d->nfields; i++) {
		const whea_field *f = &d->fields[i];
		if (kw[i].simple) { /* the short path: what the rest of the loop does for such a row */
			size_t fend = kw[i].fend;
			if (is_keyw(x, *pp, f->key, &kw[i])) {
				if (fend > len)
					bail(x);
				if (kw[i].op == FX_OP_PLAIN)
					plain_row(x, f, kw[i].n, pp, base + f->off);
				else if (kw[i].op == FX_OP_ROW)
					enc_row(x, f, &kw[i], pp, base, f->off, len);
				else
					op_row(x, f, &kw[i], pp, base + f->off);
				derived |= kw[i].vbit;
				given |= 1ull << i;
				cursor = fend;
				if (fend > end)
					end = fend;
				continue;
			}
			if (!kw[i].vbit) {
				cursor = fend;
				if (fend > end && len != SIZE_MAX && fend <= len)
					end = fend;
				continue;
			}
		}
		bool dep = kw[i].linked;
		size_t off = f->off == WHEA_OFF_NEXT ? cursor : f->off;
		/* A row that writes from off upwards (arrays, open-ended and OFF_NEXT rows) where a waiting
		 * row may lie: look up "notValid" now and catch up. A select hook past the waiting rows
		 * reads them as zeros now and is asked again once they are written (the same layout or
		 * give up), so no scan is needed for it. */
		if (pending && dep && (off < pend_end || (f->select && (nrecheck == FX_MAX_RECHECK || len > FX_SNAP)))) {
			nv = nv_early(x, d, *pp, pending, base, len, &snap, rc, nrecheck);
			pending = 0, nrecheck = 0;
		}
		if (pending && f->select && has_row(x, *pp, f, &kw[i])) {
			snap_take(x, &rc[nrecheck].snap, i, pending, base, len);
			rc[nrecheck].sub = row_sub(x, f, base, len);
			nrecheck++;
		}
		const char **src = pp;
		bool n = has_row(x, *pp, f, &kw[i]), from_invalid = false;
		if (!n && f->valid) {
			bool fixed = f->off != WHEA_OFF_NEXT && f->size && f->kind != WHEA_K_ARRAY;
			if (nv.state == 0 && dep && fixed && f->select && snap.row == FX_NO_SNAP && i < 64 &&
			    off >= pend_end && len <= FX_SNAP) /* its hook's view now: see fx_snap */
				snap_take(x, &snap, i, pending, base, len);
			if (nv.state == 0 && (!dep || snap.row == i) && i < 64) {
				pending |= 1ull << i;
				if (f->off + f->size > pend_end)
					pend_end = f->off + f->size;
			} else {
				if (nv.state == 0) {
					nv = nv_early(x, d, *pp, pending, base, len, &snap, rc, nrecheck);
					pending = 0, nrecheck = 0;
				}
				if (nv.state == 2 && has_row(x, nv.cur, f, &kw[i]))
					n = from_invalid = true, src = &nv.cur;
			}
		}
		size_t size = f->size; /* (an absent row keeps its place, but for an array) */
		if (n) {
			if (whea_json_beyond(f, off, len))
				bail(x);
			if (kw[i].plain)
				plain_row(x, f, kw[i].n, src, base + off);
			else
				size = enc_row(x, f, &kw[i], src, base, off, len);
			if (f->valid && !from_invalid)
				derived |= 1ull << (f->valid - 1);
		} else if (f->kind == WHEA_K_ARRAY) {
			size = 0;
		}
		cursor = off + size;
		end = whea_json_extent(end, f, cursor, size, n, len);
		if (n && !from_invalid) {
			if (i < 64)
				given |= 1ull << i;
			if (f == vbrow)
				vb_given = true;
		}
	}
	if (mask)
		*mask |= given;
	if (vbi < 64 && (given >> vbi & 1))
		vb_given = true;
	if (vbrow && vbrow->off + vbrow->size <= len && !vb_given)
		put_int(x, base + vbrow->off, derived, vbrow->size);
	if (nv.state == 2)
		obj_close(x, &nv.cur); /* every member of notValid was a row */
	if (KEY(x, pp, "notValid")) {
		if (nv.state == 2) {
			if (*pp != nv.at)
				bail(x);
			*pp = nv.cur;
		} else if (nv.state == 0) { /* the rows that waited for it */
			obj_open(x, pp);
			rows_from(x, d, pp, pending, base, len, &snap);
			obj_close(x, pp);
			recheck_selects(x, d, rc, nrecheck, base);
		} else {
			bail(x);
		}
		next(x, pp);
	} else if (nv.state == 2) {
		bail(x);
	}
	return end;
}

/* A def's members from the object at *pp (json_encode.c's enc_def); the cursor ends at the next key
 * or '}'. Unions are left to the DOM path unless given as {"data": ...}. */
static size_t enc_def(fx *x, const whea_def *d, const fx_kw *kw, const char **pp, size_t base, size_t len)
{
	if (++x->depth > FX_MAX_DEF_DEPTH)
		bail(x);
	size_t ext = 0;
	if (d->select) {
		if (KEY(x, pp, "data"))
			ext = enc_bytes(x, false, pp, base, 0, len), next(x, pp);
		else if (d->variants)
			bail(x);
	} else {
		ext = enc_rows(x, d, kw, pp, base, len, NULL);
	}
	x->depth--;
	return ext;
}

/* ---- the record ----------------------------------------------------------------------------- */

typedef struct fx_desc {
	uint32_t off, len;
	bool has_type, has_sev;
} fx_desc;

/* A section body {...} of type t at off (len bytes); returns the bytes it covers. */
static size_t enc_section(fx *x, const whea_section_type *t, const char **pp, size_t off, size_t len)
{
	obj_open(x, pp);
	const whea_def *d = t ? t->def : NULL;
	size_t extent = 0;
	if (d) {
		extent = enc_def(x, d, NULL, pp, off, len);
	} else if (KEY(x, pp, "data")) {
		extent = enc_bytes(x, false, pp, off, 0, len);
		next(x, pp);
	}
	if (KEY(x, pp, "trailingBytes")) {
		extent += enc_bytes(x, false, pp, off + extent, 0, len - extent);
		next(x, pp);
	}
	obj_close(x, pp);
	return extent;
}

/* whea_section_by_key with a per-thread cache (dropped when a type is unregistered), found by a hash
 * of the length and the first 8 bytes (k is in the padded text: 8 bytes can be read). */
static const whea_section_type *section_by_key(const char *k, size_t n)
{
	static _Thread_local struct {
		const whea_section_type *t;
		unsigned gen;
	} cache[256];
	unsigned gen = whea_registry_generation();
	uint64_t u;
	memcpy(&u, k, 8);
	if (n < 8)
		u &= (1ull << (8 * n)) - 1; /* (other bytes on a big-endian host: still a hash, hits are checked) */
	size_t h = (size_t)(((u ^ n) * 0x9e3779b97f4a7c15ull) >> 56);
	const whea_section_type *t = cache[h].t;
	if (t && cache[h].gen == gen && klen(t->key) == n && whea_json_same(t->key, k, n))
		return t;
	t = whea_section_by_key(k, n);
	if (t)
		cache[h].t = t, cache[h].gen = gen;
	return t;
}

/* Row indexes of the header and descriptor rows the record level asks about. */
static int row_index(const whea_def *d, const char *key)
{
	for (uint16_t i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].key, key) == 0)
			return i;
	return 63;
}

static size_t enc_record(fx *x, const char *p)
{
	static _Thread_local int h_sigend = -1, h_count, h_sev, h_reclen, d_off, d_len, d_type, d_sev;
	if (h_sigend < 0) {
		h_count = row_index(&whea_def_record_header, "sectionCount");
		h_sev = row_index(&whea_def_record_header, "severity");
		h_reclen = row_index(&whea_def_record_header, "recordLength");
		d_off = row_index(&whea_def_section_descriptor, "sectionOffset");
		d_len = row_index(&whea_def_section_descriptor, "sectionLength");
		d_type = row_index(&whea_def_section_descriptor, "sectionType");
		d_sev = row_index(&whea_def_section_descriptor, "severity");
		h_sigend = row_index(&whea_def_record_header, "signatureEnd");
	}
	const char **pp = &p;
	p = ws(x, p);
	obj_open(x, pp);
	if (!KEY(x, pp, "header"))
		bail(x);
	uint64_t hmask = 0;
	obj_open(x, pp);
	enc_rows(x, &whea_def_record_header, NULL, pp, 0, WHEA_RECORD_HEADER_SIZE, &hmask);
	obj_close(x, pp);
	next(x, pp);
	uint64_t reclen = hmask >> h_reclen & 1 ? whea_le32(x->out + 20) : 0;
	if (!KEY(x, pp, "sectionDescriptors"))
		bail(x);
	fx_desc ds[FX_MAX_SECTIONS];
	uint32_t n = 0;
	if (arr_open(x, pp))
		do {
			if (n == FX_MAX_SECTIONS)
				bail(x);
			size_t dpos = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * n;
			uint64_t m = 0;
			obj_open(x, pp);
			enc_rows(x, &whea_def_section_descriptor, NULL, pp, dpos, WHEA_SECTION_DESC_SIZE, &m);
			obj_close(x, pp);
			if (!(m >> d_off & 1) || !(m >> d_len & 1))
				bail(x);
			ds[n].off = whea_le32(x->out + dpos), ds[n].len = whea_le32(x->out + dpos + 4);
			ds[n].has_type = m >> d_type & 1, ds[n].has_sev = m >> d_sev & 1;
			n++;
		} while (arr_next(x, pp));
	next(x, pp);
	if (!KEY(x, pp, "sections"))
		bail(x);
	size_t pos = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * n, prev_end = pos;
	uint32_t max_sev = WHEA_SEV_INFORMATIONAL, i = 0;
	if (arr_open(x, pp))
		do {
			if (i >= n)
				bail(x);
			size_t off = ds[i].off, len = ds[i].len, dpos = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * i;
			/* sections in order, apart from each other and from the tables: the order of the writes
			 * does not matter then */
			if (off < prev_end || off + len > FX_CAP)
				bail(x);
			obj_open(x, pp);
			size_t kl;
			const char *k = str(x, pp, &kl);
			*pp -= kl + 2;
			eat_key(x, pp, kl);
			const whea_section_type *t = NULL;
			if (!whea_is_unknown_key(k, kl) && !(t = section_by_key(k, kl)))
				bail(x);
			whea_guid g;
			if (ds[i].has_type)
				memcpy(g.b, x->out + dpos + 16, 16);
			else if (t)
				g = t->guid;
			else
				bail(x);
			size_t used = enc_section(x, t, pp, off, len);
			next(x, pp);
			obj_close(x, pp);
			if (used > len)
				bail(x);
			put_int(x, dpos, off, 4);
			put_int(x, dpos + 4, len, 4);
			put_bytes(x, dpos + 16, g.b, 16);
			if (ds[i].has_sev) {
				uint32_t sev = whea_le32(x->out + dpos + 48);
				if (whea_severity_rank(sev) > whea_severity_rank(max_sev))
					max_sev = sev;
			}
			if (off + len > pos)
				pos = off + len;
			prev_end = off + len;
			i++;
		} while (arr_next(x, pp));
	if (i != n)
		bail(x);
	next(x, pp);
	put_bytes(x, 0, "CPER", 4);
	if (!(hmask >> h_sigend & 1))
		put_int(x, 6, 0xffffffffu, 4);
	if (!(hmask >> h_count & 1))
		put_int(x, 10, n, 2);
	if (!(hmask >> h_sev & 1))
		put_int(x, 12, max_sev, 4);
	if (KEY(x, pp, "extraBytes")) {
		if (arr_open(x, pp))
			do {
				obj_open(x, pp);
				if (!KEY(x, pp, "offset"))
					bail(x);
				uint64_t at = num(x, pp);
				next(x, pp);
				if (at >= FX_CAP || !KEY(x, pp, "data"))
					bail(x);
				size_t got = enc_bytes(x, false, pp, (size_t)at, 0, SIZE_MAX - at);
				next(x, pp);
				obj_close(x, pp);
				if (at + got > pos)
					pos = at + got;
			} while (arr_next(x, pp));
		next(x, pp);
	}
	if (KEY(x, pp, "diagnostics"))
		skip(x, pp), next(x, pp);
	obj_close(x, pp);
	if (ws(x, p) != x->end)
		bail(x);
	if (!(hmask >> h_reclen & 1))
		reclen = pos;
	else if (reclen < x->need)
		bail(x);
	put_int(x, 20, reclen, 4);
	in_cap(x, reclen); /* out[need..reclen) is zeros */
	return reclen;
}

static _Thread_local uint8_t *fx_buf;
static _Thread_local char *fx_text; /* the copy of the text, FX_PAD zeros after it */
static _Thread_local size_t fx_text_cap;

/* Frees the calling thread's buffers (key words, output, text copy): at thread exit. */
static void fx_thread_exit(void)
{
	free(kw_arena), kw_arena = NULL;
	kw_used = kw_ntabs = 0;
	memset(kw_tabs, 0, sizeof kw_tabs);
	free(fx_buf), fx_buf = NULL;
	free(fx_text), fx_text = NULL, fx_text_cap = 0;
}

static void fx_thread_owns(void) { whea_thread_exit_register(fx_thread_exit); }

/* The text copied with FX_PAD zero bytes after it; NULL if there is no memory for it. */
static const char *padded_copy(const char *json, size_t n)
{
	if (n + FX_PAD > fx_text_cap) {
		size_t want = n + FX_PAD < 65536 ? 65536 : n + FX_PAD;
		char *t = realloc(fx_text, want);
		if (!t)
			return NULL;
		if (!fx_text)
			fx_thread_owns();
		fx_text = t, fx_text_cap = want;
	}
	size_t i = 0;
#ifdef FX_SSE2
	/* 64 bytes a round: fewer instructions than the library's copy for these sizes */
	for (; n - i >= 64; i += 64) {
		const __m128i *s = (const __m128i *)(const void *)(json + i);
		__m128i *d = (__m128i *)(void *)(fx_text + i);
		__m128i a = _mm_loadu_si128(s), b = _mm_loadu_si128(s + 1), c = _mm_loadu_si128(s + 2),
			e = _mm_loadu_si128(s + 3);
		_mm_storeu_si128(d, a), _mm_storeu_si128(d + 1, b), _mm_storeu_si128(d + 2, c), _mm_storeu_si128(d + 3, e);
	}
#endif
	memcpy(fx_text + i, json + i, n - i);
	memset(fx_text + n, 0, FX_PAD);
	return fx_text;
}

/* The record from the padded text into fx_buf: its length, or 0 when the fast path gives up (a
 * function of its own so that setjmp's caller keeps no other locals). *used = how much of fx_buf to
 * clear afterwards (bail() clears it itself). */
static size_t run(const char *text, size_t len, size_t *used)
{
	fx x;
	x.end = text + len;
	x.out = fx_buf;
	x.need = x.dirty = 0;
	x.depth = x.jdepth = 0;
	x.forced_f = NULL, x.forced_sub = NULL;
	kw_start_record();
	*used = 0;
	if (setjmp(x.bail))
		return 0;
	size_t n = enc_record(&x, text);
	*used = n > x.need ? n : x.need;
	if (x.dirty > *used)
		*used = x.dirty;
	return n;
}

int whea_json_fast_encode(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen)
{
	if (!json || jsonlen > FX_MAX_TEXT)
		return 1;
	if (!fx_buf) { /* all zeros between records */
		if (!(fx_buf = malloc(FX_CAP)))
			return 1;
		fx_thread_owns();
		clear(fx_buf, FX_CAP);
	}
	const char *text = padded_copy(json, jsonlen);
	if (!text)
		return 1;
	size_t used, n = run(text, jsonlen, &used);
	if (n && n <= cap) {
		memcpy(out, fx_buf, n);
		if (outlen)
			*outlen = n;
	}
	clear(fx_buf, used);
	if (fx_text_cap > FX_KEEP_TEXT) { /* a rare big text: do not keep its copy for the thread's life */
		free(fx_text);
		fx_text = NULL, fx_text_cap = 0;
	}
	return n && n <= cap ? 0 : 1; /* too big for out: the DOM path reports the missing room */
}
