/* SPDX-License-Identifier: MIT */
/* hdm common layer: status names (see hdm/common.h). */
#include "hdm/common.h"

#include <string.h>

static const struct {
    int status;
    const char *name;
    const char *text;
} hdm_status_table[] = {
    { HDM_OK, "OK", "success" },
    { HDM_E_UNMAPPED, "UNMAPPED", "reserved offset: reads 0, write ignored" },
    { HDM_E_BAD_SIZE, "BAD_SIZE", "access width not accepted: no effect" },
    { HDM_E_BAD_ALIGN, "BAD_ALIGN", "misaligned access: no effect" },
    { HDM_E_READ_ONLY, "READ_ONLY", "write to a read-only register: ignored" },
    { HDM_E_WRITE_ONLY, "WRITE_ONLY", "read of a write-only register: 0" },
    { HDM_E_INVAL, "INVAL", "invalid argument: nothing changed" },
    { HDM_E_VERSION, "VERSION",
      "snapshot of another version or configuration: refused" },
    { HDM_E_CORRUPT, "CORRUPT", "snapshot field out of range: refused" },
    { HDM_E_PAST, "PAST", "tick before the device's current tick: refused" },
    { HDM_E_IGNORED, "IGNORED", "input not accepted in the current state" },
};

#define HDM_STATUS_COUNT                                                       \
    (sizeof(hdm_status_table) / sizeof(hdm_status_table[0]))

const char *hdm_status_name(int status)
{
    for (size_t i = 0; i < HDM_STATUS_COUNT; i++) {
        if (hdm_status_table[i].status == status) {
            return hdm_status_table[i].name;
        }
    }
    return "UNKNOWN";
}

const char *hdm_status_str(int status)
{
    for (size_t i = 0; i < HDM_STATUS_COUNT; i++) {
        if (hdm_status_table[i].status == status) {
            return hdm_status_table[i].text;
        }
    }
    return "unknown status";
}

bool hdm_status_parse(const char *name, int *status)
{
    if (name == NULL || status == NULL) {
        return false;
    }
    for (size_t i = 0; i < HDM_STATUS_COUNT; i++) {
        if (strcmp(hdm_status_table[i].name, name) == 0) {
            *status = hdm_status_table[i].status;
            return true;
        }
    }
    return false;
}
