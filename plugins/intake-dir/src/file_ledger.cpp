#include "file_ledger.hpp"

#include <algorithm>

namespace sightline::intake_dir {

int64_t retry_delay_us(int failures) {
    constexpr int64_t first_us = 1000000;
    constexpr int64_t cap_us = 300000000;
    int64_t delay = first_us;
    // Stop doubling at the cap, which also keeps the shift from overflowing.
    for (int i = 1; i < failures && delay < cap_us; ++i) delay *= 2;
    return std::min(delay, cap_us);
}

bool FileLedger::due(const std::string& path, const FileId& id, int64_t now_us) const {
    const State* state = find(path, id);
    return state == nullptr || now_us >= state->next_attempt_us;
}

int FileLedger::record_retry(const std::string& path, const FileId& id, int64_t now_us) {
    State& state = entry(path, id);
    ++state.failures;
    state.next_attempt_us = now_us + retry_delay_us(state.failures);
    return state.failures;
}

void FileLedger::mark_finished(const std::string& path, const FileId& id) {
    entry(path, id).finished = true;
}

bool FileLedger::finished(const std::string& path, const FileId& id) const {
    const State* state = find(path, id);
    return state != nullptr && state->finished;
}

bool FileLedger::first_warning(const std::string& path, const FileId& id) {
    State& state = entry(path, id);
    if (state.warned) return false;
    state.warned = true;
    return true;
}

void FileLedger::forget(const std::string& path) { files_.erase(path); }

void FileLedger::keep_only(const std::set<std::string>& present_paths) {
    for (auto it = files_.begin(); it != files_.end();) {
        it = present_paths.count(it->first) ? std::next(it) : files_.erase(it);
    }
}

FileLedger::State& FileLedger::entry(const std::string& path, const FileId& id) {
    State& state = files_[path];
    if (state.id != id) state = State{id};
    return state;
}

const FileLedger::State* FileLedger::find(const std::string& path, const FileId& id) const {
    auto it = files_.find(path);
    return it == files_.end() || it->second.id != id ? nullptr : &it->second;
}

}  // namespace sightline::intake_dir
