// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    Document paths: an attribute name followed by map keys (`.key`) and list indexes (`[2]`),
    as in `address.city` or `orders[0].total`.

    Text form, parsed by `Path::parse`: names are separated by `.`, indexes are `[n]`; a `\`
    escapes the next character, so `a\.b` is the single attribute name "a.b" and `\[x\]` the
    name "[x]". Names are always sent as `#n` placeholders, so reserved words (`name`, `status`,
    `date`) and characters such as `#`, `:` or `-` need no escaping at all.

    @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.Attributes.html */

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dynantic {

/** One step of a path: a name (attribute or map key) or a list index. */
using PathElement = std::variant<std::string, std::size_t>;

/** A document path: attribute names, map keys and list indexes (`a.b[2].c`), as condition, update and projection expressions name attributes. */
class Path {
public:
    Path() noexcept = default;
    /** A path of one attribute name, taken literally (no parsing). */
    explicit Path(std::string name);
    // The copies, moves and destructor are defined in the library, not here: every translation
    // unit would otherwise instantiate the vector-of-variant code that they take.
    /** A copy of `other`'s steps. */
    Path(const Path& other);
    /** Takes `other`'s steps, leaving it empty. */
    Path(Path&& other) noexcept;
    /** Replaces the steps with a copy of `other`'s. */
    Path& operator=(const Path& other);
    /** Replaces the steps with `other`'s, leaving it empty. */
    Path& operator=(Path&& other) noexcept;
    /** Frees the steps. */
    ~Path();

    /** Parses the text form described in the file comment.
        @throws ValidationError for an empty name, an unterminated or non-numeric index, or a
                trailing backslash. */
    static Path parse(std::string_view text);

    /** This path followed by a map key / a list index. */
    Path operator/(std::string name) const;
    /** This path followed by list index `index`. */
    Path operator[](std::size_t index) const;

    /** The steps, first to last. */
    const std::vector<PathElement>& elements() const noexcept { return elements_; }
    /** True for the default-constructed path (no step). */
    bool empty() const noexcept { return elements_.empty(); }

    /** True when one path is a prefix of the other, or they are equal: DynamoDB refuses two
        update actions on overlapping paths. */
    bool overlaps(const Path& other) const noexcept;

    /** The text form, with dots, brackets and backslashes in names escaped; parses back to this path. */
    std::string to_string() const;

    /** Step by step equality. */
    friend bool operator==(const Path& a, const Path& b) noexcept;

private:
    std::vector<PathElement> elements_;
};

}  // namespace dynantic
