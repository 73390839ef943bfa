/* store/store.c — the store's front end: the backend registry, argument and record checks shared
 * by every backend (valid CPER, id neither 0 nor all-ones, the dummy write), verify's CPER pass,
 * the PSHED/ERST status mapping and the default location. Backends implement the semantics. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/backend.h"
#include "util/fmt.h"
#include "util/le.h"
#include "whea/record.h"

struct whea_store {
	const whea_store_backend *b;
	void *ctx;
	const whea_store_os *os;
};

/* ---- Registry ------------------------------------------------------------------------------- */

#define MAX_BACKENDS 16
static const whea_store_backend *const builtin[] = {
	&whea_store_backend_file,
	&whea_store_backend_mem,
	&whea_store_backend_efivars,
};
static const whea_store_backend *registered[MAX_BACKENDS];
static size_t nregistered;

const whea_store_backend *whea_store_backend_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		if (!strcmp(builtin[i]->name, name))
			return builtin[i];
	for (size_t i = 0; i < nregistered; i++)
		if (!strcmp(registered[i]->name, name))
			return registered[i];
	return NULL;
}

int whea_store_backend_register(const whea_store_backend *b)
{
	if (!b || b->size < sizeof(whea_store_backend) || b->version != WHEA_STORE_BACKEND_VERSION)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "store backend table has size %u version %u; "
				      "this library needs size >= %u and version %u",
				      b ? b->size : 0, b ? b->version : 0, (unsigned)sizeof(whea_store_backend),
				      WHEA_STORE_BACKEND_VERSION);
	if (!b->name || !b->name[0] || !b->open || !b->close || !b->write || !b->read || !b->clear ||
	    !b->stat || !b->next)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "store backend '%s' lacks a name or a required function",
				      b->name ? b->name : "");
	if (whea_store_backend_find(b->name))
		return whea_error_set(WHEA_EEXIST, -1, NULL, "a store backend named '%s' exists", b->name);
	if (nregistered == MAX_BACKENDS)
		return whea_error_set(WHEA_ELIMIT, -1, NULL, "at most %d store backends can be registered", MAX_BACKENDS);
	registered[nregistered++] = b;
	return 0;
}

/* ---- Open and close -------------------------------------------------------------------------- */

int whea_store_open(whea_store **out, const char *location, const whea_store_opts *opts)
{
	if (!out)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_open: out is NULL");
	*out = NULL;
	whea_store_opts o = {sizeof o, WHEA_STORE_OPTS_VERSION, NULL, 0, 0, 0, NULL};
	if (opts) {
		if (opts->size < offsetof(whea_store_opts, os) + sizeof(void *) || opts->version < 1)
			return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_opts has size %u version %u",
					      opts->size, opts->version);
		o = *opts;
	}
	if (!o.os)
		o.os = whea_store_os_default();
	if (o.os->size < sizeof(whea_store_os) || o.os->version != WHEA_STORE_OS_VERSION)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_os table has size %u version %u",
				      o.os->size, o.os->version);
	const char *name = o.backend ? o.backend : "file";
	const whea_store_backend *b = whea_store_backend_find(name);
	if (!b)
		return whea_error_set(WHEA_ENOTFOUND, -1, NULL, "no store backend named '%s' (built in: file, efivars, mem)", name);
	whea_store *s = o.os->alloc(o.os->ctx, sizeof *s);
	if (!s)
		return whea_error_set(WHEA_ENOMEM, -1, location, "out of memory opening the store");
	s->b = b;
	s->os = o.os;
	int r = b->open(&s->ctx, location, &o);
	if (r) {
		o.os->free(o.os->ctx, s);
		return r;
	}
	*out = s;
	return 0;
}

void whea_store_close(whea_store *s)
{
	if (!s)
		return;
	const whea_store_os *os = s->os;
	s->b->close(s->ctx);
	os->free(os->ctx, s);
}

const char *whea_store_backend_name(const whea_store *s) { return s ? s->b->name : ""; }

/* ---- Records ---------------------------------------------------------------------------------- */

/* A record the store accepts: structurally valid CPER (header and descriptors), RecordLength equal
 * to length, an id that is neither 0 nor all-ones. */
