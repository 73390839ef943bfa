/* tests/unit/test_input.c — input detection (every kind and the near misses), hex and base64 text
 * decoding (bad characters with their offsets, padding, buffer sizes), and Generic Error Status
 * Block -> CPER conversion: a hand-built block with two entries checked field by field, then
 * truncation at every length, every single-byte corruption and random garbage (clean errors, never
 * a read outside the input: each input is copied to a buffer of exactly its size). Prints
 * "PASS case" / "FAIL case file:line ...", then "input: N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/base64.h"
#include "util/le.h"
#include "whea/format.h"
#include "whea/input.h"

static unsigned passed, failed, case_failed;
static const char *current = "?";

#define EXPECT(cond, ...)                                                                          \
	do {                                                                                       \
		if (cond) {                                                                        \
			passed++;                                                                  \
		} else {                                                                           \
			failed++;                                                                  \
			case_failed++;                                                             \
			printf("FAIL %s %s:%d: %s: ", current, __FILE__, __LINE__, #cond);         \
			printf(__VA_ARGS__);                                                       \
			putchar('\n');                                                             \
		}                                                                                  \
	} while (0)

static void begin(const char *name)
{
	current = name;
	case_failed = 0;
}

static void end(void)
{
	if (!case_failed)
		printf("PASS %s\n", current);
}

static const whea_guid G_MEMORY = WHEA_GUID(0xa5bc1114, 0x6f64, 0x4ede, 0xb8, 0x63, 0x3e, 0x83, 0xed, 0x7c, 0x83, 0xb1);
static const whea_guid G_PCIE = WHEA_GUID(0xd995e954, 0xbbc1, 0x430f, 0xad, 0x91, 0xb4, 0x4d, 0xcb, 0x3c, 0x6f, 0x35);
static const whea_guid G_BOOT = WHEA_GUID(0x3d61a466, 0xab40, 0x409a, 0xa6, 0x98, 0xf3, 0x62, 0xd4, 0x64, 0xb3, 0x8f);

/* ---- helpers ---- */

static int detect_str(const char *s) { return whea_input_detect((const uint8_t *)s, strlen(s)); }

/* A copy of p[0..n) in a buffer of exactly n bytes (so sanitizers catch over-reads). */
static uint8_t *exact_copy(const uint8_t *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);
	if (n)
		memcpy(q, p, n);
	return q;
}

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

/* ---- a hand-built block ---- */

typedef struct entry_spec {
	const whea_guid *type;
	uint32_t severity;
	uint16_t revision;
	uint8_t valid, flags;
	uint32_t body_len;
	uint8_t fill;
} entry_spec;

static size_t put_entry(uint8_t *p, const entry_spec *e)
{
	size_t hdr = (e->revision >> 8) >= 3 ? 72 : 64;
	memset(p, 0, hdr);
	memcpy(p, e->type->b, 16);
	whea_st32(p + 16, e->severity);
	whea_st16(p + 20, e->revision);
	p[22] = e->valid;
	p[23] = e->flags;
	whea_st32(p + 24, e->body_len);
	for (int i = 0; i < 16; i++)
		p[28 + i] = (uint8_t)(0xa0 + i);                     /* FRU id */
	memcpy(p + 44, "DIMM_A1 slot 3 front", 20);            /* FRU text, all 20 bytes used */
	if (hdr == 72) {
		static const uint8_t ts[8] = {0x15, 0x30, 0x08, 0x01, 0x17, 0x05, 0x24, 0x20};
		memcpy(p + 64, ts, 8);
	}
	for (uint32_t i = 0; i < e->body_len; i++)
		p[hdr + i] = (uint8_t)(e->fill + i);
	return hdr + e->body_len;
}

static const entry_spec two_entries[2] = {
	{&G_MEMORY, WHEA_SEV_CORRECTED, 0x0300, 0x6 /* FRU text, timestamp */, 0x01, 80, 0x10},
	{&G_PCIE, WHEA_SEV_FATAL, 0x0201, 0x1 /* FRU id */, 0x05, 208, 0x80},
};

