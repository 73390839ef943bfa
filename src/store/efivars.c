/* store/efivars.c — the "efivars" store backend: every record is a UEFI hardware error record
 * variable (HwErrRec#### under EFI_HARDWARE_ERROR_VARIABLE), laid out as Linux's efivarfs shows it:
 * a file named HwErrRec####-<guid> holding the 4-byte little-endian attribute word and then the
 * CPER record. Writes create a new variable (one write() on a freshly created file, as efivarfs
 * demands) before deleting the copy they replace, so a crash leaves at least one whole copy.
 * The index (variables in number order, and by record id) is refreshed from a cheap listing
 * (names, sizes, inode numbers) before every operation. Every OS call and every allocation goes
 * through the whea_store_os table. Layout and rules: docs/STORE-EFIVARS.md. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/backend.h"
#include "util/fmt.h"
#include "util/le.h"
#include "whea/record.h"

#define EFI_DEFAULT_DIR "/sys/firmware/efi/efivars"
#define EFI_DEFAULT_CAPACITY (64u * 1024u)
#define EFI_PREFIX "HwErrRec"
#define EFI_PREFIX_LEN 8
#define EFI_NAME_LEN (EFI_PREFIX_LEN + 4 + 1 + 36) /* HwErrRec####-<guid> */
#define EFI_ATTR_LEN 4
#define EFI_NUMS 65536u
#define EFI_SEEN_WORDS (EFI_NUMS / 64u)
/* Space one variable takes besides its data, as firmware counts it: the name in UCS-2 with NUL. */
#define EFI_NAME_COST (2u * (EFI_PREFIX_LEN + 4u + 1u))
/* The largest variable file read: the attribute word and the largest record the store accepts. */
#define EFI_MAX_FILE ((uint64_t)EFI_ATTR_LEN + WHEA_STORE_MAX_RECORD)

enum var_kind { VAR_OK, VAR_DUP, VAR_BAD };

/* One HwErrRec variable found in the directory. */
typedef struct efi_var {
	uint16_t num;     /* the #### */
	uint8_t kind;     /* var_kind */
	uint8_t retry;    /* VAR_BAD because it could not be read: read again at every refresh */
	uint32_t reclen;  /* VAR_OK/VAR_DUP: the record's length */
	uint64_t id;      /* VAR_OK/VAR_DUP: the record's id */
	uint64_t size;    /* bytes of content */
} efi_var;

/* A position in the by-id index. */
typedef struct id_ref {
	uint64_t id;
	uint32_t idx; /* into vars */
} id_ref;

/* What is wrong with a variable (for verify). */
typedef struct var_problem {
	int code;
	uint64_t offset, length;
	char msg[200];
} var_problem;

typedef struct efivars {
	const whea_store_os *os;
	char *dir;            /* the location */
	char *path;           /* scratch: dir "/" name */
	size_t dirlen;
	int dirfd;
	uint32_t flags;       /* whea_store_open_flags */
	int poisoned;         /* a sync failed: writes and clears refused */
	uint64_t capacity;
	uint64_t *seen;       /* bitmap of the #### present at the last listing */
	efi_var *vars;        /* every HwErrRec variable, by number */
	size_t nvars;
	id_ref *byid;         /* the VAR_OK variables, by id */
	size_t nbyid;
	uint64_t used, file_bytes, damaged;
} efivars;

/* ---- small helpers ------------------------------------------------------------------------ */

