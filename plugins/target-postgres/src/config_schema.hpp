// The JSON config schema embedded in target-postgres's descriptor
// (docs/plugin-authors.md#config-schema). A constant, so that the descriptor is
// constant-initialized and readable without running code. target-greenplum's schema starts with
// the same keys (SIGHTLINE_TARGET_PG_SHARED_KEYS) and adds its own.
#pragma once

// clang-format off
#define SIGHTLINE_TARGET_PG_SHARED_KEYS                                                           \
    "\"admin_dsn\": {\"type\": \"string\", \"required\": true, \"secret\": true, \"description\": " \
    "\"libpq connection string (keyword/value or URI) of a role that may create databases and "   \
    "roles; host, port and TLS settings are reused for the tenants' connections\"},\n"            \
    "\"database_prefix\": {\"type\": \"string\", \"default\": \"sightline_\", \"description\": "   \
    "\"Tenant database name = prefix + tenant id with '-' as '_' (at most 63 bytes with the "       \
    "role's _owner suffix)\"},\n"                                                                   \
    "\"secrets_dir\": {\"type\": \"string\", \"description\": "                                    \
    "\"Folder (0700) of the tenant roles' password files; default <state_dir>/<plugin id>\"},\n"  \
    "\"connect_timeout_s\": {\"type\": \"integer\", \"default\": 10, \"minimum\": 1, "             \
    "\"maximum\": 600, \"description\": \"libpq connect_timeout when admin_dsn sets none\"}"
// clang-format on

namespace sightline::target_pg {

inline constexpr char kConfigSchema[] = "{" SIGHTLINE_TARGET_PG_SHARED_KEYS "}";

}  // namespace sightline::target_pg
