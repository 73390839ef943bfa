/* util/fmt.h — freestanding string formatting: a printf subset (%s %.*s %d %u %ld %lu %lld %llu
 * %x %lx %llx %zu %zx %c %%, with width (also *) and zero-pad) and small helpers, so src/cper and the writers
 * need no stdio. */
#ifndef WHEA_UTIL_FMT_H
#define WHEA_UTIL_FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Formats into buf (always NUL-terminated when cap > 0); returns the length it wanted. */
size_t whea_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t whea_format(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
size_t whea_strlcpy(char *dst, const char *src, size_t cap);
/* Decimal / hex digits of v into out (no NUL); returns the count. out needs 20 / 16 bytes. */
unsigned whea_u64_dec(char *out, uint64_t v);
/* Number of decimal digits of v. */
unsigned whea_u64_dec_len(uint64_t v);
/* Decimal, zero-padded on the left to at least width digits (like "%0*llu"); out needs
 * max(width, 20) bytes. */
unsigned whea_u64_dec_pad(char *out, uint64_t v, unsigned width);
unsigned whea_u64_hex(char *out, uint64_t v, unsigned min_digits);

/* Tables and inline versions of the above for the writers' hot paths. */
extern const char whea_digits2[201];   /* "00" "01" ... "99" */
extern const char whea_hex_pairs[513]; /* "00" "01" ... "ff": both hex digits of a byte */
extern const uint64_t whea_pow10[20];

static inline unsigned whea_dec_len_inline(uint64_t v)
{
#if defined(__GNUC__)
	/* floor(log10) from the bit length, corrected by one comparison */
	unsigned bits = 64u - (unsigned)__builtin_clzll(v | 1);
	unsigned n = (bits * 1233u) >> 12;
	return v ? n + (v >= whea_pow10[n]) : 1;
#else
	unsigned n = 1;
	while (n < 20 && v >= whea_pow10[n])
		n++;
	return n;
#endif
}

/* The two digits of v (< 100) ending at end. */
static inline void whea_dec_pair(char *end, unsigned v) { memcpy(end - 2, whea_digits2 + 2 * v, 2); }

static inline unsigned whea_dec_inline(char *out, uint64_t v)
{
	if (v < 10) {
		out[0] = (char)('0' + v);
		return 1;
	}
	unsigned n = whea_dec_len_inline(v);
	char *e = out + n;
	while (v >= 100000000u) { /* eight digits at a time in 32-bit arithmetic */
		uint32_t lo = (uint32_t)(v % 100000000u);
		v /= 100000000u;
		uint32_t a = lo / 10000u, b = lo % 10000u;
		whea_dec_pair(e, b % 100u), whea_dec_pair(e - 2, b / 100u);
		whea_dec_pair(e - 4, a % 100u), whea_dec_pair(e - 6, a / 100u);
		e -= 8;
	}
	uint32_t x = (uint32_t)v;
	while (x >= 100u) {
		whea_dec_pair(e, x % 100u);
		x /= 100u;
		e -= 2;
	}
	if (x >= 10u)
		whea_dec_pair(e, x);
	else
		e[-1] = (char)('0' + x);
	return n;
}

static inline unsigned whea_hex_inline(char *out, uint64_t v, unsigned min_digits)
{
#if defined(__GNUC__)
	unsigned n = v ? (67u - (unsigned)__builtin_clzll(v)) / 4 : 1;
#else
	unsigned n = 1;
	while (n < 16 && (v >> (4 * n)))
		n++;
#endif
	if (n < min_digits)
		n = min_digits > 16 ? 16 : min_digits;
	char *e = out + n;
	while (e - out >= 2) {
		e -= 2;
		memcpy(e, whea_hex_pairs + 2 * (v & 0xff), 2);
		v >>= 8;
	}
	if (e > out)
		out[0] = "0123456789abcdef"[v & 0xf];
	return n;
}

#endif
