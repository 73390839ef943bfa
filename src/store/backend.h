/* store/backend.h — what the built-in store backends share with the front end: their tables and
 * small helpers for paths and OS errors. */
#ifndef WHEA_STORE_BACKEND_H
#define WHEA_STORE_BACKEND_H

#include "whea/store.h"

extern const whea_store_backend whea_store_backend_file;
extern const whea_store_backend whea_store_backend_mem;
extern const whea_store_backend whea_store_backend_efivars;

/* Maps a negative errno from the OS table to a WHEA_E* code and records "what(path): strerror"
 * with the byte offset (or -1) in whea_error_last(). -ENOSPC and -EDQUOT give WHEA_EFULL, -ENOMEM
 * WHEA_ENOMEM, -ENOENT WHEA_ENOTFOUND, everything else WHEA_EIO. */
int whea_store_oserr(int neg_errno, const char *what, const char *path, int64_t offset);

/* Joins dir and name into a new string from os->alloc; NULL when out of memory. */
char *whea_store_path(const whea_store_os *os, const char *dir, const char *name);

/* Creates dir and its missing parents (like mkdir -p). */
int whea_store_mkdirs(const whea_store_os *os, const char *dir);

#endif
