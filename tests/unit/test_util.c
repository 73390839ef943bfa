/* tests/unit/test_util.c — the freestanding number formatting of src/util (fmt.h) against the C
 * library's printf: decimal (the range-based writer every writer uses) and hex, at every power of
 * ten and its neighbours, every value below 2 * 10^6, and random 64-bit values. */
#include <stdlib.h>

#include "../check.h"
#include "../rng.h"
#include "util/fmt.h"

static unsigned bad_dec, bad_hex;

static void one(uint64_t v)
{
	char want[32], got[32];
	int n = snprintf(want, sizeof want, "%llu", (unsigned long long)v);
	unsigned k = whea_u64_dec(got, v);
	if (k != (unsigned)n || memcmp(got, want, k) || whea_u64_dec_len(v) != k) {
		if (bad_dec++ < 5)
			CHECK(0, "decimal of %llu: got \"%.*s\"", (unsigned long long)v, (int)k, got);
	}
	n = snprintf(want, sizeof want, "%llx", (unsigned long long)v);
	k = whea_u64_hex(got, v, 1);
	if (k != (unsigned)n || memcmp(got, want, k)) {
		if (bad_hex++ < 5)
			CHECK(0, "hex of %llx: got \"%.*s\"", (unsigned long long)v, (int)k, got);
	}
}

int main(void)
{
	unsigned long long count = 0;
	for (uint64_t v = 0; v < 2000000; v++, count++)
		one(v);
	for (uint64_t p = 1; p; p = p <= UINT64_MAX / 10 ? p * 10 : 0)
		for (int d = -2; d <= 2; d++, count++)
			one(p + (uint64_t)(int64_t)d);
	one(UINT64_MAX), one(UINT64_MAX - 1);
	uint64_t s = TEST_RNG_SEED;
	for (int i = 0; i < 2000000; i++, count++) {
		uint64_t r = test_rng(&s);
		one(r >> (r & 63)); /* every magnitude */
	}
	CHECK(bad_dec == 0, "%u decimal values differ from printf", bad_dec);
	CHECK(bad_hex == 0, "%u hex values differ from printf", bad_hex);
	CHECK(count > 4000000, "only %llu values checked", count);
	return check_summary("util");
}
