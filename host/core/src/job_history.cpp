#include "sightline/core/job_history.hpp"

#include "sightline/core/private_files.hpp"
#include "sightline/core/timestamp.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <utility>

namespace sightline::core {

namespace {

// A prepared statement, finalized on every path out.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("job history: ") + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(std::string("job history: ") + sqlite3_errmsg(db_));
    }
    int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
    std::string text(int i) const {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
        return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))) : "";
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

std::string field(const plugin::LogFields& fields, const char* key) {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
}

int64_t number(const plugin::LogFields& fields, const char* key, int64_t otherwise = 0) {
    const std::string v = field(fields, key);
    if (v.empty()) return otherwise;
    try {
        return std::stoll(v);
    } catch (const std::exception&) {
        return otherwise;
    }
}

// A job as an event describes it; kind "" for events that are not jobs.
Job job_of(int64_t at_us, std::string_view name, const plugin::LogFields& f) {
    Job job;
    job.tenant = field(f, "tenant");
    job.started_us = job.finished_us = at_us;
    job.plugin = field(f, "plugin");
    job.operator_name = field(f, "operator");
    job.ref = field(f, "job");
    job.status = "ok";
    auto ran_for = [&](int64_t micros) { job.started_us = at_us - std::max<int64_t>(0, micros); };
    if (name.rfind("load.", 0) == 0) {
        job.kind = "load";
        job.file = field(f, "file");
        job.rows = static_cast<uint64_t>(number(f, "rows"));
        job.bytes = static_cast<uint64_t>(number(f, "bytes"));
        ran_for(number(f, "duration_ms") * 1000);
        if (name == "load.started") {
            job.status = "running";
            job.finished_us = 0;
        } else if (name == "load.duplicate") {
            job.status = "duplicate";
        } else if (name == "load.refused") {
            job.status = "refused";
            // The refusal's reason and first position: error texts may quote cells.
            job.detail = field(f, "reason");
            if (!field(f, "first_error_line").empty())
                job.detail += "; first at line " + field(f, "first_error_line") + " column " +
                              field(f, "first_error_column");
            if (!field(f, "first_error_column_name").empty())
                job.detail += " (" + field(f, "first_error_column_name") + ")";
        } else if (name == "load.failed") {
            job.status = "failed";
            job.detail = field(f, "reason");
        } else if (name != "load.finished") {
            job.kind.clear();  // load.retrying
        }
        if (!field(f, "why").empty())
            job.detail += (job.detail.empty() ? "" : "; ") + field(f, "why");
        if (!field(f, "account").empty() && job.operator_name.empty())
            job.operator_name = field(f, "account");
    } else if (name == "delete.done" || name == "delete.failed") {
        job.kind = "deletion";
        job.file = field(f, "scope");
        job.rows = static_cast<uint64_t>(number(f, "lines"));
        job.detail = field(f, "reason");
        if (name == "delete.failed") {
            job.status = "failed";
            job.detail += "; failed: " + field(f, "reason_failed");
        }
    } else if (name == "restore.started" || name == "restore.finished" ||
               name == "restore.failed") {
        job.kind = "restore";
        job.file = field(f, "into");
        job.rows = static_cast<uint64_t>(number(f, "rows"));
        job.bytes = static_cast<uint64_t>(number(f, "bytes"));
        if (name == "restore.started") {
            job.status = "running";
            job.finished_us = 0;
        } else if (name == "restore.failed") {
            job.status = "failed";
            job.detail = field(f, "reason");
        } else {
            ran_for(number(f, "duration_ms") * 1000);
            job.detail = field(f, "files") + " files, " + field(f, "deletions") + " deletions";
        }
        if (!field(f, "why").empty()) job.detail += "; " + field(f, "why");
    } else if (name == "segment.evaluated") {
        // Cached answers repeat an earlier evaluation: not a job of their own.
        if (field(f, "cached") == "true") return job;
        job.kind = "segment_evaluation";
        job.file = field(f, "segment");
        job.plugin = field(f, "evaluator");
        job.count = number(f, "customers", -1);
        ran_for(number(f, "duration_us"));
    } else if (name == "segment.changed") {
        job.kind = "segment_change";
        job.file = field(f, "segment");
        job.detail = field(f, "change");
        if (!field(f, "version").empty()) job.detail += " version " + field(f, "version");
        if (!field(f, "reason").empty()) job.detail += ": " + field(f, "reason");
    } else if (name == "segments.restored") {
        job.kind = "segment_change";
        job.file = field(f, "name");
        job.detail = "restored " + field(f, "imported") + " versions from the backup";
    } else if (name == "segments.backup" || name == "segments.backup_failed") {
        job.kind = "backup";
        job.file = field(f, "name");
        if (name == "segments.backup_failed") {
            job.status = "failed";
            job.detail = field(f, "reason");
        } else {
            job.detail = field(f, "versions") + " segment definition versions";
        }
    } else if (name == "report.served") {
        job.kind = "report";
        job.file = field(f, "report");
        job.operator_name = field(f, "principal");
        ran_for(number(f, "duration_ms") * 1000);
    }
    return job;
}

