/* sections/memory.c — platform memory error (UEFI N.2.5, 73- and 80-byte layouts), memory error 2
 * (N.2.6) and the FRU memory poison section, as field tables (spec WHEA-CPER.md 6.5, 6.6, 6.14). */
#include "sections.h"

/* UEFI "Error Status" (spec section 5), shared by memory, PCI/PCI-X bus and component sections. */
static const whea_name error_status_types[] = {
	{1, "errInternal"}, {16, "errBus"}, {4, "errMem"}, {5, "errTlb"}, {6, "errCache"},
	{7, "errFunction"}, {8, "errSelftest"}, {9, "errFlow"}, {17, "errMap"}, {18, "errImproper"},
	{19, "errUnimpl"}, {20, "errLol"}, {21, "errResponse"}, {22, "errParity"}, {23, "errProtocol"},
	{24, "errError"}, {25, "errTimeout"}, {26, "errPoisoned"}, {0, NULL}};

static const whea_bitfield error_status_bits[] = {
	{.key = "errorType", .lo = 8, .width = 8, .kind = WHEA_K_ENUM, .names = error_status_types},
	{.key = "addressSignal", .lo = 16, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "controlSignal", .lo = 17, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dataSignal", .lo = 18, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "detectedByResponder", .lo = 19, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "detectedByRequester", .lo = 20, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "firstError", .lo = 21, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "overflowDroppedLogs", .lo = 22, .width = 1, .kind = WHEA_K_BOOL},
};
const whea_def whea_def_error_status = {
	.name = "Error status", .size = 8, .bits = error_status_bits, .nbits = WHEA_NFIELDS(error_status_bits)};

const whea_name whea_memory_error_types[] = {
	{0, "unknown"}, {1, "noError"}, {2, "singleBitEcc"}, {3, "multiBitEcc"},
	{4, "singleSymbolChipkillEcc"}, {5, "multiSymbolChipkillEcc"}, {6, "masterAbort"},
	{7, "targetAbort"}, {8, "parityError"}, {9, "watchdogTimeout"}, {10, "invalidAddress"},
	{11, "mirrorBroken"}, {12, "memorySparing"}, {13, "scrubCorrectedError"},
	{14, "scrubUncorrectedError"}, {15, "physicalMemoryMapOutEvent"}, {0, NULL}};

static const whea_bitfield memory_extended_bits[] = {
	{.key = "rowBit16", .lo = 0, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "rowBit17", .lo = 1, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "chipIdentification", .lo = 5, .width = 3, .kind = WHEA_K_UINT},
};
static const whea_def memory_extended = {
	.name = "Extended", .size = 1, .bits = memory_extended_bits, .nbits = WHEA_NFIELDS(memory_extended_bits)};

static const whea_name memory_extra_valid[] = {
	{18, "extendedRowValid"}, {19, "bankGroupValid"}, {20, "bankAddressValid"}, {21, "chipIdValid"}, {0, NULL}};

static const whea_field memory_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS, .names = memory_extra_valid},
	{.key = "errorStatus", .off = 8, .size = 8, .kind = WHEA_K_UINT, .valid = WHEA_V(0), .sub = &whea_def_error_status},
	{.key = "physicalAddress", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(1)},
	{.key = "physicalAddressMask", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(2)},
	{.key = "node", .off = 32, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
	{.key = "card", .off = 34, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(4)},
	{.key = "moduleRank", .off = 36, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(5)},
	{.key = "bank", .off = 38, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(6)},
	{.key = "device", .off = 40, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(7)},
	{.key = "row", .off = 42, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(8)},
	{.key = "column", .off = 44, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(9)},
	{.key = "bitPosition", .off = 46, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(10)},
	{.key = "requestorID", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(11)},
	{.key = "responderID", .off = 56, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(12)},
	{.key = "targetID", .off = 64, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(13)},
	{.key = "memoryErrorType", .off = 72, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(14), .names = whea_memory_error_types},
	/* Bits 18 (extended row) and 21 (chip id) each gate part of this byte: gate the row on
	 * neither and let the bitfields speak. */
	{.key = "extended", .off = 73, .size = 1, .kind = WHEA_K_UINT, .sub = &memory_extended},
	{.key = "rankNumber", .off = 74, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(15)},
	{.key = "cardSmbiosHandle", .off = 76, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(16)},
	{.key = "moduleSmbiosHandle", .off = 78, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(17)},
};

static void memory_check(const uint8_t *st, size_t len, uint64_t base,
			 void (*diag)(void *ctx, int severity, uint64_t off, const char *msg), void *ctx)
{
	if (len < 8)
		return; /* too short for its validation bits: reported by the walk */
	uint64_t v = whea_le64(st);
	if ((v & (1u << 18)) && (v & (1u << 8)))
		diag(ctx, WHEA_DIAG_WARNING, base,
		     "validation bits 8 (row) and 18 (extended row) are both set; UEFI allows only one");
}

const whea_def whea_def_memory = {
	.name = "Platform memory error", .size = 80, .min_size = 73,
	.fields = memory_fields, .nfields = WHEA_NFIELDS(memory_fields), .check = memory_check};

static const whea_name memory2_status_names[] = {{0, "uncorrected"}, {0, NULL}};

