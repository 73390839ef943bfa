/* fuzz/fuzz_input.c — libFuzzer target for what the input layer reads (src/format/input.c): kind
 * detection, hex and base64 text, and ACPI Generic Error Status Blocks.
 *
 * Any bytes are detected; as hex and as base64 text they are decoded into a buffer of exactly the
 * documented worst-case size (heap, so AddressSanitizer sees a write past it), which must never
 * be too small, and then into a buffer one byte short of what the first decode needed, which must
 * answer WHEA_ENOSPACE with the size; a decoded result must survive hex -> decode unchanged. As a
 * status block the bytes are converted into an exact-size buffer; a conversion that succeeds must
 * give a record whose header, descriptors and RecordLength are sound (strict record-level parse).
 * A crash, a sanitizer report or a broken promise (abort) is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "whea/error.h"
#include "whea/format.h"
#include "whea/input.h"

static const whea_guid notify_boot = WHEA_GUID(0x3d61a466, 0xab40, 0x409a, 0xa6, 0x98, 0xf3, 0x62, 0xd4, 0x64, 0xb3, 0x8f);

/* Decodes size bytes of text as kind; returns the decoded bytes (malloc'd, *n of them) or NULL. */
static uint8_t *decode_text(int kind, const char *text, size_t size, size_t *n)
{
	size_t cap = kind == WHEA_INPUT_HEX ? size / 2 : size / 4 * 3 + 3;
	uint8_t *out = malloc(cap ? cap : 1);
	int rc = whea_text_decode(kind, text, size, out, cap, n);
	if (rc == WHEA_ENOSPACE || (rc != 0 && rc != WHEA_EFORMAT) || (rc == 0 && *n > cap))
		abort(); /* the documented bound was too small, or an undocumented answer */
	if (rc == WHEA_EFORMAT && (whea_error_last()->offset < 0 || (uint64_t)whea_error_last()->offset > size))
		abort(); /* the reported offset lies outside the text */
	if (rc) {
		free(out);
		return NULL;
	}
	if (*n) { /* one byte short: the decoder must say how much it needs, and write nothing past */
		uint8_t *small = malloc(*n - 1 ? *n - 1 : 1);
		size_t need = 0;
		if (whea_text_decode(kind, text, size, small, *n - 1, &need) != WHEA_ENOSPACE || need != *n)
			abort();
		free(small);
	}
	return out;
}

/* Hex text of p[0..n) decodes back to the same bytes. */
static void hex_round_trip(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *hex = malloc(2 * n + 1);
	for (size_t i = 0; i < n; i++)
		hex[2 * i] = digits[p[i] >> 4], hex[2 * i + 1] = digits[p[i] & 15];
	size_t m = 0;
	uint8_t *back = decode_text(WHEA_INPUT_HEX, hex, 2 * n, &m);
	if (!back || m != n || memcmp(back, p, n) != 0)
		abort();
	free(back);
	free(hex);
}

/* As a status block: an exact-size conversion that succeeds must give a sound record. */
static void status_block(const uint8_t *data, size_t size)
{
	size_t need = 0, consumed = 0;
	int rc = whea_gesb_to_record(data, size, &notify_boot, 7, NULL, 0, &need, &consumed);
	if (rc != WHEA_ENOSPACE || need > (1u << 24))
		return;
	uint8_t *out = malloc(need);
	size_t len = 0;
	rc = whea_gesb_to_record(data, size, &notify_boot, 7, out, need, &len, &consumed);
	if (rc == 0) {
		whea_record r;
		if (len != need || consumed > size || whea_record_parse(&r, out, len, 0, NULL, NULL) != 0 ||
		    r.record_length != len)
			abort();
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int kind = whea_input_detect(data, size);
	if (kind < WHEA_INPUT_UNKNOWN || kind > WHEA_INPUT_JSON || !whea_input_kind_name(kind))
		abort();
	for (int k = WHEA_INPUT_HEX; k <= WHEA_INPUT_BASE64; k++) {
		size_t n = 0;
		uint8_t *bytes = decode_text(k, (const char *)data, size, &n);
		if (bytes) {
			hex_round_trip(bytes, n);
			free(bytes);
		}
	}
	status_block(data, size);
	return 0;
}
