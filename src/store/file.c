/* store/file.c — the built-in "file" backend: a directory holding an append-only log of
 * checksummed frames (store.log), a lock file (store.lock) and, during compaction only,
 * store.log.tmp. docs/STORE.md describes the on-disk format; in short:
 *
 *   store.log = 64-byte file header, then 8-byte aligned frames:
 *     header 40 bytes: magic "WFRM", kind (1 record, 2 clear), header size, payload length,
 *     payload CRC-32C, record id, sequence number, reserved, header CRC-32C; then the payload
 *     (the CPER record) and zero padding to 8 bytes.
 *
 * A write appends frames and returns after one fdatasync (group commit: a batch shares it). Opening
 * scans every frame, checks both checksums, skips (and reports) damaged frames in the middle, cuts a
 * torn tail and rebuilds the id index. Writers hold an exclusive flock on store.lock; readers take
 * no lock: they read frames that are never rewritten in place, and notice other processes' changes
 * through a counter in the shared mapping of store.lock. Compaction writes store.log.tmp, fsyncs
 * it, renames it over store.log and fsyncs the directory. A failed sync poisons the handle. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "store/backend.h"
#include "store/index.h"
#include "store/crc32c.h"
#include "util/le.h"
#include "whea/record.h"

#define LOG_NAME "store.log"
#define TMP_NAME "store.log.tmp"
#define LOCK_NAME "store.lock"
#define FILE_MAGIC "OWHEALOG"
#define FILE_VERSION 1
#define HDR_SIZE 64u
#define FRAME_MAGIC 0x4D524657u /* "WFRM" */
#define FRAME_HDR 40u
#define KIND_RECORD 1
#define KIND_CLEAR 2
#define LOCK_MAP_SIZE 4096u
#define DEFAULT_CAPACITY (64ull << 20)
#define MIN_CAPACITY (HDR_SIZE + 4096u)
#define WINDOW (4u << 20)

typedef struct fstore {
	const whea_store_os *os;
	char *dir, *log_path, *tmp_path, *lock_path;
	int log_fd, lock_fd;
	int readonly, poisoned;
	uint64_t capacity, base_seq, next_seq, generation;
	uint64_t next_seq_hint; /* from the header: sequence numbers continue above it */
	uint64_t end;        /* first byte after the last good frame: where the next frame goes */
	uint64_t file_size;  /* size of store.log when last scanned */
	uint64_t log_ino;
	uint64_t damaged;    /* damaged regions skipped by the last full scan */
	uint64_t *counter;   /* shared change counter in store.lock's mapping, or NULL */
	uint64_t seen;       /* counter value the view matches */
	sidx idx;
	uint8_t *buf;        /* frame building and scanning window */
	size_t bufcap;
	uint64_t win_off;    /* file offset of buf's contents while scanning */
	size_t win_len;
	const uint8_t *map;  /* read-only mapping of store.log's first map_len bytes, or NULL */
	uint64_t map_len;
	uint64_t map_ino;    /* inode and end of the last mapping attempt (map_ino 0 = none) */
	uint64_t map_tried;
} fstore;

static uint64_t frame_size(uint32_t len) { return (FRAME_HDR + (uint64_t)len + 7) & ~7ull; }

/* ---- Small I/O helpers ----------------------------------------------------------------------- */

static int grow_buf(fstore *f, size_t n)
{
	if (n <= f->bufcap)
		return 0;
	size_t cap = f->bufcap ? f->bufcap : 4096;
	while (cap < n)
		cap *= 2;
	uint8_t *b = f->os->realloc(f->os->ctx, f->buf, cap);
	if (!b)
		return whea_error_set(WHEA_ENOMEM, -1, f->dir, "out of memory (%zu bytes) in store %s", cap, f->dir);
	f->buf = b;
	f->bufcap = cap;
	f->win_len = 0;
	return 0;
}

static int read_full(fstore *f, int fd, void *buf, size_t n, uint64_t off, const char *path)
{
	size_t done = 0;
	while (done < n) {
		int64_t r = f->os->pread(f->os->ctx, fd, (uint8_t *)buf + done, n - done, off + done);
		if (r < 0)
			return whea_store_oserr((int)r, "cannot read", path, (int64_t)(off + done));
		if (r == 0)
			return whea_error_set(WHEA_EIO, (int64_t)(off + done), path,
					      "%s ends at offset %llu, inside data the index expects", path,
					      (unsigned long long)(off + done));
		done += (size_t)r;
	}
	return 0;
}

static int write_full(fstore *f, int fd, const void *buf, size_t n, uint64_t off, const char *path)
{
	size_t done = 0;
	while (done < n) {
		int64_t r = f->os->pwrite(f->os->ctx, fd, (const uint8_t *)buf + done, n - done, off + done);
		if (r < 0)
			return whea_store_oserr((int)r, "cannot write", path, (int64_t)(off + done));
		if (r == 0)
			return whea_error_set(WHEA_EIO, (int64_t)(off + done), path, "write to %s made no progress", path);
		done += (size_t)r;
	}
	return 0;
}

