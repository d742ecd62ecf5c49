/*
 * errors: every error path of the C API returns its status, writes no
 * output, and leaks nothing (scripts/test-c runs this under valgrind);
 * plus the small semantic checks that need no input files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textmeter.h"

static int failures = 0;

#define EXPECT(cond)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "errors.c:%d: failed: %s\n", __LINE__, #cond); \
            failures++;                                                    \
        }                                                                  \
    } while (0)

#define EXPECT_STATUS(call, want)                                          \
    do {                                                                   \
        textmeter_status got_ = (call);                                    \
        if (got_ != (want)) {                                              \
            fprintf(stderr, "errors.c:%d: %s: got %u (%s), want %s\n",     \
                    __LINE__, #call, (unsigned)got_,                       \
                    textmeter_status_str(got_), #want);                    \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static textmeter_config small_config(void) {
    textmeter_config c = textmeter_config_default();
    c.capacity = 64;
    c.signature_k = 16;
    return c;
}

static void statuses(void) {
    uint32_t s, t;
    for (s = 0; s <= TEXTMETER_STATUS_CORRUPT_STATE; s++) {
        const char *m = textmeter_status_str(s);
        EXPECT(m != NULL && strlen(m) > 0);
        EXPECT(strcmp(m, "unknown status") != 0);
        for (t = 0; t < s; t++) {
            EXPECT(strcmp(m, textmeter_status_str(t)) != 0);
        }
    }
    EXPECT(strcmp(textmeter_status_str(TEXTMETER_STATUS_OK), "ok") == 0);
    EXPECT(strcmp(textmeter_status_str(1000), "unknown status") == 0);
    EXPECT(strcmp(textmeter_version(), TEXTMETER_VERSION_STRING) == 0);
    /* The values are ABI: these must never change. */
    EXPECT(TEXTMETER_STATUS_NULL_ARG == 1);
    EXPECT(TEXTMETER_STATUS_MISALIGNED == 4);
    EXPECT(TEXTMETER_STATUS_PANIC == 13);
    EXPECT(TEXTMETER_STATUS_CORRUPT_STATE == 14);
}

static void configs(void) {
    textmeter_config d = textmeter_config_default(), c;
    size_t n = 7;
    textmeter_analyzer *a = NULL;
    EXPECT(d.ngram_min == 1 && d.ngram_max == 3 && d.capacity == 65536);
    EXPECT(d.signature_k == 128 && d.max_token_len == 64);
    EXPECT(d.fold_case && d.fold_apostrophes && d.negation);

    EXPECT_STATUS(textmeter_analyzer_size(NULL, &n), TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_size(&d, NULL), TEXTMETER_STATUS_NULL_ARG);
    EXPECT(n == 7);

#define BAD(field, value)                                                  \
    do {                                                                   \
        c = d;                                                             \
        c.field = value;                                                   \
        EXPECT_STATUS(textmeter_analyzer_size(&c, &n),                     \
                      TEXTMETER_STATUS_INVALID_CONFIG);                    \
        EXPECT_STATUS(textmeter_analyzer_new(&c, NULL, &a),                \
                      TEXTMETER_STATUS_INVALID_CONFIG);                    \
        EXPECT(n == 7 && a == NULL);                                       \
    } while (0)
    BAD(ngram_min, 0);
    BAD(ngram_min, 4);
    BAD(ngram_max, 9);
    BAD(capacity, TEXTMETER_MAX_CAPACITY + 1u);
    BAD(max_token_len, 0);
    BAD(max_token_len, 256);
#undef BAD
    c = small_config();
    EXPECT_STATUS(textmeter_analyzer_size(&c, &n), TEXTMETER_STATUS_OK);
    EXPECT(n > 64 * 32);
    /* Capacity 0 is valid: totals and types only, no table entries. */
    c.capacity = 0;
    EXPECT_STATUS(textmeter_analyzer_new(&c, NULL, &a), TEXTMETER_STATUS_OK);
    {
        textmeter_ngram_info info;
        textmeter_gram g[2];
        size_t got = 9;
        EXPECT_STATUS(textmeter_analyzer_analyze(a, (const uint8_t *)"a b a",
                                                 5),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_ngrams(a, 1, &info),
                      TEXTMETER_STATUS_OK);
        EXPECT(info.total == 3 && info.distinct == 0);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, g, 2, NULL, 0, &got),
                      TEXTMETER_STATUS_OK);
        EXPECT(got == 0);
    }
    textmeter_analyzer_free(a);
}

