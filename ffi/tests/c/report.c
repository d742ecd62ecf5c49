/*
 * report: the textmeter CLI's JSON report (schema 1's documents, total and
 * similarity), computed through the C API. scripts/test-c runs it over
 * seeds/ and checks every number against `textmeter --json`.
 *
 * usage: report [--caller-memory] [--via-state] [--chunk N] [--capacity N]
 *               [--top K] [--ngrams LO HI] [--no-fold] [--no-negation]
 *               [--lexicon news-stance|none|PATH] FILE...
 *
 * --caller-memory builds every analyzer and the lexicon with *_size and
 * *_init in memory this program allocates, instead of *_new. --chunk feeds
 * each file in pieces of N bytes (default: the whole file at once).
 * --via-state saves each document's analyzer with
 * textmeter_analyzer_serialize, restores it into a new analyzer
 * (textmeter_analyzer_deserialize_init or _new) and reports and merges
 * the restored one, as a program combining analyses done elsewhere would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textmeter.h"

static int caller_memory = 0;
static int via_state = 0;

static void die(const char *what, textmeter_status s) {
    fprintf(stderr, "report: %s: %s\n", what, textmeter_status_str(s));
    exit(1);
}

#define CHECK(what, call)                                                  \
    do {                                                                   \
        textmeter_status s_ = (call);                                      \
        if (s_ != TEXTMETER_STATUS_OK) die(what, s_);                      \
    } while (0)

/* Memory handed to *_init, freed at exit. */
static void *blocks[256];
static size_t nblocks = 0;

static void *block(size_t n) {
    void *p = malloc(n); /* malloc results are TEXTMETER_ALIGN-aligned */
    if (p == NULL || nblocks == sizeof blocks / sizeof blocks[0]) {
        fprintf(stderr, "report: out of memory\n");
        exit(1);
    }
    blocks[nblocks++] = p;
    return p;
}

static textmeter_analyzer *make_analyzer(const textmeter_config *cfg,
                                         const textmeter_lexicon *lex) {
    textmeter_analyzer *a = NULL;
    if (caller_memory) {
        size_t n = 0;
        void *mem;
        CHECK("analyzer_size", textmeter_analyzer_size(cfg, &n));
        mem = block(n);
        CHECK("analyzer_init",
              textmeter_analyzer_init((uint8_t *)mem, n, cfg, lex, &a));
        if ((void *)a != mem) die("analyzer_init: handle != mem", 0);
    } else {
        CHECK("analyzer_new", textmeter_analyzer_new(cfg, lex, &a));
    }
    return a;
}

/* The analyzer `a`'s results, saved and restored into a new analyzer
 * (a is freed). */
static textmeter_analyzer *round_trip(textmeter_analyzer *a,
                                      const textmeter_config *cfg,
                                      const textmeter_lexicon *lex) {
    textmeter_analyzer *b = NULL;
    size_t need = 0, wrote = 0;
    uint8_t *state;
    CHECK("serialized_size", textmeter_analyzer_serialized_size(a, &need));
    state = (uint8_t *)malloc(need);
    if (state == NULL) die("malloc", 0);
    CHECK("serialize", textmeter_analyzer_serialize(a, state, need, &wrote));
    if (wrote != need) die("serialize: wrote != serialized_size", 0);
    textmeter_analyzer_free(a);
    if (caller_memory) {
        size_t n = 0;
        void *mem;
        CHECK("analyzer_size", textmeter_analyzer_size(cfg, &n));
        mem = block(n);
        CHECK("deserialize_init",
              textmeter_analyzer_deserialize_init((uint8_t *)mem, n, cfg, lex,
                                                  state, wrote, &b));
    } else {
        CHECK("deserialize_new",
              textmeter_analyzer_deserialize_new(cfg, lex, state, wrote, &b));
    }
    free(state);
    return b;
}

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0;
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *p;
            cap = cap ? cap * 2 : 65536;
            p = (unsigned char *)realloc(buf, cap);
            if (p == NULL) exit(1);
            buf = p;
        }
        got = fread(buf + n, 1, cap - n, f);
        if (got == 0) break;
        n += got;
    }
    fclose(f);
    *len = n;
    return buf;
}