const char* const kColumns =
    "id, kind, tenant, status, started_us, finished_us, rows, bytes, file, detail, "
    "operator, plugin, count, ref";

Job read_job(const Statement& s) {
    Job j;
    j.id = s.integer(0);
    j.kind = s.text(1);
    j.tenant = s.text(2);
    j.status = s.text(3);
    j.started_us = s.integer(4);
    j.finished_us = s.integer(5);
    j.rows = static_cast<uint64_t>(s.integer(6));
    j.bytes = static_cast<uint64_t>(s.integer(7));
    j.file = s.text(8);
    j.detail = s.text(9);
    j.operator_name = s.text(10);
    j.plugin = s.text(11);
    j.count = s.integer(12);
    j.ref = s.text(13);
    return j;
}

}  // namespace

std::string JobHistory::path_in(const std::string& state_dir) {
    return (std::filesystem::path(state_dir) / "jobs.sqlite").string();
}

JobHistory::JobHistory(const std::string& path) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) make_private_folder(parent.string());
    make_private_sqlite(path);
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error("job history: cannot open " + path + ": " + why);
    }
    sqlite3_busy_timeout(db_, 10000);  // `serve` and CLI commands write at once
    try {
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec(
            "CREATE TABLE IF NOT EXISTS jobs ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, tenant TEXT NOT NULL,"
            " status TEXT NOT NULL, started_us INTEGER NOT NULL,"
            " finished_us INTEGER NOT NULL DEFAULT 0, rows INTEGER NOT NULL DEFAULT 0,"
            " bytes INTEGER NOT NULL DEFAULT 0, file TEXT NOT NULL DEFAULT '',"
            " detail TEXT NOT NULL DEFAULT '', operator TEXT NOT NULL DEFAULT '',"
            " plugin TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL DEFAULT -1);"
            "CREATE INDEX IF NOT EXISTS jobs_started ON jobs (started_us);"
            "CREATE INDEX IF NOT EXISTS jobs_tenant ON jobs (tenant, kind, started_us);");
        add_ref_column();
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

JobHistory::~JobHistory() { sqlite3_close(db_); }

// Histories written before job ids were recorded gain the column; their rows keep ''.
void JobHistory::add_ref_column() {
    bool present = false;
    {
        Statement columns(db_, "SELECT name FROM pragma_table_info('jobs')");
        while (columns.step()) present = present || columns.text(0) == "ref";
    }
    if (present) return;
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, "ALTER TABLE jobs ADD COLUMN ref TEXT NOT NULL DEFAULT ''",
                                nullptr, nullptr, &error);
    const std::string why = error ? error : "";
    sqlite3_free(error);
    // Another process may have added it between the look and the change.
    if (rc != SQLITE_OK && why.find("duplicate column") == std::string::npos)
        throw std::runtime_error("job history: " + why);
}

void JobHistory::exec(const char* sql) const {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string why = error ? error : "unknown error";
        sqlite3_free(error);
        throw std::runtime_error("job history: " + why);
    }
}

void JobHistory::on_event(int64_t at_us, plugin::LogLevel, std::string_view name,
                          const plugin::LogFields& fields) {
    const Job job = job_of(at_us, name, fields);
    if (job.kind.empty()) return;
    if (job.status == "running")
        insert(job);
    else
        finish(job);
}

