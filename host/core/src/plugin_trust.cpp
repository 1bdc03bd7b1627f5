#include "plugin_trust.hpp"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <mutex>

namespace fs = std::filesystem;

namespace sightline::core {

namespace {

bool trusted_owner(const struct stat& st) { return st.st_uid == 0 || st.st_uid == geteuid(); }

std::string other_owner(const struct stat& st, const std::string& what) {
    return what + " is owned by another user (uid " + std::to_string(st.st_uid) + ")";
}

std::string file_problem(const struct stat& st, const std::string& file) {
    if (!S_ISREG(st.st_mode)) return file + " is not a regular file";
    const std::string what = "plugin file " + file;
    if (!trusted_owner(st)) return other_owner(st, what);
    if (st.st_mode & S_IWOTH) return what + " is world-writable";
    if (st.st_mode & S_IWGRP) return what + " is group-writable";
    return "";
}

// Whoever may write a folder may rename or replace what is in it, so each folder above the file
// counts as much as the file. A sticky folder owned by root (/tmp) lets others add entries but
// not rename or remove ours.
std::string folder_problem(const struct stat& st, const std::string& what) {
    if (!S_ISDIR(st.st_mode)) return what + " is not a folder";
    if (!trusted_owner(st)) return other_owner(st, what);
    if (!(st.st_mode & (S_IWGRP | S_IWOTH))) return "";
    if ((st.st_mode & S_ISVTX) && st.st_uid == 0) return "";
    std::string problem =
        what + ((st.st_mode & S_IWOTH) ? " is world-writable" : " is group-writable");
    if (st.st_mode & S_ISVTX) problem += " (sticky, but not owned by root)";
    return problem;
}

std::string symlink_refusal(const std::string& file) {
    std::string text = "plugin file " + file + " is a symbolic link";
    char target[PATH_MAX];
    const ssize_t n = ::readlink(file.c_str(), target, sizeof target - 1);
    if (n > 0) text += " (to " + std::string(target, static_cast<size_t>(n)) + ")";
    return text + "; plugins are loaded only from regular files, checked where they are";
}

// Every check, through the descriptor and the folders the kernel says the file is in.
std::string check_open_file(int fd, const std::string& file) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return "cannot read plugin file " + file + ": " + strerror(errno);
    std::string problem = file_problem(st, file);
    if (!problem.empty()) return problem;

    const std::string link = descriptor_path(fd);
    char buffer[PATH_MAX];
    const ssize_t n = ::readlink(link.c_str(), buffer, sizeof buffer - 1);
    if (n <= 0)
        return "cannot check plugin file " + file + ": " + link + " is not readable (" +
               strerror(errno) + "; is /proc mounted?)";
    const std::string real(buffer, static_cast<size_t>(n));
    // Removed since it was opened: the kernel's path then names no folder to check.
    if (st.st_nlink == 0 || real.front() != '/')
        return "plugin file " + file + " was removed while it was being checked";

    const fs::path plugin_folder = fs::path(real).parent_path();
    for (fs::path dir = plugin_folder;; dir = dir.parent_path()) {
        const std::string what = dir == plugin_folder
                                     ? "plugin folder " + dir.string()
                                     : "folder " + dir.string() + " (above plugin folder " +
                                           plugin_folder.string() + ")";
        struct stat dst {};
        if (::lstat(dir.c_str(), &dst) != 0) return "cannot read " + what + ": " + strerror(errno);
        problem = folder_problem(dst, what);
        if (!problem.empty()) return problem;
        if (dir == dir.root_path() || !dir.has_relative_path()) break;
    }
    return "";
}

}  // namespace

std::string descriptor_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

std::string name_file(std::string text, int fd, const std::string& file) {
    const std::string link = descriptor_path(fd);
    for (auto at = text.find(link); at != std::string::npos; at = text.find(link, at + file.size()))
        text.replace(at, link.size(), file);
    return text;
}

int trusted_plugin_fd(const std::string& file, std::string& why) {
    static std::mutex mutex;
    // Deliberately never destroyed, like the loaded libraries: a probe child or a load may use
    // any of them until the process ends.
    static auto* opened = new std::map<std::string, int>();
    std::lock_guard<std::mutex> lock(mutex);
    why.clear();
    auto it = opened->find(file);
    if (it == opened->end()) {
        // O_NONBLOCK: a fifo put in place of a plugin must not hang the host; it is refused as
        // not a regular file.
        const int fd =
            ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
            const int error = errno;
            struct stat st {};
            if (error == ELOOP && ::lstat(file.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
                why = symlink_refusal(file);
            else
                why = "cannot read plugin file " + file + ": " + strerror(error);
            return -1;
        }
        it = opened->emplace(file, fd).first;
    }
    const int fd = it->second;
    why = check_open_file(fd, file);
    if (why.empty()) return fd;
    // Not remembered: a file fixed (or replaced) since is opened afresh next time.
    ::close(fd);
    opened->erase(it);
    return -1;
}

}  // namespace sightline::core
