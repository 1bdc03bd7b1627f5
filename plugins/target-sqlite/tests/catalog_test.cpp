// Catalog files: whole-catalog replacement and one row per category path.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace sightline::target_sqlite::testing {
namespace {

using Rows = std::vector<std::string>;

Rows categories(sp::TenantStore& store) {
    return query_texts(store,
                       "SELECT item || ':' || path FROM catalog_categories ORDER BY item, path");
}

TEST(Catalog, SplitsCategoriesIntoPaths) {
    Fixture f;
    auto store = f.open();
    load_catalog(*store, {{"sku-1", "Shoes>Running|Sale", "Runner", "Acme", {}},
                          {"sku-2", "Shoes", std::nullopt, std::nullopt, {}},
                          {"sku-3", "A|A|B>C", std::nullopt, std::nullopt, {}}});
    EXPECT_EQ(categories(*store),
              (Rows{"sku-1:Sale", "sku-1:Shoes>Running", "sku-2:Shoes", "sku-3:A", "sku-3:B>C"}));
    EXPECT_EQ(query_texts(*store, "SELECT category FROM catalog_items WHERE item = 'sku-1'"),
              Rows{"Shoes>Running|Sale"});
    EXPECT_EQ(query_texts(*store,
                          "SELECT coalesce(title, 'NULL') || '/' || coalesce(brand, "
                          "'NULL') FROM catalog_items ORDER BY item"),
              (Rows{"Runner/Acme", "NULL/NULL", "NULL/NULL"}));
    EXPECT_EQ(store->stats().catalog_items, 3u);
    EXPECT_EQ(store->history().back().kind, sp::FileKind::catalog);
}

TEST(Catalog, CategoryPrefixQueryFromTheReadme) {
    Fixture f;
    auto store = f.open();
    load_catalog(*store, {{"a", "Shoes", {}, {}, {}},
                          {"b", "Shoes>Running|Sale", {}, {}, {}},
                          {"c", "Shoestrings", {}, {}, {}},
                          {"d", "Shoes>Running>Trail", {}, {}, {}},
                          {"e", "Hats", {}, {}, {}}});
    const std::string sql =
        "SELECT DISTINCT item FROM catalog_categories WHERE path = ?1 OR (path >= ?1 || '>' AND "
        "path < ?1 || '?') ORDER BY item";
    EXPECT_EQ(query_texts(*store, sql, {text_value("Shoes")}), (Rows{"a", "b", "d"}));
    EXPECT_EQ(query_texts(*store, sql, {text_value("Shoes>Running")}), (Rows{"b", "d"}));
}

TEST(Catalog, EachUploadReplacesTheWholeCatalog) {
    Fixture f;
    auto store = f.open();
    auto reader = f.open();
    load_catalog(*store, {{"sku-1", "Shoes", {}, {}, {}}, {"sku-2", "Bags", {}, {}, {}}});
    {
        // Abandoned: the old catalog stays.
        auto load = store->begin_load(catalog_spec());
        EXPECT_EQ(reader->stats().catalog_items, 2u);
    }
    EXPECT_EQ(store->stats().catalog_items, 2u);
    load_catalog(*store, {{"sku-9", "Hats>Summer", {}, {}, {}}});
    EXPECT_EQ(categories(*reader), Rows{"sku-9:Hats>Summer"});
    EXPECT_EQ(reader->stats().catalog_items, 1u);
}

TEST(Catalog, CustomStringColumnsAreAddedAsTheyAppear) {
    Fixture f;
    auto store = f.open();
    load_catalog(*store, {{"sku-1", "Shoes", {}, {}, {"red"}}},
                 {{"s_color", sp::ValueType::string}});
    load_catalog(*store, {{"sku-1", "Shoes", {}, {}, {"L", std::nullopt}}},
                 {{"s_size", sp::ValueType::string}, {"s_color", sp::ValueType::string}});
    EXPECT_EQ(query_texts(*store,
                          "SELECT s_size || '/' || coalesce(s_color, '-') FROM "
                          "catalog_items"),
              Rows{"L/-"});
    // Catalog columns are not sales columns.
    EXPECT_TRUE(store->custom_columns().empty());
}

TEST(Catalog, AnItemListedTwiceRefusesTheFile) {
    Fixture f;
    auto store = f.open();
    load_catalog(*store, {{"old", "X", {}, {}, {}}});
    EXPECT_THROW(load_catalog(*store, {{"sku-1", "A", {}, {}, {}}, {"sku-1", "B", {}, {}, {}}}),
                 sp::Error);
    EXPECT_EQ(categories(*store), Rows{"old:X"});
}

}  // namespace
}  // namespace sightline::target_sqlite::testing
