/* format/input.c — what a user's input is (binary CPER, Generic Error Status Blocks, hex or base64
 * text, JSON) and the conversions that need no allocator: hex/base64 text to bytes, and one ACPI
 * Generic Error Status Block (spec 12.4, a BERT region or GHES buffer) to a CPER record built with
 * the record builder. Freestanding: no malloc, no stdio; every read is bounds-checked. */
#include <string.h>

#include "format/input_priv.h"
#include "util/base64.h"
#include "util/fmt.h"
#include "util/le.h"
#include "whea/error.h"
#include "whea/input.h"
#include "whea/record.h"

#define DETECT_SCAN 4096        /* text detection looks at this many bytes at most */
#define GESB_HDR 20             /* Generic Error Status Block header */
#define ENTRY_HDR 64            /* Generic Error Data Entry header, revision < 3.0 */
#define ENTRY_HDR_V3 72         /* ... revision >= 3.0 (adds a timestamp) */
#define GESB_COUNT(st) (((st) >> 4) & 0x3ffu)  /* BlockStatus bits 13:4 (D14: ACPICA masks 8 bits) */
#define GESB_RESERVED 0xffffc000u              /* BlockStatus bits 31:14 */

const char *whea_input_kind_name(int kind)
{
	switch (kind) {
	case WHEA_INPUT_CPER: return "cper";
	case WHEA_INPUT_GESB: return "gesb";
	case WHEA_INPUT_HEX: return "hex";
	case WHEA_INPUT_BASE64: return "base64";
	case WHEA_INPUT_JSON: return "json";
	default: return "unknown";
	}
}

/* ---- character classes ---------------------------------------------------------------------- */

