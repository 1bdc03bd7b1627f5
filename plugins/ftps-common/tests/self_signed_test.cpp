#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// What was prepared at the names the writer once used (the old fixed temporary name, the final
// key path) is never written through, and the key ends 0600 whatever was there.
TEST(SelfSigned, KeyIsNeitherWrittenThroughALinkNorLeftWithAPreparedMode) {
    const fs::path dir = fs::temp_directory_path() / ("ftps-key-trap-" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "tls");
    const std::string cert = (dir / "tls" / "cert.pem").string();
    const std::string key = (dir / "tls" / "key.pem").string();
    const std::string victim = (dir / "victim").string();
    std::ofstream(victim) << "not a key\n";
    // A symbolic link at the old temporary name, and one at the final key path (dangling: the
    // writer must replace the link, not create its target).
    fs::create_symlink(victim, key + ".tmp");
    fs::create_symlink((dir / "elsewhere.pem").string(), key);
    // A world-readable file at the certificate's old temporary name.
    std::ofstream(cert + ".tmp") << "";
    fs::permissions(cert + ".tmp", fs::perms(0666));
    const mode_t old_umask = umask(0);  // the modes must not come from the umask either

    ASSERT_TRUE(ensure_self_signed(cert, key, {"127.0.0.1"}));
    umask(old_umask);

    EXPECT_EQ(read_all(victim), "not a key\n");
    EXPECT_FALSE(fs::exists(dir / "elsewhere.pem"));
    EXPECT_FALSE(fs::is_symlink(key));
    struct stat st {};
    ASSERT_EQ(lstat(key.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_NE(read_all(key).find("PRIVATE KEY"), std::string::npos);
    ASSERT_EQ(lstat(cert.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0644u);
    // No temporary file of this run is left behind.
    for (const auto& entry : fs::directory_iterator(dir / "tls")) {
        const std::string name = entry.path().filename().string();
        EXPECT_TRUE(name == "cert.pem" || name == "key.pem" || name == "key.pem.tmp" ||
                    name == "cert.pem.tmp")
            << name;
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sightline::ftps
