/* sections/io.c — I/O section tables: PCI Express (UEFI N.2.7), PCI/PCI-X bus (N.2.8) and component
 * (N.2.9), firmware error record reference (N.2.10), DMAr generic / Intel VT-d / AMD IOMMU (N.2.11),
 * CCIX PER log (N.2.12), CXL protocol error and CXL component events (N.2.13); spec WHEA-CPER.md
 * 6.7 to 6.13. JSON keys follow libcper; inside the PCIe capability structure and AER info libcper
 * uses snake_case, so the keys it lacks there are snake_case too. */
#include <stdint.h>

#include "sections.h"
#include "util/fmt.h"

typedef void (*diag_fn)(void *ctx, int severity, uint64_t off, const char *msg);

#define BOOLBIT(k, b) {.key = (k), .lo = (b), .width = 1, .kind = WHEA_K_BOOL}
#define UINTBITS(k, l, w) {.key = (k), .lo = (l), .width = (w), .kind = WHEA_K_UINT}
#define HEXBITS(k, l, w) {.key = (k), .lo = (l), .width = (w), .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX}
#define ENUMBITS(k, l, w, n) {.key = (k), .lo = (l), .width = (w), .kind = WHEA_K_ENUM, .names = (n)}
#define BITSDEF(nm, sz, arr) {.name = (nm), .size = (sz), .bits = (arr), .nbits = WHEA_NFIELDS(arr)}
#define STRUCTDEF(nm, sz, arr) {.name = (nm), .size = (sz), .fields = (arr), .nfields = WHEA_NFIELDS(arr)}
/* A struct with a PCI address at these byte offsets (segment of seg_size bytes, then bus, device, function). */
#define PCI_AT(seg_, seg_size_, bus_, dev_, fn_) (&(const whea_pci_loc){.seg = (seg_) + 1, .seg_size = (seg_size_), .bus = (bus_) + 1, .dev = (dev_) + 1, .fn = (fn_) + 1})
#define STRUCTDEF_PCI(nm, sz, arr, loc) {.name = (nm), .size = (sz), .fields = (arr), .nfields = WHEA_NFIELDS(arr), .pci_loc = (loc)}

/* ---- shared small layouts ------------------------------------------------------------------- */

