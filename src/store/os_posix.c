/* store/os_posix.c — the real operating-system calls behind whea_store_os: every file, lock,
 * map and allocation call of the built-in store backends goes through this table, so tests can
 * replace it with a crash simulator or fault injection. Errors are returned as -errno. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "whea/store.h"

static int neg_errno(void) { return errno ? -errno : -EIO; }

static int px_open(void *ctx, const char *path, int flags, int *fd)
{
	(void)ctx;
	int f = O_CLOEXEC;
	if (flags & WHEA_OS_DIR)
		f |= O_RDONLY | O_DIRECTORY;
	else
		f |= (flags & WHEA_OS_RDWR) ? O_RDWR : O_RDONLY;
	if (flags & WHEA_OS_CREATE)
		f |= O_CREAT;
	if (flags & WHEA_OS_EXCL)
		f |= O_EXCL;
	if (flags & WHEA_OS_TRUNC)
		f |= O_TRUNC;
	int r;
	do
		r = open(path, f, 0644);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return neg_errno();
	*fd = r;
	return 0;
}

static int px_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd) < 0 && errno != EINTR ? neg_errno() : 0;
}

static int64_t px_pread(void *ctx, int fd, void *buf, size_t n, uint64_t off)
{
	(void)ctx;
	ssize_t r;
	do
		r = pread(fd, buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? neg_errno() : (int64_t)r;
}

static int64_t px_pwrite(void *ctx, int fd, const void *buf, size_t n, uint64_t off)
{
	(void)ctx;
	ssize_t r;
	do
		r = pwrite(fd, buf, n, (off_t)off);
	while (r < 0 && errno == EINTR);
	return r < 0 ? neg_errno() : (int64_t)r;
}

static int px_datasync(void *ctx, int fd)
{
	(void)ctx;
	return fdatasync(fd) < 0 ? neg_errno() : 0;
}

static int px_sync(void *ctx, int fd)
{
	(void)ctx;
	return fsync(fd) < 0 ? neg_errno() : 0;
}

static int px_truncate(void *ctx, int fd, uint64_t len)
{
	(void)ctx;
	int r;
	do
		r = ftruncate(fd, (off_t)len);
	while (r < 0 && errno == EINTR);
	return r < 0 ? neg_errno() : 0;
}

static void fill_stat(const struct stat *s, whea_os_stat *st)
{
	st->size = (uint64_t)s->st_size;
	st->ino = (uint64_t)s->st_ino;
	st->dev = (uint64_t)s->st_dev;
	st->mode = (uint32_t)s->st_mode;
}

static int px_fstat(void *ctx, int fd, whea_os_stat *st)
{
	(void)ctx;
	struct stat s;
	if (fstat(fd, &s) < 0)
		return neg_errno();
	fill_stat(&s, st);
	return 0;
}

static int px_stat(void *ctx, const char *path, whea_os_stat *st)
{
	(void)ctx;
	struct stat s;
	if (stat(path, &s) < 0)
		return neg_errno();
	fill_stat(&s, st);
	return 0;
}

static int px_rename(void *ctx, const char *from, const char *to)
{
	(void)ctx;
	return rename(from, to) < 0 ? neg_errno() : 0;
}

static int px_unlink(void *ctx, const char *path)
{
	(void)ctx;
	return unlink(path) < 0 ? neg_errno() : 0;
}

static int px_mkdir(void *ctx, const char *path)
{
	(void)ctx;
	return mkdir(path, 0755) < 0 ? neg_errno() : 0;
}

static int px_lock(void *ctx, int fd, int how)
{
	(void)ctx;
	int op = how == WHEA_OS_LOCK_EX ? LOCK_EX : how == WHEA_OS_LOCK_SH ? LOCK_SH : LOCK_UN;
	int r;
	do
		r = flock(fd, op);
	while (r < 0 && errno == EINTR);
	return r < 0 ? neg_errno() : 0;
}

static int px_listdir(void *ctx, const char *path, whea_os_dirent_fn fn, void *arg)
{
	(void)ctx;
	DIR *d = opendir(path);
	if (!d)
		return neg_errno();
	int r = 0;
	struct dirent *e;
	errno = 0;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((r = fn(arg, e->d_name)) != 0)
			break;
		errno = 0;
	}
	if (!e && errno)
		r = neg_errno();
	closedir(d);
	return r;
}

static int px_map(void *ctx, int fd, size_t len, void **addr)
{
	(void)ctx;
	int fl = fcntl(fd, F_GETFL);
	int prot = PROT_READ | ((fl >= 0 && (fl & O_ACCMODE) == O_RDWR) ? PROT_WRITE : 0);
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return neg_errno();
	*addr = p;
	return 0;
}

static void px_unmap(void *ctx, void *addr, size_t len)
{
	(void)ctx;
	munmap(addr, len);
}

static void *px_alloc(void *ctx, size_t n) { (void)ctx; return malloc(n ? n : 1); }
static void *px_realloc(void *ctx, void *p, size_t n) { (void)ctx; return realloc(p, n ? n : 1); }
static void px_free(void *ctx, void *p) { (void)ctx; free(p); }

static int px_make_mutable(void *ctx, int fd)
{
	(void)ctx;
	int flags;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return 0; /* not a file system with attributes (tmpfs, a test directory) */
	if (!(flags & FS_IMMUTABLE_FL))
		return 0;
	flags &= ~FS_IMMUTABLE_FL;
	return ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0 ? neg_errno() : 0;
}

static const whea_store_os posix_os = {
	.size = sizeof(whea_store_os),
	.version = WHEA_STORE_OS_VERSION,
	.ctx = NULL,
	.open = px_open,
	.close = px_close,
	.pread = px_pread,
	.pwrite = px_pwrite,
	.datasync = px_datasync,
	.sync = px_sync,
	.truncate = px_truncate,
	.fstat = px_fstat,
	.stat = px_stat,
	.rename = px_rename,
	.unlink = px_unlink,
	.mkdir = px_mkdir,
	.lock = px_lock,
	.listdir = px_listdir,
	.map = px_map,
	.unmap = px_unmap,
	.alloc = px_alloc,
	.realloc = px_realloc,
	.free = px_free,
	.make_mutable = px_make_mutable,
};

const whea_store_os *whea_store_os_default(void) { return &posix_os; }
