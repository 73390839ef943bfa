/* tools/whea/cmd_decode.c — `whea decode`: every record of every input as text (default), one JSON
 * array, or JSON Lines. Inputs are streamed (scan.c); output goes through one buffered sink. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { FMT_TEXT, FMT_JSON, FMT_JSONL };

typedef struct decode_ctx {
	int format;
	bool pretty;
	bool hexdump;
	unsigned nrecords;   /* records written (for JSON separators) */
	int status;          /* CLI_OK or CLI_INVALID */
	bool out_failed;
} decode_ctx;

static int decode_record(void *vctx, const cli_rec *r)
{
	decode_ctx *c = vctx;
	whea_out *o = cli_stdout();
	whea_record rec;
	whea_diag_counts found = {0, 0};
	/* Sections are checked by the writer's own walk (found), not a second walk during parse. */
	if (whea_record_parse(&rec, r->data, r->len, WHEA_PARSE_TOLERANT, NULL, NULL)) {
		char msg[400];
		cli_err("%s: record %u (offset %llu): cannot decode: %s", r->file, r->index, (unsigned long long)r->offset,
			cli_lib_error(msg, sizeof msg, 0));
		c->status = CLI_INVALID;
		return 0;
	}
	switch (c->format) {
	case FMT_JSON:
		/* The pretty writer starts each record on a new line itself. */
		cli_out_str(o, c->nrecords ? (c->pretty ? "," : ",\n") : (c->pretty ? "[" : "[\n"));
		whea_record_to_json_counted(&rec, o, c->pretty ? WHEA_JSON_PRETTY : 0, &found);
		break;
	case FMT_JSONL:
		whea_record_to_json_counted(&rec, o, 0, &found);
		cli_out_str(o, "\n");
		break;
	default:
		whea_record_to_text_counted(&rec, o, c->hexdump ? WHEA_TEXT_HEXDUMP : 0, &found);
		break;
	}
	c->nrecords++;
	if (found.errors)
		c->status = CLI_INVALID;
	if (o->err) {
		c->out_failed = true;
		return 1;
	}
	return 0;
}

static void text_file_banner(const char *path)
{
	whea_out *o = cli_stdout();
	cli_out_str(o, "==> ");
	cli_out_str(o, cli_display_name(path));
	cli_out_str(o, " <==\n");
}

int cmd_decode(int argc, char **argv)
{
	decode_ctx c = {FMT_TEXT, false, false, 0, CLI_OK, false};
	int json = 0, jsonl = 0, text = 0, pretty = 0, hexdump = 0, tolerant = 0, nfiles, code;
	const cli_option opts[] = {
		{"--json", NULL, &json, 1, NULL},
		{"--jsonl", NULL, &jsonl, 1, NULL},
		{"--text", NULL, &text, 1, NULL},
		{"--pretty", NULL, &pretty, 1, NULL},
		{"--hexdump", NULL, &hexdump, 1, NULL},
		{"--tolerant", NULL, &tolerant, 1, NULL},
		{NULL, NULL, NULL, 0, NULL},
	};
	const char **files;
	if (!cli_parse_args("decode", argc, argv, opts, &files, &nfiles, &code))
		return code;
	if (json + jsonl + text > 1 || (pretty && !json) || (hexdump && (json || jsonl))) {
		free(files);
		return cli_usage_error("decode", json + jsonl + text > 1 ? "choose one of --text, --json and --jsonl"
						 : pretty ? "--pretty applies to --json only"
							  : "--hexdump applies to text output only");
	}
	c.format = json ? FMT_JSON : jsonl ? FMT_JSONL : FMT_TEXT;
	c.pretty = pretty;
	c.hexdump = hexdump;
	if (nfiles == 0)
		files[nfiles++] = "-";
	cli_scan s = {0};
	s.on_record = decode_record;
	s.ctx = &c;
	int rc = CLI_OK;
	for (int i = 0; i < nfiles && !c.out_failed; i++) {
		if (c.format == FMT_TEXT && nfiles > 1)
			text_file_banner(files[i]);
		unsigned before = s.records;
		if (cli_scan_path(&s, files[i]))
			rc = CLI_IO;
		else if (s.records == before && !c.out_failed)
			cli_err("%s: no CPER records found", cli_display_name(files[i])), c.status = CLI_INVALID;
	}
	if (c.format == FMT_JSON)
		cli_out_str(cli_stdout(), c.nrecords ? "\n]\n" : "[]\n");
	if (cli_stdout_finish())
		rc = CLI_IO;
	free(files);
	if (rc)
		return rc;
	if (s.problems)
		c.status = CLI_INVALID;
	return tolerant ? CLI_OK : c.status;
}
