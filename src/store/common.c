/* store/common.c — helpers the built-in backends share: OS error to WHEA_E* code with a message
 * naming the file and offset, path joining and mkdir -p through the OS table. */
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

int whea_store_mkdirs(const whea_store_os *os, const char *dir)
{
	whea_os_stat st;
	if (os->stat(os->ctx, dir, &st) == 0)
		return 0;
	size_t n = strlen(dir);
	char *p = os->alloc(os->ctx, n + 1);
	if (!p)
		return whea_error_set(WHEA_ENOMEM, -1, dir, "out of memory");
	memcpy(p, dir, n + 1);
	int r = 0;
	for (size_t i = 1; i <= n && !r; i++) {
		if (p[i] != '/' && p[i] != 0)
			continue;
		char c = p[i];
		p[i] = 0;
		int e = os->mkdir(os->ctx, p);
		if (e && e != -EEXIST)
			r = whea_store_oserr(e, "cannot create directory", p, -1);
		p[i] = c;
	}
	os->free(os->ctx, p);
	return r;
}
