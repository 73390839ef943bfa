/* tests/store/test_store.c — the store's semantics on every built-in backend that keeps state in
 * one process (mem, file): dummy write, write/read/clear, the next-id chain, buffer too small, not
 * found vs empty, replacing an id, batches, iteration while clearing, capacity; and the file
 * backend's own promises: persistence across reopen, several handles on one store, torn tails cut,
 * damaged frames skipped and reported, garbage refused and left untouched, compaction, status
 * mapping. Usage: test_store [TMPDIR] */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../check.h"
#include "testrec.h"
#include "store/crc32c.h"
#include "whea/record.h"
#include "whea/store.h"

static char tmproot[256];

/* A valid record with `body` section bytes and id `id`. */
static size_t make_record(uint8_t *buf, size_t cap, uint64_t id, uint32_t body, uint32_t sev)
{
	return testrec_make(buf, cap, id, body, sev);
}

static whea_store *open_store(const char *backend, const char *dir, uint64_t capacity, uint32_t flags)
{
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .backend = backend,
			     .capacity = capacity, .flags = flags};
	whea_store *s = NULL;
	int r = whea_store_open(&s, dir, &o);
	CHECK(r == 0, "open %s %s: %s", backend, dir ? dir : "", whea_error_last()->message);
	return s;
}

static int write_id(whea_store *s, uint64_t id, uint32_t body)
{
	uint8_t buf[8192];
	size_t n = make_record(buf, sizeof buf, id, body, WHEA_SEV_FATAL);
	return whea_store_write(s, 0, (uint32_t)n, buf);
}

/* The record with id reads back exactly as make_record made it. */
static int reads_back(whea_store *s, uint64_t id, uint32_t body)
{
	uint8_t want[8192], got[8192];
	size_t n = make_record(want, sizeof want, id, body, WHEA_SEV_FATAL);
	uint64_t next = 0;
	uint32_t len = sizeof got;
	int r = whea_store_read(s, 0, id, &next, &len, got);
	return r == 0 && len == n && !memcmp(want, got, n);
}

/* Walks the next-id chain from 0; returns the number of records, -1 on a repeat or an error. */
static long walk_chain(whea_store *s, uint64_t *ids, size_t max)
{
	uint64_t id = 0, next;
	long n = 0;
	uint8_t buf[8192];
	for (;;) {
		uint32_t len = sizeof buf;
		int r = whea_store_read(s, 0, id, &next, &len, buf);
		if (r == WHEA_EEMPTY && n == 0)
			return 0;
		if (r)
			return -1;
		uint64_t got;
		memcpy(&got, buf + 96, 8);
		for (long i = 0; i < n; i++)
			if (ids[i] == got)
				return -1;
		if ((size_t)n < max)
			ids[n] = got;
		n++;
		if (next == got)
			return n;
		id = next;
	}
}

