/* util/once.h — a table built once, on first use, by the thread that claims the build; other
 * threads do not wait for it but take their slower path until it is published. Freestanding. */
#ifndef WHEA_UTIL_ONCE_H
#define WHEA_UTIL_ONCE_H

#include <stdatomic.h>
#include <stdbool.h>

/* States of a whea_once table (a zero-initialised atomic_int starts as WHEA_ONCE_NEW). */
enum { WHEA_ONCE_NEW = 0, WHEA_ONCE_BUILDING, WHEA_ONCE_READY, WHEA_ONCE_FAILED };

/* Whether the table behind state is ready to use: the first caller runs build, which fills it
 * and returns whether it succeeded (a failed table stays unused for good). */
static inline bool whea_once(atomic_int *state, bool (*build)(void))
{
	int st = atomic_load_explicit(state, memory_order_acquire);
	if (st == WHEA_ONCE_NEW) {
		int expect = WHEA_ONCE_NEW;
		if (atomic_compare_exchange_strong(state, &expect, WHEA_ONCE_BUILDING))
			atomic_store_explicit(state, build() ? WHEA_ONCE_READY : WHEA_ONCE_FAILED, memory_order_release);
		st = atomic_load_explicit(state, memory_order_acquire);
	}
	return st == WHEA_ONCE_READY;
}

#endif
