#include "snapshot_builder.hpp"

#include <xxhash.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace sightline::evaluator_columnar {

namespace sp = sightline::plugin;

namespace {

// The positions of the fixed sales columns in a scanned row (data.hpp).
constexpr size_t kOrder = 0, kTimestamp = 1, kCustomer = 2, kItem = 3, kPrice = 4;

constexpr size_t kMaxLines = std::numeric_limits<uint32_t>::max() - 1;

std::vector<uint64_t> bitmap(const std::vector<bool>& bits, const std::vector<uint32_t>& perm) {
    std::vector<uint64_t> words((perm.size() + 63) / 64, 0);
    for (size_t i = 0; i < perm.size(); ++i)
        if (bits[perm[i]]) words[i >> 6] |= uint64_t{1} << (i & 63);
    return words;
}

template <typename T>
std::vector<T> permuted(const std::vector<T>& values, const std::vector<uint32_t>& perm) {
    std::vector<T> out(perm.size());
    for (size_t i = 0; i < perm.size(); ++i) out[i] = values[perm[i]];
    return out;
}

// Frees a vector's memory now (clear() keeps its capacity).
template <typename T>
void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
}

PackedInts pack_codes(const std::vector<uint32_t>& codes) {
    return PackedInts::pack(std::vector<int64_t>(codes.begin(), codes.end()));
}

StringDict dictionary(const std::vector<std::string_view>& strings) {
    StringDictWriter w;
    for (std::string_view s : strings) w.add(s);
    return w.finish();
}

}  // namespace

size_t SnapshotBuilder::Interner::Hash::operator()(std::string_view s) const {
    return static_cast<size_t>(XXH3_64bits(s.data(), s.size()));
}

uint32_t SnapshotBuilder::Interner::code(std::string_view s) {
    // One lookup in the common case (seen before); the bytes are copied only when new.
    auto found = codes.find(s);
    if (found != codes.end()) return found->second;
    const auto code = static_cast<uint32_t>(strings.size());
    const std::string_view kept = storage.emplace_back(s);
    codes.emplace(kept, code);
    strings.push_back(kept);
    return code;
}

void SnapshotBuilder::expect_rows(size_t lines) {
    expected_rows_ = lines;
    customer_.reserve(lines);
    ts_.reserve(lines);
    price_.reserve(lines);
    item_.reserve(lines);
    order_at_.reserve(lines + 1);
    for (PendingColumn& p : columns_) {
        (p.column.type == sp::ValueType::string ? p.codes.reserve(lines)
                                                : p.numbers.reserve(lines));
        p.present.reserve(lines);
    }
}

size_t SnapshotBuilder::column_index(const sp::Column& column) {
    for (size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i].column.name != column.name) continue;
        if (columns_[i].column.type != column.type)
            throw IncompatibleColumns("custom column '" + column.name + "' changed type");
        return i;
    }
    PendingColumn pending;
    pending.column = column;
    if (expected_rows_ > rows()) {
        (column.type == sp::ValueType::string ? pending.codes.reserve(expected_rows_)
                                              : pending.numbers.reserve(expected_rows_));
        pending.present.reserve(expected_rows_);
    }
    // Lines added before the column existed have no value in it.
    if (column.type == sp::ValueType::string)
        pending.codes.assign(rows(), 0);
    else
        pending.numbers.assign(rows(), 0);
    pending.present.assign(rows(), false);
    columns_.push_back(std::move(pending));
    return columns_.size() - 1;
}

void SnapshotBuilder::add_line(uint64_t customer, int64_t ts, int64_t price, std::string_view order,
                               uint32_t item) {
    if (rows() >= kMaxLines) throw sp::Error("evaluator-columnar: more than 2^32 lines");
    customer_.push_back(customer);
    ts_.push_back(ts);
    price_.push_back(price);
    order_bytes_.insert(order_bytes_.end(), order.begin(), order.end());
    order_at_.push_back(order_bytes_.size());
    item_.push_back(item);
}

void SnapshotBuilder::add_snapshot(const Snapshot& old) {
    std::vector<size_t> map;
    for (const CustomColumn& c : old.custom) map.push_back(column_index({c.name, c.type}));
    // Old dictionary codes -> this builder's codes, once per dictionary.
    std::vector<uint32_t> items(old.items.size());
    for (size_t i = 0; i < items.size(); ++i) items[i] = items_.code(old.items.at(i));
    std::vector<std::vector<uint32_t>> dicts(old.custom.size());
    for (size_t k = 0; k < old.custom.size(); ++k) {
        const CustomColumn& c = old.custom[k];
        if (!c.is_text()) continue;
        dicts[k].resize(c.dict.size());
        for (size_t i = 0; i < c.dict.size(); ++i)
            dicts[k][i] = columns_[map[k]].dict.code(c.dict.at(i));
    }
    const size_t first = rows();
    for (size_t c = 0; c < old.customer_count(); ++c) {
        for (uint32_t l = old.line_start[c]; l < old.line_start[c + 1]; ++l) {
            const std::string_view order = old.order_ids.at(old.order_start[c] + old.order.at(l));
            add_line(old.customers[c], old.ts.at(l), old.price.at(l), order, items[old.item.at(l)]);
        }
    }
    for (PendingColumn& p : columns_) {
        const bool text = p.column.type == sp::ValueType::string;
        if (text)
            p.codes.resize(rows(), 0);
        else
            p.numbers.resize(rows(), 0);
        p.present.resize(rows(), false);
    }
    for (size_t k = 0; k < old.custom.size(); ++k) {
        const CustomColumn& c = old.custom[k];
        PendingColumn& p = columns_[map[k]];
        for (size_t l = 0; l < old.lines(); ++l) {
            if (!c.has(l)) continue;
            p.present[first + l] = true;
            if (c.is_text())
                p.codes[first + l] = dicts[k][c.values.at(l)];
            else
                p.numbers[first + l] = c.values.at(l);
        }
    }
}

