/* tests/rng.h — the one pseudo-random generator of the tests, fuzz helpers and benchmarks:
 * xorshift64 (Marsaglia), deterministic for a given seed so that every failure can be replayed. */
#ifndef WHEA_TESTS_RNG_H
#define WHEA_TESTS_RNG_H

#include <stdint.h>

/* The seed most tests start from (any non-zero value works). */
#define TEST_RNG_SEED 0x9E3779B97F4A7C15ull

/* Advances *s and returns the new state (never 0 for a non-zero seed). */
static inline uint64_t test_rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#endif
