/* tests/store/test_crc.c — CRC-32C: every way this build and CPU can compute it (tables, one crc32
 * stream, three streams joined by carry-less multiplies) against a bit-at-a-time reference, over
 * all lengths 0..4096 at random offsets and starting values, a few long buffers (several rounds of
 * the 3-way loop) and split buffers (continuation). Usage: test_crc */
#include <stdlib.h>

#include "../check.h"
#include "store/crc32c.h"
#include "../rng.h"

#define MAXLEN 4096u
#define LONG_LEN 40000u

static uint64_t rng_state = TEST_RNG_SEED;
static uint64_t rng(void) { return test_rng(&rng_state); }

/* One bit at a time, straight from the definition. */
static uint32_t crc_ref(uint32_t crc, const uint8_t *p, size_t n)
{
	uint32_t c = ~crc;
	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
	}
	return ~c;
}

/* Every way (and the public entry) agrees with the reference on p[0..n) from crc; 1 if so. */
static int all_agree(uint32_t crc, const uint8_t *p, size_t n, uint32_t *got)
{
	uint32_t want = crc_ref(crc, p, n);
	int ok = whea_crc32c(crc, p, n) == want;
	for (int impl = 1; impl <= whea_crc32c_impls(); impl++)
		ok &= whea_crc32c_impl(impl, crc, p, n) == want;
	*got = want;
	return ok;
}

static void test_lengths(const uint8_t *buf)
{
	unsigned bad = 0, first_bad = 0;
	for (size_t n = 0; n <= MAXLEN; n++) {
		for (int round = 0; round < 3; round++) {
			size_t off = round == 0 ? 0 : (size_t)(rng() % 64);
			uint32_t crc = round == 2 ? (uint32_t)rng() : 0, got;
			if (!all_agree(crc, buf + off, n, &got) && !bad++)
				first_bad = (unsigned)n;
		}
	}
	CHECK(bad == 0, "%u of %u lengths disagree with the reference, the first at length %u", bad,
	      3 * (MAXLEN + 1), first_bad);
}

static void test_long(const uint8_t *buf)
{
	static const size_t lens[] = {6143, 6144, 6145, 6167, 12288, 18431, 20000, LONG_LEN};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		uint32_t got;
		size_t off = (size_t)(rng() % 64);
		CHECK(all_agree((uint32_t)rng(), buf + off, lens[i], &got), "length %zu at offset %zu", lens[i], off);
	}
}

static void test_split(const uint8_t *buf)
{
	unsigned bad = 0;
	for (int k = 0; k < 2000; k++) {
		size_t n = (size_t)(rng() % (3 * MAXLEN)), cut = n ? (size_t)(rng() % n) : 0;
		uint32_t whole = crc_ref(0, buf, n);
		for (int impl = 1; impl <= whea_crc32c_impls(); impl++)
			bad += whea_crc32c_impl(impl, whea_crc32c_impl(impl, 0, buf, cut), buf + cut, n - cut) != whole;
	}
	CHECK(bad == 0, "%u split buffers give another CRC than whole ones", bad);
}

int main(void)
{
	uint8_t *buf = malloc(LONG_LEN + 64);
	if (!buf)
		return 2;
	for (size_t i = 0; i < LONG_LEN + 64; i++)
		buf[i] = (uint8_t)rng();
	printf("CRC-32C ways on this CPU: %d of 3\n", whea_crc32c_impls());
	CHECK(whea_crc32c(0, "123456789", 9) == 0xE3069283u, "check value");
	for (int impl = 1; impl <= whea_crc32c_impls(); impl++)
		CHECK(whea_crc32c_impl(impl, 0, "123456789", 9) == 0xE3069283u, "check value, way %d", impl);
	test_lengths(buf);
	test_long(buf);
	test_split(buf);
	free(buf);
	return check_summary("crc32c");
}
