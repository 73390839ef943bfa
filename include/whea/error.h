/* whea/error.h — the one list of openwhea error codes and the thread-local error detail.
 *
 * Every fallible function returns 0 or a negative WHEA_E* code. The codes are generated from the
 * WHEA_ERROR_LIST X-macro so the enum, whea_strerror() and whea_error_name() cannot drift apart.
 * Details (message, byte offset or JSON path) go into whea_error_last(), which is per thread. */
#ifndef WHEA_ERROR_H
#define WHEA_ERROR_H

#include <stddef.h>
#include <stdint.h>

#include "whea/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, description). Values are stable ABI: never renumber, only append. */
#define WHEA_ERROR_LIST(X)                                                                      \
	X(WHEA_OK, 0, "success")                                                                \
	X(WHEA_EINVAL, -1, "invalid argument")                                                  \
	X(WHEA_ENOMEM, -2, "out of memory")                                                     \
	X(WHEA_ETRUNC, -3, "input is truncated")                                                \
	X(WHEA_EFORMAT, -4, "malformed input")                                                  \
	X(WHEA_ENOSPACE, -5, "buffer too small")                                                \
	X(WHEA_ENOTFOUND, -6, "not found")                                                      \
	X(WHEA_EIO, -7, "input/output error")                                                   \
	X(WHEA_EEXIST, -8, "already exists")                                                    \
	X(WHEA_ELIMIT, -9, "a fixed limit was reached")                                         \
	X(WHEA_EUNSUPPORTED, -10, "not supported")                                              \
	X(WHEA_EJSON, -11, "JSON does not match the record format")                             \
	X(WHEA_EUNSUCCESSFUL, -12, "operation unsuccessful")                                    \
	X(WHEA_EFULL, -13, "not enough space in the store")                                     \
	X(WHEA_ENOHW, -14, "hardware not available")                                            \
	X(WHEA_EEMPTY, -15, "record store empty")                                               \
	X(WHEA_EPOISONED, -16, "handle poisoned by an earlier failed sync")                     \
	X(WHEA_EBUSY, -17, "resource busy")

typedef enum whea_error_code {
#define WHEA_X_ENUM(name, value, desc) name = value,
	WHEA_ERROR_LIST(WHEA_X_ENUM)
#undef WHEA_X_ENUM
} whea_error_code;

/* Human description of a code ("buffer too small"); never NULL. */
WHEA_API const char *whea_strerror(int code);
/* The symbolic name ("WHEA_ENOSPACE"); never NULL. */
WHEA_API const char *whea_error_name(int code);

/* Detail of the last failure on this thread. */
typedef struct whea_error {
	int code;            /* a WHEA_E* code, 0 if none recorded */
	char message[256];   /* what was wrong, NUL-terminated */
	int64_t offset;      /* byte offset in the input, or -1 */
	char path[128];      /* JSON path ("$.sections[2].Memory.node") or file name, or "" */
} whea_error;

/* Borrowed pointer to this thread's last error; valid until the next library call on the thread. */
WHEA_API const whea_error *whea_error_last(void);
WHEA_API void whea_error_clear(void);
/* Record an error (used by the library and by plug-ins); returns code so callers can
 * `return whea_error_set(...)`. offset < 0 means "no offset", path may be NULL. */
WHEA_API int whea_error_set(int code, int64_t offset, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

#ifdef __cplusplus
}
#endif
#endif