static int check_record(const void *record, uint32_t length, uint64_t *id, size_t index)
{
	if (!record)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "record %zu: NULL buffer", index);
	if (length < WHEA_RECORD_HEADER_SIZE || length > WHEA_STORE_MAX_RECORD)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "record %zu: length %u is outside %u..%u bytes",
				      index, length, WHEA_RECORD_HEADER_SIZE, WHEA_STORE_MAX_RECORD);
	whea_record r;
	if (whea_record_parse(&r, record, length, 0, NULL, NULL) != 0) {
		const whea_error *e = whea_error_last();
		return whea_error_set(WHEA_EINVAL, e->offset, NULL, "record %zu is not a valid CPER record: %s",
				      index, e->message);
	}
	if (r.record_length != length)
		return whea_error_set(WHEA_EINVAL, 20, NULL, "record %zu: RecordLength %u differs from the %u bytes given",
				      index, r.record_length, length);
	*id = whea_record_id(&r);
	if (*id == WHEA_STORE_ID_FIRST || *id == WHEA_STORE_ID_INVALID)
		return whea_error_set(WHEA_EINVAL, WHEA_RECORD_ID_OFFSET, NULL, "record %zu: record id 0x%llx cannot be stored "
				      "(0 and all-ones are reserved by ERST)", index, (unsigned long long)*id);
	return 0;
}

int whea_store_write_batch(whea_store *s, uint32_t flags, const whea_store_item *items, size_t count)
{
	if (!s)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "store handle is NULL");
	if (flags & ~WHEA_STORE_WRITE_DUMMY)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "unknown write flags 0x%x", flags & ~WHEA_STORE_WRITE_DUMMY);
	if (flags & WHEA_STORE_WRITE_DUMMY)
		return s->b->write(s->ctx, NULL, NULL, 0);
	if (!count)
		return 0;
	if (!items)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "items is NULL");
	const whea_store_os *os = s->os;
	uint64_t one, *ids = count == 1 ? &one : os->alloc(os->ctx, count * sizeof *ids);
	if (!ids)
		return whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory for a batch of %zu records", count);
	int r = 0;
	for (size_t i = 0; i < count && !r; i++)
		r = check_record(items[i].record, items[i].length, &ids[i], i);
	if (!r)
		r = s->b->write(s->ctx, items, ids, count);
	if (ids != &one)
		os->free(os->ctx, ids);
	return r;
}

int whea_store_write(whea_store *s, uint32_t flags, uint32_t length, const void *record)
{
	whea_store_item it = {record, length};
	return whea_store_write_batch(s, flags, &it, 1);
}

int whea_store_read(whea_store *s, uint32_t flags, uint64_t id, uint64_t *next_id, uint32_t *length, void *buf)
{
	if (!s || !next_id || !length)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_read: NULL %s",
				      !s ? "store" : !next_id ? "next_id" : "length");
	if (flags)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_read: unknown flags 0x%x", flags);
	if (!buf && *length)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_read: NULL buffer of length %u", *length);
	return s->b->read(s->ctx, id, next_id, length, buf);
}

int whea_store_clear(whea_store *s, uint32_t flags, uint64_t id)
{
	if (!s)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "store handle is NULL");
	if (flags)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_clear: unknown flags 0x%x", flags);
	if (id == WHEA_STORE_ID_FIRST || id == WHEA_STORE_ID_INVALID)
		return whea_error_set(WHEA_ENOTFOUND, -1, NULL, "no record has id 0x%llx", (unsigned long long)id);
	return s->b->clear(s->ctx, id);
}

int whea_store_stat_get(whea_store *s, whea_store_stat *st)
{
	if (!s || !st)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_stat_get: NULL argument");
	memset(st, 0, sizeof *st);
	return s->b->stat(s->ctx, st);
}

int whea_store_next(whea_store *s, uint64_t *cursor, uint64_t *id)
{
	if (!s || !cursor || !id)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "whea_store_next: NULL argument");
	return s->b->next(s->ctx, cursor, id);
}

int whea_store_compact(whea_store *s)
{
	if (!s)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "store handle is NULL");
	return s->b->compact ? s->b->compact(s->ctx) : 0;
}

/* verify: the backend checks its own format, then every record it returns is checked as CPER. */
int whea_store_verify(whea_store *s, whea_store_problem_fn fn, void *ctx)
{
	if (!s)
		return whea_error_set(WHEA_EINVAL, -1, NULL, "store handle is NULL");
	int problems = 0;
	if (s->b->verify) {
		problems = s->b->verify(s->ctx, fn, ctx);
		if (problems < 0)
			return problems;
	}
	const whea_store_os *os = s->os;
	uint32_t cap = 0;
	void *buf = NULL;
	uint64_t cursor = 0, id;
	int r;
	while ((r = s->b->next(s->ctx, &cursor, &id)) == 0) {
		uint64_t next;
		uint32_t len = cap;
		r = s->b->read(s->ctx, id, &next, &len, buf);
		if (r == WHEA_ENOSPACE) {
			void *nb = os->realloc(os->ctx, buf, len);
			if (!nb) {
				r = whea_error_set(WHEA_ENOMEM, -1, NULL, "out of memory verifying the store");
				break;
			}
			buf = nb;
			cap = len;
			r = s->b->read(s->ctx, id, &next, &len, buf);
		}
		if (r == WHEA_ENOTFOUND)
			continue; /* cleared by another process meanwhile */
		char msg[300];
		whea_record rec;
		if (r)
			whea_format(msg, sizeof msg, "record 0x%llx cannot be read: %s", (unsigned long long)id,
				    whea_error_last()->message);
		else if (whea_record_parse(&rec, buf, len, 0, NULL, NULL) != 0)
			whea_format(msg, sizeof msg, "record 0x%llx is not valid CPER: %s", (unsigned long long)id,
				    whea_error_last()->message);
		else if (whea_record_id(&rec) != id)
			whea_format(msg, sizeof msg, "record stored as 0x%llx carries id 0x%llx",
				    (unsigned long long)id, (unsigned long long)whea_record_id(&rec));
		else
			continue;
		problems++;
		if (fn) {
			whea_store_problem p = {"", 0, len, r ? r : WHEA_EINVAL, msg};
			fn(ctx, &p);
		}
		r = 0;
	}
	os->free(os->ctx, buf);
	if (r != WHEA_ENOTFOUND && r != WHEA_EEMPTY)
		return r;
	return problems;
}

