// SPDX-License-Identifier: BSL-1.0
#include <dynantic/error.hpp>

#include <array>
#include <utility>

namespace dynantic {
namespace {

struct AwsCode {
    std::string_view name;
    errc code;
};

constexpr std::array<AwsCode, 21> aws_codes{{
    {"ConditionalCheckFailedException", errc::conditional_check_failed},
    {"ResourceNotFoundException", errc::resource_not_found},
    {"ResourceInUseException", errc::resource_in_use},
    {"ValidationException", errc::validation},
    {"SerializationException", errc::validation},
    {"ProvisionedThroughputExceededException", errc::provisioned_throughput_exceeded},
    {"ThrottlingException", errc::throttling},
    {"RequestLimitExceeded", errc::request_limit_exceeded},
    {"LimitExceededException", errc::limit_exceeded},
    {"ItemCollectionSizeLimitExceededException", errc::item_collection_size_limit_exceeded},
    {"TransactionCanceledException", errc::transaction_canceled},
    {"TransactionConflictException", errc::transaction_conflict},
    {"TransactionInProgressException", errc::transaction_in_progress},
    {"IdempotentParameterMismatchException", errc::idempotent_parameter_mismatch},
    {"AccessDeniedException", errc::access_denied},
    {"UnrecognizedClientException", errc::unrecognized_client},
    {"InvalidSignatureException", errc::invalid_signature},
    {"ExpiredTokenException", errc::expired_token},
    {"MissingAuthenticationTokenException", errc::missing_authentication_token},
    {"InternalServerError", errc::internal_server_error},
    {"ServiceUnavailable", errc::service_unavailable},
}};

class Category final : public std::error_category {
public:
    const char* name() const noexcept override { return "dynantic"; }

    std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
        case errc::conditional_check_failed: return "conditional check failed";
        case errc::resource_not_found: return "table or index not found";
        case errc::resource_in_use: return "resource in use";
        case errc::validation: return "invalid request";
        case errc::provisioned_throughput_exceeded: return "provisioned throughput exceeded";
        case errc::throttling: return "throttled";
        case errc::request_limit_exceeded: return "request limit exceeded";
        case errc::limit_exceeded: return "limit exceeded";
        case errc::item_collection_size_limit_exceeded: return "item collection size limit exceeded";
        case errc::transaction_canceled: return "transaction canceled";
        case errc::transaction_conflict: return "transaction conflict";
        case errc::transaction_in_progress: return "transaction in progress";
        case errc::idempotent_parameter_mismatch: return "idempotent parameter mismatch";
        case errc::access_denied: return "access denied";
        case errc::unrecognized_client: return "unrecognized client";
        case errc::invalid_signature: return "invalid signature";
        case errc::expired_token: return "expired token";
        case errc::missing_authentication_token: return "missing authentication token";
        case errc::internal_server_error: return "internal server error";
        case errc::service_unavailable: return "service unavailable";
        case errc::unknown_service_error: return "service error";
        case errc::network: return "network error";
        case errc::timeout: return "timed out";
        case errc::tls: return "TLS error";
        case errc::crc32_mismatch: return "response CRC32 mismatch";
        case errc::invalid_response: return "invalid response";
        case errc::decode: return "item does not match its model";
        case errc::credentials: return "no usable credentials";
        case errc::configuration: return "invalid configuration";
        case errc::batch_incomplete: return "batch work left unprocessed";
        case errc::outcome_unknown: return "write outcome unknown";
        case errc::cancelled: return "cancelled";
        }
        return "unknown dynantic error";
    }

};

bool in_condition(errc e, condition c) noexcept {
    switch (c) {
    case condition::throttling:
        return e == errc::provisioned_throughput_exceeded || e == errc::throttling ||
               e == errc::request_limit_exceeded || e == errc::limit_exceeded;
    case condition::server_error: return e == errc::internal_server_error || e == errc::service_unavailable;
    case condition::transport: return e == errc::network || e == errc::timeout || e == errc::tls;
    case condition::retryable:
        return in_condition(e, condition::throttling) || in_condition(e, condition::server_error) ||
               e == errc::network || e == errc::timeout || e == errc::crc32_mismatch ||
               e == errc::transaction_conflict || e == errc::transaction_in_progress;
    case condition::client_error:
        return !in_condition(e, condition::retryable) && e != errc::tls && e != errc::unknown_service_error &&
               e != errc::batch_incomplete && e != errc::outcome_unknown && e != errc::cancelled;
    }
    return false;
}

/** Conditions live in their own category, so that their values never collide with codes. */
class ConditionCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "dynantic.condition"; }
    std::string message(int value) const override {
        switch (static_cast<condition>(value)) {
        case condition::retryable: return "retryable";
        case condition::throttling: return "throttling";
        case condition::client_error: return "client error";
        case condition::server_error: return "server error";
        case condition::transport: return "transport error";
        }
        return "unknown condition";
    }
    bool equivalent(const std::error_code& code, int value) const noexcept override {
        return code.category() == dynantic::error_category() &&
               in_condition(static_cast<errc>(code.value()), static_cast<condition>(value));
    }
};

