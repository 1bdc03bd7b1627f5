// The store of member lists behind evaluation tokens (member_lists.hpp).
#include "sightline/core/member_lists.hpp"

#include <openssl/rand.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <mutex>

#include "sightline/core/private_files.hpp"
#include "sightline/core/sha256.hpp"
#include "sightline/plugin/api.hpp"

namespace sightline::core {

using plugin::Error;

namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000LL;

// Lists are rows of their own so that equal lists (a segment asked again, unchanged) share one.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS lists (
    list_id INTEGER PRIMARY KEY,
    tenant  TEXT NOT NULL,
    digest  TEXT NOT NULL,   -- SHA-256 of members, to find an equal list
    members BLOB NOT NULL    -- encode_members
);
CREATE INDEX IF NOT EXISTS lists_by_digest ON lists (tenant, digest);
CREATE TABLE IF NOT EXISTS evaluations (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of recording
    token       TEXT NOT NULL UNIQUE,
    tenant      TEXT NOT NULL,
    segment     TEXT NOT NULL,
    as_of_us    INTEGER NOT NULL,
    recorded_us INTEGER NOT NULL,
    evaluator   TEXT NOT NULL,
    scrubbed    INTEGER NOT NULL DEFAULT 0,
    list_id     INTEGER NOT NULL,
    -- recorded by `changes`: the evaluation it was diffed from (its later pages need that list)
    since_token    TEXT,
    since_as_of_us INTEGER,
    since_list_id  INTEGER,
    since_scrubbed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS evaluations_by_segment ON evaluations (tenant, segment, seq);
CREATE INDEX IF NOT EXISTS evaluations_by_age ON evaluations (recorded_us);
CREATE INDEX IF NOT EXISTS evaluations_by_list ON evaluations (list_id);
CREATE INDEX IF NOT EXISTS evaluations_by_since_list ON evaluations (since_list_id);
)sql";

class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK)
            throw Error(std::string("member lists: ") + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(st_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& text) {
        sqlite3_bind_text(st_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind_blob(int i, const std::string& bytes) {
        sqlite3_bind_blob(st_, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
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
        throw Error(std::string("member lists: ") + sqlite3_errmsg(db_));
    }
    int64_t integer(int c) const { return sqlite3_column_int64(st_, c); }
    std::string text(int c) const {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st_, c));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, c))) : "";
    }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

std::string new_token() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw Error("member lists: the random number generator failed");
    static const char* hex = "0123456789abcdef";
    std::string token;
    for (const unsigned char b : bytes) {
        token += hex[b >> 4];
        token += hex[b & 15];
    }
    return token;
}

constexpr const char* kSelectEvaluations =
    "SELECT e.token, e.tenant, e.segment, e.as_of_us, e.recorded_us, e.evaluator, e.scrubbed, "
    "l.members, e.since_token, e.since_as_of_us, e.since_scrubbed, s.members FROM evaluations e "
    "JOIN lists l ON l.list_id = e.list_id LEFT JOIN lists s ON s.list_id = e.since_list_id ";

std::vector<uint64_t> decode_stored(const std::string& bytes) {
    try {
        return decode_members(bytes);
    } catch (const std::exception& e) {
        throw Error(std::string("member lists: ") + e.what());
    }
}

StoredMembers read_evaluation(const Statement& st) {
    StoredMembers m;
    m.token = st.text(0);
    m.tenant = st.text(1);
    m.segment = st.text(2);
    m.as_of_us = st.integer(3);
    m.recorded_us = st.integer(4);
    m.evaluator = st.text(5);
    m.scrubbed = st.integer(6) != 0;
    m.customers = decode_stored(st.text(7));
    m.since_token = st.text(8);
    if (!m.since_token.empty()) {
        m.since_as_of_us = st.integer(9);
        m.since_scrubbed = st.integer(10) != 0;
        m.since_customers = decode_stored(st.text(11));
    }
    return m;
}

}  // namespace

struct MemberLists::Impl {
    std::string folder;
    std::string path;
    Clock clock;
    std::mutex mutex;
    sqlite3* db = nullptr;

    ~Impl() { sqlite3_close(db); }