static void test_semantics(const char *backend, const char *dir)
{
	whea_store *s = open_store(backend, dir, 0, 0);
	if (!s)
		return;
	uint8_t buf[8192];
	uint64_t next = 12345;
	uint32_t len = sizeof buf;

	CHECK(whea_store_read(s, 0, 0, &next, &len, buf) == WHEA_EEMPTY, "%s: empty store read(0)", backend);
	CHECK(whea_store_read(s, 0, 77, &next, &len, buf) == WHEA_EEMPTY, "%s: empty store read(77)", backend);
	CHECK(whea_store_status_ntstatus(WHEA_EEMPTY) == 0xC0000034u, "empty maps to object not found");

	/* Dummy write: success, nothing stored, even with a garbage record. */
	CHECK(whea_store_write(s, WHEA_STORE_WRITE_DUMMY, 3, "abc") == 0, "%s: dummy write", backend);
	whea_store_stat st;
	CHECK(whea_store_stat_get(s, &st) == 0 && st.count == 0, "%s: dummy stored nothing (%llu)", backend,
	      (unsigned long long)st.count);
	CHECK(whea_store_write(s, 0x80, 3, "abc") == WHEA_EINVAL, "%s: unknown flag refused", backend);

	/* Invalid records are refused with a reason. */
	memset(buf, 0x5a, 512);
	CHECK(whea_store_write(s, 0, 512, buf) == WHEA_EINVAL, "%s: garbage refused", backend);
	/* the parser's reason is quoted whole after the store's own words */
	CHECK(strstr(whea_error_last()->message, "is not a valid CPER record: signature is not \"CPER\"") != NULL,
	      "%s: message: %s", backend, whea_error_last()->message);
	size_t n0 = make_record(buf, sizeof buf, 0, 16, WHEA_SEV_FATAL);
	CHECK(whea_store_write(s, 0, (uint32_t)n0, buf) == WHEA_EINVAL, "%s: id 0 refused", backend);
	CHECK(strstr(whea_error_last()->message, "record id") != NULL, "message: %s", whea_error_last()->message);
	size_t nm = make_record(buf, sizeof buf, ~0ull, 16, WHEA_SEV_FATAL);
	CHECK(whea_store_write(s, 0, (uint32_t)nm, buf) == WHEA_EINVAL, "%s: id all-ones refused", backend);
	size_t n5 = make_record(buf, sizeof buf, 5, 16, WHEA_SEV_FATAL);
	CHECK(whea_store_write(s, 0, (uint32_t)n5 - 1, buf) == WHEA_EINVAL, "%s: length mismatch refused", backend);

	/* Write three, read them along the chain. */
	uint64_t ids[] = {0x1000000000000001ull, 0x2, 0xFFFFFFFFFFFFFFFEull};
	uint32_t bodies[] = {100, 3000, 1};
	for (int i = 0; i < 3; i++)
		CHECK(write_id(s, ids[i], bodies[i]) == 0, "%s: write %d: %s", backend, i, whea_error_last()->message);
	for (int i = 0; i < 3; i++)
		CHECK(reads_back(s, ids[i], bodies[i]), "%s: read back %d", backend, i);
	uint64_t seen[16];
	CHECK(walk_chain(s, seen, 16) == 3, "%s: chain visits 3", backend);
	CHECK(seen[0] == ids[0] && seen[1] == ids[1] && seen[2] == ids[2], "%s: chain in write order", backend);

	/* Read of the last record: next_id is its own id. */
	len = sizeof buf;
	CHECK(whea_store_read(s, 0, ids[2], &next, &len, buf) == 0 && next == ids[2], "%s: last -> itself", backend);
	/* id 0 reads the first. */
	len = sizeof buf;
	CHECK(whea_store_read(s, 0, 0, &next, &len, buf) == 0 && next == ids[1], "%s: read(0) -> first", backend);

	/* Buffer too small: the needed length, nothing else changed. */
	size_t need = make_record(buf, sizeof buf, ids[1], bodies[1], WHEA_SEV_FATAL);
	len = 10;
	next = 999;
	CHECK(whea_store_read(s, 0, ids[1], &next, &len, buf) == WHEA_ENOSPACE, "%s: too small", backend);
	CHECK(len == need && next == 999, "%s: length %u (want %zu), next untouched", backend, len, need);
	CHECK(whea_store_status_ntstatus(WHEA_ENOSPACE) == 0xC0000023u, "buffer too small maps");
	len = 0;
	CHECK(whea_store_read(s, 0, ids[1], &next, &len, NULL) == WHEA_ENOSPACE && len == need,
	      "%s: size query with a NULL buffer", backend);

	/* Not found. */
	len = sizeof buf;
	CHECK(whea_store_read(s, 0, 0x77, &next, &len, buf) == WHEA_ENOTFOUND, "%s: not found", backend);
	CHECK(whea_store_clear(s, 0, 0x77) == WHEA_ENOTFOUND, "%s: clear not found", backend);
	CHECK(whea_store_status_erst(WHEA_ENOTFOUND) == 5 && whea_store_status_erst(WHEA_EEMPTY) == 4 &&
	      whea_store_status_erst(WHEA_EFULL) == 1 && whea_store_status_erst(WHEA_ENOHW) == 2,
	      "ERST status mapping");

	/* Replace id 2: same id, new content; it moves to the end of the chain. */
	CHECK(write_id(s, ids[1], 50) == 0, "%s: rewrite", backend);
	CHECK(reads_back(s, ids[1], 50), "%s: rewritten content", backend);
	CHECK(walk_chain(s, seen, 16) == 3 && seen[2] == ids[1], "%s: rewritten id last", backend);

	/* Clear: gone, chain skips it. */
	CHECK(whea_store_clear(s, 0, ids[0]) == 0, "%s: clear", backend);
	len = sizeof buf;
	CHECK(whea_store_read(s, 0, ids[0], &next, &len, buf) == WHEA_ENOTFOUND, "%s: cleared is gone", backend);
	CHECK(walk_chain(s, seen, 16) == 2, "%s: chain after clear", backend);

	/* Batch (group commit). */
	uint8_t recs[8][600];
	whea_store_item items[8];
	for (int i = 0; i < 8; i++) {
		items[i].record = recs[i];
		items[i].length = (uint32_t)make_record(recs[i], sizeof recs[i], 0x500 + i, 200 + i, WHEA_SEV_FATAL);
	}
	CHECK(whea_store_write_batch(s, 0, items, 8) == 0, "%s: batch: %s", backend, whea_error_last()->message);
	for (int i = 0; i < 8; i++)
		CHECK(reads_back(s, 0x500 + i, 200 + i), "%s: batch item %d", backend, i);
	/* A batch with one bad record stores nothing. */
	items[3].length = 10;
	CHECK(whea_store_write_batch(s, 0, items, 8) == WHEA_EINVAL, "%s: bad batch refused", backend);
	CHECK(whea_store_stat_get(s, &st) == 0 && st.count == 10, "%s: count %llu", backend,
	      (unsigned long long)st.count);

	/* Iteration while clearing: every record not cleared before reached is visited once. */
	uint64_t cursor = 0, id;
	int visited = 0, cleared_ahead = 0;
	while (whea_store_next(s, &cursor, &id) == 0) {
		visited++;
		if (id == 0x500 && !cleared_ahead) {
			CHECK(whea_store_clear(s, 0, 0x505) == 0, "%s: clear ahead", backend);
			CHECK(whea_store_clear(s, 0, 0x500) == 0, "%s: clear current", backend);
			cleared_ahead = 1;
		}
		CHECK(id != 0x505, "%s: a record cleared ahead was visited", backend);
	}
	CHECK(visited == 9, "%s: visited %d of 10 (one cleared ahead)", backend, visited);
	CHECK(walk_chain(s, seen, 16) == 8, "%s: chain after iterator clears", backend);
	whea_store_close(s);
}

