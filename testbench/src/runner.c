/* SPDX-License-Identifier: MIT */
/*
 * hdm bench runner: one vector on one target (see hdm_bench/runner.h).
 */
#include "hdm_bench/runner.h"
#include "hdm/common.h"
#include "hdm_bench/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef unsigned long long ull;

/** Reads one poll may issue before the runner refuses it. */
#define MAX_POLL_READS UINT64_C(10000000)

const char *hdm_bench_verdict_name(hdm_bench_verdict_t v)
{
    switch (v) {
    case HDM_BENCH_PASS:
        return "PASS";
    case HDM_BENCH_FAIL:
        return "FAIL";
    default:
        return "SKIP";
    }
}

/* A bench-generated input change (rx-serial bit edge). */
typedef struct pending {
    uint64_t tick;
    unsigned signal;
    bool level;
    uint32_t line;
} pending_t;

typedef struct run {
    const hdm_bench_vector_t *v;
    const hdm_bench_target_t *tg;
    hdm_bench_result_t *r;
    void *h;
    bool dead;    /* the target failed: stop issuing calls */
    uint64_t cur; /* the target's current tick */
    uint64_t *bind_tick;
    uint32_t *bind_line; /* 0: unbound */
    bool *bind_failed;   /* the as= operation failed */
    pending_t *q;
    size_t nq, qhead, qcap;
    bool serial_busy;
    uint64_t serial_until;
    uint32_t serial_line;
} run_t;

static void fail(run_t *run, uint32_t line, const char *fmt, ...)
    HDM_BENCH_PRINTF(3, 4);

static void fail(run_t *run, uint32_t line, const char *fmt, ...)
{
    hdm_bench_result_t *r = run->r;
    r->verdict = HDM_BENCH_FAIL;
    if (r->nmessages >= HDM_BENCH_MAX_MESSAGES) {
        r->suppressed++;
        return;
    }
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    hdm_bench_buf_printf(&b, "%s:%u: ", run->v->path, (unsigned)line);
    va_list ap;
    va_start(ap, fmt);
    hdm_bench_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (b.failed || !hdm_bench_grow((void **)&r->messages, &r->messages_cap,
                                    r->nmessages + 1, sizeof(char *))) {
        hdm_bench_buf_free(&b);
        r->suppressed++;
        return;
    }
    r->messages[r->nmessages++] = b.data;
}

static const char *st_name(int status)
{
    return hdm_status_name(status);
}

/* Fire every pending input change due at or before @a upto. */
static void fire_pending(run_t *run, uint64_t upto)
{
    const hdm_bench_target_ops_t *ops = run->tg->ops;
    while (!run->dead && run->qhead < run->nq &&
           run->q[run->qhead].tick <= upto) {
        const pending_t *e = &run->q[run->qhead++];
        int st = ops->advance(run->h, e->tick);
        if (st == HDM_OK) {
            st = ops->set_input(run->h, e->tick, e->signal, e->level);
        }
        if (e->tick > run->cur) {
            run->cur = e->tick;
        }
        if (st != HDM_OK) {
            fail(run, e->line,
                 "target %s: driving %s=%d at tick %llu "
                 "returned %s",
                 run->tg->name, run->v->device->signals[e->signal].name,
                 e->level, (ull)e->tick, st_name(st));
            continue;
        }
        hdm_bench_trace_level(&run->r->trace, e->signal, e->level, e->tick);
    }
}

/* Fire pending stimulus up to @a t, then advance the target to @a t. */
static bool advance_to(run_t *run, uint64_t t, uint32_t line)
{
    fire_pending(run, t);
    if (run->dead) {
        return false;
    }
    if (t > run->cur) {
        int st = run->tg->ops->advance(run->h, t);
        if (st != HDM_OK) {
            fail(run, line, "target %s: advance to tick %llu returned %s",
                 run->tg->name, (ull)t, st_name(st));
            run->dead = true;
            return false;
        }
        run->cur = t;
    }
    run->r->end_tick = run->cur;
    return true;
}

