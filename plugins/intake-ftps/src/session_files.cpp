// The commands that look at the tree: listings, status notes, SIZE/MDTM/MFMT, MKD, DELE, HASH.
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

Session::Next Session::list(const std::string& raw_arg, const std::string& style) {
    // ls-style options ("-la") that clients send with LIST are ignored.
    std::string arg = raw_arg;
    while (!arg.empty() && arg.front() == '-') {
        const auto space = arg.find(' ');
        arg = space == std::string::npos ? "" : arg.substr(space + 1);
    }
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    std::vector<Entry> entries;
    if (loc.place == Place::relay_root) {
        for (const auto& tenant : settings_->tenants) {
            Fd dir = shared_.landing.open_dir(tenant, Sub::root);
            struct stat st {};
            if (dir.valid() && ::fstat(dir.get(), &st) == 0) {
                entries.push_back({tenant, true, 0, static_cast<int64_t>(st.st_mtim.tv_sec)});
            }
        }
    } else {
        Fd dir = shared_.landing.open_dir(loc.tenant, sub_of(loc.place));
        if (!dir.valid())
            return reply(550, "No such file or directory") ? Next::go_on : Next::close;
        if (loc.is_dir()) {
            for (auto& e : Landing::list(dir.get())) {
                // Only the known sub-folders show; anything else someone made there is not ours.
                if (e.dir && !(loc.place == Place::tenant_root &&
                               (e.name == "full" || e.name == "status"))) {
                    continue;
                }
                entries.push_back(e);
            }
        } else {
            Entry e;
            if (!Landing::stat_file(dir.get(), loc.name, e)) {
                return reply(550, "No such file or directory") ? Next::go_on : Next::close;
            }
            entries.push_back(e);
        }
    }
    std::string text;
    for (const auto& e : entries) {
        if (style == "nlst") {
            text += e.name + "\r\n";
        } else if (style == "mlsd") {
            text += std::string("type=") + (e.dir ? "dir" : "file") +
                    (e.dir ? "" : ";size=" + std::to_string(e.size)) +
                    ";modify=" + time_text(e.mtime_s, "%Y%m%d%H%M%S") + "; " + e.name + "\r\n";
        } else {
            char line[128];
            std::snprintf(line, sizeof line, "%s 1 ftp ftp %12lld %s ",
                          e.dir ? "drwx------" : "-rw-------", static_cast<long long>(e.size),
                          time_text(e.mtime_s, "%b %d %H:%M").c_str());
            text += line + e.name + "\r\n";
        }
    }
    auto data = data_for("listing");
    if (!data) return Next::go_on;
    if (!send_all(config().limits, *data, text)) {
        return reply(426, "Listing transfer failed") ? Next::go_on : Next::close;
    }
    data.reset();
    return reply(226, "Listing sent") ? Next::go_on : Next::close;
}

