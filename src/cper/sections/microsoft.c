/* sections/microsoft.c — Microsoft-defined CPER section bodies as field tables (spec WHEA-CPER.md 5A,
 * 6.15, 7; Windows SDK ntddk.h WHEA block): the WHEA hardware error packet (V1 "ErPt" / V2 "WHEA"),
 * NMI, XPF MCA (versions 1..5), error recovery info, PMEM, memory and PCIe correctable-error
 * summaries, Arm SEA / SEI / RAS node, PCI recovery, MU telemetry, IPMI MSR dump, Intel and AMD
 * memory-error extensions, platform extended RAS, memory range error, the PCIe DPC capability
 * snapshot, and (opaque, layout unpublished) generic section, IPF SAL record, device error summary. */
#include "sections.h"

/* Layouts defined by io.c and processor.c (UEFI sections reused inside the V1 packet union). */

/* MCA register layouts, shared with linux.c (struct mce carries the same MSRs). */

typedef void (*diag_fn)(void *ctx, int severity, uint64_t off, const char *msg);

/* ---------------------------------------------------------------- shared names */

static const whea_name severity_names[] = {
	{0, "recoverable"}, {1, "fatal"}, {2, "corrected"}, {3, "informational"}, {0, NULL}};

/* WHEA_ERROR_SOURCE_TYPE (spec 8.1). */
static const whea_name error_source_types[] = {
	{0x00, "mce"}, {0x01, "cmc"}, {0x02, "cpe"}, {0x03, "nmi"}, {0x04, "pcie"}, {0x05, "generic"},
	{0x06, "init"}, {0x07, "boot"}, {0x08, "sciGeneric"}, {0x09, "ipfMca"}, {0x0a, "ipfCmc"},
	{0x0b, "ipfCpe"}, {0x0c, "genericV2"}, {0x0d, "sciGenericV2"}, {0x0e, "bmc"}, {0x0f, "pmem"},
	{0x10, "deviceDriver"}, {0x11, "sea"}, {0x12, "sei"}, {0, NULL}};

/* WHEA_ERROR_TYPE (spec 7.4). */
static const whea_name packet_error_types[] = {
	{0, "processor"}, {1, "memory"}, {2, "pciExpress"}, {3, "nmi"}, {4, "pciXBus"},
	{5, "pciXDevice"}, {6, "generic"}, {7, "pmem"}, {0, NULL}};

/* WHEA_ERROR_PACKET_FLAGS (spec 7.3), bit numbers. */
static const whea_name packet_flags[] = {
	{0, "previousError"}, {1, "criticalEvent"}, {2, "hypervisorError"}, {3, "simulated"},
	{4, "platformPfaControl"}, {5, "platformDirectedOffline"}, {6, "addressTranslationRequired"},
	{7, "addressTranslationCompleted"}, {8, "recoveryOptional"}, {0, NULL}};

/* ---------------------------------------------------------------- MCA registers */

static const whea_bitfield mcg_status_bits[] = {
	{.key = "restartIpValid", .label = "RIPV (restart IP valid)", .lo = 0, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "errorIpValid", .label = "EIPV (error IP valid)", .lo = 1, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "machineCheckInProgress", .label = "MCIP (machine check in progress)", .lo = 2, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "localMceValid", .label = "LMCE valid", .lo = 3, .width = 1, .kind = WHEA_K_BOOL},
};
const whea_def whea_def_mcg_status = {
	.name = "MCG_STATUS", .size = 8, .bits = mcg_status_bits, .nbits = WHEA_NFIELDS(mcg_status_bits)};

static const whea_bitfield mcg_cap_bits[] = {
	{.key = "bankCount", .lo = 0, .width = 8, .kind = WHEA_K_UINT},
	{.key = "controlMsrPresent", .label = "MCG_CTL present", .lo = 8, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "extendedMsrsPresent", .label = "Extended MSRs present", .lo = 9, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "signalingExtensionPresent", .label = "CMCI present", .lo = 10, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "thresholdErrorStatusPresent", .lo = 11, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "extendedRegisterCount", .lo = 16, .width = 8, .kind = WHEA_K_UINT},
	{.key = "softwareErrorRecoverySupported", .label = "SER supported", .lo = 24, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "enhancedMachineCheckCapability", .label = "EMC capability", .lo = 25, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "extendedErrorLogging", .lo = 26, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "localMachineCheckException", .label = "LMCE supported", .lo = 27, .width = 1, .kind = WHEA_K_BOOL},
};
const whea_def whea_def_mcg_cap = {
	.name = "MCG_CAP", .size = 8, .bits = mcg_cap_bits, .nbits = WHEA_NFIELDS(mcg_cap_bits)};

/* MCi_STATUS bits common to Intel and AMD (spec 6.15). */
#define MCI_COMMON_LOW                                                                                  \
	{.key = "mcaErrorCode", .label = "MCA error code", .lo = 0, .width = 16, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX}, \
	{.key = "modelErrorCode", .label = "Model-specific error code", .lo = 16, .width = 16, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX}
#define MCI_COMMON_HIGH                                                                                 \
	{.key = "contextCorrupt", .label = "PCC (processor context corrupt)", .lo = 57, .width = 1, .kind = WHEA_K_BOOL}, \
	{.key = "addressValid", .label = "ADDRV (address valid)", .lo = 58, .width = 1, .kind = WHEA_K_BOOL},              \
	{.key = "miscValid", .label = "MISCV (misc valid)", .lo = 59, .width = 1, .kind = WHEA_K_BOOL},                    \
	{.key = "errorEnabled", .label = "EN (error enabled)", .lo = 60, .width = 1, .kind = WHEA_K_BOOL},                 \
	{.key = "uncorrectedError", .label = "UC (uncorrected)", .lo = 61, .width = 1, .kind = WHEA_K_BOOL},               \
	{.key = "statusOverflow", .label = "OVER (overflow)", .lo = 62, .width = 1, .kind = WHEA_K_BOOL},                  \
	{.key = "valid", .label = "VAL (valid)", .lo = 63, .width = 1, .kind = WHEA_K_BOOL}

static const whea_bitfield mci_common_bits[] = {MCI_COMMON_LOW, MCI_COMMON_HIGH};
const whea_def whea_def_mci_status = {
	.name = "MCi_STATUS", .size = 8, .bits = mci_common_bits, .nbits = WHEA_NFIELDS(mci_common_bits)};

static const whea_bitfield mci_intel_bits[] = {
	MCI_COMMON_LOW,
	{.key = "otherInfo", .lo = 32, .width = 5, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "firmwareUpdateError", .lo = 37, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "correctedErrorCount", .lo = 38, .width = 15, .kind = WHEA_K_UINT},
	{.key = "thresholdErrorStatus", .lo = 53, .width = 2, .kind = WHEA_K_UINT},
	{.key = "actionRequired", .label = "AR (action required)", .lo = 55, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "signaling", .label = "S (signaled)", .lo = 56, .width = 1, .kind = WHEA_K_BOOL},
	MCI_COMMON_HIGH,
};
static const whea_def mci_status_intel = {
	.name = "MCi_STATUS (Intel)", .size = 8, .bits = mci_intel_bits, .nbits = WHEA_NFIELDS(mci_intel_bits)};

