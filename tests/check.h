/* tests/check.h — the test suite's assertion macros: each check prints file:line and the values
 * when it fails, and is counted; check_summary() prints "NAME: N passed, N failed". */
#ifndef WHEA_TESTS_CHECK_H
#define WHEA_TESTS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static unsigned check_passed, check_failed;

#define CHECK(cond, ...)                                                                          \
	do {                                                                                      \
		if (cond) {                                                                       \
			check_passed++;                                                           \
		} else {                                                                          \
			check_failed++;                                                           \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);           \
			fprintf(stderr, __VA_ARGS__);                                             \
			fputc('\n', stderr);                                                      \
		}                                                                                 \
	} while (0)

#define CHECK_EQ_U(a, b, what)                                                                    \
	do {                                                                                      \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                   \
		CHECK(a_ == b_, "%s: got %" PRIu64 ", expected %" PRIu64, what, a_, b_);          \
	} while (0)

static inline int check_summary(const char *name)
{
	printf("%s: %u passed, %u failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
