#include "segment_document.hpp"

#include <algorithm>
#include <cstring>
#include <sstream>

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "sightline/core/json_input.hpp"
#include "sightline/core/utf8.hpp"

namespace sightline::core::segment_doc {

const char* kind_name(Node::Kind kind) {
    switch (kind) {
        case Node::Kind::null:
            return "null";
        case Node::Kind::boolean:
            return "a boolean";
        case Node::Kind::number:
            return "a number";
        case Node::Kind::string:
            return "a string";
        case Node::Kind::array:
            return "a list";
        case Node::Kind::object:
            return "an object";
    }
    return "?";
}

namespace {

// Builds the tree from nlohmann's SAX events, which hand over the text of every
// floating-point number (integers arrive exact as int64/uint64).
class TreeBuilder : public nlohmann::json_sax<nlohmann::json> {
public:
    bool null() override { return add(Node{}); }
    bool boolean(bool value) override {
        Node n;
        n.kind = Node::Kind::boolean;
        n.boolean = value;
        return add(std::move(n));
    }
    bool number_integer(number_integer_t value) override { return number(std::to_string(value)); }
    bool number_unsigned(number_unsigned_t value) override { return number(std::to_string(value)); }
    bool number_float(number_float_t, const string_t& text) override { return number(text); }
    bool string(string_t& value) override {
        Node n;
        n.kind = Node::Kind::string;
        n.text = value;
        return add(std::move(n));
    }
    bool binary(binary_t&) override { return fail("binary values are not JSON"); }
    bool start_object(std::size_t) override { return open(Node::Kind::object); }
    bool key(string_t& name) override {
        Node& object = stack_.back();
        for (const auto& member : object.members) {
            if (member.first == name) return fail("duplicate key '" + name + "'");
        }
        keys_.push_back(name);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(Node::Kind::array); }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t position, const std::string&,
                     const nlohmann::detail::exception& e) override {
        error_ = json_error_text(e);
        if (error_.empty()) error_ = "invalid JSON at byte " + std::to_string(position);
        return false;
    }

    std::optional<Node> take() { return std::move(root_); }
    const std::string& error() const { return error_; }

private:
    bool number(std::string text) {
        Node n;
        n.kind = Node::Kind::number;
        n.text = std::move(text);
        return add(std::move(n));
    }
    // Refusing the level past the bound before it exists keeps every later walk of the tree
    // (validation, writing, freeing) within the bound too.
    bool open(Node::Kind kind) {
        if (stack_.size() >= kMaxNestingDepth) return fail(nesting_too_deep_message());
        Node n;
        n.kind = kind;
        stack_.push_back(std::move(n));
        return true;
    }
    bool close() {
        Node done = std::move(stack_.back());
        stack_.pop_back();
        return add(std::move(done));
    }
    bool add(Node n) {
        if (stack_.empty()) {
            root_ = std::move(n);
            return true;
        }
        Node& parent = stack_.back();
        if (parent.kind == Node::Kind::array) {
            parent.items.push_back(std::move(n));
        } else {
            parent.members.emplace_back(std::move(keys_.back()), std::move(n));
            keys_.pop_back();
        }
        return true;
    }
    bool fail(std::string message) {
        error_ = std::move(message);
        return false;
    }

    std::vector<Node> stack_;
    std::vector<std::string> keys_;
    std::optional<Node> root_;
    std::string error_;
};

std::string at_mark(const YAML::Mark& mark) {
    return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

// Plain (unquoted) YAML scalars take the YAML 1.2 core schema's types; quoted ones are strings.
Node scalar(const std::string& tag, const std::string& value) {
    Node n;
    if (tag != "?") {  // quoted or explicitly tagged: a string
        n.kind = Node::Kind::string;
        n.text = value;
        return n;
    }
    if (value == "null" || value == "Null" || value == "NULL" || value == "~" || value.empty()) {
        return n;
    }
    if (value == "true" || value == "True" || value == "TRUE" || value == "false" ||
        value == "False" || value == "FALSE") {
        n.kind = Node::Kind::boolean;
        n.boolean = value[0] == 't' || value[0] == 'T';
        return n;
    }
    // A number in JSON's grammar (with an optional '+'); anything else is a string.
    size_t i = value[0] == '-' || value[0] == '+' ? 1 : 0;
    const size_t digits_start = i;
    while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) ++i;
    bool numeric = i > digits_start;
    if (numeric && i < value.size() && value[i] == '.') {
        const size_t fraction = ++i;
        while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) ++i;
        numeric = i > fraction;
    }
    if (numeric && i < value.size() && (value[i] == 'e' || value[i] == 'E')) {
        ++i;
        if (i < value.size() && (value[i] == '+' || value[i] == '-')) ++i;
        const size_t exponent = i;
        while (i < value.size() && std::isdigit(static_cast<unsigned char>(value[i]))) ++i;
        numeric = i > exponent;
    }
    if (numeric && i == value.size()) {
        n.kind = Node::Kind::number;
        n.text = value[0] == '+' ? value.substr(1) : value;
        // As the JSON reader writes it (an integer's value): the canonical form of a definition
        // must not depend on the format it came in (found by fuzz target segment_document).
        if (n.text == "-0") n.text = "0";
    } else {
        n.kind = Node::Kind::string;
        n.text = value;
    }
    return n;
}

