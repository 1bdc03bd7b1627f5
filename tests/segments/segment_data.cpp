#include "segment_data.hpp"

#include <cinttypes>
#include <cstdio>
#include <ctime>

namespace sightline::segtest {

namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr int64_t kDay = 86'400 * kSecond;

std::string iso(int64_t us) {
    const time_t seconds = static_cast<time_t>(us / kSecond);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string out = text;
    if (us % kSecond) {
        char fraction[16];
        std::snprintf(fraction, sizeof fraction, ".%06" PRId64, us % kSecond);
        out += fraction;
    }
    return out + "Z";
}

std::string date(int64_t us) { return iso(us).substr(0, 10); }

const std::vector<std::string> kItems = {"A", "B", "C", "D", "E", "F", "G", "H"};
const std::vector<std::string> kPrices = {"19.99", "5",    "100",  "0.000001", "250.5",
                                          "0",     "-5.5", "3.25", "42",       "999999.999999",
                                          "12.5",  "0.1",  "7.77"};
const std::vector<std::string> kChannels = {"web", "shop", "Web", "app", "\xC3\xA9-shop",
                                            "%x",  "_y",   "we",  "Z"};
const std::vector<int> kWindowDays = {1, 7, 30, 90, 365, 730};

uint64_t customer_id(Rng& rng, int index) {
    switch (index % 11) {
        case 0:
            return 18446744073709551615ULL - static_cast<uint64_t>(index);
        case 1:
            return 9223372036854775808ULL + static_cast<uint64_t>(index);
        case 2:
            return 9223372036854775807ULL - static_cast<uint64_t>(index);
        default:
            return 1000 + static_cast<uint64_t>(index) * 7 + rng.below(3);
    }
}

}  // namespace

Dataset make_dataset(uint64_t seed, int customers) {
    Rng rng(seed);
    Dataset d;
    d.sales_csv = "order,timestamp,customer,item,price,quantity,s_channel,i_n,f_x,d_when\n";
    d.catalog_csv =
        "item,category\nA,Shoes>Running|Sale\nB,Shoes\nC,Shoestrings\nD,Apparel>Shirts\n"
        "E,Apparel\nF,Sale\nG,Shoes>Trail>Kids\n";  // H is missing from the catalog
    auto line = [&](const std::string& order, int64_t t, uint64_t customer, const std::string& item,
                    const std::string& price) {
        std::string row = order + "," + iso(t) + "," + std::to_string(customer) + "," + item + "," +
                          price + "," + std::to_string(1 + rng.below(3)) + ",";
        if (rng.chance(80)) row += rng.pick(kChannels);
        row += ",";
        if (rng.chance(70)) row += std::to_string(static_cast<int64_t>(rng.below(30)) - 5);
        row += ",";
        if (rng.chance(70))
            row += std::to_string(static_cast<int64_t>(rng.below(200)) - 50) + "." +
                   std::to_string(rng.below(1000000));
        row += ",";
        if (rng.chance(60)) {
            const int64_t when = kBaseUs - static_cast<int64_t>(rng.below(900)) * kDay;
            row += rng.chance(50) ? date(when)
                                  : iso(when + static_cast<int64_t>(rng.below(86400)) * kSecond);
        }
        d.sales_csv += row + "\n";
        ++d.lines;
        if (d.line_times.size() < 64 && rng.chance(5)) d.line_times.push_back(t);
    };
    for (int c = 0; c < customers; ++c) {
        const uint64_t customer = customer_id(rng, c);
        const int orders = 1 + static_cast<int>(rng.below(5));
        for (int o = 0; o < orders; ++o) {
            // Order ids repeat across customers: an order is (customer, order id).
            const std::string order = "o" + std::to_string(rng.below(customers / 2 + 5));
            int64_t t;
            if (rng.chance(25)) {
                // Exactly on a window edge (as_of - N days), or one second beside it.
                const int64_t edge = kBaseUs - kWindowDays[rng.below(kWindowDays.size())] * kDay;
                t = edge + (static_cast<int64_t>(rng.below(3)) - 1) * kSecond;
            } else {
                t = kBaseUs - static_cast<int64_t>(rng.below(800 * 86400)) * kSecond +
                    static_cast<int64_t>(rng.below(40 * 86400)) * kSecond;
            }
            const int lines = 1 + static_cast<int>(rng.below(3));
            for (int l = 0; l < lines; ++l) {
                line(order, t + static_cast<int64_t>(rng.below(3)) * kDay, customer,
                     rng.pick(kItems), rng.pick(kPrices));
            }
            if (rng.chance(10)) {  // a return later: a negative line, sometimes all of it
                line(order, t + (1 + static_cast<int64_t>(rng.below(60))) * kDay, customer,
                     rng.pick(kItems), rng.chance(50) ? "-19.99" : "-1000000");
            }
        }
    }
    return d;
}

