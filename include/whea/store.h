/* whea/store.h — the error record store: PSHED persistence (write with the dummy-write flag, read
 * by record id along the next-id chain, clear by id) that survives crashes and restarts.
 *
 * A store is opened on a location (a directory for the built-in "file" backend, an efivarfs-like
 * directory for "efivars", anything for "mem") and keys every record by its own CPER RecordID
 * (header offset 96). Backends sit behind a versioned table of functions (whea_store_backend) so a
 * plug-in can provide persistence exactly as a PSHED plug-in does; the built-in backends use the
 * same table. Every operating-system call of the built-in backends goes through whea_store_os, so
 * tests can slide in a crash simulator and fault injection.
 *
 * Status codes map one to one onto PSHED's NTSTATUS values and ACPI ERST's command statuses:
 *
 *   code                PSHED (NTSTATUS)                    ERST command status
 *   0                   STATUS_SUCCESS          0x00000000  0 success
 *   WHEA_ENOSPACE       STATUS_BUFFER_TOO_SMALL 0xC0000023  (read: caller's buffer too small)
 *   WHEA_ENOTFOUND      "object not found"      0xC0000034  5 record not found
 *   WHEA_EEMPTY         "object not found"      0xC0000034  4 record store empty
 *   WHEA_EFULL          STATUS_UNSUCCESSFUL     0xC0000001  1 not enough space
 *   WHEA_ENOHW          STATUS_UNSUCCESSFUL     0xC0000001  2 hardware not available
 *   any other error     STATUS_UNSUCCESSFUL     0xC0000001  3 failed
 *
 * PSHED's documentation calls the not-found status STATUS_OBJECT_NOT_FOUND, a name ntstatus.h does
 * not define; we answer STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034) and also accept STATUS_NOT_FOUND
 * (0xC0000225) from plug-ins.
 *
 * A handle is not thread-safe: use one handle per thread (several handles, in one process or many,
 * may share one store). */
#ifndef WHEA_STORE_H
#define WHEA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "whea/error.h"
#include "whea/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write flag: the dummy write of PSHED (WHEA_WRITE_FLAG_DUMMY) and ERST's
 * BEGIN_DUMMY_WRITE_OPERATION: check the handle is usable, store nothing, succeed. */
#define WHEA_STORE_WRITE_DUMMY 0x1u

/* Record ids a store never holds: 0 means "the first record" on read; all-ones is ERST's
 * "no record / end" value. */
#define WHEA_STORE_ID_FIRST 0ull
#define WHEA_STORE_ID_INVALID 0xFFFFFFFFFFFFFFFFull

/* The largest record a store accepts (bytes). */
#define WHEA_STORE_MAX_RECORD (16u * 1024u * 1024u)

typedef struct whea_store whea_store;
typedef struct whea_store_os whea_store_os;

enum whea_store_open_flags {
	WHEA_STORE_READONLY = 1,   /* never write, never repair; works on a read-only directory */
	WHEA_STORE_NOCREATE = 2,   /* fail with WHEA_ENOTFOUND if the store does not exist yet */
};

/* Options for whea_store_open. Zero-initialize, then set size = sizeof(whea_store_opts) and
 * version = WHEA_STORE_OPTS_VERSION; fields only ever grow at the end. */
#define WHEA_STORE_OPTS_VERSION 1
typedef struct whea_store_opts {
	uint32_t size;
	uint32_t version;
	const char *backend;   /* "file" (default when NULL), "efivars", "mem", or a registered name */
	uint64_t capacity;     /* bytes the store may use; 0 = the backend's default. The file
				  backend fixes it when the store is created. */
	uint32_t flags;        /* enum whea_store_open_flags */
	uint32_t reserved;
	const whea_store_os *os; /* NULL = the real operating system (whea_store_os_default()) */
} whea_store_opts;

/* Opens (and by default creates) the store at location. opts may be NULL for the defaults. */
WHEA_API int whea_store_open(whea_store **out, const char *location, const whea_store_opts *opts);
/* Closes the handle; NULL is allowed. Never loses a record: every acknowledged write is durable. */
WHEA_API void whea_store_close(whea_store *s);

/* PSHED WriteErrorRecord. record must be a valid CPER record whose RecordLength equals length and
 * whose RecordID is neither 0 nor all-ones; a record with the same id is replaced. Returns 0 only
 * once the record is durable. WHEA_STORE_WRITE_DUMMY stores nothing. Errors: WHEA_EINVAL (not a
 * valid record), WHEA_EFULL (capacity or disk full; nothing stored is dropped), WHEA_EIO,
 * WHEA_EPOISONED (an earlier sync failed: reopen the store), WHEA_ENOMEM. */
WHEA_API int whea_store_write(whea_store *s, uint32_t flags, uint32_t length, const void *record);

/* One record of a batch. */
typedef struct whea_store_item {
	const void *record;
	uint32_t length;
} whea_store_item;

