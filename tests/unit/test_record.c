/* tests/unit/test_record.c — records: table self-test, golden vectors (decode facts and exact
 * round trip), error goldens (truncation, lying lengths and offsets), property round trips over
 * every section table, the builder, timestamps. Vectors come from ../shared/vectors (argv[1]). */
#include <dirent.h>
#include <stdlib.h>

#include "../check.h"
#include "cper/interp.h"
#include "format/json_read.h"
#include "util/le.h"
#include "whea/format.h"
#include "whea/input.h"
#include "../rng.h"
#include "../files.h"

/* ---- helpers ----------------------------------------------------------------------------- */

typedef struct diags {
	unsigned errors, warnings;
	int first_code;
	uint64_t first_off;
	char first_msg[200];
} diags;

static void collect(void *ctx, const whea_diag *d)
{
	diags *g = ctx;
	if (d->severity == WHEA_DIAG_ERROR && !g->errors++) {
		g->first_code = d->code;
		g->first_off = d->offset;
		snprintf(g->first_msg, sizeof g->first_msg, "%s", d->msg);
	} else if (d->severity == WHEA_DIAG_WARNING) {
		g->warnings++;
	}
}

/* Decodes to JSON (growing buffer). Returns malloc'd NUL-terminated text. */
static char *to_json(const whea_record *r, size_t *len)
{
	size_t cap = 1 << 16;
	for (;;) {
		char *b = malloc(cap);
		whea_out o;
		whea_out_init(&o, b, cap - 1, NULL, NULL);
		whea_record_to_json(r, &o, 0);
		if (!o.err) {
			b[o.len] = 0;
			*len = o.len;
			return b;
		}
		free(b);
		cap *= 4;
	}
}

/* bin -> JSON -> bin; returns 1 when identical. */
static int round_trip(const uint8_t *p, size_t n, const char *name)
{
	whea_record r;
	if (whea_record_parse(&r, p, n, WHEA_PARSE_TOLERANT, NULL, NULL))
		return 0;
	size_t jl;
	char *j = to_json(&r, &jl);
	/* A record whose length field is larger than the bytes present (one libcper example) comes
	 * back at its stated length: the bytes present identical, the missing tail zero. */
	size_t want = r.record_length > r.len ? r.record_length : r.len;
	uint8_t *out = calloc(1, want + 64);
	size_t outlen = 0;
	int rc = whea_json_to_record(j, jl, out, want + 64, &outlen);
	int ok = rc == 0 && outlen == want && memcmp(out, p, r.len) == 0;
	for (size_t i = r.len; ok && i < want; i++)
		ok = out[i] == 0;
	if (!ok) {
		size_t k = 0;
		while (k < outlen && k < r.len && out[k] == p[k])
			k++;
		fprintf(stderr, "round trip %s: rc=%d (%s at %s offset %lld) len %zu vs %zu, first difference at %zu\n", name, rc,
			whea_error_last()->message, whea_error_last()->path, (long long)whea_error_last()->offset, outlen, r.len, k);
		if (getenv("WHEA_TEST_VERBOSE"))
			fprintf(stderr, "%s\n", j);
	}
	free(out);
	free(j);
	return ok;
}

/* ---- table self-test --------------------------------------------------------------------- */