static const whea_bitfield mci_amd_bits[] = {
	MCI_COMMON_LOW,
	{.key = "poison", .lo = 43, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "deferred", .lo = 44, .width = 1, .kind = WHEA_K_BOOL},
	MCI_COMMON_HIGH,
};
static const whea_def mci_status_amd = {
	.name = "MCi_STATUS (AMD)", .size = 8, .bits = mci_amd_bits, .nbits = WHEA_NFIELDS(mci_amd_bits)};

/* ---------------------------------------------------------------- NMI (12 bytes) */

static const whea_field nmi_fields[] = {
	{.key = "data", .label = "NMI port data", .off = 0, .size = 8, .kind = WHEA_K_BYTES},
	{.key = "flags", .off = 8, .size = 4, .kind = WHEA_K_FLAGS,
	 .names = (const whea_name[]){{0, "hypervisorError"}, {0, NULL}}},
};
static const whea_def nmi_def = {.name = "NMI error", .size = 12, .fields = nmi_fields, .nfields = WHEA_NFIELDS(nmi_fields)};

/* ---------------------------------------------------------------- PMEM error (88 + 24 n) */

static const whea_field pmem_range_fields[] = {
	{.key = "startingPfn", .label = "Starting PFN", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "pageCount", .off = 8, .size = 8, .kind = WHEA_K_UINT},
	{.key = "markedBadBitmap", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def pmem_range = {
	.name = "PMEM page range", .size = 24, .fields = pmem_range_fields, .nfields = WHEA_NFIELDS(pmem_range_fields)};

static size_t pmem_range_count(const uint8_t *st, size_t len)
{
	return len >= 88 ? whea_le32(st + 84) : 0;
}

static const whea_field pmem_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "locationInfo", .off = 8, .size = 64, .kind = WHEA_K_BYTES, .valid = WHEA_V(2)},
	{.key = "errorStatus", .off = 72, .size = 8, .kind = WHEA_K_UINT, .valid = WHEA_V(0), .sub = &whea_def_error_status},
	{.key = "nfitHandle", .label = "NFIT handle", .off = 80, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(1)},
	{.key = "pageRangeCount", .off = 84, .size = 4, .kind = WHEA_K_UINT},
	{.key = "pageRanges", .off = 88, .kind = WHEA_K_ARRAY, .sub = &pmem_range, .count = pmem_range_count},
};

static void pmem_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	if (len >= 88 && whea_le32(st + 84) > 50)
		diag(ctx, WHEA_DIAG_WARNING, base + 84, "PMEM page range count exceeds the Windows maximum of 50");
}

static const whea_def pmem_def = {
	.name = "PMEM error", .size = 88, .fields = pmem_fields, .nfields = WHEA_NFIELDS(pmem_fields), .check = pmem_check};

/* ---------------------------------------------------------------- WHEA error packet (spec 7) */

/* V1: the 208-byte union at 64 holds the UEFI section named by ErrorType. */
static const whea_def *packet_v1_error_select(const uint8_t *st, size_t len)
{
	if (len < 36)
		return NULL;
	switch (whea_le32(st + 32)) {
	case 0: return &whea_def_generic_processor;
	case 1: return &whea_def_memory;
	case 2: return &whea_def_pcie;
	case 3: return &nmi_def;
	case 4: return &whea_def_pci_bus;
	case 5: return &whea_def_pci_device;
	case 7: return &pmem_def;
	default: return NULL; /* 6 generic: no section in the union */
	}
}

static const whea_name raw_data_formats[] = {
	{0, "ipfSalRecord"}, {1, "ia32Mca"}, {2, "intel64Mca"}, {3, "amd64Mca"}, {4, "memory"},
	{5, "pciExpress"}, {6, "nmiPort"}, {7, "pciXBus"}, {8, "pciXDevice"}, {9, "generic"}, {0, NULL}};

static const whea_field packet_v1_fields[] = {
	{.key = "signature", .off = 0, .size = 4, .kind = WHEA_K_ASCII},
	{.key = "flags", .off = 4, .size = 4, .kind = WHEA_K_FLAGS, .names = packet_flags},
	{.key = "size", .off = 8, .size = 4, .kind = WHEA_K_UINT},
	{.key = "rawDataLength", .off = 12, .size = 4, .kind = WHEA_K_UINT},
	{.key = "reserved1", .off = 16, .size = 8, .kind = WHEA_K_RESERVED},
	{.key = "context", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errorType", .off = 32, .size = 4, .kind = WHEA_K_ENUM, .names = packet_error_types},
	{.key = "errorSeverity", .off = 36, .size = 4, .kind = WHEA_K_ENUM, .names = severity_names},
	{.key = "errorSourceId", .label = "Error source ID", .off = 40, .size = 4, .kind = WHEA_K_UINT},
	{.key = "errorSourceType", .off = 44, .size = 4, .kind = WHEA_K_ENUM, .names = error_source_types},
	{.key = "reserved2", .off = 48, .size = 4, .kind = WHEA_K_RESERVED},
	{.key = "version", .off = 52, .size = 4, .kind = WHEA_K_UINT},
	{.key = "cpu", .label = "CPU", .off = 56, .size = 8, .kind = WHEA_K_UINT},
	{.key = "errorSection", .off = 64, .size = 208, .kind = WHEA_K_STRUCT, .select = packet_v1_error_select},
	{.key = "rawDataFormat", .off = 272, .size = 4, .kind = WHEA_K_ENUM, .names = raw_data_formats},
	{.key = "rawDataOffset", .off = 276, .size = 4, .kind = WHEA_K_UINT},
	{.key = "rawData", .off = 280, .size = 0, .kind = WHEA_K_BYTES},
};

static void packet_v1_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	if (len < 280)
		return;
	if (whea_le32(st + 52) != 2)
		diag(ctx, WHEA_DIAG_WARNING, base + 52, "WHEA packet V1 version is not 2");
	if (whea_le32(st + 8) != 280u + (uint64_t)whea_le32(st + 12))
		diag(ctx, WHEA_DIAG_WARNING, base + 8, "WHEA packet V1 size is not 280 + raw data length");
	if (whea_le32(st + 8) > len)
		diag(ctx, WHEA_DIAG_WARNING, base + 8, "WHEA packet V1 size exceeds the section length");
}

static const whea_def packet_v1 = {
	.name = "WHEA error packet V1", .size = 280, .fields = packet_v1_fields,
	.nfields = WHEA_NFIELDS(packet_v1_fields), .check = packet_v1_check};

static const whea_name packet_data_formats[] = {
	{0, "ipfSalRecord"}, {1, "xpfMca"}, {2, "memory"}, {3, "pciExpress"}, {4, "nmiPort"},
	{5, "pciXBus"}, {6, "pciXDevice"}, {7, "generic"}, {0, NULL}};

