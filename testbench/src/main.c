/* SPDX-License-Identifier: MIT */
/*
 * hdm-bench: run conformance vectors on targets, or only check them.
 *
 *   hdm-bench run [--target NAME|all] [--vcd DIR] [--report FILE]
 *                 [--showcase DEV/VEC[,...]] [--pictures FILE] [PATH...]
 *   hdm-bench check PATH...
 *
 * Exit status: 0 all passed or skipped, 1 a vector failed or is malformed,
 * 2 bad command line.
 */
#define _POSIX_C_SOURCE 200809L

#include "hdm_bench/cosim.h"
#include "hdm_bench/isolate.h"
#include "hdm_bench/report.h"
#include "hdm_bench/runner.h"
#include "hdm_bench/target.h"
#include "hdm_bench/util.h"
#include "hdm_bench/vcd.h"
#include "hdm_bench/vecparse.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef HDM_VECTOR_DIR
#define HDM_VECTOR_DIR "vectors"
#endif

enum { EXIT_PASS = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
    fprintf(f,
            "usage: hdm-bench run [--target NAME|all] [--vcd DIR] "
            "[--report FILE]\n"
            "                     [--showcase LIST] [--pictures FILE] "
            "[FILE|DIR ...]\n"
            "       hdm-bench cosim [--targets A,B] [--vcd DIR] "
            "[FILE|DIR ...]\n"
            "       hdm-bench check FILE|DIR ...\n"
            "       hdm-bench --help\n"
            "\n"
            "run     run vectors (default: every vector under\n"
            "        %s) and print a vector x target table;\n"
            "        exit 1 if a vector fails or is malformed\n"
            "cosim   run each vector on two targets (default core,systemc)\n"
            "        and report the first divergence of their records\n"
            "        (tick, signal or register, both values); exit 1 if\n"
            "        one diverges\n"
            "check   parse only; errors as file:line: reason on stderr\n"
            "\n"
            "--target NAME   a target name or 'all' (default: all)\n"
            "--vcd DIR       write DIR/<target>/<device>/<vector>.vcd and a\n"
            "                GTKWave save file <vector>.gtkw next to it\n"
            "--report FILE   write a Markdown report; its Waveforms section\n"
            "                embeds <vector>.png of every cell that gets a\n"
            "                picture (see --pictures)\n"
            "--showcase LIST comma list of DEVICE/VECTOR names (may repeat)\n"
            "                whose every cell gets a waveform picture, as\n"
            "                failing cells do (a name not run: a warning)\n"
            "--pictures FILE write the VCD paths that need a picture, one a\n"
            "                line, for testbench/scripts/render-waves.sh\n"
            "                --list FILE (needs --vcd)\n"
            "\n"
            "targets:",
            HDM_VECTOR_DIR);
    for (size_t i = 0; hdm_bench_targets[i]; i++) {
        fprintf(f, " %s(%s)", hdm_bench_targets[i]->name,
                hdm_bench_targets[i]->device);
    }
    fprintf(f, "\n");
}

static int bad_usage(const char *fmt, ...) HDM_BENCH_PRINTF(1, 2);

static int bad_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "hdm-bench: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nTry 'hdm-bench --help'.\n");
    va_end(ap);
    return EXIT_USAGE;
}

/* ---- input files ------------------------------------------------------ */

typedef struct paths {
    char **p;
    size_t n, cap;
    bool oom;
} paths_t;

static void paths_add(paths_t *ps, const char *path)
{
    char *d = hdm_bench_strdup(path);
    if (!d ||
        !hdm_bench_grow((void **)&ps->p, &ps->cap, ps->n + 1, sizeof(char *))) {
        free(d);
        ps->oom = true;
        return;
    }
    ps->p[ps->n++] = d;
}

static void paths_free(paths_t *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->p[i]);
    }
    free(ps->p);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.vec below @a dir, recursively, sorted per directory. */
