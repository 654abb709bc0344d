// SPDX-License-Identifier: BSL-1.0
#include <dynantic/aws/credentials.hpp>

#include "aws/environment.hpp"

#include <dynantic/log.hpp>

#include <condition_variable>
#include <cstring>

namespace dynantic::aws {
namespace {

using detail::env;

/** "in 58 min" / "3 s ago" for log lines. */
std::string expiry_text(const Credentials& c, std::chrono::system_clock::time_point now) {
    if (!c.expiration) return "no expiration";
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(*c.expiration - now).count();
    if (left < 0) return "expired " + std::to_string(-left) + " s ago";
    if (left >= 120) return "expire in " + std::to_string(left / 60) + " min";
    return "expire in " + std::to_string(left) + " s";
}

bool equals(const std::string& cached, const char* value) noexcept {
    return value == nullptr ? cached.empty() : cached == value;
}

}  // namespace

// ---- environment ---------------------------------------------------------------------------

Credentials EnvironmentCredentialsProvider::credentials() {
    Credentials c;
    c.access_key_id = env("AWS_ACCESS_KEY_ID");
    c.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
    // Only names, never values, go into the message.
    if (c.access_key_id.empty() && c.secret_access_key.empty())
        throw CredentialsUnavailableError(ErrorInfo{.message = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"});
    if (c.access_key_id.empty())
        throw Error(errc::credentials,
                    ErrorInfo{.message = "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not (or is empty)"});
    if (c.secret_access_key.empty())
        throw Error(errc::credentials,
                    ErrorInfo{.message = "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not (or is empty)"});
    c.session_token = env("AWS_SESSION_TOKEN");
    return c;
}

std::shared_ptr<const Credentials> EnvironmentCredentialsProvider::shared_credentials() {
    const char* id = std::getenv("AWS_ACCESS_KEY_ID");
    const char* secret = std::getenv("AWS_SECRET_ACCESS_KEY");
    const char* token = std::getenv("AWS_SESSION_TOKEN");
    {
        const std::lock_guard lock(mutex_);
        if (cached_ && equals(cached_->access_key_id, id) && equals(cached_->secret_access_key, secret) &&
            equals(cached_->session_token, token))
            return cached_;
    }
    auto fresh = std::make_shared<const Credentials>(credentials());
    const std::lock_guard lock(mutex_);
    cached_ = fresh;
    return fresh;
}

// ---- refreshing ----------------------------------------------------------------------------

std::shared_ptr<const Credentials> CredentialsProvider::shared_credentials() {
    return std::make_shared<const Credentials>(credentials());
}

StaticCredentialsProvider::StaticCredentialsProvider(Credentials c)
    : credentials_(std::make_shared<const Credentials>(std::move(c))) {}

std::shared_ptr<CredentialsProvider> static_credentials(std::string access_key_id, std::string secret_access_key,
                                                        std::string session_token) {
    return std::make_shared<StaticCredentialsProvider>(
        Credentials{std::move(access_key_id), std::move(secret_access_key), std::move(session_token), std::nullopt});
}

struct RefreshingCredentialsProvider::RefreshSignal {
    std::condition_variable changed;
};

RefreshingCredentialsProvider::RefreshingCredentialsProvider(RefreshOptions options)
    : options_(options), refreshed_(std::make_unique<RefreshSignal>()) {}

RefreshingCredentialsProvider::~RefreshingCredentialsProvider() = default;

std::shared_ptr<const Credentials> RefreshingCredentialsProvider::cached_credentials() {
    const auto now = Clock::now();
    const std::lock_guard lock(mutex_);
    if (!current_) return nullptr;
    if (!current_->expiration || now < *current_->expiration - options_.refresh_before) return current_;
    const bool valid = now < *current_->expiration;
    if (valid && (refreshing_ || now < next_attempt_)) return current_;
    return nullptr;
}

std::shared_ptr<const Credentials> RefreshingCredentialsProvider::shared_credentials() {
    const auto now = Clock::now();
    std::unique_lock lock(mutex_);
    for (;;) {
        if (current_) {
            if (!current_->expiration || now < *current_->expiration - options_.refresh_before) return current_;
            const bool valid = now < *current_->expiration;
            if (valid && (refreshing_ || now < next_attempt_)) return current_;   // someone refreshes, or wait
            if (!valid && !refreshing_ && last_error_ && now < next_attempt_) std::rethrow_exception(last_error_);
            if (!refreshing_) break;   // refresh it ourselves
        } else if (!refreshing_) {
            if (last_error_ && now < next_attempt_) std::rethrow_exception(last_error_);
            break;
        }
        // Nothing usable: wait for the refresher, and share its outcome.
        const std::uint64_t generation = generation_;
        refreshed_->changed.wait(lock, [&] { return !refreshing_; });
        const bool usable = current_ && (!current_->expiration || Clock::now() < *current_->expiration);
        if (usable) return current_;
        if (generation_ != generation && last_error_) std::rethrow_exception(last_error_);
    }

    refreshing_ = true;
    lock.unlock();
    fetches_.fetch_add(1, std::memory_order_relaxed);
    std::shared_ptr<const Credentials> fresh;
    std::exception_ptr error;
    try {
        fresh = std::make_shared<const Credentials>(fetch());
    } catch (...) {
        error = std::current_exception();
    }
    const auto done = Clock::now();

    lock.lock();
    refreshing_ = false;
    ++generation_;
    last_error_ = error;
    if (error) {
        next_attempt_ = done + options_.retry_interval;
    } else {
        const bool had = current_ != nullptr;
        current_ = fresh;
        const bool early = fresh->expiration && *fresh->expiration - options_.refresh_before <= done;
        next_attempt_ = early ? done + options_.retry_interval : Clock::time_point{};
        if (log_enabled(had ? LogLevel::info : LogLevel::debug))
            log(had ? LogLevel::info : LogLevel::debug,
                "credentials " + std::string(had ? "refreshed" : "fetched") + " from " + std::string(source()) +
                    " (they " + expiry_text(*fresh, done) + ")");
    }
    const auto result = current_;
    lock.unlock();
    refreshed_->changed.notify_all();

    if (!error) return fresh;
    if (result && result->expiration && done < *result->expiration) {
        if (log_enabled(LogLevel::warn)) {
            std::string line = "refreshing credentials from " + std::string(source()) + " failed";
            try {
                std::rethrow_exception(error);
            } catch (const std::exception& e) {
                line += ": ";
                line += e.what();
            } catch (...) {
            }
            line += "; using the current ones, which " + expiry_text(*result, done);
            log(LogLevel::warn, line);
        }
        return result;
    }
    std::rethrow_exception(error);
}

// ---- chain ---------------------------------------------------------------------------------

CredentialsProviderChain::CredentialsProviderChain(std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : providers_(std::move(providers)) {
    std::erase(providers_, nullptr);
}

std::shared_ptr<const Credentials> CredentialsProviderChain::cached_credentials() {
    if (const int chosen = chosen_.load(std::memory_order_acquire); chosen >= 0)
        return providers_[static_cast<std::size_t>(chosen)]->cached_credentials();
    return nullptr;
}

std::shared_ptr<const Credentials> CredentialsProviderChain::shared_credentials() {
    if (const int chosen = chosen_.load(std::memory_order_acquire); chosen >= 0)
        return providers_[static_cast<std::size_t>(chosen)]->shared_credentials();
    std::string reasons;
    for (std::size_t i = 0; i < providers_.size(); ++i) {
        try {
            auto c = providers_[i]->shared_credentials();
            int expected = -1;
            chosen_.compare_exchange_strong(expected, static_cast<int>(i), std::memory_order_acq_rel);
            return c;
        } catch (const CredentialsUnavailableError& e) {
            if (!reasons.empty()) reasons += "; ";
            reasons += e.message();
        }
    }
    if (providers_.empty()) reasons = "the credentials provider chain is empty";
    throw CredentialsUnavailableError(ErrorInfo{.message = "no AWS credentials found: " + reasons});
}

std::shared_ptr<CredentialsProvider> default_credentials_provider() {
    return std::make_shared<CredentialsProviderChain>(std::vector<std::shared_ptr<CredentialsProvider>>{
        std::make_shared<EnvironmentCredentialsProvider>(),
        std::make_shared<ProfileCredentialsProvider>(),
        std::make_shared<ContainerCredentialsProvider>(),
        std::make_shared<InstanceMetadataCredentialsProvider>(),
    });
}

}  // namespace dynantic::aws