static bool resolve(run_t *run, const hdm_bench_tick_expr_t *e, bool prev_ok,
                    uint64_t prev, uint32_t line, const char *what,
                    uint64_t *out)
{
    uint64_t base;
    if (e->base == HDM_BENCH_TICK_ABS) {
        *out = e->value;
        return true;
    }
    if (e->base == HDM_BENCH_TICK_PREV) {
        if (!prev_ok) {
            fail(run, line,
                 "%s: the previous operation's tick is unknown "
                 "(it failed to resolve)",
                 what);
            return false;
        }
        base = prev;
    } else {
        const char *name = run->v->names[e->base];
        if (!run->bind_line[e->base]) {
            if (run->bind_failed[e->base]) {
                fail(run, line,
                     "%s: name '%s' is not bound (the operation "
                     "that binds it failed)",
                     what, name);
            } else {
                fail(run, line, "%s: name '%s' is not bound", what, name);
            }
            return false;
        }
        base = run->bind_tick[e->base];
    }
    if (e->negative) {
        if (e->value > base) {
            fail(run, line, "%s: %llu - %llu is before tick 0", what, (ull)base,
                 (ull)e->value);
            return false;
        }
        *out = base - e->value;
    } else {
        if (e->value > UINT64_MAX - base) {
            fail(run, line, "%s overflows 64 bits", what);
            return false;
        }
        *out = base + e->value;
    }
    return true;
}

static void bind(run_t *run, int name, uint64_t tick, uint32_t line)
{
    if (name >= 0) {
        run->bind_tick[name] = tick;
        run->bind_line[name] = line;
        run->bind_failed[name] = false;
    }
}

static void bind_fail(run_t *run, int name)
{
    if (name >= 0) {
        run->bind_line[name] = 0;
        run->bind_failed[name] = true;
    }
}

static void record_access(run_t *run, const hdm_bench_op_t *op, uint64_t tick,
                          uint64_t value, int status, bool write)
{
    hdm_bench_access_t a;
    memset(&a, 0, sizeof(a));
    a.tick = tick;
    a.value = value;
    a.offset = op->offset;
    a.line = op->line;
    a.status = status;
    a.size = (uint8_t)op->size;
    a.write = write;
    a.debug = (op->access & HDM_BENCH_ACCESS_DEBUG) != 0;
    hdm_bench_trace_access(&run->r->trace, &a);
}

static void check_status(run_t *run, const hdm_bench_op_t *op, int got,
                         const char *what)
{
    if (got != op->status) {
        fail(run, op->line, "%s: expected status %s, got %s", what,
             st_name(op->status), st_name(got));
    }
}

size_t hdm_bench_rx_serial_schedule(const hdm_bench_op_t *op, uint64_t t,
                                    uint64_t *ticks, bool *levels)
{
    bool b[16];
    unsigned n = 0;
    unsigned ones = 0;
    b[n++] = false; /* start bit */
    for (unsigned i = 0; i < op->bits; i++) {
        bool bit = (op->data >> i) & 1u;
        ones += bit;
        b[n++] = bit;
    }
    switch (op->parity) {
    case HDM_BENCH_PARITY_EVEN:
        b[n++] = (ones & 1u) != 0;
        break;
    case HDM_BENCH_PARITY_ODD:
        b[n++] = (ones & 1u) == 0;
        break;
    case HDM_BENCH_PARITY_ONE:
        b[n++] = true;
        break;
    case HDM_BENCH_PARITY_ZERO:
        b[n++] = false;
        break;
    default:
        break;
    }
    for (unsigned i = 0; i < op->stop; i++) {
        b[n++] = true;
    }
    uint64_t div = 64u * (uint64_t)op->ibrd + op->fbrd;
    for (unsigned k = 0; k <= n; k++) {
        uint64_t off = (uint64_t)k * div / 4u;
        if (off > UINT64_MAX - t) {
            return 0;
        }
        ticks[k] = t + off;
        levels[k] = k == n ? true : (op->brk ? false : b[k]);
    }
    return n + 1;
}

