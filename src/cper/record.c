/* cper/record.c — zero-copy parse and complete validation of a CPER record (spec 2-4): header,
 * descriptors, section placement, per-section layout checks; plus header accessors. Every problem
 * is a diagnostic with its byte offset; tolerant mode keeps going wherever it safely can. */
#include <string.h>

#include "cper/interp.h"
#include "util/fmt.h"
#include "util/le.h"
#include "whea/record.h"

typedef struct pctx {
	whea_record *r;
	whea_diag_fn fn;
	void *ctx;
} pctx;

static void report(pctx *c, int sev, int code, uint64_t off, const char *fmt, ...)
{
	char msg[200];
	/* The message is only formatted when someone reads it: the first error's goes to
	 * whea_error_last, every one to fn. */
	if (c->fn || (sev == WHEA_DIAG_ERROR && !c->r->errors)) {
		va_list ap;
		va_start(ap, fmt);
		whea_vformat(msg, sizeof msg, fmt, ap);
		va_end(ap);
	}
	if (sev == WHEA_DIAG_ERROR) {
		if (!c->r->errors)
			whea_error_set(code, (int64_t)off, NULL, "%s", msg);
		c->r->errors++;
	} else {
		c->r->warnings++;
	}
	if (c->fn) {
		whea_diag d = {sev, code, off, msg};
		c->fn(c->ctx, &d);
	}
}

/* Collects diagnostics of the section decoders (a sink that only listens to diag). */
static void sink_diag(void *ctx, const whea_diag *d)
{
	pctx *c = ctx;
	report(c, d->severity, d->code, d->offset, "%s", d->msg);
}
/* The value events, which a diagnostics-only walk never sends. */
static void n_begin(void *c, const whea_skey *k, bool a) { (void)c, (void)k, (void)a; }
static void n_end(void *c, bool a) { (void)c, (void)a; }
static void n_num(void *c, const whea_skey *k, uint64_t v, int f, unsigned w) { (void)c, (void)k, (void)v, (void)f, (void)w; }
static void n_enm(void *c, const whea_skey *k, uint64_t v, const char *n, size_t nl, int f) { (void)c, (void)k, (void)v, (void)n, (void)nl, (void)f; }
static void n_bits(void *c, const whea_skey *k, uint64_t v, unsigned w, const whea_name *n, const uint8_t *nl, const whea_def *d, const whea_flagnames *fn) { (void)c, (void)k, (void)v, (void)w, (void)n, (void)nl, (void)d, (void)fn; }
static void n_bool(void *c, const whea_skey *k, bool v) { (void)c, (void)k, (void)v; }
static void n_guid(void *c, const whea_skey *k, const whea_guid *g, int r) { (void)c, (void)k, (void)g, (void)r; }
static void n_bytes(void *c, const whea_skey *k, const uint8_t *p, size_t n) { (void)c, (void)k, (void)p, (void)n; }
static void n_time(void *c, const whea_skey *k, const uint8_t *r, int h) { (void)c, (void)k, (void)r, (void)h; }

static const whea_sink validate_sink_proto = {NULL, n_begin, n_end, n_num, n_enm, n_bits, n_bool, n_guid, n_bytes, n_bytes, n_time, sink_diag, NULL, NULL, NULL, NULL, NULL, true};

static void check_header(pctx *c, const uint8_t *p)
{
	whea_record *r = c->r;
	uint32_t vb = whea_le32(p + 16);
	if (vb & ~7u)
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, 16, "header validation bits 3..31 are reserved but 0x%x is set", vb & ~7u);
	uint32_t sev = whea_le32(p + 12);
	if (sev > 3)
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, 12, "unknown header severity %u (treated as fatal)", sev);
	if (whea_le32(p + 104) & ~0x1ffu)
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, 104, "header flags have reserved bits set (0x%x)", whea_le32(p + 104) & ~0x1ffu);
	if (whea_le32(p + 116) | whea_le64(p + 120)) { /* the offset of the first non-zero byte */
		int i = 116;
		while (!p[i])
			i++;
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, (uint64_t)i, "header reserved bytes 116..127 are not zero");
	}
	if (vb & 2) {
		whea_guid creator;
		memcpy(creator.b, p + 64, 16);
		whea_time t;
		if (whea_timestamp_decode(p + 24, whea_ts_hint_for_creator(&creator), &t))
			report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, 24, "timestamp is valid per the validation bits but is no date in BCD or binary");
	}
	if (r->record_length < WHEA_RECORD_HEADER_SIZE + (uint64_t)WHEA_SECTION_DESC_SIZE * whea_le16(p + 10))
		report(c, WHEA_DIAG_ERROR, WHEA_EFORMAT, 20, "record length %u is smaller than the header and %u descriptors (%u bytes)",
		       r->record_length, whea_le16(p + 10), WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * whea_le16(p + 10));
}

