// The serve scheduler on an injected clock: no sleeping.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "sightline/core/scheduler.hpp"

using namespace sightline::core;

TEST(Scheduler, RunsAtStartThenEveryInterval) {
    EventLog log("json", "error", "");
    Scheduler s(log, [] { return 0; });
    int a = 0, b = 0;
    s.add("a", 10, [&] { ++a; });
    s.add("b", 25, [&] { ++b; });
    EXPECT_EQ(s.run_due(100), 2);  // both at the first turn
    EXPECT_EQ(s.run_due(105), 0);
    EXPECT_EQ(s.run_due(110), 1);  // a again
    EXPECT_EQ(s.run_due(125), 2);
    EXPECT_EQ(a, 3);
    EXPECT_EQ(b, 2);
}

TEST(Scheduler, AMissedIntervalRunsOnceNotPerMissedTurn) {
    EventLog log("json", "error", "");
    Scheduler s(log, [] { return 0; });
    int n = 0;
    s.add("sweep", 10, [&] { ++n; });
    s.run_due(0);
    s.run_due(1000);  // a hundred intervals later
    EXPECT_EQ(n, 2);
    EXPECT_EQ(s.tasks()[0].next_us, 1010);
}

TEST(Scheduler, AFailingTaskIsRecordedAndRunsAgain) {
    EventLog log("json", "error", "");
    Scheduler s(log, [] { return 0; });
    int n = 0;
    s.add("flaky", 10, [&] {
        if (++n == 1) throw std::runtime_error("disk full");
    });
    s.run_due(0);
    EXPECT_TRUE(s.tasks()[0].last_failed);
    s.run_due(10);
    EXPECT_FALSE(s.tasks()[0].last_failed);
    EXPECT_EQ(s.tasks()[0].runs, 2u);
}

TEST(Scheduler, ThreadRunsTasksAndStops) {
    EventLog log("json", "error", "");
    std::atomic<int64_t> now{0};
    Scheduler s(log, [&] { return now.load(); });
    std::atomic<int> n{0};
    s.add("tick", 1'000'000, [&] { ++n; });
    s.start(2'000);  // wakes every 2 ms to look at the clock
    for (int i = 0; i < 2000 && n.load() < 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(n.load(), 1);
    now = 1'000'000;  // the clock moves; the thread notices within a wake
    for (int i = 0; i < 2000 && n.load() < 2; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(n.load(), 2);
    s.stop();
}
