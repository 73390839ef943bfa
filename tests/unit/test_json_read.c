/* tests/unit/test_json_read.c — unit tests of the freestanding JSON reader (src/format/json_read.c).
 *
 * Standalone: prints "PASS name" or "FAIL name file:line: expected ... got ..." per test case and
 * ends with "json_read: N passed, N failed"; exits non-zero on any failure. Covers valid documents,
 * every rejection class (with the byte offset checked), u64/bool conversion, paths, the message
 * formatter, arena exhaustion, the depth limit, parse_prefix, a randomized round trip, and the
 * test vectors in ../shared/vectors (skipped when absent). */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__unix__) || defined(__APPLE__)
#include <dirent.h>
#define HAVE_DIRENT 1
#endif

#include "format/json_read.h"
#include "whea/error.h"
#include "../rng.h"
#include "../files.h"

/* ---------------------------------------------------------------------------------------------- */
/* Minimal test harness                                                                           */

static int g_pass, g_fail;
static const char *t_name;
static int t_failed;

static void t_begin(const char *name)
{
	t_name = name;
	t_failed = 0;
}

static void t_end(void)
{
	if (t_failed) {
		g_fail++;
	} else {
		g_pass++;
		printf("PASS %s\n", t_name);
	}
}

static void fail_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("FAIL %s %s:%d: ", t_name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	t_failed = 1;
}

