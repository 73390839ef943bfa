/* fuzz/fuzz_scan.c — libFuzzer target for the `whea` tool's input scanner (tools/whea/scan.c),
 * which finds records in whatever file a user gives: back-to-back records with garbage between
 * them, status blocks, hex or base64 text. The bytes are scanned as a file (a memfd); every record
 * it delivers is parsed and written as JSON, as `whea decode` does. Promises checked: records come
 * in order, with offsets inside the input; every problem names an offset inside the input and has
 * a message; the scan always ends. A crash or sanitizer report is a bug. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../tools/whea/cli.h"

typedef struct fuzz_ctx {
	size_t size;
	uint64_t last_offset;
	unsigned last_index;
} fuzz_ctx;

static char outbuf[1 << 20];

/* util.c's option parser refers to the usage texts, which live with the command table in main.c;
 * the scanner never shows usage, so the target links without main.c. */
void cli_show_usage(const char *cmd) { (void)cmd; }

static int on_record(void *vctx, const cli_rec *r)
{
	fuzz_ctx *c = vctx;
	if (r->offset > c->size || (r->index > 1 && r->offset < c->last_offset) || r->index != c->last_index + 1 ||
	    !r->data || !r->len)
		abort();
	c->last_offset = r->offset, c->last_index = r->index;
	whea_record rec;
	whea_diag_counts n;
	whea_out o;
	if (whea_record_parse(&rec, r->data, r->len, WHEA_PARSE_TOLERANT, NULL, NULL) == 0) {
		whea_out_init(&o, outbuf, sizeof outbuf, NULL, NULL);
		whea_record_to_json_counted(&rec, &o, 0, &n);
	}
	return 0;
}

static void on_problem(void *vctx, const char *file, uint64_t offset, const char *msg)
{
	const fuzz_ctx *c = vctx;
	if (!file || !msg || !*msg || offset > c->size)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_scan", 0);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size) || lseek(fd, 0, SEEK_SET) != 0)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	fuzz_ctx c = {size, 0, 0};
	for (int force = 0; force < 2; force++) { /* detected, and as a BERT region (status blocks) */
		cli_scan s = {on_record, on_problem, &c, force ? WHEA_INPUT_GESB : 0, 0, 0, false};
		c.last_offset = 0, c.last_index = 0;
		if (cli_scan_path(&s, path) != 0)
			abort(); /* a readable file is never an I/O error */
	}
	close(fd);
	return 0;
}
