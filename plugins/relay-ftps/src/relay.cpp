#include "relay.hpp"

#include <fstream>
#include <memory>

#include "final_reply.hpp"
#include "remote_path.hpp"
#include "sha256.hpp"

namespace sightline::relay_ftps {

using plugin::LogLevel;
using plugin::UploadOutcome;
using plugin::UploadResult;

namespace {
constexpr int64_t kSecondUs = 1'000'000;
}

RelayFtps::RelayFtps(RelayConfig config, plugin::HostServices& host)
    : config_(std::move(config)),
      host_(host),
      client_(config_.connect),
      backoff_(config_.backoff_initial_seconds * kSecondUs,
               config_.backoff_max_seconds * kSecondUs) {}

void RelayFtps::start(plugin::UploadSink& /*sink*/) { stopped_ = false; }

void RelayFtps::stop() {
    stopped_ = true;
    // Wait for a delivery in flight, then close the connection.
    std::lock_guard<std::mutex> lock(mutex_);
    client_.disconnect();
}

UploadResult RelayFtps::retry(const plugin::Upload& upload, const std::string& reason,
                              bool back_off) {
    const int64_t now = host_.now_us();
    if (back_off) backoff_.failed(now);
    host_.log(LogLevel::warn, "relay_ftps.retry",
              {{"tenant", upload.tenant},
               {"name", upload.name},
               {"reason", reason},
               {"failures", std::to_string(backoff_.failures())},
               {"next_attempt_in_ms", std::to_string(backoff_.remaining_us(now) / 1000)}});
    return {UploadOutcome::retry, reason};
}

UploadResult RelayFtps::submit(const plugin::Upload& upload) {
    if (stopped_) return {UploadOutcome::retry, "the relay is stopped"};
    // A name that cannot be sent safely never will be: refuse it rather than retry forever.
    const std::string tenant_problem = ftps_client::component_problem(upload.tenant);
    const std::string name_problem = ftps_client::component_problem(upload.name);
    if (!tenant_problem.empty() || !name_problem.empty()) {
        const std::string why = !tenant_problem.empty() ? "tenant id has " + tenant_problem
                                                        : "file name has " + name_problem;
        host_.log(LogLevel::error, "relay_ftps.unsafe_name", {{"reason", why}});
        return {UploadOutcome::refused, "the upload cannot be relayed: its " + why};
    }
    std::string folder = ftps_client::join_remote(config_.base_dir, upload.tenant);
    if (upload.full) folder = ftps_client::join_remote(folder, "full");
    const std::string remote = ftps_client::join_remote(folder, upload.name);

    std::lock_guard<std::mutex> lock(mutex_);
    const int64_t now = host_.now_us();
    if (backoff_.waiting(now)) {
        // No connection attempt while backing off; the caller keeps the file and tries later.
        return {UploadOutcome::retry,
                "the load server is unreachable; next attempt in " +
                    std::to_string((backoff_.remaining_us(now) + kSecondUs - 1) / kSecondUs) +
                    " s"};
    }
    return deliver(upload, remote);
}

UploadResult RelayFtps::deliver(const plugin::Upload& upload, const std::string& remote) {
    const int64_t started = host_.now_us();
    // A local file that cannot be read is no reason to back off from the load server.
    if (!std::ifstream(upload.path, std::ios::binary)) {
        return retry(upload, "cannot read the upload's file " + upload.path, false);
    }
    auto sha = std::make_unique<ftps_client::Sha256>();
    int64_t bytes = 0;
    const auto count = [&](const char* data, size_t size) {
        sha->update(data, size);
        bytes += static_cast<int64_t>(size);
    };
    std::string final_line;
    try {
        try {
            final_line = client_.put(remote, upload.path, count);
        } catch (const plugin::Error& e) {
            // STOR refused (550/553) before any byte moved: usually a missing folder (a plain
            // FTP server, or a first full/ upload). Create the folders once and try again. Not
            // after other failures: a wrong password must not cost a second failed login.
            if (e.transient() || bytes > 0 || !client_.refused_file_name()) throw;
            client_.mkdirs(ftps_client::parent_remote(remote));
            sha = std::make_unique<ftps_client::Sha256>();
            bytes = 0;
            final_line = client_.put(remote, upload.path, count);
        }
    } catch (const std::exception& e) {
        return retry(upload, e.what(), true);
    }
    const std::string local_sha = sha->hex();
    const UploadResult result = parse_final_reply(final_line, config_.connect.host);

    if (config_.verify_hash) {
        std::string remote_sha;
        try {
            remote_sha = client_.hash(remote);
        } catch (const std::exception& e) {
            return retry(upload, std::string("delivered but not confirmed: ") + e.what(), true);
        }
        if (remote_sha != local_sha) {
            host_.log(LogLevel::error, "relay_ftps.hash_mismatch",
                      {{"tenant", upload.tenant},
                       {"name", upload.name},
                       {"sha256", local_sha},
                       {"remote_sha256", remote_sha}});
            return retry(upload, "the load server's SHA-256 differs from the file's", false);
        }
    }
    backoff_.succeeded();
    host_.log(LogLevel::info, "relay_ftps.delivered",
              {{"tenant", upload.tenant},
               {"name", upload.name},
               {"bytes", std::to_string(bytes)},
               {"sha256", local_sha},
               {"outcome", plugin::to_string(result.outcome)},
               {"ms", std::to_string((host_.now_us() - started) / 1000)}});
    return result;
}

}  // namespace sightline::relay_ftps
