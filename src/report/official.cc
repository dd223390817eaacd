#include "report/official.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "io/file_util.h"

namespace talentflow::report {
namespace fs = std::filesystem;

namespace {

constexpr const char* kFilesMeta = "_files.csv";
constexpr const char* kRatesMeta = "_rates.csv";
constexpr const char* kLabelsMeta = "_labels.csv";

// Columns that describe a long-format figure rather than identify it.
bool IsNonKeyColumn(const std::string& name) {
  static const std::set<std::string> kNonKey = {"measure",        "value",  "qualifier",
                                                "primary_source", "source", "notes"};
  return kNonKey.count(name) > 0;
}

std::vector<std::string> SplitOn(const std::string& text, char sep) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + 1;
  }
  return parts;
}

// Looks up a required column of a meta file; error names file and column.
StatusOr<int> RequireColumn(const CsvFile& csv, const std::string& column) {
  int idx = csv.ColumnIndex(column);
  if (idx < 0) return DataError(fmt::format("{}: missing column \"{}\"", csv.path, column));
  return idx;
}

Status CheckColumnExists(const OfficialFile& file, const std::string& column,
                         const std::string& where) {
  if (column.empty() || file.csv.ColumnIndex(column) >= 0) return Status::Ok();
  return DataError(fmt::format("{}: column \"{}\" is not a column of {} (columns: {})", where,
                               column, file.file, fmt::join(file.csv.header, ", ")));
}

std::string Qualifier(const CsvFile& csv, const std::vector<std::string>& row) {
  int idx = csv.ColumnIndex("qualifier");
  return idx < 0 ? "" : row[idx];
}

}  // namespace