static bool serial_conflict(run_t *run, const hdm_bench_op_t *op, uint64_t t)
{
    if (run->serial_busy && t < run->serial_until) {
        fail(run, op->line,
             "%s at tick %llu overlaps the rx-serial frame "
             "of line %u (RXD driven until tick %llu)",
             hdm_bench_op_name(op->kind), (ull)t, (unsigned)run->serial_line,
             (ull)run->serial_until);
        return true;
    }
    return false;
}

static void op_rx_serial(run_t *run, const hdm_bench_op_t *op, uint64_t t)
{
    uint64_t ticks[16];
    bool levels[16];
    if (serial_conflict(run, op, t)) {
        return;
    }
    size_t n = hdm_bench_rx_serial_schedule(op, t, ticks, levels);
    if (n == 0) {
        fail(run, op->line,
             "rx-serial frame at tick %llu overflows 64-bit "
             "ticks",
             (ull)t);
        return;
    }
    if (!hdm_bench_grow((void **)&run->q, &run->qcap, run->nq + n,
                        sizeof(*run->q))) {
        fail(run, op->line, "out of memory scheduling rx-serial");
        return;
    }
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && levels[k] == levels[k - 1]) {
            continue;
        }
        pending_t *e = &run->q[run->nq++];
        e->tick = ticks[k];
        e->signal = op->signal;
        e->level = levels[k];
        e->line = op->line;
    }
    run->serial_busy = true;
    run->serial_until = ticks[n - 1];
    run->serial_line = op->line;
    advance_to(run, t, op->line);
}

static void op_poll(run_t *run, const hdm_bench_op_t *op, uint64_t t,
                    uint64_t until)
{
    const hdm_bench_target_ops_t *ops = run->tg->ops;
    if (until < t) {
        fail(run, op->line, "poll: until=%llu is before the poll's tick %llu",
             (ull)until, (ull)t);
        bind_fail(run, op->bind);
        return;
    }
    if ((until - t) / op->every >= MAX_POLL_READS) {
        fail(run, op->line,
             "poll: more than %llu reads from tick %llu to "
             "%llu every %llu (use a larger every=)",
             (ull)MAX_POLL_READS, (ull)t, (ull)until, (ull)op->every);
        bind_fail(run, op->bind);
        return;
    }
    uint64_t reads = 0, value = 0;
    for (uint64_t at = t;;) {
        if (!advance_to(run, at, op->line)) {
            bind_fail(run, op->bind);
            return;
        }
        value = 0;
        int st =
            ops->read(run->h, at, op->offset, op->size, &value, op->access);
        record_access(run, op, at, value, st, false);
        reads++;
        if ((value & op->mask) == op->value) {
            bind(run, op->bind, at, op->line);
            return;
        }
        if (op->every > until - at) {
            break;
        }
        at += op->every;
    }
    fail(run, op->line,
         "poll 0x%03X: (value & 0x%llX) never became 0x%llX "
         "in [%llu, %llu] (%llu reads every %llu, last value "
         "0x%llX)",
         (unsigned)op->offset, (ull)op->mask, (ull)op->value, (ull)t,
         (ull)until, (ull)reads, (ull)op->every, (ull)value);
    bind_fail(run, op->bind);
}

static void op_read(run_t *run, const hdm_bench_op_t *op, uint64_t t)
{
    if (!advance_to(run, t, op->line)) {
        bind_fail(run, op->bind);
        return;
    }
    uint64_t value = 0;
    int st =
        run->tg->ops->read(run->h, t, op->offset, op->size, &value, op->access);
    record_access(run, op, t, value, st, false);
    char what[64];
    snprintf(what, sizeof(what), "read 0x%03X %u", (unsigned)op->offset,
             op->size);
    check_status(run, op, st, what);
    if (op->has_expect && ((value ^ op->value) & op->mask)) {
        fail(run, op->line,
             "%s at tick %llu: expected 0x%llX (mask 0x%llX), "
             "got 0x%llX (bits 0x%llX differ)",
             what, (ull)t, (ull)op->value, (ull)op->mask, (ull)value,
             (ull)((value ^ op->value) & op->mask));
    }
    bind(run, op->bind, t, op->line);
}

