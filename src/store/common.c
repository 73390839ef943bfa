/* store/common.c — helpers the built-in backends share: OS error to WHEA_E* code with a message
 * naming the file and offset, path joining and a durable mkdir -p (each new directory's entry is
 * fsync'd in its parent) through the OS table. */
#include <errno.h>
#include <string.h>

#include "store/backend.h"

int whea_store_oserr(int neg_errno, const char *what, const char *path, int64_t offset)
{
	int e = -neg_errno;
	int code = (e == ENOSPC || e == EDQUOT) ? WHEA_EFULL
		   : e == ENOMEM		    ? WHEA_ENOMEM
		   : e == ENOENT		    ? WHEA_ENOTFOUND
		   : (e == EACCES || e == EPERM || e == EROFS) ? WHEA_EUNSUCCESSFUL
						    : WHEA_EIO;
	const char *why = e == ENOSPC ? "no space left on the device (disk full)" : strerror(e);
	if (offset >= 0)
		return whea_error_set(code, offset, path, "%s %s at offset %llu: %s", what, path ? path : "",
				      (unsigned long long)offset, why);
	return whea_error_set(code, -1, path, "%s %s: %s", what, path ? path : "", why);
}

char *whea_store_path(const whea_store_os *os, const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = os->alloc(os->ctx, a + b + 2);
	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* Makes the entry for path durable in its parent directory (path is modified and restored). */
static int sync_parent(const whea_store_os *os, char *path)
{
	char *slash = strrchr(path, '/');
	const char *parent = "/";
	if (!slash)
		parent = ".";
	else if (slash != path)
		*slash = 0, parent = path;
	int fd, r = os->open(os->ctx, parent, WHEA_OS_DIR, &fd);
	if (!r) {
		r = os->sync(os->ctx, fd);
		os->close(os->ctx, fd);
	}
	if (r)
		r = whea_store_oserr(r, "cannot sync directory", parent, -1);
	if (slash && slash != path)
		*slash = '/';
	return r;
}

int whea_store_mkdirs(const whea_store_os *os, const char *dir)
{
	size_t n = strlen(dir);
	char *p = os->alloc(os->ctx, n + 1);
	if (!p)
		return whea_error_set(WHEA_ENOMEM, -1, dir, "out of memory");
	memcpy(p, dir, n + 1);
	int r = 0;
	/* Every level is made durable in its parent, also when it exists already: an earlier process
	 * may have created it and died before its own sync. Syncing a clean directory costs little. */
	for (size_t i = 1; i <= n && !r; i++) {
		if ((p[i] != '/' && p[i] != 0) || p[i - 1] == '/')
			continue;
		char c = p[i];
		p[i] = 0;
		int e = os->mkdir(os->ctx, p);
		if (e && e != -EEXIST)
			r = whea_store_oserr(e, "cannot create directory", p, -1);
		else
			r = sync_parent(os, p);
		p[i] = c;
	}
	os->free(os->ctx, p);
	return r;
}