#define EXPECT_INT(got, exp)                                                                               \
	do {                                                                                               \
		long long g_ = (long long)(got), e_ = (long long)(exp);                                    \
		if (g_ != e_)                                                                              \
			fail_at(__FILE__, __LINE__, "expected %s == %lld got %lld", #got, e_, g_);         \
	} while (0)
#define EXPECT_U64(got, exp)                                                                               \
	do {                                                                                               \
		uint64_t g_ = (got), e_ = (exp);                                                           \
		if (g_ != e_)                                                                              \
			fail_at(__FILE__, __LINE__, "expected %s == %" PRIu64 " got %" PRIu64, #got, e_, g_);  \
	} while (0)
#define EXPECT_TRUE(cond)                                                                                  \
	do {                                                                                               \
		if (!(cond))                                                                               \
			fail_at(__FILE__, __LINE__, "expected %s got false", #cond);                       \
	} while (0)
#define EXPECT_STR(got, exp)                                                                               \
	do {                                                                                               \
		const char *g_ = (got), *e_ = (exp);                                                       \
		if (!g_ || strcmp(g_, e_) != 0)                                                            \
			fail_at(__FILE__, __LINE__, "expected %s == \"%s\" got \"%s\"", #got, e_,          \
				g_ ? g_ : "(null)");                                                       \
	} while (0)
#define EXPECT_CONTAINS(got, sub)                                                                          \
	do {                                                                                               \
		const char *g_ = (got), *e_ = (sub);                                                       \
		if (!g_ || !strstr(g_, e_))                                                                \
			fail_at(__FILE__, __LINE__, "expected %s to contain \"%s\" got \"%s\"", #got, e_,  \
				g_ ? g_ : "(null)");                                                       \
	} while (0)
#define EXPECT_MEM(ptr, len, exp, explen)                                                                  \
	do {                                                                                               \
		size_t l_ = (size_t)(len), el_ = (size_t)(explen);                                         \
		if (l_ != el_ || memcmp((ptr), (exp), el_) != 0)                                           \
			fail_at(__FILE__, __LINE__, "expected %s to be %zu bytes \"%.*s\" got %zu bytes \"%.*s\"", \
				#ptr, el_, (int)el_, (const char *)(exp), l_, (int)l_, (const char *)(ptr)); \
	} while (0)

/* ---------------------------------------------------------------------------------------------- */
/* Parse helpers with roomy arenas                                                                */

#define NODES 70000
static whea_jnode g_nodes[NODES];
static char g_strbuf[1 << 20];
static whea_jdoc g_doc;

static int parse_n(const char *text, size_t len)
{
	whea_error_clear();
	return whea_json_parse(&g_doc, text, len, g_nodes, NODES, g_strbuf, sizeof g_strbuf);
}

static int parse(const char *text) { return parse_n(text, strlen(text)); }

static const whea_jnode *node(uint32_t i) { return &g_doc.nodes[i]; }

static const char *path_of(uint32_t n)
{
	static char buf[256];
	return whea_json_path(&g_doc, n, buf, sizeof buf);
}

/* ---------------------------------------------------------------------------------------------- */
/* Valid documents                                                                                */

static void test_scalars(void)
{
	t_begin("valid_scalars");
	static const struct {
		const char *text;
		int type;
		const char *raw; /* expected str */
	} cases[] = {
		{"null", WHEA_JNULL, "null"},
		{"true", WHEA_JTRUE, "true"},
		{"false", WHEA_JFALSE, "false"},
		{"0", WHEA_JNUMBER, "0"},
		{"-0", WHEA_JNUMBER, "-0"},
		{" \t\r\n42 \n", WHEA_JNUMBER, "42"},
		{"-12.5e+3", WHEA_JNUMBER, "-12.5e+3"},
		{"0.5E-10", WHEA_JNUMBER, "0.5E-10"},
		{"1E5", WHEA_JNUMBER, "1E5"},
		{"123456789012345678901234567890", WHEA_JNUMBER, "123456789012345678901234567890"},
		{"\"\"", WHEA_JSTRING, ""},
		{"\"hello\"", WHEA_JSTRING, "hello"},
		{"\"a long string that is scanned eight bytes at a time .......\"", WHEA_JSTRING,
		 "a long string that is scanned eight bytes at a time ......."},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = parse(cases[i].text);
		EXPECT_INT(rc, 0);
		if (rc)
			continue;
		EXPECT_INT(g_doc.nnodes, 1);
		EXPECT_INT(node(0)->type, cases[i].type);
		EXPECT_MEM(node(0)->str, node(0)->len, cases[i].raw, strlen(cases[i].raw));
		EXPECT_INT(node(0)->parent, UINT32_MAX);
		EXPECT_TRUE(node(0)->key == NULL);
		EXPECT_INT(node(0)->next, 0);
		EXPECT_INT(node(0)->count, 0);
		EXPECT_STR(path_of(0), "$");
	}
	/* Escape-free strings and numbers point into the input. */
	const char *t = "[\"abc\", 17]";
	EXPECT_INT(parse(t), 0);
	EXPECT_TRUE(node(1)->str == t + 2);
	EXPECT_TRUE(node(2)->str == t + 8);
	EXPECT_INT(g_doc.strused, 0);
	t_end();
}

static void test_structure(void)
{
	t_begin("valid_structure");
	/*                 0         1         2         3         4
	 *                 0123456789012345678901234567890123456789012345 */
	const char *t = "{\"a\": [1, \"x\", {\"b\": null}], \"c\": true, \"d\": {}}";
	int rc = parse(t);
	EXPECT_INT(rc, 0);
	if (rc) {
		t_end();
		return;
	}
	EXPECT_INT(g_doc.nnodes, 8);
	/* 0 root, 1 a:[], 2 1, 3 "x", 4 {b}, 5 null, 6 c:true, 7 d:{} */
	EXPECT_INT(node(0)->type, WHEA_JOBJECT);
	EXPECT_INT(node(0)->count, 3);
	EXPECT_INT(node(0)->child, 1);
	EXPECT_INT(node(0)->off, 0);
	EXPECT_MEM(node(0)->str, node(0)->len, t, strlen(t));
	EXPECT_INT(node(1)->type, WHEA_JARRAY);
	EXPECT_MEM(node(1)->key, node(1)->keylen, "a", 1);
	EXPECT_INT(node(1)->off, 6);
	EXPECT_INT(node(1)->count, 3);
	EXPECT_INT(node(1)->child, 2);
	EXPECT_INT(node(1)->next, 6);
	EXPECT_MEM(node(1)->str, node(1)->len, "[1, \"x\", {\"b\": null}]", 21);
	EXPECT_INT(node(2)->parent, 1);
	EXPECT_INT(node(2)->index, 0);
	EXPECT_INT(node(2)->next, 3);
	EXPECT_TRUE(node(2)->key == NULL);
	EXPECT_INT(node(3)->index, 1);
	EXPECT_INT(node(3)->type, WHEA_JSTRING);
	EXPECT_INT(node(3)->off, 10);
	EXPECT_INT(node(3)->next, 4);
	EXPECT_INT(node(4)->index, 2);
	EXPECT_INT(node(4)->next, 0);
	EXPECT_INT(node(4)->count, 1);
	EXPECT_INT(node(5)->type, WHEA_JNULL);
	EXPECT_INT(node(5)->parent, 4);
	EXPECT_INT(node(5)->off, 21);
	EXPECT_INT(node(6)->type, WHEA_JTRUE);
	EXPECT_INT(node(6)->parent, 0);
	EXPECT_INT(node(6)->next, 7);
	EXPECT_INT(node(7)->type, WHEA_JOBJECT);
	EXPECT_INT(node(7)->count, 0);
	EXPECT_INT(node(7)->child, 0);
	EXPECT_MEM(node(7)->str, node(7)->len, "{}", 2);
	/* lookups */
	EXPECT_INT(whea_json_get(&g_doc, 0, "a"), 1);
	EXPECT_INT(whea_json_get(&g_doc, 0, "c"), 6);
	EXPECT_INT(whea_json_get(&g_doc, 0, "d"), 7);
	EXPECT_INT(whea_json_get(&g_doc, 0, "e"), 0);
	EXPECT_INT(whea_json_get(&g_doc, 0, ""), 0);
	EXPECT_INT(whea_json_get(&g_doc, 0, NULL), 0);
	EXPECT_INT(whea_json_get(&g_doc, 1, "a"), 0); /* not an object */
	EXPECT_INT(whea_json_get(&g_doc, 4, "b"), 5);
	EXPECT_INT(whea_json_get(&g_doc, 99, "b"), 0);
	EXPECT_INT(whea_json_at(&g_doc, 1, 0), 2);
	EXPECT_INT(whea_json_at(&g_doc, 1, 2), 4);
	EXPECT_INT(whea_json_at(&g_doc, 1, 3), 0);
	EXPECT_INT(whea_json_at(&g_doc, 0, 2), 7); /* objects too */
	EXPECT_INT(whea_json_at(&g_doc, 2, 0), 0);
	EXPECT_INT(whea_json_at(NULL, 0, 0), 0);
	EXPECT_STR(path_of(5), "$.a[2].b");
	EXPECT_STR(path_of(7), "$.d");
	t_end();
}

static void test_strings(void)
{
	t_begin("valid_string_escapes");
	int rc = parse("\"a\\nb\\u00e9\\ud83d\\ude00\\/\\\"\\\\\\b\\f\\r\\t\\u20AC\"");
	EXPECT_INT(rc, 0);
	static const char want[] = "a\nb\xC3\xA9\xF0\x9F\x98\x80/\"\\\b\f\r\t\xE2\x82\xAC";
	if (!rc) {
		EXPECT_MEM(node(0)->str, node(0)->len, want, sizeof want - 1);
		EXPECT_TRUE(node(0)->str >= g_strbuf && node(0)->str < g_strbuf + sizeof g_strbuf);
		EXPECT_INT(g_doc.strused, sizeof want - 1);
	}
	t_end();

	t_begin("valid_string_nul_preserved");
	rc = parse("[\"a\\u0000b\", \"\\u0000\"]");
	EXPECT_INT(rc, 0);
	if (!rc) {
		EXPECT_MEM(node(1)->str, node(1)->len, "a\0b", 3);
		EXPECT_MEM(node(2)->str, node(2)->len, "\0", 1);
	}
	rc = parse("{\"a\\u0000\": 1, \"a\": 2}"); /* different keys */
	EXPECT_INT(rc, 0);
	if (!rc) {
		EXPECT_INT(whea_json_getn(&g_doc, 0, "a\0", 2), 1);
		EXPECT_INT(whea_json_get(&g_doc, 0, "a"), 2);
		EXPECT_STR(path_of(1), "$[\"a\\u0000\"]");
	}
	t_end();

	t_begin("valid_utf8_raw");
	/* 2-, 3-, 4-byte forms and the edges: U+D7FF, U+E000, U+FFFF, U+10FFFF; DEL is not a control. */
	static const char u[] = "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF\xF4\x8F\xBF\xBF\x7F\"";
	rc = parse(u);
	EXPECT_INT(rc, 0);
	if (!rc) {
		EXPECT_MEM(node(0)->str, node(0)->len, u + 1, sizeof u - 3);
		EXPECT_TRUE(node(0)->str == u + 1);
	}
	rc = parse("{\"\xC3\xA9t\xC3\xA9\": \"\\u00e9\"}");
	EXPECT_INT(rc, 0);
	if (!rc) {
		EXPECT_INT(whea_json_get(&g_doc, 0, "\xC3\xA9t\xC3\xA9"), 1);
		EXPECT_MEM(node(1)->str, node(1)->len, "\xC3\xA9", 2);
	}
	t_end();

	t_begin("valid_keys");
	rc = parse("{\"\": 1, \"a b\": 2, \"x\\\"y\": 3, \"_k9\": 4, \"9k\": 5, \"\\u0041\": 6}");
	EXPECT_INT(rc, 0);
	if (!rc) {
		EXPECT_INT(whea_json_get(&g_doc, 0, ""), 1);
		EXPECT_TRUE(node(1)->key != NULL);
		EXPECT_INT(node(1)->keylen, 0);
		EXPECT_INT(whea_json_get(&g_doc, 0, "a b"), 2);
		EXPECT_INT(whea_json_get(&g_doc, 0, "x\"y"), 3);
		EXPECT_INT(whea_json_get(&g_doc, 0, "A"), 6);
		EXPECT_STR(path_of(1), "$[\"\"]");
		EXPECT_STR(path_of(2), "$[\"a b\"]");
		EXPECT_STR(path_of(3), "$[\"x\\\"y\"]");
		EXPECT_STR(path_of(4), "$._k9");
		EXPECT_STR(path_of(5), "$[\"9k\"]");
		EXPECT_STR(path_of(6), "$.A");
	}
	t_end();

	t_begin("valid_whitespace_and_empty");
	rc = parse(" \t\r\n{ \"a\" : [ ] , \"b\" :{ } }\n\n ");
	EXPECT_INT(rc, 0);
	if (!rc) {
		EXPECT_INT(g_doc.nnodes, 3);
		EXPECT_INT(node(0)->off, 4);
		EXPECT_MEM(node(1)->str, node(1)->len, "[ ]", 3);
		EXPECT_MEM(node(2)->str, node(2)->len, "{ }", 3);
	}
	EXPECT_INT(parse("[[[]],[{}],[]]"), 0);
	EXPECT_INT(g_doc.nnodes, 6);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* Rejections                                                                                     */

typedef struct reject_case {
	const char *name;
	const char *text;
	size_t len;       /* 0: strlen(text) */
	int code;
	int64_t offset;
	const char *path; /* NULL: not checked */
	const char *msg;  /* substring of the message, NULL: not checked */
} reject_case;

static const reject_case rejects[] = {
	/* trailing commas */
	{"trailing_comma_array", "[1,2,]", 0, WHEA_EFORMAT, 4, "$", "trailing comma"},
	{"trailing_comma_object", "{\"a\":1,}", 0, WHEA_EFORMAT, 6, "$", "trailing comma"},
	{"trailing_comma_nested", "{\"a\":[[1],]}", 0, WHEA_EFORMAT, 9, "$.a", "trailing comma"},
	{"comma_only_array", "[,1]", 0, WHEA_EFORMAT, 1, "$[0]", "expected a value"},
	{"comma_only_object", "{,}", 0, WHEA_EFORMAT, 1, "$", "expected a string key"},
	{"double_comma", "[1,,2]", 0, WHEA_EFORMAT, 3, "$[1]", NULL},
	/* comments */
	{"comment_block", "[1 /* x */]", 0, WHEA_EFORMAT, 3, "$", "comments are not allowed"},
	{"comment_line", "// c\n1", 0, WHEA_EFORMAT, 0, "$", "comments are not allowed"},
	{"comment_after_value", "{} // x", 0, WHEA_EFORMAT, 3, "$", "comments are not allowed"},
	{"comment_in_object", "{\"a\":1 # x\n}", 0, WHEA_EFORMAT, 7, "$", NULL},
	/* NaN / Infinity */
	{"nan", "NaN", 0, WHEA_EFORMAT, 0, "$", "NaN and Infinity"},
	{"nan_in_array", "[1,NaN]", 0, WHEA_EFORMAT, 3, "$[1]", "NaN and Infinity"},
	{"infinity", "Infinity", 0, WHEA_EFORMAT, 0, "$", "NaN and Infinity"},
	{"minus_infinity", "-Infinity", 0, WHEA_EFORMAT, 1, "$", "a digit after '-'"},
	/* leading zeros and number grammar */
	{"leading_zero", "01", 0, WHEA_EFORMAT, 0, "$", "leading zeros"},
	{"leading_zero_double", "00", 0, WHEA_EFORMAT, 0, "$", "leading zeros"},
	{"leading_zero_negative", "[-01]", 0, WHEA_EFORMAT, 1, "$[0]", "leading zeros"},
	{"leading_zero_member", "{\"n\": 012}", 0, WHEA_EFORMAT, 6, "$.n", "leading zeros"},
	{"number_dot_end", "1.", 0, WHEA_EFORMAT, 2, "$", "a digit after '.'"},
	{"number_dot_exp", "1.e5", 0, WHEA_EFORMAT, 2, "$", "a digit after '.'"},
	{"number_leading_dot", ".5", 0, WHEA_EFORMAT, 0, "$", "expected a value"},
	{"number_exp_empty", "1e", 0, WHEA_EFORMAT, 2, "$", "exponent"},
	{"number_exp_sign_only", "[1e+]", 0, WHEA_EFORMAT, 4, "$[0]", "exponent"},
	{"number_plus", "+1", 0, WHEA_EFORMAT, 0, "$", "expected a value"},
	{"number_minus_only", "-", 0, WHEA_EFORMAT, 1, "$", "a digit after '-'"},
	{"number_hex", "0x10", 0, WHEA_EFORMAT, 1, "$", "end of input"},
	/* unescaped control characters */
	{"control_tab", "\"a\tb\"", 0, WHEA_EFORMAT, 2, "$", "control character 0x09"},
	{"control_newline", "\"a\nb\"", 0, WHEA_EFORMAT, 2, "$", "control character 0x0A"},
	{"control_nul_byte", "[\"a\0b\"]", 6, WHEA_EFORMAT, 3, "$[0]", "control character 0x00"},
	{"control_in_key", "{\"a\x1f\":1}", 0, WHEA_EFORMAT, 3, "$", "control character 0x1F"},
	{"control_after_escape", "\"\\n\x01\"", 0, WHEA_EFORMAT, 3, "$", "control character 0x01"},
	{"control_long_string", "\"0123456789abcdef\x02\"", 0, WHEA_EFORMAT, 17, "$", "control character"},
	/* invalid escapes */
	{"escape_x", "\"\\x\"", 0, WHEA_EFORMAT, 1, "$", "invalid escape"},
	{"escape_single_quote", "[\"\\'\"]", 0, WHEA_EFORMAT, 2, "$[0]", "invalid escape"},
	{"escape_upper_u", "\"\\U0041\"", 0, WHEA_EFORMAT, 1, "$", "invalid escape"},
	{"escape_bad_hex", "\"\\u12G4\"", 0, WHEA_EFORMAT, 1, "$", "4 hex digits"},
	{"escape_short_hex", "\"ab\\u00\"", 0, WHEA_EFORMAT, 3, "$", "4 hex digits"},
	{"escape_at_end", "\"\\", 0, WHEA_EFORMAT, 0, "$", "unterminated"},
	{"escape_in_key", "{\"k\\q\":1}", 0, WHEA_EFORMAT, 3, "$", "invalid escape"},
	/* lone surrogates */
	{"surrogate_lone_high", "\"\\ud800\"", 0, WHEA_EFORMAT, 1, "$", "lone high surrogate"},
	{"surrogate_lone_low", "\"\\udc00\"", 0, WHEA_EFORMAT, 1, "$", "lone low surrogate"},
	{"surrogate_high_then_bmp", "\"\\ud800\\u0041\"", 0, WHEA_EFORMAT, 1, "$", "lone high surrogate"},
	{"surrogate_high_then_char", "\"\\ud800x\"", 0, WHEA_EFORMAT, 1, "$", "lone high surrogate"},
	{"surrogate_high_high", "\"x\\uDBFF\\uDBFF\"", 0, WHEA_EFORMAT, 2, "$", "lone high surrogate"},
	{"surrogate_low_high", "\"\\udfff\\ud800\"", 0, WHEA_EFORMAT, 1, "$", "lone low surrogate"},
	{"surrogate_bad_second_hex", "\"\\ud800\\uzzzz\"", 0, WHEA_EFORMAT, 7, "$", "4 hex digits"},
	{"surrogate_at_end", "\"\\ud800\\", 0, WHEA_EFORMAT, 1, "$", "lone high surrogate"},
	/* invalid UTF-8 */
	{"utf8_truncated_2", "\"\xC3\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8 (byte 0xC3)"},
	{"utf8_overlong_c0", "\"\xC0\xAF\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_overlong_e0", "\"\xE0\x80\xAF\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_overlong_f0", "\"\xF0\x8F\xBF\xBF\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_surrogate", "\"\xED\xA0\x80\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_above_max", "\"\xF4\x90\x80\x80\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_f5", "\"\xF5\x80\x80\x80\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_ff", "\"\xFF\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8 (byte 0xFF)"},
	{"utf8_lone_continuation", "\"\x80\"", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_cut_3", "[\"ok\xE2\x82\"]", 0, WHEA_EFORMAT, 4, "$[0]", "invalid UTF-8"},
	{"utf8_cut_at_end", "\"\xE2\x82", 0, WHEA_EFORMAT, 1, "$", "invalid UTF-8"},
	{"utf8_after_escape", "\"\\n\xC3\"", 0, WHEA_EFORMAT, 3, "$", "invalid UTF-8"},
	{"utf8_in_key", "{\"\xC3(\":1}", 0, WHEA_EFORMAT, 2, "$", "invalid UTF-8"},
	{"utf8_long_string", "\"0123456789abcdef\xC3(\"", 0, WHEA_EFORMAT, 17, "$", "invalid UTF-8"},
	{"non_ascii_outside_string", "\xC3\xA9", 0, WHEA_EFORMAT, 0, "$", "non-ASCII"},
	{"bom", "\xEF\xBB\xBF{}", 0, WHEA_EFORMAT, 0, "$", "byte 0xEF"},
	/* trailing garbage */
	{"trailing_word", "{} x", 0, WHEA_EFORMAT, 3, "$", "end of input after the JSON value"},
	{"trailing_value", "1 2", 0, WHEA_EFORMAT, 2, "$", "got '2'"},
	{"trailing_bracket", "[]]", 0, WHEA_EFORMAT, 2, "$", NULL},
	{"trailing_literal", "truex", 0, WHEA_EFORMAT, 4, "$", NULL},
	{"trailing_nul", "{}\0", 3, WHEA_EFORMAT, 2, "$", "byte 0x00"},
	/* truncation */
	{"empty", "", 0, WHEA_EFORMAT, 0, "$", "got end of input"},
	{"only_whitespace", " \n ", 0, WHEA_EFORMAT, 3, "$", "got end of input"},
	{"unterminated_string", "\"abc", 0, WHEA_EFORMAT, 0, "$", "unterminated string"},
	{"unterminated_key", "{\"a", 0, WHEA_EFORMAT, 1, "$", "unterminated key"},
	{"unterminated_array", "[1,2", 0, WHEA_EFORMAT, 4, "$", "',' or ']'"},
	{"unterminated_array_after_comma", "[1,", 0, WHEA_EFORMAT, 3, "$[1]", "a value"},
	{"unterminated_object", "{\"a\":1", 0, WHEA_EFORMAT, 6, "$", "',' or '}'"},
	{"unterminated_object_key", "{\"a\"", 0, WHEA_EFORMAT, 4, "$.a", "':'"},
	{"unterminated_object_value", "{\"a\":", 0, WHEA_EFORMAT, 5, "$.a", "a value"},
	{"open_bracket", "[", 0, WHEA_EFORMAT, 1, "$[0]", NULL},
	{"open_brace", "{", 0, WHEA_EFORMAT, 1, "$", "a string key"},
	/* structure */
	{"missing_colon", "{\"a\" 1}", 0, WHEA_EFORMAT, 5, "$.a", "':'"},
	{"double_colon", "{\"a\"::1}", 0, WHEA_EFORMAT, 5, "$.a", NULL},
	{"missing_comma_array", "[1 2]", 0, WHEA_EFORMAT, 3, "$", "',' or ']'"},
	{"missing_comma_object", "{\"a\":1 \"b\":2}", 0, WHEA_EFORMAT, 7, "$", "',' or '}'"},
	{"unquoted_key", "{a:1}", 0, WHEA_EFORMAT, 1, "$", "a string key"},
	{"number_key", "{1:2}", 0, WHEA_EFORMAT, 1, "$", "a string key"},
	{"single_quotes", "['a']", 0, WHEA_EFORMAT, 1, "$[0]", "double quotes"},
	{"lone_close", "]", 0, WHEA_EFORMAT, 0, "$", NULL},
	{"mismatched_array", "[}", 0, WHEA_EFORMAT, 1, "$[0]", NULL},
	{"mismatched_object", "{]", 0, WHEA_EFORMAT, 1, "$", NULL},
	{"mismatched_nested", "{\"a\":[1}", 0, WHEA_EFORMAT, 7, "$.a", "',' or ']'"},
	{"colon_top", ":", 0, WHEA_EFORMAT, 0, "$", NULL},
	/* literals */
	{"literal_tru", "tru", 0, WHEA_EFORMAT, 0, "$", NULL},
	{"literal_nul", "nul", 0, WHEA_EFORMAT, 0, "$", NULL},
	{"literal_fals", "[fals]", 0, WHEA_EFORMAT, 1, "$[0]", NULL},
	{"literal_case", "trUe", 0, WHEA_EFORMAT, 0, "$", NULL},
	{"literal_True", "True", 0, WHEA_EFORMAT, 0, "$", NULL},
	{"literal_in_member", "{\"a\":[1,tru]}", 0, WHEA_EFORMAT, 8, "$.a[1]", NULL},
	/* paths of errors deeper in */
	{"error_path_key", "{\"a\":{\"b\" 1}}", 0, WHEA_EFORMAT, 10, "$.a.b", NULL},
	{"error_path_escape", "[1,[2,\"\\x\"]]", 0, WHEA_EFORMAT, 7, "$[1][1]", "invalid escape"},
	/* duplicate keys */
	{"duplicate_key", "{\"a\":1,\"b\":2,\"a\":3}", 0, WHEA_EJSON, 17, "$.a", "duplicate key \"a\" in an object (first at byte 5)"},
	{"duplicate_key_escaped", "{\"a\":1,\"\\u0061\":2}", 0, WHEA_EJSON, 16, "$.a", "duplicate key \"a\""},
	{"duplicate_key_nested", "{\"x\":{\"y\":[],\"y\":{}}}", 0, WHEA_EJSON, 17, "$.x.y", "duplicate key \"y\""},
	{"duplicate_key_empty", "[{\"\":1,\"\":2}]", 0, WHEA_EJSON, 10, "$[0][\"\"]", "duplicate key \"\""},
	{"duplicate_key_nul", "{\"\\u0000\":1,\"\\u0000\":2}", 0, WHEA_EJSON, 21, "$[\"\\u0000\"]", "duplicate key \"\\u0000\""},
	/* depth */
	{"depth_65", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", 0, WHEA_ELIMIT, 64, NULL, "deeper than 64"},
};

static void test_rejects(void)
{
	for (size_t i = 0; i < sizeof rejects / sizeof rejects[0]; i++) {
		const reject_case *c = &rejects[i];
		char name[96];
		snprintf(name, sizeof name, "reject_%s", c->name);
		t_begin(name);
		size_t len = c->len ? c->len : strlen(c->text);
		int rc = parse_n(c->text, len);
		const whea_error *e = whea_error_last();
		EXPECT_INT(rc, c->code);
		EXPECT_INT(e->code, c->code);
		EXPECT_INT(e->offset, c->offset);
		if (c->path)
			EXPECT_STR(e->path, c->path);
		if (c->msg)
			EXPECT_CONTAINS(e->message, c->msg);
		if (c->code == WHEA_EFORMAT)
			EXPECT_CONTAINS(e->message, ", column ");
		if (t_failed)
			printf("  (message: \"%s\", path \"%s\")\n", e->message, e->path);
		t_end();
	}
}

static void test_reject_details(void)
{
	t_begin("reject_line_column");
	int rc = parse("{\n  \"a\": tru\n}");
	EXPECT_INT(rc, WHEA_EFORMAT);
	EXPECT_INT(whea_error_last()->offset, 9);
	EXPECT_CONTAINS(whea_error_last()->message, "line 2, column 8: expected a value, got 't'");
	EXPECT_STR(whea_error_last()->path, "$.a");
	rc = parse("[\"\xC3\xA9\", x]"); /* columns count characters, not bytes */
	EXPECT_INT(rc, WHEA_EFORMAT);
	EXPECT_INT(whea_error_last()->offset, 7);
	EXPECT_CONTAINS(whea_error_last()->message, "line 1, column 7:");
	rc = parse("[1,\r\n2,\n\n3 4]");
	EXPECT_INT(whea_error_last()->offset, 11);
	EXPECT_CONTAINS(whea_error_last()->message, "line 4, column 3: expected ',' or ']', got '4'");
	t_end();

	t_begin("reject_duplicate_large_object");
	/* 200 distinct keys pass (merge-sort path); a duplicate among them is found, earliest one first. */
	static char buf[16384];
	size_t n = 0;
	n += (size_t)sprintf(buf + n, "{");
	for (int i = 0; i < 200; i++)
		n += (size_t)sprintf(buf + n, "%s\"key%d\":%d", i ? "," : "", (i * 7919) % 200, i);
	n += (size_t)sprintf(buf + n, "}");
	rc = parse(buf);
	EXPECT_INT(rc, 0);
	EXPECT_INT(node(0)->count, 200);
	for (int i = 0; i < 200; i++) {
		char k[16];
		sprintf(k, "key%d", i);
		uint32_t m = whea_json_get(&g_doc, 0, k);
		EXPECT_TRUE(m != 0);
		EXPECT_INT(node(m)->parent, 0); /* parent fields restored after the sort */
	}
	buf[n - 1] = '\0';
	n--;
	size_t dup2_off = n + 9;
	n += (size_t)sprintf(buf + n, ",\"key17\":\"x\",\"key3\":\"y\"}");
	rc = parse(buf);
	EXPECT_INT(rc, WHEA_EJSON);
	EXPECT_STR(whea_error_last()->path, "$.key17");
	EXPECT_INT(whea_error_last()->offset, dup2_off);
	EXPECT_CONTAINS(whea_error_last()->message, "duplicate key \"key17\"");
	t_end();

	t_begin("reject_duplicate_eager_and_at_close");
	/* the first 32 members are checked as they come: a duplicate wins over a later syntax error */
	rc = parse("{\"a\":1,\"a\":2,]");
	EXPECT_INT(rc, WHEA_EJSON);
	EXPECT_INT(whea_error_last()->offset, 11);
	/* the 33rd member and later are checked when the object closes */
	n = 0;
	n += (size_t)sprintf(buf + n, "{");
	for (int i = 0; i < 40; i++)
		n += (size_t)sprintf(buf + n, "%s\"k%d\":%d", i ? "," : "", i == 32 ? 0 : i == 36 ? 5 : i, i);
	n += (size_t)sprintf(buf + n, "}");
	rc = parse(buf);
	EXPECT_INT(rc, WHEA_EJSON);
	EXPECT_STR(whea_error_last()->path, "$.k0");
	EXPECT_INT(whea_error_last()->offset, (int64_t)(strstr(buf, "\"k0\":32") - buf) + 5);
	EXPECT_CONTAINS(whea_error_last()->message, "first at byte 6");
	for (int keep = 31; keep <= 33; keep++) { /* a duplicate right at the boundary */
		n = 0;
		n += (size_t)sprintf(buf + n, "{");
		for (int i = 0; i < keep; i++)
			n += (size_t)sprintf(buf + n, "%s\"k%d\":%d", i ? "," : "", i, i);
		n += (size_t)sprintf(buf + n, ",\"k7\":0}");
		rc = parse(buf);
		EXPECT_INT(rc, WHEA_EJSON);
		EXPECT_STR(whea_error_last()->path, "$.k7");
		EXPECT_INT(whea_error_last()->offset, (int64_t)n - 2);
	}
	t_end();

	t_begin("reject_duplicate_many_keys");
	/* 60000 members with one duplicate at the very end: must be fast (O(n log n)). */
	static char big[1 << 20];
	n = 0;
	n += (size_t)sprintf(big + n, "{");
	for (int i = 0; i < 60000; i++)
		n += (size_t)sprintf(big + n, "%s\"%d\":0", i ? "," : "", i);
	n += (size_t)sprintf(big + n, ",\"0\":1}");
	rc = parse_n(big, n);
	EXPECT_INT(rc, WHEA_EJSON);
	EXPECT_STR(whea_error_last()->path, "$[\"0\"]");
	big[n - 7] = '}';
	rc = parse_n(big, n - 6);
	EXPECT_INT(rc, 0);
	EXPECT_INT(whea_json_get(&g_doc, 0, "59999"), 60000);
	t_end();

	t_begin("reject_invalid_args");
	whea_jnode nd[4];
	EXPECT_INT(whea_json_parse(NULL, "1", 1, nd, 4, NULL, 0), WHEA_EINVAL);
	EXPECT_INT(whea_json_parse(&g_doc, NULL, 3, nd, 4, NULL, 0), WHEA_EINVAL);
	EXPECT_INT(whea_json_parse(&g_doc, "1", 1, NULL, 4, NULL, 0), WHEA_EINVAL);
	EXPECT_INT(whea_json_parse(&g_doc, "1", 1, nd, 4, NULL, 5), WHEA_EINVAL);
	EXPECT_INT(whea_json_parse_prefix(&g_doc, "1", 1, NULL, nd, 4, NULL, 0), WHEA_EINVAL);
	EXPECT_INT(whea_json_parse(&g_doc, NULL, 0, nd, 4, NULL, 0), WHEA_EFORMAT);
	EXPECT_INT(whea_error_last()->offset, 0);
	EXPECT_INT(whea_json_parse(&g_doc, "7", 1, nd, 4, NULL, 0), 0);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* Limits                                                                                         */

/* levels objects {"a": ...} nested around a 1, into buf; returns the length. */
static size_t nested_objects(char *buf, int levels)
{
	size_t n = 0;
	for (int i = 0; i < levels; i++)
		n += (size_t)sprintf(buf + n, "{\"a\":");
	buf[n++] = '1';
	for (int i = 0; i < levels; i++)
		buf[n++] = '}';
	return n;
}

static void test_depth(void)
{
	t_begin("depth_64_ok");
	static char buf[300000];
	size_t n = 0;
	for (int i = 0; i < 64; i++)
		buf[n++] = '[';
	for (int i = 0; i < 64; i++)
		buf[n++] = ']';
	int rc = parse_n(buf, n);
	EXPECT_INT(rc, 0);
	EXPECT_INT(g_doc.nnodes, 64);
	char p[1024];
	EXPECT_STR(whea_json_path(&g_doc, 63, p, sizeof p),
		   "$[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
		   "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]"
		   "[0]");
	/* 64 levels of objects with a scalar inside the deepest */
	n = nested_objects(buf, 64);
	rc = parse_n(buf, n);
	EXPECT_INT(rc, 0);
	EXPECT_INT(g_doc.nnodes, 65);
	t_end();

	t_begin("depth_65_elimit");
	n = nested_objects(buf, 65);
	rc = parse_n(buf, n);
	EXPECT_INT(rc, WHEA_ELIMIT);
	EXPECT_INT(whea_error_last()->offset, 64 * 5);
	EXPECT_CONTAINS(whea_error_last()->path, "$....a.a");
	/* a very deep input fails fast at the limit */
	memset(buf, '[', 200000);
	rc = parse_n(buf, 200000);
	EXPECT_INT(rc, WHEA_ELIMIT);
	EXPECT_INT(whea_error_last()->offset, 64);
	t_end();
}

static void test_arena(void)
{
	whea_jnode nd[8];
	char sb[8];
	whea_jdoc d;

	t_begin("arena_nodes_exhausted");
	EXPECT_INT(whea_json_parse(&d, "[1,2,3]", 7, nd, 3, sb, sizeof sb), WHEA_ENOSPACE);
	EXPECT_INT(whea_error_last()->code, WHEA_ENOSPACE);
	EXPECT_INT(whea_error_last()->offset, 5);
	EXPECT_INT(whea_json_parse(&d, "[1,2,3]", 7, nd, WHEA_JSON_NODES_FOR(7), sb, sizeof sb), 0);
	EXPECT_INT(d.nnodes, 4);
	EXPECT_INT(d.need_nodes, 4);
	EXPECT_INT(d.need_strbuf, 0);
	EXPECT_INT(whea_json_parse(&d, "1", 1, NULL, 0, NULL, 0), WHEA_ENOSPACE);
	EXPECT_INT(d.need_nodes, 1);
	EXPECT_INT(whea_json_parse(&d, "{\"a\":{\"b\":[]}}", 14, nd, 2, sb, sizeof sb), WHEA_ENOSPACE);
	EXPECT_STR(whea_error_last()->path, "$.a");
	EXPECT_INT(whea_error_last()->offset, 10);
	EXPECT_INT(d.need_nodes, 3);
	EXPECT_INT(d.nnodes, 2);
	t_end();

	t_begin("arena_full_reports_exact_needs");
	EXPECT_INT(whea_json_parse(&d, "[1,2,3]", 7, nd, 3, sb, sizeof sb), WHEA_ENOSPACE);
	EXPECT_INT(d.need_nodes, 4);
	EXPECT_INT(d.need_strbuf, 0);
	EXPECT_CONTAINS(whea_error_last()->message, "needs 4 nodes and 0 string buffer bytes");
	/* both arenas short: nodes at byte 8, strings before that at byte 1 (first shortage reported) */
	const char *two = "[\"a\\tb\",\"\\u00e9\",[],{\"k\\n\":[1,2,3]}]";
	EXPECT_INT(whea_json_parse(&d, two, strlen(two), nd, 3, sb, 2), WHEA_ENOSPACE);
	EXPECT_INT(whea_error_last()->offset, 1);
	EXPECT_INT(d.need_nodes, 9);
	EXPECT_INT(d.need_strbuf, 3 + 2 + 2);
	EXPECT_INT(d.strused <= 2, 1);
	whea_jnode n9[9];
	char s7[7];
	EXPECT_INT(whea_json_parse(&d, two, strlen(two), n9, 9, s7, 7), 0);
	EXPECT_INT(d.need_nodes, 9);
	EXPECT_INT(d.need_strbuf, 7);
	EXPECT_MEM(d.nodes[whea_json_get(&d, 4, "k\n")].str, 7, "[1,2,3]", 7);
	t_end();

	t_begin("arena_full_syntax_error_wins");
	/* the arenas run out first, but the text is not JSON: that is what is reported, with the path of
	 * the innermost container that got a node */
	static const struct {
		const char *text;
		int code;
		int64_t off;
		const char *path, *msg;
	} bad[] = {
		{"[[[[", WHEA_EFORMAT, 4, "$[0]", "expected a value, got end of input"},
		{"[1,[,", WHEA_EFORMAT, 4, "$", "expected a value, got ','"},
		{"[1,2,3,x]", WHEA_EFORMAT, 7, "$", "expected a value, got 'x'"},
		{"[1,2,3,]", WHEA_EFORMAT, 6, "$", "trailing comma before ']'"},
		{"[1,2,{\"a\":1,}]", WHEA_EFORMAT, 11, "$", "trailing comma before '}'"},
		{"[1,2,{\"a\" 1}]", WHEA_EFORMAT, 10, "$", "expected ':' after the key, got '1'"},
		{"[1,2,\"\\x\"]", WHEA_EFORMAT, 6, "$", "invalid escape"},
		{"[1,2,\"\\u00\"]", WHEA_EFORMAT, 6, "$", "4 hex digits"},
		{"[1,2,01]", WHEA_EFORMAT, 5, "$", "leading zeros"},
		{"[1,2,3] 4", WHEA_EFORMAT, 8, "$", "the end of input after the JSON value"},
		{"[1,2,tru]", WHEA_EFORMAT, 5, "$", "expected a value, got 't'"},
		{"[\"\\n\", \"\\n\", \"\xff\"]", WHEA_EFORMAT, 14, "$", "invalid UTF-8 (byte 0xFF)"},
		{"[1,2,[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", WHEA_ELIMIT, 68, "$", "deeper than 64"},
		{"{\"a\":[1,{\"b\":[2,", WHEA_EFORMAT, 16, "$.a", "line 1, column 17: expected a value, got end of input"},
		{"{\"a\":{\"b\":1,\"c\":[1,2],\"d\" 1}}", WHEA_EFORMAT, 26, "$.a", "expected ':' after the key"},
		{"{\"a\":{\"b\":1},\"c\":2,}", WHEA_EFORMAT, 18, "$", "trailing comma before '}'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = whea_json_parse(&d, bad[i].text, strlen(bad[i].text), nd, 2, sb, 1);
		const whea_error *e = whea_error_last();
		if (rc != bad[i].code || e->offset != bad[i].off || strcmp(e->path, bad[i].path) || !strstr(e->message, bad[i].msg))
			fail_at(__FILE__, __LINE__, "expected %s to give %d at %lld (%s: ...%s...), got %d at %lld (%s: %s)",
				bad[i].text, bad[i].code, (long long)bad[i].off, bad[i].path, bad[i].msg, rc,
				(long long)e->offset, e->path, e->message);
		EXPECT_INT(d.need_nodes, 0);
	}
	t_end();

	t_begin("arena_strbuf_exhausted");
	EXPECT_INT(whea_json_parse(&d, "[\"a\\n\"]", 7, nd, 8, sb, 1), WHEA_ENOSPACE);
	EXPECT_INT(whea_error_last()->offset, 1);
	EXPECT_INT(whea_json_parse(&d, "[\"a\\n\"]", 7, nd, 8, sb, 2), 0);
	EXPECT_INT(d.strused, 2);
	EXPECT_INT(whea_json_parse(&d, "\"ab\\ncd\"", 8, nd, 8, sb, 4), WHEA_ENOSPACE);
	EXPECT_INT(whea_json_parse(&d, "\"ab\\ncd\"", 8, nd, 8, sb, 5), 0);
	EXPECT_INT(whea_json_parse(&d, "\"\\ud83d\\ude00\"", 14, nd, 8, sb, 3), WHEA_ENOSPACE);
	EXPECT_INT(whea_json_parse(&d, "\"\\ud83d\\ude00\"", 14, nd, 8, sb, 4), 0);
	EXPECT_INT(whea_json_parse(&d, "\"x\\u00e9\"", 9, nd, 8, sb, 2), WHEA_ENOSPACE);
	EXPECT_INT(whea_json_parse(&d, "\"\\n\xC3\xA9\"", 6, nd, 8, sb, 2), WHEA_ENOSPACE);
	EXPECT_INT(whea_json_parse(&d, "\"\\n\xC3\xA9\"", 6, nd, 8, sb, 3), 0);
	/* no escapes: no string buffer needed at all */
	EXPECT_INT(whea_json_parse(&d, "{\"key\":\"value\"}", 15, nd, 8, NULL, 0), 0);
	EXPECT_INT(d.strused, 0);
	t_end();

	t_begin("arena_retry_larger");
	const char *t = "{\"a\":[1,2,{\"b\":\"\\u0041\\u0042\"}],\"c\":\"\\n\"}";
	whea_jnode big[64];
	char bsb[64];
	uint32_t tries = 0, cap = 1;
	int rc;
	size_t scap = 0;
	while ((rc = whea_json_parse(&d, t, strlen(t), big, cap, bsb, scap)) == WHEA_ENOSPACE && tries < 20) {
		tries++;
		cap = d.need_nodes;
		scap = d.need_strbuf;
	}
	EXPECT_INT(rc, 0);
	EXPECT_INT(tries, 1);
	EXPECT_INT(d.nnodes, 7);
	EXPECT_INT(d.strused, 3);
	EXPECT_MEM(big[whea_json_get(&d, 0, "c")].str, 1, "\n", 1);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* parse_prefix                                                                                   */

static void test_prefix(void)
{
	whea_jnode nd[16];
	whea_jdoc d;
	size_t used = 99;

	t_begin("prefix_concatenated");
	const char *t = "{}{} [1]";
	size_t len = strlen(t), pos = 0;
	EXPECT_INT(whea_json_parse_prefix(&d, t + pos, len - pos, &used, nd, 16, NULL, 0), 0);
	EXPECT_INT(used, 2);
	EXPECT_INT(d.nodes[0].type, WHEA_JOBJECT);
	pos += used;
	EXPECT_INT(whea_json_parse_prefix(&d, t + pos, len - pos, &used, nd, 16, NULL, 0), 0);
	EXPECT_INT(used, 2);
	EXPECT_INT(d.nodes[0].type, WHEA_JOBJECT);
	pos += used;
	EXPECT_INT(whea_json_parse_prefix(&d, t + pos, len - pos, &used, nd, 16, NULL, 0), 0);
	EXPECT_INT(used, 4);
	EXPECT_INT(d.nodes[0].type, WHEA_JARRAY);
	EXPECT_INT(d.nodes[0].off, 1);
	EXPECT_INT(d.nodes[0].count, 1);
	EXPECT_MEM(d.nodes[1].str, d.nodes[1].len, "1", 1);
	pos += used;
	EXPECT_INT(pos, len);
	EXPECT_INT(whea_json_parse_prefix(&d, t + pos, len - pos, &used, nd, 16, NULL, 0), WHEA_ENOTFOUND);
	EXPECT_INT(used, 0);
	t_end();

	t_begin("prefix_json_lines");
	const char *lines = "{\"a\":1}\n{\"a\":2}\r\n  {\"a\":3}\n\n";
	len = strlen(lines);
	pos = 0;
	uint64_t sum = 0;
	int values = 0, rc;
	while ((rc = whea_json_parse_prefix(&d, lines + pos, len - pos, &used, nd, 16, NULL, 0)) == 0) {
		uint64_t v = 0;
		EXPECT_INT(whea_json_u64(&d, whea_json_get(&d, 0, "a"), &v), 0);
		sum += v;
		values++;
		pos += used;
	}
	EXPECT_INT(rc, WHEA_ENOTFOUND);
	EXPECT_INT(used, 2); /* the trailing whitespace */
	EXPECT_INT(values, 3);
	EXPECT_U64(sum, 6);
	t_end();

	t_begin("prefix_scalars_and_errors");
	EXPECT_INT(whea_json_parse_prefix(&d, "1 2", 3, &used, nd, 16, NULL, 0), 0);
	EXPECT_INT(used, 1);
	EXPECT_INT(whea_json_parse_prefix(&d, " 2", 2, &used, nd, 16, NULL, 0), 0);
	EXPECT_INT(used, 2);
	EXPECT_INT(whea_json_parse_prefix(&d, "123abc", 6, &used, nd, 16, NULL, 0), 0);
	EXPECT_INT(used, 3);
	used = 99;
	EXPECT_INT(whea_json_parse_prefix(&d, " [1,]", 5, &used, nd, 16, NULL, 0), WHEA_EFORMAT);
	EXPECT_INT(used, 0);
	EXPECT_INT(whea_error_last()->offset, 3);
	EXPECT_INT(whea_json_parse_prefix(&d, "[1", 2, &used, nd, 16, NULL, 0), WHEA_EFORMAT);
	EXPECT_INT(whea_json_parse_prefix(&d, "", 0, &used, nd, 16, NULL, 0), WHEA_ENOTFOUND);
	EXPECT_INT(whea_json_parse_prefix(&d, NULL, 0, &used, nd, 16, NULL, 0), WHEA_ENOTFOUND);
	/* whea_json_parse itself refuses the second value */
	EXPECT_INT(whea_json_parse(&d, "{}{}", 4, nd, 16, NULL, 0), WHEA_EFORMAT);
	EXPECT_INT(whea_error_last()->offset, 2);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* u64 / bool                                                                                     */

static int u64_of(const char *text, uint64_t *v)
{
	int rc = parse(text);
	if (rc)
		return 1000 + rc;
	whea_error_clear();
	return whea_json_u64(&g_doc, 0, v);
}

static void test_u64(void)
{
	uint64_t v;
	t_begin("u64_accepts");
	static const struct {
		const char *text;
		uint64_t want;
	} ok[] = {
		{"0", 0},
		{"7", 7},
		{"18446744073709551615", UINT64_MAX},
		{"9223372036854775809", 9223372036854775809ull}, /* 2^63 + 1: exact, no double rounding */
		{"9007199254740993", 9007199254740993ull},        /* 2^53 + 1 */
		{"\"0xFFFF\"", 0xFFFF},
		{"\"0XffFf\"", 0xFFFF},
		{"\"0x0\"", 0},
		{"\"0xFFFFFFFFFFFFFFFF\"", UINT64_MAX},
		{"\"0x00000000000000000000FFFFFFFFFFFFFFFF\"", UINT64_MAX},
		{"\"0x8000000000000001\"", 0x8000000000000001ull},
		{"\"123\"", 123},
		{"\"0\"", 0},
		{"\"18446744073709551615\"", UINT64_MAX},
		{"\"\\u0031\\u0032\"", 12},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = 12345;
		int rc = u64_of(ok[i].text, &v);
		if (rc)
			fail_at(__FILE__, __LINE__, "expected %s to convert, got %d (%s)", ok[i].text, rc,
				whea_error_last()->message);
		EXPECT_U64(v, ok[i].want);
	}
	t_end();

	t_begin("u64_rejects");
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{"18446744073709551616", "does not fit in 64 bits"},
		{"99999999999999999999", "does not fit in 64 bits"},
		{"100000000000000000000000", "does not fit in 64 bits"},
		{"1.0", "no fraction or exponent"},
		{"1e3", "no fraction or exponent"},
		{"1E0", "no fraction or exponent"},
		{"0.5", "no fraction or exponent"},
		{"-1", "negative"},
		{"-0", "negative"},
		{"\"0x10000000000000000\"", "does not fit in 64 bits"},
		{"\"18446744073709551616\"", "does not fit in 64 bits"},
		{"\"\"", "expected an unsigned integer"},
		{"\"0x\"", "expected an unsigned integer"},
		{"\"0xg\"", "expected an unsigned integer"},
		{"\"12a\"", "expected an unsigned integer"},
		{"\" 1\"", "expected an unsigned integer"},
		{"\"1 \"", "expected an unsigned integer"},
		{"\"-1\"", "expected an unsigned integer"},
		{"\"+1\"", "expected an unsigned integer"},
		{"\"007\"", "expected an unsigned integer"},
		{"\"1.0\"", "expected an unsigned integer"},
		{"\"x10\"", "expected an unsigned integer"},
		{"\"1\\u00002\"", "expected an unsigned integer"},
		{"true", "got true"},
		{"null", "got null"},
		{"[1]", "got array"},
		{"{}", "got object"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 12345;
		int rc = u64_of(bad[i].text, &v);
		if (rc != WHEA_EJSON)
			fail_at(__FILE__, __LINE__, "expected %s to be rejected with WHEA_EJSON, got %d", bad[i].text, rc);
		EXPECT_U64(v, 12345);
		EXPECT_INT(whea_error_last()->code, WHEA_EJSON);
		EXPECT_CONTAINS(whea_error_last()->message, bad[i].msg);
		EXPECT_STR(whea_error_last()->path, "$");
	}
	t_end();

	t_begin("u64_error_path_offset");
	EXPECT_INT(parse("{\"v\":[1,-1],\"w\":{\"x\":\"0xZZ\"}}"), 0);
	EXPECT_INT(whea_json_u64(&g_doc, whea_json_at(&g_doc, whea_json_get(&g_doc, 0, "v"), 1), &v), WHEA_EJSON);
	EXPECT_INT(whea_error_last()->offset, 8);
	EXPECT_STR(whea_error_last()->path, "$.v[1]");
	EXPECT_CONTAINS(whea_error_last()->message, "-1");
	uint32_t w = whea_json_get(&g_doc, 0, "w");
	EXPECT_INT(whea_json_u64(&g_doc, whea_json_get(&g_doc, w, "x"), &v), WHEA_EJSON);
	EXPECT_INT(whea_error_last()->offset, 21);
	EXPECT_STR(whea_error_last()->path, "$.w.x");
	EXPECT_CONTAINS(whea_error_last()->message, "\"0xZZ\"");
	EXPECT_INT(whea_json_u64(&g_doc, 999, &v), WHEA_EJSON);
	EXPECT_INT(whea_error_last()->offset, -1);
	EXPECT_INT(whea_json_u64(NULL, 0, &v), WHEA_EJSON);
	t_end();

	t_begin("bool");
	bool b = false;
	EXPECT_INT(parse("[true,false,1,\"true\",null]"), 0);
	EXPECT_INT(whea_json_bool(&g_doc, 1, &b), 0);
	EXPECT_TRUE(b);
	EXPECT_INT(whea_json_bool(&g_doc, 2, &b), 0);
	EXPECT_TRUE(!b);
	b = true;
	EXPECT_INT(whea_json_bool(&g_doc, 3, &b), WHEA_EJSON);
	EXPECT_TRUE(b);
	EXPECT_STR(whea_error_last()->path, "$[2]");
	EXPECT_CONTAINS(whea_error_last()->message, "expected true or false, got number");
	EXPECT_INT(whea_json_bool(&g_doc, 4, &b), WHEA_EJSON);
	EXPECT_CONTAINS(whea_error_last()->message, "got string");
	EXPECT_INT(whea_json_bool(&g_doc, 5, &b), WHEA_EJSON);
	EXPECT_INT(whea_json_bool(&g_doc, 6, &b), WHEA_EJSON);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* Paths and messages                                                                             */

static void test_paths(void)
{
	t_begin("path_strings");
	int rc = parse("{\"sections\":[{},{},{\"Memory\":{\"node\":1,\"a b\":[[0,[7]]]}}]}");
	EXPECT_INT(rc, 0);
	if (rc) {
		t_end();
		return;
	}
	uint32_t sec = whea_json_get(&g_doc, 0, "sections");
	uint32_t mem = whea_json_get(&g_doc, whea_json_at(&g_doc, sec, 2), "Memory");
	uint32_t nd = whea_json_get(&g_doc, mem, "node");
	uint32_t ab = whea_json_get(&g_doc, mem, "a b");
	uint32_t seven = whea_json_at(&g_doc, whea_json_at(&g_doc, whea_json_at(&g_doc, ab, 0), 1), 0);
	char buf[64];
	EXPECT_STR(whea_json_path(&g_doc, 0, buf, sizeof buf), "$");
	EXPECT_STR(whea_json_path(&g_doc, sec, buf, sizeof buf), "$.sections");
	EXPECT_STR(whea_json_path(&g_doc, nd, buf, sizeof buf), "$.sections[2].Memory.node");
	EXPECT_STR(whea_json_path(&g_doc, seven, buf, sizeof buf), "$.sections[2].Memory[\"a b\"][0][1][0]");
	EXPECT_MEM(node(seven)->str, node(seven)->len, "7", 1);
	/* invalid nodes give "" */
	EXPECT_STR(whea_json_path(&g_doc, 999, buf, sizeof buf), "");
	EXPECT_STR(whea_json_path(NULL, 0, buf, sizeof buf), "");
	t_end();

	t_begin("path_truncation");
	char small[32];
	/* "$.sections[2].Memory.node" is 25 characters */
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 26), "$.sections[2].Memory.node");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 25), "$...[2].Memory.node");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 20), "$...[2].Memory.node");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 19), "$....Memory.node");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 12), "$....node");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 8), "$....no");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 2), "$");
	EXPECT_STR(whea_json_path(&g_doc, nd, small, 1), "");
	small[0] = 'x';
	whea_json_path(&g_doc, nd, small, 0);
	EXPECT_INT(small[0], 'x');
	/* one segment longer than the buffer */
	static char lk[400];
	strcpy(lk, "{\"");
	memset(lk + 2, 'k', 200);
	strcpy(lk + 202, "\":1}");
	EXPECT_INT(parse(lk), 0);
	EXPECT_STR(whea_json_path(&g_doc, 1, small, 10), "$.kkkkkkk");
	char wide[256];
	whea_json_path(&g_doc, 1, wide, sizeof wide);
	EXPECT_INT(strlen(wide), 202);
	t_end();

	t_begin("path_escaped_keys");
	EXPECT_INT(parse("{\"a\\\"b\\\\c\\n\\u0001\\u007f\":{\"\xC3\xA9\":0}}"), 0);
	EXPECT_STR(path_of(1), "$[\"a\\\"b\\\\c\\n\\u0001\\u007F\"]");
	EXPECT_STR(path_of(2), "$[\"a\\\"b\\\\c\\n\\u0001\\u007F\"][\"\xC3\xA9\"]");
	t_end();
}

