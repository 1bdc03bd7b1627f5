// Remote names: nothing that could inject a command or leave the intended folder reaches the wire.
#include <gtest/gtest.h>

#include "remote_path.hpp"
#include "sightline/plugin/api.hpp"

namespace {

using sightline::ftps_client::check_remote_path;
using sightline::ftps_client::component_problem;
using sightline::ftps_client::join_remote;
using sightline::ftps_client::parent_remote;
using sightline::ftps_client::split_remote_path;
using sightline::plugin::Error;

TEST(RemotePath, AcceptsOrdinaryAbsolutePaths) {
    EXPECT_NO_THROW(check_remote_path("/"));
    EXPECT_NO_THROW(check_remote_path("/acme/sales 2026-11.csv"));
    EXPECT_NO_THROW(check_remote_path("/acme/full/x.y.z"));
    EXPECT_NO_THROW(check_remote_path("/tmp/dir/a%20b#c?d"));  // escaped in the URL, not refused
}

TEST(RemotePath, RefusesEverythingOdd) {
    for (const std::string& bad :
         {std::string("acme/x"), std::string(""), std::string("/acme/x\r\nDELE /y"),
          std::string("/acme/x\n"), std::string("/acme/x\r"), std::string("/acme/x\0y", 9),
          std::string("/acme/../etc"), std::string("/.."), std::string("/acme/.hidden"),
          std::string("/acme/./x"), std::string("/acme\\x"), std::string("/acme//x"),
          std::string("/acme/x/"), std::string("/acme/\x01x"),
          std::string("/a/") + std::string(300, 'x')}) {
        EXPECT_THROW(check_remote_path(bad), Error) << bad;
    }
}

TEST(RemotePath, TheMessageDoesNotRepeatThePath) {
    try {
        check_remote_path("/acme/x\r\nPASS secret");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
    }
}

TEST(RemotePath, Components) {
    EXPECT_EQ(component_problem("sales.csv"), "");
    EXPECT_NE(component_problem(".."), "");
    EXPECT_NE(component_problem("a/b"), "");
    EXPECT_NE(component_problem(""), "");
    EXPECT_EQ(split_remote_path("/a/b"), (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(split_remote_path("/").empty());
    EXPECT_EQ(join_remote("/", "a"), "/a");
    EXPECT_EQ(join_remote("/a", "b"), "/a/b");
    EXPECT_THROW(join_remote("/a", ".."), Error);
    EXPECT_EQ(parent_remote("/a/b"), "/a");
    EXPECT_EQ(parent_remote("/a"), "/");
}

}  // namespace
