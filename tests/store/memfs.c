/* tests/store/memfs.c — the in-memory file system with a durability model behind whea_store_os
 * (see memfs.h for the model). Nodes are never freed while the file system lives: a crash builds
 * new nodes from the durable state and moves the old ones to a graveyard, so the dead process's
 * descriptors and maps keep pointing at memory that no longer matters. */
#include "memfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define SECTOR 512u
#define PIN_ROUND 65536u    /* capacity of a mapped file's buffer is rounded up to this */
/* Room a mapped file keeps for growth: its buffer cannot move while mapped, and real files grow
 * under their mappings (the store appends while readers map the log). Virtual memory only. */
#define PIN_SLACK (32u << 20)
#define MAX_PATH_LEN 4096u

/* ---- nodes ----------------------------------------------------------------------------------- */

enum { OP_WRITE, OP_TRUNC };
typedef struct fop {          /* a file change since the last sync */
	int kind;
	uint64_t off;         /* write offset, or the new length */
	size_t len;
	uint8_t *bytes;
} fop;

enum { DOP_LINK, DOP_UNLINK, DOP_RENAME };
typedef struct mnode mnode;
typedef struct dent {
	char *name;
	mnode *node;
} dent;
typedef struct dop {          /* a directory entry change since the last sync */
	int kind;
	char *a, *b;          /* LINK: a; UNLINK: a; RENAME: a -> b */
	mnode *node;          /* LINK, RENAME */
} dop;

typedef struct buf {
	uint8_t *p;
	size_t len, cap;
	bool anon;            /* p is an anonymous mapping (a pinned file's room to grow), not malloc'd */
} buf;

typedef struct vec {          /* a growable array of fixed-size items */
	void *p;
	size_t n, cap;
} vec;

struct mnode {
	bool dir;
	uint64_t ino;
	buf data;             /* file: current content */
	buf durable;          /* file: content as of the last sync */
	vec ops;              /* file: fop since the last sync */
	int maps;             /* file: live maps (data.p is pinned while > 0) */
	vec ents;             /* dir: dent, current */
	vec dents;            /* dir: dent, durable */
	vec dops;             /* dir: dop since the last sync */
	mnode *next;          /* all nodes of one generation */
	mnode *copy;          /* during a crash: the post-crash node */
};

typedef struct mfd {
	mnode *node;          /* NULL: free slot */
	int flags;
	int lock;             /* WHEA_OS_UNLOCK, _SH, _EX */
	bool dead;            /* opened before a crash */
} mfd;

struct memfs {
	whea_store_os os;
	mnode *root;
	mnode *all;           /* the current generation */
	mnode *grave;         /* earlier generations */
	mfd *fds;             /* descriptor d is fds[d - FD_BASE]; descriptors are never reused */
	size_t nfds, capfds;
	uint64_t next_ino;
	uint64_t syncs, crash_at, crash_seed;
	bool crash_is_kill;
	bool dead;
	long live_allocs;
	unsigned misuse;
	char misuse_text[200];
	memfs_crash_report report;
};

#define FD_BASE 3

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "memfs: out of memory\n");
		abort();
	}
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "memfs: out of memory\n");
		abort();
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static void *vec_push(vec *v, size_t size)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->p = xrealloc(v->p, v->cap * size);
	}
	void *item = (char *)v->p + v->n++ * size;
	memset(item, 0, size);
	return item;
}

static void misuse(memfs *fs, const char *what, long arg)
{
	if (fs->dead)
		return;
	fs->misuse++;
	snprintf(fs->misuse_text, sizeof fs->misuse_text, "%s (%ld)", what, arg);
}

static void buf_free(buf *b);

static mnode *node_new(memfs *fs, bool dir, uint64_t ino)
{
	mnode *n = calloc(1, sizeof *n);
	if (!n)
		abort();
	n->dir = dir;
	n->ino = ino ? ino : fs->next_ino++;
	n->next = fs->all;
	fs->all = n;
	return n;
}

static void ops_clear(mnode *n)
{
	fop *o = n->ops.p;
	for (size_t i = 0; i < n->ops.n; i++)
		free(o[i].bytes);
	n->ops.n = 0;
	dop *d = n->dops.p;
	for (size_t i = 0; i < n->dops.n; i++) {
		free(d[i].a);
		free(d[i].b);
	}
	n->dops.n = 0;
}