static void caller_memory(void) {
    textmeter_config c = small_config();
    size_t need = 0;
    uint64_t *mem;
    uint8_t *bytes;
    textmeter_analyzer *a = NULL, *b = NULL;
    textmeter_counts counts;

    EXPECT_STATUS(textmeter_analyzer_size(&c, &need), TEXTMETER_STATUS_OK);
    mem = (uint64_t *)malloc(need + 16);
    if (mem == NULL) exit(1);
    memset(mem, 0xAB, need + 16); /* old contents do not matter */
    bytes = (uint8_t *)mem;

    EXPECT_STATUS(textmeter_analyzer_init(NULL, need, &c, NULL, &a),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_init(bytes, need, NULL, NULL, &a),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_init(bytes, need, &c, NULL, NULL),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_init(bytes + 1, need + 8, &c, NULL, &a),
                  TEXTMETER_STATUS_MISALIGNED);
    EXPECT_STATUS(textmeter_analyzer_init(bytes + 4, need + 8, &c, NULL, &a),
                  TEXTMETER_STATUS_MISALIGNED);
    EXPECT_STATUS(textmeter_analyzer_init(bytes, need - 1, &c, NULL, &a),
                  TEXTMETER_STATUS_MEMORY_TOO_SMALL);
    EXPECT_STATUS(textmeter_analyzer_init(bytes, 0, &c, NULL, &a),
                  TEXTMETER_STATUS_MEMORY_TOO_SMALL);
    EXPECT(a == NULL);
    /* 8-aligned but not 16-aligned is fine; extra bytes are unused. */
    EXPECT_STATUS(textmeter_analyzer_init(bytes + 8, need + 8, &c, NULL, &a),
                  TEXTMETER_STATUS_OK);
    EXPECT((uint8_t *)a == bytes + 8);

    EXPECT_STATUS(textmeter_analyzer_update(a, NULL, 5),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_update(a, NULL, 0), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_update(NULL, (const uint8_t *)"x", 1),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_finish(NULL), TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_reset(NULL), TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_analyze(NULL, NULL, 0),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_counts(a, NULL),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_counts(NULL, &counts),
                  TEXTMETER_STATUS_NULL_ARG);

    /* Chunks split anywhere give the whole text's numbers. */
    {
        const char *t = "Russia\xe2\x80\x99s 130,000 troops.\n";
        size_t i, len = strlen(t);
        textmeter_counts whole;
        EXPECT_STATUS(textmeter_analyzer_analyze(a, (const uint8_t *)t, len),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_counts(a, &whole),
                      TEXTMETER_STATUS_OK);
        EXPECT(whole.tokens == 3 && whole.words == 2 && whole.numbers == 1);
        EXPECT(whole.lines == 1 && whole.chars == 25 && whole.bytes == 27);
        EXPECT(whole.types == 3 && whole.types_exact);
        EXPECT_STATUS(textmeter_analyzer_reset(a), TEXTMETER_STATUS_OK);
        for (i = 0; i < len; i++) {
            EXPECT_STATUS(
                textmeter_analyzer_update(a, (const uint8_t *)t + i, 1),
                TEXTMETER_STATUS_OK);
        }
        EXPECT_STATUS(textmeter_analyzer_finish(a), TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_counts(a, &counts),
                      TEXTMETER_STATUS_OK);
        EXPECT(counts.tokens == whole.tokens && counts.words == whole.words);
        EXPECT(counts.bytes == whole.bytes && counts.chars == whole.chars);
        EXPECT(counts.types == whole.types && counts.types_exact);
        /* (NULL, 0) is the empty document. */
        EXPECT_STATUS(textmeter_analyzer_analyze(a, NULL, 0),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_counts(a, &counts),
                      TEXTMETER_STATUS_OK);
        EXPECT(counts.bytes == 0 && counts.tokens == 0 && counts.types == 0);
    }

    /* Merge: mismatched configurations, itself, then a real one. */
    {
        textmeter_config other = c;
        textmeter_analyzer *h = NULL;
        textmeter_ngram_info info;
        other.capacity = 65;
        EXPECT_STATUS(textmeter_analyzer_new(&other, NULL, &h),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_merge(a, h),
                      TEXTMETER_STATUS_CONFIG_MISMATCH);
        EXPECT_STATUS(textmeter_analyzer_merge(a, a),
                      TEXTMETER_STATUS_INVALID_ARG);
        EXPECT_STATUS(textmeter_analyzer_merge(NULL, a),
                      TEXTMETER_STATUS_NULL_ARG);
        EXPECT_STATUS(textmeter_analyzer_merge(a, NULL),
                      TEXTMETER_STATUS_NULL_ARG);
        textmeter_analyzer_free(h);
        h = NULL;
        EXPECT_STATUS(textmeter_analyzer_new(&c, textmeter_lexicon_builtin(),
                                             &h),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_merge(a, h),
                      TEXTMETER_STATUS_CONFIG_MISMATCH);
        textmeter_analyzer_free(h);
        h = NULL;
        EXPECT_STATUS(textmeter_analyzer_new(&c, NULL, &b),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(
            textmeter_analyzer_analyze(a, (const uint8_t *)"peace talks", 11),
            TEXTMETER_STATUS_OK);
        EXPECT_STATUS(
            textmeter_analyzer_analyze(b, (const uint8_t *)"peace now", 9),
            TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_merge(a, b), TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_counts(a, &counts),
                      TEXTMETER_STATUS_OK);
        EXPECT(counts.tokens == 4 && counts.bytes == 20 && counts.types == 3);
        /* A source whose text ends undecided (inside a word, then inside
           a UTF-8 sequence) is refused, not merged without it. */
        EXPECT_STATUS(textmeter_analyzer_reset(b), TEXTMETER_STATUS_OK);
        EXPECT_STATUS(
            textmeter_analyzer_update(b, (const uint8_t *)"one two thr", 11),
            TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_merge(a, b),
                      TEXTMETER_STATUS_INVALID_ARG);
        EXPECT_STATUS(
            textmeter_analyzer_update(b, (const uint8_t *)"ee \xf0\x9f", 5),
            TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_merge(a, b),
                      TEXTMETER_STATUS_INVALID_ARG);
        EXPECT_STATUS(textmeter_analyzer_counts(a, &counts),
                      TEXTMETER_STATUS_OK);
        EXPECT(counts.tokens == 4 && counts.bytes == 20);
        EXPECT_STATUS(textmeter_analyzer_finish(b), TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_counts(b, &counts),
                      TEXTMETER_STATUS_OK);
        EXPECT(counts.tokens == 3 && counts.invalid_bytes == 2);
        EXPECT_STATUS(textmeter_analyzer_ngrams(a, 2, &info),
                      TEXTMETER_STATUS_OK);
        EXPECT(info.total == 2 && info.exact && info.distinct == 2);
        EXPECT(info.capacity == 64 && info.max_error == 0);
    }

    /* n-gram range and top-k buffers. */
    {
        textmeter_ngram_info info;
        textmeter_gram g[4];
        uint8_t buf[64];
        size_t need = 99, got = 99;
        EXPECT_STATUS(textmeter_analyzer_ngrams(a, 0, &info),
                      TEXTMETER_STATUS_OUT_OF_RANGE);
        EXPECT_STATUS(textmeter_analyzer_ngrams(a, 4, &info),
                      TEXTMETER_STATUS_OUT_OF_RANGE);
        EXPECT_STATUS(textmeter_analyzer_ngrams(a, 1, NULL),
                      TEXTMETER_STATUS_NULL_ARG);
        EXPECT_STATUS(textmeter_analyzer_top_size(a, 9, 4, &need),
                      TEXTMETER_STATUS_OUT_OF_RANGE);
        EXPECT_STATUS(textmeter_analyzer_top_size(a, 1, 4, &need),
                      TEXTMETER_STATUS_OK);
        /* "peace" (6 with NUL) + "now" (4) + "talks" (6) */
        EXPECT(need == 16);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, g, 4, buf, need - 1, &got),
                      TEXTMETER_STATUS_BUFFER_TOO_SMALL);
        EXPECT(got == 99);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, NULL, 4, buf, 64, &got),
                      TEXTMETER_STATUS_NULL_ARG);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, g, 4, NULL, 64, &got),
                      TEXTMETER_STATUS_NULL_ARG);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, g, 4, buf, 64, NULL),
                      TEXTMETER_STATUS_NULL_ARG);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, NULL, 0, NULL, 0, &got),
                      TEXTMETER_STATUS_OK);
        EXPECT(got == 0);
        EXPECT_STATUS(textmeter_analyzer_top(a, 1, g, 4, buf, need, &got),
                      TEXTMETER_STATUS_OK);
        EXPECT(got == 3);
        EXPECT(strcmp(g[0].text, "peace") == 0 && g[0].count == 2);
        EXPECT(strcmp(g[1].text, "now") == 0 && g[1].len == 3);
        EXPECT(strcmp(g[2].text, "talks") == 0 && g[2].error == 0);
        EXPECT_STATUS(textmeter_analyzer_top(a, 2, g, 1, buf, 64, &got),
                      TEXTMETER_STATUS_OK);
        EXPECT(got == 1 && strcmp(g[0].text, "peace now") == 0);
        EXPECT(g[0].len == 9 && g[0].ntokens == 2);
        EXPECT(g[0].token_lens[0] == 5 && g[0].token_lens[1] == 3);
    }

    /* No lexicon: scores unavailable; k = 0: similarity unavailable. */
    {
        textmeter_category_score cs;
        size_t n = 42;
        double sim = -1;
        textmeter_config k0 = c;
        textmeter_analyzer *h = NULL;
        EXPECT_STATUS(textmeter_analyzer_category_count(a, &n),
                      TEXTMETER_STATUS_UNAVAILABLE);
        EXPECT_STATUS(textmeter_analyzer_category(a, 0, &cs),
                      TEXTMETER_STATUS_UNAVAILABLE);
        EXPECT(n == 42);
        EXPECT_STATUS(textmeter_analyzer_similarity(a, b, &sim),
                      TEXTMETER_STATUS_OK);
        EXPECT(sim >= 0 && sim <= 1);
        EXPECT_STATUS(textmeter_analyzer_similarity(a, a, &sim),
                      TEXTMETER_STATUS_OK);
        EXPECT(sim == 1.0);
        k0.signature_k = 0;
        EXPECT_STATUS(textmeter_analyzer_new(&k0, NULL, &h),
                      TEXTMETER_STATUS_OK);
        sim = -1;
        EXPECT_STATUS(textmeter_analyzer_similarity(a, h, &sim),
                      TEXTMETER_STATUS_UNAVAILABLE);
        EXPECT(sim == -1);
        textmeter_analyzer_free(h);
    }

    /* _free on caller memory does nothing; NULL is a no-op. */
    textmeter_analyzer_free(a);
    textmeter_analyzer_free(NULL);
    textmeter_analyzer_free(b);
    free(mem);
}

