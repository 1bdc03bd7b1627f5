// The periodic work of `sightline serve` on one thread: each task runs at start and then every
// interval, on the runtime's clock (tests call run_due with the time they choose instead of
// waiting). A task that throws is logged ("scheduler.failed") and runs again at its next turn.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sightline/core/event_log.hpp"

namespace sightline::core {

class Scheduler {
public:
    using Clock = std::function<int64_t()>;  // microseconds since the epoch

    Scheduler(EventLog& log, Clock clock);
    ~Scheduler();  // stops the thread; a task running then finishes first
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Before start() only.
    void add(std::string name, int64_t interval_us, std::function<void()> task);
    // The thread: wakes at the earliest due time, or every wake_us at the latest, so that a
    // clock moved by a test or NTP is noticed.
    void start(int64_t wake_us = 1'000'000);
    void stop();

    // Runs every task due at now_us; returns how many ran.
    int run_due(int64_t now_us);

    struct TaskState {
        std::string name;
        int64_t interval_us = 0;
        int64_t next_us = 0;      // 0: at the first run_due
        int64_t last_run_us = 0;  // 0: never
        bool last_failed = false;
        uint64_t runs = 0;
    };
    std::vector<TaskState> tasks() const;

private:
    struct Task {
        TaskState state;
        std::function<void()> fn;
    };
    EventLog& log_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<Task> tasks_;
    std::thread thread_;
};

}  // namespace sightline::core