static void test_tables(void)
{
	char msg[200];
	CHECK(whea_def_check(&whea_def_record_header, msg, sizeof msg) == 0, "%s", msg);
	CHECK(whea_def_check(&whea_def_section_descriptor, msg, sizeof msg) == 0, "%s", msg);
	const whea_section_type *t, *u;
	size_t n = 0;
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++, n++) {
		if (t->def) {
			int rc = whea_def_check(t->def, msg, sizeof msg);
			CHECK(rc == 0, "%s: %s", t->key, msg);
			for (const whea_def *const *v = t->def->variants; v && *v; v++)
				CHECK(whea_def_check(*v, msg, sizeof msg) == 0, "%s variant: %s", t->key, msg);
		}
		CHECK(whea_section_lookup(&t->guid) == t, "%s: lookup by GUID finds another type", t->key);
		/* Types may share a key only when they share a layout (the three CXL event types). */
		CHECK(whea_section_by_key(t->key, strlen(t->key))->def == t->def, "%s: key is not unique", t->key);
		for (size_t k = 0; k < i; k++) {
			u = whea_section_at(k);
			CHECK(!whea_guid_equal(&u->guid, &t->guid), "%s and %s share a GUID", t->key, u->key);
		}
	}
	CHECK(n >= 40, "only %zu section types registered", n);
	/* The self-test refuses PCI locations that are half given or point past the layout. */
	static const whea_field four[] = {{.key = "a", .off = 0, .size = 4, .kind = WHEA_K_UINT}};
	static const whea_pci_loc bad_locs[] = {
		{.bus = 1, .dev = 2},                       /* no function */
		{.bus = 1, .dev = 2, .fn = 3, .rid = 1},    /* both forms */
		{.seg = 1, .seg_size = 4, .rid = 2},        /* 4-byte segment */
		{.bus = 1, .dev = 2, .fn = 5},              /* function byte past the end */
		{.seg = 4, .seg_size = 2, .rid = 1},        /* segment past the end */
	};
	for (size_t i = 0; i < sizeof bad_locs / sizeof bad_locs[0]; i++) {
		whea_def d = {.name = "loc", .size = 4, .fields = four, .nfields = 1, .pci_loc = &bad_locs[i]};
		CHECK(whea_def_check(&d, msg, sizeof msg) != 0, "bad PCI location %zu accepted", i);
	}
	whea_def good = {.name = "loc", .size = 4, .fields = four, .nfields = 1,
			 .pci_loc = &(const whea_pci_loc){.seg = 3, .seg_size = 2, .rid = 1}};
	CHECK(whea_def_check(&good, msg, sizeof msg) == 0, "good PCI location refused: %s", msg);
}

/* ---- golden vectors ---------------------------------------------------------------------- */

typedef struct jdoc {
	whea_jdoc d;
	whea_jnode *nodes;
	char *str;
} jdoc;

static int jparse(jdoc *j, const char *text, size_t len)
{
	j->nodes = malloc(sizeof(whea_jnode) * WHEA_JSON_NODES_FOR(len));
	j->str = malloc(WHEA_JSON_STRBUF_FOR(len) + 1);
	return whea_json_parse(&j->d, text, len, j->nodes, (uint32_t)WHEA_JSON_NODES_FOR(len), j->str, len + 1);
}

static void jfree(jdoc *j)
{
	free(j->nodes);
	free(j->str);
}

/* Follows a path of keys (NULL-terminated) from node n. */
static uint32_t jpath(const whea_jdoc *d, uint32_t n, const char *const *keys)
{
	for (; n && *keys; keys++)
		n = whea_json_get(d, n, *keys);
	return n;
}

static int jstr_eq(const whea_jdoc *d, uint32_t n, const char *s)
{
	return n && d->nodes[n].type == WHEA_JSTRING && d->nodes[n].len == strlen(s) && memcmp(d->nodes[n].str, s, d->nodes[n].len) == 0;
}

static uint64_t ju64(const whea_jdoc *d, uint32_t n)
{
	uint64_t v = UINT64_MAX;
	if (n)
		whea_json_u64(d, n, &v);
	return v;
}

/* The comma-separated list value i of a string like "73,192,264" (or a JSON array element). */
static uint64_t list_item(const whea_jdoc *d, uint32_t n, uint32_t i)
{
	if (d->nodes[n].type == WHEA_JARRAY)
		return ju64(d, whea_json_at(d, n, i));
	const char *s = d->nodes[n].str, *e = s + d->nodes[n].len;
	for (uint32_t k = 0; k < i && s < e; s++)
		if (*s == ',')
			k++;
	return strtoull(s, NULL, 10);
}

static const char *const severities[] = {"Recoverable", "Fatal", "Corrected", "Informational"};

