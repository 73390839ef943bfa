/* tests/unit/test_util.c — the freestanding number formatting of src/util (fmt.h) against the C
 * library's printf: decimal (the range-based writer every writer uses) and hex, at every power of
 * ten and its neighbours, every value below 2 * 10^6, and random 64-bit values; and every 8-digit
 * block the decimal writer is made of. */
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

/* Every 8-digit block (the multiply-shift digit pairs of fmt.h are exact below 10^8, an argument
 * this checks exhaustively): whea_fixed8_at and whea_dec8_at for every x < 10^8 against digits
 * counted up like an odometer, and whea_fixed16_at for the pairs of blocks at their edges. */
static void blocks(void)
{
	char want[8] = "00000000", got[24];
	unsigned bad = 0, lead = 7; /* want[lead..8) is x without leading zeros */
	for (uint32_t x = 0; x < 100000000; x++) {
		if (memcmp(whea_fixed8_at(got, x) - 8, want, 8) || whea_dec8_at(got, x) - got != 8 - (int)lead ||
		    memcmp(got, want + lead, 8 - lead)) {
			if (bad++ < 5)
				CHECK(0, "8-digit block %u: got \"%.8s\"", (unsigned)x, got);
		}
		int i = 7;
		while (i >= 0 && want[i] == '9')
			want[i--] = '0';
		if (i >= 0 && ++want[i] && (unsigned)i < lead)
			lead = (unsigned)i;
	}
	CHECK(bad == 0, "%u 8-digit blocks differ", bad);
	static const uint32_t edge[] = {0, 1, 9, 10, 99999999, 99999998, 10000000, 12345678, 87654321, 50000000};
	for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
		for (size_t j = 0; j < sizeof edge / sizeof edge[0]; j++) {
			char w[24];
			snprintf(w, sizeof w, "%08u%08u", (unsigned)edge[i], (unsigned)edge[j]);
			CHECK(whea_fixed16_at(got, edge[i], edge[j]) == got + 16 && !memcmp(got, w, 16),
			      "16 digits of %u, %u: got \"%.16s\"", (unsigned)edge[i], (unsigned)edge[j], got);
		}
}

int main(void)
{
	blocks();
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
