// Reading the sales lines in insertion order: scan_sales() and scan_sales_after() share it.
#pragma once

#include <cstdint>
#include <functional>

#include "db.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

// In one read transaction (or the connection's open one, inside a load): with `out`, reads the
// data version into out->version and the custom columns into out->custom first; then calls fn
// for each line of a file whose id is greater than after_mark (0: every line, and the query has
// no WHERE at all), laid out as TenantStore::scan_sales() documents.
void scan_sale_lines(Connection& db, uint64_t after_mark, sightline::plugin::SalesScan* out,
                     const std::function<void(const sightline::plugin::Value* row)>& fn);

}  // namespace sightline::target_sqlite
