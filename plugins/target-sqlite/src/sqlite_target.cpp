#include "sqlite_target.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "db.hpp"
#include "schema.hpp"
#include "sql_functions.hpp"
#include "tenant_id.hpp"
#include "tenant_store.hpp"

namespace sightline::target_sqlite {

using sightline::plugin::Error;

namespace {

// 8 KiB pages make bulk loads and index builds ~15% cheaper than the default 4 KiB, without
// inflating the WAL of small loads much.
constexpr int64_t kPageSize = 8192;

void configure(Connection& db, const TargetConfig& config, int64_t page_size) {
    // First, so that the pragmas below already wait for a concurrent writer.
    sqlite3_busy_timeout(db.get(), static_cast<int>(config.busy_timeout_ms));
    // Takes effect only on a new, empty database (it is a no-op afterwards).
    db.exec("PRAGMA page_size = " + std::to_string(page_size));
    // WAL: readers keep their snapshot while a load writes, and a crash rolls back cleanly.
    const std::string mode = db.query_text("PRAGMA journal_mode = WAL");
    if (mode != "wal") {
        throw Error("cannot switch the " + db.label() + " database to WAL mode (got '" + mode +
                    "'); is the folder on a local file system?");
    }
    db.exec(config.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    // Negative cache_size means KiB. SQLite's sorter (index builds) also sorts runs of this size
    // in memory and merges them through temporary files: a modest cache keeps the process small
    // and, fitting better in the CPU caches, sorts faster than a big one. temp_store stays FILE:
    // with MEMORY those merge runs would grow the heap with the table.
    db.exec("PRAGMA cache_size = -" + std::to_string(config.cache_size_mib * 1024));
    // Index rebuilds after a large load sort with a helper thread: the host's second core is
    // otherwise idle while SQLite sorts.
    db.exec("PRAGMA threads = 2");
    register_sql_functions(db.get());
}

// SQLite creates files 0644; tenant data is for the service user only. The -wal and -shm files
// that SQLite creates later take the permissions of the database file.
bool create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
        return true;
    }
    if (errno == EEXIST) return false;
    throw Error("cannot create tenant database " + path + ": " + std::strerror(errno));
}

void check_tenant_id(const std::string& tenant) {
    if (!valid_tenant_id(tenant)) {
        throw Error("invalid tenant id '" + tenant + "' (expected [a-z0-9][a-z0-9_-]{0,63})");
    }
}

void remove_if_present(const std::string& path) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        throw Error("cannot remove " + path + ": " + std::strerror(errno));
    }
}

// The WAL first: a WAL left without its database would be replayed into the fresh database that
// the next open() creates. If this stops half-way, the database file is still there and it can
// simply run again.
void remove_database_files(const std::string& path) {
    remove_if_present(path + "-wal");
    remove_if_present(path + "-shm");
    remove_if_present(path + "-journal");
    remove_if_present(path);
}

// Makes the removals durable, so that a dropped tenant does not come back after a power loss.
void fsync_directory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw Error("cannot open the databases folder " + dir + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int saved = errno;
    ::close(fd);
    if (rc != 0)
        throw Error("cannot sync the databases folder " + dir + ": " + std::strerror(saved));
}

}  // namespace

SqliteTarget::SqliteTarget(TargetConfig config, sightline::plugin::HostServices* host)
    : config_(std::move(config)), host_(host) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(config_.dir, ec)) {
        fs::create_directories(config_.dir, ec);
        if (!ec) fs::permissions(config_.dir, fs::perms::owner_all, ec);
        if (ec)
            throw Error("cannot create the databases folder " + config_.dir + ": " + ec.message());
    }
}

std::string SqliteTarget::storage_name(const std::string& tenant) const {
    check_tenant_id(tenant);
    return database_path(tenant);
}

std::string SqliteTarget::database_path(const std::string& tenant) const {
    return config_.dir + "/" + tenant + ".sqlite";
}

std::string SqliteTarget::beside_path(const std::string& tenant) const {
    return config_.dir + "/" + tenant + ".beside.sqlite";
}

std::shared_ptr<Connection> SqliteTarget::connect(const std::string& path, const std::string& label,
                                                  int64_t page_size, bool& created) const {
    created = create_private_file(path);
    auto db = std::make_shared<Connection>(path, label);
    configure(*db, config_, page_size);
    migrate(*db);
    return db;
}