static const whea_field packet_v2_fields[] = {
	{.key = "signature", .off = 0, .size = 4, .kind = WHEA_K_ASCII},
	{.key = "version", .off = 4, .size = 4, .kind = WHEA_K_UINT},
	{.key = "length", .off = 8, .size = 4, .kind = WHEA_K_UINT},
	{.key = "flags", .off = 12, .size = 4, .kind = WHEA_K_FLAGS, .names = packet_flags},
	{.key = "errorType", .off = 16, .size = 4, .kind = WHEA_K_ENUM, .names = packet_error_types},
	{.key = "errorSeverity", .off = 20, .size = 4, .kind = WHEA_K_ENUM, .names = severity_names},
	{.key = "errorSourceId", .label = "Error source ID", .off = 24, .size = 4, .kind = WHEA_K_UINT},
	{.key = "errorSourceType", .off = 28, .size = 4, .kind = WHEA_K_ENUM, .names = error_source_types},
	{.key = "notifyType", .off = 32, .size = 16, .kind = WHEA_K_GUID},
	{.key = "context", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "dataFormat", .off = 56, .size = 4, .kind = WHEA_K_ENUM, .names = packet_data_formats},
	{.key = "reserved1", .off = 60, .size = 4, .kind = WHEA_K_RESERVED},
	{.key = "dataOffset", .off = 64, .size = 4, .kind = WHEA_K_UINT},
	{.key = "dataLength", .off = 68, .size = 4, .kind = WHEA_K_UINT},
	{.key = "pshedDataOffset", .label = "PSHED data offset", .off = 72, .size = 4, .kind = WHEA_K_UINT},
	{.key = "pshedDataLength", .label = "PSHED data length", .off = 76, .size = 4, .kind = WHEA_K_UINT},
	/* Data (dataLength bytes) then PshedData (pshedDataLength bytes), kept as one blob. */
	{.key = "data", .label = "Data and PSHED data", .off = 80, .size = 0, .kind = WHEA_K_BYTES},
};

static void packet_v2_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	if (len < 80)
		return;
	uint64_t want = 80u + (uint64_t)whea_le32(st + 68) + whea_le32(st + 76);
	if (whea_le32(st + 4) != 3)
		diag(ctx, WHEA_DIAG_WARNING, base + 4, "WHEA packet V2 version is not 3");
	if (whea_le32(st + 8) != want)
		diag(ctx, WHEA_DIAG_WARNING, base + 8, "WHEA packet V2 length is not 80 + data length + PSHED data length");
	if (whea_le32(st + 8) > len)
		diag(ctx, WHEA_DIAG_WARNING, base + 8, "WHEA packet V2 length exceeds the section length");
}

static const whea_def packet_v2 = {
	.name = "WHEA error packet V2", .size = 80, .fields = packet_v2_fields,
	.nfields = WHEA_NFIELDS(packet_v2_fields), .check = packet_v2_check};

static const whea_def *packet_select(const uint8_t *st, size_t len)
{
	if (len < 4)
		return NULL;
	if (st[0] == 'E' && st[1] == 'r' && st[2] == 'P' && st[3] == 't')
		return &packet_v1;
	if (st[0] == 'W' && st[1] == 'H' && st[2] == 'E' && st[3] == 'A')
		return &packet_v2;
	return NULL;
}

/* A union: size covers only the signature that select() reads. */
static const whea_def *const packet_variants[] = {&packet_v1, &packet_v2, NULL};
static const whea_def packet_def = {
	.name = "WHEA hardware error packet", .size = 4, .select = packet_select, .variants = packet_variants};

/* ---------------------------------------------------------------- XPF MCA (versions 1..5) */

static const whea_def *xpf_status_select(const uint8_t *st, size_t len)
{
	if (len < 8)
		return &whea_def_mci_status;
	switch (whea_le32(st + 4)) {
	case 1: return &mci_status_intel;
	case 2: return &mci_status_amd;
	default: return &whea_def_mci_status;
	}
}

static const whea_field amd_ext_fields[] = {
	{.key = "ipid", .label = "MCA_IPID", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "synd", .label = "MCA_SYND", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "config", .label = "MCA_CONFIG", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "destat", .label = "MCA_DESTAT", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "deaddr", .label = "MCA_DEADDR", .off = 32, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "misc1", .label = "MCA_MISC1", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "misc2", .label = "MCA_MISC2", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "misc3", .label = "MCA_MISC3", .off = 56, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "misc4", .label = "MCA_MISC4", .off = 64, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "rasCap", .label = "RAS capability", .off = 72, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "reserved", .off = 80, .size = 112, .kind = WHEA_K_RESERVED},
};
static const whea_def amd_ext_regs = {
	.name = "AMD extended registers", .size = 192, .fields = amd_ext_fields, .nfields = WHEA_NFIELDS(amd_ext_fields)};

static const whea_field plain_ext_fields[] = {
	{.key = "registers", .off = 0, .size = 8, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count_fixed = 24},
};
static const whea_def plain_ext_regs = {
	.name = "Extended registers", .size = 192, .fields = plain_ext_fields, .nfields = WHEA_NFIELDS(plain_ext_fields)};

/* The AMD view of ExtendedRegisters came with GlobalCapability (sections of 272+ bytes). */
static const whea_def *xpf_extregs_select(const uint8_t *st, size_t len)
{
	return (len >= 272 && whea_le32(st + 4) == 2) ? &amd_ext_regs : &plain_ext_regs;
}

static const whea_name xpf_failure_reasons[] = {
	{0, "notSupported"}, {1, "overflow"}, {2, "contextCorrupt"}, {3, "restartIpErrorIpNotValid"},
	{4, "noRecoveryContext"}, {5, "miscOrAddrNotValid"}, {6, "invalidAddressMode"}, {7, "highIrql"},
	{8, "interruptsDisabled"}, {9, "swapBusy"}, {10, "stackOverflow"}, {0, NULL}};

static const whea_field xpf_recovery_fields[] = {
	{.key = "failureReason", .off = 0, .size = 4, .kind = WHEA_K_FLAGS, .names = xpf_failure_reasons},
	{.key = "action", .off = 4, .size = 4, .kind = WHEA_K_FLAGS,
	 .names = (const whea_name[]){{0, "recoveryAttempted"}, {1, "hvHandled"}, {0, NULL}}},
	{.key = "actionRequired", .off = 8, .size = 1, .kind = WHEA_K_UINT},
	{.key = "recoverySucceeded", .off = 9, .size = 1, .kind = WHEA_K_UINT},
	{.key = "recoveryKernel", .off = 10, .size = 1, .kind = WHEA_K_UINT},
	{.key = "reserved", .off = 11, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "reserved2", .off = 12, .size = 2, .kind = WHEA_K_RESERVED},
	{.key = "reserved3", .off = 14, .size = 2, .kind = WHEA_K_RESERVED},
	{.key = "reserved4", .off = 16, .size = 4, .kind = WHEA_K_RESERVED},
};
static const whea_def xpf_recovery = {
	.name = "XPF recovery info", .size = 20, .fields = xpf_recovery_fields, .nfields = WHEA_NFIELDS(xpf_recovery_fields)};

