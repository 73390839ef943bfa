/* cper/builder.c — building records inside a caller buffer (spec 2 builder algorithm): reserved
 * descriptor room, sections appended after it, spare space to add or grow sections later; header
 * length, count, offsets and severity stay consistent after every call. Also record ids. */
#include <string.h>

#include "util/le.h"
#include "whea/record.h"

#define HDR WHEA_RECORD_HEADER_SIZE
#define DSC WHEA_SECTION_DESC_SIZE

static uint8_t *desc(const whea_builder *b, unsigned i) { return b->buf + HDR + (size_t)DSC * i; }
static uint16_t count(const whea_builder *b) { return whea_le16(b->buf + 10); }
static size_t body_start(const whea_builder *b) { return HDR + (size_t)DSC * b->max_sections; }

static void set_length(whea_builder *b, size_t len, bool whole)
{
	whea_st32(b->buf + 20, (uint32_t)(whole ? b->cap : len));
}

int whea_builder_init(whea_builder *b, void *buf, size_t cap, uint16_t max_sections, const whea_record_init *init)
{
	if (!b || !buf || !init || init->size < sizeof(whea_record_init) || max_sections == 0 || cap > UINT32_MAX)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "builder: bad arguments");
	if (cap < HDR + (size_t)DSC * max_sections)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "builder: %zu bytes cannot hold the header and %u descriptors",
				      cap, max_sections);
	b->buf = buf;
	b->cap = cap;
	b->max_sections = max_sections;
	b->used = body_start(b);
	memset(b->buf, 0, cap);
	memcpy(b->buf, "CPER", 4);
	whea_st16(b->buf + 4, 0x0101); /* UEFI revision 1.1 */
	whea_st32(b->buf + 6, 0xffffffffu);
	whea_st32(b->buf + 12, init->severity);
	uint32_t vb = 0;
	if (!whea_guid_is_zero(&init->platform_id))
		vb |= 1, memcpy(b->buf + 32, init->platform_id.b, 16);
	if (init->has_timestamp) {
		if (whea_timestamp_encode(b->buf + 24, &init->timestamp))
			return whea_error_set(WHEA_EINVAL, 24, NULL, "builder: timestamp is not a valid date");
		vb |= 2;
	}
	if (!whea_guid_is_zero(&init->partition_id))
		vb |= 4, memcpy(b->buf + 48, init->partition_id.b, 16);
	whea_st32(b->buf + 16, vb);
	memcpy(b->buf + 64, init->creator.b, 16);
	memcpy(b->buf + 80, init->notify_type.b, 16);
	whea_st64(b->buf + 96, init->record_id);
	whea_st32(b->buf + 104, init->flags);
	set_length(b, b->used, init->record_length_is_capacity);
	return 0;
}

int whea_builder_attach(whea_builder *b, void *buf, size_t cap)
{
	whea_record r;
	int rc = whea_record_parse(&r, buf, cap, 0, NULL, NULL);
	if (rc)
		return rc;
	b->buf = buf;
	b->cap = cap;
	uint16_t n = r.section_count;
	size_t first = r.record_length, end = HDR + (size_t)DSC * n;
	for (unsigned i = 0; i < n; i++) {
		size_t off = whea_le32(desc(b, i)), e = off + whea_le32(desc(b, i) + 4);
		if (off < first)
			first = off;
		if (e > end)
			end = e;
	}
	b->max_sections = (uint16_t)((first - HDR) / DSC);
	b->used = end;
	return 0;
}

size_t whea_builder_length(const whea_builder *b) { return whea_le32(b->buf + 20); }

static void raise_severity(whea_builder *b, uint32_t sev)
{
	if (whea_severity_rank(sev) > whea_severity_rank(whea_le32(b->buf + 12)))
		whea_st32(b->buf + 12, sev);
}

static bool length_is_capacity(const whea_builder *b) { return whea_le32(b->buf + 20) == b->cap && b->used < b->cap; }

int whea_builder_add_section(whea_builder *b, const whea_guid *type, uint32_t length, uint32_t severity,
			     uint32_t desc_flags, uint8_t **body)
{
	uint16_t n = count(b);
	if (n >= b->max_sections)
		return whea_error_set(WHEA_ELIMIT, -1, NULL, "builder: all %u reserved descriptors are used", b->max_sections);
	if (length > b->cap - b->used)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "builder: section of %u bytes does not fit in the %zu spare bytes",
				      length, b->cap - b->used);
	bool whole = length_is_capacity(b);
	uint8_t *d = desc(b, n);
	memset(d, 0, DSC);
	whea_st32(d, (uint32_t)b->used);
	whea_st32(d + 4, length);
	whea_st16(d + 8, 0x0100);
	whea_st32(d + 12, desc_flags);
	memcpy(d + 16, type->b, 16);
	whea_st32(d + 48, severity);
	memset(b->buf + b->used, 0, length);
	if (body)
		*body = b->buf + b->used;
	b->used += length;
	whea_st16(b->buf + 10, (uint16_t)(n + 1));
	raise_severity(b, severity);
	set_length(b, b->used, whole);
	return n;
}

int whea_builder_grow_section(whea_builder *b, unsigned idx, uint32_t new_length, uint8_t **body)
{
	if (idx >= count(b))
		return whea_error_set(WHEA_ENOTFOUND, -1, NULL, "builder: no section %u", idx);
	uint8_t *d = desc(b, idx);
	uint32_t off = whea_le32(d), len = whea_le32(d + 4);
	if (new_length < len)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "builder: sections only grow (%u < %u)", new_length, len);
	size_t delta = new_length - len;
	if (delta > b->cap - b->used)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "builder: growing by %zu bytes needs more than the %zu spare",
				      delta, b->cap - b->used);
	bool whole = length_is_capacity(b);
	size_t end = (size_t)off + len;
	/* Move every body that starts at or after this one's end, and fix its offset. */
	memmove(b->buf + end + delta, b->buf + end, b->used - end);
	memset(b->buf + end, 0, delta);
	for (unsigned i = 0; i < count(b); i++) {
		uint8_t *o = desc(b, i);
		if (i != idx && whea_le32(o) >= end)
			whea_st32(o, (uint32_t)(whea_le32(o) + delta));
	}
	whea_st32(d + 4, new_length);
	b->used += delta;
	if (body)
		*body = b->buf + off;
	set_length(b, b->used, whole);
	return 0;
}

int whea_builder_set_fru(whea_builder *b, unsigned idx, const whea_guid *fru_id, const char *fru_text)
{
	if (idx >= count(b))
		return whea_error_set(WHEA_ENOTFOUND, -1, NULL, "builder: no section %u", idx);
	uint8_t *d = desc(b, idx);
	if (fru_id) {
		memcpy(d + 32, fru_id->b, 16);
		d[10] |= 1;
	}
	if (fru_text) {
		size_t n = strlen(fru_text);
		memset(d + 52, 0, 20);
		memcpy(d + 52, fru_text, n < 20 ? n : 20);
		d[10] |= 2;
	}
	return 0;
}

uint64_t whea_record_id_next(whea_recid_state *s, uint64_t unix_seconds)
{
	uint64_t id = unix_seconds << 32;
	if (id <= s->last)
		id = s->last + 1;
	if (id == 0 || id == UINT64_MAX) /* ERST reserves both */
		id = 1;
	s->last = id;
	return id;
}
