// What the transport submits, in which order, and what becomes of the files afterwards.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <thread>

#include "fixture.hpp"

namespace sightline::intake_dir::testing {
namespace {

using plugin::UploadOutcome;
using ::testing::ElementsAre;

TEST_F(IntakeDirTest, SubmitsIncrementalAndFullUploadsWithTheirFields) {
    auto& transport = make_ready();
    write_file(incoming("acme", "sales.csv"), "order,timestamp\n");
    write_file(full("globex", "everything.csv"), "x");

    transport.drain(sink_);

    const auto submitted = sink_.submissions();
    ASSERT_EQ(submitted.size(), 2u);
    const auto& inc = submitted[0].upload.tenant == "acme" ? submitted[0] : submitted[1];
    const auto& all = submitted[0].upload.tenant == "acme" ? submitted[1] : submitted[0];
    EXPECT_EQ(inc.upload.path, incoming("acme", "sales.csv"));
    EXPECT_EQ(inc.upload.name, "sales.csv");
    EXPECT_FALSE(inc.upload.full);
    EXPECT_EQ(inc.upload.account, "");
    EXPECT_EQ(inc.upload.peer, "");
    EXPECT_EQ(inc.bytes, 16);
    EXPECT_EQ(all.upload.tenant, "globex");
    EXPECT_EQ(all.upload.path, full("globex", "everything.csv"));
    EXPECT_EQ(all.upload.name, "everything.csv");
    EXPECT_TRUE(all.upload.full);
    EXPECT_TRUE(inc.existed && all.existed);
}

struct NameCase {
    const char* name;
    bool complete;
};

class CompletenessTest : public IntakeDirTest, public ::testing::WithParamInterface<NameCase> {};

TEST_P(CompletenessTest, OnlyCompleteNamesAreSubmitted) {
    auto& transport = make_ready();
    const std::string path = incoming("acme", GetParam().name);
    write_file(path, "data");

    transport.drain(sink_);

    EXPECT_EQ(sink_.count(), GetParam().complete ? 1u : 0u);
    // Incomplete files are left for their writer; complete ones leave once processed.
    EXPECT_EQ(exists(path), !GetParam().complete);
}

INSTANTIATE_TEST_SUITE_P(
    Names, CompletenessTest,
    ::testing::Values(NameCase{"sales.csv", true}, NameCase{"sales.csv.part", false},
                      NameCase{"sales.csv.tmp", false}, NameCase{"sales.csv.filepart", false},
                      NameCase{"sales.csv.PART", false}, NameCase{"sales.csv.Tmp", false},
                      NameCase{".sales.csv", false}, NameCase{".sales.csv.abc123", false},
                      NameCase{"sales.partial", true}, NameCase{"part", true},
                      NameCase{"sales.part.csv", true}, NameCase{"tmp", true}),
    [](const auto& info) {
        std::string name;
        for (char c : std::string(info.param.name))
            name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        return name + (info.param.complete ? "_complete" : "_incomplete");
    });

class OutcomeTest : public IntakeDirTest, public ::testing::WithParamInterface<UploadOutcome> {};

TEST_P(OutcomeTest, ProcessedFilesLeaveTheLandingFolder) {
    auto& transport = make_ready();
    const auto outcome = GetParam();
    sink_.set_respond([outcome](const plugin::Upload&) { return answer(outcome); });
    write_file(incoming("acme", "a.csv"), "a");
    write_file(full("acme", "b.csv"), "b");

    transport.drain(sink_);
    transport.drain(sink_);

    EXPECT_EQ(sink_.count(), 2u);  // once each, never again
    EXPECT_FALSE(exists(incoming("acme", "a.csv")));
    EXPECT_FALSE(exists(full("acme", "b.csv")));
    const auto done = host_.logs("upload.done");
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[0].fields.at("outcome"), plugin::to_string(outcome));
}

INSTANTIATE_TEST_SUITE_P(Outcomes, OutcomeTest,
                         ::testing::Values(UploadOutcome::loaded, UploadOutcome::duplicate,
                                           UploadOutcome::refused, UploadOutcome::refused_pii),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST_F(IntakeDirTest, RetryKeepsTheFileAndWaitsForTheBackoff) {
    auto& transport = make_ready();
    const std::string path = incoming("acme", "a.csv");
    write_file(path, "a");
    sink_.set_respond(
        [](const plugin::Upload&) { return answer(UploadOutcome::retry, "target unavailable"); });

    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 1u);
    EXPECT_TRUE(exists(path));
    transport.drain(sink_);
    host_.advance_us(999'999);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 1u) << "retried before the first 1 s backoff ran out";

    host_.advance_us(1);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 2u);
    host_.advance_us(1'999'999);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 2u) << "the second backoff is 2 s";