/* Ex arrays: 32 entries in version 4, 64 in version 5, none before. */
static size_t xpf_ex_count(const uint8_t *st, size_t len)
{
	if (len < 4)
		return 0;
	switch (whea_le32(st)) {
	case 4: return 32;
	case 5: return 64;
	default: return 0;
	}
}

static const whea_name cpu_vendors[] = {{0, "other"}, {1, "intel"}, {2, "amd"}, {0, NULL}};

/* One table for every version: rows past the section length are absent. Version 1 and the first
 * version 2 end at 264, before GlobalCapability (spec 6.15 gives only the later 272-byte v2; real
 * Windows records carry 264-byte ones, vector win_edk2_t00). */
static const whea_field xpf_mca_fields[] = {
	{.key = "versionNumber", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "cpuVendor", .label = "CPU vendor", .off = 4, .size = 4, .kind = WHEA_K_ENUM, .names = cpu_vendors},
	{.key = "timestamp", .label = "Timestamp (FILETIME)", .off = 8, .size = 8, .kind = WHEA_K_UINT},
	{.key = "processorNumber", .off = 16, .size = 4, .kind = WHEA_K_UINT},
	{.key = "globalStatus", .label = "MCG_STATUS", .off = 20, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &whea_def_mcg_status},
	{.key = "instructionPointer", .off = 28, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "bankNumber", .off = 36, .size = 4, .kind = WHEA_K_UINT},
	{.key = "status", .label = "MCi_STATUS", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR,
	 .sub = &whea_def_mci_status, .select = xpf_status_select},
	{.key = "address", .label = "MCi_ADDR", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "misc", .label = "MCi_MISC", .off = 56, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "extendedRegisterCount", .off = 64, .size = 4, .kind = WHEA_K_UINT},
	/* Reserved in version 1. */
	{.key = "apicId", .label = "APIC ID", .off = 68, .size = 4, .kind = WHEA_K_UINT},
	{.key = "extendedRegisters", .off = 72, .size = 192, .kind = WHEA_K_STRUCT, .sub = &plain_ext_regs,
	 .select = xpf_extregs_select},
	{.key = "globalCapability", .label = "MCG_CAP", .off = 264, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &whea_def_mcg_cap},
	{.key = "recoveryInfo", .off = 272, .size = 20, .kind = WHEA_K_STRUCT, .sub = &xpf_recovery},
	{.key = "exBankCount", .label = "Extra bank count", .off = 292, .size = 4, .kind = WHEA_K_UINT},
	{.key = "bankNumberEx", .label = "Extra bank numbers", .off = 296, .size = 4, .kind = WHEA_K_ARRAY, .count = xpf_ex_count},
	{.key = "statusEx", .label = "Extra MCi_STATUS", .off = WHEA_OFF_NEXT, .size = 8, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count = xpf_ex_count},
	{.key = "addressEx", .label = "Extra MCi_ADDR", .off = WHEA_OFF_NEXT, .size = 8, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count = xpf_ex_count},
	{.key = "miscEx", .label = "Extra MCi_MISC", .off = WHEA_OFF_NEXT, .size = 8, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count = xpf_ex_count},
};

static void xpf_mca_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	/* Version 2 first shipped at 264 bytes; GlobalCapability (272) came in a later revision. */
	static const uint32_t want[] = {0, 264, 264, 292, 1192, 2088};
	if (len < 4)
		return;
	uint32_t v = whea_le32(st);
	if (v < 1 || v > 5)
		diag(ctx, WHEA_DIAG_WARNING, base, "XPF MCA version number is not 1..5");
	else if (len < want[v])
		diag(ctx, WHEA_DIAG_WARNING, base, "XPF MCA section is shorter than its version requires");
}

static const whea_def xpf_mca_def = {
	.name = "XPF machine check", .size = 296, .min_size = 264, .fields = xpf_mca_fields,
	.nfields = WHEA_NFIELDS(xpf_mca_fields), .check = xpf_mca_check};

/* ---------------------------------------------------------------- error recovery info (39 bytes) */

static const whea_name recovery_failure_reasons[] = {
	{1, "kernelCouldNotMarkMemoryBad"}, {2, "kernelMarkMemoryBadTimedOut"}, {3, "noRecoveryContext"},
	{4, "notContinuable"}, {5, "pcc"}, {6, "overflow"}, {7, "notSupported"}, {8, "miscOrAddrNotValid"},
	{9, "invalidAddressMode"}, {10, "highIrql"}, {11, "insufficientAltContextWrappers"},
	{12, "interruptsDisabled"}, {13, "swapBusy"}, {14, "stackOverflow"}, {15, "unexpectedFailure"},
	{16, "kernelWillPageFaultBcAtCurrentIrql"}, {17, "farNotValid"}, {0, NULL}};

static const whea_field recovery_fields[] = {
	{.key = "recoveryKernel", .off = 0, .size = 1, .kind = WHEA_K_UINT},
	{.key = "recoveryAction", .off = 1, .size = 8, .kind = WHEA_K_FLAGS,
	 .names = (const whea_name[]){{0, "noneAttempted"}, {1, "terminateProcess"}, {2, "forwardedToVm"},
				      {3, "markPageBad"}, {4, "poisonNotPresent"}, {0, NULL}}},
	{.key = "recoveryType", .off = 9, .size = 4, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{1, "actionRequired"}, {2, "actionOptional"}, {0, NULL}}},
	{.key = "irql", .label = "IRQL", .off = 13, .size = 1, .kind = WHEA_K_UINT},
	{.key = "recoverySucceeded", .off = 14, .size = 1, .kind = WHEA_K_UINT},
	{.key = "failureReason", .off = 15, .size = 4, .kind = WHEA_K_ENUM, .names = recovery_failure_reasons},
	/* 20 bytes in the 39-byte layout; 38-byte sections also occur, hence "to the end". */
	{.key = "processName", .off = 19, .size = 0, .kind = WHEA_K_ASCII},
};
static const whea_def recovery_def = {
	.name = "Error recovery info", .size = 39, .min_size = 38, .fields = recovery_fields,
	.nfields = WHEA_NFIELDS(recovery_fields)};

/* ---------------------------------------------------------------- correctable error summaries */

static const whea_field mem_summary_entry_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "socketId", .label = "Socket ID", .off = 8, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(0)},
	{.key = "channelId", .label = "Channel ID", .off = 12, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(1)},
	{.key = "dimmSlot", .label = "DIMM slot", .off = 16, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(2)},
	{.key = "correctableErrorCount", .off = 20, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
};
static const whea_def mem_summary_entry = {
	.name = "Memory correctable error data", .size = 24, .fields = mem_summary_entry_fields,
	.nfields = WHEA_NFIELDS(mem_summary_entry_fields)};

/* Both summaries start with {Version u16, Count u16}. */
static size_t summary_count(const uint8_t *st, size_t len)
{
	return len >= 4 ? whea_le16(st + 2) : 0;
}

static const whea_field mem_summary_fields[] = {
	{.key = "version", .off = 0, .size = 2, .kind = WHEA_K_UINT},
	{.key = "count", .off = 2, .size = 2, .kind = WHEA_K_UINT},
	{.key = "entries", .off = 4, .kind = WHEA_K_ARRAY, .sub = &mem_summary_entry, .count = summary_count},
};
static const whea_def mem_summary_def = {
	.name = "Memory correctable error summary", .size = 4, .fields = mem_summary_fields,
	.nfields = WHEA_NFIELDS(mem_summary_fields)};

