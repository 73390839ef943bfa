/* format/json_fast.h — internal: the JSON -> CPER fast path and the DOM path it falls back to.
 *
 * whea_json_to_record() first runs whea_json_fast_encode(): a streaming encoder that reads the JSON
 * text in the order json_write.c writes it, without building a node tree. Whenever the text is not
 * exactly what it expects (keys out of order, unknown keys, escapes it does not handle, unions,
 * errors of any kind) it gives up and the DOM path (json_encode.c) runs from the start, so results,
 * errors and output bytes are always the DOM path's. */
#ifndef WHEA_FORMAT_JSON_FAST_H
#define WHEA_FORMAT_JSON_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 0: the record is in out[0..*outlen) (exactly what the DOM path would produce); 1: gave up, out
 * and *outlen untouched (run the DOM path). Never fails otherwise. */
int whea_json_fast_encode(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

/* whea_json_to_record() without the fast path (for tests and the fuzzer). */
int whea_json_to_record_dom(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

/* a[0..n) == b[0..n), for short keys (inline: cheaper than a call to memcmp); both encoders use it. */
static inline bool whea_json_same(const char *a, const char *b, size_t n)
{
	uint64_t u, v;
	for (; n >= 8; a += 8, b += 8, n -= 8) {
		memcpy(&u, a, 8), memcpy(&v, b, 8);
		if (u != v)
			return false;
	}
	if (n >= 4) {
		uint32_t p, q, r, t;
		memcpy(&p, a, 4), memcpy(&q, b, 4), memcpy(&r, a + n - 4, 4), memcpy(&t, b + n - 4, 4);
		return p == q && r == t;
	}
	for (; n; a++, b++, n--)
		if (*a != *b)
			return false;
	return true;
}

#endif