static void lexicons(void) {
    const char *bad = "# a comment\ntalks\tdeescalation\nattack escalation\n";
    const char *good = "#! name: demo\ntalks\tdeescalation\n"
                       "attack\tescalation\t-1\n";
    textmeter_config c = small_config();
    textmeter_lexicon_error err;
    textmeter_lexicon *lex = NULL;
    size_t n = 7, need = 0;
    uint64_t *mem;

    memset(&err, 0, sizeof err);
    EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)bad, strlen(bad),
                                         TEXTMETER_FORMAT_AUTO, &c, &n, &err),
                  TEXTMETER_STATUS_BAD_LEXICON);
    EXPECT(n == 7);
    EXPECT(err.line == 3 && err.kind == TEXTMETER_LEXICON_ERROR_MISSING_TAB);
    EXPECT(strcmp(err.message,
                  "line 3: missing tab between term and category") == 0);
    memset(&err, 0, sizeof err);
    EXPECT_STATUS(textmeter_lexicon_new((const uint8_t *)bad, strlen(bad),
                                        TEXTMETER_FORMAT_TSV, &c, &lex, &err),
                  TEXTMETER_STATUS_BAD_LEXICON);
    EXPECT(lex == NULL && err.line == 3);
    {
        /* Latin-1 is refused at its line, not split into other terms. */
        const char *latin1 = "talks\tdeescalation\ngl\xfc" "ck\tpos\n";
        memset(&err, 0, sizeof err);
        EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)latin1,
                                             strlen(latin1),
                                             TEXTMETER_FORMAT_AUTO, &c, &n,
                                             &err),
                      TEXTMETER_STATUS_BAD_LEXICON);
        EXPECT(err.line == 2 && err.kind == TEXTMETER_LEXICON_ERROR_NOT_UTF8);
        EXPECT(strcmp(err.message,
                      "line 2: not UTF-8 (lexicons are read as UTF-8)") == 0);
    }
    {
        /* AFINN behind a header line is refused when detected, not read
         * as TSV with a category per weight; named TSV reads it. */
        const char *afinn = "word\tscore\nsuperb\t5\nbad\t-3\n";
        memset(&err, 0, sizeof err);
        EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)afinn,
                                             strlen(afinn),
                                             TEXTMETER_FORMAT_AUTO, &c, &n,
                                             &err),
                      TEXTMETER_STATUS_BAD_LEXICON);
        /* The header line is at fault; the message names line 2. */
        EXPECT(err.line == 1 &&
               err.kind == TEXTMETER_LEXICON_ERROR_NUMERIC_CATEGORY);
        EXPECT(strstr(err.message, "like line 2 (an AFINN file?)") != NULL);
        EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)afinn,
                                             strlen(afinn),
                                             TEXTMETER_FORMAT_TSV, &c, &n,
                                             &err),
                      TEXTMETER_STATUS_OK);
    }
    /* The error output is optional. */
    EXPECT_STATUS(textmeter_lexicon_new((const uint8_t *)bad, strlen(bad),
                                        TEXTMETER_FORMAT_TSV, &c, &lex, NULL),
                  TEXTMETER_STATUS_BAD_LEXICON);
    {
        const char *w = "talks\tdeescalation\tnotanumber\n";
        EXPECT_STATUS(textmeter_lexicon_new((const uint8_t *)w, strlen(w),
                                            TEXTMETER_FORMAT_TSV, &c, &lex,
                                            &err),
                      TEXTMETER_STATUS_BAD_LEXICON);
        EXPECT(err.line == 1 && err.kind == TEXTMETER_LEXICON_ERROR_BAD_WEIGHT);
    }
    EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)good, strlen(good),
                                         99, &c, &n, &err),
                  TEXTMETER_STATUS_INVALID_ARG);
    EXPECT_STATUS(textmeter_lexicon_size(NULL, 5, TEXTMETER_FORMAT_AUTO, &c,
                                         &n, &err),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)good, strlen(good),
                                         TEXTMETER_FORMAT_AUTO, NULL, &n,
                                         &err),
                  TEXTMETER_STATUS_NULL_ARG);
    c.max_token_len = 0;
    EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)good, strlen(good),
                                         TEXTMETER_FORMAT_AUTO, &c, &n, &err),
                  TEXTMETER_STATUS_INVALID_CONFIG);
    c = small_config();
    /* An empty text is an empty lexicon. */
    EXPECT_STATUS(textmeter_lexicon_size(NULL, 0, TEXTMETER_FORMAT_AUTO, &c,
                                         &n, &err),
                  TEXTMETER_STATUS_OK);

    EXPECT_STATUS(textmeter_lexicon_size((const uint8_t *)good, strlen(good),
                                         TEXTMETER_FORMAT_AUTO, &c, &need,
                                         &err),
                  TEXTMETER_STATUS_OK);
    mem = (uint64_t *)malloc(need + 8);
    if (mem == NULL) exit(1);
    EXPECT_STATUS(textmeter_lexicon_init((uint8_t *)mem + 1, need + 7,
                                         (const uint8_t *)good, strlen(good),
                                         TEXTMETER_FORMAT_AUTO, &c, &lex,
                                         &err),
                  TEXTMETER_STATUS_MISALIGNED);
    EXPECT_STATUS(textmeter_lexicon_init((uint8_t *)mem, need - 1,
                                         (const uint8_t *)good, strlen(good),
                                         TEXTMETER_FORMAT_AUTO, &c, &lex,
                                         &err),
                  TEXTMETER_STATUS_MEMORY_TOO_SMALL);
    EXPECT_STATUS(textmeter_lexicon_init(NULL, need, (const uint8_t *)good,
                                         strlen(good), TEXTMETER_FORMAT_AUTO,
                                         &c, &lex, &err),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT(lex == NULL);
    EXPECT_STATUS(textmeter_lexicon_init((uint8_t *)mem, need,
                                         (const uint8_t *)good, strlen(good),
                                         TEXTMETER_FORMAT_AUTO, &c, &lex,
                                         &err),
                  TEXTMETER_STATUS_OK);
    {
        textmeter_lexicon_info info;
        textmeter_analyzer *a = NULL;
        textmeter_category_score cs;
        size_t ncat = 0;
        const char *t = "There will be no attack. Talks go on.";
        EXPECT_STATUS(textmeter_lexicon_describe(lex, &info),
                      TEXTMETER_STATUS_OK);
        EXPECT(strcmp(info.name, "demo") == 0 && info.name_len == 4);
        EXPECT(info.categories == 2 && info.terms == 2);
        EXPECT(info.format == TEXTMETER_FORMAT_TSV);
        EXPECT_STATUS(textmeter_lexicon_describe(NULL, &info),
                      TEXTMETER_STATUS_NULL_ARG);
        EXPECT_STATUS(textmeter_analyzer_new(&c, lex, &a),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_analyze(a, (const uint8_t *)t,
                                                 strlen(t)),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_category_count(a, &ncat),
                      TEXTMETER_STATUS_OK);
        EXPECT(ncat == 2);
        EXPECT_STATUS(textmeter_analyzer_category(a, 2, &cs),
                      TEXTMETER_STATUS_OUT_OF_RANGE);
        EXPECT_STATUS(textmeter_analyzer_category(a, 1, &cs),
                      TEXTMETER_STATUS_OK);
        EXPECT(strcmp(cs.name, "escalation") == 0);
        EXPECT(cs.hits == 1 && cs.negated == 1 && cs.score_milli == 1000);
        EXPECT(cs.score == 1.0 && cs.per_1k == 1000.0 / 8.0);
        textmeter_analyzer_free(a);
    }
    textmeter_lexicon_free(lex); /* in caller memory: a no-op */
    free(mem);

    /* The built-in lexicon is static, and fits only folded tokens. */
    {
        const textmeter_lexicon *b = textmeter_lexicon_builtin();
        textmeter_lexicon_info info;
        textmeter_analyzer *a = NULL;
        textmeter_config nofold = small_config();
        size_t len = 0;
        const uint8_t *text = textmeter_builtin_lexicon_text(&len);
        EXPECT(b != NULL && b == textmeter_lexicon_builtin());
        EXPECT(text != NULL && len > 1000);
        EXPECT(textmeter_builtin_lexicon_text(NULL) == NULL);
        EXPECT_STATUS(textmeter_lexicon_describe(b, &info),
                      TEXTMETER_STATUS_OK);
        EXPECT(strcmp(info.name, "news-stance") == 0 && info.categories == 5);
        nofold.fold_case = false;
        EXPECT_STATUS(textmeter_analyzer_new(&nofold, b, &a),
                      TEXTMETER_STATUS_LEXICON_MISMATCH);
        EXPECT(a == NULL);
        EXPECT_STATUS(textmeter_lexicon_new(text, len, TEXTMETER_FORMAT_TSV,
                                            &nofold, &lex, &err),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_new(&nofold, lex, &a),
                      TEXTMETER_STATUS_OK);
        textmeter_analyzer_free(a);
        textmeter_lexicon_free(lex);
        textmeter_lexicon_free((textmeter_lexicon *)b); /* ignored */
        textmeter_lexicon_free(NULL);
    }
}