static void test_capacity(const char *backend, const char *dir, uint64_t capacity)
{
	whea_store *s = open_store(backend, dir, capacity, 0);
	if (!s)
		return;
	int written = 0, r = 0;
	for (uint64_t id = 1; id < 1000; id++) {
		if ((r = write_id(s, id, 900)) != 0)
			break;
		written++;
	}
	CHECK(r == WHEA_EFULL, "%s: full store says so (%d: %s)", backend, r, whea_error_last()->message);
	CHECK(strstr(whea_error_last()->message, "full") != NULL, "%s: message: %s", backend, whea_error_last()->message);
	CHECK(written > 0, "%s: some fit", backend);
	for (int id = 1; id <= written; id++)
		CHECK(reads_back(s, (uint64_t)id, 900), "%s: record %d survives the full store", backend, id);
	/* Clearing makes room again (the file backend compacts). */
	for (int id = 1; id <= written; id += 2)
		CHECK(whea_store_clear(s, 0, (uint64_t)id) == 0, "%s: clear %d in a full store: %s", backend, id,
		      whea_error_last()->message);
	CHECK(write_id(s, 5000, 900) == 0, "%s: write after clearing: %s", backend, whea_error_last()->message);
	for (int id = 2; id <= written; id += 2)
		CHECK(reads_back(s, (uint64_t)id, 900), "%s: record %d after compaction", backend, id);
	whea_store_close(s);
}

/* ---- file backend only ------------------------------------------------------------------------ */

static void mkpath(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", tmproot, name);
}

static long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) ? -1 : (long)st.st_size;
}

static void problem_count(void *ctx, const whea_store_problem *p)
{
	(*(int *)ctx)++;
	CHECK(p->file && strstr(p->file, "store.log"), "problem names the file: %s", p->file ? p->file : "");
}