/* What DecodeWheaRecord's test data states (win_edk2_*): header facts and per-section facts. */
static void check_windows_facts(const char *name, const whea_record *r, const whea_jdoc *d, uint32_t exp)
{
	uint32_t n;
	if ((n = whea_json_get(d, exp, "section_count")))
		CHECK_EQ_U(r->section_count, ju64(d, n), name);
	if ((n = whea_json_get(d, exp, "record_length")))
		CHECK_EQ_U(r->record_length, ju64(d, n), name);
	if ((n = whea_json_get(d, exp, "record_id")))
		CHECK_EQ_U(whea_record_id(r), ju64(d, n), name);
	if ((n = whea_json_get(d, exp, "severity")))
		CHECK(jstr_eq(d, n, severities[whea_record_severity(r) & 3]), "%s: severity %u", name, whea_record_severity(r));
	uint32_t offs = whea_json_get(d, exp, "sections_offset"), lens = whea_json_get(d, exp, "sections_length"),
		 sevs = whea_json_get(d, exp, "sections_severity");
	for (unsigned i = 0; i < r->section_count; i++) {
		whea_section_desc s;
		whea_record_section(r, i, &s);
		if (offs)
			CHECK_EQ_U(s.offset, list_item(d, offs, i), name);
		if (lens)
			CHECK_EQ_U(s.length, list_item(d, lens, i), name);
		if (sevs && d->nodes[sevs].type == WHEA_JARRAY)
			CHECK(jstr_eq(d, whea_json_at(d, sevs, i), severities[s.severity & 3]), "%s: section %u severity", name, i);
	}
	if ((n = whea_json_get(d, exp, "timestamp"))) {
		/* The source prints M/D/YYYY H:MM:SS; compare numerically. */
		whea_time t;
		whea_guid creator;
		whea_record_creator(r, &creator);
		CHECK(whea_timestamp_decode(r->data + 24, whea_ts_hint_for_creator(&creator), &t) == 0, "%s: timestamp", name);
		unsigned mo, dd, yy, hh, mi, ss;
		char buf[40];
		snprintf(buf, sizeof buf, "%.*s", (int)d->nodes[n].len, d->nodes[n].str);
		if (sscanf(buf, "%u/%u/%u %u:%u:%u", &mo, &dd, &yy, &hh, &mi, &ss) == 6)
			CHECK(t.year == yy && t.month == mo && t.day == dd && t.hour == hh && t.minute == mi && t.second == ss,
			      "%s: timestamp %u-%u-%u %u:%u:%u, source says %s", name, t.year, t.month, t.day, t.hour, t.minute,
			      t.second, buf);
	}
}

/* libcper's JSON for its own examples: header and descriptor facts. */
static void check_libcper_facts(const char *name, const whea_record *r, const whea_jdoc *d, uint32_t exp)
{
	static const char *const sc[] = {"header", "sectionCount", NULL}, *const rl[] = {"header", "recordLength", NULL},
				  *const id[] = {"header", "recordID", NULL}, *const sv[] = {"header", "severity", "code", NULL};
	CHECK_EQ_U(r->section_count, ju64(d, jpath(d, exp, sc)), name);
	CHECK_EQ_U(r->record_length, ju64(d, jpath(d, exp, rl)), name);
	CHECK_EQ_U(whea_record_id(r), ju64(d, jpath(d, exp, id)), name);
	CHECK_EQ_U(whea_record_severity(r), ju64(d, jpath(d, exp, sv)), name);
	uint32_t descs = whea_json_get(d, exp, "sectionDescriptors");
	for (unsigned i = 0; descs && i < r->section_count; i++) {
		uint32_t e = whea_json_at(d, descs, i);
		static const char *const ty[] = {"sectionType", "data", NULL}, *const ss[] = {"severity", "code", NULL};
		whea_section_desc s;
		whea_record_section(r, i, &s);
		CHECK_EQ_U(s.offset, ju64(d, whea_json_get(d, e, "sectionOffset")), name);
		CHECK_EQ_U(s.length, ju64(d, whea_json_get(d, e, "sectionLength")), name);
		CHECK_EQ_U(s.severity, ju64(d, jpath(d, e, ss)), name);
		char g[40];
		CHECK(jstr_eq(d, jpath(d, e, ty), whea_guid_format(&s.type, g)), "%s: section %u type %s", name, i, g);
	}
}

/* ---- the walk without compiled tables ------------------------------------------------------ */

/* Appends a validation diagnostic to the text buffer of render(). */
static void render_diag(void *ctx, const whea_diag *d)
{
	whea_out *o = ctx;
	char line[400];
	int k = snprintf(line, sizeof line, "%d %d %llu %s\n", d->severity, d->code, (unsigned long long)d->offset, d->msg);
	whea_out_write(o, line, k > 0 && (size_t)k < sizeof line ? (size_t)k : 0);
}

