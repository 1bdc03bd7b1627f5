// STOR: an upload from the data connection to the landing folder and the queue.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "data_channel.hpp"
#include "session.hpp"
#include "session_util.hpp"
#include "status_note.hpp"

namespace sightline::intake_ftps {

using plugin::LogLevel;

namespace {

// The file system is full (or the landing's disk quota reached): RFC 959's 452, which tells
// the client to try again later, rather than 451 (a local error).
bool no_room(int error) { return error == ENOSPC || error == EDQUOT; }

}  // namespace

Session::Next Session::store(const std::string& arg) {
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    if (!loc.is_upload()) {
        return reply(553, "Uploads go to / or /full/ of a tenant folder") ? Next::go_on
                                                                          : Next::close;
    }
    const Sub sub = sub_of(loc.place);
    Fd dir = shared_.landing.open_dir(loc.tenant, sub);
    Fd partial_dir = shared_.landing.open_dir(loc.tenant, Sub::partial);
    if (!dir.valid() || !partial_dir.valid()) {
        log(LogLevel::error, "intake_ftps.landing_unusable", {{"tenant", loc.tenant}});
        return reply(451, "Landing folder unavailable") ? Next::go_on : Next::close;
    }
    struct stat st {};
    if (::fstatat(dir.get(), loc.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
        return reply(550, "An upload with this name is still pending: wait for its status note")
                   ? Next::go_on
                   : Next::close;
    }
    const Usage usage = shared_.landing.usage(loc.tenant);
    // The limits of this upload are those in force when it started, whatever a reload does
    // meanwhile.
    const std::shared_ptr<const Settings> settings = settings_;
    const Config& config = settings->config;
    if (usage.files + 1 > config.quota_max_files || usage.bytes >= config.quota_max_bytes) {
        log(LogLevel::warn, "intake_ftps.quota_exceeded", {{"tenant", loc.tenant}});
        return reply(552, "Quota exceeded: wait until pending uploads are processed") ? Next::go_on
                                                                                      : Next::close;
    }
    const int64_t limit = std::min(config.max_file_bytes, config.quota_max_bytes - usage.bytes);

    auto data = data_for(to_string(path));
    if (!data) return Next::go_on;

    const std::string temp = random_hex(16);
    Fd out(::openat(partial_dir.get(), temp.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!out.valid()) {
        const int error = errno;
        log(LogLevel::error, "intake_ftps.write_failed", {{"error", std::strerror(error)}});
        if (no_room(error)) {
            return reply(452, "Insufficient storage space: try later") ? Next::go_on : Next::close;
        }
        return reply(451, "Cannot store the file") ? Next::go_on : Next::close;
    }
    auto discard = [&] { ::unlinkat(partial_dir.get(), temp.c_str(), 0); };
    const ReceiveResult received = receive_upload(config.limits, *data, out.get(), limit, [&] {
        // Usage counts every partial upload on disk, this one included.
        return shared_.landing.usage(loc.tenant).bytes <= config.quota_max_bytes;
    });
    plugin::LogFields fields{
        {"tenant", loc.tenant}, {"file", loc.name}, {"bytes", std::to_string(received.bytes)}};
    if (received.end != ReceiveEnd::complete) {
        discard();
        data.reset();  // no close_notify: the transfer failed
        switch (received.end) {
            case ReceiveEnd::too_large:
                log(LogLevel::warn, "intake_ftps.too_large", fields);
                return reply(552, limit == config.max_file_bytes && received.detail.empty()
                                      ? "File larger than the maximum size: discarded"
                                      : "Quota exceeded: discarded")
                           ? Next::go_on
                           : Next::close;
            case ReceiveEnd::too_slow:
                log(LogLevel::warn, "intake_ftps.transfer_too_slow", fields);
                return reply(426, "Transfer too slow: aborted and discarded") ? Next::go_on
                                                                              : Next::close;
            case ReceiveEnd::stopped:
                reply(421, "Server shutting down");
                return Next::close;
            case ReceiveEnd::write_error:
                fields["error"] = received.detail;
                log(LogLevel::error, "intake_ftps.write_failed", fields);
                if (no_room(received.error)) {
                    return reply(452, "Insufficient storage space: upload discarded, try later")
                               ? Next::go_on
                               : Next::close;
                }
                return reply(451, "Cannot store the file") ? Next::go_on : Next::close;
            default:
                fields["error"] = received.detail;
                log(LogLevel::warn, "intake_ftps.upload_truncated", fields);
                return reply(426, "Transfer ended without TLS close_notify: discarded")
                           ? Next::go_on
                           : Next::close;
        }
    }
    data->close_notify(Clock::now() + std::chrono::seconds(5));
    data.reset();
    // Durable before visible: the name only appears once the bytes are on disk.
    if (::fsync(out.get()) != 0) {
        const int error = errno;
        fields["error"] = std::strerror(error);
        log(LogLevel::error, "intake_ftps.write_failed", fields);
        discard();
        return reply(no_room(error) ? 452 : 451,
                     no_room(error) ? "Insufficient storage space: upload discarded, try later"
                                    : "Cannot store the file")
                   ? Next::go_on
                   : Next::close;
    }
    stamp_mtime(out.get(), shared_.host.now_us());
    out.reset();
    if (::renameat2(partial_dir.get(), temp.c_str(), dir.get(), loc.name.c_str(),
                    RENAME_NOREPLACE) != 0) {
        const int error = errno;
        discard();
        if (error == EEXIST) {
            return reply(550,
                         "An upload with this name is still pending: wait for its status "
                         "note")
                       ? Next::go_on
                       : Next::close;
        }
        fields["error"] = std::strerror(error);
        log(LogLevel::error, "intake_ftps.write_failed", fields);
        return reply(451, "Cannot store the file") ? Next::go_on : Next::close;
    }
    ::fsync(dir.get());
    received_[to_string(path)] = {shared_.landing.path(loc.tenant, sub, loc.name), received.bytes};
    fields["bytes"] = std::to_string(received.bytes);
    fields["full"] = loc.place == Place::full_upload ? "true" : "false";
    fields["queue_depth"] = std::to_string(shared_.queue.size());  // the host's metrics gauge
    log(LogLevel::info, "intake_ftps.upload", fields);

    plugin::Upload upload;
    upload.tenant = loc.tenant;
    upload.name = loc.name;
    upload.full = loc.place == Place::full_upload;
    upload.path = shared_.landing.path(loc.tenant, sub, loc.name);
    upload.account = user_;
    upload.peer = peer_;
    if (!await_result_) {
        shared_.queue.add(upload);
        return reply(226, "Upload complete; processing follows (see status/)") ? Next::go_on
                                                                               : Next::close;
    }
    shared_.queue.add(upload, true);
    const plugin::UploadResult result = shared_.queue.submit_claimed(upload, shared_.sink);
    const std::string outcome = result.outcome == plugin::UploadOutcome::retry
                                    ? "queued"
                                    : plugin::to_string(result.outcome);
    return reply(226, outcome + ": " + one_line(result.message)) ? Next::go_on : Next::close;
}

}  // namespace sightline::intake_ftps
