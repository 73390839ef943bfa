/* tests/unit/test_json_fast.c — the JSON -> binary fast path (src/format/json_fast.c) against the DOM
 * path: whenever the fast path accepts a text, the DOM path must accept it too with the same bytes,
 * and whea_json_to_record() must always give the DOM path's result (code, length, bytes, error).
 * Inputs: every record of the vector directories (argv[1..], .bin and .cper files) as compact and
 * pretty JSON and as a JSON line, their .json files, random records over every section table, and
 * mutations of all of them (keys, values, order, whitespace, numbers at the limits, escapes, cuts).
 * Usage: test_json_fast [--mutations N] [--seed S] DIR... */
#include <dirent.h>
#include <stdlib.h>

#include "../check.h"
#include "cper/interp.h"
#include "format/json_fast.h"
#include "util/le.h"
#include "whea/format.h"
#include "../files.h"

static unsigned long n_inputs, n_fast, n_mismatch;
static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint8_t out_a[1 << 17], out_b[1 << 17];

/* One input through both paths. */
static void both(const char *json, size_t len, const char *what)
{
	size_t na = 0, nb = 0;
	n_inputs++;
	if (whea_json_fast_encode(json, len, out_a, sizeof out_a, &na) == 0) {
		n_fast++;
		int rd = whea_json_to_record_dom(json, len, out_b, sizeof out_b, &nb);
		int same = rd == 0 && na == nb && memcmp(out_a, out_b, na) == 0;
		n_mismatch += !same;
		CHECK(same, "%s: fast path gave %zu bytes, DOM path rc %d, %zu bytes%s: %.*s", what, na, rd, nb,
		      rd == 0 && na == nb ? " (different bytes)" : "", (int)(len < 400 ? len : 400), json);
	}
	/* The public entry point, with a buffer big enough and with one too small. */
	for (int small = 0; small < 2; small++) {
		size_t cap = small ? (nb && nb <= sizeof out_a ? nb - 1 : 10) : sizeof out_a;
		na = nb = 7;
		int r1 = whea_json_to_record(json, len, out_a, cap, &na);
		char e1[256];
		snprintf(e1, sizeof e1, "%s", r1 ? whea_error_last()->message : "");
		long o1 = r1 ? (long)whea_error_last()->offset : 0;
		int r2 = whea_json_to_record_dom(json, len, out_b, cap, &nb);
		const char *e2 = r2 ? whea_error_last()->message : "";
		long o2 = r2 ? (long)whea_error_last()->offset : 0;
		int same = r1 == r2 && na == nb && strcmp(e1, e2) == 0 && o1 == o2 && (r1 != 0 || memcmp(out_a, out_b, na) == 0);
		n_mismatch += !same;
		CHECK(same, "%s: whea_json_to_record rc %d len %zu \"%s\", DOM path rc %d len %zu \"%s\"", what, r1, na, e1,
		      r2, nb, e2);
		if (r2 != 0 && r2 != WHEA_ENOSPACE)
			break;
	}
}

/* ---- mutations ---------------------------------------------------------------------------- */

static const char *const numbers[] = {
	"0", "1", "255", "256", "65535", "65536", "4294967295", "4294967296", "18446744073709551615",
	"18446744073709551616", "99999999999999999999", "-1", "-0", "1.0", "1e3", "1E3", "0.5", "01", "00",
	"\"0x10\"", "\"16\"", "true", "null", "\"\"", "{}", "[]", "1.5e-3", "-18446744073709551615", "0x10",
};
static const char *const inserts[] = {
	" ", "\n", "\t", "\r\n  ", ",", ":", "\"", "\\", "{", "}", "[", "]", "\"x\":1,", "\"notValid\":{},",
	"\"value\":1,", "\"data\":\"AAAA\",", "\\u0041", "\\\"", "\\u00ff", "\\u0100", "\\ud800", "\xc3\xa9", "\x01",
	"\"diagnostics\":[],", "\"trailingBytes\":\"AA==\",", "\"message\":\"m\",", "=", "AA==", "null",
};