static const whea_field pcie_summary_entry_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "segment", .off = 8, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(0)},
	{.key = "bus", .off = 12, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(1)},
	{.key = "device", .off = 16, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(2)},
	{.key = "function", .off = 20, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
	{.key = "mask", .off = 24, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(4)},
	{.key = "correctableErrorCount", .off = 28, .size = 4, .kind = WHEA_K_ARRAY, .valid = WHEA_V(5), .count_fixed = 32},
};
static const whea_def pcie_summary_entry = {
	.name = "PCIe correctable error device", .size = 156, .fields = pcie_summary_entry_fields,
	.nfields = WHEA_NFIELDS(pcie_summary_entry_fields)};

static const whea_field pcie_summary_fields[] = {
	{.key = "version", .off = 0, .size = 2, .kind = WHEA_K_UINT},
	{.key = "count", .off = 2, .size = 2, .kind = WHEA_K_UINT},
	{.key = "devices", .off = 4, .kind = WHEA_K_ARRAY, .sub = &pcie_summary_entry, .count = summary_count},
};
static const whea_def pcie_summary_def = {
	.name = "PCIe correctable error summary", .size = 4, .fields = pcie_summary_fields,
	.nfields = WHEA_NFIELDS(pcie_summary_fields)};

/* ---------------------------------------------------------------- Arm SEA / SEI / RAS node */

static const whea_bitfield esr_bits[] = {
	{.key = "iss", .label = "ISS (instruction specific syndrome)", .lo = 0, .width = 25, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "il", .label = "IL (32-bit instruction)", .lo = 25, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "exceptionClass", .label = "EC (exception class)", .lo = 26, .width = 6, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def esr_def = {.name = "ESR", .size = 4, .bits = esr_bits, .nbits = WHEA_NFIELDS(esr_bits)};

static const whea_field sea_fields[] = {
	{.key = "esr", .label = "ESR", .off = 0, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &esr_def},
	{.key = "far", .label = "FAR", .off = 4, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "par", .label = "PAR", .off = 12, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "wasKernel", .off = 20, .size = 1, .kind = WHEA_K_UINT},
};
static const whea_def sea_def = {.name = "Arm synchronous external abort", .size = 21, .fields = sea_fields, .nfields = WHEA_NFIELDS(sea_fields)};

static const whea_field sei_fields[] = {
	{.key = "esr", .label = "ESR", .off = 0, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &esr_def},
	{.key = "far", .label = "FAR", .off = 4, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def sei_def = {.name = "Arm SError interrupt", .size = 12, .fields = sei_fields, .nfields = WHEA_NFIELDS(sei_fields)};

static const whea_field ras_node_fields[] = {
	{.key = "nodeFieldCount", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "nodeIndex", .off = 4, .size = 4, .kind = WHEA_K_UINT},
	{.key = "interfaceType", .off = 8, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "systemRegister"}, {1, "mmio"}, {0, NULL}}},
	/* ACPI AEST node type. */
	{.key = "aestNodeType", .label = "AEST node type", .off = 9, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "processor"}, {1, "memory"}, {2, "smmu"}, {3, "vendorDefined"},
				      {4, "gic"}, {5, "pcieRootComplex"}, {6, "proxy"}, {0, NULL}}},
	{.key = "reserved", .off = 10, .size = 6, .kind = WHEA_K_RESERVED},
	{.key = "errFr", .label = "ERR<n>FR", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errCtlr", .label = "ERR<n>CTLR", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errStatus", .label = "ERR<n>STATUS", .off = 32, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errAddr", .label = "ERR<n>ADDR", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errMisc0", .label = "ERR<n>MISC0", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errMisc1", .label = "ERR<n>MISC1", .off = 56, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errMisc2", .label = "ERR<n>MISC2", .off = 64, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "errMisc3", .label = "ERR<n>MISC3", .off = 72, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def ras_node_def = {
	.name = "Arm RAS node", .size = 80, .fields = ras_node_fields, .nfields = WHEA_NFIELDS(ras_node_fields)};

/* ---------------------------------------------------------------- PCI recovery (3 bytes) */

static const whea_field pci_recovery_fields[] = {
	{.key = "signalType", .off = 0, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "unknown"}, {1, "aer"}, {2, "dpc"}, {0, NULL}}},
	{.key = "recoveryAttempted", .off = 1, .size = 1, .kind = WHEA_K_UINT},
	{.key = "recoveryStatus", .off = 2, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "unknown"}, {1, "noError"}, {2, "linkDisableTimeout"},
				      {3, "linkEnableTimeout"}, {4, "rpBusyTimeout"}, {5, "complexTree"},
				      {6, "busNotFound"}, {7, "deviceNotFound"}, {8, "ddaAerNotRecoverable"},
				      {9, "failedRecovery"}, {10, "recoveredNoDevices"},
				      {11, "cxlAerNotRecoverable"}, {0, NULL}}},
};
static const whea_def pci_recovery_def = {
	.name = "PCI recovery", .size = 3, .fields = pci_recovery_fields, .nfields = WHEA_NFIELDS(pci_recovery_fields)};

/* ---------------------------------------------------------------- MU telemetry (56 bytes) */

