/* format/json_read.c — the strict, allocation-free JSON reader declared in json_read.h.
 *
 * One pass over the input with an explicit stack (no recursion): a goto-driven state machine with the
 * states "value", "key", "after a value" and "close". Nodes are appended in document order, so a
 * container's first child is always the next node, and the sibling chain is kept with one "last child"
 * slot per open container. Strings are scanned sixteen bytes at a time (SSE2 on x86) or eight (SWAR)
 * until a quote, backslash, control character or non-ASCII byte shows up; only strings with escapes are
 * copied (decoded) into the caller's string buffer. Numbers are read eight digits at a time. Duplicate keys: each of an object's first 32 members is checked as it is
 * added (a 64-bit filter of key hashes, then a scan only on a filter hit); a larger object is checked
 * when it closes by a merge sort of its members linked through their (temporarily borrowed) parent
 * fields, so a hostile object with a million keys still costs O(n log n) and no memory. When an arena
 * runs out, the rest of the text is still checked (jr_skim) so that WHEA_ENOSPACE is only ever
 * reported for valid JSON, with the exact sizes needed.
 *
 * Freestanding: only <stdarg.h>, <stdbool.h>, <stddef.h>, <stdint.h>; messages are formatted by a small
 * printf subset here, and handed to whea_error_set() as "%s". */
#include "format/json_read.h"

#include <stdarg.h>

#include "whea/error.h"

#if defined(__GNUC__) || defined(__clang__)
#define JR_LIKELY(x) __builtin_expect(!!(x), 1)
#define JR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define JR_COLD __attribute__((cold, noinline))
#define JR_NOINLINE __attribute__((noinline))
#define JR_INLINE inline __attribute__((always_inline))
#define JR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#ifdef WHEA_JSON_NO_SWAR /* byte-at-a-time scanning only (to test the portable path) */
#define JR_SWAR 0
#else
#define JR_SWAR 1
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define JR_LITTLE_ENDIAN 1
#else
#define JR_LITTLE_ENDIAN 0
#endif
#else
#define JR_LIKELY(x) (x)
#define JR_UNLIKELY(x) (x)
#define JR_COLD
#define JR_NOINLINE
#define JR_INLINE inline
#define JR_PRINTF(f, a)
#define JR_SWAR 0
#define JR_LITTLE_ENDIAN 0
#endif

/* Sixteen bytes at a time with SSE2 through the compiler's vector extension (no intrinsics header,
 * so the file stays freestanding). */
#if JR_SWAR && JR_LITTLE_ENDIAN && defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__))
#define JR_SSE2 1
typedef signed char jr_v16 __attribute__((vector_size(16)));
typedef char jr_v16c __attribute__((vector_size(16)));
#else
#define JR_SSE2 0
#endif

#define JR_MSGCAP sizeof(((whea_error *)0)->message)
#define JR_PATHCAP sizeof(((whea_error *)0)->path)

/* ---------------------------------------------------------------------------------------------- */
/* Character classes                                                                              */

/* JSON whitespace: space, tab, line feed, carriage return. */
static const uint8_t jr_ws[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
};

/* Bytes that stand for themselves inside a string: 0x20..0x7F except '"' and '\\'. */
static const uint8_t jr_plain[256] = {
	/* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x20 */ 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x40 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x50 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	/* 0x60 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x70 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x80..0xFF: 0 (validated as UTF-8) */
};

/* First byte at or after p that is not JSON whitespace (or end). Runs of spaces (indentation) are
 * skipped eight bytes at a time. */
static JR_INLINE const uint8_t *jr_skip_ws(const uint8_t *p, const uint8_t *end)
{
	for (;;) {
		if (p == end || !jr_ws[*p])
			return p;
		p++;
#if JR_SWAR && JR_LITTLE_ENDIAN
		while (end - p >= 8) {
			uint64_t w;
			__builtin_memcpy(&w, p, 8);
			w ^= 0x2020202020202020ull;
			if (w) {
				p += __builtin_ctzll(w) >> 3;
				break;
			}
			p += 8;
		}
#endif
	}
}

static inline bool jr_digit(uint8_t c) { return (unsigned)(c - '0') < 10u; }

