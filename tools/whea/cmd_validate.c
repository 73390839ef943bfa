/* tools/whea/cmd_validate.c — `whea validate`: parses every record of every input with all checks
 * (sections included) and prints each diagnostic as
 *   FILE: record N (offset X): error|warning at byte B: message
 * (B counts from the record's first byte), then one summary line per file. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct validate_ctx {
	bool quiet;
	const cli_rec *cur;      /* the record being parsed (for the diagnostic callback) */
	unsigned errors, warnings;
} validate_ctx;

static void on_diag(void *vctx, const whea_diag *d)
{
	validate_ctx *c = vctx;
	if (d->severity == WHEA_DIAG_ERROR)
		c->errors++;
	else
		c->warnings++;
	if (!c->quiet)
		printf("%s: record %u (offset %llu): %s at byte %llu: %s\n", c->cur->file, c->cur->index,
		       (unsigned long long)c->cur->offset, d->severity == WHEA_DIAG_ERROR ? "error" : "warning",
		       (unsigned long long)d->offset, d->msg);
}

static int validate_record(void *vctx, const cli_rec *r)
{
	validate_ctx *c = vctx;
	whea_record rec;
	c->cur = r;
	whea_record_parse(&rec, r->data, r->len, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, on_diag, c);
	c->cur = NULL;
	return ferror(stdout) ? 1 : 0;
}

static void on_problem(void *vctx, const char *file, uint64_t offset, const char *msg)
{
	validate_ctx *c = vctx;
	c->errors++;
	if (!c->quiet)
		printf("%s: offset %llu: error: %s\n", file, (unsigned long long)offset, msg);
}

int cmd_validate(int argc, char **argv)
{
	validate_ctx c = {false, NULL, 0, 0};
	int quiet = 0, werror = 0, nfiles, code;
	const cli_option opts[] = {
		{"--quiet", "-q", &quiet, 1, NULL},
		{"--warnings-as-errors", "-W", &werror, 1, NULL},
		{NULL, NULL, NULL, 0, NULL},
	};
	const char **files;
	if (!cli_parse_args("validate", argc, argv, opts, &files, &nfiles, &code))
		return code;
	c.quiet = quiet;
	if (nfiles == 0)
		return free(files), cli_usage_error("validate", "no input files (use - for standard input)");
	cli_scan s = {0};
	s.on_record = validate_record;
	s.on_problem = on_problem;
	s.ctx = &c;
	int rc = CLI_OK;
	bool invalid = false;
	for (int i = 0; i < nfiles && !s.stopped; i++) {
		const char *name = cli_display_name(files[i]);
		unsigned before = s.records;
		c.errors = c.warnings = 0;
		if (cli_scan_path(&s, files[i])) {
			rc = CLI_IO;
			continue;
		}
		unsigned n = s.records - before;
		if (n == 0)
			on_problem(&c, name, 0, "no CPER records found");
		bool bad = c.errors || (werror && c.warnings);
		invalid = invalid || bad;
		if (!c.quiet)
			printf("%s: %u record%s, %u error%s, %u warning%s: %s\n", name, n, n == 1 ? "" : "s", c.errors,
			       c.errors == 1 ? "" : "s", c.warnings, c.warnings == 1 ? "" : "s", bad ? "invalid" : "valid");
	}
	free(files);
	if (cli_close_out(stdout, "standard output"))
		return CLI_IO;
	return rc ? rc : invalid ? CLI_INVALID : CLI_OK;
}