std::optional<double> ParseNumber(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  // from_chars also reads "inf" and "nan", which are words in a figure file,
  // not figures: as numbers they would turn derived rates into inf or NaN.
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

std::string OfficialData::Zh(const std::string& en) const {
  auto it = zh.find(en);
  return it == zh.end() ? en : it->second;
}

StatusOr<OfficialData> LoadOfficialData(const std::vector<fs::path>& dirs) {
  OfficialData data;
  data.dirs = dirs;
  std::map<std::string, fs::path> figure_paths;  // file name -> path (later dirs win)
  std::vector<CsvFile> files_metas, rates_metas, labels_metas;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return NotFound(
          fmt::format("official statistics folder {}: no such directory", dir.string()));
    }
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.is_regular_file() && entry.path().extension() == ".csv")
        entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& path : entries) {
      std::string name = path.filename().string();
      if (name == kFilesMeta || name == kRatesMeta || name == kLabelsMeta) {
        TF_ASSIGN_OR_RETURN(CsvFile csv, ReadCsvFile(path));
        (name == kFilesMeta   ? files_metas
         : name == kRatesMeta ? rates_metas
                              : labels_metas)
            .push_back(std::move(csv));
      } else if (name.starts_with("_")) {
        return DataError(
            fmt::format("{}: unknown control file (expected _files.csv, _rates.csv or _labels.csv)",
                        path.string()));
      } else {
        figure_paths[name] = path;
      }
    }
  }

  for (const CsvFile& labels : labels_metas) {
    TF_ASSIGN_OR_RETURN(int en, RequireColumn(labels, "en"));
    TF_ASSIGN_OR_RETURN(int zh, RequireColumn(labels, "zh"));
    for (const auto& row : labels.rows) data.zh[row[en]] = row[zh];
  }

  // _files.csv rows by file name, later rows replacing earlier ones; the
  // order of first mention is the order of the report.
  std::vector<std::string> order;
  std::map<std::string, std::map<std::string, std::string>> file_rows;
  std::map<std::string, std::string> file_row_origin;
  for (const CsvFile& meta : files_metas) {
    TF_ASSIGN_OR_RETURN(int file_col, RequireColumn(meta, "file"));
    for (size_t row_idx = 0; row_idx < meta.rows.size(); ++row_idx) {
      const auto& row = meta.rows[row_idx];
      const std::string& name = row[file_col];
      if (!file_rows.count(name)) order.push_back(name);
      auto& fields = file_rows[name];
      fields.clear();
      for (size_t col = 0; col < meta.header.size(); ++col) fields[meta.header[col]] = row[col];
      file_row_origin[name] = fmt::format("{} line {}", meta.path, row_idx + 2);
    }
  }
  for (const auto& [name, path] : figure_paths) {
    if (!file_rows.count(name)) order.push_back(name);
  }
  // Names listed in _files.csv whose file is absent are skipped silently only
  // when no folder has them: a user may remove a file without editing the list.
  for (const std::string& name : order) {
    auto path_it = figure_paths.find(name);
    if (path_it == figure_paths.end()) continue;
    OfficialFile file;
    file.file = name;
    file.path = path_it->second;
    TF_ASSIGN_OR_RETURN(file.csv, ReadCsvFile(file.path));
    TF_ASSIGN_OR_RETURN(file.sha256, Sha256File(file.path));
    std::error_code ec;
    file.bytes = fs::file_size(file.path, ec);
    file.title_en = name;
    auto meta_it = file_rows.find(name);
    std::string where = meta_it == file_rows.end() ? file.path.string() : file_row_origin[name];
    auto field = [&](const std::string& key) -> std::string {
      if (meta_it == file_rows.end()) return "";
      auto it = meta_it->second.find(key);
      return it == meta_it->second.end() ? "" : it->second;
    };
    if (!field("title_en").empty()) file.title_en = field("title_en");
    file.title_zh = field("title_zh");
    file.document = field("document");
    file.date_column = field("date_column");
    file.date = field("date");
    TF_RETURN_IF_ERROR(CheckColumnExists(file, file.date_column, where));
    if (file.date_column.empty() && file.date.empty()) {
      for (const char* candidate : {"as_of", "date", "year", "quarter", "month"}) {
        if (file.csv.ColumnIndex(candidate) >= 0) {
          file.date_column = candidate;
          break;
        }
      }
    }
    if (file.document.empty() && file.csv.ColumnIndex("document") < 0 &&
        file.csv.ColumnIndex("source") < 0) {
      return DataError(fmt::format(
          "{}: no source: add a \"document\" column or a row in _files.csv with \"document\"",
          file.path.string()));
    }
    if (file.date_column.empty() && file.date.empty()) {
      return DataError(fmt::format(
          "{}: no date: add an as_of/date/year/quarter/month column or a row in _files.csv with "
          "\"date_column\" or \"date\"",
          file.path.string()));
    }
    std::string value_cols = field("chart_value");
    if (!value_cols.empty()) {
      OfficialChartSpec chart;
      chart.category_columns = SplitOn(field("chart_category"), '+');
      chart.series_column = field("chart_series");
      chart.value_columns = SplitOn(value_cols, '|');
      chart.unit_en = field("unit_en");
      chart.unit_zh = field("unit_zh");
      std::string filter = field("chart_filter");
      if (!filter.empty()) {
        size_t eq = filter.find('=');
        if (eq == std::string::npos) {
          return DataError(fmt::format("{}: chart_filter \"{}\": expected column=value|value...",
                                       where, filter));
        }
        chart.filter_column = filter.substr(0, eq);
        chart.filter_values = SplitOn(filter.substr(eq + 1), '|');
      }
      if (chart.category_columns.empty()) {
        return DataError(fmt::format("{}: chart_value given without chart_category", where));
      }
      for (const auto& column : chart.category_columns) {
        TF_RETURN_IF_ERROR(CheckColumnExists(file, column, where));
      }
      for (const auto& column : chart.value_columns) {
        TF_RETURN_IF_ERROR(CheckColumnExists(file, column, where));
      }
      TF_RETURN_IF_ERROR(CheckColumnExists(file, chart.series_column, where));
      TF_RETURN_IF_ERROR(CheckColumnExists(file, chart.filter_column, where));
      file.chart = std::move(chart);
    }
    data.files.push_back(std::move(file));
  }

  // Derived rates.
  std::vector<std::string> rate_order;
  std::map<std::string, std::map<std::string, std::string>> rate_rows;
  std::map<std::string, std::string> rate_origin;
  for (const CsvFile& meta : rates_metas) {
    TF_ASSIGN_OR_RETURN(int rate_col, RequireColumn(meta, "rate"));
    for (const char* required : {"file", "numerator", "denominator"}) {
      TF_RETURN_IF_ERROR(RequireColumn(meta, required).status());
    }
    for (size_t row_idx = 0; row_idx < meta.rows.size(); ++row_idx) {
      const auto& row = meta.rows[row_idx];
      if (!rate_rows.count(row[rate_col])) rate_order.push_back(row[rate_col]);
      auto& fields = rate_rows[row[rate_col]];
      fields.clear();
      for (size_t col = 0; col < meta.header.size(); ++col) fields[meta.header[col]] = row[col];
      rate_origin[row[rate_col]] = fmt::format("{} line {}", meta.path, row_idx + 2);
    }
  }
  for (const std::string& rate_id : rate_order) {
    auto& fields = rate_rows[rate_id];
    const std::string& where = rate_origin[rate_id];
    auto file_it = std::find_if(data.files.begin(), data.files.end(),
                                [&](const OfficialFile& f) { return f.file == fields["file"]; });
    if (file_it == data.files.end()) continue;  // the figure file was removed: no rate
    const OfficialFile& file = *file_it;
    const CsvFile& csv = file.csv;
    double scale = 1;
    if (!fields["scale"].empty()) {
      auto parsed = ParseNumber(fields["scale"]);
      if (!parsed || *parsed == 0) {
        return DataError(
            fmt::format("{}: scale \"{}\": expected a non-zero number", where, fields["scale"]));
      }
      scale = *parsed;
    }
    DerivedRate base;
    base.rate = rate_id;
    base.name_en = fields["name_en"].empty() ? rate_id : fields["name_en"];
    base.name_zh = fields["name_zh"];
    base.file = file.file;
    base.numerator_name = fields["numerator"];
    base.denominator_name = fields["denominator"];
    base.scale = scale;
    base.unit_en = fields["unit_en"];
    base.unit_zh = fields["unit_zh"];
    const std::string published_name = fields["published"];
    int doc_col = csv.ColumnIndex("document");
    int date_col = file.date_column.empty() ? -1 : csv.ColumnIndex(file.date_column);
    auto row_document = [&](const std::vector<std::string>& row) {
      return doc_col >= 0 ? row[doc_col] : file.document;
    };
    auto row_date = [&](const std::vector<std::string>& row) {
      return date_col >= 0 ? row[date_col] : file.date;
    };
    int measure_col = csv.ColumnIndex("measure");
    int value_col = csv.ColumnIndex("value");
    if (measure_col >= 0 && value_col >= 0) {
      // Long format: group rows by their identifying columns.
      std::vector<int> key_cols;
      for (size_t col = 0; col < csv.header.size(); ++col) {
        if (!IsNonKeyColumn(csv.header[col])) key_cols.push_back(static_cast<int>(col));
      }
      std::vector<std::string> keys;
      std::map<std::string, std::vector<size_t>> rows_by_key;
      for (size_t row_idx = 0; row_idx < csv.rows.size(); ++row_idx) {
        std::vector<std::string> parts;
        for (int col : key_cols) parts.push_back(csv.rows[row_idx][col]);
        std::string key = fmt::format("{}", fmt::join(parts, " "));
        if (!rows_by_key.count(key)) keys.push_back(key);
        rows_by_key[key].push_back(row_idx);
      }
      for (const std::string& key : keys) {
        const std::vector<std::string>* num_row = nullptr;
        const std::vector<std::string>* den_row = nullptr;
        const std::vector<std::string>* pub_row = nullptr;
        for (size_t row_idx : rows_by_key[key]) {
          const auto& row = csv.rows[row_idx];
          if (row[measure_col] == base.numerator_name) num_row = &row;
          if (row[measure_col] == base.denominator_name) den_row = &row;
          if (!published_name.empty() && row[measure_col] == published_name) pub_row = &row;
        }
        if (!num_row || !den_row) continue;
        auto num = ParseNumber((*num_row)[value_col]);
        auto den = ParseNumber((*den_row)[value_col]);
        if (!num || !den || *den == 0) continue;
        DerivedRate rate = base;
        rate.key = key;
        rate.document = row_document(*num_row);
        rate.date = row_date(*num_row);
        rate.numerator = *num;
        rate.denominator = *den;
        rate.value = *num / *den * scale;
        rate.approximate = !Qualifier(csv, *num_row).empty() || !Qualifier(csv, *den_row).empty();
        if (pub_row) {
          rate.published = ParseNumber((*pub_row)[value_col]);
          rate.published_qualifier = Qualifier(csv, *pub_row);
        }
        data.rates.push_back(std::move(rate));
      }
    } else {
      int num_col = csv.ColumnIndex(base.numerator_name);
      int den_col = csv.ColumnIndex(base.denominator_name);
      int pub_col = published_name.empty() ? -1 : csv.ColumnIndex(published_name);
      if (num_col < 0 || den_col < 0 || (!published_name.empty() && pub_col < 0)) {
        return DataError(fmt::format(
            "{}: {} has no column \"{}\" (a file without measure,value columns takes column "
            "names)",
            where, file.file,
            num_col < 0   ? base.numerator_name
            : den_col < 0 ? base.denominator_name
                          : published_name));
      }
      for (const auto& row : csv.rows) {
        auto num = ParseNumber(row[num_col]);
        auto den = ParseNumber(row[den_col]);
        if (!num || !den || *den == 0) continue;
        DerivedRate rate = base;
        std::vector<std::string> parts = {row_document(row), row_date(row)};
        rate.key = fmt::format("{}", fmt::join(parts, " "));
        rate.document = row_document(row);
        rate.date = row_date(row);
        rate.numerator = *num;
        rate.denominator = *den;
        rate.value = *num / *den * scale;
        rate.approximate = !Qualifier(csv, row).empty();
        if (pub_col >= 0) rate.published = ParseNumber(row[pub_col]);
        data.rates.push_back(std::move(rate));
      }
    }
  }
  return data;
}

}  // namespace talentflow::report
