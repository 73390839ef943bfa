/* bench/bench_store.c — the error record store's performance targets (issue 3) in one run:
 *   1. durable single-record writes (1 KB, 4 KB) through whea_store_write against a plain loop of
 *      pwrite + fdatasync of the same sizes in the same directory, interleaved in short rounds;
 *   2. group commit: bursts of 1 KB records through whea_store_write_batch, one sync per batch;
 *   3. open (scan + verify + index) of a store of --size MB, from the page cache and, as root,
 *      cold after dropping the page cache;
 *   4. read by id with random ids from the page cache, at 10k, 100k and the big store's count;
 *   5. the workload of 1 through SQLite (one INSERT + commit per record), WAL and DELETE journals.
 * Usage: bench_store [--dir PARENT] [--size MB] [--quick] [--count N] [--no-cold]
 *                    [--allow-tmpfs] [--only durable|group|open|read]
 * Everything lives in a temporary directory made under PARENT (default: the current directory),
 * removed at the end. MB here is 10^6 bytes. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "whea/record.h"
#include "whea/store.h"
#include "../tests/store/testrec.h"
#include "../tests/rng.h"

#define MB 1000000.0
#define FRAME_OVERHEAD 40u   /* file backend frame header; frames are padded to 8 bytes */
#define LOG_HEADER 64u


typedef struct config {
	const char *parent;
	double size_mb;       /* the big store for open and read */
	int count;            /* records per durable run */
	int group_total;      /* records per group-commit run */
	long reads;           /* reads per read-by-id point */
	int cold;             /* also measure open after dropping the page cache (root only) */
	int allow_tmpfs;
	const char *only;     /* run one part: durable, group, open, read (NULL = all) */
	const char *keep_big; /* read: the big store's directory, kept and reused across runs, or NULL */
} config;

static char workdir[4096];
static int failures;

/* ---- Small helpers ------------------------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "bench_store: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	exit(2);
}

static void die_store(const char *what) { die(what, whea_error_last()->message); }

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p)
		die("out of memory", NULL);
	return p;
}

static void path_in(char *out, size_t cap, const char *name)
{
	if ((size_t)snprintf(out, cap, "%s/%s", workdir, name) >= cap)
		die("path too long", name);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_tree(const char *p) { nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void cleanup(void)
{
	if (workdir[0])
		rm_tree(workdir);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng_state = TEST_RNG_SEED;
static uint64_t rng(void) { return test_rng(&rng_state); }

/* ---- Records --------------------------------------------------------------------------------- */

/* A valid CPER record of exactly `len` bytes (header, one descriptor, one body) with id `id`. */
static void make_record(uint8_t *buf, uint32_t len, uint64_t id)
{
	if (testrec_make(buf, len, id, len - WHEA_RECORD_HEADER_SIZE - WHEA_SECTION_DESC_SIZE, WHEA_SEV_CORRECTED) != len)
		die_store("cannot build a record");
}

/* The record id lives at header offset 96 (little endian); changing it keeps the record valid. */
static void set_id(uint8_t *rec, uint64_t id)
{
	for (int i = 0; i < 8; i++)
		rec[96 + i] = (uint8_t)(id >> (8 * i));
}

/* n records of len bytes, contiguous, ids first_id.. */
static uint8_t *make_records(uint32_t len, size_t n, uint64_t first_id)
{
	uint8_t *r = xmalloc((size_t)len * n);
	make_record(r, len, first_id);
	for (size_t i = 1; i < n; i++) {
		memcpy(r + i * len, r, len);
		set_id(r + i * len, first_id + i);
	}
	return r;
}

static uint64_t frame_bytes(uint32_t len) { return (FRAME_OVERHEAD + (uint64_t)len + 7) & ~7ull; }

static whea_store *store_open(const char *dir, uint64_t capacity)
{
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .capacity = capacity};
	whea_store *s;
	if (whea_store_open(&s, dir, &o))
		die_store("cannot open the store");
	return s;
}

