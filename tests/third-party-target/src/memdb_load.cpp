#include "memdb_load.hpp"

#include "sightline/plugin/load_spec.hpp"
#include "tenant_log.hpp"

namespace sightline::target_thirdparty {

using sightline::plugin::Column;
using sightline::plugin::Error;
using sightline::plugin::FileKind;
using sightline::plugin::FileRecord;
using sightline::plugin::FileResult;
using sightline::plugin::LoadMode;
using sightline::plugin::LoadSpec;
using sightline::plugin::Value;
using sightline::plugin::ValueType;

namespace {

constexpr int64_t kOne = 1000000;  // quantity 1, the default

Cell cell_of(const Value& value, ValueType type) {
    Cell cell;
    if (!value.present) return cell;
    cell.present = true;
    if (type == ValueType::string) {
        cell.text = std::string(value.s);
    } else if (type == ValueType::uint64) {
        cell.number = static_cast<int64_t>(value.u);
    } else {
        cell.number = value.i;
    }
    return cell;
}

class MemdbLoad final : public sightline::plugin::LoadTransaction {
public:
    MemdbLoad(const TenantPaths& paths, const LoadSpec& spec)
        : lock_(paths), log_(read_log(paths.log)), kind_(spec.kind), mode_(spec.mode) {
        // Under the writer lock: no other file can be recorded before this one commits, so its
        // id (and data_version's mark) follows commit order.
        file_id_ = log_.last_file_id() + 1;
        const bool sales = kind_ == FileKind::sales;
        const size_t fixed = sales ? sightline::plugin::sales_fixed_columns
                                   : sightline::plugin::catalog_fixed_columns;
        auto& known = sales ? log_.sales_columns : log_.catalog_columns;
        std::string added;
        for (size_t c = fixed; c < spec.columns.size(); ++c) {
            const Column& column = spec.columns[c];
            size_t at = 0;
            while (at < known.size() && known[at].name != column.name) ++at;
            if (at == known.size()) {
                known.push_back(column);
                added += column_record(sales ? "sales" : "catalog", column);
            } else if (known[at].type != column.type) {
                throw Error("column '" + column.name + "' was " +
                            sightline::plugin::to_string(known[at].type) + " in earlier files");
            }
            positions_.push_back(at);
        }
        const bool replace = sales && mode_ == LoadMode::full;
        write_.emplace(paths, replace ? PendingWrite::Mode::replace : PendingWrite::Mode::append,
                       log_.committed_bytes);
        if (replace) {
            write_->write(snapshot_records(log_, /*with_lines=*/false));
        } else {
            write_->write(added);
            if (!sales) write_->write(kCatalogReset);
        }
    }

    void append(const Value* values) override {
        if (failed_ || committed_) throw Error("this load is no longer open");
        const bool sales = kind_ == FileKind::sales;
        const auto& known = sales ? log_.sales_columns : log_.catalog_columns;
        const size_t fixed = sales ? sightline::plugin::sales_fixed_columns
                                   : sightline::plugin::catalog_fixed_columns;
        std::vector<Cell> custom(known.size());
        for (size_t c = 0; c < positions_.size(); ++c) {
            custom[positions_[c]] = cell_of(values[fixed + c], known[positions_[c]].type);
        }
        if (sales) {
            for (size_t c = 0; c < 5; ++c) {
                if (!values[c].present) fail_row("a required sales column is missing");
            }
            SalesLine line;
            line.file_id = file_id_;
            line.order = std::string(values[0].s);
            line.ts = values[1].i;
            line.customer = values[2].u;
            line.item = std::string(values[3].s);
            line.price = values[4].i;
            line.quantity = values[5].present ? values[5].i : kOne;
            line.custom = std::move(custom);
            write_->write(sales_line_record(line, known));
        } else {
            if (!values[0].present || !values[1].present)
                fail_row("a catalog item needs an item and a category");
            CatalogEntry entry;
            entry.item = std::string(values[0].s);
            entry.category = std::string(values[1].s);
            entry.title = cell_of(values[2], ValueType::string);
            entry.brand = cell_of(values[3], ValueType::string);
            entry.custom = std::move(custom);
            write_->write(catalog_record(entry, known));
        }
        ++rows_;
    }

    void commit(const FileRecord& record) override {
        if (failed_ || committed_) throw Error("this load is no longer open");
        if (record.result != FileResult::loaded || record.kind != kind_ || record.mode != mode_) {
            failed_ = true;
            throw Error("commit needs a loaded record of the load's kind and mode");
        }
        FileEntry file{file_id_, record};
        file.record.rows = rows_;
        write_->write(file_record(file));
        write_->commit();
        committed_ = true;
    }

private:
    [[noreturn]] void fail_row(const std::string& reason) {
        failed_ = true;
        throw Error("record " + std::to_string(rows_ + 1) + " of the file: " + reason);
    }

    WriterLock lock_;  // first: held until the write below is committed or taken back
    TenantLog log_;
    FileKind kind_;
    LoadMode mode_;
    uint64_t file_id_ = 0;
    std::vector<size_t> positions_;  // spec's custom column c -> tenant column
    std::optional<PendingWrite> write_;
    uint64_t rows_ = 0;
    bool failed_ = false, committed_ = false;
};

}  // namespace

std::unique_ptr<sightline::plugin::LoadTransaction> begin_memdb_load(const TenantPaths& paths,
                                                                     const LoadSpec& spec) {
    sightline::plugin::check_load_spec(spec);
    return std::make_unique<MemdbLoad>(paths, spec);
}

}  // namespace sightline::target_thirdparty
