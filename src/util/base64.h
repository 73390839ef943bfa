/* util/base64.h — RFC 4648 base64 (standard alphabet, padded), encode and strict decode. */
#ifndef WHEA_UTIL_BASE64_H
#define WHEA_UTIL_BASE64_H

#include <stddef.h>
#include <stdint.h>

#define WHEA_B64_LEN(n) (((n) + 2) / 3 * 4)
/* Writes WHEA_B64_LEN(n) characters (no NUL). */
void whea_b64_encode(char *out, const uint8_t *p, size_t n);
/* Decodes s[0..len) into out (capacity cap). Returns the decoded length, or -1 on bad input
 * (wrong length, bad character, bad padding) or -2 when cap is too small. */
long whea_b64_decode(uint8_t *out, size_t cap, const char *s, size_t len);
/* Value of the base64 digit c (standard alphabet), or -1 ('=' included). */
static inline int whea_b64_val(unsigned c)
{
	if (c - 'A' < 26u)
		return (int)(c - 'A');
	if (c - 'a' < 26u)
		return (int)(c - 'a' + 26);
	if (c - '0' < 10u)
		return (int)(c - '0' + 52);
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

#endif
