// Catalog loads replace the whole catalog; categories are split into paths.
#include "live_support.hpp"

namespace sightline::target_pg::testing {
namespace {

using CatalogTest = LiveTest;

void load_catalog(sp::TenantStore& store, const std::vector<std::vector<std::string>>& items,
                  const std::vector<sp::Column>& custom = {}) {
    const auto spec = catalog_spec(custom);
    auto load = store.begin_load(spec);
    for (const auto& item : items) {
        std::vector<sp::Value> row(spec.columns.size());
        for (size_t c = 0; c < row.size(); ++c) {
            if (c < item.size() && item[c] != "-") {
                row[c].present = true;
                row[c].s = item[c];
            }
        }
        load->append(row.data());
    }
    load->commit(loaded_record("catalog.csv", items.size(), sp::FileKind::catalog));
}

TEST_F(CatalogTest, ACatalogReplacesThePreviousOne) {
    auto store = open();
    load_catalog(*store,
                 {{"a", "Shoes>Running|Sale", "Runner", "Acme", "red"},
                  {"b", "Shirts", "-", "-", "-"},
                  {"c", "X|X", "T", "B", "blue"}},
                 {{"s_colour", sp::ValueType::string}});
    EXPECT_EQ(store->stats().catalog_items, 3u);
    EXPECT_EQ(query_text(*store, "SELECT item, path FROM catalog_categories ORDER BY item, path"),
              (std::vector<std::vector<std::string>>{
                  {"a", "Sale"}, {"a", "Shoes>Running"}, {"b", "Shirts"}, {"c", "X"}}));
    EXPECT_EQ(
        query_text(*store, "SELECT title, brand, s_colour FROM catalog_items WHERE item = 'b'"),
        (std::vector<std::vector<std::string>>{{"NULL", "NULL", "NULL"}}));

    load_catalog(*store, {{"z", "Hats", "Cap", "Acme"}});
    EXPECT_EQ(query_text(*store, "SELECT item, category FROM catalog_items"),
              (std::vector<std::vector<std::string>>{{"z", "Hats"}}));
    EXPECT_EQ(query_text(*store, "SELECT item, path FROM catalog_categories"),
              (std::vector<std::vector<std::string>>{{"z", "Hats"}}));
    EXPECT_EQ(store->history().size(), 2u);
}

TEST_F(CatalogTest, AnItemListedTwiceFailsTheWholeCatalog) {
    auto store = open();
    load_catalog(*store, {{"a", "Shoes"}});
    EXPECT_THROW(load_catalog(*store, {{"b", "Hats"}, {"b", "Caps"}}), sp::Error);
    EXPECT_EQ(query_text(*store, "SELECT item FROM catalog_items"),
              (std::vector<std::vector<std::string>>{{"a"}}));
}

}  // namespace
}  // namespace sightline::target_pg::testing
