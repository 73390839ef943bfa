/* util/guid.c — GUID comparison, formatting and parsing in the EFI_GUID byte layout. */
#include <string.h>

#include "whea/error.h"
#include "whea/guid.h"
#include "util/fmt.h"

/* String position of each byte of the 16-byte image (Data1..3 reversed, Data4 in order). */
static const uint8_t byte_pos[16] = {6, 4, 2, 0, 11, 9, 16, 14, 19, 21, 24, 26, 28, 30, 32, 34};

bool whea_guid_equal(const whea_guid *a, const whea_guid *b)
{
	uint64_t a0, a1, b0, b1;
	memcpy(&a0, a->b, 8), memcpy(&a1, a->b + 8, 8), memcpy(&b0, b->b, 8), memcpy(&b1, b->b + 8, 8);
	return ((a0 ^ b0) | (a1 ^ b1)) == 0;
}

bool whea_guid_is_zero(const whea_guid *g)
{
	static const whea_guid zero;
	return whea_guid_equal(g, &zero);
}

/* Both hex digits of byte i of g at its string position. */
#define GUID_PAIR(i) memcpy(out + byte_pos[i], whea_hex_pairs + 2 * g->b[i], 2)

char *whea_guid_format(const whea_guid *g, char out[WHEA_GUID_STRLEN + 1])
{
	/* unrolled: the positions become constants */
	GUID_PAIR(0), GUID_PAIR(1), GUID_PAIR(2), GUID_PAIR(3), GUID_PAIR(4), GUID_PAIR(5), GUID_PAIR(6);
	GUID_PAIR(7), GUID_PAIR(8), GUID_PAIR(9), GUID_PAIR(10), GUID_PAIR(11), GUID_PAIR(12), GUID_PAIR(13);
	GUID_PAIR(14), GUID_PAIR(15);
	out[8] = out[13] = out[18] = out[23] = '-';
	out[WHEA_GUID_STRLEN] = 0;
	return out;
}

int whea_guid_parse(whea_guid *out, const char *s, size_t len)
{
	if (len == WHEA_GUID_STRLEN + 2 && s[0] == '{' && s[len - 1] == '}')
		s++, len -= 2;
	if (len != WHEA_GUID_STRLEN || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
		return WHEA_EFORMAT;
	for (int i = 0; i < 16; i++) {
		int hi = whea_hex_val((unsigned char)s[byte_pos[i]]), lo = whea_hex_val((unsigned char)s[byte_pos[i] + 1]);
		if (hi < 0 || lo < 0)
			return WHEA_EFORMAT;
		out->b[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