/* PCI class code, 3 bytes: programming interface, sub-class, base class (Linux prints p[2] p[1] p[0]). */
static const whea_field class_code_fields[] = {
	{.key = "programmingInterface", .off = 0, .size = 1, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "subClass", .label = "Subclass", .off = 1, .size = 1, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "baseClass", .off = 2, .size = 1, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
};
static const whea_def class_code = STRUCTDEF("Class code", 3, class_code_fields);

/* u16 slot field: bits [2:0] reserved, [15:3] physical slot number (PCIe, CXL). */
static const whea_bitfield slot_bits[] = {UINTBITS("slotNumber", 3, 13)};
static const whea_def slot = BITSDEF("Slot", 2, slot_bits);

/* PCIe Device/Port Type (PCIe capabilities register [7:4]; PCIe section PortType). */
static const whea_name pcie_port_types[] = {
	{0, "pcieEndpoint"}, {1, "legacyPcieEndpoint"}, {4, "rootPort"}, {5, "upstreamSwitchPort"},
	{6, "downstreamSwitchPort"}, {7, "pcieToPciBridge"}, {8, "pciToPcieBridge"},
	{9, "rcIntegratedEndpoint"}, {10, "rcEventCollector"}, {0, NULL}};

/* ---- PCIe capability structure (60 bytes; PCIe base spec register layout) -------------------- */

static const whea_bitfield cap_header_bits[] = {
	HEXBITS("capability_id", 0, 8), HEXBITS("next_capability_pointer", 8, 8)};
static const whea_def cap_header = BITSDEF("PCIe capability header", 2, cap_header_bits);

static const whea_bitfield pcie_caps_bits[] = {
	UINTBITS("capability_version", 0, 4), ENUMBITS("device_port_type", 4, 4, pcie_port_types),
	BOOLBIT("slot_implemented", 8), UINTBITS("interrupt_message_number", 9, 5),
	BOOLBIT("tcs_routing_supported", 14), BOOLBIT("flit_mode_supported", 15)};
static const whea_def pcie_caps = BITSDEF("PCIe capabilities", 2, pcie_caps_bits);

static const whea_bitfield dev_caps_bits[] = {
	UINTBITS("max_payload_size_supported", 0, 3), UINTBITS("phantom_functions_supported", 3, 2),
	BOOLBIT("extended_tag_field_supported", 5), UINTBITS("endpoint_l0s_acceptable_latency", 6, 3),
	UINTBITS("endpoint_l1_acceptable_latency", 9, 3), BOOLBIT("role_based_error_reporting", 15),
	BOOLBIT("err_cor_subclass_capable", 16), BOOLBIT("rx_mps_fixed", 17),
	UINTBITS("captured_slot_power_limit_value", 18, 8), UINTBITS("captured_slot_power_limit_scale", 26, 2),
	BOOLBIT("function_level_reset_capability_supported", 28), BOOLBIT("mixed_mps_supported", 29),
	BOOLBIT("tee_io_supported", 30)};
static const whea_def dev_caps = BITSDEF("Device capabilities", 4, dev_caps_bits);

static const whea_bitfield dev_ctl_bits[] = {
	BOOLBIT("correctable_error_reporting_enable", 0), BOOLBIT("non_fatal_error_reporting_enable", 1),
	BOOLBIT("fatal_error_reporting_enable", 2), BOOLBIT("unsupported_request_reporting_enabled", 3),
	BOOLBIT("relaxed_ordering_enable", 4), UINTBITS("max_payload_size", 5, 3),
	BOOLBIT("extended_tag_field_enable", 8), BOOLBIT("phantom_functions_enable", 9),
	BOOLBIT("aux_power_pm_enable", 10), BOOLBIT("enable_no_snoop", 11), UINTBITS("max_read_request_size", 12, 3),
	BOOLBIT("function_level_reset", 15)};
static const whea_def dev_ctl = BITSDEF("Device control", 2, dev_ctl_bits);

static const whea_bitfield dev_status_bits[] = {
	BOOLBIT("correctable_error_detected", 0), BOOLBIT("non_fatal_error_detected", 1),
	BOOLBIT("fatal_error_detected", 2), BOOLBIT("unsupported_request_detected", 3),
	BOOLBIT("aux_power_detected", 4), BOOLBIT("transactions_pending", 5), BOOLBIT("emergency_power_reduction", 6)};
static const whea_def dev_status = BITSDEF("Device status", 2, dev_status_bits);

static const whea_bitfield link_caps_bits[] = {
	UINTBITS("max_link_speed", 0, 4), UINTBITS("maximum_link_width", 4, 6), UINTBITS("aspm_support", 10, 2),
	UINTBITS("l0s_exit_latency", 12, 3), UINTBITS("l1_exit_latency", 15, 3), BOOLBIT("clock_power_management", 18),
	BOOLBIT("surprise_down_error_reporting_capable", 19),
	BOOLBIT("data_link_layer_link_active_reporting_capable", 20),
	BOOLBIT("link_bandwidth_notification_capability", 21), BOOLBIT("aspm_optionality_compliance", 22),
	UINTBITS("port_number", 24, 8)};
static const whea_def link_caps = BITSDEF("Link capabilities", 4, link_caps_bits);

static const whea_bitfield link_ctl_bits[] = {
	UINTBITS("aspm_control", 0, 2), BOOLBIT("ptm_prop_delay_adaptation_interpretation", 2),
	BOOLBIT("read_completion_boundary", 3), BOOLBIT("link_disable", 4), BOOLBIT("retrain_link", 5),
	BOOLBIT("common_clock_configuration", 6), BOOLBIT("extended_synch", 7),
	BOOLBIT("enable_clock_power_management", 8), BOOLBIT("hardware_autonomous_width_disable", 9),
	BOOLBIT("link_bandwidth_management_interrupt_enable", 10),
	BOOLBIT("link_autonomous_bandwidth_interrupt_enable", 11), BOOLBIT("sris_clocking", 12),
	BOOLBIT("flit_mode_disable", 13), UINTBITS("drs_signaling_control", 14, 2)};
static const whea_def link_ctl = BITSDEF("Link control", 2, link_ctl_bits);

static const whea_bitfield link_status_bits[] = {
	UINTBITS("current_link_speed", 0, 4), UINTBITS("negotiated_link_width", 4, 6), BOOLBIT("link_training", 11),
	BOOLBIT("slot_clock_configuration", 12), BOOLBIT("data_link_layer_link_active", 13),
	BOOLBIT("link_bandwidth_management_status", 14), BOOLBIT("link_autonomous_bandwidth_status", 15)};
static const whea_def link_status = BITSDEF("Link status", 2, link_status_bits);

static const whea_bitfield slot_caps_bits[] = {
	BOOLBIT("attention_button_present", 0), BOOLBIT("power_controller_present", 1),
	BOOLBIT("mrl_sensor_present", 2), BOOLBIT("attention_indicator_present", 3),
	BOOLBIT("power_indicator_present", 4), BOOLBIT("hot_plug_surprise", 5), BOOLBIT("hot_plug_capable", 6),
	UINTBITS("slot_power_limit_value", 7, 8), UINTBITS("slot_power_limit_scale", 15, 2),
	BOOLBIT("electromechanical_interlock_present", 17), BOOLBIT("no_command_completed_support", 18),
	UINTBITS("physical_slot_number", 19, 13)};
static const whea_def slot_caps = BITSDEF("Slot capabilities", 4, slot_caps_bits);

static const whea_bitfield slot_ctl_bits[] = {
	BOOLBIT("attention_button_pressed_enable", 0), BOOLBIT("power_fault_detected_enable", 1),
	BOOLBIT("mrl_sensor_changed_enable", 2), BOOLBIT("presence_detect_changed_enable", 3),
	BOOLBIT("command_completed_interrupt_enable", 4), BOOLBIT("hot_plug_interrupt_enable", 5),
	UINTBITS("attention_indicator_control", 6, 2), UINTBITS("power_indicator_control", 8, 2),
	BOOLBIT("power_controller_control", 10), BOOLBIT("electromechanical_interlock_control", 11),
	BOOLBIT("data_link_layer_state_changed_enable", 12), BOOLBIT("auto_slot_power_limit_disable", 13),
	BOOLBIT("inband_pd_disable", 14)};
static const whea_def slot_ctl = BITSDEF("Slot control", 2, slot_ctl_bits);

static const whea_bitfield slot_status_bits[] = {
	BOOLBIT("attention_button_pressed", 0), BOOLBIT("power_fault_detected", 1), BOOLBIT("mrl_sensor_changed", 2),
	BOOLBIT("presence_detect_changed", 3), BOOLBIT("command_completed", 4), BOOLBIT("mrl_sensor_state", 5),
	BOOLBIT("presence_detect_state", 6), BOOLBIT("electromechanical_interlock_status", 7),
	BOOLBIT("data_link_layer_state_changed", 8)};
static const whea_def slot_status = BITSDEF("Slot status", 2, slot_status_bits);

static const whea_bitfield root_ctl_bits[] = {
	BOOLBIT("system_error_on_correctable_error_enable", 0), BOOLBIT("system_error_on_non_fatal_error_enable", 1),
	BOOLBIT("system_error_on_fatal_error_enable", 2), BOOLBIT("pme_interrupt_enable", 3),
	BOOLBIT("crs_software_visibility_enable", 4), BOOLBIT("no_nfm_subtree_below_this_root_port", 5)};
static const whea_def root_ctl = BITSDEF("Root control", 2, root_ctl_bits);

static const whea_bitfield root_caps_bits[] = {BOOLBIT("crs_software_visibility", 0)};
static const whea_def root_caps = BITSDEF("Root capabilities", 2, root_caps_bits);

static const whea_bitfield root_status_bits[] = {
	HEXBITS("pme_requester_id", 0, 16), BOOLBIT("pme_status", 16), BOOLBIT("pme_pending", 17)};
static const whea_def root_status = BITSDEF("Root status", 4, root_status_bits);

static const whea_bitfield dev_caps2_bits[] = {
	UINTBITS("completion_timeout_ranges_supported", 0, 4), BOOLBIT("completion_timeout_disable_supported", 4),
	BOOLBIT("ari_forwarding_supported", 5), BOOLBIT("atomic_op_routing_supported", 6),
	BOOLBIT("_32_bit_atomicop_completer_supported", 7), BOOLBIT("_64_bit_atomicop_completer_supported", 8),
	BOOLBIT("_128_bit_cas_completer_supported", 9), BOOLBIT("no_ro_enabled_pr_pr_passing", 10),
	BOOLBIT("ltr_mechanism_supported", 11), UINTBITS("tph_completer_supported", 12, 2),
	BOOLBIT("bit_tag_completer_10_supported", 16), BOOLBIT("bit_tag_requester_10_supported", 17),
	UINTBITS("obff_supported", 18, 2), BOOLBIT("extended_fmt_field_supported", 20),
	BOOLBIT("end_end_tlp_prefix_supported", 21), UINTBITS("max_end_end_tlp_prefixes", 22, 2),
	UINTBITS("emergency_power_reduction_supported", 24, 2),
	BOOLBIT("emergency_power_reduction_initialization_required", 26), BOOLBIT("dmwr_completer_supported", 28),
	UINTBITS("dmwr_lengths_supported", 29, 2), BOOLBIT("frs_supported", 31)};
static const whea_def dev_caps2 = BITSDEF("Device capabilities 2", 4, dev_caps2_bits);

static const whea_bitfield dev_ctl2_bits[] = {
	UINTBITS("completion_timeout_value", 0, 4), BOOLBIT("completion_timeout_disable", 4),
	BOOLBIT("ari_forwarding_enable", 5), BOOLBIT("atomicop_requester_enable", 6),
	BOOLBIT("atomicop_egress_blocking", 7), BOOLBIT("ido_request_enable", 8), BOOLBIT("ido_completion_enable", 9),
	BOOLBIT("ltr_mechanism_enable", 10), BOOLBIT("emergency_power_reduction_request", 11),
	BOOLBIT("bit_tag_requester_10_enable", 12), UINTBITS("obff_enable", 13, 2),
	BOOLBIT("end_end_tlp_prefix_blocking", 15)};
static const whea_def dev_ctl2 = BITSDEF("Device control 2", 2, dev_ctl2_bits);

static const whea_bitfield link_caps2_bits[] = {
	HEXBITS("supported_link_speeds", 1, 7), BOOLBIT("crosslink_supported", 8),
	HEXBITS("lower_skp_os_generation_supported", 9, 7), HEXBITS("lower_skp_os_reception_supported", 16, 7),
	BOOLBIT("retimer_presence_detect_supported", 23), BOOLBIT("two_retimers_presence_detect_supported", 24),
	BOOLBIT("drs_supported", 31)};
static const whea_def link_caps2 = BITSDEF("Link capabilities 2", 4, link_caps2_bits);

static const whea_bitfield link_ctl2_bits[] = {
	UINTBITS("target_link_speed", 0, 4), BOOLBIT("enter_compliance", 4),
	BOOLBIT("hardware_autonomous_speed_disable", 5), BOOLBIT("selectable_de_emphasis", 6),
	UINTBITS("transmit_margin", 7, 3), BOOLBIT("enter_modified_compliance", 10), BOOLBIT("compliance_sos", 11),
	UINTBITS("compliance_preset_de_emphasis", 12, 4)};
static const whea_def link_ctl2 = BITSDEF("Link control 2", 2, link_ctl2_bits);

static const whea_bitfield link_status2_bits[] = {
	UINTBITS("current_de_emphasis_level", 0, 1), BOOLBIT("equalization_8gts_complete", 1),
	BOOLBIT("equalization_8gts_phase1_successful", 2), BOOLBIT("equalization_8gts_phase2_successful", 3),
	BOOLBIT("equalization_8gts_phase3_successful", 4), BOOLBIT("link_equalization_request_8gts", 5),
	BOOLBIT("retimer_presence_detected", 6), BOOLBIT("two_retimers_presence_detected", 7),
	UINTBITS("crosslink_resolution", 8, 2), BOOLBIT("flit_mode_status", 10),
	UINTBITS("downstream_component_presence", 12, 3), BOOLBIT("drs_message_received", 15)};
static const whea_def link_status2 = BITSDEF("Link status 2", 2, link_status2_bits);

#define REG(k, o, s, d) {.key = (k), .off = (o), .size = (s), .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .sub = (d)}

/* PCIe 1.1 capability structures are 36 bytes; the CPER field pads them to 60 with zeros. */
static const whea_field pcie_cap_fields[] = {
	REG("pcie_capability_header", 0, 2, &cap_header),
	REG("pcie_capabilities", 2, 2, &pcie_caps),
	REG("device_capabilities", 4, 4, &dev_caps),
	REG("device_control", 8, 2, &dev_ctl),
	REG("device_status", 10, 2, &dev_status),
	REG("link_capabilities", 12, 4, &link_caps),
	REG("link_control", 16, 2, &link_ctl),
	REG("link_status", 18, 2, &link_status),
	REG("slot_capabilities", 20, 4, &slot_caps),
	REG("slot_control", 24, 2, &slot_ctl),
	REG("slot_status", 26, 2, &slot_status),
	REG("root_control", 28, 2, &root_ctl),
	REG("root_capabilities", 30, 2, &root_caps),
	REG("root_status", 32, 4, &root_status),
	REG("device_capabilities2", 36, 4, &dev_caps2),
	REG("device_control2", 40, 2, &dev_ctl2),
	REG("device_status2", 42, 2, NULL),
	REG("link_capabilities2", 44, 4, &link_caps2),
	REG("link_control2", 48, 2, &link_ctl2),
	REG("link_status2", 50, 2, &link_status2),
	REG("slot_capabilities2", 52, 4, NULL),
	REG("slot_control2", 56, 2, NULL),
	REG("slot_status2", 58, 2, NULL),
};
static const whea_def pcie_cap = STRUCTDEF("PCIe capability structure", 60, pcie_cap_fields);

/* ---- PCIe AER extended capability (96 bytes) ------------------------------------------------- */

static const whea_bitfield aer_header_bits[] = {
	HEXBITS("capability_id", 0, 16), UINTBITS("capability_version", 16, 4),
	HEXBITS("next_capability_offset", 20, 12)};
static const whea_def aer_header = BITSDEF("AER capability header", 4, aer_header_bits);

/* Uncorrectable error bits, shared by status, mask and severity: X(key, bit). libcper names bit
 * 12 of the status register without the "_status" suffix, hence P. */
#define AER_UNCOR(X, S, P)                                                                        \
	X("data_link_protocol_error" S, 4) X("surprise_down_error" S, 5) X(P, 12)                   \
	X("flow_control_protocol_error" S, 13) X("completion_timeout" S, 14) X("completer_abort" S, 15) \
	X("unexpected_completion" S, 16) X("receiver_overflow" S, 17) X("malformed_tlp" S, 18)        \
	X("ecrc_error" S, 19) X("unsupported_request_error" S, 20) X("acs_violation" S, 21)           \
	X("uncorrectable_internal_error" S, 22) X("mc_blocked_tlp" S, 23)                             \
	X("atomicop_egress_blocked" S, 24) X("tlp_prefix_blocked_error" S, 25)                        \
	X("poisoned_tlp_egress_blocked" S, 26) X("dmwr_request_egress_blocked" S, 27)                 \
	X("ide_check_failed" S, 28) X("misrouted_ide_tlp" S, 29) X("pcrc_check_failed" S, 30)         \
	X("tlp_translation_egress_blocked" S, 31)
#define AER_COR(X, S)                                                                             \
	X("receiver_error" S, 0) X("bad_tlp" S, 6) X("bad_dllp" S, 7) X("replay_num_rollover" S, 8)   \
	X("replay_timer_timeout" S, 12) X("advisory_non_fatal_error" S, 13)                           \
	X("corrected_internal_error" S, 14) X("header_log_overflow" S, 15)

static const whea_name aer_severities[] = {{0, "nonFatal"}, {1, "fatal"}, {0, NULL}};

#define AER_BOOL(k, b) BOOLBIT(k, b),
#define AER_SEV(k, b) ENUMBITS(k, b, 1, aer_severities),

static const whea_bitfield aer_uncor_status_bits[] = {AER_UNCOR(AER_BOOL, "_status", "poisoned_tlp_received")};
static const whea_bitfield aer_uncor_mask_bits[] = {AER_UNCOR(AER_BOOL, "_mask", "poisoned_tlp_received_mask")};
static const whea_bitfield aer_uncor_sev_bits[] = {AER_UNCOR(AER_SEV, "_severity", "poisoned_tlp_received_severity")};
static const whea_bitfield aer_cor_status_bits[] = {AER_COR(AER_BOOL, "_status")};
static const whea_bitfield aer_cor_mask_bits[] = {AER_COR(AER_BOOL, "_mask")};
static const whea_def aer_uncor_status = BITSDEF("Uncorrectable error status", 4, aer_uncor_status_bits);
static const whea_def aer_uncor_mask = BITSDEF("Uncorrectable error mask", 4, aer_uncor_mask_bits);
static const whea_def aer_uncor_sev = BITSDEF("Uncorrectable error severity", 4, aer_uncor_sev_bits);
static const whea_def aer_cor_status = BITSDEF("Correctable error status", 4, aer_cor_status_bits);
static const whea_def aer_cor_mask = BITSDEF("Correctable error mask", 4, aer_cor_mask_bits);

static const whea_bitfield aer_capctl_bits[] = {
	UINTBITS("first_error_pointer", 0, 5), BOOLBIT("ecrc_generation_capable", 5),
	BOOLBIT("ecrc_generation_enable", 6), BOOLBIT("ecrc_check_capable", 7), BOOLBIT("ecrc_check_enable", 8),
	BOOLBIT("multiple_header_recording_capable", 9), BOOLBIT("multiple_header_recording_enable", 10),
	BOOLBIT("tlp_prefix_log_present", 11), BOOLBIT("completion_timeout_prefix_header_log_capable", 12),
	UINTBITS("header_log_size", 13, 5), BOOLBIT("logged_tlp_was_flit_mode", 18), UINTBITS("logged_tlp_size", 19, 5)};
static const whea_def aer_capctl = BITSDEF("Advanced error capabilities and control", 4, aer_capctl_bits);

static const whea_bitfield aer_root_cmd_bits[] = {
	BOOLBIT("correctable_error_reporting_enable", 0), BOOLBIT("non_fatal_error_reporting_enable", 1),
	BOOLBIT("fatal_error_reporting_enable", 2)};
static const whea_def aer_root_cmd = BITSDEF("Root error command", 4, aer_root_cmd_bits);

static const whea_bitfield aer_root_status_bits[] = {
	BOOLBIT("err_cor_received", 0), BOOLBIT("multiple_err_cor_received", 1),
	BOOLBIT("err_fatal_nonfatal_received", 2), BOOLBIT("multiple_err_fatal_nonfatal_received", 3),
	BOOLBIT("first_uncorrectable_fatal", 4), BOOLBIT("non_fatal_error_messages_received", 5),
	BOOLBIT("fatal_error_messages_received", 6), UINTBITS("err_cor_subclass", 7, 2),
	UINTBITS("advanced_error_interrupt_message_number", 27, 5)};
static const whea_def aer_root_status = BITSDEF("Root error status", 4, aer_root_status_bits);

static const whea_bitfield aer_source_bits[] = {
	HEXBITS("err_cor_source_identification", 0, 16), HEXBITS("err_fatal_nonfatal_source_identification", 16, 16)};
static const whea_def aer_source = BITSDEF("Error source identification", 4, aer_source_bits);

static const whea_field aer_fields[] = {
	REG("capability_header", 0, 4, &aer_header),
	REG("uncorrectable_error_status", 4, 4, &aer_uncor_status),
	REG("uncorrectable_error_mask", 8, 4, &aer_uncor_mask),
	REG("uncorrectable_error_severity", 12, 4, &aer_uncor_sev),
	REG("correctable_error_status", 16, 4, &aer_cor_status),
	REG("correctable_error_mask", 20, 4, &aer_cor_mask),
	REG("advanced_error_capabilities_and_control", 24, 4, &aer_capctl),
	{.key = "header_log", .off = 28, .size = 4, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count_fixed = 4},
	REG("root_error_command", 44, 4, &aer_root_cmd),
	REG("root_error_status", 48, 4, &aer_root_status),
	REG("error_source_id", 52, 4, &aer_source),
	{.key = "tlp_prefix_log", .off = 56, .size = 4, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR, .count_fixed = 4},
	{.key = "reserved", .off = 72, .size = 24, .kind = WHEA_K_RESERVED},
};
static const whea_def aer = STRUCTDEF("PCIe AER capability", 96, aer_fields);

/* ---- PCI Express error section (208 bytes) --------------------------------------------------- */

static const whea_bitfield command_status_bits[] = {
	HEXBITS("commandRegister", 0, 16), HEXBITS("statusRegister", 16, 16)};
static const whea_def command_status = BITSDEF("Command/status", 4, command_status_bits);

static const whea_bitfield bridge_bits[] = {
	HEXBITS("secondaryStatusRegister", 0, 16), HEXBITS("controlRegister", 16, 16)};
static const whea_def bridge = BITSDEF("Bridge control/status", 4, bridge_bits);

/* DeviceId, configuration-space form (validation bit 3). */
static const whea_field pcie_devid_fields[] = {
	{.key = "vendorID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "deviceID", .off = 2, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "classCode", .off = 4, .size = 3, .kind = WHEA_K_STRUCT, .sub = &class_code},
	{.key = "functionNumber", .off = 7, .size = 1, .kind = WHEA_K_UINT},
	{.key = "deviceNumber", .off = 8, .size = 1, .kind = WHEA_K_UINT},
	{.key = "segmentNumber", .off = 9, .size = 2, .kind = WHEA_K_UINT},
	{.key = "primaryOrDeviceBusNumber", .off = 11, .size = 1, .kind = WHEA_K_UINT},
	{.key = "secondaryBusNumber", .off = 12, .size = 1, .kind = WHEA_K_UINT},
	{.key = "slot", .off = 13, .size = 2, .kind = WHEA_K_UINT, .sub = &slot},
	{.key = "reserved", .off = 15, .size = 1, .kind = WHEA_K_RESERVED},
};
static const whea_def pcie_devid = STRUCTDEF_PCI("PCIe device id", 16, pcie_devid_fields, PCI_AT(9, 2, 11, 8, 7));

/* DeviceId, RCRB form (validation bit 8, newest UEFI): bytes 7..10 hold the RCRB base low dword. */
static const whea_field pcie_devid_rcrb_fields[] = {
	{.key = "vendorID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "deviceID", .off = 2, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "classCode", .off = 4, .size = 3, .kind = WHEA_K_STRUCT, .sub = &class_code},
	{.key = "rcrbLowAddress", .label = "RCRB low address", .off = 7, .size = 4, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "primaryOrDeviceBusNumber", .off = 11, .size = 1, .kind = WHEA_K_UINT},
	{.key = "secondaryBusNumber", .off = 12, .size = 1, .kind = WHEA_K_UINT},
	{.key = "slot", .off = 13, .size = 2, .kind = WHEA_K_UINT, .sub = &slot},
	{.key = "reserved", .off = 15, .size = 1, .kind = WHEA_K_RESERVED},
};
static const whea_def pcie_devid_rcrb = STRUCTDEF("PCIe device id (RCRB form)", 16, pcie_devid_rcrb_fields);

#define PCIE_V_DEVID 3
#define PCIE_V_DEVID_RCRB 8

/* The DeviceId row's layout: RCRB form when validation bit 8 is set and bit 3 is clear. */
static const whea_def *pcie_devid_select(const uint8_t *st, size_t len)
{
	if (len < 8)
		return &pcie_devid;
	uint64_t vb = whea_le64(st);
	bool rcrb = ((vb >> PCIE_V_DEVID_RCRB) & 1) && !((vb >> PCIE_V_DEVID) & 1);
	return rcrb ? &pcie_devid_rcrb : &pcie_devid;
}

static void pcie_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	if (len < 8)
		return;
	uint64_t vb = whea_le64(st);
	if (((vb >> PCIE_V_DEVID) & 1) && ((vb >> PCIE_V_DEVID_RCRB) & 1))
		diag(ctx, WHEA_DIAG_WARNING, base,
		     "validation bits 3 (device id) and 8 (RCRB device id) are both set; UEFI allows only one");
}

static const whea_field pcie_fields[] = {
	/* Bit 8 (DeviceId in RCRB form) gates the same row as bit 3; only the newest UEFI defines it. */
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS,
	 .names = (const whea_name[]){{PCIE_V_DEVID_RCRB, "deviceIDRcrbValid"}, {0, NULL}}},
	{.key = "portType", .off = 8, .size = 4, .kind = WHEA_K_ENUM, .valid = WHEA_V(0), .names = pcie_port_types},
	{.key = "version", .off = 12, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_BCDREV, .valid = WHEA_V(1)},
	{.key = "versionReserved", .off = 14, .size = 2, .kind = WHEA_K_RESERVED},
	{.key = "commandStatus", .label = "Command/status", .off = 16, .size = 4, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(2), .sub = &command_status},
	/* D13: newest UEFI reading (RCRB high address, validation bit 9); older specs say reserved. */
	{.key = "rcrbHighAddress", .label = "RCRB high address", .off = 20, .size = 4, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(9)},
	{.key = "deviceID", .label = "Device ID", .off = 24, .size = 16, .kind = WHEA_K_STRUCT,
	 .valid = WHEA_V(PCIE_V_DEVID), .sub = &pcie_devid, .select = pcie_devid_select},
	{.key = "deviceSerialNumber", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(4)},
	{.key = "bridgeControlStatus", .label = "Bridge control/status", .off = 48, .size = 4, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(5), .sub = &bridge},
	{.key = "capabilityStructure", .off = 52, .size = 60, .kind = WHEA_K_STRUCT, .valid = WHEA_V(6), .sub = &pcie_cap},
	{.key = "aerInfo", .label = "AER info", .off = 112, .size = 96, .kind = WHEA_K_STRUCT, .valid = WHEA_V(7),
	 .sub = &aer},
};
const whea_def whea_def_pcie = {
	.name = "PCI Express error", .size = 208, .fields = pcie_fields, .nfields = WHEA_NFIELDS(pcie_fields),
	.check = pcie_check};

/* ---- PCI/PCI-X bus error section (72 bytes) -------------------------------------------------- */

static const whea_name pci_bus_error_types[] = {
	{0, "unknownOrOem"}, {1, "dataParityError"}, {2, "systemError"}, {3, "masterAbort"}, {4, "busTimeout"},
	{5, "masterDataParityError"}, {6, "addressParityError"}, {7, "commandParityError"}, {0, NULL}};

static const whea_bitfield bus_id_bits[] = {UINTBITS("busNumber", 0, 8), UINTBITS("segmentNumber", 8, 8)};
static const whea_def bus_id = BITSDEF("Bus id", 2, bus_id_bits);

static const whea_bitfield bus_command_bits[] = {
	HEXBITS("command", 0, 56),
	ENUMBITS("busCommandType", 56, 1, ((const whea_name[]){{0, "pci"}, {1, "pciX"}, {0, NULL}}))};
static const whea_def bus_command = BITSDEF("Bus command", 8, bus_command_bits);

static const whea_field pci_bus_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "errorStatus", .off = 8, .size = 8, .kind = WHEA_K_UINT, .valid = WHEA_V(0), .sub = &whea_def_error_status},
	{.key = "errorType", .off = 16, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(1), .names = pci_bus_error_types},
	{.key = "errorTypeReserved", .off = 17, .size = 1, .kind = WHEA_K_RESERVED},
	{.key = "busID", .label = "Bus ID", .off = 18, .size = 2, .kind = WHEA_K_UINT, .valid = WHEA_V(2), .sub = &bus_id},
	{.key = "reserved", .off = 20, .size = 4, .kind = WHEA_K_RESERVED},
	{.key = "busAddress", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(3)},
	{.key = "busData", .off = 32, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(4)},
	{.key = "busCommand", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR, .valid = WHEA_V(5),
	 .sub = &bus_command},
	{.key = "busRequestorID", .label = "Bus requestor ID", .off = 48, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_HEX, .valid = WHEA_V(6)},
	{.key = "busCompleterID", .label = "Bus completer ID", .off = 56, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_HEX, .valid = WHEA_V(7)},
	{.key = "targetID", .label = "Target ID", .off = 64, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX,
	 .valid = WHEA_V(8)},
};
const whea_def whea_def_pci_bus = STRUCTDEF("PCI/PCI-X bus error", 72, pci_bus_fields);