std::vector<int64_t> as_of_candidates(const Dataset& data) {
    std::vector<int64_t> out = {kBaseUs, kBaseUs - 100 * kDay, kBaseUs + 45 * kDay,
                                kBaseUs - 400 * kDay};
    for (int64_t t : data.line_times) out.push_back(t);
    return out;
}

namespace {

std::string window(Rng& rng) {
    switch (rng.below(3)) {
        case 0:
            return "";
        case 1:
            return "\"within_days\":" + std::to_string(kWindowDays[rng.below(kWindowDays.size())]);
        default: {
            const int64_t first = kBaseUs - static_cast<int64_t>(rng.below(800)) * kDay;
            const int64_t last = first + static_cast<int64_t>(rng.below(400)) * kDay;
            return "\"between\":[\"" + date(first) + "\",\"" + date(last) + "\"]";
        }
    }
}

std::string with(const std::string& a, const std::string& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return a + "," + b;
}

std::string string_list(Rng& rng, const std::vector<std::string>& from) {
    std::string out;
    const int n = 1 + static_cast<int>(rng.below(3));
    for (int i = 0; i < n; ++i) out += (i ? "," : "") + std::string("\"") + rng.pick(from) + "\"";
    return "[" + out + "]";
}

std::string bounds(Rng& rng, const std::vector<std::string>& values, bool integers) {
    // min <= max: pick two indices in order (values are sorted ascending).
    size_t a = rng.below(values.size()), b = rng.below(values.size());
    if (a > b) std::swap(a, b);
    (void)integers;
    switch (rng.below(3)) {
        case 0:
            return "\"min\":" + values[a];
        case 1:
            return "\"max\":" + values[b];
        default:
            return "\"min\":" + values[a] + ",\"max\":" + values[b];
    }
}

std::string field(Rng& rng) {
    static const std::vector<std::string> kStringOps = {"eq", "ne", "lt", "le",
                                                        "gt", "ge", "in", "prefix"};
    static const std::vector<std::string> kOps = {"eq", "ne", "lt", "le", "gt", "ge", "in"};
    const int which = static_cast<int>(rng.below(5));
    std::string name, op, value;
    auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
    switch (which) {
        case 0:
        case 4: {
            name = which == 0 ? "s_channel" : "s_never";
            op = rng.pick(kStringOps);
            static const std::vector<std::string> kValues = {
                "web", "Web", "w", "we", "%", "_y", "\xC3\xA9", "shop", "", "a", "Z"};
            value = op == "in" ? string_list(rng, kValues) : quoted(rng.pick(kValues));
            break;
        }
        case 1: {
            name = "i_n";
            op = rng.pick(kOps);
            static const std::vector<std::string> kValues = {"-5", "0", "3", "10", "24", "100"};
            value = op == "in" ? "[" + rng.pick(kValues) + "," + rng.pick(kValues) + "]"
                               : rng.pick(kValues);
            break;
        }
        case 2: {
            name = "f_x";
            op = rng.pick(kOps);
            static const std::vector<std::string> kValues = {
                "-50", "0", "12.5", "3.0000001", "100.999999", "1e2", "-0.5"};
            value = op == "in" ? "[" + rng.pick(kValues) + "," + rng.pick(kValues) + "]"
                               : rng.pick(kValues);
            break;
        }
        default: {
            name = "d_when";
            op = rng.pick(kOps);
            const int64_t t = kBaseUs - static_cast<int64_t>(rng.below(900)) * kDay;
            const std::string v = quoted(rng.chance(50) ? date(t) : iso(t));
            value = op == "in" ? "[" + v + "]" : v;
            break;
        }
    }
    return "{\"field\":{" +
           with("\"name\":" + quoted(name) + ",\"op\":" + quoted(op) + ",\"value\":" + value,
                window(rng)) +
           "}}";
}

std::string rule(Rng& rng, int depth) {
    const uint64_t kind = depth >= 3 ? 3 + rng.below(8) : rng.below(11);
    switch (kind) {
        case 0:
        case 1: {
            std::string children;
            const int n = 1 + static_cast<int>(rng.below(3));
            for (int i = 0; i < n; ++i) children += (i ? "," : "") + rule(rng, depth + 1);
            return std::string("{\"") + (kind == 0 ? "all" : "any") + "\":[" + children + "]}";
        }
        case 2:
            return "{\"not\":" + rule(rng, depth + 1) + "}";
        case 3: {
            static const std::vector<std::string> kCategories = {
                "Shoes", "Shoes>Running", "Sale", "Apparel", "Shoes>Trail", "Shoestrings", "Nope"};
            static const std::vector<std::string> kItemChoices = {"A", "B", "C", "D", "H", "nope"};
            std::string body = window(rng);
            if (rng.chance(40)) body = with(body, "\"items\":" + string_list(rng, kItemChoices));
            if (rng.chance(40))
                body = with(body, "\"categories\":" + string_list(rng, kCategories));
            if (rng.chance(40))
                body = with(body, "\"min_orders\":" + std::to_string(1 + rng.below(3)));
            return "{\"purchased\":{" + body + "}}";
        }
        case 4:
            return "{\"orders\":{" +
                   with(window(rng), bounds(rng, {"0", "1", "2", "3", "5"}, true)) + "}}";
        case 5:
            return "{\"revenue\":{" +
                   with(window(rng),
                        bounds(rng,
                               {"-10", "0", "0.0000005", "5", "19.99", "100.5", "300", "1000000"},
                               false)) +
                   "}}";
        case 6:
        case 7: {
            const char* name = kind == 6 ? "last_purchase" : "first_purchase";
            std::string body;
            const uint64_t shape = rng.below(3);
            if (shape != 1)
                body =
                    "\"within_days\":" + std::to_string(kWindowDays[rng.below(kWindowDays.size())]);
            if (shape != 0)
                body = with(body,
                            "\"before_days\":" +
                                std::to_string(rng.below(3) == 0
                                                   ? 0
                                                   : kWindowDays[rng.below(kWindowDays.size())]));
            return std::string("{\"") + name + "\":{" + body + "}}";
        }
        case 8: {
            static const std::vector<std::string> kStages = {"first_time_buyer", "active",
                                                             "defecting", "inactive"};
            return "{\"lifecycle\":\"" + rng.pick(kStages) + "\"}";
        }
        default:
            return field(rng);
    }
}

}  // namespace

