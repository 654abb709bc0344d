// Uses the installed dynantic::asio: one asynchronous call to an endpoint that refuses
// connections, which must end (on the caller's io_context) in a dynantic::TransportError.
#include <dynantic/asio/call.hpp>

#include <dynantic/error.hpp>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

int main() {
    dynantic::ClientOptions options;
    options.region = "us-east-1";
    options.endpoint = "http://127.0.0.1:1";   // refuses connections
    options.credentials = dynantic::aws::static_credentials("AKID", "secret");
    options.retry.max_attempts = 1;
    const dynantic::Client client(options);
    boost::asio::io_context ioc;
    int status = 1;
    dynantic::asio::async_call(client, dynantic::Operation::DescribeTable, {{"TableName", "t"}}, {},
                               boost::asio::bind_executor(ioc, [&](std::exception_ptr e, boost::json::object) {
                                   try {
                                       if (e) std::rethrow_exception(e);
                                   } catch (const dynantic::TransportError& t) {
                                       std::cout << "async: " << (t.request_sent() ? "sent" : "not sent") << '\n';
                                       status = t.request_sent() ? 1 : 0;
                                   } catch (...) {
                                   }
                               }));
    ioc.run();
    return status;
}
