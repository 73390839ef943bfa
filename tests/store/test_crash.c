/* tests/store/test_crash.c — the store's crash simulator sweep: the scripted workload runs on the
 * file backend over memfs, and a crash replaces its k-th datasync/sync call, for every k and
 * several seeds (each pending write kept, dropped or torn at a sector boundary; each directory's
 * pending operations kept as an in-order prefix). After each crash the dying handle is closed
 * (no leaked memory or descriptor), the store is reopened on the post-crash state and compared
 * with the model: every acknowledged record byte-identical, no acknowledged clear undone,
 * the interrupted operation's records absent or whole, the next-id chain visiting every record
 * once, verify finding nothing wrong with acknowledged records, one more write working. Some
 * points crash again during recovery. A second sweep kills only the process at each sync point;
 * the next process opens the store, checks it and writes; then the machine crashes.
 *
 *   test_crash              the normal tier (CI, over 1,000 crash points): the normal script at
 *                           every sync point with 12 seeds, a double crash at every 5th point,
 *                           the kill sweep with 3 seeds; and a store creating its own directory.
 *   test_crash --long [N]   the long tier: the normal script with 64 seeds per point, double
 *                           crashes everywhere and 8 seeds per kill point, then N (default 30)
 *                           random scripts (12 seeds, 3 per kill point). Takes minutes:
 *                           build/tests/test_crash --long 100
 *   test_crash --point SCRIPT AT SEED [RECOVER_AT [kill]]
 *                           one crash point, verbose (SCRIPT: "normal", "small" or a random
 *                           script's number; AT 0 = after the script) — to reproduce a failure
 *                           the sweep printed. */
#include <stdlib.h>
#include <time.h>

#include "../check.h"
#include "memfs.h"
#include "workload.h"
#include "whea/record.h"

#define STORE_PARENT "/var/lib/openwhea"
#define STORE_DIR STORE_PARENT "/store"
#define NORMAL_CAPACITY (128u * 1024u)
#define MAX_FAILING_POINTS 25 /* per script: then the sweep of that script stops */

static unsigned points_run, points_failed, points_tolerated;
static bool verbose;

static bool crashed(void *ctx) { return memfs_crashed(ctx); }
static int read_file(void *ctx, const char *path, uint8_t **data, size_t *len) { return memfs_get(ctx, path, data, len); }

/* The store creates its own directory: only the parent exists (durably) at first. */
static const wl_step script_mkdir[] = {
	{WL_OPEN, 0, 0, 0, 0},
	{WL_WRITE, WHEA_SEV_FATAL, 0, 1, 1000},
	{WL_WRITE, WHEA_SEV_FATAL, 1, 1, 3000},
	{WL_END, 0, 0, 0, 0},
};

typedef struct point {
	const wl_step *script;
	const char *name;
	uint64_t capacity;
	uint64_t at, seed;     /* crash replacing sync `at` (0: crash after the script ends) */
	uint64_t recover_at;   /* a second crash replacing this sync of the recovery (0: none) */
	bool store_makes_dir;  /* the store directory does not exist yet */
	bool kill;             /* at `at` the process dies instead; the next process opens the store,
				  checks it and writes; then the machine crashes */
} point;

/* Closes the handle of a process that just died and checks it leaked nothing. */
static unsigned close_dead(wl *w, memfs *fs, const char *label)
{
	wl_close(w);
	unsigned bad = 0;
	if (memfs_live_allocs(fs) != 0 || memfs_open_fds(fs) != 0) {
		CHECK(0, "[%s] closing the handle leaves %ld blocks and %u descriptors", label, memfs_live_allocs(fs),
		      memfs_open_fds(fs));
		bad++;
	}
	return bad;
}

static void print_report(memfs *fs, const char *label)
{
	memfs_crash_report r;
	memfs_last_crash(fs, &r);
	printf("  [%s] crash: writes kept %u dropped %u torn %u zero-extended %u; truncations kept %u dropped %u; "
	       "directory operations kept %u lost %u\n",
	       label, r.writes_kept, r.writes_dropped, r.writes_torn, r.zero_extended, r.truncs_kept, r.truncs_dropped,
	       r.dirops_kept, r.dirops_lost);
}

/* Reopens after a crash, compares with the model, writes one more record. With recover_at, the
 * recovery itself crashes at that sync and everything is checked once more. */
