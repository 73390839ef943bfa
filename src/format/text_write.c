/* format/text_write.c — the text printer: a sink for the table interpreter that writes a record
 * for a person (labels, enum and bit names, addresses in hex, GUIDs with their names, hex dumps).
 * Freestanding: no allocator, no stdio. */
#include <string.h>

#include "cper/interp.h"
#include "util/fmt.h"
#include "whea/format.h"

#define TW_MAX_DEPTH 40

typedef struct tw {
	whea_out *o;
	int depth;
	unsigned index[TW_MAX_DEPTH]; /* element counter of each open array */
	bool in_array[TW_MAX_DEPTH];
	unsigned flags;
} tw;

static void put(tw *w, const char *s, size_t n) { whea_out_write(w->o, s, n); }
static void puts_(tw *w, const char *s) { put(w, s, strlen(s)); }

static void printf_(tw *w, const char *fmt, ...)
{
	char b[256];
	va_list ap;
	va_start(ap, fmt);
	size_t n = whea_vformat(b, sizeof b, fmt, ap);
	va_end(ap);
	put(w, b, n < sizeof b ? n : sizeof b - 1);
}

static void indent(tw *w)
{
	for (int i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

/* "Label: " for a member, or "[i] " for an array element. */
static void lead(tw *w, const char *key, const char *label)
{
	char b[96];
	indent(w);
	if (!key && !label && w->in_array[w->depth]) {
		printf_(w, "[%u] ", w->index[w->depth]++);
		return;
	}
	puts_(w, label ? label : whea_key_label(key ? key : "", b, sizeof b));
	put(w, ": ", 2);
}

static void t_begin(void *ctx, const char *key, const char *label, bool array)
{
	tw *w = ctx;
	if (!key && !label && w->in_array[w->depth]) {
		indent(w);
		printf_(w, "[%u]\n", w->index[w->depth]++);
	} else {
		char b[96];
		indent(w);
		puts_(w, label ? label : whea_key_label(key ? key : "", b, sizeof b));
		put(w, ":\n", 2);
	}
	if (w->depth + 1 < TW_MAX_DEPTH)
		w->depth++;
	w->in_array[w->depth] = array;
	w->index[w->depth] = 0;
}

static void t_end(void *ctx, bool array)
{
	tw *w = ctx;
	(void)array;
	if (w->depth > 0)
		w->depth--;
}

static void number(tw *w, uint64_t v, int fmt, unsigned width)
{
	switch (fmt) {
	case WHEA_FMT_HEX:
		printf_(w, "0x%llx", (unsigned long long)v);
		break;
	case WHEA_FMT_ADDR: {
		char b[20] = "0x";
		put(w, b, 2 + whea_u64_hex(b + 2, v, width ? width * 2 : 16));
		break;
	}
	case WHEA_FMT_BCDREV:
		printf_(w, "%u.%u", (unsigned)((v >> 8) & 0xff), (unsigned)(v & 0xff));
		break;
	default:
		printf_(w, "%llu", (unsigned long long)v);
		break;
	}
}

static void t_num(void *ctx, const char *key, const char *label, uint64_t v, int fmt, unsigned width)
{
	tw *w = ctx;
	lead(w, key, label);
	number(w, v, fmt, width);
	put(w, "\n", 1);
}

static void name_words(tw *w, const char *name)
{
	char b[96];
	puts_(w, whea_key_label(name, b, sizeof b));
}

static void t_enm(void *ctx, const char *key, const char *label, uint64_t v, const char *name, int fmt)
{
	tw *w = ctx;
	(void)fmt;
	lead(w, key, label);
	if (name)
		name_words(w, name), printf_(w, " (%llu)\n", (unsigned long long)v);
	else
		printf_(w, "unknown (%llu)\n", (unsigned long long)v);
}

static void t_bits(void *ctx, const char *key, const char *label, uint64_t v, unsigned width, const whea_name *names,
		   const whea_def *validdef)
{
	tw *w = ctx;
	lead(w, key, label);
	printf_(w, "0x%0*llx", (int)((width + 3) / 4), (unsigned long long)v);
	bool any = false;
	for (unsigned bit = 0; bit < width && bit < 64; bit++) {
		if (!((v >> bit) & 1))
			continue;
		const char *n = validdef ? whea_validbit_name(validdef, bit) : whea_name_of(names, bit);
		put(w, any ? ", " : " (", 2);
		any = true;
		if (n)
			name_words(w, n);
		else
			printf_(w, "reserved bit %u", bit);
	}
	puts_(w, any ? ")\n" : "\n");
}

static void t_bool(void *ctx, const char *key, const char *label, bool v)
{
	tw *w = ctx;
	lead(w, key, label);
	puts_(w, v ? "yes\n" : "no\n");
}

static void t_guid(void *ctx, const char *key, const char *label, const whea_guid *g, int role)
{
	tw *w = ctx;
	char b[WHEA_GUID_STRLEN + 1];
	const char *name = NULL;
	if (role == WHEA_GUID_SECTION_TYPE) {
		const whea_section_type *t = whea_section_lookup(g);
		name = t ? t->name : NULL;
	} else if (role == WHEA_GUID_NOTIFY_TYPE) {
		name = whea_notify_type_name(g);
	} else if (role == WHEA_GUID_CREATOR) {
		name = whea_creator_name(g);
	}
	lead(w, key, label);
	puts_(w, whea_guid_format(g, b));
	if (name)
		printf_(w, " (%s)", name);
	put(w, "\n", 1);
}

static void t_text(void *ctx, const char *key, const char *label, const uint8_t *p, size_t n)
{
	tw *w = ctx;
	while (n && !p[n - 1])
		n--;
	lead(w, key, label);
	put(w, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f)
			put(w, (const char *)p + i, 1);
		else if (p[i] == '\n' && n > 64)
			put(w, "\n", 1);
		else
			printf_(w, "\\x%02x", p[i]);
	}
	put(w, "\"\n", 2);
}

/* Hex of up to 16 bytes, space separated, into line; returns the length. */
static size_t hex_run(char *line, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			line[k++] = ' ';
		line[k++] = hex[p[i] >> 4];
		line[k++] = hex[p[i] & 15];
	}
	return k;
}