/* ---- 1 and 5: durable single-record writes ------------------------------------------------- */

/* A durable writer: opened once per record size, then asked for one durable write at a time, so
 * all writers can be interleaved in short rounds and see the same (shared, noisy) disk. */
typedef struct writer {
	const char *name;
	void *(*open)(uint32_t len, const char *name);
	void (*write)(void *ctx, const uint8_t *rec, uint32_t len, uint64_t i);
	void (*close)(void *ctx, const char *name);
} writer;

static void *w_store_open(uint32_t len, const char *name)
{
	(void)len;
	char dir[4200];
	path_in(dir, sizeof dir, name);
	return store_open(dir, 0);
}
static void w_store_write(void *ctx, const uint8_t *rec, uint32_t len, uint64_t i)
{
	(void)i;
	if (whea_store_write(ctx, 0, len, rec))
		die_store("whea_store_write failed");
}
static void w_store_close(void *ctx, const char *name)
{
	char dir[4200];
	whea_store_close(ctx);
	path_in(dir, sizeof dir, name);
	rm_tree(dir);
}

/* The baseline: pwrite + fdatasync appending `size` bytes per record to a plain file. */
typedef struct plain {
	int fd;
	uint32_t size;
	uint8_t *buf;
} plain;
static void *plain_open(const char *name, uint32_t size)
{
	char path[4200];
	path_in(path, sizeof path, name);
	plain *p = xmalloc(sizeof *p);
	p->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (p->fd < 0)
		die("cannot create", path);
	p->size = size;
	p->buf = xmalloc(size);
	memset(p->buf, 0, size);
	return p;
}
static void *w_plain_open(uint32_t len, const char *name) { return plain_open(name, len); }
/* Diagnostic: frame-sized pieces (record + 40-byte frame header, 8-aligned), which separates the
 * store's on-disk layout from its code. */
static void *w_frame_open(uint32_t len, const char *name) { return plain_open(name, (uint32_t)frame_bytes(len)); }
static void w_plain_write(void *ctx, const uint8_t *rec, uint32_t len, uint64_t i)
{
	plain *p = ctx;
	memcpy(p->buf, rec, len);
	if (pwrite(p->fd, p->buf, p->size, (off_t)(i * p->size)) != (ssize_t)p->size || fdatasync(p->fd))
		die("pwrite/fdatasync failed", strerror(errno));
}
static void w_plain_close(void *ctx, const char *name)
{
	plain *p = ctx;
	char path[4200];
	close(p->fd);
	free(p->buf);
	free(p);
	path_in(path, sizeof path, name);
	unlink(path);
}

static void sql_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err);
}

/* rasdaemon's way: one INSERT per event in autocommit mode, so one transaction per record. */
typedef struct sql {
	sqlite3 *db;
	sqlite3_stmt *st;
} sql;
static void *sql_open(const char *name, const char *journal)
{
	char path[4200], pragma[128];
	path_in(path, sizeof path, name);
	sql *q = xmalloc(sizeof *q);
	if (sqlite3_open(path, &q->db) != SQLITE_OK)
		die("cannot open SQLite database", path);
	snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=%s; PRAGMA synchronous=FULL;", journal);
	sql_exec(q->db, pragma);
	sql_exec(q->db, "CREATE TABLE ev(id INTEGER PRIMARY KEY, record BLOB)");
	if (sqlite3_prepare_v2(q->db, "INSERT INTO ev(id, record) VALUES(?, ?)", -1, &q->st, NULL) != SQLITE_OK)
		die("prepare failed", sqlite3_errmsg(q->db));
	return q;
}
static void *w_wal_open(uint32_t len, const char *name) { (void)len; return sql_open(name, "WAL"); }
static void *w_delete_open(uint32_t len, const char *name) { (void)len; return sql_open(name, "DELETE"); }
static void w_sql_write(void *ctx, const uint8_t *rec, uint32_t len, uint64_t i)
{
	sql *q = ctx;
	sqlite3_bind_int64(q->st, 1, (sqlite3_int64)i + 1);
	sqlite3_bind_blob(q->st, 2, rec, (int)len, SQLITE_STATIC);
	if (sqlite3_step(q->st) != SQLITE_DONE)
		die("INSERT failed", sqlite3_errmsg(q->db));
	sqlite3_reset(q->st);
}
static void w_sql_close(void *ctx, const char *name)
{
	static const char *const side[] = {"", "-wal", "-shm", "-journal"};
	sql *q = ctx;
	sqlite3_finalize(q->st);
	sqlite3_close(q->db);
	free(q);
	for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
		char n[256], path[4300];
		snprintf(n, sizeof n, "%s%s", name, side[i]);
		path_in(path, sizeof path, n);
		unlink(path);
	}
}

