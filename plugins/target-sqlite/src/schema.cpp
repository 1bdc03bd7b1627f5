#include "schema.hpp"

#include <string>

#include "sightline/plugin/api.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::ValueType;

namespace {

struct IndexDef {
    const char* name;
    const char* columns;
};

// The access paths of the segment language: per-customer history, time windows, item filters,
// orders as (customer, order id).
// Each index costs load time (a rebuild sorts every line), so there is no redundant one:
// (customer, order_id, ts) serves everything grouped per customer or per order (the universe,
// net order totals, first and last purchase) and, by its prefix, any lookup by customer;
// (ts) serves date ranges (reports, narrow windows); (item) the `purchased items` filter.
constexpr IndexDef kSaleLineIndexes[] = {
    {"sale_lines_customer_order", "customer, order_id, ts"},
    {"sale_lines_ts", "ts"},
    {"sale_lines_item", "item"},
};

// Step N brings a database from version N-1 to N. Version 1: the initial layout (plus the
// sale_lines indexes and the sales view, which migrate() creates from their single definitions
// below). Later versions append a step; a step runs once, in the same transaction that records
// the new version, so a version 1 database opened by this plugin runs only the steps after 1.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE files (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    kind    TEXT NOT NULL,     -- sales | catalog
    mode    TEXT NOT NULL,     -- incremental | full
    result  TEXT NOT NULL,     -- loading (inside a load only) | loaded | duplicate | refused
    at_us   INTEGER NOT NULL,  -- µs since the epoch, UTC
    rows    INTEGER NOT NULL,
    bytes   INTEGER NOT NULL,
    detail  TEXT NOT NULL
);
CREATE INDEX files_sha256 ON files(sha256);

CREATE TABLE custom_columns (
    name          TEXT PRIMARY KEY,
    type          TEXT NOT NULL,  -- string | integer | decimal | timestamp
    first_file_id INTEGER NOT NULL REFERENCES files(id)
);
CREATE TABLE catalog_custom_columns (
    name          TEXT PRIMARY KEY,
    type          TEXT NOT NULL,
    first_file_id INTEGER NOT NULL REFERENCES files(id)
);

CREATE TABLE sale_lines (
    id       INTEGER PRIMARY KEY,
    file_id  INTEGER NOT NULL REFERENCES files(id),
    order_id TEXT NOT NULL,
    ts       INTEGER NOT NULL,  -- µs since the epoch, UTC
    customer INTEGER NOT NULL,  -- unsigned id with the sign bit flipped: order-preserving
    item     TEXT NOT NULL,
    price    INTEGER NOT NULL,  -- millionths
    quantity INTEGER NOT NULL   -- millionths
);

CREATE TABLE catalog_items (
    item     TEXT PRIMARY KEY,
    category TEXT NOT NULL,  -- canonical: levels joined by '>', paths by '|'
    title    TEXT,
    brand    TEXT
);
CREATE TABLE catalog_categories (
    item TEXT NOT NULL REFERENCES catalog_items(item),
    path TEXT NOT NULL,  -- one category path of the item, e.g. 'Shoes>Running'
    PRIMARY KEY (item, path)
) WITHOUT ROWID;
CREATE INDEX catalog_categories_path ON catalog_categories(path, item);
)sql",
    // Version 2 (plugin API 1.1): selective deletions. The ids a deletion named are never kept
    // (they may be the very data a customer asked to have removed); the counts are.
    R"sql(
CREATE TABLE deletions (
    id            INTEGER PRIMARY KEY,   -- order of recording: deletions() returns them this way
    deletion_id   TEXT NOT NULL UNIQUE,  -- the host's id: replaying one twice would be a bug
    scope         TEXT NOT NULL,         -- customers | orders | time_range
    reason        TEXT NOT NULL,
    operator_name TEXT NOT NULL,
    at_us         INTEGER NOT NULL,      -- µs since the epoch, UTC
    lines         INTEGER NOT NULL,
    orders        INTEGER NOT NULL,      -- distinct (customer, order id) pairs
    customers     INTEGER NOT NULL,
    revenue       TEXT NOT NULL          -- exact decimal text, as in stats()
);
)sql",
    // Version 3 (plugin API 1.5): the incarnation of data_version(). A random 128-bit id made
    // when the step runs: on a new database (also the one open() creates after a drop) and once
    // on a database written by an older plugin. randomblob() draws from SQLite's PRNG, which is
    // seeded from the operating system's randomness.
    R"sql(