#define FMT_CASE(...)                                                                                      \
	do {                                                                                               \
		char exp_[1024];                                                                           \
		snprintf(exp_, sizeof exp_, __VA_ARGS__);                                                  \
		exp_[sizeof(((whea_error *)0)->message) - 1] = '\0'; /* the message is cut there */       \
		EXPECT_INT(whea_json_fail(&g_doc, 1, __VA_ARGS__), WHEA_EJSON);                            \
		EXPECT_STR(whea_error_last()->message, exp_);                                              \
	} while (0)

static void test_fail_format(void)
{
	t_begin("fail_records_path_offset");
	EXPECT_INT(parse("{\"x\": [1, 2]}"), 0);
	EXPECT_INT(whea_json_fail(&g_doc, 3, "bad value %d", 2), WHEA_EJSON);
	EXPECT_INT(whea_error_last()->code, WHEA_EJSON);
	EXPECT_INT(whea_error_last()->offset, 10);
	EXPECT_STR(whea_error_last()->path, "$.x[1]");
	EXPECT_STR(whea_error_last()->message, "bad value 2");
	EXPECT_INT(whea_json_fail(&g_doc, 77, "no node"), WHEA_EJSON);
	EXPECT_INT(whea_error_last()->offset, -1);
	EXPECT_STR(whea_error_last()->path, "");
	t_end();

	t_begin("fail_formatter_matches_snprintf");
	FMT_CASE("plain text");
	FMT_CASE("%d %i %d", INT_MIN, -5, INT_MAX);
	FMT_CASE("[%5d|%-5d|%05d|%+d|% d|%.3d|%8.3d]", 42, 42, -42, 3, 3, 7, 5);
	FMT_CASE("%u %x %X %#x %#X %o %#o", UINT_MAX, 0xbeefu, 0xbeefu, 0x1fu, 0x1fu, 8u, 8u);
	FMT_CASE("[%.0d|%#.0o|%#o|%#x|%.5x|%.0u]", 0, 0u, 0u, 0u, 0xabu, 0u);
	FMT_CASE("%ld %lu %lld %llu", LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX);
	FMT_CASE("%zu %zx %jd %ju %td", SIZE_MAX, (size_t)4096, INTMAX_MIN, UINTMAX_MAX, (ptrdiff_t)-3);
	FMT_CASE("%hhu %hhd %hu %hd", (unsigned char)200, (signed char)-56, (unsigned short)65000, (short)-30000);
	FMT_CASE("%c[%3c][%-3c]", 'A', 'x', 'y');
	FMT_CASE("%s|%.2s|%10s|%-10s|%.*s|%*s|%-*s|", "abc", "abcdef", "r", "l", 3, "abcdef", 4, "w", 4, "w");
	FMT_CASE("%*d|%-*d|%*d|%%|100%%", 6, 1, 6, 1, -6, 1);
	FMT_CASE("%" PRIu64 " %" PRIx64 " %" PRId64, UINT64_MAX, (uint64_t)0xdeadbeefcafeull, INT64_MIN);
	FMT_CASE("%-+6d|%+06d|%-6d|%x", 5, 5, 5, 0u);
	char longs[400];
	for (size_t i = 0; i < sizeof longs - 1; i++)
		longs[i] = (char)('0' + i % 10);
	longs[sizeof longs - 1] = '\0';
	FMT_CASE("longer than the message buffer: %s", longs);
	int x = 0;
	FMT_CASE("%p", (void *)&x);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* Randomized round trip: random values written with random whitespace and random escape choices     */
/* must parse, with the exact arena bounds, back to the same canonical form.                       */

typedef struct sbuf {
	char *b;
	size_t n, cap;
} sbuf;

static void sb_putc(sbuf *s, char c)
{
	if (s->n < s->cap)
		s->b[s->n] = c;
	s->n++;
}
static void sb_puts(sbuf *s, const char *t)
{
	while (*t)
		sb_putc(s, *t++);
}
static void sb_putn(sbuf *s, const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_putc(s, t[i]);
}

static uint64_t g_rng = TEST_RNG_SEED;
static uint32_t rnd(uint32_t n) { return (uint32_t)((test_rng(&g_rng) >> 11) % n); }

static void put_utf8(sbuf *s, uint32_t cp)
{
	if (cp < 0x80) {
		sb_putc(s, (char)cp);
	} else if (cp < 0x800) {
		sb_putc(s, (char)(0xC0 | (cp >> 6)));
		sb_putc(s, (char)(0x80 | (cp & 63)));
	} else if (cp < 0x10000) {
		sb_putc(s, (char)(0xE0 | (cp >> 12)));
		sb_putc(s, (char)(0x80 | ((cp >> 6) & 63)));
		sb_putc(s, (char)(0x80 | (cp & 63)));
	} else {
		sb_putc(s, (char)(0xF0 | (cp >> 18)));
		sb_putc(s, (char)(0x80 | ((cp >> 12) & 63)));
		sb_putc(s, (char)(0x80 | ((cp >> 6) & 63)));
		sb_putc(s, (char)(0x80 | (cp & 63)));
	}
}

/* Canonical string body: only '"', '\\' and control characters escaped. */
static void canon_bytes(sbuf *s, const char *p, size_t n)
{
	sb_putc(s, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\') {
			sb_putc(s, '\\');
			sb_putc(s, (char)c);
		} else if (c < 0x20) {
			char e[8];
			snprintf(e, sizeof e, "\\u%04X", c);
			sb_puts(s, e);
		} else {
			sb_putc(s, (char)c);
		}
	}
	sb_putc(s, '"');
}

