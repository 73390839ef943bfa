/* tests/store/test_efivars.c — the "efivars" store backend against a temporary directory laid out
 * exactly like efivarfs (HwErrRec####-<guid> files holding the attribute word and the record):
 * write/read/clear, the next-id chain, buffer too small, not found, empty, replacing an id,
 * garbage and foreign variables, a wrong attribute word, truncation, duplicates, capacity and
 * ENOSPC, numbering and wrap-around, batches, reopen persistence, byte-exact files, failed syncs
 * and allocation failures at every call, and the front end on top. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include "../check.h"
#include "util/le.h"
#include "whea/record.h"
#include "whea/store.h"
#include "../files.h"

extern const whea_store_backend whea_store_backend_efivars;
static const whea_store_backend *B = &whea_store_backend_efivars;

#define GUID WHEA_EFI_HW_ERROR_VARIABLE_GUID_STR
static char root[256];

/* ---- a fault-injecting OS table around the real one --------------------------------------- */

typedef struct faults {
	int pwrite_errno;      /* pwrite fails with -this (0: no) */
	int pread_fails;       /* the next this many preads fail with -EIO */
	int sync_errno;        /* sync of a file fails with -this */
	long alloc_fail_at;    /* the n-th alloc/realloc fails (1-based; 0: never) */
	long allocs;
	long file_syncs, dir_syncs, pwrites;
} faults;
static faults F;
static whea_store_os tos;

static int is_dir_fd(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

static int64_t f_pwrite(void *ctx, int fd, const void *buf, size_t n, uint64_t off)
{
	F.pwrites++;
	if (F.pwrite_errno)
		return -F.pwrite_errno;
	return whea_store_os_default()->pwrite(ctx, fd, buf, n, off);
}
static int64_t f_pread(void *ctx, int fd, void *buf, size_t n, uint64_t off)
{
	if (F.pread_fails > 0) {
		F.pread_fails--;
		return -EIO;
	}
	return whea_store_os_default()->pread(ctx, fd, buf, n, off);
}
static int f_sync(void *ctx, int fd)
{
	int d = is_dir_fd(fd);
	d ? F.dir_syncs++ : F.file_syncs++;
	if (F.sync_errno && !d)
		return -F.sync_errno;
	return whea_store_os_default()->sync(ctx, fd);
}
static int alloc_fails(void) { return F.alloc_fail_at && ++F.allocs == F.alloc_fail_at; }
static void *f_alloc(void *ctx, size_t n) { return alloc_fails() ? NULL : whea_store_os_default()->alloc(ctx, n); }
static void *f_realloc(void *ctx, void *p, size_t n) { return alloc_fails() ? NULL : whea_store_os_default()->realloc(ctx, p, n); }

static void faults_init(void)
{
	tos = *whea_store_os_default();
	tos.pwrite = f_pwrite;
	tos.pread = f_pread;
	tos.sync = f_sync;
	tos.alloc = f_alloc;
	tos.realloc = f_realloc;
	memset(&F, 0, sizeof F);
}

/* ---- helpers -------------------------------------------------------------------------------- */

/* A valid record with this id and `fill` bytes of section body set to tag. Returns its length. */
static uint32_t make_record(uint8_t *buf, size_t cap, uint64_t id, uint32_t fill, uint8_t tag)
{
	whea_builder b;
	whea_record_init init = WHEA_RECORD_INIT_DEFAULTS;
	init.severity = WHEA_SEV_CORRECTED;
	init.record_id = id;
	init.creator = WHEA_CREATOR_OPENWHEA;
	if (whea_builder_init(&b, buf, cap, 1, &init))
		return 0;
	uint8_t *body;
	if (whea_builder_add_section(&b, &whea_section_by_key("GenericProcessor", 16)->guid, fill, WHEA_SEV_CORRECTED, 0, &body) < 0)
		return 0;
	memset(body, tag, fill);
	return (uint32_t)whea_builder_length(&b);
}

static const char *var_file(const char *dir, unsigned num)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/HwErrRec%04X-%s", dir, num, GUID);
	return p;
}

static void put_file(const char *path, const void *a, size_t an, const void *b, size_t bn)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(a, 1, an, f);
	if (bn)
		fwrite(b, 1, bn, f);
	fclose(f);
}

/* Writes a variable the way firmware would: attribute word, then data. */
static void put_var(const char *dir, unsigned num, uint32_t attr, const void *data, size_t n)
{
	uint8_t a[4];
	whea_st32(a, attr);
	put_file(var_file(dir, num), a, 4, data, n);
}


static int exists(const char *path) { return access(path, F_OK) == 0; }

