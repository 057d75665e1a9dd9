/* SPDX-License-Identifier: MIT */
/* hdm bench run results: console table and Markdown report. */
#define _XOPEN_SOURCE 700 /* realpath */

#include "hdm_bench/report.h"
#include "hdm_bench/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

void hdm_bench_report_init(hdm_bench_report_t *rep, const char **targets,
                           unsigned ntargets)
{
    memset(rep, 0, sizeof(*rep));
    rep->targets = targets;
    rep->ntargets = ntargets;
}

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i]);
    }
    free(s);
}

void hdm_bench_report_free(hdm_bench_report_t *rep)
{
    for (size_t i = 0; i < rep->nrows; i++) {
        hdm_bench_row_t *row = &rep->rows[i];
        free(row->name);
        free(row->path);
        free_strings(row->errors, row->nerrors);
        for (unsigned t = 0; row->cells && t < rep->ntargets; t++) {
            hdm_bench_cell_t *c = &row->cells[t];
            free(c->skip_reason);
            free_strings(c->messages, c->nmessages);
            free(c->vcd);
        }
        free(row->cells);
    }
    free(rep->rows);
    memset(rep, 0, sizeof(*rep));
}

static char **copy_strings(char *const *s, size_t n, size_t *out_n)
{
    *out_n = 0;
    if (!n) {
        return NULL;
    }
    char **d = calloc(n, sizeof(*d));
    if (!d) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = hdm_bench_strdup(s[i]);
        if (d[i]) {
            (*out_n)++;
        } else {
            break;
        }
    }
    return d;
}

hdm_bench_row_t *hdm_bench_report_add(hdm_bench_report_t *rep,
                                      const hdm_bench_vector_t *v)
{
    if (!hdm_bench_grow((void **)&rep->rows, &rep->rows_cap, rep->nrows + 1,
                        sizeof(*rep->rows))) {
        return NULL;
    }
    hdm_bench_row_t *row = &rep->rows[rep->nrows];
    memset(row, 0, sizeof(*row));
    row->cells = calloc(rep->ntargets ? rep->ntargets : 1, sizeof(*row->cells));
    if (!row->cells) {
        return NULL;
    }
    rep->nrows++;
    char name[512];
    hdm_bench_vector_name(v, name, sizeof(name));
    row->name = hdm_bench_strdup(name);
    row->path = hdm_bench_strdup(v->path);
    row->malformed = v->nerrors > 0 || v->errors_truncated;
    if (row->malformed) {
        row->errors = copy_strings(v->errors, v->nerrors, &row->nerrors);
        for (unsigned t = 0; t < rep->ntargets; t++) {
            row->cells[t].verdict = HDM_BENCH_FAIL;
            rep->failed++;
        }
    }
    return row;
}

void hdm_bench_report_set(hdm_bench_report_t *rep, hdm_bench_row_t *row,
                          unsigned target, const hdm_bench_result_t *r,
                          const char *vcd)
{
    hdm_bench_cell_t *c = &row->cells[target];
    c->verdict = r->verdict;
    c->skip_reason = hdm_bench_strdup(r->skip_reason);
    c->messages = copy_strings(r->messages, r->nmessages, &c->nmessages);
    c->suppressed = r->suppressed + (r->nmessages - c->nmessages);
    c->vcd = hdm_bench_strdup(vcd);
    switch (r->verdict) {
    case HDM_BENCH_PASS:
        rep->passed++;
        break;
    case HDM_BENCH_FAIL:
        rep->failed++;
        break;
    default:
        rep->skipped++;
        break;
    }
}

void hdm_bench_report_summary(const hdm_bench_report_t *rep, char *buf,
                              size_t len)
{
    snprintf(buf, len, "%u passed, %u failed, %u skipped", rep->passed,
             rep->failed, rep->skipped);
}

static void print_trimmed(FILE *out, const hdm_bench_buf_t *line)
{
    const char *s = hdm_bench_buf_str(line);
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ') {
        n--;
    }
    fprintf(out, "%.*s\n", (int)n, s);
}

