/* fuzz/fuzz_record.c — libFuzzer target: any bytes as a CPER record (strict and tolerant parse,
 * text and JSON output); every record that parses must come back byte-identical through JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "whea/format.h"

static char outbuf[1 << 20];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	whea_record r;
	whea_out o;
	whea_record_parse(&r, data, size, WHEA_PARSE_SECTIONS, NULL, NULL);
	if (whea_record_parse(&r, data, size, WHEA_PARSE_TOLERANT | WHEA_PARSE_SECTIONS, NULL, NULL))
		return 0;
	whea_out_init(&o, outbuf, sizeof outbuf, NULL, NULL);
	whea_record_to_text(&r, &o, 0);
	whea_out_init(&o, outbuf, sizeof outbuf, NULL, NULL);
	if (whea_record_to_json(&r, &o, 0))
		return 0; /* larger than the buffer: nothing to compare */
	size_t want = r.record_length > r.len ? r.record_length : r.len;
	/* A length field below the header's size leaves no record to rebuild: the encoder refuses
	 * it with a clear error instead (checked below: it must not crash). */
	if (want > (1u << 24) || r.record_length < WHEA_RECORD_HEADER_SIZE) {
		uint8_t tmp[256];
		size_t n;
		whea_json_to_record(outbuf, o.len, tmp, sizeof tmp, &n);
		return 0;
	}
	uint8_t *back = malloc(want + 1);
	size_t n = 0;
	int rc = whea_json_to_record(outbuf, o.len, back, want + 1, &n);
	if (rc != 0 || n != want || memcmp(back, data, r.len) != 0)
		abort(); /* decode and encode disagree */
	free(back);
	return 0;
}
