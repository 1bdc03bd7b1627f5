// A self-signed certificate for local and test profiles, so they run with no setup.
#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <cstdio>
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

// Writes through a temporary file and a rename, so a crash never leaves half a key in place.
void write_pem(const std::string& path, mode_t mode, const std::function<int(FILE*)>& write) {
    const std::string tmp = path + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) fail("cannot write " + tmp);
    FILE* f = fdopen(fd, "w");
    if (!f) {
        ::close(fd);
        fail("cannot write " + tmp);
    }
    const bool ok = write(f) == 1 && fflush(f) == 0 && fsync(fileno(f)) == 0;
    fclose(f);
    if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
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
        if (!parent.empty()) fs::create_directories(parent);
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