void hdm_bench_report_print(const hdm_bench_report_t *rep, FILE *out)
{
    size_t w = strlen("vector");
    for (size_t i = 0; i < rep->nrows; i++) {
        size_t n = rep->rows[i].name ? strlen(rep->rows[i].name) : 0;
        w = n > w ? n : w;
    }
    /* Columns are 7 wide ("systemc"); no trailing blanks. */
    hdm_bench_buf_t line;
    hdm_bench_buf_init(&line);
    hdm_bench_buf_printf(&line, "%-*s", (int)w, "vector");
    for (unsigned t = 0; t < rep->ntargets; t++) {
        hdm_bench_buf_printf(&line, "  %-7s", rep->targets[t]);
    }
    print_trimmed(out, &line);
    for (size_t i = 0; i < rep->nrows; i++) {
        const hdm_bench_row_t *row = &rep->rows[i];
        hdm_bench_buf_reset(&line);
        hdm_bench_buf_printf(&line, "%-*s", (int)w,
                             row->name ? row->name : "?");
        for (unsigned t = 0; t < rep->ntargets; t++) {
            hdm_bench_buf_printf(&line, "  %-7s",
                                 hdm_bench_verdict_name(row->cells[t].verdict));
        }
        if (row->malformed) {
            hdm_bench_buf_puts(&line, "(malformed)");
        }
        print_trimmed(out, &line);
    }
    hdm_bench_buf_free(&line);
    for (size_t i = 0; i < rep->nrows; i++) {
        const hdm_bench_row_t *row = &rep->rows[i];
        for (unsigned t = 0; t < rep->ntargets; t++) {
            const hdm_bench_cell_t *c = &row->cells[t];
            if (c->verdict == HDM_BENCH_SKIP) {
                fprintf(out, "SKIP %s on %s: %s\n", row->name, rep->targets[t],
                        c->skip_reason ? c->skip_reason : "");
            }
        }
    }
    char sum[128];
    hdm_bench_report_summary(rep, sum, sizeof(sum));
    fprintf(out, "%s\n", sum);
}

size_t hdm_bench_report_showcase(hdm_bench_report_t *rep, const char *name)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nrows; i++) {
        if (rep->rows[i].name && strcmp(rep->rows[i].name, name) == 0) {
            rep->rows[i].showcase = true;
            n++;
        }
    }
    return n;
}

bool hdm_bench_report_wants_picture(const hdm_bench_row_t *row, unsigned target)
{
    const hdm_bench_cell_t *c = &row->cells[target];
    return c->vcd && !row->malformed &&
           (row->showcase || c->verdict == HDM_BENCH_FAIL);
}

char *hdm_bench_report_picture_path(const char *vcd)
{
    size_t n = strlen(vcd);
    if (n > 4 && strcmp(vcd + n - 4, ".vcd") == 0) {
        n -= 4;
    }
    return hdm_bench_asprintf("%.*s.png", (int)n, vcd);
}

