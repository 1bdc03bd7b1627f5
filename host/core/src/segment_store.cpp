#include "sightline/core/segment_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <mutex>

#include "sightline/core/private_files.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::core {

using plugin::Error;

namespace {

// One SQLite file per tenant. Versions are only ever appended: the latest version of an id is
// the current definition (or its deletion).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS segment_versions (
    seq        INTEGER PRIMARY KEY,  -- order of recording
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL,
    definition TEXT NOT NULL,        -- canonical JSON; '' for a deletion
    author     TEXT NOT NULL,
    at_us      INTEGER NOT NULL,
    deleted    INTEGER NOT NULL,
    UNIQUE (id, version)
);
)sql";

class Db {
public:
    explicit Db(const std::string& path) {
        make_private_sqlite(path);
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK) {
            const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw Error("cannot open the segment store " + path + ": " + message);
        }
        sqlite3_busy_timeout(db_, 10000);  // another process (the CLI) may be writing
        exec("PRAGMA journal_mode = WAL");
        exec(kSchema);
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            const std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            throw Error("segment store: " + text);
        }
    }
    sqlite3* get() { return db_; }

private:
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement(Db& db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db.get(), sql, -1, &st_, nullptr) != SQLITE_OK)
            throw Error(std::string("segment store: ") + sqlite3_errmsg(db.get()));
    }
    ~Statement() { sqlite3_finalize(st_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& text) {
        sqlite3_bind_text(st_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, int64_t v) {
        sqlite3_bind_int64(st_, i, v);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw Error(std::string("segment store: ") + sqlite3_errmsg(db_.get()));
    }
    SegmentVersion version() const {
        SegmentVersion v;
        v.id = text(0);
        v.version = sqlite3_column_int64(st_, 1);
        v.definition_json = text(2);
        v.author = text(3);
        v.at_us = sqlite3_column_int64(st_, 4);
        v.deleted = sqlite3_column_int64(st_, 5) != 0;
        return v;
    }

private:
    std::string text(int c) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, c))) : "";
    }
    Db& db_;
    sqlite3_stmt* st_ = nullptr;
};

constexpr const char* kColumns = "id, version, definition, author, at_us, deleted";

// Runs fn inside BEGIN IMMEDIATE ... COMMIT (the write lock first, so that two writers never
// pick the same version number).
template <typename F>
auto in_transaction(Db& db, F&& fn) {
    db.exec("BEGIN IMMEDIATE");
    try {
        auto result = fn();
        db.exec("COMMIT");
        return result;
    } catch (...) {
        sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::optional<SegmentVersion> latest(Db& db, const std::string& id) {
    Statement st(db, (std::string("SELECT ") + kColumns +
                      " FROM segment_versions WHERE id = ?1 ORDER BY version DESC LIMIT 1")
                         .c_str());
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return st.version();
}

void insert(Db& db, const SegmentVersion& v) {
    Statement st(db,
                 "INSERT INTO segment_versions (id, version, definition, author, at_us, deleted) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    st.bind(1, v.id).bind(2, v.version).bind(3, v.definition_json).bind(4, v.author);
    st.bind(5, v.at_us).bind(6, static_cast<int64_t>(v.deleted ? 1 : 0));
    st.step();
}

}  // namespace

struct SegmentStore::Impl {
    std::string dir;
    std::mutex mutex;
    std::map<std::string, std::unique_ptr<Db>> open;

    Db& db(const std::string& tenant) {
        auto& slot = open[tenant];
        if (!slot) {
            make_private_folder(dir);
            slot = std::make_unique<Db>(dir + "/" + tenant + ".sqlite");
        }
        return *slot;
    }
};

SegmentStore::SegmentStore(std::string state_dir) : impl_(std::make_unique<Impl>()) {
    impl_->dir = std::move(state_dir) + "/segments";
}

SegmentStore::~SegmentStore() = default;

std::vector<SegmentVersion> SegmentStore::list(const std::string& tenant) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Db& db = impl_->db(tenant);
    Statement st(db, (std::string("SELECT ") + kColumns +
                      " FROM segment_versions v WHERE version = (SELECT max(version) FROM "
                      "segment_versions w WHERE w.id = v.id) AND deleted = 0 ORDER BY id")
                         .c_str());
    std::vector<SegmentVersion> out;
    while (st.step()) out.push_back(st.version());
    return out;
}

std::optional<SegmentVersion> SegmentStore::get(const std::string& tenant, const std::string& id) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    auto v = latest(impl_->db(tenant), id);
    if (v && v->deleted) return std::nullopt;
    return v;
}

SegmentVersion SegmentStore::put(const std::string& tenant, const std::string& id,
                                 const std::string& canonical_json, const std::string& author,
                                 int64_t at_us, bool* created) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Db& db = impl_->db(tenant);
    return in_transaction(db, [&] {
        const auto current = latest(db, id);
        if (current && !current->deleted && current->definition_json == canonical_json) {
            if (created) *created = false;
            return *current;
        }
        SegmentVersion v{id,   current ? current->version + 1 : 1, canonical_json, author, at_us,
                         false};
        insert(db, v);
        if (created) *created = true;
        return v;
    });
}

bool SegmentStore::remove(const std::string& tenant, const std::string& id,
                          const std::string& author, int64_t at_us) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Db& db = impl_->db(tenant);
    return in_transaction(db, [&] {
        const auto current = latest(db, id);
        if (!current || current->deleted) return false;
        insert(db, SegmentVersion{id, current->version + 1, "", author, at_us, true});
        return true;
    });
}

std::vector<SegmentVersion> SegmentStore::versions(const std::string& tenant,
                                                   const std::string& id) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Statement st(impl_->db(tenant), (std::string("SELECT ") + kColumns +
                                     " FROM segment_versions WHERE id = ?1 ORDER BY version")
                                        .c_str());
    st.bind(1, id);
    std::vector<SegmentVersion> out;
    while (st.step()) out.push_back(st.version());
    return out;
}

std::vector<SegmentVersion> SegmentStore::all_versions(const std::string& tenant) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Statement st(
        impl_->db(tenant),
        (std::string("SELECT ") + kColumns + " FROM segment_versions ORDER BY seq").c_str());
    std::vector<SegmentVersion> out;
    while (st.step()) out.push_back(st.version());
    return out;
}

size_t SegmentStore::import_versions(const std::string& tenant,
                                     const std::vector<SegmentVersion>& versions) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Db& db = impl_->db(tenant);
    return in_transaction(db, [&] {
        size_t added = 0;
        for (const auto& v : versions) {
            Statement find(db, (std::string("SELECT ") + kColumns +
                                " FROM segment_versions WHERE id = ?1 AND version = ?2")
                                   .c_str());
            find.bind(1, v.id).bind(2, v.version);
            if (find.step()) {
                const SegmentVersion have = find.version();
                if (have.definition_json != v.definition_json || have.deleted != v.deleted)
                    throw Error("segment '" + v.id + "' version " + std::to_string(v.version) +
                                " differs between the backup and the store; nothing was imported");
                continue;
            }
            insert(db, v);
            ++added;
        }
        return added;
    });
}

}  // namespace sightline::core
