/* tools/whea/util.c — helpers shared by the `whea` commands: messages on stderr, option parsing,
 * growable buffers, reading inputs, checked writing of outputs, and the stdout sink the record
 * writers use. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/fmt.h"
#include "util/jsonesc.h"

void cli_err(const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("whea: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_lib_error(char *buf, size_t cap, int64_t base)
{
	const whea_error *e = whea_error_last();
	int n = snprintf(buf, cap, "%s", e->message[0] ? e->message : whea_strerror(e->code));
	if (n < 0 || (size_t)n >= cap)
		return buf;
	if (e->offset >= 0 && e->path[0])
		snprintf(buf + n, cap - (size_t)n, " (at %s, byte %lld)", e->path, (long long)(e->offset + base));
	else if (e->offset >= 0)
		snprintf(buf + n, cap - (size_t)n, " (byte %lld)", (long long)(e->offset + base));
	else if (e->path[0])
		snprintf(buf + n, cap - (size_t)n, " (at %s)", e->path);
	return buf;
}

/* ---- options ---- */

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("whea: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'whea %s --help'.\n", cmd);
	else
		fputs("\nTry 'whea --help'.\n", stderr);
	return CLI_USAGE;
}

bool cli_flag(const char *arg, const char *name, const char *alias)
{
	return strcmp(arg, name) == 0 || (alias && strcmp(arg, alias) == 0);
}

int cli_opt(const char *cmd, int argc, char **argv, int *i, const char *name, const char *alias, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (!cli_flag(a, name, alias))
		return 0;
	if (*i + 1 >= argc) {
		cli_usage_error(cmd, "option '%s' needs a value", a);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

/* Matches argv[*i] against one option row: 1 handled, 0 not this row, -1 usage error. */
static int match_option(const char *cmd, int argc, char **argv, int *i, const cli_option *o)
{
	if (o->str)
		return cli_opt(cmd, argc, argv, i, o->name, o->alias, o->str);
	if (!cli_flag(argv[*i], o->name, o->alias))
		return 0;
	*o->flag = o->value;
	return 1;
}

bool cli_parse_args(const char *cmd, int argc, char **argv, const cli_option *opts, const char ***files, int *nfiles,
		    int *exit_code)
{
	bool only_files = false;
	*nfiles = 0;
	*files = cli_xmalloc(sizeof **files * (size_t)(argc + 1));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			(*files)[(*nfiles)++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_files = true;
			continue;
		}
		int k = 0;
		for (const cli_option *o = opts; o->name && !k; o++)
			k = match_option(cmd, argc, argv, &i, o);
		if (k == 1)
			continue;
		free(*files);
		*files = NULL;
		if (k < 0)
			*exit_code = CLI_USAGE;
		else if (cli_flag(a, "--help", "-h"))
			cli_show_usage(cmd), *exit_code = CLI_OK;
		else
			*exit_code = cli_usage_error(cmd, "unknown option '%s'", a);
		return false;
	}
	return true;
}

bool cli_parse_options(const char *cmd, int argc, char **argv, const cli_option *opts, int *exit_code)
{
	const char **operands;
	int n;
	if (!cli_parse_args(cmd, argc, argv, opts, &operands, &n, exit_code))
		return false;
	if (n)
		*exit_code = cli_usage_error(cmd, "unexpected argument '%s'", operands[0]);
	free(operands);
	return n == 0;
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	int base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	if (!*s)
		return false;
	for (; *s; s++) {
		int d = whea_hex_val((unsigned char)*s);
		if (d < 0 || d >= base)
			return false;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return true;
}

/* ---- buffers ---- */

static void out_of_memory(void)
{
	cli_err("out of memory");
	exit(CLI_IO);
}

void *cli_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *cli_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory();
	return q;
}

static void reserve(cli_buf *b, size_t more)
{
	if (b->cap - b->len > more)
		return;
	if (more > SIZE_MAX / 2 - b->len)
		out_of_memory();
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len <= more)
		cap *= 2;
	b->p = cli_xrealloc(b->p, cap);
	b->cap = cap;
}