/* The block: header, the two entries, then raw_len bytes of raw data. Returns its size. */
static size_t make_block(uint8_t *p, uint32_t raw_len)
{
	size_t pos = 20;
	for (int i = 0; i < 2; i++)
		pos += put_entry(p + pos, &two_entries[i]);
	whea_st32(p + 0, 1u | 2u | 2u << 4);            /* uncorrectable + correctable, 2 entries */
	whea_st32(p + 4, raw_len ? (uint32_t)pos : 0);
	whea_st32(p + 8, raw_len);
	whea_st32(p + 12, (uint32_t)(pos - 20));
	whea_st32(p + 16, WHEA_SEV_FATAL);
	memset(p + pos, 0x5a, raw_len);
	return pos + raw_len;
}

/* ---- detection ---- */

static void test_kind_names(void)
{
	begin("kind names");
	EXPECT(!strcmp(whea_input_kind_name(WHEA_INPUT_CPER), "cper"), "%s", whea_input_kind_name(WHEA_INPUT_CPER));
	EXPECT(!strcmp(whea_input_kind_name(WHEA_INPUT_GESB), "gesb"), "gesb");
	EXPECT(!strcmp(whea_input_kind_name(WHEA_INPUT_HEX), "hex"), "hex");
	EXPECT(!strcmp(whea_input_kind_name(WHEA_INPUT_BASE64), "base64"), "base64");
	EXPECT(!strcmp(whea_input_kind_name(WHEA_INPUT_JSON), "json"), "json");
	EXPECT(!strcmp(whea_input_kind_name(WHEA_INPUT_UNKNOWN), "unknown"), "unknown");
	EXPECT(!strcmp(whea_input_kind_name(99), "unknown"), "out of range");
	end();
}

static void test_detect(void)
{
	begin("detect");
	uint8_t rec[512];
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	whea_builder b;
	EXPECT(whea_builder_init(&b, rec, sizeof rec, 1, &init) == 0, "builder");
	EXPECT(whea_builder_add_section(&b, &G_MEMORY, 80, WHEA_SEV_CORRECTED, 0, NULL) == 0, "section");
	EXPECT(whea_input_detect(rec, whea_builder_length(&b)) == WHEA_INPUT_CPER, "record");
	EXPECT(whea_input_detect(rec, 4) == WHEA_INPUT_CPER, "signature alone");

	EXPECT(detect_str("{\"header\":{}}") == WHEA_INPUT_JSON, "object");
	EXPECT(detect_str(" \n\t [ {} ]") == WHEA_INPUT_JSON, "array after white space");
	EXPECT(detect_str("43 50 45 52\n01 01") == WHEA_INPUT_HEX, "hex pairs");
	EXPECT(detect_str("0x43, 0x50, 0x45,\n  0x52") == WHEA_INPUT_HEX, "C array body");
	EXPECT(detect_str("4350455201010000") == WHEA_INPUT_HEX, "plain hex");
	EXPECT(detect_str("ABCD") == WHEA_INPUT_HEX, "fits both, even digits: hex");
	EXPECT(detect_str("Q1BFUgEB") == WHEA_INPUT_BASE64, "base64");
	EXPECT(detect_str("Q1BF\nUg==\n") == WHEA_INPUT_BASE64, "base64 padded, lines");
	EXPECT(detect_str("ABC") == WHEA_INPUT_BASE64, "odd hex digits but fine base64");
	EXPECT(detect_str("abcde") == WHEA_INPUT_HEX, "neither plausible: hex (decoder reports)");
	EXPECT(detect_str("") == WHEA_INPUT_UNKNOWN, "empty");
	EXPECT(detect_str(" \n\t ") == WHEA_INPUT_UNKNOWN, "white space only");
	EXPECT(detect_str("hello, world!") == WHEA_INPUT_UNKNOWN, "prose");
	EXPECT(whea_input_detect(NULL, 10) == WHEA_INPUT_UNKNOWN, "NULL");

	uint8_t blk[1024];
	size_t n = make_block(blk, 0);
	EXPECT(whea_input_detect(blk, n) == WHEA_INPUT_GESB, "status block");
	uint8_t t[1024];
	memcpy(t, blk, n);
	whea_st32(t, whea_le32(blk) | 1u << 20);
	EXPECT(whea_input_detect(t, n) == WHEA_INPUT_UNKNOWN, "reserved BlockStatus bit");
	memcpy(t, blk, n);
	whea_st32(t, 3);
	EXPECT(whea_input_detect(t, n) == WHEA_INPUT_UNKNOWN, "entry count 0");
	memcpy(t, blk, n);
	whea_st32(t + 16, 4);
	EXPECT(whea_input_detect(t, n) == WHEA_INPUT_UNKNOWN, "severity 4");
	EXPECT(whea_input_detect(blk, n - 1) == WHEA_INPUT_UNKNOWN, "DataLength beyond the input");
	memcpy(t, blk, n);
	whea_st32(t + 12, 63);
	EXPECT(whea_input_detect(t, n) == WHEA_INPUT_UNKNOWN, "DataLength below one entry header");
	for (size_t k = 0; k <= n; k++) { /* never reads past len */
		uint8_t *c = exact_copy(blk, k);
		int kind = whea_input_detect(c, k);
		EXPECT(kind == (k == n ? WHEA_INPUT_GESB : WHEA_INPUT_UNKNOWN), "prefix of %zu bytes: kind %d", k, kind);
		free(c);
	}
	end();
}