static void stateless(void) {
    textmeter_config c = textmeter_config_default();
    textmeter_counts counts;
    const char *t = "Russia\xe2\x80\x99s 130,000 troops";
    EXPECT_STATUS(textmeter_count((const uint8_t *)t, strlen(t), &c, &counts),
                  TEXTMETER_STATUS_OK);
    EXPECT(counts.tokens == 3 && counts.words == 2 && counts.numbers == 1);
    EXPECT(counts.types == 0 && !counts.types_exact);
    EXPECT_STATUS(textmeter_count(NULL, 0, &c, &counts), TEXTMETER_STATUS_OK);
    EXPECT(counts.bytes == 0 && counts.tokens == 0);
    EXPECT_STATUS(textmeter_count(NULL, 1, &c, &counts),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_count((const uint8_t *)t, 1, NULL, &counts),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_count((const uint8_t *)t, 1, &c, NULL),
                  TEXTMETER_STATUS_NULL_ARG);
    c.max_token_len = 300;
    EXPECT_STATUS(textmeter_count((const uint8_t *)t, 1, &c, &counts),
                  TEXTMETER_STATUS_INVALID_CONFIG);
}

/* Saved states: what serialize refuses, what deserialize refuses, and a
 * round trip that keeps every count and merges like the original. */
