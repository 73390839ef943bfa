/* util/jsonesc.c — how one byte is written inside a JSON string (see jsonesc.h). */
#include "util/jsonesc.h"

size_t whea_json_esc(unsigned char c, char e[WHEA_JSON_ESC_MAX])
{
	static const char hex[] = "0123456789abcdef";
	if (c == '"' || c == '\\') {
		e[0] = '\\', e[1] = (char)c;
		return 2;
	}
	if (c < 0x20 || c == 0x7f) {
		e[0] = '\\', e[1] = 'u', e[2] = '0', e[3] = '0', e[4] = hex[c >> 4], e[5] = hex[c & 15];
		return 6;
	}
	e[0] = (char)c;
	return 1;
}
