/* util/fmt.h — freestanding string formatting: a printf subset (%s %.*s %d %u %ld %lu %lld %llu
 * %x %lx %llx %zu %zx %c %%, with width (also *) and zero-pad) and small helpers, so src/cper and the writers
 * need no stdio. */
#ifndef WHEA_UTIL_FMT_H
#define WHEA_UTIL_FMT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Formats into buf (always NUL-terminated when cap > 0); returns the length it wanted. */
size_t whea_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t whea_format(char *buf, size_t cap, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* "00" "01" ... "ff": both lower-case hex digits of a byte, for two-byte moves. */
extern const char whea_hex_pairs[513];
size_t whea_strlcpy(char *dst, const char *src, size_t cap);
/* Decimal / hex digits of v into out (no NUL); returns the count. out needs 20 / 16 bytes. */
unsigned whea_u64_dec(char *out, uint64_t v);
/* Number of decimal digits of v. */
unsigned whea_u64_dec_len(uint64_t v);
/* Decimal, zero-padded on the left to at least width digits (like "%0*llu"); out needs
 * max(width, 20) bytes. */
unsigned whea_u64_dec_pad(char *out, uint64_t v, unsigned width);
unsigned whea_u64_hex(char *out, uint64_t v, unsigned min_digits);

#endif