static const writer writers[] = {
	{"whea_store_write", w_store_open, w_store_write, w_store_close},
	{"pwrite+fdatasync", w_plain_open, w_plain_write, w_plain_close},
	{"pwrite+fdatasync, frame size", w_frame_open, w_plain_write, w_plain_close},
	{"SQLite WAL, synchronous=FULL", w_wal_open, w_sql_write, w_sql_close},
	{"SQLite DELETE, synchronous=FULL", w_delete_open, w_sql_write, w_sql_close},
};
#define NWRITERS (sizeof writers / sizeof writers[0])
#define CHUNK 10 /* records each writer writes in a row before the next takes over */

static void print_rate_row(const char *name, double rate, const char *unit, double ref, const char *refname)
{
	printf("  %-34s %12.0f %-7s", name, rate, unit);
	if (ref > 0)
		printf("  %6.3f x %s", rate / ref, refname);
	printf("\n");
}

static void verdict(const char *what, double got, double target)
{
	int ok = got >= target;
	failures += !ok;
	printf("  -> %s: %.3g, target >= %.3g: %s\n", what, got, target, ok ? "MET" : "MISSED");
}

/* Runs every writer on count records of len bytes in rounds of CHUNK records each, the order
 * rotating each round; fills the total time per writer and the per-round time ratios to the store. */
static void durable_rounds(const uint8_t *recs, uint32_t len, int count, double *total, double **ratio)
{
	void *ctx[NWRITERS];
	char names[NWRITERS][64];
	for (size_t w = 0; w < NWRITERS; w++) {
		snprintf(names[w], sizeof names[w], "durable-%zu-%u", w, len);
		ctx[w] = writers[w].open(len, names[w]);
		total[w] = 0;
	}
	int rounds = (count + CHUNK - 1) / CHUNK;
	for (int r = 0; r < rounds; r++) {
		double t[NWRITERS];
		for (size_t k = 0; k < NWRITERS; k++) {
			size_t w = (k + (size_t)r) % NWRITERS;
			double t0 = now();
			for (int i = r * CHUNK; i < (r + 1) * CHUNK && i < count; i++)
				writers[w].write(ctx[w], recs + (size_t)i * len, len, (uint64_t)i);
			t[w] = now() - t0;
			total[w] += t[w];
		}
		for (size_t w = 0; w < NWRITERS; w++)
			ratio[w][r] = t[w] / t[0]; /* rate of the store / rate of w */
	}
	for (size_t w = 0; w < NWRITERS; w++)
		writers[w].close(ctx[w], names[w]);
}

/* What the store adds besides the sync: the same writes with fdatasync replaced by a no-op in the
 * store's OS table, against bare pwrites; microseconds per write. */
static int no_sync(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
	return 0;
}