    void exec(const char* sql) {
        char* message = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
            const std::string text = message ? message : "unknown error";
            sqlite3_free(message);
            throw Error("member lists " + path + ": " + text);
        }
    }

    void open() {
        if (db) return;
        make_private_folder(folder);
        make_private_sqlite(path);
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                            nullptr) != SQLITE_OK) {
            const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
            sqlite3_close(db);
            db = nullptr;
            throw Error("cannot open the member lists " + path + ": " + message);
        }
        try {
            sqlite3_busy_timeout(db, 10000);  // the CLI's deletions write here too
            // Freed pages are zeroed, and the rollback journal (which holds old pages while a
            // change commits) is deleted after it: a removed list or customer leaves no copy.
            exec("PRAGMA secure_delete = ON");
            exec("PRAGMA journal_mode = DELETE");
            exec(kSchema);
        } catch (...) {
            sqlite3_close(db);
            db = nullptr;
            throw;
        }
    }

    // Runs fn inside BEGIN IMMEDIATE ... COMMIT.
    template <typename F>
    auto in_transaction(F&& fn) {
        exec("BEGIN IMMEDIATE");
        try {
            auto result = fn();
            exec("COMMIT");
            return result;
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

    // Drops the evaluations `settings` no longer keeps: every tenant's older than `days`, and of
    // (tenant, segment) all but the last `keep`; then the lists no evaluation names.
    void expire(const std::string& tenant, const std::string& segment,
                const MemberListSettings& settings) {
        Statement old(db, "DELETE FROM evaluations WHERE recorded_us < ?1");
        old.bind(1, clock() - static_cast<int64_t>(settings.days) * kMicrosPerDay).step();
        Statement surplus(db,
                          "DELETE FROM evaluations WHERE tenant = ?1 AND segment = ?2 AND seq < "
                          "(SELECT seq FROM evaluations WHERE tenant = ?1 AND segment = ?2 "
                          "ORDER BY seq DESC LIMIT 1 OFFSET ?3)");
        surplus.bind(1, tenant).bind(2, segment);
        surplus.bind(3, static_cast<int64_t>(settings.keep - 1)).step();
        exec(
            "DELETE FROM lists WHERE list_id NOT IN (SELECT list_id FROM evaluations) AND "
            "list_id NOT IN (SELECT since_list_id FROM evaluations WHERE since_list_id "
            "IS NOT NULL)");
    }

    int64_t list_for(const std::string& tenant, const std::string& bytes) {
        const std::string digest = sha256_hex(bytes);
        Statement same(db,
                       "SELECT list_id FROM lists WHERE tenant = ?1 AND digest = ?2 AND "
                       "members = ?3 LIMIT 1");
        same.bind(1, tenant).bind(2, digest).bind_blob(3, bytes);
        if (same.step()) return same.integer(0);
        Statement insert(db, "INSERT INTO lists (tenant, digest, members) VALUES (?1, ?2, ?3)");
        insert.bind(1, tenant).bind(2, digest).bind_blob(3, bytes).step();
        return sqlite3_last_insert_rowid(db);
    }
};

MemberLists::MemberLists(std::string state_dir, Clock clock) : impl_(std::make_unique<Impl>()) {
    impl_->folder = state_dir + "/member_lists";
    impl_->path = impl_->folder + "/member_lists.sqlite";
    impl_->clock = std::move(clock);
}

MemberLists::~MemberLists() = default;

const std::string& MemberLists::path() const { return impl_->path; }

std::string MemberLists::record(const std::string& tenant, const std::string& segment,
                                const std::vector<uint64_t>& customers, int64_t as_of_us,
                                const std::string& evaluator, const MemberListSettings& settings,
                                const StoredMembers* since) {
    const std::string bytes = encode_members(customers);
    const std::string since_bytes = since ? encode_members(since->customers) : "";
    const std::string token = new_token();
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->open();
    return impl_->in_transaction([&] {
        const int64_t list_id = impl_->list_for(tenant, bytes);
        Statement insert(
            impl_->db,
            "INSERT INTO evaluations (token, tenant, segment, as_of_us, "
            "recorded_us, evaluator, list_id, since_token, since_as_of_us, "
            "since_list_id, since_scrubbed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
            "?10, ?11)");
        insert.bind(1, token).bind(2, tenant).bind(3, segment).bind(4, as_of_us);
        insert.bind(5, impl_->clock()).bind(6, evaluator).bind(7, list_id);
        if (since) {
            // Found again by content when expiry removed it since it was read.
            insert.bind(8, since->token).bind(9, since->as_of_us);
            insert.bind(10, impl_->list_for(tenant, since_bytes));
            insert.bind(11, static_cast<int64_t>(since->scrubbed ? 1 : 0));
        } else {
            insert.bind(11, int64_t{0});
        }
        insert.step();
        impl_->expire(tenant, segment, settings);
        return token;
    });
}

std::string MemberLists::record_or_reuse(const std::string& tenant, const std::string& segment,
                                         const std::vector<uint64_t>& customers, int64_t as_of_us,
                                         const std::string& evaluator,
                                         const MemberListSettings& settings) {
    {
        const std::string bytes = encode_members(customers);
        std::lock_guard<std::mutex> lock(impl_->mutex);
        impl_->open();
        impl_->expire(tenant, segment, settings);
        Statement newest(impl_->db,
                         "SELECT e.token FROM evaluations e JOIN lists l ON l.list_id = "
                         "e.list_id WHERE e.tenant = ?1 AND e.segment = ?2 AND e.as_of_us = ?3 "
                         "AND e.seq = (SELECT MAX(seq) FROM evaluations WHERE tenant = ?1 AND "
                         "segment = ?2) AND l.members = ?4");
        newest.bind(1, tenant).bind(2, segment).bind(3, as_of_us).bind_blob(4, bytes);
        if (newest.step()) return newest.text(0);
    }
    return record(tenant, segment, customers, as_of_us, evaluator, settings);
}

MemberLists::Lookup MemberLists::find(const std::string& tenant, const std::string& segment,
                                      const std::string& token,
                                      const MemberListSettings& settings) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->open();
    return impl_->in_transaction([&] {
        {
            Statement owner(impl_->db, "SELECT tenant, segment FROM evaluations WHERE token = ?1");
            owner.bind(1, token);
            if (!owner.step()) return Lookup{Found::gone, std::nullopt};
            if (owner.text(0) != tenant || owner.text(1) != segment)
                return Lookup{Found::foreign, std::nullopt};
        }
        impl_->expire(tenant, segment, settings);
        Statement st(impl_->db, (std::string(kSelectEvaluations) + "WHERE e.token = ?1").c_str());
        st.bind(1, token);
        if (!st.step()) return Lookup{Found::gone, std::nullopt};
        return Lookup{Found::yes, read_evaluation(st)};
    });
}