/* The extent of the JSON string or number starting at i (or 1 byte). */
static size_t token_len(const char *s, size_t n, size_t i)
{
	size_t j = i;
	if (s[i] == '"') {
		for (j = i + 1; j < n && s[j] != '"'; j++)
			if (s[j] == '\\')
				j++;
		return j < n ? j + 1 - i : n - i;
	}
	while (j < n && (s[j] == '-' || s[j] == '.' || s[j] == '+' || (s[j] >= '0' && s[j] <= '9') || s[j] == 'e' ||
			 s[j] == 'E'))
		j++;
	return j > i ? j - i : 1;
}

/* Start of a random token of the kind `c` ('"' strings, '0' numbers), or n. */
static size_t pick(const char *s, size_t n, char c)
{
	for (int tries = 0; tries < 64; tries++) {
		size_t i = rnd() % n;
		if (c == '0' ? (s[i] >= '0' && s[i] <= '9' && (i == 0 || !(s[i - 1] >= '0' && s[i - 1] <= '9'))) : s[i] == c)
			return i;
	}
	return n;
}

/* m = s with [a, a+dl) replaced by r[0..rl). */
static size_t splice(char *m, size_t cap, const char *s, size_t n, size_t a, size_t dl, const char *r, size_t rl)
{
	if (a > n || dl > n - a || n - dl + rl > cap)
		return 0;
	memcpy(m, s, a);
	memcpy(m + a, r, rl);
	memcpy(m + a + rl, s + a + dl, n - a - dl);
	return n - dl + rl;
}

/* The end of the member (or element) that starts at s[j]: the next ',' or closing bracket at its
 * level (n if none). */
static size_t member_end(const char *s, size_t n, size_t j)
{
	for (size_t k = 0; j < n; j++) {
		if (s[j] == '"')
			j += token_len(s, n, j) - 1;
		else if (s[j] == '{' || s[j] == '[')
			k++;
		else if ((s[j] == '}' || s[j] == ']') && k-- == 0)
			break;
		else if (s[j] == ',' && k == 0)
			break;
	}
	return j;
}

