// Helpers the benchmark programs share: statistics, formatting, files, the machine, running
// programs with a clear failure message, and a temporary workspace.
#pragma once

#include <limits.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "process.hpp"

namespace sightline::bench {

namespace fs = std::filesystem;

struct BenchError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------------------------------------
// Small helpers

inline double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

inline double max_of(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
}
inline double min_of(const std::vector<double>& v) {
    return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
}

inline std::string fmt(const char* format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

inline std::string with_commas(uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

inline double mb(uint64_t bytes) { return static_cast<double>(bytes) / 1e6; }
inline double kib_to_mb(long kib) { return static_cast<double>(kib) * 1024.0 / 1e6; }

inline std::string pad_left(const std::string& s, size_t width) {
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}
inline std::string pad_right(const std::string& s, size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

inline std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    size_t start = 0;
    while (start < s.size() && s[start] == ' ') ++start;
    return s.substr(start);
}

// The last lines of a child's standard error, for a failure message.
inline std::string tail_of(const fs::path& path, size_t max_lines = 15) {
    const std::string text = trim(read_text(path));
    size_t pos = text.size(), lines = 0;
    while (pos > 0 && lines < max_lines) {
        pos = text.rfind('\n', pos - 1);
        if (pos == std::string::npos) {
            pos = 0;
            break;
        }
        ++lines;
    }
    return text.substr(pos == 0 ? 0 : pos + 1);
}

inline uint64_t tree_bytes(const fs::path& root) {
    std::error_code ec;
    if (!fs::exists(root, ec)) return 0;
    if (fs::is_regular_file(root, ec)) return fs::file_size(root, ec);
    uint64_t total = 0;
    for (auto it = fs::recursive_directory_iterator(root, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code size_ec;
        if (it->is_regular_file(size_ec)) {
            const auto size = it->file_size(size_ec);
            if (!size_ec) total += size;
        }
    }
    return total;
}

// A YAML double-quoted scalar.
inline std::string yaml_quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// A dot-command argument of the sqlite3 shell, double-quoted.
inline std::string shell_arg_quote(const std::string& s) { return yaml_quote(s); }

inline void check_interrupted() {
    if (interrupted()) throw BenchError("interrupted");
}

inline void flush_page_cache_writes() {
    // Dirty pages of the previous run must not be written back during the next timed run.
    ::sync();
}

inline std::string self_dir() {
    char buffer[PATH_MAX];
    const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (n <= 0) return ".";
    buffer[n] = '\0';
    return fs::path(buffer).parent_path().string();
}

inline std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return trim(line.substr(colon + 1));
        }
    return "unknown";
}

inline uint64_t memory_bytes() {
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

inline std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

// ---------------------------------------------------------------------------------------------
// The temporary folder: created under $TMPDIR (or /tmp), removed at the end unless --keep.

class Workspace {
public:
    explicit Workspace(bool keep) : keep_(keep) {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/sightline-bench.XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (!::mkdtemp(buffer.data())) throw BenchError("cannot create a folder like " + pattern);
        root_ = buffer.data();
    }
    ~Workspace() {
        if (keep_) {
            std::cerr << "kept " << root_.string() << "\n";
            return;
        }
        std::error_code ec;
        fs::remove_all(root_, ec);
    }
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    const fs::path& root() const { return root_; }
    bool keep() const { return keep_; }
    // A fresh, empty subfolder.
    fs::path fresh(const std::string& name) const {
        const fs::path dir = root_ / name;
        std::error_code ec;
        fs::remove_all(dir, ec);
        fs::create_directories(dir);
        return dir;
    }
    void discard(const fs::path& dir) const {
        if (keep_) return;
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

private:
    bool keep_;
    fs::path root_;
};

inline ProcessResult run_checked(const ProcessSpec& spec, const std::string& what) {
    ProcessResult r = run_process(spec);
    check_interrupted();
    if (!r.ok()) {
        std::string detail = spec.stderr_path.empty() ? "" : tail_of(spec.stderr_path);
        throw BenchError(what + " failed (" + r.describe() + ")" +
                         (detail.empty() ? "" : ":\n" + detail));
    }
    return r;
}

inline std::string first_line(const std::string& s) { return trim(s.substr(0, s.find('\n'))); }

inline std::string first_words(const std::string& s, size_t n) {
    std::istringstream in(s);
    std::string word, out;
    while (n-- > 0 && in >> word) out += (out.empty() ? "" : " ") + word;
    return out;
}

inline std::string program_version(const std::string& program, const fs::path& dir) {
    ProcessSpec spec;
    spec.argv = {program, "--version"};
    spec.stdout_path = (dir / "version.out").string();
    spec.stderr_path = (dir / "version.err").string();
    run_checked(spec, program + " --version");
    return first_line(read_text(spec.stdout_path));
}

inline void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw BenchError("cannot write " + path.string());
}

}  // namespace sightline::bench
