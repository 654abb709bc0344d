#include "aws/crc32.hpp"

#include <array>
#include <bit>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DYNANTIC_CRC32_CLMUL 1
#endif

namespace dynantic::aws::detail {
namespace {

using Tables = std::array<std::array<std::uint32_t, 256>, 8>;

/** tables[0] is the classic byte table; tables[k][b] is the CRC of byte b followed by k zero
    bytes, so eight bytes are folded with eight independent lookups. */
constexpr Tables make_tables() {
    Tables t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        t[0][i] = c;
    }
    for (std::size_t s = 1; s < t.size(); ++s)
        for (std::size_t i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xffu];
    return t;
}

constexpr Tables tables = make_tables();

#ifdef DYNANTIC_CRC32_CLMUL
#define DYNANTIC_CLMUL_TARGET __attribute__((target("pclmul,sse4.1")))

DYNANTIC_CLMUL_TARGET inline __m128i load16(const unsigned char* p) noexcept {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

/** One 128-bit fold of `acc` by the constants in `k`, into `next`. */
DYNANTIC_CLMUL_TARGET inline __m128i fold16(__m128i acc, __m128i k, __m128i next) noexcept {
    const __m128i lo = _mm_clmulepi64_si128(acc, k, 0x00);
    return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(acc, k, 0x11), next), lo);
}

/** Folds a multiple of 16 bytes (at least 64) with carry-less multiplication: the method of
    Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ" (Gopal et al., 2009),
    with the bit-reflected constants of the CRC-32 polynomial (as in the Linux kernel's
    crc32-pclmul and Chromium's zlib). `crc` and the result are the running (inverted) state. */
DYNANTIC_CLMUL_TARGET std::uint32_t fold_clmul(const unsigned char* buf, std::size_t len,
                                                                    std::uint32_t crc) noexcept {
    alignas(16) static constexpr std::uint64_t k1k2[] = {0x0154442bd4, 0x01c6e41596};
    alignas(16) static constexpr std::uint64_t k3k4[] = {0x01751997d0, 0x00ccaa009e};
    alignas(16) static constexpr std::uint64_t k5k0[] = {0x0163cd6124, 0x0000000000};
    alignas(16) static constexpr std::uint64_t poly[] = {0x01db710641, 0x01f7011641};
    __m128i x1 = load16(buf), x2 = load16(buf + 16), x3 = load16(buf + 32), x4 = load16(buf + 48);
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(crc)));
    __m128i x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k1k2));
    buf += 64;
    len -= 64;
    for (; len >= 64; buf += 64, len -= 64) {   // four lanes of 128 bits, folded 512 bits ahead
        x1 = fold16(x1, x0, load16(buf));
        x2 = fold16(x2, x0, load16(buf + 16));
        x3 = fold16(x3, x0, load16(buf + 32));
        x4 = fold16(x4, x0, load16(buf + 48));
    }
    // The four lanes into one, then single 128-bit folds.
    x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k3k4));
    x1 = fold16(x1, x0, x2);
    x1 = fold16(x1, x0, x3);
    x1 = fold16(x1, x0, x4);
    for (; len >= 16; buf += 16, len -= 16) x1 = fold16(x1, x0, load16(buf));

    // 128 bits to 64, then Barrett reduction to 32.
    x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
    x3 = _mm_setr_epi32(~0, 0, ~0, 0);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
    x0 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(k5k0));
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, x3), x0, 0x00), x2);
    x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(poly));
    x2 = _mm_clmulepi64_si128(_mm_and_si128(x1, x3), x0, 0x10);
    x2 = _mm_clmulepi64_si128(_mm_and_si128(x2, x3), x0, 0x00);
    return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, x2), 1));
}

bool clmul_available() noexcept {
    static const bool available = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    return available;
}
#endif

}  // namespace

std::uint32_t crc32(std::string_view data) noexcept {
    std::uint32_t c = ~0u;
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t n = data.size();
#ifdef DYNANTIC_CRC32_CLMUL
    // Carry-less multiplication where the CPU has it (x86-64 since 2010): several GB/s.
    if (n >= 64 && clmul_available()) {
        const std::size_t chunk = n & ~std::size_t{15};
        c = fold_clmul(p, chunk, c);
        p += chunk;
        n -= chunk;
    }
#endif
    if constexpr (std::endian::native == std::endian::little) {
        for (; n >= 8; p += 8, n -= 8) {
            std::uint32_t lo = 0;
            std::uint32_t hi = 0;
            std::memcpy(&lo, p, 4);
            std::memcpy(&hi, p + 4, 4);
            lo ^= c;
            c = tables[7][lo & 0xffu] ^ tables[6][(lo >> 8) & 0xffu] ^ tables[5][(lo >> 16) & 0xffu] ^
                tables[4][lo >> 24] ^ tables[3][hi & 0xffu] ^ tables[2][(hi >> 8) & 0xffu] ^
                tables[1][(hi >> 16) & 0xffu] ^ tables[0][hi >> 24];
        }
    }
    for (; n > 0; ++p, --n) c = (c >> 8) ^ tables[0][(c ^ *p) & 0xffu];
    return ~c;
}

}  // namespace dynantic::aws::detail