/* One random mutation of s into m; returns its length (0 = none made). */
static size_t mutate(char *m, size_t cap, const char *s, size_t n)
{
	size_t i, j, k, l;
	switch (rnd() % 12) {
	case 0: /* a number at the limits, or another type */
		if ((i = pick(s, n, '0')) == n)
			return 0;
		k = rnd() % (sizeof numbers / sizeof numbers[0]);
		return splice(m, cap, s, n, i, token_len(s, n, i), numbers[k], strlen(numbers[k]));
	case 1: /* insert something */
		k = rnd() % (sizeof inserts / sizeof inserts[0]);
		return splice(m, cap, s, n, rnd() % (n + 1), 0, inserts[k], strlen(inserts[k]));
	case 2: /* delete a few bytes */
		i = rnd() % n;
		return splice(m, cap, s, n, i, 1 + rnd() % (n - i < 8 ? n - i : 8), "", 0);
	case 3: /* replace a string (key or value) by another one of the text */
		if ((i = pick(s, n, '"')) == n || (j = pick(s, n, '"')) == n)
			return 0;
		return splice(m, cap, s, n, i, token_len(s, n, i), s + j, token_len(s, n, j));
	case 4: /* swap two adjacent members: "k":v,"k2":v2 at the same level (roughly) */
		if ((i = pick(s, n, ',')) == n)
			return 0;
		j = member_end(s, n, i + 1);
		if (j >= n || s[j] != ',')
			return 0;
		{ /* s[i] = ',', member A = (i, j), then B from j+1 to the next comma/close at that level */
			l = member_end(s, n, j + 1);
			if (l >= n || n + 1 > cap)
				return 0;
			size_t o = 0;
			memcpy(m, s, i + 1), o = i + 1;
			memcpy(m + o, s + j + 1, l - j - 1), o += l - j - 1;
			m[o++] = ',';
			memcpy(m + o, s + i + 1, j - i - 1), o += j - i - 1;
			memcpy(m + o, s + l, n - l), o += n - l;
			return o;
		}
	case 5: /* duplicate a member */
		if ((i = pick(s, n, ',')) == n)
			return 0;
		j = i + 1 + token_len(s, n, i + 1);
		for (k = j; k < n && s[k] != ',' && s[k] != '}' && s[k] != '{' && s[k] != '['; k++)
			;
		return splice(m, cap, s, n, i, 0, s + i, k - i);
	case 6: /* flip a character */
		if (n > cap)
			return 0;
		memcpy(m, s, n);
		m[rnd() % n] ^= (char)(1u << (rnd() % 7));
		return n;
	case 7: /* cut the text short */
		i = rnd() % n;
		memcpy(m, s, i);
		return i;
	case 8: /* true <-> false, numbers +-1 */
		if ((i = pick(s, n, '0')) == n)
			return 0;
		l = token_len(s, n, i);
		{
			char b[32];
			unsigned long long v = strtoull(s + i, NULL, 10) + (rnd() & 1 ? 1 : (unsigned long long)-1);
			snprintf(b, sizeof b, "%llu", v);
			return splice(m, cap, s, n, i, l, b, strlen(b));
		}
	case 9: /* a string's content changed: one character escaped or replaced */
		if ((i = pick(s, n, '"')) == n || token_len(s, n, i) < 3)
			return 0;
		{
			char b[8];
			j = i + 1 + rnd() % (token_len(s, n, i) - 2);
			snprintf(b, sizeof b, "\\u%04x", (unsigned char)s[j]);
			return rnd() & 1 ? splice(m, cap, s, n, j, 1, b, 6) : splice(m, cap, s, n, j, 1, "=", 1);
		}
	case 10: /* whitespace between every token */
		for (i = j = 0; i < n && j + 2 < cap; i++) {
			m[j++] = s[i];
			if ((s[i] == ',' || s[i] == ':' || s[i] == '{') && rnd() % 3 == 0)
				m[j++] = ' ';
		}
		return i == n ? j : 0;
	default: /* delete a member */
		if ((i = pick(s, n, ',')) == n)
			return 0;
		j = i + 1 + token_len(s, n, i + 1);
		for (k = j; k < n && s[k] != ',' && s[k] != '}' && s[k] != '{' && s[k] != '['; k++)
			;
		return splice(m, cap, s, n, i, k - i, "", 0);
	}
}

static unsigned mutations = 3000;

static void with_mutations(const char *json, size_t len, const char *what, unsigned count)
{
	static char m[1 << 18], m2[1 << 18];
	both(json, len, what);
	for (unsigned k = 0; k < count; k++) {
		size_t n = mutate(m, sizeof m, json, len);
		if (!n)
			continue;
		if (rnd() % 4 == 0) { /* two mutations */
			size_t n2 = mutate(m2, sizeof m2, m, n);
			if (n2)
				memcpy(m, m2, n = n2);
		}
		both(m, n, what);
	}
}

/* ---- inputs -------------------------------------------------------------------------------- */

static char json_buf[1 << 18];

static void record_inputs(const uint8_t *p, size_t n, const char *name, unsigned count)
{
	whea_record r;
	if (whea_record_parse(&r, p, n, WHEA_PARSE_TOLERANT, NULL, NULL))
		return;
	for (int pretty = 0; pretty < 2; pretty++) {
		whea_out o;
		whea_out_init(&o, json_buf, sizeof json_buf - 2, NULL, NULL);
		if (whea_record_to_json(&r, &o, pretty ? WHEA_JSON_PRETTY : 0))
			continue;
		char what[300];
		snprintf(what, sizeof what, "%s (%s)", name, pretty ? "pretty" : "compact");
		with_mutations(json_buf, o.len, what, pretty ? count / 4 : count);
		if (!pretty) { /* as a JSON line */
			json_buf[o.len] = '\n';
			both(json_buf, o.len + 1, what);
		}
	}
}


