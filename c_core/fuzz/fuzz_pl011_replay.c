/* SPDX-License-Identifier: MIT */
/*
 * Replay driver for the fuzz harnesses without libFuzzer (any C11
 * compiler). Built once per harness: as fuzz_pl011_replay with
 * fuzz_pl011.c and as fuzz_hpet_replay with fuzz_hpet.c (HDM_REPLAY_NAME
 * names the program in messages and the crash file):
 *
 *   fuzz_pl011_replay [-n N] [-seed S] PATH...
 *
 * Runs LLVMFuzzerTestOneInput on every file given (directories: every
 * regular file in them, in name order), then on N pseudo-random inputs
 * (default 20000, lengths 1..2048) from a fixed-seed xorshift64 generator:
 * even ones are plain random bytes, odd ones are a random corpus file with
 * random byte edits and splices. A failing input is written to
 * ./<name>-crash.bin (if it is a generated one) before the harness aborts;
 * rerun it with `<name> FILE` or with the libFuzzer binary (`fuzz_pl011
 * FILE`, `fuzz_hpet FILE`). Each input is bounded by alarm(60) so a hang
 * fails too.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern const char *hdm_fuzz_label;

#ifndef HDM_REPLAY_NAME
#define HDM_REPLAY_NAME "fuzz_pl011_replay"
#endif

#define MAX_LEN  2048u
#define MAX_FILE 65536u

typedef struct blob {
    char *name;
    uint8_t *data;
    size_t len;
} blob_t;

static blob_t *corpus;
static size_t ncorpus, capcorpus;

static const uint8_t *cur_data;
static size_t cur_len;
static int cur_generated;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, HDM_REPLAY_NAME ": %s%s%s\n", msg, arg ? ": " : "",
            arg ? arg : "");
    exit(2);
}

static void on_abort(int sig)
{
    (void)sig;
    if (cur_generated) {
        FILE *f = fopen(HDM_REPLAY_NAME "-crash.bin", "wb");
        if (f) {
            fwrite(cur_data, 1, cur_len, f);
            fclose(f);
            fputs(HDM_REPLAY_NAME ": input written to " HDM_REPLAY_NAME
                                  "-crash.bin\n",
                  stderr);
        }
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void add_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        die("cannot open", path);
    }
    uint8_t *buf = malloc(MAX_FILE);
    if (!buf) {
        die("out of memory", NULL);
    }
    size_t n = fread(buf, 1, MAX_FILE, f);
    fclose(f);
    if (ncorpus == capcorpus) {
        capcorpus = capcorpus ? 2 * capcorpus : 64;
        corpus = realloc(corpus, capcorpus * sizeof(*corpus));
        if (!corpus) {
            die("out of memory", NULL);
        }
    }
    size_t l = strlen(path) + 1;
    char *name = malloc(l);
    if (!name) {
        die("out of memory", NULL);
    }
    memcpy(name, path, l);
    corpus[ncorpus].name = name;
    corpus[ncorpus].data = buf;
    corpus[ncorpus].len = n;
    ncorpus++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        die("no such file or directory", path);
    }
    if (!S_ISDIR(st.st_mode)) {
        add_file(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        die("cannot open directory", path);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(l);
        if (!full) {
            die("out of memory", NULL);
        }
        snprintf(full, l, "%s/%s", path, e->d_name);
        struct stat fs;
        if (stat(full, &fs) != 0 || !S_ISREG(fs.st_mode)) {
            free(full);
            continue;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof(*names));
            if (!names) {
                die("out of memory", NULL);
            }
        }
        names[n++] = full;
    }
    closedir(d);
    if (n) {
        qsort(names, n, sizeof(*names), cmp_str);
    }
    for (size_t i = 0; i < n; i++) {
        add_file(names[i]);
        free(names[i]);
    }
    free(names);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t xorshift64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void run_one(const uint8_t *data, size_t len, const char *label,
                    int generated)
{
    cur_data = data;
    cur_len = len;
    cur_generated = generated;
    hdm_fuzz_label = label;
    alarm(60);
    LLVMFuzzerTestOneInput(data, len);
    alarm(0);
}

/* Random edits of a corpus entry: overwrite, insert, delete, splice. */
static size_t mutate(uint8_t *out, const blob_t *b)
{
    size_t len = b->len > MAX_LEN ? MAX_LEN : b->len;
    memcpy(out, b->data, len);
    unsigned edits = 1u + (unsigned)(xorshift64() % 8u);
    for (unsigned e = 0; e < edits; e++) {
        uint64_t r = xorshift64();
        size_t pos = len ? (size_t)((r >> 8) % len) : 0;
        switch (r & 3u) {
        case 0:
            if (len) {
                out[pos] = (uint8_t)(r >> 40);
            }
            break;
        case 1:
            if (len) {
                out[pos] ^= (uint8_t)(1u << ((r >> 40) & 7u));
            }
            break;
        case 2:
            if (len < MAX_LEN) {
                memmove(out + pos + 1, out + pos, len - pos);
                out[pos] = (uint8_t)(r >> 40);
                len++;
            }
            break;
        default:
            if (len > 1) {
                memmove(out + pos, out + pos + 1, len - pos - 1);
                len--;
            }
            break;
        }
    }
    if (ncorpus > 1 && (xorshift64() & 3u) == 0) {
        /* append a random tail of another entry */
        const blob_t *o = &corpus[xorshift64() % ncorpus];
        if (o->len > 1) {
            size_t from = 1u + (size_t)(xorshift64() % (o->len - 1));
            size_t n = o->len - from;
            if (n > MAX_LEN - len) {
                n = MAX_LEN - len;
            }
            memcpy(out + len, o->data + from, n);
            len += n;
        }
    }
    return len ? len : 1;
}

int main(int argc, char **argv)
{
    unsigned long n = 20000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            n = strtoul(argv[++i], NULL, 0);
        } else if (strcmp(argv[i], "-seed") == 0 && i + 1 < argc) {
            rng = strtoull(argv[++i], NULL, 0) | 1u;
        } else {
            add_path(argv[i]);
        }
    }
    signal(SIGABRT, on_abort);
    for (size_t i = 0; i < ncorpus; i++) {
        run_one(corpus[i].data, corpus[i].len, corpus[i].name, 0);
    }
    static uint8_t buf[MAX_LEN];
    char label[64];
    for (unsigned long k = 0; k < n; k++) {
        size_t len;
        if ((k & 1u) && ncorpus) {
            len = mutate(buf, &corpus[xorshift64() % ncorpus]);
        } else {
            len = 1u + (size_t)(xorshift64() % MAX_LEN);
            for (size_t j = 0; j < len; j++) {
                buf[j] = (uint8_t)(xorshift64() >> 32);
            }
        }
        snprintf(label, sizeof(label), "random #%lu", k);
        run_one(buf, len, label, 1);
    }
    printf(HDM_REPLAY_NAME ": %zu corpus inputs and %lu random inputs "
                           "passed\n",
           ncorpus, n);
    for (size_t i = 0; i < ncorpus; i++) {
        free(corpus[i].name);
        free(corpus[i].data);
    }
    free(corpus);
    return 0;
}
