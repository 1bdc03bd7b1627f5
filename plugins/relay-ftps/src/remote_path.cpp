#include "remote_path.hpp"

#include "sightline/plugin/api.hpp"

namespace sightline::ftps_client {

using plugin::Error;

std::string component_problem(const std::string& component) {
    if (component.empty()) return "an empty path component";
    if (component.size() > 255) return "a path component longer than 255 bytes";
    if (component.front() == '.') return "a component starting with '.'";
    for (const char c : component) {
        if (c == '\r' || c == '\n') return "a line break";
        if (c == '\0') return "a NUL byte";
        if (c == '\\') return "a backslash";
        if (c == '/') return "a '/' inside a name";
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "a control character";
    }
    return "";
}

void check_remote_path(const std::string& path) {
    if (path.empty() || path.front() != '/') throw Error("remote path must be absolute");
    if (path.size() > 1024) throw Error("remote path longer than 1024 bytes");
    if (path == "/") return;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        const std::string problem = component_problem(path.substr(start, end - start));
        // The path itself is not repeated: it may be the very thing that must not reach a log.
        if (!problem.empty()) throw Error("unsafe remote path: " + problem);
        start = end + 1;
    }
}

std::vector<std::string> split_remote_path(const std::string& path) {
    check_remote_path(path);
    std::vector<std::string> parts;
    size_t start = 1;
    while (start < path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string join_remote(const std::string& folder, const std::string& name) {
    std::string out = folder == "/" ? "/" + name : folder + "/" + name;
    check_remote_path(out);
    return out;
}

std::string parent_remote(const std::string& path) {
    check_remote_path(path);
    const size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace sightline::ftps_client
