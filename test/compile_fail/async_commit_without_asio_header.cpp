// expect-error: the async_ members need the asynchronous front end: #include <dynantic/asio.hpp>
// Transaction::async_commit without <dynantic/asio.hpp>.
#include "model_fixture.hpp"

#include <dynantic/transaction.hpp>
struct Callback {
    template <class... A>
    void operator()(A&&...) const {}
};
void f(dynantic::Transaction& t) { t.async_commit(Callback{}); }