static void execute(run_t *run, const hdm_bench_op_t *op, uint64_t t,
                    uint64_t t0)
{
    const hdm_bench_target_ops_t *ops = run->tg->ops;
    const hdm_bench_device_t *dev = run->v->device;
    hdm_bench_trace_t *tr = &run->r->trace;
    char msg[512];
    int st;
    switch (op->kind) {
    case HDM_BENCH_OP_WRITE: {
        if (!advance_to(run, t, op->line)) {
            return;
        }
        st = ops->write(run->h, t, op->offset, op->size, op->value, op->access);
        record_access(run, op, t, op->value, st, true);
        char what[64];
        snprintf(what, sizeof(what), "write 0x%03X %u 0x%llX",
                 (unsigned)op->offset, op->size, (ull)op->value);
        check_status(run, op, st, what);
        break;
    }
    case HDM_BENCH_OP_READ:
        op_read(run, op, t);
        break;
    case HDM_BENCH_OP_RX:
        if (!advance_to(run, t, op->line)) {
            return;
        }
        if (!ops->rx_frame) {
            fail(run, op->line, "target %s cannot receive frames",
                 run->tg->name);
            return;
        }
        st = ops->rx_frame(run->h, t, op->data, op->flags);
        {
            char what[32];
            snprintf(what, sizeof(what), "rx 0x%02X", (unsigned)op->data);
            check_status(run, op, st, what);
        }
        break;
    case HDM_BENCH_OP_RX_SERIAL:
        op_rx_serial(run, op, t);
        break;
    case HDM_BENCH_OP_PIN:
        if (op->signal ==
                (unsigned)hdm_bench_device_signal(
                    dev, dev->serial_rx_pin ? dev->serial_rx_pin : "") &&
            serial_conflict(run, op, t)) {
            return;
        }
        if (!advance_to(run, t, op->line)) {
            return;
        }
        st = ops->set_input(run->h, t, op->signal, op->level);
        if (st != HDM_OK) {
            fail(run, op->line, "pin %s %d: target %s returned %s",
                 dev->signals[op->signal].name, op->level, run->tg->name,
                 st_name(st));
            return;
        }
        hdm_bench_trace_level(tr, op->signal, op->level, t);
        break;
    case HDM_BENCH_OP_RUN:
        advance_to(run, t, op->line);
        break;
    case HDM_BENCH_OP_EXPECT:
        advance_to(run, t, op->line);
        if (!hdm_bench_expect_level(tr, op->signal, op->level, t, msg,
                                    sizeof(msg))) {
            fail(run, op->line, "%s", msg);
        }
        break;
    case HDM_BENCH_OP_EXPECT_EDGE: {
        uint64_t at = 0;
        advance_to(run, t, op->line);
        if (hdm_bench_expect_edge(tr, op->signal, op->level, t0, t, &at, msg,
                                  sizeof(msg))) {
            bind(run, op->bind, at, op->line);
        } else {
            fail(run, op->line, "%s", msg);
            bind_fail(run, op->bind);
        }
        break;
    }
    case HDM_BENCH_OP_EXPECT_STABLE:
        advance_to(run, t, op->line);
        if (!hdm_bench_expect_stable(tr, op->signal, op->level, t0, t, msg,
                                     sizeof(msg))) {
            fail(run, op->line, "%s", msg);
        }
        break;
    case HDM_BENCH_OP_EXPECT_FRAME: {
        hdm_bench_frame_t f;
        advance_to(run, t, op->line);
        if (hdm_bench_expect_frame(tr, op->data, op->has_flags, op->flags, t0,
                                   t, &f, msg, sizeof(msg))) {
            bind(run, op->bind, f.start, op->line);
            bind(run, op->bind_end, f.end, op->line);
        } else {
            fail(run, op->line, "%s", msg);
            bind_fail(run, op->bind);
            bind_fail(run, op->bind_end);
        }
        break;
    }
    case HDM_BENCH_OP_EXPECT_NO_FRAME:
        advance_to(run, t, op->line);
        if (!hdm_bench_expect_no_frame(tr, t0, t, msg, sizeof(msg))) {
            fail(run, op->line, "%s", msg);
        }
        break;
    case HDM_BENCH_OP_EXPECT_MSI: {
        uint64_t at = 0;
        advance_to(run, t, op->line);
        if (hdm_bench_expect_msi(tr, op->value, op->data, t0, t, &at, msg,
                                 sizeof(msg))) {
            bind(run, op->bind, at, op->line);
        } else {
            fail(run, op->line, "%s", msg);
            bind_fail(run, op->bind);
        }
        break;
    }
    case HDM_BENCH_OP_EXPECT_NO_MSI:
        advance_to(run, t, op->line);
        if (!hdm_bench_expect_no_msi(tr, t0, t, msg, sizeof(msg))) {
            fail(run, op->line, "%s", msg);
        }
        break;
    default:
        break;
    }
}