static void dir_inputs(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned files = 0;
	CHECK(d != NULL, "cannot open %s", dir);
	while (d && (e = readdir(d)) != NULL) {
		size_t n;
		bool bin = test_has_suffix(e->d_name, ".bin") || test_has_suffix(e->d_name, ".cper");
		bool json = test_has_suffix(e->d_name, ".json");
		if (!bin && !json)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		uint8_t *p = test_read_file(path, &n);
		if (!p)
			continue;
		files++;
		if (bin) {
			record_inputs(p, n, e->d_name, mutations);
		} else {
			with_mutations((const char *)p, n, e->d_name, mutations / 8);
			/* each line that holds an object (JSON arrays of records, JSON Lines) */
			for (size_t i = 0; i < n;) {
				size_t j = i;
				while (j < n && p[j] != '\n')
					j++;
				if (p[i] == '{')
					both((const char *)p + i, j - i, e->d_name);
				i = j + 1;
			}
		}
		free(p);
	}
	if (d)
		closedir(d);
	CHECK(files > 0, "no records in %s", dir);
}

/* A section type whose select hooks read a gated row ("mode", which may be in "notValid") and a
 * row after them ("late"): the fast path lets gated rows wait for "notValid", so it must ask the
 * hooks what the DOM path's hooks see (the rows before them, not those after). The two layouts
 * have the same keys, in different places, so a wrong choice shows in the bytes. */
static const whea_field hook_a_fields[] = {
	{.key = "a", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "b", .off = 4, .size = 4, .kind = WHEA_K_UINT},
};
static const whea_field hook_b_fields[] = {
	{.key = "b", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "a", .off = 4, .size = 4, .kind = WHEA_K_UINT},
};
static const whea_def hook_a = {.name = "hook layout a", .size = 8, .fields = hook_a_fields, .nfields = 2};
static const whea_def hook_b = {.name = "hook layout b", .size = 8, .fields = hook_b_fields, .nfields = 2};

static const whea_def *hook_select(const uint8_t *st, size_t len)
{
	return len > 40 && ((st[8] ^ st[40]) & 1) ? &hook_b : &hook_a;
}

static const whea_field hook_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "mode", .off = 8, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(0)},
	{.key = "body", .off = 16, .size = 8, .kind = WHEA_K_STRUCT, .sub = &hook_a, .select = hook_select},
	{.key = "gatedBody", .off = 24, .size = 8, .kind = WHEA_K_STRUCT, .sub = &hook_a, .select = hook_select,
	 .valid = WHEA_V(1)},
	{.key = "late", .off = 40, .size = 1, .kind = WHEA_K_UINT},
};
static const whea_def hook_def = {.name = "hook test", .size = 48, .fields = hook_fields,
				  .nfields = WHEA_NFIELDS(hook_fields)};
static const whea_section_type hook_type = {
	.guid = {{0x5e, 0x1f, 0x3a, 0x77, 0x10, 0x42, 0x4c, 0x9b, 0x8d, 0x61, 0x0a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f}},
	.name = "json_fast hook test",
	.key = "FastHookTest",
	.def = &hook_def,
};

/* Random records over every section table (test_record.c's property generator). */
static void random_inputs_of(const whea_section_type *t, unsigned rounds_per_type);

static void random_inputs(unsigned rounds_per_type)
{
	const whea_section_type *t;
	for (size_t i = 0; (t = whea_section_at(i)) != NULL; i++)
		if (t != &hook_type)
			random_inputs_of(t, rounds_per_type);
}

