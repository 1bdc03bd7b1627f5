// Rules for the remote names the FTPS client sends, so that nothing odd reaches the wire: FTP
// commands are lines, so a CR or LF in a name would end the command early and start another
// (command injection), and "..", "\" or hidden names would reach outside the intended folder.
#pragma once

#include <string>
#include <vector>

namespace sightline::ftps_client {

// "" when component is one safe path component, else why not.
std::string component_problem(const std::string& component);

// Throws plugin::Error unless path is absolute ("/a/b") and every component is safe (no empty
// components, no CR, LF, NUL or backslash, no "..", no component starting with '.').
void check_remote_path(const std::string& path);

// The components of a checked absolute path ("/a/b" -> {"a", "b"}; "/" -> {}).
std::vector<std::string> split_remote_path(const std::string& path);

// "/a" + "b" -> "/a/b", "/" + "b" -> "/b". Checks the result.
std::string join_remote(const std::string& folder, const std::string& name);

// The folder part of a checked path ("/a/b" -> "/a", "/a" -> "/").
std::string parent_remote(const std::string& path);

}  // namespace sightline::ftps_client