/* ---- text ---- */

static void expect_decode(int kind, const char *text, const uint8_t *want, size_t wantlen, const char *what)
{
	uint8_t out[256];
	size_t n = 99;
	int rc = whea_text_decode(kind, text, strlen(text), out, sizeof out, &n);
	EXPECT(rc == 0, "%s: rc %d (%s)", what, rc, whea_error_last()->message);
	EXPECT(n == wantlen && memcmp(out, want, wantlen) == 0, "%s: %zu bytes", what, n);
}

static void expect_bad(int kind, const char *text, int64_t offset, const char *what)
{
	uint8_t out[256];
	size_t n = 99;
	char *c = (char *)exact_copy((const uint8_t *)text, strlen(text));
	int rc = whea_text_decode(kind, c, strlen(text), out, sizeof out, &n);
	EXPECT(rc == WHEA_EFORMAT, "%s: rc %d", what, rc);
	EXPECT(whea_error_last()->offset == offset, "%s: offset %lld, expected %lld (%s)", what,
	       (long long)whea_error_last()->offset, (long long)offset, whea_error_last()->message);
	EXPECT(whea_error_last()->message[0] != 0, "%s: a message", what);
	free(c);
}

static void test_hex(void)
{
	begin("hex text");
	static const uint8_t cper[] = {'C', 'P', 'E', 'R'};
	expect_decode(WHEA_INPUT_HEX, "43 50 45 52", cper, 4, "pairs");
	expect_decode(WHEA_INPUT_HEX, "43504552\n", cper, 4, "run");
	expect_decode(WHEA_INPUT_HEX, "0x43, 0x50,\n\t0X45 ,0x52,", cper, 4, "C array body");
	expect_decode(WHEA_INPUT_HEX, "0x43504552", cper, 4, "one 0x run");
	expect_decode(WHEA_INPUT_HEX, "4 3\r\n5 0 4552", cper, 4, "nibbles split by white space");
	expect_decode(WHEA_INPUT_HEX, "", cper, 0, "empty");
	expect_bad(WHEA_INPUT_HEX, "43 5g", 4, "bad character");
	expect_bad(WHEA_INPUT_HEX, "43 50\n45 52 zz", 12, "bad character on line 2");
	expect_bad(WHEA_INPUT_HEX, "43 50 4", 6, "odd digit count");
	expect_bad(WHEA_INPUT_HEX, "0x3, 0x45", 2, "odd 0x value");
	expect_bad(WHEA_INPUT_HEX, "4 0x45", 0, "0x after an unpaired digit");
	expect_bad(WHEA_INPUT_HEX, "43\x01", 2, "control byte");
	uint8_t small[2];
	size_t n = 0;
	EXPECT(whea_text_decode(WHEA_INPUT_HEX, "43504552", 8, small, sizeof small, &n) == WHEA_ENOSPACE, "no space");
	EXPECT(n == 4, "needed %zu", n);
	EXPECT(whea_text_decode(WHEA_INPUT_JSON, "{}", 2, small, sizeof small, &n) == WHEA_EINVAL, "wrong kind");
	EXPECT(whea_text_decode(WHEA_INPUT_HEX, "43", 2, small, sizeof small, NULL) == WHEA_EINVAL, "no outlen");
	end();
}

/* RFC 4648 base64, one character at a time: what the library's wide encoders must match. */
static void ref_b64(char *out, const uint8_t *p, size_t n)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < n; i += 3, out += 4) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
		out[0] = a[v >> 18], out[1] = a[(v >> 12) & 63];
		out[2] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		out[3] = i + 2 < n ? a[v & 63] : '=';
	}
}