static void test_file_persistence(void)
{
	char dir[512], log[600];
	mkpath(dir, sizeof dir, "persist/sub");
	snprintf(log, sizeof log, "%s/store.log", dir);
	whea_store *a = open_store("file", dir, 0, 0);
	if (!a)
		return;
	for (uint64_t id = 1; id <= 20; id++)
		CHECK(write_id(a, id, (uint32_t)(id * 37)) == 0, "write %llu", (unsigned long long)id);
	CHECK(whea_store_clear(a, 0, 7) == 0, "clear 7");
	/* A second handle sees everything, then sees a write made through the first. */
	whea_store *b = open_store("file", dir, 0, 0);
	if (!b)
		return;
	CHECK(reads_back(b, 20, 20 * 37) && !reads_back(b, 7, 7 * 37), "second handle view");
	CHECK(write_id(a, 21, 5) == 0, "write 21");
	CHECK(reads_back(b, 21, 5), "second handle sees a later write");
	CHECK(whea_store_clear(b, 0, 21) == 0, "clear through b");
	CHECK(!reads_back(a, 21, 5), "first handle sees b's clear");
	CHECK(whea_store_compact(b) == 0, "compact: %s", whea_error_last()->message);
	CHECK(reads_back(a, 20, 20 * 37) && reads_back(a, 1, 37), "first handle after b compacted");
	CHECK(write_id(a, 22, 5) == 0 && reads_back(b, 22, 5), "writes after compaction");
	whea_store_close(a);
	whea_store_close(b);

	/* Reopen: everything is there. */
	a = open_store("file", dir, 0, 0);
	uint64_t seen[64];
	CHECK(walk_chain(a, seen, 64) == 20, "20 records after reopen");
	whea_store_close(a);

	/* A torn tail (half a frame) is cut on open; all earlier records stay. */
	long size = file_size(log);
	int fd = open(log, O_WRONLY | O_APPEND);
	static const uint8_t half[] = {'W', 'F', 'R', 'M', 1, 0, 40, 0, 0x10, 0, 0, 0};
	CHECK(fd >= 0 && write(fd, half, sizeof half) == (ssize_t)sizeof half, "append a torn frame");
	close(fd);
	a = open_store("file", dir, 0, WHEA_STORE_READONLY);
	int problems = 0;
	CHECK(whea_store_verify(a, problem_count, &problems) == 1 && problems == 1, "verify reports the torn tail (%d)",
	      problems);
	whea_store_close(a);
	CHECK(file_size(log) == size + (long)sizeof half, "read-only open changes nothing");
	a = open_store("file", dir, 0, 0);
	CHECK(file_size(log) == size, "torn tail cut on open (%ld vs %ld)", file_size(log), size);
	CHECK(walk_chain(a, seen, 64) == 20, "20 records after the torn tail");
	problems = 0;
	CHECK(whea_store_verify(a, problem_count, &problems) == 0, "clean verify");

	/* Damage a frame in the middle: that record is skipped and reported, the rest read back. */
	whea_store_close(a);
	fd = open(log, O_RDWR);
	uint8_t byte;
	CHECK(pread(fd, &byte, 1, 64 + 40 + 130) == 1, "read");
	byte ^= 0xff;
	CHECK(pwrite(fd, &byte, 1, 64 + 40 + 130) == 1, "damage a byte in the first frame's payload");
	close(fd);
	a = open_store("file", dir, 0, 0);
	whea_store_stat st;
	CHECK(whea_store_stat_get(a, &st) == 0 && st.count == 19 && st.damaged == 1, "19 left, 1 damaged (%llu, %llu)",
	      (unsigned long long)st.count, (unsigned long long)st.damaged);
	CHECK(!reads_back(a, 1, 37) && reads_back(a, 2, 74) && reads_back(a, 22, 5), "damaged record not returned");
	problems = 0;
	CHECK(whea_store_verify(a, problem_count, &problems) == 1, "verify reports the damage");
	CHECK(write_id(a, 23, 9) == 0 && reads_back(a, 23, 9), "writes go on after damage");
	CHECK(whea_store_compact(a) == 0 && whea_store_verify(a, NULL, NULL) == 0, "compaction drops the damage");
	CHECK(whea_store_stat_get(a, &st) == 0 && st.count == 20, "count %llu", (unsigned long long)st.count);
	whea_store_close(a);
}

