/* format/input_priv.h — input detection helpers the `whea` tool shares with format/input.c but the
 * public API (whea/input.h) does not offer. */
#ifndef WHEA_FORMAT_INPUT_PRIV_H
#define WHEA_FORMAT_INPUT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

/* The 20 bytes at p are a plausible Generic Error Status Block header (reserved BlockStatus bits
 * clear, an entry count, a severity of 0 to 3, a DataLength of at least one entry header) whatever
 * the bytes after it: whea_input_detect() also needs the data to fit, so a cut-short block is not
 * detected, and this tells such a block from garbage. */
bool whea_gesb_header_plausible(const uint8_t *p);

#endif