static void test_base64(void)
{
	begin("base64 text");
	static const uint8_t cper[] = {'C', 'P', 'E', 'R'};
	expect_decode(WHEA_INPUT_BASE64, "Q1BFUg==", cper, 4, "padded");
	expect_decode(WHEA_INPUT_BASE64, "Q1BF\r\nUg", cper, 4, "unpadded, broken line");
	expect_decode(WHEA_INPUT_BASE64, "Q1BFUgE=", (const uint8_t *)"CPER\x01", 5, "one pad");
	expect_bad(WHEA_INPUT_BASE64, "Q1B*", 3, "bad character");
	expect_bad(WHEA_INPUT_BASE64, "Q===", 1, "padding after one character");
	expect_bad(WHEA_INPUT_BASE64, "Q1BFU", 4, "lone last character");
	expect_bad(WHEA_INPUT_BASE64, "Q1==Q1==", 4, "data after padding");
	expect_bad(WHEA_INPUT_BASE64, "Q1BFUg=", 5, "padding short of the group");
	expect_bad(WHEA_INPUT_BASE64, "Q1BF-g==", 4, "url-safe alphabet is not accepted");
	/* Round trips of every length 0..200 through the library's encoder, with line breaks. */
	for (size_t len = 0; len <= 200; len++) {
		uint8_t data[200], out[200];
		char text[WHEA_B64_LEN(200) + 64], enc[WHEA_B64_LEN(200)];
		for (size_t i = 0; i < len; i++)
			data[i] = (uint8_t)rnd();
		whea_b64_encode(enc, data, len);
		char ref[WHEA_B64_LEN(200)];
		ref_b64(ref, data, len);
		EXPECT(memcmp(enc, ref, WHEA_B64_LEN(len)) == 0, "length %zu: encoding differs from the reference", len);
		size_t t = 0, elen = WHEA_B64_LEN(len);
		for (size_t i = 0; i < elen; i++) {
			text[t++] = enc[i];
			if (i % 76 == 75)
				text[t++] = '\n';
		}
		size_t n = 0;
		int rc = whea_text_decode(WHEA_INPUT_BASE64, text, t, out, sizeof out, &n);
		EXPECT(rc == 0 && n == len && memcmp(out, data, len) == 0, "length %zu: rc %d, %zu bytes", len, rc, n);
	}
	end();
}

/* ---- GESB ---- */

static void lowest_offset(void *ctx, const whea_diag *d)
{
	uint64_t *low = ctx;
	if (d->offset < *low)
		*low = d->offset;
}

