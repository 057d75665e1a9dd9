/* SPDX-License-Identifier: MIT */
/*
 * hdm bench vector parser (docs/vectors.md). Input is untrusted: every
 * byte is validated, every number range-checked, and every problem becomes
 * a "file:line: reason" entry; nothing here aborts or reads past a line.
 */
#include "hdm_bench/vecparse.h"
#include "hdm/common.h"
#include "hdm_bench/target.h"
#include "hdm_bench/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS (HDM_BENCH_MAX_LINE / 2 + 2)

static const char *const op_names[HDM_BENCH_OP_COUNT] = {
    [HDM_BENCH_OP_WRITE] = "write",
    [HDM_BENCH_OP_READ] = "read",
    [HDM_BENCH_OP_POLL] = "poll",
    [HDM_BENCH_OP_RX] = "rx",
    [HDM_BENCH_OP_RX_SERIAL] = "rx-serial",
    [HDM_BENCH_OP_PIN] = "pin",
    [HDM_BENCH_OP_RUN] = "run",
    [HDM_BENCH_OP_EXPECT] = "expect",
    [HDM_BENCH_OP_EXPECT_EDGE] = "expect-edge",
    [HDM_BENCH_OP_EXPECT_STABLE] = "expect-stable",
    [HDM_BENCH_OP_EXPECT_FRAME] = "expect-frame",
    [HDM_BENCH_OP_EXPECT_NO_FRAME] = "expect-no-frame",
    [HDM_BENCH_OP_EXPECT_MSI] = "expect-msi",
    [HDM_BENCH_OP_EXPECT_NO_MSI] = "expect-no-msi",
};

const char *hdm_bench_op_name(hdm_bench_op_kind_t kind)
{
    return (unsigned)kind < HDM_BENCH_OP_COUNT ? op_names[kind] : "?";
}

bool hdm_bench_op_is_stimulus(hdm_bench_op_kind_t kind)
{
    return kind <= HDM_BENCH_OP_RUN;
}

/* Options. Bare flags (debug, break, the device's rx flags) take no value. */
enum opt {
    OPT_STATUS,
    OPT_DEBUG,
    OPT_EXPECT,
    OPT_MASK,
    OPT_AS,
    OPT_VALUE,
    OPT_UNTIL,
    OPT_EVERY,
    OPT_BITS,
    OPT_PARITY,
    OPT_STOP,
    OPT_DIV,
    OPT_BREAK,
    OPT_AFTER,
    OPT_SINCE,
    OPT_FLAGS,
    OPT_COUNT,
};

static const struct {
    const char *name;
    bool bare;
} opt_info[OPT_COUNT] = {
    [OPT_STATUS] = { "status", false }, [OPT_DEBUG] = { "debug", true },
    [OPT_EXPECT] = { "expect", false }, [OPT_MASK] = { "mask", false },
    [OPT_AS] = { "as", false },         [OPT_VALUE] = { "value", false },
    [OPT_UNTIL] = { "until", false },   [OPT_EVERY] = { "every", false },
    [OPT_BITS] = { "bits", false },     [OPT_PARITY] = { "parity", false },
    [OPT_STOP] = { "stop", false },     [OPT_DIV] = { "div", false },
    [OPT_BREAK] = { "break", true },    [OPT_AFTER] = { "after", false },
    [OPT_SINCE] = { "since", false },   [OPT_FLAGS] = { "flags", false },
};

#define O(x) (1u << (x))

/* Positional arguments and options of each operation. */
static const struct {
    unsigned npos;
    const char *pos[3];
    uint32_t opts;
    uint32_t required;
    bool rx_flags; /* accepts the device's bare rx flags (fe, pe, be) */
} op_syntax[HDM_BENCH_OP_COUNT] = {
    [HDM_BENCH_OP_WRITE] = { 3,
                             { "OFF", "SIZE", "VALUE" },
                             O(OPT_STATUS) | O(OPT_DEBUG),
                             0,
                             false },
    [HDM_BENCH_OP_READ] = { 2,
                            { "OFF", "SIZE" },
                            O(OPT_EXPECT) | O(OPT_MASK) | O(OPT_STATUS) |
                                O(OPT_DEBUG) | O(OPT_AS),
                            0,
                            false },
    [HDM_BENCH_OP_POLL] = { 2,
                            { "OFF", "SIZE" },
                            O(OPT_MASK) | O(OPT_VALUE) | O(OPT_UNTIL) |
                                O(OPT_EVERY) | O(OPT_AS),
                            O(OPT_MASK) | O(OPT_VALUE) | O(OPT_UNTIL),
                            false },
    [HDM_BENCH_OP_RX] = { 1, { "BYTE" }, O(OPT_STATUS), 0, true },
    [HDM_BENCH_OP_RX_SERIAL] = { 1,
                                 { "BYTE" },
                                 O(OPT_BITS) | O(OPT_PARITY) | O(OPT_STOP) |
                                     O(OPT_DIV) | O(OPT_BREAK),
                                 0,
                                 false },
    [HDM_BENCH_OP_PIN] = { 2, { "NAME", "LEVEL" }, 0, 0, false },
    [HDM_BENCH_OP_RUN] = { 0, { NULL }, 0, 0, false },
    [HDM_BENCH_OP_EXPECT] = { 2, { "SIGNAL", "LEVEL" }, 0, 0, false },
    [HDM_BENCH_OP_EXPECT_EDGE] = { 2,
                                   { "SIGNAL", "LEVEL" },
                                   O(OPT_AFTER) | O(OPT_AS),
                                   0,
                                   false },
    [HDM_BENCH_OP_EXPECT_STABLE] = { 2,
                                     { "SIGNAL", "LEVEL" },
                                     O(OPT_SINCE),
                                     O(OPT_SINCE),
                                     false },
    [HDM_BENCH_OP_EXPECT_FRAME] = { 1,
                                    { "BYTE" },
                                    O(OPT_AFTER) | O(OPT_FLAGS) | O(OPT_AS),
                                    0,
                                    false },
    [HDM_BENCH_OP_EXPECT_NO_FRAME] = { 0, { NULL }, O(OPT_AFTER), 0, false },
    [HDM_BENCH_OP_EXPECT_MSI] = { 2,
                                  { "ADDR", "DATA" },
                                  O(OPT_AFTER) | O(OPT_AS),
                                  0,
                                  false },
    [HDM_BENCH_OP_EXPECT_NO_MSI] = { 0, { NULL }, O(OPT_AFTER), 0, false },
};