static void dents_clear(vec *v)
{
	dent *e = v->p;
	for (size_t i = 0; i < v->n; i++)
		free(e[i].name);
	v->n = 0;
}

static void node_free(mnode *n)
{
	ops_clear(n);
	dents_clear(&n->ents);
	dents_clear(&n->dents);
	free(n->ops.p);
	free(n->dops.p);
	free(n->ents.p);
	free(n->dents.p);
	buf_free(&n->data);
	buf_free(&n->durable);
	free(n);
}

/* ---- content buffers ----------------------------------------------------------------------- */

/* Makes room for len bytes; a pinned (mapped) buffer cannot move. */
static int buf_reserve(buf *b, size_t len, bool pinned)
{
	if (len <= b->cap)
		return 0;
	if (pinned)
		return -EFBIG;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < len)
		cap *= 2;
	if (b->anon) { /* leaving an anonymous mapping: back to the heap */
		uint8_t *p = xrealloc(NULL, cap);
		memcpy(p, b->p, b->len);
		munmap(b->p, b->cap);
		b->p = p;
		b->anon = false;
	} else {
		b->p = xrealloc(b->p, cap);
	}
	b->cap = cap;
	return 0;
}

static void buf_free(buf *b)
{
	if (b->anon)
		munmap(b->p, b->cap);
	else
		free(b->p);
}

/* Gives a buffer about to be pinned room to grow, in an anonymous mapping: its pages cost nothing
 * until written (a malloc'd block would be filled under MALLOC_PERTURB_, as meson sets it). */
static void buf_make_room(buf *b, size_t cap)
{
	if (cap <= b->cap)
		return;
	void *p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		buf_reserve(b, cap, false);
		return;
	}
	if (b->len)
		memcpy(p, b->p, b->len);
	buf_free(b);
	b->p = p;
	b->cap = cap;
	b->anon = true;
}

static int buf_resize(buf *b, size_t len, bool pinned)
{
	int r = buf_reserve(b, len, pinned);
	if (r)
		return r;
	if (len > b->len)
		memset(b->p + b->len, 0, len - b->len);
	b->len = len;
	return 0;
}

static int buf_write(buf *b, const void *src, size_t n, uint64_t off, bool pinned)
{
	if (off + n > b->len) {
		int r = buf_resize(b, off + n, pinned);
		if (r)
			return r;
	}
	if (n)
		memcpy(b->p + off, src, n);
	return 0;
}

static void buf_copy(buf *dst, const buf *src)
{
	buf_resize(dst, 0, false);
	buf_write(dst, src->p, src->len, 0, false);
}

/* ---- directories ----------------------------------------------------------------------------- */

static dent *ent_find(vec *v, const char *name)
{
	dent *e = v->p;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(e[i].name, name))
			return &e[i];
	return NULL;
}

static void ent_set(vec *v, const char *name, mnode *node)
{
	dent *e = ent_find(v, name);
	if (!e) {
		e = vec_push(v, sizeof *e);
		e->name = xstrdup(name);
	}
	e->node = node;
}

static void ent_del(vec *v, const char *name)
{
	dent *e = ent_find(v, name);
	if (!e)
		return;
	free(e->name);
	dent *all = v->p;
	size_t i = (size_t)(e - all);
	memmove(&all[i], &all[i + 1], (v->n - i - 1) * sizeof *all);
	v->n--;
}

/* Applies one directory operation to an entry list. */
static void dop_apply(vec *ents, const dop *d)
{
	if (d->kind == DOP_LINK) {
		ent_set(ents, d->a, d->node);
	} else if (d->kind == DOP_UNLINK) {
		ent_del(ents, d->a);
	} else {
		ent_del(ents, d->a);
		ent_set(ents, d->b, d->node);
	}
}

/* Records a directory operation and applies it to the current entries. */
static void dir_op(mnode *dir, int kind, const char *a, const char *b, mnode *node)
{
	dop *d = vec_push(&dir->dops, sizeof *d);
	d->kind = kind;
	d->a = xstrdup(a);
	d->b = b ? xstrdup(b) : NULL;
	d->node = node;
	dop_apply(&dir->ents, d);
}

