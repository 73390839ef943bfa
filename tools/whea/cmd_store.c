/* tools/whea/cmd_store.c — `whea store`: the error record store (whea/store.h) from the command
 * line. Subcommands write (records from any input `whea decode` reads, one by one or as one group
 * commit, or the dummy write), read, ls (along the next-id chain), clear, stat, verify and compact.
 * Options common to all (--store, --backend, --capacity, --readonly) and the options each
 * subcommand accepts come from two tables; every subcommand opens the store, runs, closes it. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "whea/store.h"

/* ---- options ---- */

enum {
	O_BATCH = 1u << 0,
	O_DUMMY = 1u << 1,
	O_TEXT = 1u << 2,
	O_JSON = 1u << 3,
	O_PRETTY = 1u << 4,
	O_HEXDUMP = 1u << 5,
	O_ALL = 1u << 6,
	O_OUTPUT = 1u << 7, /* takes a value */
};

typedef struct flag_opt {
	const char *name, *alias;
	unsigned bit;
} flag_opt;

static const flag_opt flag_opts[] = {
	{"--batch", NULL, O_BATCH},   {"--dummy", NULL, O_DUMMY},     {"--text", NULL, O_TEXT},
	{"--json", NULL, O_JSON},     {"--pretty", NULL, O_PRETTY},   {"--hexdump", NULL, O_HEXDUMP},
	{"--all", "-a", O_ALL},
};
#define NFLAG_OPTS (sizeof flag_opts / sizeof flag_opts[0])

typedef struct store_ctx {
	char cmd[32];            /* "store SUBCOMMAND", for usage messages */
	const char *location;    /* --store, $WHEA_STORE_DIR or the default */
	const char *backend;     /* --backend, NULL = file */
	uint64_t capacity;       /* --capacity, 0 = the backend's default */
	bool readonly;
	unsigned opts;           /* O_* given */
	const char *output;      /* -o */
	const char **args;       /* positional arguments */
	int nargs;
	whea_store *s;
	char dirbuf[4096];
} store_ctx;

/* ---- messages and status ---- */

/* Exit status for a library code: the operation's negative answers are 1, the rest 2. */
static int status_of(int rc)
{
	switch (rc) {
	case 0:
		return CLI_OK;
	case WHEA_ENOTFOUND:
	case WHEA_EEMPTY:
	case WHEA_EFULL:
	case WHEA_EINVAL:
		return CLI_INVALID;
	default:
		return CLI_IO;
	}
}

/* "whea: store DIR: WHAT: library message (at FILE, byte N) [WHEA_E...]"; returns status_of(rc). */
static int store_err(const store_ctx *c, int rc, const char *what)
{
	char msg[512];
	cli_err("store %s: %s: %s [%s]", c->location, what, cli_lib_error(msg, sizeof msg, 0), whea_error_name(rc));
	return status_of(rc);
}

static const char *id_str(uint64_t id, char buf[24])
{
	snprintf(buf, 24, "0x%016llx", (unsigned long long)id);
	return buf;
}

/* An id argument: decimal, 0x hex, or "first" (= 0, the first record). */
static bool parse_id(const char *s, uint64_t *id)
{
	if (strcmp(s, "first") == 0) {
		*id = WHEA_STORE_ID_FIRST;
		return true;
	}
	return cli_parse_u64(s, id);
}

