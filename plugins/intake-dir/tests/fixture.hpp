// A landing root with two tenants, a fake host and sink, and the plugin built on them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_support.hpp"

namespace sightline::intake_dir::testing {

class IntakeDirTest : public ::testing::Test {
protected:
    IntakeDirTest() : root_(dir_.path() + "/landing"), host_({"acme", "globex"}) {}

    ~IntakeDirTest() override {
        // Destroy the plugin (and its thread) before the host and sink it refers to.
        transport_.reset();
    }

    // extra: more members of the config object, e.g. R"("settle_ms": 5000)".
    plugin::Transport& make(const std::string& extra = "") {
        std::string config = R"({"root": ")" + root_ + R"(")";
        if (!extra.empty()) config += ", " + extra;
        config += "}";
        transport_ = create_transport(host_, config);
        return *transport_;
    }

    // Creates the folders (the default create_folders) with a first, empty drain.
    plugin::Transport& make_ready(const std::string& extra = "") {
        make(extra).drain(sink_);
        return *transport_;
    }

    std::string incoming(const std::string& tenant, const std::string& name) const {
        return root_ + "/" + tenant + "/" + name;
    }
    std::string full(const std::string& tenant, const std::string& name) const {
        return root_ + "/" + tenant + "/full/" + name;
    }

    TempDir dir_;
    std::string root_;
    FakeHost host_;
    FakeSink sink_;
    std::unique_ptr<plugin::Transport> transport_;
};

}  // namespace sightline::intake_dir::testing