void SnapshotBuilder::begin_rows(const std::vector<sp::Column>& custom) {
    row_columns_.clear();
    for (const sp::Column& c : custom) row_columns_.push_back(column_index(c));
}

void SnapshotBuilder::add_row(const sp::Value* row) {
    add_line(row[kCustomer].u, row[kTimestamp].i, row[kPrice].i, row[kOrder].s,
             items_.code(row[kItem].s));
    // Columns this row's layout lacks get an absent cell.
    const size_t line = rows() - 1;
    for (PendingColumn& p : columns_) {
        if (p.column.type == sp::ValueType::string)
            p.codes.push_back(0);
        else
            p.numbers.push_back(0);
        p.present.push_back(false);
    }
    for (size_t k = 0; k < row_columns_.size(); ++k) {
        const sp::Value& v = row[sp::sales_fixed_columns + k];
        if (!v.present) continue;
        PendingColumn& p = columns_[row_columns_[k]];
        p.present[line] = true;
        if (p.column.type == sp::ValueType::string)
            p.codes[line] = p.dict.code(v.s);
        else
            p.numbers[line] = v.i;
    }
}

void SnapshotBuilder::add_catalog(std::string_view item, std::string_view path) {
    catalog_.emplace_back(std::string(item), paths_.code(path));
}

std::vector<uint32_t> SnapshotBuilder::customer_time_order() const {
    // Customers numbered by first sight, then ranked by id: a counting sort by rank keeps the
    // scan order within a customer; each customer's few lines are then insertion-sorted by time
    // (stable). Linear in the lines, where a comparison sort of them all is not.
    const size_t n = rows();
    std::unordered_map<uint64_t, uint32_t> dense;
    dense.reserve(n / 4 + 16);
    std::vector<uint64_t> ids;
    std::vector<uint32_t> group(n);
    for (size_t i = 0; i < n; ++i) {
        auto [it, added] = dense.emplace(customer_[i], static_cast<uint32_t>(ids.size()));
        if (added) ids.push_back(customer_[i]);
        group[i] = it->second;
    }
    std::vector<uint32_t> by_id(ids.size());
    std::iota(by_id.begin(), by_id.end(), 0);
    std::sort(by_id.begin(), by_id.end(), [&](uint32_t a, uint32_t b) { return ids[a] < ids[b]; });
    std::vector<uint32_t> rank(ids.size());
    for (size_t r = 0; r < by_id.size(); ++r) rank[by_id[r]] = static_cast<uint32_t>(r);
    std::vector<uint32_t> start(ids.size() + 1, 0);
    for (size_t i = 0; i < n; ++i) ++start[rank[group[i]] + 1];
    for (size_t r = 0; r < ids.size(); ++r) start[r + 1] += start[r];
    std::vector<uint32_t> perm(n), next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) perm[next[rank[group[i]]]++] = static_cast<uint32_t>(i);
    auto earlier = [&](uint32_t a, uint32_t b) { return ts_[a] < ts_[b]; };
    for (size_t r = 0; r < ids.size(); ++r) {
        if (start[r + 1] - start[r] > 32) {  // a customer with many lines: no quadratic sort
            std::stable_sort(perm.begin() + start[r], perm.begin() + start[r + 1], earlier);
            continue;
        }
        for (uint32_t k = start[r] + 1; k < start[r + 1]; ++k) {
            const uint32_t row = perm[k];
            uint32_t j = k;
            for (; j > start[r] && ts_[perm[j - 1]] > ts_[row]; --j) perm[j] = perm[j - 1];
            perm[j] = row;
        }
    }
    return perm;
}

