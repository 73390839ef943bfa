/* tests/store/test_fault.c — fault injection under the store: an OS table wrapped around another
 * one (memfs, and the real POSIX table in a temporary directory) fails the N-th call of one kind
 * (pwrite: ENOSPC, EIO or a short write; datasync/sync: EIO; alloc/realloc: NULL; open: EACCES;
 * rename: EIO; and a few more), for N = 1, 2, 3, ... until the workload no longer reaches call N.
 * Each run checks: every store call returns 0 or a WHEA_E* code with a message (ASan runs the
 * whole thing for crashes and leaks; the wrapper also counts blocks and descriptors); after a
 * failed sync the handle answers WHEA_EPOISONED to everything until it is reopened, and never
 * acknowledges the write whose sync failed; after the fault the handle keeps working; and
 * reopening with a clean OS table shows every acknowledged record byte-identical, nothing
 * damaged, a clean verify, and takes one more write. On memfs a crash comes before the reopen,
 * so what the store left unsynced after the fault is lost or torn.
 *
 *   test_fault [--verbose]   all kinds, on memfs and on the real OS (in $TMPDIR, else /dev/shm
 *                            when present, else /tmp).
 *   test_fault --run ENV KIND N   one run, verbose: ENV memfs or posix, KIND a prefix of a kind's
 *                            name ("open", "datasync", "pwrite short"), N the failing call. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../check.h"
#include "memfs.h"
#include "whea/record.h"
#include "workload.h"

/* ---- the fault-injecting OS table ------------------------------------------------------------ */

enum call { C_OPEN, C_PWRITE, C_PREAD, C_SYNC, C_TRUNCATE, C_RENAME, C_ALLOC, C_MAP, C_LOCK, C_FSTAT, C_UNLINK };
#define SHORT_WRITE 1 /* not an errno: write half of the bytes */

