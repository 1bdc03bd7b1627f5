#include "live_support.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "connection.hpp"
#include "conninfo.hpp"

// libpqxx 6.4 leaks a PGresult when a statement runs on a connection the server has closed
// (the tests that terminate backends do that on purpose); the frames are all inside libpq and
// libpqxx. LeakSanitizer reads this hook of the test executable only.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace sightline::target_pg::testing {

std::string live_admin_dsn() {
    const char* value = std::getenv(live_backend().dsn_env);
    return value ? value : "";
}

sp::LoadSpec sales_spec(const std::vector<sp::Column>& custom, sp::LoadMode mode) {
    sp::LoadSpec spec;
    spec.kind = sp::FileKind::sales;
    spec.mode = mode;
    spec.columns = {{"order", sp::ValueType::string},    {"timestamp", sp::ValueType::timestamp},
                    {"customer", sp::ValueType::uint64}, {"item", sp::ValueType::string},
                    {"price", sp::ValueType::decimal},   {"quantity", sp::ValueType::decimal}};
    spec.columns.insert(spec.columns.end(), custom.begin(), custom.end());
    return spec;
}

sp::LoadSpec catalog_spec(const std::vector<sp::Column>& custom) {
    sp::LoadSpec spec;
    spec.kind = sp::FileKind::catalog;
    spec.columns = {{"item", sp::ValueType::string},
                    {"category", sp::ValueType::string},
                    {"title", sp::ValueType::string},
                    {"brand", sp::ValueType::string}};
    spec.columns.insert(spec.columns.end(), custom.begin(), custom.end());
    return spec;
}

sp::FileRecord loaded_record(const std::string& name, uint64_t rows, sp::FileKind kind,
                             sp::LoadMode mode) {
    sp::FileRecord record;
    record.name = name;
    record.sha256 = std::string(64, 'a');
    record.kind = kind;
    record.mode = mode;
    record.result = sp::FileResult::loaded;
    record.at_us = 1'700'000'000'000'000;
    record.rows = rows;
    record.bytes = 100;
    return record;
}

void append_lines(sp::LoadTransaction& load, const sp::LoadSpec& spec,
                  const std::vector<SaleLine>& lines) {
    const size_t custom = spec.columns.size() - sp::sales_fixed_columns;
    std::vector<sp::Value> row(spec.columns.size());
    for (const auto& line : lines) {
        for (auto& v : row) v = sp::Value{};
        for (size_t c = 0; c < 5; ++c) row[c].present = true;
        row[0].s = line.order;
        row[1].i = line.ts;
        row[2].u = line.customer;
        row[3].s = line.item;
        row[4].i = line.price;
        if (line.quantity) {
            row[5].present = true;
            row[5].i = *line.quantity;
        }
        for (size_t c = 0; c < custom; ++c) {
            sp::Value& v = row[sp::sales_fixed_columns + c];
            const bool text =
                spec.columns[sp::sales_fixed_columns + c].type == sp::ValueType::string;
            if (text && c < line.custom_text.size() && line.custom_text[c]) {
                v.present = true;
                v.s = *line.custom_text[c];
            } else if (!text && c < line.custom_int.size() && line.custom_int[c]) {
                v.present = true;
                v.i = *line.custom_int[c];
            }
        }
        load.append(row.data());
    }
}

void load_lines(sp::TenantStore& store, const std::vector<SaleLine>& lines, const std::string& name,
                sp::LoadMode mode) {
    const auto spec = sales_spec({}, mode);
    auto load = store.begin_load(spec);
    append_lines(*load, spec, lines);
    load->commit(loaded_record(name, lines.size(), sp::FileKind::sales, mode));
}

std::vector<std::vector<std::string>> query_text(sp::TenantStore& store, const std::string& sql,
                                                 const std::vector<sp::Value>& params) {
    std::vector<std::vector<std::string>> out;
    store.query(sql, params, [&](const sp::SqlRow& row) {
        std::vector<std::string> values;
        for (size_t c = 0; c < row.size(); ++c) {
            values.push_back(row.is_null(c) ? "NULL" : std::string(row.get_text(c)));
        }
        out.push_back(std::move(values));
    });
    return out;
}

uint64_t count_lines(sp::TenantStore& store) {
    uint64_t count = 0;
    store.query("SELECT count(*) FROM sales", {},
                [&](const sp::SqlRow& row) { count = static_cast<uint64_t>(row.get_int64(0)); });
    return count;
}

void LiveTest::SetUp() {
    admin_dsn = live_admin_dsn();
    if (admin_dsn.empty()) {
        GTEST_SKIP() << live_backend().dsn_env << " is not set: no " << live_backend().name
                     << " server to run the live tests against (tests/pg/start-postgres.sh "
                        "starts one; tests/run.sh does it for you)";
    }
    // ctest runs test processes in parallel against one server: names unique per process and
    // per test.
    static std::atomic<int> counter{0};
    prefix = "slt" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_";
    target = make_target();
}

void LiveTest::TearDown() {
    for (const auto& tenant : tenants) {
        try {
            target->drop(tenant);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "cannot drop tenant " << tenant << ": " << e.what();
        }
    }
}

std::unique_ptr<PgTarget> LiveTest::make_target(const nlohmann::json& extra) {
    nlohmann::json config = {{"admin_dsn", admin_dsn}, {"database_prefix", prefix}};
    for (const auto& [key, value] : extra.items()) config[key] = value;
    return live_backend().make(config, &host);
}

std::unique_ptr<sp::TenantStore> LiveTest::open(const std::string& tenant, PgTarget* on) {
    if (std::find(tenants.begin(), tenants.end(), tenant) == tenants.end()) {
        tenants.push_back(tenant);
    }
    return (on ? on : target.get())->open(tenant);
}

void LiveTest::admin_exec(const std::string& sql, const std::string& database) {
    std::string dsn = admin_dsn;
    if (!database.empty()) dsn += " dbname=" + database;
    Connection admin(connection_string(dsn, nullptr, 10, "sightline-test"), "test admin");
    pqxx::nontransaction tx(admin);
    tx.exec(sql);
}

}  // namespace sightline::target_pg::testing