static const char *const parity_names[] = {
    "none", "even", "odd", "one", "zero", NULL,
};

/* Statically known tick of a bound name (only `read ... as=` binds one). */
typedef struct name_static {
    bool known;
    uint64_t tick;
} name_static_t;

typedef struct parser {
    hdm_bench_vector_t *v;
    const hdm_bench_device_t *dev;
    uint32_t line;
    bool stop; /* too many errors */
    bool oom;
    uint32_t first_op_line;
    uint32_t device_line, title_line, cite_line;
    bool device_bad; /* device given but unknown: skip device checks */
    uint32_t config_line[HDM_BENCH_MAX_CONFIG];
    bool config_given[HDM_BENCH_MAX_CONFIG];
    /* Static tick tracking. */
    bool prev_known;
    uint64_t prev_tick;
    bool have_lb;
    uint64_t cur_lb; /* the current tick is at least this */
    name_static_t *nstat;
    size_t nstat_cap;
    /* Current line's errors (an op with errors is dropped). */
    unsigned line_errors;
} parser_t;

static void add_error(parser_t *p, const char *fmt, ...) HDM_BENCH_PRINTF(2, 3);

static void add_error_at(parser_t *p, uint32_t line, const char *fmt,
                         va_list ap)
{
    hdm_bench_vector_t *v = p->v;
    p->line_errors++;
    if (p->stop) {
        return;
    }
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    bool last = v->nerrors + 1 >= HDM_BENCH_MAX_ERRORS;
    hdm_bench_buf_printf(&b, "%s:%u: ", v->path, (unsigned)line);
    if (last) {
        hdm_bench_buf_puts(&b, "too many errors, giving up");
    } else {
        hdm_bench_buf_vprintf(&b, fmt, ap);
    }
    if (b.failed || !hdm_bench_grow((void **)&v->errors, &v->errors_cap,
                                    v->nerrors + 1, sizeof(char *))) {
        hdm_bench_buf_free(&b);
        p->oom = true;
        p->stop = true;
        return;
    }
    v->errors[v->nerrors++] = b.data ? b.data : hdm_bench_strdup("");
    if (last) {
        v->errors_truncated = true;
        p->stop = true;
    }
}

static void add_error(parser_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_error_at(p, p->line, fmt, ap);
    va_end(ap);
}

static void add_error_line(parser_t *p, uint32_t line, const char *fmt, ...)
    HDM_BENCH_PRINTF(3, 4);

static void add_error_line(parser_t *p, uint32_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_error_at(p, line, fmt, ap);
    va_end(ap);
}

/* ---- bytes and tokens ---------------------------------------------- */

/* Length of the UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if (len > n) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0u) != 0x80u) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return 0;
    }
    return len;
}

/* Validate one line's bytes; false (with an error) if it must be skipped. */
static bool check_bytes(parser_t *p, const char *line, size_t len)
{
    const unsigned char *s = (const unsigned char *)line;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c == 0) {
            add_error(p, "NUL byte at column %zu", i + 1);
            return false;
        }
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            add_error(p, "control character 0x%02X at column %zu", c, i + 1);
            return false;
        }
        size_t n = utf8_len(s + i, len - i);
        if (n == 0) {
            add_error(p, "invalid UTF-8 at column %zu", i + 1);
            return false;
        }
        i += n;
    }
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* ---- numbers and names --------------------------------------------- */

typedef enum num_result { NUM_OK, NUM_BAD, NUM_RANGE } num_result_t;

/* Decimal or 0x hex, '_' allowed between digits. */
static num_result_t parse_u64(const char *s, uint64_t *out)
{
    unsigned base = 10;
    const char *d = s;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        d = s + 2;
    }
    if (*d == '\0' || *d == '_') {
        return NUM_BAD;
    }
    uint64_t v = 0;
    bool range = false;
    char prev = '\0';
    for (; *d; d++) {
        unsigned digit;
        char c = *d;
        if (c == '_') {
            if (prev == '_') {
                return NUM_BAD;
            }
            prev = c;
            continue;
        }
        if (c >= '0' && c <= '9') {
            digit = (unsigned)(c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            digit = (unsigned)(c - 'a' + 10);
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            digit = (unsigned)(c - 'A' + 10);
        } else {
            return NUM_BAD;
        }
        if (v > (UINT64_MAX - digit) / base) {
            range = true;
        }
        v = v * base + digit;
        prev = c;
    }
    if (prev == '_') {
        return NUM_BAD;
    }
    if (range) {
        return NUM_RANGE;
    }
    *out = v;
    return NUM_OK;
}

/* Parse a number for @a what; reports the error. */
static bool number(parser_t *p, const char *s, const char *what, uint64_t *out)
{
    switch (parse_u64(s, out)) {
    case NUM_OK:
        return true;
    case NUM_RANGE:
        add_error(p, "%s '%s' does not fit in 64 bits", what, s);
        return false;
    default:
        add_error(p, "bad number '%s' for %s", s, what);
        return false;
    }
}

static bool number_max(parser_t *p, const char *s, const char *what,
                       uint64_t min, uint64_t max, uint64_t *out)
{
    if (!number(p, s, what, out)) {
        return false;
    }
    if (*out < min || *out > max) {
        add_error(p, "%s %s out of range (%llu..%llu)", what, s,
                  (unsigned long long)min, (unsigned long long)max);
        return false;
    }
    return true;
}

static bool fits_bits(uint64_t v, unsigned bits)
{
    return bits >= 64 || (v >> bits) == 0;
}

static bool is_name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

static int find_name(const hdm_bench_vector_t *v, const char *name, size_t len)
{
    for (size_t i = 0; i < v->nnames; i++) {
        if (strlen(v->names[i]) == len && memcmp(v->names[i], name, len) == 0) {
            return (int)i;
        }
    }
    return -1;
}