std::string random_definition(Rng& rng, int index) {
    return "{\"id\":\"case-" + std::to_string(index) +
           "\",\"name\":\"case\",\"rule\":" + rule(rng, 0) + "}";
}

std::vector<std::string> representative_definitions() {
    const std::vector<std::string> rules = {
        R"({"purchased":{}})",
        R"({"purchased":{"within_days":90}})",
        R"({"purchased":{"within_days":30,"items":["A","B"]}})",
        R"({"purchased":{"categories":["Shoes"]}})",
        R"({"purchased":{"categories":["Shoes>Running","Sale"],"within_days":365}})",
        R"({"purchased":{"min_orders":3}})",
        R"({"purchased":{"between":["2026-01-01","2026-03-31"],"items":["H"]}})",
        R"({"orders":{"min":2}})",
        R"({"orders":{"max":0,"within_days":90}})",
        R"({"orders":{"min":1,"max":2,"within_days":365}})",
        R"({"orders":{"between":["2025-06-01","2025-12-31"],"min":1}})",
        R"({"revenue":{"min":500}})",
        R"({"revenue":{"max":0}})",
        R"({"revenue":{"min":100,"max":1000,"within_days":730}})",
        R"({"revenue":{"min":0.0000005,"within_days":30}})",
        R"({"last_purchase":{"within_days":30}})",
        R"({"last_purchase":{"before_days":90}})",
        R"({"last_purchase":{"within_days":365,"before_days":90}})",
        R"({"first_purchase":{"within_days":90}})",
        R"({"first_purchase":{"before_days":365}})",
        R"({"lifecycle":"first_time_buyer"})",
        R"({"lifecycle":"active"})",
        R"({"lifecycle":"defecting"})",
        R"({"lifecycle":"inactive"})",
        R"({"field":{"name":"s_channel","op":"eq","value":"web"}})",
        R"({"field":{"name":"s_channel","op":"prefix","value":"w","within_days":90}})",
        R"({"field":{"name":"s_channel","op":"gt","value":"Web"}})",
        R"({"field":{"name":"i_n","op":"ge","value":10}})",
        R"({"field":{"name":"f_x","op":"lt","value":3.0000001}})",
        R"({"field":{"name":"d_when","op":"le","value":"2026-01-01"}})",
        R"({"field":{"name":"s_channel","op":"in","value":["app","shop"]}})",
        R"({"all":[{"revenue":{"within_days":730,"min":500}},{"not":{"purchased":{"within_days":90}}}]})",
        R"({"any":[{"lifecycle":"active"},{"purchased":{"categories":["Apparel"],"min_orders":2}}]})",
        R"({"not":{"orders":{"min":1,"within_days":365}}})",
        R"({"all":[{"first_purchase":{"within_days":365}},{"orders":{"min":2}},{"field":{"name":"s_channel","op":"ne","value":"web"}}]})",
    };
    std::vector<std::string> out;
    for (size_t i = 0; i < rules.size(); ++i)
        out.push_back("{\"id\":\"rep-" + std::to_string(i) +
                      "\",\"name\":\"rep\",\"rule\":" + rules[i] + "}");
    return out;
}

}  // namespace sightline::segtest