static const struct kind {
	const char *name;
	enum call call;
	int err;
} kinds[] = {
	{"pwrite ENOSPC", C_PWRITE, -ENOSPC},
	{"pwrite EIO", C_PWRITE, -EIO},
	{"pwrite short", C_PWRITE, SHORT_WRITE},
	{"datasync/sync EIO", C_SYNC, -EIO},
	{"alloc/realloc NULL", C_ALLOC, -ENOMEM},
	{"open EACCES", C_OPEN, -EACCES},
	{"rename EIO", C_RENAME, -EIO},
	{"pread EIO", C_PREAD, -EIO},
	{"truncate EIO", C_TRUNCATE, -EIO},
	{"map ENOMEM", C_MAP, -ENOMEM},
	{"lock ENOLCK", C_LOCK, -ENOLCK},
	{"fstat EIO", C_FSTAT, -EIO},
	{"unlink EIO", C_UNLINK, -EIO},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

typedef struct faultos {
	whea_store_os os;       /* ctx = this */
	const whea_store_os *in;
	const struct kind *kind;
	uint64_t n;             /* fail call n of the kind (0: never) */
	uint64_t calls;         /* calls of the kind so far */
	bool fired;
	wl *w;                  /* the workload, to note where the fault fired */
	memfs *fs;              /* the memfs under it, or NULL for the real OS */
	size_t fired_step;
	unsigned fired_gen;     /* w->opens when it fired, 0 if no handle was open */
	bool poison_due;        /* a sync failed on an open handle: it must now be poisoned */
	long live_allocs;
	long open_fds;
} faultos;

/* True when this call is the one to fail. */
static bool hit(faultos *f, enum call c)
{
	if (!f->kind || f->kind->call != c || f->fired)
		return false;
	if (++f->calls != f->n)
		return false;
	f->fired = true;
	if (f->w) {
		if (f->w->verbose)
			printf("  %s: the fault fires in step %zu (script op %d)\n", f->w->label, f->w->step,
			       f->w->script ? f->w->script[f->w->step].op : -1);
		f->fired_step = f->w->step;
		f->fired_gen = f->w->s ? f->w->opens : 0;
		f->poison_due = c == C_SYNC && f->w->s;
	}
	return true;
}

#define IN(f) (f)->in
#define FWD(f, fn, ...) IN(f)->fn(IN(f)->ctx, __VA_ARGS__)

static int f_open(void *ctx, const char *path, int flags, int *fd)
{
	faultos *f = ctx;
	if (hit(f, C_OPEN))
		return f->kind->err;
	int r = FWD(f, open, path, flags, fd);
	if (!r)
		f->open_fds++;
	return r;
}

static int f_close(void *ctx, int fd)
{
	faultos *f = ctx;
	f->open_fds--;
	return FWD(f, close, fd);
}

static int64_t f_pread(void *ctx, int fd, void *buf, size_t n, uint64_t off)
{
	faultos *f = ctx;
	return hit(f, C_PREAD) ? f->kind->err : FWD(f, pread, fd, buf, n, off);
}

static int64_t f_pwrite(void *ctx, int fd, const void *buf, size_t n, uint64_t off)
{
	faultos *f = ctx;
	if (!hit(f, C_PWRITE))
		return FWD(f, pwrite, fd, buf, n, off);
	if (f->kind->err != SHORT_WRITE)
		return f->kind->err;
	return FWD(f, pwrite, fd, buf, n > 1 ? n / 2 : n, off);
}

static int f_datasync(void *ctx, int fd)
{
	faultos *f = ctx;
	return hit(f, C_SYNC) ? f->kind->err : FWD(f, datasync, fd);
}

static int f_sync(void *ctx, int fd)
{
	faultos *f = ctx;
	return hit(f, C_SYNC) ? f->kind->err : FWD(f, sync, fd);
}

static int f_truncate(void *ctx, int fd, uint64_t len)
{
	faultos *f = ctx;
	return hit(f, C_TRUNCATE) ? f->kind->err : FWD(f, truncate, fd, len);
}

static int f_fstat(void *ctx, int fd, whea_os_stat *st)
{
	faultos *f = ctx;
	return hit(f, C_FSTAT) ? f->kind->err : FWD(f, fstat, fd, st);
}

static int f_stat(void *ctx, const char *path, whea_os_stat *st)
{
	faultos *f = ctx;
	return FWD(f, stat, path, st);
}

static int f_rename(void *ctx, const char *from, const char *to)
{
	faultos *f = ctx;
	return hit(f, C_RENAME) ? f->kind->err : FWD(f, rename, from, to);
}

static int f_unlink(void *ctx, const char *path)
{
	faultos *f = ctx;
	return hit(f, C_UNLINK) ? f->kind->err : FWD(f, unlink, path);
}

static int f_mkdir(void *ctx, const char *path)
{
	faultos *f = ctx;
	return FWD(f, mkdir, path);
}

static int f_lock(void *ctx, int fd, int how)
{
	faultos *f = ctx;
	return how != WHEA_OS_UNLOCK && hit(f, C_LOCK) ? f->kind->err : FWD(f, lock, fd, how);
}

static int f_listdir(void *ctx, const char *path, whea_os_dirent_fn fn, void *arg)
{
	faultos *f = ctx;
	return FWD(f, listdir, path, fn, arg);
}

static int f_map(void *ctx, int fd, size_t len, void **addr)
{
	faultos *f = ctx;
	return hit(f, C_MAP) ? f->kind->err : FWD(f, map, fd, len, addr);
}

static void f_unmap(void *ctx, void *addr, size_t len)
{
	faultos *f = ctx;
	FWD(f, unmap, addr, len);
}

static void *f_alloc(void *ctx, size_t n)
{
	faultos *f = ctx;
	if (hit(f, C_ALLOC))
		return NULL;
	void *p = FWD(f, alloc, n);
	f->live_allocs += p != NULL;
	return p;
}

static void *f_realloc(void *ctx, void *p, size_t n)
{
	faultos *f = ctx;
	if (hit(f, C_ALLOC))
		return NULL;
	void *q = FWD(f, realloc, p, n);
	f->live_allocs += q && !p;
	return q;
}

static void f_free(void *ctx, void *p)
{
	faultos *f = ctx;
	f->live_allocs -= p != NULL;
	FWD(f, free, p);
}

static int f_make_mutable(void *ctx, int fd)
{
	faultos *f = ctx;
	return FWD(f, make_mutable, fd);
}

static void faultos_init(faultos *f, const whea_store_os *in, const struct kind *k, uint64_t n)
{
	memset(f, 0, sizeof *f);
	f->in = in;
	f->kind = k;
	f->n = n;
	f->os = (whea_store_os){
		.size = sizeof(whea_store_os),
		.version = WHEA_STORE_OS_VERSION,
		.ctx = f,
		.open = f_open,
		.close = f_close,
		.pread = f_pread,
		.pwrite = f_pwrite,
		.datasync = f_datasync,
		.sync = f_sync,
		.truncate = f_truncate,
		.fstat = f_fstat,
		.stat = f_stat,
		.rename = f_rename,
		.unlink = f_unlink,
		.mkdir = f_mkdir,
		.lock = f_lock,
		.listdir = f_listdir,
		.map = f_map,
		.unmap = f_unmap,
		.alloc = f_alloc,
		.realloc = f_realloc,
		.free = f_free,
		.make_mutable = f_make_mutable,
	};
}

/* ---- the poisoned handle ------------------------------------------------------------------- */

/* Every operation on a poisoned handle answers WHEA_EPOISONED. Returns the problems found. */
static unsigned check_poisoned(wl *w, const char *why)
{
	whea_store *s = w->s;
	unsigned bad = check_failed;
	const uint8_t *rec = wl_make_record(w, 200, 500, WHEA_SEV_FATAL);
	wl_model_maybe(w, 200, rec, 500); /* should it be stored after all, the model knows it */
	wl_model_maybe(w, 0, NULL, 0);    /* and should the clear below go through */
	whea_store_item item = {rec, 500};
	uint64_t next = 0, cursor = 0, id = 0;
	uint32_t len = 0;
	whea_store_stat st;
	const struct probe {
		const char *what;
		int r;
	} probes[] = {
		{"dummy write", whea_store_write(s, WHEA_STORE_WRITE_DUMMY, 0, NULL)},
		{"write", whea_store_write(s, 0, 500, rec)},
		{"write_batch", whea_store_write_batch(s, 0, &item, 1)},
		{"read", whea_store_read(s, 0, 0, &next, &len, NULL)},
		{"clear", whea_store_clear(s, 0, wl_slot_id(0))},
		{"stat", whea_store_stat_get(s, &st)},
		{"next", whea_store_next(s, &cursor, &id)},
		{"verify", whea_store_verify(s, NULL, NULL)},
		{"compact", whea_store_compact(s)},
	};
	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
		CHECK(probes[i].r == WHEA_EPOISONED, "[%s, step %zu] after %s, %s on the handle gives %s, not WHEA_EPOISONED",
		      w->label, w->step, why, probes[i].what, whea_error_name(probes[i].r));
	return check_failed - bad;
}

static bool verbose;

static bool on_error(wl *w, const char *what, int r, void *ctx)
{
	faultos *f = ctx;
	if (verbose)
		printf("  step %zu: %s: %s: %s\n", w->step, what, whea_error_name(r), whea_error_last()->message);
	if (f->poison_due && w->s && w->opens == f->fired_gen) {
		f->poison_due = false;
		if (r != WHEA_EPOISONED) {
			char why[160];
			snprintf(why, sizeof why, "a failed sync (%s returned %s)", what, whea_error_name(r));
			check_poisoned(w, why);
		}
		return true;
	}
	/* After the fault, the same (or a reopened) handle works again. */
	CHECK(!f->fired || f->fired_step == w->step || r == WHEA_EPOISONED || r == WHEA_EFULL,
	      "[%s, step %zu] %s fails with %s (%s) after the fault at step %zu", w->label, w->step, what,
	      whea_error_name(r), whea_error_last()->message, f->fired_step);
	return false;
}

static void after_step(wl *w, void *ctx)
{
	faultos *f = ctx;
	if (!f->poison_due)
		return;
	f->poison_due = false;
	if (w->s && w->opens == f->fired_gen) {
		CHECK(0, "[%s, step %zu] a sync failed, yet the operation succeeded", w->label, w->step);
		check_poisoned(w, "a failed sync that was not reported");
		wl_close(w);
	}
}

/* The whole file, from memfs or the real file system. */
static int read_file(void *ctx, const char *path, uint8_t **data, size_t *len)
{
	faultos *f = ctx;
	if (f->fs)
		return memfs_get(f->fs, path, data, len);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -errno;
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	*data = malloc(n > 0 ? (size_t)n : 1);
	*len = *data ? fread(*data, 1, (size_t)n, fp) : 0;
	fclose(fp);
	return *data ? 0 : -ENOMEM;
}

/* ---- runs ------------------------------------------------------------------------------------ */

/* Capacity 48 KiB, so the fill and the rewrites force compaction. No WL_CHECK steps: checking
 * reads through the faulty table too; the check comes after, with a clean one. */
#define W(slot, size) {WL_WRITE, WHEA_SEV_FATAL, slot, 1, size}
static const wl_step script[] = {
	{WL_OPEN, 0, 0, 0, 0},
	{WL_DUMMY, 0, 0, 0, 0},
	W(0, 400),
	W(1, 3000),
	{WL_BATCH, WHEA_SEV_CORRECTED, 2, 4, 900},
	W(1, 1200),
	{WL_CLEAR, 0, 0, 1, 0},
	{WL_CLEAR, 0, 0, 1, 0},
	W(6, 9000),
	{WL_COMPACT, 0, 0, 0, 0},
	{WL_REOPEN, 0, 0, 0, 0},
	{WL_BATCH, WHEA_SEV_FATAL, 2, 4, 1500},
	{WL_FILL, WHEA_SEV_FATAL, 20, 30, 5000},
	{WL_CLEAR, 0, 20, 3, 0},
	W(7, 6000),
	W(8, 2000),
	{WL_REOPEN, 0, 0, 0, 0},
	{WL_CLEAR, 0, 3, 2, 0},
	W(9, 700),
	{WL_END, 0, 0, 0, 0},
};

typedef struct env {
	const char *name;
	memfs *fs;               /* NULL: the real OS */
	const whea_store_os *os; /* the clean table */
	char dir[512];
} env;

static char tmp_root[400];

static void rm_tree(const char *path)
{
	DIR *d = opendir(path);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char p[1024];
			snprintf(p, sizeof p, "%s/%s", path, e->d_name);
			rm_tree(p);
		}
		closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static void env_start(env *e, unsigned run)
{
	if (e->name[0] == 'm') {
		e->fs = memfs_new();
		/* The store directory exists: test_crash covers a store creating its own. */
		memfs_mkdir_durable(e->fs, "/data/store");
		e->os = memfs_os(e->fs);
		snprintf(e->dir, sizeof e->dir, "/data/store");
	} else {
		e->os = whea_store_os_default();
		snprintf(e->dir, sizeof e->dir, "%s/run%u/store", tmp_root, run);
	}
}

static void env_end(env *e, unsigned run)
{
	if (e->fs) {
		memfs_free(e->fs);
		e->fs = NULL;
	} else {
		char p[600];
		snprintf(p, sizeof p, "%s/run%u", tmp_root, run);
		rm_tree(p);
	}
}

/* One run with the fault at call n of kind k. Returns whether the fault fired. */
static bool run_one(env *e, const struct kind *k, uint64_t n, unsigned run, unsigned *bad_runs)
{
	unsigned failed_before = check_failed;
	char label[200];
	snprintf(label, sizeof label, "%s, %s at call %llu", e->name, k->name, (unsigned long long)n);
	env_start(e, run);
	faultos f;
	faultos_init(&f, e->os, k, n);
	wl w;
	wl_init(&w, &f.os, e->dir, 48u * 1024u);
	w.on_error = on_error;
	w.after_step = after_step;
	w.ctx = &f;
	w.read_file = read_file;
	w.verbose = verbose;
	w.label = label;
	w.strict = n == 0; /* without a fault, everything goes as scripted */
	f.w = &w;
	f.fs = e->fs;
	wl_run(&w, script);
	wl_close(&w);
	CHECK(f.live_allocs == 0 && f.open_fds == 0, "[%s] after close: %ld blocks and %ld descriptors left", label,
	      f.live_allocs, f.open_fds);
	if (e->fs)
		CHECK(memfs_misuse(e->fs) == 0, "[%s] misuse of the OS table: %s", label, memfs_misuse_text(e->fs));

	/* On memfs the machine then crashes, losing or tearing whatever the store left unsynced
	 * after the fault (seed 1 loses all of it, 2..4 choose at random). */
	if (e->fs) {
		memfs_crash(e->fs, 1 + n % 4);
		memfs_reboot(e->fs);
		if (verbose) {
			memfs_crash_report c;
			memfs_last_crash(e->fs, &c);
			printf("  [%s] crash (seed %llu): writes kept %u dropped %u torn %u; truncations kept %u dropped %u; "
			       "directory operations kept %u lost %u\n", label, (unsigned long long)(1 + n % 4), c.writes_kept,
			       c.writes_dropped, c.writes_torn, c.truncs_kept, c.truncs_dropped, c.dirops_kept, c.dirops_lost);
		}
	}

	/* Reopen with a clean table: the model must hold. */
	w.step = 0;
	w.stop = NULL;
	long blocks = e->fs ? memfs_live_allocs(e->fs) : 0;
	int r = wl_open(&w, e->os);
	CHECK(r == 0, "[%s] reopening with a clean OS table: %s: %s", label, whea_error_name(r), whea_error_last()->message);
	if (!r) {
		wl_check(&w, w.s, "reopened after the fault");
		wl_write_one_more(&w, w.s, "reopened after the fault");
		wl_close(&w);
	}
	if (e->fs)
		CHECK(memfs_live_allocs(e->fs) == blocks && memfs_open_fds(e->fs) == 0,
		      "[%s] the clean reopen leaves %ld blocks and %u descriptors", label, memfs_live_allocs(e->fs) - blocks,
		      memfs_open_fds(e->fs));
	wl_free(&w);
	env_end(e, run);
	bool failed = check_failed != failed_before || w.problems;
	*bad_runs += failed;
	if (verbose || failed)
		printf("  %s: fault %s%s\n", label, f.fired ? "fired" : "not reached", failed ? ": FAILED" : "");
	return f.fired;
}

static void make_tmp_root(void)
{
	const char *t = getenv("TMPDIR");
	struct stat st;
	if (!t || !t[0])
		t = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(tmp_root, sizeof tmp_root, "%s/whea-fault-XXXXXX", t);
	if (!mkdtemp(tmp_root)) {
		perror("mkdtemp");
		exit(2);
	}
}

/* One run, verbose: --run ENV KIND N (ENV memfs or posix, KIND a prefix of a kind's name). */
static int run_single(char **argv)
{
	verbose = true;
	env e = {!strcmp(argv[2], "posix") ? "posix" : "memfs", NULL, NULL, ""};
	unsigned bad = 0;
	for (size_t k = 0; k < NKINDS; k++)
		if (!strncmp(kinds[k].name, argv[3], strlen(argv[3]))) {
			run_one(&e, &kinds[k], strtoull(argv[4], NULL, 0), 0, &bad);
			rm_tree(tmp_root);
			return check_summary("fault");
		}
	fprintf(stderr, "no fault kind '%s'\n", argv[3]);
	return 2;
}

int main(int argc, char **argv)
{
	verbose = argc > 1 && !strcmp(argv[1], "--verbose");
	if (argc > 4 && !strcmp(argv[1], "--run")) {
		make_tmp_root();
		return run_single(argv);
	}
	time_t t0 = time(NULL);
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows while it runs */
	make_tmp_root();
	env envs[] = {{"memfs", NULL, NULL, ""}, {"posix", NULL, NULL, ""}};
	unsigned runs = 0, bad_runs = 0, run_id = 0;
	for (size_t e = 0; e < sizeof envs / sizeof envs[0]; e++) {
		/* The run without a fault. */
		run_one(&envs[e], &(struct kind){"no fault", C_OPEN, 0}, 0, run_id++, &bad_runs);
		runs++;
		for (size_t k = 0; k < NKINDS; k++) {
			uint64_t n = 1;
			while (n < 100000 && run_one(&envs[e], &kinds[k], n, run_id++, &bad_runs))
				n++;
			runs += (unsigned)n;
			printf("  %s, %s: %llu calls\n", envs[e].name, kinds[k].name, (unsigned long long)n - 1);
		}
	}
	rm_tree(tmp_root);
	printf("  %u runs, %u with problems, %ld s\n", runs, bad_runs, (long)(time(NULL) - t0));
	/* One check per run (the details of a failing one are printed above). */
	unsigned wp = 0, wf = 0;
	wl_counts(&wp, &wf);
	check_passed = runs - bad_runs;
	check_failed = bad_runs;
	return check_summary("fault");
}