bool hdm_bench_report_pictures(const hdm_bench_report_t *rep, const char *path,
                               char *why, size_t why_len)
{
    if (!hdm_bench_mkdirs(path, why, why_len)) {
        return false;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    for (size_t i = 0; i < rep->nrows; i++) {
        for (unsigned t = 0; t < rep->ntargets; t++) {
            if (hdm_bench_report_wants_picture(&rep->rows[i], t)) {
                fprintf(f, "%s\n", rep->rows[i].cells[t].vcd);
            }
        }
    }
    bool ok = !ferror(f);
    if (fclose(f) != 0) {
        ok = false;
    }
    if (!ok) {
        snprintf(why, why_len, "error writing %s", path);
    }
    return ok;
}

/* Directory part of @a path ("." if none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s) {
        return hdm_bench_strdup(".");
    }
    if (s == path) {
        return hdm_bench_strdup("/");
    }
    return hdm_bench_asprintf("%.*s", (int)(s - path), path);
}

/* @a to as a path relative to directory @a from_dir (both resolved with
 * realpath, so they must exist); @a to unchanged if that fails. */
static char *relative_to(const char *from_dir, const char *to)
{
    char *tdir = dir_of(to);
    const char *tbase = strrchr(to, '/') ? strrchr(to, '/') + 1 : to;
    char *a = realpath(from_dir, NULL);
    char *b = tdir ? realpath(tdir, NULL) : NULL;
    char *res = NULL;
    if (a && b) {
        /* Longest common prefix ending at a component boundary. */
        size_t i = 0, cut = 0;
        for (;;) {
            bool enda = a[i] == '/' || a[i] == '\0';
            bool endb = b[i] == '/' || b[i] == '\0';
            if (enda && endb) {
                cut = i;
            }
            if (a[i] != b[i] || a[i] == '\0') {
                break;
            }
            i++;
        }
        hdm_bench_buf_t r;
        hdm_bench_buf_init(&r);
        for (const char *p = a + cut; *p; p++) {
            if (*p == '/' && p[1] != '/' && p[1] != '\0') {
                hdm_bench_buf_puts(&r, "../");
            }
        }
        const char *rest = b + cut;
        while (*rest == '/') {
            rest++;
        }
        if (*rest) {
            hdm_bench_buf_printf(&r, "%s/", rest);
        }
        hdm_bench_buf_puts(&r, tbase);
        res = r.failed ? NULL : hdm_bench_strdup(hdm_bench_buf_str(&r));
        hdm_bench_buf_free(&r);
    }
    free(a);
    free(b);
    free(tdir);
    return res ? res : hdm_bench_strdup(to);
}

/* Markdown-safe inline text: messages go in code spans. */
static void md_code(FILE *f, const char *s)
{
    fputc('`', f);
    for (; s && *s; s++) {
        fputc(*s == '`' ? '\'' : *s, f);
    }
    fputc('`', f);
}

bool hdm_bench_report_markdown(const hdm_bench_report_t *rep, const char *path,
                               char *why, size_t why_len)
{
    if (!hdm_bench_mkdirs(path, why, why_len)) {
        return false;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(why, why_len, "cannot write %s: %s", path, strerror(errno));
        return false;
    }
    char sum[128];
    hdm_bench_report_summary(rep, sum, sizeof(sum));
    fprintf(f, "# hdm conformance report\n\n**%s**\n\n", sum);
    fprintf(f, "| vector |");
    for (unsigned t = 0; t < rep->ntargets; t++) {
        fprintf(f, " %s |", rep->targets[t]);
    }
    fprintf(f, "\n|---|");
    for (unsigned t = 0; t < rep->ntargets; t++) {
        fprintf(f, "---|");
    }
    fputc('\n', f);
    for (size_t i = 0; i < rep->nrows; i++) {
        const hdm_bench_row_t *row = &rep->rows[i];
        fprintf(f, "| `%s` |", row->name);
        for (unsigned t = 0; t < rep->ntargets; t++) {
            const hdm_bench_cell_t *c = &row->cells[t];
            fprintf(f, " %s%s |", hdm_bench_verdict_name(c->verdict),
                    row->malformed ? " (malformed)" : "");
        }
        fputc('\n', f);
    }
    bool any = false;
    for (size_t i = 0; i < rep->nrows; i++) {
        const hdm_bench_row_t *row = &rep->rows[i];
        if (row->malformed) {
            if (!any) {
                fprintf(f, "\n## Failures\n");
                any = true;
            }
            fprintf(f, "\n### `%s`: malformed vector\n\n", row->name);
            for (size_t k = 0; k < row->nerrors; k++) {
                fprintf(f, "- ");
                md_code(f, row->errors[k]);
                fputc('\n', f);
            }
            continue;
        }
        for (unsigned t = 0; t < rep->ntargets; t++) {
            const hdm_bench_cell_t *c = &row->cells[t];
            if (c->verdict != HDM_BENCH_FAIL) {
                continue;
            }
            if (!any) {
                fprintf(f, "\n## Failures\n");
                any = true;
            }
            fprintf(f, "\n### `%s` on %s\n\n", row->name, rep->targets[t]);
            for (size_t k = 0; k < c->nmessages; k++) {
                fprintf(f, "- ");
                md_code(f, c->messages[k]);
                fputc('\n', f);
            }
            if (c->suppressed) {
                fprintf(f, "- ... and %zu more\n", c->suppressed);
            }
            fprintf(f, "\nVCD: ");
            if (c->vcd) {
                md_code(f, c->vcd);
            } else {
                fprintf(f, "none (run with --vcd DIR)");
            }
            fputc('\n', f);
        }
    }
    bool waves = false;
    char *report_dir = dir_of(path);
    for (size_t i = 0; i < rep->nrows; i++) {
        const hdm_bench_row_t *row = &rep->rows[i];
        for (unsigned t = 0; t < rep->ntargets; t++) {
            const hdm_bench_cell_t *c = &row->cells[t];
            if (!hdm_bench_report_wants_picture(row, t)) {
                continue;
            }
            if (!waves) {
                fprintf(f, "\n## Waveforms\n\nGTKWave pictures (rendered by "
                           "`testbench/scripts/render-waves.sh`) of every "
                           "failing vector and of the showcase vectors. Open "
                           "one with `gtkwave X.gtkw` (the save file next to "
                           "the VCD).\n");
                waves = true;
            }
            const char *verdict = hdm_bench_verdict_name(c->verdict);
            fprintf(f, "\n### `%s` on %s: %s%s\n\n", row->name, rep->targets[t],
                    verdict, row->showcase ? " (showcase)" : "");
            char *png = hdm_bench_report_picture_path(c->vcd);
            char *rel = png && report_dir ? relative_to(report_dir, png) : NULL;
            fprintf(f, "![%s on %s: %s](%s)\n\nVCD: ", row->name,
                    rep->targets[t], verdict, rel ? rel : "");
            md_code(f, c->vcd);
            fputc('\n', f);
            free(rel);
            free(png);
        }
    }
    free(report_dir);
    bool skips = false;
    for (size_t i = 0; i < rep->nrows; i++) {
        const hdm_bench_row_t *row = &rep->rows[i];
        for (unsigned t = 0; t < rep->ntargets; t++) {
            const hdm_bench_cell_t *c = &row->cells[t];
            if (c->verdict != HDM_BENCH_SKIP) {
                continue;
            }
            if (!skips) {
                fprintf(f, "\n## Skipped\n\n");
                skips = true;
            }
            fprintf(f, "- `%s` on %s: %s\n", row->name, rep->targets[t],
                    c->skip_reason ? c->skip_reason : "");
        }
    }
    bool ok = !ferror(f);
    if (fclose(f) != 0) {
        ok = false;
    }
    if (!ok) {
        snprintf(why, why_len, "error writing %s", path);
    }
    return ok;
}