static void noise(sbuf *s)
{
	static const char ws[] = " \t\n\r";
	uint32_t k = rnd(4) == 0 ? rnd(4) : 0;
	while (k--)
		sb_putc(s, ws[rnd(4)]);
}

static uint32_t rnd_cp(void)
{
	switch (rnd(8)) {
	case 0: return rnd(0x20);
	case 1: return "\"\\/"[rnd(3)];
	case 2: return 0x80 + rnd(0x800 - 0x80);
	case 3: {
		uint32_t cp = 0x800 + rnd(0x10000 - 0x800);
		return cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp;
	}
	case 4: return 0x10000 + rnd(0x110000 - 0x10000);
	default: return 0x20 + rnd(0x60);
	}
}

static void gen_string(sbuf *noisy, sbuf *canon, const char *suffix)
{
	char raw[512];
	sbuf r = {raw, 0, sizeof raw};
	uint32_t n = rnd(4) == 0 ? rnd(40) : rnd(8);
	sb_putc(noisy, '"');
	for (uint32_t i = 0; i < n; i++) {
		uint32_t cp = rnd_cp();
		put_utf8(&r, cp);
		const char *shortesc = NULL;
		switch (cp) {
		case '"': shortesc = "\\\""; break;
		case '\\': shortesc = "\\\\"; break;
		case '/': shortesc = "\\/"; break;
		case '\b': shortesc = "\\b"; break;
		case '\f': shortesc = "\\f"; break;
		case '\n': shortesc = "\\n"; break;
		case '\r': shortesc = "\\r"; break;
		case '\t': shortesc = "\\t"; break;
		default: break;
		}
		bool must = cp < 0x20 || cp == '"' || cp == '\\';
		uint32_t how = rnd(3); /* 0 raw, 1 short escape, 2 \u */
		if (how == 0 && must)
			how = 1;
		if (how == 1 && !shortesc)
			how = must ? 2 : 0;
		if (how == 0) {
			put_utf8(noisy, cp);
		} else if (how == 1) {
			sb_puts(noisy, shortesc);
		} else {
			char e[16];
			const char *fmt = rnd(2) ? "\\u%04x" : "\\u%04X";
			if (cp >= 0x10000) {
				snprintf(e, sizeof e, fmt, 0xD800 + ((cp - 0x10000) >> 10));
				sb_puts(noisy, e);
				snprintf(e, sizeof e, fmt, 0xDC00 + ((cp - 0x10000) & 0x3FF));
			} else {
				snprintf(e, sizeof e, fmt, cp);
			}
			sb_puts(noisy, e);
		}
	}
	if (suffix) {
		sb_puts(noisy, suffix);
		sb_puts(&r, suffix);
	}
	sb_putc(noisy, '"');
	canon_bytes(canon, raw, r.n < r.cap ? r.n : r.cap);
}