static void test_file_garbage(void)
{
	char dir[512], log[600];
	mkpath(dir, sizeof dir, "garbage");
	mkdir(dir, 0755);
	snprintf(log, sizeof log, "%s/store.log", dir);
	int fd = open(log, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	uint8_t junk[3000];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 7 + 3);
	CHECK(fd >= 0 && write(fd, junk, sizeof junk) == (ssize_t)sizeof junk, "write junk");
	close(fd);
	whea_store *s = NULL;
	int r = whea_store_open(&s, dir, NULL);
	CHECK(r == WHEA_EFORMAT, "garbage store refused (%d)", r);
	CHECK(strstr(whea_error_last()->message, "store.log") && whea_error_last()->offset == 0,
	      "message names file and offset: %s", whea_error_last()->message);
	CHECK(file_size(log) == (long)sizeof junk, "garbage left untouched");
	/* No store at all, read-only: not found. */
	char none[512];
	mkpath(none, sizeof none, "none");
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .flags = WHEA_STORE_READONLY};
	CHECK(whea_store_open(&s, none, &o) == WHEA_ENOTFOUND, "read-only open of nothing");
	o.flags = 0;
	o.backend = "nosuch";
	CHECK(whea_store_open(&s, none, &o) == WHEA_ENOTFOUND, "unknown backend");
}

static void test_readonly_dir(void)
{
	if (geteuid() == 0) {
		printf("test_store: read-only directory case skipped (root ignores permissions)\n");
		return;
	}
	char dir[512];
	mkpath(dir, sizeof dir, "ro");
	whea_store *s = open_store("file", dir, 0, 0);
	CHECK(write_id(s, 9, 10) == 0, "write");
	whea_store_close(s);
	char lockp[600], logp[600];
	snprintf(lockp, sizeof lockp, "%s/store.lock", dir);
	snprintf(logp, sizeof logp, "%s/store.log", dir);
	chmod(logp, 0444);
	chmod(lockp, 0444);
	chmod(dir, 0555);
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .flags = WHEA_STORE_READONLY};
	CHECK(whea_store_open(&s, dir, &o) == 0, "read-only open of a read-only dir: %s", whea_error_last()->message);
	CHECK(s && reads_back(s, 9, 10), "reads in a read-only dir");
	CHECK(s && write_id(s, 10, 10) == WHEA_EUNSUCCESSFUL, "write refused on a read-only handle");
	whea_store_close(s);
	CHECK(whea_store_open(&s, dir, NULL) != 0, "read-write open of a read-only dir fails cleanly");
	CHECK(strstr(whea_error_last()->message, dir) != NULL, "message names the path: %s", whea_error_last()->message);
	chmod(dir, 0755);
	chmod(logp, 0644);
	chmod(lockp, 0644);
}

static void test_backend_register(void)
{
	whea_store_backend bad = *whea_store_backend_find("mem");
	bad.version = 99;
	CHECK(whea_store_backend_register(&bad) == WHEA_EINVAL, "wrong version refused");
	bad = *whea_store_backend_find("mem");
	CHECK(whea_store_backend_register(&bad) == WHEA_EEXIST, "duplicate name refused");
	bad.name = "plugin-mem";
	bad.read = NULL;
	CHECK(whea_store_backend_register(&bad) == WHEA_EINVAL, "missing callback refused");
	static whea_store_backend good;
	good = *whea_store_backend_find("mem");
	good.name = "plugin-mem";
	CHECK(whea_store_backend_register(&good) == 0, "a plug-in backend registers");
	test_semantics("plugin-mem", NULL);
	CHECK(whea_store_code_from_ntstatus(0xC0000023u) == WHEA_ENOSPACE &&
	      whea_store_code_from_ntstatus(0xC0000225u) == WHEA_ENOTFOUND &&
	      whea_store_code_from_ntstatus(0xC0000001u) == WHEA_EUNSUCCESSFUL &&
	      whea_store_code_from_erst(4) == WHEA_EEMPTY && whea_store_code_from_erst(1) == WHEA_EFULL,
	      "reverse status mapping");
}

int main(int argc, char **argv)
{
	snprintf(tmproot, sizeof tmproot, "%s/whea-test-store-XXXXXX", argc > 1 ? argv[1] : "/tmp");
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 2;
	}
	char dir[512];
	CHECK(whea_crc32c(0, "123456789", 9) == 0xE3069283u, "CRC-32C check value");
	CHECK(whea_crc32c(whea_crc32c(0, "1234", 4), "56789", 5) == 0xE3069283u, "CRC-32C continues");
	test_semantics("mem", NULL);
	mkpath(dir, sizeof dir, "sem");
	test_semantics("file", dir);
	test_capacity("mem", NULL, 20000);
	mkpath(dir, sizeof dir, "cap");
	test_capacity("file", dir, 20000);
	test_file_persistence();
	test_file_garbage();
	test_readonly_dir();
	test_backend_register();
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmproot);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmproot);
	return check_summary("store");
}