static int define_name(parser_t *p, const char *name)
{
    hdm_bench_vector_t *v = p->v;
    int id = find_name(v, name, strlen(name));
    if (id >= 0) {
        return id;
    }
    char *copy = hdm_bench_strdup(name);
    if (!copy ||
        !hdm_bench_grow((void **)&v->names, &v->names_cap, v->nnames + 1,
                        sizeof(char *)) ||
        !hdm_bench_grow((void **)&p->nstat, &p->nstat_cap, v->nnames + 1,
                        sizeof(name_static_t))) {
        free(copy);
        p->oom = true;
        return -1;
    }
    p->nstat[v->nnames].known = false;
    p->nstat[v->nnames].tick = 0;
    v->names[v->nnames] = copy;
    return (int)v->nnames++;
}

/*
 * Tick expression: N, +N, NAME, NAME+N, NAME-N (the caller strips '@').
 * @a what names it in messages ("tick", "after").
 */
static bool parse_tick(parser_t *p, const char *s, const char *what,
                       hdm_bench_tick_expr_t *e)
{
    e->base = HDM_BENCH_TICK_ABS;
    e->negative = false;
    e->value = 0;
    if (*s == '\0') {
        add_error(p, "missing %s", what);
        return false;
    }
    if (*s == '+') {
        e->base = HDM_BENCH_TICK_PREV;
        return number(p, s + 1, what, &e->value);
    }
    if (*s >= '0' && *s <= '9') {
        return number(p, s, what, &e->value);
    }
    if (!is_name_start(*s)) {
        add_error(p, "bad %s '%s' (N, +N, NAME, NAME+N or NAME-N)", what, s);
        return false;
    }
    size_t n = 0;
    while (is_name_char(s[n]) || s[n] == '.') {
        n++;
    }
    int id = find_name(p->v, s, n);
    if (id < 0) {
        add_error(p, "unbound name '%.*s' in %s (bind it with as= first)",
                  (int)n, s, what);
        return false;
    }
    e->base = id;
    if (s[n] == '\0') {
        return true;
    }
    if (s[n] != '+' && s[n] != '-') {
        add_error(p, "bad %s '%s' (N, +N, NAME, NAME+N or NAME-N)", what, s);
        return false;
    }
    e->negative = s[n] == '-';
    return number(p, s + n + 1, what, &e->value);
}

/* Static value of a tick expression, if known. */
static bool static_tick(parser_t *p, const hdm_bench_tick_expr_t *e,
                        uint64_t *out)
{
    uint64_t base;
    if (e->base == HDM_BENCH_TICK_ABS) {
        *out = e->value;
        return true;
    }
    if (e->base == HDM_BENCH_TICK_PREV) {
        if (!p->prev_known) {
            return false;
        }
        base = p->prev_tick;
    } else {
        if (!p->nstat || !p->nstat[e->base].known) {
            return false;
        }
        base = p->nstat[e->base].tick;
    }
    if (e->negative) {
        if (e->value > base) {
            add_error(p, "tick expression goes below tick 0 (%llu - %llu)",
                      (unsigned long long)base, (unsigned long long)e->value);
            return false;
        }
        *out = base - e->value;
        return true;
    }
    if (e->value > UINT64_MAX - base) {
        add_error(p, "tick expression overflows 64 bits");
        return false;
    }
    *out = base + e->value;
    return true;
}

/* ---- signal lookup --------------------------------------------------- */

static const char *case_match(const hdm_bench_device_t *dev, const char *s,
                              bool inputs_only)
{
    for (unsigned i = 0; i < dev->nsignals; i++) {
        const char *n = dev->signals[i].name;
        if (inputs_only && dev->signals[i].kind != HDM_BENCH_SIG_INPUT) {
            continue;
        }
        size_t k = 0;
        while (n[k] && s[k] &&
               tolower((unsigned char)n[k]) == tolower((unsigned char)s[k])) {
            k++;
        }
        if (n[k] == '\0' && s[k] == '\0') {
            return n;
        }
    }
    return NULL;
}

static bool lookup_signal(parser_t *p, const char *s, bool input, unsigned *sig)
{
    const hdm_bench_device_t *dev = p->dev;
    if (!dev) {
        return false;
    }
    int id = hdm_bench_device_signal(dev, s);
    if (id >= 0 && (!input || dev->signals[id].kind == HDM_BENCH_SIG_INPUT)) {
        *sig = (unsigned)id;
        return true;
    }
    if (id >= 0) {
        add_error(p, "%s is an output of %s, not a drivable input pin", s,
                  dev->name);
        return false;
    }
    const char *hint = case_match(dev, s, input);
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    if (hint) {
        hdm_bench_buf_printf(&b, " (did you mean %s?)", hint);
    } else if (input) {
        hdm_bench_buf_puts(&b, " (inputs:");
        for (unsigned i = 0; i < dev->nsignals; i++) {
            if (dev->signals[i].kind == HDM_BENCH_SIG_INPUT) {
                hdm_bench_buf_printf(&b, " %s", dev->signals[i].name);
            }
        }
        hdm_bench_buf_puts(&b, ")");
    }
    add_error(p, "unknown %s '%s' for %s%s", input ? "pin" : "signal", s,
              dev->name, hdm_bench_buf_str(&b));
    hdm_bench_buf_free(&b);
    return false;
}

static void need_cap(parser_t *p, uint32_t caps, bool needs)
{
    hdm_bench_vector_t *v = p->v;
    for (unsigned i = 0; i < HDM_BENCH_CAP_COUNT; i++) {
        uint32_t bit = 1u << i;
        if (!(caps & bit)) {
            continue;
        }
        if (!(hdm_bench_vector_caps(v) & bit)) {
            v->cap_line[i] = p->line;
        }
        if (needs) {
            v->caps_needed |= bit;
        } else {
            v->caps_inferred |= bit;
        }
    }
}

/* ---- header statements ----------------------------------------------- */

static const char *rest_after_keyword(const char *text)
{
    while (is_space(*text)) {
        text++;
    }
    while (*text && !is_space(*text)) {
        text++;
    }
    while (is_space(*text)) {
        text++;
    }
    return text;
}