std::unique_ptr<sightline::plugin::TenantStore> SqliteTarget::open(const std::string& tenant) {
    check_tenant_id(tenant);
    const std::string path = database_path(tenant);
    bool created = false;
    auto db = connect(path, "tenant '" + tenant + "'", kPageSize, created);
    if (created && host_) {
        host_->log(sightline::plugin::LogLevel::info, "target.tenant_database_created",
                   {{"tenant", tenant}, {"path", path}});
    }
    return std::make_unique<SqliteTenantStore>(std::move(db));
}

}  // namespace sightline::target_sqlite

namespace sightline::target_sqlite {

void SqliteTarget::drop(const std::string& tenant) {
    check_tenant_id(tenant);
    const std::string path = database_path(tenant);
    remove_database_files(path);
    fsync_directory(config_.dir);
    if (host_) {
        host_->log(sightline::plugin::LogLevel::info, "target.tenant_database_dropped",
                   {{"tenant", tenant}, {"path", path}});
    }
}

std::unique_ptr<sightline::plugin::TenantStore> SqliteTarget::open_beside(
    const std::string& tenant) {
    check_tenant_id(tenant);
    discard_beside(tenant);  // a killed run's leftover: never replayed into
    // sqlite3_backup cannot change the page size of a database in WAL mode: the beside database
    // takes the tenant's (an old tenant database may have 4 KiB pages).
    int64_t page_size = kPageSize;
    if (::access(database_path(tenant).c_str(), F_OK) == 0) {
        Connection current(database_path(tenant), "tenant '" + tenant + "'");
        sqlite3_busy_timeout(current.get(), static_cast<int>(config_.busy_timeout_ms));
        page_size = current.query_int64("PRAGMA page_size", kPageSize);
    }
    bool created = false;
    auto db = connect(beside_path(tenant), "tenant '" + tenant + "' (beside)", page_size, created);
    // Until the swap nothing depends on this file, and a crash discards it: no syncs while the
    // restore fills it. The swap's own transaction on the tenant's database is synced as usual.
    db->exec("PRAGMA synchronous = OFF");
    return std::make_unique<SqliteTenantStore>(std::move(db));
}

void SqliteTarget::swap_beside(const std::string& tenant) {
    check_tenant_id(tenant);
    const std::string from = beside_path(tenant);
    const std::string label = "tenant '" + tenant + "'";
    if (::access(from.c_str(), F_OK) != 0)
        throw Error("sqlite: there is no database beside " + label + "'s to swap in (" + from +
                    ")");
    {
        Connection source(from, label + " (beside)");
        sqlite3_busy_timeout(source.get(), static_cast<int>(config_.busy_timeout_ms));
        if (source.query_int64("SELECT count(*) FROM sqlite_master WHERE name = 'incarnation'") !=
            1)
            throw Error("sqlite: the database beside " + label + "'s is not complete (" + from +
                        "); nothing was swapped");
        bool created = false;
        auto destination = connect(database_path(tenant), label, kPageSize, created);
        // One write transaction on the destination: every page of the source goes into the
        // tenant's WAL and commits at once. A kill before the commit leaves frames the WAL never
        // replays; readers (other processes) keep their snapshot until their next transaction;
        // the schema cookie changes, so their prepared statements are prepared again.
        sqlite3_backup* backup =
            sqlite3_backup_init(destination->get(), "main", source.get(), "main");
        if (!backup) destination->fail(sqlite3_errcode(destination->get()), "start the swap");
        const int rc = sqlite3_backup_step(backup, -1);
        const int finished = sqlite3_backup_finish(backup);
        if (rc != SQLITE_DONE) destination->fail(rc, "swap in the restored database");
        if (finished != SQLITE_OK) destination->fail(finished, "swap in the restored database");
        // Moves the copy from the WAL into the database file, so that the WAL does not stay the
        // size of the database. Readers may hold it back: then a later checkpoint finishes.
        destination->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    discard_beside(tenant);
    if (host_) {
        host_->log(sightline::plugin::LogLevel::info, "target.tenant_database_swapped",
                   {{"tenant", tenant}, {"path", database_path(tenant)}});
    }
}

void SqliteTarget::discard_beside(const std::string& tenant) {
    check_tenant_id(tenant);
    const std::string path = beside_path(tenant);
    if (::access(path.c_str(), F_OK) != 0 && ::access((path + "-wal").c_str(), F_OK) != 0) return;
    remove_database_files(path);
    fsync_directory(config_.dir);
}

}  // namespace sightline::target_sqlite