static unsigned recover(wl *w, memfs *fs, const point *p, const char *label, uint64_t *recovery_syncs)
{
	unsigned bad = 0;
	uint64_t base = memfs_syncs(fs);
	for (int round = 0; round < 2; round++) {
		memfs_reboot(fs);
		if (round == 0 && p->recover_at)
			memfs_crash_at(fs, base + p->recover_at, p->seed + 1000);
		int r = wl_open(w, NULL);
		if (r == 0 && !memfs_crashed(fs)) {
			bad += wl_check(w, w->s, round ? "after the crash during recovery" : "after the crash");
			if (!memfs_crashed(fs))
				bad += wl_write_one_more(w, w->s, "after the crash");
		} else if (!memfs_crashed(fs)) {
			CHECK(0, "[%s] reopening after the crash: %s: %s", label, whea_error_name(r), whea_error_last()->message);
			bad++;
		}
		if (round == 0 && recovery_syncs)
			*recovery_syncs = memfs_syncs(fs) - base;
		if (!memfs_crashed(fs)) {
			wl_close(w);
			memfs_crash_at(fs, 0, 0);
			break;
		}
		if (verbose)
			print_report(fs, "recovery crash");
		bad += close_dead(w, fs, label);
	}
	if (memfs_live_allocs(fs) || memfs_open_fds(fs) || memfs_misuse(fs)) {
		CHECK(0, "[%s] after recovery: %ld blocks, %u descriptors left; %u misuses (%s)", label,
		      memfs_live_allocs(fs), memfs_open_fds(fs), memfs_misuse(fs), memfs_misuse_text(fs));
		bad++;
	}
	return bad;
}

/* After the process died: the next one opens the store (which must repair what the dead one left
 * half done), checks it and writes one more record, and closes. */
static unsigned next_process(wl *w, memfs *fs, const char *label)
{
	unsigned bad = 0;
	if (!memfs_crashed(fs))
		memfs_kill(fs);
	memfs_reboot(fs);
	int r = wl_open(w, NULL);
	if (r) {
		CHECK(0, "[%s] opening after the process died: %s: %s", label, whea_error_name(r), whea_error_last()->message);
		return 1;
	}
	bad += wl_check(w, w->s, "after the process died");
	bad += wl_write_one_more(w, w->s, "after the process died");
	wl_close(w);
	return bad;
}

/* Runs one crash point; returns the problems found. *syncs gets the syncs the workload made
 * (with at = 0: all of them), *recovery_syncs those of the recovery. */
static unsigned run_point(const point *p, uint64_t *syncs, uint64_t *recovery_syncs)
{
	char label[160];
	snprintf(label, sizeof label, "%s%s, %s at sync %llu, seed %llu, recovery crash %llu", p->name,
		 p->store_makes_dir ? " (store makes its directory)" : "", p->kill ? "process killed" : "crash",
		 (unsigned long long)p->at, (unsigned long long)p->seed, (unsigned long long)p->recover_at);
	memfs *fs = memfs_new();
	memfs_mkdir_durable(fs, p->store_makes_dir ? STORE_PARENT : STORE_DIR);
	wl w;
	wl_init(&w, memfs_os(fs), STORE_DIR, p->capacity);
	w.strict = true;
	w.full_ok = p->script != wl_script_normal && p->script != script_mkdir;
	w.stop = crashed;
	w.ctx = fs;
	w.read_file = read_file;
	w.verbose = verbose;
	w.label = label;
	if (p->kill)
		memfs_kill_at(fs, p->at);
	else
		memfs_crash_at(fs, p->at, p->seed);
	unsigned bad = wl_run(&w, p->script);
	if (syncs)
		*syncs = memfs_syncs(fs);
	if (p->at && !memfs_crashed(fs)) {
		CHECK(0, "[%s] the workload made only %llu syncs", label, (unsigned long long)memfs_syncs(fs));
		bad++;
	}
	bad += close_dead(&w, fs, label);
	if (p->kill)
		bad += next_process(&w, fs, label);
	if (!memfs_crashed(fs))
		memfs_crash(fs, p->seed); /* the crash after the end (or, with at = 0, after a clean close) */
	if (verbose)
		print_report(fs, label);
	bad += recover(&w, fs, p, label, recovery_syncs);
	points_tolerated += w.tolerated > 0;
	wl_free(&w);
	memfs_free(fs);
	points_run++;
	if (bad)
		points_failed++;
	CHECK(bad == 0, "[%s] %u problems", label, bad);
	return bad;
}

/* Every sync point of a script with seeds 0 .. nseeds-1; a second crash during recovery at every
 * sync of the recovery for every double_every-th point (0: never); and with kill_seeds, the
 * process killed at every sync point, the next process writing, then a crash with seeds
 * 1 .. kill_seeds. */
