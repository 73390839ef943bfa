/* tests/files.h — reading test inputs: a whole file into memory, and the test of a file name's
 * ending that the folder walks use. Header-only; hosted (stdio). */
#ifndef WHEA_TESTS_FILES_H
#define WHEA_TESTS_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file at path, malloc'd with a NUL after it (free it); NULL when it cannot be read. */
static inline uint8_t *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	uint8_t *p = n >= 0 && fseek(f, 0, SEEK_SET) == 0 ? malloc((size_t)n + 1) : NULL;
	if (p) {
		*len = fread(p, 1, (size_t)n, f);
		p[*len] = 0;
	}
	fclose(f);
	return p;
}

/* Whether name ends in suffix (and has something before it). */
static inline bool test_has_suffix(const char *name, const char *suffix)
{
	size_t l = strlen(name), s = strlen(suffix);
	return l > s && memcmp(name + l - s, suffix, s) == 0;
}

#endif