std::string compose_what(const std::error_code& code, const ErrorInfo& info) {
    std::string out;
    if (!info.operation.empty()) out += info.operation;
    if (!info.table.empty()) {
        out += out.empty() ? "table '" : " on table '";
        out += info.table;
        out += '\'';
    }
    if (!out.empty()) out += ": ";
    if (!info.aws_code.empty()) {
        out += info.aws_code;
        out += ": ";
    }
    out += info.message.empty() ? code.message() : info.message;
    if (info.http_status != 0 && !info.request_id.empty()) {
        out += " (HTTP ";
        out += std::to_string(info.http_status);
        out += ", request id ";
        out += info.request_id;
        out += ')';
    }
    return out;
}

}  // namespace

const std::error_category& error_category() noexcept {
    static const Category category;
    return category;
}

std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

std::error_condition make_error_condition(condition c) noexcept {
    static const ConditionCategory category;
    return {static_cast<int>(c), category};
}

ConditionalCheckFailedError::ConditionalCheckFailedError(ErrorInfo info, std::optional<boost::json::object> item)
    : Error(errc::conditional_check_failed, std::move(info)), item_(std::move(item)) {}

TransactionCanceledError::TransactionCanceledError(ErrorInfo info, std::vector<CancellationReason> reasons)
    : Error(errc::transaction_canceled, std::move(info)), reasons_(std::move(reasons)) {}

std::vector<std::size_t> TransactionCanceledError::failed_actions() const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < reasons_.size(); ++i)
        if (reasons_[i].failed()) out.push_back(i);
    return out;
}

Error::Error(std::error_code code, ErrorInfo info)
    : std::system_error(code), info_(std::move(info)), what_(compose_what(code, info_)) {}

bool Error::retryable() const noexcept { return code() == condition::retryable; }

namespace detail {

errc errc_from_aws_code(std::string_view aws_code, unsigned http_status) noexcept {
    for (const auto& entry : aws_codes)
        if (entry.name == aws_code) return entry.code;
    if (http_status == 503) return errc::service_unavailable;
    if (http_status >= 500) return errc::internal_server_error;
    return errc::unknown_service_error;
}

std::vector<CancellationReason> parse_cancellation_reasons(const boost::json::object& body, std::string* problem) {
    std::vector<CancellationReason> out;
    auto malformed = [&](std::string what) {
        if (problem != nullptr && problem->empty()) *problem = std::move(what);
    };
    const auto* reasons = body.if_contains("CancellationReasons");
    if (reasons == nullptr) return out;
    if (!reasons->is_array()) {
        malformed("CancellationReasons is not an array");
        return out;
    }
    const auto& list = reasons->get_array();
    out.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        CancellationReason reason;
        const std::string where = "CancellationReasons[" + std::to_string(i) + "]";
        if (const auto* o = list[i].if_object()) {
            if (const auto* c = o->if_contains("Code"); c != nullptr && c->is_string())
                reason.code = std::string(c->get_string());
            else
                malformed(where + ".Code is " + (c == nullptr ? "missing" : "not a string"));
            for (const char* key : {"Message", "message"}) {
                if (const auto* m = o->if_contains(key)) {
                    if (m->is_string()) reason.message = std::string(m->get_string());
                    else if (!m->is_null()) malformed(where + "." + key + " is not a string");
                    break;
                }
            }
            if (const auto* item = o->if_contains("Item")) {
                if (item->is_object()) reason.item = item->get_object();
                else malformed(where + ".Item is not an object");
            }
        } else {
            malformed(where + " is not an object");
        }
        out.push_back(std::move(reason));
    }
    return out;
}

std::string describe_cancellation(const std::vector<CancellationReason>& reasons) {
    std::string out;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        const CancellationReason& r = reasons[i];
        if (!r.failed()) continue;
        if (!out.empty()) out += "; ";
        out += "action " + std::to_string(i);
        if (!r.operation.empty() || !r.table.empty()) {
            out += " (";
            out += r.operation.empty() ? std::string("action") : r.operation;
            if (!r.table.empty()) out += " on table '" + r.table + "'";
            out += ')';
        }
        out += " failed: " + r.code;
        if (!r.message.empty()) out += ": " + r.message;
    }
    return out;
}

void throw_service_error(ErrorInfo info, std::optional<boost::json::object> item, const boost::json::object* body) {
    const errc code = errc_from_aws_code(info.aws_code, info.http_status);
    switch (code) {
    case errc::transaction_canceled: {
        std::string problem;
        std::vector<CancellationReason> reasons =
            body != nullptr ? parse_cancellation_reasons(*body, &problem) : std::vector<CancellationReason>{};
        if (!problem.empty()) {
            // Not what DynamoDB sends: which action failed, and why, cannot be told.
            info.message = "invalid response: " + problem;
            throw Error(errc::invalid_response, std::move(info));
        }
        throw TransactionCanceledError(std::move(info), std::move(reasons));
    }
    case errc::conditional_check_failed: throw ConditionalCheckFailedError(std::move(info), std::move(item));
    case errc::resource_not_found: throw TableNotFoundError(std::move(info));
    case errc::validation: throw ValidationError(std::move(info));
    case errc::provisioned_throughput_exceeded: throw ProvisionedThroughputExceededError(std::move(info));
    case errc::throttling:
    case errc::request_limit_exceeded: throw ThrottlingError(code, std::move(info));
    case errc::transaction_conflict: throw TransactionConflictError(std::move(info));
    case errc::transaction_in_progress: throw TransactionInProgressError(std::move(info));
    default: throw Error(code, std::move(info));
    }
}

}  // namespace detail
}  // namespace dynantic