static void dents_copy(vec *dst, const vec *src)
{
	dents_clear(dst);
	const dent *e = src->p;
	for (size_t i = 0; i < src->n; i++)
		ent_set(dst, e[i].name, e[i].node);
}

/* ---- paths ---------------------------------------------------------------------------------- */

/* Splits path into its parent directory node and its last component (copied into leaf).
 * A path of "/" gives the root with an empty leaf. */
static int resolve(memfs *fs, const char *path, mnode **parent, char leaf[MAX_PATH_LEN])
{
	if (!path || strlen(path) >= MAX_PATH_LEN)
		return -ENAMETOOLONG;
	char tmp[MAX_PATH_LEN];
	strcpy(tmp, path);
	mnode *dir = fs->root;
	leaf[0] = 0;
	char *save = NULL;
	char *c = strtok_r(tmp, "/", &save);
	while (c) {
		char *nextc = strtok_r(NULL, "/", &save);
		if (!strcmp(c, ".")) {
			c = nextc;
			continue;
		}
		if (!nextc) {
			strcpy(leaf, c);
			break;
		}
		dent *e = ent_find(&dir->ents, c);
		if (!e)
			return -ENOENT;
		if (!e->node->dir)
			return -ENOTDIR;
		dir = e->node;
		c = nextc;
	}
	*parent = dir;
	return 0;
}

/* The node at path, or NULL with *err set. */
static mnode *lookup(memfs *fs, const char *path, int *err)
{
	mnode *dir;
	char leaf[MAX_PATH_LEN];
	int r = resolve(fs, path, &dir, leaf);
	if (r) {
		*err = r;
		return NULL;
	}
	if (!leaf[0])
		return dir;
	dent *e = ent_find(&dir->ents, leaf);
	if (!e) {
		*err = -ENOENT;
		return NULL;
	}
	return e->node;
}

/* ---- descriptors ---------------------------------------------------------------------------- */

static mfd *getfd(memfs *fs, int fd, const char *what)
{
	if (fd < FD_BASE || (size_t)(fd - FD_BASE) >= fs->nfds || !fs->fds[fd - FD_BASE].node) {
		misuse(fs, what, fd);
		return NULL;
	}
	mfd *f = &fs->fds[fd - FD_BASE];
	if (f->dead) {
		misuse(fs, what, fd);
		return NULL;
	}
	return f;
}

/* What the descriptor calls do first: fail once the machine is "dead", then find the descriptor
 * (what: the misuse to report when it is not open). 0 with *fsp and *fp set, or -errno. */
static int enter_fd(void *ctx, int fd, const char *what, memfs **fsp, mfd **fp)
{
	memfs *fs = *fsp = ctx;
	if (fs->dead)
		return -EIO;
	return (*fp = getfd(fs, fd, what)) ? 0 : -EBADF;
}

/* The same for a call that writes: the descriptor must be a file opened read-write. */
static int enter_wfd(void *ctx, int fd, const char *what, const char *not_writable, memfs **fsp, mfd **fp)
{
	int r = enter_fd(ctx, fd, what, fsp, fp);
	if (r == 0 && ((*fp)->node->dir || !((*fp)->flags & WHEA_OS_RDWR))) {
		misuse(*fsp, not_writable, fd);
		return -EBADF;
	}
	return r;
}

/* ---- the OS table ---------------------------------------------------------------------------- */

/* What every path call does first: fail once the machine is "dead", then find the parent
 * directory of path and its last component. */
static int enter(void *ctx, const char *path, memfs **fs, mnode **dir, char *leaf)
{
	*fs = ctx;
	if ((*fs)->dead)
		return -EIO;
	return resolve(*fs, path, dir, leaf);
}

