// A load that fails for a passing reason is retried with a doubling pause and lands exactly
// once, including when the failed attempt's commit did land before its connection dropped.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "sightline/core/history.hpp"
#include "sightline/core/pipeline.hpp"
#include "sightline/testing/harness.hpp"

namespace fs = std::filesystem;
using namespace sightline;

namespace {

class MemoryWriter : public plugin::ObjectWriter {
public:
    void write(const char*, size_t) override {}
    void commit(const std::string&) override {}
};

class MemoryArchive : public plugin::Archive {
public:
    std::map<std::string, std::vector<std::string>> entries;
    std::unique_ptr<plugin::ObjectWriter> create(const std::string&) override {
        return std::make_unique<MemoryWriter>();
    }
    std::unique_ptr<plugin::ObjectReader> open(const std::string&, const std::string&) override {
        throw plugin::Error("not kept");
    }
    bool contains(const std::string&, const std::string&) override { return false; }
    int cancels_to_refuse = 0;  // "cancelled" entries refused (disk full) this many times
    void append_history(const std::string& t, const std::string& json) override {
        if (cancels_to_refuse > 0 && json.find("\"type\":\"cancelled\"") != std::string::npos) {
            --cancels_to_refuse;
            throw plugin::Error("archive-fs: cannot write history.jsonl: No space left on device",
                                true);
        }
        entries[t].push_back(json);
    }
    std::vector<std::string> history(const std::string& t) override { return entries[t]; }
    std::vector<std::string> list(const std::string&) override { return {}; }
};

// The database's committed state, shared by every store of the fake target.
struct Database {
    std::vector<plugin::FileRecord> files;
    uint64_t lines = 0;
    int commits_to_fail = 0;           // commit() throws a transient error this many times
    bool failed_commit_lands = false;  // ... after the commit took effect (connection lost)
};

class FlakyLoad : public plugin::LoadTransaction {
public:
    explicit FlakyLoad(Database& db) : db_(db) {}
    void append(const plugin::Value*) override { ++rows_; }
    void commit(const plugin::FileRecord& record) override {
        if (db_.commits_to_fail > 0) {
            --db_.commits_to_fail;
            if (db_.failed_commit_lands) land(record);
            throw plugin::Error("server closed the connection unexpectedly", true);
        }
        land(record);
    }

private:
    void land(const plugin::FileRecord& record) {
        db_.files.push_back(record);
        db_.lines += rows_;
    }
    Database& db_;
    uint64_t rows_ = 0;
};

class FlakyStore : public plugin::TenantStore {
public:
    explicit FlakyStore(Database& db) : db_(db) {}
    std::optional<plugin::FileRecord> find_loaded(const std::string& sha) override {
        for (const auto& f : db_.files)
            if (f.sha256 == sha && f.result == plugin::FileResult::loaded) return f;
        return std::nullopt;
    }
    std::unique_ptr<plugin::LoadTransaction> begin_load(const plugin::LoadSpec&) override {
        return std::make_unique<FlakyLoad>(db_);
    }
    void record(const plugin::FileRecord& r) override { db_.files.push_back(r); }
    std::vector<plugin::FileRecord> history() override { return db_.files; }
    plugin::TenantStats stats() override { return {db_.lines, 0, "0", 0}; }
    std::vector<plugin::Column> custom_columns() override { return {}; }
    void scan_sales(const std::function<void(const plugin::Value*)>&) override {}
    void query(const std::string&, const std::vector<plugin::Value>&,
               const std::function<void(const plugin::SqlRow&)>&) override {}
    plugin::DeletionResult delete_lines(const plugin::DeletionRequest&) override { return {}; }
    std::vector<plugin::DeletionRecord> deletions() override { return {}; }

private:
    Database& db_;
};

class FlakyTarget : public plugin::Target {
public:
    Database db;
    std::string dialect() const override { return "sqlite"; }
    std::unique_ptr<plugin::TenantStore> open(const std::string&) override {
        return std::make_unique<FlakyStore>(db);
    }
    void drop(const std::string&) override { db = Database{}; }
};

class LoadRetry : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("sightline-retry-" + std::to_string(getpid()));
        fs::create_directories(dir);
        file = (dir / "sales.csv").string();
        std::ofstream(file) << "order,timestamp,customer,item,price\n"
                               "A1,2026-01-01,1,sku-1,10\nA2,2026-01-02,2,sku-2,20\n";
        log = std::make_unique<core::EventLog>("json", "debug", (dir / "log").string());
        pipeline = std::make_unique<core::Pipeline>(archive, target,
                                                    std::vector<core::TenantProfile>{{"acme"}},
                                                    *log, [this] { return now += 1000; });
        pipeline->set_retry({4, 1000000}, [this](int64_t us) { pauses.push_back(us); });
    }
    void TearDown() override { fs::remove_all(dir); }

    core::LoadReport load() {
        core::LoadRequest r;
        r.tenant = "acme";
        r.path = file;
        return pipeline->process(r);
    }
    size_t loaded_entries_not_cancelled() {
        std::vector<core::HistoryEntry> entries;
        for (size_t i = 0; i < archive.entries["acme"].size(); ++i)
            entries.push_back(core::parse_history_entry(archive.entries["acme"][i], i + 1));
        size_t n = 0;
        for (const auto& e : entries) {
            if (e.type != core::HistoryType::file || e.file.result != plugin::FileResult::loaded)
                continue;
            bool cancelled = false;
            for (const auto& c : entries)
                cancelled =
                    cancelled || (c.type == core::HistoryType::cancelled && c.cancels == e.id);
            n += cancelled ? 0 : 1;
        }
        return n;
    }

    fs::path dir;
    std::string file;
    int64_t now = 1'700'000'000'000'000;
    std::vector<int64_t> pauses;
    MemoryArchive archive;
    FlakyTarget target;
    std::unique_ptr<core::EventLog> log;
    std::unique_ptr<core::Pipeline> pipeline;
};

