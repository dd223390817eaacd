#include "synth/reference.h"

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "io/file_util.h"

namespace talentflow::synth {
namespace fs = std::filesystem;

namespace {

// One parsed reference file: header names and rows of fields.
struct SimpleTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> line_of_row;

  int Column(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
};

StatusOr<SimpleTable> ReadSimpleTable(const fs::path& path,
                                      const std::vector<std::string>& required) {
  TF_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  SimpleTable table;
  table.path = path.string();
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    std::vector<std::string> fields = SplitSimpleCsvLine(line);
    if (table.header.empty()) {
      table.header = std::move(fields);
      continue;
    }
    if (fields.size() != table.header.size())
      return DataError(fmt::format("{} line {}: {} fields, header has {}", table.path, line_no,
                                   fields.size(), table.header.size()));
    table.rows.push_back(std::move(fields));
    table.line_of_row.push_back(line_no);
  }
  for (const std::string& column : required)
    if (table.Column(column) < 0)
      return NotFound(fmt::format("{}: missing column \"{}\"", table.path, column));
  return table;
}

StatusOr<double> ToDouble(const SimpleTable& table, size_t row, std::string_view column) {
  const std::string& text = table.rows[row][table.Column(column)];
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size())
    return DataError(fmt::format("{} line {}: {} \"{}\": expected a number", table.path,
                                 table.line_of_row[row], column, text));
  return value;
}

}  // namespace

