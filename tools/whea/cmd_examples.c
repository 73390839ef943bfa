/* tools/whea/cmd_examples.c — `whea examples` writes the built-in example records as files;
 * `whea demo` decodes the machine's boot error region (the ACPI BERT data, Generic Error Status
 * Blocks) when it is there and readable, and the built-in examples otherwise. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define BERT_PATH "/sys/firmware/acpi/tables/data/BERT"
#define EXAMPLE_CAP 4096

/* The arguments of `whea examples` and `whea demo`: --help and one option taking a value, which
 * lands in *val (the last one given wins). Returns -1 to go on, or the exit code to return now. */
static int parse_one_option(const char *cmd, int argc, char **argv, const char *name, const char *alias,
			    const char **val)
{
	const cli_option opts[] = {{name, alias, NULL, 0, val}, {NULL, NULL, NULL, 0, NULL}};
	int code;
	return cli_parse_options(cmd, argc, argv, opts, &code) ? -1 : code;
}

int cmd_examples(int argc, char **argv)
{
	const char *dir = ".";
	int rc = parse_one_option("examples", argc, argv, "--output", "-o", &dir);
	if (rc >= 0)
		return rc;
	uint8_t buf[EXAMPLE_CAP];
	const cli_example *e;
	for (size_t i = 0; (e = cli_example_at(i)) != NULL; i++) {
		size_t n = cli_example_build(i, buf, sizeof buf);
		if (!n)
			return CLI_INVALID;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.cper", dir, e->name);
		FILE *f = fopen(path, "wb");
		if (!f) {
			cli_err("%s: cannot create: %s", path, strerror(errno));
			return CLI_IO;
		}
		if (cli_write(f, path, buf, n) || cli_close_out(f, path))
			return CLI_IO;
		printf("%s  %zu bytes  %s\n", path, n, e->summary);
	}
	return cli_close_out(stdout, "standard output");
}

typedef struct demo_ctx {
	int status;
} demo_ctx;

static int demo_record(void *vctx, const cli_rec *r)
{
	demo_ctx *c = vctx;
	whea_record rec;
	whea_out *o = cli_stdout();
	if (whea_record_parse(&rec, r->data, r->len, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL)) {
		char msg[400];
		cli_err("%s: block %u: cannot decode: %s", r->file, r->index, cli_lib_error(msg, sizeof msg, 0));
		c->status = CLI_INVALID;
		return 0;
	}
	whea_record_to_text(&rec, o, 0);
	return o->err ? 1 : 0;
}

/* Decodes the BERT region; returns the number of records, or -1 if it cannot be read. */
static long demo_bert(const char *path, demo_ctx *c)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("No readable boot error region at %s (%s).\n", path, strerror(errno));
		return -1;
	}
	fclose(f);
	printf("Boot error region %s:\n\n", path);
	cli_scan s = {0};
	s.on_record = demo_record;
	s.ctx = c;
	s.force_kind = WHEA_INPUT_GESB;
	if (cli_scan_path(&s, path))
		return -1;
	if (s.problems)
		c->status = CLI_INVALID;
	if (s.records == 0)
		printf("It holds no error records: the previous boot reported no errors.\n");
	return (long)s.records;
}

static void demo_examples(demo_ctx *c)
{
	uint8_t buf[EXAMPLE_CAP];
	const cli_example *e;
	whea_out *o = cli_stdout();
	cli_out_str(o, "Built-in example records (write them as files with 'whea examples'):\n\n");
	for (size_t i = 0; (e = cli_example_at(i)) != NULL && !o->err; i++) {
		size_t n = cli_example_build(i, buf, sizeof buf);
		if (!n) {
			c->status = CLI_INVALID;
			continue;
		}
		cli_out_str(o, "== ");
		cli_out_str(o, e->name);
		cli_out_str(o, ": ");
		cli_out_str(o, e->summary);
		cli_out_str(o, "\n");
		cli_rec r = {"example", (unsigned)i + 1, 0, WHEA_INPUT_CPER, buf, n};
		demo_record(c, &r);
	}
}

int cmd_demo(int argc, char **argv)
{
	const char *bert = BERT_PATH;
	int rc = parse_one_option("demo", argc, argv, "--bert", NULL, &bert);
	if (rc >= 0)
		return rc;
	demo_ctx c = {CLI_OK};
	fflush(stdout);
	long n = demo_bert(bert, &c);
	if (cli_stdout_finish())
		return CLI_IO;
	if (n <= 0) {
		printf("\n");
		demo_examples(&c);
	}
	if (cli_stdout_finish())
		return CLI_IO;
	return c.status;
}