static void durable_overhead(const uint8_t *recs, uint32_t len, int count, double *us_store, double *us_pwrite)
{
	static whea_store_os os;
	os = *whea_store_os_default();
	os.datasync = no_sync;
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .os = &os};
	char dir[4200];
	path_in(dir, sizeof dir, "nosync-store");
	whea_store *s;
	if (whea_store_open(&s, dir, &o))
		die_store("cannot open the store");
	double t0 = now();
	for (int i = 0; i < count; i++)
		if (whea_store_write(s, 0, len, recs + (size_t)i * len))
			die_store("whea_store_write failed");
	*us_store = (now() - t0) * 1e6 / count;
	whea_store_close(s);
	rm_tree(dir);
	plain *p = plain_open("nosync-plain", len);
	t0 = now();
	for (int i = 0; i < count; i++)
		if (pwrite(p->fd, recs + (size_t)i * len, len, (off_t)i * len) != (ssize_t)len)
			die("pwrite failed", strerror(errno));
	*us_pwrite = (now() - t0) * 1e6 / count;
	w_plain_close(p, "nosync-plain");
}

static void bench_durable(const config *c)
{
	static const uint32_t sizes[] = {1024, 4096};
	int rounds = (c->count + CHUNK - 1) / CHUNK;
	printf("\n1+5. Durable single-record writes: %d records per writer, interleaved in %d rounds of %d "
	       "records per writer (order rotated each round)\n", c->count, rounds, CHUNK);
	printf("  rate = records / total time; 'x store' = this rate / the store's; median ratio = median "
	       "over rounds of the store's rate / this rate\n");
	for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
		uint32_t len = sizes[z];
		uint8_t *recs = make_records(len, (size_t)c->count, 1);
		double total[NWRITERS], *ratio[NWRITERS], med[NWRITERS];
		for (size_t w = 0; w < NWRITERS; w++)
			ratio[w] = xmalloc((size_t)rounds * sizeof(double));
		durable_rounds(recs, len, c->count, total, ratio);
		printf(" %u-byte records:%*s %12s %-7s  %-15s %s\n", len, 19, "", "rate", "", "", "median ratio store/this");
		for (size_t w = 0; w < NWRITERS; w++) {
			med[w] = median(ratio[w], rounds);
			double rate = c->count / total[w];
			printf("  %-34s %12.0f %-7s", writers[w].name, rate, "rec/s");
			if (w)
				printf("  %6.3f x store %8.3f", rate / (c->count / total[0]), med[w]);
			printf("\n");
			free(ratio[w]);
		}
		verdict("store rate / pwrite+fdatasync rate (median over rounds)", med[1], 0.9);
		printf("  -> store / pwrite+fdatasync by totals: %.3f; store / frame-sized pwrite+fdatasync: %.3f\n",
		       total[1] / total[0], med[2]);
		printf("  -> store / SQLite WAL: %.2f, store / SQLite DELETE: %.2f (medians over rounds)\n", med[3], med[4]);
		double us_s, us_p;
		durable_overhead(recs, len, c->count, &us_s, &us_p);
		printf("  -> without the sync: whea_store_write %.1f us, bare pwrite %.1f us per record; one "
		       "durable write took %.0f us (store) and %.0f us (pwrite+fdatasync) on average\n", us_s, us_p,
		       total[0] * 1e6 / c->count, total[1] * 1e6 / c->count);
		free(recs);
	}
}

/* ---- 2: group commit ------------------------------------------------------------------------- */

/* Each batch of batch 1 KB records goes to the store (one whea_store_write_batch) and, as the
 * floor, the same frame-sized bytes to a plain file (copy into one buffer, one pwrite, one
 * fdatasync), alternating batch by batch; fills the total seconds of each. */
