/* store/crc32c.h — CRC-32C (Castagnoli), the checksum of the store's frames. */
#ifndef WHEA_STORE_CRC32C_H
#define WHEA_STORE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues crc over n bytes; start with crc = 0. whea_crc32c(0, "123456789", 9) == 0xE3069283. */
uint32_t whea_crc32c(uint32_t crc, const void *data, size_t n);

#endif