/* Everything the walk produces for a record: text with hex dump, compact and pretty JSON, and the
 * validator's diagnostics, one after the other. Returns the length (0 when the record does not
 * parse or the output does not fit). */
static size_t render(const uint8_t *p, size_t n, char *out, size_t cap)
{
	whea_record r;
	whea_out o;
	whea_out_init(&o, out, cap, NULL, NULL);
	if (whea_record_parse(&r, p, n, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, render_diag, &o))
		return 0;
	whea_record_to_text(&r, &o, WHEA_TEXT_HEXDUMP);
	whea_record_to_json(&r, &o, 0);
	whea_record_to_json(&r, &o, WHEA_JSON_PRETTY);
	return o.err ? 0 : o.len;
}

/* The walk must give the same output without its compiled tables (the path it takes when their
 * arena is full). Returns whether it did. */
static bool same_uncompiled(const uint8_t *p, size_t n, const char *name)
{
	static char a[1 << 20], b[1 << 20];
	size_t na = render(p, n, a, sizeof a);
	whea_interp_tables_enable(false);
	size_t nb = render(p, n, b, sizeof b);
	whea_interp_tables_enable(true);
	bool same = na == nb && memcmp(a, b, na) == 0;
	CHECK(same, "%s: output without the compiled tables differs (%zu vs %zu bytes)", name, na, nb);
	return same;
}

/* The writers' diagnostic counts (record-level and sections, from a parse without section
 * checks) must equal what a full validation finds: `whea decode` takes its exit status from them. */
static void counts_agree(const uint8_t *p, size_t n, const char *name)
{
	static char out[1 << 20];
	whea_record full, r;
	if (whea_record_parse(&full, p, n, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL) ||
	    whea_record_parse(&r, p, n, WHEA_PARSE_TOLERANT, NULL, NULL))
		return;
	for (int k = 0; k < 3; k++) {
		whea_out o;
		whea_diag_counts c = {99, 99};
		whea_out_init(&o, out, sizeof out, NULL, NULL);
		if (k == 0)
			whea_record_to_text_counted(&r, &o, 0, &c);
		else
			whea_record_to_json_counted(&r, &o, k == 2 ? WHEA_JSON_PRETTY : 0, &c);
		CHECK(c.errors == full.errors && c.warnings == full.warnings,
		      "%s: writer %d counted %u errors, %u warnings; validation found %u, %u", name, k, c.errors, c.warnings,
		      full.errors, full.warnings);
	}
}

