/* tests/store/test_procs.c — the file store shared by real processes:
 *   1. several processes write, batch and clear at once while another walks the next-id chain:
 *      afterwards exactly the expected records are there, each byte-identical, none twice;
 *   2. real kills: a child writing and clearing in a loop (with a small capacity, so compaction
 *      runs often) is killed with SIGKILL at random moments; every write it reported as
 *      acknowledged is there after reopen, byte-identical, and no acknowledged clear is undone.
 * Usage: test_procs [ROUNDS] (default 60 kill rounds; the long tier passes more). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"
#include "testrec.h"
#include "whea/record.h"
#include "whea/store.h"

static char root[256];

/* The record for id: its body length is a function of id too, so anyone can rebuild it. */
static size_t make_record(uint8_t *buf, size_t cap, uint64_t id)
{
	return testrec_make(buf, cap, id, 16 + (uint32_t)(id * 2654435761u % 1500), WHEA_SEV_FATAL);
}

static whea_store *open_dir(const char *dir, uint64_t capacity)
{
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .capacity = capacity};
	whea_store *s = NULL;
	if (whea_store_open(&s, dir, &o))
		fprintf(stderr, "open %s: %s\n", dir, whea_error_last()->message);
	return s;
}

static int write_id(whea_store *s, uint64_t id)
{
	uint8_t buf[2048];
	size_t n = make_record(buf, sizeof buf, id);
	return whea_store_write(s, 0, (uint32_t)n, buf);
}

/* 1 if id reads back byte-identical, 0 if absent, -1 if present but different or unreadable. */
static int check_id(whea_store *s, uint64_t id)
{
	uint8_t want[2048], got[2048];
	size_t n = make_record(want, sizeof want, id);
	uint64_t next;
	uint32_t len = sizeof got;
	int r = whea_store_read(s, 0, id, &next, &len, got);
	if (r == WHEA_ENOTFOUND || r == WHEA_EEMPTY)
		return 0;
	return r == 0 && len == n && !memcmp(want, got, n) ? 1 : -1;
}

/* ---- 1. concurrent writers and a reader --------------------------------------------------- */

#define WRITERS 4
#define PER_WRITER 150

static uint64_t writer_id(int w, int i) { return ((uint64_t)(w + 1) << 32) | (uint64_t)(i + 1); }

/* Writer w: singles and batches of its own ids; clears every id with i % 5 == 0. */
static int writer(const char *dir, int w)
{
	whea_store *s = open_dir(dir, 0);
	if (!s)
		return 10;
	int next_clear = 0; /* the next multiple of 5 to clear once written */
	for (int i = 0; i < PER_WRITER;) {
		if (i % 10 == 3 && i + 4 <= PER_WRITER) {
			uint8_t bufs[4][2048];
			whea_store_item it[4];
			for (int k = 0; k < 4; k++) {
				it[k].record = bufs[k];
				it[k].length = (uint32_t)make_record(bufs[k], sizeof bufs[k], writer_id(w, i + k));
			}
			if (whea_store_write_batch(s, 0, it, 4))
				return 11;
			i += 4;
		} else {
			if (write_id(s, writer_id(w, i)))
				return 12;
			i++;
		}
		for (; next_clear < i; next_clear += 5)
			if (whea_store_clear(s, 0, writer_id(w, next_clear)))
				return 13;
	}
	whea_store_close(s);
	return 0;
}

/* Reader: walks the chain until the writers are done; every record read must be whole and no
 * id may repeat within one walk. */
static int reader(const char *dir, volatile int *stop_flag_unused)
{
	(void)stop_flag_unused;
	whea_store *s = open_dir(dir, 0);
	if (!s)
		return 20;
	for (int walk = 0; walk < 60; walk++) {
		uint64_t id = 0, next, seen[WRITERS * PER_WRITER + 8];
		size_t n = 0;
		for (;;) {
			uint8_t buf[2048];
			uint32_t len = sizeof buf;
			int r = whea_store_read(s, 0, id, &next, &len, buf);
			if (r == WHEA_EEMPTY)
				break;
			if (r == WHEA_ENOTFOUND) /* cleared under us: start over from the first */
				break;
			if (r)
				return 21;
			uint64_t got;
			memcpy(&got, buf + 96, 8);
			uint8_t want[2048];
			size_t wn = make_record(want, sizeof want, got);
			if (wn != len || memcmp(want, buf, len))
				return 22;
			for (size_t k = 0; k < n; k++)
				if (seen[k] == got)
					return 23;
			if (n < sizeof seen / sizeof seen[0])
				seen[n++] = got;
			if (next == got)
				break;
			id = next;
		}
		usleep(2000);
	}
	whea_store_close(s);
	return 0;
}

