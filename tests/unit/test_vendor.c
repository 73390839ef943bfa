/* tests/unit/test_vendor.c — vendor section types registered at run time (whea_section_register)
 * against the writers' speed tricks: names padded for 16-byte block copies (keys and labels of
 * every length around the block sizes and WHEA_SKEY_PAD_MAX), names that need JSON escaping, wide
 * enums, flags and bitfields at bit 63, arrays of 8-byte integers, nested and gated rows, the
 * per-thread GUID caches and the compiled tables across registration and unregistration, the
 * compiled-table arena when it is full, and decoding from several threads. Every record is written
 * as text, compact and pretty JSON with the compiled tables and without them (same bytes), the
 * JSON must parse and encode back to the same record, and the names must be the tables'. */
#include <pthread.h>
#include <stdlib.h>

#include "../check.h"
#include "cper/interp.h"
#include "format/json_read.h"
#include "whea/error.h"
#include "whea/format.h"
#include "whea/record.h"

#define OUTCAP (1u << 22)
#define RECCAP (1u << 16)

static char *outbuf[3];
static uint8_t *backbuf;

/* ---- Writing and checking one record. */

/* A record of one section of type g with body (n bytes) into buf; its length (0 on failure). */
static size_t make_record(uint8_t *buf, size_t cap, const whea_guid *g, const uint8_t *body, size_t n)
{
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	uint8_t *p;
	init.severity = WHEA_SEV_CORRECTED;
	init.record_id = 77;
	if (whea_builder_init(&b, buf, cap, 1, &init) ||
	    whea_builder_add_section(&b, g, (uint32_t)n, WHEA_SEV_CORRECTED, 0, &p) < 0)
		return 0;
	memcpy(p, body, n);
	return whea_builder_length(&b);
}

