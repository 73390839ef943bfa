/* tests/store/test_memfs.c — the crash simulator's in-memory file system checked on its own:
 * POSIX-like results, durability of file data and of directory entries, kept/dropped/torn
 * writes, directory operations kept as an in-order prefix, the dead process after a crash,
 * flock between descriptors, maps, and the accounting used to find leaks. */
#include <errno.h>
#include <stdlib.h>

#include "../check.h"
#include "memfs.h"

#define OS(fs) memfs_os(fs)
#define CALL(fs, fn, ...) OS(fs)->fn(OS(fs)->ctx, __VA_ARGS__)

static int open_w(memfs *fs, const char *path)
{
	int fd = -1;
	int r = CALL(fs, open, path, WHEA_OS_RDWR | WHEA_OS_CREATE, &fd);
	CHECK(r == 0, "open %s: %d", path, r);
	return fd;
}

static int open_dir(memfs *fs, const char *path)
{
	int fd = -1;
	int r = CALL(fs, open, path, WHEA_OS_DIR, &fd);
	CHECK(r == 0, "open dir %s: %d", path, r);
	return fd;
}

static void put(memfs *fs, int fd, const char *s, uint64_t off)
{
	int64_t r = CALL(fs, pwrite, fd, s, strlen(s), off);
	CHECK(r == (int64_t)strlen(s), "pwrite: %lld", (long long)r);
}

/* The file's current content as a string ("<absent>" if missing). */
static const char *content(memfs *fs, const char *path)
{
	static char out[8192];
	uint8_t *d;
	size_t n;
	if (memfs_get(fs, path, &d, &n))
		return "<absent>";
	if (n >= sizeof out)
		n = sizeof out - 1;
	memcpy(out, d, n);
	out[n] = 0;
	free(d);
	return out;
}

static void test_posix(void)
{
	memfs *fs = memfs_new();
	int fd = -1;
	CHECK_EQ_U(CALL(fs, mkdir, "/a"), 0, "mkdir");
	CHECK(CALL(fs, mkdir, "/a") == -EEXIST, "mkdir twice");
	CHECK(CALL(fs, mkdir, "/x/y") == -ENOENT, "mkdir without parent");
	CHECK(CALL(fs, open, "/a/f", WHEA_OS_RDWR, &fd) == -ENOENT, "open missing");
	fd = open_w(fs, "/a/f");
	CHECK(CALL(fs, open, "/a/f", WHEA_OS_RDWR | WHEA_OS_CREATE | WHEA_OS_EXCL, &fd) == -EEXIST, "excl");
	put(fs, fd, "hello", 0);
	put(fs, fd, "XY", 10);
	char b[32] = {0};
	CHECK_EQ_U(CALL(fs, pread, fd, b, sizeof b, 0), 12, "pread length");
	CHECK(!memcmp(b, "hello\0\0\0\0\0XY", 12), "pread content (hole reads as zeros)");
	CHECK_EQ_U(CALL(fs, pread, fd, b, sizeof b, 100), 0, "pread past the end");
	whea_os_stat st;
	CHECK_EQ_U(CALL(fs, fstat, fd, &st), 0, "fstat");
	CHECK_EQ_U(st.size, 12, "size");
	CHECK_EQ_U(CALL(fs, truncate, fd, 3), 0, "truncate");
	CHECK(!strcmp(content(fs, "/a/f"), "hel"), "after truncate: %s", content(fs, "/a/f"));
	uint64_t ino = st.ino;
	CHECK_EQ_U(CALL(fs, stat, "/a/f", &st), 0, "stat");
	CHECK_EQ_U(st.ino, ino, "stat and fstat agree");
	CHECK(CALL(fs, stat, "/a/f/g", &st) == -ENOTDIR, "file as a directory");
	int ro = -1;
	CHECK_EQ_U(CALL(fs, open, "/a/f", WHEA_OS_RDONLY, &ro), 0, "open read-only");
	CHECK(CALL(fs, pwrite, ro, "z", 1, 0) == -EBADF, "write on a read-only descriptor");
	CHECK_EQ_U(memfs_misuse(fs), 1, "that was counted as misuse");
	CHECK(CALL(fs, open, "/a", WHEA_OS_RDWR, &ro) == -EISDIR, "directory for writing");
	CHECK(CALL(fs, open, "/a/f", WHEA_OS_DIR, &ro) == -ENOTDIR, "file as a directory fd");
	int g = open_w(fs, "/a/g");
	put(fs, g, "gg", 0);
	CHECK_EQ_U(CALL(fs, rename, "/a/g", "/a/f"), 0, "rename over");
	CHECK(!strcmp(content(fs, "/a/f"), "gg"), "renamed content");
	CHECK(!memfs_exists(fs, "/a/g"), "old name gone");
	CHECK_EQ_U(CALL(fs, pread, fd, b, sizeof b, 0), 3, "the replaced file lives on through its fd");
	CHECK_EQ_U(CALL(fs, unlink, "/a/f"), 0, "unlink");
	CHECK(CALL(fs, unlink, "/a/f") == -ENOENT, "unlink twice");
	CHECK(CALL(fs, unlink, "/a") == -EISDIR, "unlink a directory");
	CHECK_EQ_U(memfs_open_fds(fs), 3, "three open descriptors");
	CALL(fs, close, fd);
	CALL(fs, close, g);
	CALL(fs, close, ro);
	CHECK(CALL(fs, close, ro) == -EBADF, "double close");
	CHECK_EQ_U(memfs_open_fds(fs), 0, "all closed");
	memfs_free(fs);
}