static int m_open(void *ctx, const char *path, int flags, int *fd)
{
	memfs *fs;
	mnode *dir;
	char leaf[MAX_PATH_LEN];
	int r = enter(ctx, path, &fs, &dir, leaf);
	if (r)
		return r;
	mnode *n = dir;
	if (leaf[0]) {
		dent *e = ent_find(&dir->ents, leaf);
		if (!e) {
			if (!(flags & WHEA_OS_CREATE) || (flags & WHEA_OS_DIR))
				return -ENOENT;
			n = node_new(fs, false, 0);
			dir_op(dir, DOP_LINK, leaf, NULL, n);
		} else {
			if ((flags & WHEA_OS_CREATE) && (flags & WHEA_OS_EXCL))
				return -EEXIST;
			n = e->node;
		}
	}
	if ((flags & WHEA_OS_DIR) && !n->dir)
		return -ENOTDIR;
	if (n->dir && (flags & (WHEA_OS_RDWR | WHEA_OS_TRUNC)))
		return -EISDIR;
	if ((flags & WHEA_OS_TRUNC) && (flags & WHEA_OS_RDWR) && n->data.len) {
		if (buf_resize(&n->data, 0, n->maps > 0))
			return -EFBIG;
		fop *o = vec_push(&n->ops, sizeof *o);
		o->kind = OP_TRUNC;
	}
	if (fs->nfds == fs->capfds) {
		fs->capfds = fs->capfds ? fs->capfds * 2 : 64;
		fs->fds = xrealloc(fs->fds, fs->capfds * sizeof *fs->fds);
	}
	fs->fds[fs->nfds] = (mfd){n, flags, WHEA_OS_UNLOCK, false};
	*fd = (int)fs->nfds++ + FD_BASE;
	return 0;
}

static int m_close(void *ctx, int fd)
{
	memfs *fs = ctx;
	if (fd < FD_BASE || (size_t)(fd - FD_BASE) >= fs->nfds || !fs->fds[fd - FD_BASE].node) {
		misuse(fs, "close of a bad descriptor", fd);
		return -EBADF;
	}
	fs->fds[fd - FD_BASE].node = NULL;
	return 0;
}

static int64_t m_pread(void *ctx, int fd, void *out, size_t n, uint64_t off)
{
	memfs *fs;
	mfd *f;
	int r = enter_fd(ctx, fd, "pread on a bad descriptor", &fs, &f);
	if (r)
		return r;
	if (f->node->dir)
		return -EISDIR;
	const buf *b = &f->node->data;
	if (off >= b->len)
		return 0;
	if (n > b->len - off)
		n = (size_t)(b->len - off);
	memcpy(out, b->p + off, n);
	return (int64_t)n;
}

static int64_t m_pwrite(void *ctx, int fd, const void *src, size_t n, uint64_t off)
{
	memfs *fs;
	mfd *f;
	int r = enter_wfd(ctx, fd, "pwrite on a bad descriptor", "pwrite on a descriptor not open for writing", &fs, &f);
	if (r)
		return r;
	if (!n)
		return 0;
	mnode *nd = f->node;
	r = buf_write(&nd->data, src, n, off, nd->maps > 0);
	if (r)
		return r;
	fop *o = vec_push(&nd->ops, sizeof *o);
	o->kind = OP_WRITE;
	o->off = off;
	o->len = n;
	o->bytes = memcpy(xmalloc(n), src, n);
	return (int64_t)n;
}

static int do_sync(memfs *fs, int fd)
{
	fs->syncs++;
	if (fs->dead)
		return -EIO;
	if (fs->crash_at && fs->syncs == fs->crash_at) {
		if (fs->crash_is_kill)
			memfs_kill(fs);
		else
			memfs_crash(fs, fs->crash_seed);
		return -EIO;
	}
	mfd *f = getfd(fs, fd, "sync on a bad descriptor");
	if (!f)
		return -EBADF;
	mnode *n = f->node;
	if (n->dir) {
		dents_copy(&n->dents, &n->ents);
	} else {
		buf_copy(&n->durable, &n->data);
	}
	ops_clear(n);
	return 0;
}

static int m_datasync(void *ctx, int fd) { return do_sync(ctx, fd); }
static int m_sync(void *ctx, int fd) { return do_sync(ctx, fd); }

