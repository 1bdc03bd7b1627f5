// TLS, tenant isolation, password files, name limits, secrets kept out of messages.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "connection.hpp"
#include "conninfo.hpp"
#include "live_support.hpp"
#include "secrets.hpp"

namespace sightline::target_pg::testing {
namespace {

using SecurityTest = LiveTest;

TEST_F(SecurityTest, VerifyFullTlsReachesTheTenantConnection) {
    const char* ca = std::getenv("SIGHTLINE_POSTGRES_CA");
    if (!ca || live_backend().dsn_env != std::string("SIGHTLINE_POSTGRES_DSN")) {
        GTEST_SKIP() << "SIGHTLINE_POSTGRES_CA is not set (tests/pg/start-postgres.sh sets it)";
    }
    auto tls = make_target(
        {{"admin_dsn", admin_dsn + " sslmode=verify-full sslrootcert=" + std::string(ca)}});
    auto store = open("acme", tls.get());
    EXPECT_EQ(query_text(*store,
                         "SELECT ssl, current_user FROM pg_stat_ssl WHERE pid = pg_backend_pid()"),
              (std::vector<std::vector<std::string>>{{"t", database_of("acme") + "_owner"}}));
}

TEST_F(SecurityTest, ATenantRoleCannotConnectToAnotherTenantsDatabase) {
    open("acme").reset();
    open("globex").reset();
    const auto acme = target->names("acme");
    const auto globex = target->names("globex");
    const auto password = read_secret(target->password_file(acme));
    ASSERT_TRUE(password);
    // Its own database: fine.
    const Login own{acme.role, *password, acme.database};
    EXPECT_NO_THROW(Connection(connection_string(admin_dsn, &own, 10, "test"), "own"));
    // The other tenant's: refused by the server.
    const Login other{acme.role, *password, globex.database};
    try {
        Connection attacker(connection_string(admin_dsn, &other, 10, "test"), "other");
        FAIL() << "acme's role connected to globex's database";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("permission denied"), std::string::npos) << e.what();
    }
}

TEST_F(SecurityTest, PasswordFilesArePrivateAndAMissingOneIsReplaced) {
    open().reset();
    const auto names = target->names("acme");
    const std::string file = target->password_file(names);
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const auto before = read_secret(file);
    ASSERT_TRUE(before);
    EXPECT_EQ(before->size(), 64u);

    ASSERT_EQ(::unlink(file.c_str()), 0);
    auto store = open();
    load_lines(*store, {SaleLine{}});
    const auto after = read_secret(file);
    ASSERT_TRUE(after);
    EXPECT_NE(*after, *before);
    EXPECT_EQ(host.logs("target.tenant_password_reset").size(), 1u);
}

TEST_F(SecurityTest, NamesLongerThanPostgresAllowsAreRefused) {
    const std::string tenant(60, 'a');
    try {
        target->open(tenant);
        FAIL() << "expected an Error";
    } catch (const sp::Error& e) {
        EXPECT_NE(std::string(e.what()).find("63 bytes"), std::string::npos) << e.what();
    }
    EXPECT_THROW(target->open("Bad!"), sp::Error);
    EXPECT_EQ(target->names("my-shop").database, prefix + "my_shop");
}

TEST_F(SecurityTest, TheAdminPasswordStaysOutOfErrors) {
    auto wrong = make_target({{"admin_dsn", admin_dsn + " password=s3cr3t-value-xyz"}});
    try {
        wrong->open("acme");
        FAIL() << "expected an Error";
    } catch (const sp::Error& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cr3t-value-xyz"), std::string::npos) << e.what();
    }
}

// No server needed: the password file is written under a fresh name of its own, so a link or a
// file planted where the old fixed temporary name was is never written through.
TEST(PasswordFile, IsNeverWrittenThroughAPlantedFileOrLink) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("sightline-secret-" + random_password());
    ensure_private_dir(dir.string());
    const std::string file = (dir / "acme.password").string();
    const fs::path victim = dir / "victim";
    std::ofstream(victim) << "keep";
    fs::create_symlink(victim, file + ".tmp");

    write_secret(file, "s3cret");
    std::ifstream in(victim);
    std::string kept;
    in >> kept;
    EXPECT_EQ(kept, "keep");
    EXPECT_EQ(read_secret(file), std::optional<std::string>("s3cret"));
    struct stat st {};
    ASSERT_EQ(::lstat(file.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    fs::remove(file);
    fs::create_symlink(victim, file);  // a link at the final name is replaced, not followed
    write_secret(file, "again");
    ASSERT_EQ(::lstat(file.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    std::ifstream again(victim);
    again >> kept;
    EXPECT_EQ(kept, "keep");
    size_t entries = 0;
    for (const auto& entry : fs::directory_iterator(dir)) entries += entry.path() != victim;
    EXPECT_EQ(entries, 2u) << "the password file and the planted .tmp link, no leftovers";
    fs::remove_all(dir);
}

}  // namespace
}  // namespace sightline::target_pg::testing
