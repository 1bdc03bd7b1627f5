// Hostile strings in every string a rule carries (items, categories, s_ field values, prefixes,
// in-lists): they are bound parameters, compared literally (no LIKE wildcards, no escapes, no
// case folding), and the tenant's tables are intact afterwards.
#include <algorithm>

#include "fixture.hpp"

namespace sightline::evaluator_sql::testing {
namespace {

using Ids = std::vector<uint64_t>;
using seg::FieldOp;

const std::vector<std::string>& hostile() {
    static const std::vector<std::string> values = {
        "'; DROP TABLE sale_lines; --",
        "\"; DROP TABLE catalog_categories; --",
        "' OR '1'='1",
        "') OR 1=1 --",
        "x' UNION SELECT customer FROM sale_lines --",
        "\\",
        "\\'",
        "'",
        "''",
        "\"",
        "%",
        "_",
        "%%",
        "*",
        "?",
        "?2",
        "$2",
        ":name",
        "web%",
        "we_",
        "WEB",
        "Sh%",
        "Sh_es",
        "it_em",
        "it%",
        "\xF0\x9F\x9A\x80",  // a rocket
        "caf\xC3\xA9",
        "e\xCC\x81",  // e + combining acute
        std::string("web\0x", 5),
        std::string("\0", 1),
    };
    return values;
}

// Customer n bought kLines[n - 1].first with channel kLines[n - 1].second.
const std::vector<std::pair<std::string, std::string>> kLines = {
    {"it'em", "web"},
    {"%", "web"},
    {"sku-3", "'; DROP TABLE sale_lines; --"},
    {"sku-4", "a_b"},
    {"sku-5", "a%b"},
    {"sku-6", "axb"},
    {"back\\slash", "back\\slash"},
    {"quote\"d", "\"quoted\""},
    {"\xD0\xA0\xD0\xBE\xD0\xB1\xD0\xBE\xD1\x82 \xF0\x9F\x9A\x80",
     "\xD0\xA0\xD0\xBE\xD0\xB1\xD0\xBE\xD1\x82 \xF0\x9F\x9A\x80"},
    {"$1", "?1"},
};

std::string sales() {
    std::string out = "order,timestamp,customer,item,price,s_channel\n";
    for (size_t i = 0; i < kLines.size(); ++i) {
        out += "O" + std::to_string(i + 1) + ",2026-01-10T00:00:00Z," + std::to_string(i + 1) +
               "," + csv(kLines[i].first) + ",10.00," + csv(kLines[i].second) + "\n";
    }
    return out;
}

// The customers whose channel satisfies pred, worked out here by plain byte comparisons.
template <class Pred>
Ids channels_where(Pred pred) {
    Ids out;
    for (size_t i = 0; i < kLines.size(); ++i) {
        if (pred(kLines[i].second)) out.push_back(i + 1);
    }
    return out;
}

const char* const kCatalog =
    "item,category\n"
    "it'em,Shoes\n"
    "%,Sh%es\n"
    "back\\slash,Back\\Slash>Sub'Cat\n"
    "\xD0\xA0\xD0\xBE\xD0\xB1\xD0\xBE\xD1\x82 "
    "\xF0\x9F\x9A\x80,\xC3\x9Cn\xC3\xAF>\xF0\x9F\x9A\x80\n";

class Injection : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
        t_ = &tenant(GetParam(), "hostile", {{"catalog.csv", kCatalog}, {"sales.csv", sales()}});
    }
    void TearDown() override {
        if (!t_) return;
        // The tables are intact: every line, every category.
        EXPECT_EQ(t_->store->stats().lines, 10u);
        int64_t lines = -1, paths = -1;
        t_->store->query("SELECT count(*) FROM sale_lines", {},
                         [&](const sp::SqlRow& row) { lines = row.get_int64(0); });
        t_->store->query("SELECT count(*) FROM catalog_categories", {},
                         [&](const sp::SqlRow& row) { paths = row.get_int64(0); });
        EXPECT_EQ(lines, 10);
        EXPECT_EQ(paths, 4);
    }
    Ids eval(const seg::Rule& rule) { return evaluate(*t_->store, rule, us(kAsOf)); }

    static constexpr const char* kAsOf = "2026-01-31T00:00:00Z";
    Tenant* t_ = nullptr;
};

TEST_P(Injection, Items) {
    for (const auto& h : hostile()) {
        Ids bought;  // "%" is a real item (customer 2's); the others are no item at all
        for (size_t i = 0; i < kLines.size(); ++i) {
            if (kLines[i].first == h) bought.push_back(i + 1);
        }
        EXPECT_EQ(eval(purchased({}, {h})), bought) << h;
        bought.push_back(3);
        std::sort(bought.begin(), bought.end());
        EXPECT_EQ(eval(purchased(within(30), {h, "sku-3"})), bought) << h;
        EXPECT_EQ(eval(purchased({}, {h}, {}, 2)), Ids{}) << h;
    }
    EXPECT_EQ(eval(purchased({}, {"it'em"})), Ids{1});
    EXPECT_EQ(eval(purchased({}, {"%"})), Ids{2});
    EXPECT_EQ(eval(purchased({}, {"back\\slash"})), Ids{7});
    EXPECT_EQ(eval(purchased({}, {"quote\"d"})), Ids{8});
    EXPECT_EQ(eval(purchased({}, {"\xD0\xA0\xD0\xBE\xD0\xB1\xD0\xBE\xD1\x82 \xF0\x9F\x9A\x80"})),
              Ids{9});
    EXPECT_EQ(eval(purchased({}, {"$1"})), Ids{10});
    EXPECT_EQ(eval(purchased({}, {std::string("it'em\0", 6)})), Ids{});
}

