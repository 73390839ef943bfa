/* store/crc32c.c — CRC-32C (Castagnoli, reflected polynomial 0x82F63B78). Three ways, chosen once
 * by what the CPU has:
 *   - SSE4.2 + PCLMULQDQ: three independent crc32 streams over thirds of the buffer (the crc32
 *     instruction has a latency of about three cycles but issues every cycle, so one stream is
 *     latency-bound), joined by shifting the first two with a carry-less multiply by x^(8L-33)
 *     mod P, reduced by one more crc32; the constants for every stream length come from a table
 *     built once;
 *   - SSE4.2 only: one crc32 stream;
 *   - otherwise: slicing-by-8 tables built once.
 * The GF(2) arithmetic below (crc_mulmod, crc_xpow) works in the reflected bit order: bit 31 of a
 * word is the coefficient of x^0. */
#include "store/crc32c.h"

#include <pthread.h>
#include <string.h>

#define POLY 0x82F63B78u
#define STRIPE_MAX 2048u /* bytes per stream per round of the 3-way loop */
#define THREE_WAY_MIN 96u /* shorter buffers take the single stream: the join would not pay */

static uint32_t table[8][256];
/* kshift[i] = x^(64 i - 33) mod P: joins a stream's state across 8 i bytes that follow it. */
static uint32_t kshift[2 * STRIPE_MAX / 8 + 1];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* a * b mod P. */
static uint32_t crc_mulmod(uint32_t a, uint32_t b)
{
	uint32_t p = 0;
	for (uint32_t m = 1u << 31; m; m >>= 1) {
		if (a & m)
			p ^= b;
		b = (b >> 1) ^ (POLY & (0u - (b & 1)));
	}
	return p;
}

/* x^n mod P. */
static uint32_t crc_xpow(uint64_t n)
{
	uint32_t r = 1u << 31, sq = 1u << 30; /* x^0, x^1 */
	for (; n; n >>= 1) {
		if (n & 1)
			r = crc_mulmod(r, sq);
		sq = crc_mulmod(sq, sq);
	}
	return r;
}

static void table_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (POLY & (0u - (c & 1)));
		table[0][i] = c;
	}
	for (unsigned i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
	uint32_t x64 = crc_xpow(64);
	kshift[1] = crc_xpow(64 - 33);
	for (size_t i = 2; i < sizeof kshift / sizeof kshift[0]; i++)
		kshift[i] = crc_mulmod(kshift[i - 1], x64);
}

static uint32_t crc_soft(uint32_t c, const uint8_t *p, size_t n)
{
	while (n >= 8) {
		uint32_t lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		c = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^
		    table[4][lo >> 24] ^ table[3][p[4]] ^ table[2][p[5]] ^ table[1][p[6]] ^ table[0][p[7]];
		p += 8;
		n -= 8;
	}
	while (n--)
		c = (c >> 8) ^ table[0][(c ^ *p++) & 0xff];
	return c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_HW 1
#include <immintrin.h>

__attribute__((target("sse4.2"))) static uint32_t crc_hw(uint32_t c, const uint8_t *p, size_t n)
{
	uint64_t c64 = c;
	while (n >= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		c64 = _mm_crc32_u64(c64, v);
		p += 8;
		n -= 8;
	}
	c = (uint32_t)c64;
	while (n--)
		c = _mm_crc32_u8(c, *p++);
	return c;
}

/* A stream's state carried over the 8 i bytes that follow it: state * x^(64 i) mod P. */
__attribute__((target("sse4.2,pclmul"))) static uint64_t crc_hw_shift(uint32_t state, size_t i)
{
	__m128i m = _mm_clmulepi64_si128(_mm_cvtsi32_si128((int)state), _mm_cvtsi32_si128((int)kshift[i]), 0);
	return _mm_crc32_u64(0, (uint64_t)_mm_cvtsi128_si64(m));
}

__attribute__((target("sse4.2,pclmul"))) static uint32_t crc_hw3(uint32_t c, const uint8_t *p, size_t n)
{
	while (n >= THREE_WAY_MIN) {
		size_t words = n / 24 < STRIPE_MAX / 8 ? n / 24 : STRIPE_MAX / 8, len = words * 8;
		uint64_t a = c, b = 0, d = 0;
		const uint8_t *pb = p + len, *pd = p + 2 * len;
		for (size_t k = 0; k < len; k += 8) {
			uint64_t va, vb, vd;
			memcpy(&va, p + k, 8);
			memcpy(&vb, pb + k, 8);
			memcpy(&vd, pd + k, 8);
			a = _mm_crc32_u64(a, va);
			b = _mm_crc32_u64(b, vb);
			d = _mm_crc32_u64(d, vd);
		}
		c = (uint32_t)(crc_hw_shift((uint32_t)a, 2 * words) ^ crc_hw_shift((uint32_t)b, words) ^ d);
		p += 3 * len;
		n -= 3 * len;
	}
	return crc_hw(c, p, n);
}
#endif

enum { IMPL_UNKNOWN, IMPL_SOFT, IMPL_HW, IMPL_HW3 };

static int impl_detect(void)
{
	pthread_once(&table_once, table_init);
#ifdef HAVE_HW
	if (__builtin_cpu_supports("sse4.2"))
		return __builtin_cpu_supports("pclmul") ? IMPL_HW3 : IMPL_HW;
#endif
	return IMPL_SOFT;
}

static uint32_t crc_with(int impl, uint32_t c, const uint8_t *p, size_t n)
{
#ifdef HAVE_HW
	if (impl == IMPL_HW3)
		return crc_hw3(c, p, n);
	if (impl == IMPL_HW)
		return crc_hw(c, p, n);
#endif
	(void)impl;
	return crc_soft(c, p, n);
}

uint32_t whea_crc32c(uint32_t crc, const void *data, size_t n)
{
	static int impl_state;
	int impl = __atomic_load_n(&impl_state, __ATOMIC_ACQUIRE);
	if (impl == IMPL_UNKNOWN) {
		impl = impl_detect();
		__atomic_store_n(&impl_state, impl, __ATOMIC_RELEASE);
	}
	return ~crc_with(impl, ~crc, data, n);
}

/* Each way this build and CPU can run, for the tests. */
int whea_crc32c_impls(void)
{
	int best = impl_detect();
	return best == IMPL_HW3 ? 3 : best == IMPL_HW ? 2 : 1;
}

uint32_t whea_crc32c_impl(int impl, uint32_t crc, const void *data, size_t n)
{
	static const int map[] = {IMPL_SOFT, IMPL_SOFT, IMPL_HW, IMPL_HW3};
	pthread_once(&table_once, table_init);
	if (impl < 1 || impl > whea_crc32c_impls())
		impl = 1;
	return ~crc_with(map[impl], ~crc, data, n);
}