/* ---- Status mapping --------------------------------------------------------------------------- */

#define NT_SUCCESS 0x00000000u
#define NT_UNSUCCESSFUL 0xC0000001u
#define NT_BUFFER_TOO_SMALL 0xC0000023u
#define NT_OBJECT_NAME_NOT_FOUND 0xC0000034u
#define NT_NOT_FOUND 0xC0000225u

enum { ERST_SUCCESS, ERST_NO_SPACE, ERST_NO_HW, ERST_FAILED, ERST_EMPTY, ERST_NOT_FOUND };

static const struct {
	int code;
	uint32_t nt;
	int erst;
} status_map[] = {
	{0, NT_SUCCESS, ERST_SUCCESS},
	{WHEA_ENOSPACE, NT_BUFFER_TOO_SMALL, ERST_FAILED},
	{WHEA_ENOTFOUND, NT_OBJECT_NAME_NOT_FOUND, ERST_NOT_FOUND},
	{WHEA_EEMPTY, NT_OBJECT_NAME_NOT_FOUND, ERST_EMPTY},
	{WHEA_EFULL, NT_UNSUCCESSFUL, ERST_NO_SPACE},
	{WHEA_ENOHW, NT_UNSUCCESSFUL, ERST_NO_HW},
	{WHEA_EUNSUCCESSFUL, NT_UNSUCCESSFUL, ERST_FAILED},
};
#define NMAP (sizeof status_map / sizeof status_map[0])

uint32_t whea_store_status_ntstatus(int code)
{
	for (size_t i = 0; i < NMAP; i++)
		if (status_map[i].code == code)
			return status_map[i].nt;
	return NT_UNSUCCESSFUL;
}

int whea_store_status_erst(int code)
{
	for (size_t i = 0; i < NMAP; i++)
		if (status_map[i].code == code)
			return status_map[i].erst;
	return ERST_FAILED;
}

int whea_store_code_from_ntstatus(uint32_t status)
{
	if (status == NT_NOT_FOUND)
		return WHEA_ENOTFOUND;
	if (status == NT_UNSUCCESSFUL)
		return WHEA_EUNSUCCESSFUL;
	for (size_t i = 0; i < NMAP; i++)
		if (status_map[i].nt == status)
			return status_map[i].code; /* first row: the not-found status gives WHEA_ENOTFOUND */
	return WHEA_EUNSUCCESSFUL;
}

int whea_store_code_from_erst(int status)
{
	if (status == ERST_FAILED)
		return WHEA_EUNSUCCESSFUL;
	for (size_t i = 0; i < NMAP; i++)
		if (status_map[i].erst == status)
			return status_map[i].code;
	return WHEA_EUNSUCCESSFUL;
}

/* ---- Default location ------------------------------------------------------------------------- */

int whea_store_default_dir(char *buf, size_t cap)
{
	const char *env = getenv("WHEA_STORE_DIR");
	size_t n;
	if (env && env[0])
		n = whea_format(buf, cap, "%s", env);
	else if (access("/var/lib/openwhea", W_OK) == 0 ||
		 (access("/var/lib/openwhea", F_OK) != 0 && access("/var/lib", W_OK) == 0))
		n = whea_format(buf, cap, "/var/lib/openwhea/store");
	else if ((env = getenv("XDG_STATE_HOME")) != NULL && env[0])
		n = whea_format(buf, cap, "%s/openwhea/store", env);
	else
		n = whea_format(buf, cap, "%s/.local/state/openwhea/store", getenv("HOME") ? getenv("HOME") : ".");
	if (n >= cap)
		return whea_error_set(WHEA_ENOSPACE, -1, NULL, "default store path needs %zu bytes", n + 1);
	return 0;
}