void cli_buf_add(cli_buf *b, const void *p, size_t n)
{
	reserve(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = 0;
}

void cli_buf_str(cli_buf *b, const char *s) { cli_buf_add(b, s, strlen(s)); }

void cli_buf_printf(cli_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void cli_buf_json_str(cli_buf *b, const char *s, size_t n)
{
	char e[WHEA_JSON_ESC_MAX];
	cli_buf_add(b, "\"", 1);
	for (size_t i = 0; i < n; i++)
		cli_buf_add(b, e, whea_json_esc((unsigned char)s[i], e));
	cli_buf_add(b, "\"", 1);
}

void cli_buf_free(cli_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- files ---- */

const char *cli_display_name(const char *path) { return strcmp(path, "-") == 0 ? "<stdin>" : path; }

FILE *cli_open_in(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "rb");
	if (!f)
		cli_err("%s: cannot open: %s", path, strerror(errno));
	return f;
}

void cli_close_in(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

int cli_read_all(FILE *f, const char *name, size_t max, cli_buf *b)
{
	for (;;) {
		reserve(b, 65536);
		size_t room = b->cap - b->len - 1;
		size_t k = fread(b->p + b->len, 1, room, f);
		b->len += k;
		b->p[b->len] = 0;
		if (b->len > max) {
			cli_err("%s: input larger than %zu MiB", name, max >> 20);
			return CLI_IO;
		}
		if (k < room) {
			if (ferror(f)) {
				cli_err("%s: read error: %s", name, strerror(errno));
				return CLI_IO;
			}
			if (feof(f))
				return 0;
		}
	}
}

/* "" as an output name: a usage error (an unset shell variable, most likely). */
static bool empty_name(const char *cmd, const char *path)
{
	if (!path || *path)
		return false;
	cli_usage_error(cmd, "the output file name is empty");
	return true;
}

FILE *cli_open_binary_out(const char *cmd, const char *out)
{
	if (empty_name(cmd, out))
		return NULL;
	if (!out || strcmp(out, "-") == 0) {
		if (isatty(STDOUT_FILENO)) {
			cli_usage_error(cmd, "refusing to write binary records to a terminal; use -o FILE or a pipe");
			return NULL;
		}
		return stdout;
	}
	FILE *f = fopen(out, "wb");
	if (!f)
		cli_err("%s: cannot create: %s", out, strerror(errno));
	return f;
}

static bool is_stdout_path(const char *path) { return !path || strcmp(path, "-") == 0; }

int cli_lazy_begin(cli_lazy_out *o, const char *cmd, const char *path, bool binary)
{
	*o = (cli_lazy_out){cmd, path, binary, NULL};
	if (empty_name(cmd, path))
		return CLI_USAGE;
	if (is_stdout_path(path) && !(o->f = binary ? cli_open_binary_out(cmd, NULL) : stdout))
		return CLI_USAGE;
	return 0;
}

FILE *cli_lazy_file(cli_lazy_out *o)
{
	if (!o->f && !(o->f = fopen(o->path, o->binary ? "wb" : "w")))
		cli_err("%s: cannot create: %s", o->path, strerror(errno));
	return o->f;
}

const char *cli_lazy_name(const cli_lazy_out *o) { return is_stdout_path(o->path) ? "standard output" : o->path; }

int cli_lazy_close(cli_lazy_out *o) { return o->f ? cli_close_out(o->f, cli_lazy_name(o)) : 0; }

int cli_write(FILE *f, const char *name, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, f) != n) {
		cli_err("%s: write error: %s", name, strerror(errno));
		return CLI_IO;
	}
	return 0;
}

int cli_close_out(FILE *f, const char *name)
{
	int bad = fflush(f) != 0 || ferror(f);
	int saved = errno;
	if (f != stdout && fclose(f) != 0 && !bad)
		bad = 1, saved = errno;
	if (bad) {
		cli_err("%s: write error: %s", name, strerror(saved));
		return CLI_IO;
	}
	return 0;
}

/* ---- stdout sink ---- */

static char out_buf[1 << 16];
static whea_out out_sink;
static bool out_ready;
static int out_errno;

static int flush_stdout(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	if (fwrite(p, 1, n, stdout) != n) {
		out_errno = errno;
		return WHEA_EIO;
	}
	return 0;
}

whea_out *cli_stdout(void)
{
	if (!out_ready) {
		whea_out_init(&out_sink, out_buf, sizeof out_buf, flush_stdout, NULL);
		out_ready = true;
	}
	return &out_sink;
}

void cli_out_str(whea_out *o, const char *s) { whea_out_write(o, s, strlen(s)); }

int cli_stdout_finish(void)
{
	int rc = out_ready ? whea_out_flush(&out_sink) : 0;
	if (rc || fflush(stdout) != 0 || ferror(stdout)) {
		cli_err("standard output: write error: %s", strerror(rc && out_errno ? out_errno : errno));
		return CLI_IO;
	}
	return 0;
}
