// The HTTP listener's connection table: caps, making room by closing the connection that has
// waited longest for a request, and never closing a busy one.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "connection_table.hpp"

namespace sightline::http::detail {
namespace {

using V = ConnectionTable::Verdict;

ConnectionTable::Address v4(uint8_t last) {
    return {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 2, last};
}

ConnectionTable::Address v6(uint8_t prefix_byte, uint8_t host) {
    return {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, prefix_byte, 0, 0, 0, 0, 0, 0, 0, host};
}

struct Connection : Closable {
    bool closed = false;
    void close_for_room() override { closed = true; }
};

// Admits, attaches and sets waiting, as a listener does for a new connection.
std::shared_ptr<Connection> open(ConnectionTable& table, const ConnectionTable::Address& a,
                                 ConnectionTable::Id& id) {
    auto admitted = table.admit(a);
    EXPECT_EQ(admitted.verdict, V::ok);
    if (admitted.closed) admitted.closed->close_for_room();
    auto c = std::make_shared<Connection>();
    id = admitted.id;
    table.attach(id, c);
    table.waiting(id);
    return c;
}

TEST(ConnectionTable, AFullListenerClosesTheLongestWaitingConnection) {
    ConnectionTable table(3, 10);
    ConnectionTable::Id a, b, c, d;
    auto busy = open(table, v4(1), a);
    table.busy(a);  // its request is being handled
    auto old_wait = open(table, v4(2), b);
    auto young_wait = open(table, v4(3), c);
    auto fresh = open(table, v4(4), d);
    EXPECT_FALSE(busy->closed);
    EXPECT_TRUE(old_wait->closed);
    EXPECT_FALSE(young_wait->closed);
    EXPECT_EQ(table.open(), 3);
    table.release(b);  // the closed one goes away later: not counted twice
    EXPECT_EQ(table.open(), 3);
}

TEST(ConnectionTable, AClientAloneOnItsAddressOutlastsAFloodFromFewerAddresses) {
    // Two flooding addresses knock again and again; the older lone client is never chosen.
    ConnectionTable table(4, 10);
    ConnectionTable::Id id;
    auto lone = open(table, v4(9), id);
    std::vector<std::shared_ptr<Connection>> flood;
    for (int i = 0; i < 50; ++i) flood.push_back(open(table, v4(1 + i % 2), id));
    EXPECT_FALSE(lone->closed);
    EXPECT_EQ(table.open(), 4);
}

TEST(ConnectionTable, WhenEveryConnectionIsBusyANewOneIsRefused) {
    ConnectionTable table(2, 10);
    ConnectionTable::Id a, b;
    auto first = open(table, v4(1), a);
    auto second = open(table, v4(2), b);
    table.busy(a);
    table.busy(b);
    EXPECT_EQ(table.admit(v4(3)).verdict, V::total);
    EXPECT_FALSE(first->closed || second->closed);
    table.waiting(a);  // answered, waits for its next request on a keep-alive connection
    const auto admitted = table.admit(v4(3));
    EXPECT_EQ(admitted.verdict, V::ok);
    EXPECT_EQ(admitted.closed, first);
}

TEST(ConnectionTable, AnAddressAtItsCapClosesNobody) {
    ConnectionTable table(2, 1);
    ConnectionTable::Id a, b;
    auto first = open(table, v4(1), a);
    auto second = open(table, v4(2), b);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(table.admit(v4(1)).verdict, V::per_address);
    EXPECT_FALSE(first->closed || second->closed);
}

TEST(ConnectionTable, AnIpv6Slash64SharesOneCap) {
    ConnectionTable table(100, 2);
    EXPECT_EQ(table.admit(v6(1, 1)).verdict, V::ok);
    EXPECT_EQ(table.admit(v6(1, 2)).verdict, V::ok);
    EXPECT_EQ(table.admit(v6(1, 3)).verdict, V::per_address);
    EXPECT_EQ(table.admit(v6(2, 1)).verdict, V::ok);
}

TEST(ConnectionTable, KeepsItsPlaceInLineWhileWaiting) {
    ConnectionTable table(2, 10);
    ConnectionTable::Id a, b, c;
    auto first = open(table, v4(1), a);
    auto second = open(table, v4(2), b);
    table.waiting(a);  // e.g. the header after the TLS handshake: still the oldest
    open(table, v4(3), c);
    EXPECT_TRUE(first->closed);
    EXPECT_FALSE(second->closed);
}

TEST(ConnectionTable, AConnectionAlreadyGoneIsSkippedAndItsPlaceReused) {
    ConnectionTable table(1, 10);
    ConnectionTable::Id a, b;
    open(table, v4(1), a).reset();  // destroyed, not yet released
    auto second = open(table, v4(2), b);
    EXPECT_EQ(table.open(), 1);
    EXPECT_FALSE(second->closed);
}

}  // namespace
}  // namespace sightline::http::detail
