/* util/out.c — the buffered output sink every writer uses (see whea/format.h). */
#include <string.h>

#include "whea/error.h"
#include "whea/format.h"

void whea_out_init(whea_out *o, char *buf, size_t cap, int (*flush)(void *, const char *, size_t), void *ctx)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->flush = flush;
	o->ctx = ctx;
	o->total = 0;
	o->err = 0;
}

int whea_out_flush(whea_out *o)
{
	if (o->flush && o->len && !o->err) {
		int rc = o->flush(o->ctx, o->buf, o->len);
		if (rc)
			o->err = rc;
	}
	if (o->flush)
		o->len = 0;
	return o->err;
}

void whea_out_write(whea_out *o, const char *p, size_t n)
{
	o->total += n;
	while (n) {
		size_t room = o->cap - o->len;
		if (room == 0) {
			if (!o->flush) {
				if (!o->err)
					o->err = WHEA_ENOSPACE;
				return;
			}
			if (whea_out_flush(o))
				return;
			continue;
		}
		size_t k = n < room ? n : room;
		memcpy(o->buf + o->len, p, k);
		o->len += k;
		p += k;
		n -= k;
	}
}