static const whea_field mu_fields[] = {
	{.key = "componentId", .label = "Component ID", .off = 0, .size = 16, .kind = WHEA_K_GUID},
	{.key = "subComponentId", .label = "Subcomponent ID", .off = 16, .size = 16, .kind = WHEA_K_GUID},
	{.key = "reserved", .off = 32, .size = 4, .kind = WHEA_K_RESERVED},
	{.key = "errorStatusValue", .off = 36, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "additionalInfo1", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "additionalInfo2", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def mu_def = {.name = "Project Mu telemetry", .size = 56, .fields = mu_fields, .nfields = WHEA_NFIELDS(mu_fields)};

/* ---------------------------------------------------------------- IPMI MSR dump (5 + n) */

static const whea_field msr_dump_fields[] = {
	{.key = "msrDumpBuffer", .label = "MSR dump buffer", .off = 0, .size = 1, .kind = WHEA_K_UINT},
	{.key = "msrDumpLength", .label = "MSR dump length", .off = 1, .size = 4, .kind = WHEA_K_UINT},
	{.key = "msrDumpData", .label = "MSR dump data", .off = 5, .size = 0, .kind = WHEA_K_BYTES},
};

static void msr_dump_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	if (len >= 5 && 5u + (uint64_t)whea_le32(st + 1) > len)
		diag(ctx, WHEA_DIAG_WARNING, base + 1, "MSR dump length exceeds the section length");
}

static const whea_def msr_dump_def = {
	.name = "IPMI MSR dump", .size = 5, .fields = msr_dump_fields, .nfields = WHEA_NFIELDS(msr_dump_fields),
	.check = msr_dump_check};

/* ---------------------------------------------------------------- memory error extensions */

static const whea_name mem_ext_flags[] = {
	{0, "addressTranslationByPrmSuccess"}, {1, "addressTranslationByPrmFailed"},
	{2, "addressTranslationByPrmNotSupported"}, {3, "addressTranslationByPluginSuccess"},
	{4, "addressTranslationByPluginFailed"}, {5, "addressTranslationByPluginNotSupported"}, {0, NULL}};

/* Intel: flags, valid bits, WHEA_MEMORY_HARDWARE_ADDRESS_INTEL (16..126, laid out inline so the
 * valid bits gate its rows), reserved (166 bytes). */
static const whea_field mem_ext_intel_fields[] = {
	{.key = "flags", .off = 0, .size = 8, .kind = WHEA_K_FLAGS, .names = mem_ext_flags},
	{.key = "validationBits", .off = 8, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "memDef", .label = "Memory definition", .off = 16, .size = 4, .kind = WHEA_K_ENUM, .valid = WHEA_V(0),
	 .names = (const whea_name[]){{0, "undefined"}, {1, "farMemory"}, {2, "nearMemory"}, {3, "hbm"}, {0, NULL}}},
	{.key = "systemAddress", .off = 20, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(1)},
	{.key = "spareSystemAddress", .off = 28, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(2)},
	{.key = "devicePhysicalAddress", .off = 36, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(3)},
	{.key = "channelAddress", .off = 44, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(4)},
	{.key = "rankAddress", .off = 52, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(5)},
	{.key = "processorSocketId", .label = "Processor socket ID", .off = 60, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(6)},
	{.key = "memoryControllerId", .label = "Memory controller ID", .off = 61, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(7)},
	{.key = "targetId", .label = "Target ID", .off = 62, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(8)},
	{.key = "logicalChannelId", .label = "Logical channel ID", .off = 63, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(9)},
	{.key = "channelId", .label = "Channel ID", .off = 64, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(10)},
	{.key = "subChannelId", .label = "Subchannel ID", .off = 65, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(11)},
	{.key = "physicalRankId", .label = "Physical rank ID", .off = 66, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(12)},
	{.key = "dimmSlotId", .label = "DIMM slot ID", .off = 67, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(13)},
	{.key = "dimmRankId", .label = "DIMM rank ID", .off = 68, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(14)},
	{.key = "bank", .off = 69, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(15)},
	{.key = "bankGroup", .off = 70, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(16)},
	{.key = "row", .off = 71, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(17)},
	{.key = "column", .off = 75, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(18)},
	{.key = "lockStepRank", .off = 79, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(19)},
	{.key = "lockStepPhysicalRank", .off = 80, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(20)},
	{.key = "lockStepBank", .off = 81, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(21)},
	{.key = "lockStepBankGroup", .off = 82, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(22)},
	{.key = "chipSelect", .off = 83, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(23)},
	{.key = "node", .off = 84, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(24)},
	{.key = "chipId", .label = "Chip ID", .off = 85, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(25)},
	{.key = "hardwareAddressReserved", .off = 86, .size = 40, .kind = WHEA_K_RESERVED},
	{.key = "reserved", .off = 126, .size = 40, .kind = WHEA_K_RESERVED},
};
static const whea_def mem_ext_intel_def = {
	.name = "Intel memory error extension", .size = 166, .fields = mem_ext_intel_fields,
	.nfields = WHEA_NFIELDS(mem_ext_intel_fields)};

/* AMD: flags, valid bits, WHEA_MEMORY_HARDWARE_ADDRESS_AMD (16..93) inline, reserved (133 bytes). */
static const whea_field mem_ext_amd_fields[] = {
	{.key = "flags", .off = 0, .size = 8, .kind = WHEA_K_FLAGS, .names = mem_ext_flags},
	{.key = "validationBits", .off = 8, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "systemPhysicalAddress", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(0)},
	{.key = "normalizedAddress", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(1)},
	{.key = "umcBankInstanceId", .label = "UMC bank instance ID", .off = 32, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(2)},
	{.key = "socketNumber", .off = 40, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
	{.key = "chipSelect", .off = 41, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(4)},
	{.key = "bankGroup", .off = 42, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(5)},
	{.key = "bankAddress", .off = 43, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(6)},
	{.key = "rowAddress", .off = 44, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(7)},
	{.key = "columnAddress", .off = 48, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(8)},
	{.key = "rankMultiplier", .off = 50, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(9)},
	{.key = "subChannel", .off = 51, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(10)},
	{.key = "channelId", .label = "Channel ID", .off = 52, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(11)},
	{.key = "hardwareAddressReserved", .off = 53, .size = 40, .kind = WHEA_K_RESERVED},
	{.key = "reserved", .off = 93, .size = 40, .kind = WHEA_K_RESERVED},
};
static const whea_def mem_ext_amd_def = {
	.name = "AMD memory error extension", .size = 133, .fields = mem_ext_amd_fields,
	.nfields = WHEA_NFIELDS(mem_ext_amd_fields)};

/* ---------------------------------------------------------------- platform extended RAS */

/* WHEA_EXTENDED_RAS (the struct under the WHEA_EXTENDED_RAS_SECTION heading in ntddk.h). */
static const whea_field ext_ras_fields[] = {
	{.key = "flag", .off = 0, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "dimmLocation", .label = "DIMM location", .off = 4, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "sectionLength", .off = 8, .size = 8, .kind = WHEA_K_UINT},
	{.key = "sectionData", .off = 16, .size = 0, .kind = WHEA_K_BYTES},
};
static const whea_def ext_ras_def = {
	.name = "Platform extended RAS", .size = 16, .fields = ext_ras_fields, .nfields = WHEA_NFIELDS(ext_ras_fields)};

/* ---------------------------------------------------------------- memory range error */

static const whea_bitfield cxl_slot_bits[] = {
	{.key = "slotNumber", .lo = 3, .width = 13, .kind = WHEA_K_UINT},
};
static const whea_def cxl_slot = {.name = "Slot", .size = 2, .bits = cxl_slot_bits, .nbits = WHEA_NFIELDS(cxl_slot_bits)};

/* WHEA_DEVICE_INFO for WheaDeviceType_Cxl (the only device type defined): 72 bytes. */
static const whea_field cxl_device_info_fields[] = {
	{.key = "vendorId", .label = "Vendor ID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "deviceId", .label = "Device ID", .off = 2, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "functionNumber", .off = 4, .size = 1, .kind = WHEA_K_UINT},
	{.key = "deviceNumber", .off = 5, .size = 1, .kind = WHEA_K_UINT},
	{.key = "busNumber", .off = 6, .size = 1, .kind = WHEA_K_UINT},
	{.key = "segmentNumber", .off = 7, .size = 2, .kind = WHEA_K_UINT},
	{.key = "slot", .off = 9, .size = 2, .kind = WHEA_K_UINT, .sub = &cxl_slot},
	{.key = "reserved", .off = 11, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "deviceSerialNumber", .off = 12, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "reserved2", .off = 20, .size = 52, .kind = WHEA_K_RESERVED},
};
static const whea_def cxl_device_info = {
	.name = "CXL device", .size = 72, .fields = cxl_device_info_fields, .nfields = WHEA_NFIELDS(cxl_device_info_fields),
	.pci_loc = &(const whea_pci_loc){.seg = 7 + 1, .seg_size = 2, .bus = 6 + 1, .dev = 5 + 1, .fn = 4 + 1}};

static const whea_field mem_range_fields_one[] = {
	{.key = "startSystemPhysicalAddress", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "lengthInBytes", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def mem_range_one = {
	.name = "Memory range", .size = 16, .fields = mem_range_fields_one, .nfields = WHEA_NFIELDS(mem_range_fields_one)};

static size_t mem_range_count(const uint8_t *st, size_t len)
{
	return len >= 88 ? whea_le16(st + 86) : 0;
}

static const whea_field mem_range_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "version", .off = 8, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(0)},
	{.key = "deviceInfo", .off = 12, .size = 72, .kind = WHEA_K_STRUCT, .valid = WHEA_V(1), .sub = &cxl_device_info},
	{.key = "deviceType", .off = 84, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(2),
	 .names = (const whea_name[]){{0, "cxl"}, {0, NULL}}},
	{.key = "reserved", .off = 85, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "rangeCount", .off = 86, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
	{.key = "ranges", .off = 88, .kind = WHEA_K_ARRAY, .valid = WHEA_V(4), .sub = &mem_range_one, .count = mem_range_count},
};
static const whea_def mem_range_def = {
	.name = "Memory range error", .size = 88, .fields = mem_range_fields, .nfields = WHEA_NFIELDS(mem_range_fields)};

/* ---------------------------------------------------------------- PCIe DPC capability (68 bytes) */

/* WHEA_PCI_DPC_SECTION is PCI_EXPRESS_DPC_CAPABILITY: the DPC extended capability registers as
 * the PCI Express Base Specification lays them out (capability ID 0x1D). */
static const whea_bitfield ext_cap_header_bits[] = {
	{.key = "capabilityId", .label = "Capability ID", .lo = 0, .width = 16, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "capabilityVersion", .lo = 16, .width = 4, .kind = WHEA_K_UINT},
	{.key = "nextCapabilityOffset", .lo = 20, .width = 12, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def ext_cap_header = {
	.name = "Extended capability header", .size = 4, .bits = ext_cap_header_bits, .nbits = WHEA_NFIELDS(ext_cap_header_bits)};

static const whea_bitfield dpc_cap_bits[] = {
	{.key = "interruptMessageNumber", .lo = 0, .width = 5, .kind = WHEA_K_UINT},
	{.key = "rpExtensionsForDpc", .label = "RP extensions for DPC", .lo = 5, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "poisonedTlpEgressBlockingSupported", .label = "Poisoned TLP egress blocking supported", .lo = 6, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcSoftwareTriggeringSupported", .label = "DPC software triggering supported", .lo = 7, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "rpPioLogSize", .label = "RP PIO log size", .lo = 8, .width = 4, .kind = WHEA_K_UINT},
	{.key = "dlActiveErrCorSignalingSupported", .label = "DL_Active ERR_COR signaling supported", .lo = 12, .width = 1, .kind = WHEA_K_BOOL},
};
static const whea_def dpc_cap = {.name = "DPC capability", .size = 2, .bits = dpc_cap_bits, .nbits = WHEA_NFIELDS(dpc_cap_bits)};

static const whea_bitfield dpc_control_bits[] = {
	{.key = "dpcTriggerEnable", .label = "DPC trigger enable", .lo = 0, .width = 2, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "disabled"}, {1, "errFatal"}, {2, "errNonFatalOrFatal"}, {0, NULL}}},
	{.key = "dpcCompletionControl", .label = "DPC completion control", .lo = 2, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcInterruptEnable", .label = "DPC interrupt enable", .lo = 3, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcErrCorEnable", .label = "DPC ERR_COR enable", .lo = 4, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "poisonedTlpEgressBlockingEnable", .label = "Poisoned TLP egress blocking enable", .lo = 5, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcSoftwareTrigger", .label = "DPC software trigger", .lo = 6, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dlActiveErrCorEnable", .label = "DL_Active ERR_COR enable", .lo = 7, .width = 1, .kind = WHEA_K_BOOL},
};
static const whea_def dpc_control = {
	.name = "DPC control", .size = 2, .bits = dpc_control_bits, .nbits = WHEA_NFIELDS(dpc_control_bits)};

static const whea_bitfield dpc_status_bits[] = {
	{.key = "dpcTriggerStatus", .label = "DPC trigger status", .lo = 0, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcTriggerReason", .label = "DPC trigger reason", .lo = 1, .width = 2, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "unmaskedUncorrectableError"}, {1, "errNonFatal"}, {2, "errFatal"},
				      {3, "seeExtension"}, {0, NULL}}},
	{.key = "dpcInterruptStatus", .label = "DPC interrupt status", .lo = 3, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcRpBusy", .label = "DPC RP busy", .lo = 4, .width = 1, .kind = WHEA_K_BOOL},
	{.key = "dpcTriggerReasonExtension", .label = "DPC trigger reason extension", .lo = 5, .width = 2, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "rpPioError"}, {1, "softwareTrigger"}, {0, NULL}}},
	{.key = "rpPioFirstErrorPointer", .label = "RP PIO first error pointer", .lo = 8, .width = 5, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def dpc_status = {
	.name = "DPC status", .size = 2, .bits = dpc_status_bits, .nbits = WHEA_NFIELDS(dpc_status_bits)};

static const whea_bitfield dpc_source_bits[] = {
	{.key = "function", .lo = 0, .width = 3, .kind = WHEA_K_UINT},
	{.key = "device", .lo = 3, .width = 5, .kind = WHEA_K_UINT},
	{.key = "bus", .lo = 8, .width = 8, .kind = WHEA_K_UINT},
};
static const whea_def dpc_source = {
	.name = "DPC error source ID", .size = 2, .bits = dpc_source_bits, .nbits = WHEA_NFIELDS(dpc_source_bits)};

/* RP PIO status / mask / severity / SysError / exception share one bit layout. */
static const whea_name rp_pio_bits[] = {
	{0, "cfgUrCpl"}, {1, "cfgCaCpl"}, {2, "cfgCto"}, {8, "ioUrCpl"}, {9, "ioCaCpl"}, {10, "ioCto"},
	{16, "memUrCpl"}, {17, "memCaCpl"}, {18, "memCto"}, {0, NULL}};

static const whea_field dpc_fields[] = {
	{.key = "header", .label = "Extended capability header", .off = 0, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &ext_cap_header},
	{.key = "dpcCapabilities", .label = "DPC capabilities", .off = 4, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &dpc_cap},
	{.key = "dpcControl", .label = "DPC control", .off = 6, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &dpc_control},
	{.key = "dpcStatus", .label = "DPC status", .off = 8, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &dpc_status},
	{.key = "dpcErrorSourceId", .label = "DPC error source ID", .off = 10, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &dpc_source},
	{.key = "rpPioStatus", .label = "RP PIO status", .off = 12, .size = 4, .kind = WHEA_K_FLAGS, .names = rp_pio_bits},
	{.key = "rpPioMask", .label = "RP PIO mask", .off = 16, .size = 4, .kind = WHEA_K_FLAGS, .names = rp_pio_bits},
	{.key = "rpPioSeverity", .label = "RP PIO severity", .off = 20, .size = 4, .kind = WHEA_K_FLAGS, .names = rp_pio_bits},
	{.key = "rpPioSysError", .label = "RP PIO SysError", .off = 24, .size = 4, .kind = WHEA_K_FLAGS, .names = rp_pio_bits},
	{.key = "rpPioException", .label = "RP PIO exception", .off = 28, .size = 4, .kind = WHEA_K_FLAGS, .names = rp_pio_bits},
	{.key = "rpPioHeaderLog", .label = "RP PIO header log", .off = 32, .size = 4, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count_fixed = 4},
	{.key = "rpPioImpSpecLog", .label = "RP PIO implementation-specific log", .off = 48, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "rpPioTlpPrefixLog", .label = "RP PIO TLP prefix log", .off = 52, .size = 4, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count_fixed = 4},
};
static const whea_def dpc_def = {
	.name = "PCIe DPC capability", .size = 68, .fields = dpc_fields, .nfields = WHEA_NFIELDS(dpc_fields)};

/* ---------------------------------------------------------------- registry group */

#define MS_E712(d1) WHEA_GUID(d1, 0xc1b9, 0x4940, 0xab, 0x76, 0x90, 0x97, 0x03, 0xa4, 0x32, 0x0f)

const whea_section_type *const whea_group_microsoft[] = {
	&(const whea_section_type){MS_E712(0xe71254e9), "WHEA Hardware Error Packet", "WheaErrorPacket", &packet_def, NULL},
	&(const whea_section_type){MS_E712(0xe71254e7), "NMI", "Nmi", &nmi_def, NULL},
	/* Layout not published (Microsoft "generic" section). */
	&(const whea_section_type){MS_E712(0xe71254e8), "WHEA Generic", "WheaGeneric", NULL, NULL},
	&(const whea_section_type){WHEA_GUID(0x8a1e1d01, 0x42f9, 0x4557, 0x9c, 0x33, 0x56, 0x5e, 0x5c, 0xc3, 0xf7, 0xe8),
				   "XPF MCA", "XpfMca", &xpf_mca_def, NULL},
	/* Raw Itanium SAL record. */
	&(const whea_section_type){WHEA_GUID(0x6f3380d1, 0x6eb0, 0x497f, 0xa5, 0x78, 0x4d, 0x4c, 0x65, 0xa7, 0x16, 0x17),
				   "IPF SAL Record", "IpfSalRecord", NULL, NULL},
	&(const whea_section_type){WHEA_GUID(0x81687003, 0xdbfd, 0x4728, 0x9f, 0xfd, 0xf0, 0x90, 0x4f, 0x97, 0x59, 0x7d),
				   "PMEM Error", "PmemError", &pmem_def, NULL},
	&(const whea_section_type){WHEA_GUID(0x85183a8b, 0x9c41, 0x429c, 0x93, 0x9c, 0x5c, 0x3c, 0x08, 0x7c, 0xa2, 0x80),
				   "MU Telemetry", "MuTelemetry", &mu_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xc34832a1, 0x02c3, 0x4c52, 0xa9, 0xf1, 0x9f, 0x1d, 0x5d, 0x77, 0x23, 0xfc),
				   "Error Recovery Info", "RecoveryInfo", &recovery_def, NULL},
	&(const whea_section_type){WHEA_GUID(0x1c15b445, 0x9b06, 0x4667, 0xac, 0x25, 0x33, 0xc0, 0x56, 0xb8, 0x88, 0x03),
				   "IPMI MSR Dump", "IpmiMsrDump", &msr_dump_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xec49534b, 0x30e7, 0x4358, 0x97, 0x2f, 0xec, 0xa6, 0x95, 0x8f, 0xae, 0x3b),
				   "PCIe DPC Capability", "PciDpcCapability", &dpc_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xe96eca99, 0x53e2, 0x4f52, 0x9b, 0xe7, 0xd2, 0xdb, 0xe9, 0x50, 0x8e, 0xd0),
				   "PCIe Correctable Error Summary", "PcieCorrectableSummary", &pcie_summary_def, NULL},
	&(const whea_section_type){WHEA_GUID(0x0e36c93e, 0xca15, 0x4a83, 0xba, 0x8a, 0xcb, 0xe8, 0x0f, 0x7f, 0x00, 0x17),
				   "Memory Correctable Error Summary", "MemoryCorrectableSummary", &mem_summary_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xf5fe48a6, 0x84ce, 0x4c1e, 0xaa, 0x64, 0x20, 0xc9, 0xa5, 0x30, 0x99, 0xf1),
				   "Arm SEA", "Sea", &sea_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xf2a4a152, 0x9c6d, 0x4020, 0xae, 0xcf, 0x76, 0x95, 0xb3, 0x89, 0x25, 0x1b),
				   "Arm SEI", "Sei", &sei_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xdd060800, 0xf6e1, 0x4204, 0xac, 0x27, 0xc4, 0xbc, 0xa9, 0x56, 0x84, 0x02),
				   "PCI Recovery", "PciRecovery", &pci_recovery_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xe3ebf4a2, 0xdf50, 0x4708, 0xb2, 0xd7, 0x0b, 0x29, 0xec, 0x2f, 0x7a, 0xa9),
				   "Arm RAS Node", "ArmRasNode", &ras_node_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xe16edb28, 0x6113, 0x4263, 0xa4, 0x1d, 0xe5, 0x3f, 0x8d, 0xe7, 0x87, 0x51),
				   "Intel Memory Error Extension", "MemoryErrorExtIntel", &mem_ext_intel_def, NULL},
	&(const whea_section_type){WHEA_GUID(0x0d3a4a3b, 0x774a, 0x4c72, 0x95, 0xe2, 0x15, 0x2d, 0x43, 0x18, 0x03, 0x74),
				   "AMD Memory Error Extension", "MemoryErrorExtAmd", &mem_ext_amd_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xc6749ac0, 0x16fb, 0x4868, 0xb9, 0x76, 0x65, 0xa6, 0x12, 0x99, 0x83, 0x4f),
				   "Platform Extended RAS", "PlatformExtendedRas", &ext_ras_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xcc245308, 0x61d5, 0x4356, 0xa7, 0x07, 0x25, 0x17, 0x2e, 0xc2, 0xf5, 0xea),
				   "Memory Range Error", "MemoryRangeError", &mem_range_def, NULL},
	/* Layout not published. */
	&(const whea_section_type){WHEA_GUID(0x990b31e9, 0x541a, 0x4db0, 0xa4, 0x2f, 0x83, 0x7d, 0x34, 0x4f, 0x69, 0x23),
				   "Device Error Summary", "DeviceErrorSummary", NULL, NULL},
	/* Device-driver sections (WheaAddHwErrorReportSectionDeviceDriver) carry a type GUID chosen
	 * by the driver; StorPort uses the all-zero GUID, which is not registered here. */
	NULL};