static void header_device(parser_t *p, char **tok, size_t ntok)
{
    if (p->device_line) {
        add_error(p, "device given twice (first at line %u)",
                  (unsigned)p->device_line);
        return;
    }
    if (ntok < 2) {
        add_error(p, "device needs a device name (e.g. device pl011)");
        return;
    }
    if (ntok > 2) {
        add_error(p, "extra argument '%s' after the device name", tok[2]);
        return;
    }
    p->device_line = p->line;
    p->dev = hdm_bench_device_find(tok[1]);
    if (!p->dev) {
        hdm_bench_buf_t b;
        hdm_bench_buf_init(&b);
        for (size_t i = 0; hdm_bench_devices[i]; i++) {
            hdm_bench_buf_printf(&b, "%s%s", i ? ", " : "",
                                 hdm_bench_devices[i]->name);
        }
        add_error(p, "unknown device '%s' (known: %s)", tok[1],
                  hdm_bench_buf_str(&b));
        hdm_bench_buf_free(&b);
        p->device_bad = true;
        return;
    }
    p->v->device = p->dev;
    for (unsigned i = 0; i < p->dev->nconfig; i++) {
        p->v->config[i] = p->dev->config[i].def;
    }
}

static void text_header(parser_t *p, const char *kw, const char *text,
                        uint32_t *seen, bool repeat, char **dst)
{
    size_t n = strlen(text);
    while (n && is_space(text[n - 1])) {
        n--;
    }
    if (n == 0) {
        add_error(p, "%s needs text", kw);
        return;
    }
    if (*seen && !repeat) {
        add_error(p, "%s given twice (first at line %u)", kw, (unsigned)*seen);
        return;
    }
    if (!*seen) {
        *seen = p->line;
    }
    char *copy = hdm_bench_strndup(text, n);
    if (!copy) {
        p->oom = true;
        return;
    }
    if (dst) {
        *dst = copy;
        return;
    }
    hdm_bench_vector_t *v = p->v;
    if (!hdm_bench_grow((void **)&v->cites, &v->cites_cap, v->ncites + 1,
                        sizeof(char *))) {
        free(copy);
        p->oom = true;
        return;
    }
    v->cites[v->ncites++] = copy;
}

static void list_names(hdm_bench_buf_t *b, const char *const *names)
{
    for (size_t i = 0; names && names[i]; i++) {
        hdm_bench_buf_printf(b, "%s%s", i ? ", " : "", names[i]);
    }
}

/* Comma list of @a names (or "none") into a bit mask. */
static bool parse_flag_list(parser_t *p, const char *what, const char *val,
                            const char *const *names, uint32_t *out)
{
    *out = 0;
    if (strcmp(val, "none") == 0) {
        return true;
    }
    bool ok = true;
    const char *s = val;
    for (;;) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        int idx = -1;
        for (int i = 0; names && names[i]; i++) {
            if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) {
                idx = i;
                break;
            }
        }
        if (n == 0) {
            add_error(p, "empty entry in %s list '%s'", what, val);
            ok = false;
        } else if (idx < 0) {
            hdm_bench_buf_t b;
            hdm_bench_buf_init(&b);
            list_names(&b, names);
            add_error(p, "unknown %s '%.*s' (none, %s)", what, (int)n, s,
                      hdm_bench_buf_str(&b));
            hdm_bench_buf_free(&b);
            ok = false;
        } else if (*out & (1u << idx)) {
            add_error(p, "%s '%.*s' given twice", what, (int)n, s);
            ok = false;
        } else {
            *out |= 1u << idx;
        }
        if (!comma) {
            break;
        }
        s = comma + 1;
    }
    return ok;
}

static void header_config(parser_t *p, char **tok, size_t ntok)
{
    const hdm_bench_device_t *dev = p->dev;
    if (!dev) {
        if (!p->device_bad) {
            add_error(p, "config before the device statement");
        }
        return;
    }
    if (ntok < 2) {
        add_error(p, "config needs key=value");
        return;
    }
    for (size_t i = 1; i < ntok; i++) {
        char *eq = strchr(tok[i], '=');
        if (!eq) {
            add_error(p, "config needs key=value, got '%s'", tok[i]);
            continue;
        }
        *eq = '\0';
        const char *key = tok[i];
        const char *val = eq + 1;
        int k = hdm_bench_device_config_key(dev, key);
        if (k < 0) {
            hdm_bench_buf_t b;
            hdm_bench_buf_init(&b);
            for (unsigned j = 0; j < dev->nconfig; j++) {
                hdm_bench_buf_printf(&b, "%s%s", j ? ", " : "",
                                     dev->config[j].key);
            }
            add_error(p, "unknown config key '%s' for %s (known: %s)", key,
                      dev->name, hdm_bench_buf_str(&b));
            hdm_bench_buf_free(&b);
            continue;
        }
        if (p->config_given[k]) {
            add_error(p, "config key '%s' given twice (first at line %u)", key,
                      (unsigned)p->config_line[k]);
            continue;
        }
        const hdm_bench_config_desc_t *cd = &dev->config[k];
        uint64_t value = 0;
        bool ok = true;
        if (*val == '\0') {
            add_error(p, "config key '%s' needs a value", key);
            continue;
        }
        if (cd->kind == HDM_BENCH_CFG_ENUM) {
            int idx = hdm_bench_name_index(cd->names, val);
            if (idx < 0) {
                hdm_bench_buf_t b;
                hdm_bench_buf_init(&b);
                list_names(&b, cd->names);
                add_error(p, "bad value '%s' for %s (one of: %s)", val, key,
                          hdm_bench_buf_str(&b));
                hdm_bench_buf_free(&b);
                ok = false;
            }
            value = (uint64_t)idx;
        } else if (cd->kind == HDM_BENCH_CFG_FLAGS) {
            uint32_t f;
            ok = parse_flag_list(p, key, val, cd->names, &f);
            value = f;
        } else {
            ok = number_max(p, val, key, cd->min, cd->max, &value);
        }
        if (ok) {
            p->config_given[k] = true;
            p->config_line[k] = p->line;
            p->v->config[k] = value;
        }
    }
}

static void header_needs(parser_t *p, char **tok, size_t ntok)
{
    if (ntok < 2) {
        add_error(p, "needs: missing capability");
        return;
    }
    for (size_t i = 1; i < ntok; i++) {
        uint32_t cap;
        if (!hdm_bench_cap_parse(tok[i], &cap)) {
            char caps[128];
            hdm_bench_caps_format(HDM_BENCH_CAP_ALL, caps, sizeof(caps));
            add_error(p, "unknown capability '%s' (known: %s)", tok[i], caps);
            continue;
        }
        need_cap(p, cap, true);
    }
}

/* ---- operations ------------------------------------------------------ */

