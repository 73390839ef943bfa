/* cper/walk.c — walks a whole parsed record through a sink: header, descriptors, section bodies,
 * and any non-zero bytes no structure covers ("extraBytes"), so a writer sees every byte. */
#include <string.h>

#include "cper/interp.h"
#include "util/le.h"

/* The names of the record-level objects (text labels given, or as whea_key_label derives them). */
WHEA_SKEY_LIT(extra_sk, "extraBytes", "Bytes outside every section");
WHEA_SKEY_LIT(offset_sk, "offset", "Offset");
WHEA_SKEY_LIT(data_sk, "data", "Data");
WHEA_SKEY_LIT(header_sk, "header", "Record header");
WHEA_SKEY_LIT(descs_sk, "sectionDescriptors", "Section descriptors");
WHEA_SKEY_LIT(sections_sk, "sections", "Sections");
WHEA_SKEY_LIT(truncated_sk, "truncatedData", "Truncated section data");

/* Non-zero stretches of the record outside header, descriptors and sections. */
static void walk_extra(const whea_sink *s, const whea_record *r)
{
	size_t n = r->len;
	size_t covered = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * r->section_count;
	bool open = false;
	size_t pos = covered < n ? covered : n;
	while (pos < n) {
		/* Next byte not inside any section. */
		size_t next_end = pos;
		for (unsigned i = 0; i < r->section_count; i++) {
			const uint8_t *d = r->data + WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * i;
			uint64_t off = whea_le32(d), end = off + whea_le32(d + 4);
			if (off <= pos && pos < end && end > next_end)
				next_end = end > n ? n : (size_t)end;
		}
		if (next_end > pos) {
			pos = next_end;
			continue;
		}
		/* pos is uncovered: extend to the next covered byte. */
		size_t stop = n;
		for (unsigned i = 0; i < r->section_count; i++) {
			const uint8_t *d = r->data + WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * i;
			uint64_t off = whea_le32(d);
			if (whea_le32(d + 4) && off > pos && off < stop)
				stop = (size_t)off;
		}
		size_t a = pos, b = stop;
		while (a < b && !r->data[a])
			a++;
		while (b > a && !r->data[b - 1])
			b--;
		if (a < b) {
			if (!open)
				s->begin(s->ctx, &extra_sk, true), open = true;
			s->begin(s->ctx, &whea_skey_none, false);
			s->num(s->ctx, &offset_sk, a, WHEA_FMT_DEC, 4);
			s->bytes(s->ctx, &data_sk, r->data + a, b - a);
			s->end(s->ctx, false);
		}
		pos = stop;
	}
	if (open)
		s->end(s->ctx, true);
}

void whea_interp_record(const whea_sink *s, const whea_record *r)
{
	whea_guid creator;
	whea_record_creator(r, &creator);
	int hint = whea_ts_hint_for_creator(&creator);
	s->begin(s->ctx, &header_sk, false);
	whea_interp_decode(s, &whea_def_record_header, r->data, WHEA_RECORD_HEADER_SIZE, 0, hint);
	s->end(s->ctx, false);
	s->begin(s->ctx, &descs_sk, true);
	for (unsigned i = 0; i < r->section_count; i++) {
		size_t off = WHEA_RECORD_HEADER_SIZE + (size_t)WHEA_SECTION_DESC_SIZE * i;
		s->begin(s->ctx, &whea_skey_none, false);
		whea_interp_decode(s, &whea_def_section_descriptor, r->data + off, WHEA_SECTION_DESC_SIZE, off, hint);
		s->end(s->ctx, false);
	}
	s->end(s->ctx, true);
	s->begin(s->ctx, &sections_sk, true);
	for (unsigned i = 0; i < r->section_count; i++) {
		/* only what the walk needs of the descriptor (whea_record_section copies it all) */
		const uint8_t *desc = r->data + WHEA_RECORD_HEADER_SIZE + WHEA_SECTION_DESC_SIZE * i;
		uint32_t offset = whea_le32(desc), length = whea_le32(desc + 4);
		const whea_section_type *known = whea_section_lookup((const whea_guid *)(const void *)(desc + 16));
		whea_skey_buf kb;
		s->begin(s->ctx, &whea_skey_none, false);
		s->begin(s->ctx, whea_section_skey(known, &kb), false);
		/* A section cut short by the end of the buffer is decoded as far as it goes. */
		size_t avail = offset < r->len ? r->len - offset : 0;
		if (avail > length)
			avail = length;
		/* Never form a pointer past the buffer, even for an empty section. */
		const uint8_t *body = r->data + (offset < r->len ? offset : r->len);
		if (avail == length)
			whea_interp_section(s, known, body, avail, offset, hint);
		else /* cut short or missing: its layout cannot be trusted; keep the bytes there are */
			s->bytes(s->ctx, &truncated_sk, body, avail);
		s->end(s->ctx, false);
		s->end(s->ctx, false);
	}
	s->end(s->ctx, true);
	walk_extra(s, r);
}
