#include "sightline/core/scheduler.hpp"

#include <algorithm>
#include <chrono>

namespace sightline::core {

Scheduler::Scheduler(EventLog& log, Clock clock) : log_(log), clock_(std::move(clock)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::add(std::string name, int64_t interval_us, std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mutex_);
    Task t;
    t.state.name = std::move(name);
    t.state.interval_us = std::max<int64_t>(interval_us, 1);
    t.fn = std::move(task);
    tasks_.push_back(std::move(t));
}

int Scheduler::run_due(int64_t now_us) {
    int ran = 0;
    for (size_t i = 0;; ++i) {
        std::function<void()> fn;
        std::string name;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (i >= tasks_.size()) break;
            Task& t = tasks_[i];
            if (t.state.next_us > now_us) continue;
            // The next turn counts from now, not from the missed one: after a pause (a suspended
            // machine, a moved clock) a task runs once, not once per missed interval.
            t.state.next_us = now_us + t.state.interval_us;
            fn = t.fn;
            name = t.state.name;
        }
        bool failed = false;
        try {
            fn();
        } catch (const std::exception& e) {
            failed = true;
            log_.event(plugin::LogLevel::error, "scheduler.failed",
                       {{"task", name}, {"reason", e.what()}});
        }
        ++ran;
        std::lock_guard<std::mutex> lock(mutex_);
        Task& t = tasks_[i];
        t.state.last_run_us = now_us;
        t.state.last_failed = failed;
        ++t.state.runs;
    }
    return ran;
}

void Scheduler::start(int64_t wake_us) {
    thread_ = std::thread([this, wake_us] {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            const int64_t now = clock_();
            run_due(now);
            lock.lock();
            int64_t next = now + wake_us;
            for (const auto& t : tasks_) next = std::min(next, t.state.next_us);
            const int64_t wait_us = std::clamp<int64_t>(next - clock_(), 1000, wake_us);
            wake_.wait_for(lock, std::chrono::microseconds(wait_us), [this] { return stopping_; });
        }
    });
}

void Scheduler::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::vector<Scheduler::TaskState> Scheduler::tasks() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<TaskState> out;
    for (const auto& t : tasks_) out.push_back(t.state);
    return out;
}

}  // namespace sightline::core