/* A failed sync: nothing written since the last good sync can be trusted, so the handle refuses
 * all further work (no retry-and-pretend). */
static int sync_fd(fstore *f, int fd, int full, const char *path)
{
	int r = full ? f->os->sync(f->os->ctx, fd) : f->os->datasync(f->os->ctx, fd);
	if (!r)
		return 0;
	f->poisoned = 1;
	whea_store_oserr(r, full ? "fsync failed on" : "fdatasync failed on", path, -1);
	return whea_error_set(WHEA_EIO, -1, path, "%s; the store handle is poisoned: reopen the store",
			      whea_error_last()->message);
}

static int sync_dir(fstore *f)
{
	int fd, r = f->os->open(f->os->ctx, f->dir, WHEA_OS_DIR, &fd);
	if (r) {
		f->poisoned = 1;
		return whea_store_oserr(r, "cannot open directory for fsync", f->dir, -1);
	}
	r = sync_fd(f, fd, 1, f->dir);
	f->os->close(f->os->ctx, fd);
	return r;
}

static int lock(fstore *f, int how)
{
	if (f->lock_fd < 0)
		return 0;
	int r = f->os->lock(f->os->ctx, f->lock_fd, how);
	return r ? whea_store_oserr(r, "cannot lock", f->lock_path, -1) : 0;
}

static void bump(fstore *f)
{
	if (f->counter && !f->readonly)
		f->seen = __atomic_add_fetch(f->counter, 1, __ATOMIC_RELEASE);
}

/* ---- File header ------------------------------------------------------------------------------ */

static void header_build(uint8_t *h, uint64_t capacity, uint64_t base_seq, uint64_t next_seq,
			 uint64_t generation)
{
	memset(h, 0, HDR_SIZE);
	memcpy(h, FILE_MAGIC, 8);
	whea_st32(h + 8, FILE_VERSION);
	whea_st32(h + 12, HDR_SIZE);
	whea_st64(h + 16, capacity);
	whea_st64(h + 24, base_seq);
	whea_st64(h + 32, generation);
	whea_st64(h + 40, (uint64_t)time(NULL));
	whea_st64(h + 48, next_seq);
	whea_st32(h + 60, whea_crc32c(0, h, 60));
}

static int header_check(fstore *f, const uint8_t *h, uint64_t size)
{
	const char *why = NULL;
	int64_t at = 0;
	if (size < HDR_SIZE)
		why = "is shorter than its 64-byte header";
	else if (memcmp(h, FILE_MAGIC, 8))
		why = "does not start with the store magic \"OWHEALOG\"";
	else if (whea_le32(h + 60) != whea_crc32c(0, h, 60))
		why = "has a header whose checksum is wrong", at = 60;
	else if (whea_le32(h + 8) != FILE_VERSION)
		why = "has a format version this library does not know", at = 8;
	else if (whea_le32(h + 12) != HDR_SIZE)
		why = "has an unexpected header size", at = 12;
	else if (whea_le64(h + 16) < MIN_CAPACITY)
		why = "has a capacity below the minimum", at = 16;
	if (why)
		return whea_error_set(WHEA_EFORMAT, at, f->log_path, "%s %s (offset %lld); not a store this "
				      "library can open, left untouched", f->log_path, why, (long long)at);
	f->capacity = whea_le64(h + 16);
	f->base_seq = whea_le64(h + 24);
	f->generation = whea_le64(h + 32);
	f->next_seq_hint = whea_le64(h + 48);
	return 0;
}

/* Creates store.log holding only a header: written to the temporary name, synced, renamed, and
 * the directory synced, so store.log either does not exist or is whole. */
static int create_log(fstore *f, uint64_t capacity)
{
	uint8_t h[HDR_SIZE];
	header_build(h, capacity, 1, 1, 0);
	int fd, r = f->os->open(f->os->ctx, f->tmp_path, WHEA_OS_RDWR | WHEA_OS_CREATE | WHEA_OS_TRUNC, &fd);
	if (r)
		return whea_store_oserr(r, "cannot create", f->tmp_path, -1);
	r = write_full(f, fd, h, HDR_SIZE, 0, f->tmp_path);
	if (!r)
		r = sync_fd(f, fd, 1, f->tmp_path);
	f->os->close(f->os->ctx, fd);
	if (!r && (r = f->os->rename(f->os->ctx, f->tmp_path, f->log_path)) != 0)
		r = whea_store_oserr(r, "cannot rename to store.log:", f->tmp_path, -1);
	if (r) {
		f->os->unlink(f->os->ctx, f->tmp_path);
		return r;
	}
	return sync_dir(f);
}

/* ---- Read mapping ------------------------------------------------------------------------------ */