static bool scan_dir(paths_t *ps, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "hdm-bench: cannot read directory %s: %s\n", dir,
                strerror(errno));
        return false;
    }
    paths_t entries = { NULL, 0, 0, false };
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char *full = hdm_bench_asprintf("%s/%s", dir, e->d_name);
        if (full) {
            paths_add(&entries, full);
            free(full);
        }
    }
    closedir(d);
    qsort(entries.p, entries.n, sizeof(char *), cmp_str);
    bool ok = !entries.oom;
    for (size_t i = 0; i < entries.n; i++) {
        struct stat st;
        const char *p = entries.p[i];
        size_t n = strlen(p);
        if (stat(p, &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode) && depth < 8) {
            ok = scan_dir(ps, p, depth + 1) && ok;
        } else if (S_ISREG(st.st_mode) && n > 4 &&
                   strcmp(p + n - 4, ".vec") == 0) {
            paths_add(ps, p);
        }
    }
    paths_free(&entries);
    return ok;
}

/* Expand the command-line paths; false (reported) if one does not exist. */
static bool collect(paths_t *ps, char **args, int nargs)
{
    for (int i = 0; i < nargs; i++) {
        struct stat st;
        if (stat(args[i], &st) != 0) {
            fprintf(stderr, "hdm-bench: cannot access %s: %s\n", args[i],
                    strerror(errno));
            return false;
        }
        if (S_ISDIR(st.st_mode)) {
            if (!scan_dir(ps, args[i], 0)) {
                return false;
            }
        } else {
            paths_add(ps, args[i]);
        }
    }
    return !ps->oom;
}

/* ---- check ------------------------------------------------------------ */

static int cmd_check(int argc, char **argv)
{
    if (argc < 1) {
        return bad_usage("check needs at least one FILE or DIR");
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            return bad_usage("unknown option '%s' for check", argv[i]);
        }
    }
    paths_t ps = { NULL, 0, 0, false };
    if (!collect(&ps, argv, argc)) {
        paths_free(&ps);
        return EXIT_USAGE;
    }
    size_t bad = 0;
    for (size_t i = 0; i < ps.n; i++) {
        hdm_bench_vector_t v;
        if (!hdm_bench_vector_parse_file(&v, ps.p[i])) {
            bad++;
            for (size_t k = 0; k < v.nerrors; k++) {
                fprintf(stderr, "%s\n", v.errors[k]);
            }
        }
        hdm_bench_vector_free(&v);
    }
    printf("%zu vector%s checked, %zu malformed\n", ps.n, ps.n == 1 ? "" : "s",
           bad);
    paths_free(&ps);
    return bad ? EXIT_FAIL : EXIT_PASS;
}

/* ---- run -------------------------------------------------------------- */

static const hdm_bench_target_t *find_target(const char *name,
                                             const char *device)
{
    for (size_t i = 0; hdm_bench_targets[i]; i++) {
        if (strcmp(hdm_bench_targets[i]->name, name) == 0 &&
            strcmp(hdm_bench_targets[i]->device, device) == 0) {
            return hdm_bench_targets[i];
        }
    }
    return NULL;
}

static char *vcd_path(const char *dir, const char *target,
                      const hdm_bench_vector_t *v)
{
    char name[512];
    hdm_bench_vector_name(v, name, sizeof(name)); /* device/vector */
    return hdm_bench_asprintf("%s/%s/%s.vcd", dir, target, name);
}

/* One vector on one target, then its VCD: in this process or a child. */
typedef struct cell_job {
    const hdm_bench_vector_t *v;
    const hdm_bench_target_t *tg;
    const char *vcd_dir;
} cell_job_t;

/* Write the VCD of a run; returns its path (malloc'ed) or NULL. */
static char *write_vcd(const char *dir, const hdm_bench_target_t *tg,
                       const hdm_bench_vector_t *v, const hdm_bench_result_t *r)
{
    char *vcd = vcd_path(dir, tg->name, v);
    hdm_bench_vcd_info_t info = { v->path, tg->name, r->timebase, r->end_tick };
    char why[512];
    if (!vcd ||
        !hdm_bench_vcd_write_file(vcd, &r->trace, &info, why, sizeof(why))) {
        fprintf(stderr, "hdm-bench: %s\n", vcd ? why : "no memory");
        free(vcd);
        return NULL;
    }
    return vcd;
}