static int count_names(void *arg, const char *name)
{
	(void)name;
	++*(int *)arg;
	return 0;
}

static void test_listdir_alloc(void)
{
	memfs *fs = memfs_new();
	memfs_mkdir_durable(fs, "/d/e");
	CALL(fs, close, open_w(fs, "/d/1"));
	CALL(fs, close, open_w(fs, "/d/2"));
	int n = 0;
	CHECK_EQ_U(CALL(fs, listdir, "/d", count_names, &n), 0, "listdir");
	CHECK_EQ_U(n, 3, "entries (e, 1, 2)");
	void *p = CALL(fs, alloc, 10);
	p = CALL(fs, realloc, p, 1000);
	void *q = CALL(fs, realloc, NULL, 5);
	CHECK_EQ_U(memfs_live_allocs(fs), 2, "live blocks");
	CALL(fs, free, p);
	CALL(fs, free, q);
	CALL(fs, free, NULL);
	CHECK_EQ_U(memfs_live_allocs(fs), 0, "all freed");
	memfs_free(fs);
}

/* A file created and datasync'd is only there after a crash once its directory was synced. */
static void test_create_durability(void)
{
	for (int dirsync = 0; dirsync < 2; dirsync++)
		for (uint64_t seed = 0; seed < 2; seed++) {
			memfs *fs = memfs_new();
			memfs_mkdir_durable(fs, "/s");
			int fd = open_w(fs, "/s/log");
			put(fs, fd, "data", 0);
			CHECK_EQ_U(CALL(fs, datasync, fd), 0, "datasync");
			if (dirsync) {
				int d = open_dir(fs, "/s");
				CHECK_EQ_U(CALL(fs, sync, d), 0, "dir sync");
				CALL(fs, close, d);
			}
			put(fs, fd, "more", 4);
			memfs_crash(fs, seed);
			CHECK(CALL(fs, pwrite, fd, "x", 1, 0) == -EIO, "dead process");
			CHECK(memfs_crashed(fs), "crashed");
			CALL(fs, close, fd);
			memfs_reboot(fs);
			const char *want = !dirsync && seed == 1 ? "<absent>" : seed == 0 ? "datamore" : "data";
			CHECK(!strcmp(content(fs, "/s/log"), want), "dirsync %d seed %llu: got %s, want %s", dirsync,
			      (unsigned long long)seed, content(fs, "/s/log"), want);
			CHECK_EQ_U(memfs_misuse(fs), 0, "no misuse");
			memfs_free(fs);
		}
}

