// The asynchronous item operations (dynantic/asio.hpp) against DynamoDB Local: get, save,
// create, remove, remove_item, the update builder and operation values, each through a
// coroutine (use_awaitable), a callback, a future or asio::deferred; errors and cancellation.
#include <dynantic/asio.hpp>

#include "support/dynamodb_fixture.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/describe.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <variant>

namespace dy = dynantic;
namespace asio = boost::asio;
using dy::field;

namespace asyncit {
struct User {
    std::string user_id;
    std::string email;
    std::string name;
    int age = 0;
    std::optional<std::int64_t> logins;
};
BOOST_DESCRIBE_STRUCT(User, (), (user_id, email, name, age, logins))
constexpr auto dynantic_schema(const User*) {
    return dy::table("async_users").partition_key(&User::user_id).sort_key(&User::email);
}

struct Page {   // versioned: saved from a mutable reference, version bumped once applied
    std::string slug;
    std::string text;
    std::int64_t version = 0;
};
BOOST_DESCRIBE_STRUCT(Page, (), (slug, text, version))
constexpr auto dynantic_schema(const Page*) { return dy::table("async_pages").partition_key(&Page::slug).version(&Page::version); }
}  // namespace asyncit

using asyncit::Page;
using asyncit::User;

namespace {
/** Runs the coroutine `f` on a fresh io_context (one thread: this one) and rethrows its failure. */
template <class F>
void run_coroutine(F f) {
    asio::io_context ioc;
    std::exception_ptr failure;
    asio::co_spawn(ioc, std::move(f), [&](std::exception_ptr e) { failure = e; });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
}
}  // namespace

class AsyncItemsIT : public dy::test::DynamoDBTest {};

TEST_F(AsyncItemsIT, CoroutineSaveGetCreateRemove) {
    dy::test::ScopedTable<User> users(client());
    const dy::Table<User>& t = users.table();
    run_coroutine([&]() -> asio::awaitable<void> {
        // (Named values, not temporaries, in co_await expressions: GCC 12 destroys some of those twice.)
        const User ann{"u1", "a@b.c", "Ann", 41, {}};
        co_await t.async_save(ann, asio::use_awaitable);
        std::optional<User> got = co_await t.async_get("u1", "a@b.c", asio::use_awaitable);
        EXPECT_TRUE(got.has_value());
        if (got) {
            EXPECT_EQ(got->name, "Ann");
        }
        EXPECT_FALSE((co_await t.async_get("u1", "none@x", asio::use_awaitable)).has_value());

        // create: refused when the key exists, with the synchronous API's error class.
        bool refused = false;
        try {
            const User same_key{"u1", "a@b.c", "Bob", 1, {}};
            co_await t.async_create(same_key, asio::use_awaitable);
        } catch (const dy::ConditionalCheckFailedError& e) {
            refused = true;
            EXPECT_EQ(e.operation(), "PutItem");
        }
        EXPECT_TRUE(refused);
        const User bob{"u2", "b@c.d", "Bob", 30, {}};
        co_await t.async_create(bob, asio::use_awaitable);

        // save with a condition and options: the old item comes back.
        const User ann2{"u1", "a@b.c", "Ann2", 42, {}};
        const auto age_41 = field(&User::age) == 41;
        const dy::WriteOptions old_item{.return_old_item = true};
        auto replaced = co_await t.async_save(ann2, age_41, old_item, asio::use_awaitable);
        EXPECT_TRUE(replaced.old_item.has_value());
        if (replaced.old_item) {
            EXPECT_EQ(replaced.old_item->name, "Ann");
        }

        // remove with a failing condition, then with a holding one (old item returned).
        refused = false;
        try {
            const auto age_99 = field(&User::age) == 99;
            co_await t.async_remove("u2", "b@c.d", age_99, asio::use_awaitable);
        } catch (const dy::ConditionalCheckFailedError&) {
            refused = true;
        }
        EXPECT_TRUE(refused);
        const auto age_30 = field(&User::age) == 30;
        auto removed = co_await t.async_remove("u2", "b@c.d", age_30, old_item, asio::use_awaitable);
        EXPECT_TRUE(removed.old_item.has_value());
        EXPECT_FALSE((co_await t.async_get("u2", "b@c.d", asio::use_awaitable)).has_value());
        const User key_only{"u1", "a@b.c", "", 0, {}};
        co_await t.async_remove_item(key_only, asio::use_awaitable);
        EXPECT_FALSE(t.get("u1", "a@b.c").has_value());
    });
}

