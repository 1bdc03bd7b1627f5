#include "sightline/core/pii_guard.hpp"

#include <gtest/gtest.h>

namespace sightline::core {
namespace {

const std::string name_reason = "token 'name' not after item/product/category/brand/store/campaign";

TEST(PiiColumnName, EveryPersonalToken) {
    for (const char* token :
         {"email", "mail", "phone", "mobile", "address", "street", "zip", "postcode", "birth",
          "birthday", "dob", "ip", "surname", "firstname", "lastname"}) {
        EXPECT_EQ(pii_column_reason(std::string("s_") + token),
                  "token '" + std::string(token) + "'");
        EXPECT_EQ(pii_column_reason(std::string("s_home_") + token + "_2"),
                  "token '" + std::string(token) + "'");
    }
}

TEST(PiiColumnName, EveryTypePrefixIsStripped) {
    EXPECT_EQ(pii_column_reason("s_email"), "token 'email'");
    EXPECT_EQ(pii_column_reason("i_phone"), "token 'phone'");
    EXPECT_EQ(pii_column_reason("f_zip"), "token 'zip'");
    EXPECT_EQ(pii_column_reason("d_birth"), "token 'birth'");
    EXPECT_EQ(pii_column_reason("d_dob"), "token 'dob'");
    // The prefix itself is not a token: "s_ip" is the token "ip", but "ip_x" is too.
    EXPECT_EQ(pii_column_reason("s_ip"), "token 'ip'");
    EXPECT_EQ(pii_column_reason("ip_x"), "token 'ip'");
    // A name without a prefix (an unknown column) is checked whole.
    EXPECT_EQ(pii_column_reason("email"), "token 'email'");
    EXPECT_EQ(pii_column_reason("customer_email"), "token 'email'");
}

TEST(PiiColumnName, TokensAreWholeNotSubstrings) {
    for (const char* name :
         {"s_description", "s_shipping", "s_emails", "s_ipa", "s_zipper", "s_mailbox", "s_phones",
          "s_tip", "s_street2", "s_zip2", "s_names", "s_nickname", "s_username", "i_dob1", "s_x",
          "f_margin", "d_shipped", "s_addresses"}) {
        EXPECT_EQ(pii_column_reason(name), std::nullopt) << name;
    }
}

TEST(PiiColumnName, NameOnlyDirectlyAfterAnOwner) {
    for (const char* name :
         {"s_product_name", "s_item_name", "s_category_name", "s_brand_name", "s_store_name",
          "s_campaign_name", "s_top_product_name", "s_product_name_short", "s_description"}) {
        EXPECT_EQ(pii_column_reason(name), std::nullopt) << name;
    }
    for (const char* name :
         {"s_customer_name", "s_first_name", "s_name", "s_last_name", "s_name_product",
          "s_product_x_name", "s_product__name", "s_full_name", "s_contact_name"}) {
        EXPECT_EQ(pii_column_reason(name), name_reason) << name;
    }
}

TEST(PiiColumnName, FirstOffendingTokenIsReported) {
    EXPECT_EQ(pii_column_reason("s_customer_name_email"), name_reason);
    EXPECT_EQ(pii_column_reason("s_email_name"), "token 'email'");
}

TEST(PiiColumnName, CaseIsFolded) {
    EXPECT_EQ(pii_column_reason("s_Email"), "token 'email'");
    EXPECT_EQ(pii_column_reason("S_PHONE"), "token 'phone'");
    EXPECT_EQ(pii_column_reason("s_Product_Name"), std::nullopt);
}

TEST(EmailDetection, PlainAddresses) {
    EXPECT_TRUE(contains_email("a@ex.co"));
    EXPECT_TRUE(contains_email("john.doe@example.com"));
    EXPECT_TRUE(contains_email("first.last+tag@mail.example.co.uk"));
    EXPECT_TRUE(contains_email("x_y%z-w@sub-domain.example.org"));
    EXPECT_TRUE(contains_email("JOHN@EXAMPLE.COM"));
    EXPECT_TRUE(contains_email("123@456.de"));
}

TEST(EmailDetection, EmbeddedInLongerText) {
    EXPECT_TRUE(contains_email("contact: a.b@ex.co now"));
    EXPECT_TRUE(contains_email("<a@ex.co>"));
    EXPECT_TRUE(contains_email("mailto:a@ex.co"));
    EXPECT_TRUE(contains_email("order for a@ex.com."));
    EXPECT_TRUE(contains_email("(a@ex.com)"));
    EXPECT_TRUE(contains_email("@ and then a@ex.com"));
    EXPECT_TRUE(contains_email("x@y z@ex.com"));
    EXPECT_TRUE(contains_email("Grüße, a@ex.com"));
}

TEST(EmailDetection, TopLevelLabelOfTwoLettersOrMore) {
    EXPECT_FALSE(contains_email("a@ex.c"));
    EXPECT_FALSE(contains_email("a@ex.c0"));
    EXPECT_FALSE(contains_email("a@ex.12"));
    EXPECT_FALSE(contains_email("a@1.2.3.4"));
    EXPECT_TRUE(contains_email("a@ex.c.com"));
    EXPECT_TRUE(contains_email("a@ex.com.5"));
}

TEST(EmailDetection, NeedsLocalPartAndDottedDomain) {
    EXPECT_FALSE(contains_email(""));
    EXPECT_FALSE(contains_email("@"));
    EXPECT_FALSE(contains_email("@ex.com"));
    EXPECT_FALSE(contains_email(" @ex.com"));
    EXPECT_FALSE(contains_email("a @ex.com"));
    EXPECT_FALSE(contains_email("a@ ex.com"));
    EXPECT_FALSE(contains_email("a@localhost"));
    EXPECT_FALSE(contains_email("a@.com"));
    EXPECT_FALSE(contains_email("a@ex..com"));
    EXPECT_FALSE(contains_email("a@ex."));
    EXPECT_FALSE(contains_email("user@"));
    EXPECT_FALSE(contains_email("SKU-12@3"));
    EXPECT_FALSE(contains_email("2 @ 5.00"));
    EXPECT_FALSE(contains_email("Shoes>Running|Sale"));
    EXPECT_FALSE(contains_email("a@b_c.com"));
}

}  // namespace
}  // namespace sightline::core
