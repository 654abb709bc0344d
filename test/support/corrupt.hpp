// Random corruptions of a text, for tests that compare two readers of the same input.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <string_view>

namespace dynantic::test {

/** `text` with 1 to `max_edits` random edits: a byte replaced, removed or inserted, the new
    bytes drawn from `alphabet`. */
inline std::string corrupted(std::string text, std::mt19937& rng, std::string_view alphabet, int max_edits) {
    const int edits = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_edits));
    for (int e = 0; e < edits && !text.empty(); ++e) {
        const std::size_t at = rng() % text.size();
        switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1); break;
        default: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        }
    }
    return text;
}

}  // namespace dynantic::test
