#include "sightline/ftps/password.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace sightline::ftps {

namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kKeyBytes = 32;
// Bounds for hashes read from a profile: low enough that a hostile profile cannot make a login
// take minutes or gigabytes, high enough for any sensible cost.
constexpr int kMaxLog2N = 20;
constexpr int kMaxR = 32;
constexpr int kMaxP = 16;

std::string base64(const unsigned char* data, size_t size) {
    std::string out(4 * ((size + 2) / 3), '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
    out.resize(static_cast<size_t>(n));
    return out;
}

bool unbase64(std::string_view text, std::vector<unsigned char>& out) {
    if (text.empty() || text.size() % 4 != 0) return false;
    out.assign(3 * text.size() / 4, 0);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0) return false;
    size_t size = static_cast<size_t>(n);
    // EVP_DecodeBlock counts padding as zero bytes: drop them.
    if (text.back() == '=') --size;
    if (text.size() >= 2 && text[text.size() - 2] == '=') --size;
    out.resize(size);
    return true;
}

struct Parsed {
    ScryptCost cost;
    std::vector<unsigned char> salt;
    std::vector<unsigned char> key;
};

bool parse_int(std::string_view text, int& out) {
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

// "" on success, else the reason.
std::string parse(std::string_view encoded, Parsed& out) {
    constexpr std::string_view prefix = "$scrypt$";
    if (encoded.substr(0, prefix.size()) != prefix)
        return "not a password hash (expected $scrypt$...; make one with: sightline tenant passwd)";
    std::string_view rest = encoded.substr(prefix.size());
    std::vector<std::string_view> parts;
    for (size_t pos = 0;;) {
        const size_t next = rest.find('$', pos);
        parts.push_back(rest.substr(pos, next == std::string_view::npos ? next : next - pos));
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    if (parts.size() != 3) return "malformed password hash: expected $scrypt$PARAMS$SALT$KEY";
    int seen = 0;
    for (size_t pos = 0; pos <= parts[0].size();) {
        size_t next = parts[0].find(',', pos);
        if (next == std::string_view::npos) next = parts[0].size();
        const std::string_view item = parts[0].substr(pos, next - pos);
        const size_t eq = item.find('=');
        int value = 0;
        if (eq == std::string_view::npos || !parse_int(item.substr(eq + 1), value))
            return "malformed password hash parameters";
        const std::string_view name = item.substr(0, eq);
        if (name == "ln") {
            out.cost.log2_n = value;
            seen |= 1;
        } else if (name == "r") {
            out.cost.r = value;
            seen |= 2;
        } else if (name == "p") {
            out.cost.p = value;
            seen |= 4;
        } else {
            return "unknown password hash parameter '" + std::string(name) + "'";
        }
        pos = next + 1;
    }
    if (seen != 7) return "password hash parameters must be ln, r and p";
    if (out.cost.log2_n < 10 || out.cost.log2_n > kMaxLog2N || out.cost.r < 1 ||
        out.cost.r > kMaxR || out.cost.p < 1 || out.cost.p > kMaxP)
        return "password hash cost out of range (ln 10..20, r 1..32, p 1..16)";
    if (!unbase64(parts[1], out.salt) || out.salt.size() < 8) return "malformed password hash salt";
    if (!unbase64(parts[2], out.key) || out.key.size() != kKeyBytes)
        return "malformed password hash key";
    return "";
}

std::vector<unsigned char> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                  const ScryptCost& cost) {
    std::vector<unsigned char> key(kKeyBytes);
    const uint64_t n = uint64_t{1} << cost.log2_n;
    // maxmem: scrypt needs 128 * r * N bytes (+ 128 * r * p); allow exactly that plus slack.
    const uint64_t maxmem = 128 * static_cast<uint64_t>(cost.r) * (n + cost.p + 2) + (1 << 20);
    if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), n,
                       static_cast<uint64_t>(cost.r), static_cast<uint64_t>(cost.p), maxmem,
                       key.data(), key.size()) != 1)
        throw std::runtime_error("scrypt failed (out of memory?)");
    return key;
}

}  // namespace

std::string hash_password(std::string_view password, ScryptCost cost) {
    std::vector<unsigned char> salt(kSaltBytes);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
        throw std::runtime_error("no random bytes for a salt");
    const auto key = derive(password, salt, cost);
    return "$scrypt$ln=" + std::to_string(cost.log2_n) + ",r=" + std::to_string(cost.r) +
           ",p=" + std::to_string(cost.p) + "$" + base64(salt.data(), salt.size()) + "$" +
           base64(key.data(), key.size());
}

bool verify_password(std::string_view password, std::string_view encoded) {
    Parsed parsed;
    const std::string why = parse(encoded, parsed);
    if (!why.empty()) throw std::invalid_argument(why);
    const auto key = derive(password, parsed.salt, parsed.cost);
    return CRYPTO_memcmp(key.data(), parsed.key.data(), key.size()) == 0;
}

std::string check_password_hash(std::string_view encoded) {
    Parsed parsed;
    return parse(encoded, parsed);
}

}  // namespace sightline::ftps