static int m_truncate(void *ctx, int fd, uint64_t len)
{
	memfs *fs;
	mfd *f;
	int r = enter_wfd(ctx, fd, "truncate on a bad descriptor", "truncate on a descriptor not open for writing", &fs, &f);
	if (r)
		return r;
	mnode *n = f->node;
	if (buf_resize(&n->data, (size_t)len, n->maps > 0))
		return -EFBIG;
	fop *o = vec_push(&n->ops, sizeof *o);
	o->kind = OP_TRUNC;
	o->off = len;
	return 0;
}

static void fill_stat(const mnode *n, whea_os_stat *st)
{
	st->size = n->dir ? 4096 : n->data.len;
	st->ino = n->ino;
	st->dev = 42;
	st->mode = n->dir ? (S_IFDIR | 0755) : (S_IFREG | 0644);
}

static int m_fstat(void *ctx, int fd, whea_os_stat *st)
{
	memfs *fs;
	mfd *f;
	int r = enter_fd(ctx, fd, "fstat on a bad descriptor", &fs, &f);
	if (r)
		return r;
	fill_stat(f->node, st);
	return 0;
}

static int m_stat(void *ctx, const char *path, whea_os_stat *st)
{
	memfs *fs = ctx;
	if (fs->dead)
		return -EIO;
	int err;
	mnode *n = lookup(fs, path, &err);
	if (!n)
		return err;
	fill_stat(n, st);
	return 0;
}

static int m_rename(void *ctx, const char *from, const char *to)
{
	memfs *fs = ctx;
	if (fs->dead)
		return -EIO;
	mnode *da, *db;
	char a[MAX_PATH_LEN], b[MAX_PATH_LEN];
	int r = resolve(fs, from, &da, a);
	if (!r)
		r = resolve(fs, to, &db, b);
	if (r)
		return r;
	if (!a[0] || !b[0])
		return -EBUSY;
	dent *ea = ent_find(&da->ents, a);
	if (!ea)
		return -ENOENT;
	mnode *n = ea->node;
	dent *eb = ent_find(&db->ents, b);
	if (eb && eb->node == n)
		return 0;
	if (eb && eb->node->dir && !n->dir)
		return -EISDIR;
	if (eb && !eb->node->dir && n->dir)
		return -ENOTDIR;
	if (eb && eb->node->dir && eb->node->ents.n)
		return -ENOTEMPTY;
	if (da == db) {
		dir_op(da, DOP_RENAME, a, b, n);
	} else { /* two directories: each side becomes durable on its own */
		dir_op(db, DOP_LINK, b, NULL, n);
		dir_op(da, DOP_UNLINK, a, NULL, NULL);
	}
	return 0;
}

static int m_unlink(void *ctx, const char *path)
{
	memfs *fs;
	mnode *dir;
	char leaf[MAX_PATH_LEN];
	int r = enter(ctx, path, &fs, &dir, leaf);
	if (r)
		return r;
	dent *e = leaf[0] ? ent_find(&dir->ents, leaf) : NULL;
	if (!e)
		return -ENOENT;
	if (e->node->dir)
		return -EISDIR;
	dir_op(dir, DOP_UNLINK, leaf, NULL, NULL);
	return 0;
}

static int m_mkdir(void *ctx, const char *path)
{
	memfs *fs;
	mnode *dir;
	char leaf[MAX_PATH_LEN];
	int r = enter(ctx, path, &fs, &dir, leaf);
	if (r)
		return r;
	if (!leaf[0] || ent_find(&dir->ents, leaf))
		return -EEXIST;
	dir_op(dir, DOP_LINK, leaf, NULL, node_new(fs, true, 0));
	return 0;
}

static int m_lock(void *ctx, int fd, int how)
{
	memfs *fs = ctx;
	if (fs->dead)
		return how == WHEA_OS_UNLOCK ? 0 : -EIO;
	mfd *f = getfd(fs, fd, "lock on a bad descriptor");
	if (!f)
		return -EBADF;
	if (how != WHEA_OS_UNLOCK) {
		for (size_t i = 0; i < fs->nfds; i++) {
			const mfd *o = &fs->fds[i];
			if (o == f || o->node != f->node || o->dead || o->lock == WHEA_OS_UNLOCK)
				continue;
			if (how == WHEA_OS_LOCK_EX || o->lock == WHEA_OS_LOCK_EX)
				return -EDEADLK;
		}
	}
	f->lock = how;
	return 0;
}