TEST_F(LoadRetry, TransientFailureIsRetriedWithDoublingPausesAndLandsOnce) {
    target.db.commits_to_fail = 2;
    const core::LoadReport report = load();
    EXPECT_EQ(report.outcome, plugin::UploadOutcome::loaded) << report.message;
    EXPECT_EQ(pauses, (std::vector<int64_t>{1000000, 2000000}));
    EXPECT_EQ(target.db.lines, 2u);
    EXPECT_EQ(target.db.files.size(), 1u);
    EXPECT_EQ(loaded_entries_not_cancelled(), 1u);  // a restore would replay it exactly once
}

TEST_F(LoadRetry, ACancelTheFullArchiveRefusedIsWrittenBeforeTheRetrysEntry) {
    // The commit fails and so does the archive's "cancelled" entry (one disk, full); the next
    // attempt cannot write it either, the third can: only then does it enter its own load.
    target.db.commits_to_fail = 1;
    archive.cancels_to_refuse = 2;
    const core::LoadReport report = load();
    EXPECT_EQ(report.outcome, plugin::UploadOutcome::loaded) << report.message;
    EXPECT_EQ(target.db.lines, 2u);
    EXPECT_EQ(loaded_entries_not_cancelled(), 1u);  // a restore replays the file once
    const auto& history = archive.entries["acme"];
    ASSERT_EQ(history.size(), 3u);  // loaded (failed attempt), its cancel, loaded (retry)
    EXPECT_NE(history[1].find("\"type\":\"cancelled\""), std::string::npos) << history[1];
}

TEST_F(LoadRetry, CommitThatLandedBeforeTheConnectionDroppedIsNotLoadedTwice) {
    target.db.commits_to_fail = 1;
    target.db.failed_commit_lands = true;
    const core::LoadReport report = load();
    EXPECT_EQ(report.outcome, plugin::UploadOutcome::loaded) << report.message;
    EXPECT_EQ(target.db.lines, 2u);
    EXPECT_EQ(target.db.files.size(), 1u);
    EXPECT_EQ(pauses.size(), 1u);
    EXPECT_EQ(loaded_entries_not_cancelled(), 1u);
}

