/* util/base64.c — RFC 4648 base64 encode and strict decode (see base64.h). */
#include "util/base64.h"
#include "util/once.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Both characters of every 12-bit group, built once on first use (the thread that claims the
 * build fills it; others encode character by character until it is published). */
static char pairs[4096][2];
static atomic_int pairs_state; /* whea_once */

static bool pairs_build(void)
{
	for (unsigned v = 0; v < 4096; v++)
		pairs[v][0] = alphabet[v >> 6], pairs[v][1] = alphabet[v & 63];
	return true;
}

static bool pairs_ready(void) { return whea_once(&pairs_state, pairs_build); }

#if defined(__x86_64__) && defined(__GNUC__) && __STDC_HOSTED__ && !defined(WHEA_B64_PORTABLE)
/* Hosted x86-64 builds only: the run-time CPU check needs the C runtime's CPU model. */
#include <tmmintrin.h>
#define B64_SSSE3 1

/* Twelve bytes to sixteen characters per step with SSSE3 (byte shuffles): the three bytes of each
 * group are spread over a 32-bit lane, two multiplies move the four 6-bit values into the lane's
 * four bytes, and a 16-entry shuffle table gives each value's offset to its character (ranges
 * A-Z, a-z, 0-9 and the two singles). Reads 16 bytes per step; returns the input bytes consumed
 * (a multiple of 12); out gets 16 characters per 12. */
__attribute__((target("ssse3"))) static size_t encode_ssse3(char *out, const uint8_t *p, size_t n)
{
	const __m128i spread = _mm_set_epi8(10, 11, 9, 10, 7, 8, 6, 7, 4, 5, 3, 4, 1, 2, 0, 1);
	const __m128i offsets = _mm_setr_epi8('a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
					      '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
	size_t i = 0;
	for (; i + 16 <= n; i += 12, out += 16) {
		__m128i in = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), spread);
		/* lane bytes b1 b0 b2 b1: values 0 and 2 by a high multiply, 1 and 3 by a low one */
		__m128i hi = _mm_mulhi_epu16(_mm_and_si128(in, _mm_set1_epi32(0x0fc0fc00)), _mm_set1_epi32(0x04000040));
		__m128i lo = _mm_mullo_epi16(_mm_and_si128(in, _mm_set1_epi32(0x003f03f0)), _mm_set1_epi32(0x01000010));
		__m128i v = _mm_or_si128(hi, lo);
		/* table index: 13 for 0-25 (A-Z), 0 for 26-51 (a-z), 1-12 for 52-63 (digits, '+', '/') */
		__m128i idx = _mm_subs_epu8(v, _mm_set1_epi8(51));
		__m128i upper = _mm_cmpgt_epi8(_mm_set1_epi8(26), v);
		idx = _mm_or_si128(idx, _mm_and_si128(upper, _mm_set1_epi8(13)));
		__m128i chars = _mm_add_epi8(_mm_shuffle_epi8(offsets, idx), v);
		_mm_storeu_si128((__m128i *)(void *)out, chars);
	}
	return i;
}
#endif

#ifdef B64_SSSE3
/* Whether the CPU has SSSE3 (__builtin_cpu_init first: right also when called before libgcc's
 * constructor has run, e.g. from another constructor; afterwards it returns at once). */
static bool have_ssse3(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("ssse3");
}
#endif

void whea_b64_encode(char *out, const uint8_t *p, size_t n)
{
	size_t i = 0;
#ifdef B64_SSSE3
	if (n >= 16 && have_ssse3()) {
		i = encode_ssse3(out, p, n);
		out += i / 12 * 16;
	}
#endif
	if (n - i >= 3 && pairs_ready()) {
#if defined(__GNUC__)
		/* six bytes per step: read eight as a big-endian word, four 12-bit groups of its top 48 bits */
		for (; i + 8 <= n; i += 6, out += 8) {
			uint64_t x;
			memcpy(&x, p + i, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			x = __builtin_bswap64(x);
#endif
			memcpy(out, pairs[x >> 52], 2);
			memcpy(out + 2, pairs[(x >> 40) & 0xfff], 2);
			memcpy(out + 4, pairs[(x >> 28) & 0xfff], 2);
			memcpy(out + 6, pairs[(x >> 16) & 0xfff], 2);
		}
#endif
		for (; i + 3 <= n; i += 3, out += 4) {
			uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
			memcpy(out, pairs[v >> 12], 2);
			memcpy(out + 2, pairs[v & 0xfff], 2);
		}
	}
	for (; i + 3 <= n; i += 3, out += 4) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		out[0] = alphabet[v >> 18], out[1] = alphabet[(v >> 12) & 63];
		out[2] = alphabet[(v >> 6) & 63], out[3] = alphabet[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		out[0] = alphabet[v >> 18], out[1] = alphabet[(v >> 12) & 63], out[2] = '=', out[3] = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		out[0] = alphabet[v >> 18], out[1] = alphabet[(v >> 12) & 63], out[2] = alphabet[(v >> 6) & 63], out[3] = '=';
	}
}

long whea_b64_decode(uint8_t *out, size_t cap, const char *s, size_t len)
{
	if (len % 4)
		return -1;
	size_t pad = len && s[len - 1] == '=' ? (len > 1 && s[len - 2] == '=' ? 2 : 1) : 0;
	size_t n = len / 4 * 3 - pad;
	if (n > cap)
		return -2;
	size_t o = 0;
	for (size_t i = 0; i < len; i += 4) {
		int q[4];
		for (int k = 0; k < 4; k++) {
			q[k] = whea_b64_val((unsigned char)s[i + k]);
			if (q[k] < 0 && !(s[i + k] == '=' && i + 4 == len && k >= 4 - (int)pad))
				return -1;
			if (q[k] < 0)
				q[k] = 0;
		}
		uint32_t v = (uint32_t)q[0] << 18 | (uint32_t)q[1] << 12 | (uint32_t)q[2] << 6 | (uint32_t)q[3];
		uint8_t b[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
		for (int k = 0; k < 3 && o < n; k++)
			out[o++] = b[k];
		/* Reject non-canonical padding bits. */
		if (i + 4 == len && pad && (v & (pad == 1 ? 0xff : 0xffff)))
			return -1;
	}
	return (long)n;
}