static inline int jr_hexval(uint8_t c)
{
	if (jr_digit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Four hex digits at p (caller checked that 4 bytes exist), or -1. */
static inline int32_t jr_hex4(const uint8_t *p)
{
	int a = jr_hexval(p[0]), b = jr_hexval(p[1]), c = jr_hexval(p[2]), d = jr_hexval(p[3]);
	if ((a | b | c | d) < 0)
		return -1;
	return (int32_t)((a << 12) | (b << 8) | (c << 4) | d);
}

/* Length (2..4) of the well-formed UTF-8 sequence at p (p[0] >= 0x80), or 0 when it is not one:
 * stray continuation bytes, overlong forms (C0, C1, E0 80..9F, F0 80..8F), UTF-16 surrogates
 * (ED A0..BF), code points above U+10FFFF (F4 90.., F5..FF), or a sequence cut by end. */
static inline unsigned jr_utf8(const uint8_t *p, const uint8_t *end)
{
	uint8_t c = p[0];
	ptrdiff_t avail = end - p;
	if (c < 0xC2)
		return 0;
	if (c < 0xE0)
		return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		uint8_t lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
		if (avail < 3 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80)
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		uint8_t lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
		if (avail < 4 || p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

static inline uint64_t jr_load64(const char *p)
{
#if defined(__GNUC__) || defined(__clang__)
	uint64_t v;
	__builtin_memcpy(&v, p, 8);
	return v;
#else
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | (uint8_t)p[i];
	return v;
#endif
}

static inline uint32_t jr_load32(const char *p)
{
#if defined(__GNUC__) || defined(__clang__)
	uint32_t v;
	__builtin_memcpy(&v, p, 4);
	return v;
#else
	return (uint32_t)(uint8_t)p[0] | (uint32_t)(uint8_t)p[1] << 8 | (uint32_t)(uint8_t)p[2] << 16 |
	       (uint32_t)(uint8_t)p[3] << 24;
#endif
}

/* A 16-bit key hash from the length and the first and last (up to) 8 bytes: O(1) per key, and only a
 * filter before comparing keys (equal keys always have equal hashes; the value may differ between
 * byte orders, which is fine since it never leaves memory). */
static inline uint16_t jr_hash(const char *k, size_t n)
{
	uint64_t a, b;
	if (n >= 8) {
		a = jr_load64(k);
		b = jr_load64(k + n - 8);
	} else if (n >= 4) {
		a = jr_load32(k);
		b = jr_load32(k + n - 4);
	} else if (n > 0) {
		a = (uint8_t)k[0] | (uint32_t)(uint8_t)k[n / 2] << 8 | (uint32_t)(uint8_t)k[n - 1] << 16;
		b = 0;
	} else {
		a = b = 0;
	}
	uint64_t h = (a ^ (b << 29 | b >> 35) ^ ((uint64_t)n << 56)) * 0x9E3779B97F4A7C15ull;
	return (uint16_t)(h >> 48);
}

/* Are the 8 bytes of c (first byte lowest) all ASCII digits? */
static inline bool jr_digits8(uint64_t c)
{
	return (c & 0xF0F0F0F0F0F0F0F0ull) == 0x3030303030303030ull &&
	       ((c + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull) == 0x3030303030303030ull;
}

/* The value of 8 ASCII digits (first byte lowest, most significant), combined pairwise. */
static inline uint64_t jr_value8(uint64_t c)
{
	uint64_t t = c - 0x3030303030303030ull;
	t = t * 10 + (t >> 8);
	return (((t & 0x000000FF000000FFull) * (100 + (1000000ull << 32))) +
		(((t >> 16) & 0x000000FF000000FFull) * (1 + (10000ull << 32)))) >> 32;
}

static inline bool jr_memeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static inline bool jr_samekey(const whea_jnode *a, const whea_jnode *b)
{
	return a->khash == b->khash && a->keylen == b->keylen && jr_memeq(a->key, b->key, a->keylen);
}

/* ---------------------------------------------------------------------------------------------- */
/* Bounded text output and a printf subset (no stdio in a freestanding build)                      */

typedef struct jr_out {
	char *b;
	size_t cap; /* bytes of b, including the NUL */
	size_t n;   /* characters produced so far (may exceed what fits) */
} jr_out;

static void jr_putc(jr_out *o, char c)
{
	if (o->n + 1 < o->cap)
		o->b[o->n] = c;
	o->n++;
}

static void jr_putn(jr_out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		jr_putc(o, s[i]);
}

static void jr_puts(jr_out *o, const char *s)
{
	while (*s)
		jr_putc(o, *s++);
}

static void jr_pad(jr_out *o, char c, long n)
{
	for (; n > 0; n--)
		jr_putc(o, c);
}

static void jr_end(jr_out *o)
{
	if (o->cap)
		o->b[o->n < o->cap ? o->n : o->cap - 1] = '\0';
}

static void jr_putu(jr_out *o, uint64_t v)
{
	char tmp[24];
	int k = 0;
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (k)
		jr_putc(o, tmp[--k]);
}

typedef struct jr_spec {
	bool left, zero, plus, space, alt;
	long width, prec; /* prec < 0: none */
} jr_spec;

static void jr_fmt_int(jr_out *o, const jr_spec *sp, uintmax_t v, bool neg, unsigned base, bool upper, bool ptr)
{
	const char *digs = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[72], pre[3];
	int nd = 0, np = 0;
	if (!(v == 0 && sp->prec == 0))
		do {
			tmp[nd++] = digs[v % base];
			v /= base;
		} while (v);
	if (neg)
		pre[np++] = '-';
	else if (sp->plus && base == 10 && !ptr)
		pre[np++] = '+';
	else if (sp->space && base == 10 && !ptr)
		pre[np++] = ' ';
	if (base == 16 && (ptr || (sp->alt && nd && !(nd == 1 && tmp[0] == '0')))) {
		pre[np++] = '0';
		pre[np++] = upper ? 'X' : 'x';
	}
	long digits = nd;
	if (base == 8 && sp->alt && (nd == 0 || tmp[nd - 1] != '0') && sp->prec <= nd)
		digits = nd + 1; /* "#o": the number starts with 0 */
	if (sp->prec > digits)
		digits = sp->prec;
	long total = np + digits;
	if (!sp->left && !(sp->zero && sp->prec < 0))
		jr_pad(o, ' ', sp->width - total);
	jr_putn(o, pre, (size_t)np);
	if (!sp->left && sp->zero && sp->prec < 0)
		jr_pad(o, '0', sp->width - total);
	jr_pad(o, '0', digits - nd);
	while (nd)
		jr_putc(o, tmp[--nd]);
	if (sp->left)
		jr_pad(o, ' ', sp->width - total);
}

/* Formats fmt into o. Supports %d %i %u %x %X %o %c %s %p %% with flags "-0+ #", width and precision
 * (numbers or *), and the length modifiers hh h l ll z j t. Stops at anything else. */
static void jr_vout(jr_out *o, const char *f, va_list ap)
{
	while (*f) {
		if (*f != '%') {
			jr_putc(o, *f++);
			continue;
		}
		f++;
		jr_spec sp = {.prec = -1};
		for (;; f++) {
			if (*f == '-')
				sp.left = true;
			else if (*f == '0')
				sp.zero = true;
			else if (*f == '+')
				sp.plus = true;
			else if (*f == ' ')
				sp.space = true;
			else if (*f == '#')
				sp.alt = true;
			else
				break;
		}
		if (*f == '*') {
			int w = va_arg(ap, int);
			if (w < 0) {
				sp.left = true;
				w = w < -4096 ? 4096 : -w;
			}
			sp.width = w > 4096 ? 4096 : w;
			f++;
		} else {
			while (jr_digit((uint8_t)*f)) {
				if (sp.width < 4096)
					sp.width = sp.width * 10 + (*f - '0');
				f++;
			}
		}
		if (*f == '.') {
			f++;
			sp.prec = 0;
			if (*f == '*') {
				int pr = va_arg(ap, int);
				sp.prec = pr < 0 ? -1 : pr;
				f++;
			} else {
				while (jr_digit((uint8_t)*f)) {
					if (sp.prec < 1L << 24)
						sp.prec = sp.prec * 10 + (*f - '0');
					f++;
				}
			}
		}
		enum { LM_NONE, LM_HH, LM_H, LM_L, LM_LL, LM_Z, LM_J, LM_T } lm = LM_NONE;
		if (*f == 'h' || *f == 'l') { /* h hh l ll */
			bool twice = f[1] == f[0];
			lm = *f == 'h' ? (twice ? LM_HH : LM_H) : (twice ? LM_LL : LM_L);
			f += twice ? 2 : 1;
		} else if (*f == 'z' || *f == 'j' || *f == 't') {
			lm = *f == 'z' ? LM_Z : *f == 'j' ? LM_J : LM_T;
			f++;
		}
		char conv = *f;
		if (!conv)
			return;
		f++;
		switch (conv) {
		case '%':
			jr_putc(o, '%');
			break;
		case 'c':
		case 's': { /* (%c: a string of one character, whatever the precision) */
			char ch;
			const char *sv;
			size_t n = 0;
			if (conv == 'c') {
				ch = (char)va_arg(ap, int);
				sv = &ch;
				n = 1;
			} else {
				sv = va_arg(ap, const char *);
				if (!sv)
					sv = "(null)";
				while ((sp.prec < 0 || n < (size_t)sp.prec) && sv[n])
					n++;
			}
			if (!sp.left)
				jr_pad(o, ' ', sp.width - (long)n);
			jr_putn(o, sv, n);
			if (sp.left)
				jr_pad(o, ' ', sp.width - (long)n);
			break;
		}
		case 'd':
		case 'i': {
			intmax_t v;
			switch (lm) {
			case LM_HH: v = (signed char)va_arg(ap, int); break;
			case LM_H: v = (short)va_arg(ap, int); break;
			case LM_L: v = va_arg(ap, long); break;
			case LM_LL: v = va_arg(ap, long long); break;
			case LM_Z: v = va_arg(ap, ptrdiff_t); break; /* the signed type of size_t's width */
			case LM_J: v = va_arg(ap, intmax_t); break;
			case LM_T: v = va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, int); break;
			}
			uintmax_t mag = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
			jr_fmt_int(o, &sp, mag, v < 0, 10, false, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uintmax_t v;
			switch (lm) {
			case LM_HH: v = (unsigned char)va_arg(ap, unsigned); break;
			case LM_H: v = (unsigned short)va_arg(ap, unsigned); break;
			case LM_L: v = va_arg(ap, unsigned long); break;
			case LM_LL: v = va_arg(ap, unsigned long long); break;
			case LM_Z: v = va_arg(ap, size_t); break;
			case LM_J: v = va_arg(ap, uintmax_t); break;
			case LM_T: v = (uintmax_t)va_arg(ap, ptrdiff_t); break;
			default: v = va_arg(ap, unsigned); break;
			}
			unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			jr_fmt_int(o, &sp, v, false, base, conv == 'X', false);
			break;
		}
		case 'p': {
			void *pv = va_arg(ap, void *);
			jr_fmt_int(o, &sp, (uintmax_t)(uintptr_t)pv, false, 16, false, true);
			break;
		}
		default:
			return; /* unsupported conversion (e.g. floating point): stop, the arguments are unknown */
		}
	}
}

static void JR_PRINTF(2, 3) jr_printf(jr_out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	jr_vout(o, fmt, ap);
	va_end(ap);
}

/* Writes k[0..n) as a JSON string body (without quotes): '"', '\\' and control bytes escaped, other
 * bytes (valid UTF-8 by construction) as they are. At most max output characters, then "...". */
static void jr_escaped(jr_out *o, const char *k, size_t n, size_t max)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start = o->n;
	for (size_t i = 0; i < n; i++) {
		if (o->n - start >= max) {
			jr_puts(o, "...");
			return;
		}
		uint8_t c = (uint8_t)k[i];
		if (c == '"' || c == '\\') {
			jr_putc(o, '\\');
			jr_putc(o, (char)c);
		} else if (c == '\n') {
			jr_puts(o, "\\n");
		} else if (c == '\t') {
			jr_puts(o, "\\t");
		} else if (c < 0x20 || c == 0x7F) {
			jr_puts(o, "\\u00");
			jr_putc(o, hex[c >> 4]);
			jr_putc(o, hex[c & 15]);
		} else {
			jr_putc(o, (char)c);
		}
	}
}

/* ---------------------------------------------------------------------------------------------- */
/* Paths                                                                                          */

typedef struct jr_seg {
	const char *key; /* NULL: array index */
	uint32_t keylen;
	uint32_t index;
} jr_seg;

static bool jr_ident(const char *k, uint32_t n)
{
	if (n == 0)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)k[i];
		bool alpha = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
		if (!alpha && !(i > 0 && jr_digit(c)))
			return false;
	}
	return true;
}

static void jr_seg_out(jr_out *o, const jr_seg *s)
{
	if (!s->key) {
		jr_putc(o, '[');
		jr_putu(o, s->index);
		jr_putc(o, ']');
	} else if (jr_ident(s->key, s->keylen)) {
		jr_putc(o, '.');
		jr_putn(o, s->key, s->keylen);
	} else {
		jr_puts(o, "[\"");
		jr_escaped(o, s->key, s->keylen, (size_t)-1);
		jr_puts(o, "\"]");
	}
}

/* The path of node n, followed by the key segment *tail when tail is not NULL. */
static void jr_path(const whea_jdoc *d, uint32_t n, const jr_seg *tail, char *buf, size_t cap)
{
	if (!buf || !cap)
		return;
	buf[0] = '\0';
	if (!d || !d->nodes || n >= d->nnodes)
		return;
	jr_seg seg[WHEA_JSON_MAX_DEPTH + 2];
	size_t lens[WHEA_JSON_MAX_DEPTH + 2];
	unsigned k = 0;
	/* Walk up to the root. A parent always precedes its child, which also bounds a damaged doc. */
	for (uint32_t i = n; i != 0;) {
		const whea_jnode *nd = &d->nodes[i];
		if (k == WHEA_JSON_MAX_DEPTH + 1 || nd->parent >= i)
			return;
		seg[k].key = nd->key;
		seg[k].keylen = nd->keylen;
		seg[k].index = nd->index;
		k++;
		i = nd->parent;
	}
	for (unsigned a = 0, b = k ? k - 1 : 0; a < b; a++, b--) {
		jr_seg t = seg[a];
		seg[a] = seg[b];
		seg[b] = t;
	}
	if (tail)
		seg[k++] = *tail;
	size_t total = 1;
	for (unsigned i = 0; i < k; i++) {
		jr_out c = {NULL, 0, 0};
		jr_seg_out(&c, &seg[i]);
		lens[i] = c.n;
		total += c.n;
	}
	unsigned from = 0;
	if (total >= cap && k > 0) {
		/* Too long: keep "$..." and as many trailing segments as fit. */
		size_t room = cap - 1, have = 4; /* "$..." */
		from = k - 1;
		if (have + lens[from] <= room) {
			have += lens[from];
			while (from > 1 && have + lens[from - 1] <= room)
				have += lens[--from];
		}
		if (k == 1)
			from = 0;
	}
	jr_out o = {buf, cap, 0};
	jr_putc(&o, '$');
	if (from > 0)
		jr_puts(&o, "...");
	for (unsigned i = from; i < k; i++)
		jr_seg_out(&o, &seg[i]);
	jr_end(&o);
}

char *whea_json_path(const whea_jdoc *d, uint32_t n, char *buf, size_t cap)
{
	jr_path(d, n, NULL, buf, cap);
	return buf;
}

/* ---------------------------------------------------------------------------------------------- */
/* Parser state and errors                                                                        */

typedef struct jr {
	const uint8_t *text, *end;
	whea_jdoc *doc;
	whea_jnode *nodes;
	uint32_t nn, maxn;
	char *sb;
	size_t sused, scap;
	bool str_over;                      /* the string buffer ran out: strings are only measured */
	const uint8_t *nospace_at;          /* where an arena first ran out, NULL if none */
	uint32_t nospace_node;              /* ... and the node whose path to report */
	uint64_t need_nodes;                /* nodes the whole document needs (set when nodes run out) */
	uint32_t cont[WHEA_JSON_MAX_DEPTH]; /* open containers, outermost first */
	uint32_t last[WHEA_JSON_MAX_DEPTH]; /* their last child so far */
	uint64_t keys[WHEA_JSON_MAX_DEPTH]; /* open objects: bit (khash & 63) of each member key so far */
} jr;

void whea_json_linecol(const char *text, size_t at, unsigned long *line, unsigned long *col)
{
	*line = *col = 1;
	for (size_t i = 0; i < at; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((uint8_t)text[i] & 0xC0) != 0x80) { /* not a UTF-8 continuation byte */
			++*col;
		}
	}
}

/* Records code at byte `at` with the path of node `node` (+ tail). With linecol, the message starts
 * with "line L, column C: " (column counted in characters, 1-based). */
static JR_COLD JR_PRINTF(7, 8) int jr_err(jr *s, int code, const uint8_t *at, uint32_t node, const jr_seg *tail,
					   bool linecol, const char *fmt, ...)
{
	char msg[JR_MSGCAP], path[JR_PATHCAP];
	jr_out o = {msg, sizeof msg, 0};
	if (linecol) {
		unsigned long line, col;
		whea_json_linecol((const char *)s->text, (size_t)(at - s->text), &line, &col);
		jr_printf(&o, "line %lu, column %lu: ", line, col);
	}
	va_list ap;
	va_start(ap, fmt);
	jr_vout(&o, fmt, ap);
	va_end(ap);
	jr_end(&o);
	s->doc->nnodes = s->nn;
	s->doc->strused = s->sused < s->scap ? s->sused : s->scap;
	if (s->nn == 0) {
		path[0] = '$';
		path[1] = '\0';
	} else {
		jr_path(s->doc, node, tail, path, sizeof path);
	}
	return whea_error_set(code, (int64_t)(at - s->text), path, "%s", msg);
}

/* "'x'", "end of input" or "byte 0xC3" for the character at p. */
static const char *jr_got(const jr *s, const uint8_t *p, char buf[16])
{
	static const char hex[] = "0123456789ABCDEF";
	if (p >= s->end)
		return "end of input";
	uint8_t c = *p;
	if (c == '\'') {
		buf[0] = '"';
		buf[1] = '\'';
		buf[2] = '"';
		buf[3] = '\0';
	} else if (c >= 0x20 && c < 0x7F) {
		buf[0] = '\'';
		buf[1] = (char)c;
		buf[2] = '\'';
		buf[3] = '\0';
	} else {
		jr_out o = {buf, 16, 0};
		jr_puts(&o, "byte 0x");
		jr_putc(&o, hex[c >> 4]);
		jr_putc(&o, hex[c & 15]);
		jr_end(&o);
	}
	return buf;
}

/* A syntax error "expected WHAT, got X", with a hint for the usual non-JSON habits. */
static JR_COLD int jr_expected(jr *s, const uint8_t *at, uint32_t node, const jr_seg *tail, const char *what)
{
	char gb[16];
	const char *hint = "";
	if (at < s->end) {
		uint8_t c = *at;
		if (c == '/')
			hint = " (comments are not allowed in JSON)";
		else if (c == '\'')
			hint = " (JSON strings use double quotes)";
		else if ((c == 'N' || c == 'I') && what[0] == 'a' && what[1] == ' ')
			hint = " (NaN and Infinity are not JSON numbers)";
		else if (c >= 0x80)
			hint = " (non-ASCII bytes are only allowed inside strings)";
	}
	return jr_err(s, WHEA_EFORMAT, at, node, tail, true, "expected %s, got %s%s", what, jr_got(s, at, gb), hint);
}

/* The first time an arena runs out, remember where (the error is reported once the rest of the input
 * has been checked, so WHEA_ENOSPACE always means "valid JSON, arenas too small"). */
static inline void jr_mark_nospace(jr *s, const uint8_t *at, uint32_t node)
{
	if (!s->nospace_at) {
		s->nospace_at = at;
		s->nospace_node = node;
	}
}

static JR_COLD int jr_nospace(jr *s)
{
	whea_jdoc *d = s->doc;
	d->need_nodes = s->need_nodes > UINT32_MAX ? UINT32_MAX : (uint32_t)s->need_nodes;
	d->need_strbuf = s->sused;
	return jr_err(s, WHEA_ENOSPACE, s->nospace_at, s->nospace_node, NULL, false,
		      "JSON needs %lu nodes and %zu string buffer bytes; the arenas hold %lu and %zu",
		      (unsigned long)d->need_nodes, s->sused, (unsigned long)s->maxn, s->scap);
}

/* ---------------------------------------------------------------------------------------------- */
/* Strings                                                                                        */

/* Appends n decoded bytes at sb[*o]. Once the buffer is full, only counts (s->str_over). */
static inline void jr_emit(jr *s, size_t *o, const uint8_t *b, size_t n, const uint8_t *quote, uint32_t node)
{
	if (JR_LIKELY(!s->str_over && s->scap - *o >= n)) {
		for (size_t i = 0; i < n; i++)
			s->sb[*o + i] = (char)b[i];
	} else if (!s->str_over) {
		s->str_over = true;
		jr_mark_nospace(s, quote, node);
	}
	*o += n;
}

/* Code point cp as UTF-8 into b; returns the length. */
static inline unsigned jr_utf8_encode(uint8_t b[4], uint32_t cp)
{
	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (uint8_t)(0xC0 | (cp >> 6));
		b[1] = (uint8_t)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (uint8_t)(0xE0 | (cp >> 12));
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (uint8_t)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (uint8_t)(0xF0 | (cp >> 18));
	b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (uint8_t)(0x80 | (cp & 0x3F));
	return 4;
}

static JR_COLD int jr_bad_byte_in_string(jr *s, const uint8_t *p, uint32_t node, bool key)
{
	uint8_t c = *p;
	if (c < 0x20)
		return jr_err(s, WHEA_EFORMAT, p, node, NULL, true,
			      "unescaped control character 0x%02X in a %s (write it as \\u%04X)", c,
			      key ? "key" : "string", c);
	return jr_err(s, WHEA_EFORMAT, p, node, NULL, true, "invalid UTF-8 (byte 0x%02X) in a %s", c,
		      key ? "key" : "string");
}

static JR_COLD int jr_unterminated(jr *s, const uint8_t *quote, uint32_t node, bool key)
{
	return jr_err(s, WHEA_EFORMAT, quote, node, NULL, true, "unterminated %s (no closing '\"')",
		      key ? "key" : "string");
}

/* The rest of a string that has escapes: start is just after the opening quote, p at the first
 * backslash. Decodes into the string buffer (or, once that is full, only measures). */
static JR_NOINLINE int jr_string_slow(jr *s, const uint8_t **pp, const uint8_t *p, uint32_t node, bool key,
				      const char **out, uint32_t *outlen)
{
	const uint8_t *const start = *pp, *const end = s->end, *const quote = start - 1;
	size_t o = s->sused;
	jr_emit(s, &o, start, (size_t)(p - start), quote, node);
	for (;;) {
		if (JR_UNLIKELY(p == end))
			return jr_unterminated(s, quote, node, key);
		uint8_t c = *p;
		if (jr_plain[c]) {
			const uint8_t *q = p + 1;
			while (q < end && jr_plain[*q])
				q++;
			jr_emit(s, &o, p, (size_t)(q - p), quote, node);
			p = q;
			continue;
		}
		if (c == '"') {
			if (JR_LIKELY(!s->str_over))
				*out = s->sb + s->sused;
			else
				*out = (const char *)start; /* placeholder: the parse ends in WHEA_ENOSPACE */
			*outlen = (uint32_t)(o - s->sused);
			s->sused = o;
			*pp = p + 1;
			return 0;
		}
		if (c == '\\') {
			if (end - p < 2)
				return jr_unterminated(s, quote, node, key);
			uint8_t simple;
			switch (p[1]) {
			case '"': simple = '"'; break;
			case '\\': simple = '\\'; break;
			case '/': simple = '/'; break;
			case 'b': simple = '\b'; break;
			case 'f': simple = '\f'; break;
			case 'n': simple = '\n'; break;
			case 'r': simple = '\r'; break;
			case 't': simple = '\t'; break;
			case 'u': {
				int32_t cp = end - p >= 6 ? jr_hex4(p + 2) : -1;
				if (cp < 0)
					return jr_err(s, WHEA_EFORMAT, p, node, NULL, true,
						      "expected 4 hex digits after \\u");
				if (cp >= 0xDC00 && cp <= 0xDFFF)
					return jr_err(s, WHEA_EFORMAT, p, node, NULL, true,
						      "lone low surrogate \\u%04X (not preceded by \\uD800-\\uDBFF)",
						      (unsigned)cp);
				if (cp >= 0xD800 && cp <= 0xDBFF) {
					int32_t lo = -2;
					if (end - p >= 8 && p[6] == '\\' && p[7] == 'u') {
						lo = end - p >= 12 ? jr_hex4(p + 8) : -1;
						if (lo < 0)
							return jr_err(s, WHEA_EFORMAT, p + 6, node, NULL, true,
								      "expected 4 hex digits after \\u");
					}
					if (lo < 0xDC00 || lo > 0xDFFF)
						return jr_err(s, WHEA_EFORMAT, p, node, NULL, true,
							      "lone high surrogate \\u%04X (must be followed by "
							      "\\uDC00-\\uDFFF)",
							      (unsigned)cp);
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					p += 6;
				}
				p += 6;
				uint8_t b[4];
				jr_emit(s, &o, b, jr_utf8_encode(b, (uint32_t)cp), quote, node);
				continue;
			}
			default: {
				char gb[16];
				return jr_err(s, WHEA_EFORMAT, p, node, NULL, true,
					      "invalid escape: expected one of \" \\ / b f n r t u after '\\', got %s",
					      jr_got(s, p + 1, gb));
			}
			}
			jr_emit(s, &o, &simple, 1, quote, node);
			p += 2;
			continue;
		}
		if (c < 0x80)
			return jr_bad_byte_in_string(s, p, node, key);
		unsigned n = jr_utf8(p, end);
		if (!n)
			return jr_bad_byte_in_string(s, p, node, key);
		jr_emit(s, &o, p, n, quote, node);
		p += n;
	}
}

/* First byte at or after p that is not a plain string byte (jr_plain), or end. */
static JR_INLINE const uint8_t *jr_plain_run(const uint8_t *p, const uint8_t *end)
{
#if JR_SSE2
	/* Sixteen bytes at a time: one signed compare flags both < 0x20 and >= 0x80. */
	while (end - p >= 16) {
		jr_v16 v;
		__builtin_memcpy(&v, p, 16);
		jr_v16 sp = (v == (jr_v16){'"', '"', '"', '"', '"', '"', '"', '"', '"', '"', '"', '"', '"', '"', '"', '"'}) |
			    (v == (jr_v16){'\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\', '\\'}) |
			    (v < (jr_v16){32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32});
		unsigned m = (unsigned)__builtin_ia32_pmovmskb128((jr_v16c)sp);
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
#if JR_SWAR
	/* Eight bytes at a time: flag bytes that are '"', '\\', < 0x20 or >= 0x80. The lowest flag
	 * is exact (borrows only run upwards), so on little-endian it locates the byte. */
	for (;;) {
		if (end - p < 8) {
			while (p < end && jr_plain[*p])
				p++;
			return p;
		}
		const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
		uint64_t w;
		__builtin_memcpy(&w, p, 8);
		uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
		uint64_t special = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w) | w) & high;
		if (special) {
#if JR_LITTLE_ENDIAN
			return p + (__builtin_ctzll(special) >> 3);
#else
			while (jr_plain[*p])
				p++;
			return p;
#endif
		}
		p += 8;
	}
#else
	while (p < end && jr_plain[*p])
		p++;
	return p;
#endif
}

/* Scans a string whose opening quote is just before *pp. Without escapes the result points into the
 * input; otherwise it is decoded into the string buffer. On success *pp is past the closing quote. */
static JR_INLINE int jr_string(jr *s, const uint8_t **pp, uint32_t node, bool key, const char **out,
			    uint32_t *outlen)
{
	const uint8_t *p = *pp, *const end = s->end, *const start = p;
	for (;;) {
		p = jr_plain_run(p, end);
		if (JR_UNLIKELY(p == end))
			return jr_unterminated(s, start - 1, node, key);
		uint8_t c = *p;
		if (JR_LIKELY(c == '"')) {
			*out = (const char *)start;
			*outlen = (uint32_t)(p - start);
			*pp = p + 1;
			return 0;
		}
		if (c == '\\')
			return jr_string_slow(s, pp, p, node, key, out, outlen);
		if (c < 0x80)
			return jr_bad_byte_in_string(s, p, node, key);
		unsigned n = jr_utf8(p, end);
		if (!n)
			return jr_bad_byte_in_string(s, p, node, key);
		p += n;
	}
}

/* ---------------------------------------------------------------------------------------------- */
/* Duplicate keys                                                                                 */

/* Total order on members: key (hash, length, bytes), then position. */
static inline int jr_keycmp(const whea_jnode *nd, uint32_t a, uint32_t b)
{
	const whea_jnode *x = &nd[a], *y = &nd[b];
	if (x->khash != y->khash)
		return x->khash < y->khash ? -1 : 1;
	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	for (uint32_t i = 0; i < x->keylen; i++)
		if (x->key[i] != y->key[i])
			return (uint8_t)x->key[i] < (uint8_t)y->key[i] ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Bottom-up merge sort of the list starting at `list` and linked through .parent (0 ends it);
 * O(n log n) time, O(1) memory. Returns the new head. */
static uint32_t jr_msort(whea_jnode *nd, uint32_t list)
{
	for (uint64_t insize = 1;; insize *= 2) {
		uint32_t p = list, tail = 0;
		uint64_t nmerges = 0;
		list = 0;
		while (p) {
			nmerges++;
			uint32_t q = p;
			uint64_t psize = 0, qsize = insize;
			while (psize < insize && q) {
				psize++;
				q = nd[q].parent;
			}
			while (psize > 0 || (qsize > 0 && q)) {
				uint32_t e;
				if (psize == 0) {
					e = q;
					q = nd[q].parent;
					qsize--;
				} else if (qsize == 0 || !q || jr_keycmp(nd, p, q) <= 0) {
					e = p;
					p = nd[p].parent;
					psize--;
				} else {
					e = q;
					q = nd[q].parent;
					qsize--;
				}
				if (tail)
					nd[tail].parent = e;
				else
					list = e;
				tail = e;
			}
			p = q;
		}
		nd[tail].parent = 0;
		if (nmerges <= 1)
			return list;
	}
}

static JR_COLD int jr_dup_error(jr *s, uint32_t first, uint32_t dup)
{
	char kb[96];
	jr_out o = {kb, sizeof kb, 0};
	jr_escaped(&o, s->nodes[dup].key, s->nodes[dup].keylen, 64);
	jr_end(&o);
	return jr_err(s, WHEA_EJSON, s->text + s->nodes[dup].off, dup, NULL, true,
		      "duplicate key \"%s\" in an object (first at byte %lu)", kb,
		      (unsigned long)s->nodes[first].off);
}

/* Members up to this many are checked as they are added (a 64-bit filter of their key hashes per open
 * object, and a scan of the earlier members only when the filter hits); larger objects are checked
 * once more, in full, when they close. */
#define JR_DUP_EAGER 32

/* Member idx (just linked as the last member of obj) against the earlier members. */
static JR_NOINLINE int jr_dup_scan(jr *s, uint32_t obj, uint32_t idx)
{
	whea_jnode *nd = s->nodes;
	for (uint32_t a = nd[obj].child; a != idx; a = nd[a].next)
		if (jr_samekey(&nd[a], &nd[idx]))
			return jr_dup_error(s, a, idx);
	return 0;
}

/* Rejects an object (of more than JR_DUP_EAGER members) with two members of the same key; reports
 * the earliest second occurrence. */
static int jr_dups(jr *s, uint32_t obj)
{
	whea_jnode *nd = s->nodes;
	uint32_t dup = 0, first = 0;
	for (uint32_t m = nd[obj].child; m; m = nd[m].next)
		nd[m].parent = nd[m].next;
	uint32_t list = jr_msort(nd, nd[obj].child);
	/* Equal keys are now adjacent and in document order. */
	for (uint32_t a = list; nd[a].parent; a = nd[a].parent) {
		uint32_t b = nd[a].parent;
		if (jr_samekey(&nd[a], &nd[b]) && (!dup || b < dup)) {
			dup = b;
			first = a;
		}
	}
	for (uint32_t m = nd[obj].child; m; m = nd[m].next)
		nd[m].parent = obj;
	return dup ? jr_dup_error(s, first, dup) : 0;
}

/* ---------------------------------------------------------------------------------------------- */
/* The parser                                                                                     */

/* Validates the number token at *pp (first byte '-' or a digit) and moves past it. */
static JR_INLINE int jr_number(jr *s, const uint8_t **pp, uint32_t node)
{
	const uint8_t *p = *pp, *const end = s->end, *const s0 = p;
	if (*p == '-') {
		p++;
		if (p == end || !jr_digit(*p))
			return jr_expected(s, p, node, NULL, "a digit after '-'");
	}
	if (*p == '0') {
		p++;
		if (p < end && jr_digit(*p))
			return jr_err(s, WHEA_EFORMAT, s0, node, NULL, true,
				      "leading zeros are not allowed in JSON numbers");
	} else {
		p++;
		while (p < end && jr_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		p++;
		if (p == end || !jr_digit(*p))
			return jr_expected(s, p, node, NULL, "a digit after '.'");
		while (p < end && jr_digit(*p))
			p++;
	}
	if (p < end && (*p | 0x20) == 'e') {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !jr_digit(*p))
			return jr_expected(s, p, node, NULL, "a digit in the exponent");
		while (p < end && jr_digit(*p))
			p++;
	}
	*pp = p;
	return 0;
}

/* Length of the literal true/false/null at p (its type in *type), or 0 when there is none. */
static inline uint32_t jr_literal(const uint8_t *p, const uint8_t *end, uint8_t *type)
{
	ptrdiff_t avail = end - p;
	switch (*p) {
	case 't':
		*type = WHEA_JTRUE;
		return avail >= 4 && p[1] == 'r' && p[2] == 'u' && p[3] == 'e' ? 4 : 0;
	case 'f':
		*type = WHEA_JFALSE;
		return avail >= 5 && p[1] == 'a' && p[2] == 'l' && p[3] == 's' && p[4] == 'e' ? 5 : 0;
	case 'n':
		*type = WHEA_JNULL;
		return avail >= 4 && p[1] == 'u' && p[2] == 'l' && p[3] == 'l' ? 4 : 0;
	default:
		return 0;
	}
}

/* Fills node idx (the value at p, depth containers open; in an object, under the key kp[0..kl) with
 * hash kh), links it to its parent and checks the key against the parent's first members. */
static JR_INLINE int jr_add(jr *s, uint32_t idx, const uint8_t *p, unsigned depth, bool in_obj, const char *kp,
			    uint32_t kl, uint16_t kh)
{
	whea_jnode *const nodes = s->nodes, *const nd = &nodes[idx];
	nd->type = 0;
	nd->reserved = 0;
	nd->off = (uint32_t)(p - s->text);
	nd->next = 0;
	nd->child = 0;
	nd->count = 0;
	nd->len = 0;
	nd->str = NULL;
	s->nn = idx + 1;
	if (JR_UNLIKELY(!depth)) {
		nd->parent = UINT32_MAX;
		nd->key = NULL;
		nd->index = 0;
		nd->khash = 0;
		return 0;
	}
	uint32_t par = s->cont[depth - 1];
	nd->parent = par;
	if (in_obj) {
		nd->key = kp;
		nd->keylen = kl;
		nd->khash = kh;
	} else {
		nd->key = NULL;
		nd->index = nodes[par].count;
		nd->khash = 0;
	}
	uint32_t before = nodes[par].count++;
	if (before == 0)
		nodes[par].child = idx;
	else
		nodes[s->last[depth - 1]].next = idx;
	s->last[depth - 1] = idx;
	/* (keys are placeholders once the string buffer ran out: the parse ends in WHEA_ENOSPACE) */
	if (in_obj && before < JR_DUP_EAGER && !s->str_over) {
		uint64_t bit = (uint64_t)1 << (kh & 63);
		if (JR_UNLIKELY(s->keys[depth - 1] & bit)) {
			int rc = jr_dup_scan(s, par, idx);
			if (rc)
				return rc;
		}
		s->keys[depth - 1] |= bit;
	}
	return 0;
}

static JR_NOINLINE int jr_skim(jr *s, const uint8_t *p, unsigned depth, bool prefix);

/* The JSON grammar, written once for its two uses (`skim` is a constant in each, so the compiler
 * builds two specialised copies):
 *   jr_run  (skim false): from the start of the text, storing a node for each value;
 *   jr_skim (skim true):  entered by jr_run when the node arena is full at p ("value" state, depth
 *     containers open); checks the rest of the syntax without storing anything, counting the nodes
 *     and string bytes the whole document needs, so a syntax error is still reported as such and
 *     WHEA_ENOSPACE comes with exact sizes. Its paths name the innermost container that has a node
 *     (ctx), without the key or index below it. */
static JR_INLINE int jr_grammar(jr *s, const uint8_t *p, unsigned depth, bool prefix, size_t *consumed,
				const bool skim)
{
	const uint8_t *const text = s->text, *const end = s->end;
	const uint8_t *comma = NULL;
	whea_jnode *const nodes = s->nodes;
	const uint32_t maxn = s->maxn;
	uint32_t nn = s->nn, idx = 0, here, len = 0;
	bool in_obj = false;
	const char *kp = NULL, *str = NULL;
	uint32_t kl = 0;
	uint16_t kh = 0;
	whea_jnode *nd = NULL;
	int rc;
	uint8_t c, type = 0;
	/* skim only: containers cont[0..real) have nodes, the innermost of them is ctx; bit d of objs:
	 * the container at depth d is an object; extra counts the values seen */
	unsigned real = depth;
	uint64_t objs = 0, extra = 0;
	uint32_t ctx = 0;
	if (skim) {
		for (unsigned d = 0; d < depth; d++)
			if (nodes[s->cont[d]].type == WHEA_JOBJECT)
				objs |= (uint64_t)1 << d;
		ctx = real ? s->cont[real - 1] : 0;
		in_obj = depth && ((objs >> (depth - 1)) & 1);
	}
/* the node whose path errors in the "after", "close" and "key" states name */
#define JR_OPEN (skim ? ctx : s->cont[depth - 1])

value:
	p = jr_skip_ws(p, end);
	if (JR_UNLIKELY(p == end)) {
		if (skim)
			return jr_expected(s, p, ctx, NULL, depth ? "a value" : "a JSON value");
		s->nn = nn;
		if (prefix && nn == 0) {
			*consumed = (size_t)(end - text);
			return whea_error_set(WHEA_ENOTFOUND, (int64_t)(end - text), NULL,
					      "no JSON value before the end of input");
		}
		if (depth == 0)
			return jr_expected(s, p, 0, NULL, "a JSON value");
		jr_seg t = {in_obj ? kp : NULL, in_obj ? kl : 0, nodes[s->cont[depth - 1]].count};
		return jr_expected(s, p, s->cont[depth - 1], &t, "a value");
	}
	if (skim) {
		extra++;
		here = ctx;
	} else {
		if (JR_UNLIKELY(nn == maxn)) {
			s->nn = nn;
			jr_mark_nospace(s, p, depth ? s->cont[depth - 1] : 0);
			return jr_skim(s, p, depth, prefix);
		}
		here = idx = nn++;
		rc = jr_add(s, idx, p, depth, in_obj, kp, kl, kh);
		if (JR_UNLIKELY(rc))
			return rc;
		nd = &nodes[idx];
	}
	c = *p;
	switch (c) {
	case '"':
		p++;
		rc = jr_string(s, &p, here, false, skim ? &str : &nd->str, skim ? &len : &nd->len);
		if (JR_UNLIKELY(rc))
			return rc;
		if (!skim)
			nd->type = WHEA_JSTRING;
		goto after;
	case '{':
	case '[':
		if (!skim)
			nd->type = c == '{' ? WHEA_JOBJECT : WHEA_JARRAY;
		if (JR_UNLIKELY(depth == WHEA_JSON_MAX_DEPTH))
			return jr_err(s, WHEA_ELIMIT, p, here, NULL, true,
				      "JSON nested deeper than %d arrays/objects", WHEA_JSON_MAX_DEPTH);
		in_obj = c == '{';
		if (skim) {
			objs = in_obj ? objs | (uint64_t)1 << depth : objs & ~((uint64_t)1 << depth);
		} else {
			s->keys[depth] = 0;
			s->cont[depth] = idx;
		}
		depth++;
		p++;
		p = jr_skip_ws(p, end);
		if (p < end && *p == (in_obj ? '}' : ']')) {
			p++;
			goto close;
		}
		if (in_obj)
			goto key;
		goto value;
	case 't':
	case 'f':
	case 'n':
		len = jr_literal(p, end, &type);
		if (JR_UNLIKELY(!len))
			goto badvalue;
		if (!skim) {
			nd->type = type;
			nd->len = len;
			nd->str = (const char *)p;
		}
		p += len;
		goto after;
	case '-':
	case '0':
	case '1':
	case '2':
	case '3':
	case '4':
	case '5':
	case '6':
	case '7':
	case '8':
	case '9':
		if (!skim)
			nd->str = (const char *)p;
		rc = jr_number(s, &p, here);
		if (JR_UNLIKELY(rc))
			return rc;
		if (!skim) {
			nd->type = WHEA_JNUMBER;
			nd->len = (uint32_t)((const char *)p - nd->str);
		}
		goto after;
	default:
		goto badvalue;
	}

badvalue:
	return jr_expected(s, p, here, NULL, "a value");

after: /* a value just ended */
	if (JR_UNLIKELY(depth == 0))
		goto done;
	p = jr_skip_ws(p, end);
	if (JR_UNLIKELY(p == end))
		goto badsep;
	c = *p;
	if (c == ',') {
		comma = p++;
		p = jr_skip_ws(p, end);
		if (in_obj)
			goto key;
		if (JR_UNLIKELY(p < end && *p == ']'))
			return jr_err(s, WHEA_EFORMAT, comma, JR_OPEN, NULL, true,
				      "trailing comma before ']' is not allowed in JSON");
		goto value;
	}
	if (JR_LIKELY(c == (in_obj ? '}' : ']'))) {
		p++;
		goto close;
	}
badsep:
	return jr_expected(s, p, JR_OPEN, NULL, in_obj ? "',' or '}'" : "',' or ']'");

close: /* p is just past the closing bracket of the innermost open container */
	if (skim) {
		depth--;
		if (depth < real) {
			real = depth;
			ctx = real ? s->cont[real - 1] : 0;
		}
		in_obj = depth && ((objs >> (depth - 1)) & 1);
		goto after;
	}
	idx = s->cont[depth - 1];
	nodes[idx].str = (const char *)text + nodes[idx].off;
	nodes[idx].len = (uint32_t)(p - text) - nodes[idx].off;
	if (in_obj && nodes[idx].count > JR_DUP_EAGER && !s->str_over) {
		rc = jr_dups(s, idx);
		if (rc)
			return rc;
	}
	depth--;
	in_obj = depth && nodes[s->cont[depth - 1]].type == WHEA_JOBJECT;
	goto after;

key: /* in an object, at the place of a member's key (whitespace skipped) */
	if (JR_UNLIKELY(p == end || *p != '"')) {
		if (p < end && *p == '}' && comma)
			return jr_err(s, WHEA_EFORMAT, comma, JR_OPEN, NULL, true,
				      "trailing comma before '}' is not allowed in JSON");
		return jr_expected(s, p, JR_OPEN, NULL, "a string key");
	}
	p++;
	rc = jr_string(s, &p, JR_OPEN, true, &kp, &kl);
	if (JR_UNLIKELY(rc))
		return rc;
	if (!skim)
		kh = jr_hash(kp, kl);
	p = jr_skip_ws(p, end);
	if (JR_UNLIKELY(p == end || *p != ':')) {
		jr_seg t = {kp, kl, 0};
		return jr_expected(s, p, JR_OPEN, skim ? NULL : &t, "':' after the key");
	}
	p++;
	goto value;

done:
	if (!prefix) {
		p = jr_skip_ws(p, end);
		if (JR_UNLIKELY(p != end))
			return jr_expected(s, p, 0, NULL, "the end of input after the JSON value");
	}
	if (skim) {
		s->need_nodes = (uint64_t)maxn + extra;
		return jr_nospace(s);
	}
	if (JR_UNLIKELY(s->str_over)) {
		s->need_nodes = nn;
		return jr_nospace(s);
	}
	if (prefix)
		*consumed = (size_t)(p - text);
	return 0;
#undef JR_OPEN
}

static JR_NOINLINE int jr_skim(jr *s, const uint8_t *p, unsigned depth, bool prefix)
{
	return jr_grammar(s, p, depth, prefix, NULL, true);
}

static int jr_run(jr *s, bool prefix, size_t *consumed)
{
	return jr_grammar(s, s->text, 0, prefix, consumed, false);
}

static int jr_parse(whea_jdoc *doc, const char *text, size_t len, bool prefix, size_t *consumed,
		    whea_jnode *nodes, uint32_t max_nodes, char *strbuf, size_t strcap)
{
	if (consumed)
		*consumed = 0;
	if (!doc)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_json_parse: doc is NULL");
	doc->text = text;
	doc->textlen = len;
	doc->nodes = nodes;
	doc->nnodes = 0;
	doc->max_nodes = max_nodes;
	doc->strbuf = strbuf;
	doc->strcap = strcap;
	doc->strused = 0;
	doc->need_nodes = 0;
	doc->need_strbuf = 0;
	if ((!text && len) || (!nodes && max_nodes) || (!strbuf && strcap) || (prefix && !consumed))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_json_parse: NULL buffer with a non-zero size");
	if (len >= UINT32_MAX)
		return whea_error_set(WHEA_ELIMIT, -1, NULL, "JSON text of %lu bytes or more is not supported",
				      (unsigned long)UINT32_MAX);
	if (!text)
		doc->text = text = "";
	jr s;
	s.text = (const uint8_t *)text;
	s.end = s.text + len;
	s.doc = doc;
	s.nodes = nodes;
	s.nn = 0;
	s.maxn = nodes ? max_nodes : 0;
	s.sb = strbuf;
	s.sused = 0;
	s.scap = strbuf ? strcap : 0;
	s.str_over = false;
	s.nospace_at = NULL;
	s.nospace_node = 0;
	s.need_nodes = 0;
	int rc = jr_run(&s, prefix, consumed);
	doc->nnodes = s.nn;
	doc->strused = s.sused < s.scap ? s.sused : s.scap;
	if (rc == 0) {
		doc->need_nodes = s.nn;
		doc->need_strbuf = s.sused;
	}
	return rc;
}

int whea_json_parse(whea_jdoc *doc, const char *text, size_t len, whea_jnode *nodes, uint32_t max_nodes,
		    char *strbuf, size_t strcap)
{
	return jr_parse(doc, text, len, false, NULL, nodes, max_nodes, strbuf, strcap);
}

int whea_json_parse_prefix(whea_jdoc *doc, const char *text, size_t len, size_t *consumed, whea_jnode *nodes,
			   uint32_t max_nodes, char *strbuf, size_t strcap)
{
	return jr_parse(doc, text, len, true, consumed, nodes, max_nodes, strbuf, strcap);
}

/* ---------------------------------------------------------------------------------------------- */
/* Accessors                                                                                      */

static inline bool jr_valid(const whea_jdoc *d, uint32_t n) { return d && d->nodes && n < d->nnodes; }

uint32_t whea_json_getn(const whea_jdoc *d, uint32_t obj, const char *key, size_t keylen)
{
	if (!jr_valid(d, obj) || d->nodes[obj].type != WHEA_JOBJECT || (!key && keylen) || keylen > UINT32_MAX)
		return 0;
	uint16_t h = jr_hash(key, keylen);
	for (uint32_t m = d->nodes[obj].child; m; m = d->nodes[m].next) {
		const whea_jnode *nd = &d->nodes[m];
		if (nd->khash == h && nd->keylen == keylen && jr_memeq(nd->key, key, keylen))
			return m;
	}
	return 0;
}

uint32_t whea_json_get(const whea_jdoc *d, uint32_t obj, const char *key)
{
	if (!key)
		return 0;
	size_t n = 0;
	while (key[n])
		n++;
	return whea_json_getn(d, obj, key, n);
}

uint32_t whea_json_at(const whea_jdoc *d, uint32_t arr, uint32_t i)
{
	if (!jr_valid(d, arr))
		return 0;
	const whea_jnode *a = &d->nodes[arr];
	if ((a->type != WHEA_JARRAY && a->type != WHEA_JOBJECT) || i >= a->count)
		return 0;
	uint32_t m = a->child;
	while (i-- && m)
		m = d->nodes[m].next;
	return m;
}

const char *whea_json_type_name(int type)
{
	switch (type) {
	case WHEA_JNULL: return "null";
	case WHEA_JFALSE: return "false";
	case WHEA_JTRUE: return "true";
	case WHEA_JNUMBER: return "number";
	case WHEA_JSTRING: return "string";
	case WHEA_JARRAY: return "array";
	case WHEA_JOBJECT: return "object";
	default: return "invalid";
	}
}

int whea_json_fail(const whea_jdoc *d, uint32_t n, const char *fmt, ...)
{
	char msg[JR_MSGCAP], path[JR_PATHCAP];
	jr_out o = {msg, sizeof msg, 0};
	va_list ap;
	va_start(ap, fmt);
	jr_vout(&o, fmt ? fmt : "", ap);
	va_end(ap);
	jr_end(&o);
	if (!jr_valid(d, n))
		return whea_error_set(WHEA_EJSON, -1, NULL, "%s", msg);
	jr_path(d, n, NULL, path, sizeof path);
	return whea_error_set(WHEA_EJSON, (int64_t)d->nodes[n].off, path, "%s", msg);
}

/* Shows at most 40 bytes of a value in a message. */
#define JR_SHOWN(nd) (int)((nd)->len > 40 ? 40 : (nd)->len), (nd)->str, ((nd)->len > 40 ? "..." : "")

int whea_json_u64(const whea_jdoc *d, uint32_t n, uint64_t *out)
{
	if (!jr_valid(d, n))
		return whea_json_fail(d, n, "expected an unsigned integer, but there is no value");
	const whea_jnode *nd = &d->nodes[n];
	const char *sp = nd->str;
	uint32_t len = nd->len;
	uint64_t v = 0;
	if (nd->type == WHEA_JNUMBER) {
		if (sp[0] == '-')
			return whea_json_fail(d, n, "expected an unsigned integer, got the negative number %.*s%s",
					      JR_SHOWN(nd));
		uint32_t i = 0;
#if JR_SWAR && JR_LITTLE_ENDIAN
		for (; i + 8 <= len && i + 8 <= 16; i += 8) { /* 16 digits cannot overflow */
			uint64_t c = jr_load64(sp + i);
			if (!jr_digits8(c))
				break;
			v = v * 100000000u + jr_value8(c);
		}
#endif
		for (; i < len; i++) {
			if (!jr_digit((uint8_t)sp[i]))
				return whea_json_fail(d, n,
						      "expected an unsigned integer, got %.*s%s (no fraction or "
						      "exponent allowed)",
						      JR_SHOWN(nd));
			unsigned dg = (unsigned)(sp[i] - '0');
			if (i >= 19 && v > (UINT64_MAX - dg) / 10) /* 19 digits always fit */
				return whea_json_fail(d, n, "%.*s%s does not fit in 64 bits", JR_SHOWN(nd));
			v = v * 10 + dg;
		}
	} else if (nd->type == WHEA_JSTRING) {
		if (len > 2 && sp[0] == '0' && (sp[1] | 0x20) == 'x') {
			for (uint32_t i = 2; i < len; i++) {
				int h = jr_hexval((uint8_t)sp[i]);
				if (h < 0)
					goto badstr;
				if (v >> 60)
					return whea_json_fail(d, n, "\"%.*s%s\" does not fit in 64 bits", JR_SHOWN(nd));
				v = (v << 4) | (unsigned)h;
			}
		} else {
			if (len == 0 || (len > 1 && sp[0] == '0'))
				goto badstr;
			for (uint32_t i = 0; i < len; i++) {
				if (!jr_digit((uint8_t)sp[i]))
					goto badstr;
				unsigned dg = (unsigned)(sp[i] - '0');
				if (v > (UINT64_MAX - dg) / 10)
					return whea_json_fail(d, n, "\"%.*s%s\" does not fit in 64 bits", JR_SHOWN(nd));
				v = v * 10 + dg;
			}
		}
	} else {
		return whea_json_fail(d, n, "expected an unsigned integer, got %s", whea_json_type_name(nd->type));
	}
	*out = v;
	return 0;
badstr:
	return whea_json_fail(d, n,
			      "expected an unsigned integer (decimal digits or \"0x\" and hex digits), got "
			      "\"%.*s%s\"",
			      JR_SHOWN(nd));
}

int whea_json_bool(const whea_jdoc *d, uint32_t n, bool *out)
{
	if (!jr_valid(d, n))
		return whea_json_fail(d, n, "expected true or false, but there is no value");
	uint8_t t = d->nodes[n].type;
	if (t != WHEA_JTRUE && t != WHEA_JFALSE)
		return whea_json_fail(d, n, "expected true or false, got %s", whea_json_type_name(t));
	*out = t == WHEA_JTRUE;
	return 0;
}
