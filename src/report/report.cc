#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "io/file_util.h"
#include "report/export_dta.h"
#include "report/export_xlsx.h"
#include "report/pdf.h"
#include "report/report_style.h"
#include "report/svg_chart.h"

namespace talentflow::report {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// ---------------------------------------------------------------- loading

Status AddFileRead(const fs::path& path, std::vector<InputFile>* files) {
  InputFile file;
  file.path = path.string();
  std::error_code ec;
  file.bytes = fs::file_size(path, ec);
  TF_ASSIGN_OR_RETURN(file.sha256, Sha256File(path));
  files->push_back(std::move(file));
  return Status::Ok();
}

StatusOr<std::optional<Json>> ReadJsonIfPresent(const fs::path& path,
                                                std::vector<InputFile>* files) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::optional<Json>();
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return DataError(fmt::format("{}: not a JSON object", path.string()));
  }
  TF_RETURN_IF_ERROR(AddFileRead(path, files));
  return std::optional<Json>(std::move(json));
}

// --------------------------------------------------------------- JSON access

const Json* Find(const Json* json, std::string_view key) {
  if (!json || !json->is_object()) return nullptr;
  auto it = json->find(key);
  return it == json->end() ? nullptr : &*it;
}

std::string JsonString(const Json* json) {
  if (!json || json->is_null()) return "";
  if (json->is_string()) return json->get<std::string>();
  if (json->is_number_integer()) return fmt::format("{}", json->get<int64_t>());
  if (json->is_number()) return FormatDouble(json->get<double>());
  if (json->is_boolean()) return json->get<bool>() ? "true" : "false";
  return json->dump();
}

// A JSON count: a value, or suppressed (null), or missing (absent).
ChartValue JsonCount(const Json* json) {
  if (!json) return ChartValue::Missing();
  if (json->is_null()) return ChartValue::Suppressed();
  if (json->is_number()) return ChartValue::Of(json->get<double>());
  return ChartValue::Missing();
}

// ------------------------------------------------------------ small helpers

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string SuppressedText(Lang lang) { return BiText(lang, "suppressed", "不予公布"); }
std::string MissingText(Lang lang) { return BiText(lang, "n/a", "不適用"); }

std::string SuppressedCellHtml(Lang lang) {
  return "<td class=\"sup\" title=\"suppressed: fewer than k persons, or would give such a count "
         "back\">" +
         BiHtml(lang, "suppressed", "不予公布") + "</td>";
}

std::string ValueHtml(const ChartValue& value, Lang lang, int decimals) {
  switch (value.state) {
    case ChartValue::State::kValue:
      return "<td class=\"num\">" + FormatFixed(value.value, decimals) + "</td>";
    case ChartValue::State::kSuppressed:
      return SuppressedCellHtml(lang);
    case ChartValue::State::kMissing:
      return "<td class=\"missing\">" + BiHtml(lang, "n/a", "不適用") + "</td>";
  }
  return "<td></td>";
}

ChartValue CellValue(const Cell& cell) {
  if (std::holds_alternative<Suppressed>(cell)) return ChartValue::Suppressed();
  if (const auto* i = std::get_if<int64_t>(&cell)) return ChartValue::Of(static_cast<double>(*i));
  if (const auto* d = std::get_if<double>(&cell)) return ChartValue::Of(*d);
  return ChartValue::Missing();
}

std::string CellString(const Cell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  return "";
}

int ColumnIndex(const Table& table, std::string_view name) {
  for (size_t col = 0; col < table.columns.size(); ++col) {
    if (table.columns[col].name == name) return static_cast<int>(col);
  }
  return -1;
}

// Decimals for a numeric column: by its name's convention, else by size.
int ColumnDecimals(const Table& table, size_t col) {
  const std::string& name = table.columns[col].name;
  if (table.columns[col].type == ColumnType::kInt) return 0;
  if (name.ends_with("_pct")) return 2;
  if (name.ends_with("per_10k")) return 1;
  if (name == "df") return 1;
  if (name.ends_with("_rate") || name.ends_with("_share")) return 3;
  bool small = true;
  for (const auto& row : table.rows) {
    if (const auto* d = std::get_if<double>(&row[col]); d && std::fabs(*d) >= 1) small = false;
  }
  return small ? 3 : 2;
}

std::string CellHtml(const Table& table, size_t col, const Cell& cell, Lang lang) {
  if (std::holds_alternative<Suppressed>(cell)) return SuppressedCellHtml(lang);
  if (std::holds_alternative<Missing>(cell)) {
    return "<td class=\"missing\" title=\"not computable\">–</td>";
  }
  if (const auto* i = std::get_if<int64_t>(&cell))
    return "<td class=\"num\">" + FormatInt(*i) + "</td>";
  if (const auto* d = std::get_if<double>(&cell)) {
    if (table.columns[col].name == "p") return "<td class=\"num\">" + FormatPValue(*d) + "</td>";
    return "<td class=\"num\">" + FormatFixed(*d, ColumnDecimals(table, col)) + "</td>";
  }
  return "<td>" + EscapeHtml(CellString(cell)) + "</td>";
}

std::string ColumnHeader(const Column& column, Lang lang) {
  std::string en = column.label_en.empty() ? column.name : column.label_en;
  return BiHtml(lang, en, column.label_zh);
}

std::string TableTitle(const Table& table, Lang lang) {
  return BiHtml(lang, table.title_en.empty() ? table.name : table.title_en, table.title_zh);
}

// A table's rows as HTML, every column, with an optional row limit.
std::string GenericTableHtml(const Table& table, Lang lang, size_t max_rows = 0) {
  std::string html = "<div class=\"wide\"><table class=\"data\" data-table=\"" +
                     EscapeHtml(table.name) + "\"><thead><tr>";
  for (const Column& column : table.columns) html += "<th>" + ColumnHeader(column, lang) + "</th>";
  html += "</tr></thead><tbody>";
  size_t rows = max_rows > 0 ? std::min(max_rows, table.rows.size()) : table.rows.size();
  for (size_t row_idx = 0; row_idx < rows; ++row_idx) {
    html += "<tr>";
    for (size_t col = 0; col < table.columns.size(); ++col) {
      html += CellHtml(table, col, table.rows[row_idx][col], lang);
    }
    html += "</tr>";
  }
  html += "</tbody></table></div>";
  if (rows < table.rows.size()) {
    html +=
        "<p class=\"note\">" +
        BiHtml(lang,
               fmt::format("First {} of {} rows; all rows are in tables/{}.csv and tables.xlsx.",
                           rows, table.rows.size(), table.name),
               fmt::format("只列出 {} 行中的首 {} 行；全部數據見 tables/{}.csv 及 tables.xlsx。",
                           table.rows.size(), rows, table.name)) +
        "</p>";
  }
  return html;
}

std::string TableNotes(const Table& table, Lang lang) {
  if (table.notes.empty()) return "";
  return "<p class=\"note\">" + EscapeHtml(table.notes) + "</p>";
}

std::string Figure(const std::string& svg, const std::string& caption_html) {
  return "<figure>" + svg + "<figcaption>" + caption_html + "</figcaption></figure>";
}

std::string Absent(Lang lang, std::string_view en, std::string_view zh) {
  return "<p class=\"note absent\">" + BiHtml(lang, en, zh) + "</p>";
}

// Whether the flows place is Hong Kong, so the study's figures apply.
bool IsHongKong(const std::string& place) {
  std::string p = Lower(place);
  return p == "hong kong" || p == "hongkong" || p == "hk" || p == "hksar" || place == "香港";
}

std::string PublishedLabel(Lang lang) { return BiHtml(lang, "Published (GP24)", "已公布（GP24）"); }

// ------------------------------------------------------------ the renderer

class Renderer {
 public:
  Renderer(const ReportInputs& in, Lang lang) : in_(in), lang_(lang) {
    const Json* params = in_.results ? Find(&*in_.results, "params") : nullptr;
    place_ = JsonString(Find(params, "place"));
    before_ = JsonString(Find(params, "before"));
    after_ = JsonString(Find(params, "after"));
    hong_kong_ = IsHongKong(place_);
  }

  std::string Render();

 private:
  std::string B(std::string_view en, std::string_view zh) const { return BiHtml(lang_, en, zh); }
  std::string T(std::string_view en, std::string_view zh) const { return BiText(lang_, en, zh); }
  const CsvFile* Study(const std::string& stem) const {
    auto it = in_.study.find(stem);
    return it == in_.study.end() ? nullptr : &it->second;
  }
  std::string NextChartId() { return fmt::format("chart{}", ++chart_count_); }