static void sweep(const point *base, unsigned nseeds, unsigned double_every, unsigned kill_seeds)
{
	point p = *base;
	p.at = 0;
	p.seed = 0;
	uint64_t total = 0;
	unsigned before = points_run, failed_before = points_failed;
	if (run_point(&p, &total, NULL)) {
		printf("  %s: the run without a crash fails; no sweep\n", p.name);
		return;
	}
	for (uint64_t at = 1; at <= total + 1 && points_failed - failed_before < MAX_FAILING_POINTS; at++) {
		for (unsigned seed = 0; seed < nseeds && points_failed - failed_before < MAX_FAILING_POINTS; seed++) {
			p.at = at > total ? 0 : at; /* total + 1: a crash after the script ended */
			p.seed = seed;
			p.recover_at = 0;
			uint64_t rsyncs = 0;
			run_point(&p, NULL, &rsyncs);
			if (!double_every || (at * nseeds + seed) % double_every)
				continue;
			for (uint64_t r = 1; r <= rsyncs && points_failed - failed_before < MAX_FAILING_POINTS; r++) {
				p.recover_at = r;
				run_point(&p, NULL, NULL);
			}
		}
	}
	p.kill = true;
	p.recover_at = 0;
	for (uint64_t at = 1; at <= total && points_failed - failed_before < MAX_FAILING_POINTS; at++)
		for (unsigned seed = 1; seed <= kill_seeds && points_failed - failed_before < MAX_FAILING_POINTS; seed++) {
			p.at = at;
			p.seed = seed;
			run_point(&p, NULL, NULL);
		}
	if (points_failed - failed_before >= MAX_FAILING_POINTS)
		printf("  %s: stopped after %u failing crash points\n", p.name, points_failed - failed_before);
	printf("  %s: %llu sync points, %u crash points\n", p.name, (unsigned long long)total, points_run - before);
}

static void random_script(wl_step *buf, size_t max, uint64_t n, point *p)
{
	wl_script_random(buf, max, n);
	static const uint64_t caps[] = {48u * 1024u, 128u * 1024u, 1024u * 1024u};
	p->script = buf;
	p->capacity = caps[n % 3];
}

int main(int argc, char **argv)
{
	time_t t0 = time(NULL);
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows while it runs */
	point p = {wl_script_normal, "normal script", NORMAL_CAPACITY, 0, 0, 0, false, false};
	static wl_step rs[400];
	static char name[64];
	if (argc >= 5 && !strcmp(argv[1], "--point")) {
		verbose = true;
		if (!strcmp(argv[2], "small")) {
			p = (point){script_mkdir, "small script", NORMAL_CAPACITY, 0, 0, 0, true, false};
		} else if (strcmp(argv[2], "normal")) {
			random_script(rs, 60, strtoull(argv[2], NULL, 0), &p);
			snprintf(name, sizeof name, "random script %s", argv[2]);
			p.name = name;
		}
		p.at = strtoull(argv[3], NULL, 0);
		p.seed = strtoull(argv[4], NULL, 0);
		p.recover_at = argc > 5 ? strtoull(argv[5], NULL, 0) : 0;
		p.kill = argc > 6 && !strcmp(argv[6], "kill");
		unsigned bad = run_point(&p, NULL, NULL);
		printf("  %u problems\n", bad);
	} else if (argc >= 2 && !strcmp(argv[1], "--long")) {
		uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 0) : 30;
		sweep(&p, 64, 1, 8);
		for (uint64_t i = 1; i <= n; i++) {
			random_script(rs, 60, i, &p);
			snprintf(name, sizeof name, "random script %llu", (unsigned long long)i);
			p.name = name;
			sweep(&p, 12, 5, 3);
		}
	} else {
		sweep(&p, 12, 5, 3);
		point m = {script_mkdir, "small script", NORMAL_CAPACITY, 0, 0, 0, true, false};
		sweep(&m, 10, 3, 3);
	}
	printf("  %u crash points, %u failing, %ld s; after %u of them verify reported damage in bytes of the "
	       "interrupted operation only (tolerated)\n", points_run, points_failed, (long)(time(NULL) - t0),
	       points_tolerated);
	/* One check per crash point (the details of a failing one are printed above). */
	unsigned wp = 0, wf = 0;
	wl_counts(&wp, &wf);
	check_passed = points_run - points_failed;
	check_failed = points_failed;
	return check_summary("crash");
}
