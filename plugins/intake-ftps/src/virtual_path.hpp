// What an account sees: a virtual tree whose "/" is its tenant's landing folder (or, for the
// relay account, the landing root with one folder per tenant). Pure string logic; the
// filesystem side is in landing.hpp.
#pragma once

#include <string>
#include <vector>

namespace sightline::intake_ftps {

using VPath = std::vector<std::string>;  // components below the account's "/"

// Upload names and path components: non-empty, at most 255 bytes, valid printable UTF-8, no
// '/', '\', control characters, and not starting with '.' (hides ".partial", "..", dotfiles).
bool valid_component(const std::string& name);

// Resolves arg against cwd. ".." is refused rather than resolved: a client never needs it in a
// tree this shallow, and refusing it leaves no normalisation to get wrong. Percent-encoding is
// not decoded: "%2e%2e" is a literal (and harmless) name. Returns false with why set.
bool resolve(const VPath& cwd, const std::string& arg, VPath& out, std::string& why);

std::string to_string(const VPath& path);  // "/a/b"

enum class Place {
    relay_root,   // the relay account's "/": a folder per tenant
    tenant_root,  // a tenant's folder: incremental uploads
    full_dir,     // full/: full uploads
    status_dir,   // status/: notes written by the server
    upload,       // a file in tenant_root
    full_upload,  // a file in full/
    status_note,  // a file in status/
    none,         // not in the tree
};

struct Location {
    Place place = Place::none;
    std::string tenant;
    std::string name;  // for files
    bool is_dir() const {
        return place == Place::relay_root || place == Place::tenant_root ||
               place == Place::full_dir || place == Place::status_dir;
    }
    bool is_upload() const { return place == Place::upload || place == Place::full_upload; }
};

// account_tenant is the account's tenant, or "*" for the relay account, which reaches
// /<tenant>/... for the tenants in `tenants` only.
Location locate(const VPath& path, const std::string& account_tenant,
                const std::vector<std::string>& tenants);

}  // namespace sightline::intake_ftps