/* Reads copy records out of a read-only mapping of store.log instead of calling pread: one system
 * call per read is most of a read's cost. The mapping covers the file up to the indexed end (never
 * beyond the file, where access would fault) and is renewed when a read needs a record appended
 * since; a new inode (compaction, another process's rename) drops it. Where mapping fails (32-bit,
 * an OS table without real maps) reads keep using pread. */
static void unmap_log(fstore *f)
{
	if (f->map)
		f->os->unmap(f->os->ctx, (void *)f->map, (size_t)f->map_len);
	sidx_set_prefetch(&f->idx, NULL, 0, 0);
	f->map = NULL;
	f->map_len = 0;
	f->map_ino = 0;
}

static void map_log(fstore *f)
{
	unmap_log(f);
	f->map_ino = f->log_ino;
	f->map_tried = f->end;
	if (sizeof(size_t) < 8 || f->end <= HDR_SIZE)
		return;
	int fd; /* a read-only descriptor, so the mapping can never write */
	if (f->os->open(f->os->ctx, f->log_path, WHEA_OS_RDONLY, &fd))
		return;
	whea_os_stat st;
	void *m;
	if (!f->os->fstat(f->os->ctx, fd, &st) && st.ino == f->log_ino && st.size >= f->end &&
	    !f->os->map(f->os->ctx, fd, (size_t)f->end, &m)) {
		f->map = m;
		f->map_len = f->end;
		sidx_set_prefetch(&f->idx, m, f->map_len, FRAME_HDR); /* lookups start fetching the record */
	}
	f->os->close(f->os->ctx, fd);
}

/* Copies a record's payload into buf from the mapping, else with pread; checks its checksum. A
 * mapping that disagrees falls back to pread before anything is called damaged. */
static int read_payload(fstore *f, const sidx_entry *e, void *buf)
{
	uint64_t at = e->off + FRAME_HDR;
	if (at + e->len > f->map_len && (f->map_ino != f->log_ino || f->map_tried != f->end))
		map_log(f);
	if (f->map && at + e->len <= f->map_len) {
		memcpy(buf, f->map + at, e->len);
		if (whea_crc32c(0, buf, e->len) == e->crc)
			return 0;
	}
	int r = read_full(f, f->log_fd, buf, e->len, at, f->log_path);
	if (r)
		return r;
	if (whea_crc32c(0, buf, e->len) != e->crc)
		return whea_error_set(WHEA_EIO, (int64_t)e->off, f->log_path, "%s: the frame of record 0x%llx at "
				      "offset %llu no longer matches its checksum; not returned", f->log_path,
				      (unsigned long long)e->id, (unsigned long long)e->off);
	return 0;
}

/* ---- Scanning ---------------------------------------------------------------------------------- */

typedef struct frame {
	uint64_t off, size, id, seq;
	uint32_t len, crc;
	int kind;
} frame;

typedef struct scanner {
	fstore *f;
	uint64_t fsz;
	uint64_t min_seq;      /* a frame's sequence number must be at least this */
	sidx *idx;             /* where good frames go, or NULL (verify) */
	whea_store_problem_fn fn;
	void *fnctx;
	uint64_t damaged;
	uint64_t tail;         /* where the good frames end */
} scanner;

/* Makes [off, off+n) of store.log available in the window; off + n <= fsz. */
static int window(scanner *s, uint64_t off, size_t n, const uint8_t **out)
{
	fstore *f = s->f;
	if (f->win_len && off >= f->win_off && off + n <= f->win_off + f->win_len) {
		*out = f->buf + (off - f->win_off);
		return 0;
	}
	int r = grow_buf(f, n > WINDOW ? n : WINDOW);
	if (r)
		return r;
	uint64_t avail = s->fsz - off;
	size_t want = avail < f->bufcap ? (size_t)avail : f->bufcap;
	f->win_len = 0;
	if ((r = read_full(f, f->log_fd, f->buf, want, off, f->log_path)) != 0)
		return r;
	f->win_off = off;
	f->win_len = want;
	*out = f->buf;
	return 0;
}