  std::string Header();
  std::string Headline();
  std::string StudySection();
  std::string AgeBands();
  std::string JoinersLeavers();
  std::string FlowsByCountry();
  std::string SameCompany();
  std::string Multinationals();
  std::string CityHumanCapital();
  std::string EngineSection(const std::string& id, const std::string& source,
                            const std::optional<Json>& summary, std::string_view en,
                            std::string_view zh, std::string_view file);
  std::string EngineTableChart(const Table& table);
  std::string Official();
  std::string OfficialFileHtml(const OfficialFile& file);
  std::string DerivedRates();
  std::string Method();
  std::string JsonKeyValueTable(const Json& json, size_t max_rows);

  const ReportInputs& in_;
  Lang lang_;
  std::string place_, before_, after_;
  bool hong_kong_ = false;
  int chart_count_ = 0;
};

std::string Renderer::Render() {
  std::string html_lang = lang_ == Lang::kZhHant ? "zh-Hant" : "en";
  std::string title = place_.empty() ? T("talentflow report", "talentflow 報告")
                                     : T("Talent flows: " + place_, "人才流動：" + place_);
  std::string out;
  out.reserve(1 << 18);
  out += "<!DOCTYPE html>\n<html lang=\"" + html_lang + "\">\n<head>\n<meta charset=\"utf-8\">\n";
  // The page may load nothing: styles and charts are inline, images data: only.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:; font-src data:\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"talentflow " TALENTFLOW_VERSION "\">\n";
  out += "<title>" + EscapeHtml(title) + "</title>\n<style>" + std::string(kReportCss) +
         "</style>\n</head>\n<body>\n";
  out += Header();
  out += "<main>\n";
  out += Headline();
  out += StudySection();
  out += EngineSection("schemes", "schemes", in_.schemes_pool, "Talent schemes: eligible pools",
                       "人才計劃：合資格人數", "schemes_pool.json");
  out += Official();
  out += EngineSection("opinion", "opinion", in_.opinion, "Online opinion", "網上輿論",
                       "opinion.json");
  out += Method();
  out += "</main>\n<footer><p class=\"meta\">" +
         B("Generated by talentflow " TALENTFLOW_VERSION ".",
           "由 talentflow " TALENTFLOW_VERSION " 生成。") +
         "</p></footer>\n</body>\n</html>\n";
  return out;
}

std::string Renderer::Header() {
  std::string out = "<header>\n<h1>";
  if (place_.empty()) {
    out += B("talentflow report", "talentflow 報告");
  } else {
    out += B("Talent flows: " + place_, "人才流動：" + place_);
  }
  out += "</h1>\n<p class=\"meta\">";
  if (!before_.empty()) {
    out += B(fmt::format("Snapshots {} and {}.", before_, after_),
             fmt::format("比較時點：{} 及 {}。", before_, after_)) +
           " ";
  }
  out += B("Results directory: ", "結果目錄：") + "<code>" + EscapeHtml(in_.out_dir.string()) +
         "</code></p>\n";
  struct Entry {
    const char* id;
    const char* en;
    const char* zh;
  };
  const Entry entries[] = {
      {"headline", "Headline", "摘要"},
      {"study", "The LinkedIn study's tables, computed", "領英研究圖表（重新計算）"},
      {"schemes", "Talent schemes", "人才計劃"},
      {"official", "Official statistics", "官方統計"},
      {"opinion", "Online opinion", "網上輿論"},
      {"method", "Method and provenance", "方法及來源"}};
  out += "<nav><ol>";
  for (const Entry& entry : entries) {
    out += fmt::format("<li><a href=\"#{}\">{}</a></li>", entry.id, B(entry.en, entry.zh));
  }
  out += "</ol></nav>\n</header>\n";
  return out;
}

