// The header compiled as C++17 (g++ -std=c++17 -Wall -Wextra -Werror
// -pedantic), linked and run: enums are real enums in C++, the functions
// are extern "C", and the heap and caller-memory handles work.
#include <cstdio>
#include <cstring>
#include <vector>

#include "textmeter.h"

static int check(bool ok, const char *what) {
    if (!ok) std::fprintf(stderr, "cxx_smoke: failed: %s\n", what);
    return ok ? 0 : 1;
}

int main() {
    int failures = 0;
    textmeter_config cfg = textmeter_config_default();
    cfg.capacity = 128;
    const char *text = "They will not attack, Moscow said. Talks resume.";

    textmeter_analyzer *a = nullptr;
    textmeter_status s =
        textmeter_analyzer_new(&cfg, textmeter_lexicon_builtin(), &a);
    failures += check(s == TEXTMETER_STATUS_OK, "new");
    s = textmeter_analyzer_analyze(
        a, reinterpret_cast<const uint8_t *>(text), std::strlen(text));
    failures += check(s == TEXTMETER_STATUS_OK, "analyze");
    textmeter_counts c{};
    textmeter_analyzer_counts(a, &c);
    failures += check(c.tokens == 8 && c.types == 8, "counts");

    size_t need = 0;
    textmeter_analyzer_size(&cfg, &need);
    std::vector<uint64_t> mem((need + 7) / 8);
    textmeter_analyzer *b = nullptr;
    s = textmeter_analyzer_init(reinterpret_cast<uint8_t *>(mem.data()),
                                mem.size() * 8, &cfg,
                                textmeter_lexicon_builtin(), &b);
    failures += check(s == TEXTMETER_STATUS_OK, "init");
    textmeter_analyzer_analyze(b, reinterpret_cast<const uint8_t *>(text),
                               std::strlen(text));
    double sim = 0;
    textmeter_analyzer_similarity(a, b, &sim);
    failures += check(sim == 1.0, "similarity of equal documents");

    textmeter_category_score esc{};
    s = textmeter_analyzer_category(a, 0, &esc);
    failures += check(s == TEXTMETER_STATUS_OK &&
                          std::strcmp(esc.name, "escalation") == 0 &&
                          esc.hits == 1 && esc.negated == 1,
                      "escalation negated");
    textmeter_lexicon_error_kind k = TEXTMETER_LEXICON_ERROR_MISSING_TAB;
    textmeter_format f = TEXTMETER_FORMAT_LIWC;
    failures += check(k == 1 && f == 3, "enum values");

    textmeter_analyzer_free(a);
    textmeter_analyzer_free(b);
    if (failures == 0) std::printf("cxx_smoke: ok\n");
    return failures ? 1 : 0;
}