static void json_str(const char *s, size_t len) {
    size_t i;
    putchar('"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void print_report(const textmeter_analyzer *a,
                         const textmeter_lexicon *lex, size_t top) {
    textmeter_counts c;
    textmeter_config cfg;
    size_t ncat = 0, i;
    unsigned n;
    textmeter_status s;

    CHECK("counts", textmeter_analyzer_counts(a, &c));
    CHECK("config", textmeter_analyzer_config(a, &cfg));
    printf("\"counts\": {\"bytes\": %llu, \"chars\": %llu, \"lines\": %llu, "
           "\"tokens\": %llu, \"words\": %llu, \"numbers\": %llu, "
           "\"types\": %llu, \"types_exact\": %s, \"invalid_bytes\": %llu, "
           "\"truncated_tokens\": %llu, \"max_token_len\": %llu},\n",
           (unsigned long long)c.bytes, (unsigned long long)c.chars,
           (unsigned long long)c.lines, (unsigned long long)c.tokens,
           (unsigned long long)c.words, (unsigned long long)c.numbers,
           (unsigned long long)c.types, c.types_exact ? "true" : "false",
           (unsigned long long)c.invalid_bytes,
           (unsigned long long)c.truncated_tokens,
           (unsigned long long)c.max_token_len);

    printf("\"ngrams\": {");
    for (n = cfg.ngram_min; n <= cfg.ngram_max; n++) {
        textmeter_ngram_info info;
        textmeter_gram *grams;
        unsigned char *bytes;
        size_t need = 0, got = 0, k;

        CHECK("ngrams", textmeter_analyzer_ngrams(a, n, &info));
        CHECK("top_size", textmeter_analyzer_top_size(a, n, top, &need));
        grams = (textmeter_gram *)malloc((top ? top : 1) * sizeof *grams);
        bytes = (unsigned char *)malloc(need ? need : 1);
        if (grams == NULL || bytes == NULL) exit(1);
        if (need > 0) {
            /* One byte short must be refused, with nothing written. */
            size_t sentinel = 12345;
            s = textmeter_analyzer_top(a, n, grams, top, bytes, need - 1,
                                       &sentinel);
            if (s != TEXTMETER_STATUS_BUFFER_TOO_SMALL || sentinel != 12345)
                die("top with a short buffer", s);
        }
        CHECK("top", textmeter_analyzer_top(a, n, grams, top, bytes, need,
                                            &got));
        printf("%s\"%u\": {\"total\": %llu, \"exact\": %s, \"top\": [",
               n == cfg.ngram_min ? "" : ", ", n,
               (unsigned long long)info.total,
               info.exact ? "true" : "false");
        for (k = 0; k < got; k++) {
            printf("%s{\"gram\": ", k ? ", " : "");
            if (grams[k].text == NULL) {
                printf("null");
            } else {
                json_str(grams[k].text, grams[k].len);
            }
            printf(", \"count\": %llu, \"error\": %llu}",
                   (unsigned long long)grams[k].count,
                   (unsigned long long)grams[k].error);
        }
        printf("]}");
        free(grams);
        free(bytes);
    }
    printf("},\n");

    s = textmeter_analyzer_category_count(a, &ncat);
    if (s == TEXTMETER_STATUS_UNAVAILABLE) {
        printf("\"lexicon\": null\n");
        return;
    }
    CHECK("category_count", s);
    {
        textmeter_lexicon_info li;
        CHECK("lexicon_describe", textmeter_lexicon_describe(lex, &li));
        printf("\"lexicon\": {\"name\": ");
        json_str(li.name, li.name_len);
        printf(", \"categories\": {");
    }
    for (i = 0; i < ncat; i++) {
        textmeter_category_score cs;
        CHECK("category", textmeter_analyzer_category(a, i, &cs));
        printf("%s", i ? ", " : "");
        json_str(cs.name, cs.name_len);
        printf(": {\"hits\": %llu, \"negated\": %llu, \"score\": %.17g, "
               "\"score_milli\": %lld, \"per_1k\": %.17g, "
               "\"hits_per_1k\": %.17g}",
               (unsigned long long)cs.hits, (unsigned long long)cs.negated,
               cs.score, (long long)cs.score_milli, cs.per_1k,
               cs.hits_per_1k);
    }
    printf("}}\n");
}

int main(int argc, char **argv) {
    textmeter_config cfg = textmeter_config_default();
    const char *lexicon = "news-stance";
    size_t chunk = 0, top = 10, ndocs = 0, i, j;
    const textmeter_lexicon *lex = NULL;
    textmeter_lexicon *owned_lex = NULL;
    textmeter_analyzer *docs[64];
    textmeter_analyzer *total;
    int argi = 1;

    for (; argi < argc && strncmp(argv[argi], "--", 2) == 0; argi++) {
        const char *o = argv[argi];
        if (strcmp(o, "--via-state") == 0) {
            via_state = 1;
        } else if (strcmp(o, "--caller-memory") == 0) {
            caller_memory = 1;
        } else if (strcmp(o, "--chunk") == 0 && argi + 1 < argc) {
            chunk = (size_t)strtoul(argv[++argi], NULL, 10);
        } else if (strcmp(o, "--capacity") == 0 && argi + 1 < argc) {
            cfg.capacity = (uint32_t)strtoul(argv[++argi], NULL, 10);
        } else if (strcmp(o, "--top") == 0 && argi + 1 < argc) {
            top = (size_t)strtoul(argv[++argi], NULL, 10);
        } else if (strcmp(o, "--ngrams") == 0 && argi + 2 < argc) {
            cfg.ngram_min = (uint8_t)atoi(argv[++argi]);
            cfg.ngram_max = (uint8_t)atoi(argv[++argi]);
        } else if (strcmp(o, "--no-fold") == 0) {
            cfg.fold_case = false;
        } else if (strcmp(o, "--no-negation") == 0) {
            cfg.negation = false;
        } else if (strcmp(o, "--lexicon") == 0 && argi + 1 < argc) {
            lexicon = argv[++argi];
        } else {
            fprintf(stderr, "report: bad option %s\n", o);
            return 2;
        }
    }
    if (argc - argi > 64) {
        fprintf(stderr, "report: at most 64 files\n");
        return 2;
    }

    if (strcmp(lexicon, "none") != 0) {
        const uint8_t *text;
        unsigned char *file = NULL;
        size_t len;
        uint32_t format = TEXTMETER_FORMAT_AUTO;
        textmeter_lexicon_error err;
        textmeter_status s;
        if (strcmp(lexicon, "news-stance") == 0) {
            /* The CLI recompiles the built-in text when --no-fold. */
            text = textmeter_builtin_lexicon_text(&len);
            format = TEXTMETER_FORMAT_TSV;
        } else {
            file = read_file(lexicon, &len);
            text = file;
        }
        if (strcmp(lexicon, "news-stance") == 0 && cfg.fold_case &&
            !caller_memory) {
            lex = textmeter_lexicon_builtin();
        } else if (caller_memory) {
            size_t n = 0;
            void *mem;
            s = textmeter_lexicon_size(text, len, format, &cfg, &n, &err);
            if (s == TEXTMETER_STATUS_BAD_LEXICON) {
                fprintf(stderr, "report: %s: %s\n", lexicon, err.message);
                return 2;
            }
            CHECK("lexicon_size", s);
            mem = block(n);
            CHECK("lexicon_init",
                  textmeter_lexicon_init((uint8_t *)mem, n, text, len, format,
                                         &cfg, &owned_lex, &err));
            lex = owned_lex;
        } else {
            s = textmeter_lexicon_new(text, len, format, &cfg, &owned_lex,
                                      &err);
            if (s == TEXTMETER_STATUS_BAD_LEXICON) {
                fprintf(stderr, "report: %s: %s\n", lexicon, err.message);
                return 2;
            }
            CHECK("lexicon_new", s);
            lex = owned_lex;
        }
        free(file); /* the lexicon does not keep its text */
    }

    total = make_analyzer(&cfg, lex);
    printf("{\"documents\": [\n");
    for (; argi < argc; argi++) {
        size_t len, at = 0;
        unsigned char *text = read_file(argv[argi], &len);
        textmeter_analyzer *a = make_analyzer(&cfg, lex);
        if (chunk == 0) {
            CHECK("analyze", textmeter_analyzer_analyze(a, text, len));
        } else {
            for (at = 0; at < len; at += chunk) {
                size_t n = len - at < chunk ? len - at : chunk;
                CHECK("update", textmeter_analyzer_update(a, text + at, n));
            }
            CHECK("update (NULL, 0)", textmeter_analyzer_update(a, NULL, 0));
            CHECK("finish", textmeter_analyzer_finish(a));
        }
        free(text);
        if (via_state) a = round_trip(a, &cfg, lex);
        CHECK("merge", textmeter_analyzer_merge(total, a));
        printf("%s{\"path\": ", ndocs ? ",\n" : "");
        json_str(argv[argi], strlen(argv[argi]));
        printf(",\n");
        print_report(a, lex, top);
        printf("}");
        docs[ndocs++] = a;
    }
    printf("],\n\"total\": {\n");
    print_report(total, lex, top);
    printf("},\n\"similarity\": [");
    for (i = 0; i < ndocs; i++) {
        printf("%s[", i ? ", " : "");
        for (j = 0; j < ndocs; j++) {
            double sim = 0;
            CHECK("similarity",
                  textmeter_analyzer_similarity(docs[i], docs[j], &sim));
            printf("%s%.17g", j ? ", " : "", sim);
        }
        printf("]");
    }
    printf("]}\n");

    /* Heap handles are freed; caller-memory ones need (and get) nothing
     * but free() of their blocks, and _free on them is a no-op. */
    for (i = 0; i < ndocs; i++) textmeter_analyzer_free(docs[i]);
    textmeter_analyzer_free(total);
    textmeter_lexicon_free(owned_lex);
    for (i = 0; i < nblocks; i++) free(blocks[i]);
    return 0;
}