static void random_inputs_of(const whea_section_type *t, unsigned rounds_per_type)
{
	static uint8_t buf[8192];
	{
		size_t base = t->def ? t->def->size : 64;
		for (unsigned k = 0; k < rounds_per_type; k++) {
			int pattern = (int)(k % 3);
			size_t len = k < 6 ? base : k < 12 ? base + rnd() % 64 : rnd() % (base + 32) + 1;
			whea_builder b;
			whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
			init.severity = WHEA_SEV_RECOVERABLE;
			init.record_id = rnd();
			uint8_t *body;
			if (whea_builder_init(&b, buf, sizeof buf, 1, &init) ||
			    whea_builder_add_section(&b, &t->guid, (uint32_t)len, WHEA_SEV_RECOVERABLE, 0, &body) < 0)
				continue;
			for (size_t j = 0; j < len; j++)
				body[j] = (uint8_t)rnd();
			const whea_def *d = t->def ? whea_def_resolve(t->def, body, len) : NULL;
			for (uint16_t j = 0; d && j < d->nfields; j++) {
				const whea_field *f = &d->fields[j];
				if (f->kind != WHEA_K_VALIDBITS || f->off + f->size > len)
					continue;
				uint64_t v = pattern == 0 ? 0 : pattern == 1 ? whea_validbits_known(d) : rnd() & whea_validbits_known(d);
				whea_stN(body + f->off, v, f->size);
			}
			char name[96];
			snprintf(name, sizeof name, "random %s length %zu", t->key, len);
			record_inputs(buf, whea_builder_length(&b), name, mutations / 100);
		}
	}
}

/* Every combination of the hook type's validation bits, "mode" and "late". */
static void hook_inputs(void)
{
	static uint8_t buf[1024];
	for (unsigned c = 0; c < 16; c++) {
		whea_builder b;
		whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
		init.severity = WHEA_SEV_RECOVERABLE;
		uint8_t *body;
		if (whea_builder_init(&b, buf, sizeof buf, 1, &init) ||
		    whea_builder_add_section(&b, &hook_type.guid, 48, WHEA_SEV_RECOVERABLE, 0, &body) < 0)
			continue;
		for (size_t j = 0; j < 48; j++)
			body[j] = (uint8_t)(j * 37 + c);
		whea_st64(body, c & 3);
		body[8] = (uint8_t)(c >> 2 & 1), body[40] = (uint8_t)(c >> 3 & 1);
		char name[64];
		snprintf(name, sizeof name, "hook test, case %u", c);
		record_inputs(buf, whea_builder_length(&b), name, mutations / 10);
	}
}

int main(int argc, char **argv)
{
	int first = 1;
	unsigned rounds = 18;
	for (; first < argc && argv[first][0] == '-' && first + 1 < argc; first += 2) {
		if (!strcmp(argv[first], "--mutations"))
			mutations = (unsigned)strtoul(argv[first + 1], NULL, 10);
		else if (!strcmp(argv[first], "--seed"))
			rng_state = strtoull(argv[first + 1], NULL, 0) | 1;
		else if (!strcmp(argv[first], "--rounds"))
			rounds = (unsigned)strtoul(argv[first + 1], NULL, 10);
	}
	int reg = whea_section_register(&hook_type);
	CHECK(reg == 0, "registering the hook test type: %d %s", reg, reg ? whea_error_last()->message : "");
	for (int i = first; i < argc; i++)
		dir_inputs(argv[i]);
	random_inputs(rounds);
	if (reg == 0)
		hook_inputs(), random_inputs_of(&hook_type, rounds * 20);
	CHECK_EQ_U(n_mismatch, 0, "inputs where the paths disagree");
	CHECK(n_inputs > 1000, "only %lu inputs", n_inputs);
	CHECK(n_fast > 100, "the fast path took only %lu of %lu inputs", n_fast, n_inputs);
	fprintf(stderr, "json_fast: %lu inputs, %lu taken by the fast path\n", n_inputs, n_fast);
	return check_summary("json_fast");
}