    sink_.set_respond(nullptr);
    host_.advance_us(1);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 3u);
    EXPECT_FALSE(exists(path));

    const auto retries = host_.logs("upload.retry");
    ASSERT_EQ(retries.size(), 2u);
    EXPECT_EQ(retries[0].fields.at("reason"), "target unavailable");
    EXPECT_EQ(retries[0].fields.at("delay_ms"), "1000");
    EXPECT_EQ(retries[1].fields.at("delay_ms"), "2000");
}

TEST_F(IntakeDirTest, BackoffDoublesUpToFiveMinutes) {
    auto& transport = make_ready();
    write_file(incoming("acme", "a.csv"), "a");
    sink_.set_respond([](const plugin::Upload&) { return answer(UploadOutcome::retry); });

    const int64_t expected_s[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300};
    transport.drain(sink_);
    size_t attempts = 1;
    for (int64_t delay_s : expected_s) {
        ASSERT_EQ(sink_.count(), attempts);
        host_.advance_us(delay_s * 1'000'000 - 1);
        transport.drain(sink_);
        ASSERT_EQ(sink_.count(), attempts) << "retried before " << delay_s << " s";
        host_.advance_us(1);
        transport.drain(sink_);
        ASSERT_EQ(sink_.count(), ++attempts) << "not retried after " << delay_s << " s";
    }
    EXPECT_EQ(host_.logs("upload.retry").back().fields.at("delay_ms"), "300000");
}

TEST_F(IntakeDirTest, SubmitThatThrowsIsLoggedAndRetried) {
    auto& transport = make_ready();
    const std::string path = incoming("acme", "a.csv");
    write_file(path, "a");
    sink_.set_respond([](const plugin::Upload&) -> plugin::UploadResult {
        throw std::runtime_error("pipeline exploded");
    });

    EXPECT_NO_THROW(transport.drain(sink_));
    EXPECT_TRUE(exists(path));
    const auto failed = host_.logs("upload.submit_failed");
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].fields.at("error"), "pipeline exploded");
    EXPECT_EQ(failed[0].level, plugin::LogLevel::error);
    ASSERT_EQ(host_.logs("upload.retry").size(), 1u);

    sink_.set_respond(nullptr);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 1u) << "retried without waiting for the backoff";
    host_.advance_us(1'000'000);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 2u);
    EXPECT_FALSE(exists(path));
}

TEST_F(IntakeDirTest, RetryHoldsBackLaterFilesOfTheSameTenantOnly) {
    auto& transport = make_ready();
    write_file(full("acme", "1-full.csv"), "1");
    set_mtime(full("acme", "1-full.csv"), -30);
    write_file(incoming("acme", "2-after.csv"), "2");
    set_mtime(incoming("acme", "2-after.csv"), -20);
    write_file(incoming("globex", "other.csv"), "3");
    sink_.set_respond([](const plugin::Upload& upload) {
        return answer(upload.full ? UploadOutcome::retry : UploadOutcome::loaded);
    });

    transport.drain(sink_);
    // The full upload must not be overtaken by the incremental one made after it, which it
    // would otherwise wipe out when it finally loads. Other tenants carry on.
    EXPECT_THAT(names(sink_.submissions()), ElementsAre("1-full.csv", "other.csv"));
    EXPECT_TRUE(exists(incoming("acme", "2-after.csv")));

    sink_.set_respond(nullptr);
    host_.advance_us(1'000'000);
    transport.drain(sink_);
    EXPECT_THAT(names(sink_.submissions()),
                ElementsAre("1-full.csv", "other.csv", "1-full.csv", "2-after.csv"));
}

TEST_F(IntakeDirTest, OldestFirstByMtimeThenNameAcrossBothFolders) {
    auto& transport = make_ready();
    write_file(incoming("acme", "c.csv"), "c");
    set_mtime(incoming("acme", "c.csv"), -300);
    write_file(full("acme", "z.csv"), "z");
    set_mtime(full("acme", "z.csv"), -200);
    write_file(incoming("acme", "b.csv"), "b");
    set_mtime(incoming("acme", "b.csv"), -100);
    write_file(incoming("acme", "a.csv"), "a");
    set_mtime(incoming("acme", "a.csv"), -100);
    write_file(incoming("acme", "0.csv"), "0");
    set_mtime(incoming("acme", "0.csv"), -10);

    transport.drain(sink_);

    EXPECT_THAT(names(sink_.submissions()),
                ElementsAre("c.csv", "z.csv", "a.csv", "b.csv", "0.csv"));
}