static void group_run(const uint8_t *recs, size_t total, size_t batch, double *t_store, double *t_plain)
{
	char dir[4200];
	path_in(dir, sizeof dir, "group-store");
	whea_store *s = store_open(dir, LOG_HEADER + total * frame_bytes(1024) + (1u << 20));
	plain *p = plain_open("group-plain", (uint32_t)(batch * frame_bytes(1024)));
	whea_store_item *it = xmalloc(batch * sizeof *it);
	*t_store = *t_plain = 0;
	for (size_t done = 0, k = 0; done + batch <= total; done += batch, k++) {
		for (int side = 0; side < 2; side++) {
			double t0 = now();
			if ((side ^ (int)(k & 1)) == 0) {
				for (size_t i = 0; i < batch; i++)
					it[i] = (whea_store_item){recs + (done + i) * 1024, 1024};
				if (whea_store_write_batch(s, 0, it, batch))
					die_store("whea_store_write_batch failed");
				*t_store += now() - t0;
			} else {
				for (size_t i = 0; i < batch; i++)
					memcpy(p->buf + i * frame_bytes(1024), recs + (done + i) * 1024, 1024);
				if (pwrite(p->fd, p->buf, p->size, (off_t)(k * p->size)) != (ssize_t)p->size || fdatasync(p->fd))
					die("pwrite/fdatasync failed", strerror(errno));
				*t_plain += now() - t0;
			}
		}
	}
	free(it);
	w_plain_close(p, "group-plain");
	whea_store_close(s);
	rm_tree(dir);
}

static void bench_group(const config *c)
{
	static const size_t batches[] = {64, 256, 1024, 4096};
	size_t total = (size_t)c->group_total;
	uint8_t *recs = make_records(1024, total, 1);
	printf("\n2. Group commit: %zu 1 KB records per batch size, one sync per batch; each batch alternates "
	       "with the same bytes written by one pwrite + fdatasync (the floor)\n", total);
	for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
		double ts, tp;
		group_run(recs, total, batches[b], &ts, &tp);
		double ms = total / ts, mp = total / tp;
		char name[64];
		snprintf(name, sizeof name, "batch %zu: whea_store_write_batch", batches[b]);
		print_rate_row(name, ms, "rec/s", 0, NULL);
		snprintf(name, sizeof name, "batch %zu: pwrite+fdatasync", batches[b]);
		print_rate_row(name, mp, "rec/s", ms, "store");
		snprintf(name, sizeof name, "batch %zu records/s", batches[b]);
		verdict(name, ms, 200000);
	}
	free(recs);
}

/* ---- 3: open ----------------------------------------------------------------------------------- */

/* Builds a store of 1 KB records in dir until its log holds at least bytes; returns the count. */
static size_t build_store(const char *dir, double bytes, uint64_t first_id)
{
	size_t n = (size_t)((bytes - LOG_HEADER) / frame_bytes(1024));
	if (n < 1)
		n = 1;
	whea_store *s = store_open(dir, LOG_HEADER + n * frame_bytes(1024) + (1u << 20));
	const size_t chunk = 1024;
	uint8_t *recs = make_records(1024, chunk, first_id);
	whea_store_item it[1024];
	for (size_t done = 0; done < n; done += chunk) {
		size_t k = n - done < chunk ? n - done : chunk;
		for (size_t i = 0; i < k; i++) {
			set_id(recs + i * 1024, first_id + done + i);
			it[i] = (whea_store_item){recs + i * 1024, 1024};
		}
		if (whea_store_write_batch(s, 0, it, k))
			die_store("building the store failed");
	}
	free(recs);
	whea_store_close(s);
	return n;
}

static double time_open(const char *dir)
{
	double t0 = now();
	whea_store *s = store_open(dir, 0);
	double t = now() - t0;
	whea_store_close(s);
	return t;
}

/* Reads the whole file with 4 MB preads: the raw I/O floor under the open. */
static double time_raw_read(const char *path)
{
	size_t cap = 4u << 20;
	uint8_t *buf = xmalloc(cap);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die("cannot open", path);
	double t0 = now();
	off_t off = 0;
	ssize_t r;
	while ((r = pread(fd, buf, cap, off)) > 0)
		off += r;
	double t = now() - t0;
	close(fd);
	free(buf);
	return t;
}

/* Writes the dirty pages back and drops the page cache; 0 when not possible (not root). */
static int drop_caches(void)
{
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0)
		return 0;
	int ok = write(fd, "3\n", 2) == 2;
	close(fd);
	return ok;
}