static void test_vectors(const char *dir)
{
	DIR *dp = dir ? opendir(dir) : NULL;
	if (!dp) {
		printf("SKIP golden vectors: %s not found (run from a checkout with ../shared/vectors beside it)\n",
		       dir ? dir : "(no directory given)");
		return;
	}
	struct dirent *de;
	unsigned nvec = 0;
	while ((de = readdir(dp)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (nl < 5 || strcmp(de->d_name + nl - 4, ".bin"))
			continue;
		char path[1024], jpathname[1024];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		snprintf(jpathname, sizeof jpathname, "%s/%.*s.json", dir, (int)(nl - 4), de->d_name);
		size_t n, jn;
		uint8_t *p = test_read_file(path, &n);
		char *jt = (char *)test_read_file(jpathname, &jn);
		if (!p || !jt) {
			CHECK(0, "cannot read %s or its .json", path);
			free(p), free(jt);
			continue;
		}
		nvec++;
		whea_record r;
		diags g = {0};
		int rc = whea_record_parse(&r, p, n, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, collect, &g);
		CHECK(rc == 0, "%s: parse failed", de->d_name);
		bool windows = strncmp(de->d_name, "win_", 4) == 0;
		if (windows)
			CHECK(g.errors == 0, "%s: %u error diagnostics, first at %" PRIu64 ": %s", de->d_name, g.errors,
			      g.first_off, g.first_msg);
		jdoc j;
		if (jparse(&j, jt, jn) == 0) {
			uint32_t exp = whea_json_get(&j.d, 0, "expected");
			CHECK(exp != 0, "%s: no \"expected\"", de->d_name);
			if (exp && windows)
				check_windows_facts(de->d_name, &r, &j.d, exp);
			else if (exp)
				check_libcper_facts(de->d_name, &r, &j.d, exp);
		} else {
			CHECK(0, "%s: cannot parse its JSON: %s", jpathname, whea_error_last()->message);
		}
		jfree(&j);
		CHECK(round_trip(p, n, de->d_name), "%s: binary -> JSON -> binary differs", de->d_name);
		same_uncompiled(p, n, de->d_name);
		counts_agree(p, n, de->d_name);
		free(p);
		free(jt);
	}
	closedir(dp);
	CHECK(nvec >= 30, "only %u vectors found in %s", nvec, dir);
}

/* ---- error goldens ----------------------------------------------------------------------- */

/* A valid two-section record to corrupt. */
static size_t sample_record(uint8_t *buf, size_t cap)
{
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = WHEA_SEV_CORRECTED;
	init.record_id = 42;
	init.creator = WHEA_CREATOR_OPENWHEA;
	if (whea_builder_init(&b, buf, cap, 2, &init))
		return 0;
	uint8_t *body;
	whea_builder_add_section(&b, &whea_section_by_key("Memory", 6)->guid, 80, WHEA_SEV_CORRECTED, 1, &body);
	whea_st64(body, 1u << 1);
	whea_st64(body + 16, 0x12345000);
	whea_builder_add_section(&b, &whea_section_by_key("GenericProcessor", 16)->guid, 192, WHEA_SEV_CORRECTED, 0, &body);
	return whea_builder_length(&b);
}

static void expect_error(const char *what, const uint8_t *p, size_t n, int code, uint64_t off)
{
	whea_record r;
	diags g = {0};
	int rc = whea_record_parse(&r, p, n, WHEA_PARSE_SECTIONS, collect, &g);
	CHECK(rc != 0 && g.errors > 0, "%s: accepted", what);
	CHECK(g.first_code == code, "%s: first error is %s (%s), expected %s", what, whea_error_name(g.first_code), g.first_msg,
	      whea_error_name(code));
	CHECK(g.first_off == off, "%s: first error at offset %" PRIu64 " (%s), expected %" PRIu64, what, g.first_off, g.first_msg, off);
}

static void test_error_goldens(void)
{
	uint8_t buf[1024], bad[1024];
	size_t n = sample_record(buf, sizeof buf);
	CHECK(n == 128 + 2 * 72 + 80 + 192, "sample record length %zu", n);
	whea_record r;
	CHECK(whea_record_parse(&r, buf, n, WHEA_PARSE_SECTIONS, NULL, NULL) == 0, "sample record rejected");
	/* Truncated at every length: a clean ETRUNC, never a crash; tolerant mode still decodes. */
	unsigned ok = 0;
	for (size_t k = 0; k < n; k++) {
		uint8_t *cut = malloc(k ? k : 1); /* exact-size heap copy: ASan catches any overread */
		memcpy(cut, buf, k);
		diags g = {0};
		int rc = whea_record_parse(&r, cut, k, WHEA_PARSE_SECTIONS, collect, &g);
		ok += rc == WHEA_ETRUNC && g.first_code == WHEA_ETRUNC;
		if (k >= 128 && whea_record_parse(&r, cut, k, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL) == 0) {
			size_t jl;
			free(to_json(&r, &jl));
		}
		free(cut);
	}
	CHECK_EQ_U(ok, n, "truncations reported as WHEA_ETRUNC");
	memcpy(bad, buf, n);
	bad[0] = 'X';
	expect_error("bad signature", bad, n, WHEA_EFORMAT, 0);
	memcpy(bad, buf, n);
	bad[6] = 0;
	expect_error("bad end signature", bad, n, WHEA_EFORMAT, 6);
	memcpy(bad, buf, n);
	whea_st16(bad + 10, 0);
	expect_error("zero sections", bad, n, WHEA_EFORMAT, 10);
	memcpy(bad, buf, n);
	whea_st32(bad + 20, 0xffffffffu); /* a 4 GB length field */
	expect_error("4 GB record length", bad, n, WHEA_ETRUNC, 20);
	memcpy(bad, buf, n);
	whea_st32(bad + 20, 150);
	expect_error("record length below the descriptors", bad, 150, WHEA_EFORMAT, 20);
	memcpy(bad, buf, n);
	whea_st32(bad + 128 + 72, 0xfffffff0u); /* section 1 offset far outside */
	expect_error("section offset outside", bad, n, WHEA_EFORMAT, 128 + 72);
	memcpy(bad, buf, n);
	whea_st32(bad + 128 + 72, 128 + 144 + 40); /* section 1 starts inside section 0 */
	whea_st32(bad + 128 + 72 + 4, 100);
	expect_error("overlapping sections", bad, n, WHEA_EFORMAT, 128 + 72);
	memcpy(bad, buf, n);
	whea_st32(bad + 128, 100); /* section 0 inside the descriptors */
	expect_error("section over descriptors", bad, n, WHEA_EFORMAT, 128);
	memcpy(bad, buf, n);
	whea_st32(bad + 128 + 4, 40); /* memory section too short with PA valid */
	expect_error("memory section too short", bad, n, WHEA_ETRUNC, 272);
}

/* ---- property tests ---------------------------------------------------------------------- */

static uint64_t rng_state = TEST_RNG_SEED;
static uint64_t rnd(void) { return test_rng(&rng_state); }

/* Makes a record holding one section of type t whose body is random bytes of length len with the
 * validation bits set to pattern (0 none, 1 all, 2 random). Returns the record length. */
static size_t random_record(uint8_t *buf, size_t cap, const whea_section_type *t, size_t len, int pattern)
{
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = WHEA_SEV_RECOVERABLE;
	init.record_id = rnd();
	if (whea_builder_init(&b, buf, cap, 1, &init))
		return 0;
	uint8_t *body;
	if (whea_builder_add_section(&b, &t->guid, (uint32_t)len, WHEA_SEV_RECOVERABLE, 0, &body) < 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		body[i] = (uint8_t)rnd();
	const whea_def *d = t->def ? whea_def_resolve(t->def, body, len) : NULL;
	for (uint16_t i = 0; d && i < d->nfields; i++) {
		const whea_field *f = &d->fields[i];
		if (f->kind != WHEA_K_VALIDBITS || f->off + f->size > len)
			continue;
		uint64_t v = pattern == 0 ? 0 : pattern == 1 ? whea_validbits_known(d) : rnd() & whea_validbits_known(d);
		whea_stN(body + f->off, v, f->size);
	}
	return whea_builder_length(&b);
}

static void test_properties(void)
{
	const whea_section_type *t;
	uint8_t buf[8192];
	unsigned rounds = 0, good = 0;
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++) {
		size_t base = t->def ? t->def->size : 64;
		for (int pattern = 0; pattern < 3; pattern++)
			for (int k = 0; k < 12; k++) {
				size_t len = k < 4 ? base : k < 8 ? base + rnd() % 64 : rnd() % (base + 32) + 1;
				size_t n = random_record(buf, sizeof buf, t, len, pattern);
				if (!n)
					continue;
				char name[96];
				snprintf(name, sizeof name, "%s pattern %d length %zu", t->key, pattern, len);
				rounds++;
				good += round_trip(buf, n, name);
				same_uncompiled(buf, n, name);
				counts_agree(buf, n, name);
			}
	}
	CHECK(rounds > 500, "only %u property rounds", rounds);
	CHECK_EQ_U(good, rounds, "property round trips that were byte-identical");
}

/* ---- builder, timestamps, JSON errors ---------------------------------------------------- */

static void test_builder(void)
{
	uint8_t buf[2048];
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = WHEA_SEV_CORRECTED;
	init.record_id = 7;
	init.record_length_is_capacity = true;
	CHECK(whea_builder_init(&b, buf, 1000, 4, &init) == 0, "init");
	uint8_t *body;
	const whea_guid *mem = &whea_section_by_key("Memory", 6)->guid;
	CHECK(whea_builder_add_section(&b, mem, 80, WHEA_SEV_CORRECTED, 0, &body) == 0, "add 0");
	CHECK(whea_builder_add_section(&b, mem, 80, WHEA_SEV_FATAL, 0, &body) == 1, "add 1");
	body[0] = 0xAB;
	CHECK(whea_builder_grow_section(&b, 0, 100, NULL) == 0, "grow");
	whea_record r;
	diags g = {0};
	CHECK(whea_record_parse(&r, buf, 1000, WHEA_PARSE_SECTIONS, collect, &g) == 0, "grown record invalid: %s", g.first_msg);
	whea_section_desc s0, s1;
	whea_record_section(&r, 0, &s0);
	whea_record_section(&r, 1, &s1);
	CHECK_EQ_U(r.record_length, 1000, "record length covers the spare space");
	CHECK_EQ_U(s0.offset, 128 + 4 * 72, "first body after the reserved descriptors");
	CHECK_EQ_U(s0.length, 100, "grown length");
	CHECK_EQ_U(s1.offset, s0.offset + 100, "second body moved");
	CHECK_EQ_U(buf[s1.offset], 0xAB, "second body content moved with it");
	CHECK_EQ_U(whea_record_severity(&r), WHEA_SEV_FATAL, "header severity raised to the worst section");
	CHECK(whea_builder_grow_section(&b, 1, 5000, NULL) == WHEA_ENOSPACE, "growing past the spare space");
	CHECK(whea_builder_add_section(&b, mem, 10, 2, 0, NULL) == 2, "add after grow");
	CHECK(whea_builder_add_section(&b, mem, 10, 2, 0, NULL) == 3, "add 4th");
	CHECK(whea_builder_add_section(&b, mem, 10, 2, 0, NULL) == WHEA_ELIMIT, "5th descriptor refused");
	whea_recid_state st = {0};
	uint64_t a = whea_record_id_next(&st, 1700000000), c = whea_record_id_next(&st, 1700000000);
	CHECK(c == a + 1 && a == 1700000000ull << 32, "record ids %" PRIu64 " %" PRIu64, a, c);
	whea_recid_state restarted = {st.last}; /* a restart in the same second, state persisted */
	CHECK(whea_record_id_next(&restarted, 1700000000) > c, "ids stay unique across a restart");
}

static void test_timestamps(void)
{
	static const uint8_t win[8] = {0x26, 0x2F, 0x11, 0x00, 0x07, 0x02, 0x14, 0x14};
	whea_time t;
	CHECK(whea_timestamp_decode(win, WHEA_TS_HINT_NONE, &t) == 0 && t.encoding == WHEA_TS_BINARY && t.year == 2020 &&
		      t.month == 2 && t.day == 7 && t.hour == 17 && t.minute == 47 && t.second == 38,
	      "binary timestamp read as %u-%u-%u %u:%u:%u enc %d", t.year, t.month, t.day, t.hour, t.minute, t.second, t.encoding);
	static const uint8_t bcd[8] = {0x59, 0x30, 0x23, 0x01, 0x31, 0x12, 0x99, 0x19};
	CHECK(whea_timestamp_decode(bcd, WHEA_TS_HINT_NONE, &t) == 0 && t.encoding == WHEA_TS_BCD && t.year == 1999 &&
		      t.month == 12 && t.day == 31 && t.precise,
	      "BCD timestamp");
	uint8_t again[8];
	CHECK(whea_timestamp_encode(again, &t) == 0 && memcmp(again, bcd, 8) == 0, "BCD re-encodes exactly");
	static const uint8_t junk[8] = {0xff, 0xff, 0xff, 0, 0xff, 0xff, 0xff, 0xff};
	CHECK(whea_timestamp_decode(junk, WHEA_TS_HINT_NONE, &t) == WHEA_EFORMAT, "junk timestamp rejected");
}

static void expect_json_error(const char *json, const char *path_part)
{
	uint8_t out[4096];
	size_t n;
	int rc = whea_json_to_record(json, strlen(json), out, sizeof out, &n);
	CHECK(rc != 0, "accepted bad JSON %s", json);
	CHECK(strstr(whea_error_last()->path, path_part) != NULL, "error path \"%s\" (%s) lacks \"%s\"", whea_error_last()->path,
	      whea_error_last()->message, path_part);
}

static void test_json_errors(void)
{
	expect_json_error("{\"header\":{},\"sectionDescriptors\":[{}],\"sections\":[{\"Memory\":{\"node\":\"x\"}}]}",
			  "$.sections[0].Memory.node");
	expect_json_error("{\"header\":{\"recordID\":-1},\"sectionDescriptors\":[],\"sections\":[]}", "$.header.recordID");
	expect_json_error("{\"header\":{\"bogus\":1},\"sectionDescriptors\":[],\"sections\":[]}", "$.header.bogus");
	expect_json_error("{\"header\":{},\"sectionDescriptors\":[{}],\"sections\":[{\"Memory\":{\"node\":70000}}]}",
			  "$.sections[0].Memory.node");
	expect_json_error("{\"header\":{},\"sectionDescriptors\":[{}],\"sections\":[{\"NoSuchType\":{}}]}",
			  "$.sections[0].NoSuchType");
	expect_json_error("{\"header\":{\"recordID\":18446744073709551616},\"sectionDescriptors\":[],\"sections\":[]}",
			  "$.header.recordID");
	/* A minimal hand-written record encodes, with derived validation bits and lengths. */
	const char *ok = "{\"header\":{\"severity\":{\"code\":1},\"recordID\":18446744073709551614},"
			 "\"sectionDescriptors\":[{}],\"sections\":[{\"Memory\":{\"physicalAddress\":4096,\"node\":3}}]}";
	uint8_t out[1024];
	size_t n = 0;
	int rc = whea_json_to_record(ok, strlen(ok), out, sizeof out, &n);
	CHECK(rc == 0, "minimal JSON: %s at %s", whea_error_last()->message, whea_error_last()->path);
	whea_record r;
	CHECK(rc == 0 && whea_record_parse(&r, out, n, WHEA_PARSE_SECTIONS, NULL, NULL) == 0, "minimal record invalid");
	/* Asking for the size with no buffer gives WHEA_ENOSPACE and the exact size, also for
	 * layouts chosen by earlier fields (x86 check info by its GUID). */
	size_t need = 0;
	CHECK(whea_json_to_record(ok, strlen(ok), NULL, 0, &need) == WHEA_ENOSPACE && need == n, "size query gave %zu", need);
	if (rc == 0) {
		CHECK_EQ_U(n, 128 + 72 + 80, "minimal record length");
		CHECK_EQ_U(whea_record_id(&r), 18446744073709551614ull, "64-bit record id kept exactly");
		CHECK_EQ_U(whea_le64(out + 200), (1u << 1) | (1u << 3), "validation bits derived from present fields");
		CHECK_EQ_U(whea_le16(out + 200 + 32), 3, "node");
	}
}

/* Whether the n characters at s are followed by the separator sep and zeros up to
 * WHEA_SKEY_ROOM(n) (see whea_skey). */
static bool padded_name(const char *s, size_t n, const char *sep)
{
	size_t l = strlen(sep);
	if (memcmp(s + n, sep, l) != 0)
		return false;
	for (size_t i = n + l; i < WHEA_SKEY_ROOM(n); i++)
		if (s[i])
			return false;
	return true;
}

/* The names of section types' objects (whea_section_skey): the type's key and name, padded,
 * cached (the same name twice), "Unknown" for no type; and the name of array elements. */
static void test_section_names(void)
{
	whea_skey_buf b;
	for (size_t i = 0; whea_section_at(i); i++) {
		const whea_section_type *t = whea_section_at(i);
		const whea_skey *k = whea_section_skey(t, &b);
		CHECK(k->klen == strlen(t->key) && memcmp(k->key, t->key, k->klen) == 0, "%s: key", t->key);
		CHECK(k->tlen == strlen(t->name) && memcmp(k->text, t->name, k->tlen) == 0, "%s: label", t->key);
		CHECK(padded_name(k->key, k->klen, "\": ") && padded_name(k->text, k->tlen, ": "), "%s: not padded", t->key);
		CHECK(k->room == (k->klen > k->tlen ? k->klen : k->tlen), "%s: room", t->key);
		CHECK(whea_section_skey(t, &b) == k, "%s: not cached", t->key);
	}
	const whea_skey *u = whea_section_skey(NULL, &b);
	CHECK(u->klen == 7 && memcmp(u->key, "Unknown", 7) == 0 && padded_name(u->key, 7, "\": ") && u->tlen == 15 &&
		      memcmp(u->text, "Unknown section", 15) == 0 && padded_name(u->text, 15, ": "),
	      "unknown type: %s", u->key);
	CHECK(whea_skey_none.key == NULL && whea_skey_none.klen == 0 && whea_skey_none.tlen == 0 &&
		      padded_name(whea_skey_none.text, 0, ""),
	      "the name of array elements");
}

int main(int argc, char **argv)
{
	test_tables();
	test_section_names();
	test_timestamps();
	test_builder();
	test_error_goldens();
	test_json_errors();
	test_vectors(argc > 1 ? argv[1] : NULL);
	test_properties();
	return check_summary("record");
}