static void test_gesb_two_entries(void)
{
	begin("GESB with two entries");
	uint8_t blk[1024], out[2048];
	size_t n = make_block(blk, 0), outlen = 0, consumed = 0;
	uint8_t *c = exact_copy(blk, n);
	int rc = whea_gesb_to_record(c, n, &G_BOOT, 42, out, sizeof out, &outlen, &consumed);
	EXPECT(rc == 0, "rc %d: %s", rc, whea_error_last()->message);
	EXPECT(consumed == n, "consumed %zu of %zu", consumed, n);
	EXPECT(outlen == 128 + 2 * 72 + 80 + 208, "record length %zu", outlen);
	whea_record r;
	uint64_t first_diag = UINT64_MAX;
	EXPECT(whea_record_parse(&r, out, outlen, WHEA_PARSE_SECTIONS, lowest_offset, &first_diag) == 0,
	       "parses cleanly: %s", whea_error_last()->message);
	/* The filler bytes of the bodies set reserved fields (warnings); header and descriptors are clean. */
	EXPECT(r.errors == 0, "%u errors", r.errors);
	EXPECT(first_diag >= 272, "a diagnostic outside the section bodies, at byte %llu", (unsigned long long)first_diag);
	EXPECT(r.section_count == 2, "sections %u", r.section_count);
	EXPECT(r.record_length == outlen, "RecordLength %u", r.record_length);
	EXPECT(whea_record_severity(&r) == WHEA_SEV_FATAL, "header severity %u", whea_record_severity(&r));
	EXPECT(whea_record_id(&r) == 42, "record id");
	whea_guid g;
	whea_record_notify_type(&r, &g);
	EXPECT(whea_guid_equal(&g, &G_BOOT), "notify BOOT");
	whea_record_creator(&r, &g);
	EXPECT(whea_guid_equal(&g, &WHEA_CREATOR_OPENWHEA), "creator");
	EXPECT(whea_record_validation_bits(&r) == 2, "timestamp valid: 0x%x", whea_record_validation_bits(&r));
	EXPECT(memcmp(out + 24, blk + 20 + 64, 8) == 0, "timestamp copied from entry 0");

	whea_section_desc d;
	EXPECT(whea_record_section(&r, 0, &d) == 0, "section 0");
	EXPECT(whea_guid_equal(&d.type, &G_MEMORY), "section 0 type");
	EXPECT(d.severity == WHEA_SEV_CORRECTED, "section 0 severity %u", d.severity);
	EXPECT(d.offset == 272 && d.length == 80, "section 0 at %u, %u bytes", d.offset, d.length);
	EXPECT(d.flags == 0x01, "section 0 flags 0x%x", d.flags);
	EXPECT(d.validation_bits == 2, "section 0: FRU text only, 0x%x", d.validation_bits);
	EXPECT(strcmp(d.fru_text, "DIMM_A1 slot 3 front") == 0, "FRU text '%s'", d.fru_text);
	EXPECT(d.body && memcmp(d.body, blk + 20 + 72, 80) == 0, "section 0 body");
	EXPECT(d.known != NULL, "memory type known");

	EXPECT(whea_record_section(&r, 1, &d) == 0, "section 1");
	EXPECT(whea_guid_equal(&d.type, &G_PCIE), "section 1 type");
	EXPECT(d.severity == WHEA_SEV_FATAL, "section 1 severity %u", d.severity);
	EXPECT(d.offset == 352 && d.length == 208, "section 1 at %u, %u bytes", d.offset, d.length);
	EXPECT(d.flags == 0x05, "section 1 flags 0x%x", d.flags);
	EXPECT(d.validation_bits == 1, "section 1: FRU id only, 0x%x", d.validation_bits);
	EXPECT(d.fru_id.b[0] == 0xa0 && d.fru_id.b[15] == 0xaf, "FRU id");
	EXPECT(d.body && memcmp(d.body, blk + 20 + 72 + 80 + 64, 208) == 0, "section 1 body");

	/* Too small a buffer: ENOSPACE with the size needed; exact size works. */
	rc = whea_gesb_to_record(c, n, &G_BOOT, 42, out, 100, &outlen, &consumed);
	EXPECT(rc == WHEA_ENOSPACE && outlen == 560, "rc %d, needed %zu", rc, outlen);
	uint8_t *exact = malloc(560);
	EXPECT(whea_gesb_to_record(c, n, &G_BOOT, 42, exact, 560, &outlen, &consumed) == 0, "exact buffer");
	free(exact);
	EXPECT(whea_gesb_to_record(c, n, NULL, 1, NULL, 0, &outlen, &consumed) == WHEA_ENOSPACE && outlen == 560,
	       "size query with no buffer");
	free(c);
	end();
}

static int convert(const uint8_t *p, size_t n, size_t *consumed)
{
	static uint8_t out[4096];
	size_t outlen = 0;
	uint8_t *c = exact_copy(p, n);
	int rc = whea_gesb_to_record(c, n, &G_BOOT, 1, out, sizeof out, &outlen, consumed);
	free(c);
	return rc;
}