TEST_F(LoadRetry, GivesUpAfterTheLastAttemptAndLeavesNothing) {
    target.db.commits_to_fail = 10;
    const core::LoadReport report = load();
    EXPECT_EQ(report.outcome, plugin::UploadOutcome::retry);
    EXPECT_NE(report.message.find("server closed the connection"), std::string::npos);
    EXPECT_EQ(pauses.size(), 3u);  // four attempts in all
    EXPECT_EQ(target.db.lines, 0u);
    EXPECT_EQ(loaded_entries_not_cancelled(), 0u);
}

// What a transport shows the tenant (intake-ftps's status notes) never holds the database's
// error text or a server path: a job id, which the log carries with the detail.
TEST_F(LoadRetry, TheTenantReadsAJobIdWhereTheLogHasTheDetail) {
    auto read_log = [this] {
        log->flush();
        std::ifstream in(dir / "log");
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    auto job_of = [](const std::string& message) {
        const auto at = message.find("job: ");
        return at == std::string::npos ? std::string() : message.substr(at + 5);
    };
    target.db.commits_to_fail = 10;
    plugin::Upload upload;
    upload.tenant = "acme";
    upload.path = file;
    upload.name = "sales.csv";
    const plugin::UploadResult failed = pipeline->submit(upload);
    EXPECT_EQ(failed.outcome, plugin::UploadOutcome::retry);
    EXPECT_EQ(failed.message.find("server closed the connection"), std::string::npos)
        << failed.message;
    const std::string job = job_of(failed.message);
    ASSERT_FALSE(job.empty()) << failed.message;
    std::string logged = read_log();
    EXPECT_NE(logged.find("\"job\":\"" + job + "\""), std::string::npos) << logged;
    EXPECT_NE(logged.find("server closed the connection"), std::string::npos);

    upload.path = (dir / "gone.csv").string();
    upload.name = "gone.csv";
    const plugin::UploadResult unreadable = pipeline->submit(upload);
    EXPECT_EQ(unreadable.outcome, plugin::UploadOutcome::refused);
    EXPECT_EQ(unreadable.message.find(dir.string()), std::string::npos) << unreadable.message;
    EXPECT_NE(unreadable.message.find("cannot read gone.csv"), std::string::npos)
        << unreadable.message;
    const std::string second = job_of(unreadable.message);
    EXPECT_FALSE(second.empty());
    EXPECT_NE(second, job);
    logged = read_log();
    EXPECT_NE(logged.find((dir / "gone.csv").string()), std::string::npos)
        << "the log keeps the path";
}

TEST_F(LoadRetry, PermanentFailureIsNotRetried) {
    struct BrokenTarget : FlakyTarget {
        std::unique_ptr<plugin::TenantStore> open(const std::string&) override {
            throw plugin::Error("permission denied for database", false);
        }
    } broken;
    core::Pipeline p(archive, broken, {{"acme"}}, *log, [this] { return now += 1000; });
    p.set_retry({4, 1000000}, [this](int64_t us) { pauses.push_back(us); });
    core::LoadRequest r;
    r.tenant = "acme";
    r.path = file;
    EXPECT_EQ(p.process(r).outcome, plugin::UploadOutcome::retry);
    EXPECT_TRUE(pauses.empty());
}

}  // namespace

namespace {

// The 1.1 features on a plugin built for 1.0: a clear refusal, never a call into a missing slot.
TEST(OlderPluginMinor, DeletionAndRestoreAreRefusedWithWhatToDo) {
    sightline::testing::Harness h(R"(version: 1
archive: {plugin: archive-fs, config: {root: "{dir}/archive"}}
target: {plugin: api-1-0-target}
tenants: [{id: acme}]
)",
                                  {SIGHTLINE_BUILD_PLUGIN_DIR, SIGHTLINE_TEST_PLUGIN_DIR});
    plugin::DeletionRequest d;
    d.customers = {1};
    d.reason = "test";
    try {
        h.delete_lines("acme", d);
        ADD_FAILURE() << "deletion ran on a 1.0 plugin";
    } catch (const plugin::Error& e) {
        EXPECT_NE(std::string(e.what()).find("built for 1.0: rebuild it against this SDK"),
                  std::string::npos)
            << e.what();
    }
    const auto r = h.restore("acme");
    EXPECT_FALSE(r.ok);
    EXPECT_NE(r.message.find("restore needs a plugin built for plugin API 1.1"), std::string::npos)
        << r.message;
}

}  // namespace