/* Crash-safe replacement: write tmp, sync, rename, sync the directory. */
static void test_rename_durability(void)
{
	for (int step = 0; step < 3; step++) {
		memfs *fs = memfs_new();
		memfs_mkdir_durable(fs, "/s");
		int fd = open_w(fs, "/s/f");
		put(fs, fd, "old", 0);
		CALL(fs, datasync, fd);
		int d = open_dir(fs, "/s");
		CALL(fs, sync, d);
		int t = open_w(fs, "/s/t");
		put(fs, t, "new", 0);
		if (step >= 1)
			CALL(fs, datasync, t);
		CALL(fs, rename, "/s/t", "/s/f");
		if (step >= 2)
			CALL(fs, sync, d);
		memfs_crash(fs, 1);
		CALL(fs, close, fd);
		CALL(fs, close, t);
		CALL(fs, close, d);
		memfs_reboot(fs);
		const char *want = step < 2 ? "old" : "new";
		CHECK(!strcmp(content(fs, "/s/f"), want), "step %d: got %s want %s", step, content(fs, "/s/f"), want);
		CHECK(!memfs_exists(fs, "/s/t") || step < 2, "tmp gone");
		/* An unlink that was not synced is undone. */
		CHECK_EQ_U(CALL(fs, unlink, "/s/f"), 0, "unlink");
		memfs_crash(fs, 1);
		memfs_reboot(fs);
		CHECK(memfs_exists(fs, "/s/f"), "unsynced unlink undone");
		memfs_free(fs);
	}
}

/* Tears: over many seeds, every 512-byte sector of a pending write is either all new or all old
 * (zeros here), and keep, drop and tear each happen. */
static void test_tears(void)
{
	memfs_crash_report tot = {0};
	unsigned prefix_only = 0, holes = 0;
	for (uint64_t seed = 2; seed < 400; seed++) {
		memfs *fs = memfs_new();
		memfs_mkdir_durable(fs, "/s");
		int fd = open_w(fs, "/s/f");
		int d = open_dir(fs, "/s");
		CALL(fs, sync, d);
		CALL(fs, datasync, fd);
		uint8_t w[4096 + 100];
		for (size_t i = 0; i < sizeof w; i++)
			w[i] = (uint8_t)(i % 251 + 1);
		CHECK_EQ_U(CALL(fs, pwrite, fd, w, sizeof w - 100, 100), sizeof w - 100, "write");
		memfs_crash(fs, seed);
		CALL(fs, close, fd);
		CALL(fs, close, d);
		memfs_reboot(fs);
		memfs_crash_report rep;
		memfs_last_crash(fs, &rep);
		tot.writes_kept += rep.writes_kept;
		tot.writes_dropped += rep.writes_dropped;
		tot.writes_torn += rep.writes_torn;
		tot.zero_extended += rep.zero_extended;
		uint8_t *got;
		size_t n;
		CHECK_EQ_U(memfs_get(fs, "/s/f", &got, &n), 0, "file there");
		CHECK(n <= 4196, "length %zu", n);
		bool seen_old = false, seen_new_after_old = false;
		for (size_t s = 0; s * 512 < n; s++) {
			size_t a = s ? s * 512 : 100, z = (s + 1) * 512 < n ? (s + 1) * 512 : n;
			bool all_new = !memcmp(got + a, w + a - 100, z - a);
			bool all_old = true;
			for (size_t i = a; i < z; i++)
				all_old &= got[i] == 0;
			CHECK(all_new || all_old, "seed %llu: sector %zu is mixed", (unsigned long long)seed, s);
			if (all_old)
				seen_old = true;
			else if (seen_old)
				seen_new_after_old = true;
		}
		CHECK(!(rep.writes_kept && n != 4196), "a kept write is whole");
		if (rep.writes_torn)
			*(seen_new_after_old ? &holes : &prefix_only) += 1;
		free(got);
		memfs_free(fs);
	}
	CHECK(tot.writes_kept > 50 && tot.writes_dropped > 50 && tot.writes_torn > 50,
	      "kept %u dropped %u torn %u", tot.writes_kept, tot.writes_dropped, tot.writes_torn);
	CHECK(tot.zero_extended > 10, "zero-extended %u", tot.zero_extended);
	CHECK(holes > 5 && prefix_only > 5, "torn with holes %u, as a prefix %u", holes, prefix_only);
}

