// SPDX-License-Identifier: BSL-1.0
#pragma once
/** @file
    `BatchError`: a batch read or write (batch.hpp) stopped with work remaining; it holds every
    request not known to be applied, and decodes them for a model. */

#include <dynantic/detail/entity.hpp>
#include <dynantic/error.hpp>
#include <dynantic/operations/keys.hpp>

#include <boost/json/object.hpp>

#include <exception>
#include <utility>
#include <vector>

namespace dynantic {

/** A batch operation stopped with work remaining (errc::batch_incomplete). Nothing is lost:
    the error holds every request not known to be applied. `what()` reads
    "BatchWriteItem on table 'users': 3 of 1000 write requests unprocessed after 8 attempts" (or
    names the error that stopped the batch). */
class BatchError : public Error {
public:
    /** `unprocessed`: the requests not applied (WriteRequest or key objects, DynamoDB JSON); `retrieved`: items read before the stop; `cause`: the error that stopped the batch, if one did. */
    BatchError(ErrorInfo info, std::vector<boost::json::object> unprocessed,
               std::vector<boost::json::object> retrieved = {}, std::exception_ptr cause = nullptr)
        : Error(errc::batch_incomplete, std::move(info)),
          unprocessed_(std::move(unprocessed)),
          retrieved_(std::move(retrieved)),
          cause_(std::move(cause)) {}

    /** BatchWriteItem: the write requests not known to be applied, as they would be sent again
        (`{"PutRequest": {"Item": {...}}}` or `{"DeleteRequest": {"Key": {...}}}`), in the order
        given. BatchGetItem: the keys not read (`{"id": {"S": "u1"}}`). */
    const std::vector<boost::json::object>& unprocessed() const noexcept { return unprocessed_; }
    /** BatchGetItem: the items read before giving up, in the order of their keys. */
    const std::vector<boost::json::object>& retrieved() const noexcept { return retrieved_; }
    /** The error that stopped the batch (a TransportError, a ValidationError on a later chunk,
        ...), or null when retries of unprocessed work ran out. After a TransportError the
        chunk in flight may have been applied: it is among `unprocessed()` anyway. */
    const std::exception_ptr& cause() const noexcept { return cause_; }

    /** The items of the unprocessed PutRequests, decoded (a variant for a polymorphic base). */
    template <class Model>
    std::vector<typename detail::Entity<Model>::value_type> unprocessed_items() const;
    /** The keys of the unprocessed DeleteRequests (writes) or the unread keys (reads). */
    template <class Model>
    std::vector<typename detail::ModelKey<Model>::key_type> unprocessed_keys() const;
    /** `retrieved()`, decoded. */
    template <class Model>
    std::vector<typename detail::Entity<Model>::value_type> retrieved_items() const;

private:
    std::vector<boost::json::object> unprocessed_;
    std::vector<boost::json::object> retrieved_;
    std::exception_ptr cause_;
};

/// @cond DEFINITIONS (members declared and documented above)
// ----- BatchError's typed accessors -----

template <class Model>
std::vector<typename detail::Entity<Model>::value_type> BatchError::unprocessed_items() const {
    std::vector<typename detail::Entity<Model>::value_type> out;
    for (const auto& r : unprocessed_) {
        const auto* put = r.if_contains("PutRequest");
        if (put == nullptr || !put->is_object()) continue;
        if (const auto* item = put->get_object().if_contains("Item"); item != nullptr && item->is_object())
            out.push_back(detail::Entity<Model>::decode(item->get_object(), info()));
    }
    return out;
}

template <class Model>
std::vector<typename detail::ModelKey<Model>::key_type> BatchError::unprocessed_keys() const {
    std::vector<typename detail::ModelKey<Model>::key_type> out;
    for (const auto& r : unprocessed_) {
        if (r.contains("PutRequest")) continue;
        const boost::json::object* key = &r;
        if (const auto* del = r.if_contains("DeleteRequest")) {
            const auto* k = del->is_object() ? del->get_object().if_contains("Key") : nullptr;
            if (k == nullptr || !k->is_object()) continue;
            key = &k->get_object();
        }
        out.push_back(detail::ModelKey<Model>::decode(*key, info()));
    }
    return out;
}

template <class Model>
std::vector<typename detail::Entity<Model>::value_type> BatchError::retrieved_items() const {
    std::vector<typename detail::Entity<Model>::value_type> out;
    out.reserve(retrieved_.size());
    for (const auto& item : retrieved_) out.push_back(detail::Entity<Model>::decode(item, info()));
    return out;
}

/// @endcond

}  // namespace dynantic