static void test_gesb_shapes(void)
{
	begin("GESB raw data, padding and malformed entries");
	uint8_t blk[2048];
	size_t n = make_block(blk, 40), consumed = 0;
	EXPECT(convert(blk, n, &consumed) == 0 && consumed == n, "raw data: consumed %zu of %zu", consumed, n);
	EXPECT(convert(blk, n - 1, &consumed) == WHEA_ETRUNC && whea_error_last()->offset == 8,
	       "raw data cut short: offset %lld", (long long)whea_error_last()->offset);
	whea_st32(blk + 4, whea_le32(blk + 4) - 1);
	EXPECT(convert(blk, n, &consumed) == WHEA_EFORMAT && whea_error_last()->offset == 4, "raw data inside entries");

	n = make_block(blk, 0);
	uint32_t dl = whea_le32(blk + 12);
	memset(blk + n, 0, 32); /* zero padding after the last entry is accepted */
	whea_st32(blk + 12, dl + 32);
	EXPECT(convert(blk, n + 32, &consumed) == 0 && consumed == n + 32, "zero padding");
	blk[n + 5] = 1; /* non-zero leftover too small for an entry header */
	EXPECT(convert(blk, n + 32, &consumed) == WHEA_EFORMAT && whea_error_last()->offset == (int64_t)n,
	       "leftover: offset %lld", (long long)whea_error_last()->offset);

	n = make_block(blk, 0);
	whea_st32(blk + 20 + 24, 81); /* entry 0 claims one byte more than DataLength holds... */
	EXPECT(convert(blk, n, &consumed) == WHEA_EFORMAT, "shifted entry 1 is garbage");
	whea_st32(blk + 20 + 24, 0x7fffffff);
	EXPECT(convert(blk, n, &consumed) == WHEA_EFORMAT && whea_error_last()->offset == 20 + 24,
	       "huge ErrorDataLength: offset %lld", (long long)whea_error_last()->offset);

	n = make_block(blk, 0);
	whea_st32(blk + 12, 0);
	EXPECT(convert(blk, 20, &consumed) == WHEA_EFORMAT && consumed == 20, "no entries");
	whea_st32(blk + 12, 0xffffffffu);
	EXPECT(convert(blk, n, &consumed) == WHEA_ETRUNC && whea_error_last()->offset == 12, "DataLength 4 GiB");
	end();
}

static void test_gesb_truncated(void)
{
	begin("GESB truncated at every length");
	uint8_t blk[2048];
	size_t n = make_block(blk, 24), consumed;
	for (size_t k = 0; k < n; k++) {
		int rc = convert(blk, k, &consumed);
		EXPECT(rc == WHEA_ETRUNC || rc == WHEA_EFORMAT, "length %zu: rc %d", k, rc);
		int64_t off = whea_error_last()->offset;
		EXPECT(off >= -1 && off <= (int64_t)k, "length %zu: offset %lld", k, (long long)off);
	}
	EXPECT(convert(blk, n, &consumed) == 0, "whole block");
	end();
}

static void test_gesb_garbage(void)
{
	begin("GESB corrupt and random input");
	static uint8_t out[1 << 16];
	uint8_t blk[2048];
	size_t n = make_block(blk, 8);
	unsigned ok = 0;
	static const uint8_t values[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x03, 0x40};
	for (size_t i = 0; i < n; i++)
		for (size_t v = 0; v < sizeof values; v++) {
			uint8_t *c = exact_copy(blk, n);
			c[i] = values[v];
			size_t outlen = 0, consumed = 0;
			int rc = whea_gesb_to_record(c, n, &G_BOOT, 1, out, sizeof out, &outlen, &consumed);
			EXPECT(rc <= 0, "byte %zu = 0x%02x: rc %d", i, values[v], rc);
			if (rc == 0) {
				whea_record r;
				ok++;
				EXPECT(outlen <= sizeof out && consumed <= n, "byte %zu: sizes", i);
				EXPECT(whea_record_parse(&r, out, outlen, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL) == 0,
				       "byte %zu = 0x%02x: output parses", i, values[v]);
				EXPECT(r.record_length == outlen, "byte %zu: RecordLength", i);
			}
			free(c);
		}
	EXPECT(ok > 0, "some corruptions (in bodies) still convert");
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = rnd() % 700;
		uint8_t buf[700];
		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd();
		if (len >= 20 && (iter & 1)) { /* make the header plausible half of the time */
			whea_st32(buf, 1u << 4 | 1u);
			whea_st32(buf + 8, rnd() % 4 ? 0 : rnd() % 64);
			whea_st32(buf + 12, (uint32_t)(rnd() % (len - 19)));
		}
		uint8_t *c = exact_copy(buf, len);
		size_t outlen = 0, consumed = 0;
		int rc = whea_gesb_to_record(c, len, &G_BOOT, 1, out, sizeof out, &outlen, &consumed);
		EXPECT(rc <= 0 && consumed <= len, "random %d: rc %d, consumed %zu of %zu", iter, rc, consumed, len);
		(void)whea_input_detect(c, len);
		free(c);
	}
	end();
}

int main(void)
{
	test_kind_names();
	test_detect();
	test_hex();
	test_base64();
	test_gesb_two_entries();
	test_gesb_shapes();
	test_gesb_truncated();
	test_gesb_garbage();
	printf("input: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
