// Snapshot files: written after each build (0600, named by a hash of the tenant id), opened by
// the next process when their data version is the store's, and refused with a log line, then
// rebuilt and replaced, when they are corrupt, truncated, of another format or another version.
// After a deletion no file still holds the deleted lines.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "columnar_evaluator.hpp"
#include "fake_store.hpp"
#include "sightline/testing/plugin_testing.hpp"
#include "snapshot_file.hpp"

namespace sightline::evaluator_columnar::testing {
namespace {

using Ids = std::vector<uint64_t>;

std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_all(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

class Persistence : public ::testing::Test {
protected:
    Persistence() : data_(generated_columns()) {
        data_.set_catalog(random_catalog());
        std::mt19937_64 rng(11);
        lines_ = random_lines(rng, 300);
        data_.load(lines_);
        rule_.kind = sg::RuleKind::any;
        rule_.rules.resize(2);
        rule_.rules[0].kind = sg::RuleKind::lifecycle;
        rule_.rules[0].stage = sg::Stage::active;
        rule_.rules[1].kind = sg::RuleKind::field;
        rule_.rules[1].field = {"s_channel", sp::ValueType::string, sg::FieldOp::eq, {{"web", 0}}};
    }

    Ids evaluate(ColumnarEvaluator& e) {
        sp::EvaluationRequest request;
        request.rule = &rule_;
        request.as_of_us = kBase;
        request.tenant = "acme";
        auto store = data_.open();
        return e.evaluate(request, *store).customers;
    }

    // A fresh evaluator (a new process) on the same state folder.
    std::unique_ptr<ColumnarEvaluator> process() {
        return std::make_unique<ColumnarEvaluator>(ColumnarConfig{}, &host_);
    }

    // The answer of a process that built from scratch and wrote its file.
    Ids written() {
        auto first = process();
        const Ids ids = evaluate(*first);
        path_ = first->snapshots().file_for("acme");
        EXPECT_TRUE(std::filesystem::exists(path_));
        return ids;
    }

    // A new process refuses the file (logging why), rebuilds, answers right and replaces it.
    void expect_refused(const Ids& expected, const std::string& why) {
        const size_t logs = host_.logs("columnar_snapshot_file_refused").size();
        auto next = process();
        EXPECT_EQ(evaluate(*next), expected);
        EXPECT_EQ(next->snapshots().last_source("acme"), "built");
        const auto refused = host_.logs("columnar_snapshot_file_refused");
        ASSERT_EQ(refused.size(), logs + 1);
        EXPECT_NE(refused.back().fields.at("detail").find(why), std::string::npos)
            << refused.back().fields.at("detail");
        auto again = process();
        EXPECT_EQ(evaluate(*again), expected);
        EXPECT_EQ(again->snapshots().last_source("acme"), "opened") << "the file was replaced";
    }

    sightline::testing::FakeHost host_;
    FakeData data_;
    std::vector<Line> lines_;
    sg::Rule rule_;
    std::string path_;
};

TEST_F(Persistence, TheNextProcessOpensTheFileInsteadOfScanning) {
    const Ids ids = written();
    EXPECT_FALSE(ids.empty());
    struct stat st {};
    ASSERT_EQ(::stat(path_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(path_.find("acme"), std::string::npos) << "file names never hold tenant ids";
    const int scans = data_.full_scans.load();
    auto next = process();
    EXPECT_EQ(evaluate(*next), ids);
    EXPECT_EQ(next->snapshots().last_source("acme"), "opened");
    EXPECT_EQ(data_.full_scans.load(), scans);
    // No temporary files are left behind.
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(host_.state_dir())) {
        (void)entry;
        ++files;
    }
    EXPECT_EQ(files, 1u);
}

TEST_F(Persistence, AnOpenedSnapshotEqualsTheBuiltOneByteForByte) {
    written();
    std::string why;
    const SnapshotPtr opened = read_snapshot_file(path_, why);
    ASSERT_TRUE(opened) << why;
    EXPECT_EQ(encode_snapshot(*opened), read_all(path_));
    EXPECT_EQ(opened->version, data_.open()->data_version());
}

TEST_F(Persistence, AFlippedByteIsRefused) {
    const Ids ids = written();
    std::string bytes = read_all(path_);
    bytes[bytes.size() / 2] ^= 0x10;
    write_all(path_, bytes);
    expect_refused(ids, "checksum");
}

TEST_F(Persistence, ATruncatedFileIsRefused) {
    const Ids ids = written();
    std::string bytes = read_all(path_);
    write_all(path_, bytes.substr(0, bytes.size() - 100));
    expect_refused(ids, "truncated");
}

TEST_F(Persistence, AnOlderFormatIsRefused) {
    const Ids ids = written();
    std::string bytes = read_all(path_);
    const uint32_t older = kSnapshotFormat - 1;
    std::memcpy(&bytes[8], &older, sizeof older);
    write_all(path_, bytes);
    expect_refused(ids, "format version");
}

TEST_F(Persistence, AFileOfAnotherDataVersionIsRefused) {
    written();
    std::mt19937_64 rng(12);
    auto more = random_lines(rng, 20, 50000);
    data_.load(more);  // another process loaded: the file is of the previous version
    auto reference = std::make_unique<ColumnarEvaluator>(ColumnarConfig{}, nullptr);
    expect_refused(evaluate(*reference), "data version");
}

TEST_F(Persistence, AFileOfAnotherIncarnationIsRefused) {
    written();
    data_.restore(lines_);  // same lines, new storage
    auto reference = std::make_unique<ColumnarEvaluator>(ColumnarConfig{}, nullptr);
    expect_refused(evaluate(*reference), "data version");
}

TEST_F(Persistence, NoFileHoldsDeletedLinesAfterADeletion) {
    data_.load({line(777, "deleted-order-id-xyz", kBase - kDay, "secret-item-q", 5)});
    auto e = process();
    evaluate(*e);
    const std::string path = e->snapshots().file_for("acme");
    EXPECT_NE(read_all(path).find("deleted-order-id-xyz"), std::string::npos);
    data_.delete_customers({777});
    evaluate(*e);
    EXPECT_EQ(read_all(path).find("deleted-order-id-xyz"), std::string::npos);
    EXPECT_EQ(read_all(path).find("secret-item-q"), std::string::npos);
}

TEST_F(Persistence, NothingIsWrittenWhenPersistIsOff) {
    ColumnarConfig config;
    config.persist = false;
    ColumnarEvaluator e(config, &host_);
    evaluate(e);
    EXPECT_TRUE(std::filesystem::is_empty(host_.state_dir()));
}

TEST_F(Persistence, PreApi15StoresAreNeverPersisted) {
    data_.legacy = true;
    auto e = process();
    EXPECT_FALSE(evaluate(*e).empty());
    EXPECT_TRUE(std::filesystem::is_empty(host_.state_dir()));
}

}  // namespace
}  // namespace sightline::evaluator_columnar::testing