std::string Renderer::Headline() {
  std::string out = "<section id=\"headline\">\n<h2>" + B("Headline", "摘要") + "</h2>\n";
  const Json* classes = in_.results ? Find(&*in_.results, "classes") : nullptr;
  if (!classes) {
    return out +
           Absent(lang_, "The flow engine has not run for this directory (no results.json).",
                  "此目錄沒有人才流動結果（沒有 results.json）。") +
           "</section>\n";
  }
  ChartValue stayer = JsonCount(Find(classes, "stayer"));
  ChartValue joiner = JsonCount(Find(classes, "joiner"));
  ChartValue leaver = JsonCount(Find(classes, "leaver"));
  ChartValue net = ChartValue::Missing();
  if (joiner.state == ChartValue::State::kValue && leaver.state == ChartValue::State::kValue) {
    net = ChartValue::Of(joiner.value - leaver.value);
  } else if (joiner.state == ChartValue::State::kSuppressed ||
             leaver.state == ChartValue::State::kSuppressed) {
    net = ChartValue::Suppressed();
  }
  std::map<std::string, double> published;
  if (const CsvFile* headline = Study("headline"); headline && hong_kong_) {
    int cls = headline->ColumnIndex("class"), count = headline->ColumnIndex("count");
    if (cls >= 0 && count >= 0) {
      for (const auto& row : headline->rows) {
        if (auto v = ParseNumber(row[count])) published[row[cls]] = *v;
      }
    }
    if (published.count("joiner") && published.count("leaver")) {
      published["net"] = published["joiner"] - published["leaver"];
    }
  }
  out += "<p>" +
         B(fmt::format("Persons located in {} at {} and/or {} (spec section 4).", place_, before_,
                       after_),
           fmt::format("於 {} 及／或 {} 身處{}的人士（規格第4節）。", before_, after_, place_)) +
         "</p>\n<div class=\"cards\">";
  struct Card {
    const char* key;
    const char* en;
    const char* zh;
    ChartValue value;
  };
  const Card cards[] = {{"stayer", "Stayers", "留港者", stayer},
                        {"joiner", "Joiners", "來港者", joiner},
                        {"leaver", "Leavers", "離港者", leaver},
                        {"net", "Net (joiners − leavers)", "淨流入（來港者－離港者）", net}};
  for (const Card& card : cards) {
    out += "<div class=\"card\" data-class=\"" + std::string(card.key) +
           "\"><div class=\"label\">" + B(card.en, card.zh) + "</div><div class=\"value\">";
    switch (card.value.state) {
      case ChartValue::State::kValue:
        out += (std::string(card.key) == "net" && card.value.value > 0 ? "+" : "") +
               FormatInt(static_cast<int64_t>(card.value.value));
        break;
      case ChartValue::State::kSuppressed:
        out += B("suppressed", "不予公布");
        break;
      case ChartValue::State::kMissing:
        out += "–";
        break;
    }
    out += "</div>";
    if (auto it = published.find(card.key); it != published.end()) {
      out += "<div class=\"published\">" + B("Published (GP24): ", "已公布（GP24）：") +
             FormatInt(static_cast<int64_t>(it->second)) + "</div>";
    }
    out += "</div>";
  }
  out += "</div>\n";
  // All classes, including those outside and unclassified.
  out += "<table class=\"data\" data-table=\"headline\"><thead><tr><th>" + B("Class", "類別") +
         "</th><th>" + B("Persons", "人數") + "</th>" +
         (published.empty() ? "" : "<th class=\"published\">" + PublishedLabel(lang_) + "</th>") +
         "</tr></thead><tbody>";
  const Json* unclassified = Find(classes, "unclassified");
  struct Row {
    std::string key, en, zh;
    ChartValue value;
  };
  std::vector<Row> rows = {
      {"stayer", "Stayers", "留港者", stayer},
      {"joiner", "Joiners", "來港者", joiner},
      {"leaver", "Leavers", "離港者", leaver},
      {"net", "Net (joiners − leavers)", "淨流入", net},
      {"outside", "Outside (in neither snapshot)", "兩個時點均不在該地",
       JsonCount(Find(classes, "outside"))},
      {"unknown_before", "Unclassified: unknown at before", "未能分類：之前時點不詳",
       JsonCount(Find(unclassified, "unknown_before"))},
      {"unknown_after", "Unclassified: unknown at after", "未能分類：之後時點不詳",
       JsonCount(Find(unclassified, "unknown_after"))},
      {"unknown_both", "Unclassified: unknown at both", "未能分類：兩個時點均不詳",
       JsonCount(Find(unclassified, "unknown_both"))}};
  for (const Row& row : rows) {
    out += "<tr><td>" + B(row.en, row.zh) + "</td>" + ValueHtml(row.value, lang_, 0);
    if (!published.empty()) {
      auto it = published.find(row.key);
      out += it == published.end() ? "<td class=\"published missing\">–</td>"
                                   : "<td class=\"num published\">" +
                                         FormatInt(static_cast<int64_t>(it->second)) + "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table>\n";
  if (!published.empty()) {
    out +=
        "<p class=\"note\">" +
        B("Published: the LinkedIn study (GP24), Revelio Labs data extracted October 2023, pre- "
          "versus post-COVID snapshots; shown for comparison, not as a check of this run.",
          "已公布數字：領英研究（GP24），Revelio Labs 2023年10月數據，比較疫情前後；僅供對照。") +
        "</p>\n";
  }
  return out + "</section>\n";
}

std::string Renderer::StudySection() {
  std::string out = "<section id=\"study\">\n<h2>" +
                    B("The LinkedIn study's tables, computed", "領英研究圖表（重新計算）") +
                    "</h2>\n";
  out += AgeBands();
  out += JoinersLeavers();
  out += FlowsByCountry();
  out += SameCompany();
  out += Multinationals();
  out += CityHumanCapital();
  return out + "</section>\n";
}

std::string Renderer::AgeBands() {
  std::string out = "<div id=\"age-bands\"><h3>" +
                    B("Net migration by age band", "按年齡組別劃分的淨遷移") + "</h3>\n";
  const Table* table = in_.FindTable("age_bands");
  if (!table)
    return out + Absent(lang_, "Table age_bands not found.", "沒有 age_bands 表。") + "</div>\n";
  int band = ColumnIndex(*table, "band"), group = ColumnIndex(*table, "group");
  int net_pct = ColumnIndex(*table, "net_pct");
  if (band >= 0 && group >= 0 && net_pct >= 0) {
    BarChart chart{
        .id = NextChartId(),
        .aria_label = T("Net migration rate by age band", "按年齡組別劃分的淨遷移率"),
        .value_axis_label = T("Net migration rate (% of base)", "淨遷移率（佔基數百分比）"),
        .decimals = 2,
        .text = {SuppressedText(lang_), MissingText(lang_)}};
    std::vector<std::string> groups = {"all", "high_pay"};
    chart.series = {{T("All", "全部"), {}},
                    {T("High pay (top 3 deciles)", "高薪（最高三個十分位）"), {}}};
    for (const auto& row : table->rows) {
      std::string b = CellString(row[band]);
      if (std::find(chart.categories.begin(), chart.categories.end(), b) ==
          chart.categories.end()) {
        chart.categories.push_back(b);
        for (auto& s : chart.series) s.values.push_back(ChartValue::Missing());
      }
    }
    for (const auto& row : table->rows) {
      size_t cat =
          std::find(chart.categories.begin(), chart.categories.end(), CellString(row[band])) -
          chart.categories.begin();
      auto g = std::find(groups.begin(), groups.end(), CellString(row[group]));
      if (g == groups.end()) continue;
      chart.series[g - groups.begin()].values[cat] = CellValue(row[net_pct]);
    }
    out +=
        Figure(RenderBarChart(chart),
               B("Net rate = (joiners − leavers) / (stayers + leavers) × 100, by age at the after "
                 "snapshot. Bars: solid = all, hatched = high pay.",
                 "淨遷移率 =（來港者－離港者）／（留港者＋離港者）× 100，按之後時點的年齡。實心 = "
                 "全部，斜線 = 高薪。"));
  }
  out += GenericTableHtml(*table, lang_) + TableNotes(*table, lang_);
  return out + "</div>\n";
}

std::string Renderer::JoinersLeavers() {
  std::string out = "<div id=\"joiners-leavers\"><h3>" +
                    B("Joiners versus leavers", "來港者與離港者比較") + "</h3>\n";
  const Table* table = in_.FindTable("joiners_vs_leavers");
  if (!table) {
    return out +
           Absent(lang_, "Table joiners_vs_leavers not found.", "沒有 joiners_vs_leavers 表。") +
           "</div>\n";
  }
  // Published means and t by variable, through the alias list.
  std::map<std::string, std::string> canonical;  // any name -> study variable
  std::map<std::string, std::pair<std::string, std::string>> labels;
  if (const CsvFile* vars = Study("variables")) {
    int v = vars->ColumnIndex("variable"), a = vars->ColumnIndex("aliases");
    int en = vars->ColumnIndex("label_en"), zh = vars->ColumnIndex("label_zh");
    for (const auto& row : vars->rows) {
      if (v < 0) break;
      canonical[Lower(row[v])] = row[v];
      if (a >= 0) {
        size_t start = 0;
        while (start <= row[a].size()) {
          size_t end = std::min(row[a].find('|', start), row[a].size());
          if (end > start) canonical[Lower(row[a].substr(start, end - start))] = row[v];
          start = end + 1;
        }
      }
      if (en >= 0 && zh >= 0) labels[row[v]] = {row[en], row[zh]};
    }
  }
  std::map<std::string, std::vector<std::string>> published;
  const CsvFile* table1 = hong_kong_ ? Study("table1_joiners_leavers") : nullptr;
  if (table1) {
    int v = table1->ColumnIndex("variable");
    for (const auto& row : table1->rows) {
      if (v >= 0) published[row[v]] = row;
    }
  }
  auto published_cell = [&](const std::vector<std::string>* row, const char* column) {
    int idx = table1 ? table1->ColumnIndex(column) : -1;
    if (!row || idx < 0 || (*row)[idx].empty())
      return std::string("<td class=\"published missing\">–</td>");
    auto value = ParseNumber((*row)[idx]);
    if (!value) return "<td class=\"published\">" + EscapeHtml((*row)[idx]) + "</td>";
    return "<td class=\"num published\">" + FormatFixed(*value, 2) + "</td>";
  };
  const char* cols[] = {"joiner_n",  "joiner_mean", "joiner_sd", "leaver_n", "leaver_mean",
                        "leaver_sd", "diff",        "t",         "df",       "p"};
  out +=
      "<div class=\"wide\"><table class=\"data\" "
      "data-table=\"joiners_vs_leavers\"><thead><tr><th>" +
      B("Variable", "變量") + "</th>";
  for (const char* col : cols) {
    int idx = ColumnIndex(*table, col);
    out +=
        "<th>" + (idx >= 0 ? ColumnHeader(table->columns[idx], lang_) : EscapeHtml(col)) + "</th>";
  }
  if (table1) {
    out += "<th class=\"published\">" + B("Published: joiners' mean", "已公布：來港者平均值") +
           "</th><th class=\"published\">" + B("Published: leavers' mean", "已公布：離港者平均值") +
           "</th><th class=\"published\">" + B("Published: t", "已公布：t 值") + "</th>";
  }
  out += "</tr></thead><tbody>";
  int var_col = ColumnIndex(*table, "variable");
  int p_col = ColumnIndex(*table, "p");
  for (const auto& row : table->rows) {
    std::string variable = var_col >= 0 ? CellString(row[var_col]) : "";
    auto canon_it = canonical.find(Lower(variable));
    std::string canon = canon_it == canonical.end() ? variable : canon_it->second;
    auto label_it = labels.find(canon);
    out += "<tr><td>" +
           (label_it == labels.end() ? EscapeHtml(variable)
                                     : B(label_it->second.first, label_it->second.second)) +
           "</td>";
    for (const char* col : cols) {
      int idx = ColumnIndex(*table, col);
      if (idx < 0) {
        out += "<td class=\"missing\">–</td>";
        continue;
      }
      std::string cell = CellHtml(*table, idx, row[idx], lang_);
      if (std::string_view(col) == "diff" && p_col >= 0) {
        if (const auto* p = std::get_if<double>(&row[p_col]);
            p && std::holds_alternative<double>(row[idx])) {
          std::string marks(SignificanceMarks(*p));
          if (!marks.empty()) {
            cell.insert(cell.size() - 5, "<span class=\"marks\">" + marks + "</span>");
          }
        }
      }
      out += cell;
    }
    if (table1) {
      auto pub_it = published.find(canon);
      const std::vector<std::string>* pub = pub_it == published.end() ? nullptr : &pub_it->second;
      out += published_cell(pub, "joiner_mean") + published_cell(pub, "leaver_mean") +
             published_cell(pub, "t");
    }
    out += "</tr>";
  }
  out +=
      "</tbody></table></div>\n<p class=\"note\">" +
      B("Welch's t test, two-sided. Marks on the difference: * p < 0.1, ** p < 0.05, *** p < 0.01. "
        "University ranks: lower is better.",
        "韋爾奇 t 檢定，雙尾。差異旁的標記：* p < 0.1，** p < 0.05，*** p < "
        "0.01。大學排名：數值越小越好。") +
      "</p>\n";
  return out + TableNotes(*table, lang_) + "</div>\n";
}

std::string Renderer::FlowsByCountry() {
  std::string out = "<div id=\"flows-by-country\"><h3>" +
                    B("Flows by country", "按國家或地區劃分的流動") + "</h3>\n";
  const Table* table = in_.FindTable("flows_by_country");
  if (!table) {
    return out + Absent(lang_, "Table flows_by_country not found.", "沒有 flows_by_country 表。") +
           "</div>\n";
  }
  int country = ColumnIndex(*table, "country"), leave = ColumnIndex(*table, "leave");
  int join = ColumnIndex(*table, "join");
  constexpr size_t kChartRows = 20;
  if (country >= 0 && leave >= 0 && join >= 0) {
    BarChart chart{
        .id = NextChartId(),
        .aria_label = T("Leavers and joiners by country", "按國家或地區劃分的離港者及來港者"),
        .value_axis_label = T("Persons (leavers to the left, joiners to the right)",
                              "人數（左：離港往，右：來港自）"),
        .decimals = 0,
        .text = {SuppressedText(lang_), MissingText(lang_)}};
    chart.series = {{T("Leavers to", "離港往"), {}}, {T("Joiners from", "來港自"), {}}};
    for (size_t row_idx = 0; row_idx < table->rows.size() && row_idx < kChartRows; ++row_idx) {
      const auto& row = table->rows[row_idx];
      chart.categories.push_back(CellString(row[country]));
      chart.series[0].values.push_back(CellValue(row[leave]));
      chart.series[1].values.push_back(CellValue(row[join]));
    }
    out += Figure(
        RenderDivergingChart(chart),
        B(fmt::format("The {} countries with the most turnover (joiners + leavers), in the "
                      "table's order. Hatched: joiners; solid: leavers.",
                      kChartRows),
          fmt::format(
              "流動總量（來港者＋離港者）最多的 {} 個國家或地區。斜線：來港者；實心：離港者。",
              kChartRows)));
  }
  // Published leave/join beside each country, matched through the aliases.
  const CsvFile* table2 = hong_kong_ ? Study("table2_flows_by_region") : nullptr;
  std::map<std::string, const std::vector<std::string>*> published;
  if (table2) {
    int region = table2->ColumnIndex("region");
    std::map<std::string, std::string> alias_to_region;
    if (const CsvFile* aliases = Study("region_aliases")) {
      int r = aliases->ColumnIndex("region"), a = aliases->ColumnIndex("alias");
      for (const auto& row : aliases->rows) {
        if (r < 0 || a < 0) break;
        size_t start = 0;
        while (start <= row[a].size()) {
          size_t end = std::min(row[a].find('|', start), row[a].size());
          if (end > start) alias_to_region[Lower(row[a].substr(start, end - start))] = row[r];
          start = end + 1;
        }
      }
    }
    for (const auto& row : table2->rows) {
      if (region < 0) break;
      published[Lower(row[region])] = &row;
    }
    for (const auto& [alias, reg] : alias_to_region) {
      if (published.count(Lower(reg)) && !published.count(alias))
        published[alias] = published[Lower(reg)];
    }
  }
  out += "<div class=\"wide\"><table class=\"data\" data-table=\"flows_by_country\"><thead><tr>";
  for (const Column& column : table->columns) out += "<th>" + ColumnHeader(column, lang_) + "</th>";
  const char* pub_cols[] = {"leave", "join", "net", "turnover"};
  if (table2) {
    for (const char* col : pub_cols) {
      out += "<th class=\"published\">" +
             B(fmt::format("Published: {}", col), fmt::format("已公布：{}", col)) + "</th>";
    }
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : table->rows) {
    out += "<tr>";
    for (size_t col = 0; col < table->columns.size(); ++col)
      out += CellHtml(*table, col, row[col], lang_);
    if (table2) {
      auto it = country >= 0 ? published.find(Lower(CellString(row[country]))) : published.end();
      for (const char* col : pub_cols) {
        int idx = table2->ColumnIndex(col);
        auto value =
            it != published.end() && idx >= 0 ? ParseNumber((*it->second)[idx]) : std::nullopt;
        out += value ? "<td class=\"num published\">" + FormatInt(static_cast<int64_t>(*value)) +
                           "</td>"
                     : "<td class=\"published missing\">–</td>";
      }
    }
    out += "</tr>";
  }
  out += "</tbody></table></div>\n";
  return out + TableNotes(*table, lang_) + "</div>\n";
}

std::string Renderer::SameCompany() {
  std::string out = "<div id=\"same-company\"><h3>" +
                    B("Same versus different company", "同一公司與不同公司") + "</h3>\n";
  const Table* table = in_.FindTable("same_company");
  if (!table) {
    return out + Absent(lang_, "Table same_company not found.", "沒有 same_company 表。") +
           "</div>\n";
  }
  const CsvFile* table3 = hong_kong_ ? Study("table3_company") : nullptr;
  int cls = ColumnIndex(*table, "class"), company = ColumnIndex(*table, "company");
  out += "<table class=\"data\" data-table=\"same_company\"><thead><tr>";
  for (const Column& column : table->columns) out += "<th>" + ColumnHeader(column, lang_) + "</th>";
  if (table3) {
    out += "<th class=\"published\">" + B("Published: count", "已公布：人數") +
           "</th><th class=\"published\">" + B("Published: share (%)", "已公布：百分比") + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : table->rows) {
    out += "<tr>";
    for (size_t col = 0; col < table->columns.size(); ++col)
      out += CellHtml(*table, col, row[col], lang_);
    if (table3) {
      const std::vector<std::string>* match = nullptr;
      int c3 = table3->ColumnIndex("class"), m3 = table3->ColumnIndex("company");
      for (const auto& prow : table3->rows) {
        if (cls >= 0 && company >= 0 && c3 >= 0 && m3 >= 0 && prow[c3] == CellString(row[cls]) &&
            prow[m3] == CellString(row[company])) {
          match = &prow;
        }
      }
      int n3 = table3->ColumnIndex("count"), s3 = table3->ColumnIndex("share_pct");
      auto n = match && n3 >= 0 ? ParseNumber((*match)[n3]) : std::nullopt;
      auto s = match && s3 >= 0 ? ParseNumber((*match)[s3]) : std::nullopt;
      out += n ? "<td class=\"num published\">" + FormatInt(static_cast<int64_t>(*n)) + "</td>"
               : "<td class=\"published missing\">–</td>";
      out += s ? "<td class=\"num published\">" + FormatFixed(*s, 2) + "</td>"
               : "<td class=\"published missing\">–</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table>\n";
  return out + TableNotes(*table, lang_) + "</div>\n";
}

std::string Renderer::Multinationals() {
  std::string out =
      "<div id=\"multinationals\"><h3>" + B("Multinationals' growth", "跨國企業的增長") + "</h3>\n";
  const Table* growth = in_.FindTable("multinationals_growth");
  const Table* firms = in_.FindTable("multinationals");
  if (!growth && !firms) {
    return out +
           Absent(lang_, "Tables multinationals and multinationals_growth not found.",
                  "沒有 multinationals 及 multinationals_growth 表。") +
           "</div>\n";
  }
  if (growth) {
    int bin = ColumnIndex(*growth, "bin"), count = ColumnIndex(*growth, "firms");
    if (bin >= 0 && count >= 0) {
      BarChart chart{.id = NextChartId(),
                     .aria_label = T("Distribution of multinationals' growth", "跨國企業增長分佈"),
                     .value_axis_label = T("Firms", "企業數"),
                     .decimals = 0,
                     .text = {SuppressedText(lang_), MissingText(lang_)}};
      chart.series = {{T("Firms", "企業數"), {}}};
      for (const auto& row : growth->rows) {
        chart.categories.push_back(CellString(row[bin]));
        chart.series[0].values.push_back(CellValue(row[count]));
      }
      out += Figure(RenderHistogram(chart, T("Headcount growth in the place (% of before)",
                                             "在該地的人數增長（佔之前人數百分比）")),
                    TableTitle(*growth, lang_));
    }
  }
  const Json* totals = in_.results ? Find(&*in_.results, "multinationals") : nullptr;
  if (totals && totals->is_object() && !totals->empty()) {
    out += "<p>" + B("Totals from results.json:", "results.json 的總數：") + "</p>" +
           JsonKeyValueTable(*totals, 40);
  }
  if (firms) out += GenericTableHtml(*firms, lang_, 40) + TableNotes(*firms, lang_);
  return out + "</div>\n";
}

std::string Renderer::CityHumanCapital() {
  std::string out = "<div id=\"city-human-capital\"><h3>" +
                    B("Human capital of cities", "城市人力資本") + "</h3>\n";
  const Table* table = in_.FindTable("city_human_capital");
  if (!table) {
    return out +
           Absent(lang_, "Table city_human_capital not found.", "沒有 city_human_capital 表。") +
           "</div>\n";
  }
  struct Measure {
    const char* column;
    const char* published;  // column of table4_city_ranks.csv
  };
  const Measure measures[] = {{"bachelor_rate", "bachelor_rate_rank"},
                              {"mba_rate", "mba_rate_rank"},
                              {"doctorate_rate", "phd_rate_rank"},
                              {"founder_rate", "founder_rate_rank"},
                              {"bachelor_uni_rank", "bachelor_uni_rank_rank"},
                              {"master_uni_rank", "master_uni_rank_rank"},
                              {"doctorate_uni_rank", "phd_uni_rank_rank"}};
  const CsvFile* table4 = hong_kong_ ? Study("table4_city_ranks") : nullptr;
  int place = ColumnIndex(*table, "place"), place_zh = ColumnIndex(*table, "place_zh");
  int count = ColumnIndex(*table, "count");
  // Largest rank in use, for the shading scale.
  int64_t max_rank = 1;
  for (const Measure& m : measures) {
    int idx = ColumnIndex(*table, std::string(m.column) + "_rank");
    for (const auto& row : table->rows) {
      if (idx >= 0) {
        if (const auto* r = std::get_if<int64_t>(&row[idx])) max_rank = std::max(max_rank, *r);
      }
    }
  }
  out +=
      "<div class=\"wide\"><table class=\"data ranked\" "
      "data-table=\"city_human_capital\"><thead><tr><th>" +
      B("Place", "地點") + "</th><th>" + B("Persons", "人數") + "</th>";
  for (const Measure& m : measures) {
    int idx = ColumnIndex(*table, m.column);
    out += "<th>" + (idx >= 0 ? ColumnHeader(table->columns[idx], lang_) : EscapeHtml(m.column)) +
           "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : table->rows) {
    std::string name = place >= 0 ? CellString(row[place]) : "";
    out += "<tr><td>" + B(name, place_zh >= 0 ? CellString(row[place_zh]) : "") + "</td>" +
           (count >= 0 ? CellHtml(*table, count, row[count], lang_) : "<td></td>");
    const std::vector<std::string>* pub = nullptr;
    if (table4) {
      int p4 = table4->ColumnIndex("place");
      for (const auto& prow : table4->rows) {
        if (p4 >= 0 && Lower(prow[p4]) == Lower(name)) pub = &prow;
      }
    }
    for (const Measure& m : measures) {
      int idx = ColumnIndex(*table, m.column);
      int rank_idx = ColumnIndex(*table, std::string(m.column) + "_rank");
      if (idx < 0) {
        out += "<td class=\"missing\">–</td>";
        continue;
      }
      if (std::holds_alternative<Suppressed>(row[idx])) {
        out += SuppressedCellHtml(lang_);
        continue;
      }
      std::string value = CellString(row[idx]);
      if (const auto* d = std::get_if<double>(&row[idx]))
        value = FormatFixed(*d, ColumnDecimals(*table, idx));
      const int64_t* rank = rank_idx >= 0 ? std::get_if<int64_t>(&row[rank_idx]) : nullptr;
      if (!rank) {
        out += "<td class=\"num\">" + (value.empty() ? "–" : EscapeHtml(value)) + "</td>";
        continue;
      }
      // Rank 1 is darkest; light text on dark cells keeps contrast in grey scale.
      double share =
          max_rank > 1 ? static_cast<double>(*rank - 1) / static_cast<double>(max_rank - 1) : 0;
      int lightness = static_cast<int>(std::lround(30 + share * 65));
      std::string style = fmt::format("background:hsl(0,0%,{}%);color:{}", lightness,
                                      lightness < 58 ? "#fff" : "#111");
      std::string pub_text;
      int p_idx = table4 ? table4->ColumnIndex(m.published) : -1;
      if (pub && p_idx >= 0 && !(*pub)[p_idx].empty()) {
        pub_text = " <small>(" + B("GP24: ", "GP24：") + EscapeHtml((*pub)[p_idx]) + ")</small>";
      }
      out += fmt::format("<td class=\"num\" style=\"{}\" data-rank=\"{}\">{} <b>#{}</b>{}</td>",
                         style, *rank, EscapeHtml(value), *rank, pub_text);
    }
    out += "</tr>";
  }
  out +=
      "</tbody></table></div>\n<p class=\"note\">" +
      B("#n: the place's rank on the measure (1 = best: highest rate, lowest mean university "
        "rank); "
        "darker cells rank higher. GP24: the study's published rank of the same place among its 16 "
        "places.",
        "#n：該地在該項的排名（1 = "
        "最佳：比率最高、大學平均排名最前）；顏色越深排名越高。GP24：研究所公布的同一地點在16個地點"
        "中的排名。") +
      "</p>\n";
  return out + TableNotes(*table, lang_) + "</div>\n";
}

std::string Renderer::JsonKeyValueTable(const Json& json, size_t max_rows) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::function<void(const std::string&, const Json&)> walk = [&](const std::string& key,
                                                                  const Json& v) {
    if (rows.size() >= max_rows) return;
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end(); ++it)
        walk(key.empty() ? it.key() : key + "." + it.key(), *it);
    } else if (v.is_array()) {
      bool scalars =
          std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_primitive(); });
      if (scalars) {
        std::vector<std::string> parts;
        for (const auto& e : v) parts.push_back(JsonString(&e));
        rows.emplace_back(key, fmt::format("{}", fmt::join(parts, ", ")));
      } else {
        for (size_t idx = 0; idx < v.size(); ++idx) walk(fmt::format("{}[{}]", key, idx), v[idx]);
      }
    } else {
      rows.emplace_back(key, v.is_null() ? "\x01" : JsonString(&v));
    }
  };
  walk("", json);
  std::string out = "<table class=\"data kv\"><tbody>";
  for (const auto& [key, value] : rows) {
    out += "<tr><th>" + EscapeHtml(key) + "</th>";
    if (value == "\x01") {
      out += SuppressedCellHtml(lang_);
    } else {
      out += "<td>" + EscapeHtml(value) + "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table>\n";
  return out;
}

// A chart for a scheme or opinion table: categories from its string columns,
// series from a class/community/group column, values from its count column.
std::string Renderer::EngineTableChart(const Table& table) {
  static const std::set<std::string> kCountNames = {"count", "persons", "eligible", "posts",
                                                    "firms"};
  static const std::set<std::string> kSeriesNames = {"class", "community", "group"};
  int value = -1, series = -1;
  for (size_t col = 0; col < table.columns.size(); ++col) {
    const Column& column = table.columns[col];
    if (value < 0 && column.type != ColumnType::kString && kCountNames.count(column.name))
      value = col;
    if (series < 0 && column.type == ColumnType::kString && kSeriesNames.count(column.name))
      series = col;
  }
  if (value < 0 || table.rows.empty()) return "";
  // Category columns: the other string columns; X_en/X_zh pairs label X.
  std::vector<int> category_cols;
  for (size_t col = 0; col < table.columns.size(); ++col) {
    const std::string& name = table.columns[col].name;
    if (table.columns[col].type != ColumnType::kString || static_cast<int>(col) == series) continue;
    if (name.ends_with("_en") || name.ends_with("_zh")) continue;
    category_cols.push_back(col);
  }
  if (category_cols.empty()) return "";
  auto label_of = [&](const std::vector<Cell>& row, int col) {
    const std::string& name = table.columns[col].name;
    int en = ColumnIndex(table, name + "_en"), zh = ColumnIndex(table, name + "_zh");
    std::string en_text = en >= 0 ? CellString(row[en]) : CellString(row[col]);
    std::string zh_text = zh >= 0 ? CellString(row[zh]) : "";
    return T(en_text, zh_text);
  };
  BarChart chart{.id = NextChartId(),
                 .aria_label = BiText(lang_, table.title_en.empty() ? table.name : table.title_en,
                                      table.title_zh),
                 .value_axis_label =
                     BiText(lang_,
                            table.columns[value].label_en.empty() ? table.columns[value].name
                                                                  : table.columns[value].label_en,
                            table.columns[value].label_zh),
                 .decimals = 0,
                 .text = {SuppressedText(lang_), MissingText(lang_)}};
  std::vector<std::string> series_keys;
  for (const auto& row : table.rows) {
    std::vector<std::string> parts;
    for (int col : category_cols) parts.push_back(label_of(row, col));
    std::string category = fmt::format("{}", fmt::join(parts, " · "));
    std::string key = series >= 0 ? CellString(row[series]) : "";
    auto cat_it = std::find(chart.categories.begin(), chart.categories.end(), category);
    if (cat_it == chart.categories.end()) {
      chart.categories.push_back(category);
      for (auto& s : chart.series) s.values.push_back(ChartValue::Missing());
      cat_it = chart.categories.end() - 1;
    }
    auto s_it = std::find(series_keys.begin(), series_keys.end(), key);
    if (s_it == series_keys.end()) {
      series_keys.push_back(key);
      chart.series.push_back(
          {key.empty() ? chart.value_axis_label : key,
           std::vector<ChartValue>(chart.categories.size(), ChartValue::Missing())});
      s_it = series_keys.end() - 1;
    }
    chart.series[s_it - series_keys.begin()].values[cat_it - chart.categories.begin()] =
        CellValue(row[value]);
  }
  if (chart.categories.size() > 40 || chart.series.size() > 5) return "";
  return Figure(RenderBarChart(chart), TableTitle(table, lang_));
}

std::string Renderer::EngineSection(const std::string& id, const std::string& source,
                                    const std::optional<Json>& summary, std::string_view en,
                                    std::string_view zh, std::string_view file) {
  std::string out = "<section id=\"" + id + "\">\n<h2>" + B(en, zh) + "</h2>\n";
  std::vector<const Table*> tables;
  for (const Table& table : in_.tables) {
    if (table.source == source) tables.push_back(&table);
  }
  if (!summary && tables.empty()) {
    return out +
           Absent(lang_, fmt::format("This engine has not run for this directory (no {}).", file),
                  fmt::format("此目錄沒有此項分析的結果（沒有 {}）。", file)) +
           "</section>\n";
  }
  for (const Table* table : tables) {
    out += "<h3 data-table=\"" + EscapeHtml(table->name) + "\">" + TableTitle(*table, lang_) +
           "</h3>\n";
    out += EngineTableChart(*table);
    out += GenericTableHtml(*table, lang_, 200) + TableNotes(*table, lang_);
  }
  if (summary) {
    out += "<h3>" + B(fmt::format("Run summary ({})", file), fmt::format("運行摘要（{}）", file)) +
           "</h3>\n";
    out += JsonKeyValueTable(*summary, 200);
  }
  return out + "</section>\n";
}

std::string Renderer::OfficialFileHtml(const OfficialFile& file) {
  const OfficialData& data = in_.official;
  const CsvFile& csv = file.csv;
  std::string out =
      "<div class=\"official-file\" data-file=\"" + EscapeHtml(file.file) + "\"><h3>" +
      B(file.title_en, file.title_zh.empty() ? data.Zh(file.title_en) : file.title_zh) + "</h3>\n";
  // Sources and dates of the figures, collected from the rows.
  std::set<std::string> documents, primaries, dates;
  int doc_col = csv.ColumnIndex("document");
  int primary_col = csv.ColumnIndex("primary_source");
  if (primary_col < 0) primary_col = csv.ColumnIndex("source");
  int date_col = file.date_column.empty() ? -1 : csv.ColumnIndex(file.date_column);
  for (const auto& row : csv.rows) {
    documents.insert(doc_col >= 0 ? row[doc_col] : file.document);
    if (primary_col >= 0 && !row[primary_col].empty()) primaries.insert(row[primary_col]);
    dates.insert(date_col >= 0 ? row[date_col] : file.date);
  }
  auto join = [](const std::set<std::string>& set) {
    std::vector<std::string> parts(set.begin(), set.end());
    return fmt::format("{}", fmt::join(parts, "; "));
  };
  out += "<p class=\"note source\">" + B("Source: ", "來源：") + EscapeHtml(join(documents));
  if (!primaries.empty()) out += " — " + B("citing ", "引用：") + EscapeHtml(join(primaries));
  out += ". " + B("Dates: ", "日期：") + EscapeHtml(join(dates)) + ". " + B("File: ", "檔案：") +
         "<code>" + EscapeHtml(file.file) + "</code></p>\n";
  if (file.chart) {
    const OfficialChartSpec& spec = *file.chart;
    BarChart chart{.id = NextChartId(),
                   .aria_label = T(file.title_en, file.title_zh),
                   .value_axis_label = T(spec.unit_en, spec.unit_zh),
                   .decimals = 1,
                   .text = {SuppressedText(lang_), MissingText(lang_)}};
    int filter_col = spec.filter_column.empty() ? -1 : csv.ColumnIndex(spec.filter_column);
    int series_col = spec.series_column.empty() ? -1 : csv.ColumnIndex(spec.series_column);
    std::vector<std::string> series_keys;
    bool all_integral = true;
    for (const auto& row : csv.rows) {
      if (filter_col >= 0 && std::find(spec.filter_values.begin(), spec.filter_values.end(),
                                       row[filter_col]) == spec.filter_values.end()) {
        continue;
      }
      std::vector<std::string> parts;
      for (const auto& column : spec.category_columns) {
        const std::string& v = row[csv.ColumnIndex(column)];
        parts.push_back(T(v, data.Zh(v)));
      }
      std::string category = fmt::format("{}", fmt::join(parts, " "));
      size_t cat = std::find(chart.categories.begin(), chart.categories.end(), category) -
                   chart.categories.begin();
      if (cat == chart.categories.size()) {
        chart.categories.push_back(category);
        for (auto& s : chart.series) s.values.push_back(ChartValue::Missing());
      }
      for (const auto& value_column : spec.value_columns) {
        std::string key = series_col >= 0 ? row[series_col] : value_column;
        size_t s = std::find(series_keys.begin(), series_keys.end(), key) - series_keys.begin();
        if (s == series_keys.size()) {
          series_keys.push_back(key);
          chart.series.push_back(
              {T(key, data.Zh(key)),
               std::vector<ChartValue>(chart.categories.size(), ChartValue::Missing())});
        }
        auto value = ParseNumber(row[csv.ColumnIndex(value_column)]);
        if (value) {
          chart.series[s].values[cat] = ChartValue::Of(*value);
          if (*value != std::floor(*value)) all_integral = false;
        }
      }
    }
    chart.decimals = all_integral ? 0 : 1;
    if (!chart.categories.empty()) {
      out +=
          Figure(RenderBarChart(chart),
                 B("Figures as published; approximate ones (about, over, nearly) are marked in the "
                   "table's qualifier column.",
                   "數字照錄原文；約數（約、超過、接近）見表內說明欄。"));
    }
  }
  // The file itself, headers and known values translated.
  out += "<div class=\"wide\"><table class=\"data\" data-official=\"" + EscapeHtml(file.file) +
         "\"><thead><tr>";
  for (const auto& column : csv.header) out += "<th>" + B(column, data.Zh(column)) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : csv.rows) {
    out += "<tr>";
    for (const auto& value : row) {
      auto number = ParseNumber(value);
      if (number && value.find_first_of("eE") == std::string::npos) {
        bool integral = value.find('.') == std::string::npos;
        out += "<td class=\"num\">" +
               (integral
                    ? FormatInt(static_cast<int64_t>(*number))
                    : FormatFixed(*number, static_cast<int>(value.size() - value.find('.') - 1))) +
               "</td>";
      } else {
        out += "<td>" + B(value, data.Zh(value)) + "</td>";
      }
    }
    out += "</tr>";
  }
  out += "</tbody></table></div></div>\n";
  return out;
}

