/* tools/whea/cli.h — shared pieces of the `whea` command-line tool: exit codes, messages, option
 * parsing helpers, growable buffers, file reading and writing, the stdout sink for the record
 * writers, the streaming input scanner (scan.c) and the example records (examples.c). */
#ifndef WHEA_CLI_H
#define WHEA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "whea/format.h"
#include "whea/input.h"
#include "whea/record.h"

/* Exit codes. */
enum { CLI_OK = 0, CLI_INVALID = 1, CLI_USAGE = 2, CLI_IO = 2 };

/* Largest record (and largest Generic Error Status Block) the tool handles. */
#define CLI_RECORD_MAX (16u << 20)
/* Largest text input (JSON, hex, base64) read into memory. */
#define CLI_TEXT_MAX ((size_t)1 << 30)

/* ---- messages (util.c) ---- */
/* "whea: " + message + newline on stderr. */
void cli_err(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;
/* The library's last error as "message (byte N, at PATH)" into buf; returns buf. */
const char *cli_lib_error(char *buf, size_t cap, int64_t base);

/* ---- options (util.c) ---- */
/* Usage error for command cmd: prints the message and a hint, returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* argv[*i] is the flag name or alias (alias may be NULL). */
bool cli_flag(const char *arg, const char *name, const char *alias);
/* argv[*i] is option name/alias taking a value ("--name V", "--name=V", "-o V"): stores it in *val
 * and returns 1 (advancing *i past a separate value); 0 if argv[*i] is another option; -1 (after a
 * usage message) when the value is missing. */
int cli_opt(const char *cmd, int argc, char **argv, int *i, const char *name, const char *alias, const char **val);
/* One row of a command's option table (ended by a row whose name is NULL): a flag stores value in
 * *flag; an option taking a value ("--name V", "--name=V", "-o V") stores it in *str. */
typedef struct cli_option {
	const char *name, *alias;
	int *flag;
	int value;
	const char **str;
} cli_option;
/* Parses argv[1..] against opts. Arguments that do not start with '-', "-" itself and everything
 * after "--" are files: they go into a new array *files (the caller frees it), *nfiles of them.
 * Returns true to go on; false when the command must exit at once with *exit_code: CLI_OK after
 * --help (the usage was shown), CLI_USAGE after an unknown option or a missing value (a message
 * was printed); *files is then NULL. */
bool cli_parse_args(const char *cmd, int argc, char **argv, const cli_option *opts, const char ***files, int *nfiles,
		    int *exit_code);
/* As cli_parse_args for a command that takes options only: any other argument is a usage error. */
bool cli_parse_options(const char *cmd, int argc, char **argv, const cli_option *opts, int *exit_code);
/* Parses an unsigned number, decimal or 0x hex; false when s is not one. */
bool cli_parse_u64(const char *s, uint64_t *out);
/* Shows a command's usage text (from main.c) on stdout. */
void cli_show_usage(const char *cmd);

/* ---- growable byte buffer (util.c); on allocation failure the tool exits with CLI_IO ---- */
typedef struct cli_buf {
	char *p;
	size_t len, cap;
} cli_buf;
void cli_buf_add(cli_buf *b, const void *p, size_t n);
void cli_buf_str(cli_buf *b, const char *s);
void cli_buf_printf(cli_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* A JSON string literal of s[0..n) (quotes and escapes added). */
void cli_buf_json_str(cli_buf *b, const char *s, size_t n);
void cli_buf_free(cli_buf *b);
void *cli_xmalloc(size_t n);
void *cli_xrealloc(void *p, size_t n);

/* ---- files (util.c) ---- */
/* Display name of a path ("-" = "<stdin>"). */
const char *cli_display_name(const char *path);
/* Opens path for reading ("-" = stdin); NULL after a message on failure. */
FILE *cli_open_in(const char *path);
void cli_close_in(FILE *f);
/* Reads the rest of f (up to max bytes) into b. Returns 0, or CLI_IO after a message naming name. */
int cli_read_all(FILE *f, const char *name, size_t max, cli_buf *b);
/* Output for binary data: the file out, or stdout (refused when it is a terminal). NULL after a
 * message on failure. */
FILE *cli_open_binary_out(const char *cmd, const char *out);
/* An output opened at its first write, so that a command failing before it has anything to write
 * neither creates the file nor empties an existing one. Standard output (path NULL or "-") is
 * checked at once: binary output is refused on a terminal. */
typedef struct cli_lazy_out {
	const char *cmd;   /* for messages */
	const char *path;  /* NULL or "-": standard output */
	bool binary;
	FILE *f;           /* NULL until opened */
} cli_lazy_out;
/* Sets it up; returns 0, or CLI_USAGE after a message (a terminal for binary, an empty name). */
int cli_lazy_begin(cli_lazy_out *o, const char *cmd, const char *path, bool binary);
/* The stream, opened now if need be; NULL after a message when the file cannot be created. */
FILE *cli_lazy_file(cli_lazy_out *o);
/* Its name for messages ("standard output" or the path). */
const char *cli_lazy_name(const cli_lazy_out *o);
/* cli_close_out when it was opened; 0 otherwise. */
int cli_lazy_close(cli_lazy_out *o);
/* Writes n bytes; returns 0 or CLI_IO after a message. */
int cli_write(FILE *f, const char *name, const void *p, size_t n);
/* Flushes and closes (not stdout: flushes only); returns 0 or CLI_IO after a message. */
int cli_close_out(FILE *f, const char *name);

/* ---- stdout for the record writers (util.c) ---- */
/* A whea_out whose flush writes to stdout; write errors make o->err WHEA_EIO. */
whea_out *cli_stdout(void);
/* Flushes it and stdout; returns 0 or CLI_IO after a message. */
int cli_stdout_finish(void);
void cli_out_str(whea_out *o, const char *s);

/* ---- input scanning (scan.c) ---- */
typedef struct cli_rec {
	const char *file;       /* display name */
	unsigned index;         /* 1-based record number in the file */
	uint64_t offset;        /* byte offset in the file (of the block, for GESB input) */
	int kind;               /* WHEA_INPUT_CPER or WHEA_INPUT_GESB */
	const uint8_t *data;    /* the record's bytes (RecordLength, or what is left at end of input) */
	size_t len;
} cli_rec;

typedef struct cli_scan {
	/* Called for every record; return 0 to go on, non-zero to stop (e.g. an output error). */
	int (*on_record)(void *ctx, const cli_rec *r);
	/* Input-level problems (garbage between records, unconvertible blocks); NULL: stderr. */
	void (*on_problem)(void *ctx, const char *file, uint64_t offset, const char *msg);
	void *ctx;
	int force_kind;         /* 0 = detect; WHEA_INPUT_GESB for a BERT region */
	/* Results, accumulated over calls. */
	unsigned records;       /* records delivered */
	unsigned problems;      /* input-level problems reported */
	bool stopped;           /* on_record asked to stop */
} cli_scan;

/* Scans one input ("-" = stdin): detects its kind and delivers every record. Returns 0, or CLI_IO
 * after a message when the input cannot be opened or read. */
int cli_scan_path(cli_scan *s, const char *path);

/* ---- example records (examples.c) ---- */
typedef struct cli_example {
	const char *name;       /* file name stem, e.g. "memory-corrected" */
	const char *summary;
} cli_example;
/* The i-th example (NULL past the end). */
const cli_example *cli_example_at(size_t i);
/* Builds example i into buf; returns its length, or 0 on failure (message printed). */
size_t cli_example_build(size_t i, uint8_t *buf, size_t cap);

/* ---- commands ---- */
int cmd_decode(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_encode(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_sections(int argc, char **argv);
int cmd_schema(int argc, char **argv);
int cmd_examples(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_store(int argc, char **argv);

#endif