CREATE TABLE incarnation (
    id TEXT NOT NULL  -- 32 lowercase hex digits
);
INSERT INTO incarnation (id) VALUES (lower(hex(randomblob(16))));
)sql",
};

constexpr int kMigrationCount = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kMigrationCount == kSchemaVersion, "one migration step per schema version");

int current_version(Connection& db) {
    const bool has_table = db.query_int64(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
    return has_table ? static_cast<int>(db.query_int64("SELECT max(version) FROM schema_version"))
                     : 0;
}

// Pure SQL, so that the view works in a plain sqlite3 shell without this plugin's functions.
std::string decimal_text(const std::string& x) {
    return "CASE WHEN " + x + " IS NULL THEN NULL ELSE (CASE WHEN " + x +
           " < 0 THEN '-' ELSE '' END) || (abs(" + x + ") / 1000000) || (CASE WHEN abs(" + x +
           ") % 1000000 = 0 THEN '' ELSE '.' || rtrim(printf('%06d', abs(" + x +
           ") % 1000000), '0') END) END";
}

std::string timestamp_text(const std::string& x) {
    // Floor division, so that instants before 1970 get a non-negative fraction.
    const std::string micros = "((" + x + " % 1000000 + 1000000) % 1000000)";
    return "CASE WHEN " + x + " IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S', (" + x +
           " - " + micros + ") / 1000000, 'unixepoch') || (CASE WHEN " + micros +
           " = 0 THEN '' ELSE printf('.%06d', " + micros + ") END) || 'Z' END";
}

// stored = u - 2^63 as a signed number. For stored < 0 the id fits in int64. For stored >= 0 the
// id is 2^63 + stored, which does not: write it as (922337203685477580 + q) * 10 + (8 + r) with
// stored = 10q + r, carrying (8 + r) / 10 into the leading part. Every step stays below 2^63.
std::string customer_text(const std::string& x) {
    return "CASE WHEN " + x + " < 0 THEN CAST(" + x +
           " + 9223372036854775807 + 1 AS TEXT) ELSE CAST(922337203685477580 + " + x +
           " / 10 + (8 + " + x + " % 10) / 10 AS TEXT) || CAST((8 + " + x +
           " % 10) % 10 AS TEXT) END";
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

}  // namespace

void migrate(Connection& db) {
    if (current_version(db) == kSchemaVersion) return;

    db.exec("BEGIN IMMEDIATE");
    try {
        // Re-read under the write lock: another connection may have migrated meanwhile.
        db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        const int version = current_version(db);
        if (version > kSchemaVersion) {
            throw Error("the " + db.label() + " database has schema version " +
                        std::to_string(version) + "; this target-sqlite plugin knows up to " +
                        std::to_string(kSchemaVersion) + " (upgrade the plugin)");
        }
        for (int step = version; step < kSchemaVersion; ++step) db.exec(kMigrations[step]);
        if (version == 0) {
            create_sale_line_indexes(db);
            rebuild_sales_view(db, {});
        }
        db.exec("DELETE FROM schema_version");
        db.exec("INSERT INTO schema_version (version) VALUES (" + std::to_string(kSchemaVersion) +
                ")");
        db.exec("COMMIT");
    } catch (...) {
        rollback_quietly(db);
        throw;
    }
}

void drop_sale_line_indexes(Connection& db) {
    for (const auto& index : kSaleLineIndexes) {
        db.exec(std::string("DROP INDEX IF EXISTS ") + index.name);
    }
}

void create_sale_line_indexes(Connection& db) {
    for (const auto& index : kSaleLineIndexes) {
        db.exec(std::string("CREATE INDEX IF NOT EXISTS ") + index.name + " ON sale_lines(" +
                index.columns + ")");
    }
}

void rebuild_sales_view(Connection& db, const std::vector<Column>& custom) {
    std::string sql = "CREATE VIEW sales AS SELECT id, file_id, order_id AS \"order\", " +
                      timestamp_text("ts") + " AS timestamp, " + customer_text("customer") +
                      " AS customer, item, " + decimal_text("price") + " AS price, " +
                      decimal_text("quantity") + " AS quantity";
    for (const auto& column : custom) {
        const std::string name = quoted(column.name);
        switch (column.type) {
            case ValueType::decimal:
                sql += ", " + decimal_text(name) + " AS " + name;
                break;
            case ValueType::timestamp:
                sql += ", " + timestamp_text(name) + " AS " + name;
                break;
            default:
                sql += ", " + name;
                break;
        }
    }
    sql += " FROM sale_lines";
    db.exec("DROP VIEW IF EXISTS sales");
    db.exec(sql);
}

}  // namespace sightline::target_sqlite