static void cell_run(void *arg, hdm_bench_result_t *r, char **vcd_out)
{
    const cell_job_t *job = arg;
    hdm_bench_run(job->v, job->tg, r);
    *vcd_out = r->ran && job->vcd_dir
                   ? write_vcd(job->vcd_dir, job->tg, job->v, r)
                   : NULL;
}

/* Wall-time limit of one vector in a child process. */
#define CELL_TIMEOUT_S 600u

static void run_one(hdm_bench_report_t *rep, hdm_bench_row_t *row,
                    const hdm_bench_vector_t *v, const char *vcd_dir)
{
    for (unsigned t = 0; t < rep->ntargets; t++) {
        const char *tname = rep->targets[t];
        const hdm_bench_target_t *tg = find_target(tname, v->device->name);
        hdm_bench_result_t r;
        char *vcd = NULL;
        if (!tg) {
            memset(&r, 0, sizeof(r));
            r.verdict = HDM_BENCH_SKIP;
            r.skip_reason = hdm_bench_asprintf("target %s has no %s model",
                                               tname, v->device->name);
            hdm_bench_report_set(rep, row, t, &r, NULL);
            hdm_bench_result_free(&r);
            continue;
        }
        cell_job_t job = { v, tg, vcd_dir };
        if (tg->flags & HDM_BENCH_TARGET_OWN_PROCESS) {
            hdm_bench_isolated(cell_run, &job, CELL_TIMEOUT_S, &r, &vcd);
        } else {
            cell_run(&job, &r, &vcd);
        }
        if (r.verdict == HDM_BENCH_FAIL) {
            fprintf(stderr, "FAIL %s on %s%s%s%s\n", row->name, tname,
                    vcd ? " (VCD: " : "", vcd ? vcd : "", vcd ? ")" : "");
            for (size_t k = 0; k < r.nmessages; k++) {
                fprintf(stderr, "%s\n", r.messages[k]);
            }
            if (r.suppressed) {
                fprintf(stderr, "... and %zu more failures\n", r.suppressed);
            }
        }
        hdm_bench_report_set(rep, row, t, &r, vcd);
        free(vcd);
        hdm_bench_result_free(&r);
    }
}