static void test_concurrent(void)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/concurrent", root);
	whea_store *s = open_dir(dir, 0);
	CHECK(s != NULL, "create the store");
	whea_store_close(s);
	pid_t pids[WRITERS + 1];
	for (int w = 0; w <= WRITERS; w++) {
		pids[w] = fork();
		if (pids[w] == 0)
			_exit(w < WRITERS ? writer(dir, w) : reader(dir, NULL));
	}
	for (int w = 0; w <= WRITERS; w++) {
		int st = 0;
		waitpid(pids[w], &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s %d exited with status %d",
		      w < WRITERS ? "writer" : "reader", w, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
	s = open_dir(dir, 0);
	if (!s)
		return;
	int good = 0, bad = 0;
	for (int w = 0; w < WRITERS; w++)
		for (int i = 0; i < PER_WRITER; i++) {
			int want = i % 5 == 0 ? 0 : 1;
			int got = check_id(s, writer_id(w, i));
			if (got == want)
				good++;
			else
				bad++, fprintf(stderr, "writer %d record %d: expected %d got %d\n", w, i, want, got);
		}
	CHECK(bad == 0, "%d records wrong after concurrent writers", bad);
	whea_store_stat st;
	CHECK(whea_store_stat_get(s, &st) == 0 && st.count == (uint64_t)WRITERS * PER_WRITER * 4 / 5,
	      "count %llu", (unsigned long long)st.count);
	CHECK(whea_store_verify(s, NULL, NULL) == 0, "verify after concurrent writers");
	whea_store_close(s);
}

/* ---- 2. SIGKILL ----------------------------------------------------------------------------- */

enum { MSG_WRITTEN = 'W', MSG_CLEARING = 'c', MSG_CLEARED = 'C' };

static void report(int fd, char kind, uint64_t id)
{
	uint8_t m[9];
	m[0] = (uint8_t)kind;
	memcpy(m + 1, &id, 8);
	if (write(fd, m, 9) != 9)
		_exit(30);
}

/* Writes ids from `first` on and clears older ones, reporting each acknowledged step. */
static int killed_child(const char *dir, int fd, uint64_t first)
{
	whea_store *s = open_dir(dir, 48 * 1024); /* small: compaction runs often */
	if (!s)
		return 31;
	for (uint64_t id = first;; id++) {
		int r = write_id(s, id);
		if (r == WHEA_EFULL) {
			/* Full: clear the oldest records this child wrote. */
			uint64_t victim = 0, cursor = 0;
			if (whea_store_next(s, &cursor, &victim))
				return 32;
			report(fd, MSG_CLEARING, victim);
			if (whea_store_clear(s, 0, victim))
				return 33;
			report(fd, MSG_CLEARED, victim);
			id--;
			continue;
		}
		if (r)
			return 34;
		report(fd, MSG_WRITTEN, id);
	}
}

#define MAXIDS 200000
static uint8_t state[MAXIDS]; /* per id offset: 0 never, 'W' acked, 'c' clear started, 'C' cleared */

static void test_kills(int rounds)
{
	char dir[300];
	snprintf(dir, sizeof dir, "%s/killed", root);
	uint64_t base = 1000, next_first = base;
	int bad = 0, total_acked = 0;
	srand((unsigned)time(NULL));
	for (int round = 0; round < rounds; round++) {
		int p[2];
		if (pipe(p))
			return;
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			_exit(killed_child(dir, p[1], next_first));
		}
		close(p[1]);
		usleep((useconds_t)(2000 + rand() % 60000));
		kill(pid, SIGKILL);
		int st;
		waitpid(pid, &st, 0);
		CHECK(WIFSIGNALED(st), "child %d ended by itself with status %d", round, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		uint8_t m[9];
		uint64_t maxid = next_first;
		while (read(p[0], m, 9) == 9) {
			uint64_t id;
			memcpy(&id, m + 1, 8);
			if (id - base >= MAXIDS)
				continue;
			state[id - base] = m[0];
			if (m[0] == MSG_WRITTEN) {
				total_acked++;
				if (id + 1 > maxid)
					maxid = id + 1;
			}
		}
		close(p[0]);
		/* The child may have written maxid without acknowledging it; skip past it. */
		next_first = maxid + 1;
		whea_store *s = open_dir(dir, 48 * 1024);
		CHECK(s != NULL, "reopen after kill %d: %s", round, whea_error_last()->message);
		if (!s)
			return;
		for (uint64_t id = base; id < next_first && id - base < MAXIDS; id++) {
			int got = check_id(s, id);
			uint8_t stt = state[id - base];
			if (got < 0 || (stt == MSG_WRITTEN && got != 1) || (stt == MSG_CLEARED && got != 0)) {
				bad++;
				fprintf(stderr, "round %d id %llu: state %c, read %d\n", round, (unsigned long long)id,
					stt ? stt : '-', got);
			}
		}
		CHECK(whea_store_verify(s, NULL, NULL) == 0, "verify after kill %d", round);
		whea_store_close(s);
	}
	CHECK(bad == 0, "%d records lost or damaged over %d kills", bad, rounds);
	CHECK(total_acked > rounds, "children acknowledged %d writes", total_acked);
	printf("test_procs: %d kills, %d acknowledged writes checked\n", rounds, total_acked);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 60;
	snprintf(root, sizeof root, "%s/whea-test-procs-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	test_concurrent();
	test_kills(rounds);
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return check_summary("procs");
}
