/* fuzz/fuzz_json_encode.c — libFuzzer target: any bytes as JSON for whea_json_to_record; whatever
 * it accepts must be a record that parses and re-encodes to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "whea/format.h"

static uint8_t rec[1 << 16];
static char js[1 << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	if (whea_json_to_record((const char *)data, size, rec, sizeof rec, &n) || n > sizeof rec)
		return 0;
	whea_record r;
	if (whea_record_parse(&r, rec, n, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return 0; /* the encoder may build an invalid record on request (e.g. 0 sections) */
	whea_out o;
	whea_out_init(&o, js, sizeof js, NULL, NULL);
	if (whea_record_to_json(&r, &o, 0))
		return 0;
	static uint8_t again[1 << 16];
	size_t m = 0;
	if (whea_json_to_record(js, o.len, again, sizeof again, &m) || m != n || memcmp(again, rec, n))
		abort();
	return 0;
}
