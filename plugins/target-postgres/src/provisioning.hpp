// Creating and dropping a tenant's database and role through the admin connection.
#pragma once

#include <string>

#include "connection.hpp"
#include "dialect.hpp"
#include "tenant_names.hpp"

namespace sightline::target_pg {

struct Provisioned {
    std::string password;  // of the tenant role
    bool created_database = false;
    bool reset_password = false;
};

// Makes sure the tenant's LOGIN role and database exist, that only that role (and superusers)
// may connect, and that password_file holds the role's password: a missing file gets a new
// random password, set on the role. Serialized per tenant by an advisory lock on the admin
// connection, so that concurrent first opens create everything once.
Provisioned provision_tenant(Connection& admin, const TenantNames& names,
                             const std::string& password_file);

// Drops the database (after terminating its other connections), the role and the password file.
void drop_tenant(Connection& admin, const TenantNames& names, const std::string& password_file);

}  // namespace sightline::target_pg