/* Token t in both the noisy and the canonical text. */
static void put_both(sbuf *noisy, sbuf *canon, const char *t)
{
	sb_puts(noisy, t);
	sb_puts(canon, t);
}

static void gen_value(sbuf *noisy, sbuf *canon, int depth, int *budget)
{
	static const char *lits[] = {"null", "true", "false"};
	static const char *nums[] = {"0", "-0", "12", "-3.25", "1e10", "2.5E-3", "18446744073709551615", "1E+2",
				     "-0.0e-0", "123456789"};
	uint32_t kind = depth >= 10 || *budget <= 0 ? rnd(6) : rnd(9);
	(*budget)--;
	noise(noisy);
	if (kind <= 2) {
		put_both(noisy, canon, lits[kind]);
	} else if (kind <= 4) {
		put_both(noisy, canon, nums[rnd(10)]);
	} else if (kind == 5) {
		gen_string(noisy, canon, NULL);
	} else { /* 6, 7: an array; 8: an object */
		bool obj = kind == 8;
		uint32_t n = rnd(6);
		put_both(noisy, canon, obj ? "{" : "[");
		for (uint32_t i = 0; i < n; i++) {
			if (i) {
				noise(noisy);
				put_both(noisy, canon, ",");
			}
			if (obj) {
				noise(noisy);
				char suffix[16];
				snprintf(suffix, sizeof suffix, "#%u", i); /* keys unique within the object */
				gen_string(noisy, canon, suffix);
				noise(noisy);
				put_both(noisy, canon, ":");
			}
			gen_value(noisy, canon, depth + 1, budget);
		}
		noise(noisy);
		put_both(noisy, canon, obj ? "}" : "]");
	}
	noise(noisy);
}

