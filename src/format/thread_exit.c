/* format/thread_exit.c — one thread-specific key whose destructor runs, in each exiting thread that
 * set it, every module's cleanup (see thread_exit.h). */
#include "format/thread_exit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#define WHEA_THREAD_EXIT_MAX 4

static _Atomic(whea_thread_exit_fn) fns[WHEA_THREAD_EXIT_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static bool key_made;

static void run_all(void *unused)
{
	(void)unused;
	for (size_t i = 0; i < WHEA_THREAD_EXIT_MAX; i++) {
		whea_thread_exit_fn fn = atomic_load_explicit(&fns[i], memory_order_acquire);
		if (fn)
			fn();
	}
}

static void make_key(void) { key_made = pthread_key_create(&key, run_all) == 0; }

void whea_thread_exit_register(whea_thread_exit_fn fn)
{
	pthread_once(&once, make_key);
	for (size_t i = 0; i < WHEA_THREAD_EXIT_MAX; i++) {
		whea_thread_exit_fn seen = NULL;
		if (atomic_compare_exchange_strong(&fns[i], &seen, fn) || seen == fn)
			break;
	}
	if (key_made && !pthread_getspecific(key))
		pthread_setspecific(key, &key_made); /* any non-NULL value makes the destructor run */
}
