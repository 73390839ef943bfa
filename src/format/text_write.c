/* format/text_write.c — the text printer: a sink for the table interpreter that writes a record
 * for a person (labels, enum and bit names, addresses in hex, GUIDs with their names, hex dumps).
 * Speed: members' labels come padded with their names (whea_skey), enum and bit names from a
 * lock-free cache keyed by address; each line is stored whole at a write cursor with one room check; the common cases of
 * the callbacks make no call (so they save no registers), the rest goes to out-of-line general
 * paths; numbers are formatted without digit loops where possible. Freestanding: no allocator,
 * no stdio. */
#include <stdatomic.h>
#include <string.h>

#include "cper/interp.h"
#include "util/fmt.h"
#include "util/outbuf.h"
#include "whea/format.h"

#define TW_MAX_DEPTH 40
#define LABEL_CAP 96 /* whea_key_label buffer: labels are at most 95 characters */
#define LABEL_SCRATCH 160 /* a label zero-padded for block copies, with room to spare */

typedef struct tw {
	whea_out *o;
	/* Write cursor into o's buffer and its end: the callbacks store and advance cur; o->len and
	 * o->total are brought up to date (tw_sync) only around whea_out_write and at the end of the
	 * record, which saves each line the loads and stores of committing to o. */
	char *cur, *lim;
	int depth;
	unsigned index[TW_MAX_DEPTH]; /* element counter of each open array */
	bool in_array[TW_MAX_DEPTH];
	unsigned flags;
	unsigned gen; /* registry generation, read once per record (label cache) */
	uint64_t lc_base; /* lc_tag(gen, 0): a label's tag is lc_base | sub */
	struct guid_cache *gn;       /* this thread's GUID names (one TLS look-up per record) */
	whea_diag_counts counts;     /* diagnostics written, by severity */
	char scratch[LABEL_SCRATCH]; /* labels derived when the label cache cannot hold them */
} tw;

/* ---- Label cache: (id, sub) -> label text, where sub says what the text is derived from:
 * LS_KEY: whea_key_label(id) (enum names), LS_BIT + b: the text of bit b of a FLAGS name table or VALIDBITS def id (whea_name_of /
 * whea_validbit_name and whea_key_label, or "reserved bit b"). Entries are written once into a
 * static arena and published with a compare-and-swap, so concurrent writers are safe; an entry is
 * used only when its id, sub and registry generation match (tables of an unregistered section
 * type may be freed and their addresses reused). Texts are zero-padded to whole 16-byte blocks
 * (at least two) so that lines copy them with whea_copy_blocks. When the table or arena is full,
 * labels are derived on the fly into the writer's scratch buffer (padded the same way). */
enum { LS_KEY = 0, LS_BIT = 1 };

typedef struct label_entry {
	const void *id;
	uint64_t tag; /* generation << 8 | sub */
	uint16_t len;
	char text[]; /* len characters, then zeros up to label_room(len) */
} label_entry;

#define LC_BITS 14 /* 16384 slots for a few hundred labels: home slots rarely collide */
#define LC_SLOTS (1u << LC_BITS)
#define LC_PROBES 8
#define LC_ARENA (128 * 1024)
static _Atomic(label_entry *) lc_slots[LC_SLOTS];
static atomic_size_t lc_used;
static _Alignas(label_entry) char lc_arena[LC_ARENA];

/* Bytes a label of n characters occupies: whole 16-byte blocks, at least two. */
static inline size_t label_room(size_t n) { return n <= 32 ? 32 : (n + 15) & ~(size_t)15; }

/* Fibonacci hashing of the id and sub: ids of one table with consecutive subs spread out. */
static inline unsigned lc_hash(const void *id, unsigned sub)
{
	return (unsigned)((((uint64_t)(uintptr_t)id + sub) * 0x9E3779B97F4A7C15ull) >> (64 - LC_BITS));
}

static inline uint64_t lc_tag(unsigned gen, unsigned sub) { return (uint64_t)gen << 8 | sub; }

/* The text of (id, sub) into buf (LABEL_SCRATCH bytes, zero-padded); returns its length. */
static size_t label_make(const void *id, unsigned sub, char *buf)
{
	memset(buf, 0, LABEL_SCRATCH);
	const char *name = id;
	if (sub >= LS_BIT) {
		unsigned bit = sub - LS_BIT;
		const whea_def *vd = (const void *)((uintptr_t)id & ~(uintptr_t)1);
		name = ((uintptr_t)id & 1) ? whea_validbit_name(vd, bit) : whea_name_of(id, bit);
		if (!name) {
			memcpy(buf, "reserved bit ", 13);
			return 13 + whea_dec_inline(buf + 13, bit);
		}
	}
	whea_key_label(name, buf, LABEL_CAP);
	return strlen(buf);
}

/* A label's text and length (returned in registers). */
typedef struct tw_label {
	const char *t;
	size_t n;
} tw_label;

static inline tw_label lab(const char *t, size_t n)
{
	tw_label l = {t, n};
	return l;
}

/* The entry of (id, sub) in the arena, or its text in scratch: slow path of label_of (probing,
 * insertion). */
static tw_label label_probe(const void *id, unsigned sub, uint64_t base, char *scratch)
{
	unsigned h = lc_hash(id, sub);
	uint64_t tag = base | sub;
	label_entry *made = NULL;
	for (unsigned k = 0; k < LC_PROBES; k++, h = (h + 1) & (LC_SLOTS - 1)) {
		label_entry *e = atomic_load_explicit(&lc_slots[h], memory_order_acquire);
		if (e) {
			if (e->id == id && e->tag == tag)
				return lab(e->text, e->len);
			continue;
		}
		if (!made) {
			size_t n = label_make(id, sub, scratch);
			size_t need = (sizeof(label_entry) + label_room(n) + _Alignof(label_entry) - 1) &
				      ~(_Alignof(label_entry) - 1);
			size_t at = atomic_fetch_add_explicit(&lc_used, need, memory_order_relaxed);
			if (at + need > LC_ARENA)
				return lab(scratch, n);
			made = (label_entry *)(void *)(lc_arena + at);
			made->id = id, made->tag = tag, made->len = (uint16_t)n;
			memcpy(made->text, scratch, label_room(n));
		}
		label_entry *expect = NULL;
		if (atomic_compare_exchange_strong_explicit(&lc_slots[h], &expect, made, memory_order_acq_rel,
							    memory_order_acquire))
			return lab(made->text, made->len);
		if (expect->id == id && expect->tag == tag) /* another thread was first */
			return lab(expect->text, expect->len);
	}
	if (made) /* every slot of the probe sequence taken: used once, unpublished */
		return lab(made->text, made->len);
	return lab(scratch, label_make(id, sub, scratch));
}

/* The label of (id, sub): a hit in its home slot inline, the rest in label_probe. The text may
 * be copied with whea_copy_blocks. */
static WHEA_ALWAYS_INLINE tw_label label_of(const void *id, unsigned sub, uint64_t base, char *scratch)
{
	label_entry *e = atomic_load_explicit(&lc_slots[lc_hash(id, sub)], memory_order_acquire);
	if (e && e->id == id && e->tag == (base | sub))
		return lab(e->text, e->len);
	return label_probe(id, sub, base, scratch);
}

/* ---- Output helpers. */
#if defined(__GNUC__)
#define TW_NOINLINE __attribute__((noinline))
#define TW_COLD __attribute__((noinline, cold)) /* fallbacks kept out of the hot callbacks' code */
#else
#define TW_NOINLINE
#define TW_COLD
#endif

/* Accounts the bytes stored at cur in o. */
static inline void tw_sync(tw *w)
{
	size_t n = (size_t)(w->cur - (w->o->buf + w->o->len));
	w->o->len += n;
	w->o->total += n;
}

