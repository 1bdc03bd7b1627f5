#include "load_transaction.hpp"

#include "sightline/plugin/load_spec.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::FileKind;
using sightline::plugin::LoadSpec;
using sightline::plugin::ValueType;

// Defined in sales_load.cpp and catalog_load.cpp.
std::unique_ptr<sightline::plugin::LoadTransaction> begin_sales_load(std::shared_ptr<Connection> db,
                                                                     const LoadSpec& spec);
std::unique_ptr<sightline::plugin::LoadTransaction> begin_catalog_load(
    std::shared_ptr<Connection> db, const LoadSpec& spec);

std::unique_ptr<sightline::plugin::LoadTransaction> begin_load(std::shared_ptr<Connection> db,
                                                               const LoadSpec& spec) {
    // The inserts bind the fixed columns by position and splice custom column names into DDL.
    sightline::plugin::check_load_spec(spec);
    if (spec.kind == FileKind::sales) return begin_sales_load(std::move(db), spec);
    return begin_catalog_load(std::move(db), spec);
}

}  // namespace sightline::target_sqlite