static void serialize(const whea_jdoc *d, uint32_t n, sbuf *out)
{
	const whea_jnode *nd = &d->nodes[n];
	switch (nd->type) {
	case WHEA_JSTRING: canon_bytes(out, nd->str, nd->len); break;
	case WHEA_JARRAY:
	case WHEA_JOBJECT: {
		bool obj = nd->type == WHEA_JOBJECT;
		sb_putc(out, obj ? '{' : '[');
		uint32_t i = 0;
		for (uint32_t c = nd->child; c; c = d->nodes[c].next, i++) {
			if (i)
				sb_putc(out, ',');
			if (obj) {
				canon_bytes(out, d->nodes[c].key, d->nodes[c].keylen);
				sb_putc(out, ':');
			}
			serialize(d, c, out);
		}
		sb_putc(out, obj ? '}' : ']');
		break;
	}
	default: sb_putn(out, nd->str, nd->len); break;
	}
}

/* Structural invariants every successful parse must satisfy. */
static bool check_tree(const whea_jdoc *d)
{
	for (uint32_t i = 0; i < d->nnodes; i++) {
		const whea_jnode *nd = &d->nodes[i];
		if (nd->type < WHEA_JNULL || nd->type > WHEA_JOBJECT)
			return false;
		if (i == 0 ? nd->parent != UINT32_MAX : nd->parent >= i)
			return false;
		uint32_t cnt = 0, last = 0;
		for (uint32_t c = nd->child; c; c = d->nodes[c].next) {
			if (c <= last || c >= d->nnodes || d->nodes[c].parent != i)
				return false;
			if (nd->type == WHEA_JARRAY && (d->nodes[c].key || d->nodes[c].index != cnt))
				return false;
			if (nd->type == WHEA_JOBJECT && !d->nodes[c].key)
				return false;
			last = c;
			cnt++;
		}
		if (cnt != nd->count || (cnt && nd->child != i + 1))
			return false;
		if (nd->type != WHEA_JSTRING && nd->str != d->text + nd->off)
			return false;
	}
	return true;
}