size_t MemberLists::remove_customers(const std::string& tenant, std::vector<uint64_t> customers) {
    std::sort(customers.begin(), customers.end());
    customers.erase(std::unique(customers.begin(), customers.end()), customers.end());
    std::lock_guard<std::mutex> lock(impl_->mutex);
    // Nothing recorded yet: no file is made (a deletion may run as another user than serve).
    std::error_code missing;
    if (!impl_->db && !std::filesystem::exists(impl_->path, missing)) return size_t{0};
    impl_->open();
    return impl_->in_transaction([&] {
        std::vector<int64_t> lists;  // one list in memory at a time: they can be large
        {
            Statement st(impl_->db, "SELECT list_id FROM lists WHERE tenant = ?1");
            st.bind(1, tenant);
            while (st.step()) lists.push_back(st.integer(0));
        }
        size_t changed = 0;
        for (const int64_t list_id : lists) {
            std::vector<uint64_t> members;
            try {
                Statement read(impl_->db, "SELECT members FROM lists WHERE list_id = ?1");
                read.bind(1, list_id).step();
                members = decode_members(read.text(0));
            } catch (const std::exception&) {
                // Unreadable: it cannot be cleaned, so it goes (its tokens answer 410).
                Statement drop(impl_->db,
                               "DELETE FROM evaluations WHERE list_id = ?1 OR since_list_id = ?1");
                drop.bind(1, list_id).step();
                Statement gone(impl_->db, "DELETE FROM lists WHERE list_id = ?1");
                gone.bind(1, list_id).step();
                ++changed;
                continue;
            }
            std::vector<uint64_t> kept;
            kept.reserve(members.size());
            std::set_difference(members.begin(), members.end(), customers.begin(), customers.end(),
                                std::back_inserter(kept));
            if (kept.size() == members.size()) continue;
            const std::string cleaned = encode_members(kept);
            Statement update(impl_->db,
                             "UPDATE lists SET members = ?2, digest = ?3 WHERE list_id = ?1");
            update.bind(1, list_id).bind_blob(2, cleaned).bind(3, sha256_hex(cleaned)).step();
            Statement mark(impl_->db, "UPDATE evaluations SET scrubbed = 1 WHERE list_id = ?1");
            mark.bind(1, list_id).step();
            Statement mark_since(
                impl_->db, "UPDATE evaluations SET since_scrubbed = 1 WHERE since_list_id = ?1");
            mark_since.bind(1, list_id).step();
            ++changed;
        }
        return changed;
    });
}

std::vector<StoredMembers> MemberLists::stored(const std::string& tenant,
                                               const std::string& segment) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->open();
    Statement st(impl_->db, (std::string(kSelectEvaluations) +
                             "WHERE e.tenant = ?1 AND e.segment = ?2 ORDER BY e.seq")
                                .c_str());
    st.bind(1, tenant).bind(2, segment);
    std::vector<StoredMembers> out;
    while (st.step()) out.push_back(read_evaluation(st));
    return out;
}

}  // namespace sightline::core
