#include "sweep.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "status_note.hpp"
#include "virtual_path.hpp"

namespace sightline::intake_ftps {

using plugin::LogLevel;

SweepReport Sweeper::run(int64_t retention_hours) {
    SweepReport report;
    const int64_t now_us = host_.now_us();
    const int64_t cutoff_s = (now_us - retention_hours * 3600 * 1'000'000) / 1'000'000;
    Fd root = landing_.open_root();
    if (!root.valid()) return report;
    for (const auto& tenant_entry : Landing::list(root.get())) {
        if (!tenant_entry.dir || !valid_component(tenant_entry.name)) continue;
        const std::string& tenant = tenant_entry.name;
        for (Sub sub : {Sub::root, Sub::full, Sub::status, Sub::partial}) {
            Fd dir = landing_.open_dir(tenant, sub);
            if (!dir.valid()) continue;
            for (const auto& entry : Landing::list(dir.get())) {
                if (entry.dir || entry.mtime_s >= cutoff_s) continue;
                const std::string path = landing_.path(tenant, sub, entry.name);
                const bool upload = sub == Sub::root || sub == Sub::full;
                if (upload) queue_.forget(path);
                plugin::LogFields fields{
                    {"tenant", tenant},
                    {"file", entry.name},
                    {"folder", sub_name(sub)},
                    {"age_hours", std::to_string((now_us / 1'000'000 - entry.mtime_s) / 3600)}};
                if (::unlinkat(dir.get(), entry.name.c_str(), 0) != 0) {
                    if (errno == ENOENT) continue;
                    fields["error"] = std::strerror(errno);
                    host_.log(LogLevel::error, "intake_ftps.sweep_failed", fields);
                    continue;
                }
                ++report.removed;
                host_.log(LogLevel::info, "intake_ftps.swept", fields);
                if (!upload) continue;
                ++report.expired;
                fields["expired_total"] = std::to_string(++expired_total_);
                host_.log(LogLevel::error, "intake_ftps.expired", fields);
                write_note(landing_, tenant, now_us, entry.name, "expired",
                           "Not processed within " + std::to_string(retention_hours) +
                               " hours and deleted: please upload it again.");
            }
        }
    }
    return report;
}

}  // namespace sightline::intake_ftps
