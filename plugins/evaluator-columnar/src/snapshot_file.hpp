// A snapshot on disk: one file per tenant, read with one read() into one buffer that the
// columns then point into (no parsing per value), so that opening 1M lines takes milliseconds.
//
// Layout (little-endian, every block padded to 8 bytes so columns are aligned in the buffer):
//   "SLCOLSNP" | u32 format version | u32 0 | u64 file size
//   data version text | u64 lines, customers, max_orders, custom columns
//   blocks: u64 byte length, bytes, padding      (one per column and dictionary, fixed order)
//   per custom column: name block, u64 type, its blocks
//   u64 XXH3-64 of every byte before it
// A file that is short, long, of another format version, whose checksum fails or whose columns
// are inconsistent is refused with the reason; the caller rebuilds.
#pragma once

#include <cstdint>
#include <string>

#include "snapshot.hpp"

namespace sightline::evaluator_columnar {

constexpr uint32_t kSnapshotFormat = 2;  // 2: packed line columns

// The bytes of the file for a snapshot.
std::string encode_snapshot(const Snapshot& snapshot);

// The snapshot in `path`, or nullptr with `why` set ("missing" when there is no file).
SnapshotPtr read_snapshot_file(const std::string& path, std::string& why);

// Writes the file atomically: a unique temporary name in the same folder (O_CREAT | O_EXCL |
// O_NOFOLLOW, mode 0600), fsync, rename over `path`, fsync of the folder. Throws plugin::Error.
void write_snapshot_file(const std::string& path, const Snapshot& snapshot);

}  // namespace sightline::evaluator_columnar