static const whea_field memory2_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS,
	 .names = (const whea_name[]){{20, "bankGroupValid"}, {21, "bankAddressValid"}, {0, NULL}}},
	{.key = "errorStatus", .off = 8, .size = 8, .kind = WHEA_K_UINT, .valid = WHEA_V(0), .sub = &whea_def_error_status},
	{.key = "physicalAddress", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(1)},
	{.key = "physicalAddressMask", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(2)},
	{.key = "node", .off = 32, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
	{.key = "card", .off = 34, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(4)},
	{.key = "module", .off = 36, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(5)},
	{.key = "bank", .off = 38, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(6)},
	{.key = "device", .off = 40, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(7)},
	{.key = "row", .off = 44, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(8)},
	{.key = "column", .off = 48, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(9)},
	{.key = "rank", .off = 52, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(10)},
	{.key = "bitPosition", .off = 56, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(11)},
	{.key = "chipID", .off = 60, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(12)},
	{.key = "memoryErrorType", .off = 61, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(13), .names = whea_memory_error_types},
	{.key = "status", .off = 62, .size = 1, .kind = WHEA_K_FLAGS, .valid = WHEA_V(14), .names = memory2_status_names},
	{.key = "reserved", .off = 63, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "requestorID", .off = 64, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(15)},
	{.key = "responderID", .off = 72, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(16)},
	{.key = "targetID", .off = 80, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(17)},
	{.key = "cardSmbiosHandle", .off = 88, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(18)},
	{.key = "moduleSmbiosHandle", .off = 92, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(19)},
};
static const whea_def memory2 = {
	.name = "Platform memory error 2", .size = 96, .fields = memory2_fields, .nfields = WHEA_NFIELDS(memory2_fields)};

/* FRU memory poison (spec 6.14): fixed 40-byte head, then PoisonListEntries 32-byte descriptors. */
static const whea_field poison_entry_fields[] = {
	{.key = "poisonTimestamp", .off = 0, .size = 8, .kind = WHEA_K_UINT},
	{.key = "hardwareIdType", .off = 8, .size = 4, .kind = WHEA_K_ENUM, .names = (const whea_name[]){{0, "mcaIpid"}, {0, NULL}}},
	{.key = "hardwareId", .off = 12, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "addressType", .off = 20, .size = 4, .kind = WHEA_K_ENUM, .names = (const whea_name[]){{0, "mcaAddr"}, {0, NULL}}},
	{.key = "address", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def poison_entry = {
	.name = "Poison descriptor", .size = 32, .fields = poison_entry_fields, .nfields = WHEA_NFIELDS(poison_entry_fields)};

static size_t poison_count(const uint8_t *st, size_t len)
{
	return len >= 40 ? whea_le32(st + 36) : 0;
}

static const whea_field poison_fields[] = {
	{.key = "checksum", .off = 0, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "validationBits", .off = 4, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "fruArchitectureType", .off = 12, .size = 4, .kind = WHEA_K_ENUM, .valid = WHEA_V(0),
	 .names = (const whea_name[]){{0, "x86CpuidFn1Eax"}, {0, NULL}}},
	{.key = "fruArchitecture", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(1)},
	{.key = "fruIdType", .off = 24, .size = 4, .kind = WHEA_K_ENUM, .valid = WHEA_V(2),
	 .names = (const whea_name[]){{0, "ppin"}, {0, NULL}}},
	{.key = "fruId", .off = 28, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(3)},
	{.key = "poisonListEntries", .off = 36, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(4)},
	{.key = "poisonList", .off = 40, .kind = WHEA_K_ARRAY, .valid = WHEA_V(5), .sub = &poison_entry, .count = poison_count},
};

static void poison_check(const uint8_t *st, size_t len, uint64_t base,
			 void (*diag)(void *ctx, int severity, uint64_t off, const char *msg), void *ctx)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 4 <= len; i += 4)
		sum += whea_le32(st + i);
	if (sum != 0)
		diag(ctx, WHEA_DIAG_WARNING, base, "FRU memory poison checksum does not sum to zero");
}

static const whea_def poison = {
	.name = "FRU memory poison", .size = 40, .fields = poison_fields, .nfields = WHEA_NFIELDS(poison_fields),
	.check = poison_check};

const whea_section_type *const whea_group_memory[] = {
	&(const whea_section_type){WHEA_GUID(0xa5bc1114, 0x6f64, 0x4ede, 0xb8, 0x63, 0x3e, 0x83, 0xed, 0x7c, 0x83, 0xb1),
				   "Platform Memory", "Memory", &whea_def_memory, NULL},
	&(const whea_section_type){WHEA_GUID(0x61ec04fc, 0x48e6, 0xd813, 0x25, 0xc9, 0x8d, 0xaa, 0x44, 0x75, 0x0b, 0x12),
				   "Platform Memory 2", "Memory2", &memory2, NULL},
	&(const whea_section_type){WHEA_GUID(0x5e4706c1, 0x5356, 0x48c6, 0x93, 0x0b, 0x52, 0xf2, 0x12, 0x0a, 0x44, 0x58),
				   "FRU Memory Poison", "FruMemoryPoison", &poison, NULL},
	NULL};