static void check_descriptor(pctx *c, unsigned i, const uint8_t *d, uint64_t doff)
{
	whea_record *r = c->r;
	uint32_t off = whea_le32(d), len = whea_le32(d + 4);
	uint64_t desc_end = WHEA_RECORD_HEADER_SIZE + (uint64_t)WHEA_SECTION_DESC_SIZE * r->section_count;
	if ((uint64_t)off + len > r->record_length)
		report(c, WHEA_DIAG_ERROR, WHEA_EFORMAT, doff, "section %u: offset %u + length %u runs past the record length %u",
		       i, off, len, r->record_length);
	else if ((uint64_t)off + len > r->len)
		report(c, WHEA_DIAG_ERROR, WHEA_ETRUNC, doff, "section %u: offset %u + length %u runs past the %zu bytes present",
		       i, off, len, r->len);
	if (off < desc_end && len)
		report(c, WHEA_DIAG_ERROR, WHEA_EFORMAT, doff, "section %u at offset %u overlaps the header or descriptors (which end at %llu)",
		       i, off, (unsigned long long)desc_end);
	if (d[10] & ~3u)
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, doff + 10, "section %u: descriptor validation bits 2..7 are reserved but set", i);
	if (d[11])
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, doff + 11, "section %u: descriptor reserved byte is not zero", i);
	if (whea_le32(d + 12) & ~0xffu)
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, doff + 12, "section %u: descriptor flags have reserved bits set", i);
	uint32_t sev = whea_le32(d + 48);
	if (sev > 3)
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, doff + 48, "section %u: unknown severity %u", i, sev);
	else if (whea_severity_rank(sev) > whea_severity_rank(whea_le32(r->data + 12)))
		report(c, WHEA_DIAG_WARNING, WHEA_EFORMAT, doff + 48, "section %u is %s but the record header says %s", i,
		       whea_severity_name(sev), whea_severity_name(whea_le32(r->data + 12)));
}

/* Sections must not overlap each other: sort (offset, end) pairs by offset and compare
 * neighbours. Bounded stack space; beyond that, only neighbours in descriptor order are checked. */
#define OVERLAP_MAX 512
static void check_overlaps(pctx *c)
{
	whea_record *r = c->r;
	uint64_t s[OVERLAP_MAX][3];
	unsigned n = 0;
	for (unsigned i = 0; i < r->section_count && n < OVERLAP_MAX; i++) {
		const uint8_t *d = r->data + WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * i;
		uint64_t off = whea_le32(d), end = off + whea_le32(d + 4);
		if (end == off)
			continue;
		unsigned j = n++;
		for (; j > 0 && s[j - 1][0] > off; j--)
			memcpy(s[j], s[j - 1], sizeof s[j]);
		s[j][0] = off, s[j][1] = end, s[j][2] = i;
	}
	for (unsigned k = 1; k < n; k++)
		if (s[k][0] < s[k - 1][1])
			report(c, WHEA_DIAG_ERROR, WHEA_EFORMAT, WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * s[k][2],
			       "section %u (offset %llu) overlaps section %u (offset %llu..%llu)", (unsigned)s[k][2],
			       (unsigned long long)s[k][0], (unsigned)s[k - 1][2], (unsigned long long)s[k - 1][0],
			       (unsigned long long)s[k - 1][1]);
}

static void decode_sections(pctx *c)
{
	whea_record *r = c->r;
	whea_sink s = validate_sink_proto;
	s.ctx = c;
	whea_guid creator;
	whea_record_creator(r, &creator);
	int hint = whea_ts_hint_for_creator(&creator);
	for (unsigned i = 0; i < r->section_count; i++) {
		whea_section_desc d;
		if (whea_record_section(r, i, &d) == 0 && d.body)
			whea_interp_section(&s, d.known, d.body, d.length, d.offset, hint);
	}
}

