/* sections/linux.c — the Linux pstore-over-ERST private section types (spec WHEA-CPER.md 5A end, 13):
 * console log text (DMESG), compressed console log (DMESG_Z) and the x86 machine check record
 * (struct mce from arch/x86/include/uapi/asm/mce.h, natural alignment, not packed). */
#include "sections.h"

/* MCA register layouts, defined in microsoft.c. */

static const whea_field dmesg_fields[] = {
	{.key = "text", .off = 0, .size = 0, .kind = WHEA_K_ASCII},
};
static const whea_def dmesg_def = {.name = "pstore console log", .size = 0, .fields = dmesg_fields, .nfields = WHEA_NFIELDS(dmesg_fields)};

static const whea_field dmesg_z_fields[] = {
	{.key = "data", .label = "Compressed data", .off = 0, .size = 0, .kind = WHEA_K_BYTES},
};
static const whea_def dmesg_z_def = {
	.name = "pstore compressed console log", .size = 0, .fields = dmesg_z_fields, .nfields = WHEA_NFIELDS(dmesg_z_fields)};

/* struct mce: the kernel keeps existing fields at fixed offsets (shared with mcelog) and only
 * appends; the first 88 bytes (to mcgcap) are in every version, later kernels add synd/ipid (104),
 * ppin (112), microcode (120 with tail padding) and kflags (128). Rows past the section end are
 * absent. Bytes 58/59 were one u16 pad in old kernels; severity is kernel-internal. */
static const whea_field mce_fields[] = {
	{.key = "status", .label = "MCi_STATUS", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &whea_def_mci_status},
	{.key = "misc", .label = "MCi_MISC", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "addr", .label = "MCi_ADDR", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "mcgStatus", .label = "MCG_STATUS", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &whea_def_mcg_status},
	{.key = "ip", .label = "Instruction pointer", .off = 32, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "tsc", .label = "TSC", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "time", .label = "Time (Unix seconds)", .off = 48, .size = 8, .kind = WHEA_K_UINT},
	/* Kernel X86_VENDOR_* number (0 Intel, 2 AMD, ...). */
	{.key = "cpuVendor", .label = "CPU vendor", .off = 56, .size = 1, .kind = WHEA_K_UINT},
	{.key = "injectFlags", .off = 57, .size = 1, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "severity", .off = 58, .size = 1, .kind = WHEA_K_UINT},
	{.key = "pad", .off = 59, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "cpuid", .label = "CPUID 1 EAX", .off = 60, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "cs", .label = "CS", .off = 64, .size = 1, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "bank", .off = 65, .size = 1, .kind = WHEA_K_UINT},
	{.key = "cpu", .label = "CPU (obsolete)", .off = 66, .size = 1, .kind = WHEA_K_UINT},
	{.key = "finished", .off = 67, .size = 1, .kind = WHEA_K_UINT},
	{.key = "extCpu", .label = "CPU", .off = 68, .size = 4, .kind = WHEA_K_UINT},
	{.key = "socketId", .label = "Socket ID", .off = 72, .size = 4, .kind = WHEA_K_UINT},
	{.key = "apicId", .label = "APIC ID", .off = 76, .size = 4, .kind = WHEA_K_UINT},
	{.key = "mcgCap", .label = "MCG_CAP", .off = 80, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = &whea_def_mcg_cap},
	{.key = "synd", .label = "MCA_SYND", .off = 88, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "ipid", .label = "MCA_IPID", .off = 96, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "ppin", .label = "PPIN", .off = 104, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "microcode", .label = "Microcode revision", .off = 112, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "pad2", .off = 116, .size = 4, .kind = WHEA_K_RESERVED},
	{.key = "kflags", .label = "Kernel flags", .off = 120, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def mce_def = {
	.name = "Linux machine check", .size = 128, .min_size = 88, .fields = mce_fields, .nfields = WHEA_NFIELDS(mce_fields)};

const whea_section_type *const whea_group_linux[] = {
	&(const whea_section_type){WHEA_GUID(0xc197e04e, 0xd545, 0x4a70, 0x9c, 0x17, 0xa5, 0x54, 0x94, 0x19, 0xeb, 0x12),
				   "Linux pstore DMESG", "LinuxDmesg", &dmesg_def, NULL},
	&(const whea_section_type){WHEA_GUID(0x4f118707, 0x04dd, 0x4055, 0xb5, 0xdd, 0x95, 0x6d, 0x34, 0xdd, 0xfa, 0xc6),
				   "Linux pstore DMESG (compressed)", "LinuxDmesgCompressed", &dmesg_z_def, NULL},
	&(const whea_section_type){WHEA_GUID(0xfe08ffbe, 0x95e4, 0x4be7, 0xbc, 0x73, 0x40, 0x96, 0x04, 0x4a, 0x38, 0xfc),
				   "Linux pstore MCE", "LinuxMce", &mce_def, NULL},
	NULL};