std::string Renderer::DerivedRates() {
  const OfficialData& data = in_.official;
  std::string out = "<div id=\"derived-rates\"><h3>" + B("Derived rates", "推算比率") + "</h3>\n";
  if (data.rates.empty())
    return out + Absent(lang_, "No derived rates.", "沒有推算比率。") + "</div>\n";
  out += "<div class=\"wide\"><table class=\"data\" data-table=\"derived_rates\"><thead><tr><th>" +
         B("Rate", "比率") + "</th><th>" + B("For", "對象") + "</th><th>" + B("Numerator", "分子") +
         "</th><th>" + B("Denominator", "分母") + "</th><th>" + B("Computed", "計算所得") +
         "</th><th class=\"published\">" + B("Published", "已公布") + "</th><th>" +
         B("Source, date", "來源、日期") + "</th></tr></thead><tbody>";
  for (const DerivedRate& rate : data.rates) {
    int decimals = rate.scale == 1 ? 2 : 1;
    std::string value = (rate.approximate ? "≈" : "") + FormatFixed(rate.value, decimals);
    std::string unit = T(rate.unit_en, rate.unit_zh);
    out += "<tr data-rate=\"" + EscapeHtml(rate.rate) + "\"><td>" + B(rate.name_en, rate.name_zh) +
           "</td><td>" + EscapeHtml(rate.key) + "</td><td>" +
           B(rate.numerator_name, data.Zh(rate.numerator_name)) + ": " +
           FormatFixed(rate.numerator, rate.numerator == std::floor(rate.numerator) ? 0 : 2) +
           "</td><td>" + B(rate.denominator_name, data.Zh(rate.denominator_name)) + ": " +
           FormatFixed(rate.denominator, rate.denominator == std::floor(rate.denominator) ? 0 : 2) +
           "</td><td class=\"num\">" + EscapeHtml(value + (unit == "%" ? "%" : " " + unit)) +
           "</td>";
    if (rate.published) {
      out += "<td class=\"num published\">" +
             EscapeHtml((rate.published_qualifier.empty() ? "" : rate.published_qualifier + " ") +
                        FormatFixed(*rate.published,
                                    *rate.published == std::floor(*rate.published) ? 0 : 1)) +
             "</td>";
    } else {
      out += "<td class=\"published missing\">–</td>";
    }
    out += "<td>" + EscapeHtml(rate.document + ", " + rate.date + " (" + rate.file + ")") +
           "</td></tr>";
  }
  out +=
      "</tbody></table></div>\n<p class=\"note\">" +
      B("Computed from the figures above (data/official/_rates.csv defines each rate); ≈ marks a "
        "rate computed from approximate figures.",
        "由上列數字計算（各比率的定義見 data/official/_rates.csv）；≈ 表示由約數計算。") +
      "</p></div>\n";
  return out;
}