int whea_record_parse(whea_record *r, const void *buf, size_t buflen, unsigned flags, whea_diag_fn fn, void *ctx)
{
	const uint8_t *p = buf;
	memset(r, 0, sizeof *r);
	r->data = p;
	r->buflen = buflen;
	r->flags = flags;
	pctx c = {r, fn, ctx};
	if (buflen < WHEA_RECORD_HEADER_SIZE) {
		report(&c, WHEA_DIAG_ERROR, WHEA_ETRUNC, buflen, "record is truncated: %zu of the 128 bytes its header needs", buflen);
		return WHEA_ETRUNC;
	}
	if (memcmp(p, WHEA_RECORD_SIGNATURE, 4) != 0) {
		report(&c, WHEA_DIAG_ERROR, WHEA_EFORMAT, 0, "signature is not \"CPER\"");
		return WHEA_EFORMAT;
	}
	if (whea_le32(p + 6) != 0xffffffffu)
		report(&c, WHEA_DIAG_ERROR, WHEA_EFORMAT, 6, "end signature is 0x%08x, not 0xffffffff", whea_le32(p + 6));
	r->record_length = whea_le32(p + 20);
	r->len = r->record_length < buflen ? r->record_length : buflen;
	if (r->record_length > buflen)
		report(&c, WHEA_DIAG_ERROR, WHEA_ETRUNC, 20, "record length %u is larger than the %zu bytes present", r->record_length, buflen);
	uint16_t n = whea_le16(p + 10);
	if (n == 0)
		report(&c, WHEA_DIAG_ERROR, WHEA_EFORMAT, 10, "section count is 0; a record needs at least one section");
	size_t fit = r->len >= WHEA_RECORD_HEADER_SIZE ? (r->len - WHEA_RECORD_HEADER_SIZE) / WHEA_SECTION_DESC_SIZE : 0;
	r->section_count = (uint16_t)(n < fit ? n : fit);
	check_header(&c, p);
	if (r->section_count < n)
		report(&c, WHEA_DIAG_ERROR, WHEA_ETRUNC, WHEA_RECORD_HEADER_SIZE + (uint64_t)WHEA_SECTION_DESC_SIZE * r->section_count,
		       "only %u of %u section descriptors lie inside the record", r->section_count, n);
	for (unsigned i = 0; i < r->section_count; i++) {
		uint64_t doff = WHEA_RECORD_HEADER_SIZE + (uint64_t)WHEA_SECTION_DESC_SIZE * i;
		check_descriptor(&c, i, p + doff, doff);
	}
	check_overlaps(&c);
	if (flags & WHEA_PARSE_SECTIONS)
		decode_sections(&c);
	if (r->errors && !(flags & WHEA_PARSE_TOLERANT))
		return whea_error_last()->code ? whea_error_last()->code : WHEA_EFORMAT;
	return 0;
}

uint16_t whea_record_revision(const whea_record *r) { return whea_le16(r->data + 4); }
uint32_t whea_record_severity(const whea_record *r) { return whea_le32(r->data + 12); }
uint32_t whea_record_validation_bits(const whea_record *r) { return whea_le32(r->data + 16); }
uint64_t whea_record_id(const whea_record *r) { return whea_le64(r->data + WHEA_RECORD_ID_OFFSET); }
uint32_t whea_record_flags(const whea_record *r) { return whea_le32(r->data + 104); }
void whea_record_creator(const whea_record *r, whea_guid *out) { memcpy(out->b, r->data + 64, 16); }
void whea_record_notify_type(const whea_record *r, whea_guid *out) { memcpy(out->b, r->data + 80, 16); }

int whea_record_section(const whea_record *r, unsigned i, whea_section_desc *out)
{
	if (i >= r->section_count)
		return WHEA_ENOTFOUND;
	const uint8_t *d = r->data + WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * i;
	out->offset = whea_le32(d);
	out->length = whea_le32(d + 4);
	out->revision = whea_le16(d + 8);
	out->validation_bits = d[10];
	out->flags = whea_le32(d + 12);
	memcpy(out->type.b, d + 16, 16);
	memcpy(out->fru_id.b, d + 32, 16);
	out->severity = whea_le32(d + 48);
	memcpy(out->fru_text, d + 52, 20);
	out->fru_text[20] = 0;
	out->body = (uint64_t)out->offset + out->length <= r->len ? r->data + out->offset : NULL;
	out->known = whea_section_lookup(&out->type);
	return 0;
}

int whea_record_find_section(const whea_record *r, const whea_guid *type, unsigned from)
{
	for (unsigned i = from; i < r->section_count; i++)
		if (memcmp(r->data + WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * i + 16, type->b, 16) == 0)
			return (int)i;
	return -1;
}
