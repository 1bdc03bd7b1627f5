#include "load_base.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::target_pg {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::FileKind;
using sightline::plugin::LoadSpec;
using sightline::plugin::ValueType;

// Defined in sales_load.cpp and catalog_load.cpp.
std::unique_ptr<sightline::plugin::LoadTransaction> begin_sales_load(
    std::shared_ptr<Connection> connection, const Dialect& dialect, const LoadSpec& spec);
std::unique_ptr<sightline::plugin::LoadTransaction> begin_catalog_load(
    std::shared_ptr<Connection> connection, const Dialect& dialect, const LoadSpec& spec);

namespace {

const Column kSalesFixed[] = {
    {"order", ValueType::string},    {"timestamp", ValueType::timestamp},
    {"customer", ValueType::uint64}, {"item", ValueType::string},
    {"price", ValueType::decimal},   {"quantity", ValueType::decimal},
};
const Column kCatalogFixed[] = {
    {"item", ValueType::string},
    {"category", ValueType::string},
    {"title", ValueType::string},
    {"brand", ValueType::string},
};

// The COPY writes the fixed columns by position: a spec that disagrees with data.hpp would put
// values in the wrong columns, so it is refused up front.
template <size_t N>
void check_fixed_columns(const LoadSpec& spec, const Column (&fixed)[N]) {
    const char* kind = sightline::plugin::to_string(spec.kind);
    if (spec.columns.size() < N) {
        throw Error(std::string("a ") + kind + " load needs its " + std::to_string(N) +
                    " fixed columns first; the spec has " + std::to_string(spec.columns.size()) +
                    " columns");
    }
    for (size_t c = 0; c < N; ++c) {
        const Column& got = spec.columns[c];
        if (got.name != fixed[c].name || got.type != fixed[c].type) {
            throw Error(std::string("column ") + std::to_string(c + 1) + " of a " + kind +
                        " load must be '" + fixed[c].name + "' (" + to_string(fixed[c].type) +
                        "), not '" + got.name + "' (" + to_string(got.type) + ")");
        }
    }
}

}  // namespace

std::unique_ptr<sightline::plugin::LoadTransaction> begin_load(
    std::shared_ptr<Connection> connection, const Dialect& dialect, const LoadSpec& spec) {
    if (spec.kind == FileKind::sales) {
        check_fixed_columns(spec, kSalesFixed);
        return begin_sales_load(std::move(connection), dialect, spec);
    }
    check_fixed_columns(spec, kCatalogFixed);
    return begin_catalog_load(std::move(connection), dialect, spec);
}

}  // namespace sightline::target_pg