static size_t bench_open(const config *c, const char *dir)
{
	char log[4300];
	snprintf(log, sizeof log, "%s/store.log", dir);
	printf("\n3. Open (scan + verify every frame + index) of a store of %.0f MB of 1 KB records\n", c->size_mb);
	double t0 = now();
	size_t n = build_store(dir, c->size_mb * MB, 1);
	double tb = now() - t0;
	struct stat sb;
	if (stat(log, &sb))
		die("cannot stat", log);
	double mb = sb.st_size / MB;
	printf("  built: %zu records, %.1f MB in %.1f s (batches of 1024, %.0f MB/s)\n", n, mb, tb, mb / tb);
	double warm[5], raw[5];
	time_open(dir); /* make sure everything is in the page cache */
	for (int i = 0; i < 5; i++) {
		warm[i] = mb / time_open(dir);
		raw[i] = mb / time_raw_read(log);
	}
	double mw = median(warm, 5), mr = median(raw, 5);
	print_rate_row("open, page cache (median of 5)", mw, "MB/s", 0, NULL);
	print_rate_row("4 MB preads of store.log", mr, "MB/s", mw, "open");
	verdict("open MB/s from the page cache", mw, 500);
	if (!c->cold) {
		printf("  cold open not measured (--no-cold)\n");
	} else if (!drop_caches()) {
		printf("  cold open not measured: cannot write /proc/sys/vm/drop_caches (needs root)\n");
	} else {
		double tc = time_open(dir);
		drop_caches();
		double trc = time_raw_read(log);
		print_rate_row("open, cold (caches dropped)", mb / tc, "MB/s", 0, NULL);
		print_rate_row("4 MB preads of store.log, cold", mb / trc, "MB/s", mb / tc, "open");
		printf("  -> cold open: %.0f MB/s (reported, the target is stated for the page cache)\n", mb / tc);
		time_raw_read(log); /* back into the page cache for the reads below */
	}
	return n;
}

/* ---- 4: read by id ----------------------------------------------------------------------------- */

/* Random reads of the n records (ids first_id..) of the store in dir; returns ns per read. The
 * second figure is a bare pread of the same bytes at the same offsets (the syscall floor). */
static void time_reads(const char *dir, size_t n, uint64_t first_id, long reads, double *ns_store,
		       double *ns_pread, double *cpu_store, double *cpu_pread)
{
	uint64_t *pick = xmalloc((size_t)reads * sizeof *pick);
	for (long i = 0; i < reads; i++)
		pick[i] = rng() % n;
	whea_store *s = store_open(dir, 0);
	uint8_t buf[8192];
	uint64_t next, sum = 0;
	for (size_t i = 0; i < n; i++) { /* steady state: every record read once before timing */
		uint32_t len = sizeof buf;
		if (whea_store_read(s, 0, first_id + i, &next, &len, buf))
			die_store("read failed");
	}
	double t0 = now(), c0 = cpu_now();
	for (long i = 0; i < reads; i++) {
		uint32_t len = sizeof buf;
		if (whea_store_read(s, 0, first_id + pick[i], &next, &len, buf))
			die_store("read failed");
		sum += buf[100];
	}
	*ns_store = (now() - t0) * 1e9 / reads;
	*cpu_store = (cpu_now() - c0) * 1e9 / reads;
	whea_store_close(s);
	char log[4300];
	snprintf(log, sizeof log, "%s/store.log", dir);
	int fd = open(log, O_RDONLY);
	if (fd < 0)
		die("cannot open", log);
	t0 = now();
	c0 = cpu_now();
	for (long i = 0; i < reads; i++) {
		off_t off = (off_t)(LOG_HEADER + pick[i] * frame_bytes(1024) + FRAME_OVERHEAD);
		if (pread(fd, buf, 1024, off) != 1024)
			die("pread failed", log);
		sum += buf[100];
	}
	*ns_pread = (now() - t0) * 1e9 / reads;
	*cpu_pread = (cpu_now() - c0) * 1e9 / reads;
	close(fd);
	free(pick);
	if (sum == 42)
		printf(" ");
}