static int cmd_run(int argc, char **argv)
{
    const char *target = "all";
    const char *vcd_dir = NULL;
    const char *report = NULL;
    const char *pictures = NULL;
    const char *showcase = NULL;
    char **inputs = calloc((size_t)argc + 1, sizeof(char *));
    const char **shows = calloc((size_t)argc + 1, sizeof(char *));
    int ninputs = 0, nshows = 0;
    bool opts_done = false;
    int rc = EXIT_USAGE;
    if (!inputs || !shows) {
        fprintf(stderr, "hdm-bench: out of memory\n");
        return EXIT_USAGE;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        const char *val = NULL;
        if (opts_done || a[0] != '-' || a[1] == '\0') {
            inputs[ninputs++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            opts_done = true;
            continue;
        }
        static const char *const names[] = { "--target", "--vcd", "--report",
                                             "--showcase", "--pictures" };
        const char **dsts[] = { &target, &vcd_dir, &report, &showcase,
                                &pictures };
        for (int k = 0; k < 5; k++) {
            size_t n = strlen(names[k]);
            if (strncmp(a, names[k], n) == 0 && (a[n] == '\0' || a[n] == '=')) {
                dst = dsts[k];
                if (a[n] == '=') {
                    val = a + n + 1;
                } else if (i + 1 < argc) {
                    val = argv[++i];
                } else {
                    rc = bad_usage("option %s needs a value", names[k]);
                    goto out;
                }
            }
        }
        if (!dst) {
            rc = bad_usage("unknown option '%s' for run", a);
            goto out;
        }
        if (!val || !*val) {
            rc = bad_usage("option '%s' needs a non-empty value", a);
            goto out;
        }
        *dst = val;
        if (dst == &showcase) {
            /* Comma list of device/vector names; the option may repeat. */
            for (const char *p = val; *p;) {
                size_t n = strcspn(p, ",");
                const char *slash = memchr(p, '/', n);
                if (n == 0 || !slash || slash == p || slash == p + n - 1) {
                    rc = bad_usage("--showcase wants DEVICE/VECTOR names, "
                                   "not '%.*s'",
                                   (int)n, p);
                    goto out;
                }
                p += n + (p[n] == ',');
            }
            shows[nshows++] = val;
        }
    }
    if (pictures && !vcd_dir) {
        rc = bad_usage("--pictures needs --vcd DIR (pictures are made from "
                       "the VCDs)");
        goto out;
    }

    /* Report columns: one target name, or every distinct registered one. */
    const char *cols[32];
    unsigned ncols = 0;
    for (size_t i = 0; hdm_bench_targets[i] && ncols < 32; i++) {
        const char *n = hdm_bench_targets[i]->name;
        bool seen = false;
        for (unsigned k = 0; k < ncols; k++) {
            seen = seen || strcmp(cols[k], n) == 0;
        }
        if (!seen && (strcmp(target, "all") == 0 || strcmp(target, n) == 0)) {
            cols[ncols++] = n;
        }
    }
    if (ncols == 0) {
        if (strcmp(target, "all") == 0) {
            fprintf(stderr, "hdm-bench: no targets compiled in\n");
        } else {
            rc = bad_usage("unknown target '%s' (see --help)", target);
            goto out;
        }
    }

    char *def[] = { (char *)HDM_VECTOR_DIR };
    paths_t ps = { NULL, 0, 0, false };
    if (!collect(&ps, ninputs ? inputs : def, ninputs ? ninputs : 1)) {
        paths_free(&ps);
        rc = EXIT_USAGE;
        goto out;
    }
    if (ps.n == 0) {
        fprintf(stderr, "hdm-bench: warning: no vectors found\n");
    }
    hdm_bench_report_t rep;
    hdm_bench_report_init(&rep, cols, ncols);
    bool oom = false;
    for (size_t i = 0; i < ps.n; i++) {
        hdm_bench_vector_t v;
        bool ok = hdm_bench_vector_parse_file(&v, ps.p[i]);
        hdm_bench_row_t *row = hdm_bench_report_add(&rep, &v);
        if (!row) {
            oom = true;
        } else if (!ok) {
            fprintf(stderr, "MALFORMED %s\n", row->name);
            for (size_t k = 0; k < v.nerrors; k++) {
                fprintf(stderr, "%s\n", v.errors[k]);
            }
        } else {
            run_one(&rep, row, &v, vcd_dir);
        }
        hdm_bench_vector_free(&v);
    }
    for (int k = 0; k < nshows; k++) {
        for (const char *p = shows[k]; *p;) {
            size_t n = strcspn(p, ",");
            char *name = hdm_bench_asprintf("%.*s", (int)n, p);
            if (!name) {
                oom = true;
            } else if (hdm_bench_report_showcase(&rep, name) == 0) {
                /* A subset run need not include the showcase. */
                fprintf(stderr,
                        "hdm-bench: warning: --showcase %s: no such vector "
                        "was run\n",
                        name);
            }
            free(name);
            p += n + (p[n] == ',');
        }
    }
    fflush(stderr);
    hdm_bench_report_print(&rep, stdout);
    rc = rep.failed || oom ? EXIT_FAIL : EXIT_PASS;
    if (pictures) {
        char why[512];
        if (!hdm_bench_report_pictures(&rep, pictures, why, sizeof(why))) {
            fprintf(stderr, "hdm-bench: %s\n", why);
            rc = EXIT_FAIL;
        }
    }
    if (report) {
        char why[512];
        if (!hdm_bench_report_markdown(&rep, report, why, sizeof(why))) {
            fprintf(stderr, "hdm-bench: %s\n", why);
            rc = EXIT_FAIL;
        }
    }
    if (oom) {
        fprintf(stderr, "hdm-bench: out of memory\n");
    }
    hdm_bench_report_free(&rep);
    paths_free(&ps);
out:
    free(inputs);
    free(shows);
    return rc;
}

/* ---- cosim ------------------------------------------------------------ */

typedef struct cosim_job {
    const hdm_bench_vector_t *v;
    const hdm_bench_target_t *tg[2];
    const char *vcd_dir;
} cosim_job_t;

static void add_message(hdm_bench_result_t *r, char *m)
{
    if (m && hdm_bench_grow((void **)&r->messages, &r->messages_cap,
                            r->nmessages + 1, sizeof(char *))) {
        r->messages[r->nmessages++] = m;
    } else {
        free(m);
    }
}

/* Both runs and the comparison (in a child if a target needs one). */
static void cosim_run(void *arg, hdm_bench_result_t *out, char **note)
{
    const cosim_job_t *job = arg;
    hdm_bench_result_t r[2];
    *note = NULL;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < 2; i++) {
        hdm_bench_run(job->v, job->tg[i], &r[i]);
        if (r[i].ran && job->vcd_dir) {
            free(write_vcd(job->vcd_dir, job->tg[i], job->v, &r[i]));
        }
    }
    const char *na = job->tg[0]->name, *nb = job->tg[1]->name;
    if (r[0].verdict == HDM_BENCH_SKIP || r[1].verdict == HDM_BENCH_SKIP) {
        int k = r[0].verdict == HDM_BENCH_SKIP ? 0 : 1;
        out->verdict = HDM_BENCH_SKIP;
        out->skip_reason =
            hdm_bench_asprintf("%s: %s", job->tg[k]->name,
                               r[k].skip_reason ? r[k].skip_reason : "skipped");
    } else if (!r[0].ran || !r[1].ran) {
        out->verdict = HDM_BENCH_FAIL;
        int k = r[0].ran ? 1 : 0;
        add_message(
            out, hdm_bench_asprintf("%s did not run: %s", job->tg[k]->name,
                                    r[k].nmessages ? r[k].messages[0] : "?"));
    } else {
        char msg[1024];
        uint32_t caps = job->tg[0]->caps & job->tg[1]->caps;
        if (hdm_bench_cosim_diverge(&r[0].trace, &r[1].trace, caps, na, nb, msg,
                                    sizeof(msg))) {
            out->verdict = HDM_BENCH_FAIL;
            add_message(out, hdm_bench_asprintf("%s: first divergence at %s",
                                                job->v->path, msg));
        } else {
            out->verdict = HDM_BENCH_PASS;
        }
        /* Also say how each did against the vector's own expectations. */
        *note = hdm_bench_asprintf("%s %s, %s %s", na,
                                   hdm_bench_verdict_name(r[0].verdict), nb,
                                   hdm_bench_verdict_name(r[1].verdict));
    }
    hdm_bench_result_free(&r[0]);
    hdm_bench_result_free(&r[1]);
}

