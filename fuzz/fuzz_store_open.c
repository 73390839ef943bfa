/* fuzz/fuzz_store_open.c — opens a file store whose store.log holds the fuzz input. Whatever the
 * bytes, opening either fails cleanly and leaves the file untouched, or succeeds having at most cut
 * a torn tail; then the next-id chain visits exactly `count` records, each valid CPER carrying the
 * id it is stored under; verify runs; a new record can be written, and after reopening it is there
 * with everything that was there before. Uses a directory in /dev/shm (or TMPDIR) per process. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "whea/record.h"
#include "whea/store.h"
#include "../tests/store/testrec.h"

#define STORE_FUZZ_NAME "fuzz_store_open"
#include "store_fuzz.h"

static char logp[300];

static void cleanup(void)
{
	char p[320];
	const char *names[] = {"store.log", "store.lock", "store.log.tmp"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void setup(void)
{
	if (dir[0])
		return;
	make_dir(cleanup);
	snprintf(logp, sizeof logp, "%s/store.log", dir);
}

static size_t file_bytes(uint8_t *out, size_t cap)
{
	int fd = open(logp, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, out, cap);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t after[1 << 20];
	if (size > sizeof after)
		return 0;
	setup();
	int fd = open(logp, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);

	whea_store *s = NULL;
	int r = whea_store_open(&s, dir, NULL);
	size_t n = file_bytes(after, sizeof after);
	if (r) {
		if (r != WHEA_EFORMAT && r != WHEA_ENOMEM)
			fail("unexpected error code from open");
		if (!whea_error_last()->message[0])
			fail("open failed without a message");
		if (n != size || memcmp(after, data, size))
			fail("a failed open changed store.log");
		return 0;
	}
	if (n > size || memcmp(after, data, n))
		fail("open changed store.log other than cutting its tail");
	uint64_t count = check_store(s, true);

	/* A new record goes in and survives reopening. */
	const uint64_t new_id = 0x0123456789abcdefull;
	uint8_t rec[512];
	size_t rec_len = testrec_make(rec, sizeof rec, new_id, 40, WHEA_SEV_FATAL);
	if (!rec_len)
		abort();
	uint64_t next;
	uint32_t len = sizeof scratch;
	int existed = whea_store_read(s, 0, new_id, &next, &len, scratch) == 0;
	if (whea_store_write(s, 0, (uint32_t)rec_len, rec))
		fail("write into an opened store");
	whea_store_close(s);
	if (whea_store_open(&s, dir, NULL))
		fail("reopen");
	if (check_store(s, false) != count + !existed)
		fail("the record count changed across reopen");
	len = sizeof scratch;
	if (whea_store_read(s, 0, new_id, &next, &len, scratch) || len != rec_len ||
	    memcmp(scratch, rec, len))
		fail("the new record did not survive reopening");
	whea_store_close(s);
	return 0;
}
