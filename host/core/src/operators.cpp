#include "sightline/core/operators.hpp"
#include "sightline/core/private_files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace sightline::core {

namespace fs = std::filesystem;

namespace {

// The list as written; an unreadable or damaged list locks everyone out rather than letting a
// disabled operator back in.
struct DisabledList {
    bool readable = true;
    nlohmann::json entries = nlohmann::json::object();
};

DisabledList read_list(const std::string& path) {
    DisabledList out;
    std::ifstream in(path);
    if (!in) {
        out.readable = !fs::exists(path);
        return out;
    }
    try {
        out.entries = nlohmann::json::parse(in);
        if (!out.entries.is_object()) out.readable = false;
    } catch (const std::exception&) {
        out.readable = false;
    }
    return out;
}

// Serialises writers of the list across processes (two operators disabling at once).
class ListLock {
public:
    explicit ListLock(const std::string& path) {
        fd_ = ::open((path + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
        if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0)
            throw std::runtime_error("cannot lock " + path + ".lock");
    }
    ~ListLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    ListLock(const ListLock&) = delete;
    ListLock& operator=(const ListLock&) = delete;

private:
    int fd_ = -1;
};

void write_list(const std::string& path, const nlohmann::json& entries) {
    const std::string temp = path + ".tmp";
    // Private like the rest of the state (0600, whatever a file left by an earlier crash had);
    // never written through a symbolic link. Writers are serialised by ListLock.
    const int fd =
        ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + temp);
    const std::string text = entries.dump(2) + "\n";
    size_t done = 0;
    bool ok = ::fchmod(fd, 0600) == 0;
    while (ok && done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write " + temp);
    fs::rename(temp, path);
}

}  // namespace

OperatorRegistry::OperatorRegistry(std::string state_dir, std::vector<OperatorAccount> accounts,
                                   Verifier verify)
    : state_dir_(std::move(state_dir)),
      accounts_(std::move(accounts)),
      verify_(std::move(verify)) {}

std::string OperatorRegistry::disabled_list_path(const std::string& state_dir) {
    return (fs::path(state_dir) / "operators" / "disabled.json").string();
}

void OperatorRegistry::set_accounts(std::vector<OperatorAccount> accounts) {
    std::lock_guard<std::mutex> lock(mutex_);
    accounts_ = std::move(accounts);
}

bool OperatorRegistry::disabled_in_state(const std::string& name) const {
    const DisabledList list = read_list(disabled_list_path(state_dir_));
    return !list.readable || list.entries.contains(name);
}

bool OperatorRegistry::active(const std::string& name) const {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        bool found = false;
        for (const auto& a : accounts_)
            if (a.name == name) found = !a.disabled;
        if (!found) return false;
    }
    return !disabled_in_state(name);
}

bool OperatorRegistry::exists(const std::string& name) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& a : accounts_)
        if (a.name == name) return true;
    return false;
}

std::optional<std::string> OperatorRegistry::authenticate_password(
    const std::string& name, const std::string& password) const {
    std::string hash;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& a : accounts_)
            if (a.name == name) hash = a.password;
    }
    // Unknown names cost a verification too, so that timing does not tell which names exist: at
    // the cost `sightline operator passwd` gives new hashes (ftps::ScryptCost's defaults).
    static const std::string decoy =
        "$scrypt$ln=14,r=8,p=5$AAAAAAAAAAAAAAAAAAAAAA==$"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    bool match = false;
    try {
        match = verify_(password, hash.empty() ? decoy : hash) && !hash.empty();
    } catch (const std::exception&) {
        match = false;
    }
    if (!match || !active(name)) return std::nullopt;
    return name;
}

std::optional<std::string> OperatorRegistry::authenticate_certificate(
    const std::string& subject) const {
    std::string name;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& a : accounts_)
            if (!a.certificate_subject.empty() && a.certificate_subject == subject) name = a.name;
    }
    if (name.empty() || !active(name)) return std::nullopt;
    return name;
}

void OperatorRegistry::disable(const std::string& name, const std::string& by,
                               const std::string& reason) {
    const std::string path = disabled_list_path(state_dir_);
    make_private_folder(fs::path(path).parent_path().string());
    ListLock lock(path);
    DisabledList list = read_list(path);
    if (!list.readable)
        throw std::runtime_error(path +
                                 " is damaged: fix or remove it (everyone is locked out "
                                 "until then)");
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    list.entries[name] = {{"by", by}, {"reason", reason}, {"at", now}};
    write_list(path, list.entries);
}

void OperatorRegistry::enable(const std::string& name) {
    const std::string path = disabled_list_path(state_dir_);
    if (!fs::exists(path)) return;
    ListLock lock(path);
    DisabledList list = read_list(path);
    if (!list.readable) throw std::runtime_error(path + " is damaged: fix or remove it");
    list.entries.erase(name);
    write_list(path, list.entries);
}

std::vector<std::string> OperatorRegistry::disabled_names() const {
    std::vector<std::string> out;
    const DisabledList list = read_list(disabled_list_path(state_dir_));
    for (const auto& item : list.entries.items()) out.push_back(item.key());
    return out;
}

}  // namespace sightline::core