static bool is_space(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/* "0x" / "0X" starting a token at p[i] (the previous character is no hex digit). */
static bool hex_prefix_at(const uint8_t *p, size_t n, size_t i)
{
	return p[i] == '0' && i + 1 < n && (p[i + 1] | 0x20) == 'x' && (i == 0 || whea_hex_val(p[i - 1]) < 0);
}

/* ---- detection ------------------------------------------------------------------------------- */

typedef struct text_scan {
	bool hex, b64;          /* every character seen fits hex text / base64 text */
	size_t hex_digits, b64_chars, non_space;
} text_scan;

static void scan_text(const uint8_t *p, size_t n, text_scan *t)
{
	t->hex = t->b64 = true;
	t->hex_digits = t->b64_chars = t->non_space = 0;
	for (size_t i = 0; i < n && (t->hex || t->b64); i++) {
		unsigned c = p[i];
		if (is_space(c))
			continue;
		t->non_space++;
		if (t->b64 && (whea_b64_val(c) >= 0 || c == '='))
			t->b64_chars++;
		else
			t->b64 = false;
		if (!t->hex)
			continue;
		if (hex_prefix_at(p, n, i))
			i++; /* skip the 'x'; base64 cannot hold it, but "0x" text is hex anyway */
		else if (whea_hex_val(c) >= 0)
			t->hex_digits++;
		else if (c != ',')
			t->hex = false;
	}
}

/* The text starts with the "CPER" signature in hex ("43504552", also spaced or as 0x43, 0x50, ...)
 * or in base64 ("Q1BFU": the first 5 characters of any record's base64 are these). Such text is
 * read as that kind even when a character further on does not fit it, so the decoder names the bad
 * character and its offset instead of the text being taken for the other kind or for garbage. */
static bool hex_signature(const uint8_t *p, size_t n)
{
	static const char sig[] = "43504552";
	size_t k = 0;
	for (size_t i = 0; i < n && k < 8; i++) {
		if (is_space(p[i]) || p[i] == ',')
			continue;
		if (hex_prefix_at(p, n, i)) {
			i++;
			continue;
		}
		if (p[i] != (uint8_t)sig[k++])
			return false;
	}
	return k == 8;
}

static bool base64_signature(const uint8_t *p, size_t n)
{
	static const char sig[] = "Q1BFU";
	size_t k = 0;
	for (size_t i = 0; i < n && k < 5; i++)
		if (!is_space(p[i]) && p[i] != (uint8_t)sig[k++])
			return false;
	return k == 5;
}

static int detect_text(const uint8_t *data, size_t len)
{
	size_t n = len < DETECT_SCAN ? len : DETECT_SCAN;
	bool whole = n == len;
	if (hex_signature(data, n))
		return WHEA_INPUT_HEX;
	if (base64_signature(data, n))
		return WHEA_INPUT_BASE64;
	text_scan t;
	scan_text(data, n, &t);
	if (t.non_space == 0)
		return WHEA_INPUT_UNKNOWN;
	/* Both fit when only hex digits occur: hex wins if its digit count can be whole bytes. */
	if (t.hex && (!whole || t.hex_digits % 2 == 0))
		return WHEA_INPUT_HEX;
	if (t.b64 && (!whole || t.b64_chars % 4 != 1))
		return WHEA_INPUT_BASE64;
	if (t.hex)
		return WHEA_INPUT_HEX; /* the decoder will say which digit is unpaired */
	return WHEA_INPUT_UNKNOWN;
}

bool whea_gesb_header_plausible(const uint8_t *p)
{
	uint32_t status = whea_le32(p), data_len = whea_le32(p + 12), sev = whea_le32(p + 16);
	if ((status & GESB_RESERVED) || GESB_COUNT(status) == 0 || sev > 3)
		return false;
	return data_len >= ENTRY_HDR;
}

/* The first 20 bytes look like a Generic Error Status Block whose data fits in len. */
static bool gesb_plausible(const uint8_t *p, size_t len)
{
	return len >= GESB_HDR && whea_gesb_header_plausible(p) && whea_le32(p + 12) <= len - GESB_HDR;
}

int whea_input_detect(const uint8_t *data, size_t len)
{
	if (!data || len == 0)
		return WHEA_INPUT_UNKNOWN;
	/* A signature, or the start of one cut short: a record truncated to 1..3 bytes is still a
	 * record (the parser reports the truncation), not one hex digit or base64 text. */
	if (memcmp(data, "CPER", len < 4 ? len : 4) == 0)
		return WHEA_INPUT_CPER;
	size_t i = 0;
	while (i < len && i < DETECT_SCAN && is_space(data[i]))
		i++;
	if (i < len && (data[i] == '{' || data[i] == '['))
		return WHEA_INPUT_JSON;
	int kind = detect_text(data, len);
	if (kind != WHEA_INPUT_UNKNOWN)
		return kind;
	return gesb_plausible(data, len) ? WHEA_INPUT_GESB : WHEA_INPUT_UNKNOWN;
}

/* ---- hex and base64 text --------------------------------------------------------------------- */

static void put_byte(uint8_t *out, size_t cap, size_t *n, unsigned v)
{
	if (*n < cap)
		out[*n] = (uint8_t)v;
	(*n)++;
}

static int bad_char(const char *what, const char *text, size_t i)
{
	unsigned c = (uint8_t)text[i];
	if (c > 0x20 && c < 0x7f)
		return whea_error_set(WHEA_EFORMAT, (int64_t)i, NULL, "%s text: bad character '%c'", what, (char)c);
	return whea_error_set(WHEA_EFORMAT, (int64_t)i, NULL, "%s text: bad byte 0x%02x", what, c);
}

static int odd_digits(size_t at)
{
	return whea_error_set(WHEA_EFORMAT, (int64_t)at, NULL, "hex text: odd number of hex digits (this one has no partner)");
}

static int hex_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	const uint8_t *p = (const uint8_t *)text;
	int hi = -1;          /* pending high nibble */
	size_t hi_at = 0;     /* its offset */
	bool in_prefixed = false;
	for (size_t i = 0; i < len; i++) {
		unsigned c = p[i];
		if (hex_prefix_at(p, len, i)) {
			if (hi >= 0)
				return odd_digits(hi_at);
			in_prefixed = true;
			i++;
			continue;
		}
		int v = whea_hex_val(c);
		if (v >= 0) {
			if (hi < 0) {
				hi = v;
				hi_at = i;
			} else {
				put_byte(out, cap, n, (unsigned)(hi << 4 | v));
				hi = -1;
			}
			continue;
		}
		if (!is_space(c) && c != ',')
			return bad_char("hex", text, i);
		if (in_prefixed && hi >= 0) /* "0x3," : a 0x value must be whole bytes */
			return odd_digits(hi_at);
		in_prefixed = false;
	}
	return hi >= 0 ? odd_digits(hi_at) : 0;
}

static int b64_error(size_t at, const char *msg)
{
	return whea_error_set(WHEA_EFORMAT, (int64_t)at, NULL, "base64 text: %s", msg);
}

