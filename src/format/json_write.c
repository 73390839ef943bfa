/* format/json_write.c — the JSON writer: a sink for the table interpreter that streams JSON into a
 * whea_out buffer. Key names follow libcper where it has the field (docs/JSON.md). Freestanding:
 * no allocator, no stdio. Every 64-bit integer is written exactly as a JSON number. */
#include <string.h>

#include "cper/interp.h"
#include "util/base64.h"
#include "util/fmt.h"
#include "whea/format.h"

#define JW_MAX_DEPTH 40
#define JW_MAX_DIAGS 32

typedef struct jw {
	whea_out *o;
	bool pretty;
	int depth;
	bool first[JW_MAX_DEPTH];
	/* Diagnostics are collected and written at the end of the record. */
	unsigned ndiag, dropped;
	struct {
		int sev, code;
		uint64_t off;
		char msg[160];
	} diag[JW_MAX_DIAGS];
} jw;

static inline void put(jw *w, const char *s, size_t n) { whea_out_write(w->o, s, n); }
#define PUTS(w, lit) put((w), (lit), sizeof(lit) - 1)

static void newline(jw *w)
{
	static const char spaces[] = "\n                                                                                ";
	size_t n = 1 + 2 * (size_t)w->depth;
	put(w, spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1);
}

/* Separator and key for the next member (key NULL inside arrays). */
static void member(jw *w, const char *key)
{
	if (!w->first[w->depth])
		PUTS(w, ",");
	w->first[w->depth] = false;
	if (w->pretty)
		newline(w);
	if (key) {
		PUTS(w, "\"");
		put(w, key, strlen(key));
		if (w->pretty)
			PUTS(w, "\": ");
		else
			PUTS(w, "\":");
	}
}

static void open_(jw *w, const char *key, char c)
{
	member(w, key);
	put(w, &c, 1);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth > 0)
		w->depth--;
	if (w->pretty && !empty)
		newline(w);
	put(w, &c, 1);
}

static void u64(jw *w, uint64_t v)
{
	char b[20];
	put(w, b, whea_u64_dec(b, v));
}

static void num_member(jw *w, const char *key, uint64_t v)
{
	member(w, key);
	u64(w, v);
}

/* JSON string of raw bytes: printable ASCII as is, everything else as \u00XX (bytes map to
 * code points 0..255, so the reader can restore them exactly). */
static void str_bytes(jw *w, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	PUTS(w, "\"");
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		put(w, (const char *)p + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\') {
			char e[2] = {'\\', (char)c};
			put(w, e, 2);
		} else {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			put(w, e, 6);
		}
	}
	put(w, (const char *)p + run, n - run);
	PUTS(w, "\"");
}

static void str(jw *w, const char *s) { str_bytes(w, (const uint8_t *)s, strlen(s)); }

static void j_begin(void *ctx, const char *key, const char *label, bool array)
{
	(void)label;
	open_(ctx, key, array ? '[' : '{');
}

static void j_end(void *ctx, bool array) { close_(ctx, array ? ']' : '}'); }

static void j_num(void *ctx, const char *key, const char *label, uint64_t v, int fmt, unsigned width)
{
	jw *w = ctx;
	(void)label, (void)width;
	if (fmt == WHEA_FMT_BCDREV) {
		open_(w, key, '{');
		num_member(w, "major", (v >> 8) & 0xff);
		num_member(w, "minor", v & 0xff);
		close_(w, '}');
		return;
	}
	num_member(w, key, v);
}

static void j_enm(void *ctx, const char *key, const char *label, uint64_t v, const char *name, int fmt)
{
	jw *w = ctx;
	(void)label;
	open_(w, key, '{');
	num_member(w, fmt == WHEA_FMT_CODE ? "code" : "value", v);
	member(w, "name");
	if (name) {
		str(w, name);
	} else {
		char b[40];
		whea_format(b, sizeof b, "unknown (%llu)", (unsigned long long)v);
		str(w, b);
	}
	close_(w, '}');
}

static void j_bits(void *ctx, const char *key, const char *label, uint64_t v, unsigned width, const whea_name *names,
		   const whea_def *validdef)
{
	jw *w = ctx;
	(void)label, (void)width;
	if (validdef) { /* validation bits: a plain number; the gated fields say the rest */
		num_member(w, key, v);
		return;
	}
	open_(w, key, '{');
	num_member(w, "value", v);
	for (const whea_name *n = names; n && n->name; n++) {
		member(w, n->name);
		if (n->value < 64 && ((v >> n->value) & 1))
			PUTS(w, "true");
		else
			PUTS(w, "false");
	}
	close_(w, '}');
}

static void j_bool(void *ctx, const char *key, const char *label, bool v)
{
	(void)label;
	member(ctx, key);
	if (v)
		PUTS((jw *)ctx, "true");
	else
		PUTS((jw *)ctx, "false");
}

static void guid_str(jw *w, const whea_guid *g)
{
	char b[WHEA_GUID_STRLEN + 3];
	b[0] = '"';
	whea_guid_format(g, b + 1);
	b[WHEA_GUID_STRLEN + 1] = '"';
	put(w, b, WHEA_GUID_STRLEN + 2);
}

