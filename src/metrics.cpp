#include <dynantic/metrics.hpp>
#include <dynantic/progress.hpp>

#include <dynantic/log.hpp>

#include <string>

namespace dynantic {

std::string_view retry_reason_name(aws::RetryReason reason) noexcept {
    switch (reason) {
    case aws::RetryReason::throttling: return "throttling";
    case aws::RetryReason::transient: return "transient";
    case aws::RetryReason::timeout: return "timeout";
    case aws::RetryReason::none: break;
    }
    return "none";
}

namespace detail {

std::optional<double> consumed_capacity_units(const boost::json::object& response) noexcept {
    const auto* cc = response.if_contains("ConsumedCapacity");
    if (cc == nullptr) return std::nullopt;
    std::optional<double> total;
    const auto add = [&](const boost::json::value& entry) {
        if (!entry.is_object()) return;
        const auto* units = entry.get_object().if_contains("CapacityUnits");
        if (units == nullptr || !units->is_number()) return;
        boost::system::error_code ec;
        const double value = units->to_number<double>(ec);
        if (!ec) total = total.value_or(0.0) + value;
    };
    if (cc->is_object()) add(*cc);
    else if (cc->is_array())
        for (const auto& entry : cc->get_array()) add(entry);
    return total;
}

void log_callback_exception(std::string_view who, std::exception_ptr error) noexcept {
    try {
        if (!log_enabled(LogLevel::warn)) return;
        std::string line(who);
        line += " threw; ignored";
        try {
            if (error) std::rethrow_exception(error);
        } catch (const std::exception& e) {
            line += ": ";
            line += e.what();
        } catch (...) {
        }
        log(LogLevel::warn, line);
    } catch (...) {   // out of memory while logging: nothing more to do
    }
}

void report_progress(const ProgressCallback& callback, const Progress& progress) noexcept {
    if (!callback) return;
    try {
        callback(progress);
    } catch (...) {
        log_callback_exception("a progress callback", std::current_exception());
    }
}

}  // namespace detail
}  // namespace dynantic
