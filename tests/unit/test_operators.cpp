// Operators: logins, and disabling that takes effect at the next check.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sightline/core/operators.hpp"

namespace fs = std::filesystem;
using namespace sightline::core;

namespace {

// A stand-in for scrypt: "hash:<password>". The registry's logic is under test, not scrypt
// (ftps_common_tests cover that).
bool fake_verify(const std::string& password, const std::string& hash) {
    if (hash.rfind("hash:", 0) != 0) throw std::invalid_argument("malformed");
    return hash == "hash:" + password;
}

class Operators : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("sightline_operators_" + std::to_string(getpid()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }
    std::vector<OperatorAccount> accounts() {
        OperatorAccount ana{"ana", "hash:correct horse", "", false, 1};
        OperatorAccount bob{"bob", "", "CN=bob,O=Example", false, 2};
        OperatorAccount cy{"cy", "hash:cy password", "", true, 3};
        return {ana, bob, cy};
    }
    fs::path dir;
};

}  // namespace

TEST_F(Operators, PasswordLogin) {
    OperatorRegistry r(dir.string(), accounts(), fake_verify);
    EXPECT_EQ(r.authenticate_password("ana", "correct horse"), std::optional<std::string>("ana"));
    EXPECT_FALSE(r.authenticate_password("ana", "wrong"));
    EXPECT_FALSE(r.authenticate_password("nobody", "correct horse"));
    EXPECT_FALSE(r.authenticate_password("bob", ""));            // certificate only
    EXPECT_FALSE(r.authenticate_password("cy", "cy password"));  // disabled in the profile
}

TEST_F(Operators, CertificateLogin) {
    OperatorRegistry r(dir.string(), accounts(), fake_verify);
    EXPECT_EQ(r.authenticate_certificate("CN=bob,O=Example"), std::optional<std::string>("bob"));
    EXPECT_FALSE(r.authenticate_certificate("CN=bob"));
    EXPECT_FALSE(r.authenticate_certificate(""));
}

TEST_F(Operators, DisablingTakesEffectAtOnceAcrossRegistries) {
    OperatorRegistry console(dir.string(), accounts(), fake_verify);  // the server's
    OperatorRegistry cli(dir.string(), accounts(), fake_verify);      // another process's
    ASSERT_TRUE(console.active("ana"));
    cli.disable("ana", "root", "left the company");
    EXPECT_FALSE(console.active("ana"));
    EXPECT_FALSE(console.authenticate_password("ana", "correct horse"));
    EXPECT_EQ(console.disabled_names(), std::vector<std::string>{"ana"});
    EXPECT_TRUE(console.active("bob"));
    cli.enable("ana");
    EXPECT_TRUE(console.active("ana"));
}

TEST_F(Operators, DamagedListLocksEveryoneOut) {
    OperatorRegistry r(dir.string(), accounts(), fake_verify);
    fs::create_directories(dir / "operators");
    std::ofstream(OperatorRegistry::disabled_list_path(dir.string())) << "{ not json";
    EXPECT_FALSE(r.active("ana"));
    EXPECT_FALSE(r.authenticate_certificate("CN=bob,O=Example"));
    EXPECT_THROW(r.disable("bob", "root", "x"), std::runtime_error);
}

TEST_F(Operators, ReloadReplacesAccounts) {
    OperatorRegistry r(dir.string(), accounts(), fake_verify);
    r.set_accounts({OperatorAccount{"dee", "hash:dee password", "", false, 1}});
    EXPECT_FALSE(r.active("ana"));
    EXPECT_EQ(r.authenticate_password("dee", "dee password"), std::optional<std::string>("dee"));
}
