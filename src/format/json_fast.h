/* format/json_fast.h — internal: the JSON -> CPER fast path and the DOM path it falls back to.
 *
 * whea_json_to_record() first runs whea_json_fast_encode(): a streaming encoder that reads the JSON
 * text in the order json_write.c writes it, without building a node tree. Whenever the text is not
 * exactly what it expects (keys out of order, unknown keys, escapes it does not handle, unions,
 * errors of any kind) it gives up and the DOM path (json_encode.c) runs from the start, so results,
 * errors and output bytes are always the DOM path's. */
#ifndef WHEA_FORMAT_JSON_FAST_H
#define WHEA_FORMAT_JSON_FAST_H

#include <stddef.h>
#include <stdint.h>

/* 0: the record is in out[0..*outlen) (exactly what the DOM path would produce); 1: gave up, out
 * and *outlen untouched (run the DOM path). Never fails otherwise. */
int whea_json_fast_encode(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

/* whea_json_to_record() without the fast path (for tests and the fuzzer). */
int whea_json_to_record_dom(const char *json, size_t jsonlen, uint8_t *out, size_t cap, size_t *outlen);

#endif