TEST_F(AsyncItemsIT, UpdateBuilderAndOperationValues) {
    dy::test::ScopedTable<User> users(client());
    const dy::Table<User>& t = users.table();
    t.save({"u1", "a@b.c", "Ann", 41, {}});
    run_coroutine([&]() -> asio::awaitable<void> {
        auto update = t.update("u1", "a@b.c")
                          .add(&User::logins, 1)
                          .set(&User::age, 42)
                          .when(field(&User::age) == 41)
                          .returning(dy::ReturnValues::all_new);
        auto r = co_await update.async_execute(asio::use_awaitable);
        EXPECT_TRUE(r.item.has_value());
        if (r.item) {
            EXPECT_EQ(r.item->age, 42);
            EXPECT_EQ(r.item->logins, 1);
        }
        // The same condition again fails, as the synchronous execute() would.
        bool refused = false;
        try {
            auto again = t.update("u1", "a@b.c").set(&User::age, 50).when(field(&User::age) == 41);
            co_await again.async_execute(asio::use_awaitable);
        } catch (const dy::ConditionalCheckFailedError& e) {
            refused = true;
            EXPECT_EQ(e.operation(), "UpdateItem");
        }
        EXPECT_TRUE(refused);
        // Operation values: op::Update, op::Get with a consumed capacity sink, op::Delete.
        const auto add_two = dy::op::Update<User>({"u1", "a@b.c"}).add(&User::logins, 2);
        co_await t.async_execute(add_two, asio::use_awaitable);
        dy::ConsumedCapacity capacity;
        const auto read = dy::op::Get<User>({"u1", "a@b.c"}).return_consumed_capacity(dy::ReturnConsumedCapacity::total, &capacity);
        auto got = co_await t.async_execute(read, asio::use_awaitable);
        EXPECT_TRUE(got.has_value());
        if (got) {
            EXPECT_EQ(got->logins, 3);
        }
        EXPECT_GT(capacity.capacity_units, 0.0);
        User other{"u3", "c@d.e", "Cy", 3, {}};
        const auto put = dy::op::Put<User>(other).if_absent();
        co_await t.async_execute(put, asio::use_awaitable);
        const auto del = dy::op::Delete<User>({"u3", "c@d.e"});
        co_await t.async_execute(del, asio::use_awaitable);
        EXPECT_FALSE(t.get("u3", "c@d.e").has_value());
    });
}

TEST_F(AsyncItemsIT, VersionedItemGetsItsNewVersion) {
    dy::test::ScopedTable<Page> pages(client());
    const dy::Table<Page>& t = pages.table();
    run_coroutine([&]() -> asio::awaitable<void> {
        Page p{"home", "v1", 0};
        co_await t.async_save(p, asio::use_awaitable);
        EXPECT_EQ(p.version, 1);
        Page stale = p;
        p.text = "v2";
        co_await t.async_save(p, asio::use_awaitable);
        EXPECT_EQ(p.version, 2);
        bool refused = false;
        try {
            co_await t.async_save(stale, asio::use_awaitable);   // version 1 is no longer stored
        } catch (const dy::ConditionalCheckFailedError&) {
            refused = true;
        }
        EXPECT_TRUE(refused);
        EXPECT_EQ(stale.version, 1);   // not applied: not bumped
        auto edit = t.update_item(p).set(&Page::text, "v3");
        co_await edit.async_execute(asio::use_awaitable);
        EXPECT_EQ(p.version, 3);
        EXPECT_EQ(t.get("home")->text, "v3");
    });
}

