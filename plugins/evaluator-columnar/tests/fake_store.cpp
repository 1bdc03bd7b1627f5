#include "fake_store.hpp"

#include <algorithm>
#include <set>

namespace sightline::evaluator_columnar::testing {

namespace {

class Row : public sp::SqlRow {
public:
    Row(std::string_view a, std::string_view b) : a_(a), b_(b) {}
    size_t size() const override { return 2; }
    bool is_null(size_t) const override { return false; }
    int64_t get_int64(size_t) const override { throw sp::Error("not a number"); }
    std::string_view get_text(size_t c) const override { return c == 0 ? a_ : b_; }

private:
    std::string_view a_, b_;
};

class FakeStore : public sp::TenantStore {
public:
    explicit FakeStore(FakeData& d) : d_(d) {}

    std::optional<sp::FileRecord> find_loaded(const std::string&) override { return {}; }
    std::unique_ptr<sp::LoadTransaction> begin_load(const sp::LoadSpec&) override {
        throw sp::Error("read-only fake");
    }
    void record(const sp::FileRecord&) override {}
    std::vector<sp::FileRecord> history() override { return {}; }
    sp::TenantStats stats() override {
        ++d_.stats_calls;
        std::lock_guard<std::mutex> lock(d_.mutex);
        sp::TenantStats s;
        s.lines = d_.lines_.size();
        return s;
    }
    std::vector<sp::Column> custom_columns() override { return d_.columns_; }
    void scan_sales(const std::function<void(const sp::Value*)>& fn) override {
        ++d_.full_scans;
        std::lock_guard<std::mutex> lock(d_.mutex);
        for (const Line& l : d_.lines_) emit(l, fn);
    }
    void query(const std::string& sql, const std::vector<sp::Value>&,
               const std::function<void(const sp::SqlRow&)>& fn) override {
        if (sql != "SELECT item, path FROM catalog_categories")
            throw sp::Error("fake store: unexpected query " + sql);
        ++d_.catalog_reads;
        std::lock_guard<std::mutex> lock(d_.mutex);
        for (const auto& [item, path] : d_.catalog_) fn(Row(item, path));
    }
    sp::DataVersion data_version() override {
        if (d_.legacy) return {};
        std::lock_guard<std::mutex> lock(d_.mutex);
        return d_.version_;
    }
    void scan_sales_after(uint64_t mark, sp::SalesScan& out,
                          const std::function<void(const sp::Value*)>& fn) override {
        if (d_.legacy) throw sp::Error("pre-1.5 store");
        (mark == 0 ? d_.full_scans : d_.scans_after)++;
        std::lock_guard<std::mutex> lock(d_.mutex);
        out.version = d_.version_;
        out.custom = d_.columns_;
        for (const Line& l : d_.lines_)
            if (l.mark > mark) emit(l, fn);
    }
    void scan_catalog(const std::function<void(std::string_view, std::string_view)>& fn) override {
        if (d_.legacy) throw sp::Error("pre-1.5 store");
        ++d_.catalog_reads;
        std::lock_guard<std::mutex> lock(d_.mutex);
        for (const auto& [item, path] : d_.catalog_) fn(item, path);
    }

private:
    void emit(const Line& l, const std::function<void(const sp::Value*)>& fn) {
        std::vector<sp::Value> row(sp::sales_fixed_columns + d_.columns_.size());
        row[0] = {true, 0, 0, l.order};
        row[1] = {true, l.ts, 0, {}};
        row[2] = {true, 0, l.customer, {}};
        row[3] = {true, 0, 0, l.item};
        row[4] = {true, l.price, 0, {}};
        row[5] = {true, 1'000'000, 0, {}};
        for (size_t k = 0; k < d_.columns_.size() && k < l.custom.size(); ++k) {
            const Cell& c = l.custom[k];
            row[sp::sales_fixed_columns + k] = {c.present, c.number, 0, c.text};
        }
        fn(row.data());
    }
    FakeData& d_;
};

}  // namespace

void FakeData::load(std::vector<Line> lines) {
    std::lock_guard<std::mutex> lock(mutex);
    ++version_.mark;
    for (Line& l : lines) {
        l.mark = version_.mark;
        lines_.push_back(std::move(l));
    }
}

void FakeData::set_catalog(std::vector<std::pair<std::string, std::string>> pairs) {
    std::lock_guard<std::mutex> lock(mutex);
    ++version_.mark;
    catalog_ = std::move(pairs);
}

void FakeData::delete_customers(const std::vector<uint64_t>& customers) {
    std::lock_guard<std::mutex> lock(mutex);
    const std::set<uint64_t> gone(customers.begin(), customers.end());
    lines_.erase(std::remove_if(lines_.begin(), lines_.end(),
                                [&](const Line& l) { return gone.count(l.customer) > 0; }),
                 lines_.end());
    ++version_.removals;
}

void FakeData::replace(std::vector<Line> lines) {
    std::lock_guard<std::mutex> lock(mutex);
    ++version_.removals;
    ++version_.mark;
    for (Line& l : lines) l.mark = version_.mark;
    lines_ = std::move(lines);
}

void FakeData::restore(std::vector<Line> lines) {
    std::lock_guard<std::mutex> lock(mutex);
    version_ = {"inc-" + std::to_string(++incarnations_), 0, 1};
    for (Line& l : lines) l.mark = 1;
    lines_ = std::move(lines);
}

std::unique_ptr<sp::TenantStore> FakeData::open() { return std::make_unique<FakeStore>(*this); }

std::vector<sp::Column> generated_columns() {
    return {{"s_channel", sp::ValueType::string},
            {"i_store", sp::ValueType::int64},
            {"f_discount", sp::ValueType::decimal},
            {"d_first_seen", sp::ValueType::timestamp}};
}

Line line(uint64_t customer, const std::string& order, int64_t ts, const std::string& item,
          int64_t price) {
    Line l;
    l.customer = customer;
    l.order = order;
    l.ts = ts;
    l.item = item;
    l.price = price;
    return l;
}

std::vector<Line> random_lines(std::mt19937_64& rng, int customers, uint64_t first_customer) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
    const char* channels[] = {"web", "store", "app", "Web", "phone"};
    const int64_t prices[] = {-5'000'000, 0, 3'000'000, 10'000'000, 250'000'000, 1, -1};
    std::vector<Line> out;
    static uint64_t order_counter = 0;
    for (int c = 0; c < customers; ++c) {
        const uint64_t customer = first_customer + static_cast<uint64_t>(c) * 3;
        const int orders = 1 + pick(4);
        for (int o = 0; o < orders; ++o) {
            // Some order ids repeat across customers: an order is (customer, order id).
            const std::string id = pick(4) == 0 ? "shared-" + std::to_string(o)
                                                : "o" + std::to_string(++order_counter);
            const int64_t t0 = kBase - static_cast<int64_t>(rng() % (730 * kDay));
            const int lines = 1 + pick(3);
            for (int l = 0; l < lines; ++l) {
                Line line;
                line.order = id;
                line.customer = customer;
                line.ts = t0 + (l == 0 ? 0 : static_cast<int64_t>(rng() % (40 * kDay)));
                line.item = "i" + std::to_string(pick(10));
                line.price = prices[pick(7)];
                line.custom.resize(4);
                if (pick(5)) line.custom[0] = {true, channels[pick(5)], 0};
                if (pick(5)) line.custom[1] = {true, "", pick(6) - 1};
                if (pick(5)) line.custom[2] = {true, "", pick(4) * 250'000};
                if (pick(5)) line.custom[3] = {true, "", kBase - pick(400) * kDay};
                out.push_back(std::move(line));
            }
        }
    }
    std::shuffle(out.begin(), out.end(), rng);
    return out;
}

std::vector<std::pair<std::string, std::string>> random_catalog() {
    return {{"i0", "Shoes>Running"}, {"i0", "Sale"},        {"i1", "Shoes>Trail"},
            {"i1", "Shoes"},         {"i2", "Shoestrings"}, {"i3", "Bags>Small>Red"},
            {"i4", "Bags"},          {"i5", "Sale"},        {"i6", "Shoes>Running>Kids"},
            {"i11", "Bags"}};  // i7..i9 are not in the catalog; i11 has no lines
}

namespace {

sg::Window random_window(std::mt19937_64& rng) {
    sg::Window w;
    switch (rng() % 3) {
        case 0:
            break;
        case 1:
            w.kind = sg::WindowKind::within_days;
            w.days = 1 + static_cast<int64_t>(rng() % 500);
            break;
        default:
            w.kind = sg::WindowKind::between;
            w.from_us = kBase - static_cast<int64_t>(rng() % 700) * kDay;
            w.until_us = w.from_us + (1 + static_cast<int64_t>(rng() % 300)) * kDay;
    }
    return w;
}

std::optional<int64_t> maybe(std::mt19937_64& rng, int64_t value) {
    if (rng() % 2) return value;
    return std::nullopt;
}

}  // namespace

sg::Rule random_rule(std::mt19937_64& rng, int depth) {
    sg::Rule r;
    const int kinds = depth >= 2 ? 7 : 10;
    switch (rng() % kinds) {
        case 0: {
            r.kind = sg::RuleKind::purchased;
            r.window = random_window(rng);
            if (rng() % 2)
                r.items = {"i" + std::to_string(rng() % 10), "i" + std::to_string(rng() % 12)};
            const char* cats[] = {"Shoes", "Shoes>Running", "Bags", "Sale", "Shoe", "Bags>Small"};
            if (rng() % 2) r.categories = {cats[rng() % 6]};
            r.min_orders = static_cast<int64_t>(rng() % 4);
            break;
        }
        case 1:
            r.kind = sg::RuleKind::orders;
            r.window = random_window(rng);
            r.min = maybe(rng, static_cast<int64_t>(rng() % 3));
            r.max = maybe(rng, static_cast<int64_t>(rng() % 4));
            if (!r.min && !r.max) r.min = 1;
            break;
        case 2: {
            r.kind = sg::RuleKind::revenue;
            r.window = random_window(rng);
            const int64_t bounds[] = {-5'000'000, 0, 1, 3'000'000, 20'000'000, 300'000'000};
            r.min = maybe(rng, bounds[rng() % 6]);
            r.max = maybe(rng, bounds[rng() % 6]);
            if (!r.min && !r.max) r.max = 0;
            break;
        }
        case 3:
        case 4:
            r.kind = rng() % 2 ? sg::RuleKind::last_purchase : sg::RuleKind::first_purchase;
            r.within_days = maybe(rng, 1 + static_cast<int64_t>(rng() % 400));
            r.before_days = maybe(rng, static_cast<int64_t>(rng() % 400));
            if (!r.within_days && !r.before_days) r.before_days = 30;
            break;
        case 5:
            r.kind = sg::RuleKind::lifecycle;
            r.stage = static_cast<sg::Stage>(rng() % 4);
            break;
        case 6: {
            r.kind = sg::RuleKind::field;
            r.window = random_window(rng);
            const sg::FieldOp ops[] = {sg::FieldOp::eq, sg::FieldOp::ne,    sg::FieldOp::lt,
                                       sg::FieldOp::le, sg::FieldOp::gt,    sg::FieldOp::ge,
                                       sg::FieldOp::in, sg::FieldOp::prefix};
            const int which = static_cast<int>(rng() % 5);
            if (which == 0 || which == 4) {
                r.field.name = which == 0 ? "s_channel" : "s_missing";
                r.field.type = sp::ValueType::string;
                r.field.op = ops[rng() % 8];
                const char* values[] = {"web", "store", "w", "app", "Web", "zz"};
                r.field.values.push_back({values[rng() % 6], 0});
                if (r.field.op == sg::FieldOp::in) r.field.values.push_back({values[rng() % 6], 0});
            } else {
                const char* names[] = {"", "i_store", "f_discount", "d_first_seen"};
                const sp::ValueType types[] = {sp::ValueType::string, sp::ValueType::int64,
                                               sp::ValueType::decimal, sp::ValueType::timestamp};
                r.field.name = names[which];
                r.field.type = types[which];
                r.field.op = ops[rng() % 7];
                auto value = [&]() -> int64_t {
                    if (which == 1) return static_cast<int64_t>(rng() % 6) - 1;
                    if (which == 2) return static_cast<int64_t>(rng() % 4) * 250'000;
                    return kBase - static_cast<int64_t>(rng() % 400) * kDay;
                };
                r.field.values.push_back({"", value()});
                if (r.field.op == sg::FieldOp::in) r.field.values.push_back({"", value()});
            }
            break;
        }
        case 7:
        case 8: {
            r.kind = rng() % 2 ? sg::RuleKind::all : sg::RuleKind::any;
            const int n = 1 + static_cast<int>(rng() % 3);
            for (int i = 0; i < n; ++i) r.rules.push_back(random_rule(rng, depth + 1));
            break;
        }
        default:
            r.kind = sg::RuleKind::not_;
            r.rules.push_back(random_rule(rng, depth + 1));
    }
    return r;
}

int64_t random_as_of(std::mt19937_64& rng, const std::vector<Line>& lines) {
    if (lines.empty() || rng() % 5 == 0) return kBase;
    const Line& l = lines[rng() % lines.size()];
    const int64_t nudge[] = {0, -1, 1, kDay, -kDay};
    return l.ts + nudge[rng() % 5];
}

}  // namespace sightline::evaluator_columnar::testing