static void usage_of(hdm_bench_op_kind_t k, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%s", op_names[k]);
    for (unsigned i = 0; i < op_syntax[k].npos && n > 0 && (size_t)n < len;
         i++) {
        int m = snprintf(buf + n, len - (size_t)n, " %s", op_syntax[k].pos[i]);
        if (m < 0) {
            break;
        }
        n += m;
    }
}

static bool parse_level(parser_t *p, const char *s, bool *level)
{
    uint64_t v;
    if (parse_u64(s, &v) != NUM_OK || v > 1) {
        add_error(p, "bad level '%s' (0 or 1)", s);
        return false;
    }
    *level = v != 0;
    return true;
}

static bool parse_status(parser_t *p, const char *s, int *status)
{
    if (hdm_status_parse(s, status)) {
        return true;
    }
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    for (int st = 0; st >= HDM_STATUS_MIN; st--) {
        hdm_bench_buf_printf(&b, "%s%s", st ? " " : "", hdm_status_name(st));
    }
    add_error(p, "unknown status '%s' (%s)", s, hdm_bench_buf_str(&b));
    hdm_bench_buf_free(&b);
    return false;
}

static uint64_t size_mask(unsigned size)
{
    return size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * size)) - 1;
}

/* OFF and SIZE of a bus access. */
static bool parse_access(parser_t *p, const char *off, const char *size,
                         hdm_bench_op_t *op)
{
    uint64_t o, s;
    bool ok = true;
    if (number(p, off, "offset", &o)) {
        if (p->dev && o >= p->dev->mmio_size) {
            add_error(p, "offset %s outside the %u-byte register block of %s",
                      off, (unsigned)p->dev->mmio_size, p->dev->name);
            ok = false;
        }
        op->offset = (uint32_t)(o & 0xFFFFFFFFu);
    } else {
        ok = false;
    }
    /* Any width up to 8 bytes: odd widths are how vectors test BAD_SIZE. */
    if (number(p, size, "size", &s)) {
        if (s < 1 || s > 8) {
            add_error(p, "bad access size %s (1..8 bytes)", size);
            ok = false;
        } else {
            op->size = (unsigned)s;
        }
    } else {
        ok = false;
    }
    return ok;
}

/* A value that must fit the access size (SIZE must be parsed already). */
static bool parse_sized(parser_t *p, const char *s, const char *what,
                        const hdm_bench_op_t *op, uint64_t *out)
{
    if (!number(p, s, what, out)) {
        return false;
    }
    if (op->size && (*out & ~size_mask(op->size))) {
        add_error(p, "%s %s too wide for a %u-byte access", what, s, op->size);
        return false;
    }
    return true;
}