std::shared_ptr<const Snapshot> SnapshotBuilder::finish(const sp::DataVersion& version) {
    auto snap = std::make_shared<Snapshot>();
    snap->version = version;
    const size_t n = rows();

    // Customer-major, time order within a customer; equal times keep their scan order.
    const std::vector<uint32_t> perm = customer_time_order();

    std::vector<uint64_t> customers;
    std::vector<uint32_t> line_start, order_start, local(n);
    // The current customer's order ids by local code; a hash index once it has many.
    std::vector<std::string_view> known;
    std::unordered_map<std::string_view, uint32_t, Interner::Hash> index;
    auto local_code = [&](std::string_view id) -> uint32_t {
        if (known.size() <= 16) {
            for (size_t k = 0; k < known.size(); ++k)
                if (known[k] == id) return static_cast<uint32_t>(k);
        } else {
            if (index.empty())
                for (size_t k = 0; k < known.size(); ++k)
                    index.emplace(known[k], static_cast<uint32_t>(k));
            auto found = index.find(id);
            if (found != index.end()) return found->second;
            index.emplace(id, static_cast<uint32_t>(known.size()));
        }
        known.push_back(id);
        return static_cast<uint32_t>(known.size() - 1);
    };
    StringDictWriter order_ids;
    uint32_t orders_of_customer = 0, global_orders = 0, max_orders = 0, max_lines = 0;
    for (size_t i = 0; i < n; ++i) {
        const uint32_t row = perm[i];
        if (customers.empty() || customers.back() != customer_[row]) {
            max_orders = std::max(max_orders, orders_of_customer);
            if (!customers.empty())
                max_lines =
                    std::max<uint32_t>(max_lines, static_cast<uint32_t>(i) - line_start.back());
            customers.push_back(customer_[row]);
            line_start.push_back(static_cast<uint32_t>(i));
            order_start.push_back(global_orders);
            orders_of_customer = 0;
            known.clear();
            if (!index.empty()) index.clear();  // clear() costs the bucket count even when empty
        }
        const std::string_view id = order_of(row);
        local[i] = local_code(id);
        if (local[i] == orders_of_customer) {
            ++orders_of_customer;
            ++global_orders;
            order_ids.add(id);
        }
    }
    max_orders = std::max(max_orders, orders_of_customer);
    if (!customers.empty())
        max_lines = std::max<uint32_t>(max_lines, static_cast<uint32_t>(n) - line_start.back());
    line_start.push_back(static_cast<uint32_t>(n));
    order_start.push_back(global_orders);

    snap->customers = Column<uint64_t>(std::move(customers));
    snap->line_start = Column<uint32_t>(std::move(line_start));
    snap->order_start = Column<uint32_t>(std::move(order_start));
    snap->max_orders = max_orders;
    snap->max_lines = max_lines;
    // finish() is the builder's last use: each pending array is freed once it is packed, so the
    // build's peak holds the pending lines or the packed snapshot, not both in full.
    release(customer_);
    snap->ts = PackedInts::pack(permuted(ts_, perm));
    release(ts_);
    snap->price = PackedInts::pack(permuted(price_, perm));
    release(price_);
    snap->order = pack_codes(local);
    release(local);
    snap->item = pack_codes(permuted(item_, perm));
    release(item_);
    snap->items = dictionary(items_.strings);
    snap->order_ids = order_ids.finish();
    release(order_bytes_);
    release(order_at_);
    snap->paths = dictionary(paths_.strings);

    // Catalog paths per item of the lines (items without lines are of no use), deduplicated.
    std::vector<std::vector<uint32_t>> per_item(items_.strings.size());
    for (const auto& [item, path] : catalog_) {
        auto found = items_.codes.find(item);
        if (found != items_.codes.end()) per_item[found->second].push_back(path);
    }
    std::vector<uint32_t> item_path_start{0}, item_paths;
    for (auto& paths : per_item) {
        std::sort(paths.begin(), paths.end());
        paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
        item_paths.insert(item_paths.end(), paths.begin(), paths.end());
        item_path_start.push_back(static_cast<uint32_t>(item_paths.size()));
    }
    snap->item_path_start = Column<uint32_t>(std::move(item_path_start));
    snap->item_paths = Column<uint32_t>(std::move(item_paths));

    for (PendingColumn& p : columns_) {
        CustomColumn c;
        c.name = p.column.name;
        c.type = p.column.type;
        std::vector<uint64_t> present = bitmap(p.present, perm);
        if (c.is_text()) {
            c.values = pack_codes(permuted(p.codes, perm));
            c.dict = dictionary(p.dict.strings);
        } else {
            c.values = PackedInts::pack(permuted(p.numbers, perm), &present);
        }
        release(p.codes);
        release(p.numbers);
        release(p.present);
        c.present = Column<uint64_t>(std::move(present));
        snap->custom.push_back(std::move(c));
    }
    return snap;
}

size_t Snapshot::memory_bytes() const {
    size_t bytes = buffer_bytes + customers.owned_bytes() + line_start.owned_bytes() +
                   order_start.owned_bytes() + ts.owned_bytes() + price.owned_bytes() +
                   order.owned_bytes() + item.owned_bytes() + items.owned_bytes() +
                   order_ids.owned_bytes() + paths.owned_bytes() + item_path_start.owned_bytes() +
                   item_paths.owned_bytes();
    for (const CustomColumn& c : custom)
        bytes += c.values.owned_bytes() + c.dict.owned_bytes() + c.present.owned_bytes();
    return bytes;
}

const CustomColumn* Snapshot::column(const std::string& name) const {
    for (const CustomColumn& c : custom)
        if (c.name == name) return &c;
    return nullptr;
}

}  // namespace sightline::evaluator_columnar