/* Group commit: writes count records with one durable sync. All or nothing as far as the caller
 * is told: 0 means every record is durable; on failure none is acknowledged (some may still be
 * found after a crash, each whole and undamaged). */
WHEA_API int whea_store_write_batch(whea_store *s, uint32_t flags, const whea_store_item *items,
				    size_t count);

/* PSHED ReadErrorRecord. id 0 reads the first record. On entry *length is the size of buf.
 *   - no such record: WHEA_ENOTFOUND (WHEA_EEMPTY when the store holds no record at all);
 *   - buf too small: WHEA_ENOSPACE, *length = the record's length, *next_id untouched;
 *   - success: 0, *length = the record's length, *next_id = the id of the next stored record,
 *     or the id just read when it is the last one.
 * Following next_id from id 0 until next_id == id visits every record exactly once. */
WHEA_API int whea_store_read(whea_store *s, uint32_t flags, uint64_t id, uint64_t *next_id,
			     uint32_t *length, void *buf);

/* PSHED ClearErrorRecord: deletes the record durably. WHEA_ENOTFOUND if there is none. */
WHEA_API int whea_store_clear(whea_store *s, uint32_t flags, uint64_t id);

/* Counts and sizes. */
typedef struct whea_store_stat {
	uint64_t count;        /* records stored */
	uint64_t capacity;     /* bytes the store may use */
	uint64_t used;         /* bytes the stored records take, with the backend's overhead */
	uint64_t free;         /* bytes left for new records (with overhead), capacity - used */
	uint64_t file_bytes;   /* bytes the backend's files take now (dead space included) */
	uint64_t damaged;      /* damaged regions skipped when the store was last scanned */
} whea_store_stat;
WHEA_API int whea_store_stat_get(whea_store *s, whea_store_stat *st);

/* Iteration that tolerates records written or cleared while it runs: each record stored for the
 * whole iteration is visited exactly once; a record cleared before it is reached is not visited.
 * Start with cursor = 0; whea_store_next gives the next record's id and advances the cursor;
 * WHEA_ENOTFOUND at the end. */
WHEA_API int whea_store_next(whea_store *s, uint64_t *cursor, uint64_t *id);

/* One problem found by whea_store_verify. */
typedef struct whea_store_problem {
	const char *file;      /* borrowed, valid during the callback */
	uint64_t offset;       /* byte offset in that file */
	uint64_t length;       /* bytes affected */
	int code;              /* WHEA_EFORMAT (bad frame), WHEA_ETRUNC (torn tail), WHEA_EINVAL
				  (a stored record that is not valid CPER) */
	const char *msg;       /* borrowed */
} whea_store_problem;
typedef void (*whea_store_problem_fn)(void *ctx, const whea_store_problem *p);

/* Reads every byte of the store, checks every frame's checksum and every record's CPER validity,
 * reports each problem to fn (may be NULL) and returns the number of problems found (>= 0), or a
 * negative code if the store could not be read. Changes nothing. */
WHEA_API int whea_store_verify(whea_store *s, whea_store_problem_fn fn, void *ctx);

/* Rewrites the store without dead space (crash-safe: a crash at any point leaves the old or the
 * new store, each complete). The file backend also compacts by itself when a write would not fit. */
WHEA_API int whea_store_compact(whea_store *s);

/* The backend name of an open store ("file", ...). */
WHEA_API const char *whea_store_backend_name(const whea_store *s);

/* Status mapping (see the table at the top). */
WHEA_API uint32_t whea_store_status_ntstatus(int code);
WHEA_API int whea_store_status_erst(int code);
/* The reverse, for backends provided by plug-ins that speak NTSTATUS or ERST statuses. */
WHEA_API int whea_store_code_from_ntstatus(uint32_t status);
WHEA_API int whea_store_code_from_erst(int status);

/* ---- Backends ------------------------------------------------------------------------------- */

/* A backend: a versioned table of functions. Every function returns 0 or a negative WHEA_E* code
 * and sets whea_error_last() on failure. The front end has already checked the arguments: records
 * passed to write are valid CPER with an id that is neither 0 nor all-ones; read's semantics
 * (id 0, next id, buffer too small, not found vs empty) are the backend's to implement exactly as
 * documented for whea_store_read. */
#define WHEA_STORE_BACKEND_VERSION 1
typedef struct whea_store_backend {
	uint32_t size;        /* sizeof(whea_store_backend) */
	uint32_t version;     /* WHEA_STORE_BACKEND_VERSION */
	const char *name;
	int (*open)(void **ctx, const char *location, const whea_store_opts *opts);
	void (*close)(void *ctx);
	/* Store count records durably (one sync for all); ids[i] is items[i]'s record id. */
	int (*write)(void *ctx, const whea_store_item *items, const uint64_t *ids, size_t count);
	int (*read)(void *ctx, uint64_t id, uint64_t *next_id, uint32_t *length, void *buf);
	int (*clear)(void *ctx, uint64_t id);
	int (*stat)(void *ctx, whea_store_stat *st);
	int (*next)(void *ctx, uint64_t *cursor, uint64_t *id);
	int (*verify)(void *ctx, whea_store_problem_fn fn, void *fnctx);  /* may be NULL */
	int (*compact)(void *ctx);                                        /* may be NULL */
} whea_store_backend;