/* Text, compact JSON and pretty JSON of rec into outbuf[0..2]; their lengths in len. */
static bool write_all(const uint8_t *rec, size_t n, size_t len[3])
{
	whea_record r;
	if (whea_record_parse(&r, rec, n, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return false;
	for (int m = 0; m < 3; m++) {
		whea_out o;
		whea_out_init(&o, outbuf[m], OUTCAP - 1, NULL, NULL);
		int rc = m == 0 ? whea_record_to_text(&r, &o, 0) : whea_record_to_json(&r, &o, m == 2 ? WHEA_JSON_PRETTY : 0);
		if (rc)
			return false;
		len[m] = o.len;
		outbuf[m][o.len] = 0;
	}
	return true;
}

static whea_jnode *nodes;
static char *strbuf;
#define MAXNODES (1u << 20)

/* Parses JSON text; 0 when it is not valid. */
static bool parse_json(whea_jdoc *d, const char *s, size_t n)
{
	return whea_json_parse(d, s, n, nodes, MAXNODES, strbuf, OUTCAP) == 0;
}

/* The section object of a one-section record's JSON: sections[0][typekey], 0 for none. */
static uint32_t section_obj(const whea_jdoc *d, const char *typekey)
{
	uint32_t s = whea_json_get(d, 0, "sections");
	uint32_t e = s ? whea_json_at(d, s, 0) : 0;
	return e ? whea_json_get(d, e, typekey) : 0;
}

/* A flush callback that appends to a growing copy (whea_out with a small buffer). */
typedef struct sink_buf {
	char *p;
	size_t n;
} sink_buf;

static int append(void *ctx, const char *p, size_t n)
{
	sink_buf *b = ctx;
	if (b->n + n > OUTCAP)
		return WHEA_ENOSPACE;
	memcpy(b->p + b->n, p, n);
	b->n += n;
	return 0;
}

/* The record written through whea_out buffers of cap bytes that flush as they fill: the same
 * bytes as outbuf[0..2] (lengths len), whatever the names' lengths. */
static void check_flushing(const char *what, const uint8_t *rec, size_t n, const size_t len[3], size_t cap)
{
	static char *copy, *small;
	whea_record r;
	if (!copy)
		copy = malloc(OUTCAP), small = malloc(1u << 16);
	if (whea_record_parse(&r, rec, n, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return;
	for (int m = 0; m < 3; m++) {
		sink_buf b = {copy, 0};
		whea_out o;
		whea_out_init(&o, small, cap, append, &b);
		int rc = m == 0 ? whea_record_to_text(&r, &o, 0) : whea_record_to_json(&r, &o, m == 2 ? WHEA_JSON_PRETTY : 0);
		rc = rc ? rc : whea_out_flush(&o);
		CHECK(rc == 0 && b.n == len[m] && memcmp(copy, outbuf[m], b.n) == 0,
		      "%s: mode %d through a %zu-byte buffer: rc %d, %zu bytes, not %zu", what, m, cap, rc, b.n, len[m]);
	}
}

/* The outputs of the record rec: with and without compiled tables the same, JSON valid and
 * encoding back to rec exactly. Leaves the outputs (compiled) in outbuf; their lengths in len. */
static void check_record(const char *what, const uint8_t *rec, size_t n, size_t len[3])
{
	static char *ref[3];
	size_t rlen[3];
	for (int m = 0; m < 3; m++)
		if (!ref[m])
			ref[m] = malloc(OUTCAP);
	whea_interp_tables_enable(false);
	bool ok = write_all(rec, n, rlen);
	whea_interp_tables_enable(true);
	CHECK(ok, "%s: uncompiled write", what);
	for (int m = 0; m < 3 && ok; m++)
		memcpy(ref[m], outbuf[m], rlen[m] + 1);
	CHECK(write_all(rec, n, len), "%s: write", what);
	for (int m = 0; m < 3 && ok; m++)
		CHECK(len[m] == rlen[m] && memcmp(ref[m], outbuf[m], len[m]) == 0,
		      "%s: mode %d differs with and without compiled tables:\n%s\n----\n%s", what, m, outbuf[m], ref[m]);
	for (int m = 1; m < 3; m++) {
		whea_jdoc d;
		CHECK(parse_json(&d, outbuf[m], len[m]), "%s: mode %d is not JSON: %s\n%s", what, m,
		      whea_error_last()->message, outbuf[m]);
		size_t bn = 0;
		int rc = whea_json_to_record(outbuf[m], len[m], backbuf, RECCAP, &bn);
		CHECK(rc == 0 && bn == n && memcmp(backbuf, rec, n) == 0, "%s: mode %d does not encode back (rc %d: %s)\n%s",
		      what, m, rc, rc ? whea_error_last()->message : "", outbuf[m]);
	}
	static const size_t caps[] = {1, 17, 100, 4096};
	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
		check_flushing(what, rec, n, len, caps[i]);
}

/* Whether the text output has a line "<indent>label: " (label of n bytes). */
static bool text_has_label(const char *text, const char *label, size_t n)
{
	for (const char *p = text; (p = strstr(p, label)) != NULL; p++)
		if ((p == text || p[-1] == ' ' || p[-1] == '\n') && p[n] == ':' && p[n + 1] == ' ')
			return true;
	return false;
}

/* ---- A type whose names have every length around the block sizes and WHEA_SKEY_PAD_MAX. */

static const unsigned name_lens[] = {1,  2,  14, 15, 16, 17, 30,  31,  32,  33,  44,  45,  46,  47,
				     62, 63, 64, 94, 95, 96, 127, 128, 129, 130, 200, 255, 256, 1000};
#define NLEN (sizeof name_lens / sizeof name_lens[0])

/* A name of n characters made from seed c: letters with a capital every 7th character (so labels
 * derived from keys have several words), unique per (c, n). */
static char *make_name(char c, unsigned n, bool spaces)
{
	char *s = malloc(n + 1);
	for (unsigned i = 0; i < n; i++)
		s[i] = i == 0 ? c : spaces && i % 9 == 0 ? ' ' : i % 7 == 0 ? (char)('A' + i % 26) : (char)('a' + (i * 5 + n) % 26);
	s[n] = 0;
	return s;
}

static whea_field len_rows[1 + NLEN + 6];
static whea_name len_enum[NLEN + 1], len_flags[NLEN + 2];
static whea_bitfield len_bits[5];
static whea_name len_bitenum[4];
static whea_def len_bitdef, len_inner, len_def;
static whea_field len_inner_rows[4];
static const whea_section_type *len_type;

#define LEN_FIX (8 + 4 * NLEN) /* after the validation bits and the integer rows */

static void make_len_type(void)
{
	static whea_section_type t = {{{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01}},
				      NULL, NULL, &len_def, NULL};
	size_t nr = 0;
	len_rows[nr++] = (whea_field){.key = "validBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS};
	for (unsigned i = 0; i < NLEN; i++) /* gated by bit i every third row; explicit labels every other */
		len_rows[nr++] = (whea_field){.key = make_name('k', name_lens[i], false),
					      .label = i % 2 ? make_name('L', name_lens[(i * 7) % NLEN], true) : NULL,
					      .off = 8 + 4 * i, .size = 4, .kind = WHEA_K_UINT, .fmt = (uint8_t)(i % 3),
					      .valid = i % 3 == 0 ? WHEA_V(i) : 0};
	for (unsigned i = 0; i < NLEN; i++) {
		unsigned l = name_lens[i] > 250 ? 250 + i % 5 : name_lens[i]; /* compiled lengths: at most 255 */
		len_enum[i] = (whea_name){i, make_name('e', l, false)};
		len_flags[i] = (whea_name){i == NLEN - 1 ? 63 : i, make_name('f', name_lens[i], false)};
	}
	len_flags[NLEN] = (whea_name){0, NULL};
	len_bitenum[0] = (whea_name){0, make_name('b', 129, false)};
	len_bitenum[1] = (whea_name){1, make_name('b', 16, false)};
	len_bitenum[2] = (whea_name){5, make_name('b', 45, false)};
	len_bits[0] = (whea_bitfield){.key = make_name('x', 129, false), .lo = 0, .width = 1, .kind = WHEA_K_BOOL};
	len_bits[1] = (whea_bitfield){.key = make_name('y', 46, false), .lo = 1, .width = 4, .kind = WHEA_K_UINT};
	len_bits[2] = (whea_bitfield){.key = make_name('z', 31, false), .lo = 5, .width = 3, .kind = WHEA_K_ENUM,
				      .names = len_bitenum};
	len_bits[3] = (whea_bitfield){.key = make_name('w', 300, false), .label = make_name('W', 160, true), .lo = 8,
				      .width = 55, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX};
	len_bits[4] = (whea_bitfield){.key = make_name('v', 128, false), .lo = 63, .width = 1, .kind = WHEA_K_BOOL};
	len_bitdef = (whea_def){.name = "long bitfields", .size = 8, .bits = len_bits, .nbits = 5};
	len_inner_rows[0] = (whea_field){.key = make_name('i', 45, false), .off = 0, .size = 2, .kind = WHEA_K_UINT};
	len_inner_rows[1] = (whea_field){.key = make_name('j', 129, false), .off = 2, .size = 16, .kind = WHEA_K_ASCII};
	len_inner_rows[2] = (whea_field){.key = make_name('g', 32, false), .off = 18, .size = 16, .kind = WHEA_K_GUID};
	len_inner_rows[3] = (whea_field){.key = make_name('h', 200, false), .off = 34, .size = 14, .kind = WHEA_K_BYTES};
	len_inner = (whea_def){.name = "long inner", .size = 48, .fields = len_inner_rows, .nfields = 4};
	uint32_t o = LEN_FIX;
	len_rows[nr++] = (whea_field){.key = make_name('E', 129, false), .off = o, .size = 4, .kind = WHEA_K_ENUM, .names = len_enum};
	len_rows[nr++] = (whea_field){.key = make_name('F', 46, false), .off = o + 4, .size = 8, .kind = WHEA_K_FLAGS, .names = len_flags};
	len_rows[nr++] = (whea_field){.key = make_name('B', 128, false), .off = o + 12, .size = 8, .kind = WHEA_K_UINT, .sub = &len_bitdef};
	len_rows[nr++] = (whea_field){.key = make_name('A', 130, false), .off = o + 20, .size = 8, .kind = WHEA_K_ARRAY,
				      .fmt = WHEA_FMT_HEX, .count_fixed = 3};
	len_rows[nr++] = (whea_field){.key = make_name('S', 47, false), .off = o + 44, .size = 48, .kind = WHEA_K_STRUCT, .sub = &len_inner};
	len_rows[nr++] = (whea_field){.key = make_name('T', 15, false), .off = o + 92, .size = 8, .kind = WHEA_K_TIMESTAMP};
	len_def = (whea_def){.name = "long names", .size = o + 100, .fields = len_rows, .nfields = (uint16_t)nr};
	t.name = make_name('N', 129, true);
	t.key = make_name('K', 129, false);
	len_type = &t;
}

/* A body for a type of size n: patterned bytes, validation bits all set but bit 3. */
static void fill_body(uint8_t *body, size_t n, unsigned seed)
{
	for (size_t k = 0; k < n; k++)
		body[k] = (uint8_t)(k * 37 + seed);
}

static void test_lengths(void)
{
	make_len_type();
	char msg[200];
	CHECK(whea_def_check(&len_def, msg, sizeof msg) == 0, "len_def: %s", msg);
	int rc = whea_section_register(len_type);
	CHECK(rc == 0, "register long names: %d %s", rc, whea_error_last()->message);
	uint8_t body[1024], rec[4096];
	size_t n = len_def.size;
	for (unsigned seed = 0; seed < 4; seed++) {
		fill_body(body, n, seed);
		uint64_t vb = seed == 0 ? ~0ull : seed == 1 ? 0 : ~0ull ^ (1ull << 3) ^ (1ull << 9);
		memcpy(body, &vb, 8);
		if (seed == 3) /* a valid enum value and a known timestamp */
			memset(body + LEN_FIX, 0, 4), body[LEN_FIX] = 5;
		size_t rn = make_record(rec, sizeof rec, &len_type->guid, body, n), len[3];
		check_record("long names", rec, rn, len);
		whea_jdoc d;
		if (!parse_json(&d, outbuf[1], len[1]))
			continue;
		uint32_t s = section_obj(&d, len_type->key);
		CHECK(s != 0, "no section object %s", len_type->key);
		for (unsigned i = 0; s && i < NLEN; i++) {
			const whea_field *f = &len_rows[1 + i];
			bool there = !f->valid || ((vb >> (f->valid - 1)) & 1);
			uint32_t m = whea_json_get(&d, s, f->key);
			CHECK(there == (m != 0), "key of %u characters: %s", name_lens[i], there ? "missing" : "there");
			if (f->label && there)
				CHECK(text_has_label(outbuf[0], f->label, strlen(f->label)), "label of %zu characters missing",
				      strlen(f->label));
		}
		CHECK(!s || whea_json_get(&d, s, len_rows[1 + NLEN + 4].key), "nested struct");
		CHECK(strstr(outbuf[0], len_type->name) != NULL, "type name in text");
		CHECK(strstr(outbuf[1], len_type->name) != NULL, "type name in JSON");
	}
}

/* ---- Names that need escaping in JSON. */

/* Enum value names are JSON strings, escaped by the writers (ASCII: see the refused ones below). */
static const whea_name esc_enum[] = {{0, "plain"}, {1, "q\"uote"}, {2, "back\\slash"}, {3, "ctl\x01x"},
				     {4, "new\nline"}, {5, "sl/ash"}, {6, "\"\\\"\\"},
				     {7, "del\x7f"}, {8, "tab\tx"}, {0, NULL}};
static const whea_name utf8_enum[] = {{0, "plain"}, {5, "caf\xc3\xa9"}, {0, NULL}};
/* Flag names are JSON keys: plain ones, UTF-8 included (the ones that need escaping are refused). */
static const whea_name esc_flags[] = {{0, "fplain"}, {1, "fcaf\xc3\xa9"}, {2, "f\xe6\x97\xa5"}, {3, "fx"},
				      {63, "topBit63"}, {0, NULL}};
static const whea_name bad_flags[][2] = {{{0, "fq\"uote"}, {0, NULL}}, {{1, "fback\\slash"}, {0, NULL}},
					 {{63, "fctl\x1f"}, {0, NULL}}};
static const whea_bitfield esc_bits[] = {
	{.key = "bEnum", .lo = 0, .width = 4, .kind = WHEA_K_ENUM, .names = esc_enum},
	{.key = "bflags", .lo = 4, .width = 4, .kind = WHEA_K_FLAGS, .names = esc_flags},
};
static const whea_def esc_bitdef = {.name = "escaped bits", .size = 8, .bits = esc_bits, .nbits = 2};
static const whea_field esc_rows[] = {
	{.key = "kind", .off = 0, .size = 1, .kind = WHEA_K_ENUM, .names = esc_enum},
	{.key = "kind2", .off = 1, .size = 1, .kind = WHEA_K_ENUM, .names = esc_enum, .fmt = WHEA_FMT_CODE},
	{.key = "flags", .off = 2, .size = 8, .kind = WHEA_K_FLAGS, .names = esc_flags},
	{.key = "packed", .off = 10, .size = 8, .kind = WHEA_K_UINT, .sub = &esc_bitdef},
	{.key = "caf\xc3\xa9Key", .off = 18, .size = 2, .kind = WHEA_K_UINT},
};
static const whea_def esc_def = {.name = "escaped names", .size = 20, .fields = esc_rows, .nfields = WHEA_NFIELDS(esc_rows)};
static const whea_section_type esc_type = {
	{{0x21, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x02}},
	"Vendor \"escaped\" \\ section \x01",
	"VendorEsc\xc3\xa9",
	&esc_def,
	NULL};

/* Keys that JSON cannot carry as they are: refused at registration, or written escaped. */
static const whea_field bad_rows[][1] = {
	{{.key = "q\"uote", .off = 0, .size = 4, .kind = WHEA_K_UINT}},
	{{.key = "back\\slash", .off = 0, .size = 4, .kind = WHEA_K_UINT}},
	{{.key = "ctl\x01", .off = 0, .size = 4, .kind = WHEA_K_UINT}},
	{{.key = "", .off = 0, .size = 4, .kind = WHEA_K_UINT}},
	{{.key = "fl", .off = 0, .size = 4, .kind = WHEA_K_FLAGS, .names = bad_flags[0]}},
	{{.key = "fl", .off = 0, .size = 4, .kind = WHEA_K_FLAGS, .names = bad_flags[1]}},
	{{.key = "vb", .off = 0, .size = 4, .kind = WHEA_K_VALIDBITS, .names = bad_flags[2]}},
	{{.key = "en", .off = 0, .size = 4, .kind = WHEA_K_ENUM, .names = utf8_enum}},
};

static void test_escapes(void)
{
	int rc = whea_section_register(&esc_type);
	CHECK(rc == 0, "register escaped names: %d %s", rc, whea_error_last()->message);
	uint8_t body[64], rec[1024];
	for (unsigned v = 0; v < 12; v++) {
		memset(body, 0, sizeof body);
		body[0] = (uint8_t)v, body[1] = (uint8_t)(v + 1);
		uint64_t fl = 0xf | (1ull << 63) | (v << 8);
		memcpy(body + 2, &fl, 8);
		uint64_t pk = (v & 15) | ((uint64_t)(v & 15) << 4);
		memcpy(body + 10, &pk, 8);
		size_t rn = make_record(rec, sizeof rec, &esc_type.guid, body, esc_def.size), len[3];
		check_record("escaped names", rec, rn, len);
		whea_jdoc d;
		if (!parse_json(&d, outbuf[1], len[1]))
			continue;
		uint32_t s = section_obj(&d, esc_type.key);
		CHECK(s != 0, "escaped: no section object");
		uint32_t k = s ? whea_json_get(&d, s, "kind") : 0;
		k = k ? whea_json_get(&d, k, "name") : 0; /* {"value", "name"} */
		if (v < 9)
			CHECK(k && d.nodes[k].type == WHEA_JSTRING && d.nodes[k].len == strlen(esc_enum[v].name) &&
				      memcmp(d.nodes[k].str, esc_enum[v].name, d.nodes[k].len) == 0,
			      "enum value %u: %.*s", v, k ? (int)d.nodes[k].len : 0, k ? d.nodes[k].str : "");
		CHECK(!s || whea_json_get(&d, s, "caf\xc3\xa9Key"), "UTF-8 key");
	}
	for (size_t i = 0; i < sizeof bad_rows / sizeof bad_rows[0]; i++) {
		whea_def bd = {.name = "bad key", .size = 4, .fields = bad_rows[i], .nfields = 1};
		whea_section_type bt = {{{0x31, (uint8_t)i, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x03}},
					"Bad key", "BadKey", &bd, NULL};
		rc = whea_section_register(&bt);
		if (rc == 0) { /* accepted: then it must come out as valid JSON that encodes back */
			uint8_t b4[4] = {1, 2, 3, 4};
			size_t rn = make_record(rec, sizeof rec, &bt.guid, b4, 4), len[3];
			check_record(bad_rows[i][0].key, rec, rn, len);
			whea_section_unregister(&bt.guid);
		} else {
			CHECK(rc == WHEA_EINVAL && (strstr(whea_error_last()->message, "backslash") || strstr(whea_error_last()->message, "ASCII")),
			      "bad key %zu refused: %s", i,
			      whea_error_last()->message);
		}
	}
	/* a section key that needs escaping */
	static const whea_field one[] = {{.key = "a", .off = 0, .size = 4, .kind = WHEA_K_UINT}};
	static const whea_def od = {.name = "one", .size = 4, .fields = one, .nfields = 1};
	static const whea_section_type qt = {{{0x41, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x04}},
					     "Quoted key", "Quo\"ted", &od, NULL};
	rc = whea_section_register(&qt);
	if (rc == 0) {
		uint8_t b4[4] = {1, 2, 3, 4};
		size_t rn = make_record(rec, sizeof rec, &qt.guid, b4, 4), len[3];
		check_record("quoted section key", rec, rn, len);
		whea_section_unregister(&qt.guid);
	} else {
		CHECK(rc == WHEA_EINVAL && strstr(whea_error_last()->message, "backslash"), "quoted section key refused: %s",
		      whea_error_last()->message);
	}
	static const whea_section_type ut = {{{0x42, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x04}},
					     "Caf\xc3\xa9 section", "Cafe", &od, NULL};
	rc = whea_section_register(&ut);
	CHECK(rc == WHEA_EINVAL && strstr(whea_error_last()->message, "ASCII"), "UTF-8 section name refused: %d %s", rc,
	      whea_error_last()->message);
}

/* Keys the JSON of other sections uses ("Unknown" for a GUID nobody registered): refused, or
 * records of both kinds still encode back. */
static void test_reserved_keys(void)
{
	static const whea_field one[] = {{.key = "data", .off = 0, .size = 4, .kind = WHEA_K_UINT}};
	static const whea_def od = {.name = "one", .size = 4, .fields = one, .nfields = 1};
	static const whea_section_type ut = {{{0x43, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x04}},
					     "Unknown section", "Unknown", &od, NULL};
	static const whea_guid other = {{0x44, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x04}};
	int rc = whea_section_register(&ut);
	CHECK(rc == WHEA_EINVAL && strstr(whea_error_last()->message, "reserved"), "key Unknown refused: %d", rc);
	uint8_t b8[8] = {1, 2, 3, 4, 5, 6, 7, 8}, rec[1024];
	size_t len[3], rn = make_record(rec, sizeof rec, &other, b8, 8);
	check_record("unknown type beside a type keyed Unknown", rec, rn, len);
	rn = make_record(rec, sizeof rec, &ut.guid, b8, 4);
	check_record("type keyed Unknown", rec, rn, len);
	if (rc == 0)
		whea_section_unregister(&ut.guid);
}

/* ---- Wide values: many enum values, bit 63, 64-bit bitfields, arrays of 8-byte integers. */

static whea_name wide_enum[301];
static const whea_name wide_flags[] = {{0, "low"}, {62, "bit62"}, {63, "bit63"}, {64, "beyond64"}, {200, "beyond200"}, {0, NULL}};
static const whea_bitfield wide_bits64[] = {{.key = "all", .lo = 0, .width = 64, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX}};
static const whea_def wide_bitdef64 = {.name = "64-bit field", .size = 8, .bits = wide_bits64, .nbits = 1};
static const whea_bitfield wide_bits64d[] = {{.key = "allDec", .lo = 0, .width = 64, .kind = WHEA_K_UINT}};
static const whea_def wide_bitdef64d = {.name = "64-bit decimal field", .size = 8, .bits = wide_bits64d, .nbits = 1};
static const whea_name hi_enum[] = {{0, "zero"}, {1, "one"}, {0x7f, "max"}, {0, NULL}};
static const whea_bitfield wide_bitsmix[] = {
	{.key = "lowBit", .lo = 0, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "hiFlags", .lo = 32, .width = 24, .kind = WHEA_K_FLAGS, .names = wide_flags},
	{.key = "topEnum", .lo = 56, .width = 7, .kind = WHEA_K_ENUM, .names = hi_enum},
	{.key = "top", .lo = 63, .width = 1, .kind = WHEA_K_BOOL},
};
static const whea_def wide_bitdefmix = {.name = "mixed fields", .size = 8, .bits = wide_bitsmix, .nbits = 4};
static const whea_field wide_inner2[] = {
	{.key = "deep", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "deepFlags", .off = 8, .size = 8, .kind = WHEA_K_FLAGS, .names = wide_flags},
};
static const whea_def wide_in2 = {.name = "inner 2", .size = 16, .fields = wide_inner2, .nfields = 2};
static const whea_field wide_inner1[] = {
	{.key = "vb", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "a", .off = 8, .size = 8, .kind = WHEA_K_UINT, .valid = WHEA_V(63)},
	{.key = "b", .off = 16, .size = 16, .kind = WHEA_K_STRUCT, .sub = &wide_in2, .valid = WHEA_V(0)},
};
static const whea_def wide_in1 = {.name = "inner 1", .size = 32, .fields = wide_inner1, .nfields = 3};
static const whea_field wide_rows[] = {
	{.key = "bigEnum", .off = 0, .size = 2, .kind = WHEA_K_ENUM, .names = wide_enum},
	{.key = "bigEnum8", .off = 2, .size = 8, .kind = WHEA_K_ENUM, .names = wide_enum, .fmt = WHEA_FMT_CODE},
	{.key = "flags63", .off = 10, .size = 8, .kind = WHEA_K_FLAGS, .names = wide_flags},
	{.key = "whole", .off = 18, .size = 8, .kind = WHEA_K_UINT, .sub = &wide_bitdef64},
	{.key = "wholeDec", .off = 26, .size = 8, .kind = WHEA_K_UINT, .sub = &wide_bitdef64d},
	{.key = "mixed", .off = 34, .size = 8, .kind = WHEA_K_UINT, .sub = &wide_bitdefmix},
	{.key = "q8", .off = 42, .size = 8, .kind = WHEA_K_ARRAY, .count_fixed = 5},
	{.key = "q8hex", .off = 82, .size = 8, .kind = WHEA_K_ARRAY, .count_fixed = 3, .fmt = WHEA_FMT_ADDR},
	{.key = "w2", .off = 106, .size = 2, .kind = WHEA_K_ARRAY, .count_fixed = 4, .fmt = WHEA_FMT_HEX},
	{.key = "nested", .off = 114, .size = 32, .kind = WHEA_K_STRUCT, .sub = &wide_in1},
	{.key = "u1", .off = 146, .size = 1, .kind = WHEA_K_UINT},
	{.key = "u2", .off = 147, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "u4", .off = 149, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "u8", .off = 153, .size = 8, .kind = WHEA_K_UINT},
	{.key = "rev", .off = 161, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_BCDREV},
};
static const whea_def wide_def = {.name = "wide values", .size = 163, .fields = wide_rows, .nfields = WHEA_NFIELDS(wide_rows)};
static const whea_section_type wide_type = {
	{{0x51, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x05}},
	"Wide values", "WideValues", &wide_def, NULL};

/* The decimal digits of the 8-byte "u8" row (text "U8: N") around every power of ten. */
static void check_decimals(void)
{
	uint8_t body[256], rec[2048];
	memset(body, 0, sizeof body);
	uint64_t p10 = 1;
	for (unsigned k = 0; k <= 19; k++, p10 *= 10)
		for (int d = -1; d <= 1; d++) {
			uint64_t v = p10 + (uint64_t)(int64_t)d;
			memcpy(body + 153, &v, 8);
			memcpy(body + 42, &v, 8); /* the first element of q8 */
			size_t rn = make_record(rec, sizeof rec, &wide_type.guid, body, wide_def.size), len[3];
			check_record("decimals", rec, rn, len);
			char want[64];
			snprintf(want, sizeof want, " U8: %llu\n", (unsigned long long)v);
			CHECK(strstr(outbuf[0], want) != NULL, "text of %llu\n%s", (unsigned long long)v, outbuf[0]);
			snprintf(want, sizeof want, "\"u8\":%llu,", (unsigned long long)v);
			CHECK(strstr(outbuf[1], want) != NULL, "JSON of %llu", (unsigned long long)v);
			snprintf(want, sizeof want, "\"q8\":[%llu,", (unsigned long long)v);
			CHECK(strstr(outbuf[1], want) != NULL, "JSON element %llu", (unsigned long long)v);
		}
}

/* 64 one-bit booleans (as many bitfields as an integer holds: no batched form) and 63. */
static whea_bitfield bits64[64];
static whea_def bits64def, bits63def;
static const whea_field bits64_rows[] = {
	{.key = "all64", .off = 0, .size = 8, .kind = WHEA_K_UINT, .sub = &bits64def},
	{.key = "all63", .off = 8, .size = 8, .kind = WHEA_K_UINT, .sub = &bits63def},
};
static const whea_def bits64_outer = {.name = "64 bits", .size = 16, .fields = bits64_rows, .nfields = 2};
static const whea_section_type bits64_type = {
	{{0x52, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x05}},
	"64 bits", "Bits64", &bits64_outer, NULL};

static void test_bits64(void)
{
	for (unsigned i = 0; i < 64; i++)
		bits64[i] = (whea_bitfield){.key = make_name((char)('a' + i % 26), 40 + i, false), .lo = (uint8_t)i, .width = 1,
					    .kind = WHEA_K_BOOL};
	bits64def = (whea_def){.name = "64 booleans", .size = 8, .bits = bits64, .nbits = 64};
	bits63def = (whea_def){.name = "63 booleans", .size = 8, .bits = bits64, .nbits = 63};
	int rc = whea_section_register(&bits64_type);
	CHECK(rc == 0, "register 64 bits: %d %s", rc, whea_error_last()->message);
	uint8_t body[16], rec[1024];
	for (unsigned seed = 0; seed < 4; seed++) {
		fill_body(body, 16, seed * 77);
		size_t rn = make_record(rec, sizeof rec, &bits64_type.guid, body, 16), len[3];
		check_record("64 booleans", rec, rn, len);
	}
}

static void test_wide(void)
{
	test_bits64();
	static char names[300][8];
	for (unsigned i = 0; i < 300; i++) {
		snprintf(names[i], sizeof names[i], "v%u", i * 3);
		wide_enum[i] = (whea_name){i * 3, names[i]};
	}
	int rc = whea_section_register(&wide_type);
	CHECK(rc == 0, "register wide: %d %s", rc, whea_error_last()->message);
	uint8_t body[256], rec[2048];
	static const uint64_t pats[] = {0, ~0ull, 1ull << 63, 0x8000000000000001ull, 0x7fffffffffffffffull, 18446744073709551615ull - 1,
					10000000000000000000ull, 9999999999999999999ull, 999, 1000, 12345678901234567ull};
	for (unsigned i = 0; i < sizeof pats / sizeof pats[0] * 3; i++) {
		uint64_t v = pats[i % (sizeof pats / sizeof pats[0])];
		for (size_t k = 0; k < wide_def.size; k++)
			body[k] = i / 11 == 0 ? (uint8_t)(v >> (8 * (k % 8))) : i / 11 == 1 ? (uint8_t)(k * 37 + i) : (uint8_t)(v >> (8 * ((k + 3) % 8)));
		if (i % 2) /* an enum value that has a name */
			body[0] = (uint8_t)((i * 3) & 0xff), body[1] = (uint8_t)((i * 3) >> 8);
		size_t rn = make_record(rec, sizeof rec, &wide_type.guid, body, wide_def.size), len[3];
		check_record("wide values", rec, rn, len);
	}	check_decimals();
}

/* ---- Deep nesting: runs, bitfields and arrays at every depth the table check allows (pretty
 * JSON indented past the writers' one-copy prefixes). */

#define DEEP 8 /* levels: whea_def_check allows 8 below the top, the last one the bitfields */
#define DEEP_FIX 32
static whea_field deep_rows[DEEP][7];
static whea_def deep_defs[DEEP];
static const whea_name deep_enum[] = {{0, "zero"}, {1, "one"}, {2, "two"}, {0x55, "fives"}, {0, NULL}};
static const whea_bitfield deep_bits[] = {
	{.key = "lo", .lo = 0, .width = 3, .kind = WHEA_K_UINT},
	{.key = "flag", .lo = 3, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "kind", .lo = 4, .width = 2, .kind = WHEA_K_ENUM, .names = deep_enum},
	{.key = "rest", .lo = 6, .width = 58, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def deep_bitdef = {.name = "deep bits", .size = 8, .bits = deep_bits, .nbits = 4};

static void test_deep(void)
{
	for (int l = DEEP - 1; l >= 0; l--) {
		whea_field *r = deep_rows[l];
		uint32_t sub = l == DEEP - 1 ? 0 : deep_defs[l + 1].size;
		r[0] = (whea_field){.key = "e1", .off = 0, .size = 1, .kind = WHEA_K_ENUM, .names = deep_enum};
		r[1] = (whea_field){.key = "anEnumWithALongerKeyThan32Chars", .off = 1, .size = 1, .kind = WHEA_K_ENUM, .names = deep_enum};
		r[2] = (whea_field){.key = "n2", .off = 2, .size = 2, .kind = WHEA_K_UINT};
		r[3] = (whea_field){.key = "n4", .off = 4, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX};
		r[4] = (whea_field){.key = "bits", .off = 8, .size = 8, .kind = WHEA_K_UINT, .sub = &deep_bitdef};
		r[5] = (whea_field){.key = "q", .off = 16, .size = 8, .kind = WHEA_K_ARRAY, .count_fixed = 2};
		r[6] = (whea_field){.key = "down", .off = DEEP_FIX, .size = sub, .kind = l == 3 ? WHEA_K_STRUCT : WHEA_K_ARRAY,
				    .sub = &deep_defs[l + 1], .count_fixed = 1};
		deep_defs[l] = (whea_def){.name = "deep", .size = DEEP_FIX + sub, .fields = r,
					  .nfields = (uint16_t)(l == DEEP - 1 ? 6 : 7)};
	}
	static const whea_section_type dt = {{{0x81, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x08}},
					     "Deep section", "Deep", &deep_defs[0], NULL};
	char msg[200];
	CHECK(whea_def_check(&deep_defs[0], msg, sizeof msg) == 0, "deep: %s", msg);
	int rc = whea_section_register(&dt);
	CHECK(rc == 0, "register deep: %d %s", rc, whea_error_last()->message);
	uint8_t body[1024], rec[4096];
	for (unsigned seed = 0; seed < 6; seed++) {
		fill_body(body, deep_defs[0].size, seed);
		for (unsigned l = 0; l < DEEP && seed % 2; l++) /* named enum values */
			body[l * DEEP_FIX] = (uint8_t)(l % 3), body[l * DEEP_FIX + 1] = 0x55;
		size_t rn = make_record(rec, sizeof rec, &dt.guid, body, deep_defs[0].size), len[3];
		check_record("deep", rec, rn, len);
	}
}

/* ---- Registration and unregistration between decodes: the names shown are the current type's. */

static const whea_guid cyc_guid = {{0x61, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x06}};

/* Tables and names in memory the test rewrites between registrations (a plug-in unloaded and
 * another loaded at the same address). */
static char cyc_key[64], cyc_name[64], cyc_fkey[4][64], cyc_ename[4][64];
static whea_name cyc_enum[5];
static whea_field cyc_rows[4];
static whea_def cyc_def;
static whea_section_type cyc_type;

static void cyc_make(unsigned gen)
{
	snprintf(cyc_key, sizeof cyc_key, "Cycle%uKey", gen);
	snprintf(cyc_name, sizeof cyc_name, "Cycle %u section", gen);
	for (unsigned i = 0; i < 4; i++) {
		snprintf(cyc_fkey[i], sizeof cyc_fkey[i], "g%ufield%u", gen, i);
		snprintf(cyc_ename[i], sizeof cyc_ename[i], "g%uvalue%u", gen, i);
		cyc_enum[i] = (whea_name){i, cyc_ename[i]};
	}
	cyc_enum[4] = (whea_name){0, NULL};
	for (unsigned i = 0; i < 3; i++)
		cyc_rows[i] = (whea_field){.key = cyc_fkey[i], .off = 4 * i, .size = 4, .kind = WHEA_K_UINT};
	cyc_rows[3] = (whea_field){.key = cyc_fkey[3], .off = 12, .size = 4,
				   .kind = gen % 2 ? WHEA_K_FLAGS : WHEA_K_ENUM, .names = cyc_enum};
	cyc_def = (whea_def){.name = cyc_name, .size = 16, .fields = cyc_rows, .nfields = 4};
	cyc_type = (whea_section_type){cyc_guid, cyc_name, cyc_key, &cyc_def, NULL};
}

/* Decodes a record of the cycling GUID; checks its names are those of generation gen (or the
 * unknown type's when gen < 0). */
static void cyc_check(int gen)
{
	uint8_t body[16] = {1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0}, rec[1024];
	size_t rn = make_record(rec, sizeof rec, &cyc_guid, body, 16), len[3];
	char what[64];
	snprintf(what, sizeof what, "cycle %d", gen);
	check_record(what, rec, rn, len);
	for (int m = 0; m < 3; m++) {
		const char *o = outbuf[m];
		if (gen < 0) {
			CHECK(strstr(o, "Cycle") == NULL && strstr(o, "field") == NULL, "%s mode %d: stale names\n%s", what, m, o);
			continue;
		}
		char want[80];
		snprintf(want, sizeof want, m ? "\"%s\"" : "%s", cyc_key);
		CHECK(m == 0 || strstr(o, want), "%s mode %d: no %s\n%s", what, m, want, o);
		CHECK(strstr(o, cyc_name), "%s mode %d: no %s\n%s", what, m, cyc_name, o);
		snprintf(want, sizeof want, "g%ufield0", (unsigned)gen);
		CHECK(m == 0 || strstr(o, want), "%s mode %d: no %s", what, m, want);
		/* the last row holds 2: the enum's value 2 (even generations) or the flags' bit 1 (odd) */
		unsigned nv = gen % 2 ? 1 : 2;
		snprintf(want, sizeof want, m ? "g%uvalue%u" : "G%uvalue%u", (unsigned)gen, nv);
		CHECK(strstr(o, want), "%s mode %d: no %s\n%s", what, m, want, o);
		for (int g = 0; g < 26; g++) {
			if (g == gen)
				continue;
			snprintf(want, sizeof want, "g%ufield", (unsigned)g);
			CHECK(!strstr(o, want), "%s mode %d: stale %s", what, m, want);
			snprintf(want, sizeof want, "Cycle%uKey", (unsigned)g);
			CHECK(!strstr(o, want), "%s mode %d: stale %s", what, m, want);
			snprintf(want, sizeof want, "Cycle %u section", (unsigned)g);
			CHECK(!strstr(o, want), "%s mode %d: stale %s", what, m, want);
		}
	}
}

static void test_cycles(void)
{
	cyc_check(-1); /* unknown first: nothing may remember "Unknown" once it is registered */
	for (unsigned gen = 0; gen < 24; gen++) { /* more generations than the arena held before */
		cyc_make(gen);
		int rc = whea_section_register(&cyc_type);
		CHECK(rc == 0, "register cycle %u: %d %s", gen, rc, whea_error_last()->message);
		cyc_check((int)gen);
		cyc_check((int)gen);
		CHECK(whea_section_unregister(&cyc_guid) == 0, "unregister cycle %u", gen);
		cyc_check(-1);
	}
	CHECK(whea_section_unregister(&cyc_guid) == WHEA_ENOTFOUND, "unregister twice");
}

static whea_section_type copies[3]; /* the types the threads decode, registered to the end */

/* ---- Several threads decoding the vendor types at once. */

#define THREADS 4
static uint8_t *trec[8];
static size_t tlen[8];
static unsigned ntrec;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t digest_one(unsigned i, char *out)
{
	whea_record r;
	uint64_t h = 0xcbf29ce484222325ull;
	if (whea_record_parse(&r, trec[i], tlen[i], WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return h;
	for (unsigned m = 0; m < 3; m++) {
		whea_out o;
		whea_out_init(&o, out, OUTCAP, NULL, NULL);
		if (m)
			whea_record_to_json(&r, &o, m == 2 ? WHEA_JSON_PRETTY : 0);
		else
			whea_record_to_text(&r, &o, WHEA_TEXT_HEXDUMP);
		h = fnv(h, out, o.len);
	}
	return h;
}

static uint64_t tdig[THREADS][8];
static pthread_barrier_t tstart;

static void *tworker(void *arg)
{
	uint64_t *d = arg;
	char *out = malloc(OUTCAP);
	pthread_barrier_wait(&tstart);
	for (unsigned round = 0; round < 20; round++)
		for (unsigned i = 0; i < ntrec; i++) {
			uint64_t h = out ? digest_one(i, out) : 0;
			if (round == 0)
				d[i] = h;
			else if (d[i] != h)
				d[i] = 0;
		}
	free(out);
	return NULL;
}

static void test_threads(void)
{
	/* fresh registrations: their compiled tables and names are made by the threads */
	static const whea_section_type *types[3];
	static whea_def defs[3];
	const whea_section_type *src[3] = {len_type, &esc_type, &wide_type};
	for (unsigned i = 0; i < 3; i++) {
		whea_section_unregister(&src[i]->guid);
		defs[i] = *src[i]->def; /* a new address: compiled afresh */
		copies[i] = *src[i];
		copies[i].def = &defs[i];
		types[i] = &copies[i];
		CHECK(whea_section_register(types[i]) == 0, "re-register %u", i);
	}
	uint8_t body[1024];
	for (unsigned i = 0; i < 3; i++) {
		size_t n = types[i]->def->size;
		fill_body(body, n, i);
		trec[ntrec] = malloc(4096);
		tlen[ntrec] = make_record(trec[ntrec], 4096, &types[i]->guid, body, n);
		ntrec++;
	}
	uint64_t want[8];
	pthread_t th[THREADS];
	pthread_barrier_init(&tstart, NULL, THREADS);
	for (unsigned t = 0; t < THREADS; t++)
		pthread_create(&th[t], NULL, tworker, tdig[t]);
	for (unsigned t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&tstart);
	char *out = malloc(OUTCAP);
	for (unsigned i = 0; i < ntrec; i++) {
		want[i] = digest_one(i, out);
		for (unsigned t = 0; t < THREADS; t++)
			CHECK(tdig[t][i] == want[i], "thread %u record %u differs", t, i);
	}
	free(out);
	for (unsigned i = 0; i < ntrec; i++)
		free(trec[i]);
}

/* ---- Enough tables to fill the compiled-table arena: the walk falls back, same output. */

#define BIG_ROWS 1500

static void test_arena(void)
{
	static whea_def defs[12];
	static whea_section_type types[12];
	whea_field *rows = calloc(BIG_ROWS, sizeof *rows);
	for (unsigned i = 0; i < BIG_ROWS; i++)
		rows[i] = (whea_field){.key = make_name('a', 40 + i % 140, false), .off = 4 * i, .size = 4, .kind = WHEA_K_UINT,
				       .fmt = (uint8_t)(i % 3)};
	for (unsigned i = 0; i < BIG_ROWS; i++) /* make the keys unique */
		snprintf((char *)rows[i].key + 1, 6, "%05u", i), ((char *)rows[i].key)[6] = 'x';
	uint8_t *body = malloc(4 * BIG_ROWS), *rec = malloc(RECCAP);
	unsigned nreg = 0;
	for (unsigned t = 0; t < 12; t++) {
		defs[t] = (whea_def){.name = "big", .size = 4 * BIG_ROWS, .fields = rows, .nfields = BIG_ROWS};
		char *key = malloc(16);
		snprintf(key, 16, "Big%u", t);
		types[t] = (whea_section_type){{{0x71, (uint8_t)t, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x07}},
					       "Big section", key, &defs[t], NULL};
		if (whea_section_register(&types[t]) != 0)
			break;
		nreg++;
		fill_body(body, 4 * BIG_ROWS, t);
		size_t rn = make_record(rec, RECCAP, &types[t].guid, body, 4 * BIG_ROWS), len[3];
		check_record("arena", rec, rn, len);
	}
	CHECK(nreg == 12, "registered %u big types", nreg);
	/* the arena is full by now: the earlier types (compiled) and the built-in ones still agree */
	for (unsigned t = 0; t < nreg; t += 5) {
		fill_body(body, 4 * BIG_ROWS, t + 1);
		size_t rn = make_record(rec, RECCAP, &types[t].guid, body, 4 * BIG_ROWS), len[3];
		check_record("arena, again", rec, rn, len);
	}
	cyc_make(25);
	CHECK(whea_section_register(&cyc_type) == 0, "register cycle after the arena");
	cyc_check(25);
	whea_section_unregister(&cyc_guid);
	cyc_check(-1);
	/* the long names again, now without room for their compiled names */
	uint8_t b2[1024];
	fill_body(b2, len_def.size, 5);
	size_t rn = make_record(rec, RECCAP, &copies[0].guid, b2, len_def.size), len[3];
	check_record("long names, arena full", rec, rn, len);
	CHECK(strstr(outbuf[1], copies[0].key) && strstr(outbuf[0], copies[0].name), "long type names, arena full");
	free(body);
	free(rec);
}

int main(void)
{
	for (int m = 0; m < 3; m++)
		outbuf[m] = malloc(OUTCAP);
	backbuf = malloc(RECCAP);
	nodes = malloc(MAXNODES * sizeof *nodes);
	strbuf = malloc(OUTCAP);
	test_lengths();
	test_escapes();
	test_reserved_keys();
	test_wide();
	test_deep();
	test_cycles();
	test_threads();
	test_arena();
	return check_summary("vendor");
}
