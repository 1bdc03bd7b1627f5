// start()/stop() with the real background thread. Waits are on conditions with generous
// timeouts, never fixed sleeps.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <future>

#include "fixture.hpp"

namespace sightline::intake_dir::testing {
namespace {

using namespace std::chrono_literals;
using plugin::UploadOutcome;

TEST_F(IntakeDirTest, BackgroundThreadPicksUpANewFile) {
    auto& transport = make(R"("poll_interval_ms": 10)");
    transport.start(sink_);
    // start() creates the folders before it returns.
    write_file(incoming("acme", "a.csv.part"), "a");
    std::rename(incoming("acme", "a.csv.part").c_str(), incoming("acme", "a.csv").c_str());

    ASSERT_TRUE(sink_.wait_for(1, 5s));
    transport.stop();

    const auto submitted = sink_.submissions();
    ASSERT_EQ(submitted.size(), 1u);
    EXPECT_EQ(submitted[0].upload.name, "a.csv");
    EXPECT_EQ(submitted[0].bytes, 1);
    EXPECT_FALSE(exists(incoming("acme", "a.csv")));
}

TEST_F(IntakeDirTest, StopWakesThePollerAtOnce) {
    auto& transport = make(R"("poll_interval_ms": 3600000)");
    transport.start(sink_);
    const auto before = std::chrono::steady_clock::now();
    transport.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
    EXPECT_EQ(host_.logs("intake.stopped").size(), 1u);
}

TEST_F(IntakeDirTest, StopLetsAnInFlightSubmitFinish) {
    auto& transport = make_ready(R"("poll_interval_ms": 10)");
    std::promise<void> release;
    auto released = release.get_future().share();
    sink_.set_respond([released](const plugin::Upload&) {
        released.wait();
        return answer(UploadOutcome::loaded);
    });
    write_file(incoming("acme", "a.csv"), "a");
    write_file(incoming("acme", "b.csv"), "b");
    set_mtime(incoming("acme", "b.csv"), 10);  // a.csv first

    transport.start(sink_);
    ASSERT_TRUE(sink_.wait_for(1, 5s));
    auto stopped = std::async(std::launch::async, [&] { transport.stop(); });
    EXPECT_EQ(stopped.wait_for(50ms), std::future_status::timeout)
        << "stop() returned while submit() was still running";
    release.set_value();
    stopped.get();

    // The in-flight file was finished off; the next one was not started.
    EXPECT_EQ(sink_.count(), 1u);
    EXPECT_FALSE(exists(incoming("acme", "a.csv")));
    EXPECT_TRUE(exists(incoming("acme", "b.csv")));
}

TEST_F(IntakeDirTest, StartTwiceIsAnErrorAndStopIsIdempotent) {
    auto& transport = make(R"("poll_interval_ms": 10)");
    transport.stop();  // never started: nothing to do
    transport.start(sink_);
    EXPECT_THROW(transport.start(sink_), plugin::Error);
    transport.stop();
    transport.stop();

    // Stopped transports still drain, and can be started again.
    write_file(incoming("acme", "a.csv"), "a");
    transport.drain(sink_);
    EXPECT_EQ(sink_.count(), 1u);
    transport.start(sink_);
    write_file(incoming("globex", "b.csv"), "b");
    ASSERT_TRUE(sink_.wait_for(2, 5s));
    transport.stop();
}

TEST_F(IntakeDirTest, DestroyingARunningTransportStopsIt) {
    make(R"("poll_interval_ms": 10)").start(sink_);
    transport_.reset();
    EXPECT_EQ(host_.logs("intake.stopped").size(), 1u);
}

TEST_F(IntakeDirTest, AFailingPassIsLoggedOnceAndThePollerCarriesOn) {
    auto& transport = make(R"("poll_interval_ms": 10, "create_folders": false)");
    transport.start(sink_);  // the root does not exist yet
    ASSERT_TRUE(host_.wait_for_tenant_calls(5, 5s));
    EXPECT_EQ(host_.logs("intake.pass_failed").size(), 1u);

    ASSERT_EQ(::mkdir(root_.c_str(), 0700), 0);
    ASSERT_EQ(::mkdir((root_ + "/acme").c_str(), 0700), 0);
    write_file(incoming("acme", "a.csv"), "a");

    ASSERT_TRUE(sink_.wait_for(1, 5s));
    transport.stop();
    EXPECT_EQ(host_.logs("intake.pass_failed").size(), 1u);
}

}  // namespace
}  // namespace sightline::intake_dir::testing