/* 1 if a whole, good frame starts at off; 0 if not; < 0 on an I/O error. */
static int frame_at(scanner *s, uint64_t off, frame *fr)
{
	const uint8_t *h, *p;
	if (off + FRAME_HDR > s->fsz)
		return 0;
	int r = window(s, off, FRAME_HDR, &h);
	if (r)
		return r;
	if (whea_le32(h) != FRAME_MAGIC || whea_le16(h + 6) != FRAME_HDR || whea_le32(h + 32) != 0 ||
	    whea_le32(h + 36) != whea_crc32c(0, h, 36))
		return 0;
	fr->kind = whea_le16(h + 4);
	fr->len = whea_le32(h + 8);
	fr->crc = whea_le32(h + 12);
	fr->id = whea_le64(h + 16);
	fr->seq = whea_le64(h + 24);
	fr->off = off;
	fr->size = frame_size(fr->len);
	if (fr->kind != KIND_RECORD && fr->kind != KIND_CLEAR)
		return 0;
	if ((fr->kind == KIND_CLEAR && fr->len) || fr->len > WHEA_STORE_MAX_RECORD || fr->seq < s->min_seq ||
	    off + fr->size > s->fsz)
		return 0;
	if ((r = window(s, off + FRAME_HDR, fr->len, &p)) != 0)
		return r;
	if (whea_crc32c(0, p, fr->len) != fr->crc)
		return 0;
	if (fr->kind == KIND_RECORD && (fr->len < WHEA_RECORD_HEADER_SIZE || memcmp(p, WHEA_RECORD_SIGNATURE, 4) ||
					whea_le64(p + WHEA_RECORD_ID_OFFSET) != fr->id))
		return 0;
	return 1;
}

static int apply(scanner *s, const frame *fr)
{
	s->min_seq = fr->seq + 1;
	if (!s->idx)
		return 0;
	if (fr->kind == KIND_CLEAR) {
		sidx_del(s->idx, fr->id, NULL);
		return 0;
	}
	sidx_entry e = {fr->id, fr->seq, fr->off, fr->len, fr->crc, (uint32_t)fr->size, 1};
	return sidx_put(s->idx, &e, NULL);
}

static void report(scanner *s, uint64_t off, uint64_t len, int code, const char *msg)
{
	if (s->fn) {
		whea_store_problem p = {s->f->log_path, off, len, code, msg};
		s->fn(s->fnctx, &p);
	}
}

/* Scans from off to the end of the file. A bad stretch followed by a good frame is damage in the
 * middle (reported, skipped); a bad stretch running to the end is a torn tail (s->tail). */
static int scan(scanner *s, uint64_t off)
{
	frame fr;
	int r;
	while (off < s->fsz) {
		if ((r = frame_at(s, off, &fr)) < 0)
			return r;
		if (r) {
			if ((r = apply(s, &fr)) != 0)
				return r;
			off += fr.size;
			continue;
		}
		uint64_t q = off + 8;
		while (q + FRAME_HDR <= s->fsz && (r = frame_at(s, q, &fr)) == 0)
			q += 8;
		if (r < 0)
			return r;
		if (q + FRAME_HDR > s->fsz) {
			report(s, off, s->fsz - off, WHEA_ETRUNC,
			       "torn tail: an incomplete frame from an interrupted write (cut when the store is "
			       "opened for writing)");
			break;
		}
		s->damaged++;
		report(s, off, q - off, WHEA_EFORMAT, "damaged frames: bytes that are not a whole frame with "
		       "good checksums, skipped (their records cannot be returned)");
		off = q;
	}
	s->tail = off < s->fsz ? off : s->fsz;
	return 0;
}

/* Reads store.log from the start into a fresh index. */
static int full_scan(fstore *f)
{
	whea_os_stat st;
	int r = f->os->fstat(f->os->ctx, f->log_fd, &st);
	if (r)
		return whea_store_oserr(r, "cannot stat", f->log_path, -1);
	uint8_t h[HDR_SIZE];
	memset(h, 0, sizeof h);
	if (st.size >= HDR_SIZE && (r = read_full(f, f->log_fd, h, HDR_SIZE, 0, f->log_path)) != 0)
		return r;
	if ((r = header_check(f, h, st.size)) != 0)
		return r;
	if (f->map && (st.ino != f->log_ino || st.size < f->map_len))
		unmap_log(f); /* replaced or cut short: the mapping must not reach past the file */
	sidx_reset(&f->idx);
	f->win_len = 0;
	scanner s = {f, st.size, f->base_seq, &f->idx, NULL, NULL, 0, 0};
	if ((r = scan(&s, HDR_SIZE)) != 0)
		return r;
	f->end = s.tail;
	f->file_size = st.size;
	f->log_ino = st.ino;
	f->damaged = s.damaged;
	f->next_seq = s.min_seq > f->next_seq_hint ? s.min_seq : f->next_seq_hint;
	return 0;
}

static int open_log(fstore *f)
{
	int fd, r = f->os->open(f->os->ctx, f->log_path, f->readonly ? WHEA_OS_RDONLY : WHEA_OS_RDWR, &fd);
	if (r)
		return whea_store_oserr(r, "cannot open", f->log_path, -1);
	if (f->log_fd >= 0)
		f->os->close(f->os->ctx, f->log_fd);
	f->log_fd = fd;
	return 0;
}

/* Brings the view up to date with store.log. Readers trust the shared counter (every writer bumps
 * it after a change); a writer holding the lock passes force = 1 to also check the file itself,
 * which covers a writer that died between writing and bumping. */
