// SPDX-License-Identifier: BSL-1.0
#include <dynantic/expressions/path.hpp>

#include <dynantic/error.hpp>

#include <charconv>

namespace dynantic {
namespace {
[[noreturn]] void bad_path(std::string_view text, std::string_view why) {
    throw ValidationError({{}, {}, {}, "invalid attribute path '" + std::string(text) + "': " + std::string(why), 0, {}});
}
}  // namespace

Path::Path(std::string name) { elements_.emplace_back(std::move(name)); }
Path::Path(const Path& other) = default;
Path::Path(Path&& other) noexcept = default;
Path& Path::operator=(const Path& other) = default;
Path& Path::operator=(Path&& other) noexcept = default;
Path::~Path() = default;

bool operator==(const Path& a, const Path& b) noexcept { return a.elements_ == b.elements_; }

Path Path::parse(std::string_view text) {
    Path out;
    std::string name;
    bool have_name = false;   // a name is being collected
    bool after_index = false; // the previous element was an index
    auto flush = [&] {
        if (!have_name) {
            if (!after_index) bad_path(text, "empty attribute name");
            return;
        }
        out.elements_.emplace_back(std::move(name));
        name.clear();
        have_name = false;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            if (++i == text.size()) bad_path(text, "trailing backslash");
            name += text[i];
            have_name = true;
            after_index = false;
        } else if (c == '.') {
            flush();
            after_index = false;
            if (i + 1 == text.size()) bad_path(text, "empty attribute name");
        } else if (c == '[') {
            if (have_name) flush();
            else if (!after_index) bad_path(text, "an index must follow a name");
            const auto close = text.find(']', i);
            if (close == std::string_view::npos) bad_path(text, "unterminated '['");
            std::size_t index = 0;
            const auto digits = text.substr(i + 1, close - i - 1);
            const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
            if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size())
                bad_path(text, "list index must be a non-negative integer");
            out.elements_.emplace_back(index);
            i = close;
            after_index = true;
            if (i + 1 < text.size() && text[i + 1] != '.' && text[i + 1] != '[')
                bad_path(text, "expected '.' or '[' after ']'");
        } else if (c == ']') {
            bad_path(text, "unexpected ']'");
        } else {
            name += c;
            have_name = true;
            after_index = false;
        }
    }
    if (have_name) flush();
    if (out.elements_.empty()) bad_path(text, "empty attribute name");
    return out;
}

Path Path::operator/(std::string name) const {
    Path p = *this;
    p.elements_.emplace_back(std::move(name));
    return p;
}

Path Path::operator[](std::size_t index) const {
    Path p = *this;
    p.elements_.emplace_back(index);
    return p;
}

bool Path::overlaps(const Path& other) const noexcept {
    const std::size_t n = std::min(elements_.size(), other.elements_.size());
    for (std::size_t i = 0; i < n; ++i)
        if (elements_[i] != other.elements_[i]) return false;
    return true;
}

std::string Path::to_string() const {
    std::string out;
    for (const auto& e : elements_) {
        if (const auto* index = std::get_if<std::size_t>(&e)) {
            out += '[';
            out += std::to_string(*index);
            out += ']';
            continue;
        }
        if (!out.empty()) out += '.';
        for (char c : std::get<std::string>(e)) {
            if (c == '.' || c == '[' || c == ']' || c == '\\') out += '\\';
            out += c;
        }
    }
    return out;
}

}  // namespace dynantic
