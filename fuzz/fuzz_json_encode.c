/* fuzz/fuzz_json_encode.c — libFuzzer target: any bytes as JSON for whea_json_to_record; whatever
 * it accepts must be a record that parses and re-encodes to the same bytes. The fast path
 * (json_fast.c) and the DOM path must agree: what the fast path accepts, the DOM path accepts with
 * the same bytes, and whea_json_to_record gives the DOM path's result and error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/json_fast.h"
#include "whea/format.h"

static uint8_t rec[1 << 16], dom[1 << 16];
static char js[1 << 20];

/* Both paths on the same input. */
static void compare_paths(const uint8_t *data, size_t size)
{
	size_t a = 0, b = 0;
	if (whea_json_fast_encode((const char *)data, size, rec, sizeof rec, &a) == 0 &&
	    (whea_json_to_record_dom((const char *)data, size, dom, sizeof dom, &b) || a != b || memcmp(rec, dom, a)))
		abort();
	char msg[256];
	a = b = 0;
	int r1 = whea_json_to_record((const char *)data, size, rec, sizeof rec, &a);
	strncpy(msg, r1 ? whea_error_last()->message : "", sizeof msg - 1);
	msg[sizeof msg - 1] = 0;
	int r2 = whea_json_to_record_dom((const char *)data, size, dom, sizeof dom, &b);
	if (r1 != r2 || a != b || (r1 == 0 && memcmp(rec, dom, a)) || (r2 && strncmp(msg, whea_error_last()->message, sizeof msg - 1)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	compare_paths(data, size);
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
