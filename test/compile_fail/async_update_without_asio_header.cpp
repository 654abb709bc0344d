// expect-error: the async_ members need the asynchronous front end: #include <dynantic/asio.hpp>
// The update builder's async_execute without <dynantic/asio.hpp>.
#include "model_fixture.hpp"
struct Callback {
    template <class... A>
    void operator()(A&&...) const {}
};
void f(const dynantic::Table<cf::User>& t) { t.update("u1").set(&cf::User::age, 1).async_execute(Callback{}); }
