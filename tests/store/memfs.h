/* tests/store/memfs.h — an in-memory file system behind whea_store_os that models durability, for
 * the store's crash simulator (after the idea of SQLite's test6.c; our own design).
 *
 * What it models:
 *   - files: the durable content (as of the last datasync/sync of that file) and the writes and
 *     truncations made since, in order;
 *   - directories: the durable entries (as of the last sync of that directory) and the entry
 *     operations made since (create, mkdir, rename, unlink), in order. A file created and then
 *     datasync'd is durably linked only once its directory was synced;
 *   - flock between file descriptors (a conflicting lock returns -EDEADLK: a blocking lock that
 *     can never be granted in a single-threaded test), map of small files (a stable pointer into
 *     the file's content, shared between descriptors; a map beyond the end of the file is refused
 *     with -EINVAL, where the real thing would raise SIGBUS on access), alloc through malloc with
 *     a count of live blocks.
 *
 * A crash (memfs_crash, or scheduled to replace the k-th datasync/sync call) produces the
 * post-crash durable state: each pending write independently kept, dropped or torn at 512-byte
 * sector boundaries (some of its sectors kept), a dropped or torn write past the old end of file
 * sometimes leaving the file longer with zeros (size committed, data not), each pending
 * truncation kept or dropped, and each directory's pending operations kept as an in-order prefix.
 * The choices come from a PRNG seeded by the caller: seed 0 keeps everything, seed 1 loses
 * everything pending, other seeds choose at random.
 *
 * After a crash the "process" is dead: every call but close, unmap and the memory calls returns
 * -EIO and changes nothing, so the dying store handle can be closed (and its memory freed)
 * without touching the post-crash state. memfs_reboot then makes calls work again on the
 * post-crash state; descriptors from before the crash stay dead (-EBADF). memfs_kill models the
 * death of the process alone: the same, except that nothing is lost. */
#ifndef WHEA_TESTS_MEMFS_H
#define WHEA_TESTS_MEMFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "whea/store.h"

typedef struct memfs memfs;

memfs *memfs_new(void);
void memfs_free(memfs *fs);
/* The OS table (borrowed; valid until memfs_free). */
const whea_store_os *memfs_os(memfs *fs);

/* Test setup: creates the directory path (and its parents) as if it had always been there. */
int memfs_mkdir_durable(memfs *fs, const char *path);

/* Crash scheduling: the at-th datasync/sync call (1-based; 0 = never) is replaced by a crash
 * with the given seed, and returns -EIO. */
void memfs_crash_at(memfs *fs, uint64_t at, uint64_t seed);
/* datasync/sync calls seen so far (the crashing one included). */
uint64_t memfs_syncs(const memfs *fs);
/* Crashes now. */
void memfs_crash(memfs *fs, uint64_t seed);
bool memfs_crashed(const memfs *fs);
void memfs_reboot(memfs *fs);
/* The process dies instead (now, or replacing the at-th datasync/sync call): its descriptors
 * die and its calls fail with -EIO as after a crash, but nothing is lost: what it wrote stays
 * (pending, as before). memfs_crashed is true and memfs_reboot starts "the next process". */
void memfs_kill(memfs *fs);
void memfs_kill_at(memfs *fs, uint64_t at);

/* What the last crash did. */
typedef struct memfs_crash_report {
	unsigned writes_kept, writes_dropped, writes_torn, zero_extended;
	unsigned truncs_kept, truncs_dropped;
	unsigned dirops_kept, dirops_lost;
} memfs_crash_report;
void memfs_last_crash(const memfs *fs, memfs_crash_report *out);

/* Accounting, to find leaks and misuse: blocks from alloc/realloc not yet freed; descriptors
 * open (dead ones included); calls on a bad or closed descriptor, an unmap of an unknown
 * address, or a free of an unknown pointer while the process was alive (the last one is
 * described in memfs_misuse_text). */
long memfs_live_allocs(const memfs *fs);
unsigned memfs_open_fds(const memfs *fs);
unsigned memfs_misuse(const memfs *fs);
const char *memfs_misuse_text(const memfs *fs);

/* Introspection for tests: a malloc'd copy of a file's current content (-errno on failure);
 * replacing a file's content durably (to plant garbage); whether a path exists now (volatile
 * view) and how many directory operations are pending in a directory. */
int memfs_get(memfs *fs, const char *path, uint8_t **data, size_t *len);
int memfs_put(memfs *fs, const char *path, const void *data, size_t len);
bool memfs_exists(memfs *fs, const char *path);
size_t memfs_pending_dirops(memfs *fs, const char *dir);
size_t memfs_pending_writes(memfs *fs, const char *path);

#endif
