/* store/crc32c.h — CRC-32C (Castagnoli), the checksum of the store's frames. */
#ifndef WHEA_STORE_CRC32C_H
#define WHEA_STORE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over n bytes; start with crc = 0. whea_crc32c(0, "123456789", 9) == 0xE3069283.
 * Uses the fastest way the CPU allows (see crc32c.c). */
uint32_t whea_crc32c(uint32_t crc, const void *data, size_t n);

/* For tests: how many ways this build and CPU can compute it (1 = tables, 2 = one crc32 stream,
 * 3 = three streams joined by carry-less multiplies), and the result of way impl (1..that). */
int whea_crc32c_impls(void);
uint32_t whea_crc32c_impl(int impl, uint32_t crc, const void *data, size_t n);

#endif
