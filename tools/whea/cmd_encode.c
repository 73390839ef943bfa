/* tools/whea/cmd_encode.c — `whea encode`: JSON records (one object, an array of objects, JSON Lines
 * or objects back to back) to binary CPER, concatenated. The input is split into top-level values
 * by bracket matching that respects strings; each record object then goes to whea_json_to_record,
 * whose errors name the JSON path and the byte offset (reported relative to the whole file). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "format/json_read.h"

typedef struct encode_ctx {
	cli_lazy_out out;     /* opened with the first record that encodes */
	uint8_t *buf;
	size_t cap;
	unsigned records;     /* records written */
	int status;           /* CLI_OK, CLI_INVALID or CLI_IO */
} encode_ctx;

static bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t skip_space(const char *t, size_t len, size_t pos)
{
	while (pos < len && json_space(t[pos]))
		pos++;
	return pos;
}

/* Index just past the object or array that starts at t[start]; 0 when it never closes. */
static size_t value_end(const char *t, size_t len, size_t start)
{
	size_t depth = 0;
	bool in_string = false;
	for (size_t i = start; i < len; i++) {
		char c = t[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

/* The library's last error about the record at text[base..base + n), placed in the whole file: the
 * byte offset, and the line and column, which the library counts from the record's own start
 * (wrong for every record after the first line), are made file-relative. */
static const char *error_in_file(char *buf, size_t cap, const char *text, size_t base, size_t n)
{
	char msg[512];
	cli_lib_error(msg, sizeof msg, (int64_t)base);
	int64_t off = whea_error_last()->offset;
	if (off < 0 || (uint64_t)off > n) {
		snprintf(buf, cap, "%s", msg);
		return buf;
	}
	unsigned long line, col;
	int skip = 0;
	if (sscanf(msg, "line %lu, column %lu: %n", &line, &col, &skip) < 2 || skip == 0)
		skip = 0;
	whea_json_linecol(text, base + (size_t)off, &line, &col);
	snprintf(buf, cap, "line %lu, column %lu: %s", line, col, msg + skip);
	return buf;
}

static void encode_one(encode_ctx *c, const char *file, unsigned recno, const char *json, size_t n, size_t base)
{
	size_t outlen = 0;
	int rc;
	while ((rc = whea_json_to_record(json, n, c->buf, c->cap, &outlen)) == WHEA_ENOSPACE && outlen > c->cap) {
		c->buf = cli_xrealloc(c->buf, outlen);
		c->cap = outlen;
	}
	if (rc) {
		char msg[600];
		cli_err("%s: record %u (byte %zu): %s", file, recno, base, error_in_file(msg, sizeof msg, json - base, base, n));
		c->status = c->status == CLI_IO ? CLI_IO : CLI_INVALID;
		return;
	}
	FILE *f = cli_lazy_file(&c->out);
	if (!f || cli_write(f, cli_lazy_name(&c->out), c->buf, outlen))
		c->status = CLI_IO;
	else
		c->records++;
}

/* A record that never closes (a truncated file): the JSON reader, given the rest of the input,
 * says where it ended (the JSON path and byte of the cut). */
static void report_unclosed(const char *file, unsigned recno, const char *t, size_t len, size_t pos)
{
	char msg[600];
	size_t outlen = 0;
	if (whea_json_to_record(t + pos, len - pos, NULL, 0, &outlen) == WHEA_ENOSPACE) /* cannot happen: no close */
		snprintf(msg, sizeof msg, "the input ends at byte %zu", len);
	else
		error_in_file(msg, sizeof msg, t, pos, len - pos);
	cli_err("%s: record %u (byte %zu): the object never closes: %s", file, recno, pos, msg);
}

/* What t[pos] is, for a message: "'x'", "byte 0x00", or binary CPER (a common mistake). */
static void describe_start(const char *t, size_t len, size_t pos, char *buf, size_t cap)
{
	unsigned ch = (unsigned char)t[pos];
	if (len - pos >= 4 && memcmp(t + pos, "CPER", 4) == 0)
		snprintf(buf, cap, "a binary CPER record ('whea decode --json' turns it into JSON)");
	else if (ch > 0x20 && ch < 0x7f)
		snprintf(buf, cap, "'%c'", (char)ch);
	else
		snprintf(buf, cap, "byte 0x%02x", ch);
}

/* The record object at t[pos]; returns the index after it, or 0 after a message. */
static size_t one_object(encode_ctx *c, const char *file, unsigned *recno, const char *t, size_t len, size_t pos)
{
	++*recno;
	if (t[pos] != '{') {
		char what[100];
		describe_start(t, len, pos, what, sizeof what);
		cli_err("%s: record %u (byte %zu): expected a JSON object, found %s", file, *recno, pos, what);
		return 0;
	}
	size_t end = value_end(t, len, pos);
	if (!end) {
		report_unclosed(file, *recno, t, len, pos);
		return 0;
	}
	encode_one(c, file, *recno, t + pos, end - pos, pos);
	return end;
}

/* The elements of the array whose '[' is at t[pos]; returns the index after it, or 0. */
static size_t array_of_objects(encode_ctx *c, const char *file, unsigned *recno, const char *t, size_t len, size_t pos)
{
	pos = skip_space(t, len, pos + 1);
	if (pos < len && t[pos] == ']')
		return pos + 1;
	while (pos < len && c->status != CLI_IO) {
		if (!(pos = one_object(c, file, recno, t, len, pos)))
			return 0;
		pos = skip_space(t, len, pos);
		if (pos < len && t[pos] == ']')
			return pos + 1;
		if (pos >= len || t[pos] != ',') {
			cli_err("%s: byte %zu: expected ',' or ']' after record %u", file, pos, *recno);
			return 0;
		}
		pos = skip_space(t, len, pos + 1);
	}
	if (pos >= len)
		cli_err("%s: byte %zu: the array of records never closes", file, len);
	return 0;
}

static void encode_text(encode_ctx *c, const char *file, const char *t, size_t len)
{
	unsigned recno = 0;
	size_t pos = 0;
	if (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0) /* UTF-8 byte order mark */
		pos = 3;
	while (c->status != CLI_IO && (pos = skip_space(t, len, pos)) < len) {
		size_t next = t[pos] == '[' ? array_of_objects(c, file, &recno, t, len, pos)
					    : one_object(c, file, &recno, t, len, pos);
		if (!next) {
			if (c->status == CLI_OK)
				c->status = CLI_INVALID;
			return;
		}
		pos = next;
	}
	if (recno == 0) {
		cli_err("%s: no JSON records found", file);
		if (c->status == CLI_OK)
			c->status = CLI_INVALID;
	}
}

int cmd_encode(int argc, char **argv)
{
	const char *out = NULL;
	int nfiles, code;
	const cli_option opts[] = {
		{"--output", "-o", NULL, 0, &out},
		{NULL, NULL, NULL, 0, NULL},
	};
	const char **files;
	if (!cli_parse_args("encode", argc, argv, opts, &files, &nfiles, &code))
		return code;
	if (nfiles == 0)
		files[nfiles++] = "-";
	encode_ctx c = {{0}, NULL, 0, 0, CLI_OK};
	if (cli_lazy_begin(&c.out, "encode", out, true))
		return free(files), CLI_USAGE;
	for (int i = 0; i < nfiles && c.status != CLI_IO; i++) {
		const char *name = cli_display_name(files[i]);
		FILE *f = cli_open_in(files[i]);
		cli_buf text = {0};
		if (!f || cli_read_all(f, name, CLI_TEXT_MAX, &text))
			c.status = CLI_IO;
		else
			encode_text(&c, name, text.p ? text.p : "", text.len);
		cli_close_in(f);
		cli_buf_free(&text);
	}
	if (cli_lazy_close(&c.out))
		c.status = CLI_IO;
	free(c.buf);
	free(files);
	return c.status;
}
