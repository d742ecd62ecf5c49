/*
 * static_buffer: textmeter with no heap at all, the shape a firmware user
 * would copy. The lexicon and the analyzer are built in static arrays with
 * *_size / *_init; text arrives in 64-byte chunks (here from stdin, on a
 * device from a UART); results are read into static arrays. Even stdio
 * gets static buffers, so under valgrind the whole program reports
 * "total heap usage: 0 allocs" (scripts/test-c checks that).
 *
 * It prints the document's report as the textmeter CLI's JSON does for
 * `textmeter --json --capacity 256 -`, and scripts/test-c checks the
 * numbers are identical.
 *
 * Build: cargo build --release -p textmeter-ffi
 *        cc -std=c99 -I include examples/c/static_buffer.c \
 *           target/release/libtextmeter.a -lpthread -ldl -lm
 * Run:   ./a.out < seeds/000_578c3a6d681ebc7b.txt
 */
#include <stdio.h>

#include "textmeter.h"

/* Sizes for this configuration (1..=3-grams, 256 entries each, k = 16):
 * textmeter_analyzer_size() reports the exact need at run time; a build
 * for a device would assert it once and keep the constant. uint64_t
 * arrays are aligned to TEXTMETER_ALIGN (8) bytes. */
#define ANALYZER_BYTES (160u * 1024u)
#define LEXICON_BYTES (24u * 1024u)
#define TOP 10
#define CHUNK 64

static uint64_t analyzer_mem[ANALYZER_BYTES / 8];
static uint64_t lexicon_mem[LEXICON_BYTES / 8];
static textmeter_gram grams[TOP];
/* Bound for TOP grams of n tokens: TOP * n * (max_token_len + 1). */
static uint8_t gram_text[TOP * 3 * (64 + 1)];
static uint8_t chunk[CHUNK];
static char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];

static int fail(const char *what, textmeter_status s) {
    fprintf(stderr, "static_buffer: %s: %s\n", what, textmeter_status_str(s));
    return 1;
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

int main(void) {
    textmeter_config cfg = textmeter_config_default();
    textmeter_lexicon *lex = NULL;
    textmeter_lexicon_error err;
    textmeter_lexicon_info info;
    textmeter_analyzer *a = NULL;
    textmeter_counts c;
    textmeter_status s;
    const uint8_t *lex_text;
    size_t lex_len, need, got, i, ncat;
    unsigned n;

    setvbuf(stdin, stdin_buf, _IOFBF, sizeof stdin_buf);
    setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);

    cfg.capacity = 256;
    cfg.signature_k = 16;

    /* The built-in news-stance lexicon, compiled into static memory. */
    lex_text = textmeter_builtin_lexicon_text(&lex_len);
    s = textmeter_lexicon_size(lex_text, lex_len, TEXTMETER_FORMAT_TSV, &cfg,
                               &need, &err);
    if (s != TEXTMETER_STATUS_OK) return fail("lexicon_size", s);
    if (need > sizeof lexicon_mem) return fail("lexicon memory", s);
    s = textmeter_lexicon_init((uint8_t *)lexicon_mem, sizeof lexicon_mem,
                               lex_text, lex_len, TEXTMETER_FORMAT_TSV, &cfg,
                               &lex, &err);
    if (s == TEXTMETER_STATUS_BAD_LEXICON) {
        fprintf(stderr, "static_buffer: lexicon: %s\n", err.message);
        return 1;
    }
    if (s != TEXTMETER_STATUS_OK) return fail("lexicon_init", s);

    /* The analyzer, in static memory too. */
    s = textmeter_analyzer_size(&cfg, &need);
    if (s != TEXTMETER_STATUS_OK) return fail("analyzer_size", s);
    if (need > sizeof analyzer_mem) {
        return fail("analyzer memory", TEXTMETER_STATUS_MEMORY_TOO_SMALL);
    }
    s = textmeter_analyzer_init((uint8_t *)analyzer_mem, sizeof analyzer_mem,
                                &cfg, lex, &a);
    if (s != TEXTMETER_STATUS_OK) return fail("analyzer_init", s);

    /* Feed the text in small chunks, as it arrives. */
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        s = textmeter_analyzer_update(a, chunk, got);
        if (s != TEXTMETER_STATUS_OK) return fail("update", s);
    }
    textmeter_analyzer_finish(a);

    /* Report: counts, top n-grams, lexicon scores. */
    textmeter_analyzer_counts(a, &c);
    printf("{\"documents\": [{\"path\": \"-\",\n"
           "\"counts\": {\"bytes\": %llu, \"chars\": %llu, \"lines\": %llu, "
           "\"tokens\": %llu, \"words\": %llu, \"numbers\": %llu, "
           "\"types\": %llu, \"types_exact\": %s, \"invalid_bytes\": %llu, "
           "\"truncated_tokens\": %llu, \"max_token_len\": %llu},\n",
           (unsigned long long)c.bytes, (unsigned long long)c.chars,
           (unsigned long long)c.lines, (unsigned long long)c.tokens,
           (unsigned long long)c.words, (unsigned long long)c.numbers,
           (unsigned long long)c.types, c.types_exact ? "true" : "false",
           (unsigned long long)c.invalid_bytes, (unsigned long long)c.truncated_tokens,
           (unsigned long long)c.max_token_len);
    printf("\"ngrams\": {");
    for (n = cfg.ngram_min; n <= cfg.ngram_max; n++) {
        textmeter_ngram_info ni;
        textmeter_analyzer_ngrams(a, n, &ni);
        s = textmeter_analyzer_top(a, n, grams, TOP, gram_text,
                                   sizeof gram_text, &got);
        if (s != TEXTMETER_STATUS_OK) return fail("top", s);
        printf("%s\"%u\": {\"total\": %llu, \"exact\": %s, \"top\": [",
               n == cfg.ngram_min ? "" : ", ", n, (unsigned long long)ni.total,
               ni.exact ? "true" : "false");
        for (i = 0; i < got; i++) {
            printf("%s{\"gram\": ", i ? ", " : "");
            if (grams[i].text == NULL) {
                printf("null");
            } else {
                json_str(grams[i].text, grams[i].len);
            }
            printf(", \"count\": %llu, \"error\": %llu}",
                   (unsigned long long)grams[i].count,
                   (unsigned long long)grams[i].error);
        }
        printf("]}");
    }
    textmeter_lexicon_describe(lex, &info);
    printf("},\n\"lexicon\": {\"name\": ");
    json_str(info.name, info.name_len);
    printf(", \"categories\": {");
    textmeter_analyzer_category_count(a, &ncat);
    for (i = 0; i < ncat; i++) {
        textmeter_category_score cs;
        textmeter_analyzer_category(a, i, &cs);
        printf("%s", i ? ", " : "");
        json_str(cs.name, cs.name_len);
        printf(": {\"hits\": %llu, \"negated\": %llu, \"score\": %.17g, "
               "\"per_1k\": %.17g, \"hits_per_1k\": %.17g}",
               (unsigned long long)cs.hits, (unsigned long long)cs.negated, cs.score,
               cs.per_1k, cs.hits_per_1k);
    }
    printf("}}}]}\n");
    /* Nothing to free: every byte is static. */
    return 0;
}