static void run_ops(run_t *run)
{
    const hdm_bench_vector_t *v = run->v;
    bool prev_ok = true;
    uint64_t prev = 0;
    for (size_t i = 0; i < v->nops && !run->dead; i++) {
        const hdm_bench_op_t *op = &v->ops[i];
        uint64_t t, t0 = prev, until = 0;
        bool ok = resolve(run, &op->at, prev_ok, prev, op->line, "tick", &t);
        if (ok && op->has_t0) {
            ok = resolve(run, &op->t0, prev_ok, prev, op->line,
                         op->kind == HDM_BENCH_OP_EXPECT_STABLE ? "since"
                                                                : "after",
                         &t0);
        } else if (ok && !prev_ok && op->kind != HDM_BENCH_OP_EXPECT_STABLE &&
                   op->kind >= HDM_BENCH_OP_EXPECT_EDGE) {
            fail(run, op->line,
                 "after: the previous operation's tick is "
                 "unknown (it failed to resolve)");
            ok = false;
        }
        if (ok && op->kind == HDM_BENCH_OP_POLL) {
            ok = resolve(run, &op->until, prev_ok, prev, op->line, "until",
                         &until);
        }
        prev_ok = ok;
        if (!ok) {
            bind_fail(run, op->bind);
            bind_fail(run, op->bind_end);
            continue;
        }
        prev = t;
        if (hdm_bench_op_is_stimulus(op->kind) && t < run->cur) {
            fail(run, op->line, "tick %llu is before the current tick %llu",
                 (ull)t, (ull)run->cur);
            bind_fail(run, op->bind);
            continue;
        }
        if (op->kind >= HDM_BENCH_OP_EXPECT_EDGE &&
            op->kind != HDM_BENCH_OP_EXPECT_STABLE && t0 >= t) {
            fail(run, op->line,
                 "after=%llu leaves an empty window (%llu, "
                 "%llu]",
                 (ull)t0, (ull)t0, (ull)t);
            bind_fail(run, op->bind);
            bind_fail(run, op->bind_end);
            continue;
        }
        if (op->kind == HDM_BENCH_OP_EXPECT_STABLE && t0 > t) {
            fail(run, op->line,
                 "since=%llu is after the operation's tick "
                 "%llu",
                 (ull)t0, (ull)t);
            continue;
        }
        if (op->kind == HDM_BENCH_OP_POLL) {
            op_poll(run, op, t, until);
        } else {
            execute(run, op, t, t0);
        }
    }
}

static void skip(hdm_bench_result_t *r, const char *fmt, ...)
    HDM_BENCH_PRINTF(2, 3);

