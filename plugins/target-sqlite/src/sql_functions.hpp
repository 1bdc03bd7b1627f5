// SQL functions registered on every connection of this plugin.
//   sl_sum_exact(x)     aggregate: exact sum of int64 millionths, as decimal text ("12.5", "0")
//   sl_customer_id(k)   stored customer key <-> int64 bit pattern of the unsigned id (an
//                       involution: the same function converts both ways)
#pragma once

#include <sqlite3.h>

#include <string>

namespace sightline::target_sqlite {

__extension__ typedef __int128 int128;

// Shortest exact decimal text of a count of millionths: 12.5, -0.000001, 3, 0.
std::string format_millionths(int128 millionths);

// Throws Error when registration fails.
void register_sql_functions(sqlite3* db);

}  // namespace sightline::target_sqlite
