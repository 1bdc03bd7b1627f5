// A self-signed certificate for local and test profiles, so they run with no setup.
#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>

#include "sightline/ftps/tls_policy.hpp"

namespace sightline::ftps {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;

[[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("cannot create a self-signed certificate: " + what + " " +
                             openssl_errors());
}

bool is_ip(const std::string& name) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, name.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, name.c_str(), buffer) == 1;
}

// A name no one can have prepared: random, in the key's own folder (so the rename stays on one
// file system).
std::string temporary_name(const std::string& path) {
    unsigned char random[8];
    if (RAND_bytes(random, sizeof random) != 1) fail("no random bytes");
    static const char hex[] = "0123456789abcdef";
    std::string name = path + ".tmp-";
    for (unsigned char c : random) {
        name += hex[c >> 4];
        name += hex[c & 15];
    }
    return name;
}

// Writes through a new temporary file and a rename, so a crash never leaves half a key in place.
// O_EXCL|O_NOFOLLOW: a file or symbolic link put at the temporary name beforehand is never
// written through nor reused with its mode; the rename replaces a symbolic link at `path` itself
// rather than writing where it points.
void write_pem(const std::string& path, mode_t mode, const std::function<int(FILE*)>& write) {
    std::string tmp;
    int fd = -1;
    for (int attempt = 0; fd < 0 && attempt < 16; ++attempt) {
        tmp = temporary_name(path);
        fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) fail("cannot create a temporary file for " + path + ": " + strerror(errno));
    // The exact mode, whatever the umask (the certificate is public, the key is not).
    if (::fchmod(fd, mode) != 0) {
        ::close(fd);
        ::unlink(tmp.c_str());
        fail("cannot set the mode of " + tmp);
    }
    FILE* f = fdopen(fd, "w");
    if (!f) {
        ::close(fd);
        ::unlink(tmp.c_str());
        fail("cannot write " + tmp);
    }
    const bool ok = write(f) == 1 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    fclose(f);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
        fail("cannot write " + path);
    }
}

}  // namespace

bool ensure_self_signed(const std::string& cert_path, const std::string& key_path,
                        const std::vector<std::string>& names) {
    namespace fs = std::filesystem;
    if (fs::exists(cert_path) && fs::exists(key_path)) return false;
    if (names.empty()) fail("no names given");
    for (const auto& p : {cert_path, key_path}) {
        const auto parent = fs::path(p).parent_path();
        // The key's folder, when made here, is the service user's only.
        if (!parent.empty() && fs::create_directories(parent))
            fs::permissions(parent, fs::perms::owner_all);
    }

    Key key(EVP_EC_gen("P-256"));
    if (!key) fail("key generation failed");
    Cert cert(X509_new());
    if (!cert) fail("out of memory");
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) fail("no random bytes");
    serial[0] &= 0x7f;  // a positive serial number
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* subject = X509_get_subject_name(cert.get());
    const std::string cn = "sightline self-signed " + names.front();
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), subject);

    std::string alt;
    for (const auto& n : names) {
        if (!alt.empty()) alt += ",";
        alt += (is_ip(n) ? "IP:" : "DNS:") + n;
    }
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair<int, std::string>{NID_subject_alt_name, alt},
                                     {NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                                     {NID_key_usage, "critical,digitalSignature,keyCertSign"},
                                     {NID_ext_key_usage, "serverAuth"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str());
        if (!ext || X509_add_ext(cert.get(), ext, -1) != 1) fail("bad extension " + value);
        X509_EXTENSION_free(ext);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("signing failed");

    write_pem(key_path, 0600, [&](FILE* f) {
        return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    write_pem(cert_path, 0644, [&](FILE* f) { return PEM_write_X509(f, cert.get()); });
    return true;
}

}  // namespace sightline::ftps
