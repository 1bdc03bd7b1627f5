#include "virtual_path.hpp"

#include <algorithm>
#include <cstdint>

namespace sightline::intake_ftps {

namespace {

// Printable UTF-8: well-formed sequences, no C0/C1 controls, no DEL, no overlongs/surrogates.
bool printable_utf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f) return false;
            ++i;
            continue;
        }
        int extra = 0;
        uint32_t cp = 0;
        if ((c & 0xe0) == 0xc0) {
            extra = 1;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<size_t>(extra) >= s.size()) return false;
        for (int k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3f);
        }
        static const uint32_t min_for[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min_for[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        if (cp >= 0x80 && cp < 0xa0) return false;  // C1 controls
        i += static_cast<size_t>(extra) + 1;
    }
    return true;
}

}  // namespace

bool valid_component(const std::string& name) {
    if (name.empty() || name.size() > 255 || name.front() == '.') return false;
    if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos) return false;
    return printable_utf8(name);
}

bool resolve(const VPath& cwd, const std::string& arg, VPath& out, std::string& why) {
    VPath path = (!arg.empty() && arg.front() == '/') ? VPath{} : cwd;
    size_t start = 0;
    while (start <= arg.size()) {
        auto slash = arg.find('/', start);
        if (slash == std::string::npos) slash = arg.size();
        const std::string part = arg.substr(start, slash - start);
        start = slash + 1;
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            why = "'..' is not allowed in paths";
            return false;
        }
        if (!valid_component(part)) {
            why =
                "invalid name: names are printable UTF-8, at most 255 bytes, without '\\' and "
                "not starting with '.'";
            return false;
        }
        path.push_back(part);
    }
    out = std::move(path);
    return true;
}

std::string to_string(const VPath& path) {
    if (path.empty()) return "/";
    std::string out;
    for (const auto& part : path) out += "/" + part;
    return out;
}

Location locate(const VPath& path, const std::string& account_tenant,
                const std::vector<std::string>& tenants) {
    Location loc;
    size_t i = 0;
    if (account_tenant == "*") {
        if (path.empty()) {
            loc.place = Place::relay_root;
            return loc;
        }
        if (std::find(tenants.begin(), tenants.end(), path[0]) == tenants.end()) return loc;
        loc.tenant = path[0];
        i = 1;
    } else {
        loc.tenant = account_tenant;
    }
    const size_t rest = path.size() - i;
    if (rest == 0) {
        loc.place = Place::tenant_root;
    } else if (rest == 1) {
        if (path[i] == "full") {
            loc.place = Place::full_dir;
        } else if (path[i] == "status") {
            loc.place = Place::status_dir;
        } else {
            loc.place = Place::upload;
            loc.name = path[i];
        }
    } else if (rest == 2 && (path[i] == "full" || path[i] == "status")) {
        loc.place = path[i] == "full" ? Place::full_upload : Place::status_note;
        loc.name = path[i + 1];
    }
    if (loc.place == Place::none) loc.tenant.clear();
    return loc;
}

}  // namespace sightline::intake_ftps
