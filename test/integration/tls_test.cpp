// HTTPS end to end: nginx (Debian's nginx-light, started by the test) terminates TLS with a
// certificate issued by a CA made here, and proxies to DynamoDB Local (DYNANTIC_TEST_ENDPOINT).
// Shows success with the CA trusted (ca_file or AWS_CA_BUNDLE) and a clear errc::tls error for an
// untrusted CA and for a wrong host name.
#include <dynantic/table.hpp>

#include "support/dynamodb_fixture.hpp"
#include "support/nginx.hpp"
#include "support/scoped_env.hpp"
#include "support/tls_identity.hpp"

#include <dynantic/client.hpp>
#include <dynantic/error.hpp>

#include <boost/describe.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

namespace dy = dynantic;

namespace tlstest {
struct Note {
    std::string id;
    std::string text;
    std::int64_t views = 0;
};
BOOST_DESCRIBE_STRUCT(Note, (), (id, text, views))
constexpr auto dynantic_schema(const Note*) { return dy::table("notes").partition_key(&Note::id); }
}  // namespace tlstest

namespace {

using tlstest::Note;
using ::testing::HasSubstr;

class TlsIT : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const auto endpoint = dy::test::integration_endpoint();
        const auto nginx = dy::test::nginx_binary();
        if (!endpoint || !nginx) return;   // SetUp says why
        try {
            if (dy::http::Endpoint::parse(*endpoint).tls) {
                start_error_ = new std::string("DYNANTIC_TEST_ENDPOINT must be plain http for the nginx proxy");
                return;
            }
            ca_ = new dy::test::TlsIdentity(dy::test::make_certificate_authority("dynantic integration CA"));
            // A certificate for "localhost" only: connecting to 127.0.0.1 must fail verification.
            const auto server = dy::test::issue_server_certificate(*ca_, {"localhost"});
            ca_file_ = new dy::test::TempFile(ca_->certificate_pem, ".pem");
            proxy_ = new dy::test::NginxTlsProxy(*nginx, *endpoint, server);
        } catch (const std::exception& e) {
            start_error_ = new std::string(e.what());
        }
    }
    static void TearDownTestSuite() {
        delete proxy_;
        delete ca_file_;
        delete ca_;
        delete start_error_;
        proxy_ = nullptr;
        ca_file_ = nullptr;
        ca_ = nullptr;
        start_error_ = nullptr;
    }

    void SetUp() override {
        if (!dy::test::integration_endpoint()) {
            if (dy::test::integration_required())
                FAIL() << "DYNANTIC_REQUIRE_INTEGRATION=1 but DYNANTIC_TEST_ENDPOINT is not set";
            GTEST_SKIP() << "no DynamoDB endpoint: set DYNANTIC_TEST_ENDPOINT or run scripts/test.sh";
        }
        if (!dy::test::nginx_binary()) {
            if (dy::test::integration_required())
                FAIL() << "DYNANTIC_REQUIRE_INTEGRATION=1 but nginx is not installed (/usr/sbin/nginx; "
                          "Debian package nginx-light, installed by scripts/test.sh)";
            GTEST_SKIP() << "nginx is not installed (/usr/sbin/nginx; apt-get install nginx-light): "
                            "skipping the HTTPS tests";
        }
        ASSERT_EQ(start_error_, nullptr) << "cannot start nginx: " << *start_error_;
        ASSERT_NE(proxy_, nullptr);
    }

    /** A client for https://<host>:<nginx port>, trusting `ca_file` (empty: AWS_CA_BUNDLE or the
        system store). */
    static dy::Client client_for(const std::string& host, const std::string& ca_file) {
        dy::ClientOptions options;
        options.endpoint = "https://" + host + ":" + std::to_string(proxy_->port());
        options.http.tls.ca_file = ca_file;
        options.table_prefix = dy::test::unique_table_name("tls") + "-";
        options.retry.max_attempts = 2;
        return dy::test::integration_client(std::move(options));
    }

    static boost::json::object get_request() {
        boost::json::object r;
        r["TableName"] = "notes";
        r["Key"] = boost::json::object{{"id", boost::json::object{{"S", "n1"}}}};
        return r;
    }

    static dy::test::TlsIdentity* ca_;
    static dy::test::TempFile* ca_file_;
    static dy::test::NginxTlsProxy* proxy_;
    static std::string* start_error_;
};

dy::test::TlsIdentity* TlsIT::ca_ = nullptr;
dy::test::TempFile* TlsIT::ca_file_ = nullptr;
dy::test::NginxTlsProxy* TlsIT::proxy_ = nullptr;
std::string* TlsIT::start_error_ = nullptr;

TEST_F(TlsIT, CrudThroughNginxWithTheCaTrusted) {
    const dy::Client client = client_for("localhost", ca_file_->path());
    dy::Table<Note> notes(client);
    notes.create_table();
    notes.save({"n1", "over TLS", 0});
    notes.update("n1").add(&Note::views, 2).execute();
    const auto got = notes.get("n1");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->text, "over TLS");
    EXPECT_EQ(got->views, 2);
    notes.remove("n1");
    EXPECT_FALSE(notes.get("n1").has_value());
    notes.delete_table();
    const auto stats = client.transport_stats();
    EXPECT_GE(stats.connections_opened, 1u);
    EXPECT_GT(stats.connections_reused, 0u);   // keep-alive through nginx
}

TEST_F(TlsIT, AwsCaBundleIsHonoured) {
    const dy::test::ScopedEnv bundle("AWS_CA_BUNDLE", ca_file_->path());
    const dy::Client client = client_for("localhost", "");
    EXPECT_NO_THROW(client.call("ListTables", boost::json::object{}));
}

TEST_F(TlsIT, AnUntrustedCaIsATlsErrorNamingOperationAndTable) {
    const auto other = dy::test::make_certificate_authority("some other CA");
    const dy::test::TempFile other_file(other.certificate_pem, ".pem");
    const dy::Client client = client_for("localhost", other_file.path());
    try {
        client.call("GetItem", get_request());
        FAIL() << "no error";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::tls);
        EXPECT_FALSE(e.request_sent());
        EXPECT_THAT(std::string(e.what()), HasSubstr("GetItem on table 'notes': TLS handshake with localhost:" +
                                                     std::to_string(proxy_->port()) +
                                                     " failed: certificate verification failed"));
    }
}

TEST_F(TlsIT, TheSystemStoreDoesNotTrustTheTestCa) {
    const dy::test::ScopedEnv bundle("AWS_CA_BUNDLE", std::nullopt);
    const dy::Client client = client_for("localhost", "");
    try {
        client.call("ListTables", boost::json::object{});
        FAIL() << "no error";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::tls);
        EXPECT_THAT(std::string(e.what()), HasSubstr("certificate verification failed"));
    }
}

TEST_F(TlsIT, AWrongHostNameIsATlsError) {
    const dy::Client client = client_for("127.0.0.1", ca_file_->path());   // the certificate names localhost
    try {
        client.call("GetItem", get_request());
        FAIL() << "no error";
    } catch (const dy::TransportError& e) {
        EXPECT_EQ(e.code(), dy::errc::tls);
        EXPECT_THAT(std::string(e.what()), HasSubstr("GetItem on table 'notes': TLS handshake with 127.0.0.1:"));
        EXPECT_THAT(std::string(e.what()), HasSubstr("mismatch"));
    }
}

}  // namespace
