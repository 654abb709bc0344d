// SPDX-License-Identifier: BSL-1.0
#pragma once
// The seam between the `async_` members of the core front ends (Table, UpdateBuilder, Query, Scan)
// and the asynchronous front end: a member's body names `AsyncFrontEnd<async_key<Token>>`, a
// dependent name, so it is looked at only when a program calls the member; <dynantic/asio.hpp>
// defines `AsyncFrontEnd<void>`. Without that header the primary template below is used, and its
// static assertion says what to include. The core headers stay free of Asio.

namespace dynantic::detail {

/** `void` for any `T`: makes the front end's name depend on a member's completion token. */
template <class T>
struct async_key_of {
    using type = void;
};
/** `void`, dependent on `T`. */
template <class T>
using async_key = typename async_key_of<T>::type;

/** Defined by <dynantic/asio.hpp> (the specialization for `void`); this primary template only
    refuses, naming the fix. */
template <class Key>
struct AsyncFrontEnd {
    static_assert(sizeof(Key*) == 0,
                  "dynantic: the async_ members need the asynchronous front end: #include <dynantic/asio.hpp> "
                  "(and link the CMake target dynantic::asio)");
};

}  // namespace dynantic::detail
