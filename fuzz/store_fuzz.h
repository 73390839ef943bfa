/* fuzz/store_fuzz.h — what the store fuzz targets share: a scratch record buffer, a per-process
 * directory in /dev/shm (or TMPDIR), and the walk of the next-id chain that aborts on any
 * inconsistency. Included once by each target; STORE_FUZZ_NAME names the target in messages and
 * in the directory name. */
#ifndef WHEA_FUZZ_STORE_FUZZ_H
#define WHEA_FUZZ_STORE_FUZZ_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "whea/record.h"
#include "whea/store.h"

static char dir[256];
static uint8_t scratch[WHEA_STORE_MAX_RECORD];

static void fail(const char *what)
{
	fprintf(stderr, STORE_FUZZ_NAME ": %s (%s)\n", what, whea_error_last()->message);
	abort();
}

/* Makes the directory once per process; cleanup runs at exit. */
static void make_dir(void (*cleanup)(void))
{
	atexit(cleanup);
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(dir, sizeof dir, "%s/whea-" STORE_FUZZ_NAME "-%d", base, (int)getpid());
	mkdir(dir, 0755);
}

/* Walks the chain; returns the number of records, aborting on any inconsistency. */
static uint64_t walk(whea_store *s, uint64_t expect)
{
	uint64_t id = 0, next, n = 0;
	for (;;) {
		uint32_t len = sizeof scratch;
		int r = whea_store_read(s, 0, id, &next, &len, scratch);
		if (r == WHEA_EEMPTY && n == 0)
			break;
		if (r)
			fail("a record in the chain cannot be read");
		whea_record rec;
		if (whea_record_parse(&rec, scratch, len, 0, NULL, NULL) || rec.record_length != len)
			fail("the store returned a record that is not valid CPER");
		uint64_t got = whea_record_id(&rec);
		if (id && got != id)
			fail("read returned a record with another id");
		if (++n > expect)
			fail("the chain is longer than the record count");
		if (next == got)
			break;
		id = next;
	}
	if (n != expect)
		fail("the chain is shorter than the record count");
	return n;
}

/* Checks an opened store: its count, the chain (walk) and, with verify, whea_store_verify; returns
 * the count. */
static uint64_t check_store(whea_store *s, bool verify)
{
	whea_store_stat st;
	if (whea_store_stat_get(s, &st))
		fail("stat");
	walk(s, st.count);
	if (verify && whea_store_verify(s, NULL, NULL) < 0)
		fail("verify");
	return st.count;
}

#endif