static int b64_decode(const char *text, size_t len, uint8_t *out, size_t cap, size_t *n)
{
	uint32_t acc = 0;
	unsigned q = 0, pad = 0;   /* characters of the current quantum; '=' seen */
	size_t last = 0;          /* offset of the last data character */
	for (size_t i = 0; i < len; i++) {
		unsigned c = (uint8_t)text[i];
		if (is_space(c))
			continue;
		if (c == '=') {
			if (q < 2 || q + pad >= 4)
				return b64_error(i, "misplaced '=' padding");
			pad++;
			continue;
		}
		int v = whea_b64_val(c);
		if (v < 0)
			return bad_char("base64", text, i);
		if (pad)
			return b64_error(i, "data after '=' padding");
		acc = acc << 6 | (uint32_t)v;
		last = i;
		if (++q == 4) {
			put_byte(out, cap, n, acc >> 16);
			put_byte(out, cap, n, (acc >> 8) & 0xff);
			put_byte(out, cap, n, acc & 0xff);
			q = 0;
			acc = 0;
		}
	}
	if (q == 1)
		return b64_error(last, "a lone character ends the text");
	if (pad && q + pad != 4)
		return b64_error(last, "padding does not complete the last group");
	if (q == 2) {
		put_byte(out, cap, n, (acc >> 4) & 0xff);
	} else if (q == 3) {
		put_byte(out, cap, n, (acc >> 10) & 0xff);
		put_byte(out, cap, n, (acc >> 2) & 0xff);
	}
	return 0;
}

int whea_text_decode(int kind, const char *text, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	if (!outlen || (!text && len) || (!out && cap))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "text decode: bad arguments");
	*outlen = 0;
	size_t n = 0;
	int rc;
	if (kind == WHEA_INPUT_HEX)
		rc = hex_decode(text, len, out, cap, &n);
	else if (kind == WHEA_INPUT_BASE64)
		rc = b64_decode(text, len, out, cap, &n);
	else
		return whea_error_set(WHEA_EINVAL, -1, NULL, "text decode: kind %d is neither hex nor base64", kind);
	if (rc)
		return rc;
	*outlen = n;
	if (n > cap)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "text decode: %zu bytes do not fit in %zu", n, cap);
	return 0;
}

/* ---- Generic Error Status Block -> CPER ------------------------------------------------------ */

typedef struct gesb_entry {
	size_t off;      /* of the entry header, from the block start */
	size_t hdr;      /* header size: 64 or 72 */
	uint32_t len;    /* ErrorDataLength */
} gesb_entry;

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* The data entry at *pos (entries end at `end`). Returns 1 with *e filled and *pos advanced, 0 at
 * the end (zero padding after the last entry is allowed), or WHEA_EFORMAT. */
static int next_entry(const uint8_t *blk, size_t end, size_t *pos, unsigned index, gesb_entry *e)
{
	size_t at = *pos;
	if (at >= end || all_zero(blk + at, end - at))
		return 0;
	size_t left = end - at;
	if (left < ENTRY_HDR)
		return whea_error_set(WHEA_EFORMAT, (int64_t)at, NULL,
				      "GESB data entry %u at offset %zu: %zu bytes left of DataLength, less than a %d-byte entry header",
				      index, at, left, ENTRY_HDR);
	uint16_t rev = whea_le16(blk + at + 20);
	e->off = at;
	e->hdr = (rev >> 8) >= 3 ? ENTRY_HDR_V3 : ENTRY_HDR;
	if (left < e->hdr)
		return whea_error_set(WHEA_EFORMAT, (int64_t)at, NULL,
				      "GESB data entry %u at offset %zu: revision 0x%04x needs a %zu-byte header but only %zu bytes of DataLength are left",
				      index, at, rev, e->hdr, left);
	e->len = whea_le32(blk + at + 24);
	if (e->len > left - e->hdr)
		return whea_error_set(WHEA_EFORMAT, (int64_t)(at + 24), NULL,
				      "GESB data entry %u at offset %zu: ErrorDataLength %u runs past the block's DataLength (%zu bytes left after the header)",
				      index, at, e->len, left - e->hdr);
	*pos = at + e->hdr + e->len;
	return 1;
}

/* Checks the block header; *data_end = 20 + DataLength, *size = the whole block (raw data included). */
static int check_block(const uint8_t *blk, size_t avail, size_t *data_end, size_t *size)
{
	if (avail < GESB_HDR)
		return whea_error_set(WHEA_ETRUNC, (int64_t)avail, NULL,
				      "GESB: %zu bytes cannot hold the 20-byte block header", avail);
	uint32_t raw_off = whea_le32(blk + 4), raw_len = whea_le32(blk + 8), data_len = whea_le32(blk + 12);
	uint64_t dend = (uint64_t)GESB_HDR + data_len;
	if (dend > avail)
		return whea_error_set(WHEA_ETRUNC, 12, NULL,
				      "GESB: DataLength %u runs past the %zu bytes present (the block needs %llu)", data_len,
				      avail, (unsigned long long)dend);
	uint64_t total = dend;
	if (raw_len) {
		if (raw_off < dend)
			return whea_error_set(WHEA_EFORMAT, 4, NULL,
					      "GESB: raw data at offset %u overlaps the data entries (which end at %llu)",
					      raw_off, (unsigned long long)dend);
		uint64_t rend = (uint64_t)raw_off + raw_len;
		if (rend > avail)
			return whea_error_set(WHEA_ETRUNC, 8, NULL,
					      "GESB: raw data (offset %u, length %u) runs past the %zu bytes present", raw_off,
					      raw_len, avail);
		total = rend;
	}
	*data_end = (size_t)dend;
	*size = (size_t)total;
	return 0;
}