Session::Next Session::retrieve(const std::string& arg) {
    Location loc;
    VPath path;
    std::string why;
    if (!resolve(cwd_, arg, path, why) ||
        (loc = locate(path, tenant_, settings_->tenants)).place != Place::status_note) {
        log(LogLevel::info, "intake_ftps.download_refused");
        return reply(550, "no downloads: this server is upload-only") ? Next::go_on : Next::close;
    }
    Fd dir = shared_.landing.open_dir(loc.tenant, Sub::status);
    Fd file(dir.valid() ? ::openat(dir.get(), loc.name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                        : -1);
    struct stat st {};
    if (!file.valid() || ::fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_size > 1 << 20) {
        return reply(550, "No such status note") ? Next::go_on : Next::close;
    }
    std::string text(static_cast<size_t>(st.st_size), '\0');
    const ssize_t n = ::read(file.get(), text.data(), text.size());
    text.resize(n > 0 ? static_cast<size_t>(n) : 0);
    auto data = data_for(loc.name);
    if (!data) return Next::go_on;
    if (!send_all(config().limits, *data, text)) {
        return reply(426, "Transfer failed") ? Next::go_on : Next::close;
    }
    data.reset();
    return reply(226, "Status note sent") ? Next::go_on : Next::close;
}

Session::Next Session::size_or_time(const std::string& verb, const std::string& arg) {
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    Entry e;
    Fd dir = loc.place == Place::relay_root
                 ? Fd()
                 : shared_.landing.open_dir(loc.tenant, sub_of(loc.place));
    if (loc.is_dir() || !dir.valid() || !Landing::stat_file(dir.get(), loc.name, e)) {
        return reply(550, "No such file") ? Next::go_on : Next::close;
    }
    const std::string value =
        verb == "SIZE" ? std::to_string(e.size) : time_text(e.mtime_s, "%Y%m%d%H%M%S");
    return reply(213, value) ? Next::go_on : Next::close;
}

Session::Next Session::modify_time(const std::string& arg) {
    const auto space = arg.find(' ');
    if (space != 14 || arg.find_first_not_of("0123456789") != 14) {
        return reply(501, "MFMT YYYYMMDDHHMMSS path") ? Next::go_on : Next::close;
    }
    Location loc;
    VPath path;
    if (!locate_arg(arg.substr(space + 1), loc, path)) return Next::go_on;
    Entry e;
    Fd dir = loc.place == Place::relay_root
                 ? Fd()
                 : shared_.landing.open_dir(loc.tenant, sub_of(loc.place));
    if (!loc.is_upload() || !dir.valid() || !Landing::stat_file(dir.get(), loc.name, e)) {
        return reply(550, "No such file") ? Next::go_on : Next::close;
    }
    // Retention counts from arrival, so a client's timestamp is not applied; the reply gives the
    // time the file really has, as MFMT's reply is meant to.
    return reply(213, "Modify=" + time_text(e.mtime_s, "%Y%m%d%H%M%S") + "; " + to_string(path))
               ? Next::go_on
               : Next::close;
}

Session::Next Session::make_dir(const std::string& arg) {
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    if (loc.place != Place::full_dir) {
        return reply(550, "Only full/ may be created, inside a tenant folder") ? Next::go_on
                                                                               : Next::close;
    }
    // full/ always exists (made at start): creating it is a no-op that succeeds.
    return reply(257, quote_path(to_string(path)) + " exists") ? Next::go_on : Next::close;
}

Session::Next Session::remove(const std::string& arg) {
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    if (loc.place == Place::status_note) return remove_note(loc);
    if (!loc.is_upload()) {
        return reply(550, "Only your own pending uploads and status notes can be deleted")
                   ? Next::go_on
                   : Next::close;
    }
    const Sub sub = sub_of(loc.place);
    Fd dir = shared_.landing.open_dir(loc.tenant, sub);
    Entry e;
    if (!dir.valid() || !Landing::stat_file(dir.get(), loc.name, e)) {
        return reply(550, "No such pending upload") ? Next::go_on : Next::close;
    }
    if (!shared_.queue.forget(shared_.landing.path(loc.tenant, sub, loc.name))) {
        return reply(450, "The upload is being processed right now") ? Next::go_on : Next::close;
    }
    if (::unlinkat(dir.get(), loc.name.c_str(), 0) != 0) {
        return reply(550, "Cannot delete") ? Next::go_on : Next::close;
    }
    log(LogLevel::info, "intake_ftps.deleted", {{"tenant", loc.tenant}, {"file", loc.name}});
    return reply(250, "Deleted") ? Next::go_on : Next::close;
}

Session::Next Session::remove_note(const Location& loc) {
    // Notes count toward the quota: a tenant that read them can make room at once instead of
    // waiting for the retention sweep.
    Fd dir = shared_.landing.open_dir(loc.tenant, Sub::status);
    Entry e;
    if (!dir.valid() || !Landing::stat_file(dir.get(), loc.name, e)) {
        return reply(550, "No such status note") ? Next::go_on : Next::close;
    }
    if (::unlinkat(dir.get(), loc.name.c_str(), 0) != 0) {
        return reply(550, "Cannot delete") ? Next::go_on : Next::close;
    }
    log(LogLevel::info, "intake_ftps.note_deleted", {{"tenant", loc.tenant}, {"file", loc.name}});
    return reply(250, "Deleted") ? Next::go_on : Next::close;
}

Session::Next Session::hash(const std::string& arg) {
    Location loc;
    VPath path;
    if (!locate_arg(arg, loc, path)) return Next::go_on;
    std::string digest;
    int64_t bytes = 0;
    Fd dir = loc.place == Place::relay_root || loc.is_dir()
                 ? Fd()
                 : shared_.landing.open_dir(loc.tenant, sub_of(loc.place));
    bool found = dir.valid() && file_sha256(dir.get(), loc.name, digest, bytes);
    if (!found) {
        // Processed and removed already: answer from what this session received.
        auto it = received_.find(to_string(path));
        if (it != received_.end()) {
            digest = shared_.queue.digest_of(it->second.landing_path);
            bytes = it->second.bytes;
            found = !digest.empty();
        }
    }
    if (!found) return reply(550, "No such file") ? Next::go_on : Next::close;
    return reply(213, "SHA-256 0-" + std::to_string(bytes) + " " + digest + " " + loc.name)
               ? Next::go_on
               : Next::close;
}

}  // namespace sightline::intake_ftps