/* ---- PCI/PCI-X component error section (40 + 16 * n bytes) ----------------------------------- */

static const whea_field pci_id_fields[] = {
	{.key = "vendorID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "deviceID", .off = 2, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "classCode", .off = 4, .size = 3, .kind = WHEA_K_STRUCT, .sub = &class_code},
	{.key = "functionNumber", .off = 7, .size = 1, .kind = WHEA_K_UINT},
	{.key = "deviceNumber", .off = 8, .size = 1, .kind = WHEA_K_UINT},
	{.key = "busNumber", .off = 9, .size = 1, .kind = WHEA_K_UINT},
	{.key = "segmentNumber", .off = 10, .size = 1, .kind = WHEA_K_UINT}, /* u8 here, u16 in PCIe */
	{.key = "reserved", .off = 11, .size = 5, .kind = WHEA_K_RESERVED},
};
static const whea_def pci_id = STRUCTDEF_PCI("PCI component id", 16, pci_id_fields, PCI_AT(10, 1, 9, 8, 7));

static const whea_field register_pair_fields[] = {
	{.key = "firstHalf", .label = "Address", .off = 0, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "secondHalf", .label = "Data", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
};
static const whea_def register_pair = STRUCTDEF("Register pair", 16, register_pair_fields);

/* Register pairs = MemoryNumber + IoNumber (counted whatever their validation bits say). */
static size_t pci_component_count(const uint8_t *st, size_t len)
{
	if (len < 40)
		return 0;
	size_t mem = whea_le32(st + 32), io = whea_le32(st + 36);
	return mem > SIZE_MAX - io ? SIZE_MAX : mem + io;
}

static const whea_field pci_component_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "errorStatus", .off = 8, .size = 8, .kind = WHEA_K_UINT, .valid = WHEA_V(0), .sub = &whea_def_error_status},
	{.key = "idInfo", .label = "ID info", .off = 16, .size = 16, .kind = WHEA_K_STRUCT, .valid = WHEA_V(1),
	 .sub = &pci_id},
	{.key = "memoryNumber", .off = 32, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(2)},
	{.key = "ioNumber", .label = "I/O number", .off = 36, .size = 4, .kind = WHEA_K_UINT, .valid = WHEA_V(3)},
	{.key = "registerDataPairs", .off = 40, .kind = WHEA_K_ARRAY, .valid = WHEA_V(4), .sub = &register_pair,
	 .count = pci_component_count},
};
const whea_def whea_def_pci_device = STRUCTDEF("PCI/PCI-X component error", 40, pci_component_fields);