static void *mem_alloc(const efivars *e, size_t n) { return e->os->alloc(e->os->ctx, n ? n : 1); }
static void mem_free(const efivars *e, void *p)
{
	if (p)
		e->os->free(e->os->ctx, p);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The #### of a hardware error record variable's file name, or -1 for any other name. */
static long parse_name(const char *n)
{
	if (strncmp(n, EFI_PREFIX, EFI_PREFIX_LEN) != 0)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval(n[EFI_PREFIX_LEN + i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	if (n[EFI_PREFIX_LEN + 4] != '-' || strcmp(n + EFI_PREFIX_LEN + 5, WHEA_EFI_HW_ERROR_VARIABLE_GUID_STR) != 0)
		return -1;
	return v;
}

/* Writes "HwErrRec####-<guid>" (EFI_NAME_LEN bytes and a NUL) into out. */
static void format_name(char *out, unsigned num)
{
	static const char hex[] = "0123456789ABCDEF";
	memcpy(out, EFI_PREFIX, EFI_PREFIX_LEN);
	for (int i = 0; i < 4; i++)
		out[EFI_PREFIX_LEN + i] = hex[(num >> (12 - 4 * i)) & 0xf];
	out[EFI_PREFIX_LEN + 4] = '-';
	memcpy(out + EFI_PREFIX_LEN + 5, WHEA_EFI_HW_ERROR_VARIABLE_GUID_STR, 37);
}

/* The full path of variable num, in the handle's scratch buffer. */
static const char *var_path(efivars *e, unsigned num)
{
	format_name(e->path + e->dirlen + 1, num);
	return e->path;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Maps an OS failure (-errno) to a WHEA code and records what was being done to which file; a full
 * variable store gets its own message (on efivarfs it is the firmware's NVRAM that is full). */
static int os_fail(int rc, const char *path, const char *what)
{
	if (rc == -ENOSPC)
		return whea_error_set(WHEA_EFULL, -1, path, "%s %s: no space left in the variable store (firmware NVRAM or disk full)",
				      what, base_name(path));
	return whea_store_oserr(rc, what, path, -1);
}

static int no_memory(const char *path) { return whea_error_set(WHEA_ENOMEM, -1, path, "efivars: out of memory"); }

/* A failed sync leaves the handle unable to promise durability any more. */
static int sync_fail(efivars *e, int rc, const char *path)
{
	e->poisoned = 1;
	return whea_error_set(WHEA_EIO, -1, path, "sync of %s failed (%s); the handle is poisoned, reopen the store",
			      base_name(path), strerror(-rc));
}

/* fsync of a variable file. efivarfs has no fsync for files (-EINVAL): SetVariable() is synchronous,
 * so a variable is durable once its write() returned. */
static int sync_file(efivars *e, int fd, const char *path)
{
	int rc = e->os->sync(e->os->ctx, fd);
	if (rc == -EINVAL || rc == -EOPNOTSUPP || rc == -ENOSYS)
		return 0;
	return rc < 0 ? sync_fail(e, rc, path) : 0;
}

static int sync_dir(efivars *e)
{
	int rc = e->os->sync(e->os->ctx, e->dirfd);
	if (rc == -EINVAL || rc == -EOPNOTSUPP || rc == -ENOSYS)
		return 0;
	return rc < 0 ? sync_fail(e, rc, e->dir) : 0;
}

static uint64_t var_cost(uint64_t data_bytes) { return EFI_NAME_COST + data_bytes; }

/* ---- loading and classifying one variable ------------------------------------------------ */

static void set_problem(var_problem *p, int code, uint64_t off, uint64_t len, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;
static void set_problem(var_problem *p, int code, uint64_t off, uint64_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	whea_vformat(p->msg, sizeof p->msg, fmt, ap);
	va_end(ap);
	p->code = code;
	p->offset = off;
	p->length = len;
}

typedef struct first_diag {
	int code;
	uint64_t offset;
	char msg[160];
} first_diag;

static void keep_first_error(void *ctx, const whea_diag *d)
{
	first_diag *f = ctx;
	if (d->severity == WHEA_DIAG_ERROR && !f->code) {
		f->code = d->code;
		f->offset = d->offset;
		whea_strlcpy(f->msg, d->msg, sizeof f->msg);
	}
}

/* Checks a variable's content (n bytes at b): fills v (kind VAR_OK, id, reclen) or sets the problem
 * and leaves v->kind VAR_BAD. */
static void classify(const uint8_t *b, uint64_t n, efi_var *v, var_problem *p)
{
	v->kind = VAR_BAD;
	if (n < EFI_ATTR_LEN)
		return set_problem(p, WHEA_ETRUNC, 0, n, "%llu bytes: shorter than the 4-byte attribute word", (unsigned long long)n);
	uint32_t attr = whea_le32(b);
	if (attr != WHEA_EFI_HW_ERROR_ATTRIBUTES)
		return set_problem(p, WHEA_EFORMAT, 0, EFI_ATTR_LEN,
				   "attribute word is 0x%x, expected 0xf (NON_VOLATILE|BOOTSERVICE_ACCESS|RUNTIME_ACCESS|HARDWARE_ERROR_RECORD)",
				   attr);
	uint64_t rn = n - EFI_ATTR_LEN;
	if (rn < WHEA_RECORD_HEADER_SIZE)
		return set_problem(p, WHEA_ETRUNC, n, 0, "truncated: %llu record bytes after the attribute word, a CPER header needs 128",
				   (unsigned long long)rn);
	whea_record r;
	first_diag d = {0};
	if (whea_record_parse(&r, b + EFI_ATTR_LEN, rn, 0, keep_first_error, &d) != 0) {
		if (d.code == WHEA_ETRUNC && whea_le32(b + EFI_ATTR_LEN + 20) > rn)
			return set_problem(p, WHEA_ETRUNC, n, 0, "truncated: the record length says %u bytes, the variable holds %llu",
					   whea_le32(b + EFI_ATTR_LEN + 20), (unsigned long long)rn);
		return set_problem(p, d.code == WHEA_ETRUNC ? WHEA_ETRUNC : WHEA_EINVAL, EFI_ATTR_LEN + d.offset, 0,
				   "not a valid CPER record: %s", d.code ? d.msg : "rejected by the parser");
	}
	if (r.record_length != rn)
		return set_problem(p, WHEA_EFORMAT, EFI_ATTR_LEN + (uint64_t)r.record_length, rn - r.record_length,
				   "record length %u disagrees with the variable's %llu record bytes", r.record_length,
				   (unsigned long long)rn);
	uint64_t id = whea_record_id(&r);
	if (id == WHEA_STORE_ID_FIRST || id == WHEA_STORE_ID_INVALID)
		return set_problem(p, WHEA_EINVAL, EFI_ATTR_LEN + WHEA_RECORD_ID_OFFSET, 8, "record id 0x%llx is reserved", (unsigned long long)id);
	v->kind = VAR_OK;
	v->id = id;
	v->reclen = r.record_length;
}

/* Reads a whole file (at most EFI_MAX_FILE + 1 bytes, so an oversized one is noticed) into a buffer
 * from os->alloc. st_size is only a hint: efivarfs may report sizes lazily. Returns the byte count
 * or -errno. */
static int64_t read_all(efivars *e, int fd, uint64_t st_size, uint8_t **out)
{
	uint64_t cap = st_size + 1 < 256 ? 256 : st_size + 1, n = 0;
	if (cap > EFI_MAX_FILE + 1)
		cap = EFI_MAX_FILE + 1;
	uint8_t *b = mem_alloc(e, cap);
	if (!b)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > EFI_MAX_FILE)
				break;
			uint64_t nc = cap * 2 > EFI_MAX_FILE + 1 ? EFI_MAX_FILE + 1 : cap * 2;
			uint8_t *nb = e->os->realloc(e->os->ctx, b, nc);
			if (!nb) {
				mem_free(e, b);
				return -ENOMEM;
			}
			b = nb;
			cap = nc;
		}
		int64_t got = e->os->pread(e->os->ctx, fd, b + n, cap - n, n);
		if (got < 0) {
			mem_free(e, b);
			return got;
		}
		if (got == 0)
			break;
		n += (uint64_t)got;
	}
	*out = b;
	return (int64_t)n;
}

/* Loads variable num into v and classifies it (problems into p). With keep, a VAR_OK variable's
 * content is handed back (the caller frees it with mem_free). Returns 0, 1 when the variable has
 * vanished since the listing, or WHEA_ENOMEM. Unreadable variables come back as VAR_BAD. */
static int load(efivars *e, unsigned num, efi_var *v, var_problem *p, uint8_t **keep)
{
	const char *path = var_path(e, num);
	memset(v, 0, sizeof *v);
	v->num = (uint16_t)num;
	v->kind = VAR_BAD;
	p->code = 0;
	int fd, rc = e->os->open(e->os->ctx, path, WHEA_OS_RDONLY, &fd);
	if (rc == -ENOENT)
		return 1;
	if (rc == -ENOMEM)
		return no_memory(path);
	if (rc < 0) {
		set_problem(p, WHEA_EIO, 0, 0, "cannot open: %s", strerror(-rc));
		v->retry = 1;
		return 0;
	}
	whea_os_stat st = {0};
	uint8_t *b = NULL;
	int64_t n = 0;
	rc = e->os->fstat(e->os->ctx, fd, &st);
	if (rc < 0)
		set_problem(p, WHEA_EIO, 0, 0, "cannot stat: %s", strerror(-rc));
	else if ((st.mode & S_IFMT) != S_IFREG)
		set_problem(p, WHEA_EFORMAT, 0, 0, "not a regular file");
	else if ((n = read_all(e, fd, st.size, &b)) == -ENOMEM)
		rc = WHEA_ENOMEM;
	else if (n < 0)
		set_problem(p, WHEA_EIO, 0, 0, "cannot read: %s", strerror((int)-n));
	else if ((uint64_t)n > EFI_MAX_FILE)
		set_problem(p, WHEA_EFORMAT, 0, (uint64_t)n, "larger than any record the store accepts (%u bytes)",
			    WHEA_STORE_MAX_RECORD);
	else
		classify(b, (uint64_t)n, v, p);
	e->os->close(e->os->ctx, fd);
	if (rc == WHEA_ENOMEM)
		return no_memory(path);
	v->retry = p->code == WHEA_EIO;
	v->size = n > 0 ? (uint64_t)n : st.size;
	if (keep && v->kind == VAR_OK)
		*keep = b;
	else
		mem_free(e, b);
	return 0;
}

/* ---- the index ------------------------------------------------------------------------------ */

static int on_entry(void *arg, const char *name)
{
	efivars *e = arg;
	long num = parse_name(name);
	if (num >= 0)
		e->seen[num / 64] |= 1ull << (num % 64);
	return 0;
}

static int seen_has(const efivars *e, unsigned num) { return (e->seen[num / 64] >> (num % 64)) & 1; }

static int cmp_ref(const void *a, const void *b)
{
	const id_ref *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Rebuilds byid from vars: when several variables hold one record id, the highest-numbered one is
 * the record and the others become VAR_DUP. Also sums the sizes. */
static int rebuild_byid(efivars *e)
{
	id_ref *r = mem_alloc(e, e->nvars * sizeof *r);
	if (!r)
		return no_memory(e->dir);
	size_t n = 0;
	e->used = e->file_bytes = e->damaged = 0;
	for (size_t i = 0; i < e->nvars; i++) {
		efi_var *v = &e->vars[i];
		e->file_bytes += v->size;
		e->used += var_cost(v->size > EFI_ATTR_LEN ? v->size - EFI_ATTR_LEN : 0);
		if (v->kind == VAR_DUP)
			v->kind = VAR_OK;
		if (v->kind == VAR_OK)
			r[n++] = (id_ref){v->id, (uint32_t)i};
		else
			e->damaged++;
	}
	qsort(r, n, sizeof *r, cmp_ref);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && r[i + 1].id == r[i].id) {
			e->vars[r[i].idx].kind = VAR_DUP;
			e->damaged++;
			continue;
		}
		r[k++] = r[i];
	}
	mem_free(e, e->byid);
	e->byid = r;
	e->nbyid = k;
	return 0;
}

typedef struct reporter {
	whea_store_problem_fn fn;
	void *ctx;
	int count;
} reporter;

static void report(reporter *rep, const char *path, const var_problem *p)
{
	rep->count++;
	if (rep->fn) {
		whea_store_problem wp = {path, p->offset, p->length, p->code, p->msg};
		rep->fn(rep->ctx, &wp);
	}
}

/* Whether the listing just taken shows exactly the variables of the index. */
static int listing_unchanged(const efivars *e, size_t n)
{
	if (n != e->nvars)
		return 0;
	for (size_t i = 0; i < e->nvars; i++)
		if (!seen_has(e, e->vars[i].num) || e->vars[i].retry)
			return 0;
	return 1;
}

/* Lists the directory and brings the index up to date: new variables are read, vanished ones
 * dropped; with force every variable is read again (and, with rep, every damaged one reported).
 * Without force a variable keeps what it was read as: efivarfs cannot rewrite a file in place, and
 * whatever is read or deleted later is checked afresh (fetch, remove_record). */
static int refresh(efivars *e, int force, reporter *rep)
{
	memset(e->seen, 0, EFI_SEEN_WORDS * sizeof *e->seen);
	int rc = e->os->listdir(e->os->ctx, e->dir, on_entry, e);
	if (rc < 0)
		return os_fail(rc, e->dir, "cannot list the variables in");
	size_t n = 0;
	for (unsigned w = 0; w < EFI_SEEN_WORDS; w++)
		n += (size_t)__builtin_popcountll(e->seen[w]);
	if (!force && e->byid && listing_unchanged(e, n))
		return 0;
	efi_var *nv = mem_alloc(e, n * sizeof *nv);
	if (!nv)
		return no_memory(e->dir);
	size_t k = 0, j = 0;
	for (unsigned num = 0; num < EFI_NUMS && k < n; num++) {
		if (!seen_has(e, num))
			continue;
		while (j < e->nvars && e->vars[j].num < num)
			j++;
		if (!force && j < e->nvars && e->vars[j].num == num && !e->vars[j].retry) {
			nv[k++] = e->vars[j];
			continue;
		}
		var_problem p;
		rc = load(e, num, &nv[k], &p, NULL);
		if (rc < 0) {
			mem_free(e, nv);
			return rc;
		}
		if (rc == 1)
			continue;
		if (nv[k].kind == VAR_BAD && rep)
			report(rep, var_path(e, num), &p);
		k++;
	}
	mem_free(e, e->vars);
	e->vars = nv;
	e->nvars = k;
	return rebuild_byid(e);
}

/* The index into vars of the record with this id, or -1. */
static long find_id(const efivars *e, uint64_t id)
{
	size_t lo = 0, hi = e->nbyid;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->byid[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nbyid && e->byid[lo].id == id ? (long)e->byid[lo].idx : -1;
}

/* The first VAR_OK variable at index from or later, or -1. */
static long next_ok(const efivars *e, size_t from)
{
	for (size_t i = from; i < e->nvars; i++)
		if (e->vars[i].kind == VAR_OK)
			return (long)i;
	return -1;
}

/* Deletes variable num: efivarfs creates them immutable, so clear the flag first. */
static int remove_var(efivars *e, unsigned num)
{
	const char *path = var_path(e, num);
	int fd, rc = e->os->open(e->os->ctx, path, WHEA_OS_RDONLY, &fd);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return os_fail(rc, path, "cannot open");
	rc = e->os->make_mutable(e->os->ctx, fd);
	e->os->close(e->os->ctx, fd);
	if (rc < 0)
		return os_fail(rc, path, "cannot clear the immutable flag of");
	rc = e->os->unlink(e->os->ctx, path);
	if (rc < 0 && rc != -ENOENT)
		return os_fail(rc, path, "cannot delete");
	return 0;
}

/* Deletes variable num if it still holds record id (the index may be older than the directory).
 * Returns 1 when deleted, 0 when it holds something else or is gone, or an error. */
static int remove_record(efivars *e, unsigned num, uint64_t id)
{
	efi_var v;
	var_problem p;
	int rc = load(e, num, &v, &p, NULL);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	if (v.kind == VAR_BAD || v.id != id)
		return 0;
	rc = remove_var(e, num);
	return rc < 0 ? rc : 1;
}

/* Deletes the stale duplicates (the lower-numbered copies of a record id) found by the last scan. */
static int remove_duplicates(efivars *e)
{
	int removed = 0;
	for (size_t i = 0; i < e->nvars; i++) {
		if (e->vars[i].kind != VAR_DUP)
			continue;
		int rc = remove_record(e, e->vars[i].num, e->vars[i].id);
		if (rc < 0)
			return rc;
		removed += rc;
	}
	if (!removed)
		return 0;
	int rc = sync_dir(e);
	return rc < 0 ? rc : refresh(e, 0, NULL);
}

static void lock_dir(efivars *e, int how)
{
	/* Serializes writers of this machine; EXCL creation keeps numbering safe without it. */
	(void)e->os->lock(e->os->ctx, e->dirfd, how);
}

/* ---- the backend functions -------------------------------------------------------------- */

/* Whether the handle may change the store: not read-only, not poisoned by a failed sync (reads
 * stay allowed: every variable read is checked afresh). */
static int writable(const efivars *e)
{
	if (e->flags & WHEA_STORE_READONLY)
		return whea_error_set(WHEA_EUNSUCCESSFUL, -1, e->dir, "the efivars store at %s is open read-only", e->dir);
	if (e->poisoned)
		return whea_error_set(WHEA_EPOISONED, -1, e->dir, "efivars store %s: an earlier sync failed; close and reopen the store",
				      e->dir);
	return 0;
}

static void efi_close(void *ctx)
{
	efivars *e = ctx;
	if (!e)
		return;
	if (e->dirfd >= 0)
		e->os->close(e->os->ctx, e->dirfd);
	mem_free(e, e->vars);
	mem_free(e, e->byid);
	mem_free(e, e->seen);
	mem_free(e, e->path);
	mem_free(e, e->dir);
	e->os->free(e->os->ctx, e);
}

/* Checks the location is a directory, creating it when allowed. */
static int check_location(const whea_store_os *os, const char *dir, uint32_t flags)
{
	whea_os_stat st;
	int rc = os->stat(os->ctx, dir, &st);
	if (rc == -ENOENT && strcmp(dir, EFI_DEFAULT_DIR) == 0)
		return whea_error_set(WHEA_ENOHW, -1, dir, "no efivarfs at %s: not booted with UEFI, or efivarfs is not mounted", dir);
	if (rc == -ENOENT && (flags & (WHEA_STORE_NOCREATE | WHEA_STORE_READONLY)))
		return whea_error_set(WHEA_ENOTFOUND, -1, dir, "no efivars store at %s", dir);
	if (rc == -ENOENT) {
		if ((rc = whea_store_mkdirs(os, dir)) != 0)
			return rc;
		rc = os->stat(os->ctx, dir, &st);
	}
	if (rc < 0)
		return os_fail(rc, dir, "cannot open the efivars directory");
	if ((st.mode & S_IFMT) != S_IFDIR)
		return whea_error_set(WHEA_EINVAL, -1, dir, "%s is not a directory", dir);
	return 0;
}

static int efi_open(void **out, const char *location, const whea_store_opts *opts)
{
	const char *dir = location && *location ? location : EFI_DEFAULT_DIR;
	const whea_store_os *os = opts && opts->os ? opts->os : whea_store_os_default();
	uint32_t flags = opts ? opts->flags : 0;
	*out = NULL;
	int rc = check_location(os, dir, flags);
	if (rc < 0)
		return rc;
	efivars *e = os->alloc(os->ctx, sizeof *e);
	if (!e)
		return no_memory(dir);
	memset(e, 0, sizeof *e);
	e->os = os;
	e->dirfd = -1;
	e->flags = flags;
	e->capacity = opts && opts->capacity ? opts->capacity : EFI_DEFAULT_CAPACITY;
	e->dirlen = strlen(dir);
	e->dir = mem_alloc(e, e->dirlen + 1);
	e->path = mem_alloc(e, e->dirlen + 1 + EFI_NAME_LEN + 1);
	e->seen = mem_alloc(e, EFI_SEEN_WORDS * sizeof *e->seen);
	if (!e->dir || !e->path || !e->seen) {
		efi_close(e);
		return no_memory(dir);
	}
	memcpy(e->dir, dir, e->dirlen + 1);
	memcpy(e->path, dir, e->dirlen);
	e->path[e->dirlen] = '/';
	rc = os->open(os->ctx, dir, WHEA_OS_DIR, &e->dirfd);
	if (rc < 0) {
		e->dirfd = -1;
		efi_close(e);
		return os_fail(rc, dir, "cannot open the efivars directory");
	}
	rc = refresh(e, 1, NULL);
	if (rc == 0 && !(flags & WHEA_STORE_READONLY)) {
		lock_dir(e, WHEA_OS_LOCK_EX);
		rc = refresh(e, 0, NULL);
		if (rc == 0)
			rc = remove_duplicates(e);
		lock_dir(e, WHEA_OS_UNLOCK);
	}
	if (rc < 0) {
		efi_close(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* Creates variable num holding attribute word + record with one write, and makes it durable. On
 * failure the half-made variable is removed. Returns 0, -EEXIST (number taken: try another) or a
 * WHEA code. */
static int create_var(efivars *e, unsigned num, const whea_store_item *it)
{
	const char *path = var_path(e, num);
	size_t n = EFI_ATTR_LEN + (size_t)it->length;
	uint8_t *b = mem_alloc(e, n);
	if (!b)
		return no_memory(path);
	whea_st32(b, WHEA_EFI_HW_ERROR_ATTRIBUTES);
	memcpy(b + EFI_ATTR_LEN, it->record, it->length);
	int fd, rc = e->os->open(e->os->ctx, path, WHEA_OS_RDWR | WHEA_OS_CREATE | WHEA_OS_EXCL, &fd);
	if (rc == -EEXIST) {
		mem_free(e, b);
		return -EEXIST;
	}
	if (rc < 0) {
		mem_free(e, b);
		return os_fail(rc, path, "cannot create");
	}
	int64_t w = e->os->pwrite(e->os->ctx, fd, b, n, 0);
	mem_free(e, b);
	if (w < 0)
		rc = os_fail((int)w, path, "cannot write");
	else if ((size_t)w != n)
		rc = whea_error_set(WHEA_EIO, -1, path, "short write to %s: %lld of %zu bytes", base_name(path), (long long)w, n);
	else
		rc = sync_file(e, fd, var_path(e, num));
	if (rc < 0)
		(void)e->os->make_mutable(e->os->ctx, fd);
	e->os->close(e->os->ctx, fd);
	if (rc < 0)
		(void)e->os->unlink(e->os->ctx, var_path(e, num));
	return rc;
}

/* The first free variable number at or after from (wrapping), or -1 when all are taken. */
static long free_num(const efivars *e, unsigned from)
{
	for (unsigned i = 0; i < EFI_NUMS; i++) {
		unsigned num = (from + i) % EFI_NUMS;
		if (!seen_has(e, num))
			return num;
	}
	return -1;
}

static unsigned first_candidate(const efivars *e)
{
	for (unsigned num = EFI_NUMS; num-- > 0;)
		if (seen_has(e, num))
			return (num + 1) % EFI_NUMS;
	return 0;
}

/* Marks in skip[] every item a later item of the batch replaces (same id). */
static int batch_skips(efivars *e, const uint64_t *ids, size_t count, uint8_t *skip)
{
	memset(skip, 0, count);
	if (count < 2)
		return 0;
	id_ref *r = mem_alloc(e, count * sizeof *r);
	if (!r)
		return no_memory(e->dir);
	for (size_t i = 0; i < count; i++)
		r[i] = (id_ref){ids[i], (uint32_t)i};
	qsort(r, count, sizeof *r, cmp_ref);
	for (size_t i = 0; i + 1 < count; i++)
		if (r[i].id == r[i + 1].id)
			skip[r[i].idx] = 1;
	mem_free(e, r);
	return 0;
}

/* Removes the variables created so far by a failed batch. */
static void roll_back(efivars *e, const uint16_t *made, size_t n)
{
	for (size_t i = 0; i < n; i++)
		(void)remove_var(e, made[i]);
	if (n)
		(void)e->os->sync(e->os->ctx, e->dirfd);
}

/* Deletes the old variables of the replaced ids (those in the index before the batch). */
static int remove_replaced(efivars *e, const uint64_t *ids, const uint8_t *skip, size_t count)
{
	int removed = 0;
	for (size_t i = 0; i < e->nvars; i++) {
		efi_var *v = &e->vars[i];
		if (v->kind == VAR_BAD)
			continue;
		for (size_t j = 0; j < count; j++) {
			if (skip[j] || ids[j] != v->id)
				continue;
			int rc = remove_record(e, v->num, v->id);
			if (rc < 0)
				return rc;
			removed += rc;
			break;
		}
	}
	return removed ? sync_dir(e) : 0;
}

static int check_space(efivars *e, const whea_store_item *items, const uint8_t *skip, size_t count)
{
	uint64_t need = 0;
	for (size_t i = 0; i < count; i++)
		if (!skip[i])
			need += var_cost(items[i].length);
	if (e->used + need <= e->capacity)
		return 0;
	return whea_error_set(WHEA_EFULL, -1, e->dir,
			      "efivars store full: %zu record(s) need %llu bytes, %llu of the %llu bytes capacity are used", count,
			      (unsigned long long)need, (unsigned long long)e->used, (unsigned long long)e->capacity);
}

static int write_locked(efivars *e, const whea_store_item *items, const uint64_t *ids, size_t count, uint8_t *skip,
			uint16_t *made)
{
	int rc = refresh(e, 0, NULL);
	if (rc == 0)
		rc = batch_skips(e, ids, count, skip);
	if (rc == 0)
		rc = check_space(e, items, skip, count);
	if (rc < 0)
		return rc;
	size_t nmade = 0;
	unsigned from = first_candidate(e);
	for (size_t i = 0; i < count && rc == 0; i++) {
		if (skip[i])
			continue;
		for (;;) {
			long num = free_num(e, from);
			if (num < 0) {
				rc = whea_error_set(WHEA_EFULL, -1, e->dir, "efivars store full: all 65536 HwErrRec variable numbers are in use");
				break;
			}
			e->seen[num / 64] |= 1ull << (num % 64);
			from = (unsigned)(num + 1) % EFI_NUMS;
			rc = create_var(e, (unsigned)num, &items[i]);
			if (rc != -EEXIST) {
				if (rc == 0)
					made[nmade++] = (uint16_t)num;
				break;
			}
		}
	}
	if (rc == 0)
		rc = sync_dir(e);
	if (rc < 0) {
		roll_back(e, made, nmade);
		return rc;
	}
	return remove_replaced(e, ids, skip, count);
}

static int efi_write(void *ctx, const whea_store_item *items, const uint64_t *ids, size_t count)
{
	efivars *e = ctx;
	int ur = writable(e);
	if (ur < 0)
		return ur;
	if (count == 0)
		return refresh(e, 0, NULL); /* the dummy write: the variables can still be listed */
	uint8_t *skip = mem_alloc(e, count);
	uint16_t *made = mem_alloc(e, count * sizeof *made);
	int rc = skip && made ? 0 : no_memory(e->dir);
	if (rc == 0) {
		lock_dir(e, WHEA_OS_LOCK_EX);
		rc = write_locked(e, items, ids, count, skip, made);
		lock_dir(e, WHEA_OS_UNLOCK);
	}
	mem_free(e, skip);
	mem_free(e, made);
	return rc;
}

/* Reads variable idx (expected to hold record id) and checks it still does. Returns 0 with the
 * content in *b, 1 when the variable changed under us (refresh and retry), or an error. */
static int fetch(efivars *e, long idx, uint8_t **b)
{
	efi_var v;
	var_problem p;
	const efi_var *want = &e->vars[idx];
	*b = NULL;
	int rc = load(e, want->num, &v, &p, b);
	if (rc < 0)
		return rc;
	if (rc == 0 && v.kind == VAR_OK && v.id == want->id && v.reclen == want->reclen)
		return 0;
	mem_free(e, *b);
	*b = NULL;
	return 1;
}

static int efi_read(void *ctx, uint64_t id, uint64_t *next_id, uint32_t *length, void *buf)
{
	efivars *e = ctx;
	for (int attempt = 0; attempt < 3; attempt++) {
		int rc = refresh(e, attempt > 0, NULL);
		if (rc < 0)
			return rc;
		if (e->nbyid == 0)
			return whea_error_set(WHEA_EEMPTY, -1, e->dir, "the efivars store at %s holds no record", e->dir);
		long idx = id == WHEA_STORE_ID_FIRST ? next_ok(e, 0) : find_id(e, id);
		if (idx < 0)
			return whea_error_set(WHEA_ENOTFOUND, -1, e->dir, "no record with id 0x%llx in %s", (unsigned long long)id, e->dir);
		uint8_t *b;
		rc = fetch(e, idx, &b);
		if (rc < 0)
			return rc;
		if (rc == 1)
			continue;
		const efi_var *v = &e->vars[idx];
		if (*length < v->reclen) {
			mem_free(e, b);
			uint32_t have = *length;
			*length = v->reclen;
			return whea_error_set(WHEA_ENOSPACE, -1, var_path(e, v->num), "record 0x%llx needs %u bytes, the buffer holds %u",
					      (unsigned long long)v->id, v->reclen, have);
		}
		memcpy(buf, b + EFI_ATTR_LEN, v->reclen);
		mem_free(e, b);
		*length = v->reclen;
		long nx = next_ok(e, (size_t)idx + 1);
		*next_id = nx < 0 ? v->id : e->vars[nx].id;
		return 0;
	}
	return whea_error_set(WHEA_EIO, -1, e->dir, "the variables in %s keep changing while being read", e->dir);
}

/* Deletes every variable holding id, stale duplicates included, so none resurfaces. Returns the
 * number deleted, or an error; *stale is set when the index named a variable that holds something
 * else by now. */
static int clear_locked(efivars *e, uint64_t id, int *stale)
{
	int removed = 0;
	for (size_t i = 0; i < e->nvars; i++) {
		if (e->vars[i].kind == VAR_BAD || e->vars[i].id != id)
			continue;
		int rc = remove_record(e, e->vars[i].num, id);
		if (rc < 0)
			return rc;
		removed += rc;
		*stale |= rc == 0;
	}
	return removed;
}

static int efi_clear(void *ctx, uint64_t id)
{
	efivars *e = ctx;
	int rc = writable(e), stale = 0;
	if (rc < 0)
		return rc;
	lock_dir(e, WHEA_OS_LOCK_EX);
	rc = refresh(e, 0, NULL);
	if (rc == 0)
		rc = clear_locked(e, id, &stale);
	if (rc >= 0 && stale) { /* the index was out of date: read every variable again */
		int more = refresh(e, 1, NULL);
		if (more == 0)
			more = clear_locked(e, id, &stale);
		rc = more < 0 ? more : rc + more;
	}
	if (rc == 0)
		rc = whea_error_set(WHEA_ENOTFOUND, -1, e->dir, "no record with id 0x%llx in %s", (unsigned long long)id, e->dir);
	else if (rc > 0)
		rc = sync_dir(e);
	lock_dir(e, WHEA_OS_UNLOCK);
	return rc;
}

static int efi_stat(void *ctx, whea_store_stat *st)
{
	efivars *e = ctx;
	int rc = refresh(e, 0, NULL);
	if (rc < 0)
		return rc;
	memset(st, 0, sizeof *st);
	st->count = e->nbyid;
	st->capacity = e->capacity;
	st->used = e->used;
	st->free = e->capacity > e->used ? e->capacity - e->used : 0;
	st->file_bytes = e->file_bytes;
	st->damaged = e->damaged;
	return 0;
}

/* Iterates in record-id order: the cursor is the last id returned, so records written or cleared
 * meanwhile (replacements included) never make another one visited twice or skipped. */
static int efi_next(void *ctx, uint64_t *cursor, uint64_t *id)
{
	efivars *e = ctx;
	int rc = refresh(e, 0, NULL);
	if (rc < 0)
		return rc;
	size_t lo = 0, hi = e->nbyid;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (e->byid[mid].id <= *cursor)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == e->nbyid)
		return whea_error_set(WHEA_ENOTFOUND, -1, e->dir, "no more records");
	*cursor = *id = e->byid[lo].id;
	return 0;
}

static int efi_verify(void *ctx, whea_store_problem_fn fn, void *fnctx)
{
	efivars *e = ctx;
	reporter rep = {fn, fnctx, 0};
	int rc = refresh(e, 1, &rep);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < e->nvars; i++) {
		const efi_var *v = &e->vars[i];
		if (v->kind != VAR_DUP)
			continue;
		var_problem p;
		long keep = find_id(e, v->id);
		char other[EFI_NAME_LEN + 1];
		format_name(other, keep >= 0 ? e->vars[keep].num : v->num);
		set_problem(&p, WHEA_EFORMAT, EFI_ATTR_LEN + WHEA_RECORD_ID_OFFSET, 8, "stale copy of record 0x%llx: %s holds the newer one",
			    (unsigned long long)v->id, other);
		report(&rep, var_path(e, v->num), &p);
	}
	return rep.count;
}

/* No dead space of its own (firmware reclaims NVRAM): compaction only drops stale duplicates. */
static int efi_compact(void *ctx)
{
	efivars *e = ctx;
	int ur = writable(e);
	if (ur < 0)
		return ur;
	lock_dir(e, WHEA_OS_LOCK_EX);
	int rc = refresh(e, 0, NULL);
	if (rc == 0)
		rc = remove_duplicates(e);
	lock_dir(e, WHEA_OS_UNLOCK);
	return rc;
}

const whea_store_backend whea_store_backend_efivars = {
	.size = sizeof(whea_store_backend),
	.version = WHEA_STORE_BACKEND_VERSION,
	.name = "efivars",
	.open = efi_open,
	.close = efi_close,
	.write = efi_write,
	.read = efi_read,
	.clear = efi_clear,
	.stat = efi_stat,
	.next = efi_next,
	.verify = efi_verify,
	.compact = efi_compact,
};