std::string Renderer::Official() {
  std::string out =
      "<section id=\"official\">\n<h2>" + B("Official statistics", "官方統計") + "</h2>\n";
  out += "<p class=\"note\">" +
         B("Figures published by the government and cited by the policy documents, each with its "
           "source and date. Folder(s): ",
           "政府公布並由政策文件引用的數字，均註明來源及日期。資料夾：");
  std::vector<std::string> dirs;
  for (const auto& dir : in_.official.dirs) dirs.push_back(dir.string());
  out += "<code>" + EscapeHtml(fmt::format("{}", fmt::join(dirs, ", "))) + "</code></p>\n";
  out += DerivedRates();
  for (const OfficialFile& file : in_.official.files) out += OfficialFileHtml(file);
  return out + "</section>\n";
}

std::string Renderer::Method() {
  std::string out =
      "<section id=\"method\">\n<h2>" + B("Method and provenance", "方法及來源") + "</h2>\n";
  out += "<h3>" + B("Definitions", "定義") + "</h3>\n<ul class=\"definitions\">";
  const std::pair<const char*, const char*> definitions[] = {
      {"Stayer: in the place at both snapshots; joiner: elsewhere (known) before, in the place "
       "after; "
       "leaver: in the place before, elsewhere (known) after; a person's place at a month is the "
       "place "
       "of their primary active position.",
       "留港者：兩個時點均在該地；來港者：之前在其他地方（已知），之後在該地；離港者：之前在該地，"
       "之後在其他地方（已知）；某月所在地為當月主要職位的地點。"},
      {"Net migration rate = (joiners − leavers) / (stayers + leavers), in percent and per 10,000 "
       "(LinkedIn Economic Graph convention). High pay: top three salary deciles within the age "
       "band.",
       "淨遷移率 "
       "=（來港者－離港者）／（留港者＋離港者），以百分比及每萬人計（領英經濟圖譜慣例）。高薪：同一"
       "年齡組別薪金最高的三個十分位。"},
      {"Highly educated: a doctorate, or a bachelor's, master's or MBA from a top-50 university.",
       "高學歷：博士，或於排名前50大學取得學士、碩士或工商管理碩士。"},
      {"Joiners versus leavers: Welch's unequal-variance t test, two-sided p; * p < 0.1, ** p < "
       "0.05, "
       "*** p < 0.01.",
       "來港者與離港者比較：韋爾奇不等方差 t 檢定，雙尾 p 值；* p < 0.1，** p < 0.05，*** p < "
       "0.01。"},
      {"Disclosure control: a count below k is suppressed with every statistic computed from it, "
       "and shown as \"suppressed\", never as zero; so is any further count that, with the "
       "published totals, would give a suppressed one back (complementary suppression).",
       "披露控制：少於 k 人的數字及由其計算的統計均不予公布，並標示為「不予公布」，從不顯示為零；"
       "凡與已公布總數合併可推算出不予公布數字的其他數字，亦不予公布（互補隱藏）。"}};
  for (const auto& [en, zh] : definitions) out += "<li>" + B(en, zh) + "</li>";
  out += "</ul>\n";
  const Json* results = in_.results ? &*in_.results : nullptr;
  out += "<h3>" + B("Parameters", "參數") + "</h3>\n";
  if (const Json* params = Find(results, "params")) {
    out += JsonKeyValueTable(*params, 100);
  } else {
    out += Absent(lang_, "No results.json: no flow parameters.", "沒有 results.json：沒有參數。");
  }
  out += "<h3>" + B("Input manifest", "輸入檔案清單") + "</h3>\n";
  if (const Json* inputs = Find(results, "inputs"); inputs && inputs->is_array()) {
    out += "<div class=\"wide\"><table class=\"data\" data-table=\"inputs\"><thead><tr><th>" +
           B("Table", "表") + "</th><th>" + B("Path", "路徑") + "</th><th>" + B("Bytes", "位元組") +
           "</th><th>" + B("Rows", "行數") + "</th><th>SHA-256</th></tr></thead><tbody>";
    for (const Json& input : *inputs) {
      out += "<tr><td>" + EscapeHtml(JsonString(Find(&input, "table"))) + "</td><td><code>" +
             EscapeHtml(JsonString(Find(&input, "path"))) + "</code></td>" +
             ValueHtml(JsonCount(Find(&input, "bytes")), lang_, 0) +
             ValueHtml(JsonCount(Find(&input, "rows")), lang_, 0) + "<td><code>" +
             EscapeHtml(JsonString(Find(&input, "sha256"))) + "</code></td></tr>";
    }
    out += "</tbody></table></div>\n";
  } else {
    out += Absent(lang_, "No input manifest in results.json.", "results.json 沒有輸入檔案清單。");
  }
  out += "<h3>" + B("Row accounting and quarantine", "數據行核算及隔離") + "</h3>\n";
  if (const Json* rows = Find(results, "rows"); rows && rows->is_object()) {
    out +=
        "<div class=\"wide\"><table class=\"data\" data-table=\"row_accounting\"><thead><tr><th>" +
        B("Table", "表") + "</th><th>" + B("Read", "讀入") + "</th><th>" + B("Used", "使用") +
        "</th><th>" + B("Exact duplicates collapsed", "合併的完全重複行") + "</th><th>" +
        B("Quarantined", "隔離") + "</th><th>" + B("Quarantined by reason", "隔離原因") +
        "</th></tr></thead><tbody>";
    for (auto it = rows->begin(); it != rows->end(); ++it) {
      const Json& acc = *it;
      int64_t quarantined = 0;
      std::vector<std::string> reasons;
      if (const Json* q = Find(&acc, "quarantined"); q && q->is_object()) {
        for (auto r = q->begin(); r != q->end(); ++r) {
          int64_t n = r->is_number_integer() ? r->get<int64_t>() : 0;
          quarantined += n;
          reasons.push_back(fmt::format("{}: {}", r.key(), FormatInt(n)));
        }
      }
      out += "<tr><td>" + EscapeHtml(it.key()) + "</td>" +
             ValueHtml(JsonCount(Find(&acc, "read")), lang_, 0) +
             ValueHtml(JsonCount(Find(&acc, "used")), lang_, 0) +
             ValueHtml(JsonCount(Find(&acc, "exact_duplicates_collapsed")), lang_, 0) +
             "<td class=\"num\">" + FormatInt(quarantined) + "</td><td>" +
             EscapeHtml(fmt::format("{}", fmt::join(reasons, "; "))) + "</td></tr>";
    }
    out += "</tbody></table></div>\n";
  } else {
    out += Absent(lang_, "No row accounting in results.json.", "results.json 沒有數據行核算。");
  }
  if (const Table* rules = in_.FindTable("age_rules")) {
    out += "<h3>" + TableTitle(*rules, lang_) + "</h3>\n" + GenericTableHtml(*rules, lang_) +
           TableNotes(*rules, lang_);
  }
  out += "<h3>" + B("Suppressed cells", "不予公布的數據") + "</h3>\n";
  {
    int64_t k = -1;
    if (const Json* kj = Find(Find(results, "params"), "k"); kj && kj->is_number_integer())
      k = kj->get<int64_t>();
    out += "<p>" +
           (k >= 0 ? B(fmt::format("Disclosure threshold k = {}.", k),
                       fmt::format("披露門檻 k = {}。", k))
                   : "") +
           " " + B("Suppressed cells per table:", "各表不予公布的數據格數：") + "</p>\n";
    if (const Json* c = Find(Find(results, "disclosure"), "complementary");
        c && c->is_number_integer()) {
      const int64_t n = c->get<int64_t>();
      out += "<p>" +
             B(fmt::format("Of the suppressed counts, {} are at or above k, suppressed so that "
                           "no published total gives a count below k back (which ones is not "
                           "told).",
                           FormatInt(n)),
               fmt::format("不予公布的數字中有 {} 個不少於 k，為免已公布總數推算出少於 k "
                           "的數字而不予公布（不指明是哪些）。",
                           FormatInt(n))) +
             "</p>\n";
    }
    out += "<table class=\"data\" data-table=\"suppressed\"><thead><tr><th>" + B("Table", "表") +
           "</th><th>" + B("Suppressed cells", "不予公布格數") + "</th></tr></thead><tbody>";
    for (const Table& table : in_.tables) {
      int64_t n = 0;
      for (const auto& row : table.rows) {
        for (const Cell& cell : row) n += std::holds_alternative<Suppressed>(cell) ? 1 : 0;
      }
      out += "<tr><td>" + EscapeHtml(table.name) + "</td><td class=\"num\">" + FormatInt(n) +
             "</td></tr>";
    }
    out += "</tbody></table>\n";
    if (const Json* suppressed = Find(results, "suppressed");
        suppressed && suppressed->is_array() && !suppressed->empty()) {
      out += "<p>" + B("Listed in results.json:", "results.json 所列：") +
             "</p><ul class=\"suppressed-list\">";
      size_t shown = 0;
      for (const Json& entry : *suppressed) {
        if (++shown > 200) break;
        std::string text;
        if (entry.is_object()) {
          std::vector<std::string> parts;
          for (auto it = entry.begin(); it != entry.end(); ++it)
            parts.push_back(it.key() + "=" + JsonString(&*it));
          text = fmt::format("{}", fmt::join(parts, ", "));
        } else {
          text = JsonString(&entry);
        }
        out += "<li>" + EscapeHtml(text) + "</li>";
      }
      out += "</ul>\n";
    }
  }
  out += "<h3>" + B("Files read by this report", "本報告讀取的檔案") + "</h3>\n";
  out += "<div class=\"wide\"><table class=\"data\" data-table=\"files_read\"><thead><tr><th>" +
         B("Path", "路徑") + "</th><th>" + B("Bytes", "位元組") +
         "</th><th>SHA-256</th></tr></thead><tbody>";
  for (const InputFile& file : in_.files_read) {
    out += "<tr><td><code>" + EscapeHtml(file.path) + "</code></td><td class=\"num\">" +
           FormatInt(static_cast<int64_t>(file.bytes)) + "</td><td><code>" +
           EscapeHtml(file.sha256) + "</code></td></tr>";
  }
  out += "</tbody></table></div>\n";
  out += "<h3>" + B("Program", "程式") + "</h3>\n<p>";
  std::string engine_version = JsonString(Find(Find(results, "program"), "version"));
  if (engine_version.empty()) engine_version = JsonString(Find(results, "version"));
  if (!engine_version.empty()) {
    out += B("Results written by talentflow ", "結果由 talentflow ") + EscapeHtml(engine_version) +
           B("; ", "生成；");
  }
  out += B("report written by talentflow " TALENTFLOW_VERSION ".",
           "報告由 talentflow " TALENTFLOW_VERSION " 生成。") +
         "</p>\n";
  return out + "</section>\n";
}

}  // namespace

