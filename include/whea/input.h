/* whea/input.h — finding records in what users have: one binary record, concatenated records, hex
 * text, base64, or ACPI Generic Error Status Blocks (a BERT region, a GHES buffer; spec 12.4),
 * detected automatically. Also the GESB -> CPER conversion. */
#ifndef WHEA_INPUT_H
#define WHEA_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "whea/export.h"
#include "whea/guid.h"

#ifdef __cplusplus
extern "C" {
#endif

enum whea_input_kind {
	WHEA_INPUT_UNKNOWN = 0,
	WHEA_INPUT_CPER,    /* one or more binary records back to back */
	WHEA_INPUT_GESB,    /* one or more Generic Error Status Blocks back to back */
	WHEA_INPUT_HEX,     /* hex text (whitespace, "0x", commas allowed) of either of the above */
	WHEA_INPUT_BASE64,  /* base64 text of either of the above */
	WHEA_INPUT_JSON,    /* JSON text (for `whea encode`) */
};
WHEA_API const char *whea_input_kind_name(int kind);

/* Guesses what data[0..len) is from its first bytes. */
WHEA_API int whea_input_detect(const uint8_t *data, size_t len);

/* Converts one Generic Error Status Block at blk (avail bytes) into a CPER record in out (cap):
 * one section per Generic Error Data Entry (type, severity, FRU, flags copied), header severity
 * from the block, notification type notify (e.g. BOOT for BERT). *consumed = the block's size
 * (20 + DataLength, or the raw-data end if later). Returns 0, WHEA_ENOSPACE (*outlen = needed),
 * WHEA_ETRUNC or WHEA_EFORMAT with the offset in whea_error_last(). */
WHEA_API int whea_gesb_to_record(const uint8_t *blk, size_t avail, const whea_guid *notify, uint64_t record_id,
				 uint8_t *out, size_t cap, size_t *outlen, size_t *consumed);

/* Decodes hex text (kind WHEA_INPUT_HEX: pairs of hex digits; whitespace, commas and "0x" prefixes
 * ignored) or base64 text (WHEA_INPUT_BASE64: RFC 4648 alphabet, whitespace ignored, padding
 * optional) of len bytes into out (capacity cap); *outlen = bytes decoded. Returns 0, WHEA_EFORMAT
 * (bad character, odd digit count, misplaced padding: whea_error_last()->offset is the byte
 * offset in text), WHEA_ENOSPACE (*outlen = the size needed) or WHEA_EINVAL (other kinds). out
 * needs at most len / 2 (hex) or len / 4 * 3 + 3 (base64) bytes. */
WHEA_API int whea_text_decode(int kind, const char *text, size_t len, uint8_t *out, size_t cap, size_t *outlen);

#ifdef __cplusplus
}
#endif
#endif