TEST_F(IntakeDirTest, SymlinkIsSkippedAndReportedOnce) {
    auto& transport = make_ready();
    const std::string secret = dir_.path() + "/secret.csv";
    write_file(secret, "not the tenant's");
    ASSERT_EQ(::symlink(secret.c_str(), incoming("acme", "link.csv").c_str()), 0);
    ASSERT_EQ(::symlink(secret.c_str(), full("acme", "link.csv").c_str()), 0);

    transport.drain(sink_);
    transport.drain(sink_);

    EXPECT_EQ(sink_.count(), 0u);
    EXPECT_TRUE(exists(secret));
    EXPECT_TRUE(exists(incoming("acme", "link.csv")));
    const auto skipped = host_.logs("upload.skipped");
    ASSERT_EQ(skipped.size(), 2u) << "reported on every poll";
    EXPECT_EQ(skipped[0].level, plugin::LogLevel::warn);
    EXPECT_EQ(skipped[0].fields.at("reason"), "symlink");
    EXPECT_EQ(skipped[0].fields.at("file"), "link.csv");
}

TEST_F(IntakeDirTest, FullFolderThatIsASymlinkIsNotFollowed) {
    make(R"("create_folders": false)");
    const std::string elsewhere = dir_.path() + "/elsewhere";
    ASSERT_EQ(::mkdir(root_.c_str(), 0700), 0);
    ASSERT_EQ(::mkdir((root_ + "/acme").c_str(), 0700), 0);
    ASSERT_EQ(::mkdir(elsewhere.c_str(), 0700), 0);
    write_file(elsewhere + "/precious.csv", "keep me");
    ASSERT_EQ(::symlink(elsewhere.c_str(), incoming("acme", "full").c_str()), 0);

    transport_->drain(sink_);

    EXPECT_EQ(sink_.count(), 0u);
    EXPECT_TRUE(exists(elsewhere + "/precious.csv"));
    const auto skipped = host_.logs("upload.skipped");
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0].fields.at("file"), "full");
}

TEST_F(IntakeDirTest, TenantFolderThatIsASymlinkIsNotFollowed) {
    make(R"("create_folders": false)");
    const std::string elsewhere = dir_.path() + "/elsewhere";
    ASSERT_EQ(::mkdir(root_.c_str(), 0700), 0);
    ASSERT_EQ(::mkdir(elsewhere.c_str(), 0700), 0);
    write_file(elsewhere + "/precious.csv", "keep me");
    ASSERT_EQ(::symlink(elsewhere.c_str(), (root_ + "/acme").c_str()), 0);

    transport_->drain(sink_);
    transport_->drain(sink_);

    EXPECT_EQ(sink_.count(), 0u);
    EXPECT_TRUE(exists(elsewhere + "/precious.csv"));
    EXPECT_EQ(host_.logs("intake.folder_unusable").size(), 2u);  // acme and the missing globex
}

TEST_F(IntakeDirTest, OtherEntriesAreIgnored) {
    auto& transport = make_ready();
    ASSERT_EQ(::mkdir((root_ + "/initech").c_str(), 0700), 0);
    write_file(root_ + "/initech/x.csv", "unknown tenant");
    write_file(root_ + "/stray.csv", "in the root");
    ASSERT_EQ(::mkdir(incoming("acme", "archive").c_str(), 0700), 0);
    write_file(incoming("acme", "archive/old.csv"), "sub-folder");
    ASSERT_EQ(::mkdir(full("acme", "deeper").c_str(), 0700), 0);
    write_file(full("acme", "deeper/x.csv"), "sub-folder of full");
    ASSERT_EQ(::mkfifo(incoming("acme", "pipe.csv").c_str(), 0600), 0);

    transport.drain(sink_);

    EXPECT_EQ(sink_.count(), 0u);
    EXPECT_TRUE(exists(root_ + "/initech/x.csv"));
    EXPECT_TRUE(exists(root_ + "/stray.csv"));
    EXPECT_TRUE(exists(incoming("acme", "archive/old.csv")));
    EXPECT_TRUE(exists(full("acme", "deeper/x.csv")));
    const auto skipped = host_.logs("upload.skipped");
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0].fields.at("reason"), "not_regular_file");
}

TEST_F(IntakeDirTest, TenantIdsThatAreNotFolderNamesAreRefused) {
    host_.set_tenants({"..", "a/b", "acme"});
    auto& transport = make_ready();
    write_file(dir_.path() + "/escaped.csv", "in the folder above the root");
    write_file(incoming("acme", "ok.csv"), "ok");

    transport.drain(sink_);

    EXPECT_THAT(names(sink_.submissions()), ElementsAre("ok.csv"));
    EXPECT_TRUE(exists(dir_.path() + "/escaped.csv"));
    EXPECT_EQ(host_.logs("intake.tenant_invalid").size(), 2u);
}