const Table* ReportInputs::FindTable(const std::string& name) const {
  for (const Table& table : tables) {
    if (table.name == name) return &table;
  }
  return nullptr;
}

StatusOr<Lang> ParseLang(const std::string& text) {
  if (text == "en") return Lang::kEn;
  if (text == "zh-Hant" || text == "zh") return Lang::kZhHant;
  if (text == "both") return Lang::kBoth;
  return InvalidArgument(fmt::format("--lang \"{}\": expected zh-Hant, en or both", text));
}

StatusOr<ReportInputs> LoadReportInputs(const fs::path& out_dir,
                                        const std::vector<fs::path>& official_dirs,
                                        const fs::path& study_dir) {
  std::error_code ec;
  if (!fs::is_directory(out_dir, ec)) {
    return NotFound(fmt::format("results directory {}: no such directory", out_dir.string()));
  }
  ReportInputs in;
  in.out_dir = out_dir;
  TF_ASSIGN_OR_RETURN(in.results, ReadJsonIfPresent(out_dir / "results.json", &in.files_read));
  TF_ASSIGN_OR_RETURN(in.schemes_pool,
                      ReadJsonIfPresent(out_dir / "schemes_pool.json", &in.files_read));
  TF_ASSIGN_OR_RETURN(in.opinion, ReadJsonIfPresent(out_dir / "opinion.json", &in.files_read));
  fs::path tables_dir = out_dir / "tables";
  for (const std::string& name : ListTables(tables_dir)) {
    TF_ASSIGN_OR_RETURN(Table table, ReadTable(tables_dir, name));
    TF_RETURN_IF_ERROR(AddFileRead(tables_dir / (name + ".csv"), &in.files_read));
    TF_RETURN_IF_ERROR(AddFileRead(tables_dir / (name + ".meta.json"), &in.files_read));
    in.tables.push_back(std::move(table));
  }
  if (!in.results && !in.schemes_pool && !in.opinion && in.tables.empty()) {
    return NotFound(
        fmt::format("{}: no results to report (expected results.json, schemes_pool.json, "
                    "opinion.json or tables/)",
                    out_dir.string()));
  }
  std::vector<fs::path> dirs = official_dirs;
  if (dirs.empty()) dirs.push_back(fs::path(TALENTFLOW_DATA_DIR) / "official");
  TF_ASSIGN_OR_RETURN(in.official, LoadOfficialData(dirs));
  for (const OfficialFile& file : in.official.files) {
    in.files_read.push_back({file.path.string(), file.bytes, file.sha256});
  }
  fs::path study = study_dir.empty() ? fs::path(TALENTFLOW_DATA_DIR) / "study" : study_dir;
  if (!fs::is_directory(study, ec)) {
    return NotFound(fmt::format("study tables folder {}: no such directory", study.string()));
  }
  std::vector<fs::path> study_files;
  for (const auto& entry : fs::directory_iterator(study, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".csv")
      study_files.push_back(entry.path());
  }
  std::sort(study_files.begin(), study_files.end());
  for (const fs::path& path : study_files) {
    TF_ASSIGN_OR_RETURN(CsvFile csv, ReadCsvFile(path));
    TF_RETURN_IF_ERROR(AddFileRead(path, &in.files_read));
    in.study.emplace(path.stem().string(), std::move(csv));
  }
  return in;
}