/* Counts the entries and sums what the record needs. */
static int measure_entries(const uint8_t *blk, size_t end, unsigned *count, uint64_t *payload, const uint8_t **stamp)
{
	size_t pos = GESB_HDR;
	gesb_entry e;
	int rc;
	*count = 0;
	*payload = 0;
	*stamp = NULL;
	while ((rc = next_entry(blk, end, &pos, *count, &e)) == 1) {
		if (*count == UINT16_MAX)
			return whea_error_set(WHEA_ELIMIT, (int64_t)e.off, NULL,
					      "GESB: more than %u data entries do not fit in one record", UINT16_MAX);
		if (!*stamp && e.hdr == ENTRY_HDR_V3 && (blk[e.off + 22] & 4))
			*stamp = blk + e.off + 64;
		(*count)++;
		*payload += e.len;
	}
	if (rc < 0)
		return rc;
	if (*count == 0)
		return whea_error_set(WHEA_EFORMAT, 12, NULL, "GESB: the block holds no data entries (DataLength %u)",
				      whea_le32(blk + 12));
	return 0;
}

/* Adds the entry as a section: type, severity, flags, FRU id/text (when valid) and body. */
static int add_entry(whea_builder *b, const uint8_t *blk, const gesb_entry *e)
{
	const uint8_t *p = blk + e->off;
	whea_guid type;
	memcpy(type.b, p, 16);
	uint8_t *body = NULL;
	int idx = whea_builder_add_section(b, &type, e->len, whea_le32(p + 16), p[23], &body);
	if (idx < 0)
		return idx;
	memcpy(body, p + e->hdr, e->len);
	if (p[22] & 1) {
		whea_guid fru;
		memcpy(fru.b, p + 28, 16);
		whea_builder_set_fru(b, (unsigned)idx, &fru, NULL);
	}
	if (p[22] & 2) {
		char text[21];
		memcpy(text, p + 44, 20);
		text[20] = 0;
		whea_builder_set_fru(b, (unsigned)idx, NULL, text);
	}
	return 0;
}

static int build_record(const uint8_t *blk, size_t end, const whea_guid *notify, uint64_t record_id, unsigned count,
			const uint8_t *stamp, uint8_t *out, size_t need)
{
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = whea_le32(blk + 16);
	init.creator = WHEA_CREATOR_OPENWHEA;
	if (notify)
		init.notify_type = *notify;
	init.record_id = record_id;
	whea_builder b;
	int rc = whea_builder_init(&b, out, need, (uint16_t)count, &init);
	if (rc)
		return rc;
	if (stamp) { /* the first entry timestamp, copied as is */
		memcpy(out + 24, stamp, 8);
		whea_st32(out + 16, whea_le32(out + 16) | 2);
	}
	size_t pos = GESB_HDR;
	gesb_entry e;
	for (unsigned i = 0; i < count && next_entry(blk, end, &pos, i, &e) == 1; i++)
		if ((rc = add_entry(&b, blk, &e)) < 0)
			return rc;
	return 0;
}

int whea_gesb_to_record(const uint8_t *blk, size_t avail, const whea_guid *notify, uint64_t record_id, uint8_t *out,
			size_t cap, size_t *outlen, size_t *consumed)
{
	if (outlen)
		*outlen = 0;
	if (consumed)
		*consumed = 0;
	if (!blk || !outlen || (!out && cap))
		return whea_error_set(WHEA_EINVAL, -1, NULL, "GESB: bad arguments");
	size_t data_end = 0, size = 0;
	int rc = check_block(blk, avail, &data_end, &size);
	if (rc)
		return rc;
	if (consumed)
		*consumed = size;
	unsigned count;
	uint64_t payload;
	const uint8_t *stamp;
	if ((rc = measure_entries(blk, data_end, &count, &payload, &stamp)))
		return rc;
	uint64_t need = WHEA_RECORD_HEADER_SIZE + (uint64_t)WHEA_SECTION_DESC_SIZE * count + payload;
	if (need > UINT32_MAX)
		return whea_error_set(WHEA_ELIMIT, 12, NULL, "GESB: the record would need %llu bytes, over 4 GiB",
				      (unsigned long long)need);
	*outlen = (size_t)need;
	if (need > cap)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "GESB: the record needs %llu bytes, the buffer has %zu",
				      (unsigned long long)need, cap);
	return build_record(blk, data_end, notify, record_id, count, stamp, out, (size_t)need);
}