TEST_F(IntakeDirTest, SettleTimeWaitsForFilesWrittenInPlace) {
    auto& transport = make_ready(R"("settle_ms": 5000)");
    write_file(incoming("acme", "a.csv"), "a");

    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 0u);
    host_.advance_us(4'000'000);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 0u);
    host_.advance_us(2'000'000);
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 1u);
}

TEST_F(IntakeDirTest, FileReplacedWhileSubmittedIsKeptForTheNextPass) {
    auto& transport = make_ready();
    const std::string path = incoming("acme", "a.csv");
    write_file(path, "first");
    sink_.set_respond([&](const plugin::Upload&) {
        // The uploader sends a corrected file under the same name meanwhile.
        write_file(path + ".part", "second version");
        std::rename((path + ".part").c_str(), path.c_str());
        return answer(UploadOutcome::loaded);
    });

    transport.drain(sink_);
    EXPECT_TRUE(exists(path));
    EXPECT_EQ(host_.logs("upload.changed").size(), 1u);

    sink_.set_respond(nullptr);
    transport.drain(sink_);
    const auto submitted = sink_.submissions();
    ASSERT_EQ(submitted.size(), 2u);
    EXPECT_EQ(submitted[1].bytes, 14);
    EXPECT_FALSE(exists(path));
}

TEST_F(IntakeDirTest, LogsDescribeFilesWithoutTheirContents) {
    auto& transport = make_ready();
    const std::string content = "order,customer\nsecret-order,42\n";
    write_file(full("acme", "a.csv"), content);

    transport.drain(sink_);

    const auto seen = host_.logs("upload.seen");
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].fields.at("tenant"), "acme");
    EXPECT_EQ(seen[0].fields.at("file"), "a.csv");
    EXPECT_EQ(seen[0].fields.at("full"), "true");
    EXPECT_EQ(seen[0].fields.at("bytes"), std::to_string(content.size()));
    for (const auto& entry : host_.logs()) {
        for (const auto& [key, value] : entry.fields) {
            EXPECT_EQ(value.find("secret-order"), std::string::npos) << entry.event << " " << key;
        }
    }
}

TEST_F(IntakeDirTest, CreatesTenantFoldersPrivately) {
    auto& transport = make();
    EXPECT_FALSE(exists(root_));

    transport.drain(sink_);

    for (const auto& folder : {incoming("acme", ""), full("acme", ""), full("globex", "")}) {
        struct stat st {};
        ASSERT_EQ(::stat(folder.c_str(), &st), 0) << folder;
        EXPECT_TRUE(S_ISDIR(st.st_mode));
        EXPECT_EQ(st.st_mode & 0777, 0700u) << folder;
    }
}

TEST_F(IntakeDirTest, WithoutCreateFoldersAMissingRootIsAnError) {
    auto& transport = make(R"("create_folders": false)");
    try {
        transport.drain(sink_);
        FAIL() << "drain() accepted a missing root";
    } catch (const plugin::Error& e) {
        EXPECT_THAT(e.what(), ::testing::HasSubstr(root_));
    }
    EXPECT_FALSE(exists(root_));
}

TEST_F(IntakeDirTest, LargeFileWrittenSlowlyUnderATemporaryNameIsSubmittedOnceWhenRenamed) {
    auto& transport = make_ready();
    const std::string partial = incoming("acme", "x.csv.part");
    const std::string final_name = incoming("acme", "x.csv");
    constexpr size_t chunk = 256 * 1024;
    constexpr int chunks = 32;  // 8 MiB

    std::atomic<int> passes{0};
    std::atomic<bool> written{false};
    std::thread writer([&] {
        const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const std::string data(chunk, 'x');
        for (int i = 0; i < chunks; ++i) {
            if (::write(fd, data.data(), data.size()) != static_cast<ssize_t>(data.size())) break;
            // Let at least one drain() see the file at this size before writing on.
            while (passes.load() <= i) std::this_thread::yield();
        }
        ::close(fd);
        written = true;
    });
    while (!written) {
        transport.drain(sink_);
        ++passes;
    }
    writer.join();
    EXPECT_EQ(sink_.count(), 0u) << "a file still being written was submitted";
    ASSERT_GE(passes.load(), chunks);

    ASSERT_EQ(std::rename(partial.c_str(), final_name.c_str()), 0);
    transport.drain(sink_);
    transport.drain(sink_);

    const auto submitted = sink_.submissions();
    ASSERT_EQ(submitted.size(), 1u);
    EXPECT_EQ(submitted[0].upload.name, "x.csv");
    EXPECT_EQ(submitted[0].bytes, static_cast<int64_t>(chunk) * chunks);
    EXPECT_FALSE(exists(final_name));
}

}  // namespace
}  // namespace sightline::intake_dir::testing