/* Makes a backend available to whea_store_open by name. The table must outlive its use.
 * Errors: WHEA_EINVAL (size, version or a required function missing), WHEA_EEXIST, WHEA_ELIMIT. */
WHEA_API int whea_store_backend_register(const whea_store_backend *b);
/* The backend called name, or NULL. */
WHEA_API const whea_store_backend *whea_store_backend_find(const char *name);

/* ---- Operating-system calls ------------------------------------------------------------------ */

/* Every OS call of the built-in backends. Functions return 0 (or a byte count where noted) or a
 * negative errno value (-ENOSPC, -EIO, ...). Tests replace the table to simulate crashes and inject
 * faults; whea_store_os_default() is the real POSIX implementation. */
enum whea_store_os_open_flags {
	WHEA_OS_RDONLY = 0,
	WHEA_OS_RDWR = 1,
	WHEA_OS_CREATE = 2,    /* create if missing (mode 0644 for files) */
	WHEA_OS_EXCL = 4,      /* with CREATE: fail with -EEXIST if it exists */
	WHEA_OS_TRUNC = 8,
	WHEA_OS_DIR = 16,      /* open a directory (for fsync of its entries) */
};
enum whea_store_os_lock { WHEA_OS_UNLOCK = 0, WHEA_OS_LOCK_SH = 1, WHEA_OS_LOCK_EX = 2 };
typedef struct whea_os_stat {
	uint64_t size;
	uint64_t ino;          /* identity: changes when a file is replaced by rename */
	uint64_t dev;
	uint32_t mode;         /* S_IFREG/S_IFDIR bits as in struct stat */
} whea_os_stat;
typedef int (*whea_os_dirent_fn)(void *arg, const char *name);

#define WHEA_STORE_OS_VERSION 1
struct whea_store_os {
	uint32_t size;
	uint32_t version;
	void *ctx;
	int (*open)(void *ctx, const char *path, int flags, int *fd);
	int (*close)(void *ctx, int fd);
	/* Return bytes read or written (may be short), or -errno. */
	int64_t (*pread)(void *ctx, int fd, void *buf, size_t n, uint64_t off);
	int64_t (*pwrite)(void *ctx, int fd, const void *buf, size_t n, uint64_t off);
	int (*datasync)(void *ctx, int fd);     /* fdatasync: data and the size are durable */
	int (*sync)(void *ctx, int fd);         /* fsync: everything, also for directories */
	int (*truncate)(void *ctx, int fd, uint64_t len);
	int (*fstat)(void *ctx, int fd, whea_os_stat *st);
	int (*stat)(void *ctx, const char *path, whea_os_stat *st);
	int (*rename)(void *ctx, const char *from, const char *to);
	int (*unlink)(void *ctx, const char *path);
	int (*mkdir)(void *ctx, const char *path);
	int (*lock)(void *ctx, int fd, int how); /* whole-file advisory lock (flock) */
	/* Calls fn for every entry of a directory (not "." and ".."); stops when fn returns
	 * non-zero and returns that value. */
	int (*listdir)(void *ctx, const char *path, whea_os_dirent_fn fn, void *arg);
	/* Maps len bytes of fd shared and writable (used for the cross-process change counter). */
	int (*map)(void *ctx, int fd, size_t len, void **addr);
	void (*unmap)(void *ctx, void *addr, size_t len);
	/* Memory: NULL on failure. */
	void *(*alloc)(void *ctx, size_t n);
	void *(*realloc)(void *ctx, void *p, size_t n);
	void (*free)(void *ctx, void *p);
	/* Clears the immutable attribute efivarfs sets on variable files (0 where unsupported). */
	int (*make_mutable)(void *ctx, int fd);
};

/* The real POSIX implementation (borrowed, static). */
WHEA_API const whea_store_os *whea_store_os_default(void);

/* The default store directory: $WHEA_STORE_DIR, else /var/lib/openwhea/store when writable by
 * this user, else $XDG_STATE_HOME/openwhea/store or ~/.local/state/openwhea/store. Writes the
 * path into buf; returns 0 or WHEA_ENOSPACE. */
WHEA_API int whea_store_default_dir(char *buf, size_t cap);

/* The vendor GUID of UEFI hardware error record variables (HwErrRec####). */
#define WHEA_EFI_HW_ERROR_VARIABLE_GUID_STR "414e6bdd-e47b-47cc-b244-bb61020cf516"
/* efivarfs attributes of such a variable: NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS |
 * HARDWARE_ERROR_RECORD. */
#define WHEA_EFI_HW_ERROR_ATTRIBUTES 0x0000000Fu

#ifdef __cplusplus
}
#endif
#endif