TEST_P(Injection, Categories) {
    for (const auto& h : hostile()) {
        EXPECT_EQ(eval(purchased({}, {}, {h})), Ids{}) << h;
        EXPECT_EQ(eval(purchased({}, {}, {h, "Shoes"})), Ids{1}) << h;
    }
    EXPECT_EQ(eval(purchased({}, {}, {"Sh%es"})), Ids{2});
    EXPECT_EQ(eval(purchased({}, {}, {"Shoes"})), Ids{1});  // not "Sh%es"
    EXPECT_EQ(eval(purchased({}, {}, {"Back\\Slash"})), Ids{7});
    EXPECT_EQ(eval(purchased({}, {}, {"Back\\Slash>Sub'Cat"})), Ids{7});
    EXPECT_EQ(eval(purchased({}, {}, {"back\\slash"})), Ids{});
    EXPECT_EQ(eval(purchased({}, {}, {"\xC3\x9Cn\xC3\xAF"})), Ids{9});
    EXPECT_EQ(eval(purchased({}, {}, {"\xC3\x9Cn\xC3\xAF>\xF0\x9F\x9A\x80"})), Ids{9});
}

TEST_P(Injection, StringFieldValues) {
    const std::string s = "s_channel";
    const Ids all_ids = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    for (const auto& h : hostile()) {
        const auto eq = [&](const std::string& v) { return v == h; };
        EXPECT_EQ(eval(field_text(s, FieldOp::eq, {h})), channels_where(eq)) << h;
        EXPECT_EQ(eval(field_text(s, FieldOp::in, {h, "axb"})),
                  channels_where([&](const std::string& v) { return v == h || v == "axb"; }))
            << h;
        EXPECT_EQ(eval(field_text(s, FieldOp::ne, {h})),
                  channels_where([&](const std::string& v) { return v != h; }))
            << h;
        EXPECT_EQ(eval(field_text(s, FieldOp::lt, {h})),
                  channels_where([&](const std::string& v) { return v < h; }))
            << h;
        EXPECT_EQ(eval(field_text(s, FieldOp::ge, {h})),
                  channels_where([&](const std::string& v) { return v >= h; }))
            << h;
        EXPECT_EQ(eval(not_(field_text(s, FieldOp::eq, {h}))),
                  channels_where([&](const std::string& v) { return v != h; }))
            << h;
    }
    EXPECT_EQ(eval(field_text(s, FieldOp::eq, {"'; DROP TABLE sale_lines; --"})), Ids{3});
    EXPECT_EQ(eval(field_text(s, FieldOp::eq, {"back\\slash"})), Ids{7});
    EXPECT_EQ(eval(field_text(s, FieldOp::eq, {"\"quoted\""})), Ids{8});
    EXPECT_EQ(eval(field_text(s, FieldOp::eq, {"?1"})), Ids{10});
    EXPECT_EQ(eval(field_text(s, FieldOp::ne, {"web"})), (Ids{3, 4, 5, 6, 7, 8, 9, 10}));
    // A NUL can be in no stored value: "web\0x" equals nothing, differs from everything, and
    // orders right after "web" (so lt "a\0b" is <= "a").
    EXPECT_EQ(eval(field_text(s, FieldOp::ne, {std::string("web\0x", 5)})), all_ids);
    EXPECT_EQ(eval(field_text(s, FieldOp::lt, {std::string("a\0b", 3)})), (Ids{3, 8, 10}));
    EXPECT_EQ(eval(field_text(s, FieldOp::le, {std::string("a\0b", 3)})), (Ids{3, 8, 10}));
    EXPECT_EQ(eval(field_text(s, FieldOp::gt, {std::string("a_b\0", 4)})), (Ids{1, 2, 6, 7, 9}));
    EXPECT_EQ(eval(field_text(s, FieldOp::ge, {std::string("a_b\0", 4)})), (Ids{1, 2, 6, 7, 9}));
}

TEST_P(Injection, Prefixes) {
    const std::string s = "s_channel";
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"'; DROP"})), Ids{3});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"'; DROP TABLE sale_lines; --"})), Ids{3});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"a_"})), Ids{4});  // not "axb"
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"a%"})), Ids{5});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"a"})), (Ids{4, 5, 6}));
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"A"})), Ids{});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"back\\"})), Ids{7});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"\""})), Ids{8});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {"\xD0\xA0\xD0\xBE"})), Ids{9});
    EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {std::string("a\0", 2)})), Ids{});
    for (const auto& h : hostile()) {
        EXPECT_EQ(eval(field_text(s, FieldOp::prefix, {h})),
                  channels_where([&](const std::string& v) { return v.rfind(h, 0) == 0; }))
            << h;
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, Injection, ::testing::ValuesIn(backends()), backend_name);

}  // namespace
}  // namespace sightline::evaluator_sql::testing