/* ---- Firmware error record reference (16 bytes rev 0/1, 32 bytes rev 2) ---------------------- */

static void firmware_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	if (len >= 2 && st[1] >= 2 && len < 32)
		diag(ctx, WHEA_DIAG_ERROR, base,
		     "firmware error record reference revision 2 or later needs 32 bytes (record GUID at 16)");
}

static const whea_field firmware_fields[] = {
	{.key = "errorRecordType", .off = 0, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "ipfSalErrorRecord"}, {1, "socFirmwareType1"}, {2, "socFirmwareType2"},
				      {0, NULL}}},
	{.key = "revision", .off = 1, .size = 1, .kind = WHEA_K_UINT},
	{.key = "reserved", .off = 2, .size = 6, .kind = WHEA_K_RESERVED},
	{.key = "recordID", .label = "Record ID", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "recordIDGUID", .label = "Record ID GUID", .off = 16, .size = 16, .kind = WHEA_K_GUID},
};
static const whea_def firmware = {
	.name = "Firmware error record reference", .size = 32, .min_size = 16, .fields = firmware_fields,
	.nfields = WHEA_NFIELDS(firmware_fields), .check = firmware_check};

/* ---- DMAr sections --------------------------------------------------------------------------- */

static const whea_name dmar_fault_reasons[] = {
	{1, "mappingEntryNotPresent"}, {2, "invalidMappingEntry"}, {3, "mappingTableAccessError"},
	{4, "mappingTableReservedBitSet"}, {5, "addressBeyondDeviceWidth"}, {6, "invalidReadWrite"},
	{7, "invalidDeviceRequest"}, {8, "translationTableAccessError"}, {9, "translationTableReservedBitSet"},
	{10, "illegalCommand"}, {11, "commandBufferAccessError"}, {0, NULL}};