static void test_random_roundtrip(void)
{
	t_begin("random_roundtrip");
	static char nb[1 << 16], cb[1 << 16], ob[1 << 16];
	static whea_jnode rn[1 << 15];
	static char rs[1 << 16];
	int done = 0;
	for (int iter = 0; iter < 3000 && !t_failed; iter++) {
		sbuf noisy = {nb, 0, sizeof nb}, canon = {cb, 0, sizeof cb};
		int budget = (int)rnd(200);
		gen_value(&noisy, &canon, 0, &budget);
		if (noisy.n >= noisy.cap || canon.n >= canon.cap)
			continue;
		whea_jdoc d;
		/* exactly the documented bounds */
		int rc = whea_json_parse(&d, nb, noisy.n, rn, WHEA_JSON_NODES_FOR(noisy.n), rs, WHEA_JSON_STRBUF_FOR(noisy.n));
		if (rc) {
			fail_at(__FILE__, __LINE__, "expected 0 got %d (%s at %lld) for %.*s", rc,
				whea_error_last()->message, (long long)whea_error_last()->offset, (int)noisy.n, nb);
			break;
		}
		if (!check_tree(&d))
			fail_at(__FILE__, __LINE__, "expected a consistent tree for %.*s", (int)noisy.n, nb);
		sbuf out = {ob, 0, sizeof ob};
		serialize(&d, 0, &out);
		EXPECT_MEM(ob, out.n, cb, canon.n);
		/* every node's path is well-formed and every member is found by its key */
		for (uint32_t i = 1; i < d.nnodes; i++) {
			char p[128];
			whea_json_path(&d, i, p, sizeof p);
			if (p[0] != '$')
				fail_at(__FILE__, __LINE__, "expected a path for node %u got \"%s\"", i, p);
			if (d.nodes[i].key) {
				uint32_t m = whea_json_getn(&d, d.nodes[i].parent, d.nodes[i].key, d.nodes[i].keylen);
				EXPECT_INT(m, i);
			} else {
				EXPECT_INT(whea_json_at(&d, d.nodes[i].parent, d.nodes[i].index), i);
			}
		}
		done++;
	}
	EXPECT_TRUE(done > 2000);
	t_end();
}