static void t_bytes(void *ctx, const char *key, const char *label, const uint8_t *p, size_t n)
{
	tw *w = ctx;
	char line[100];
	lead(w, key, label);
	if (n <= 16) {
		put(w, line, hex_run(line, p, n));
		put(w, n ? "\n" : "(none)\n", n ? 1 : 7);
		return;
	}
	printf_(w, "%zu bytes\n", n);
	for (size_t row = 0; row < n; row += 16) {
		indent(w);
		size_t k = whea_format(line, sizeof line, "  %04zx: ", row);
		k += hex_run(line + k, p + row, n - row < 16 ? n - row : 16);
		line[k++] = '\n';
		put(w, line, k);
	}
}

static void t_time(void *ctx, const char *key, const char *label, const uint8_t raw[8], int hint)
{
	tw *w = ctx;
	whea_time t;
	lead(w, key, label);
	if (whea_timestamp_decode(raw, hint, &t) == 0)
		printf_(w, "%04u-%02u-%02u %02u:%02u:%02u (%s%s)\n", t.year, t.month, t.day, t.hour, t.minute, t.second,
			whea_ts_encoding_name(t.encoding), t.precise ? ", precise" : "");
	else
		printf_(w, "not a valid date (bytes %02x %02x %02x %02x %02x %02x %02x %02x)\n", raw[0], raw[1], raw[2],
			raw[3], raw[4], raw[5], raw[6], raw[7]);
}

static void t_diag(void *ctx, const whea_diag *d)
{
	tw *w = ctx;
	indent(w);
	printf_(w, "%s at offset %llu: %s\n", d->severity == WHEA_DIAG_ERROR ? "ERROR" : "warning",
		(unsigned long long)d->offset, d->msg);
}

int whea_record_to_text(const whea_record *r, whea_out *o, unsigned flags)
{
	tw w;
	memset(&w, 0, sizeof w);
	w.o = o;
	w.flags = flags;
	whea_guid notify;
	whea_record_notify_type(r, &notify);
	const char *nt = whea_notify_type_name(&notify);
	printf_(&w, "CPER record %llu: %s, %u section%s, %u bytes%s%s\n", (unsigned long long)whea_record_id(r),
		whea_severity_name(whea_record_severity(r)), r->section_count, r->section_count == 1 ? "" : "s",
		r->record_length, nt ? ", notified by " : "", nt ? nt : "");
	whea_sink s = {&w, t_begin, t_end, t_num, t_enm, t_bits, t_bool, t_guid, t_text, t_bytes, t_time, t_diag};
	w.depth = 1;
	whea_record again; /* record-level diagnostics first */
	whea_record_parse(&again, r->data, r->buflen, WHEA_PARSE_TOLERANT, (whea_diag_fn)t_diag, &w);
	whea_interp_record(&s, r);
	put(&w, "\n", 1);
	return o->err;
}