static const whea_field dmar_generic_fields[] = {
	{.key = "requesterID", .label = "Requester ID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "segmentNumber", .off = 2, .size = 2, .kind = WHEA_K_UINT},
	{.key = "faultReason", .off = 4, .size = 1, .kind = WHEA_K_ENUM, .fmt = WHEA_FMT_HEX, .names = dmar_fault_reasons},
	/* D11: UEFI reading (0 = write, 1 = read); EDK II has them the other way round. */
	{.key = "accessType", .off = 5, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "write"}, {1, "read"}, {0, NULL}}},
	{.key = "addressType", .off = 6, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{0, "untranslatedRequest"}, {1, "translationRequest"}, {0, NULL}}},
	{.key = "architectureType", .off = 7, .size = 1, .kind = WHEA_K_ENUM,
	 .names = (const whea_name[]){{1, "vtd"}, {2, "iommu"}, {0, NULL}}},
	{.key = "deviceAddress", .off = 8, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR},
	{.key = "reserved", .off = 16, .size = 16, .kind = WHEA_K_RESERVED},
};
/* The requester ID is a PCI routing ID in the segment that follows it. */
static const whea_def dmar_generic = STRUCTDEF_PCI("DMAr generic error", 32, dmar_generic_fields,
						  (&(const whea_pci_loc){.seg = 2 + 1, .seg_size = 2, .rid = 0 + 1}));

