/* tools/whea/scan.c — finds the records in one input for `whea decode`, `whea validate` and
 * `whea demo`. Binary input is streamed through a window buffer with constant memory: records are
 * handed out in place, a record that straddles two reads is moved to the front, and the window
 * grows (up to 16 MiB) only for a record larger than itself. Garbage between records is reported
 * with its file offset and skipped by scanning for the next "CPER". Generic Error Status Blocks
 * are converted one by one (notify type BOOT); hex and base64 text is decoded in memory first. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format/input_priv.h"
#include "util/le.h"

#define WINDOW_START (1u << 20)

typedef struct window {
	FILE *fp;          /* NULL: everything is already in buf */
	uint8_t *buf;
	size_t cap, len, pos;
	uint64_t base;     /* input offset of buf[0] */
	bool eof;
	int err;           /* errno of a read error */
	bool owned;        /* buf was allocated here */
} window;

/* Makes at least n bytes available at pos (n <= CLI_RECORD_MAX). False when the input ends (or
 * fails, w->err) first; what there is stays available. */
static bool win_need(window *w, size_t n)
{
	if (w->len - w->pos >= n)
		return true;
	if (w->eof)
		return false;
	if (w->pos) {
		memmove(w->buf, w->buf + w->pos, w->len - w->pos);
		w->base += w->pos;
		w->len -= w->pos;
		w->pos = 0;
	}
	if (n > w->cap) {
		size_t cap = w->cap * 2 > n ? w->cap * 2 : n;
		if (cap > CLI_RECORD_MAX)
			cap = n > CLI_RECORD_MAX ? n : CLI_RECORD_MAX;
		w->buf = cli_xrealloc(w->buf, cap);
		w->cap = cap;
	}
	while (w->len < w->cap) {
		size_t k = fread(w->buf + w->len, 1, w->cap - w->len, w->fp);
		w->len += k;
		if (k == 0) {
			if (ferror(w->fp))
				w->err = errno ? errno : EIO;
			w->eof = true;
			break;
		}
	}
	return w->len - w->pos >= n;
}

static size_t win_avail(const window *w) { return w->len - w->pos; }
static const uint8_t *win_ptr(const window *w) { return w->buf + w->pos; }
static uint64_t win_offset(const window *w) { return w->base + w->pos; }

