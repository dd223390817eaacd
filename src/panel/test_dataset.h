// TestDataset: builds a Dataset in memory for unit tests, honouring the
// layout contract of ingest/dataset.h (users sorted by user_id bytes,
// positions grouped by person and ordered by (start, position_id bytes),
// education grouped by person). Test-only; not thread-safe.
//
// Example:
//   TestDataset t;
//   t.User("u1").country = "Hong Kong";
//   t.Position("u1", "p1", "2018-01", "", "Hong Kong");
//   Dataset ds = t.Build(MakeMonth(2023, 9));
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "common/month.h"
#include "ingest/dataset.h"
#include "panel/place_matcher.h"
#include "panel/title_rules.h"

namespace talentflow::testing {

struct TUser {
  std::string id, country, location, ethnicity;
  int birth_year = 0;
  int connections = -1;
  Degree highest = Degree::kNone;
};
struct TPosition {
  std::string user, id, start, end, country, metro, city, rcid, parent, title;
  double salary = NAN;
};
struct TEducation {
  std::string user, university;
  Degree degree = Degree::kNone;
  std::string start, end;
};

class TestDataset {
 public:
  TUser& User(const std::string& id) {
    users_.push_back(TUser{.id = id, .country = {}, .location = {}, .ethnicity = {}});
    return users_.back();
  }
  TPosition& Position(const std::string& user, const std::string& id, const std::string& start,
                      const std::string& end, const std::string& country) {
    positions_.push_back(TPosition{.user = user,
                                   .id = id,
                                   .start = start,
                                   .end = end,
                                   .country = country,
                                   .metro = {},
                                   .city = {},
                                   .rcid = {},
                                   .parent = {},
                                   .title = {}});
    return positions_.back();
  }
  TEducation& Education(const std::string& user, const std::string& university, Degree degree) {
    education_.push_back(TEducation{
        .user = user, .university = university, .degree = degree, .start = {}, .end = {}});
    return education_.back();
  }

  Dataset Build(Month cutoff) const {
    Dataset ds;
    ds.cutoff = cutoff;
    std::vector<TUser> users = users_;
    std::sort(users.begin(), users.end(),
              [](const TUser& a, const TUser& b) { return a.id < b.id; });
    std::map<std::string, uint32_t> index;
    for (uint32_t i = 0; i < users.size(); ++i) index.emplace(users[i].id, i);
    auto index_of = [&](const std::string& id) -> uint32_t {
      auto it = index.find(id);
      return it == index.end() ? UINT32_MAX : it->second;
    };
    auto month = [](const std::string& s) { return s.empty() ? kNoMonth : *ParseMonth(s); };
    auto& pool = ds.strings;
    for (const TUser& u : users) {
      ds.users.user_id.push_back(pool.Intern(u.id));
      ds.users.user_location.push_back(pool.Intern(u.location));
      ds.users.user_country.push_back(pool.Intern(u.country));
      ds.users.updated_dt.push_back(cutoff);
      ds.users.numconnections.push_back(u.connections);
      ds.users.highest_degree.push_back(u.highest);
      ds.users.ethnicity_predicted.push_back(pool.Intern(u.ethnicity));
      ds.users.sex_predicted.push_back(kEmptyStr);
      ds.users.birth_year.push_back(static_cast<int16_t>(u.birth_year));
    }
    std::vector<TPosition> positions = positions_;
    std::sort(positions.begin(), positions.end(), [&](const TPosition& a, const TPosition& b) {
      uint32_t ua = index_of(a.user), ub = index_of(b.user);
      if (ua != ub) return ua < ub;
      if (month(a.start) != month(b.start)) return month(a.start) < month(b.start);
      return a.id < b.id;
    });
    auto& p = ds.positions;
    for (const TPosition& t : positions) {
      p.user.push_back(index_of(t.user));
      p.position_id.push_back(t.id);
      p.start.push_back(month(t.start));
      p.end.push_back(t.end.empty() ? cutoff : month(t.end));
      p.end_open.push_back(t.end.empty());
      p.country.push_back(pool.Intern(t.country));
      p.metro_area.push_back(pool.Intern(t.metro));
      p.city.push_back(pool.Intern(t.city));
      p.state.push_back(kEmptyStr);
      p.region.push_back(kEmptyStr);
      p.rcid.push_back(pool.Intern(t.rcid));
      p.ultimate_parent_rcid.push_back(pool.Intern(t.parent));
      p.seniority.push_back(-1);
      p.salary.push_back(t.salary);
      p.weight.push_back(NAN);
      p.title_raw.push_back(pool.Intern(t.title));
    }
    std::vector<TEducation> education = education_;
    std::stable_sort(education.begin(), education.end(),
                     [&](const TEducation& a, const TEducation& b) {
                       return index_of(a.user) < index_of(b.user);
                     });
    auto& e = ds.education;
    for (const TEducation& t : education) {
      e.user.push_back(index_of(t.user));
      e.university_name.push_back(pool.Intern(t.university));
      e.degree.push_back(t.degree);
      e.degree_raw.push_back(kEmptyStr);
      e.education_number.push_back(-1);
      e.rsid.push_back(kEmptyStr);
      e.university_country.push_back(kEmptyStr);
      e.field.push_back(kEmptyStr);
      e.start.push_back(month(t.start));
      e.end.push_back(month(t.end));
    }
    for (uint32_t u = 0, pi = 0, ei = 0; u <= users.size(); ++u) {
      while (pi < p.user.size() && p.user[pi] < u) ++pi;
      while (ei < e.user.size() && e.user[ei] < u) ++ei;
      ds.users.pos_begin.push_back(pi);
      ds.users.edu_begin.push_back(ei);
    }
    return ds;
  }

 private:
  std::vector<TUser> users_;
  std::vector<TPosition> positions_;
  std::vector<TEducation> education_;
};

// A matcher for unit tests: place i matches when the location's country,
// metro area or city equals names[i] (ASCII case-insensitive).
class NameMatcher : public PlaceMatcher {
 public:
  explicit NameMatcher(std::vector<std::string> names) : names_(std::move(names)) {}
  void Match(std::string_view country, std::string_view metro, std::string_view city,
             std::vector<uint32_t>* out) const override {
    for (uint32_t i = 0; i < names_.size(); ++i) {
      std::string n = AsciiLower(names_[i]);
      if (AsciiLower(country) == n || AsciiLower(metro) == n || AsciiLower(city) == n) {
        out->push_back(i);
      }
    }
  }

 private:
  std::vector<std::string> names_;
};

}  // namespace talentflow::testing
