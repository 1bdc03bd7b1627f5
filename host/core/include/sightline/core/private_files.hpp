// State and secrets are for the service user only: files 0600 in folders 0700. Set explicitly
// rather than left to the umask, so that a library that creates files its own way (SQLite), a
// caller's umask or an old installation's looser modes do not decide.
#pragma once

#include <string>

namespace sightline::core {

// Creates `path` and every missing folder above it with mode 0700, and takes the group and other
// bits off `path` itself when it already exists with them (it holds state: an installation made
// before these modes were set is tightened on its next start). Throws std::runtime_error naming
// the folder.
void make_private_folder(const std::string& path);

// Creates the file 0600 when missing (never through a symbolic link) and takes the group and
// other bits off it when it exists; the same for SQLite's "-wal" and "-shm" files beside it when
// present. SQLite creates those two with the mode of the database file, so a database made
// private before sqlite3_open stays private with its journal. Throws std::runtime_error.
void make_private_sqlite(const std::string& path);

}  // namespace sightline::core