static bool parse_byte(parser_t *p, const char *s, unsigned bits, uint32_t *out)
{
    uint64_t v;
    if (!number(p, s, "character", &v)) {
        return false;
    }
    if (!fits_bits(v, bits)) {
        add_error(p, "character %s does not fit in %u data bits", s, bits);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static bool valid_bind_name(parser_t *p, const char *s)
{
    bool ok = is_name_start(*s);
    for (const char *c = s; ok && *c; c++) {
        ok = is_name_char(*c);
    }
    if (!ok) {
        add_error(p,
                  "bad name '%s' for as= (letter or _, then letters, "
                  "digits, _)",
                  s);
    }
    return ok;
}

static const char *strip_at(const char *s)
{
    return *s == '@' ? s + 1 : s;
}

static void parse_op(parser_t *p, char **tok, size_t ntok)
{
    hdm_bench_vector_t *v = p->v;
    const hdm_bench_device_t *dev = p->dev;
    hdm_bench_op_t op;
    memset(&op, 0, sizeof(op));
    op.line = p->line;
    op.status = HDM_OK;
    op.every = 16;
    op.bits = 8;
    op.stop = 1;
    op.ibrd = 13;
    op.fbrd = 1;
    op.bind = -1;
    op.bind_end = -1;
    if (!p->first_op_line) {
        p->first_op_line = p->line;
    }
    parse_tick(p, tok[0] + 1, "tick", &op.at);
    if (ntok < 2) {
        add_error(p, "missing operation after '%s'", tok[0]);
        p->prev_known = false;
        return;
    }
    int kind = -1;
    for (int k = 0; k < HDM_BENCH_OP_COUNT; k++) {
        if (strcmp(tok[1], op_names[k]) == 0) {
            kind = k;
        }
    }
    if (kind < 0) {
        add_error(p, "unknown operation '%s'", tok[1]);
        p->prev_known = false;
        return;
    }
    op.kind = (hdm_bench_op_kind_t)kind;
    bool serial = op.kind == HDM_BENCH_OP_RX ||
                  op.kind == HDM_BENCH_OP_RX_SERIAL ||
                  op.kind == HDM_BENCH_OP_EXPECT_FRAME ||
                  op.kind == HDM_BENCH_OP_EXPECT_NO_FRAME;
    bool msi = op.kind == HDM_BENCH_OP_EXPECT_MSI ||
               op.kind == HDM_BENCH_OP_EXPECT_NO_MSI;
    if ((serial && dev && dev->frame_max_bits == 0) ||
        (msi && dev && !dev->bus_writes)) {
        add_error(p, "operation '%s' is not supported by device %s", tok[1],
                  dev->name);
        p->prev_known = false;
        return;
    }

    /* Positional arguments, then options. */
    const char *pos[3] = { NULL, NULL, NULL };
    size_t i = 2;
    unsigned npos = op_syntax[kind].npos;
    for (unsigned k = 0; k < npos; k++, i++) {
        char usage[64];
        usage_of(op.kind, usage, sizeof(usage));
        if (i >= ntok) {
            add_error(p, "missing %s argument (%s)", op_syntax[kind].pos[k],
                      usage);
            p->prev_known = false;
            return;
        }
        if (strchr(tok[i], '=')) {
            add_error(p, "missing %s argument before '%s' (%s)",
                      op_syntax[kind].pos[k], tok[i], usage);
            p->prev_known = false;
            return;
        }
        pos[k] = tok[i];
    }
    const char *optv[OPT_COUNT] = { NULL };
    for (; i < ntok; i++) {
        char *t = tok[i];
        char *eq = strchr(t, '=');
        if (eq) {
            *eq = '\0';
        }
        if (op_syntax[kind].rx_flags && !eq && dev) {
            int idx = hdm_bench_name_index(dev->rx_flags, t);
            if (idx >= 0) {
                if (op.flags & (1u << idx)) {
                    add_error(p, "option '%s' given twice", t);
                }
                op.flags |= 1u << idx;
                continue;
            }
        }
        int o = -1;
        for (int k = 0; k < OPT_COUNT; k++) {
            if (strcmp(t, opt_info[k].name) == 0) {
                o = k;
            }
        }
        if (o < 0 || !(op_syntax[kind].opts & O(o))) {
            uint64_t dummy;
            if (!eq && parse_u64(t, &dummy) == NUM_OK) {
                add_error(p, "extra argument '%s' for %s", t, op_names[kind]);
            } else {
                add_error(p, "unknown option '%s' for %s", t, op_names[kind]);
            }
            continue;
        }
        if (opt_info[o].bare && eq) {
            add_error(p, "option '%s' takes no value", t);
            continue;
        }
        if (!opt_info[o].bare && !eq) {
            add_error(p, "option '%s' needs a value (%s=...)", t, t);
            continue;
        }
        if (optv[o]) {
            add_error(p, "option '%s' given twice", t);
            continue;
        }
        optv[o] = eq ? eq + 1 : "";
        if (eq && eq[1] == '\0') {
            add_error(p, "option '%s' needs a value (%s=...)", t, t);
        }
    }
    for (int k = 0; k < OPT_COUNT; k++) {
        if ((op_syntax[kind].required & O(k)) && !optv[k]) {
            add_error(p, "%s needs %s=", op_names[kind], opt_info[k].name);
        }
    }

    /* Meaning of each argument. */
    switch (op.kind) {
    case HDM_BENCH_OP_WRITE:
    case HDM_BENCH_OP_READ:
    case HDM_BENCH_OP_POLL:
        if (parse_access(p, pos[0], pos[1], &op)) {
            op.mask = size_mask(op.size);
            if (op.kind == HDM_BENCH_OP_WRITE) {
                parse_sized(p, pos[2], "value", &op, &op.value);
            }
            if (optv[OPT_EXPECT] &&
                parse_sized(p, optv[OPT_EXPECT], "expect", &op, &op.value)) {
                op.has_expect = true;
            }
            if (optv[OPT_MASK]) {
                parse_sized(p, optv[OPT_MASK], "mask", &op, &op.mask);
            }
            if (optv[OPT_VALUE] &&
                parse_sized(p, optv[OPT_VALUE], "value", &op, &op.value) &&
                optv[OPT_MASK] && !p->line_errors && (op.value & ~op.mask)) {
                add_error(p,
                          "value %s has bits outside mask %s: poll can "
                          "never match",
                          optv[OPT_VALUE], optv[OPT_MASK]);
            }
        }
        break;
    case HDM_BENCH_OP_RX:
        parse_byte(p, pos[0], dev ? dev->frame_max_bits : 8, &op.data);
        break;
    case HDM_BENCH_OP_RX_SERIAL:
        if (optv[OPT_BITS]) {
            uint64_t b;
            unsigned max = dev ? dev->frame_max_bits : 8;
            if (number_max(p, optv[OPT_BITS], "bits", 5, max, &b)) {
                op.bits = (unsigned)b;
            }
        }
        if (optv[OPT_PARITY]) {
            int idx = hdm_bench_name_index(parity_names, optv[OPT_PARITY]);
            if (idx < 0) {
                add_error(p, "bad parity '%s' (none, even, odd, one, zero)",
                          optv[OPT_PARITY]);
            } else {
                op.parity = (hdm_bench_parity_t)idx;
            }
        }
        if (optv[OPT_STOP]) {
            uint64_t s;
            if (number_max(p, optv[OPT_STOP], "stop", 1, 2, &s)) {
                op.stop = (unsigned)s;
            }
        }
        if (optv[OPT_DIV]) {
            char div[64];
            const char *d = optv[OPT_DIV];
            const char *comma = strchr(d, ',');
            uint64_t ib, fb;
            if (!comma || strlen(d) >= sizeof(div)) {
                add_error(p, "bad div '%s' (IBRD,FBRD)", d);
            } else {
                memcpy(div, d, (size_t)(comma - d));
                div[comma - d] = '\0';
                if (number_max(p, div, "IBRD", 1, 65535, &ib) &&
                    number_max(p, comma + 1, "FBRD", 0, 63, &fb)) {
                    op.ibrd = (uint32_t)ib;
                    op.fbrd = (uint32_t)fb;
                }
            }
        }
        op.brk = optv[OPT_BREAK] != NULL;
        parse_byte(p, pos[0], op.bits, &op.data);
        if (dev) {
            int rxd = hdm_bench_device_signal(dev, dev->serial_rx_pin);
            if (rxd >= 0) {
                op.signal = (unsigned)rxd;
                need_cap(p, dev->signals[rxd].caps, false);
            }
        }
        break;
    case HDM_BENCH_OP_PIN:
        if (lookup_signal(p, pos[0], true, &op.signal)) {
            need_cap(p, dev->signals[op.signal].caps, false);
        }
        parse_level(p, pos[1], &op.level);
        break;
    case HDM_BENCH_OP_RUN:
        break;
    case HDM_BENCH_OP_EXPECT:
    case HDM_BENCH_OP_EXPECT_EDGE:
    case HDM_BENCH_OP_EXPECT_STABLE:
        if (lookup_signal(p, pos[0], false, &op.signal)) {
            need_cap(p, dev->signals[op.signal].caps, false);
        }
        parse_level(p, pos[1], &op.level);
        break;
    case HDM_BENCH_OP_EXPECT_FRAME:
        parse_byte(p, pos[0], dev ? dev->frame_max_bits : 8, &op.data);
        if (optv[OPT_FLAGS] && dev) {
            op.has_flags = parse_flag_list(p, "frame flag", optv[OPT_FLAGS],
                                           dev->frame_flags, &op.flags);
        }
        break;
    case HDM_BENCH_OP_EXPECT_MSI: {
        uint64_t data;
        number(p, pos[0], "address", &op.value);
        if (number(p, pos[1], "data", &data)) {
            if (!fits_bits(data, 32)) {
                add_error(p, "data %s does not fit 32 bits", pos[1]);
            }
            op.data = (uint32_t)data;
        }
        need_cap(p, HDM_BENCH_CAP_MSI, false);
        break;
    }
    case HDM_BENCH_OP_EXPECT_NO_MSI:
        need_cap(p, HDM_BENCH_CAP_MSI, false);
        break;
    default:
        break;
    }
    if (optv[OPT_STATUS]) {
        parse_status(p, optv[OPT_STATUS], &op.status);
        /* a bus access that must fail needs a target that sees statuses */
        if (op.status != HDM_OK &&
            (op.kind == HDM_BENCH_OP_READ || op.kind == HDM_BENCH_OP_WRITE)) {
            need_cap(p, HDM_BENCH_CAP_STATUS, false);
        }
    }
    if (optv[OPT_DEBUG]) {
        op.access |= HDM_BENCH_ACCESS_DEBUG;
        need_cap(p, HDM_BENCH_CAP_DEBUG, false);
    }
    if (optv[OPT_EVERY]) {
        number_max(p, optv[OPT_EVERY], "every", 1, UINT64_MAX, &op.every);
    }
    if (optv[OPT_UNTIL]) {
        parse_tick(p, strip_at(optv[OPT_UNTIL]), "until", &op.until);
    }
    const char *t0 = optv[OPT_AFTER] ? optv[OPT_AFTER] : optv[OPT_SINCE];
    const char *t0_name = optv[OPT_AFTER] ? "after" : "since";
    if (t0) {
        op.has_t0 = parse_tick(p, strip_at(t0), t0_name, &op.t0);
    }

    /* Static tick checks (only where every tick involved is known). */
    uint64_t at = 0, t0v = 0, until = 0;
    bool at_known = p->line_errors == 0 && static_tick(p, &op.at, &at);
    if (at_known && hdm_bench_op_is_stimulus(op.kind) && p->have_lb &&
        at < p->cur_lb) {
        add_error(p, "tick %llu is before the current tick %llu",
                  (unsigned long long)at, (unsigned long long)p->cur_lb);
    }
    if (at_known && op.has_t0 && static_tick(p, &op.t0, &t0v)) {
        if (op.kind == HDM_BENCH_OP_EXPECT_STABLE && t0v > at) {
            add_error(p, "since=%llu is after the operation's tick %llu",
                      (unsigned long long)t0v, (unsigned long long)at);
        } else if (op.kind != HDM_BENCH_OP_EXPECT_STABLE && t0v >= at) {
            add_error(p, "after=%llu leaves an empty window (%llu, %llu]",
                      (unsigned long long)t0v, (unsigned long long)t0v,
                      (unsigned long long)at);
        }
    }
    if (at_known && optv[OPT_UNTIL] && static_tick(p, &op.until, &until) &&
        until < at) {
        add_error(p, "until=%llu is before the poll's tick %llu",
                  (unsigned long long)until, (unsigned long long)at);
    }
    if (at_known) {
        if (!p->have_lb || at > p->cur_lb) {
            p->cur_lb = at;
        }
        p->have_lb = true;
    }
    p->prev_known = at_known;
    p->prev_tick = at;

    /* Bind names even on a bad line, so later lines do not cascade. */
    if (optv[OPT_AS] && *optv[OPT_AS] && valid_bind_name(p, optv[OPT_AS])) {
        op.bind = define_name(p, optv[OPT_AS]);
        if (op.bind >= 0) {
            p->nstat[op.bind].known = at_known && op.kind == HDM_BENCH_OP_READ;
            p->nstat[op.bind].tick = at;
        }
        if (op.kind == HDM_BENCH_OP_EXPECT_FRAME) {
            char end[HDM_BENCH_MAX_LINE + 8];
            snprintf(end, sizeof(end), "%s.end", optv[OPT_AS]);
            op.bind_end = define_name(p, end);
            if (op.bind_end >= 0) {
                p->nstat[op.bind_end].known = false;
            }
        }
    }
    if (p->line_errors || !dev) {
        return;
    }
    if (!hdm_bench_grow((void **)&v->ops, &v->ops_cap, v->nops + 1,
                        sizeof(op))) {
        p->oom = true;
        return;
    }
    v->ops[v->nops++] = op;
}

static void statement(parser_t *p, char **tok, size_t ntok, const char *text)
{
    if (tok[0][0] == '@') {
        parse_op(p, tok, ntok);
        return;
    }
    static const char *const headers[] = {
        "device", "title", "cite", "config", "needs", NULL,
    };
    int h = hdm_bench_name_index(headers, tok[0]);
    if (h >= 0) {
        if (p->first_op_line) {
            add_error(p,
                      "header statement '%s' after the first operation "
                      "(line %u)",
                      tok[0], (unsigned)p->first_op_line);
            return;
        }
        switch (h) {
        case 0:
            header_device(p, tok, ntok);
            break;
        case 1:
            text_header(p, "title", rest_after_keyword(text), &p->title_line,
                        false, &p->v->title);
            break;
        case 2:
            text_header(p, "cite", rest_after_keyword(text), &p->cite_line,
                        true, NULL);
            break;
        case 3:
            header_config(p, tok, ntok);
            break;
        default:
            header_needs(p, tok, ntok);
            break;
        }
        return;
    }
    for (int k = 0; k < HDM_BENCH_OP_COUNT; k++) {
        if (strcmp(tok[0], op_names[k]) == 0) {
            add_error(p, "operation '%s' needs a tick first (@T %s ...)",
                      tok[0], tok[0]);
            return;
        }
    }
    add_error(p, "unknown statement '%s'", tok[0]);
}

static void fill_config_text(parser_t *p)
{
    const hdm_bench_device_t *dev = p->dev;
    hdm_bench_vector_t *v = p->v;
    for (unsigned k = 0; k < dev->nconfig; k++) {
        const hdm_bench_config_desc_t *cd = &dev->config[k];
        hdm_bench_buf_t b;
        hdm_bench_buf_init(&b);
        hdm_bench_buf_printf(&b, "%s=", cd->key);
        if (cd->kind == HDM_BENCH_CFG_ENUM) {
            hdm_bench_buf_puts(&b, cd->names[v->config[k]]);
        } else if (cd->kind == HDM_BENCH_CFG_FLAGS) {
            bool any = false;
            for (unsigned i = 0; cd->names[i]; i++) {
                if (v->config[k] & (1u << i)) {
                    hdm_bench_buf_printf(&b, "%s%s", any ? "," : "",
                                         cd->names[i]);
                    any = true;
                }
            }
            if (!any) {
                hdm_bench_buf_puts(&b, "none");
            }
        } else {
            hdm_bench_buf_printf(&b, "%llu", (unsigned long long)v->config[k]);
        }
        if (b.failed) {
            hdm_bench_buf_free(&b);
            p->oom = true;
            continue;
        }
        v->config_text[k] = b.data;
    }
}

bool hdm_bench_vector_parse_buffer(hdm_bench_vector_t *v, const char *path,
                                   const char *data, size_t len)
{
    memset(v, 0, sizeof(*v));
    v->path = hdm_bench_strdup(path ? path : "<input>");
    parser_t p;
    memset(&p, 0, sizeof(p));
    p.v = v;
    p.line = 1;
    if (!v->path) {
        p.oom = true;
        goto done;
    }
    if (len == 0 || !data) {
        add_error(&p, "empty file");
        goto done;
    }
    if (len > HDM_BENCH_MAX_FILE) {
        add_error(&p, "file too large (%zu bytes, at most %u)", len,
                  HDM_BENCH_MAX_FILE);
        goto done;
    }
    size_t pos = 0;
    uint32_t line = 0;
    while (pos < len && !p.stop && !p.oom) {
        char buf[HDM_BENCH_MAX_LINE + 1];
        char text[HDM_BENCH_MAX_LINE + 1];
        char *tok[MAX_TOKENS];
        const char *start = data + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        p.line = line;
        p.line_errors = 0;
        if (n && start[n - 1] == '\r') {
            n--;
        }
        if (n > HDM_BENCH_MAX_LINE) {
            add_error(&p, "line too long (%zu bytes, at most %u)", n,
                      HDM_BENCH_MAX_LINE);
            continue;
        }
        if (!check_bytes(&p, start, n)) {
            continue;
        }
        memcpy(buf, start, n);
        buf[n] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (buf[i] == '#' && (i == 0 || is_space(buf[i - 1]))) {
                buf[i] = '\0';
                break;
            }
        }
        memcpy(text, buf, strlen(buf) + 1);
        size_t ntok = 0;
        char *s = buf;
        for (;;) {
            while (is_space(*s)) {
                s++;
            }
            if (*s == '\0' || ntok == MAX_TOKENS) {
                break;
            }
            tok[ntok++] = s;
            while (*s && !is_space(*s)) {
                s++;
            }
            if (*s) {
                *s++ = '\0';
            }
        }
        if (ntok) {
            statement(&p, tok, ntok, text);
        }
    }
    if (!p.stop && !p.oom) {
        uint32_t at = p.first_op_line ? p.first_op_line : (line ? line : 1);
        static const char *const req[] = { "device", "title", "cite" };
        const uint32_t seen[] = { p.device_line, p.title_line, p.cite_line };
        for (int i = 0; i < 3; i++) {
            if (!seen[i]) {
                add_error_line(&p, at, "missing required header '%s'%s", req[i],
                               p.first_op_line ? " before the first operation"
                                               : "");
            }
        }
        if (!p.first_op_line) {
            add_error_line(&p, line ? line : 1, "no operations");
        }
    }
    if (p.dev && !p.oom) {
        fill_config_text(&p);
    }
done:
    free(p.nstat);
    if (p.oom) {
        /* Best effort: a vector that hit OOM must not look well-formed. */
        p.stop = false;
        add_error(&p, "out of memory while parsing");
        if (v->nerrors == 0) {
            v->errors_truncated = true;
        }
    }
    return v->nerrors == 0 && !v->errors_truncated;
}

/* A vector that failed before parsing: one error, no operations. */
static void vector_fail(hdm_bench_vector_t *v, const char *path,
                        const char *fmt, ...) HDM_BENCH_PRINTF(3, 4);

static void vector_fail(hdm_bench_vector_t *v, const char *path,
                        const char *fmt, ...)
{
    memset(v, 0, sizeof(*v));
    v->path = hdm_bench_strdup(path);
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    hdm_bench_buf_printf(&b, "%s:1: ", path);
    va_list ap;
    va_start(ap, fmt);
    hdm_bench_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (!b.failed && hdm_bench_grow((void **)&v->errors, &v->errors_cap, 1,
                                    sizeof(char *))) {
        v->errors[v->nerrors++] = b.data;
    } else {
        hdm_bench_buf_free(&b);
        v->errors_truncated = true;
    }
}

bool hdm_bench_vector_parse_file(hdm_bench_vector_t *v, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        vector_fail(v, path, "cannot open: %s", strerror(errno));
        return false;
    }
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    char chunk[8192];
    size_t n;
    bool big = false;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (b.len + n > HDM_BENCH_MAX_FILE) {
            big = true;
            break;
        }
        hdm_bench_buf_append(&b, chunk, n);
    }
    bool io_err = ferror(f) != 0;
    fclose(f);
    bool ok = false;
    if (big) {
        vector_fail(v, path, "file too large (more than %u bytes)",
                    HDM_BENCH_MAX_FILE);
    } else if (io_err) {
        vector_fail(v, path, "read error");
    } else if (b.failed) {
        vector_fail(v, path, "out of memory reading the file");
    } else {
        ok = hdm_bench_vector_parse_buffer(v, path, b.data, b.len);
    }
    hdm_bench_buf_free(&b);
    return ok;
}

void hdm_bench_vector_free(hdm_bench_vector_t *v)
{
    free(v->path);
    free(v->title);
    for (size_t i = 0; i < v->ncites; i++) {
        free(v->cites[i]);
    }
    free(v->cites);
    for (unsigned i = 0; i < HDM_BENCH_MAX_CONFIG; i++) {
        free(v->config_text[i]);
    }
    free(v->ops);
    for (size_t i = 0; i < v->nnames; i++) {
        free(v->names[i]);
    }
    free(v->names);
    for (size_t i = 0; i < v->nerrors; i++) {
        free(v->errors[i]);
    }
    free(v->errors);
    memset(v, 0, sizeof(*v));
}

void hdm_bench_vector_name(const hdm_bench_vector_t *v, char *buf, size_t len)
{
    const char *path = v->path ? v->path : "";
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".vec") == 0) {
        n -= 4;
    }
    snprintf(buf, len, "%s/%.*s", v->device ? v->device->name : "unknown",
             (int)n, base);
}