TEST_F(AsyncItemsIT, CallbackFutureAndDeferred) {
    dy::test::ScopedTable<User> users(client());
    const dy::Table<User>& t = users.table();
    // A future: no executor needed.
    t.async_save(User{"u1", "a@b.c", "Ann", 41, {}}, asio::use_future).get();
    std::future<std::optional<User>> f = t.async_get("u1", "a@b.c", asio::use_future);
    std::optional<User> got = f.get();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->name, "Ann");

    // A callback bound to an io_context: it runs there, on the thread that runs it.
    asio::io_context ioc;
    std::optional<User> from_callback;
    std::exception_ptr failure;
    bool called = false;
    const auto runner = std::this_thread::get_id();
    t.async_get("u1", "a@b.c", asio::bind_executor(ioc, [&](std::exception_ptr e, std::optional<User> u) {
                    called = true;
                    failure = e;
                    from_callback = std::move(u);
                    EXPECT_EQ(std::this_thread::get_id(), runner);
                }));
    ioc.run();
    EXPECT_TRUE(called);
    EXPECT_FALSE(failure);
    ASSERT_TRUE(from_callback.has_value());
    EXPECT_EQ(from_callback->age, 41);

    // asio::deferred: nothing is sent until the deferred operation is started.
    auto deferred = t.async_remove("u1", "a@b.c", asio::deferred);
    EXPECT_TRUE(t.get("u1", "a@b.c").has_value());
    std::move(deferred)(asio::use_future).get();
    EXPECT_FALSE(t.get("u1", "a@b.c").has_value());
}

TEST_F(AsyncItemsIT, ErrorsArriveThroughTheCompletion) {
    dy::Table<User> missing(client());   // its table was never created
    std::future<std::optional<User>> f = missing.async_get("u1", "a@b.c", asio::use_future);
    EXPECT_THROW(f.get(), dy::TableNotFoundError);
    // A key refused before sending: reported through the completion, not thrown by the call.
    std::future<std::optional<User>> empty_key;
    EXPECT_NO_THROW(empty_key = missing.async_get("", "a@b.c", asio::use_future));
    EXPECT_THROW(empty_key.get(), dy::ValidationError);
}

TEST_F(AsyncItemsIT, CreatesTheTableOnFirstWrite) {
    dy::Table<User> users(client(), dy::TableOptions{.create_table_on_first_write = true});
    users.async_save(User{"u1", "a@b.c", "Ann", 41, {}}, asio::use_future).get();
    EXPECT_TRUE(users.get("u1", "a@b.c").has_value());
    users.delete_table();
    users.update("u1", "a@b.c").set(&User::age, 5).async_execute(asio::use_future).get();
    EXPECT_EQ(users.get("u1", "a@b.c")->age, 5);
    users.delete_table();
}

TEST_F(AsyncItemsIT, ManyOperationsInFlightFromOneThread) {
    dy::test::ScopedTable<User> users(client());
    const dy::Table<User>& t = users.table();
    constexpr int n = 200;
    for (int i = 0; i < n; ++i) t.save({"p", "e" + std::to_string(i), "n" + std::to_string(i), i, {}});
    asio::io_context ioc;
    int found = 0, completed = 0;
    for (int i = 0; i < n; ++i)
        t.async_get("p", "e" + std::to_string(i), asio::bind_executor(ioc, [&, i](std::exception_ptr e, std::optional<User> u) {
                        ++completed;
                        if (!e && u && u->age == i) ++found;
                    }));
    ioc.run();
    EXPECT_EQ(completed, n);
    EXPECT_EQ(found, n);
}