static void bench_reads(const config *c, const char *bigdir, size_t bign)
{
	static const size_t small[] = {10000, 100000};
	printf("\n4. Read by id: %ld random ids per point (1 KB records, page cache), whea_store_read vs a "
	       "bare 1 KB pread at the same offsets\n", c->reads);
	printf("  wall = elapsed time; cpu = this thread's CPU time (less disturbed by other load on a shared machine)\n");
	printf("  %-10s %10s %10s %10s %10s %10s %10s\n", "records", "reads/s", "ns wall", "ns cpu", "pread wall",
	       "pread cpu", "store/pread cpu");
	double first = 0, last = 0, last_cpu = 0;
	for (size_t i = 0; i < 3; i++) {
		size_t n;
		char dir[4200];
		if (i < 2) {
			char name[64];
			snprintf(name, sizeof name, "read-%zu", small[i]);
			path_in(dir, sizeof dir, name);
			n = build_store(dir, LOG_HEADER + small[i] * frame_bytes(1024), 1);
		} else {
			snprintf(dir, sizeof dir, "%s", bigdir);
			n = bign;
		}
		double ns, nsp, cs, cp;
		time_reads(dir, n, 1, c->reads, &ns, &nsp, &cs, &cp);
		printf("  %-10zu %10.0f %10.1f %10.1f %10.1f %10.1f %10.2f\n", n, 1e9 / ns, ns, cs, nsp, cp, cs / cp);
		if (i == 0)
			first = cs;
		last = ns;
		last_cpu = cs;
		if (i < 2)
			rm_tree(dir);
	}
	verdict("reads/s at the largest store (wall)", 1e9 / last, 1e6);
	printf("  -> by CPU time: %.0f reads/s at the largest store\n", 1e9 / last_cpu);
	printf("  -> per-read CPU cost, largest / smallest store: %.2f (flat = O(1); growth comes from cache and "
	       "TLB misses over larger arrays and a larger file, see the pread columns)\n", last_cpu / first);
}

/* ---- Setup --------------------------------------------------------------------------------- */

static const struct {
	unsigned long magic;
	const char *name;
} fs_names[] = {
	{0xEF53, "ext2/3/4"}, {0x58465342, "xfs"}, {0x9123683E, "btrfs"}, {0x01021994, "tmpfs"},
	{0x794c7630, "overlayfs"}, {0x6969, "nfs"}, {0x2FC12FC1, "zfs"}, {0xF2F52010, "f2fs"},
};

static const char *fs_name(unsigned long magic)
{
	for (size_t i = 0; i < sizeof fs_names / sizeof fs_names[0]; i++)
		if (fs_names[i].magic == magic)
			return fs_names[i].name;
	return "unknown";
}

/* Makes the work directory, checks its file system and the free space. */
static void setup(const config *c)
{
	struct statfs sf;
	struct statvfs sv;
	if (statfs(c->parent, &sf) || statvfs(c->parent, &sv))
		die("cannot stat the file system of", c->parent);
	const char *fs = fs_name((unsigned long)sf.f_type);
	if (!strcmp(fs, "tmpfs") && !c->allow_tmpfs)
		die("the directory is on tmpfs, where fdatasync costs nothing and the comparisons mean nothing; "
		    "use --dir on a disk file system (or --allow-tmpfs)", c->parent);
	/* The big store, the read stores (10k + 100k), a group-commit store and slack. */
	double need = c->size_mb * MB + 110000 * 1064.0 + (double)c->group_total * 1064 * 2 + 64 * MB;
	double avail = (double)sv.f_bavail * sv.f_frsize;
	if (avail < need) {
		fprintf(stderr, "bench_store: %s has %.0f MB free; this run needs about %.0f MB. Use --quick "
			"(64 MB store), a smaller --size, or --dir elsewhere.\n", c->parent, avail / MB, need / MB);
		exit(2);
	}
	if ((size_t)snprintf(workdir, sizeof workdir, "%s/bench_store.XXXXXX", c->parent) >= sizeof workdir - 64)
		die("--dir path too long", c->parent);
	if (!mkdtemp(workdir)) {
		workdir[0] = 0;
		die("cannot make a temporary directory in", c->parent);
	}
	atexit(cleanup);
	char host[256] = "";
	gethostname(host, sizeof host - 1);
	printf("bench_store: work directory %s on %s (statfs type 0x%lx), %.0f MB free; host %s, SQLite %s\n",
	       workdir, fs, (unsigned long)sf.f_type, avail / MB, host, sqlite3_libversion());
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_store [--dir PARENT] [--size MB] [--quick] [--count N] "
		"[--no-cold] [--allow-tmpfs] [--only durable|group|open|read]\n"
		"       [--keep-big DIR]  (with --only read: build the big store in DIR once, reuse it later)\n"
		"       [--reads N]  (random reads per read-by-id point, default 2000000)\n");
	exit(2);
}

