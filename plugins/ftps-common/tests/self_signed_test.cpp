#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "sightline/ftps/tls_policy.hpp"

namespace sightline::ftps {
namespace {

namespace fs = std::filesystem;

TEST(SelfSigned, CreatesOnceWithNamesAndAPrivateKey) {
    const fs::path dir =
        fs::temp_directory_path() / ("ftps-self-signed-" + std::to_string(getpid()));
    fs::remove_all(dir);
    const std::string cert = (dir / "tls" / "cert.pem").string();
    const std::string key = (dir / "tls" / "key.pem").string();
    ASSERT_TRUE(ensure_self_signed(cert, key, {"127.0.0.1", "localhost"}));
    EXPECT_FALSE(ensure_self_signed(cert, key, {"127.0.0.1"}));  // kept, not replaced

    struct stat st {};
    ASSERT_EQ(stat(key.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    FILE* f = fopen(cert.c_str(), "r");
    ASSERT_NE(f, nullptr);
    X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
    fclose(f);
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(X509_check_ip_asc(x, "127.0.0.1", 0), 1);
    EXPECT_EQ(X509_check_host(x, "localhost", 0, 0, nullptr), 1);
    EXPECT_NE(X509_check_host(x, "example.com", 0, 0, nullptr), 1);

    // The key matches the certificate and the server policy accepts both.
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    apply_server_policy(ctx);
    EXPECT_EQ(SSL_CTX_use_certificate(ctx, x), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM), 1);
    EXPECT_EQ(SSL_CTX_check_private_key(ctx), 1);
    EXPECT_EQ(SSL_CTX_get_min_proto_version(ctx), TLS1_2_VERSION);
    SSL_CTX_free(ctx);
    X509_free(x);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sightline::ftps