static int refresh(fstore *f, int force)
{
	uint64_t c = f->counter ? __atomic_load_n(f->counter, __ATOMIC_ACQUIRE) : 0;
	if (!force && f->counter && c == f->seen)
		return 0;
	whea_os_stat st;
	int r = f->os->stat(f->os->ctx, f->log_path, &st);
	if (r)
		return whea_store_oserr(r, "cannot stat", f->log_path, -1);
	if (st.ino != f->log_ino) {
		if ((r = open_log(f)) != 0 || (r = full_scan(f)) != 0)
			return r;
	} else if (st.size < f->end) {
		if ((r = full_scan(f)) != 0)
			return r;
	} else if (st.size > f->end) {
		/* Frames before end never change (append-only): scan only what follows. */
		f->win_len = 0;
		scanner s = {f, st.size, f->next_seq, &f->idx, NULL, NULL, 0, 0};
		if ((r = scan(&s, f->end)) != 0)
			return r;
		f->end = s.tail;
		f->next_seq = s.min_seq;
		f->damaged += s.damaged;
	}
	f->file_size = st.size;
	f->seen = c;
	return 0;
}

/* ---- Compaction --------------------------------------------------------------------------------- */

/* Copies the live frames (all but `skip`) to store.log.tmp, syncs it, renames it over store.log and
 * syncs the directory. The caller holds the exclusive lock and has refreshed the view. */
static int compact_except(fstore *f, uint64_t skip)
{
	int fd, r = f->os->open(f->os->ctx, f->tmp_path, WHEA_OS_RDWR | WHEA_OS_CREATE | WHEA_OS_TRUNC, &fd);
	if (r)
		return whea_store_oserr(r, "cannot create", f->tmp_path, -1);
	uint8_t h[HDR_SIZE];
	/* Kept frames keep their sequence numbers; new ones continue above every old one. */
	const sidx_entry *first = sidx_live_from(&f->idx, 0, NULL);
	header_build(h, f->capacity, first ? first->seq : f->next_seq, f->next_seq, f->generation + 1);
	r = write_full(f, fd, h, HDR_SIZE, 0, f->tmp_path);
	uint64_t out = HDR_SIZE;
	for (size_t i = 0; i < f->idx.n && !r; i++) {
		const sidx_entry *e = &f->idx.e[i];
		if (!e->live || e->id == skip)
			continue;
		if ((r = grow_buf(f, e->size)) != 0)
			break;
		f->win_len = 0;
		if ((r = read_full(f, f->log_fd, f->buf, e->size, e->off, f->log_path)) != 0)
			break;
		if (whea_crc32c(0, f->buf + FRAME_HDR, e->len) != e->crc) {
			r = whea_error_set(WHEA_EIO, (int64_t)e->off, f->log_path, "%s: the frame of record 0x%llx at "
					   "offset %llu changed on disk since it was indexed; compaction stopped",
					   f->log_path, (unsigned long long)e->id, (unsigned long long)e->off);
			break;
		}
		r = write_full(f, fd, f->buf, e->size, out, f->tmp_path);
		out += e->size;
	}
	if (!r)
		r = sync_fd(f, fd, 1, f->tmp_path);
	if (!r && (r = f->os->rename(f->os->ctx, f->tmp_path, f->log_path)) != 0)
		r = whea_store_oserr(r, "cannot rename over store.log:", f->tmp_path, -1);
	if (r) {
		f->os->close(f->os->ctx, fd);
		f->os->unlink(f->os->ctx, f->tmp_path);
		return r;
	}
	if (f->log_fd >= 0)
		f->os->close(f->os->ctx, f->log_fd);
	f->log_fd = fd;
	if ((r = sync_dir(f)) != 0)
		return r;
	/* The new file is durable; rebuild the view from it. */
	if ((r = full_scan(f)) != 0) {
		f->poisoned = 1;
		return r;
	}
	bump(f);
	return 0;
}

/* ---- Backend functions ------------------------------------------------------------------------ */

static int usable(fstore *f, int writing)
{
	if (f->poisoned)
		return whea_error_set(WHEA_EPOISONED, -1, f->log_path, "store %s: an earlier sync failed, so this "
				      "handle refuses further work; close and reopen the store", f->dir);
	if (writing && f->readonly)
		return whea_error_set(WHEA_EUNSUCCESSFUL, -1, f->dir, "store %s is open read-only", f->dir);
	return 0;
}

/* Appends prepared frames (in f->buf, total bytes) and syncs; the caller holds the lock. */
static int append(fstore *f, size_t total)
{
	int r;
	if (f->file_size > f->end) {
		/* A torn tail from an interrupted write: cut it before appending. */
		if ((r = f->os->truncate(f->os->ctx, f->log_fd, f->end)) != 0)
			return whea_store_oserr(r, "cannot cut the torn tail of", f->log_path, (int64_t)f->end);
		f->file_size = f->end;
	}
	/* A failed write is not cut back here: whole frames it left may already be indexed (and
	 * mapped) by readers in other processes, and they are whole records. Whatever is not whole
	 * is a torn tail, cut under the lock before the next append. */
	if ((r = write_full(f, f->log_fd, f->buf, total, f->end, f->log_path)) != 0)
		return r;
	return sync_fd(f, f->log_fd, 0, f->log_path);
}