static void saved_states(void) {
    textmeter_config c = small_config(), other = small_config();
    const textmeter_lexicon *lex = textmeter_lexicon_builtin();
    textmeter_analyzer *a = NULL, *b = NULL, *r = NULL;
    textmeter_counts ca, cr;
    textmeter_category_score sa, sr;
    uint8_t *state, small[8];
    uint64_t *mem;
    size_t need = 0, wrote = 0, size = 0, i;
    const char *text = "Troops will not attack. Peace talks go on.";

    EXPECT_STATUS(textmeter_analyzer_new(&c, lex, &a), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_serialized_size(NULL, &need),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_serialized_size(a, NULL),
                  TEXTMETER_STATUS_NULL_ARG);
    /* Undecided text (a word the next chunk may continue) is refused. */
    EXPECT_STATUS(textmeter_analyzer_update(a, (const uint8_t *)text, 28),
                  TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_serialized_size(a, &need),
                  TEXTMETER_STATUS_OK);
    state = (uint8_t *)malloc(need + 16);
    EXPECT(state != NULL);
    if (state == NULL) return;
    EXPECT_STATUS(textmeter_analyzer_serialize(a, state, need + 16, &wrote),
                  TEXTMETER_STATUS_INVALID_ARG);
    EXPECT(wrote == 0);
    EXPECT_STATUS(textmeter_analyzer_update(a, (const uint8_t *)text + 28,
                                            strlen(text) - 28),
                  TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_finish(a), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_serialized_size(a, &need),
                  TEXTMETER_STATUS_OK);
    free(state);
    state = (uint8_t *)malloc(need);
    EXPECT(state != NULL);
    if (state == NULL) return;
    EXPECT_STATUS(textmeter_analyzer_serialize(a, small, sizeof small, &wrote),
                  TEXTMETER_STATUS_BUFFER_TOO_SMALL);
    EXPECT_STATUS(textmeter_analyzer_serialize(a, NULL, 8, &wrote),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_serialize(a, state, need, NULL),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT_STATUS(textmeter_analyzer_serialize(NULL, state, need, &wrote),
                  TEXTMETER_STATUS_NULL_ARG);
    EXPECT(wrote == 0);
    EXPECT_STATUS(textmeter_analyzer_serialize(a, state, need, &wrote),
                  TEXTMETER_STATUS_OK);
    EXPECT(wrote == need && memcmp(state, "TMAZ", 4) == 0);

    /* Restoring: wrong configuration or lexicon, damaged bytes. */
    other.capacity = 65;
    EXPECT_STATUS(
        textmeter_analyzer_deserialize_new(&other, lex, state, wrote, &r),
        TEXTMETER_STATUS_CONFIG_MISMATCH);
    EXPECT_STATUS(
        textmeter_analyzer_deserialize_new(&c, NULL, state, wrote, &r),
        TEXTMETER_STATUS_CONFIG_MISMATCH);
    EXPECT_STATUS(
        textmeter_analyzer_deserialize_new(&c, lex, state, wrote - 1, &r),
        TEXTMETER_STATUS_CORRUPT_STATE);
    EXPECT_STATUS(textmeter_analyzer_deserialize_new(&c, lex, NULL, 0, &r),
                  TEXTMETER_STATUS_CORRUPT_STATE);
    EXPECT_STATUS(textmeter_analyzer_deserialize_new(&c, lex, NULL, 5, &r),
                  TEXTMETER_STATUS_NULL_ARG);
    state[0] = 'X';
    EXPECT_STATUS(
        textmeter_analyzer_deserialize_new(&c, lex, state, wrote, &r),
        TEXTMETER_STATUS_CORRUPT_STATE);
    state[0] = 'T';
    EXPECT(r == NULL);

    /* In caller memory: misaligned and short blocks, then the real one. */
    EXPECT_STATUS(textmeter_analyzer_size(&c, &size), TEXTMETER_STATUS_OK);
    mem = (uint64_t *)malloc(size + 8);
    EXPECT(mem != NULL);
    if (mem == NULL) return;
    EXPECT_STATUS(textmeter_analyzer_deserialize_init((uint8_t *)mem + 1, size,
                                                      &c, lex, state, wrote,
                                                      &r),
                  TEXTMETER_STATUS_MISALIGNED);
    EXPECT_STATUS(textmeter_analyzer_deserialize_init((uint8_t *)mem, size - 1,
                                                      &c, lex, state, wrote,
                                                      &r),
                  TEXTMETER_STATUS_MEMORY_TOO_SMALL);
    EXPECT(r == NULL);
    EXPECT_STATUS(textmeter_analyzer_deserialize_init((uint8_t *)mem, size,
                                                      &c, lex, state, wrote,
                                                      &r),
                  TEXTMETER_STATUS_OK);
    EXPECT((void *)r == (void *)mem);
    EXPECT_STATUS(textmeter_analyzer_counts(a, &ca), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_counts(r, &cr), TEXTMETER_STATUS_OK);
    EXPECT(ca.bytes == cr.bytes && ca.chars == cr.chars);
    EXPECT(ca.lines == cr.lines && ca.tokens == cr.tokens);
    EXPECT(ca.words == cr.words && ca.numbers == cr.numbers);
    EXPECT(ca.types == cr.types && ca.types_exact == cr.types_exact);
    EXPECT(ca.invalid_bytes == cr.invalid_bytes);
    EXPECT(ca.truncated_tokens == cr.truncated_tokens);
    EXPECT(ca.max_token_len == cr.max_token_len && cr.tokens == 8);
    for (i = 0; i < 5; i++) {
        EXPECT_STATUS(textmeter_analyzer_category(a, i, &sa),
                      TEXTMETER_STATUS_OK);
        EXPECT_STATUS(textmeter_analyzer_category(r, i, &sr),
                      TEXTMETER_STATUS_OK);
        EXPECT(sa.hits == sr.hits && sa.negated == sr.negated);
        EXPECT(sa.score_milli == sr.score_milli);
    }
    /* The restored analyzer merges and goes on like the original. */
    EXPECT_STATUS(textmeter_analyzer_new(&c, lex, &b), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_merge(b, r), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_merge(b, a), TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_counts(b, &cr), TEXTMETER_STATUS_OK);
    EXPECT(cr.tokens == 2 * ca.tokens && cr.bytes == 2 * ca.bytes);
    EXPECT_STATUS(textmeter_analyzer_analyze(r, (const uint8_t *)"war", 3),
                  TEXTMETER_STATUS_OK);
    EXPECT_STATUS(textmeter_analyzer_counts(r, &cr), TEXTMETER_STATUS_OK);
    EXPECT(cr.tokens == 1);

    textmeter_analyzer_free(r); /* caller memory: a no-op */
    textmeter_analyzer_free(b);
    textmeter_analyzer_free(a);
    free(mem);
    free(state);
}

int main(void) {
    statuses();
    configs();
    caller_memory();
    lexicons();
    stateless();
    saved_states();
    if (failures) {
        fprintf(stderr, "errors: %d failures\n", failures);
        return 1;
    }
    printf("errors: all checks passed\n");
    return 0;
}