/* Takes the cursor from o: at the start, and after whea_out_write (which may have flushed). An
 * output without a buffer gets no room at all, so that a cursor that passed tw_room is never NULL. */
static inline void tw_load(tw *w)
{
	w->cur = w->o->buf + w->o->len;
	w->lim = w->o->buf ? w->o->buf + w->o->cap : w->cur;
}

/* Where n bytes can be stored (finish with done_at), or NULL unless the buffer has more room (one
 * byte more than needed, so that even n = 0 finds no room without a buffer). */
static inline char *tw_room(tw *w, size_t n)
{
	char *p = w->cur;
	if ((uintptr_t)w->lim - (uintptr_t)p <= n)
		return NULL;
#if defined(__GNUC__)
	if (!p) /* never: tw_load; tells the compiler that callers need not test p */
		__builtin_unreachable();
#endif
	return p;
}

/* Ends a line stored from tw_room: the cursor moves to end. */
static inline void done_at(tw *w, char *end) { w->cur = end; }

/* n bytes through whea_out_write (flush when full, or count dropped bytes). */
static TW_NOINLINE void tw_write(tw *w, const char *s, size_t n)
{
	tw_sync(w);
	whea_out_write(w->o, s, n);
	tw_load(w);
}

static inline void put(tw *w, const char *s, size_t n)
{
	char *d = tw_room(w, n);
	if (d) {
		whea_copy_small(d, s, n);
		w->cur = d + n;
	} else {
		tw_write(w, s, n);
	}
}

static inline void tw_byte(tw *w, char c) { put(w, &c, 1); }
static inline void puts_(tw *w, const char *s) { put(w, s, strlen(s)); }
#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static void printf_(tw *w, const char *fmt, ...)
{
	char b[256];
	va_list ap;
	va_start(ap, fmt);
	size_t n = whea_vformat(b, sizeof b, fmt, ap);
	va_end(ap);
	put(w, b, n < sizeof b ? n : sizeof b - 1);
}

static void dec(tw *w, uint64_t v)
{
	char b[20];
	put(w, b, whea_dec_inline(b, v));
}

/* "0x" and at least min_digits hex digits (zero-padded like "%0*llx"). */
static void hex0x(tw *w, uint64_t v, unsigned min_digits)
{
	char b[24] = "0x";
	if (min_digits <= 16) {
		put(w, b, 2 + whea_hex_inline(b + 2, v, min_digits));
		return;
	}
	unsigned n = whea_hex_inline(b + 2, v, 1);
	PUTS(w, "0x");
	for (unsigned k = n; k < min_digits; k++)
		PUTS(w, "0");
	put(w, b + 2, n);
}

/* ---- Decimal digits (util/fmt.h's range-based writer): most values the text shows are small, so
 * up to eight digits are stored inline and longer numbers formatted out of line (inlined into
 * every sink callback, the long case would cost registers and code in all of them). */

static TW_NOINLINE char *dec_long(char *p, uint64_t v) { return whea_dec_big_at(p, v); }

/* v in decimal at p (20 bytes of room); returns the end. */
static WHEA_ALWAYS_INLINE char *dec_at(char *p, uint64_t v)
{
	if (v < 10000)
		return whea_dec4_at(p, (uint32_t)v);
	if (v < 100000000)
		return whea_dec8_at(p, (uint32_t)v);
	return dec_long(p, v);
}

/* ---- Hex digits without a digit loop, where the compiler and byte order allow: with 16-byte
 * vectors (the compiler's vector extension, no intrinsics header) where SSE2 is there, else eight
 * at a time in a 64-bit word (SWAR). Either way each nibble gets a byte, the bytes are put in
 * reading order, and '0' or 'a' - 10 is added per byte. */
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TW_FAST_HEX 1
#if defined(__SSE2__)
#define TW_VEC_HEX 1
typedef signed char tw_s8x16 __attribute__((vector_size(16)));
typedef unsigned char tw_u8x16 __attribute__((vector_size(16)));
typedef unsigned long long tw_u64x2 __attribute__((vector_size(16)));