static uint8_t *put_frame(uint8_t *p, int kind, uint64_t id, uint64_t seq, const void *payload, uint32_t len)
{
	uint32_t size = (uint32_t)frame_size(len);
	whea_st32(p, FRAME_MAGIC);
	whea_st16(p + 4, (uint16_t)kind);
	whea_st16(p + 6, FRAME_HDR);
	whea_st32(p + 8, len);
	whea_st32(p + 12, len ? whea_crc32c(0, payload, len) : 0);
	whea_st64(p + 16, id);
	whea_st64(p + 24, seq);
	whea_st32(p + 32, 0);
	whea_st32(p + 36, whea_crc32c(0, p, 36));
	if (len)
		memcpy(p + FRAME_HDR, payload, len);
	memset(p + FRAME_HDR + len, 0, size - FRAME_HDR - len);
	return p + size;
}

/* Makes room for need more bytes: compacts when that is enough, else WHEA_EFULL. */
static int make_room(fstore *f, uint64_t need, uint64_t skip)
{
	if (f->end + need <= f->capacity)
		return 0;
	if (HDR_SIZE + f->idx.live_bytes + need > f->capacity)
		return whea_error_set(WHEA_EFULL, -1, f->dir, "store %s is full: %llu of %llu bytes hold %zu "
				      "unread records and %llu more are needed; clear records or raise the capacity",
				      f->dir, (unsigned long long)(HDR_SIZE + f->idx.live_bytes),
				      (unsigned long long)f->capacity, f->idx.live, (unsigned long long)need);
	return compact_except(f, skip);
}

static int file_write(void *ctx, const whea_store_item *items, const uint64_t *ids, size_t count)
{
	fstore *f = ctx;
	int r = usable(f, 1);
	if (r || !count)
		return r;
	uint64_t total = 0;
	for (size_t i = 0; i < count; i++)
		total += frame_size(items[i].length);
	if (total > SIZE_MAX / 2)
		return whea_error_set(WHEA_ELIMIT, -1, f->dir, "batch of %llu bytes is too large", (unsigned long long)total);
	if ((r = lock(f, WHEA_OS_LOCK_EX)) != 0)
		return r;
	if ((r = refresh(f, 1)) != 0 || (r = make_room(f, total, 0)) != 0 ||
	    (r = sidx_reserve(&f->idx, count)) != 0 || (r = grow_buf(f, (size_t)total)) != 0)
		goto out;
	f->win_len = 0;
	uint8_t *p = f->buf;
	for (size_t i = 0; i < count; i++)
		p = put_frame(p, KIND_RECORD, ids[i], f->next_seq + i, items[i].record, items[i].length);
	if ((r = append(f, (size_t)total)) != 0)
		goto out;
	uint64_t off = f->end;
	for (size_t i = 0; i < count; i++) {
		uint32_t size = (uint32_t)frame_size(items[i].length);
		sidx_entry e = {ids[i], f->next_seq + i, off, items[i].length,
				whea_le32(f->buf + (off - f->end) + 12), size, 1};
		sidx_put(&f->idx, &e, NULL); /* cannot fail: reserved above */
		off += size;
	}
	f->next_seq += count;
	f->end = f->file_size = off;
	bump(f);
out:
	lock(f, WHEA_OS_UNLOCK);
	return r;
}

static int file_read(void *ctx, uint64_t id, uint64_t *next_id, uint32_t *length, void *buf)
{
	fstore *f = ctx;
	int r = usable(f, 0);
	if (r || (r = refresh(f, 0)) != 0)
		return r;
	if (!f->idx.live)
		return whea_error_set(WHEA_EEMPTY, -1, f->dir, "store %s holds no record", f->dir);
	size_t pos;
	const sidx_entry *e = id == WHEA_STORE_ID_FIRST ? sidx_live_from(&f->idx, 0, &pos) : sidx_get(&f->idx, id, &pos);
	if (!e)
		return whea_error_set(WHEA_ENOTFOUND, -1, f->dir, "store %s holds no record with id 0x%llx", f->dir,
				      (unsigned long long)id);
	if (*length < e->len) {
		*length = e->len;
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "record 0x%llx needs a buffer of %u bytes",
				      (unsigned long long)e->id, e->len);
	}
	if ((r = read_payload(f, e, buf)) != 0)
		return r;
	const sidx_entry *n = sidx_live_from(&f->idx, pos + 1, NULL);
	*next_id = n ? n->id : e->id;
	*length = e->len;
	return 0;
}