/* A size with an optional K, M or G suffix (powers of 1024; "KiB", "k", "KB" also accepted). */
static bool parse_size(const char *s, uint64_t *out)
{
	static const struct {
		char c;
		unsigned shift;
	} units[] = {{'k', 10}, {'K', 10}, {'m', 20}, {'M', 20}, {'g', 30}, {'G', 30}};
	char num[32];
	size_t n = strspn(s, "0123456789abcdefABCDEFxX");
	unsigned shift = 0;
	/* Hex digits swallow no suffix letter: "0x10" is hex, "10k" decimal with a suffix. */
	if (!(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
		n = strspn(s, "0123456789");
	if (n == 0 || n >= sizeof num)
		return false;
	memcpy(num, s, n);
	num[n] = 0;
	const char *suf = s + n;
	if (*suf) {
		size_t i = 0;
		while (i < sizeof units / sizeof units[0] && units[i].c != *suf)
			i++;
		if (i == sizeof units / sizeof units[0])
			return false;
		shift = units[i].shift;
		suf++;
		if (strcmp(suf, "iB") && strcmp(suf, "B") && *suf)
			return false;
	}
	uint64_t v;
	if (!cli_parse_u64(num, &v) || (shift && v > (UINT64_MAX >> shift)))
		return false;
	*out = v << shift;
	return true;
}

/* ---- reading records ---- */

typedef struct recbuf {
	uint8_t *p;
	uint32_t cap, len;
} recbuf;

/* Reads record id into b (grown as needed). Returns the library's code. */
static int read_into(whea_store *s, uint64_t id, uint64_t *next, recbuf *b)
{
	for (;;) {
		uint32_t len = b->cap;
		int rc = whea_store_read(s, 0, id, next, &len, b->p);
		if (rc != WHEA_ENOSPACE || len <= b->cap) {
			b->len = rc ? 0 : len;
			return rc;
		}
		b->p = cli_xrealloc(b->p, len);
		b->cap = len;
	}
}

/* "not found" messages for read and clear. */
static int not_found(const store_ctx *c, int rc, uint64_t id)
{
	char ids[24];
	if (rc == WHEA_EEMPTY)
		cli_err("store %s: no record %s: the store is empty", c->location, id_str(id, ids));
	else if (rc == WHEA_ENOTFOUND)
		cli_err("store %s: no record %s (%llu) in the store", c->location, id_str(id, ids), (unsigned long long)id);
	else
		return store_err(c, rc, "cannot read");
	return CLI_INVALID;
}

/* ---- write ---- */

typedef struct write_ctx {
	store_ctx *c;
	int status;
	bool stop;                 /* the store is full or failed: write nothing more */
	whea_store_item *items;    /* --batch: copies of the records */
	size_t nitems, capitems;
} write_ctx;

/* Checks what the store requires before writing: a valid record, RecordLength = the bytes there,
 * an id that is neither 0 nor all-ones. Prints why not and returns false. */
static bool record_ok(const cli_rec *r, uint64_t *id)
{
	whea_record rec;
	char msg[512];
	const char *why = NULL;
	if (whea_record_parse(&rec, r->data, r->len, 0, NULL, NULL))
		why = cli_lib_error(msg, sizeof msg, 0);
	else if (rec.record_length != r->len)
		snprintf(msg, sizeof msg, "record is cut short: %zu of %u bytes", r->len, rec.record_length), why = msg;
	else if ((*id = whea_record_id(&rec)) == 0 || *id == WHEA_STORE_ID_INVALID)
		snprintf(msg, sizeof msg, "record id %s is reserved (0 reads the first record, all-ones means none)",
			 *id ? "0xffffffffffffffff" : "0"),
			why = msg;
	if (!why)
		return true;
	cli_err("%s: record %u (offset %llu): not written: not a valid record for the store: %s", r->file, r->index,
		(unsigned long long)r->offset, why);
	return false;
}

static void print_written(uint64_t id)
{
	char ids[24];
	printf("%s\n", id_str(id, ids));
}

/* A failed write: the message, and whether to go on with the next record. */
static void write_failed(write_ctx *w, const char *file, unsigned index, uint64_t offset, uint32_t len, int rc)
{
	char what[700];
	if (rc == WHEA_EFULL) {
		whea_store_stat st;
		char tail[80] = "";
		if (whea_store_stat_get(w->c->s, &st) == 0)
			snprintf(tail, sizeof tail, " (%llu of %llu bytes free)", (unsigned long long)st.free,
				 (unsigned long long)st.capacity);
		snprintf(what, sizeof what, "%s: record %u (offset %llu, %u bytes): not enough space%s", file, index,
			 (unsigned long long)offset, len, tail);
	} else {
		snprintf(what, sizeof what, "%s: record %u (offset %llu): not written", file, index, (unsigned long long)offset);
	}
	int st = store_err(w->c, rc, what);
	if (st > w->status)
		w->status = st;
	w->stop = rc != WHEA_EINVAL;
}

static int write_record(void *vctx, const cli_rec *r)
{
	write_ctx *w = vctx;
	uint64_t id = 0;
	if (w->stop)
		return 1;
	if (!record_ok(r, &id)) {
		w->status = w->status > CLI_INVALID ? w->status : CLI_INVALID;
		return 0;
	}
	if (w->c->opts & O_BATCH) {
		if (w->nitems == w->capitems) {
			w->capitems = w->capitems ? w->capitems * 2 : 64;
			w->items = cli_xrealloc(w->items, w->capitems * sizeof *w->items);
		}
		void *copy = cli_xmalloc(r->len);
		memcpy(copy, r->data, r->len);
		w->items[w->nitems++] = (whea_store_item){copy, (uint32_t)r->len};
		return 0;
	}
	unsigned flags = w->c->opts & O_DUMMY ? WHEA_STORE_WRITE_DUMMY : 0;
	int rc = whea_store_write(w->c->s, flags, (uint32_t)r->len, r->data);
	if (rc) {
		write_failed(w, r->file, r->index, r->offset, (uint32_t)r->len, rc);
		return w->stop;
	}
	if (!flags)
		print_written(id);
	return 0;
}

static int write_batch(write_ctx *w)
{
	if (!w->nitems)
		return w->status; /* nothing to write; inputs without records stay an error */
	unsigned flags = w->c->opts & O_DUMMY ? WHEA_STORE_WRITE_DUMMY : 0;
	int rc = whea_store_write_batch(w->c->s, flags, w->items, w->nitems);
	if (rc) {
		uint64_t total = 0;
		for (size_t i = 0; i < w->nitems; i++)
			total += w->items[i].length;
		char what[160];
		snprintf(what, sizeof what, "batch of %zu records (%llu bytes)%s: nothing written", w->nitems,
			 (unsigned long long)total, rc == WHEA_EFULL ? ": not enough space" : "");
		int st = store_err(w->c, rc, what);
		return st > w->status ? st : w->status;
	}
	for (size_t i = 0; i < w->nitems && !flags; i++) {
		whea_record rec;
		if (whea_record_parse(&rec, w->items[i].record, w->items[i].length, WHEA_PARSE_TOLERANT, NULL, NULL) == 0)
			print_written(whea_record_id(&rec));
	}
	return w->status;
}

static int sub_write(store_ctx *c)
{
	write_ctx w = {c, CLI_OK, false, NULL, 0, 0};
	if ((c->opts & O_DUMMY) && c->nargs == 0) { /* the bare dummy write: is the store usable? */
		int rc = whea_store_write(c->s, WHEA_STORE_WRITE_DUMMY, 0, NULL);
		return rc ? store_err(c, rc, "dummy write failed") : CLI_OK;
	}
	static const char *stdin_only[] = {"-"};
	const char **files = c->nargs ? c->args : stdin_only;
	int nfiles = c->nargs ? c->nargs : 1, rc = CLI_OK;
	cli_scan s = {0};
	s.on_record = write_record;
	s.ctx = &w;
	for (int i = 0; i < nfiles && !w.stop; i++) {
		unsigned before = s.records;
		if (cli_scan_path(&s, files[i]))
			rc = CLI_IO;
		else if (s.records == before)
			cli_err("%s: no CPER records found", cli_display_name(files[i])), w.status = w.status ? w.status : CLI_INVALID;
	}
	if (c->opts & O_BATCH)
		w.status = write_batch(&w);
	for (size_t i = 0; i < w.nitems; i++)
		free((void *)w.items[i].record);
	free(w.items);
	if (s.problems && !w.status)
		w.status = CLI_INVALID;
	if (cli_close_out(stdout, "standard output"))
		rc = CLI_IO;
	return rc > w.status ? rc : w.status;
}

/* ---- read ---- */

static int emit_decoded(const store_ctx *c, const recbuf *b)
{
	whea_record rec;
	whea_out *o = cli_stdout();
	if (whea_record_parse(&rec, b->p, b->len, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return store_err(c, whea_error_last()->code, "stored record cannot be decoded");
	if (c->opts & O_JSON) {
		whea_record_to_json(&rec, o, c->opts & O_PRETTY ? WHEA_JSON_PRETTY : 0);
		cli_out_str(o, "\n");
	} else {
		whea_record_to_text(&rec, o, c->opts & O_HEXDUMP ? WHEA_TEXT_HEXDUMP : 0);
	}
	return cli_stdout_finish() ? CLI_IO : CLI_OK; /* diagnostics are part of the output */
}

static int emit_raw(const store_ctx *c, const recbuf *b)
{
	FILE *f = cli_open_binary_out(c->cmd, c->output);
	if (!f)
		return CLI_IO;
	const char *name = c->output && strcmp(c->output, "-") ? c->output : "standard output";
	int rc = cli_write(f, name, b->p, b->len);
	int rc2 = cli_close_out(f, name);
	return rc ? rc : rc2;
}

static int check_read(const store_ctx *c)
{
	uint64_t id;
	if (!parse_id(c->args[0], &id))
		return cli_usage_error(c->cmd, "'%s' is no record id (decimal, 0x hex, or first)", c->args[0]);
	if ((c->opts & (O_TEXT | O_JSON)) && c->output)
		return cli_usage_error(c->cmd, "-o writes the raw record; --text and --json print to standard output");
	return 0;
}

static int sub_read(store_ctx *c)
{
	uint64_t id, next;
	parse_id(c->args[0], &id);
	recbuf b = {NULL, 0, 0};
	int rc = read_into(c->s, id, &next, &b);
	if (rc)
		rc = not_found(c, rc, id);
	else
		rc = (c->opts & (O_TEXT | O_JSON)) ? emit_decoded(c, &b) : emit_raw(c, &b);
	free(b.p);
	return rc;
}

/* ---- ls ---- */

typedef struct summary {
	uint32_t length;
	const char *severity;
	uint32_t severity_code;
	char time[32];          /* "" when the header has no valid timestamp */
	cli_buf sections;       /* "Memory,ProcessorGeneric" (text) or a JSON array */
} summary;

static void summarize_time(const whea_record *r, char out[32])
{
	whea_guid creator;
	whea_time t;
	out[0] = 0;
	if (!(whea_record_validation_bits(r) & 2u)) /* bit 1: Timestamp valid */
		return;
	whea_record_creator(r, &creator);
	if (whea_timestamp_decode(r->data + 24, whea_ts_hint_for_creator(&creator), &t) == 0)
		snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u", t.year, t.month, t.day, t.hour, t.minute, t.second);
}

static void summarize(const recbuf *b, bool json, summary *sm)
{
	whea_record rec;
	sm->length = b->len;
	sm->severity = "?";
	sm->severity_code = 0xffffffffu;
	sm->time[0] = 0;
	sm->sections.len = 0;
	if (json)
		cli_buf_str(&sm->sections, "[");
	if (whea_record_parse(&rec, b->p, b->len, WHEA_PARSE_TOLERANT, NULL, NULL) == 0) {
		sm->severity_code = whea_record_severity(&rec);
		sm->severity = whea_severity_name(sm->severity_code);
		summarize_time(&rec, sm->time);
		for (unsigned i = 0; i < rec.section_count; i++) {
			whea_section_desc d;
			char g[WHEA_GUID_STRLEN + 1];
			if (whea_record_section(&rec, i, &d))
				break;
			const char *name = d.known ? d.known->key : whea_guid_format(&d.type, g);
			if (i)
				cli_buf_str(&sm->sections, ",");
			if (json)
				cli_buf_json_str(&sm->sections, name, strlen(name));
			else
				cli_buf_str(&sm->sections, name);
		}
	}
	if (json)
		cli_buf_str(&sm->sections, "]");
	else if (!sm->sections.len)
		cli_buf_str(&sm->sections, "-");
}

static void ls_line(cli_buf *line, uint64_t id, const summary *sm, bool json)
{
	char ids[24];
	id_str(id, ids);
	if (!json) {
		cli_buf_printf(line, "%s %20llu %8u %-13s %-19s %s\n", ids, (unsigned long long)id, sm->length,
			       sm->severity, sm->time[0] ? sm->time : "-", sm->sections.p);
		return;
	}
	cli_buf_printf(line, "{\"id\":\"%s\",\"idDecimal\":%llu,\"length\":%u,\"severity\":", ids, (unsigned long long)id,
		       sm->length);
	cli_buf_json_str(line, sm->severity, strlen(sm->severity));
	cli_buf_printf(line, ",\"severityCode\":%u,\"timestamp\":", sm->severity_code);
	if (sm->time[0])
		cli_buf_json_str(line, sm->time, strlen(sm->time));
	else
		cli_buf_str(line, "null");
	cli_buf_printf(line, ",\"sections\":%s}\n", sm->sections.p);
}

/* The record's own id (id 0 reads the first record, whose id the header holds). */
static uint64_t own_id(const recbuf *b, uint64_t id)
{
	whea_record rec;
	if (id == WHEA_STORE_ID_FIRST && whea_record_parse(&rec, b->p, b->len, WHEA_PARSE_TOLERANT, NULL, NULL) == 0)
		return whea_record_id(&rec);
	return id;
}

typedef struct ls_state {
	bool json;
	recbuf rec;
	summary sm;
	cli_buf line;
} ls_state;

/* Prints the record in l->rec; returns 0 or CLI_IO. */
static int ls_show(ls_state *l, uint64_t id)
{
	summarize(&l->rec, l->json, &l->sm);
	l->line.len = 0;
	ls_line(&l->line, id, &l->sm, l->json);
	return cli_write(stdout, "standard output", l->line.p, l->line.len);
}

static int sub_ls(store_ctx *c)
{
	whea_store_stat st;
	int rc = whea_store_stat_get(c->s, &st), status = CLI_OK;
	if (rc)
		return store_err(c, rc, "cannot get the record count");
	/* The chain visits each record once; a limit keeps a broken chain from looping forever
	 * (records written meanwhile by another process are allowed for). */
	uint64_t limit = st.count * 2 + 1024, n = 0, id = WHEA_STORE_ID_FIRST, next = 0;
	ls_state l;
	memset(&l, 0, sizeof l);
	l.json = c->opts & O_JSON;
	for (;; id = next) {
		rc = read_into(c->s, id, &next, &l.rec);
		if (rc == WHEA_EEMPTY && id == WHEA_STORE_ID_FIRST)
			break;
		if (rc) {
			char what[80], ids[24];
			snprintf(what, sizeof what, "next-id chain broken at record %s", id_str(id, ids));
			status = store_err(c, rc, what);
			break;
		}
		id = own_id(&l.rec, id);
		if ((status = ls_show(&l, id)) != 0 || next == id)
			break;
		if (++n > limit) {
			cli_err("store %s: the next-id chain does not end after %llu records (%llu stored)", c->location,
				(unsigned long long)n, (unsigned long long)st.count);
			status = CLI_IO;
			break;
		}
	}
	free(l.rec.p);
	cli_buf_free(&l.sm.sections);
	cli_buf_free(&l.line);
	if (cli_close_out(stdout, "standard output"))
		return CLI_IO;
	return status;
}

/* ---- clear ---- */

static int clear_one(store_ctx *c, uint64_t id)
{
	char ids[24];
	int rc = whea_store_clear(c->s, 0, id);
	if (rc == WHEA_ENOTFOUND || rc == WHEA_EEMPTY)
		return not_found(c, rc, id);
	if (rc) {
		char what[64];
		snprintf(what, sizeof what, "cannot clear record %s", id_str(id, ids));
		return store_err(c, rc, what);
	}
	printf("%s\n", id_str(id, ids));
	return CLI_OK;
}

static int check_clear(const store_ctx *c)
{
	if ((c->opts & O_ALL) && c->nargs)
		return cli_usage_error(c->cmd, "give record ids or --all, not both");
	if (!(c->opts & O_ALL) && !c->nargs)
		return cli_usage_error(c->cmd, "no record id given (or --all)");
	for (int i = 0; i < c->nargs; i++) {
		uint64_t id;
		if (!parse_id(c->args[i], &id) || id == WHEA_STORE_ID_FIRST)
			return cli_usage_error(c->cmd, "'%s' is no record id (decimal or 0x hex, not 0)", c->args[i]);
	}
	return 0;
}

static int sub_clear(store_ctx *c)
{
	int status = CLI_OK;
	for (int i = 0; i < c->nargs; i++) {
		uint64_t id;
		parse_id(c->args[i], &id);
		int st = clear_one(c, id);
		status = st > status ? st : status;
	}
	if (c->opts & O_ALL) {
		uint64_t cursor = 0, id;
		int rc;
		while (status != CLI_IO && (rc = whea_store_next(c->s, &cursor, &id)) == 0) {
			int st = clear_one(c, id);
			status = st > status ? st : status;
		}
		if (status != CLI_IO && rc != WHEA_ENOTFOUND && rc != WHEA_EEMPTY)
			status = store_err(c, rc, "cannot list the records to clear");
	}
	if (cli_close_out(stdout, "standard output"))
		return CLI_IO;
	return status;
}

/* ---- stat ---- */

typedef struct stat_row {
	const char *key, *label;
	size_t off;
	bool bytes;
} stat_row;

static const stat_row stat_rows[] = {
	{"count", "records", offsetof(whea_store_stat, count), false},
	{"capacity", "capacity", offsetof(whea_store_stat, capacity), true},
	{"used", "used", offsetof(whea_store_stat, used), true},
	{"free", "free", offsetof(whea_store_stat, free), true},
	{"fileBytes", "file bytes", offsetof(whea_store_stat, file_bytes), true},
	{"damaged", "damaged regions", offsetof(whea_store_stat, damaged), false},
};
#define NSTAT_ROWS (sizeof stat_rows / sizeof stat_rows[0])

static uint64_t stat_value(const whea_store_stat *st, const stat_row *r)
{
	uint64_t v;
	memcpy(&v, (const char *)st + r->off, sizeof v);
	return v;
}

/* " bytes", and the size in KiB, MiB, ... when it is at least 1 KiB. */
static void human_size(cli_buf *b, uint64_t v)
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	double d = (double)v;
	size_t u = 0;
	cli_buf_str(b, " bytes");
	if (v < 1024)
		return;
	for (d /= 1024.0; d >= 1024.0 && u + 1 < sizeof units / sizeof units[0]; u++)
		d /= 1024.0;
	cli_buf_printf(b, " (%.1f %s)", d, units[u]);
}

static int sub_stat(store_ctx *c)
{
	whea_store_stat st;
	int rc = whea_store_stat_get(c->s, &st);
	if (rc)
		return store_err(c, rc, "cannot get the counts");
	cli_buf b = {0};
	if (c->opts & O_JSON) {
		cli_buf_str(&b, "{\"store\":");
		cli_buf_json_str(&b, c->location, strlen(c->location));
		cli_buf_printf(&b, ",\"backend\":\"%s\"", whea_store_backend_name(c->s));
		for (size_t i = 0; i < NSTAT_ROWS; i++)
			cli_buf_printf(&b, ",\"%s\":%llu", stat_rows[i].key, (unsigned long long)stat_value(&st, &stat_rows[i]));
		cli_buf_str(&b, "}\n");
	} else {
		cli_buf_printf(&b, "%-16s %s (%s)\n", "store:", c->location, whea_store_backend_name(c->s));
		for (size_t i = 0; i < NSTAT_ROWS; i++) {
			uint64_t v = stat_value(&st, &stat_rows[i]);
			cli_buf_printf(&b, "%s:%*s%llu", stat_rows[i].label, (int)(16 - strlen(stat_rows[i].label)), "",
				       (unsigned long long)v);
			if (stat_rows[i].bytes)
				human_size(&b, v);
			cli_buf_str(&b, "\n");
		}
	}
	rc = cli_write(stdout, "standard output", b.p, b.len);
	cli_buf_free(&b);
	return cli_close_out(stdout, "standard output") ? CLI_IO : rc;
}

/* ---- verify ---- */

static void on_problem(void *vctx, const whea_store_problem *p)
{
	const store_ctx *c = vctx;
	const char *file = p->file && p->file[0] ? p->file : c->location;
	bool rel = file[0] != '/' && file != c->location;
	printf("%s%s%s: offset %llu: %llu bytes: %s [%s]\n", rel ? c->location : "", rel ? "/" : "", file,
	       (unsigned long long)p->offset, (unsigned long long)p->length, p->msg ? p->msg : whea_strerror(p->code),
	       whea_error_name(p->code));
}

/* verify on a store that cannot be opened because its files are damaged: one problem. */
static int verify_unopenable(const store_ctx *c, int rc)
{
	const whea_error *e = whea_error_last();
	whea_store_problem p = {e->path, e->offset >= 0 ? (uint64_t)e->offset : 0, 0, rc, e->message};
	on_problem((void *)c, &p);
	printf("%s: cannot be opened: damaged\n", c->location);
	return cli_close_out(stdout, "standard output") ? CLI_IO : CLI_INVALID;
}

static int sub_verify(store_ctx *c)
{
	int n = whea_store_verify(c->s, on_problem, c);
	if (n < 0)
		return store_err(c, n, "cannot verify");
	whea_store_stat st;
	if (whea_store_stat_get(c->s, &st) == 0)
		printf("%s: %llu record%s, %d problem%s: %s\n", c->location, (unsigned long long)st.count,
		       st.count == 1 ? "" : "s", n, n == 1 ? "" : "s", n ? "damaged" : "ok");
	else
		printf("%s: %d problem%s: %s\n", c->location, n, n == 1 ? "" : "s", n ? "damaged" : "ok");
	if (cli_close_out(stdout, "standard output"))
		return CLI_IO;
	return n ? CLI_INVALID : CLI_OK;
}

/* ---- compact ---- */

static int sub_compact(store_ctx *c)
{
	whea_store_stat before, after;
	int rc = whea_store_stat_get(c->s, &before);
	if (!rc)
		rc = whea_store_compact(c->s);
	if (!rc)
		rc = whea_store_stat_get(c->s, &after);
	if (rc)
		return store_err(c, rc, "cannot compact");
	printf("%s: %llu records, %llu -> %llu file bytes\n", c->location, (unsigned long long)after.count,
	       (unsigned long long)before.file_bytes, (unsigned long long)after.file_bytes);
	return cli_close_out(stdout, "standard output");
}

/* ---- subcommands ---- */

#define COMMON_HELP                                                                                    \
	"\nCommon options: --store DIR, --backend NAME, --capacity BYTES, --readonly\n"                 \
	"(see 'whea store --help').\n"

typedef struct subcmd {
	const char *name;
	int (*run)(store_ctx *c);
	int (*check)(const store_ctx *c); /* checks the arguments before the store is opened, or NULL */
	unsigned opts;         /* O_* accepted */
	int min_args, max_args; /* positional arguments; -1 = any number */
	bool readonly;         /* open read-only */
	bool create;           /* create the store when it does not exist */
	const char *usage;
} subcmd;

static const subcmd subcmds[] = {
	{"write", sub_write, NULL, O_BATCH | O_DUMMY, 0, -1, false, true,
	 "Usage: whea store write [--batch] [--dummy] [FILE...]\n"
	 "\n"
	 "Writes every record of every FILE (standard input when none) to the store and prints\n"
	 "each record id written. Inputs are read as 'whea decode' reads them: binary records,\n"
	 "ACPI Generic Error Status Blocks, hex or base64. A record that is not valid, is cut\n"
	 "short or has record id 0 or all-ones is refused with a message; the rest are written.\n"
	 "A record with the id of a stored one replaces it.\n"
	 "\n"
	 "  --batch   write all records with one group commit (one sync): all or nothing\n"
	 "  --dummy   the dummy write: check the store is usable, store nothing\n"
	 "\n"
	 "Exit status: 0 all written, 1 a record was refused or the store is full (\"not enough\n"
	 "space\"; records written before stay), 2 usage or I/O error.\n" COMMON_HELP},
	{"read", sub_read, check_read, O_TEXT | O_JSON | O_PRETTY | O_HEXDUMP | O_OUTPUT, 1, 1, true, false,
	 "Usage: whea store read [--text|--json [--pretty]|-o FILE] ID\n"
	 "\n"
	 "Writes the stored record ID (decimal, 0x hex, or first / 0 for the first record) as\n"
	 "binary to standard output (not a terminal) or FILE, or decodes it.\n"
	 "\n"
	 "  -o, --output FILE   write the binary record to FILE\n"
	 "  --text              decode it as text (--hexdump adds section hex dumps)\n"
	 "  --json              decode it as one JSON object (--pretty indents it)\n"
	 "\n"
	 "Exit status: 0 ok, 1 no such record, 2 usage or I/O error.\n" COMMON_HELP},
	{"ls", sub_ls, NULL, O_JSON, 0, 0, true, false,
	 "Usage: whea store ls [--json]\n"
	 "\n"
	 "Lists the stored records along the next-id chain, one per line: record id in hex and\n"
	 "decimal, length, severity, timestamp (- when not valid) and section types.\n"
	 "\n"
	 "  --json   JSON Lines: id, idDecimal, length, severity, severityCode, timestamp,\n"
	 "           sections\n" COMMON_HELP},
	{"clear", sub_clear, check_clear, O_ALL, 0, -1, false, false,
	 "Usage: whea store clear ID... | --all\n"
	 "\n"
	 "Deletes the records durably and prints each id cleared.\n"
	 "\n"
	 "  -a, --all   clear every record\n"
	 "\n"
	 "Exit status: 0 ok, 1 a record was not found, 2 usage or I/O error.\n" COMMON_HELP},
	{"stat", sub_stat, NULL, O_JSON, 0, 0, true, false,
	 "Usage: whea store stat [--json]\n"
	 "\n"
	 "Prints the record count, capacity, bytes used and free (with the backend's overhead),\n"
	 "bytes the files take and the damaged regions skipped when the store was opened.\n" COMMON_HELP},
	{"verify", sub_verify, NULL, 0, 0, 0, true, false,
	 "Usage: whea store verify\n"
	 "\n"
	 "Reads every byte of the store, checks every frame's checksum and every record, and prints\n"
	 "each problem as 'FILE: offset N: L bytes: what [CODE]', then a summary line.\n"
	 "\n"
	 "Exit status: 0 no problem, 1 problems found, 2 usage or I/O error.\n" COMMON_HELP},
	{"compact", sub_compact, NULL, 0, 0, 0, false, false,
	 "Usage: whea store compact\n"
	 "\n"
	 "Rewrites the store without dead space (crash-safe).\n" COMMON_HELP},
};
#define NSUBCMDS (sizeof subcmds / sizeof subcmds[0])

static const subcmd *find_sub(const char *name)
{
	for (size_t i = 0; i < NSUBCMDS; i++)
		if (strcmp(subcmds[i].name, name) == 0)
			return &subcmds[i];
	return NULL;
}

/* Common options with a value. Returns 1 when argv[*i] was one, 0 if not, -1 on a usage error. */
static int common_opt(store_ctx *c, int argc, char **argv, int *i)
{
	const char *v;
	int r;
	if ((r = cli_opt(c->cmd, argc, argv, i, "--store", NULL, &v)) != 0) {
		/* The library reads an empty location as "the default store": `--store "$UNSET"` must
		 * not write to the system's store. */
		if (r > 0 && !*v)
			return cli_usage_error(c->cmd, "--store needs a directory, got an empty name"), -1;
		return r < 0 ? r : (c->location = v, 1);
	}
	if ((r = cli_opt(c->cmd, argc, argv, i, "--backend", NULL, &v)) != 0)
		return r < 0 ? r : (c->backend = v, 1);
	if ((r = cli_opt(c->cmd, argc, argv, i, "--capacity", NULL, &v)) != 0) {
		if (r > 0 && (!parse_size(v, &c->capacity) || c->capacity == 0))
			return cli_usage_error(c->cmd, "--capacity '%s' is no size (bytes, or with K, M or G)", v), -1;
		return r;
	}
	if (cli_flag(argv[*i], "--readonly", NULL))
		return c->readonly = true, 1;
	return 0;
}

/* One subcommand option. Returns 1 when taken, 0 if unknown, -1 on a usage error. */
static int sub_opt(store_ctx *c, const subcmd *sc, int argc, char **argv, int *i)
{
	if (sc && (sc->opts & O_OUTPUT)) {
		int r = cli_opt(c->cmd, argc, argv, i, "--output", "-o", &c->output);
		if (r)
			return r;
	}
	for (size_t k = 0; k < NFLAG_OPTS; k++)
		if (cli_flag(argv[*i], flag_opts[k].name, flag_opts[k].alias))
			return sc && (sc->opts & flag_opts[k].bit) ? (c->opts |= flag_opts[k].bit, 1) : 0;
	return 0;
}

static void store_usage(void)
{
	cli_show_usage("store");
}

/* Options that take a separate value, so the subcommand can be found before the options. */
static bool takes_value(const char *a)
{
	static const char *const names[] = {"--store", "--backend", "--capacity", "--output", "-o"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

/* Index of the subcommand: the first argument that is no option or option value; 0 if none. */
static int find_sub_index(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? i + 1 : 0;
		if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)
			return i;
		if (takes_value(argv[i]))
			i++;
	}
	return 0;
}

/* Parses everything after "store"; options may come before or after the subcommand. Returns -1
 * to go on, or an exit status (help, usage error). */
static int parse_args(store_ctx *c, const subcmd **sc, int argc, char **argv)
{
	int at = find_sub_index(argc, argv), rc;
	bool only_args = false;
	if (at && !(*sc = find_sub(argv[at])))
		return cli_usage_error("store", "unknown subcommand '%s'", argv[at]);
	snprintf(c->cmd, sizeof c->cmd, "store%s%s", *sc ? " " : "", *sc ? (*sc)->name : "");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (i == at)
			continue;
		if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
			c->args[c->nargs++] = a;
		} else if (strcmp(a, "--") == 0) {
			only_args = true;
		} else if (cli_flag(a, "--help", "-h")) {
			if (*sc)
				fputs((*sc)->usage, stdout);
			else
				store_usage();
			return cli_close_out(stdout, "standard output");
		} else if ((rc = common_opt(c, argc, argv, &i)) == 0 && (rc = sub_opt(c, *sc, argc, argv, &i)) == 0) {
			return cli_usage_error(c->cmd, "unknown option '%s'", a);
		} else if (rc < 0) {
			return CLI_USAGE;
		}
	}
	if (!*sc)
		return cli_usage_error("store", "no subcommand given (write, read, ls, clear, stat, verify, compact)");
	if (c->nargs < (*sc)->min_args || ((*sc)->max_args >= 0 && c->nargs > (*sc)->max_args))
		return cli_usage_error(c->cmd, "%s", c->nargs < (*sc)->min_args ? "missing argument" : "too many arguments");
	if ((c->opts & O_TEXT) && (c->opts & O_JSON))
		return cli_usage_error(c->cmd, "--text or --json, not both");
	if (c->backend && !whea_store_backend_find(c->backend))
		return cli_usage_error(c->cmd, "no store backend named '%s' (built in: file, efivars, mem)", c->backend);
	return (*sc)->check && (rc = (*sc)->check(c)) != 0 ? rc : -1;
}

/* The store location: --store, else the backend's usual place. */
static int resolve_location(store_ctx *c)
{
	if (c->location)
		return 0;
	if (c->backend && strcmp(c->backend, "efivars") == 0) {
		c->location = "/sys/firmware/efi/efivars";
		return 0;
	}
	if (c->backend && strcmp(c->backend, "mem") == 0) {
		c->location = "mem";
		return 0;
	}
	if (whea_store_default_dir(c->dirbuf, sizeof c->dirbuf)) {
		cli_err("the default store directory does not fit in %zu bytes; use --store DIR", sizeof c->dirbuf);
		return CLI_IO;
	}
	c->location = c->dirbuf;
	return 0;
}

static int open_store(store_ctx *c, const subcmd *sc)
{
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .backend = c->backend,
			     .capacity = c->capacity};
	o.flags = (sc->readonly || c->readonly ? WHEA_STORE_READONLY : 0) | (sc->create ? 0 : WHEA_STORE_NOCREATE);
	int rc = whea_store_open(&c->s, c->location, &o);
	if (rc == WHEA_ENOTFOUND && !sc->create) {
		char msg[512];
		cli_err("store %s: no store there (%s); 'whea store write' creates one, --store chooses another",
			c->location, cli_lib_error(msg, sizeof msg, 0));
		return CLI_INVALID;
	}
	if ((rc == WHEA_EFORMAT || rc == WHEA_ETRUNC) && sc->run == sub_verify)
		return verify_unopenable(c, rc);
	if (rc) /* not the operation's answer: the store is unusable (or the options are wrong) */
		return store_err(c, rc, o.flags & WHEA_STORE_READONLY ? "cannot open (read-only)" : "cannot open"), CLI_IO;
	whea_store_stat st;
	if (c->capacity && whea_store_stat_get(c->s, &st) == 0 && st.capacity != c->capacity)
		cli_err("store %s: note: the store exists with a capacity of %llu bytes; --capacity %llu is ignored",
			c->location, (unsigned long long)st.capacity, (unsigned long long)c->capacity);
	return 0;
}

int cmd_store(int argc, char **argv)
{
	store_ctx c;
	memset(&c, 0, sizeof c);
	const subcmd *sc = NULL;
	c.args = cli_xmalloc(sizeof *c.args * (size_t)(argc + 1));
	int rc = parse_args(&c, &sc, argc, argv);
	if (rc >= 0)
		return free(c.args), rc;
	rc = resolve_location(&c);
	if (rc == 0)
		rc = open_store(&c, sc);
	if (rc == 0)
		rc = sc->run(&c);
	whea_store_close(c.s);
	free(c.args);
	return rc;
}
