#include "test_support.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace sightline::intake_dir::testing {

namespace fs = std::filesystem;

plugin::UploadResult FakeSink::submit(const plugin::Upload& upload) {
    Submission submission{upload};
    struct stat st {};
    if (::stat(upload.path.c_str(), &st) == 0) {
        submission.existed = true;
        submission.bytes = st.st_size;
    }
    std::function<plugin::UploadResult(const plugin::Upload&)> respond;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        submissions_.push_back(submission);
        respond = respond_;
    }
    changed_.notify_all();
    // Outside the lock: a response may block (to test stop()) or throw.
    return respond ? respond(upload) : answer(plugin::UploadOutcome::loaded);
}

void FakeSink::set_respond(std::function<plugin::UploadResult(const plugin::Upload&)> respond) {
    std::lock_guard<std::mutex> lock(mutex_);
    respond_ = std::move(respond);
}

std::vector<Submission> FakeSink::submissions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return submissions_;
}

size_t FakeSink::count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return submissions_.size();
}

bool FakeSink::wait_for(size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return submissions_.size() >= n; });
}

plugin::UploadResult answer(plugin::UploadOutcome outcome, std::string message) {
    plugin::UploadResult result;
    result.outcome = outcome;
    result.message = std::move(message);
    return result;
}

const sl_plugin_descriptor& descriptor() {
    return sightline::testing::load_plugin_module(SIGHTLINE_INTAKE_DIR_PLUGIN);
}

std::unique_ptr<plugin::Transport> create_transport(plugin::HostServices& host,
                                                    const std::string& config_json) {
    plugin::CreateContext context;
    context.host = &host;
    context.config_json = config_json;
    context.instance_name = "intake[0]";
    std::unique_ptr<plugin::Plugin> created = descriptor().create(context);
    auto* transport = dynamic_cast<plugin::Transport*>(created.get());
    if (transport == nullptr) throw std::runtime_error("the plugin is not a Transport");
    created.release();
    return std::unique_ptr<plugin::Transport>(transport);
}

void write_file(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

void set_mtime(const std::string& path, int64_t seconds_from_now) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto at =
        std::chrono::duration_cast<std::chrono::seconds>(now).count() + seconds_from_now;
    const struct timespec times[2] = {{static_cast<time_t>(at), 0}, {static_cast<time_t>(at), 0}};
    if (::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
        throw std::runtime_error("cannot set the mtime of " + path);
    }
}

std::vector<std::string> names(const std::vector<Submission>& submissions) {
    std::vector<std::string> result;
    for (const auto& s : submissions) result.push_back(s.upload.name);
    return result;
}

}  // namespace sightline::intake_dir::testing