static void parse_args(config *c, int argc, char **argv)
{
	*c = (config){".", 1000, 1000, 65536, 2000000, 1, 0, NULL, NULL};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--quick")) {
			c->size_mb = 64;
			c->count = 200;
			c->group_total = 16384;
			c->reads = 500000;
		} else if (!strcmp(a, "--no-cold")) {
			c->cold = 0;
		} else if (!strcmp(a, "--allow-tmpfs")) {
			c->allow_tmpfs = 1;
		} else if (!v) {
			usage();
		} else if (!strcmp(a, "--dir")) {
			c->parent = v, i++;
		} else if (!strcmp(a, "--size")) {
			c->size_mb = atof(v), i++;
		} else if (!strcmp(a, "--only")) {
			c->only = v, i++;
		} else if (!strcmp(a, "--reads")) {
			c->reads = atol(v), i++;
		} else if (!strcmp(a, "--keep-big")) {
			c->keep_big = v, i++;
		} else if (!strcmp(a, "--count")) {
			c->count = atoi(v), i++;
		} else {
			usage();
		}
	}
	if (c->size_mb < 1 || c->count < 1 || c->reads < 1)
		usage();
}

/* --keep-big DIR: the big store of --size MB in DIR, built there unless its store.log already has
 * the size such a build gives (so runs of different builds read the very same file). */
static size_t kept_store(const config *c, char *big, size_t cap)
{
	size_t n = (size_t)((c->size_mb * MB - LOG_HEADER) / frame_bytes(1024));
	if ((size_t)snprintf(big, cap, "%s", c->keep_big) >= cap)
		die("--keep-big path too long", c->keep_big);
	char log[4300];
	snprintf(log, sizeof log, "%s/store.log", big);
	struct stat st;
	if (stat(log, &st) || (uint64_t)st.st_size != LOG_HEADER + n * frame_bytes(1024))
		n = build_store(big, c->size_mb * MB, 1);
	else
		printf("reusing the store in %s (%zu records)\n", big, n);
	return n;
}

static int want(const config *c, const char *part) { return !c->only || !strcmp(c->only, part); }

int main(int argc, char **argv)
{
	config c;
	parse_args(&c, argc, argv);
	setup(&c);
	if (want(&c, "durable"))
		bench_durable(&c);
	if (want(&c, "group"))
		bench_group(&c);
	char big[4200];
	path_in(big, sizeof big, "big");
	size_t n = 0;
	if (want(&c, "open"))
		n = bench_open(&c, big);
	else if (want(&c, "read") && c.keep_big)
		n = kept_store(&c, big, sizeof big);
	else if (want(&c, "read"))
		n = build_store(big, c.size_mb * MB, 1);
	if (want(&c, "read"))
		bench_reads(&c, big, n);
	printf("\n%s\n", failures ? "Some targets were MISSED (see above)." : "All targets MET.");
	return 0;
}
