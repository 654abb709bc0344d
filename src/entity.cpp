// SPDX-License-Identifier: BSL-1.0
#include <dynantic/detail/entity.hpp>

#include <dynantic/log.hpp>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid.hpp>

#include <algorithm>

namespace dynantic::detail {

void generate_uuid_bytes(unsigned char (&bytes)[16]) {
    thread_local boost::uuids::random_generator generator;  // seeded from the OS, version 4
    const boost::uuids::uuid id = generator();
    std::copy(id.begin(), id.end(), bytes);
}

void require_attribute(const boost::json::object& item, std::string_view name, const ErrorInfo& context) {
    if (!item.contains(name)) throw_item_error(AttributeError{std::string(name), "required attribute is missing"}, context);
}

void throw_discriminator_error(const ErrorInfo& context, std::string_view attribute, std::string_view found,
                               std::string_view expected) {
    ErrorInfo info = context;
    info.message = "attribute '" + std::string(attribute) + "': ";
    info.message += found.empty() ? "discriminator is missing" : "unknown entity type " + redacted(found);
    info.message += " (expected " + std::string(expected) + ")";
    throw DecodeError(std::move(info));
}

}  // namespace dynantic::detail
