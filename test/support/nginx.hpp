#pragma once
// nginx (Debian's nginx-light) started by a test as a child process, terminating TLS on a free
// loopback port and proxying to a plain-HTTP upstream such as DynamoDB Local.
#include "support/tls_identity.hpp"

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

namespace dynantic::test {

/** The nginx binary to run: DYNANTIC_NGINX if set, else /usr/sbin/nginx; nullopt when it is not
    an executable file. */
std::optional<std::string> nginx_binary();

/** `nginx -c <dir>/nginx.conf -p <dir> -e <dir>/error.log` with `daemon off; master_process off`,
    so it runs in the foreground as the current user (root not needed), with every path (pid,
    logs, temp files) inside a temporary directory. It listens on 127.0.0.1:<port> with TLS
    (`identity`) and proxies every request to `upstream` ("http://host:port"). Stopped with
    SIGTERM (SIGKILL after 5 s) on destruction. */
class NginxTlsProxy {
public:
    /** @throws std::runtime_error, with nginx's error log, if it does not accept connections
            within 10 s. */
    NginxTlsProxy(const std::string& binary, const std::string& upstream, const TlsIdentity& identity);
    ~NginxTlsProxy();
    NginxTlsProxy(const NginxTlsProxy&) = delete;
    NginxTlsProxy& operator=(const NginxTlsProxy&) = delete;

    std::uint16_t port() const noexcept { return port_; }

private:
    void stop() noexcept;

    TempDir dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace dynantic::test