std::vector<std::string> SplitSimpleCsvLine(std::string_view line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

int SynthReference::FindCountry(std::string_view name) const {
  for (size_t i = 0; i < countries.size(); ++i)
    if (countries[i].name == name) return static_cast<int>(i);
  return -1;
}

StatusOr<SynthReference> LoadSynthReference(const fs::path& data_dir) {
  SynthReference ref;
  TF_ASSIGN_OR_RETURN(SimpleTable countries,
                      ReadSimpleTable(data_dir / "countries.csv",
                                      {"country", "study_name", "region", "outside_weight",
                                       "others_join", "others_leave", "asian_share"}));
  TF_ASSIGN_OR_RETURN(
      SimpleTable flows,
      ReadSimpleTable(data_dir / "study_table2_flows_by_region.csv", {"region", "leave", "join"}));
  std::map<std::string, std::pair<double, double>> study_flows;  // region -> (join, leave)
  double listed_join = 0, listed_leave = 0;
  for (size_t r = 0; r < flows.rows.size(); ++r) {
    TF_ASSIGN_OR_RETURN(double join, ToDouble(flows, r, "join"));
    TF_ASSIGN_OR_RETURN(double leave, ToDouble(flows, r, "leave"));
    study_flows[flows.rows[r][flows.Column("region")]] = {join, leave};
    listed_join += join;
    listed_leave += leave;
  }
  TF_ASSIGN_OR_RETURN(SimpleTable headline,
                      ReadSimpleTable(data_dir / "study_headline.csv", {"class", "count"}));
  for (size_t r = 0; r < headline.rows.size(); ++r) {
    TF_ASSIGN_OR_RETURN(double count, ToDouble(headline, r, "count"));
    const std::string& cls = headline.rows[r][headline.Column("class")];
    if (cls == "stayer") ref.study.stayers = count;
    if (cls == "joiner") ref.study.joiners = count;
    if (cls == "leaver") ref.study.leavers = count;
  }
  if (ref.study.stayers <= 0 || ref.study.joiners <= 0 || ref.study.leavers <= 0)
    return DataError(fmt::format("{}: needs stayer, joiner and leaver counts",
                                 (data_dir / "study_headline.csv").string()));
  // The study's "other" flows: everything not in the listed regions.
  double others_join = ref.study.joiners - listed_join;
  double others_leave = ref.study.leavers - listed_leave;
  double sum_others_join = 0, sum_others_leave = 0;
  for (size_t r = 0; r < countries.rows.size(); ++r) {
    SynthCountry c;
    c.name = countries.rows[r][countries.Column("country")];
    c.study_name = countries.rows[r][countries.Column("study_name")];
    c.region = countries.rows[r][countries.Column("region")];
    TF_ASSIGN_OR_RETURN(c.outside_weight, ToDouble(countries, r, "outside_weight"));
    TF_ASSIGN_OR_RETURN(c.asian_share, ToDouble(countries, r, "asian_share"));
    TF_ASSIGN_OR_RETURN(double oj, ToDouble(countries, r, "others_join"));
    TF_ASSIGN_OR_RETURN(double ol, ToDouble(countries, r, "others_leave"));
    auto it = study_flows.find(c.study_name);
    if (it != study_flows.end()) {
      c.join_weight = it->second.first;
      c.leave_weight = it->second.second;
    } else {
      c.join_weight = oj;  // rescaled below
      c.leave_weight = ol;
      sum_others_join += oj;
      sum_others_leave += ol;
    }
    ref.countries.push_back(std::move(c));
  }
  if (ref.countries.size() > 60)
    return DataError(fmt::format("{}: at most 60 countries are supported",
                                 (data_dir / "countries.csv").string()));
  for (SynthCountry& c : ref.countries) {
    if (study_flows.count(c.study_name)) continue;
    if (sum_others_join > 0) c.join_weight *= others_join / sum_others_join;
    if (sum_others_leave > 0) c.leave_weight *= others_leave / sum_others_leave;
  }

  TF_ASSIGN_OR_RETURN(SimpleTable metros,
                      ReadSimpleTable(data_dir / "metros.csv",
                                      {"country", "metro_area", "city", "state", "weight"}));
  for (size_t r = 0; r < metros.rows.size(); ++r) {
    SynthMetro m;
    const std::string& country = metros.rows[r][metros.Column("country")];
    m.country = ref.FindCountry(country);
    if (m.country < 0)
      return DataError(fmt::format("{} line {}: unknown country \"{}\"", metros.path,
                                   metros.line_of_row[r], country));
    m.metro_area = metros.rows[r][metros.Column("metro_area")];
    m.city = metros.rows[r][metros.Column("city")];
    m.state = metros.rows[r][metros.Column("state")];
    TF_ASSIGN_OR_RETURN(m.weight, ToDouble(metros, r, "weight"));
    ref.countries[m.country].metros.push_back(static_cast<int>(ref.metros.size()));
    ref.metros.push_back(std::move(m));
  }

  TF_ASSIGN_OR_RETURN(SimpleTable titles,
                      ReadSimpleTable(data_dir / "titles.csv", {"title", "kind"}));
  for (size_t r = 0; r < titles.rows.size(); ++r) {
    SynthTitle t;
    t.text = titles.rows[r][titles.Column("title")];
    const std::string& kind = titles.rows[r][titles.Column("kind")];
    if (kind == "main") {
      t.kind = TitleKind::kMain;
    } else if (kind == "exec") {
      t.kind = TitleKind::kExecutive;
    } else if (kind == "founder") {
      t.kind = TitleKind::kFounder;
    } else if (kind == "side") {
      t.kind = TitleKind::kSide;
    } else {
      return DataError(fmt::format("{} line {}: kind \"{}\": expected main, exec, founder or side",
                                   titles.path, titles.line_of_row[r], kind));
    }
    ref.titles.push_back(std::move(t));
  }

  TF_ASSIGN_OR_RETURN(SimpleTable unis, ReadSimpleTable(data_dir / "universities.csv",
                                                        {"name", "country", "tier", "weight"}));
  for (size_t r = 0; r < unis.rows.size(); ++r) {
    SynthUniversity u;
    u.name = unis.rows[r][unis.Column("name")];
    const std::string& country = unis.rows[r][unis.Column("country")];
    u.country = ref.FindCountry(country);
    if (u.country < 0)
      return DataError(fmt::format("{} line {}: unknown country \"{}\"", unis.path,
                                   unis.line_of_row[r], country));
    TF_ASSIGN_OR_RETURN(double tier, ToDouble(unis, r, "tier"));
    u.tier = static_cast<int>(tier);
    TF_ASSIGN_OR_RETURN(u.weight, ToDouble(unis, r, "weight"));
    ref.universities.push_back(std::move(u));
  }

  TF_ASSIGN_OR_RETURN(SimpleTable fields,
                      ReadSimpleTable(data_dir / "fields.csv", {"field", "weight"}));
  for (size_t r = 0; r < fields.rows.size(); ++r) {
    ref.fields_of_study.push_back(fields.rows[r][fields.Column("field")]);
    TF_ASSIGN_OR_RETURN(double w, ToDouble(fields, r, "weight"));
    ref.field_weights.push_back(w);
  }

  TF_ASSIGN_OR_RETURN(SimpleTable company, ReadSimpleTable(data_dir / "study_table3_company.csv",
                                                           {"class", "company", "count"}));
  std::map<std::string, double> same, diff;
  for (size_t r = 0; r < company.rows.size(); ++r) {
    TF_ASSIGN_OR_RETURN(double count, ToDouble(company, r, "count"));
    const std::string& cls = company.rows[r][company.Column("class")];
    if (company.rows[r][company.Column("company")] == "same") {
      same[cls] = count;
    } else {
      diff[cls] = count;
    }
  }
  auto share = [&](const std::string& cls) {
    double total = same[cls] + diff[cls];
    return total > 0 ? same[cls] / total : 0.5;
  };
  ref.study.same_share_stayer = share("stayer");
  ref.study.same_share_joiner = share("joiner");
  ref.study.same_share_leaver = share("leaver");

  TF_ASSIGN_OR_RETURN(SimpleTable t1, ReadSimpleTable(data_dir / "study_table1_joiners_leavers.csv",
                                                      {"variable", "joiner_mean", "leaver_mean"}));
  for (size_t r = 0; r < t1.rows.size(); ++r) {
    TF_ASSIGN_OR_RETURN(double j, ToDouble(t1, r, "joiner_mean"));
    TF_ASSIGN_OR_RETURN(double l, ToDouble(t1, r, "leaver_mean"));
    const std::string& var = t1.rows[r][t1.Column("variable")];
    if (var == "age") ref.study.age_joiner = j, ref.study.age_leaver = l;
    if (var == "estimated_salary") ref.study.salary_joiner = j, ref.study.salary_leaver = l;
    if (var == "asian_share") ref.study.asian_joiner = j, ref.study.asian_leaver = l;
    if (var == "connections") ref.study.connections_joiner = j, ref.study.connections_leaver = l;
  }
  if (ref.study.age_joiner <= 0 || ref.study.salary_joiner <= 0 ||
      ref.study.connections_joiner <= 0)
    return DataError(
        fmt::format("{}: needs age, estimated_salary, asian_share, connections", t1.path));
  return ref;
}

}  // namespace talentflow::synth