static int file_clear(void *ctx, uint64_t id)
{
	fstore *f = ctx;
	int r = usable(f, 1);
	if (r || (r = lock(f, WHEA_OS_LOCK_EX)) != 0)
		return r;
	if ((r = refresh(f, 1)) != 0)
		goto out;
	if (!sidx_get(&f->idx, id, NULL)) {
		r = whea_error_set(WHEA_ENOTFOUND, -1, f->dir, "store %s holds no record with id 0x%llx", f->dir,
				   (unsigned long long)id);
		goto out;
	}
	if (f->end + FRAME_HDR > f->capacity) {
		r = compact_except(f, id); /* no room for a clear frame: rewrite without the record */
		goto out;
	}
	if ((r = grow_buf(f, FRAME_HDR)) != 0)
		goto out;
	f->win_len = 0;
	put_frame(f->buf, KIND_CLEAR, id, f->next_seq, NULL, 0);
	if ((r = append(f, FRAME_HDR)) != 0)
		goto out;
	sidx_del(&f->idx, id, NULL);
	sidx_maybe_compact(&f->idx);
	f->next_seq++;
	f->end = f->file_size = f->end + FRAME_HDR;
	bump(f);
out:
	lock(f, WHEA_OS_UNLOCK);
	return r;
}

static int file_stat(void *ctx, whea_store_stat *st)
{
	fstore *f = ctx;
	int r = usable(f, 0);
	if (r || (r = refresh(f, 0)) != 0)
		return r;
	st->count = f->idx.live;
	st->capacity = f->capacity;
	st->used = HDR_SIZE + f->idx.live_bytes;
	st->free = st->used < st->capacity ? st->capacity - st->used : 0;
	st->file_bytes = f->file_size;
	st->damaged = f->damaged;
	return 0;
}

static int file_next(void *ctx, uint64_t *cursor, uint64_t *id)
{
	fstore *f = ctx;
	int r = usable(f, 0);
	if (r || (r = refresh(f, 0)) != 0)
		return r;
	const sidx_entry *e = sidx_after_seq(&f->idx, *cursor);
	if (!e)
		return WHEA_ENOTFOUND;
	*cursor = e->seq;
	*id = e->id;
	return 0;
}

static int file_verify(void *ctx, whea_store_problem_fn fn, void *fnctx)
{
	fstore *f = ctx;
	int r = usable(f, 0);
	if (r || (r = refresh(f, 0)) != 0)
		return r;
	whea_os_stat st;
	if ((r = f->os->fstat(f->os->ctx, f->log_fd, &st)) != 0)
		return whea_store_oserr(r, "cannot stat", f->log_path, -1);
	f->win_len = 0;
	scanner s = {f, st.size, f->base_seq, NULL, fn, fnctx, 0, 0};
	if ((r = scan(&s, HDR_SIZE)) != 0)
		return r;
	f->win_len = 0;
	return (int)(s.damaged + (s.tail < st.size));
}

static int file_compact(void *ctx)
{
	fstore *f = ctx;
	int r = usable(f, 1);
	if (r || (r = lock(f, WHEA_OS_LOCK_EX)) != 0)
		return r;
	if ((r = refresh(f, 1)) == 0)
		r = compact_except(f, WHEA_STORE_ID_INVALID);
	lock(f, WHEA_OS_UNLOCK);
	return r;
}

/* ---- Open and close -------------------------------------------------------------------------- */

static void file_close(void *ctx)
{
	fstore *f = ctx;
	if (!f)
		return;
	const whea_store_os *os = f->os;
	unmap_log(f);
	if (f->counter)
		os->unmap(os->ctx, f->counter, LOCK_MAP_SIZE);
	if (f->lock_fd >= 0)
		os->close(os->ctx, f->lock_fd);
	if (f->log_fd >= 0)
		os->close(os->ctx, f->log_fd);
	sidx_free(&f->idx);
	os->free(os->ctx, f->buf);
	os->free(os->ctx, f->dir);
	os->free(os->ctx, f->log_path);
	os->free(os->ctx, f->tmp_path);
	os->free(os->ctx, f->lock_path);
	os->free(os->ctx, f);
}