static int cmd_cosim(int argc, char **argv)
{
    const char *targets = "core,systemc";
    const char *vcd_dir = NULL;
    char **inputs = calloc((size_t)argc + 1, sizeof(char *));
    int ninputs = 0;
    if (!inputs) {
        fprintf(stderr, "hdm-bench: out of memory\n");
        return EXIT_USAGE;
    }
    for (int i = 0; i < argc; i++) {
        const char **dst = NULL;
        if (strcmp(argv[i], "--targets") == 0) {
            dst = &targets;
        } else if (strcmp(argv[i], "--vcd") == 0) {
            dst = &vcd_dir;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(inputs);
            return bad_usage("unknown option '%s' for cosim", argv[i]);
        } else {
            inputs[ninputs++] = argv[i];
            continue;
        }
        if (i + 1 >= argc || !argv[i + 1][0]) {
            free(inputs);
            return bad_usage("option %s needs a value", argv[i]);
        }
        *dst = argv[++i];
    }
    char names[2][64];
    const char *comma = strchr(targets, ',');
    size_t l0 = comma ? (size_t)(comma - targets) : 0;
    if (!comma || l0 == 0 || l0 >= 64 || strlen(comma + 1) == 0 ||
        strlen(comma + 1) >= 64 || strchr(comma + 1, ',')) {
        free(inputs);
        return bad_usage("--targets needs two names, A,B (got '%s')", targets);
    }
    memcpy(names[0], targets, l0);
    names[0][l0] = '\0';
    strcpy(names[1], comma + 1);
    for (int k = 0; k < 2; k++) {
        bool known = false;
        for (size_t i = 0; hdm_bench_targets[i]; i++) {
            known = known || strcmp(hdm_bench_targets[i]->name, names[k]) == 0;
        }
        if (!known) {
            free(inputs);
            return bad_usage("unknown target '%s' (see --help)", names[k]);
        }
    }

    char *def[] = { (char *)HDM_VECTOR_DIR };
    paths_t ps = { NULL, 0, 0, false };
    if (!collect(&ps, ninputs ? inputs : def, ninputs ? ninputs : 1)) {
        paths_free(&ps);
        free(inputs);
        return EXIT_USAGE;
    }
    size_t npass = 0, nfail = 0, nskip = 0;
    for (size_t i = 0; i < ps.n; i++) {
        hdm_bench_vector_t v;
        char name[512];
        bool ok = hdm_bench_vector_parse_file(&v, ps.p[i]);
        hdm_bench_vector_name(&v, name, sizeof(name));
        if (!ok) {
            nfail++;
            printf("%-52s MALFORMED\n", name);
            for (size_t k = 0; k < v.nerrors; k++) {
                fprintf(stderr, "%s\n", v.errors[k]);
            }
            hdm_bench_vector_free(&v);
            continue;
        }
        cosim_job_t job = { &v,
                            { find_target(names[0], v.device->name),
                              find_target(names[1], v.device->name) },
                            vcd_dir };
        hdm_bench_result_t r;
        char *note = NULL;
        if (!job.tg[0] || !job.tg[1]) {
            memset(&r, 0, sizeof(r));
            r.verdict = HDM_BENCH_SKIP;
            r.skip_reason = hdm_bench_asprintf("target %s has no %s model",
                                               job.tg[0] ? names[1] : names[0],
                                               v.device->name);
        } else if ((job.tg[0]->flags | job.tg[1]->flags) &
                   HDM_BENCH_TARGET_OWN_PROCESS) {
            hdm_bench_isolated(cosim_run, &job, CELL_TIMEOUT_S, &r, &note);
        } else {
            cosim_run(&job, &r, &note);
        }
        switch (r.verdict) {
        case HDM_BENCH_PASS:
            npass++;
            printf("%-52s SAME (%s)\n", name, note ? note : "");
            break;
        case HDM_BENCH_SKIP:
            nskip++;
            printf("%-52s SKIP (%s)\n", name,
                   r.skip_reason ? r.skip_reason : "");
            break;
        default:
            nfail++;
            printf("%-52s DIVERGED\n", name);
            for (size_t k = 0; k < r.nmessages; k++) {
                fprintf(stderr, "%s\n", r.messages[k]);
            }
            break;
        }
        free(note);
        hdm_bench_result_free(&r);
        hdm_bench_vector_free(&v);
    }
    printf("%zu same, %zu diverged, %zu skipped (%s vs %s)\n", npass, nfail,
           nskip, names[0], names[1]);
    paths_free(&ps);
    free(inputs);
    return nfail ? EXIT_FAIL : EXIT_PASS;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_PASS;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return EXIT_PASS;
        }
    }
    if (strcmp(cmd, "run") == 0) {
        return cmd_run(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "cosim") == 0) {
        return cmd_cosim(argc - 2, argv + 2);
    }
    if (strcmp(cmd, "check") == 0) {
        return cmd_check(argc - 2, argv + 2);
    }
    return bad_usage("unknown command '%s' (run, cosim, check or --help)", cmd);
}
