#include "support/nginx.hpp"

#include <dynantic/http/endpoint.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace dynantic::test {
namespace {

using namespace std::chrono_literals;

/** A port on 127.0.0.1 that nothing listens on right now. */
std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool accepts_connections(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

std::optional<std::string> nginx_binary() {
    const char* configured = std::getenv("DYNANTIC_NGINX");
    std::string path = configured != nullptr && *configured != '\0' ? configured : "/usr/sbin/nginx";
    if (::access(path.c_str(), X_OK) != 0) return std::nullopt;
    return path;
}

NginxTlsProxy::NginxTlsProxy(const std::string& binary, const std::string& upstream, const TlsIdentity& identity) {
    const http::Endpoint up = http::Endpoint::parse(upstream);
    const std::string dir = dir_.path().string();
    dir_.write("server.pem", identity.certificate_pem);
    dir_.write("server.key", identity.private_key_pem);
    port_ = free_port();

    std::ostringstream conf;
    conf << "daemon off;\n"
            "master_process off;\n"
            "worker_processes 1;\n"
            "pid " << dir << "/nginx.pid;\n"
            "error_log " << dir << "/error.log warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            "  access_log off;\n"
            "  client_body_temp_path " << dir << "/client_body;\n"
            "  proxy_temp_path " << dir << "/proxy;\n"
            "  fastcgi_temp_path " << dir << "/fastcgi;\n"
            "  uwsgi_temp_path " << dir << "/uwsgi;\n"
            "  scgi_temp_path " << dir << "/scgi;\n"
            "  client_max_body_size 32m;\n"
            "  keepalive_requests 100000;\n"
            "  server {\n"
            "    listen 127.0.0.1:" << port_ << " ssl;\n"
            "    server_name localhost;\n"
            "    ssl_certificate " << dir << "/server.pem;\n"
            "    ssl_certificate_key " << dir << "/server.key;\n"
            "    location / {\n"
            "      proxy_pass http://" << up.host_header() << ";\n"
            "      proxy_http_version 1.1;\n"
            "      proxy_set_header Connection \"\";\n"
            "    }\n"
            "  }\n"
            "}\n";
    const std::string conf_path = dir_.write("nginx.conf", conf.str());
    const std::string log_path = dir + "/error.log";
    const std::string output_path = dir + "/output.log";

    std::vector<std::string> args{binary, "-c", conf_path, "-p", dir + "/", "-e", log_path};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    const int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + binary);
    }

    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!accepts_connections(port_)) {
        int status = 0;
        const bool exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (exited) pid_ = -1;
        if (exited || std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("nginx did not start on 127.0.0.1:" + std::to_string(port_) +
                                     "\n--- output ---\n" + read_file(output_path) + "--- error.log ---\n" +
                                     read_file(log_path));
        }
        std::this_thread::sleep_for(20ms);
    }
}

NginxTlsProxy::~NginxTlsProxy() { stop(); }

void NginxTlsProxy::stop() noexcept {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(10ms);
    }
    pid_ = -1;
}

}  // namespace dynantic::test