static void problem(cli_scan *s, const char *file, uint64_t off, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void problem(cli_scan *s, const char *file, uint64_t off, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s->problems++;
	if (s->on_problem)
		s->on_problem(s->ctx, file, off, msg);
	else
		cli_err("%s: offset %llu: %s", file, (unsigned long long)off, msg);
}

static int deliver(cli_scan *s, const char *file, unsigned *index, uint64_t off, int kind, const uint8_t *p,
		   size_t n)
{
	cli_rec r = {file, ++*index, off, kind, p, n};
	s->records++;
	if (s->on_record(s->ctx, &r)) {
		s->stopped = true;
		return 1;
	}
	return 0;
}

/* ---- CPER streams ---- */

static const uint8_t *find_sig(const uint8_t *p, size_t n)
{
	while (n >= 4) {
		const uint8_t *c = memchr(p, 'C', n - 3);
		if (!c)
			return NULL;
		if (memcmp(c, "CPER", 4) == 0)
			return c;
		n -= (size_t)(c + 1 - p);
		p = c + 1;
	}
	return NULL;
}

static bool zero_bytes(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Skips skip_first bytes, then up to the next "CPER" (or the end of the input), reporting what was
 * skipped unless it was all zero (padding). why: the reason the first bytes are skipped, or NULL. */
static void resync(cli_scan *s, window *w, const char *file, size_t skip_first, const char *why)
{
	uint64_t start = win_offset(w);
	bool zero = zero_bytes(win_ptr(w), skip_first);
	w->pos += skip_first;
	for (;;) {
		const uint8_t *hit = find_sig(win_ptr(w), win_avail(w));
		size_t keep = 0, k;
		if (hit) {
			k = (size_t)(hit - win_ptr(w));
		} else {
			/* Keep the last 3 bytes unless the input ended: they may start a signature. */
			keep = w->eof ? 0 : (win_avail(w) < 3 ? win_avail(w) : 3);
			k = win_avail(w) - keep;
		}
		zero = zero && zero_bytes(win_ptr(w), k);
		w->pos += k;
		if (hit || (w->eof && !win_avail(w)))
			break;
		win_need(w, keep + 1); /* more input, or the end (then the next round takes the rest) */
	}
	uint64_t n = win_offset(w) - start;
	if (n && (!zero || why))
		problem(s, file, start, "%s%s%llu bytes that are no CPER record skipped%s", why ? why : "", why ? ": " : "",
			(unsigned long long)n,
			win_avail(w) ? " (resynchronized at the next \"CPER\" signature)" : " (up to the end of the input)");
}

static void scan_cper(cli_scan *s, window *w, const char *file)
{
	unsigned index = 0;
	while (!s->stopped && win_need(w, 1)) {
		win_need(w, 4);
		/* Fewer than 4 bytes are left only at the end of the input: a signature cut short there
		 * starts a record too (the parser reports the truncation). */
		if (memcmp(win_ptr(w), "CPER", win_avail(w) < 4 ? win_avail(w) : 4) != 0) {
			resync(s, w, file, 0, NULL);
			continue;
		}
		win_need(w, WHEA_RECORD_HEADER_SIZE);
		if (win_avail(w) >= 24) {
			uint32_t rl = whea_le32(win_ptr(w) + 20);
			if (rl < WHEA_RECORD_HEADER_SIZE || rl > CLI_RECORD_MAX) {
				char why[120];
				snprintf(why, sizeof why, "record length %u is %s", rl,
					 rl < WHEA_RECORD_HEADER_SIZE ? "smaller than the 128-byte header" : "over the 16 MiB limit");
				resync(s, w, file, 4, why);
				continue;
			}
			win_need(w, rl);
			size_t n = win_avail(w) < rl ? win_avail(w) : rl;
			if (deliver(s, file, &index, win_offset(w), WHEA_INPUT_CPER, win_ptr(w), n))
				return;
			w->pos += n;
		} else { /* a signature and too little after it: the parser reports the truncation */
			size_t n = win_avail(w);
			if (deliver(s, file, &index, win_offset(w), WHEA_INPUT_CPER, win_ptr(w), n))
				return;
			w->pos += n;
		}
	}
}

/* ---- Generic Error Status Blocks ---- */

static const whea_guid *boot_notify(void)
{
	static whea_guid g;
	static bool have;
	const char *name;
	for (size_t i = 0; !have && (name = whea_notify_type_at(i, &g)) != NULL; i++)
		have = strcmp(name, "BOOT") == 0;
	return have ? &g : NULL;
}

/* Size of the block at p (header present): entries, or raw data when that ends later. */
static uint64_t block_size(const uint8_t *p)
{
	uint64_t data_end = 20 + (uint64_t)whea_le32(p + 12);
	uint64_t raw_end = whea_le32(p + 8) ? (uint64_t)whea_le32(p + 4) + whea_le32(p + 8) : 0;
	return raw_end > data_end ? raw_end : data_end;
}

typedef struct recbuf {
	uint8_t *p;
	size_t cap;
} recbuf;

/* Converts the block at the window position; returns the bytes to skip (0: stop). */
static size_t convert_block(cli_scan *s, window *w, const char *file, unsigned *index, recbuf *rb)
{
	size_t outlen = 0, consumed = 0;
	uint64_t off = win_offset(w);
	int rc;
	while ((rc = whea_gesb_to_record(win_ptr(w), win_avail(w), boot_notify(), *index + 1u, rb->p, rb->cap, &outlen,
					 &consumed)) == WHEA_ENOSPACE && outlen > rb->cap) {
		rb->p = cli_xrealloc(rb->p, outlen);
		rb->cap = outlen;
	}
	if (rc) {
		char msg[400];
		problem(s, file, off, "Generic Error Status Block cannot be converted: %s",
			cli_lib_error(msg, sizeof msg, (int64_t)off));
		return consumed;
	}
	if (deliver(s, file, index, off, WHEA_INPUT_GESB, rb->p, outlen))
		return 0;
	return consumed;
}

static void scan_gesb(cli_scan *s, window *w, const char *file)
{
	unsigned index = 0;
	recbuf rb = {NULL, 0};
	while (!s->stopped && win_need(w, 1)) {
		if (!win_need(w, 20)) {
			if (!zero_bytes(win_ptr(w), win_avail(w)))
				problem(s, file, win_offset(w), "%zu trailing bytes are too few for a status block header",
					win_avail(w));
			break;
		}
		if (whea_le32(win_ptr(w)) == 0) /* BlockStatus 0: no (more) errors, as Linux reads BERT */
			break;
		uint64_t size = block_size(win_ptr(w));
		if (size > CLI_RECORD_MAX) {
			problem(s, file, win_offset(w), "status block of %llu bytes is over the 16 MiB limit",
				(unsigned long long)size);
			break;
		}
		win_need(w, (size_t)size);
		size_t skip = convert_block(s, w, file, &index, &rb);
		if (!skip || skip > win_avail(w))
			break;
		w->pos += skip;
	}
	free(rb.p);
}

/* ---- what to scan an input as ---- */

/* The detected kind; input that is nothing recognisable is scanned as CPER (which reports it as
 * garbage and resynchronises at any "CPER" inside), except when it starts with a plausible status
 * block header whose data runs past the end and holds no "CPER": a cut-short BERT dump, for which
 * the GESB converter says what is missing instead of "no CPER record". */
static int scan_kind(const uint8_t *p, size_t n, int force)
{
	if (force)
		return force;
	int kind = whea_input_detect(p, n);
	if (kind != WHEA_INPUT_UNKNOWN)
		return kind;
	if (n >= 20 && whea_gesb_header_plausible(p) && !find_sig(p, n))
		return WHEA_INPUT_GESB;
	return WHEA_INPUT_CPER;
}

/* ---- text input ---- */

/* Reads the rest of the input, decodes it and scans the bytes. */
static int scan_text(cli_scan *s, window *w, const char *file, int kind)
{
	cli_buf text = {0};
	cli_buf_add(&text, win_ptr(w), win_avail(w));
	if (w->fp && !w->eof && cli_read_all(w->fp, file, CLI_TEXT_MAX, &text)) {
		cli_buf_free(&text);
		return CLI_IO;
	}
	size_t cap = text.len / 4 * 3 + 4, n = 0;
	uint8_t *bytes = cli_xmalloc(cap);
	if (whea_text_decode(kind, text.p, text.len, bytes, cap, &n)) {
		const whea_error *e = whea_error_last();
		problem(s, file, e->offset >= 0 ? (uint64_t)e->offset : 0, "%s", e->message);
	} else {
		window mem = {NULL, bytes, cap, n, 0, 0, true, 0, false};
		int inner = scan_kind(bytes, n, s->force_kind);
		char name[600];
		snprintf(name, sizeof name, "%s (decoded %s)", file, whea_input_kind_name(kind));
		if (inner == WHEA_INPUT_GESB)
			scan_gesb(s, &mem, name);
		else
			scan_cper(s, &mem, name);
	}
	free(bytes);
	cli_buf_free(&text);
	return 0;
}

int cli_scan_path(cli_scan *s, const char *path)
{
	const char *file = cli_display_name(path);
	FILE *fp = cli_open_in(path);
	if (!fp)
		return CLI_IO;
	window w = {fp, cli_xmalloc(WINDOW_START), WINDOW_START, 0, 0, 0, false, 0, true};
	win_need(&w, WINDOW_START);
	int kind = scan_kind(win_ptr(&w), win_avail(&w), s->force_kind);
	int rc = 0;
	switch (kind) {
	case WHEA_INPUT_GESB:
		scan_gesb(s, &w, file);
		break;
	case WHEA_INPUT_HEX:
	case WHEA_INPUT_BASE64:
		rc = scan_text(s, &w, file, kind);
		break;
	case WHEA_INPUT_JSON:
		problem(s, file, 0, "input is JSON; 'whea encode' turns JSON into CPER records");
		break;
	default:
		scan_cper(s, &w, file);
		break;
	}
	if (!rc && w.err) {
		cli_err("%s: read error: %s", file, strerror(w.err));
		rc = CLI_IO;
	}
	free(w.buf);
	cli_close_in(fp);
	return rc;
}
