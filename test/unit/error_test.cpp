#include <dynantic/error.hpp>

#include <gtest/gtest.h>

namespace dy = dynantic;

TEST(Error, WhatNamesOperationTableCodeAndCause) {
    const dy::Error e(dy::errc::conditional_check_failed,
                      {"PutItem", "users", "ConditionalCheckFailedException", "The conditional request failed", 400, "RID1"});
    EXPECT_STREQ(e.what(),
                 "PutItem on table 'users': ConditionalCheckFailedException: The conditional request failed "
                 "(HTTP 400, request id RID1)");
    EXPECT_EQ(e.operation(), "PutItem");
    EXPECT_EQ(e.http_status(), 400u);
    EXPECT_EQ(e.request_id(), "RID1");
}

TEST(Error, FallsBackToCodeMessage) {
    const dy::Error e(dy::errc::timeout, {});
    EXPECT_STREQ(e.what(), "timed out");
}

TEST(Error, ConditionsGroupCodes) {
    EXPECT_EQ(dy::make_error_code(dy::errc::throttling), dy::condition::retryable);
    EXPECT_EQ(dy::make_error_code(dy::errc::provisioned_throughput_exceeded), dy::condition::throttling);
    EXPECT_EQ(dy::make_error_code(dy::errc::internal_server_error), dy::condition::retryable);
    EXPECT_EQ(dy::make_error_code(dy::errc::network), dy::condition::transport);
    EXPECT_EQ(dy::make_error_code(dy::errc::validation), dy::condition::client_error);
    EXPECT_NE(dy::make_error_code(dy::errc::conditional_check_failed), dy::condition::retryable);
    EXPECT_NE(dy::make_error_code(dy::errc::validation), dy::condition::retryable);
}

TEST(Error, ServiceErrorsMapToClasses) {
    auto thrown = [](std::string code, unsigned status = 400) {
        try {
            dy::detail::throw_service_error({"GetItem", "t", std::move(code), "m", status, {}});
        } catch (const dy::Error& e) {
            return e.code();
        }
        return std::error_code{};
    };
    EXPECT_THROW(dy::detail::throw_service_error({"PutItem", "t", "ConditionalCheckFailedException", "m", 400, {}}),
                 dy::ConditionalCheckFailedError);
    EXPECT_THROW(dy::detail::throw_service_error({"GetItem", "t", "ResourceNotFoundException", "m", 400, {}}),
                 dy::TableNotFoundError);
    EXPECT_THROW(dy::detail::throw_service_error({"GetItem", "t", "ValidationException", "m", 400, {}}),
                 dy::ValidationError);
    EXPECT_THROW(
        dy::detail::throw_service_error({"GetItem", "t", "ProvisionedThroughputExceededException", "m", 400, {}}),
        dy::ProvisionedThroughputExceededError);
    EXPECT_THROW(dy::detail::throw_service_error({"GetItem", "t", "ThrottlingException", "m", 400, {}}),
                 dy::ThrottlingError);
    EXPECT_THROW(dy::detail::throw_service_error({"GetItem", "t", "TransactionConflictException", "m", 400, {}}),
                 dy::TransactionConflictError);
    EXPECT_EQ(thrown("SomethingNew"), dy::errc::unknown_service_error);
    EXPECT_EQ(thrown("", 503), dy::errc::service_unavailable);
    EXPECT_EQ(thrown("", 500), dy::errc::internal_server_error);
}
