#include <dynantic/aws/credentials.hpp>

#include <dynantic/error.hpp>

#include <cstdlib>

namespace dynantic::aws {
namespace {

/** An `ErrorInfo` holding only a message. (`{.message = m}` trips GCC 12's
    -Wmissing-field-initializers, as the string members have no default initializer.) */
ErrorInfo message_info(std::string message) {
    ErrorInfo info;
    info.message = std::move(message);
    return info;
}

/** The variable's value, or empty when unset. */
std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string{} : std::string(value);
}

}  // namespace

Credentials EnvironmentCredentialsProvider::credentials() {
    Credentials c;
    c.access_key_id = env("AWS_ACCESS_KEY_ID");
    c.secret_access_key = env("AWS_SECRET_ACCESS_KEY");
    // Only names, never values, go into the message.
    if (c.access_key_id.empty() && c.secret_access_key.empty())
        throw Error(errc::credentials,
                    message_info("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"));
    if (c.access_key_id.empty())
        throw Error(errc::credentials, message_info("AWS_ACCESS_KEY_ID is not set (or empty)"));
    if (c.secret_access_key.empty())
        throw Error(errc::credentials, message_info("AWS_SECRET_ACCESS_KEY is not set (or empty)"));
    c.session_token = env("AWS_SESSION_TOKEN");
    return c;
}

std::shared_ptr<CredentialsProvider> default_credentials_provider() {
    return std::make_shared<EnvironmentCredentialsProvider>();
}

}  // namespace dynantic::aws