static void skip(hdm_bench_result_t *r, const char *fmt, ...)
{
    hdm_bench_buf_t b;
    hdm_bench_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    hdm_bench_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    r->verdict = HDM_BENCH_SKIP;
    free(r->skip_reason);
    r->skip_reason = b.data ? b.data : hdm_bench_strdup("skipped");
}

void hdm_bench_run(const hdm_bench_vector_t *v,
                   const hdm_bench_target_t *target, hdm_bench_result_t *r)
{
    memset(r, 0, sizeof(*r));
    r->verdict = HDM_BENCH_PASS;
    run_t run;
    memset(&run, 0, sizeof(run));
    run.v = v;
    run.tg = target;
    run.r = r;
    if (!v->device || v->nerrors) {
        fail(&run, 1, "vector is malformed");
        return;
    }
    if (strcmp(target->device, v->device->name) != 0) {
        skip(r, "target %s has no %s model", target->name, v->device->name);
        return;
    }
    uint32_t missing = hdm_bench_vector_caps(v) & ~target->caps;
    if (missing) {
        hdm_bench_buf_t b;
        hdm_bench_buf_init(&b);
        hdm_bench_buf_printf(&b, "target %s lacks", target->name);
        const char *sep = " ";
        for (unsigned i = 0; i < HDM_BENCH_CAP_COUNT; i++) {
            if (missing & (1u << i)) {
                hdm_bench_buf_printf(&b, "%s%s (line %u)", sep,
                                     hdm_bench_cap_name(i),
                                     (unsigned)v->cap_line[i]);
                sep = ", ";
            }
        }
        skip(r, "%s", hdm_bench_buf_str(&b));
        hdm_bench_buf_free(&b);
        return;
    }
    if (!hdm_bench_trace_init(&r->trace, v->device)) {
        fail(&run, 1, "out of memory");
        return;
    }
    v->device->timebase(v->config, &r->timebase);
    size_t nn = v->nnames ? v->nnames : 1;
    run.bind_tick = calloc(nn, sizeof(*run.bind_tick));
    run.bind_line = calloc(nn, sizeof(*run.bind_line));
    run.bind_failed = calloc(nn, sizeof(*run.bind_failed));
    if (!run.bind_tick || !run.bind_line || !run.bind_failed) {
        fail(&run, 1, "out of memory");
        goto out;
    }

    hdm_bench_open_args_t args;
    memset(&args, 0, sizeof(args));
    args.device = v->device;
    args.config = v->config;
    args.config_text = (const char *const *)v->config_text;
    args.timebase = r->timebase;
    args.observer = hdm_bench_trace_observer(&r->trace);
    args.vector_path = v->path;
    char why[256] = "";
    int st = target->ops->open(&run.h, &args, why, sizeof(why));
    if (st == HDM_BENCH_OPEN_SKIP) {
        skip(r, "target %s: %s", target->name, why[0] ? why : "unsupported");
        goto out;
    }
    if (st != HDM_OK) {
        fail(&run, 1, "target %s failed to open (%s): %s", target->name,
             st_name(st), why[0] ? why : "no reason given");
        goto out;
    }
    r->ran = true;
    for (unsigned i = 0; i < v->device->nsignals; i++) {
        if (v->device->signals[i].kind != HDM_BENCH_SIG_INPUT &&
            target->ops->output_level) {
            hdm_bench_trace_set_initial(&r->trace, i,
                                        target->ops->output_level(run.h, i));
        }
    }
    run_ops(&run);
    target->ops->close(run.h);
    if (r->trace.oom) {
        fail(&run, 1, "out of memory recording the trace");
    }
out:
    free(run.bind_tick);
    free(run.bind_line);
    free(run.bind_failed);
    free(run.q);
}

void hdm_bench_result_free(hdm_bench_result_t *r)
{
    free(r->skip_reason);
    for (size_t i = 0; i < r->nmessages; i++) {
        free(r->messages[i]);
    }
    free(r->messages);
    if (r->trace.sig) {
        hdm_bench_trace_free(&r->trace);
    }
    memset(r, 0, sizeof(*r));
}