/* Pending directory operations survive as an in-order prefix. */
static void test_dir_prefix(void)
{
	unsigned seen[4] = {0};
	for (uint64_t seed = 0; seed < 200; seed++) {
		memfs *fs = memfs_new();
		memfs_mkdir_durable(fs, "/s");
		const char *names[3] = {"/s/a", "/s/b", "/s/c"};
		for (int i = 0; i < 3; i++) {
			int fd = open_w(fs, names[i]);
			put(fs, fd, "x", 0);
			CALL(fs, datasync, fd);
			CALL(fs, close, fd);
		}
		CHECK_EQ_U(memfs_pending_dirops(fs, "/s"), 3, "pending");
		memfs_crash(fs, seed);
		memfs_reboot(fs);
		int k = 0;
		while (k < 3 && memfs_exists(fs, names[k]))
			k++;
		for (int i = k; i < 3; i++)
			CHECK(!memfs_exists(fs, names[i]), "seed %llu: %s without its predecessor",
			      (unsigned long long)seed, names[i]);
		seen[k]++;
		CHECK(seed != 0 || k == 3, "seed 0 keeps everything");
		CHECK(seed != 1 || k == 0, "seed 1 loses everything");
		memfs_free(fs);
	}
	CHECK(seen[0] && seen[1] && seen[2] && seen[3], "prefixes %u %u %u %u", seen[0], seen[1], seen[2], seen[3]);
}

static void test_crash_at_and_dead(void)
{
	memfs *fs = memfs_new();
	memfs_mkdir_durable(fs, "/s");
	memfs_crash_at(fs, 2, 0);
	int fd = open_w(fs, "/s/f");
	put(fs, fd, "a", 0);
	CHECK_EQ_U(CALL(fs, datasync, fd), 0, "sync 1");
	CHECK(!memfs_crashed(fs), "alive");
	put(fs, fd, "b", 1);
	CHECK(CALL(fs, datasync, fd) == -EIO, "sync 2 is the crash");
	CHECK(memfs_crashed(fs), "crashed");
	CHECK_EQ_U(memfs_syncs(fs), 2, "syncs counted");
	int fd2;
	CHECK(CALL(fs, open, "/s/g", WHEA_OS_RDWR | WHEA_OS_CREATE, &fd2) == -EIO, "dead: open");
	CHECK(CALL(fs, mkdir, "/s/x") == -EIO, "dead: mkdir");
	CHECK(CALL(fs, rename, "/s/f", "/s/h") == -EIO, "dead: rename");
	memfs_reboot(fs);
	CHECK(!memfs_exists(fs, "/s/g") && !memfs_exists(fs, "/s/x"), "nothing the dead did");
	CHECK(CALL(fs, pwrite, fd, "c", 1, 0) == -EBADF, "descriptors from before the crash are dead");
	CHECK_EQ_U(memfs_misuse(fs), 1, "using one is misuse");
	CHECK_EQ_U(CALL(fs, close, fd), 0, "but it can be closed");
	CHECK_EQ_U(memfs_open_fds(fs), 0, "closed");
	memfs_free(fs);
}