/* The 16 hex digits of x at out (16 bytes): nibbles interleaved by a shuffle. */
static WHEA_ALWAYS_INLINE void hex16_vec(char *out, uint64_t x)
{
	tw_u64x2 q = {__builtin_bswap64(x), 0}; /* first digit's byte first */
	tw_u8x16 b = (tw_u8x16)q, d;
#if defined(__clang__)
	d = __builtin_shufflevector(b >> 4, b & 15, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
#else
	d = __builtin_shuffle(b >> 4, b & 15, (tw_u8x16){0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23});
#endif
	d = d + '0' + ((tw_u8x16)((tw_s8x16)d > 9) & ('a' - '0' - 10));
	memcpy(out, &d, 16);
}
#else
/* The 8 hex digits of x as the bytes of a word stored little-endian (first digit first). */
static inline uint64_t hex8_word(uint32_t x)
{
	uint64_t t = x;
	t = (t | t << 16) & 0x0000ffff0000ffffull;
	t = (t | t << 8) & 0x00ff00ff00ff00ffull;
	t = (t | t << 4) & 0x0f0f0f0f0f0f0f0full; /* byte k = nibble k */
	t = __builtin_bswap64(t);
	return t + 0x3030303030303030ull + (((t + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull) * 0x27;
}
#endif
#endif

/* v in hex with at least min_digits (<= 16) digits at out, like whea_hex_inline, but out must
 * have 16 bytes of room: the digits are stored as whole words (v shifted so that its first digit
 * is the word's first), bytes past the returned count are scratch. */
static WHEA_ALWAYS_INLINE unsigned hex_at(char *out, uint64_t v, unsigned min_digits)
{
#ifdef TW_FAST_HEX
	unsigned n = v ? (67u - (unsigned)__builtin_clzll(v)) / 4 : 1;
	if (n < min_digits)
		n = min_digits;
	if (n <= 4) { /* short: digit pairs from the table are cheaper than a word's arithmetic */
		char *e = out + n;
		for (; e - out >= 2; v >>= 8) {
			e -= 2;
			memcpy(e, whea_hex_pairs + 2 * (v & 0xff), 2);
		}
		if (e > out)
			out[0] = "0123456789abcdef"[v & 0xf];
	} else {
#ifdef TW_VEC_HEX
		hex16_vec(out, v << (64 - 4 * n));
#else
		if (n <= 8) {
			uint64_t a = hex8_word((uint32_t)v << (32 - 4 * n));
			memcpy(out, &a, 8);
		} else {
			uint64_t x = v << (64 - 4 * n), a = hex8_word((uint32_t)(x >> 32)), b = hex8_word((uint32_t)x);
			memcpy(out, &a, 8);
			memcpy(out + 8, &b, 8);
		}
#endif
	}
	return n;
#else
	return whea_hex_inline(out, v, min_digits);
#endif
}

/* Indentation source: whea_copy_blocks reads whole 16-byte blocks (depth < TW_MAX_DEPTH). */
static const char spaces[2 * TW_MAX_DEPTH + 32 + 1] =
	"                                                        "
	"                                                        ";
/* Bytes the block copies of one line (indentation, then a label) may store past its end. */
#define TW_SLACK 48

static void indent(tw *w) { put(w, spaces, 2 * (size_t)w->depth); }

/* A label (label_of's text or a name's) copied at p; returns the end. */
static WHEA_ALWAYS_INLINE char *copy_label(char *p, const char *t, size_t n)
{
	if (n <= WHEA_SKEY_PAD_MAX)
		whea_copy_blocks(p, t, n);
	else /* an over-long given label, not padded (see whea_skey) */
		memcpy(p, t, n);
	return p + n;
}

/* The label of a member: its name's text label. */
static WHEA_ALWAYS_INLINE tw_label member_label(const whea_skey *k) { return lab(k->text, k->tlen); }

/* Label text (words) of a key or name. */
static void words(tw *w, const char *key)
{
	tw_label l = label_of(key, LS_KEY, w->lc_base, w->scratch);
	put(w, l.t, l.n);
}

/* "Label: " for a member, or "[i] " for an array element, slow path (the buffer lacks room). */
static TW_COLD void lead_slow(tw *w, const whea_skey *k, char end)
{
	indent(w);
	if (!k->key && w->in_array[w->depth]) {
		PUTS(w, "[");
		dec(w, w->index[w->depth]++);
		PUTS(w, "]");
	} else {
		tw_label l = member_label(k);
		put(w, l.t, l.n);
		PUTS(w, ":");
	}
	tw_byte(w, end);
}

/* Writes the indentation and "Label:" (or "[i]") of a line and `end` (a space before a value, a
 * newline before nested members), and reserves `extra` bytes for the value: returns where the
 * value goes (finish with done_at), or NULL when the buffer lacks room, in which case the lead has
 * been written the slow way. */
static WHEA_ALWAYS_INLINE char *lead_end_at(tw *w, const whea_skey *k, char end, size_t extra)
{
	size_t ind = 2 * (size_t)w->depth;
	char *p;
	if (!k->key && w->in_array[w->depth]) {
		p = tw_room(w, ind + 24 + TW_SLACK + extra);
		if (!p) {
			lead_slow(w, k, end);
			return NULL;
		}
		whea_copy_blocks(p, spaces, ind);
		p += ind;
		*p++ = '[';
		p = dec_at(p, w->index[w->depth]++);
		*p++ = ']';
		*p++ = end;
		return p;
	}
	tw_label l = member_label(k);
	p = tw_room(w, ind + l.n + 2 + TW_SLACK + extra);
	if (!p) {
		lead_slow(w, k, end);
		return NULL;
	}
	whea_copy_blocks(p, spaces, ind);
	p = copy_label(p + ind, l.t, l.n);
	p[0] = ':';
	p[1] = end;
	return p + 2;
}

#define lead_at(w, k, extra) lead_end_at((w), (k), ' ', (extra))

/* The home-slot hit of label_of, or NULL (no probing, no call). Cached texts are padded. */
static WHEA_ALWAYS_INLINE const label_entry *label_hit(const void *id, unsigned sub, uint64_t base)
{
	label_entry *e = atomic_load_explicit(&lc_slots[lc_hash(id, sub)], memory_order_acquire);
	return e && e->id == id && e->tag == (base | sub) ? e : NULL;
}

/* lead_end_at for the common cases only, with no call: a padded label, an array index below
 * 10000, room in the buffer. Otherwise returns NULL having written nothing and
 * changed nothing, and the caller takes its general path (a tail call). Callbacks whose common
 * path calls nothing need no saved registers, which is most of a short line's overhead. */
static WHEA_ALWAYS_INLINE char *lead_fast(tw *w, const whea_skey *k, char end, size_t extra)
{
	size_t ind = 2 * (size_t)w->depth;
	char *p;
	if (!k->key && w->in_array[w->depth]) {
		unsigned i = w->index[w->depth];
		if (i >= 10000 || !(p = tw_room(w, ind + 8 + TW_SLACK + extra)))
			return NULL;
		w->index[w->depth] = i + 1;
		whea_copy_blocks(p, spaces, ind);
		p += ind;
		*p++ = '[';
		p = whea_dec4_at(p, i);
		p[0] = ']';
		p[1] = end;
		return p + 2;
	}
	tw_label l = member_label(k); /* read once: the stores below may alias it for the compiler */
	if (l.n > WHEA_SKEY_PAD_MAX || !(p = tw_room(w, ind + l.n + 2 + TW_SLACK + extra)))
		return NULL;
	size_t len = l.n;
	whea_copy_blocks(p, spaces, ind);
	p += ind;
	whea_copy_blocks(p, l.t, len);
	p += len;
	p[0] = ':';
	p[1] = end;
	return p + 2;
}

static void lead(tw *w, const whea_skey *k)
{
	char *p = lead_at(w, k, 0);
	if (p)
		done_at(w, p);
}

/* Opens a level: the next lines are indented one step more. */
static inline void open_level(tw *w, bool array)
{
	if (w->depth + 1 < TW_MAX_DEPTH)
		w->depth++;
	w->in_array[w->depth] = array;
	w->index[w->depth] = 0;
}

static TW_COLD void begin_general(tw *w, const whea_skey *k, bool array)
{
	char *p = lead_end_at(w, k, '\n', 0);
	if (p)
		done_at(w, p);
	open_level(w, array);
}

/* The line opening an object or array k, and the level of its members. */
static WHEA_ALWAYS_INLINE void begin_at(tw *w, const whea_skey *k, bool array)
{
	char *p = lead_fast(w, k, '\n', 0);
	if (!p) {
		begin_general(w, k, array);
		return;
	}
	done_at(w, p);
	open_level(w, array);
}

static void t_begin(void *ctx, const whea_skey *k, bool array) { begin_at(ctx, k, array); }

/* An array without elements says so under its heading. */
static TW_COLD void empty_array(tw *w)
{
	indent(w);
	PUTS(w, "(none)\n");
}

static void t_end(void *ctx, bool array)
{
	tw *w = ctx;
	if (array && !w->index[w->depth] && w->in_array[w->depth])
		empty_array(w);
	if (w->depth > 0)
		w->depth--;
}

/* Hex digits of an address of width bytes (0: 8). */
static inline unsigned addr_digits(unsigned width) { return width ? (width * 2 > 16 ? 16 : width * 2) : 16; }

static TW_COLD void number(tw *w, uint64_t v, int fmt, unsigned width)
{
	switch (fmt) {
	case WHEA_FMT_HEX:
		hex0x(w, v, 1);
		break;
	case WHEA_FMT_ADDR:
		hex0x(w, v, addr_digits(width));
		break;
	case WHEA_FMT_BCDREV:
		dec(w, (v >> 8) & 0xff);
		PUTS(w, ".");
		dec(w, v & 0xff);
		break;
	default:
		dec(w, v);
		break;
	}
}

/* Whether number_at can format v without a call: every format but decimals of 5 digits or more. */
static inline bool number_short(uint64_t v, int fmt)
{
	return fmt == WHEA_FMT_HEX || fmt == WHEA_FMT_ADDR || fmt == WHEA_FMT_BCDREV || v < 10000;
}

/* The text of a number (at most 24 bytes, 25 with scratch) at p; returns its end. small: the
 * caller has checked number_short (no call is then made). */
static WHEA_ALWAYS_INLINE char *number_at(char *p, uint64_t v, int fmt, unsigned width, bool small)
{
	switch (fmt) {
	case WHEA_FMT_HEX:
		*p++ = '0', *p++ = 'x';
		return p + hex_at(p, v, 1);
	case WHEA_FMT_ADDR:
		*p++ = '0', *p++ = 'x';
		return p + hex_at(p, v, addr_digits(width));
	case WHEA_FMT_BCDREV:
		p = whea_dec4_at(p, (v >> 8) & 0xff);
		*p++ = '.';
		return whea_dec4_at(p, v & 0xff);
	default:
		return small ? whea_dec4_at(p, (unsigned)v) : dec_at(p, v);
	}
}

static TW_COLD void num_general(tw *w, const whea_skey *k, uint64_t v, int fmt, unsigned width)
{
	char *p = lead_at(w, k, 25);
	if (p) {
		p = number_at(p, v, fmt, width, false);
		*p++ = '\n';
		done_at(w, p);
		return;
	}
	number(w, v, fmt, width);
	tw_byte(w, '\n');
}

/* The callbacks below take a call-free path for the common case (see lead_fast) and their
 * *_general function for everything else. */
static void t_num(void *ctx, const whea_skey *k, uint64_t v, int fmt, unsigned width)
{
	tw *w = ctx;
	char *p;
	if (!number_short(v, fmt) || !(p = lead_fast(w, k, ' ', 25))) {
		num_general(w, k, v, fmt, width);
		return;
	}
	p = number_at(p, v, fmt, width, true);
	*p++ = '\n';
	done_at(w, p);
}

/* The value part of an enum line, slow path (the buffer lacks room). */
static TW_COLD void enm_slow(tw *w, uint64_t v, const char *name)
{
	if (name)
		words(w, name), PUTS(w, " (");
	else
		PUTS(w, "unknown (");
	dec(w, v);
	PUTS(w, ")\n");
}

static TW_COLD void enm_general(tw *w, const whea_skey *k, uint64_t v, const char *name)
{
	char *p = lead_at(w, k, LABEL_CAP + 2 + 20 + 2 + 9);
	if (p) { /* the whole line in one reservation */
		if (name) {
			tw_label l = label_of(name, LS_KEY, w->lc_base, w->scratch);
			p = copy_label(p, l.t, l.n);
			*p++ = ' ', *p++ = '(';
		} else {
			memcpy(p, "unknown (", 9), p += 9;
		}
		p = dec_at(p, v);
		*p++ = ')', *p++ = '\n';
		done_at(w, p);
		return;
	}
	enm_slow(w, v, name); /* lead_at has written the lead */
}

static void t_enm(void *ctx, const whea_skey *k, uint64_t v, const char *name, size_t nlen, int fmt)
{
	tw *w = ctx;
	(void)fmt, (void)nlen;
	const label_entry *e = NULL;
	char *p;
	if (v >= 10000 || (name && !(e = label_hit(name, LS_KEY, w->lc_base))) ||
	    !(p = lead_fast(w, k, ' ', LABEL_CAP + 2 + 4 + 2 + 9))) {
		enm_general(w, k, v, name);
		return;
	}
	if (e) {
		whea_copy_blocks(p, e->text, e->len);
		p += e->len;
		*p++ = ' ', *p++ = '(';
	} else {
		memcpy(p, "unknown (", 9), p += 9;
	}
	p = whea_dec4_at(p, (unsigned)v);
	*p++ = ')', *p++ = '\n';
	done_at(w, p);
}

/* At least the number of set bits of m: its bit length (a bound for the line's reservation that
 * costs one instruction, where a count without a popcount instruction costs twenty). */
static inline size_t bits_bound(uint64_t m)
{
#if defined(__GNUC__)
	return m ? 64u - (unsigned)__builtin_clzll(m) : 0;
#else
	size_t n = 0;
	for (; m; m >>= 1)
		n++;
	return n;
#endif
}

/* Index of the lowest set bit of m (m != 0). */
static inline unsigned lowest_bit(uint64_t m)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(m);
#else
	unsigned b = 0;
	while (!(m & 1))
		m >>= 1, b++;
	return b;
#endif
}

/* The label cache id of a bit table: a VALIDBITS def (tagged with its low bit, defs being
 * aligned) or a FLAGS name table. */
static inline const void *bits_id(const whea_name *names, const whea_def *validdef)
{
	return validdef ? (const void *)((uintptr_t)validdef | 1) : (const void *)names;
}

/* The value part of a flags line, slow path (no room, or wider than 64 bits). */
static TW_COLD void bits_slow(tw *w, uint64_t v, unsigned digits, uint64_t set, const void *id)
{
	bool any = false;
	hex0x(w, v, digits);
	for (; set; set &= set - 1) {
		tw_label l = label_of(id, LS_BIT + lowest_bit(set), w->lc_base, w->scratch);
		put(w, any ? ", " : " (", 2);
		any = true;
		put(w, l.t, l.n);
	}
	if (any)
		PUTS(w, ")\n");
	else
		PUTS(w, "\n");
}

/* The bits of v a flags line names: those inside the field's width. */
static inline uint64_t bits_set(uint64_t v, unsigned width) { return width >= 64 ? v : v & ((1ull << width) - 1); }

static TW_COLD void bits_general(tw *w, const whea_skey *k, uint64_t v, unsigned width, const void *id)
{
	unsigned digits = (width + 3) / 4;
	uint64_t set = bits_set(v, width);
	if (digits <= 16) {
		size_t nb = bits_bound(set);
		char *p = lead_at(w, k, 2 + 16 + 2 + nb * (2 + LABEL_CAP + 16));
		if (p) { /* the whole line in one reservation */
			*p++ = '0', *p++ = 'x';
			p += hex_at(p, v, digits);
			if (set) {
				char sep[2] = {' ', '('}; /* then ", " */
				for (; set; set &= set - 1) {
					tw_label l = label_of(id, LS_BIT + lowest_bit(set), w->lc_base, w->scratch);
					memcpy(p, sep, 2);
					p = copy_label(p + 2, l.t, l.n);
					sep[0] = ',', sep[1] = ' ';
				}
				*p++ = ')';
			}
			*p++ = '\n';
			done_at(w, p);
			return;
		}
		/* lead_at has written the lead */
	} else {
		lead(w, k);
	}
	bits_slow(w, v, digits, set, id);
}

/* The padded label of bit b of a bit table: from its compiled names (fn) or the label cache;
 * false when neither has it at hand (then the general path makes it). */
static WHEA_ALWAYS_INLINE bool bit_label(tw *w, const whea_flagnames *fn, const void *id, unsigned b, tw_label *l)
{
	if (fn) {
		const whea_skey *e = fn->bybit[b];
		*l = e ? lab(e->text, e->tlen) : lab(NULL, 0);
		return e != NULL;
	}
	const label_entry *e = label_hit(id, LS_BIT + b, w->lc_base);
	*l = e ? lab(e->text, e->len) : lab(NULL, 0);
	return e != NULL;
}

static void t_bits(void *ctx, const whea_skey *k, uint64_t v, unsigned width, const whea_name *names,
		   const uint8_t *nlens, const whea_def *validdef, const whea_flagnames *fn)
{
	tw *w = ctx;
	(void)nlens;
	unsigned digits = (width + 3) / 4;
	const void *id = bits_id(names, validdef);
	tw_label hit[64]; /* the names of the set bits, looked up before anything is written */
	size_t nb = 0, len = 0;
	char *p;
	if (digits > 16)
		goto general;
	for (uint64_t m = bits_set(v, width); m; m &= m - 1) {
		if (!bit_label(w, fn, id, lowest_bit(m), &hit[nb]))
			goto general;
		len += hit[nb++].n;
	}
	if (!(p = lead_fast(w, k, ' ', 2 + 16 + 2 + 2 * nb + len)))
		goto general;
	*p++ = '0', *p++ = 'x';
	p += hex_at(p, v, digits);
	for (size_t i = 0; i < nb; i++) {
		if (i)
			*p++ = ',', *p++ = ' ';
		else
			*p++ = ' ', *p++ = '(';
		whea_copy_blocks(p, hit[i].t, hit[i].n);
		p += hit[i].n;
	}
	if (nb)
		*p++ = ')';
	*p++ = '\n';
	done_at(w, p);
	return;
general:
	bits_general(w, k, v, width, id);
}

/* "yes\n" or "no\n" at p; returns the end. */
static inline char *yes_no_at(char *p, bool v)
{
	if (v) {
		memcpy(p, "yes\n", 4);
		return p + 4;
	}
	memcpy(p, "no\n", 3);
	return p + 3;
}

static TW_COLD void bool_general(tw *w, const whea_skey *k, bool v)
{
	char *p = lead_at(w, k, 4);
	if (p) {
		done_at(w, yes_no_at(p, v));
		return;
	}
	if (v)
		PUTS(w, "yes\n");
	else
		PUTS(w, "no\n");
}

static void t_bool(void *ctx, const whea_skey *k, bool v)
{
	tw *w = ctx;
	char *p = lead_fast(w, k, ' ', 4);
	if (!p) {
		bool_general(w, k, v);
		return;
	}
	done_at(w, yes_no_at(p, v));
}

/* The value part of an enum member's line at p ("Name (v)" or "unknown (v)", see t_enm);
 * returns the end. */
static char *enum_value_at(char *p, const whea_skey *k, uint64_t v)
{
	const whea_skey *e = whea_skey_enum(k, v);
	if (e) {
		whea_copy_blocks(p, e->text, e->tlen);
		p += e->tlen;
		*p++ = ' ', *p++ = '(';
	} else {
		memcpy(p, "unknown (", 9), p += 9;
	}
	p = dec_at(p, v);
	*p++ = ')', *p++ = '\n';
	return p;
}

/* The line of a member k (number, boolean, enum) of value v at p (room checked); returns the end. short_ind: the
 * indentation fits one 16-byte block (inlined with a constant, so the usual shallow runs store it
 * with one move). The member's fields are read before the stores, which may alias them as far as
 * the compiler knows. */
static WHEA_ALWAYS_INLINE char *scalar_line(char *p, const whea_skey *k, uint64_t v, size_t ind, bool short_ind)
{
	const char *text = k->text;
	size_t tlen = k->tlen;
	unsigned kind = k->kind;
	int fmt = k->fmt;
	unsigned width = k->width;
	if (short_ind)
		memcpy(p, spaces, 16);
	else
		whea_copy_blocks(p, spaces, ind);
	p += ind;
	whea_copy_blocks(p, text, tlen + 2); /* with the ": " after it (see whea_skey) */
	p += tlen + 2;
	if (kind) /* one test for the numbers */
		return kind == WHEA_SK_BOOL ? yes_no_at(p, v) : enum_value_at(p, k, v);
	p = number_at(p, v, fmt, width, false);
	*p++ = '\n';
	return p;
}

/* The lines of a run of plain members at p; returns the end (see scalar_line). */
static WHEA_ALWAYS_INLINE char *scalar_lines(char *p, const whea_scalar *a, size_t n, size_t ind, bool short_ind)
{
	for (size_t i = 0; i < n; i++)
		p = scalar_line(p, a[i].k, a[i].v, ind, short_ind);
	return p;
}

/* The lines of the members of sink.fields at p (value first); returns the end. */
static WHEA_ALWAYS_INLINE char *field_lines(char *p, const whea_skey *value, uint64_t v, const whea_skey *bits, size_t n,
					    size_t ind, bool short_ind)
{
	p = scalar_line(p, value, v, ind, short_ind);
	for (size_t i = 0; i < n; i++)
		p = scalar_line(p, &bits[i], whea_skey_bits(&bits[i], v), ind, short_ind);
	return p;
}

/* The lines of the members of sink.rows at p; returns the end. */
static WHEA_ALWAYS_INLINE char *row_lines(char *p, const whea_skey *k, size_t n, const uint8_t *st, size_t ind,
					  bool short_ind)
{
	for (size_t i = 0; i < n; i++)
		p = scalar_line(p, &k[i], whea_skey_row(&k[i], st), ind, short_ind);
	return p;
}

/* An enum member of a run, line by line (no room for the run): as t_enm writes it, with the
 * value's label from the compiled names (their padded key is not the table's NUL-terminated name
 * that t_enm and the label cache take). */
static TW_COLD void enm_run_slow(tw *w, const whea_skey *k, uint64_t v)
{
	const whea_skey *e = whea_skey_enum(k, v);
	lead(w, k);
	if (e)
		put(w, e->text, e->tlen), PUTS(w, " (");
	else
		PUTS(w, "unknown (");
	dec(w, v);
	PUTS(w, ")\n");
}

/* A run of plain members (see whea_sink.scalars): the lines t_num and t_bool write, in one
 * reservation when there is room (labels and indentation are copied in whole 16-byte blocks). */
static void t_scalars(void *ctx, const whea_scalar *a, size_t n, size_t room)
{
	tw *w = ctx;
	size_t ind = 2 * (size_t)w->depth;
	char *p = tw_room(w, n * (ind + 2 + 25) + room + TW_SLACK);
	if (!p) {
		for (size_t i = 0; i < n; i++) {
			const whea_skey *k = a[i].k;
			if (k->kind == WHEA_SK_BOOL)
				t_bool(ctx, k, a[i].v != 0);
			else if (k->kind == WHEA_SK_ENUM)
				enm_run_slow(w, k, a[i].v);
			else
				t_num(ctx, k, a[i].v, k->fmt, k->width);
		}
		return;
	}
	done_at(w, ind <= 16 ? scalar_lines(p, a, n, ind, true) : scalar_lines(p, a, n, ind, false));
}

/* Elements of an array of integers (see whea_sink.elems): their lines ("[i] value") in one
 * reservation when there is room and the indexes are short (else one by one as t_num writes). */
static void t_elems(void *ctx, const uint8_t *p, size_t n, size_t es, int fmt)
{
	tw *w = ctx;
	size_t ind = 2 * (size_t)w->depth;
	unsigned i0 = w->index[w->depth];
	char *q;
	if (!w->in_array[w->depth] || i0 + n > 10000 || !(q = tw_room(w, n * (ind + 40) + TW_SLACK))) {
		for (size_t i = 0; i < n; i++)
			t_num(ctx, &whea_skey_none, whea_leN(p + i * es, (unsigned)es), fmt, (unsigned)es);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		whea_copy_blocks(q, spaces, ind);
		q += ind;
		*q++ = '[';
		q = whea_dec4_at(q, i0 + (unsigned)i);
		q[0] = ']', q[1] = ' ';
		q = number_at(q + 2, whea_leN(p + i * es, (unsigned)es), fmt, (unsigned)es, false);
		*q++ = '\n';
	}
	w->index[w->depth] = i0 + (unsigned)n;
	done_at(w, q);
}

/* A bitfield object of plain members (see whea_sink.fields): its lead, then its lines in one
 * reservation when there is room (else one by one as t_num and t_bool write them). */
static void t_fields(void *ctx, const whea_skey *k, const whea_skey *value, uint64_t v, const whea_skey *bits, size_t n,
		     size_t room)
{
	tw *w = ctx;
	begin_at(w, k, false);
	size_t ind = 2 * (size_t)w->depth;
	char *p = tw_room(w, (n + 1) * (ind + 2 + 25) + room + TW_SLACK);
	if (!p) {
		whea_scalar a = {value, v};
		t_scalars(ctx, &a, 1, value->room);
		for (size_t i = 0; i < n; i++) {
			a.k = &bits[i], a.v = whea_skey_bits(&bits[i], v);
			t_scalars(ctx, &a, 1, a.k->room);
		}
	} else {
		done_at(w, ind <= 16 ? field_lines(p, value, v, bits, n, ind, true)
				     : field_lines(p, value, v, bits, n, ind, false));
	}
	t_end(ctx, false);
}

/* A block of plain members (see whea_sink.rows): their lines in one reservation when there is
 * room (else one by one). */
static void t_rows(void *ctx, const whea_skey *k, size_t n, const uint8_t *st, size_t room)
{
	tw *w = ctx;
	size_t ind = 2 * (size_t)w->depth;
	char *p = tw_room(w, n * (ind + 2 + 25) + room + TW_SLACK);
	if (!p) {
		for (size_t i = 0; i < n; i++) {
			whea_scalar a = {&k[i], whea_skey_row(&k[i], st)};
			t_scalars(ctx, &a, 1, k[i].room);
		}
		return;
	}
	done_at(w, ind <= 16 ? row_lines(p, k, n, st, ind, true) : row_lines(p, k, n, st, ind, false));
}

/* ---- GUIDs. Names of GUIDs by role, cached per thread (the lookups scan tables): notification
 * types and creators come from static tables, so their answers (also "no name") never change;
 * section types are cached only when found, for the current registry generation (registering a
 * type later must be seen; unregistering one changes the generation). */
typedef struct guid_name {
	uint64_t lo, hi; /* the GUID's bytes */
	int role; /* 0 (WHEA_GUID_PLAIN): an empty slot */
	unsigned gen;
	const char *name;
	size_t len;
} guid_name;

#define GN_SLOTS 128 /* power of two */
typedef struct guid_cache {
	guid_name e[GN_SLOTS];
} guid_cache;
static _Thread_local guid_cache gn_cache;

/* Slow path of guid_name_of: the look-up, remembered in slot e when its answer cannot change. */
static TW_NOINLINE const char *guid_name_fill(tw *w, guid_name *e, const whea_guid *g, int role, size_t *len)
{
	const char *name = NULL;
	if (role == WHEA_GUID_SECTION_TYPE) {
		const whea_section_type *t = whea_section_lookup(g);
		name = t ? t->name : NULL;
	} else if (role == WHEA_GUID_NOTIFY_TYPE) {
		name = whea_notify_type_name(g);
	} else if (role == WHEA_GUID_CREATOR) {
		name = whea_creator_name(g);
	}
	*len = name ? strlen(name) : 0;
	if (name || role != WHEA_GUID_SECTION_TYPE) {
		memcpy(&e->lo, g->b, 8), memcpy(&e->hi, g->b + 8, 8);
		e->role = role, e->gen = w->gen, e->name = name, e->len = *len;
	}
	return name;
}

/* The slot of (g, role) in this thread's cache. */
static inline guid_name *guid_slot(tw *w, uint64_t a, uint64_t b, int role)
{
	return &w->gn->e[((((a ^ b) + (unsigned)role) * 0x9E3779B97F4A7C15ull) >> 57) & (GN_SLOTS - 1)];
}

/* The cached name entry of g in its role (role != WHEA_GUID_PLAIN), or NULL. */
static WHEA_ALWAYS_INLINE const guid_name *guid_name_hit(tw *w, const whea_guid *g, int role)
{
	uint64_t a, b;
	memcpy(&a, g->b, 8), memcpy(&b, g->b + 8, 8);
	const guid_name *e = guid_slot(w, a, b, role);
	return e->lo == a && e->hi == b && e->role == role && e->gen == w->gen ? e : NULL;
}

/* The name of g in its role (NULL: none) and its length. */
static inline const char *guid_name_of(tw *w, const whea_guid *g, int role, size_t *len)
{
	uint64_t a, b;
	*len = 0;
	if (role == WHEA_GUID_PLAIN)
		return NULL;
	const guid_name *hit = guid_name_hit(w, g, role);
	if (hit) {
		*len = hit->len;
		return hit->name;
	}
	memcpy(&a, g->b, 8), memcpy(&b, g->b + 8, 8);
	return guid_name_fill(w, guid_slot(w, a, b, role), g, role, len);
}

/* The 36 characters of g's string form at out (whea_guid_format's text, without its call and
 * NUL; out needs 36 bytes of room). Data1..3 are little-endian, so their bytes are put in reading
 * order first. With vectors: all 32 digits at once, then the four groups moved into place around
 * the dashes. Otherwise both digits of each byte at its place (a loop with constant bounds, which
 * unrolls into one load and store per byte). */
static WHEA_ALWAYS_INLINE void guid_at(char *out, const whea_guid *g)
{
#ifdef TW_VEC_HEX
	uint64_t x, y, t;
	memcpy(&x, g->b, 8), memcpy(&y, g->b + 8, 8);
	t = __builtin_bswap64(x);                               /* b7 b6 b5 b4 b3 b2 b1 b0 */
	uint32_t d23 = (uint32_t)t, d1 = (uint32_t)(t >> 32);   /* b7 b6 b5 b4 / b3 b2 b1 b0 */
	d23 = d23 >> 16 | d23 << 16;                            /* b5 b4 b7 b6 */
	tw_u64x2 q = {d1 | (uint64_t)d23 << 32, y};
	tw_u8x16 b = (tw_u8x16)q, hi = b >> 4, lo = b & 15, c0, c1;
#if defined(__clang__)
	c0 = __builtin_shufflevector(hi, lo, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
	c1 = __builtin_shufflevector(hi, lo, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
#else
	c0 = __builtin_shuffle(hi, lo, (tw_u8x16){0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23});
	c1 = __builtin_shuffle(hi, lo, (tw_u8x16){8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31});
#endif
	c0 = c0 + '0' + ((tw_u8x16)((tw_s8x16)c0 > 9) & ('a' - '0' - 10));
	c1 = c1 + '0' + ((tw_u8x16)((tw_s8x16)c1 > 9) & ('a' - '0' - 10));
	uint64_t m = ((tw_u64x2)c0)[1];                          /* digits 8..15 */
	uint32_t m0 = (uint32_t)m, m1 = (uint32_t)(m >> 32), e0 = (uint32_t)((tw_u64x2)c1)[0];
	memcpy(out, &c0, 16);      /* digits 0..7 in place, 8..15 moved below */
	memcpy(out + 20, &c1, 16); /* digits 20..31 in place, 16..19 moved below */
	memcpy(out + 9, &m0, 4);
	memcpy(out + 14, &m1, 4);
	memcpy(out + 19, &e0, 4);
#else
	static const uint8_t at[16] = {6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC unroll 16
#endif
	for (unsigned i = 0; i < 16; i++)
		memcpy(out + at[i], whea_hex_pairs + 2 * g->b[i], 2);
#endif
	out[8] = out[13] = out[18] = out[23] = '-';
}

/* The value part of a GUID line, slow path (no room, or a name too long for one reservation). */
static TW_COLD void guid_slow(tw *w, const whea_guid *g, const char *name, size_t nl)
{
	char b[WHEA_GUID_STRLEN + 1];
	put(w, whea_guid_format(g, b), WHEA_GUID_STRLEN);
	if (name) {
		if (nl + 3 < 256) { /* what the 256-byte printf buffer held */
			PUTS(w, " (");
			put(w, name, nl);
			PUTS(w, ")");
		} else {
			printf_(w, " (%s)", name);
		}
	}
	tw_byte(w, '\n');
}

static TW_COLD void guid_general(tw *w, const whea_skey *k, const whea_guid *g, int role)
{
	size_t nl;
	const char *name = guid_name_of(w, g, role, &nl);
	if (nl + 3 < 256) {
		char *p = lead_at(w, k, WHEA_GUID_STRLEN + 1 + nl + 4);
		if (p) { /* the whole line in one reservation */
			guid_at(p, g);
			p += WHEA_GUID_STRLEN;
			if (name) {
				*p++ = ' ', *p++ = '(';
				whea_copy_small(p, name, nl);
				p += nl;
				*p++ = ')';
			}
			*p++ = '\n';
			done_at(w, p);
			return;
		}
		/* lead_at has written the lead */
	} else {
		lead(w, k);
	}
	guid_slow(w, g, name, nl);
}

/* n (<= 64) bytes from s to d, in overlapping moves of fixed size (no call). */
static WHEA_ALWAYS_INLINE void copy_upto64(char *d, const char *s, size_t n)
{
	if (n >= 16) {
		for (size_t i = 0; i + 16 < n; i += 16)
			memcpy(d + i, s + i, 16);
		memcpy(d + n - 16, s + n - 16, 16);
	} else {
		whea_copy_small(d, s, n);
	}
}

static void t_guid(void *ctx, const whea_skey *k, const whea_guid *g, int role)
{
	tw *w = ctx;
	const guid_name *e = NULL;
	char *p;
	if ((role != WHEA_GUID_PLAIN && (!(e = guid_name_hit(w, g, role)) || e->len > 64)) ||
	    !(p = lead_fast(w, k, ' ', WHEA_GUID_STRLEN + 4 + (e ? e->len : 0)))) {
		guid_general(w, k, g, role);
		return;
	}
	guid_at(p, g);
	p += WHEA_GUID_STRLEN;
	if (e && e->name) {
		*p++ = ' ', *p++ = '(';
		copy_upto64(p, e->name, e->len);
		p += e->len;
		*p++ = ')';
	}
	*p++ = '\n';
	done_at(w, p);
}

static TW_COLD void text_general(tw *w, const whea_skey *k, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	lead(w, k);
	PUTS(w, "\"");
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			continue;
		put(w, (const char *)p + run, i - run);
		run = i + 1;
		if (p[i] == '\n' && n > 64) {
			PUTS(w, "\n");
		} else {
			char e[4] = {'\\', 'x', hex[p[i] >> 4], hex[p[i] & 15]};
			put(w, e, 4);
		}
	}
	put(w, (const char *)p + run, n - run);
	PUTS(w, "\"\n");
}

/* Whether p[0..n) has a byte text_general escapes (below 0x20 or above 0x7e), eight at a time:
 * a byte below 0x20 borrows into its top bit when 0x20 is subtracted, one above 0x7e carries into
 * it when 1 is added (the classic has-less / has-more tests). */
static inline bool text_special(const uint8_t *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, p + i, 8);
		if ((((x - ones * 0x20) & ~x) | ((x + ones * (127 - 0x7e)) | x)) & tops)
			return true;
	}
	for (; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return true;
	return false;
}

static void t_text(void *ctx, const whea_skey *k, const uint8_t *p, size_t n)
{
	tw *w = ctx;
	while (n && !p[n - 1])
		n--;
	char *q;
	if (n > 64 || text_special(p, n) || !(q = lead_fast(w, k, ' ', n + 3))) {
		text_general(w, k, p, n);
		return;
	}
	*q++ = '"';
	copy_upto64(q, (const char *)p, n);
	q += n;
	q[0] = '"', q[1] = '\n';
	done_at(w, q + 2);
}

/* A derived line (sink.note): "Label: text", the text as it is. */
static void t_note(void *ctx, const whea_skey *k, const char *text, size_t n)
{
	tw *w = ctx;
	lead(w, k);
	put(w, text, n);
	PUTS(w, "\n");
}

/* "xx " for every byte: both hex digits and the separating space, 4 bytes apart so that each
 * entry is stored with one 4-byte move (the 4th byte is overwritten by the next entry). */
static const char hex3[256][4] = {
	"00 ", "01 ", "02 ", "03 ", "04 ", "05 ", "06 ", "07 ",
	"08 ", "09 ", "0a ", "0b ", "0c ", "0d ", "0e ", "0f ",
	"10 ", "11 ", "12 ", "13 ", "14 ", "15 ", "16 ", "17 ",
	"18 ", "19 ", "1a ", "1b ", "1c ", "1d ", "1e ", "1f ",
	"20 ", "21 ", "22 ", "23 ", "24 ", "25 ", "26 ", "27 ",
	"28 ", "29 ", "2a ", "2b ", "2c ", "2d ", "2e ", "2f ",
	"30 ", "31 ", "32 ", "33 ", "34 ", "35 ", "36 ", "37 ",
	"38 ", "39 ", "3a ", "3b ", "3c ", "3d ", "3e ", "3f ",
	"40 ", "41 ", "42 ", "43 ", "44 ", "45 ", "46 ", "47 ",
	"48 ", "49 ", "4a ", "4b ", "4c ", "4d ", "4e ", "4f ",
	"50 ", "51 ", "52 ", "53 ", "54 ", "55 ", "56 ", "57 ",
	"58 ", "59 ", "5a ", "5b ", "5c ", "5d ", "5e ", "5f ",
	"60 ", "61 ", "62 ", "63 ", "64 ", "65 ", "66 ", "67 ",
	"68 ", "69 ", "6a ", "6b ", "6c ", "6d ", "6e ", "6f ",
	"70 ", "71 ", "72 ", "73 ", "74 ", "75 ", "76 ", "77 ",
	"78 ", "79 ", "7a ", "7b ", "7c ", "7d ", "7e ", "7f ",
	"80 ", "81 ", "82 ", "83 ", "84 ", "85 ", "86 ", "87 ",
	"88 ", "89 ", "8a ", "8b ", "8c ", "8d ", "8e ", "8f ",
	"90 ", "91 ", "92 ", "93 ", "94 ", "95 ", "96 ", "97 ",
	"98 ", "99 ", "9a ", "9b ", "9c ", "9d ", "9e ", "9f ",
	"a0 ", "a1 ", "a2 ", "a3 ", "a4 ", "a5 ", "a6 ", "a7 ",
	"a8 ", "a9 ", "aa ", "ab ", "ac ", "ad ", "ae ", "af ",
	"b0 ", "b1 ", "b2 ", "b3 ", "b4 ", "b5 ", "b6 ", "b7 ",
	"b8 ", "b9 ", "ba ", "bb ", "bc ", "bd ", "be ", "bf ",
	"c0 ", "c1 ", "c2 ", "c3 ", "c4 ", "c5 ", "c6 ", "c7 ",
	"c8 ", "c9 ", "ca ", "cb ", "cc ", "cd ", "ce ", "cf ",
	"d0 ", "d1 ", "d2 ", "d3 ", "d4 ", "d5 ", "d6 ", "d7 ",
	"d8 ", "d9 ", "da ", "db ", "dc ", "dd ", "de ", "df ",
	"e0 ", "e1 ", "e2 ", "e3 ", "e4 ", "e5 ", "e6 ", "e7 ",
	"e8 ", "e9 ", "ea ", "eb ", "ec ", "ed ", "ee ", "ef ",
	"f0 ", "f1 ", "f2 ", "f3 ", "f4 ", "f5 ", "f6 ", "f7 ",
	"f8 ", "f9 ", "fa ", "fb ", "fc ", "fd ", "fe ", "ff ",
};

/* Hex of up to 16 bytes, space separated, into line (which needs 3 * n + 1 bytes); returns the
 * length. */
static WHEA_ALWAYS_INLINE size_t hex_run(char *line, const uint8_t *p, size_t n)
{
	if (!n)
		return 0;
	if (n == 16) { /* whole dump rows: unrolled */
#define HEX3(i) memcpy(line + 3 * (i), hex3[p[i]], 4)
		HEX3(0), HEX3(1), HEX3(2), HEX3(3), HEX3(4), HEX3(5), HEX3(6), HEX3(7);
		HEX3(8), HEX3(9), HEX3(10), HEX3(11), HEX3(12), HEX3(13), HEX3(14), HEX3(15);
#undef HEX3
		return 47;
	}
	char *q = line;
	for (size_t i = 0; i < n; i++, q += 3)
		memcpy(q, hex3[p[i]], 4);
	return 3 * n - 1; /* the last space is not part of the run */
}

/* One row of a hex dump at q: indentation (ind), the offset ("%04zx"), ": ", the bytes of
 * p[row..n) (at most 16), a newline. Needs DUMP_ROW bytes; returns the end. */
#define DUMP_ROW (2 * TW_MAX_DEPTH + 2 + 16 + 2 + 48 + 1 + TW_SLACK)
static WHEA_ALWAYS_INLINE char *dump_row(char *q, size_t ind, size_t row, const uint8_t *p, size_t n)
{
	whea_copy_blocks(q, spaces, ind);
	q += ind;
	if (row < 0x10000) {
		memcpy(q, whea_hex_pairs + 2 * (row >> 8), 2);
		memcpy(q + 2, whea_hex_pairs + 2 * (row & 0xff), 2);
		q += 4;
	} else {
		q += hex_at(q, row, 4);
	}
	q[0] = ':', q[1] = ' ';
	q += 2;
	q += hex_run(q, p + row, n - row < 16 ? n - row : 16);
	*q++ = '\n';
	return q;
}

#define DUMP_BATCH 64 /* rows per reservation: a few kilobytes, which the buffers usually have */

static void t_bytes(void *ctx, const whea_skey *k, const uint8_t *p, size_t n)
{
	tw *w = ctx;
	char line[DUMP_ROW];
	if (n <= 16) {
		char *q = lead_at(w, k, 3 * 16 + 8);
		if (q) {
			if (n) {
				q += hex_run(q, p, n);
				*q++ = '\n';
			} else {
				memcpy(q, "(none)\n", 7), q += 7;
			}
			done_at(w, q);
			return;
		}
		put(w, line, hex_run(line, p, n));
		if (n)
			PUTS(w, "\n");
		else
			PUTS(w, "(none)\n");
		return;
	}
	char *q = lead_at(w, k, 20 + 7);
	if (q) {
		q = dec_at(q, n);
		memcpy(q, " bytes\n", 7);
		done_at(w, q + 7);
	} else {
		dec(w, n);
		PUTS(w, " bytes\n");
	}
	size_t ind = 2 * (size_t)w->depth + 2;
	for (size_t row = 0; row < n;) {
		size_t rows = (n - row + 15) / 16;
		if (rows > DUMP_BATCH)
			rows = DUMP_BATCH;
		char *d = tw_room(w, rows * (ind + 72) + TW_SLACK);
		if (!d) { /* one row through the buffer's slow path */
			put(w, line, (size_t)(dump_row(line, ind, row, p, n) - line));
			row += 16;
			continue;
		}
		for (; rows--; row += 16)
			d = dump_row(d, ind, row, p, n);
		done_at(w, d);
	}
}

/* Two decimal digits of v (< 100) at p. */
static inline char *dec2_at(char *p, unsigned v)
{
	memcpy(p, whea_digits2 + 2 * v, 2);
	return p + 2;
}

static void t_time(void *ctx, const whea_skey *k, const uint8_t raw[8], int hint)
{
	tw *w = ctx;
	whea_time t;
	char b[96];
	if (whea_timestamp_decode(raw, hint, &t) == 0) {
		/* "YYYY-MM-DD hh:mm:ss (encoding[, precise])"; a decoded date has its fields in range
		 * (month <= 12, second < 60, ...), so two digits each */
		const char *enc = whea_ts_encoding_name(t.encoding);
		size_t el = strlen(enc);
		if (el > 32) /* the encoding names are short; this keeps b's bound obvious */
			el = 32;
		char *p = b;
		if (t.year < 10000)
			p = dec2_at(dec2_at(p, t.year / 100u), t.year % 100u);
		else /* five digits, as "%04u" gives them */
			p += whea_u64_dec_pad(p, t.year, 4);
		*p++ = '-';
		p = dec2_at(p, t.month);
		*p++ = '-';
		p = dec2_at(p, t.day);
		*p++ = ' ';
		p = dec2_at(p, t.hour);
		*p++ = ':';
		p = dec2_at(p, t.minute);
		*p++ = ':';
		p = dec2_at(p, t.second);
		*p++ = ' ', *p++ = '(';
		memcpy(p, enc, el), p += el;
		if (t.precise)
			memcpy(p, ", precise", 9), p += 9;
		*p++ = ')', *p++ = '\n';
		size_t n = (size_t)(p - b);
		char *d = lead_at(w, k, n);
		if (d) {
			memcpy(d, b, n);
			done_at(w, d + n);
		} else {
			put(w, b, n);
		}
		return;
	}
	/* "not a valid date (bytes %02x %02x ... %02x)\n" */
	memcpy(b, "not a valid date (bytes", 23);
	size_t n = 23;
	for (unsigned i = 0; i < 8; i++) {
		b[n++] = ' ';
		memcpy(b + n, whea_hex_pairs + 2 * raw[i], 2);
		n += 2;
	}
	b[n++] = ')', b[n++] = '\n';
	lead(w, k);
	put(w, b, n);
}

static void t_diag(void *ctx, const whea_diag *d)
{
	tw *w = ctx;
	if (d->severity == WHEA_DIAG_ERROR)
		w->counts.errors++;
	else
		w->counts.warnings++;
	indent(w);
	const char *sev = d->severity == WHEA_DIAG_ERROR ? "ERROR" : "warning";
	size_t ml = strlen(d->msg);
	if (ml < 200) { /* the line fits the 256-byte buffer printf_ would truncate it to */
		puts_(w, sev);
		PUTS(w, " at offset ");
		dec(w, d->offset);
		PUTS(w, ": ");
		put(w, d->msg, ml);
		PUTS(w, "\n");
		return;
	}
	printf_(w, "%s at offset %llu: %s\n", sev, (unsigned long long)d->offset, d->msg);
}

/* The record's first line: "CPER record ID: severity, N sections, L bytes[, notified by X]". */
static void record_line(tw *w, const whea_record *r)
{
	whea_guid notify;
	size_t nl;
	whea_record_notify_type(r, &notify);
	const char *nt = guid_name_of(w, &notify, WHEA_GUID_NOTIFY_TYPE, &nl);
	const char *sev = whea_severity_name(whea_record_severity(r));
	size_t sl = strlen(sev);
	char b[128 + 64];
	size_t n = 0;
	if (sl > 64) /* the severity names are short; this keeps b's bound obvious */
		sl = 64;
	memcpy(b, "CPER record ", 12), n = 12;
	n += whea_dec_inline(b + n, whea_record_id(r));
	memcpy(b + n, ": ", 2), n += 2;
	memcpy(b + n, sev, sl), n += sl;
	memcpy(b + n, ", ", 2), n += 2;
	n += whea_dec_inline(b + n, r->section_count);
	if (r->section_count == 1)
		memcpy(b + n, " section, ", 10), n += 10;
	else
		memcpy(b + n, " sections, ", 11), n += 11;
	n += whea_dec_inline(b + n, r->record_length);
	memcpy(b + n, " bytes", 6), n += 6;
	put(w, b, n);
	if (nt) {
		PUTS(w, ", notified by ");
		put(w, nt, nl);
	}
	tw_byte(w, '\n');
}

int whea_record_to_text(const whea_record *r, whea_out *o, unsigned flags)
{
	return whea_record_to_text_counted(r, o, flags, NULL);
}

int whea_record_to_text_counted(const whea_record *r, whea_out *o, unsigned flags, whea_diag_counts *counts)
{
	tw w; /* not cleared as a whole: scratch needs no zeros, the arrays are set as depth grows */
	w.o = o;
	tw_load(&w);
	w.depth = 1;
	w.flags = flags;
	w.gen = whea_registry_generation();
	w.lc_base = lc_tag(w.gen, 0);
	w.gn = &gn_cache;
	w.in_array[0] = w.in_array[1] = false;
	w.index[0] = w.index[1] = 0;
	w.counts = (whea_diag_counts){0, 0};
	record_line(&w, r);
	whea_sink s = {&w, t_begin, t_end, t_num, t_enm, t_bits, t_bool, t_guid, t_text, t_bytes, t_time, t_diag, t_scalars, t_fields, t_rows, t_elems, t_note, false};
	if (r->errors || r->warnings) { /* record-level diagnostics first */
		whea_record again;
		whea_record_parse(&again, r->data, r->buflen, WHEA_PARSE_TOLERANT, (whea_diag_fn)t_diag, &w);
	}
	whea_interp_record(&s, r);
	put(&w, "\n", 1);
	tw_sync(&w);
	if (counts)
		*counts = w.counts;
	return o->err;
}