TEST_F(AsyncItemsIT, ThousandsInFlightOnSeveralThreads) {
    // One io_context run by 4 threads, 2,000 gets and 500 saves in flight at once. They queue for
    // the pool's 64 connections, and a queued operation waits at most `connect_timeout` (3 s by
    // default) for one: under ThreadSanitizer the queue takes longer than that, and the late
    // ones rightly fail unsent. A longer bound keeps the test about completion, not speed.
    dy::ClientOptions options;
    options.table_prefix = client().table_name("");
    options.http.connect_timeout = std::chrono::seconds(60);
    dy::test::ScopedTable<User> users(dy::test::integration_client(options));
    const dy::Table<User>& t = users.table();
    for (int i = 0; i < 50; ++i) t.save({"p", "e" + std::to_string(i), "n", i, {}});
    asio::io_context ioc;
    std::atomic<int> found{0}, saved{0}, failed{0};
    for (int i = 0; i < 2000; ++i)
        t.async_get("p", "e" + std::to_string(i % 50), asio::bind_executor(ioc, [&, i](std::exception_ptr e, std::optional<User> u) {
                        if (e) ++failed;
                        else if (u && u->age == i % 50) ++found;
                    }));
    for (int i = 0; i < 500; ++i) {
        const User w{"w", "e" + std::to_string(i), "n", i, {}};
        t.async_save(w, asio::bind_executor(ioc, [&](std::exception_ptr e, dy::WriteResult<User>) { e ? ++failed : ++saved; }));
    }
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&] { ioc.run(); });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(found.load(), 2000);
    EXPECT_EQ(saved.load(), 500);
    EXPECT_EQ(t.query("w").count(), 500u);
}

TEST_F(AsyncItemsIT, CancelledGetsFailOnlyWithTheCancelledError) {
    // Gets cancelled right after they start: each either completes (the answer came first) or
    // fails with TransportError (errc::cancelled); never with another exception type.
    dy::test::ScopedTable<User> users(client());
    const dy::Table<User>& t = users.table();
    t.save({"u1", "a@b.c", "Ann", 41, {}});
    asio::io_context ioc;
    std::vector<std::unique_ptr<asio::cancellation_signal>> signals;
    int completed = 0, cancelled = 0, other = 0;
    for (int i = 0; i < 50; ++i) {
        signals.push_back(std::make_unique<asio::cancellation_signal>());
        t.async_get("u1", "a@b.c",
                    asio::bind_cancellation_slot(signals.back()->slot(),
                                                 asio::bind_executor(ioc, [&](std::exception_ptr e, std::optional<User>) {
                                                     if (!e) return void(++completed);
                                                     try {
                                                         std::rethrow_exception(e);
                                                     } catch (const dy::TransportError& te) {
                                                         te.code() == dy::errc::cancelled ? ++cancelled : ++other;
                                                     } catch (...) {
                                                         ++other;
                                                     }
                                                 })));
        asio::post(ioc, [&, i] { signals[static_cast<std::size_t>(i)]->emit(asio::cancellation_type::terminal); });
    }
    ioc.run();
    EXPECT_EQ(completed + cancelled, 50);
    EXPECT_EQ(other, 0);
}

TEST_F(AsyncItemsIT, CancellationStopsAWaitOnTimers) {
    // Waiting for a table that does not exist polls DescribeTable on timers until its timeout
    // (60 s); `|| timer` cancels it after 200 ms: the wait ends at once, as a dynantic::Error.
    dy::Table<User> missing(client());
    using namespace asio::experimental::awaitable_operators;
    const auto start = std::chrono::steady_clock::now();
    run_coroutine([&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(200));
        auto winner = co_await (missing.async_wait_until_active(std::chrono::seconds(60), asio::use_awaitable) ||
                                timer.async_wait(asio::use_awaitable));
        EXPECT_EQ(winner.index(), 1u);   // the timer
    });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));

    // The cancelled operation itself reports a TransportError (errc::cancelled).
    asio::io_context ioc;
    asio::cancellation_signal signal;
    std::exception_ptr failure;
    missing.async_wait_until_active(std::chrono::seconds(60),
                                    asio::bind_cancellation_slot(signal.slot(), asio::bind_executor(ioc, [&](std::exception_ptr e, std::monostate) {
                                                                     failure = e;
                                                                 })));
    asio::steady_timer timer(ioc, std::chrono::milliseconds(200));
    timer.async_wait([&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
    ioc.run();
    ASSERT_TRUE(failure);
    bool cancelled = false;
    try {
        std::rethrow_exception(failure);
    } catch (const dy::TransportError& e) {
        cancelled = true;
        // Cancelled during a timer wait (request_sent() false) or, under load, during a
        // DescribeTable call (then request_sent() may be true): errc::cancelled either way.
        EXPECT_EQ(e.code(), dy::errc::cancelled) << e.what();
    } catch (...) {
    }
    EXPECT_TRUE(cancelled);
}