/* A killed process loses nothing: its writes stay (still pending, so a later crash may drop them). */
static void test_kill(void)
{
	memfs *fs = memfs_new();
	memfs_mkdir_durable(fs, "/s");
	memfs_kill_at(fs, 1);
	int fd = open_w(fs, "/s/f");
	put(fs, fd, "abc", 0);
	CHECK(CALL(fs, datasync, fd) == -EIO, "the kill replaces the sync");
	CHECK(memfs_crashed(fs), "dead");
	CHECK(CALL(fs, pwrite, fd, "x", 1, 0) == -EIO, "a dead process cannot write");
	CHECK_EQ_U(CALL(fs, lock, fd, WHEA_OS_UNLOCK), 0, "unlock while dead");
	CALL(fs, close, fd);
	memfs_reboot(fs);
	CHECK(!strcmp(content(fs, "/s/f"), "abc"), "the next process sees the data: %s", content(fs, "/s/f"));
	CHECK_EQ_U(memfs_pending_writes(fs, "/s/f"), 1, "still pending");
	CHECK_EQ_U(memfs_pending_dirops(fs, "/s"), 1, "the create too");
	memfs_crash(fs, 1);
	memfs_reboot(fs);
	CHECK(!memfs_exists(fs, "/s/f"), "a crash after the kill loses what nobody synced");
	memfs_free(fs);
}

static void test_lock_map(void)
{
	memfs *fs = memfs_new();
	memfs_mkdir_durable(fs, "/s");
	int a = open_w(fs, "/s/lock"), b = open_w(fs, "/s/lock");
	CHECK_EQ_U(CALL(fs, lock, a, WHEA_OS_LOCK_SH), 0, "sh a");
	CHECK_EQ_U(CALL(fs, lock, b, WHEA_OS_LOCK_SH), 0, "sh b");
	CHECK(CALL(fs, lock, a, WHEA_OS_LOCK_EX) == -EDEADLK, "ex against sh");
	CHECK_EQ_U(CALL(fs, lock, b, WHEA_OS_UNLOCK), 0, "unlock b");
	CHECK_EQ_U(CALL(fs, lock, a, WHEA_OS_LOCK_EX), 0, "upgrade a");
	CHECK(CALL(fs, lock, b, WHEA_OS_LOCK_SH) == -EDEADLK, "sh against ex");
	CALL(fs, close, a);
	CHECK_EQ_U(CALL(fs, lock, b, WHEA_OS_LOCK_EX), 0, "close releases");
	void *p, *q;
	CHECK(CALL(fs, map, b, 4096, &p) == -EINVAL, "map beyond the end");
	CHECK_EQ_U(CALL(fs, truncate, b, 4096), 0, "size the file");
	CHECK_EQ_U(CALL(fs, map, b, 4096, &p), 0, "map");
	int c = open_w(fs, "/s/lock");
	CHECK_EQ_U(CALL(fs, map, c, 4096, &q), 0, "map again");
	CHECK(p == q, "shared");
	memcpy(p, "counter", 7);
	char got[8] = {0};
	CALL(fs, pread, c, got, 7, 0);
	CHECK(!strcmp(got, "counter"), "a map shows in pread: %s", got);
	put(fs, c, "COUNTER", 0);
	CHECK(!memcmp(p, "COUNTER", 7), "pwrite shows in the map");
	CHECK(CALL(fs, pwrite, c, "x", 1, 1u << 20) == 1, "a mapped file grows into its slack");
	CHECK(((char *)p)[0] == 'C', "the map stays where it was");
	CHECK(CALL(fs, pwrite, c, "x", 1, 64u << 20) == -EFBIG, "a mapped file cannot grow past its pinned buffer");
	CALL(fs, unmap, p, 4096);
	CALL(fs, unmap, q, 4096);
	CHECK_EQ_U(memfs_misuse(fs), 1, "only the map beyond the end was misuse");
	CALL(fs, unmap, p, 4096);
	CHECK_EQ_U(memfs_misuse(fs), 2, "an unmatched unmap is misuse");
	CALL(fs, close, b);
	CALL(fs, close, c);
	memfs_free(fs);
}

int main(void)
{
	test_posix();
	test_listdir_alloc();
	test_create_durability();
	test_rename_durability();
	test_tears();
	test_dir_prefix();
	test_crash_at_and_dead();
	test_kill();
	test_lock_map();
	return check_summary("memfs");
}
