/* sections/processor.c — processor error sections as field tables: processor generic (spec
 * WHEA-CPER.md 6.1), IA32/X64 with its error-information check info and context structures (6.2),
 * IA64 (6.3, opaque SAL data) and ARM with error-information and context structures (6.4). */
#include "sections.h"

/* ---- shared helpers ---------------------------------------------------------------------- */

static int guid_at(const uint8_t *p, const whea_guid *g)
{
	for (unsigned i = 0; i < 16; i++)
		if (p[i] != g->b[i])
			return 0;
	return 1;
}

/* Register rows: key as libcper spells it, label as the architecture manuals do. */
#define REG(k, l, o, sz) {.key = k, .label = l, .off = (o), .size = (sz), .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR}
#define R32(k, l, i) REG(k, l, (i) * 4, 4)
#define R64(k, l, i) REG(k, l, (i) * 8, 8)
#define SEL(k, l, o) {.key = k, .label = l, .off = (o), .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX}
#define BIT(k, l, n) {.key = k, .label = l, .lo = (n), .width = 1, .kind = WHEA_K_BOOL}

/* ---- CPU identification bitfields (generic CPUVersion, ARM MIDR/MPIDR) -------------------- */

/* x86 CPUID.1:EAX as Windows' WHEA_PROCESSOR_FAMILY_INFO, with NativeModelId in the high half. */
static const whea_bitfield x86_family_bits[] = {
	{.key = "stepping", .lo = 0, .width = 4, .kind = WHEA_K_UINT},
	{.key = "model", .lo = 4, .width = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "family", .lo = 8, .width = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "processorType", .lo = 12, .width = 2, .kind = WHEA_K_UINT},
	{.key = "extendedModel", .lo = 16, .width = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "extendedFamily", .lo = 20, .width = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "nativeModelId", .label = "Native model ID", .lo = 32, .width = 32, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def x86_family = {
	.name = "x86 CPU version", .size = 8, .bits = x86_family_bits, .nbits = WHEA_NFIELDS(x86_family_bits)};

static const whea_bitfield arm_midr_bits[] = {
	{.key = "revision", .lo = 0, .width = 4, .kind = WHEA_K_UINT},
	{.key = "partNum", .label = "Part number", .lo = 4, .width = 12, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "architecture", .lo = 16, .width = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "variant", .lo = 20, .width = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "implementer", .lo = 24, .width = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def arm_midr = {
	.name = "MIDR_EL1", .size = 8, .bits = arm_midr_bits, .nbits = WHEA_NFIELDS(arm_midr_bits)};

static const whea_bitfield arm_mpidr_bits[] = {
	{.key = "aff0", .label = "Aff0", .lo = 0, .width = 8, .kind = WHEA_K_UINT},
	{.key = "aff1", .label = "Aff1", .lo = 8, .width = 8, .kind = WHEA_K_UINT},
	{.key = "aff2", .label = "Aff2", .lo = 16, .width = 8, .kind = WHEA_K_UINT},
	BIT("mt", "MT (multithreading)", 24),
	BIT("u", "U (uniprocessor)", 30),
	{.key = "aff3", .label = "Aff3", .lo = 32, .width = 8, .kind = WHEA_K_UINT},
};
static const whea_def arm_mpidr = {
	.name = "MPIDR_EL1", .size = 8, .bits = arm_mpidr_bits, .nbits = WHEA_NFIELDS(arm_mpidr_bits)};

/* ---- Processor Generic (6.1, 192 bytes) --------------------------------------------------- */

static const whea_name genproc_types[] = {{0, "ia32X64"}, {1, "ia64"}, {2, "arm"}, {0, NULL}};
/* [DISAGREE] D5: UEFI/Linux reading (3 = ARM A32/T32, 4 = ARM A64); Windows writes 4/8 for ARM32/64. */
static const whea_name genproc_isas[] = {
	{0, "ia32"}, {1, "ia64"}, {2, "x64"}, {3, "armA32T32"}, {4, "armA64"}, {0, NULL}};
static const whea_name genproc_error_types[] = {
	{0, "unknown"}, {1, "cache"}, {2, "tlb"}, {4, "bus"}, {8, "microArchitectural"}, {0, NULL}};
static const whea_name genproc_operations[] = {
	{0, "generic"}, {1, "dataRead"}, {2, "dataWrite"}, {3, "instructionExecution"}, {0, NULL}};
static const whea_name genproc_flags[] = {
	{0, "restartable"}, {1, "preciseIP"}, {2, "overflow"}, {3, "corrected"}, {0, NULL}};
/* Bit 13 is Windows-only (WHEA_PROCESSOR_GENERIC_ERROR_SECTION_VALIDBITS.NativeModelId). */
static const whea_name genproc_extra_valid[] = {{13, "nativeModelIdValid"}, {0, NULL}};

/* CPUVersion means CPUID.1:EAX on x86 and MIDR_EL1 on ARM: pick by a valid ProcessorType. */
static const whea_def *genproc_version_select(const uint8_t *st, size_t len)
{
	if (len < 9 || !(whea_le64(st) & 1))
		return NULL;
	if (st[8] == 0)
		return &x86_family;
	if (st[8] == 2)
		return &arm_midr;
	return NULL;
}

static const whea_field genproc_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS, .names = genproc_extra_valid},
	{.key = "processorType", .off = 8, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(0), .names = genproc_types},
	{.key = "processorISA", .label = "Processor ISA", .off = 9, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(1),
	 .names = genproc_isas},
	{.key = "errorType", .off = 10, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(2), .names = genproc_error_types},
	{.key = "operation", .off = 11, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(3), .names = genproc_operations},
	{.key = "flags", .off = 12, .size = 1, .kind = WHEA_K_FLAGS, .valid = WHEA_V(4), .names = genproc_flags},
	{.key = "level", .off = 13, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(5)},
	{.key = "reserved", .off = 14, .size = 2, .kind = WHEA_K_RESERVED},
	{.key = "cpuVersionInfo", .label = "CPU version info", .off = 16, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_HEX, .valid = WHEA_V(6), .select = genproc_version_select},
	{.key = "cpuBrandString", .label = "CPU brand string", .off = 24, .size = 128, .kind = WHEA_K_ASCII,
	 .valid = WHEA_V(7)},
	{.key = "processorID", .label = "Processor ID", .off = 152, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX,
	 .valid = WHEA_V(8)},
	{.key = "targetAddress", .off = 160, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(9)},
	{.key = "requestorID", .off = 168, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(10)},
	{.key = "responderID", .off = 176, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(11)},
	{.key = "instructionIP", .label = "Instruction IP", .off = 184, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(12)},
};
const whea_def whea_def_generic_processor = {
	.name = "Processor generic error", .size = 192, .fields = genproc_fields, .nfields = WHEA_NFIELDS(genproc_fields)};

/* ---- IA32/X64 check info (6.2.2) ---------------------------------------------------------- */

static const whea_name x86_transaction_types[] = {{0, "instruction"}, {1, "dataAccess"}, {2, "generic"}, {0, NULL}};
static const whea_name x86_cache_ops[] = {
	{0, "genericError"}, {1, "genericRead"}, {2, "genericWrite"}, {3, "dataRead"}, {4, "dataWrite"},
	{5, "instructionFetch"}, {6, "prefetch"}, {7, "eviction"}, {8, "snoop"}, {0, NULL}};
static const whea_name x86_ops[] = { /* TLB and bus checks: no eviction/snoop */
	{0, "genericError"}, {1, "genericRead"}, {2, "genericWrite"}, {3, "dataRead"}, {4, "dataWrite"},
	{5, "instructionFetch"}, {6, "prefetch"}, {0, NULL}};
static const whea_name x86_participation[] = {
	{0, "localProcessorOriginatedRequest"}, {1, "localProcessorRespondedToRequest"},
	{2, "localProcessorObservedError"}, {3, "generic"}, {0, NULL}};
static const whea_name x86_address_spaces[] = {{0, "memoryAccess"}, {2, "ioAccess"}, {3, "otherTransaction"}, {0, NULL}};
static const whea_name x86_ms_error_types[] = {
	{0, "noError"}, {1, "unclassified"}, {2, "microcodeRomParityError"}, {3, "externalError"},
	{4, "frcError"}, {5, "internalUnclassified"}, {0, NULL}};

/* Bits [15:0] of the check info say which of the fields below are valid (bitfield .valid). */
#define X86_CHECK_COMMON(ops)                                                                              \
	{.key = "transactionType", .lo = 16, .width = 2, .kind = WHEA_K_ENUM, .valid = WHEA_V(0),          \
	 .names = x86_transaction_types},                                                                  \
	{.key = "operation", .lo = 18, .width = 4, .kind = WHEA_K_ENUM, .valid = WHEA_V(1), .names = (ops)}, \
	{.key = "level", .lo = 22, .width = 3, .kind = WHEA_K_UINT, .valid = WHEA_V(2)},                   \
	{.key = "processorContextCorrupt", .lo = 25, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(3)}, \
	{.key = "uncorrected", .lo = 26, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(4)},             \
	{.key = "preciseIP", .label = "Precise IP", .lo = 27, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(5)}, \
	{.key = "restartableIP", .label = "Restartable IP", .lo = 28, .width = 1, .kind = WHEA_K_BOOL,      \
	 .valid = WHEA_V(6)},                                                                              \
	{.key = "overflow", .lo = 29, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(7)}

static const whea_bitfield x86_cache_check_bits[] = {X86_CHECK_COMMON(x86_cache_ops)};
static const whea_def x86_cache_check = {
	.name = "Cache check", .size = 8, .bits = x86_cache_check_bits, .nbits = WHEA_NFIELDS(x86_cache_check_bits)};

static const whea_bitfield x86_tlb_check_bits[] = {X86_CHECK_COMMON(x86_ops)};
static const whea_def x86_tlb_check = {
	.name = "TLB check", .size = 8, .bits = x86_tlb_check_bits, .nbits = WHEA_NFIELDS(x86_tlb_check_bits)};

static const whea_bitfield x86_bus_check_bits[] = {
	X86_CHECK_COMMON(x86_ops),
	{.key = "participationType", .lo = 30, .width = 2, .kind = WHEA_K_ENUM, .valid = WHEA_V(8),
	 .names = x86_participation},
	{.key = "timedOut", .lo = 32, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(9)},
	{.key = "addressSpace", .lo = 33, .width = 2, .kind = WHEA_K_ENUM, .valid = WHEA_V(10),
	 .names = x86_address_spaces},
};
static const whea_def x86_bus_check = {
	.name = "Bus check", .size = 8, .bits = x86_bus_check_bits, .nbits = WHEA_NFIELDS(x86_bus_check_bits)};

static const whea_bitfield x86_ms_check_bits[] = {
	{.key = "errorType", .lo = 16, .width = 3, .kind = WHEA_K_ENUM, .valid = WHEA_V(0), .names = x86_ms_error_types},
	{.key = "processorContextCorrupt", .lo = 19, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(1)},
	{.key = "uncorrected", .lo = 20, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(2)},
	{.key = "preciseIP", .label = "Precise IP", .lo = 21, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(3)},
	{.key = "restartableIP", .label = "Restartable IP", .lo = 22, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(4)},
	{.key = "overflow", .lo = 23, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(5)},
};
static const whea_def x86_ms_check = {
	.name = "MS check", .size = 8, .bits = x86_ms_check_bits, .nbits = WHEA_NFIELDS(x86_ms_check_bits)};

static const whea_guid x86_cache_check_guid =
	WHEA_GUID(0xa55701f5, 0xe3ef, 0x43de, 0xac, 0x72, 0x24, 0x9b, 0x57, 0x3f, 0xad, 0x2c);
static const whea_guid x86_tlb_check_guid =
	WHEA_GUID(0xfc06b535, 0x5e1f, 0x4562, 0x9f, 0x25, 0x0a, 0x3b, 0x9a, 0xdb, 0x63, 0xc3);
static const whea_guid x86_bus_check_guid =
	WHEA_GUID(0x1cf3f8b3, 0xc5b1, 0x49a2, 0xaa, 0x59, 0x5e, 0xef, 0x92, 0xff, 0xa6, 0x3c);
static const whea_guid x86_ms_check_guid =
	WHEA_GUID(0x48ab7f57, 0xdc34, 0x4f6c, 0xa7, 0xd3, 0xb0, 0xb5, 0xb0, 0xa7, 0x43, 0x14);

/* Check-info layout by the error structure's type GUID; unknown GUID: plain integer. */
static const whea_def *x86_check_select(const uint8_t *st, size_t len)
{
	if (len < 16)
		return NULL;
	if (guid_at(st, &x86_cache_check_guid))
		return &x86_cache_check;
	if (guid_at(st, &x86_tlb_check_guid))
		return &x86_tlb_check;
	if (guid_at(st, &x86_bus_check_guid))
		return &x86_bus_check;
	if (guid_at(st, &x86_ms_check_guid))
		return &x86_ms_check;
	return NULL;
}

/* ---- IA32/X64 Processor Error Information (6.2.1, 64 bytes) -------------------------------- */

static const whea_field x86_error_info_fields[] = {
	{.key = "type", .label = "Error structure type", .off = 0, .size = 16, .kind = WHEA_K_GUID},
	{.key = "validationBits", .off = 16, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "checkInfo", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(0),
	 .select = x86_check_select},
	{.key = "targetAddressID", .label = "Target address ID", .off = 32, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(1)},
	{.key = "requestorID", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(2)},
	{.key = "responderID", .off = 48, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(3)},
	{.key = "instructionPointer", .off = 56, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(4)},
};
static const whea_def x86_error_info = {
	.name = "Processor error information", .size = 64, .fields = x86_error_info_fields,
	.nfields = WHEA_NFIELDS(x86_error_info_fields)};

/* ---- IA32/X64 register states (6.2.3 types 2 and 3) ---------------------------------------- */

static const whea_field x86_ia32_regs_fields[] = {
	R32("eax", "EAX", 0), R32("ebx", "EBX", 1), R32("ecx", "ECX", 2), R32("edx", "EDX", 3),
	R32("esi", "ESI", 4), R32("edi", "EDI", 5), R32("ebp", "EBP", 6), R32("esp", "ESP", 7),
	SEL("cs", "CS", 32), SEL("ds", "DS", 34), SEL("ss", "SS", 36), SEL("es", "ES", 38),
	SEL("fs", "FS", 40), SEL("gs", "GS", 42),
	R32("eflags", "EFLAGS", 11), R32("eip", "EIP", 12), R32("cr0", "CR0", 13), R32("cr1", "CR1", 14),
	R32("cr2", "CR2", 15), R32("cr3", "CR3", 16), R32("cr4", "CR4", 17),
	REG("gdtr", "GDTR", 72, 8), REG("idtr", "IDTR", 80, 8),
	SEL("ldtr", "LDTR", 88), SEL("tr", "TR", 90),
};
static const whea_def x86_ia32_regs = {
	.name = "IA32 register state", .size = 92, .fields = x86_ia32_regs_fields,
	.nfields = WHEA_NFIELDS(x86_ia32_regs_fields)};

/* [DISAGREE] D7: UEFI/Windows layout with CR8 at 200 (244 bytes), not EDK II's 236-byte one. */
static const whea_field x86_x64_regs_fields[] = {
	R64("rax", "RAX", 0), R64("rbx", "RBX", 1), R64("rcx", "RCX", 2), R64("rdx", "RDX", 3),
	R64("rsi", "RSI", 4), R64("rdi", "RDI", 5), R64("rbp", "RBP", 6), R64("rsp", "RSP", 7),
	R64("r8", "R8", 8), R64("r9", "R9", 9), R64("r10", "R10", 10), R64("r11", "R11", 11),
	R64("r12", "R12", 12), R64("r13", "R13", 13), R64("r14", "R14", 14), R64("r15", "R15", 15),
	SEL("cs", "CS", 128), SEL("ds", "DS", 130), SEL("ss", "SS", 132), SEL("es", "ES", 134),
	SEL("fs", "FS", 136), SEL("gs", "GS", 138),
	{.key = "reserved", .off = 140, .size = 4, .kind = WHEA_K_RESERVED},
	R64("rflags", "RFLAGS", 18),
	R64("eip", "RIP", 19), /* "EIP" in UEFI and Windows (and libcper's key); the value is RIP */
	R64("cr0", "CR0", 20), R64("cr1", "CR1", 21), R64("cr2", "CR2", 22), R64("cr3", "CR3", 23),
	R64("cr4", "CR4", 24), R64("cr8", "CR8", 25),
	R64("gdtr_0", "GDTR (low)", 26), R64("gdtr_1", "GDTR (high)", 27),
	R64("idtr_0", "IDTR (low)", 28), R64("idtr_1", "IDTR (high)", 29),
	SEL("ldtr", "LDTR", 240), SEL("tr", "TR", 242),
};
static const whea_def x86_x64_regs = {
	.name = "X64 register state", .size = 244, .fields = x86_x64_regs_fields,
	.nfields = WHEA_NFIELDS(x86_x64_regs_fields)};

/* Register array layout by RegisterContextType, only when RegisterArraySize is exactly the
 * layout's size; anything else (MSRs, FXSAVE, debug, MMIO, odd sizes) stays bytes. */
static const whea_def *x86_regs_select(const uint8_t *st, size_t len)
{
	if (len < 16)
		return NULL;
	uint16_t type = whea_le16(st), size = whea_le16(st + 2);
	if (type == 2 && size == x86_ia32_regs.size)
		return &x86_ia32_regs;
	if (type == 3 && size == x86_x64_regs.size)
		return &x86_x64_regs;
	return NULL;
}

/* ---- IA32/X64 Processor Context Information (6.2.3, 16 + RegisterArraySize bytes) ---------- */

static const whea_name x86_context_types[] = {
	{0, "unclassifiedData"}, {1, "msrRegisters"}, {2, "ia32ExecutionContext"}, {3, "x64ExecutionContext"},
	{4, "fxsaveState"}, {5, "ia32DebugRegisters"}, {6, "x64DebugRegisters"}, {7, "memoryMappedRegisters"},
	{0, NULL}};

static const whea_field x86_context_fields[] = {
	{.key = "registerContextType", .off = 0, .size = 2, .kind = WHEA_K_ENUM, .names = x86_context_types},
	{.key = "registerArraySize", .off = 2, .size = 2, .kind = WHEA_K_UINT},
	{.key = "msrAddress", .label = "MSR address", .off = 4, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "mmRegisterAddress", .label = "MM register address", .off = 8, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR},
	/* size 0: the selected layout's size, or bytes to the element's end when select gives NULL */
	{.key = "registerArray", .off = 16, .size = 0, .kind = WHEA_K_STRUCT, .select = x86_regs_select},
};
static const whea_def x86_context = {
	.name = "Processor context information", .size = 16, .fields = x86_context_fields,
	.nfields = WHEA_NFIELDS(x86_context_fields)};

/* Does a context header of hdr bytes (type at +0 u16; size at +2 u16 or u32) plausibly start at
 * p? avail == 0 (the list ends exactly here) counts as plausible; a zero size does not (it is
 * what zero padding looks like). */
static int ctx_plausible(const uint8_t *p, size_t avail, size_t hdr, unsigned type_off, unsigned max_type,
			 int size32)
{
	if (avail == 0)
		return 1;
	if (avail < hdr || whea_le16(p + type_off) > max_type)
		return 0;
	size_t size = size32 ? whea_le32(p + type_off + 2) : whea_le16(p + type_off + 2);
	return size != 0 && size <= avail - hdr;
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Stride of one context structure of hdr-byte header and `size` bytes of registers.
 * [DISAGREE] D8: exactly hdr + size (Linux, libcper); the UEFI 16-byte padded stride only when
 * the exact one lands on something implausible, the pad is zero and the padded one is plausible. */
static size_t ctx_stride(const uint8_t *e, size_t avail, size_t hdr, size_t size, unsigned type_off,
			 unsigned max_type, int size32)
{
	if (avail < hdr || size > avail - hdr)
		return 0;
	size_t exact = hdr + size, padded = (exact + 15) & ~(size_t)15;
	if (padded != exact && padded <= avail && all_zero(e + exact, padded - exact) &&
	    !ctx_plausible(e + exact, avail - exact, hdr, type_off, max_type, size32) &&
	    ctx_plausible(e + padded, avail - padded, hdr, type_off, max_type, size32))
		return padded;
	return exact;
}

static size_t x86_context_size(const uint8_t *e, size_t avail)
{
	return avail < 16 ? 0 : ctx_stride(e, avail, 16, whea_le16(e + 2), 0, 7, 0);
}

/* ---- IA32/X64 Processor Error Section (6.2) ------------------------------------------------ */

/* Validation bits [7:2] = N error-information structures, [13:8] = M context structures. */
static const whea_bitfield x86_valid_bits[] = {
	{.key = "processorErrorInfoNum", .lo = 2, .width = 6, .kind = WHEA_K_UINT},
	{.key = "processorContextInfoNum", .lo = 8, .width = 6, .kind = WHEA_K_UINT},
};
static const whea_def x86_valid = {
	.name = "Validation bits", .size = 8, .bits = x86_valid_bits, .nbits = WHEA_NFIELDS(x86_valid_bits)};

static size_t x86_error_info_count(const uint8_t *st, size_t len)
{
	return len < 8 ? 0 : (size_t)((whea_le64(st) >> 2) & 0x3f);
}

static size_t x86_context_count(const uint8_t *st, size_t len)
{
	return len < 8 ? 0 : (size_t)((whea_le64(st) >> 8) & 0x3f);
}

static const whea_field x86_cpuid_fields[] = {
	{.key = "eax", .label = "EAX", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "ebx", .label = "EBX", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "ecx", .label = "ECX", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "edx", .label = "EDX", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "reserved", .off = 32, .size = 16, .kind = WHEA_K_RESERVED},
};
static const whea_def x86_cpuid = {
	.name = "CPUID information", .size = 48, .fields = x86_cpuid_fields, .nfields = WHEA_NFIELDS(x86_cpuid_fields)};

static const whea_field x86_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS, .sub = &x86_valid},
	{.key = "localAPICID", .label = "Local APIC ID", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX,
	 .valid = WHEA_V(0)},
	{.key = "cpuidInfo", .label = "CPUID info", .off = 16, .size = 48, .kind = WHEA_K_STRUCT, .valid = WHEA_V(1),
	 .sub = &x86_cpuid},
	{.key = "processorErrorInfo", .off = 64, .kind = WHEA_K_ARRAY, .sub = &x86_error_info,
	 .count = x86_error_info_count},
	{.key = "processorContextInfo", .off = WHEA_OFF_NEXT, .kind = WHEA_K_ARRAY, .sub = &x86_context,
	 .count = x86_context_count, .elem_size = x86_context_size},
};
static const whea_def x86_proc = {
	.name = "IA32/X64 processor error", .size = 64, .fields = x86_fields, .nfields = WHEA_NFIELDS(x86_fields)};

/* ---- ARM error information (6.4, 32 bytes) ------------------------------------------------- */

static const whea_name arm_transaction_types[] = {{0, "instruction"}, {1, "dataAccess"}, {2, "generic"}, {0, NULL}};
static const whea_name arm_cache_ops[] = {
	{0, "genericError"}, {1, "genericRead"}, {2, "genericWrite"}, {3, "dataRead"}, {4, "dataWrite"},
	{5, "instructionFetch"}, {6, "prefetch"}, {7, "eviction"}, {8, "snooping"}, {9, "snooped"},
	{10, "management"}, {0, NULL}};
static const whea_name arm_tlb_ops[] = {
	{0, "genericError"}, {1, "genericRead"}, {2, "genericWrite"}, {3, "dataRead"}, {4, "dataWrite"},
	{5, "instructionFetch"}, {6, "prefetch"}, {7, "localManagementOperation"},
	{8, "externalManagementOperation"}, {0, NULL}};
static const whea_name arm_bus_ops[] = {
	{0, "genericError"}, {1, "genericRead"}, {2, "genericWrite"}, {3, "dataRead"}, {4, "dataWrite"},
	{5, "instructionFetch"}, {6, "prefetch"}, {0, NULL}};
static const whea_name arm_participation[] = {
	{0, "localProcessorOriginatedRequest"}, {1, "localProcessorRespondedToRequest"},
	{2, "localProcessorObservedError"}, {3, "generic"}, {0, NULL}};
static const whea_name arm_address_spaces[] = {
	{0, "externalMemoryAccess"}, {1, "internalMemoryAccess"}, {3, "deviceMemoryAccess"}, {0, NULL}};
static const whea_name arm_access_modes[] = {{0, "secure"}, {1, "normal"}, {0, NULL}};

/* Bits [15:0] say which fields are valid. Note bit 26 is Corrected (1 = corrected), the opposite
 * polarity of the x86 Uncorrected bit. */
#define ARM_INFO_COMMON(ops)                                                                               \
	{.key = "transactionType", .lo = 16, .width = 2, .kind = WHEA_K_ENUM, .valid = WHEA_V(0),          \
	 .names = arm_transaction_types},                                                                  \
	{.key = "operation", .lo = 18, .width = 4, .kind = WHEA_K_ENUM, .valid = WHEA_V(1), .names = (ops)}, \
	{.key = "level", .lo = 22, .width = 3, .kind = WHEA_K_UINT, .valid = WHEA_V(2)},                   \
	{.key = "processorContextCorrupt", .lo = 25, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(3)}, \
	{.key = "corrected", .lo = 26, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(4)},               \
	{.key = "precisePC", .label = "Precise PC", .lo = 27, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(5)}, \
	{.key = "restartablePC", .label = "Restartable PC", .lo = 28, .width = 1, .kind = WHEA_K_BOOL,      \
	 .valid = WHEA_V(6)}

static const whea_bitfield arm_cache_info_bits[] = {ARM_INFO_COMMON(arm_cache_ops)};
static const whea_def arm_cache_info = {
	.name = "Cache error", .size = 8, .bits = arm_cache_info_bits, .nbits = WHEA_NFIELDS(arm_cache_info_bits)};

static const whea_bitfield arm_tlb_info_bits[] = {ARM_INFO_COMMON(arm_tlb_ops)};
static const whea_def arm_tlb_info = {
	.name = "TLB error", .size = 8, .bits = arm_tlb_info_bits, .nbits = WHEA_NFIELDS(arm_tlb_info_bits)};

static const whea_bitfield arm_bus_info_bits[] = {
	ARM_INFO_COMMON(arm_bus_ops),
	{.key = "participationType", .lo = 29, .width = 2, .kind = WHEA_K_ENUM, .valid = WHEA_V(7),
	 .names = arm_participation},
	{.key = "timedOut", .lo = 31, .width = 1, .kind = WHEA_K_BOOL, .valid = WHEA_V(8)},
	{.key = "addressSpace", .lo = 32, .width = 2, .kind = WHEA_K_ENUM, .valid = WHEA_V(9),
	 .names = arm_address_spaces},
	{.key = "memoryAttributes", .lo = 34, .width = 9, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(10)},
	{.key = "accessMode", .lo = 43, .width = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(11), .names = arm_access_modes},
};
static const whea_def arm_bus_info = {
	.name = "Bus error", .size = 8, .bits = arm_bus_info_bits, .nbits = WHEA_NFIELDS(arm_bus_info_bits)};

/* [DISAGREE] D6: Type is a bit set, UEFI 2.9A/2.10 reading (bit1 cache, bit2 TLB, bit3 bus,
 * bit4 micro-architectural), not the older enumeration 0..3 nor the newest RST's bits 0..3. */
static const whea_name arm_error_types[] = {
	{1, "cacheError"}, {2, "tlbError"}, {3, "busError"}, {4, "microArchitecturalError"}, {0, NULL}};

/* ErrorInformation layout: exactly one of cache/TLB/bus set and nothing else; otherwise (several
 * types, micro-architectural, reserved bits) a plain integer. */
static const whea_def *arm_info_select(const uint8_t *st, size_t len)
{
	if (len < 5)
		return NULL;
	switch (st[4]) {
	case 1u << 1: return &arm_cache_info;
	case 1u << 2: return &arm_tlb_info;
	case 1u << 3: return &arm_bus_info;
	default: return NULL;
	}
}

static const whea_name arm_info_flags[] = {
	{0, "firstErrorCaptured"}, {1, "lastErrorCaptured"}, {2, "propagated"}, {3, "overflow"}, {0, NULL}};

static const whea_field arm_error_info_fields[] = {
	{.key = "version", .off = 0, .size = 1, .kind = WHEA_K_UINT},
	{.key = "length", .off = 1, .size = 1, .kind = WHEA_K_UINT},
	{.key = "validationBits", .off = 2, .size = 2, .kind = WHEA_K_VALIDBITS},
	{.key = "errorType", .off = 4, .size = 1, .kind = WHEA_K_FLAGS, .names = arm_error_types},
	/* 0 = single error, 1 = multiple errors, >= 2 = the number of errors */
	{.key = "multipleError", .off = 5, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(0)},
	{.key = "flags", .off = 7, .size = 1, .kind = WHEA_K_FLAGS, .valid = WHEA_V(1), .names = arm_info_flags},
	{.key = "errorInformation", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(2),
	 .select = arm_info_select},
	{.key = "virtualFaultAddress", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR,
	 .valid = WHEA_V(3)},
	{.key = "physicalFaultAddress", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR,
	 .valid = WHEA_V(4)},
};

static void arm_error_info_check(const uint8_t *st, size_t len, uint64_t base,
				 void (*diag)(void *ctx, int severity, uint64_t off, const char *msg), void *ctx)
{
	if (len >= 2 && st[1] != 32)
		diag(ctx, WHEA_DIAG_WARNING, base + 1, "ARM error information Length is not 32");
}

static const whea_def arm_error_info = {
	.name = "ARM error information", .size = 32, .fields = arm_error_info_fields,
	.nfields = WHEA_NFIELDS(arm_error_info_fields), .check = arm_error_info_check};

/* ---- ARM register arrays (6.4 context types 0..9) ------------------------------------------ */

static const whea_field arm_a32_gpr_fields[] = {
	R32("r0", "R0", 0), R32("r1", "R1", 1), R32("r2", "R2", 2), R32("r3", "R3", 3),
	R32("r4", "R4", 4), R32("r5", "R5", 5), R32("r6", "R6", 6), R32("r7", "R7", 7),
	R32("r8", "R8", 8), R32("r9", "R9", 9), R32("r10", "R10", 10), R32("r11", "R11", 11),
	R32("r12", "R12", 12), R32("r13_sp", "R13 (SP)", 13), R32("r14_lr", "R14 (LR)", 14),
	R32("r15_pc", "R15 (PC)", 15),
};
static const whea_def arm_a32_gpr = {
	.name = "AArch32 general purpose registers", .size = 64, .fields = arm_a32_gpr_fields,
	.nfields = WHEA_NFIELDS(arm_a32_gpr_fields)};

static const whea_field arm_a32_el1_fields[] = {
	R32("dfar", "DFAR", 0), R32("dfsr", "DFSR", 1), R32("ifar", "IFAR", 2), R32("isr", "ISR", 3),
	R32("mair0", "MAIR0", 4), R32("mair1", "MAIR1", 5), R32("midr", "MIDR", 6), R32("mpidr", "MPIDR", 7),
	R32("nmrr", "NMRR", 8), R32("prrr", "PRRR", 9), R32("sctlr_ns", "SCTLR (NS)", 10), R32("spsr", "SPSR", 11),
	R32("spsr_abt", "SPSR_abt", 12), R32("spsr_fiq", "SPSR_fiq", 13), R32("spsr_irq", "SPSR_irq", 14),
	R32("spsr_svc", "SPSR_svc", 15), R32("spsr_und", "SPSR_und", 16), R32("tpidrprw", "TPIDRPRW", 17),
	R32("tpidruro", "TPIDRURO", 18), R32("tpidrurw", "TPIDRURW", 19), R32("ttbcr", "TTBCR", 20),
	R32("ttbr0", "TTBR0", 21), R32("ttbr1", "TTBR1", 22), R32("dacr", "DACR", 23),
};
static const whea_def arm_a32_el1 = {
	.name = "AArch32 EL1 context registers", .size = 96, .fields = arm_a32_el1_fields,
	.nfields = WHEA_NFIELDS(arm_a32_el1_fields)};

static const whea_field arm_a32_el2_fields[] = {
	R32("elr_hyp", "ELR_hyp", 0), R32("hamair0", "HAMAIR0", 1), R32("hamair1", "HAMAIR1", 2),
	R32("hcr", "HCR", 3), R32("hcr2", "HCR2", 4), R32("hdfar", "HDFAR", 5), R32("hifar", "HIFAR", 6),
	R32("hpfar", "HPFAR", 7), R32("hsr", "HSR", 8), R32("htcr", "HTCR", 9), R32("htpidr", "HTPIDR", 10),
	R32("httbr", "HTTBR", 11), R32("spsr_hyp", "SPSR_hyp", 12), R32("vtcr", "VTCR", 13),
	R32("vttbr", "VTTBR", 14), R32("dacr32_el2", "DACR32_EL2", 15),
};
static const whea_def arm_a32_el2 = {
	.name = "AArch32 EL2 context registers", .size = 64, .fields = arm_a32_el2_fields,
	.nfields = WHEA_NFIELDS(arm_a32_el2_fields)};

static const whea_field arm_a32_secure_fields[] = {R32("sctlr_s", "SCTLR (S)", 0), R32("spsr_mon", "SPSR_mon", 1)};
static const whea_def arm_a32_secure = {
	.name = "AArch32 secure context registers", .size = 8, .fields = arm_a32_secure_fields,
	.nfields = WHEA_NFIELDS(arm_a32_secure_fields)};

static const whea_field arm_a64_gpr_fields[] = {
	R64("x0", "X0", 0), R64("x1", "X1", 1), R64("x2", "X2", 2), R64("x3", "X3", 3),
	R64("x4", "X4", 4), R64("x5", "X5", 5), R64("x6", "X6", 6), R64("x7", "X7", 7),
	R64("x8", "X8", 8), R64("x9", "X9", 9), R64("x10", "X10", 10), R64("x11", "X11", 11),
	R64("x12", "X12", 12), R64("x13", "X13", 13), R64("x14", "X14", 14), R64("x15", "X15", 15),
	R64("x16", "X16", 16), R64("x17", "X17", 17), R64("x18", "X18", 18), R64("x19", "X19", 19),
	R64("x20", "X20", 20), R64("x21", "X21", 21), R64("x22", "X22", 22), R64("x23", "X23", 23),
	R64("x24", "X24", 24), R64("x25", "X25", 25), R64("x26", "X26", 26), R64("x27", "X27", 27),
	R64("x28", "X28", 28), R64("x29", "X29", 29), R64("x30", "X30", 30), R64("sp", "SP", 31),
};
static const whea_def arm_a64_gpr = {
	.name = "AArch64 general purpose registers", .size = 256, .fields = arm_a64_gpr_fields,
	.nfields = WHEA_NFIELDS(arm_a64_gpr_fields)};

/* Windows' header names the second register ESR_EL2: a typo for ESR_EL1 (spec 6.4). */
static const whea_field arm_a64_el1_fields[] = {
	R64("elr_el1", "ELR_EL1", 0), R64("esr_el1", "ESR_EL1", 1), R64("far_el1", "FAR_EL1", 2),
	R64("isr_el1", "ISR_EL1", 3), R64("mair_el1", "MAIR_EL1", 4), R64("midr_el1", "MIDR_EL1", 5),
	R64("mpidr_el1", "MPIDR_EL1", 6), R64("sctlr_el1", "SCTLR_EL1", 7), R64("sp_el0", "SP_EL0", 8),
	R64("sp_el1", "SP_EL1", 9), R64("spsr_el1", "SPSR_EL1", 10), R64("tcr_el1", "TCR_EL1", 11),
	R64("tpidr_el0", "TPIDR_EL0", 12), R64("tpidr_el1", "TPIDR_EL1", 13), R64("tpidrro_el0", "TPIDRRO_EL0", 14),
	R64("ttbr0_el1", "TTBR0_EL1", 15), R64("ttbr1_el1", "TTBR1_EL1", 16),
};
static const whea_def arm_a64_el1 = {
	.name = "AArch64 EL1 context registers", .size = 136, .fields = arm_a64_el1_fields,
	.nfields = WHEA_NFIELDS(arm_a64_el1_fields)};

static const whea_field arm_a64_el2_fields[] = {
	R64("elr_el2", "ELR_EL2", 0), R64("esr_el2", "ESR_EL2", 1), R64("far_el2", "FAR_EL2", 2),
	R64("hacr_el2", "HACR_EL2", 3), R64("hcr_el2", "HCR_EL2", 4), R64("hpfar_el2", "HPFAR_EL2", 5),
	R64("mair_el2", "MAIR_EL2", 6), R64("sctlr_el2", "SCTLR_EL2", 7), R64("sp_el2", "SP_EL2", 8),
	R64("spsr_el2", "SPSR_EL2", 9), R64("tcr_el2", "TCR_EL2", 10), R64("tpidr_el2", "TPIDR_EL2", 11),
	R64("ttbr0_el2", "TTBR0_EL2", 12), R64("vtcr_el2", "VTCR_EL2", 13), R64("vttbr_el2", "VTTBR_EL2", 14),
};
static const whea_def arm_a64_el2 = {
	.name = "AArch64 EL2 context registers", .size = 120, .fields = arm_a64_el2_fields,
	.nfields = WHEA_NFIELDS(arm_a64_el2_fields)};

static const whea_field arm_a64_el3_fields[] = {
	R64("elr_el3", "ELR_EL3", 0), R64("esr_el3", "ESR_EL3", 1), R64("far_el3", "FAR_EL3", 2),
	R64("mair_el3", "MAIR_EL3", 3), R64("sctlr_el3", "SCTLR_EL3", 4), R64("sp_el3", "SP_EL3", 5),
	R64("spsr_el3", "SPSR_EL3", 6), R64("tcr_el3", "TCR_EL3", 7), R64("tpidr_el3", "TPIDR_EL3", 8),
	R64("ttbr0_el3", "TTBR0_EL3", 9),
};
static const whea_def arm_a64_el3 = {
	.name = "AArch64 EL3 context registers", .size = 80, .fields = arm_a64_el3_fields,
	.nfields = WHEA_NFIELDS(arm_a64_el3_fields)};

/* Type 8: entries of {MRS encoding u16, value u64}. */
static const whea_bitfield arm_mrs_bits[] = {
	{.key = "op2", .label = "Op2", .lo = 0, .width = 3, .kind = WHEA_K_UINT},
	{.key = "crm", .label = "CRm", .lo = 3, .width = 4, .kind = WHEA_K_UINT},
	{.key = "crn", .label = "CRn", .lo = 7, .width = 4, .kind = WHEA_K_UINT},
	{.key = "op1", .label = "Op1", .lo = 11, .width = 3, .kind = WHEA_K_UINT},
	{.key = "o0", .label = "O0", .lo = 14, .width = 1, .kind = WHEA_K_UINT},
};
static const whea_def arm_mrs = {
	.name = "MRS encoding", .size = 2, .bits = arm_mrs_bits, .nbits = WHEA_NFIELDS(arm_mrs_bits)};

static const whea_field arm_misc_reg_fields[] = {
	{.key = "mrsEncoding", .label = "MRS encoding", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX,
	 .sub = &arm_mrs},
	{.key = "value", .off = 2, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def arm_misc_reg = {
	.name = "Miscellaneous system register", .size = 10, .fields = arm_misc_reg_fields,
	.nfields = WHEA_NFIELDS(arm_misc_reg_fields)};

/* The register array struct is bounded by its context element, so len is RegisterArraySize. */
static size_t arm_misc_count(const uint8_t *st, size_t len)
{
	(void)st;
	return len / 10;
}

static const whea_field arm_misc_fields[] = {
	{.key = "registers", .off = 0, .kind = WHEA_K_ARRAY, .sub = &arm_misc_reg, .count = arm_misc_count},
};
static const whea_def arm_misc = {
	.name = "Miscellaneous system registers", .size = 0, .fields = arm_misc_fields,
	.nfields = WHEA_NFIELDS(arm_misc_fields)};

/* Type 9 (newest UEFI): six 128-bit TTBRs, shown as low/high halves; invalid ones are all-ones. */
#define TTBR128(k, l, i) R64(k "Low", l " (low)", 2 * (i)), R64(k "High", l " (high)", 2 * (i) + 1)
static const whea_field arm_ttbr128_fields[] = {
	TTBR128("ttbr0El1", "TTBR0_EL1", 0), TTBR128("ttbr0El2", "TTBR0_EL2", 1), TTBR128("ttbr0El3", "TTBR0_EL3", 2),
	TTBR128("ttbr1El1", "TTBR1_EL1", 3), TTBR128("ttbr1El2", "TTBR1_EL2", 4), TTBR128("vttbrEl2", "VTTBR_EL2", 5),
};
static const whea_def arm_ttbr128 = {
	.name = "128-bit translation table base registers", .size = 96, .fields = arm_ttbr128_fields,
	.nfields = WHEA_NFIELDS(arm_ttbr128_fields)};

static const whea_def *const arm_reg_layouts[] = {
	&arm_a32_gpr, &arm_a32_el1, &arm_a32_el2, &arm_a32_secure, &arm_a64_gpr,
	&arm_a64_el1, &arm_a64_el2, &arm_a64_el3, &arm_misc, &arm_ttbr128};

/* Register array layout by RegisterContextType when RegisterArraySize fits it exactly (type 8:
 * a whole number of 10-byte entries); other types and sizes stay bytes. */
static const whea_def *arm_regs_select(const uint8_t *st, size_t len)
{
	if (len < 8)
		return NULL;
	uint16_t type = whea_le16(st + 2);
	uint32_t size = whea_le32(st + 4);
	if (type >= sizeof(arm_reg_layouts) / sizeof(arm_reg_layouts[0]))
		return NULL;
	if (type == 8)
		return size != 0 && size % 10 == 0 ? &arm_misc : NULL;
	return size == arm_reg_layouts[type]->size ? arm_reg_layouts[type] : NULL;
}

/* ---- ARM context information (6.4, 8 + RegisterArraySize bytes) --------------------------- */

static const whea_name arm_context_types[] = {
	{0, "aarch32GeneralPurposeRegisters"}, {1, "aarch32El1ContextRegisters"},
	{2, "aarch32El2ContextRegisters"}, {3, "aarch32SecureContextRegisters"},
	{4, "aarch64GeneralPurposeRegisters"}, {5, "aarch64El1ContextRegisters"},
	{6, "aarch64El2ContextRegisters"}, {7, "aarch64El3ContextRegisters"},
	{8, "miscSystemRegisters"}, {9, "ttbr128BitRegisters"}, {0, NULL}};

static const whea_field arm_context_fields[] = {
	{.key = "version", .off = 0, .size = 2, .kind = WHEA_K_UINT},
	{.key = "registerContextType", .off = 2, .size = 2, .kind = WHEA_K_ENUM, .names = arm_context_types},
	{.key = "registerArraySize", .off = 4, .size = 4, .kind = WHEA_K_UINT},
	/* size 0: the selected layout's size, or bytes to the element's end when select gives NULL */
	{.key = "registerArray", .off = 8, .size = 0, .kind = WHEA_K_STRUCT, .select = arm_regs_select},
};
static const whea_def arm_context = {
	.name = "ARM context information", .size = 8, .fields = arm_context_fields,
	.nfields = WHEA_NFIELDS(arm_context_fields)};

static size_t arm_context_size(const uint8_t *e, size_t avail)
{
	return avail < 8 ? 0 : ctx_stride(e, avail, 8, whea_le32(e + 4), 2, 9, 1);
}

/* ---- ARM Processor Error Section (6.4) ---------------------------------------------------- */

static size_t arm_error_info_count(const uint8_t *st, size_t len)
{
	return len < 8 ? 0 : whea_le16(st + 4);
}

static size_t arm_context_count(const uint8_t *st, size_t len)
{
	return len < 8 ? 0 : whea_le16(st + 6);
}

static const whea_bitfield arm_running_bits[] = {BIT("running", NULL, 0)};
static const whea_def arm_running = {
	.name = "Running state", .size = 4, .bits = arm_running_bits, .nbits = WHEA_NFIELDS(arm_running_bits)};

static const whea_field arm_fields[] = {
	{.key = "validationBits", .off = 0, .size = 4, .kind = WHEA_K_VALIDBITS},
	{.key = "errorInfoNum", .off = 4, .size = 2, .kind = WHEA_K_UINT},
	{.key = "contextInfoNum", .off = 6, .size = 2, .kind = WHEA_K_UINT},
	{.key = "sectionLength", .off = 8, .size = 4, .kind = WHEA_K_UINT},
	{.key = "errorAffinity", .label = "Error affinity level", .off = 12, .size = 1, .kind = WHEA_K_UINT,
	 .valid = WHEA_V(1)},
	{.key = "reserved", .off = 13, .size = 3, .kind = WHEA_K_RESERVED},
	{.key = "mpidrEl1", .label = "MPIDR_EL1", .off = 16, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX,
	 .valid = WHEA_V(0), .sub = &arm_mpidr},
	{.key = "midrEl1", .label = "MIDR_EL1", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX,
	 .sub = &arm_midr},
	{.key = "runningState", .off = 32, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(2),
	 .sub = &arm_running},
	/* Also covered by validation bit 2 (each bit gates one row here); meaningful when not running. */
	{.key = "psciState", .label = "PSCI state", .off = 36, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "errorInfo", .off = 40, .kind = WHEA_K_ARRAY, .sub = &arm_error_info, .count = arm_error_info_count},
	{.key = "contextInfo", .off = WHEA_OFF_NEXT, .kind = WHEA_K_ARRAY, .sub = &arm_context,
	 .count = arm_context_count, .elem_size = arm_context_size},
	{.key = "vendorSpecificInfo", .off = WHEA_OFF_NEXT, .size = 0, .kind = WHEA_K_BYTES, .valid = WHEA_V(3)},
};

static void arm_check(const uint8_t *st, size_t len, uint64_t base,
		      void (*diag)(void *ctx, int severity, uint64_t off, const char *msg), void *ctx)
{
	if (len < 12)
		return;
	if (whea_le16(st + 4) == 0)
		diag(ctx, WHEA_DIAG_WARNING, base + 4, "ARM processor section has no error information (ERR_INFO_NUM 0)");
	if (whea_le32(st + 8) > len)
		diag(ctx, WHEA_DIAG_WARNING, base + 8, "ARM processor SectionLength exceeds the section");
	else if ((uint64_t)whea_le16(st + 4) * 32 + 40 > whea_le32(st + 8))
		diag(ctx, WHEA_DIAG_WARNING, base + 8, "ARM processor SectionLength does not cover ERR_INFO_NUM structures");
}

static const whea_def arm_proc = {
	.name = "ARM processor error", .size = 40, .fields = arm_fields, .nfields = WHEA_NFIELDS(arm_fields),
	.check = arm_check};

/* ---- group ------------------------------------------------------------------------------- */

const whea_section_type *const whea_group_processor[] = {
	&(const whea_section_type){WHEA_GUID(0x9876ccad, 0x47b4, 0x4bdb, 0xb6, 0x5e, 0x16, 0xf1, 0x93, 0xc4, 0xf3, 0xdb),
				   "Processor Generic", "GenericProcessor", &whea_def_generic_processor, NULL},
	&(const whea_section_type){WHEA_GUID(0xdc3ea0b0, 0xa144, 0x4797, 0xb9, 0x5b, 0x53, 0xfa, 0x24, 0x2b, 0x6e, 0x1d),
				   "IA32/X64 Processor", "Ia32x64Processor", &x86_proc, NULL},
	/* Itanium SAL "Processor Device Error Info": opaque (spec 6.3). [DISAGREE] D9: the GUID as
	 * Windows and EDK II spell it, not the UEFI table's nine-byte typo. */
	&(const whea_section_type){WHEA_GUID(0xe429faf1, 0x3cb7, 0x11d4, 0xbc, 0xa7, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81),
				   "IA64 Processor", "Ia64Processor", NULL, NULL},
	&(const whea_section_type){WHEA_GUID(0xe19e3d16, 0xbc11, 0x11e4, 0x9c, 0xaa, 0xc2, 0x05, 0x1d, 0x5d, 0x46, 0xb0),
				   "ARM Processor", "ArmProcessor", &arm_proc, NULL},
	NULL};
