/* util/fmt.h — freestanding string formatting: a printf subset (%s %.*s %d %u %ld %lu %lld %llu
 * %x %lx %llx %zu %zx %c %%, with width (also *) and zero-pad) and small helpers, so src/cper and the writers
 * need no stdio. */
#ifndef WHEA_UTIL_FMT_H
#define WHEA_UTIL_FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
 * (tests/unit/test_util.c checks them against printf, and every 8-digit block exhaustively). Each
 * stores at q and returns the end; 20 bytes of room cover any value. */

/* Two digits of v (< 100). */
static inline char *whea_pair_at(char *q, unsigned v)
{
	memcpy(q, whea_digits2 + 2 * v, 2);
	return q + 2;
}

/* v (1..99) without a leading zero: a single digit is the second half of its pair (the byte
 * after it is overwritten). */
static inline char *whea_lead_at(char *q, unsigned v)
{
	unsigned one = v < 10;
	memcpy(q, whea_digits2 + 2 * v + one, 2);
	return q + 2 - one;
}

/* Digit pairs by multiplication instead of division: t = x * WHEA_DEC_M(n) is x / 10^(2n) in
 * fixed point with WHEA_DEC_FRAC fraction bits, so its integer part is the leading pair and each
 * next pair is the integer part of the fraction times 100. Rounding the scale up makes the error
 * x * (M - 2^47 / 10^(2n)) / 2^47 at most x / 2^47, below 10^-2n for every x < 10^(2n+2) when
 * n <= 3 (10^8 < 2^47 / 10^6): so each fraction stays in the interval of the exact digits that
 * follow, and every pair is exact. t and each fraction times 100 stay below 100 * 2^47 < 2^54. */
#define WHEA_DEC_FRAC 47
#define WHEA_DEC_MASK ((1ull << WHEA_DEC_FRAC) - 1)
#define WHEA_DEC_M(n) ((1ull << WHEA_DEC_FRAC) / ((n) == 1 ? 100ull : (n) == 2 ? 10000ull : 1000000ull) + 1)

/* The pair after the one t stands for; t moves on to it. */
static inline char *whea_next_pair_at(char *q, uint64_t *t)
{
	*t = (*t & WHEA_DEC_MASK) * 100;
	return whea_pair_at(q, (unsigned)(*t >> WHEA_DEC_FRAC));
}

/* The n (1..3, a constant: no loop) pairs after the leading one of t (see WHEA_DEC_FRAC). */
static inline char *whea_pairs_at(char *q, uint64_t t, unsigned n)
{
	q = whea_next_pair_at(q, &t);
	if (n >= 2)
		q = whea_next_pair_at(q, &t);
	if (n >= 3)
		q = whea_next_pair_at(q, &t);
	return q;
}

/* x (< 10^(2n+2), at least 10^(2n)) without leading zeros: the leading 1 or 2 digits, then n pairs. */
static inline char *whea_decn_at(char *q, uint32_t x, unsigned n)
{
	uint64_t t = x * WHEA_DEC_M(n);
	return whea_pairs_at(whea_lead_at(q, (unsigned)(t >> WHEA_DEC_FRAC)), t, n);
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
	unsigned a = x / 100;
	return whea_pair_at(whea_lead_at(q, a), x - 100 * a);
}

/* x (< 10^4) in exactly 4 digits; x (< 10^8) in exactly 8. */
static inline char *whea_fixed4_at(char *q, uint32_t x) { return whea_pair_at(whea_pair_at(q, x / 100), x % 100); }
static inline char *whea_fixed8_at(char *q, uint32_t x)
{
	uint64_t t = x * WHEA_DEC_M(3);
	return whea_pairs_at(whea_pair_at(q, (unsigned)(t >> WHEA_DEC_FRAC)), t, 3);
}

/* x (< 10^8) without leading zeros. */
static inline char *whea_dec8_at(char *q, uint32_t x)
{
	if (x < 10000)
		return whea_dec4_at(q, x);
	return x < 1000000 ? whea_decn_at(q, x, 2) : whea_decn_at(q, x, 3);
}

/* hi * 10^8 + lo (hi, lo < 10^8) in exactly 16 digits. */
#if defined(__SSE2__)
/* SSE2 (every x86-64): both 8-digit halves at once, split in lanes as the scalar code would split
 * them one by one: into 4-digit halves (64-bit lanes), into pairs (32-bit lanes), into digits
 * (16-bit lanes), each quotient by a multiplication and a shift that are exact in its range
 * (x / 10^4 = x * 0xd1b71759 >> 45 for x < 10^8; x / 100 = x * 5243 >> 19 for x < 10^4; x / 10 =
 * x * 6554 >> 16 for x < 100), each remainder put in the upper half of its lane, so that the
 * digits end up in the bytes in printing order (little-endian). */
static inline char *whea_fixed16_at(char *q, uint32_t hi, uint32_t lo)
{
	__m128i k100 = _mm_set1_epi16(100), k10 = _mm_set1_epi16(10);
#if defined(__GNUC__)
	/* one multiplication each, not the compiler's longer shift-and-add sequences */
	__asm__("" : "+x"(k100), "+x"(k10));
#endif
	__m128i x = _mm_set_epi64x((long long)lo, (long long)hi);
	__m128i a = _mm_srli_epi64(_mm_mul_epu32(x, _mm_set1_epi32((int)0xd1b71759u)), 45);
	__m128i b = _mm_sub_epi32(x, _mm_mul_epu32(a, _mm_set1_epi32(10000)));
	__m128i y = _mm_or_si128(a, _mm_slli_epi64(b, 32));
	__m128i c = _mm_srli_epi16(_mm_mulhi_epu16(y, _mm_set1_epi16(5243)), 3);
	__m128i d = _mm_sub_epi16(y, _mm_mullo_epi16(c, k100));
	__m128i z = _mm_or_si128(c, _mm_slli_epi32(d, 16));
	__m128i e = _mm_mulhi_epu16(z, _mm_set1_epi16(6554));
	__m128i f = _mm_sub_epi16(z, _mm_mullo_epi16(e, k10));
	__m128i g = _mm_or_si128(e, _mm_slli_epi16(f, 8));
	_mm_storeu_si128((__m128i *)(void *)q, _mm_add_epi8(g, _mm_set1_epi8('0')));
	return q + 16;
}
#else
static inline char *whea_fixed16_at(char *q, uint32_t hi, uint32_t lo)
{
	return whea_fixed8_at(whea_fixed8_at(q, hi), lo);
}
#endif

/* v (any, best for >= 10^4). Writers that inline the small cases call this out of line. */
static inline char *whea_dec_big_at(char *q, uint64_t v)
{
	if (v < 100000000u)
		return whea_dec8_at(q, (uint32_t)v);
	if (v < 10000000000000000ull) {
		uint64_t hi = v / 100000000u;
		return whea_fixed8_at(whea_dec8_at(q, (uint32_t)hi), (uint32_t)(v - hi * 100000000u));
	}
	uint64_t top = v / 10000000000000000ull, r = v - top * 10000000000000000ull, mid = r / 100000000u;
	return whea_fixed16_at(whea_dec4_at(q, (uint32_t)top), (uint32_t)mid, (uint32_t)(r - mid * 100000000u)); /* top < 1845 */
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