int64_t JobHistory::insert(const Job& j) {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_,
                "INSERT INTO jobs (kind, tenant, status, started_us, finished_us, rows, bytes,"
                " file, detail, operator, plugin, count, ref)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, j.kind).bind(2, j.tenant).bind(3, j.status).bind(4, j.started_us);
    s.bind(5, j.finished_us).bind(6, static_cast<int64_t>(j.rows));
    s.bind(7, static_cast<int64_t>(j.bytes)).bind(8, j.file).bind(9, j.detail);
    s.bind(10, j.operator_name).bind(11, j.plugin).bind(12, j.count).bind(13, j.ref);
    s.step();
    return sqlite3_last_insert_rowid(db_);
}

void JobHistory::finish(const Job& j) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        Statement find(db_,
                       "SELECT id, started_us, operator FROM jobs WHERE kind = ? AND tenant = ?"
                       " AND file = ? AND status = 'running' ORDER BY id DESC LIMIT 1");
        find.bind(1, j.kind).bind(2, j.tenant).bind(3, j.file);
        if (find.step()) {
            const int64_t id = find.integer(0);
            Statement update(db_,
                             "UPDATE jobs SET status = ?, finished_us = ?, rows = ?, bytes = ?,"
                             " detail = ?, count = ?,"
                             " operator = CASE WHEN ? = '' THEN operator ELSE ? END,"
                             " plugin = CASE WHEN ? = '' THEN plugin ELSE ? END WHERE id = ?");
            update.bind(1, j.status).bind(2, j.finished_us);
            update.bind(3, static_cast<int64_t>(j.rows)).bind(4, static_cast<int64_t>(j.bytes));
            update.bind(5, j.detail).bind(6, j.count);
            update.bind(7, j.operator_name).bind(8, j.operator_name);
            update.bind(9, j.plugin).bind(10, j.plugin).bind(11, id);
            update.step();
            return;
        }
    }
    insert(j);
}

std::vector<Job> JobHistory::list(const JobQuery& q) const {
    std::string sql = std::string("SELECT ") + kColumns + " FROM jobs WHERE started_us >= ?";
    if (!q.tenant.empty()) sql += " AND tenant = ?";
    if (!q.kind.empty()) sql += " AND kind = ?";
    if (!q.ref.empty()) sql += " AND ref = ?";
    if (q.failed_only) sql += " AND status IN ('refused', 'failed')";
    sql += " ORDER BY started_us DESC, id DESC LIMIT ?";
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, sql.c_str());
    int i = 1;
    s.bind(i++, q.since_us);
    if (!q.tenant.empty()) s.bind(i++, q.tenant);
    if (!q.kind.empty()) s.bind(i++, q.kind);
    if (!q.ref.empty()) s.bind(i++, q.ref);
    s.bind(i++, static_cast<int64_t>(q.limit));
    std::vector<Job> out;
    while (s.step()) out.push_back(read_job(s));
    return out;
}

std::vector<SegmentSize> JobHistory::segment_sizes(const std::string& tenant,
                                                   const std::string& segment,
                                                   int64_t since_us) const {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_,
                "SELECT finished_us, count FROM jobs WHERE kind = 'segment_evaluation'"
                " AND tenant = ? AND file = ? AND started_us >= ? AND count >= 0"
                " ORDER BY finished_us, id");
    s.bind(1, tenant).bind(2, segment).bind(3, since_us);
    std::vector<SegmentSize> out;
    while (s.step()) out.push_back({s.integer(0), s.integer(1)});
    return out;
}

nlohmann::json job_json(const Job& j) {
    nlohmann::json out = {{"id", j.id},
                          {"kind", j.kind},
                          {"tenant", j.tenant},
                          {"status", j.status},
                          {"started", format_timestamp(j.started_us)},
                          {"started_us", j.started_us},
                          {"finished", nullptr},
                          {"finished_us", j.finished_us},
                          {"rows", j.rows},
                          {"bytes", j.bytes},
                          {"file", j.file},
                          {"detail", j.detail},
                          {"operator", j.operator_name},
                          {"plugin", j.plugin},
                          {"count", nullptr},
                          {"job", j.ref}};
    if (j.finished_us) out["finished"] = format_timestamp(j.finished_us);
    if (j.count >= 0) out["count"] = j.count;
    return out;
}

}  // namespace sightline::core