static int m_listdir(void *ctx, const char *path, whea_os_dirent_fn fn, void *arg)
{
	memfs *fs = ctx;
	if (fs->dead)
		return -EIO;
	int err;
	mnode *n = lookup(fs, path, &err);
	if (!n)
		return err;
	if (!n->dir)
		return -ENOTDIR;
	/* A snapshot of the names, so fn may change the directory. */
	size_t cnt = n->ents.n;
	char **names = xmalloc(cnt * sizeof *names);
	const dent *e = n->ents.p;
	for (size_t i = 0; i < cnt; i++)
		names[i] = xstrdup(e[i].name);
	int r = 0;
	for (size_t i = 0; i < cnt && !r; i++)
		r = fn(arg, names[i]);
	for (size_t i = 0; i < cnt; i++)
		free(names[i]);
	free(names);
	return r;
}

static int m_map(void *ctx, int fd, size_t len, void **addr)
{
	memfs *fs;
	mfd *f;
	int r = enter_fd(ctx, fd, "map of a bad descriptor", &fs, &f);
	if (r)
		return r;
	mnode *n = f->node;
	if (n->dir || !len)
		return -EINVAL;
	if (len > n->data.len) {
		misuse(fs, "map beyond the end of the file (SIGBUS on access)", (long)len);
		return -EINVAL;
	}
	if (!n->maps) {
		size_t cap = (n->data.len + PIN_SLACK + PIN_ROUND - 1) / PIN_ROUND * PIN_ROUND;
		buf_make_room(&n->data, cap);
	}
	n->maps++;
	*addr = n->data.p;
	return 0;
}

static mnode *find_mapped(mnode *list, void *addr)
{
	for (mnode *n = list; n; n = n->next)
		if (n->maps && n->data.p == addr)
			return n;
	return NULL;
}

static void m_unmap(void *ctx, void *addr, size_t len)
{
	memfs *fs = ctx;
	mnode *n = find_mapped(fs->all, addr);
	if (!n)
		n = find_mapped(fs->grave, addr);
	if (!n) {
		misuse(fs, "unmap of an address that is not mapped", (long)len);
		return;
	}
	n->maps--;
}

static void *m_alloc(void *ctx, size_t n)
{
	memfs *fs = ctx;
	void *p = malloc(n ? n : 1);
	if (p)
		fs->live_allocs++;
	return p;
}

static void *m_realloc(void *ctx, void *p, size_t n)
{
	memfs *fs = ctx;
	void *q = realloc(p, n ? n : 1);
	if (q && !p)
		fs->live_allocs++;
	return q;
}

static void m_free(void *ctx, void *p)
{
	memfs *fs = ctx;
	if (p)
		fs->live_allocs--;
	free(p);
}

static int m_make_mutable(void *ctx, int fd)
{
	memfs *fs;
	mfd *f;
	return enter_fd(ctx, fd, "make_mutable on a bad descriptor", &fs, &f);
}

/* ---- crash ----------------------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

typedef struct chooser {
	uint64_t seed, state;
	memfs_crash_report *rep;
} chooser;

static unsigned pick(chooser *c, unsigned n) { return (unsigned)(rng_next(&c->state) % n); }

/* Applies one pending write to b as the crash leaves it: kept, dropped or torn. */
static void crash_write(chooser *c, buf *b, const fop *o)
{
	int mode = c->seed == 0 ? 0 : c->seed == 1 ? 1 : (int)pick(c, 3); /* 0 keep, 1 drop, 2 tear */
	uint64_t end = o->off + o->len;
	uint64_t first = o->off / SECTOR, last = (end - 1) / SECTOR;
	if (mode == 2 && first == last)
		mode = (int)pick(c, 2);
	if (mode == 0) {
		buf_write(b, o->bytes, o->len, o->off, false);
		c->rep->writes_kept++;
		return;
	}
	if (mode == 2) {
		/* Some sectors: a prefix (the usual tear), or any subset (writeback in any order). */
		bool prefix = pick(c, 2);
		uint64_t cut = first + 1 + pick(c, (unsigned)(last - first));
		for (uint64_t s = first; s <= last; s++) {
			if (prefix ? s >= cut : pick(c, 2))
				continue;
			uint64_t a = s * SECTOR > o->off ? s * SECTOR : o->off;
			uint64_t z = (s + 1) * SECTOR < end ? (s + 1) * SECTOR : end;
			buf_write(b, o->bytes + (a - o->off), (size_t)(z - a), a, false);
		}
		c->rep->writes_torn++;
	} else {
		c->rep->writes_dropped++;
	}
	if (end > b->len && c->seed > 1 && pick(c, 4) == 0) {
		buf_resize(b, (size_t)end, false); /* the size reached the disk, the data did not */
		c->rep->zero_extended++;
	}
}