/* ---------------------------------------------------------------------------------------------- */
/* The shared test vectors: every file is valid JSON                                               */


static void test_vectors(void)
{
#ifdef HAVE_DIRENT
	const char *dir = "../shared/vectors";
	DIR *dp = opendir(dir);
	if (!dp) {
		printf("SKIP vectors: %s not found\n", dir);
		return;
	}
	t_begin("vectors_parse");
	struct dirent *de;
	int files = 0;
	while ((de = readdir(dp)) != NULL) {
		if (!test_has_suffix(de->d_name, ".json"))
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		size_t len = 0;
		char *text = (char *)test_read_file(path, &len);
		if (!text)
			continue;
		int rc = parse_n(text, len);
		if (rc)
			fail_at(__FILE__, __LINE__, "expected %s to parse, got %d: %s", path, rc, whea_error_last()->message);
		else if (!check_tree(&g_doc))
			fail_at(__FILE__, __LINE__, "expected a consistent tree for %s", path);
		files++;
		free(text);
	}
	closedir(dp);
	EXPECT_TRUE(files > 0);
	size_t len = 0;
	char *text = (char *)test_read_file("../shared/vectors/libcper_memory.json", &len);
	if (text && parse_n(text, len) == 0) {
		uint32_t hdr = whea_json_get(&g_doc, whea_json_get(&g_doc, 0, "expected"), "header");
		uint64_t v = 0;
		EXPECT_INT(whea_json_u64(&g_doc, whea_json_get(&g_doc, hdr, "recordLength"), &v), 0);
		EXPECT_U64(v, 280);
		EXPECT_STR(path_of(whea_json_get(&g_doc, hdr, "sectionCount")), "$.expected.header.sectionCount");
		bool b = true;
		EXPECT_INT(whea_json_bool(&g_doc, whea_json_get(&g_doc, hdr, "timestampIsPrecise"), &b), 0);
		EXPECT_TRUE(!b);
	}
	free(text);
	t_end();
#else
	printf("SKIP vectors: no directory listing on this platform\n");
#endif
}

int main(void)
{
	test_scalars();
	test_structure();
	test_strings();
	test_rejects();
	test_reject_details();
	test_depth();
	test_arena();
	test_prefix();
	test_u64();
	test_paths();
	test_fail_format();
	test_random_roundtrip();
	test_vectors();
	printf("json_read: %d passed, %d failed\n", g_pass, g_fail);
	return g_fail != 0;
}
