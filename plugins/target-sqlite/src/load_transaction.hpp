// LoadTransaction implementations: one write transaction (BEGIN IMMEDIATE) per file.
#pragma once

#include <memory>

#include "db.hpp"
#include "sightline/plugin/target.hpp"

namespace sightline::target_sqlite {

// Starts the load of one file on the store's connection. Throws Error when the spec does not
// describe the fixed columns of its kind, when a custom column is invalid or over the limit, or
// when another load is already open on this connection.
std::unique_ptr<sightline::plugin::LoadTransaction> begin_load(
    std::shared_ptr<Connection> db, const sightline::plugin::LoadSpec& spec);

}  // namespace sightline::target_sqlite
