// TenantStore::query(): one read-only statement with bound parameters, rows converted by
// column type (see README.md "Reading: query()").
#include <pqxx/transaction>

#include "sightline/plugin/api.hpp"
#include "sql_text.hpp"
#include "tenant_store.hpp"

namespace sightline::target_pg {

using sightline::plugin::Error;
using sightline::plugin::SqlRow;
using sightline::plugin::Value;

namespace {

// Type OIDs of the built-in types get_int64 converts (pg_type.dat; fixed since PostgreSQL 7).
enum : pqxx::oid {
    kBool = 16,
    kInt8 = 20,
    kInt2 = 21,
    kInt4 = 23,
    kOid = 26,
    kDate = 1082,
    kTimestamp = 1114,
    kTimestamptz = 1184,
    kNumeric = 1700,
};

class ResultRow final : public SqlRow {
public:
    explicit ResultRow(const pqxx::result& result) : result_(result) {
        for (pqxx::row::size_type c = 0; c < result.columns(); ++c) {
            types_.push_back(result.column_type(c));
        }
    }
    void at(pqxx::result::size_type row) { row_ = row; }

    size_t size() const override { return types_.size(); }
    bool is_null(size_t column) const override { return field(column).is_null(); }
    std::string_view get_text(size_t column) const override {
        const auto f = field(column);
        return std::string_view(f.c_str(), f.size());
    }
    int64_t get_int64(size_t column) const override {
        const auto f = field(column);
        if (f.is_null()) return 0;
        const std::string_view text(f.c_str(), f.size());
        switch (types_[column]) {
            case kBool:
                return text == "t" ? 1 : 0;
            case kNumeric:
                return text.find('.') != std::string_view::npos ? parse_numeric_millionths(text)
                                                                : parse_integer_bits(text);
            case kDate:
            case kTimestamp:
            case kTimestamptz:
                return parse_timestamptz(text);
            default:
                return parse_integer_bits(text);
        }
    }

private:
    pqxx::field field(size_t column) const {
        if (column >= types_.size()) {
            throw Error("query result has " + std::to_string(types_.size()) + " columns; column " +
                        std::to_string(column) + " does not exist");
        }
        return result_[row_][static_cast<pqxx::row::size_type>(column)];
    }

    const pqxx::result& result_;
    std::vector<pqxx::oid> types_;
    pqxx::result::size_type row_ = 0;
};

}  // namespace

void PgTenantStore::query(const std::string& sql, const std::vector<Value>& params,
                          const std::function<void(const SqlRow&)>& row) {
    check_idle("query()");
    // A value binds as text when it has a string (s.data() set, even if empty), else as the
    // decimal text of i; the server infers each parameter's type from the statement.
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t p = 0; p < params.size(); ++p) {
        const Value& value = params[p];
        if (!value.present) continue;
        texts[p] = value.s.data() != nullptr ? std::string(value.s) : std::to_string(value.i);
        values[p] = texts[p].c_str();
    }
    pqxx::result result;
    try {
        // READ ONLY: the server refuses any write, DDL, or a nested COMMIT/BEGIN.
        pqxx::transaction<pqxx::read_committed, pqxx::read_only> tx(*connection_);
        result = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
        tx.commit();
    } catch (...) {
        rethrow_as_error("query() in the " + connection_->label() + " database");
    }
    ResultRow current(result);
    for (pqxx::result::size_type r = 0; r < result.size(); ++r) {
        current.at(r);
        row(current);
    }
}

}  // namespace sightline::target_pg
