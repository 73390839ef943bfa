/* tests/unit/test_jsonesc.c — util/jsonesc.h over all 256 byte values: '"' and '\\' get a
 * backslash, control bytes and DEL become \u00XX (lower-case hex), every other byte (UTF-8
 * included) stays as is. */
#include <stdio.h>

#include "../check.h"
#include "util/jsonesc.h"

int main(void)
{
	for (unsigned c = 0; c < 256; c++) {
		char e[WHEA_JSON_ESC_MAX], want[8];
		size_t n = whea_json_esc((unsigned char)c, e), k;
		if (c == '"' || c == '\\')
			k = (size_t)snprintf(want, sizeof want, "\\%c", (char)c);
		else if (c < 0x20 || c == 0x7f)
			k = (size_t)snprintf(want, sizeof want, "\\u%04x", c);
		else
			want[0] = (char)c, k = 1;
		CHECK(n == k && memcmp(e, want, k) == 0, "byte 0x%02x: got \"%.*s\"", c, (int)n, e);
	}
	return check_summary("jsonesc");
}
