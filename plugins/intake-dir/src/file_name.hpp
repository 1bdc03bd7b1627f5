// The completeness rule: which names in a landing folder are finished uploads.
#pragma once

#include <string_view>

namespace sightline::intake_dir {

// False for names uploaders use while a file is still being written: hidden names (".x.csv",
// as rsync and many SFTP clients use) and the suffixes .part, .tmp and .filepart (compared
// without regard to case, since Windows clients write ".TMP" too). Such files are left alone.
bool is_complete_name(std::string_view name);

// True when name is usable as one path component: a tenant id the host hands us must not
// reach outside the root ("..", "a/b") before it is used to build paths.
bool is_plain_component(std::string_view name);

}  // namespace sightline::intake_dir
