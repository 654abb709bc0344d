// SPDX-License-Identifier: BSL-1.0
#include "recycled_blocks.hpp"

#include <cstddef>
#include <cstring>
#include <new>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define DYNANTIC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DYNANTIC_ASAN 1
#endif
#endif
#ifdef DYNANTIC_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace dynantic::detail {
namespace {

constexpr std::size_t smallest_kept = 16u << 10;   ///< smaller blocks are cheap to allocate anew
constexpr std::size_t most_kept = 4u << 20;        ///< per thread

/** Each block starts with a header holding its size: Boost.JSON 1.81's monotonic_resource
    passes a smaller size to deallocate than it allocated, so the size given back is not used. */
constexpr std::size_t header = alignof(std::max_align_t);

/** Under AddressSanitizer a kept block's memory is poisoned until it is handed out again, so a
    value used after its arena was released is reported as it would be after a free. */
void poison(unsigned char* block, std::size_t size) noexcept {
#ifdef DYNANTIC_ASAN
    ASAN_POISON_MEMORY_REGION(block + header, size);
#else
    (void)block, (void)size;
#endif
}
void unpoison(unsigned char* block, std::size_t size) noexcept {
#ifdef DYNANTIC_ASAN
    ASAN_UNPOISON_MEMORY_REGION(block + header, size);
#else
    (void)block, (void)size;
#endif
}

std::size_t size_of(const unsigned char* block) noexcept {
    std::size_t size = 0;
    std::memcpy(&size, block, sizeof size);
    return size;
}

/** One thread's kept blocks (pointers to their headers), freed when the thread exits. */
struct Kept {
    std::vector<unsigned char*> blocks;
    std::size_t bytes = 0;

    Kept() = default;
    Kept(const Kept&) = delete;
    Kept& operator=(const Kept&) = delete;
    ~Kept() {
        for (unsigned char* b : blocks) {
            unpoison(b, size_of(b));
            ::operator delete(b);
        }
    }
};

Kept& kept() {
    thread_local Kept k;
    return k;
}

class RecycledBlocks final : public boost::json::memory_resource {
    void* do_allocate(std::size_t size, std::size_t align) override {
        if (align > header) return ::operator new(size, std::align_val_t(align));   // not kept
        if (size >= smallest_kept) {
            Kept& k = kept();
            for (auto it = k.blocks.begin(); it != k.blocks.end(); ++it) {
                unsigned char* block = *it;
                if (size_of(block) != size) continue;
                k.bytes -= size;
                k.blocks.erase(it);
                unpoison(block, size);
                return block + header;
            }
        }
        auto* block = static_cast<unsigned char*>(::operator new(header + size));
        std::memcpy(block, &size, sizeof size);
        return block + header;
    }

    void do_deallocate(void* data, std::size_t, std::size_t align) override {
        if (align > header) {
            ::operator delete(data, std::align_val_t(align));
            return;
        }
        unsigned char* block = static_cast<unsigned char*>(data) - header;
        const std::size_t size = size_of(block);
        if (size >= smallest_kept) {
            Kept& k = kept();
            if (k.bytes + size <= most_kept) {
                try {
                    k.blocks.push_back(block);
                    k.bytes += size;
                    poison(block, size);
                    return;
                } catch (const std::bad_alloc&) {   // cannot keep it: free it
                }
            }
        }
        ::operator delete(block);
    }

    bool do_is_equal(const boost::json::memory_resource& other) const noexcept override { return this == &other; }
};

}  // namespace

boost::json::memory_resource& recycled_blocks() noexcept {
    static RecycledBlocks resource;
    return resource;
}

void restart_arena(boost::json::monotonic_resource& arena, std::size_t initial_size) noexcept {
    arena.~monotonic_resource();   // frees its blocks
    ::new (static_cast<void*>(&arena)) boost::json::monotonic_resource(initial_size, &recycled_blocks());
}

}  // namespace dynantic::detail
