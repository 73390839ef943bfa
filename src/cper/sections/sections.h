/* sections/sections.h — shared pieces of the built-in section tables: little-endian loads for
 * hooks, shared layouts (UEFI error status), and the per-file groups the registry concatenates. */
#ifndef WHEA_SECTIONS_H
#define WHEA_SECTIONS_H

#include "whea/table.h"
#include "util/le.h"

/* Shared layouts. */
extern const whea_def whea_def_error_status;      /* u64 UEFI Error Status (spec 5), memory.c */
extern const whea_name whea_memory_error_types[];  /* memory error type codes 0..15, memory.c */
extern const whea_def whea_def_memory;            /* platform memory section (80/73 bytes), memory.c */
extern const whea_def whea_def_generic_processor; /* processor.c */
extern const whea_def whea_def_pcie, whea_def_pci_bus, whea_def_pci_device; /* io.c */
extern const whea_def whea_def_mcg_status, whea_def_mcg_cap, whea_def_mci_status; /* x86 MCA registers, microsoft.c */

/* Each file exports one NULL-terminated group; registry.c lists the groups. */
extern const whea_section_type *const whea_group_memory[];    /* memory.c */
extern const whea_section_type *const whea_group_processor[]; /* processor.c: generic, x86, IA64, ARM */
extern const whea_section_type *const whea_group_io[];        /* io.c: PCIe, PCI-X bus/device, CCIX, CXL, DMAr, firmware ref */
extern const whea_section_type *const whea_group_microsoft[]; /* microsoft.c: WHEA packet, NMI, XPF MCA, ... */
extern const whea_section_type *const whea_group_linux[];     /* linux.c: pstore dmesg, dmesg_z, MCE */

#endif