/* The content a file has after the crash. */
static void crash_file(chooser *c, mnode *n, buf *out)
{
	buf_copy(out, &n->durable);
	const fop *o = n->ops.p;
	for (size_t i = 0; i < n->ops.n; i++) {
		if (o[i].kind == OP_WRITE) {
			crash_write(c, out, &o[i]);
		} else if (c->seed == 0 || (c->seed > 1 && pick(c, 2))) {
			buf_resize(out, (size_t)o[i].off, false);
			c->rep->truncs_kept++;
		} else {
			c->rep->truncs_dropped++;
		}
	}
}

/* The entries a directory has after the crash: the durable ones and a prefix of the pending. */
static void crash_dir(chooser *c, mnode *n, vec *out)
{
	dents_copy(out, &n->dents);
	size_t keep = c->seed == 0 ? n->dops.n : c->seed == 1 ? 0 : pick(c, (unsigned)n->dops.n + 1);
	const dop *d = n->dops.p;
	for (size_t i = 0; i < keep; i++)
		dop_apply(out, &d[i]);
	c->rep->dirops_kept += (unsigned)keep;
	c->rep->dirops_lost += (unsigned)(n->dops.n - keep);
}

/* Builds the post-crash node for n (and, for a directory, everything under it). */
static mnode *rebuild(memfs *fs, chooser *c, mnode *n)
{
	if (n->copy)
		return n->copy;
	mnode *m = node_new(fs, n->dir, n->ino);
	n->copy = m;
	if (!n->dir) {
		crash_file(c, n, &m->data);
		buf_copy(&m->durable, &m->data);
		return m;
	}
	vec ents = {0};
	crash_dir(c, n, &ents);
	const dent *e = ents.p;
	for (size_t i = 0; i < ents.n; i++)
		ent_set(&m->ents, e[i].name, rebuild(fs, c, e[i].node));
	dents_copy(&m->dents, &m->ents);
	dents_clear(&ents);
	free(ents.p);
	return m;
}

void memfs_crash(memfs *fs, uint64_t seed)
{
	if (fs->dead)
		return;
	memset(&fs->report, 0, sizeof fs->report);
	chooser c = {seed, seed * 0x2545F4914F6CDD1Dull + 17, &fs->report};
	mnode *old = fs->all;
	fs->all = NULL;
	fs->root = rebuild(fs, &c, fs->root);
	/* The old generation joins the graveyard. */
	mnode *last = old;
	while (last->next)
		last = last->next;
	last->next = fs->grave;
	fs->grave = old;
	for (mnode *n = old; n; n = n->next)
		n->copy = NULL;
	for (size_t i = 0; i < fs->nfds; i++)
		if (fs->fds[i].node)
			fs->fds[i].dead = true;
	fs->dead = true;
	fs->crash_at = 0;
}

/* The process dies; the machine (and every byte it was given) lives on. */
void memfs_kill(memfs *fs)
{
	for (size_t i = 0; i < fs->nfds; i++)
		if (fs->fds[i].node)
			fs->fds[i].dead = true;
	fs->dead = true;
	fs->crash_at = 0;
}

void memfs_kill_at(memfs *fs, uint64_t at)
{
	fs->crash_at = at;
	fs->crash_is_kill = true;
}

void memfs_reboot(memfs *fs) { fs->dead = false; }
bool memfs_crashed(const memfs *fs) { return fs->dead; }
uint64_t memfs_syncs(const memfs *fs) { return fs->syncs; }

void memfs_crash_at(memfs *fs, uint64_t at, uint64_t seed)
{
	fs->crash_at = at;
	fs->crash_seed = seed;
	fs->crash_is_kill = false;
}

