// DatasetDump (declared in ingest.h): the Dataset as text, for comparing loads.
#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <string>

#include "ingest/ingest.h"

namespace talentflow {
namespace {

std::string Num(double v) { return std::isnan(v) ? "NA" : fmt::format("{:.17g}", v); }

}  // namespace

std::string DatasetDump(const Dataset& d) {
  std::string out;
  auto s = [&](StrId id) { return d.str(id); };
  fmt::format_to(std::back_inserter(out), "cutoff {}\n", FormatMonth(d.cutoff));
  const UserTable& u = d.users;
  for (size_t i = 0; i < u.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "U|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", s(u.user_id[i]),
                   s(u.user_location[i]), s(u.user_country[i]), FormatMonth(u.updated_dt[i]),
                   u.numconnections[i], static_cast<int>(u.highest_degree[i]),
                   s(u.ethnicity_predicted[i]), s(u.sex_predicted[i]), u.birth_year[i],
                   u.pos_begin[i], u.edu_begin[i]);
  }
  const PositionTable& p = d.positions;
  for (size_t i = 0; i < p.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "P|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n",
                   p.user[i], p.position_id[i], FormatMonth(p.start[i]), FormatMonth(p.end[i]),
                   p.end_open[i], s(p.country[i]), s(p.metro_area[i]), s(p.city[i]), s(p.state[i]),
                   s(p.region[i]), s(p.rcid[i]), s(p.ultimate_parent_rcid[i]), p.seniority[i],
                   Num(p.salary[i]), Num(p.weight[i]), s(p.title_raw[i]));
  }
  const EducationTable& e = d.education;
  for (size_t i = 0; i < e.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "E|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", e.user[i],
                   s(e.university_name[i]), static_cast<int>(e.degree[i]), s(e.degree_raw[i]),
                   e.education_number[i], s(e.rsid[i]), s(e.university_country[i]), s(e.field[i]),
                   FormatMonth(e.start[i]), FormatMonth(e.end[i]));
  }
  out += RowsJson(d).dump(1);
  out += "\n";
  out += InputsJson(d).dump(1);
  out += "\n";
  for (const auto& [name, inv] : d.tables) {
    fmt::format_to(std::back_inserter(out), "T|{}|{}|{}\n", name, fmt::join(inv.columns_found, ","),
                   inv.distinct_users);
    for (const auto& [col, n] : inv.missing)
      fmt::format_to(std::back_inserter(out), "M|{}|{}\n", col, n);
    for (const auto& [col, range] : inv.date_range)
      fmt::format_to(std::back_inserter(out), "D|{}|{}|{}\n", col, FormatMonth(range.first),
                     FormatMonth(range.second));
    for (const auto& [deg, n] : inv.degree_counts)
      fmt::format_to(std::back_inserter(out), "G|{}|{}\n", deg, n);
  }
  return out;
}

}  // namespace talentflow
