// Counts heap allocations per thread, for the "allocs/op" column: the global operator new (every
// form; replacing the plain and aligned ones covers the array and nothrow forms, which call them)
// and OpenSSL's allocator (CRYPTO_malloc, CRYPTO_realloc), installed before main. Boost.JSON's
// default memory resource and the standard containers allocate through operator new.
#include "support/bench.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <new>

namespace {

thread_local std::uint64_t allocations = 0;

void* counted_malloc(std::size_t size) {
    ++allocations;
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}

void* counted_aligned(std::size_t size, std::align_val_t align) {
    ++allocations;
    const auto a = static_cast<std::size_t>(align);
    if (void* p = std::aligned_alloc(a, (size + a - 1) / a * a)) return p;
    throw std::bad_alloc();
}

void* openssl_malloc(std::size_t size, const char*, int) {
    ++allocations;
    return std::malloc(size);
}

void* openssl_realloc(void* p, std::size_t size, const char*, int) {
    ++allocations;
    return std::realloc(p, size);
}

void openssl_free(void* p, const char*, int) { std::free(p); }

// Must run before OpenSSL allocates anything: a static initializer of the executable does.
const bool openssl_counted = CRYPTO_set_mem_functions(openssl_malloc, openssl_realloc, openssl_free) == 1;

}  // namespace

void* operator new(std::size_t size) { return counted_malloc(size); }
void* operator new(std::size_t size, std::align_val_t align) { return counted_aligned(size, align); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

namespace dynantic::bench {
std::uint64_t thread_allocations() noexcept { return allocations; }
bool openssl_allocations_counted() noexcept { return openssl_counted; }
}  // namespace dynantic::bench
