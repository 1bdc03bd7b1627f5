// Admission of control connections: caps, making room by closing the oldest connection not
// logged in, and never closing a logged-in one. Sockets are real (socketpair): "closed" means
// the other end reads end-of-file.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "admission.hpp"

namespace sightline::intake_ftps {
namespace {

using V = Admission::Verdict;

// One connection: the server's end (attached) and the client's end (what the client sees).
struct Pair {
    int server = -1;
    int client = -1;
    Pair() {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
        server = fds[0];
        client = fds[1];
    }
    ~Pair() {
        ::close(server);
        ::close(client);
    }
    // The server shut its socket down: the client reads end-of-file without waiting.
    bool closed_by_server() const {
        char byte;
        return ::recv(client, &byte, 1, MSG_DONTWAIT) == 0;
    }
};

TEST(Admission, TotalAndPerAddressWhenEveryoneIsLoggedIn) {
    Admission admission(3, 2);
    Pair a1, a2, b;
    for (auto [address, pair] : {std::pair{"a", &a1}, {"a", &a2}, {"b", &b}}) {
        const auto r = admission.admit(address);
        ASSERT_EQ(r.verdict, V::ok);
        ASSERT_TRUE(admission.attach(r.ticket, pair->server));
        Admission::note_login();  // this thread "serves" the connection it just attached
    }
    EXPECT_EQ(admission.admit("a").verdict, V::per_address);
    EXPECT_EQ(admission.admit("c").verdict, V::total);
    EXPECT_FALSE(a1.closed_by_server());
    EXPECT_FALSE(b.closed_by_server());
    EXPECT_EQ(admission.open(), 3);
    EXPECT_EQ(admission.not_logged_in(), 0);
}

TEST(Admission, AFullServerClosesTheOldestConnectionNotLoggedIn) {
    Admission admission(3, 8);
    Pair logged, old_idle, young_idle;
    auto r = admission.admit("10.0.0.1");
    ASSERT_TRUE(admission.attach(r.ticket, logged.server));
    Admission::note_login();
    const auto old_ticket = admission.admit("10.0.0.2").ticket;
    ASSERT_TRUE(admission.attach(old_ticket, old_idle.server));
    const auto young_ticket = admission.admit("10.0.0.3").ticket;
    ASSERT_TRUE(admission.attach(young_ticket, young_idle.server));

    r = admission.admit("127.0.0.1");
    EXPECT_EQ(r.verdict, V::ok);
    EXPECT_EQ(r.evicted_peer, "10.0.0.2");
    EXPECT_TRUE(old_idle.closed_by_server());
    EXPECT_FALSE(young_idle.closed_by_server());
    EXPECT_FALSE(logged.closed_by_server());
    EXPECT_EQ(admission.open(), 3);
    // The closed connection's thread releases its ticket later: nothing is counted twice.
    admission.release(old_ticket);
    EXPECT_EQ(admission.open(), 3);
    admission.release(young_ticket);
    EXPECT_EQ(admission.open(), 2);
}

TEST(Admission, AClientAloneOnItsAddressOutlastsAFloodFromFewerAddresses) {
    // Two flooding addresses knock again and again; the older lone client is never chosen.
    Admission admission(4, 100);
    Pair lone;
    ASSERT_TRUE(admission.attach(admission.admit("10.0.0.9").ticket, lone.server));
    for (int i = 0; i < 50; ++i) {
        const auto r = admission.admit(i % 2 ? "10.0.0.1" : "10.0.0.2");
        ASSERT_EQ(r.verdict, V::ok);
        EXPECT_NE(r.evicted_peer, "10.0.0.9");
    }
    EXPECT_FALSE(lone.closed_by_server());
    EXPECT_EQ(admission.open(), 4);
}

TEST(Admission, AnAddressAtItsCapClosesNobody) {
    // Knocking again and again from a full address must not push out other clients.
    Admission admission(2, 1);
    Pair a, b;
    ASSERT_TRUE(admission.attach(admission.admit("a").ticket, a.server));
    ASSERT_TRUE(admission.attach(admission.admit("b").ticket, b.server));
    for (int i = 0; i < 5; ++i) EXPECT_EQ(admission.admit("a").verdict, V::per_address);
    EXPECT_FALSE(a.closed_by_server());
    EXPECT_FALSE(b.closed_by_server());
}

TEST(Admission, AConnectionClosedBeforeItsThreadStartedIsNotServed) {
    Admission admission(1, 8);
    const auto first = admission.admit("a").ticket;  // its thread has not attached yet
    const auto second = admission.admit("b");
    EXPECT_EQ(second.verdict, V::ok);
    EXPECT_EQ(second.evicted_peer, "a");
    Pair p;
    EXPECT_FALSE(admission.attach(first, p.server));
    EXPECT_FALSE(p.closed_by_server());  // never attached: its socket is not touched
    admission.release(first);
    EXPECT_EQ(admission.open(), 1);
}

TEST(Admission, ALoginInAnotherThreadMarksOnlyThatThreadsConnection) {
    Admission admission(2, 8);
    Pair mine, theirs;
    const auto my_ticket = admission.admit("a").ticket;
    ASSERT_TRUE(admission.attach(my_ticket, mine.server));
    std::thread([&] {
        const auto ticket = admission.admit("b").ticket;
        ASSERT_TRUE(admission.attach(ticket, theirs.server));
        Admission::note_login();
        // Ended in its thread: the thread no longer marks anything.
        admission.release(ticket);
        Admission::note_login();
    }).join();
    EXPECT_EQ(admission.not_logged_in(), 1);
    // A new connection makes room by closing mine, the one never logged in.
    admission.admit("c");
    const auto r = admission.admit("d");
    EXPECT_EQ(r.evicted_peer, "a");
    EXPECT_TRUE(mine.closed_by_server());
}

TEST(Admission, AnIpv6Slash64SharesOneCap) {
    Admission admission(100, 2);
    EXPECT_EQ(admission.admit("2001:db8:1:2::1").verdict, V::ok);
    EXPECT_EQ(admission.admit("2001:db8:1:2::2").verdict, V::ok);
    EXPECT_EQ(admission.admit("2001:db8:1:2:ffff::3").verdict, V::per_address);
    EXPECT_EQ(admission.admit("2001:db8:1:3::1").verdict, V::ok);
}

TEST(Admission, LowerLimitsAfterAReloadCloseNothingAtOnce) {
    Admission admission(4, 4);
    Pair a, b;
    ASSERT_TRUE(admission.attach(admission.admit("a").ticket, a.server));
    ASSERT_TRUE(admission.attach(admission.admit("a").ticket, b.server));
    admission.set_limits(1, 1);
    EXPECT_FALSE(a.closed_by_server());
    EXPECT_EQ(admission.admit("a").verdict, V::per_address);
    // Another address makes room for itself: one connection goes, the oldest.
    EXPECT_EQ(admission.admit("b").evicted_peer, "a");
    EXPECT_TRUE(a.closed_by_server());
    EXPECT_FALSE(b.closed_by_server());
}

}  // namespace
}  // namespace sightline::intake_ftps