void memfs_last_crash(const memfs *fs, memfs_crash_report *out) { *out = fs->report; }

/* ---- life cycle and introspection ------------------------------------------------------------ */

memfs *memfs_new(void)
{
	memfs *fs = calloc(1, sizeof *fs);
	if (!fs)
		abort();
	fs->next_ino = 2;
	fs->root = node_new(fs, true, 0);
	fs->os = (whea_store_os){
		.size = sizeof(whea_store_os),
		.version = WHEA_STORE_OS_VERSION,
		.ctx = fs,
		.open = m_open,
		.close = m_close,
		.pread = m_pread,
		.pwrite = m_pwrite,
		.datasync = m_datasync,
		.sync = m_sync,
		.truncate = m_truncate,
		.fstat = m_fstat,
		.stat = m_stat,
		.rename = m_rename,
		.unlink = m_unlink,
		.mkdir = m_mkdir,
		.lock = m_lock,
		.listdir = m_listdir,
		.map = m_map,
		.unmap = m_unmap,
		.alloc = m_alloc,
		.realloc = m_realloc,
		.free = m_free,
		.make_mutable = m_make_mutable,
	};
	return fs;
}

static void free_list(mnode *n)
{
	while (n) {
		mnode *next = n->next;
		node_free(n);
		n = next;
	}
}

void memfs_free(memfs *fs)
{
	if (!fs)
		return;
	free_list(fs->all);
	free_list(fs->grave);
	free(fs->fds);
	free(fs);
}

const whea_store_os *memfs_os(memfs *fs) { return &fs->os; }
long memfs_live_allocs(const memfs *fs) { return fs->live_allocs; }
unsigned memfs_misuse(const memfs *fs) { return fs->misuse; }
const char *memfs_misuse_text(const memfs *fs) { return fs->misuse_text; }

unsigned memfs_open_fds(const memfs *fs)
{
	unsigned n = 0;
	for (size_t i = 0; i < fs->nfds; i++)
		n += fs->fds[i].node != NULL;
	return n;
}

int memfs_mkdir_durable(memfs *fs, const char *path)
{
	char tmp[MAX_PATH_LEN];
	if (strlen(path) >= sizeof tmp)
		return -ENAMETOOLONG;
	strcpy(tmp, path);
	for (char *p = tmp + 1;; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = 0;
		int r = m_mkdir(fs, tmp);
		if (r && r != -EEXIST)
			return r;
		*p = c;
		if (!c)
			break;
	}
	/* Make every directory's entries durable. */
	for (mnode *n = fs->all; n; n = n->next)
		if (n->dir) {
			dents_copy(&n->dents, &n->ents);
			ops_clear(n);
		}
	return 0;
}

int memfs_get(memfs *fs, const char *path, uint8_t **data, size_t *len)
{
	int err;
	mnode *n = lookup(fs, path, &err);
	if (!n)
		return err;
	if (n->dir)
		return -EISDIR;
	*len = n->data.len;
	*data = xmalloc(n->data.len);
	if (n->data.len)
		memcpy(*data, n->data.p, n->data.len);
	return 0;
}

int memfs_put(memfs *fs, const char *path, const void *data, size_t len)
{
	int err;
	mnode *n = lookup(fs, path, &err);
	if (!n)
		return err;
	if (n->dir)
		return -EISDIR;
	if (buf_resize(&n->data, 0, n->maps > 0) || buf_write(&n->data, data, len, 0, n->maps > 0))
		return -EFBIG;
	buf_copy(&n->durable, &n->data);
	ops_clear(n);
	return 0;
}

bool memfs_exists(memfs *fs, const char *path)
{
	int err;
	return lookup(fs, path, &err) != NULL;
}

size_t memfs_pending_dirops(memfs *fs, const char *dir)
{
	int err;
	mnode *n = lookup(fs, dir, &err);
	return n && n->dir ? n->dops.n : 0;
}

size_t memfs_pending_writes(memfs *fs, const char *path)
{
	int err;
	mnode *n = lookup(fs, path, &err);
	return n && !n->dir ? n->ops.n : 0;
}