static unsigned count_files(const char *dir)
{
	DIR *d = opendir(dir);
	unsigned n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[600];
	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (unlink(p) != 0)
			rm_tree(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static const char *fresh_dir(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", root, name);
	rm_tree(p);
	return p;
}

static whea_store_opts opts_with(uint64_t capacity, uint32_t flags)
{
	whea_store_opts o = {.size = sizeof o, .version = WHEA_STORE_OPTS_VERSION, .capacity = capacity, .flags = flags};
	o.os = &tos;
	return o;
}

static void *open_dir(const char *dir, uint64_t capacity, uint32_t flags, int *rc)
{
	whea_store_opts o = opts_with(capacity, flags);
	void *ctx = NULL;
	*rc = B->open(&ctx, dir, &o);
	return ctx;
}

static int put1(void *ctx, const uint8_t *rec, uint32_t len)
{
	whea_store_item it = {rec, len};
	uint64_t id = whea_le64(rec + 96);
	return B->write(ctx, &it, &id, 1);
}

/* Walks the next-id chain from id 0 into ids[]; returns the count (or a negative code). */
static int walk(void *ctx, uint64_t *ids, int max)
{
	uint64_t id = 0, next;
	uint8_t buf[4096];
	int n = 0;
	for (;;) {
		uint32_t len = sizeof buf;
		int rc = B->read(ctx, id, &next, &len, buf);
		if (rc)
			return n ? -1000 + rc : rc;
		if (n == max)
			return -2000;
		ids[n++] = whea_le64(buf + 96);
		if (next == whea_le64(buf + 96))
			return n;
		id = next;
	}
}

/* ---- the tests ------------------------------------------------------------------------------ */

static void test_empty(void)
{
	const char *dir = fresh_dir("empty");
	int rc;
	void *s = open_dir(dir, 0, WHEA_STORE_NOCREATE, &rc);
	CHECK(rc == WHEA_ENOTFOUND && !s, "NOCREATE on a missing directory: %s", whea_error_name(rc));
	s = open_dir(dir, 0, WHEA_STORE_READONLY, &rc);
	CHECK(rc == WHEA_ENOTFOUND && !s, "READONLY on a missing directory: %s", whea_error_name(rc));
	s = open_dir(dir, 0, 0, &rc);
	CHECK(rc == 0 && s, "open creates the directory: %s", whea_error_last()->message);
	if (!s)
		return;
	uint64_t next = 77, cursor = 0, id;
	uint32_t len = 100;
	uint8_t buf[100];
	CHECK_EQ_U(B->read(s, 0, &next, &len, buf), (uint64_t)WHEA_EEMPTY, "read id 0 of an empty store");
	CHECK_EQ_U(B->read(s, 5, &next, &len, buf), (uint64_t)WHEA_EEMPTY, "read id 5 of an empty store");
	CHECK_EQ_U(next, 77, "next_id untouched");
	CHECK_EQ_U(B->clear(s, 5), (uint64_t)WHEA_ENOTFOUND, "clear in an empty store");
	CHECK_EQ_U(B->next(s, &cursor, &id), (uint64_t)WHEA_ENOTFOUND, "next in an empty store");
	whea_store_stat st;
	CHECK(B->stat(s, &st) == 0, "stat");
	CHECK_EQ_U(st.count, 0, "count");
	CHECK_EQ_U(st.capacity, 64 * 1024, "default capacity");
	CHECK_EQ_U(st.free, 64 * 1024, "free");
	CHECK_EQ_U(B->verify(s, NULL, NULL), 0, "verify of an empty store");
	B->close(s);
	CHECK_EQ_U(count_files(dir), 0, "nothing written");
}

static void test_basic(void)
{
	const char *dir = fresh_dir("basic");
	int rc;
	void *s = open_dir(dir, 0, 0, &rc);
	CHECK(rc == 0, "open: %s", whea_error_last()->message);
	if (!s)
		return;
	static uint8_t rec[3][1024];
	uint32_t len[3];
	for (int i = 0; i < 3; i++) {
		len[i] = make_record(rec[i], sizeof rec[i], 100 * (i + 1), 40 + 10 * i, (uint8_t)(0xA0 + i));
		CHECK(len[i] > 0, "record %d built", i);
		rc = put1(s, rec[i], len[i]);
		CHECK(rc == 0, "write %d: %s", i, whea_error_last()->message);
	}
	/* The files are byte-exact: attribute word 0x0000000F little-endian, then the record. */
	for (int i = 0; i < 3; i++) {
		size_t n;
		uint8_t *b = test_read_file(var_file(dir, (unsigned)i), &n);
		CHECK(b != NULL, "HwErrRec%04X exists", i);
		if (!b)
			continue;
		CHECK_EQ_U(n, 4 + len[i], "file size");
		CHECK(b[0] == 0x0F && b[1] == 0 && b[2] == 0 && b[3] == 0, "attribute prefix %02x %02x %02x %02x", b[0], b[1], b[2], b[3]);
		CHECK(n == 4 + len[i] && memcmp(b + 4, rec[i], len[i]) == 0, "record bytes %d", i);
		free(b);
	}
	CHECK_EQ_U(count_files(dir), 3, "three variables");

	/* The chain from id 0 in variable-number order; the last one points at itself. */
	uint8_t buf[1024];
	uint64_t next = 0;
	uint32_t l = sizeof buf;
	CHECK(B->read(s, 0, &next, &l, buf) == 0, "read id 0");
	CHECK_EQ_U(l, len[0], "length of the first");
	CHECK(memcmp(buf, rec[0], len[0]) == 0, "first record's bytes");
	CHECK_EQ_U(next, 200, "next after the first");
	l = sizeof buf;
	CHECK(B->read(s, 200, &next, &l, buf) == 0 && next == 300, "read 200 -> next 300");
	l = sizeof buf;
	CHECK(B->read(s, 300, &next, &l, buf) == 0 && next == 300, "read 300 -> next is itself");
	CHECK(memcmp(buf, rec[2], len[2]) == 0, "last record's bytes");

	/* Buffer too small: the needed length, next_id untouched. */
	next = 12345;
	l = 10;
	CHECK_EQ_U(B->read(s, 200, &next, &l, buf), (uint64_t)WHEA_ENOSPACE, "small buffer");
	CHECK_EQ_U(l, len[1], "needed length reported");
	CHECK_EQ_U(next, 12345, "next_id untouched on ENOSPACE");
	l = len[1];
	CHECK(B->read(s, 200, &next, &l, buf) == 0, "exactly the record's length is enough");
	l = sizeof buf;
	CHECK_EQ_U(B->read(s, 999, &next, &l, buf), (uint64_t)WHEA_ENOTFOUND, "unknown id");
	CHECK(strstr(whea_error_last()->message, "0x3e7") != NULL, "message names the id: %s", whea_error_last()->message);

	/* Replacing id 200: a new variable after the highest, the old one deleted. */
	uint8_t newer[1024];
	uint32_t nl = make_record(newer, sizeof newer, 200, 90, 0xEE);
	CHECK(put1(s, newer, nl) == 0, "replace 200: %s", whea_error_last()->message);
	CHECK(!exists(var_file(dir, 1)), "old variable of 200 deleted");
	CHECK(exists(var_file(dir, 3)), "new variable HwErrRec0003");
	l = sizeof buf;
	CHECK(B->read(s, 200, &next, &l, buf) == 0 && l == nl && memcmp(buf, newer, nl) == 0, "200 reads the new content");
	CHECK_EQ_U(next, 200, "200 is now the last in number order");
	uint64_t ids[8];
	int n = walk(s, ids, 8);
	CHECK(n == 3 && ids[0] == 100 && ids[1] == 300 && ids[2] == 200, "chain 100 300 200 (got %d)", n);

	/* next: every record once, in id order. */
	uint64_t cursor = 0, id, seen[8];
	int k = 0;
	while (k < 8 && B->next(s, &cursor, &id) == 0)
		seen[k++] = id;
	CHECK(k == 3 && seen[0] == 100 && seen[1] == 200 && seen[2] == 300, "next visits 100 200 300 (got %d)", k);

	/* Clear. */
	CHECK(B->clear(s, 100) == 0, "clear 100: %s", whea_error_last()->message);
	CHECK(!exists(var_file(dir, 0)), "variable of 100 deleted");
	CHECK_EQ_U(B->clear(s, 100), (uint64_t)WHEA_ENOTFOUND, "clear twice");
	l = sizeof buf;
	CHECK_EQ_U(B->read(s, 100, &next, &l, buf), (uint64_t)WHEA_ENOTFOUND, "cleared id not found");
	whea_store_stat st;
	CHECK(B->stat(s, &st) == 0, "stat");
	CHECK_EQ_U(st.count, 2, "count after clear");
	CHECK_EQ_U(st.used, 26 + len[2] + 26 + nl, "used = UCS-2 names + data");
	CHECK_EQ_U(st.file_bytes, 4 + len[2] + 4 + nl, "file bytes");
	CHECK_EQ_U(st.free, 65536 - st.used, "free");
	B->close(s);

	/* Reopen: everything still there, byte-identical. */
	s = open_dir(dir, 0, WHEA_STORE_READONLY, &rc);
	CHECK(rc == 0, "reopen read-only: %s", whea_error_last()->message);
	if (!s)
		return;
	l = sizeof buf;
	CHECK(B->read(s, 300, &next, &l, buf) == 0 && l == len[2] && memcmp(buf, rec[2], l) == 0, "300 after reopen");
	l = sizeof buf;
	CHECK(B->read(s, 200, &next, &l, buf) == 0 && l == nl && memcmp(buf, newer, l) == 0, "200 after reopen");
	CHECK_EQ_U(B->write(s, &(whea_store_item){newer, nl}, &(uint64_t){200}, 1), (uint64_t)WHEA_EUNSUCCESSFUL, "read-only write");
	CHECK_EQ_U(B->clear(s, 200), (uint64_t)WHEA_EUNSUCCESSFUL, "read-only clear");
	B->close(s);
}

typedef struct problems {
	int n;
	char file[8][600];
	uint64_t off[8];
	int code[8];
	char msg[8][200];
} problems;

static void on_problem(void *ctx, const whea_store_problem *p)
{
	problems *P = ctx;
	if (P->n < 8) {
		snprintf(P->file[P->n], sizeof P->file[0], "%s", p->file);
		P->off[P->n] = p->offset;
		P->code[P->n] = p->code;
		snprintf(P->msg[P->n], sizeof P->msg[0], "%s", p->msg);
	}
	P->n++;
}

/* The problem reported for variable num, or -1. */
static int problem_for(const problems *P, const char *dir, unsigned num)
{
	for (int i = 0; i < P->n && i < 8; i++)
		if (!strcmp(P->file[i], var_file(dir, num)))
			return i;
	return -1;
}

static void test_bad_variables(void)
{
	const char *dir = fresh_dir("bad");
	mkdir(dir, 0755);
	uint8_t rec[1024], rec2[1024];
	uint32_t len = make_record(rec, sizeof rec, 0x1111, 64, 1);
	uint32_t len2 = make_record(rec2, sizeof rec2, 0x2222, 64, 2);
	put_var(dir, 0x0001, 0x0F, rec, len);                 /* good */
	uint8_t garbage[300];
	for (unsigned i = 0; i < sizeof garbage; i++)
		garbage[i] = (uint8_t)(i * 37 + 11);
	put_var(dir, 0x0002, 0x0F, garbage, sizeof garbage);   /* not CPER */
	put_var(dir, 0x0003, 0x07, rec2, len2);                 /* wrong attribute word (no HR bit) */
	put_var(dir, 0x0004, 0x0F, rec2, len2 - 30);            /* truncated */
	put_var(dir, 0x0005, 0x0F, rec2, 100);                  /* shorter than a header */
	put_file(var_file(dir, 0x0006), "\x0f\x00", 2, NULL, 0); /* shorter than the attribute word */
	uint8_t longer[1100];
	memcpy(longer, rec2, len2);
	memset(longer + len2, 0, 16);
	put_var(dir, 0x0007, 0x0F, longer, len2 + 16);          /* bytes after the record */
	/* Foreign variables: other names, other GUIDs, lowercase digits, a directory. */
	char p[600];
	snprintf(p, sizeof p, "%s/Boot0001-8be4df61-93ca-11d2-aa0d-00e098032b8c", dir);
	put_file(p, "\x07\x00\x00\x00zz", 6, NULL, 0);
	snprintf(p, sizeof p, "%s/HwErrRec0009-8be4df61-93ca-11d2-aa0d-00e098032b8c", dir);
	put_file(p, "\x0f\x00\x00\x00", 4, rec2, len2);
	snprintf(p, sizeof p, "%s/HwErrRec000a-%s", dir, GUID);
	put_file(p, "\x0f\x00\x00\x00", 4, rec2, len2);
	snprintf(p, sizeof p, "%s/HwErrRec0008-%s.bak", dir, GUID);
	put_file(p, "\x0f\x00\x00\x00", 4, rec2, len2);
	snprintf(p, sizeof p, "%s/HwErrRec0030", dir);
	put_file(p, "\x0f\x00\x00\x00", 4, rec2, len2);
	snprintf(p, sizeof p, "%s/garbage.bin", dir);
	put_file(p, garbage, sizeof garbage, NULL, 0);

	int rc;
	void *s = open_dir(dir, 0, 0, &rc);
	CHECK(rc == 0, "open with damaged and foreign variables: %s", whea_error_last()->message);
	if (!s)
		return;
	uint64_t ids[8];
	int n = walk(s, ids, 8);
	CHECK(n == 1 && ids[0] == 0x1111, "only the good record is returned (got %d)", n);
	uint8_t buf[2048];
	uint64_t next;
	uint32_t l = sizeof buf;
	CHECK_EQ_U(B->read(s, 0x2222, &next, &l, buf), (uint64_t)WHEA_ENOTFOUND, "records in damaged variables are never returned");
	whea_store_stat st;
	CHECK(B->stat(s, &st) == 0, "stat");
	CHECK_EQ_U(st.count, 1, "count");
	CHECK_EQ_U(st.damaged, 6, "damaged variables");

	problems P = {0};
	rc = B->verify(s, on_problem, &P);
	CHECK_EQ_U(rc, 6, "verify counts the damaged variables");
	CHECK_EQ_U(P.n, 6, "problems reported");
	struct {
		unsigned num;
		int code;
		uint64_t off;
		const char *word;
	} want[] = {
		{2, WHEA_EINVAL, 4, "CPER"},
		{3, WHEA_EFORMAT, 0, "attribute word is 0x7"},
		{4, WHEA_ETRUNC, 4 + len2 - 30, "truncated"},
		{5, WHEA_ETRUNC, 104, "truncated"},
		{6, WHEA_ETRUNC, 0, "attribute word"},
		{7, WHEA_EFORMAT, 4 + len2, "disagrees"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int k = problem_for(&P, dir, want[i].num);
		CHECK(k >= 0, "HwErrRec%04X reported", want[i].num);
		if (k < 0)
			continue;
		CHECK(P.code[k] == want[i].code, "HwErrRec%04X: %s, expected %s (%s)", want[i].num, whea_error_name(P.code[k]),
		      whea_error_name(want[i].code), P.msg[k]);
		CHECK(P.off[k] == want[i].off, "HwErrRec%04X: offset %" PRIu64 ", expected %" PRIu64 " (%s)", want[i].num, P.off[k],
		      want[i].off, P.msg[k]);
		CHECK(strstr(P.msg[k], want[i].word) != NULL, "HwErrRec%04X: message \"%s\" mentions \"%s\"", want[i].num, P.msg[k],
		      want[i].word);
	}

	/* Damaged variables keep their numbers: the next write goes after the highest (0007). */
	uint8_t r3[512];
	uint32_t l3 = make_record(r3, sizeof r3, 0x3333, 8, 3);
	CHECK(put1(s, r3, l3) == 0, "write next to damaged variables");
	CHECK(exists(var_file(dir, 8)), "numbered HwErrRec0008");
	/* Nothing damaged or foreign was touched. */
	CHECK(exists(var_file(dir, 2)) && exists(var_file(dir, 3)) && exists(var_file(dir, 6)), "damaged variables kept");
	CHECK_EQ_U(count_files(dir), 14, "every file still there");
	n = walk(s, ids, 8);
	CHECK(n == 2 && ids[0] == 0x1111 && ids[1] == 0x3333, "chain skips the damaged variables (got %d)", n);
	B->close(s);
}

static void test_duplicates(void)
{
	const char *dir = fresh_dir("dups");
	mkdir(dir, 0755);
	uint8_t a[512], b[512];
	uint32_t la = make_record(a, sizeof a, 0x42, 16, 0xAA), lb = make_record(b, sizeof b, 0x42, 24, 0xBB);
	put_var(dir, 0x0020, 0x0F, a, la);
	put_var(dir, 0x0021, 0x0F, b, lb); /* a crash between writing the new copy and deleting the old */
	int rc;
	void *s = open_dir(dir, 0, WHEA_STORE_READONLY, &rc);
	CHECK(rc == 0, "open read-only");
	if (!s)
		return;
	uint8_t buf[512];
	uint64_t next;
	uint32_t l = sizeof buf;
	CHECK(B->read(s, 0x42, &next, &l, buf) == 0 && l == lb && memcmp(buf, b, lb) == 0, "the higher-numbered copy wins");
	uint64_t ids[4];
	CHECK_EQ_U(walk(s, ids, 4), 1, "the record appears once in the chain");
	problems P = {0};
	CHECK_EQ_U(B->verify(s, on_problem, &P), 1, "verify reports the stale copy");
	CHECK(P.n == 1 && !strcmp(P.file[0], var_file(dir, 0x20)), "the stale copy is the lower-numbered one");
	B->close(s);
	CHECK(exists(var_file(dir, 0x20)), "read-only open deletes nothing");

	s = open_dir(dir, 0, 0, &rc);
	CHECK(rc == 0, "open read-write");
	if (!s)
		return;
	CHECK(!exists(var_file(dir, 0x20)) && exists(var_file(dir, 0x21)), "open deletes the stale copy");
	CHECK_EQ_U(B->verify(s, NULL, NULL), 0, "nothing left to report");
	put_var(dir, 0x0022, 0x0F, a, la); /* another process left a stale copy meanwhile */
	CHECK(B->clear(s, 0x42) == 0, "clear");
	CHECK(!exists(var_file(dir, 0x21)) && !exists(var_file(dir, 0x22)), "clear deletes every copy of the id");
	l = sizeof buf;
	CHECK_EQ_U(B->read(s, 0x42, &next, &l, buf), (uint64_t)WHEA_EEMPTY, "gone");
	B->close(s);
}

static void test_numbering(void)
{
	const char *dir = fresh_dir("wrap");
	mkdir(dir, 0755);
	uint8_t r[512];
	uint32_t l = make_record(r, sizeof r, 7, 8, 7);
	put_var(dir, 0xFFFF, 0x0F, r, l);
	put_var(dir, 0x0000, 0x0F, (uint8_t[4]){1, 2, 3, 4}, 4); /* damaged, but its number is taken */
	int rc;
	void *s = open_dir(dir, 0, 0, &rc);
	if (!s)
		return;
	uint8_t r2[512];
	uint32_t l2 = make_record(r2, sizeof r2, 8, 8, 8);
	CHECK(put1(s, r2, l2) == 0, "write after HwErrRecFFFF");
	CHECK(exists(var_file(dir, 0x0001)), "wraps to 0000, skips the used one, lands on 0001");
	/* A number taken by another process between the listing and the create: EXCL, try the next. */
	put_var(dir, 0x0002, 0x0F, (uint8_t[4]){1, 2, 3, 4}, 4);
	uint32_t l3 = make_record(r2, sizeof r2, 9, 8, 9);
	CHECK(put1(s, r2, l3) == 0, "write");
	CHECK(exists(var_file(dir, 0x0003)), "lands on 0003");
	uint64_t ids[4];
	int n = walk(s, ids, 4);
	CHECK(n == 3 && ids[0] == 8 && ids[1] == 9 && ids[2] == 7, "chain in number order 8 9 7 (got %d)", n);
	B->close(s);
}

static void test_capacity(void)
{
	const char *dir = fresh_dir("cap");
	int rc;
	void *s = open_dir(dir, 1000, 0, &rc);
	if (!s)
		return;
	uint8_t r[1024];
	uint32_t l = make_record(r, sizeof r, 1, 100, 1); /* 300 bytes: 326 with the name */
	CHECK_EQ_U(l, 300, "record size");
	CHECK(put1(s, r, l) == 0, "first write");
	make_record(r, sizeof r, 2, 100, 2);
	CHECK(put1(s, r, l) == 0, "second write");
	make_record(r, sizeof r, 3, 100, 3);
	CHECK(put1(s, r, l) == 0, "third write (978 of 1000)");
	make_record(r, sizeof r, 4, 100, 4);
	rc = put1(s, r, l);
	CHECK_EQ_U(rc, (uint64_t)WHEA_EFULL, "fourth write does not fit");
	CHECK(strstr(whea_error_last()->message, "full") != NULL, "message: %s", whea_error_last()->message);
	CHECK_EQ_U(count_files(dir), 3, "nothing half-written");
	/* Replacing needs room for the new copy while the old one still exists. */
	make_record(r, sizeof r, 3, 100, 9);
	CHECK_EQ_U(put1(s, r, l), (uint64_t)WHEA_EFULL, "replacement needs room for both copies");
	whea_store_stat st;
	B->stat(s, &st);
	CHECK_EQ_U(st.count, 3, "count");
	CHECK_EQ_U(st.used, 3 * 326, "used");
	CHECK_EQ_U(st.free, 1000 - 3 * 326, "free");
	CHECK(B->clear(s, 2) == 0, "clear makes room");
	CHECK(put1(s, r, l) == 0, "the replacement fits now");
	/* ENOSPC from the firmware (efivarfs) or the disk: WHEA_EFULL naming the file. */
	B->close(s);
	s = open_dir(dir, 0, 0, &rc);
	F.pwrite_errno = ENOSPC;
	make_record(r, sizeof r, 5, 100, 5);
	rc = put1(s, r, l);
	F.pwrite_errno = 0;
	CHECK_EQ_U(rc, (uint64_t)WHEA_EFULL, "ENOSPC is WHEA_EFULL");
	CHECK(strstr(whea_error_last()->path, "HwErrRec") != NULL, "path names the file: %s", whea_error_last()->path);
	CHECK(strstr(whea_error_last()->message, "HwErrRec") != NULL && strstr(whea_error_last()->message, "space"),
	      "message: %s", whea_error_last()->message);
	CHECK_EQ_U(count_files(dir), 2, "the failed variable is removed");
	uint64_t ids[4];
	CHECK_EQ_U(walk(s, ids, 4), 2, "earlier records intact");
	B->close(s);
}

static void test_batch_and_sync(void)
{
	const char *dir = fresh_dir("batch");
	int rc;
	void *s = open_dir(dir, 0, 0, &rc);
	if (!s)
		return;
	static uint8_t r[4][512];
	whea_store_item it[4];
	uint64_t ids[4] = {10, 11, 10, 12};
	for (int i = 0; i < 4; i++) {
		it[i].record = r[i];
		it[i].length = make_record(r[i], sizeof r[i], ids[i], 8, (uint8_t)i);
	}
	F.file_syncs = F.dir_syncs = F.pwrites = 0;
	CHECK(B->write(s, it, ids, 4) == 0, "batch: %s", whea_error_last()->message);
	CHECK_EQ_U(F.pwrites, 3, "one write per variable; the earlier copy of id 10 is not written");
	CHECK_EQ_U(F.dir_syncs, 1, "one directory sync per batch");
	CHECK_EQ_U(F.file_syncs, 3, "each variable synced");
	uint8_t buf[512];
	uint64_t next;
	uint32_t l = sizeof buf;
	CHECK(B->read(s, 10, &next, &l, buf) == 0 && memcmp(buf, r[2], l) == 0, "the later item of id 10 wins");
	CHECK_EQ_U(count_files(dir), 3, "three variables");

	/* A failed sync: EIO, nothing left behind, the handle poisoned. */
	F.sync_errno = EIO;
	uint8_t r5[512];
	uint32_t l5 = make_record(r5, sizeof r5, 13, 8, 5);
	rc = put1(s, r5, l5);
	F.sync_errno = 0;
	CHECK_EQ_U(rc, (uint64_t)WHEA_EIO, "failed sync");
	CHECK_EQ_U(count_files(dir), 3, "the unsynced variable is removed");
	CHECK_EQ_U(put1(s, r5, l5), (uint64_t)WHEA_EPOISONED, "handle poisoned");
	CHECK_EQ_U(B->clear(s, 10), (uint64_t)WHEA_EPOISONED, "clear refused too");
	l = sizeof buf;
	CHECK(B->read(s, 11, &next, &l, buf) == 0, "reads still work");
	B->close(s);
	s = open_dir(dir, 0, 0, &rc);
	CHECK(s && put1(s, r5, l5) == 0, "a reopened handle writes again");
	B->close(s);
}

/* Two handles on one store, and a variable rewritten behind the index's back (same name, other
 * content): reads and deletions check the variable afresh and never act on a stale index. */
static void test_shared_and_stale(void)
{
	const char *dir = fresh_dir("shared");
	int rc;
	void *a = open_dir(dir, 0, 0, &rc), *b = open_dir(dir, 0, 0, &rc);
	if (!a || !b)
		return;
	uint8_t r1[512], r2[512], buf[512];
	uint32_t l1 = make_record(r1, sizeof r1, 0x61, 8, 1), l2 = make_record(r2, sizeof r2, 0x62, 40, 2);
	CHECK(put1(a, r1, l1) == 0, "a writes 0x61");
	uint64_t next;
	uint32_t l = sizeof buf;
	CHECK(B->read(b, 0x61, &next, &l, buf) == 0 && l == l1, "b reads what a wrote");
	CHECK(B->clear(b, 0x61) == 0, "b clears it");
	l = sizeof buf;
	CHECK_EQ_U(B->read(a, 0x61, &next, &l, buf), (uint64_t)WHEA_EEMPTY, "a sees it gone");
	CHECK(put1(a, r1, l1) == 0, "a writes 0x61 again (HwErrRec0000)");
	l = sizeof buf;
	CHECK(B->read(b, 0, &next, &l, buf) == 0, "b indexes it");
	/* Another writer replaced HwErrRec0000 by a record with another id under the same name. */
	put_var(dir, 0, 0x0F, r2, l2);
	CHECK_EQ_U(B->clear(b, 0x61), (uint64_t)WHEA_ENOTFOUND, "clear of the stale id deletes nothing");
	CHECK(exists(var_file(dir, 0)), "the variable holding 0x62 survives");
	put_var(dir, 0, 0x0F, r1, l1);
	l = sizeof buf;
	CHECK(B->read(a, 0, &next, &l, buf) == 0 && l == l1, "a indexes 0x61");
	put_var(dir, 0, 0x0F, r2, l2);
	l = sizeof buf;
	CHECK_EQ_U(B->read(a, 0x61, &next, &l, buf), (uint64_t)WHEA_ENOTFOUND, "a stale id is not read");
	l = sizeof buf;
	CHECK(B->read(a, 0x62, &next, &l, buf) == 0 && l == l2 && memcmp(buf, r2, l2) == 0, "the new content is");
	B->close(a);
	/* A variable that could not be read (EIO) is read again by the next operation. */
	F.pread_fails = 1;
	l = sizeof buf;
	rc = B->read(b, 0x62, &next, &l, buf);
	CHECK(rc == 0 && l == l2, "a failed read of a variable is retried: %s", whea_error_name(rc));
	F.pread_fails = 0;
	a = open_dir(dir, 0, WHEA_STORE_READONLY, &rc);
	F.pread_fails = 1;
	problems P = {0};
	CHECK_EQ_U(B->verify(a, on_problem, &P), 1, "verify reports the unreadable variable");
	CHECK(P.n == 1 && P.code[0] == WHEA_EIO && strstr(P.msg[0], "cannot read"), "as an I/O error: %s", P.msg[0]);
	F.pread_fails = 0;
	l = sizeof buf;
	CHECK(B->read(a, 0x62, &next, &l, buf) == 0 && l == l2, "and is found once it reads again");
	B->close(a);
	B->close(b);
}

/* Allocation failure at every call of open, write, read, clear: a clean WHEA_ENOMEM, no leak
 * (ASan), and the store unchanged by the failed call. */
static void test_enomem(void)
{
	const char *dir = fresh_dir("nomem");
	uint8_t r[512], buf[512];
	uint32_t l = make_record(r, sizeof r, 0x55, 8, 5);
	int ok = 0, clean = 1;
	for (long k = 1; k < 200 && !ok; k++) {
		rm_tree(dir);
		int rc;
		memset(&F, 0, sizeof F);
		void *s = open_dir(dir, 0, 0, &rc);
		if (!s) {
			F.alloc_fail_at = 0;
			continue;
		}
		F.allocs = 0;
		F.alloc_fail_at = k;
		rc = put1(s, r, l);
		if (rc == 0) {
			uint64_t next;
			uint32_t len = sizeof buf;
			rc = B->read(s, 0x55, &next, &len, buf);
			if (rc == 0)
				rc = B->clear(s, 0x55);
			ok = rc == 0;
		}
		if (rc && rc != WHEA_ENOMEM) {
			clean = 0;
			fprintf(stderr, "alloc failure at %ld: %s (%s)\n", k, whea_error_name(rc), whea_error_last()->message);
		}
		F.alloc_fail_at = 0;
		B->close(s);
	}
	CHECK(ok, "some allocation count lets everything succeed");
	CHECK(clean, "every allocation failure gives WHEA_ENOMEM");
	/* And during open. */
	clean = 1;
	ok = 0;
	mkdir(dir, 0755);
	put_var(dir, 1, 0x0F, r, l);
	for (long k = 1; k < 50 && !ok; k++) {
		memset(&F, 0, sizeof F);
		F.alloc_fail_at = k;
		int rc;
		void *s = open_dir(dir, 0, 0, &rc);
		ok = rc == 0;
		if (rc && (rc != WHEA_ENOMEM || s))
			clean = 0;
		F.alloc_fail_at = 0;
		B->close(s);
	}
	CHECK(ok && clean, "open under allocation failures");
	memset(&F, 0, sizeof F);
}

static void test_default_location(void)
{
	struct stat st;
	if (stat("/sys/firmware/efi/efivars", &st) == 0)
		return; /* a UEFI machine: never touch the real variables from a test */
	int rc;
	void *s = open_dir(NULL, 0, 0, &rc);
	CHECK(rc == WHEA_ENOHW && !s, "no efivarfs: WHEA_ENOHW, got %s", whea_error_name(rc));
	CHECK(strstr(whea_error_last()->message, "/sys/firmware/efi/efivars") != NULL, "message: %s", whea_error_last()->message);
	s = open_dir("", 0, 0, &rc);
	CHECK(rc == WHEA_ENOHW, "empty location means the default too");
}

static void test_not_a_directory(void)
{
	const char *p = fresh_dir("file");
	put_file(p, "x", 1, NULL, 0);
	int rc;
	void *s = open_dir(p, 0, 0, &rc);
	CHECK(rc == WHEA_EINVAL && !s, "a file as location: %s", whea_error_name(rc));
	unlink(p);
}

/* Through the public API: the front end checks records and does the dummy write; verify adds its
 * CPER pass to the backend's own report. */
static void test_front_end(void)
{
	if (!whea_store_backend_find("efivars"))
		CHECK(whea_store_backend_register(B) == 0, "register: %s", whea_error_last()->message);
	const char *dir = fresh_dir("front");
	whea_store_opts o = opts_with(0, 0);
	o.backend = "efivars";
	whea_store *s = NULL;
	int rc = whea_store_open(&s, dir, &o);
	CHECK(rc == 0 && s, "whea_store_open: %s", whea_error_last()->message);
	if (!s)
		return;
	CHECK(!strcmp(whea_store_backend_name(s), "efivars"), "backend name");
	uint8_t r[512];
	uint32_t l = make_record(r, sizeof r, 0xABCDEF, 32, 1);
	F.pwrites = 0;
	CHECK(whea_store_write(s, WHEA_STORE_WRITE_DUMMY, l, r) == 0, "dummy write");
	CHECK(F.pwrites == 0 && count_files(dir) == 0, "the dummy write stores nothing");
	CHECK(whea_store_write(s, 0, l, r) == 0, "write: %s", whea_error_last()->message);
	CHECK_EQ_U(whea_store_write(s, 0, l - 1, r), (uint64_t)WHEA_EINVAL, "a length that disagrees is refused");
	uint8_t buf[512];
	uint64_t next;
	uint32_t len = sizeof buf;
	CHECK(whea_store_read(s, 0, 0, &next, &len, buf) == 0 && len == l && memcmp(buf, r, l) == 0 && next == 0xABCDEF,
	      "read back");
	put_var(dir, 0x10, 0x0F, (uint8_t[8]){0}, 8);
	CHECK_EQ_U(whea_store_verify(s, NULL, NULL), 1, "verify through the front end");
	whea_store_stat st;
	CHECK(whea_store_stat_get(s, &st) == 0 && st.count == 1 && st.damaged == 1, "stat");
	CHECK(whea_store_clear(s, 0, 0xABCDEF) == 0, "clear");
	len = sizeof buf;
	CHECK_EQ_U(whea_store_read(s, 0, 0, &next, &len, buf), (uint64_t)WHEA_EEMPTY, "empty again");
	whea_store_close(s);
}

int main(void)
{
	snprintf(root, sizeof root, "%s/whea-efivars-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	faults_init();
	test_empty();
	test_basic();
	test_bad_variables();
	test_duplicates();
	test_numbering();
	test_capacity();
	test_batch_and_sync();
	test_shared_and_stale();
	test_enomem();
	test_default_location();
	test_not_a_directory();
	test_front_end();
	rm_tree(root);
	return check_summary("store_efivars");
}