/* VT-d fault recording register, 128 bits, as two qwords (bits 63:0 and 127:64). */
static const whea_bitfield vtd_fault_low_bits[] = {HEXBITS("faultInformation", 12, 52)};
static const whea_bitfield vtd_fault_high_bits[] = {
	HEXBITS("sourceIdentifier", 0, 16),
	{.key = "type2", .label = "Type 2", .lo = 28, .width = 1, .kind = WHEA_K_BOOL},
	/* libcper's spelling of the key. */
	{.key = "privelegeModeRequested", .label = "Privilege mode requested", .lo = 29, .width = 1, .kind = WHEA_K_BOOL},
	BOOLBIT("executePermissionRequested", 30),
	{.key = "pasidPresent", .label = "PASID present", .lo = 31, .width = 1, .kind = WHEA_K_BOOL},
	HEXBITS("faultReason", 32, 8),
	{.key = "pasidValue", .label = "PASID value", .lo = 40, .width = 20, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	UINTBITS("addressType", 60, 2),
	ENUMBITS("type", 62, 1, ((const whea_name[]){{0, "writeRequest"}, {1, "readRequest"}, {0, NULL}})),
	BOOLBIT("fault", 63)};
static const whea_def vtd_fault_low = BITSDEF("Fault record bits 63:0", 8, vtd_fault_low_bits);
static const whea_def vtd_fault_high = BITSDEF("Fault record bits 127:64", 8, vtd_fault_high_bits);
static const whea_field vtd_fault_fields[] = {
	REG("lowQword", 0, 8, &vtd_fault_low),
	REG("highQword", 8, 8, &vtd_fault_high),
};
static const whea_def vtd_fault = STRUCTDEF("VT-d fault record", 16, vtd_fault_fields);

#define PTE(n, o)                                                                                  \
	{.key = "pageTableEntry_Level" #n, .label = "Page table entry level " #n, .off = (o), .size = 8, \
	 .kind = WHEA_K_UINT, .fmt = WHEA_FMT_ADDR}
#define PTE_ROWS(base) \
	PTE(6, (base)), PTE(5, (base) + 8), PTE(4, (base) + 16), PTE(3, (base) + 24), PTE(2, (base) + 32), PTE(1, (base) + 40)

static const whea_field dmar_vtd_fields[] = {
	{.key = "version", .off = 0, .size = 1, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "revision", .off = 1, .size = 1, .kind = WHEA_K_UINT},
	{.key = "oemID", .label = "OEM ID", .off = 2, .size = 6, .kind = WHEA_K_BYTES},
	REG("capabilityRegister", 8, 8, NULL),
	REG("extendedCapabilityRegister", 16, 8, NULL),
	REG("globalCommandRegister", 24, 4, NULL),
	REG("globalStatusRegister", 28, 4, NULL),
	REG("faultStatusRegister", 32, 4, NULL),
	{.key = "reserved", .off = 36, .size = 12, .kind = WHEA_K_RESERVED},
	{.key = "faultRecord", .off = 48, .size = 16, .kind = WHEA_K_STRUCT, .sub = &vtd_fault},
	{.key = "rootEntry", .off = 64, .size = 16, .kind = WHEA_K_BYTES},
	{.key = "contextEntry", .off = 80, .size = 16, .kind = WHEA_K_BYTES},
	PTE_ROWS(96),
};
static const whea_def dmar_vtd = STRUCTDEF("Intel VT-d DMAr error", 144, dmar_vtd_fields);

static const whea_field dmar_iommu_fields[] = {
	{.key = "revision", .off = 0, .size = 1, .kind = WHEA_K_UINT},
	{.key = "reserved", .off = 1, .size = 7, .kind = WHEA_K_RESERVED},
	REG("controlRegister", 8, 8, NULL),
	REG("statusRegister", 16, 8, NULL),
	{.key = "reserved2", .off = 24, .size = 8, .kind = WHEA_K_RESERVED},
	{.key = "eventLogEntry", .off = 32, .size = 16, .kind = WHEA_K_BYTES},
	{.key = "reserved3", .off = 48, .size = 16, .kind = WHEA_K_RESERVED},
	{.key = "deviceTableEntry", .off = 64, .size = 32, .kind = WHEA_K_BYTES},
	PTE_ROWS(96),
};
static const whea_def dmar_iommu = STRUCTDEF("AMD IOMMU DMAr error", 144, dmar_iommu_fields);

/* ---- CCIX PER log ---------------------------------------------------------------------------- */

/* Sections whose first u32 is their own length (CCIX PER, CXL component events). */
static void length_field_check(const uint8_t *st, size_t len, uint64_t base, diag_fn diag, void *ctx)
{
	char msg[96];
	if (len < 4 || whea_le32(st) == len)
		return;
	whea_format(msg, sizeof msg, "the Length field says %u bytes but the section has %zu",
		    (unsigned)whea_le32(st), len);
	diag(ctx, WHEA_DIAG_WARNING, base, msg);
}

/* PER log dwords: (Length - 16) / 4, bounded by the bytes present. */
static size_t ccix_per_count(const uint8_t *st, size_t len)
{
	if (len < 16)
		return 0;
	uint32_t l = whea_le32(st);
	size_t claimed = l >= 16 ? (l - 16) / 4 : 0, room = (len - 16) / 4;
	return claimed < room ? claimed : room;
}

static const whea_field ccix_per_fields[] = {
	{.key = "length", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "validationBits", .off = 4, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "ccixSourceID", .label = "CCIX source ID", .off = 12, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(0)},
	{.key = "ccixPortID", .label = "CCIX port ID", .off = 13, .size = 1, .kind = WHEA_K_UINT, .valid = WHEA_V(1)},
	{.key = "reserved", .off = 14, .size = 2, .kind = WHEA_K_RESERVED},
	{.key = "ccixPERLog", .label = "CCIX PER log", .off = 16, .size = 4, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_ADDR,
	 .valid = WHEA_V(2), .count = ccix_per_count},
};
static const whea_def ccix_per = {
	.name = "CCIX PER log", .size = 16, .fields = ccix_per_fields, .nfields = WHEA_NFIELDS(ccix_per_fields),
	.check = length_field_check};

/* ---- CXL protocol error (116 bytes + DVSEC + error log) -------------------------------------- */

static const whea_name cxl_agent_types[] = {
	{0, "rcdDevice"}, {1, "rchDownstreamPort"}, {2, "device"}, {3, "logicalDevice"},
	{4, "fmManagedLogicalDevice"}, {5, "rootPort"}, {6, "downstreamSwitchPort"}, {7, "upstreamSwitchPort"},
	{0, NULL}};
#define CXL_AGENT_RCH_DP 1

static const whea_field cxl_agent_device_fields[] = {
	{.key = "functionNumber", .off = 0, .size = 1, .kind = WHEA_K_UINT},
	{.key = "deviceNumber", .off = 1, .size = 1, .kind = WHEA_K_UINT},
	{.key = "busNumber", .off = 2, .size = 1, .kind = WHEA_K_UINT},
	{.key = "segmentNumber", .off = 3, .size = 2, .kind = WHEA_K_UINT},
	{.key = "reserved", .off = 5, .size = 3, .kind = WHEA_K_RESERVED},
};
static const whea_def cxl_agent_device =
	STRUCTDEF_PCI("CXL agent address (device)", 8, cxl_agent_device_fields, PCI_AT(3, 2, 2, 1, 0));

static const whea_field cxl_agent_rcrb_fields[] = {
	{.key = "rcrbBaseAddress", .label = "RCRB base address", .off = 0, .size = 8, .kind = WHEA_K_UINT,
	 .fmt = WHEA_FMT_ADDR},
};
static const whea_def cxl_agent_rcrb = STRUCTDEF("CXL agent address (RCRB)", 8, cxl_agent_rcrb_fields);

/* Agent type 1 (RCH downstream port) gives a 64-bit RCRB base; the others a PCI address. */
static const whea_def *cxl_agent_select(const uint8_t *st, size_t len)
{
	return len >= 9 && st[8] == CXL_AGENT_RCH_DP ? &cxl_agent_rcrb : &cxl_agent_device;
}

static const whea_field cxl_protocol_devid_fields[] = {
	{.key = "vendorID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "deviceID", .off = 2, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "subsystemVendorID", .off = 4, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "subsystemDeviceID", .off = 6, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "classCode", .off = 8, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "slot", .off = 10, .size = 2, .kind = WHEA_K_UINT, .sub = &slot},
	{.key = "reserved", .off = 12, .size = 4, .kind = WHEA_K_RESERVED},
};
static const whea_def cxl_protocol_devid = STRUCTDEF("CXL device id", 16, cxl_protocol_devid_fields);

static size_t cxl_dvsec_count(const uint8_t *st, size_t len)
{
	return len >= 110 ? whea_le16(st + 108) : 0;
}

static size_t cxl_error_log_count(const uint8_t *st, size_t len)
{
	return len >= 112 ? whea_le16(st + 110) : 0;
}

/* DVSEC and error log are byte arrays whose lengths are fields of the fixed part; the error log
 * follows the DVSEC whatever validation bit 5 says. */
static const whea_field cxl_protocol_fields[] = {
	{.key = "validationBits", .off = 0, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "agentType", .off = 8, .size = 1, .kind = WHEA_K_ENUM, .valid = WHEA_V(0), .names = cxl_agent_types},
	{.key = "reserved", .off = 9, .size = 7, .kind = WHEA_K_RESERVED},
	{.key = "cxlAgentAddress", .label = "CXL agent address", .off = 16, .size = 8, .kind = WHEA_K_STRUCT,
	 .valid = WHEA_V(1), .sub = &cxl_agent_device, .select = cxl_agent_select},
	{.key = "deviceID", .label = "Device ID", .off = 24, .size = 16, .kind = WHEA_K_STRUCT, .valid = WHEA_V(2),
	 .sub = &cxl_protocol_devid},
	{.key = "deviceSerial", .off = 40, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(3)},
	{.key = "capabilityStructure", .off = 48, .size = 60, .kind = WHEA_K_STRUCT, .valid = WHEA_V(4), .sub = &pcie_cap},
	{.key = "dvsecLength", .label = "DVSEC length", .off = 108, .size = 2, .kind = WHEA_K_UINT},
	{.key = "errorLogLength", .off = 110, .size = 2, .kind = WHEA_K_UINT},
	{.key = "reserved2", .off = 112, .size = 4, .kind = WHEA_K_RESERVED},
	{.key = "cxlDVSEC", .label = "CXL DVSEC", .off = 116, .size = 1, .kind = WHEA_K_ARRAY, .fmt = WHEA_FMT_HEX,
	 .valid = WHEA_V(5), .count = cxl_dvsec_count},
	{.key = "cxlErrorLog", .label = "CXL error log", .off = WHEA_OFF_NEXT, .size = 1, .kind = WHEA_K_ARRAY,
	 .fmt = WHEA_FMT_HEX, .valid = WHEA_V(6), .count = cxl_error_log_count},
};
static const whea_def cxl_protocol = STRUCTDEF("CXL protocol error", 116, cxl_protocol_fields);

/* ---- CXL component events (32 bytes + event log) --------------------------------------------- */

static const whea_field cxl_component_devid_fields[] = {
	{.key = "vendorID", .off = 0, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "deviceID", .off = 2, .size = 2, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX},
	{.key = "functionNumber", .off = 4, .size = 1, .kind = WHEA_K_UINT},
	{.key = "deviceNumber", .off = 5, .size = 1, .kind = WHEA_K_UINT},
	{.key = "busNumber", .off = 6, .size = 1, .kind = WHEA_K_UINT},
	{.key = "segmentNumber", .off = 7, .size = 2, .kind = WHEA_K_UINT},
	{.key = "slot", .off = 9, .size = 2, .kind = WHEA_K_UINT, .sub = &slot},
	{.key = "reserved", .off = 11, .size = 1, .kind = WHEA_K_RESERVED},
};
static const whea_def cxl_component_devid =
	STRUCTDEF_PCI("CXL component device id", 12, cxl_component_devid_fields, PCI_AT(7, 2, 6, 5, 4));

/* The event log starts at the CXL common event record (the record's 16-byte UUID is the section
 * type); its layout belongs to the CXL specification and is kept as bytes. */
static const whea_field cxl_component_fields[] = {
	{.key = "length", .off = 0, .size = 4, .kind = WHEA_K_UINT},
	{.key = "validationBits", .off = 4, .size = 8, .kind = WHEA_K_VALIDBITS},
	{.key = "deviceID", .label = "Device ID", .off = 12, .size = 12, .kind = WHEA_K_STRUCT, .valid = WHEA_V(0),
	 .sub = &cxl_component_devid},
	{.key = "deviceSerial", .off = 24, .size = 8, .kind = WHEA_K_UINT, .fmt = WHEA_FMT_HEX, .valid = WHEA_V(1)},
	{.key = "cxlComponentEventLog", .label = "CXL component event log", .off = 32, .size = 0, .kind = WHEA_K_BYTES,
	 .valid = WHEA_V(2)},
};
static const whea_def cxl_component = {
	.name = "CXL component event", .size = 32, .fields = cxl_component_fields,
	.nfields = WHEA_NFIELDS(cxl_component_fields), .check = length_field_check};

/* ---- the group ------------------------------------------------------------------------------- */

/* D10: CXL component-event types are CXL UUIDs. Linux stores them as ordinary GUIDs (the main
 * GUID below); the Windows SDK stores the UUID's big-endian bytes (alt_guid: same string with
 * Data1..Data3 byte-swapped). */
const whea_section_type *const whea_group_io[] = {
	&(const whea_section_type){WHEA_GUID(0xd995e954, 0xbbc1, 0x430f, 0xad, 0x91, 0xb4, 0x4d, 0xcb, 0x3c, 0x6f, 0x35),
				   "PCI Express", "Pcie", &whea_def_pcie, NULL},
	&(const whea_section_type){WHEA_GUID(0xc5753963, 0x3b84, 0x4095, 0xbf, 0x78, 0xed, 0xda, 0xd3, 0xf9, 0xc9, 0xdd),
				   "PCI/PCI-X Bus", "PciBus", &whea_def_pci_bus, NULL},
	&(const whea_section_type){WHEA_GUID(0xeb5e4685, 0xca66, 0x4769, 0xb6, 0xa2, 0x26, 0x06, 0x8b, 0x00, 0x13, 0x26),
				   "PCI/PCI-X Component", "PciComponent", &whea_def_pci_device, NULL},
	&(const whea_section_type){WHEA_GUID(0x81212a96, 0x09ed, 0x4996, 0x94, 0x71, 0x8d, 0x72, 0x9c, 0x8e, 0x69, 0xed),
				   "Firmware Error Record Reference", "Firmware", &firmware, NULL},
	&(const whea_section_type){WHEA_GUID(0x5b51fef7, 0xc79d, 0x4434, 0x8f, 0x1b, 0xaa, 0x62, 0xde, 0x3e, 0x2c, 0x64),
				   "DMAr Generic", "GenericDmar", &dmar_generic, NULL},
	&(const whea_section_type){WHEA_GUID(0x71761d37, 0x32b2, 0x45cd, 0xa7, 0xd0, 0xb0, 0xfe, 0xdd, 0x93, 0xe8, 0xcf),
				   "Intel VT-d DMAr", "VtdDmar", &dmar_vtd, NULL},
	&(const whea_section_type){WHEA_GUID(0x036f84e1, 0x7f37, 0x428c, 0xa7, 0x9e, 0x57, 0x5f, 0xdf, 0xaa, 0x84, 0xec),
				   "AMD IOMMU DMAr", "IommuDmar", &dmar_iommu, NULL},
	&(const whea_section_type){WHEA_GUID(0x91335ef6, 0xebfb, 0x4478, 0xa6, 0xa6, 0x88, 0xb7, 0x28, 0xcf, 0x75, 0xd7),
				   "CCIX PER Log", "CcixPer", &ccix_per, NULL},
	&(const whea_section_type){WHEA_GUID(0x80b9efb4, 0x52b5, 0x4de3, 0xa7, 0x77, 0x68, 0x78, 0x4b, 0x77, 0x10, 0x48),
				   "CXL Protocol Error", "CxlProtocol", &cxl_protocol, NULL},
	&(const whea_section_type){
		WHEA_GUID(0xfbcd0a77, 0xc260, 0x417f, 0x85, 0xa9, 0x08, 0x8b, 0x16, 0x21, 0xeb, 0xa6),
		"CXL General Media Event", "CxlComponent", &cxl_component,
		&(const whea_guid)WHEA_GUID(0x770acdfb, 0x60c2, 0x7f41, 0x85, 0xa9, 0x08, 0x8b, 0x16, 0x21, 0xeb, 0xa6)},
	&(const whea_section_type){
		WHEA_GUID(0x601dcbb3, 0x9c06, 0x4eab, 0xb8, 0xaf, 0x4e, 0x9b, 0xfb, 0x5c, 0x96, 0x24),
		"CXL DRAM Event", "CxlComponent", &cxl_component,
		&(const whea_guid)WHEA_GUID(0xb3cb1d60, 0x069c, 0xab4e, 0xb8, 0xaf, 0x4e, 0x9b, 0xfb, 0x5c, 0x96, 0x24)},
	&(const whea_section_type){
		WHEA_GUID(0xfe927475, 0xdd59, 0x4339, 0xa5, 0x86, 0x79, 0xba, 0xb1, 0x13, 0xb7, 0x74),
		"CXL Memory Module Event", "CxlComponent", &cxl_component,
		&(const whea_guid)WHEA_GUID(0x757492fe, 0x59dd, 0x3943, 0xa5, 0x86, 0x79, 0xba, 0xb1, 0x13, 0xb7, 0x74)},
	NULL};