std::string RenderReportHtml(const ReportInputs& inputs, Lang lang) {
  Renderer renderer(inputs, lang);
  return renderer.Render();
}

StatusOr<ReportFiles> WriteReport(const ReportOptions& options) {
  // Find Chromium first, so --pdf without it fails before doing any work.
  std::string chromium;
  if (options.pdf) {
    TF_ASSIGN_OR_RETURN(chromium, FindChromium(options.chromium));
  }
  TF_ASSIGN_OR_RETURN(ReportInputs inputs,
                      LoadReportInputs(options.out_dir, options.official_dirs, options.study_dir));
  ReportFiles files;
  files.html = options.out_dir / "report.html";
  TF_RETURN_IF_ERROR(WriteFileAtomic(files.html, RenderReportHtml(inputs, options.lang)));
  files.xlsx = options.out_dir / "tables.xlsx";
  TF_RETURN_IF_ERROR(WriteTablesXlsx(files.xlsx, inputs.tables, options.lang));
  for (const Table& table : inputs.tables) {
    fs::path dta = options.out_dir / "stata" / (table.name + ".dta");
    TF_RETURN_IF_ERROR(WriteTableDta(dta, table));
    files.dta.push_back(dta);
  }
  if (options.pdf) {
    fs::path pdf = options.out_dir / "report.pdf";
    TF_RETURN_IF_ERROR(PrintPdf(chromium, files.html, pdf));
    files.pdf = pdf;
  }
  return files;
}

}  // namespace talentflow::report