static char *dup_str(const whea_store_os *os, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = os->alloc(os->ctx, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

/* Opens store.lock and maps its change counter. A read-only open of a store without a lock file
 * works unlocked (no writer can exist without one). */
static int open_lock(fstore *f)
{
	int flags = f->readonly ? WHEA_OS_RDONLY : WHEA_OS_RDWR | WHEA_OS_CREATE;
	int r = f->os->open(f->os->ctx, f->lock_path, flags, &f->lock_fd);
	if (r) {
		f->lock_fd = -1;
		if (f->readonly && (r == -ENOENT || r == -EACCES))
			return 0;
		return whea_store_oserr(r, "cannot open the lock file", f->lock_path, -1);
	}
	whea_os_stat st;
	if ((r = f->os->fstat(f->os->ctx, f->lock_fd, &st)) != 0)
		return whea_store_oserr(r, "cannot stat", f->lock_path, -1);
	if (st.size < LOCK_MAP_SIZE) {
		if (f->readonly)
			return 0;
		if ((r = f->os->truncate(f->os->ctx, f->lock_fd, LOCK_MAP_SIZE)) != 0)
			return whea_store_oserr(r, "cannot size", f->lock_path, -1);
	}
	void *m;
	if (f->os->map(f->os->ctx, f->lock_fd, LOCK_MAP_SIZE, &m) == 0)
		f->counter = m;
	return 0;
}

static int open_store(fstore *f, const whea_store_opts *o)
{
	int r;
	whea_os_stat st;
	if (!f->readonly && !(o->flags & WHEA_STORE_NOCREATE) && (r = whea_store_mkdirs(f->os, f->dir)) != 0)
		return r;
	if ((r = f->os->stat(f->os->ctx, f->dir, &st)) != 0)
		return whea_store_oserr(r, "no store directory", f->dir, -1);
	if ((r = open_lock(f)) != 0)
		return r;
	if ((r = lock(f, f->readonly ? WHEA_OS_LOCK_SH : WHEA_OS_LOCK_EX)) != 0)
		return r;
	if ((r = f->os->stat(f->os->ctx, f->log_path, &st)) == -ENOENT) {
		if (f->readonly || (o->flags & WHEA_STORE_NOCREATE))
			r = whea_error_set(WHEA_ENOTFOUND, -1, f->dir, "no store in %s (no %s)", f->dir, LOG_NAME);
		else
			r = create_log(f, o->capacity ? o->capacity : DEFAULT_CAPACITY);
	} else if (r) {
		r = whea_store_oserr(r, "cannot stat", f->log_path, -1);
	} else if (!f->readonly) {
		f->os->unlink(f->os->ctx, f->tmp_path); /* a compaction that did not finish */
		/* A rename whose directory sync failed before (the handle that did it was poisoned)
		 * is made durable now, before anything new is acknowledged on top of it. */
		r = sync_dir(f);
	}
	if (!r && !(r = open_log(f)) && !(r = full_scan(f)) && !f->readonly && f->file_size > f->end) {
		/* Cut the torn tail now, so the next frame follows the last good one. */
		if ((r = f->os->truncate(f->os->ctx, f->log_fd, f->end)) != 0)
			r = whea_store_oserr(r, "cannot cut the torn tail of", f->log_path, (int64_t)f->end);
		else if (!(r = sync_fd(f, f->log_fd, 0, f->log_path)))
			f->file_size = f->end;
	}
	if (!r && f->counter)
		f->seen = __atomic_load_n(f->counter, __ATOMIC_ACQUIRE);
	lock(f, WHEA_OS_UNLOCK);
	return r;
}

static int file_open(void **ctx, const char *location, const whea_store_opts *o)
{
	const whea_store_os *os = o->os;
	char defdir[4096];
	if (!location || !location[0]) {
		int r = whea_store_default_dir(defdir, sizeof defdir);
		if (r)
			return r;
		location = defdir;
	}
	if (o->capacity && o->capacity < MIN_CAPACITY)
		return whea_error_set(WHEA_EINVAL, -1, location, "capacity %llu is below the minimum of %u bytes",
				      (unsigned long long)o->capacity, MIN_CAPACITY);
	fstore *f = os->alloc(os->ctx, sizeof *f);
	if (!f)
		return whea_error_set(WHEA_ENOMEM, -1, location, "out of memory opening %s", location);
	memset(f, 0, sizeof *f);
	f->os = os;
	f->log_fd = f->lock_fd = -1;
	f->readonly = (o->flags & WHEA_STORE_READONLY) != 0;
	sidx_init(&f->idx, os);
	f->dir = dup_str(os, location);
	if (f->dir) {
		f->log_path = whea_store_path(os, location, LOG_NAME);
		f->tmp_path = whea_store_path(os, location, TMP_NAME);
		f->lock_path = whea_store_path(os, location, LOCK_NAME);
	}
	int r = (!f->dir || !f->log_path || !f->tmp_path || !f->lock_path)
			? whea_error_set(WHEA_ENOMEM, -1, location, "out of memory opening %s", location)
			: open_store(f, o);
	if (r) {
		file_close(f);
		return r;
	}
	*ctx = f;
	return 0;
}

const whea_store_backend whea_store_backend_file = {
	.size = sizeof(whea_store_backend),
	.version = WHEA_STORE_BACKEND_VERSION,
	.name = "file",
	.open = file_open,
	.close = file_close,
	.write = file_write,
	.read = file_read,
	.clear = file_clear,
	.stat = file_stat,
	.next = file_next,
	.verify = file_verify,
	.compact = file_compact,
};
