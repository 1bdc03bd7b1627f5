#include <gtest/gtest.h>

#include <stdexcept>

#include "sightline/ftps/password.hpp"

namespace sightline::ftps {
namespace {

// The lowest cost the parser accepts, so the tests stay fast.
constexpr ScryptCost kFast{10, 8, 1};

TEST(Password, RightPasswordVerifiesWrongOneDoesNot) {
    const std::string hash = hash_password("correct horse", kFast);
    EXPECT_TRUE(verify_password("correct horse", hash));
    EXPECT_FALSE(verify_password("correct hors", hash));
    EXPECT_FALSE(verify_password("", hash));
}

TEST(Password, EncodingNamesItsCostAndSaltsEveryHash) {
    const std::string a = hash_password("same", kFast);
    const std::string b = hash_password("same", kFast);
    EXPECT_EQ(a.rfind("$scrypt$ln=10,r=8,p=1$", 0), 0u) << a;
    EXPECT_NE(a, b);
    EXPECT_EQ(a.find("same"), std::string::npos);
    EXPECT_EQ(check_password_hash(a), "");
}

TEST(Password, DefaultCostIsTheDocumentedOne) {
    const std::string hash = hash_password("x");
    EXPECT_EQ(hash.rfind("$scrypt$ln=14,r=8,p=5$", 0), 0u) << hash;
    EXPECT_TRUE(verify_password("x", hash));
    EXPECT_FALSE(verify_password("y", hash));
}

// Hashes made before the cost was raised (ln=14, p=1) keep working: the cost is in the hash.
// This one was made by Python's hashlib.scrypt, an implementation independent of ours.
TEST(Password, HashesAtTheOldCostStillVerify) {
    const std::string old =
        "$scrypt$ln=14,r=8,p=1$AAECAwQFBgcICQoLDA0ODw==$"
        "MayjmjVkdSlrV3rP8i5NtN0jaVczOdFemOw1PzkBiGo=";
    EXPECT_EQ(check_password_hash(old), "");
    EXPECT_TRUE(verify_password("old-cost password", old));
    EXPECT_FALSE(verify_password("old-cost passwore", old));
}

TEST(Password, MalformedHashesAreExplained) {
    const std::string good = hash_password("pw", kFast);
    EXPECT_NE(check_password_hash("plaintext"), "");
    EXPECT_NE(check_password_hash("$scrypt$ln=10,r=8$AAAA$AAAA"), "");
    EXPECT_NE(check_password_hash("$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$" +
                                  good.substr(good.rfind('$') + 1)),
              "");  // a cost that would take hours is refused
    EXPECT_NE(check_password_hash(good.substr(0, good.size() - 4)), "");
    EXPECT_THROW(verify_password("pw", "nonsense"), std::invalid_argument);
}

}  // namespace
}  // namespace sightline::ftps