// Builds the tree from yaml-cpp's parser events rather than from a YAML::Node: a document
// loaded whole would first expand every alias (a few hundred bytes can stand for 10^8 nodes), and
// converting it would recurse as deep as the document. Here anchors and aliases are refused
// where they appear, and nesting stops at the bound before the parser goes deeper.
class YamlTreeBuilder : public YAML::EventHandler {
public:
    struct Refused {
        std::string message;
    };

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        no_anchor(mark, anchor);
        if (expecting_key()) refuse_key(mark);
        add(Node{});
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { refuse_anchor(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        no_anchor(mark, anchor);
        // yaml-cpp passes a scalar's bytes through unchecked: only valid UTF-8 can be written as
        // the JSON the segment store keeps (nlohmann's writer throws on anything else).
        if (!valid_utf8(value))
            throw Refused{"text that is not valid UTF-8 (" + at_mark(mark) + ")"};
        if (expecting_key()) {
            Frame& map = stack_.back();
            for (const auto& existing : map.node.members) {
                if (existing.first == value)
                    throw Refused{"duplicate key '" + value + "' (" + at_mark(mark) + ")"};
            }
            map.key = value;
            return;
        }
        add(scalar(tag, value));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(Node::Kind::array, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(Node::Kind::object, mark, anchor);
    }
    void OnMapEnd() override { close(); }

    Node take() { return root_ ? std::move(*root_) : Node{}; }

private:
    struct Frame {
        Node node;
        std::optional<std::string> key;  // an object's key waiting for its value
    };

    static void refuse_anchor(const YAML::Mark& mark) {
        throw Refused{"anchors and aliases are not allowed in a segment definition (" +
                      at_mark(mark) + ")"};
    }
    static void no_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) {
        if (anchor != YAML::NullAnchor) refuse_anchor(mark);
    }
    static void refuse_key(const YAML::Mark& mark) {
        throw Refused{"a key must be a plain name (" + at_mark(mark) + ")"};
    }
    bool expecting_key() const {
        return !stack_.empty() && stack_.back().node.kind == Node::Kind::object &&
               !stack_.back().key;
    }
    void open(Node::Kind kind, const YAML::Mark& mark, YAML::anchor_t anchor) {
        no_anchor(mark, anchor);
        if (expecting_key()) refuse_key(mark);
        if (stack_.size() >= kMaxNestingDepth)
            throw Refused{nesting_too_deep_message() + " (" + at_mark(mark) + ")"};
        Frame frame;
        frame.node.kind = kind;
        stack_.push_back(std::move(frame));
    }
    void close() {
        Node done = std::move(stack_.back().node);
        stack_.pop_back();
        add(std::move(done));
    }
    void add(Node n) {
        if (stack_.empty()) {
            root_ = std::move(n);
            return;
        }
        Frame& parent = stack_.back();
        if (parent.node.kind == Node::Kind::array) {
            parent.node.items.push_back(std::move(n));
        } else {
            parent.node.members.emplace_back(std::move(*parent.key), std::move(n));
            parent.key.reset();
        }
    }

    std::vector<Frame> stack_;
    std::optional<Node> root_;
};

// The order keys are written in: a definition's own, then a rule's, then the rest.
int rank(const std::string& key) {
    static const char* const kOrder[] = {
        "id",        "name",      "description", "rule",       "all",           "any",
        "not",       "purchased", "orders",      "revenue",    "last_purchase", "first_purchase",
        "lifecycle", "field",     "op",          "value",      "within_days",   "before_days",
        "between",   "items",     "categories",  "min_orders", "min",           "max"};
    for (size_t i = 0; i < sizeof(kOrder) / sizeof(kOrder[0]); ++i) {
        if (key == kOrder[i]) return static_cast<int>(i);
    }
    return 1000;
}

void write(const Node& node, std::string& out) {
    switch (node.kind) {
        case Node::Kind::null:
            out += "null";
            return;
        case Node::Kind::boolean:
            out += node.boolean ? "true" : "false";
            return;
        case Node::Kind::number:
            out += node.text;
            return;
        case Node::Kind::string:
            out += nlohmann::json(node.text).dump();
            return;
        case Node::Kind::array: {
            out += '[';
            for (size_t i = 0; i < node.items.size(); ++i) {
                if (i) out += ',';
                write(node.items[i], out);
            }
            out += ']';
            return;
        }
        case Node::Kind::object: {
            std::vector<const std::pair<std::string, Node>*> members;
            for (const auto& m : node.members) members.push_back(&m);
            std::stable_sort(members.begin(), members.end(), [](const auto* a, const auto* b) {
                const int ra = rank(a->first), rb = rank(b->first);
                return ra != rb ? ra < rb : a->first < b->first;
            });
            out += '{';
            for (size_t i = 0; i < members.size(); ++i) {
                if (i) out += ',';
                out += nlohmann::json(members[i]->first).dump();
                out += ':';
                write(members[i]->second, out);
            }
            out += '}';
            return;
        }
    }
}

}  // namespace

std::optional<Node> read_json(std::string_view text, SyntaxError& error) {
    TreeBuilder builder;
    const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &builder,
                                              nlohmann::json::input_format_t::json, true);
    if (!ok) {
        error.message = builder.error().empty() ? "invalid JSON" : builder.error();
        return std::nullopt;
    }
    return builder.take();
}

std::optional<Node> read_yaml(std::string_view text, SyntaxError& error) {
    try {
        std::istringstream in{std::string(text)};
        YAML::Parser parser(in);
        YamlTreeBuilder builder;
        parser.HandleNextDocument(builder);  // the first document, as YAML::Load reads it
        return builder.take();
    } catch (const YamlTreeBuilder::Refused& refused) {
        error.message = refused.message;
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        error.message = "invalid YAML: " + e.msg + " (" + at_mark(e.mark) + ")";
        return std::nullopt;
    }
}

std::string write_canonical_json(const Node& node) {
    std::string out;
    write(node, out);
    return out;
}

}  // namespace sightline::core::segment_doc
