// Plugin files are checked through the descriptor that loads them, so the file checked is the
// file loaded: the file is opened once (O_NOFOLLOW: a plugin file that is a symbolic link is
// refused), the descriptor is checked (fstat: a regular file, owned by root or this user, not
// writable by group or others), then every folder from the file's real folder up to / (owned by
// root or this user; not writable by group or others unless sticky and owned by root, like /tmp).
// Loading goes through /proc/self/fd/N of that descriptor, in the probe child and in-process.
#pragma once

#include <string>

namespace sightline::core {

// The descriptor of `file`, opened once per process and path and kept open for the life of the
// process (the probe and the final load share it), or -1 with the reason in `why`. The checks
// run again on every call, on the same descriptor: a file whose folder became writable by others
// since is refused too. Failures are not remembered: a file fixed since is opened again.
int trusted_plugin_fd(const std::string& file, std::string& why);

// The path through which the dynamic loader opens exactly that descriptor.
std::string descriptor_path(int fd);

// The loader's message names /proc/self/fd/N; put the plugin's file name back.
std::string name_file(std::string text, int fd, const std::string& file);

}  // namespace sightline::core
