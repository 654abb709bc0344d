// expect-error: the async_ members need the asynchronous front end: #include <dynantic/asio.hpp>
// An async_ member used without <dynantic/asio.hpp>: the static assertion names the header.
#include "model_fixture.hpp"
struct Callback {
    void operator()(std::exception_ptr, std::optional<cf::User>) const {}
};
void f(const dynantic::Table<cf::User>& t) { t.async_get("u1", Callback{}); }