static void j_guid(void *ctx, const char *key, const char *label, const whea_guid *g, int role)
{
	jw *w = ctx;
	(void)label;
	if (role == WHEA_GUID_SECTION_TYPE || role == WHEA_GUID_NOTIFY_TYPE) {
		const whea_section_type *t = role == WHEA_GUID_SECTION_TYPE ? whea_section_lookup(g) : NULL;
		const char *name = role == WHEA_GUID_SECTION_TYPE ? (t ? t->name : NULL) : whea_notify_type_name(g);
		open_(w, key, '{');
		member(w, role == WHEA_GUID_SECTION_TYPE ? "data" : "guid");
		guid_str(w, g);
		member(w, "type");
		str(w, name ? name : "Unknown");
		close_(w, '}');
		return;
	}
	member(w, key);
	guid_str(w, g);
}

static void j_text(void *ctx, const char *key, const char *label, const uint8_t *p, size_t n)
{
	(void)label;
	while (n && !p[n - 1])
		n--;
	member(ctx, key);
	str_bytes(ctx, p, n);
}

static void j_bytes(void *ctx, const char *key, const char *label, const uint8_t *p, size_t n)
{
	jw *w = ctx;
	(void)label;
	member(w, key);
	PUTS(w, "\"");
	char b[256];
	while (n) {
		size_t k = n < 192 ? n : 192;
		whea_b64_encode(b, p, k);
		put(w, b, WHEA_B64_LEN(k));
		p += k;
		n -= k;
	}
	PUTS(w, "\"");
}

/* Writes key + suffix as a member key. */
static void member2(jw *w, const char *key, const char *suffix)
{
	char k[64];
	whea_format(k, sizeof k, "%s%s", key, suffix);
	member(w, k);
}

static void j_time(void *ctx, const char *key, const char *label, const uint8_t raw[8], int hint)
{
	jw *w = ctx;
	(void)label;
	whea_time t;
	uint8_t again[8];
	bool ok = whea_timestamp_decode(raw, hint, &t) == 0;
	bool exact = ok && whea_timestamp_encode(again, &t) == 0 && memcmp(again, raw, 8) == 0;
	if (ok) {
		char b[32];
		size_t n = whea_format(b, sizeof b, "\"%04u-%02u-%02uT%02u:%02u:%02u\"", t.year, t.month, t.day, t.hour,
				       t.minute, t.second);
		member(w, key);
		put(w, b, n);
		member2(w, key, "IsPrecise");
		if (t.precise)
			PUTS(w, "true");
		else
			PUTS(w, "false");
		member2(w, key, "Encoding");
		str(w, whea_ts_encoding_name(t.encoding));
	}
	if (!exact) { /* not a canonical encoding of any date: keep the bytes */
		member2(w, key, "Raw");
		uint64_t v = 0;
		for (int i = 7; i >= 0; i--)
			v = v << 8 | raw[i];
		u64(w, v);
	}
}

static void j_diag(void *ctx, const whea_diag *d)
{
	jw *w = ctx;
	if (w->ndiag == JW_MAX_DIAGS) {
		w->dropped++;
		return;
	}
	w->diag[w->ndiag].sev = d->severity;
	w->diag[w->ndiag].code = d->code;
	w->diag[w->ndiag].off = d->offset;
	whea_strlcpy(w->diag[w->ndiag].msg, d->msg, sizeof w->diag[0].msg);
	w->ndiag++;
}

static void write_diags(jw *w)
{
	if (!w->ndiag)
		return;
	open_(w, "diagnostics", '[');
	for (unsigned i = 0; i < w->ndiag; i++) {
		open_(w, NULL, '{');
		member(w, "severity");
		str(w, w->diag[i].sev == WHEA_DIAG_ERROR ? "error" : "warning");
		num_member(w, "offset", w->diag[i].off);
		member(w, "code");
		str(w, whea_error_name(w->diag[i].code));
		member(w, "message");
		str(w, w->diag[i].msg);
		close_(w, '}');
	}
	if (w->dropped) {
		open_(w, NULL, '{');
		member(w, "message");
		char b[64];
		whea_format(b, sizeof b, "%u more diagnostics not shown", w->dropped);
		str(w, b);
		close_(w, '}');
	}
	close_(w, ']');
}

int whea_record_to_json(const whea_record *r, whea_out *o, unsigned flags)
{
	jw w;
	w.o = o;
	w.pretty = flags & WHEA_JSON_PRETTY;
	w.depth = 0;
	w.first[0] = true;
	w.ndiag = w.dropped = 0;
	whea_sink s = {&w, j_begin, j_end, j_num, j_enm, j_bits, j_bool, j_guid, j_text, j_bytes, j_time, j_diag};
	open_(&w, NULL, '{');
	whea_record again; /* re-run the record-level checks so their diagnostics are included */
	whea_record_parse(&again, r->data, r->buflen, WHEA_PARSE_TOLERANT, (whea_diag_fn)j_diag, &w);
	whea_interp_record(&s, r);
	write_diags(&w);
	close_(&w, '}');
	return o->err;
}
