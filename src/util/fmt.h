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
/* Value of the hex digit c (either case), or -1: the one rule for GUIDs, hex input and JSON. */
static inline int whea_hex_val(unsigned c)
{
	if (c - '0' < 10u)
		return (int)(c - '0');
	c |= 0x20; /* 'A'..'F' -> 'a'..'f'; no other byte lands in 'a'..'f' */
	return c - 'a' < 6u ? (int)(c - 'a' + 10) : -1;
}

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

/* Decimal by ranges instead of a digit count, the big values as whole blocks of eight digits
 * (about a fifth fewer instructions than a digit-count loop over the values of the test vectors;
 * tests/unit/test_util.c checks them against printf). Each stores at q and returns the end; 20
 * bytes of room cover any value. */

/* Two digits of v (< 100). */
static inline char *whea_pair_at(char *q, unsigned v)
{
	memcpy(q, whea_digits2 + 2 * v, 2);
	return q + 2;
}

/* x (< 10^4) without leading zeros. */
static inline char *whea_dec4_at(char *q, uint32_t x)
{
	if (x < 100) {
		if (x < 10) {
			*q = (char)('0' + x);
			return q + 1;
		}
		return whea_pair_at(q, x);
	}
	unsigned a = x / 100, one = a < 10;
	/* a single leading digit is the second half of its pair (the byte after it is overwritten) */
	memcpy(q, whea_digits2 + 2 * a + one, 2);
	return whea_pair_at(q + 2 - one, x % 100);
}

/* x (< 10^4) in exactly 4 digits; x (< 10^8) in exactly 8. */
static inline char *whea_fixed4_at(char *q, uint32_t x) { return whea_pair_at(whea_pair_at(q, x / 100), x % 100); }
static inline char *whea_fixed8_at(char *q, uint32_t x)
{
	return whea_fixed4_at(whea_fixed4_at(q, x / 10000), x % 10000);
}

/* x (< 10^8) without leading zeros. */
static inline char *whea_dec8_at(char *q, uint32_t x)
{
	if (x < 10000)
		return whea_dec4_at(q, x);
	uint32_t hi = x / 10000;
	return whea_fixed4_at(whea_dec4_at(q, hi), x - hi * 10000);
}

/* v (any, best for >= 10^4). Writers that inline the small cases call this out of line. */
static inline char *whea_dec_big_at(char *q, uint64_t v)
{
	if (v < 10000000000000000ull) {
		uint64_t hi = v / 100000000u;
		if (!hi)
			return whea_dec8_at(q, (uint32_t)v);
		return whea_fixed8_at(whea_dec8_at(q, (uint32_t)hi), (uint32_t)(v - hi * 100000000u));
	}
	uint64_t top = v / 10000000000000000ull, r = v - top * 10000000000000000ull, mid = r / 100000000u;
	q = whea_fixed8_at(whea_dec4_at(q, (uint32_t)top), (uint32_t)mid); /* top < 1845 */
	return whea_fixed8_at(q, (uint32_t)(r - mid * 100000000u));
}

/* v in decimal (no NUL); returns the number of digits. */
static inline unsigned whea_dec_inline(char *out, uint64_t v)
{
	if (v < 10) {
		out[0] = (char)('0' + v);
		return 1;
	}
	return (unsigned)((v < 10000 ? whea_dec4_at(out, (uint32_t)v) : whea_dec_big_at(out, v)) - out);
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
