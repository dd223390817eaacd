#include "synth/generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "synth/internal/rng.h"

namespace talentflow::synth {

const char* const kUserHeader =
    "user_id,user_location,user_country,updated_dt,numconnections,highest_degree,"
    "ethnicity_predicted,sex_predicted,birth_year";
const char* const kPositionsHeader =
    "position_id,user_id,company,rcid,ultimate_parent_rcid,title_raw,startdate,enddate,country,"
    "state,metro_area,city,region,seniority,salary,weight";
const char* const kEducationHeader =
    "user_id,education_number,university_name,rsid,university_country,degree,field,startdate,"
    "enddate";
const char* const kRawHeader = "position_id,user_id,title_raw,company_raw,location_raw";
const char* const kMappingHeader = "rcid,company,ultimate_parent_rcid,hq_country";

namespace {

// Degree categories of the cleaning rules, and the spellings we write for
// each (all normalise to their category under the rules; "Bachelor of Arts"
// is deliberately "other": the rules match whole values only).
enum class Deg { kNone, kHighSchool, kAssociate, kBachelor, kMaster, kMba, kDoctor, kOther };

struct DegreeText {
  const char* text;
  Deg category;
};
constexpr DegreeText kBachelorTexts[] = {
    {"Bachelor", Deg::kBachelor},      {"Bachelor's", Deg::kBachelor},
    {"bachelors", Deg::kBachelor},     {"BA", Deg::kBachelor},
    {"BSc", Deg::kBachelor},           {"B.Sc.", Deg::kBachelor},
    {"BEng", Deg::kBachelor},          {"BBA", Deg::kBachelor},
    {"Undergraduate", Deg::kBachelor}, {"BACHELOR", Deg::kBachelor},
    {"Bachelor of Arts", Deg::kOther}};
constexpr DegreeText kMasterTexts[] = {
    {"Master", Deg::kMaster}, {"Masters", Deg::kMaster}, {"Master's", Deg::kMaster},
    {"MA", Deg::kMaster},     {"MS", Deg::kMaster},      {"MSc", Deg::kMaster},
    {"M.Sc", Deg::kMaster},   {"MEng", Deg::kMaster},    {"MPhil", Deg::kMaster}};
constexpr DegreeText kMbaTexts[] = {{"MBA", Deg::kMba}, {"EMBA", Deg::kMba}, {"M.B.A.", Deg::kMba}};
constexpr DegreeText kDoctorTexts[] = {{"PhD", Deg::kDoctor},       {"Ph.D.", Deg::kDoctor},
                                       {"Doctorate", Deg::kDoctor}, {"Doctor", Deg::kDoctor},
                                       {"DPhil", Deg::kDoctor},     {"MD", Deg::kOther},
                                       {"JD", Deg::kOther}};
constexpr DegreeText kAssociateTexts[] = {{"Associate", Deg::kAssociate},
                                          {"Associates", Deg::kAssociate}};
constexpr DegreeText kHighSchoolTexts[] = {{"High School", Deg::kHighSchool},
                                           {"Secondary", Deg::kHighSchool}};

const char* HighestDegreeName(Deg d) {
  switch (d) {
    case Deg::kHighSchool:
      return "High School";
    case Deg::kAssociate:
      return "Associate";
    case Deg::kBachelor:
      return "Bachelor";
    case Deg::kMaster:
      return "Master";
    case Deg::kMba:
      return "MBA";
    case Deg::kDoctor:
      return "Doctor";
    default:
      return "";
  }
}

// How a row is broken on purpose (cleaning rule 1).
enum class Malform { kNone, kTooFew, kTooMany, kQuoteInside, kTextAfterQuote, kBadUtf8, kHuge };

// A planned position: the spell and how it is written.
struct Spell {
  Month start = kNoMonth;
  Month end = kNoMonth;  // kNoMonth: open (empty enddate)
  int country = -1;      // the country meant; written unless country_empty
  bool country_empty = false;
  int metro = -1;
  int company = -1;  // -1: missing employer (empty rcid)
  int title = -1;
  bool side = false;
  bool executive = false;
  int64_t salary = -1;
  int seniority = 3;
  int weight_milli = 1000;
  std::string id;
  uint8_t title_where = 0;  // 0 positions only, 1 raw only, 2 both
  bool parent_in_column = false;
  int day = 0;                // 0: write YYYY-MM, else YYYY-MM-DD with this day
  uint8_t country_style = 0;  // 0 as is, 1 upper case, 2 padded with spaces
  int dups = 0;
  bool salary_decimals = false;
  bool location_newline = false;
  bool tie_winner = false;  // gets a 21-digit id that sorts before the tie partner
};

struct EduRow {
  int university = -1;
  const DegreeText* degree = nullptr;
  Month start = kNoMonth, end = kNoMonth;
  int number = -1;
  int field = 0;
  bool rsid = true;
  int dups = 0;
};

// Fields of one row before it is written.
struct RowFields {
  std::array<std::string, 16> f;
  int n = 0;
  void Reset(int count) {
    n = count;
    for (int i = 0; i < count; ++i) f[i].clear();
  }
};

struct QuoteTable {
  bool special[256] = {};
  constexpr QuoteTable() {
    special[static_cast<unsigned char>(',')] = true;
    special[static_cast<unsigned char>('"')] = true;
    special[static_cast<unsigned char>('\n')] = true;
    special[static_cast<unsigned char>('\r')] = true;
  }
};
constexpr QuoteTable kQuote;

bool NeedsQuotes(std::string_view v) {
  for (char c : v)
    if (kQuote.special[static_cast<unsigned char>(c)]) return true;
  return false;
}

void AppendField(std::string& out, std::string_view v) {
  if (!NeedsQuotes(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void Sanitize(std::string& v) {
  v.erase(std::remove_if(v.begin(), v.end(),
                         [](char c) { return c == ',' || c == '"' || c == '\n' || c == '\r'; }),
          v.end());
}

// Writes a row; `broken_col` receives the malformation (written unquoted).
void AppendRow(std::string& out, RowFields& row, Malform malform, int broken_col) {
  int n = row.n;
  if (malform != Malform::kNone) {
    for (int i = 0; i < n; ++i) Sanitize(row.f[i]);
    switch (malform) {
      case Malform::kTooFew:
        n -= 2;
        break;
      case Malform::kQuoteInside:
        row.f[broken_col] = "Senior \"Lead\" Analyst";
        break;
      case Malform::kTextAfterQuote:
        row.f[broken_col] = "\"Acme Holdings\" Ltd";
        break;
      case Malform::kBadUtf8:
        row.f[broken_col] += "\xC3\x28\xFF";
        break;
      case Malform::kHuge:
        row.f[broken_col].assign(1100000, 'x');
        break;
      default:
        break;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (i) out.push_back(',');
    if (malform != Malform::kNone) {
      out.append(row.f[i]);  // sanitised: nothing needs quotes but the planted fault
    } else {
      AppendField(out, row.f[i]);
    }
  }
  if (malform == Malform::kTooMany) out.append(",unexpected extra field");
  out.push_back('\n');
}

void AppendMonth(std::string& out, Month m, int day) {
  int y = YearOf(m), mo = MonthOfYear(m);
  char buf[16];
  if (day > 0) {
    fmt::format_to_n(buf, sizeof buf, "{:04d}-{:02d}-{:02d}", y, mo, day);
    out.append(buf, 10);
  } else {
    fmt::format_to_n(buf, sizeof buf, "{:04d}-{:02d}", y, mo);
    out.append(buf, 7);
  }
}

void AppendInt(std::string& out, int64_t v) {
  fmt::format_int f(v);
  out.append(f.data(), f.size());
}

// Appends again the bytes of `out` from `from` to the end (an exact duplicate
// of the row just written).
void RepeatTail(std::string& out, size_t from) {
  size_t len = out.size() - from;
  out.reserve(out.size() + len);
  out.append(out.data() + from, len);
}

std::string UserIdOf(int64_t index) {
  // A bijection of the index (odd multiplier mod 2^32), offset so ids have
  // 6 to 10 digits: byte order differs from numeric and from file order.
  uint64_t v = (static_cast<uint64_t>(index) * 2654435761ull) & 0xFFFFFFFFull;
  return fmt::format_int(v + 100000).str();
}

std::string UpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

template <typename Weights>
int DrawWeighted(Rng& rng, const Weights& weights, double total) {
  double x = rng.Uniform() * total;
  int last = -1;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last = static_cast<int>(i);
    if (x < weights[i]) return last;
    x -= weights[i];
  }
  return last;
}

}  // namespace

Generator::Generator(const SynthReference& ref, const SynthParams& params)
    : ref_(ref), params_(params) {
  target_ = ref_.FindCountry(params_.place);
  const int nc = static_cast<int>(ref_.countries.size());
  // Firms: multinationals (firm index = multinational index), then one
  // subsidiary per (multinational, country), then domestic firms.
  companies_.resize(kMultinationals * (1 + nc) + nc * kDomesticPerCountry);
  int firm_count = kMultinationals + nc * kDomesticPerCountry;
  firm_keys_.resize(firm_count);
  for (int f = 0; f < kMultinationals; ++f) {
    SynthCompany& parent = companies_[f];
    parent.rcid = fmt::format_int(1000000 + f * 1000).str();
    parent.parent_rcid = parent.rcid;
    parent.name = fmt::format("Globalink {:02d} Group", f);
    parent.country = (f % 3 == 0 && target_ >= 0) ? target_ : (f % 2 == 0 ? 1 % nc : 3 % nc);
    parent.firm = f;
    parent.multinational = f;
    firm_keys_[f] = parent.rcid;
    // Trend in the place: some firms grow there, some shrink.
    mn_trend_.push_back(static_cast<double>((f * 37) % 21 - 10) / 10.0);
    for (int c = 0; c < nc; ++c) {
      SynthCompany& sub = companies_[SubsidiaryOf(f, c)];
      sub.rcid = fmt::format_int(1000000 + f * 1000 + 1 + c).str();
      sub.parent_rcid = parent.rcid;
      sub.name = fmt::format("Globalink {:02d} {} Limited", f, ref_.countries[c].name);
      sub.country = c;
      sub.firm = f;
      sub.multinational = f;
    }
  }
  for (int c = 0; c < nc; ++c) {
    for (int k = 0; k < kDomesticPerCountry; ++k) {
      SynthCompany& d = companies_[DomesticOf(c, k)];
      d.rcid = fmt::format_int(2000000 + c * 10000 + k).str();
      // Three in ten domestic firms have no parent in the mapping: their
      // firm key falls back to the rcid (spec s.4).
      d.parent_rcid = (k % 10 < 3) ? std::string() : d.rcid;
      d.name = (k % 50 == 0) ? fmt::format("{} Trading {:03d}, Limited", ref_.countries[c].name, k)
                             : fmt::format("{} Services {:03d}", ref_.countries[c].name, k);
      d.country = c;
      d.firm = kMultinationals + c * kDomesticPerCountry + k;
      d.multinational = -1;
      firm_keys_[d.firm] = d.rcid;
    }
  }
  for (size_t t = 0; t < ref_.titles.size(); ++t) {
    switch (ref_.titles[t].kind) {
      case TitleKind::kMain:
        titles_main_.push_back(static_cast<int>(t));
        break;
      case TitleKind::kExecutive:
        titles_exec_.push_back(static_cast<int>(t));
        break;
      case TitleKind::kFounder:
        titles_founder_.push_back(static_cast<int>(t));
        break;
      case TitleKind::kSide:
        titles_side_.push_back(static_cast<int>(t));
        break;
    }
  }
}

TruthPartial Generator::NewPartial() const {
  TruthPartial p;
  p.Resize(ref_.countries.size(), firm_keys_.size(), ref_.metros.size() + ref_.countries.size());
  return p;
}

// Builds, evaluates and writes one user. Lives for one call of GenerateUser.
class PersonBuilder {
 public:
  PersonBuilder(const Generator& gen, int64_t index, UserBuffers* out, TruthPartial* truth)
      : g_(gen),
        ref_(gen.ref_),
        p_(gen.params_),
        index_(index),
        rng_(Rng::Seeded(gen.params_.seed, static_cast<uint64_t>(index))),
        out_(out),
        truth_(truth),
        x_(gen.params_.mess_rate) {}

  void Run() {
    user_id_ = UserIdOf(index_);
    DrawClass();
    DrawPerson();
    PlanCareer();
    PlanExtras();
    PlanEducation();
    PlanProfile();
    PlanWriting();
    Evaluate();
    EmitUser();
    EmitPositions();
    EmitEducation();
    EmitDecoys();
  }

 private:
  // ---- drawing ---------------------------------------------------------

  int DrawOutsideCountry(int avoid = -1) {
    for (int tries = 0; tries < 20; ++tries) {
      double total = 0;
      for (const SynthCountry& c : ref_.countries) total += c.outside_weight;
      int c = DrawWeighted(rng_, OutsideWeights(), total);
      if (c != g_.target_ && c != avoid && c >= 0) return c;
    }
    for (int c = 0; c < static_cast<int>(ref_.countries.size()); ++c)
      if (c != g_.target_ && c != avoid) return c;
    return 0;
  }
  const std::vector<double>& OutsideWeights() {
    if (outside_w_.empty())
      for (const SynthCountry& c : ref_.countries) outside_w_.push_back(c.outside_weight);
    return outside_w_;
  }
  int DrawFlowCountry(bool join) {
    std::vector<double> w;
    double total = 0;
    for (size_t c = 0; c < ref_.countries.size(); ++c) {
      double v = static_cast<int>(c) == g_.target_
                     ? 0
                     : (join ? ref_.countries[c].join_weight : ref_.countries[c].leave_weight);
      w.push_back(v);
      total += v;
    }
    if (total <= 0) return DrawOutsideCountry();
    return DrawWeighted(rng_, w, total);
  }

  void DrawClass() {
    const double linked = 0.30, unk_before = 0.045, unk_after = 0.020, unk_both = 0.015;
    const double study_total = ref_.study.stayers + ref_.study.joiners + ref_.study.leavers;
    double u = rng_.Uniform();
    auto take = [&](double share) {
      bool hit = u < share;
      u -= share;
      return hit;
    };
    if (take(linked * ref_.study.stayers / study_total)) {
      cls_ = PersonClass::kStayer;
    } else if (take(linked * ref_.study.joiners / study_total)) {
      cls_ = PersonClass::kJoiner;
    } else if (take(linked * ref_.study.leavers / study_total)) {
      cls_ = PersonClass::kLeaver;
    } else if (take(unk_before)) {
      cls_ = PersonClass::kUnknownBefore;
    } else if (take(unk_after)) {
      cls_ = PersonClass::kUnknownAfter;
    } else if (take(unk_both)) {
      cls_ = PersonClass::kUnknownBoth;
    } else {
      cls_ = PersonClass::kOutside;
    }
    const int t = g_.target_;
    switch (cls_) {
      case PersonClass::kStayer:
        cb_ = ca_ = t;
        same_ = rng_.Chance(ref_.study.same_share_stayer);
        break;
      case PersonClass::kJoiner:
        cb_ = DrawFlowCountry(true);
        ca_ = t;
        same_ = rng_.Chance(ref_.study.same_share_joiner);
        break;
      case PersonClass::kLeaver:
        cb_ = t;
        ca_ = DrawFlowCountry(false);
        same_ = rng_.Chance(ref_.study.same_share_leaver);
        break;
      case PersonClass::kOutside:
        cb_ = DrawOutsideCountry();
        ca_ = rng_.Chance(0.92) ? cb_ : DrawOutsideCountry(cb_);
        same_ = rng_.Chance(0.6);
        break;
      case PersonClass::kUnknownBefore:
        ca_ = rng_.Chance(0.3) ? t : DrawOutsideCountry();
        break;
      case PersonClass::kUnknownAfter:
        cb_ = rng_.Chance(0.3) ? t : DrawOutsideCountry();
        break;
      case PersonClass::kUnknownBoth:
        break;
    }
    kb_ = cb_ >= 0;
    ka_ = ca_ >= 0;
    linked_ = cb_ == t || ca_ == t;
  }

  void DrawPerson() {
    double mean_age = 37;
    if (cls_ == PersonClass::kJoiner) mean_age = ref_.study.age_joiner;
    if (cls_ == PersonClass::kLeaver) mean_age = ref_.study.age_leaver;
    if (cls_ == PersonClass::kStayer) mean_age = 36;
    int age = 0;
    for (int tries = 0; tries < 10; ++tries) {
      // Exponential above 22, truncated at 65.
      // +2.0: truncation at 65 and the age rules' estimates pull the mean down.
      age = 22 + static_cast<int>(-(mean_age - 20.5) * std::log(1.0 - rng_.Uniform()));
      if (age <= 65) break;
    }
    age = std::min(age, 65);
    birth_year_ = YearOf(p_.after) - age;

    double asian_share = 0.8;
    if (cls_ == PersonClass::kJoiner) asian_share = ref_.study.asian_joiner;
    if (cls_ == PersonClass::kLeaver) asian_share = ref_.study.asian_leaver;
    if (cls_ == PersonClass::kStayer) asian_share = 0.86;
    if (!linked_) {
      int home = kb_ ? cb_ : (ka_ ? ca_ : -1);
      asian_share = home >= 0 ? ref_.countries[home].asian_share : 0.4;
    }
    asian_ = rng_.Chance(asian_share);

    double conn_mean = 300;
    if (cls_ == PersonClass::kJoiner) conn_mean = ref_.study.connections_joiner;
    if (cls_ == PersonClass::kLeaver) conn_mean = ref_.study.connections_leaver;
    // Lognormal with sigma 0.9: mean = median * exp(0.405).
    connections_ = std::llround(conn_mean / std::exp(0.405) * std::exp(0.9 * rng_.Normal()));
    connections_ = std::clamp<int64_t>(connections_, 0, 30000);
    if (rng_.Chance(0.04)) connections_ = -1;

    double salary_mean = 62000;
    if (cls_ == PersonClass::kJoiner) salary_mean = ref_.study.salary_joiner;
    if (cls_ == PersonClass::kLeaver) salary_mean = ref_.study.salary_leaver;
    if (cls_ == PersonClass::kStayer) salary_mean = 57000;
    salary_median_ = salary_mean / std::exp(0.125);  // sigma 0.5

    double u = rng_.Uniform();
    if (u < 0.04) {
      degree_ = Deg::kNone;
    } else if (u < 0.07) {
      degree_ = Deg::kHighSchool;
    } else if (u < 0.10) {
      degree_ = Deg::kAssociate;
    } else if (u < 0.59) {
      degree_ = Deg::kBachelor;
    } else if (u < 0.86) {
      degree_ = Deg::kMaster;
    } else if (u < 0.93) {
      degree_ = Deg::kMba;
    } else {
      degree_ = Deg::kDoctor;
    }
    // Which age rule the person is meant for (the evaluation decides).
    double r = rng_.Uniform();
    write_birth_year_ = r < 0.35;
    age_path_ =
        write_birth_year_ ? 0 : (r < 0.35 + 0.65 * 0.45 ? 1 : (r < 0.35 + 0.65 * 0.65 ? 2 : 3));
  }

  // ---- companies and titles ---------------------------------------------

  int DrawMultinational(double bias) {
    std::array<double, Generator::kMultinationals> w;
    double total = 0;
    for (int f = 0; f < Generator::kMultinationals; ++f) {
      w[f] = std::max(0.05, 1.0 + 0.8 * bias * g_.mn_trend_[f]);
      total += w[f];
    }
    return DrawWeighted(rng_, w, total);
  }

  // bias > 0: a job in the place taken by a joiner; < 0: left by a leaver.
  int DrawCompany(int country, double bias = 0) {
    if (rng_.Chance(0.012)) return -1;  // missing employer
    double mn_share = country == g_.target_ ? 0.35 : 0.2;
    if (rng_.Chance(mn_share)) return g_.SubsidiaryOf(DrawMultinational(bias), country);
    return g_.DomesticOf(country,
                         static_cast<int>(rng_.Range(0, Generator::kDomesticPerCountry - 1)));
  }
  int FirmOf(int company) const { return company < 0 ? -1 : g_.companies_[company].firm; }

  int DrawMainTitle() {
    int age_at_after = YearOf(p_.after) - birth_year_;
    if (age_at_after >= 40 && rng_.Chance(0.12))
      return g_.titles_exec_[rng_.Range(0, g_.titles_exec_.size() - 1)];
    if (rng_.Chance(0.02)) return g_.titles_founder_[rng_.Range(0, g_.titles_founder_.size() - 1)];
    return g_.titles_main_[rng_.Range(0, g_.titles_main_.size() - 1)];
  }
  int DrawSideTitle() { return g_.titles_side_[rng_.Range(0, g_.titles_side_.size() - 1)]; }

  int DrawMetro(int country) {
    const std::vector<int>& metros = ref_.countries[country].metros;
    if (metros.empty()) return -1;
    double total = 0;
    for (int m : metros) total += ref_.metros[m].weight;
    double x = rng_.Uniform() * total;
    for (int m : metros) {
      if (x < ref_.metros[m].weight) return m;
      x -= ref_.metros[m].weight;
    }
    return metros.back();
  }

  Spell MakeSpell(Month start, Month end, int country, int company) {
    Spell s;
    s.start = start;
    s.end = end;
    s.country = country;
    s.company = company;
    s.metro = DrawMetro(country);
    s.title = DrawMainTitle();
    s.executive = ref_.titles[s.title].kind == TitleKind::kExecutive;
    s.seniority = static_cast<int>(rng_.Range(1, 7));
    s.salary =
        std::llround(salary_median_ * std::exp(0.5 * rng_.Normal()) * (0.8 + 0.05 * s.seniority));
    if (rng_.Chance(0.08)) s.salary = -1;
    return s;
  }

  Month FinalEnd() {
    if (rng_.Chance(0.6)) return kNoMonth;
    if (rng_.Chance(0.015)) return p_.cutoff + static_cast<Month>(rng_.Range(1, 12));
    return p_.after + static_cast<Month>(rng_.Range(0, p_.cutoff - p_.after));
  }

  // ---- career -----------------------------------------------------------

  void PlanCareer() {
    const Month B = p_.before, A = p_.after, K = p_.cutoff;
    career_ = MakeMonth(birth_year_ + 22, 1) + static_cast<Month>(rng_.Range(0, 17));
    if (kb_ && career_ > B - 1) career_ = B - static_cast<Month>(rng_.Range(1, 24));
    if (career_ < MakeMonth(1960, 1)) career_ = MakeMonth(1960, 1);

    if (kb_) {
      company_b_ = DrawCompany(cb_, cb_ == g_.target_ && cls_ == PersonClass::kLeaver ? -1 : 0);
    }
    if (ka_) {
      double bias = ca_ == g_.target_ && cls_ == PersonClass::kJoiner ? 1 : 0;
      if (kb_ && same_ && company_b_ >= 0) {
        const SynthCompany& cb = g_.companies_[company_b_];
        if (cb_ == ca_) {
          company_a_ = company_b_;
        } else if (cb.multinational >= 0) {
          company_a_ = g_.SubsidiaryOf(cb.multinational, ca_);
        } else {
          // A same-company move across countries needs a multinational.
          int f = DrawMultinational(bias != 0 ? bias : -1);
          company_b_ = g_.SubsidiaryOf(f, cb_);
          company_a_ = g_.SubsidiaryOf(f, ca_);
        }
        if (rng_.Chance(0.012)) company_a_ = -1;
      } else {
        for (int tries = 0; tries < 10; ++tries) {
          company_a_ = DrawCompany(ca_, bias);
          if (company_a_ < 0 || FirmOf(company_a_) != FirmOf(company_b_)) break;
        }
      }
    }

    if (kb_ && ka_) {
      bool single = same_ && cb_ == ca_ && company_a_ == company_b_ && rng_.Chance(0.75);
      if (single) {
        Month s = B - static_cast<Month>(rng_.Range(0, std::min<Month>(B - career_, 180)));
        if (rng_.Chance(0.03)) s = B;
        main_.push_back(MakeSpell(s, FinalEnd(), cb_, company_b_));
      } else {
        Month s1 = B - static_cast<Month>(rng_.Range(0, std::min<Month>(B - career_, 150)));
        if (rng_.Chance(0.03)) s1 = B;
        Month e1 = rng_.Chance(0.05) ? B : B + static_cast<Month>(rng_.Range(0, A - B - 2));
        Month s2 = e1 + 1 + (rng_.Chance(0.5) ? 0 : static_cast<Month>(rng_.Range(1, 12)));
        if (s2 > A || rng_.Chance(0.04)) s2 = A;
        main_.push_back(MakeSpell(s1, e1, cb_, company_b_));
        if (s2 - (e1 + 1) >= 4 && rng_.Chance(0.12)) {
          int x = DrawOutsideCountry(cb_);
          if (x != ca_) {
            Month xs = e1 + 1 + static_cast<Month>(rng_.Range(0, 1));
            Month xe = s2 - 1 - static_cast<Month>(rng_.Range(0, 1));
            main_.push_back(MakeSpell(xs, xe, x, DrawCompany(x)));
            truth_->plants[static_cast<int>(Plant::kExcursion)]++;
          }
        }
        main_.push_back(MakeSpell(s2, FinalEnd(), ca_, company_a_));
      }
    } else if (kb_) {
      Month s1 = B - static_cast<Month>(rng_.Range(0, std::min<Month>(B - career_, 150)));
      Month e1 = rng_.Chance(0.05) ? B : B + static_cast<Month>(rng_.Range(0, A - 1 - B));
      main_.push_back(MakeSpell(s1, e1, cb_, company_b_));
      if (A - 1 - (e1 + 1) >= 6 && rng_.Chance(0.3)) {
        Month xs = e1 + 1 + static_cast<Month>(rng_.Range(0, 3));
        Month xe = A - 1 - static_cast<Month>(rng_.Range(0, 2));
        int x = rng_.Chance(0.5) ? cb_ : DrawOutsideCountry();
        main_.push_back(MakeSpell(xs, xe, x, DrawCompany(x)));
      }
      if (K > A && rng_.Chance(0.25)) {
        Month s = A + 1 + static_cast<Month>(rng_.Range(0, K - A - 1));
        int x = rng_.Chance(0.5) ? cb_ : DrawOutsideCountry();
        main_.push_back(MakeSpell(s, rng_.Chance(0.7) ? kNoMonth : K, x, DrawCompany(x)));
      }
    } else if (ka_) {
      Month s2 = B + 1 + static_cast<Month>(rng_.Range(0, A - B - 1));
      if (rng_.Chance(0.04)) s2 = A;
      if (career_ < B - 6 && rng_.Chance(0.6)) {
        Month pe = B - 1 - static_cast<Month>(rng_.Range(0, 24));
        Month ps = std::max(career_, pe - static_cast<Month>(rng_.Range(6, 60)));
        if (ps <= pe) {
          int x = rng_.Chance(0.6) ? ca_ : DrawOutsideCountry();
          main_.push_back(MakeSpell(ps, pe, x, DrawCompany(x)));
        }
      }
      main_.push_back(MakeSpell(s2, FinalEnd(), ca_, company_a_));
    } else {
      double r = rng_.Uniform();
      int x = rng_.Chance(0.3) ? g_.target_ : DrawOutsideCountry();
      if (r < 0.25) {
        // No position at all.
      } else if (r < 0.6) {
        if (career_ < B - 2) {
          Month pe =
              B - 1 - static_cast<Month>(rng_.Range(0, std::min<Month>(B - 1 - career_, 36)));
          Month ps = std::max(career_, pe - static_cast<Month>(rng_.Range(6, 60)));
          main_.push_back(MakeSpell(ps, pe, x, DrawCompany(x)));
        }
      } else if (r < 0.85) {
        Month s = B + 1 + static_cast<Month>(rng_.Range(0, A - B - 3));
        Month e = std::min<Month>(A - 1, s + static_cast<Month>(rng_.Range(1, 24)));
        main_.push_back(MakeSpell(s, e, x, DrawCompany(x)));
      } else if (K > A) {
        Month s = A + 1 + static_cast<Month>(rng_.Range(0, K - A - 1));
        main_.push_back(MakeSpell(s, kNoMonth, x, DrawCompany(x)));
      }
    }

    // Earlier history, backwards from the first planned spell, never
    // covering a snapshot.
    Month first = main_.empty() ? B : main_.front().start;
    for (const Spell& s : main_) first = std::min(first, s.start);
    Month cursor = first - 1 - static_cast<Month>(rng_.Range(0, 6));
    if (!kb_) cursor = std::min<Month>(cursor, B - 1);
    int home = kb_ ? cb_ : (ka_ ? ca_ : DrawOutsideCountry());
    std::vector<Spell> history;
    while (cursor > career_ + 6 && history.size() < 3 && rng_.Chance(0.7)) {
      Month len = static_cast<Month>(rng_.Range(12, 72));
      Month s = std::max(career_, cursor - len + 1);
      int x = rng_.Chance(0.7) ? home : (rng_.Chance(0.4) ? g_.target_ : DrawOutsideCountry());
      history.push_back(MakeSpell(s, cursor, x, DrawCompany(x)));
      cursor = s - 1 - static_cast<Month>(rng_.Range(0, 6));
    }
    main_.insert(main_.begin(), history.rbegin(), history.rend());
    std::sort(main_.begin(), main_.end(),
              [](const Spell& a, const Spell& b) { return a.start < b.start; });
    for (size_t i = 1; i < main_.size(); ++i)
      if (main_[i - 1].end != kNoMonth && main_[i].start == main_[i - 1].end + 1 &&
          main_[i].country != main_[i - 1].country)
        truth_->plants[static_cast<int>(Plant::kMoveNextMonth)]++;
  }

  bool Covers(const Spell& s, Month m) const {
    Month end = s.end == kNoMonth ? p_.cutoff : s.end;
    return s.start <= m && m <= end;
  }
  // Whether adding `s` would put the person somewhere at a snapshot where the
  // plan says unknown.
  bool BreaksUnknown(const Spell& s) const {
    return (!kb_ && Covers(s, p_.before)) || (!ka_ && Covers(s, p_.after));
  }
  int MainAt(Month m) const {
    for (size_t i = 0; i < main_.size(); ++i)
      if (Covers(main_[i], m)) return static_cast<int>(i);
    return -1;
  }

  void PlanExtras() {
    const Month B = p_.before, A = p_.after;
    // Concurrent side role abroad (or in the place while living abroad).
    if (rng_.Chance(0.07 * x_) && (kb_ || ka_)) {
      Month at = (kb_ && (!ka_ || rng_.Chance(0.5))) ? B : A;
      int loc = at == B ? cb_ : ca_;
      int pi = MainAt(at);
      if (pi >= 0) {
        Spell s;
        Month lo = main_[pi].start;
        s.start = at - static_cast<Month>(rng_.Range(0, std::min<Month>(at - lo, 24)));
        s.end = rng_.Chance(0.5) ? kNoMonth : at + static_cast<Month>(rng_.Range(0, 36));
        if (at == B && !ka_ && Covers(s, A)) s.end = A - 1;
        s.country = (loc != g_.target_ && rng_.Chance(0.5)) ? g_.target_ : DrawOutsideCountry(loc);
        s.metro = DrawMetro(s.country);
        s.company = DrawCompany(s.country);
        s.title = DrawSideTitle();
        s.side = true;
        s.salary = -1;
        s.seniority = 5;
        if (!BreaksUnknown(s)) extras_.push_back(std::move(s));
      }
    }
    // An internship before the first job.
    if (rng_.Chance(0.1)) {
      Spell s;
      s.end = career_ - static_cast<Month>(rng_.Range(1, 6));
      s.start = s.end - static_cast<Month>(rng_.Range(1, 3));
      s.country = rng_.Chance(0.5) && kb_ ? cb_ : DrawOutsideCountry();
      s.metro = DrawMetro(s.country);
      s.company = DrawCompany(s.country);
      s.title = DrawSideTitle();
      s.side = true;
      s.salary = -1;
      s.seniority = 1;
      if (s.start >= MakeMonth(1950, 1) && !BreaksUnknown(s)) extras_.push_back(std::move(s));
    }
    // Two main positions starting the same month at a snapshot: the planned
    // one wins by byte-wise position_id (a 21-digit id starting with "1",
    // numerically larger than the loser's 20-digit id).
    if (rng_.Chance(0.015 * x_) && (kb_ || ka_)) {
      Month at = kb_ ? B : A;
      int loc = at == B ? cb_ : ca_;
      int pi = MainAt(at);
      if (pi >= 0) {
        main_[pi].tie_winner = true;
        Spell q = MakeSpell(main_[pi].start, main_[pi].end, DrawOutsideCountry(loc), -1);
        q.company = DrawCompany(q.country);
        if (ref_.titles[q.title].kind == TitleKind::kFounder) q.title = g_.titles_main_[0];
        extras_.push_back(std::move(q));
      }
    }
  }

  // ---- education ----------------------------------------------------------

  int DrawUniversity(int country, bool prestige) {
    auto weight = [&](const SynthUniversity& u) {
      double v = u.weight;
      if (prestige && u.tier == 1) v *= 2.5;
      if (prestige && u.tier == 3) v *= 0.4;
      return v;
    };
    double total = 0;
    for (const SynthUniversity& u : ref_.universities)
      if (u.country == country) total += weight(u);
    if (total <= 0) {
      // No school listed for the country: study in the US or the UK.
      return DrawUniversity(rng_.Chance(0.5) ? 1 : 3, prestige);
    }
    double x = rng_.Uniform() * total;
    int last = 0;
    for (size_t i = 0; i < ref_.universities.size(); ++i) {
      const SynthUniversity& u = ref_.universities[i];
      if (u.country != country) continue;
      last = static_cast<int>(i);
      if (x < weight(u)) return last;
      x -= weight(u);
    }
    return last;
  }

  void PlanEducation() {
    int home = kb_ ? cb_ : (ka_ ? ca_ : DrawOutsideCountry());
    int study = home;
    if (linked_) {
      int other = cls_ == PersonClass::kJoiner ? cb_ : (cls_ == PersonClass::kLeaver ? ca_ : -1);
      double r = rng_.Uniform();
      if (other >= 0 && r < 0.45) {
        study = other;
      } else if (r < 0.75) {
        study = g_.target_;
      } else {
        static constexpr int kAbroad[] = {3, 1, 5, 6};  // UK, US, Australia, Canada
        study = kAbroad[rng_.Range(0, 3)] % static_cast<int>(ref_.countries.size());
      }
    } else if (rng_.Chance(0.15)) {
      study = rng_.Chance(0.5) ? 1 % static_cast<int>(ref_.countries.size())
                               : 3 % static_cast<int>(ref_.countries.size());
    }
    bool prestige = cls_ == PersonClass::kJoiner;
    auto field = [&] {
      double total = 0;
      for (double w : ref_.field_weights) total += w;
      return DrawWeighted(rng_, ref_.field_weights, total);
    };
    auto pick = [&](const auto& texts, size_t common) {
      // The first `common` spellings most of the time, the rest rarely.
      size_t n = std::size(texts);
      size_t i = rng_.Chance(0.9) ? rng_.Range(0, common - 1) : rng_.Range(0, n - 1);
      return &texts[i];
    };
    int number = 1;
    auto add = [&](const DegreeText* d, Month s, Month e) {
      EduRow row;
      row.university = DrawUniversity(study, prestige);
      row.degree = d;
      row.start = s;
      row.end = e;
      row.number = rng_.Chance(0.9) ? number : -1;
      ++number;
      row.field = field();
      row.rsid = rng_.Chance(0.8);
      edu_.push_back(row);
    };
    const int by = birth_year_;
    if (degree_ == Deg::kHighSchool) {
      add(pick(kHighSchoolTexts, 2), MakeMonth(by + 12, 9), MakeMonth(by + 18, 6));
    } else if (degree_ == Deg::kAssociate) {
      add(pick(kAssociateTexts, 2), MakeMonth(by + 18, 9), MakeMonth(by + 20, 6));
    }
    bool has_bachelor =
        degree_ == Deg::kBachelor ||
        ((degree_ == Deg::kMaster || degree_ == Deg::kMba || degree_ == Deg::kDoctor) &&
         rng_.Chance(0.95));
    if (has_bachelor) {
      Month s = MakeMonth(by + 18, 9), e = MakeMonth(by + 22, 6);
      if (age_path_ == 0) {
        s += 12 * static_cast<Month>(rng_.Range(-1, 1));
        e = s + 45;
        if (rng_.Chance(0.2)) s = e = kNoMonth;
      } else if (age_path_ == 2) {
        s = kNoMonth;  // only the end year is known
      } else if (age_path_ == 3) {
        s = e = kNoMonth;  // undated: the first position decides
      }
      add(pick(kBachelorTexts, 10), s, e);
    }
    Month after_bachelor = MakeMonth(by + 22, 9) + 12 * static_cast<Month>(rng_.Range(0, 3));
    bool dated = age_path_ != 3;
    if (degree_ == Deg::kMaster || (degree_ == Deg::kDoctor && rng_.Chance(0.5))) {
      Month s = after_bachelor, e = s + 9 + 12 * static_cast<Month>(rng_.Range(0, 1));
      add(pick(kMasterTexts, 9), dated ? s : kNoMonth, dated ? e : kNoMonth);
      after_bachelor = e + 3;
    }
    if (degree_ == Deg::kMba) {
      Month s = MakeMonth(by + 28 + static_cast<int>(rng_.Range(0, 6)), 9);
      add(pick(kMbaTexts, 3), dated ? s : kNoMonth, dated ? s + 21 : kNoMonth);
    }
    if (degree_ == Deg::kDoctor) {
      Month s = after_bachelor, e = s + 45 + static_cast<Month>(rng_.Range(0, 24));
      add(pick(kDoctorTexts, 5), dated ? s : kNoMonth, dated ? e : kNoMonth);
    }
    // Rows in a random order: readers must not rely on file order.
    for (size_t i = edu_.size(); i > 1; --i) std::swap(edu_[i - 1], edu_[rng_.Range(0, i - 1)]);
  }

  // ---- profile and writing choices -----------------------------------------

  void PlanProfile() {
    profile_country_ = ka_ ? ca_ : (kb_ ? cb_ : -1);
    if (profile_country_ < 0) {
      profile_country_ = !main_.empty() ? main_.back().country : DrawOutsideCountry();
    }
    if (kb_ && ka_ && cb_ != ca_ && rng_.Chance(0.08)) profile_country_ = cb_;  // stale profile
    if (rng_.Chance(0.03)) profile_country_ = -1;  // no profile country
    updated_ = p_.cutoff - static_cast<Month>(rng_.Range(0, 24));
    if (index_ == 0) updated_ = p_.cutoff;  // the default cutoff is this dataset's cutoff
  }

  void PlanWriting() {
    // All used positions: main spells then extras; ids assigned here.
    spells_.clear();
    for (const std::vector<Spell>* list : {&main_, &extras_})
      for (const Spell& s : *list)
        // A young person's planned internship can fall after the cutoff:
        // not written (it would be quarantined as after_cutoff).
        if (s.start <= p_.cutoff && s.start >= MakeMonth(1950, 1)) spells_.push_back(s);
    for (Spell& s : spells_) {
      s.id = NextPositionId(s.tie_winner);
      if (s.country == profile_country_ && profile_country_ >= 0 && rng_.Chance(0.04 * x_))
        s.country_empty = true;
      double r = rng_.Uniform();
      s.title_where = r < 0.3 ? 1 : (r < 0.4 ? 2 : 0);
      if (s.company >= 0) {
        const SynthCompany& c = g_.companies_[s.company];
        s.parent_in_column = !c.parent_rcid.empty() && rng_.Chance(0.5);
      }
      s.day = rng_.Chance(0.2) ? static_cast<int>(rng_.Range(1, 28)) : 0;
      double st = rng_.Uniform();
      if (st < 0.01 * x_) {
        s.country_style = 2;
      } else if (s.country == g_.target_ && st < 0.03 * x_) {
        s.country_style = 1;
      }
      if (rng_.Chance(0.004 * x_)) s.dups = rng_.Chance(0.1) ? 2 : 1;
      s.salary_decimals = rng_.Chance(0.3);
      s.weight_milli = static_cast<int>(rng_.Range(400, 4000));
      s.location_newline = rng_.Chance(0.05);
    }
    for (EduRow& e : edu_)
      if (rng_.Chance(0.005 * x_)) e.dups = 1;
  }

  std::string NextPositionId(bool tie_winner) {
    uint64_t serial = static_cast<uint64_t>(index_) * 64 + (slot_++ & 63);
    // "1" + 20 digits for a tie winner, else a digit 2-9 + 19 digits: all
    // above 2^64 except the tie winners' order, which is byte-wise first.
    int width = tie_winner ? 20 : 19;
    std::string id(static_cast<size_t>(width + 1), '0');
    id[0] = tie_winner ? '1' : static_cast<char>('0' + rng_.Range(2, 9));
    for (int i = width; i >= 1 && serial > 0; --i) {
      id[i] = static_cast<char>('0' + serial % 10);
      serial /= 10;
    }
    return id;
  }

  // ---- evaluation (the spec's rules on the rows that survive cleaning) ----

  struct Location {
    int spell = -1;
    int country = -1;
    bool fallback = false;
  };

  Location LocateAt(Month m, bool* side_beside_main, bool* tie) const {
    int best = -1;
    bool any_main = false, any_side = false;
    for (size_t i = 0; i < spells_.size(); ++i) {
      const Spell& s = spells_[i];
      if (!Covers(s, m)) continue;
      (s.side ? any_side : any_main) = true;
      if (best < 0) {
        best = static_cast<int>(i);
        continue;
      }
      const Spell& b = spells_[best];
      bool better;
      if (s.side != b.side) {
        better = !s.side;
      } else if (s.start != b.start) {
        better = s.start > b.start;
      } else {
        better = s.id < b.id;  // byte-wise
      }
      if (better) best = static_cast<int>(i);
    }
    *side_beside_main = any_main && any_side;
    *tie = false;
    Location loc;
    if (best < 0) return loc;
    for (size_t i = 0; i < spells_.size(); ++i)
      if (static_cast<int>(i) != best && Covers(spells_[i], m) && !spells_[i].side &&
          !spells_[best].side && spells_[i].start == spells_[best].start)
        *tie = true;
    loc.spell = best;
    const Spell& s = spells_[best];
    if (s.country_empty) {
      loc.fallback = true;
      loc.country = profile_country_;
    } else {
      loc.country = s.country;
    }
    if (loc.country < 0) loc.spell = -1;  // not planted: no location at all
    return loc;
  }

  void Evaluate() {
    TruthPartial& t = *truth_;
    const Month B = p_.before, A = p_.after;
    bool side_b, side_a, tie_b, tie_a;
    Location lb = LocateAt(B, &side_b, &tie_b);
    Location la = LocateAt(A, &side_a, &tie_a);
    if (side_b || side_a) t.plants[static_cast<int>(Plant::kSideRoleAtSnapshot)]++;
    if (tie_b || tie_a) t.plants[static_cast<int>(Plant::kSameStartTie)]++;
    const int T = g_.target_;
    PersonClass got;
    if (lb.spell < 0 && la.spell < 0) {
      got = PersonClass::kUnknownBoth;
    } else if (lb.spell < 0) {
      got = PersonClass::kUnknownBefore;
    } else if (la.spell < 0) {
      got = PersonClass::kUnknownAfter;
    } else {
      bool in_b = lb.country == T, in_a = la.country == T;
      got = in_b ? (in_a ? PersonClass::kStayer : PersonClass::kLeaver)
                 : (in_a ? PersonClass::kJoiner : PersonClass::kOutside);
    }
    if (got != cls_ || (lb.spell >= 0 && lb.country != cb_) || (la.spell >= 0 && la.country != ca_))
      t.self_check_mismatches++;
    const int ci = static_cast<int>(got);
    t.persons++;
    t.classes[ci]++;
    if (lb.fallback) t.fallback_before++;
    if (la.fallback) t.fallback_after++;

    if (ci <= static_cast<int>(PersonClass::kOutside)) {
      int fb = FirmOf(spells_[lb.spell].company), fa = FirmOf(spells_[la.spell].company);
      SameCompany sc = (fb < 0 || fa < 0)
                           ? SameCompany::kUnknown
                           : (fb == fa ? SameCompany::kSame : SameCompany::kDifferent);
      t.same_company[ci][static_cast<int>(sc)]++;
    }
    if (got == PersonClass::kJoiner) t.join_from[lb.country]++;
    if (got == PersonClass::kLeaver) t.leave_to[la.country]++;

    for (const Location* loc : {&lb, &la}) {
      if (loc->spell < 0) continue;
      const Spell& s = spells_[loc->spell];
      Month m = loc == &lb ? B : A;
      if (s.end == m) t.plants[static_cast<int>(Plant::kEndAtSnapshot)]++;
      if (s.start == m) t.plants[static_cast<int>(Plant::kStartAtSnapshot)]++;
      if (s.executive) t.plants[static_cast<int>(Plant::kExecutivePrimary)]++;
    }
    if (lb.spell >= 0) {
      int f = FirmOf(spells_[lb.spell].company);
      if (f >= 0) {
        t.firms[f].countries_before |= uint64_t{1} << lb.country;
        if (lb.country == T) t.firms[f].in_place_before++;
      }
    }
    if (la.spell >= 0) {
      const Spell& s = spells_[la.spell];
      int f = FirmOf(s.company);
      if (f >= 0 && la.country == T) t.firms[f].in_place_after++;
      size_t slot = la.fallback || s.metro < 0 ? ref_.metros.size() + la.country
                                               : static_cast<size_t>(s.metro);
      t.located_after[slot]++;
      bool bachelor_plus = false, mba = false, doctor = false, founder = false;
      for (const EduRow& e : edu_) {
        Deg d = e.degree->category;
        bachelor_plus |=
            d == Deg::kBachelor || d == Deg::kMaster || d == Deg::kMba || d == Deg::kDoctor;
        mba |= d == Deg::kMba;
        doctor |= d == Deg::kDoctor;
      }
      for (const Spell& sp : spells_)
        founder |= sp.title >= 0 && ref_.titles[sp.title].kind == TitleKind::kFounder;
      t.located_traits[slot][0] += bachelor_plus;
      t.located_traits[slot][1] += mba;
      t.located_traits[slot][2] += doctor;
      t.located_traits[slot][3] += founder;
    }
    if (ka_ && profile_country_ >= 0 && profile_country_ != ca_)
      t.plants[static_cast<int>(Plant::kStaleProfile)]++;

    // Age rule (spec s.5), on the used rows.
    AgeRule rule = AgeRule::kUnknown;
    int est = 0;
    if (write_birth_year_) {
      rule = AgeRule::kBirthYear;
      est = birth_year_;
    } else {
      Month bs = kNoMonth, be = kNoMonth;
      for (const EduRow& e : edu_) {
        if (e.degree->category != Deg::kBachelor) continue;
        if (e.start != kNoMonth && (bs == kNoMonth || e.start < bs)) bs = e.start;
        if (e.end != kNoMonth && (be == kNoMonth || e.end < be)) be = e.end;
      }
      Month first = kNoMonth;
      for (const Spell& s : spells_)
        if (first == kNoMonth || s.start < first) first = s.start;
      if (bs != kNoMonth) {
        rule = AgeRule::kBachelorStart;
        est = YearOf(bs) - 18;
      } else if (be != kNoMonth) {
        rule = AgeRule::kBachelorEnd;
        est = YearOf(be) - 22;
      } else if (first != kNoMonth) {
        rule = AgeRule::kFirstPosition;
        est = YearOf(first) - 22;
      }
    }
    t.age_rule[ci][static_cast<int>(rule)]++;
    if (ci <= static_cast<int>(PersonClass::kOutside) && rule != AgeRule::kUnknown) {
      int age = YearOf(A) - est;
      int band = age < 25 ? 0 : std::min(8, (age - 25) / 5 + 1);
      t.age_bands[band][ci]++;
    }
    if (ci <= static_cast<int>(PersonClass::kLeaver)) {
      auto& mo = t.moments[ci];
      int age = YearOf(A) - est;
      bool age_known = rule != AgeRule::kUnknown;
      if (age_known) mo[static_cast<int>(PersonVar::kAge)].Add(age);
      const Spell& sa = spells_[la.spell];
      if (sa.salary >= 0)
        mo[static_cast<int>(PersonVar::kSalary)].Add(static_cast<double>(sa.salary));
      mo[static_cast<int>(PersonVar::kAsian)].Add(asian_ ? 1 : 0);
      if (connections_ >= 0) {
        mo[static_cast<int>(PersonVar::kConnections)].Add(static_cast<double>(connections_));
        if (age_known && age > 0)
          mo[static_cast<int>(PersonVar::kConnectionsPerAge)].Add(
              static_cast<double>(connections_) / age);
      }
    }
    for (const Spell& s : spells_) {
      if (s.country_empty) t.plants[static_cast<int>(Plant::kEmptyCountryPosition)]++;
      if (s.end == kNoMonth) t.plants[static_cast<int>(Plant::kOpenSpell)]++;
      if (s.end != kNoMonth && s.end > p_.cutoff)
        t.plants[static_cast<int>(Plant::kEndAfterCutoff)]++;
      if (s.title_where == 1) t.plants[static_cast<int>(Plant::kTitleOnlyInRaw)]++;
      if (s.company >= 0 && !s.parent_in_column && !g_.companies_[s.company].parent_rcid.empty())
        t.plants[static_cast<int>(Plant::kParentOnlyInMapping)]++;
    }
  }

  // ---- writing ------------------------------------------------------------

  void UserFields(RowFields& r, const std::string& id) {
    r.Reset(9);
    r.f[0] = id;
    if (profile_country_ >= 0) {
      const SynthCountry& c = ref_.countries[profile_country_];
      r.f[2] = c.name;
      const std::vector<int>& metros = c.metros;
      r.f[1] = metros.empty() || ref_.metros[metros[0]].metro_area.empty()
                   ? c.name
                   : ref_.metros[metros[0]].metro_area + ", " + c.name;
    } else if (rng_.Chance(0.5)) {
      r.f[1] = "Earth";
    }
    AppendMonth(r.f[3], updated_, 0);
    if (connections_ >= 0) AppendInt(r.f[4], connections_);
    r.f[5] = HighestDegreeName(degree_);
    r.f[6] =
        asian_ ? (ethnicity_roll_ < 0.85 ? "Asian" : (ethnicity_roll_ < 0.95 ? "api" : "ASIAN"))
               : (ethnicity_roll_ < 0.6
                      ? "White"
                      : (ethnicity_roll_ < 0.75 ? "Hispanic"
                                                : (ethnicity_roll_ < 0.85 ? "Black" : "Multiple")));
    r.f[7] = female_ ? "F" : "M";
    if (write_birth_year_) AppendInt(r.f[8], birth_year_);
  }

  void EmitUser() {
    ethnicity_roll_ = rng_.Uniform();
    female_ = rng_.Chance(0.45);
    RowFields& r = scratch_;
    UserFields(r, user_id_);
    size_t at = out_->users.size();
    AppendRow(out_->users, r, Malform::kNone, 0);
    truth_->CountRow(Table::kUser, Fate::kUsed);
    if (rng_.Chance(0.004 * x_)) {
      RepeatTail(out_->users, at);
      truth_->CountRow(Table::kUser, Fate::kCollapsed);
    }
    if (rng_.Chance(0.0005 * x_)) {
      // Same user_id, bad updated_dt: quarantined by rule 3 before
      // duplicates are looked at, so the good row stays used.
      UserFields(r, user_id_);
      r.f[3] = "2022-13";
      AppendRow(out_->users, r, Malform::kNone, 0);
      truth_->CountRow(Table::kUser, Fate::kBadDate);
      truth_->plants[static_cast<int>(Plant::kSameIdBadRow)]++;
    }
    if (rng_.Chance(0.0005 * x_)) {
      UserFields(r, user_id_);
      AppendRow(out_->users, r, RandomMalform(), 1);
      truth_->CountRow(Table::kUser, Fate::kMalformedRow);
    }
  }

  Malform RandomMalform() {
    switch (rng_.Range(0, 4)) {
      case 0:
        return Malform::kTooFew;
      case 1:
        return Malform::kTooMany;
      case 2:
        return Malform::kQuoteInside;
      case 3:
        return Malform::kTextAfterQuote;
      default:
        return Malform::kBadUtf8;
    }
  }

  void PositionFields(RowFields& r, const Spell& s, const std::string& user_id) {
    r.Reset(16);
    r.f[0] = s.id;
    r.f[1] = user_id;
    if (s.company >= 0) {
      const SynthCompany& c = g_.companies_[s.company];
      r.f[2] = c.name;
      r.f[3] = c.rcid;
      if (s.parent_in_column) r.f[4] = c.parent_rcid;
    }
    if (s.title >= 0 && s.title_where != 1) r.f[5] = ref_.titles[s.title].text;
    AppendMonth(r.f[6], s.start, s.day);
    if (s.end != kNoMonth) AppendMonth(r.f[7], s.end, s.day);
    if (!s.country_empty) {
      const SynthCountry& c = ref_.countries[s.country];
      if (s.country_style == 1) {
        r.f[8] = UpperAscii(c.name);
      } else if (s.country_style == 2) {
        r.f[8] = " " + c.name + " ";
      } else {
        r.f[8] = c.name;
      }
      if (s.metro >= 0) {
        const SynthMetro& m = ref_.metros[s.metro];
        r.f[9] = m.state;
        r.f[10] = m.metro_area;
        r.f[11] = m.city;
      }
      r.f[12] = c.region;
    }
    AppendInt(r.f[13], s.seniority);
    if (s.salary >= 0) {
      AppendInt(r.f[14], s.salary);
      if (s.salary_decimals) r.f[14] += ".00";
    }
    fmt::format_to(std::back_inserter(r.f[15]), "{}.{:03d}", s.weight_milli / 1000,
                   s.weight_milli % 1000);
  }

  void RawFields(RowFields& r, const Spell& s, const std::string& user_id) {
    r.Reset(5);
    r.f[0] = s.id;
    r.f[1] = user_id;
    if (s.title >= 0) r.f[2] = ref_.titles[s.title].text;
    if (s.company >= 0) {
      const SynthCompany& c = g_.companies_[s.company];
      r.f[3] = c.multinational >= 0 && s.seniority % 2 == 0 ? "\"" + c.name + "\" (group)" : c.name;
    }
    if (!s.country_empty) {
      const SynthCountry& c = ref_.countries[s.country];
      const std::string& city = s.metro >= 0 ? ref_.metros[s.metro].city : std::string();
      r.f[4] = city.empty() ? c.name : city + (s.location_newline ? ",\n" : ", ") + c.name;
    }
  }

  // One row to write for positions, in the user's shuffled order.
  struct PositionRowJob {
    enum Kind { kSpell, kConflictA, kConflictB, kSameIdBad, kFresh, kOrphan, kMalformed } kind;
    int spell = 0;
    Fate fate = Fate::kUsed;
  };

  void EmitPositions() {
    std::vector<PositionRowJob> jobs;
    for (size_t i = 0; i < spells_.size(); ++i) {
      jobs.push_back({PositionRowJob::kSpell, static_cast<int>(i), Fate::kUsed});
      for (int d = 0; d < spells_[i].dups; ++d)
        jobs.push_back({PositionRowJob::kSpell, static_cast<int>(i), Fate::kCollapsed});
    }
    // Conflicting duplicate on a decoy position: would move the person if a
    // reader kept either row, but both are quarantined.
    Spell decoy;
    if (rng_.Chance(0.002 * x_) && (kb_ || ka_)) {
      Month at = kb_ ? p_.before : p_.after;
      int pi = MainAt(at);
      if (pi >= 0) {
        decoy = MakeSpell(std::min<Month>(at, main_[pi].start + 1), kNoMonth,
                          DrawOutsideCountry(at == p_.before ? cb_ : ca_), -1);
        decoy.company = DrawCompany(decoy.country);
        decoy.id = NextPositionId(false);
        jobs.push_back({PositionRowJob::kConflictA, -1, Fate::kConflictingDuplicate});
        jobs.push_back({PositionRowJob::kConflictB, -1, Fate::kConflictingDuplicate});
      }
    }
    if (!spells_.empty() && rng_.Chance(0.001 * x_)) {
      int i = static_cast<int>(rng_.Range(0, spells_.size() - 1));
      jobs.push_back({PositionRowJob::kSameIdBad, i, Fate::kNoStart});
      truth_->plants[static_cast<int>(Plant::kSameIdBadRow)]++;
    }
    static constexpr Fate kFreshFates[] = {
        Fate::kBadDate,     Fate::kBadNumber,      Fate::kNoStart,   Fate::kBefore1950,
        Fate::kAfterCutoff, Fate::kEndBeforeStart, Fate::kMissingKey};
    for (Fate f : kFreshFates)
      if (rng_.Chance(0.0008 * x_)) jobs.push_back({PositionRowJob::kFresh, -1, f});
    if (rng_.Chance(0.001 * x_)) jobs.push_back({PositionRowJob::kOrphan, -1, Fate::kUnknownUser});
    if (!spells_.empty() && rng_.Chance(0.0015 * x_))
      jobs.push_back({PositionRowJob::kMalformed,
                      static_cast<int>(rng_.Range(0, spells_.size() - 1)), Fate::kMalformedRow});
    for (size_t i = jobs.size(); i > 1; --i) std::swap(jobs[i - 1], jobs[rng_.Range(0, i - 1)]);

    RowFields& r = scratch_;
    for (const PositionRowJob& job : jobs) {
      switch (job.kind) {
        case PositionRowJob::kSpell:
          PositionFields(r, spells_[job.spell], user_id_);
          AppendRow(out_->positions, r, Malform::kNone, 0);
          break;
        case PositionRowJob::kConflictA:
        case PositionRowJob::kConflictB:
          PositionFields(r, decoy, user_id_);
          if (job.kind == PositionRowJob::kConflictB) r.f[5] = "Senior Vice President";
          AppendRow(out_->positions, r, Malform::kNone, 0);
          break;
        case PositionRowJob::kSameIdBad:
          PositionFields(r, spells_[job.spell], user_id_);
          r.f[6].clear();
          AppendRow(out_->positions, r, Malform::kNone, 0);
          break;
        case PositionRowJob::kFresh:
          FreshQuarantinedPosition(r, job.fate);
          AppendRow(out_->positions, r, Malform::kNone, 0);
          break;
        case PositionRowJob::kOrphan: {
          Spell s = MakeSpell(p_.before - 12, kNoMonth, DrawOutsideCountry(), -1);
          s.id = NextPositionId(false);
          PositionFields(r, s, fmt::format("98{:011d}", index_));
          AppendRow(out_->positions, r, Malform::kNone, 0);
          break;
        }
        case PositionRowJob::kMalformed:
          PositionFields(r, spells_[job.spell], user_id_);
          AppendRow(out_->positions, r, RandomMalform(), 5);
          break;
      }
      truth_->CountRow(Table::kPositions, job.fate);
    }

    // individual_positions_raw: titles (some only here), with messes.
    for (const Spell& s : spells_) {
      if (s.title_where == 0) continue;
      RawFields(r, s, user_id_);
      size_t at = out_->raw.size();
      AppendRow(out_->raw, r, Malform::kNone, 0);
      truth_->CountRow(Table::kRaw, Fate::kUsed);
      if (rng_.Chance(0.003 * x_)) {
        RepeatTail(out_->raw, at);
        truth_->CountRow(Table::kRaw, Fate::kCollapsed);
      }
    }
    if (rng_.Chance(0.0008 * x_)) {
      // Conflicting raw titles for an id no position uses.
      Spell s = MakeSpell(p_.before, kNoMonth, DrawOutsideCountry(), -1);
      s.id = fmt::format("55{:020d}", static_cast<uint64_t>(index_) * 64 + (slot_++ & 63));
      RawFields(r, s, user_id_);
      AppendRow(out_->raw, r, Malform::kNone, 0);
      RawFields(r, s, user_id_);
      r.f[2] = "Board Member";
      AppendRow(out_->raw, r, Malform::kNone, 0);
      truth_->CountRow(Table::kRaw, Fate::kConflictingDuplicate, 2);
    }
    if (!spells_.empty() && rng_.Chance(0.0003 * x_)) {
      RawFields(r, spells_[0], user_id_);
      r.f[0] = " ";
      AppendRow(out_->raw, r, Malform::kNone, 0);
      truth_->CountRow(Table::kRaw, Fate::kMissingKey);
    }
    if (!spells_.empty() && rng_.Chance(0.0005 * x_)) {
      RawFields(r, spells_[0], user_id_);
      AppendRow(out_->raw, r, RandomMalform(), 2);
      truth_->CountRow(Table::kRaw, Fate::kMalformedRow);
    }
    if (index_ == 0 && x_ > 0 && !spells_.empty()) {
      // One field longer than 1 MiB per dataset.
      RawFields(r, spells_[0], user_id_);
      AppendRow(out_->raw, r, Malform::kHuge, 2);
      truth_->CountRow(Table::kRaw, Fate::kMalformedRow);
    }
  }

  void FreshQuarantinedPosition(RowFields& r, Fate fate) {
    const Month B = p_.before;
    Spell s = MakeSpell(B - 30, B - 20, DrawOutsideCountry(), -1);
    s.company = DrawCompany(s.country);
    s.id = NextPositionId(false);
    s.day = 0;
    PositionFields(r, s, user_id_);
    switch (fate) {
      case Fate::kBadDate: {
        static constexpr const char* kBad[] = {"2019-13", "2019/05", "May 2019", "2019-00"};
        (rng_.Chance(0.5) ? r.f[6] : r.f[7]) = kBad[rng_.Range(0, 3)];
        break;
      }
      case Fate::kBadNumber: {
        int which = static_cast<int>(rng_.Range(0, 2));
        if (which == 0) r.f[14] = "USD 55k";
        if (which == 1) r.f[13] = "senior";
        if (which == 2) r.f[15] = "n/a";
        break;
      }
      case Fate::kNoStart:
        r.f[6].clear();
        break;
      case Fate::kBefore1950:
        r.f[6].clear();
        AppendMonth(r.f[6], MakeMonth(1940 + static_cast<int>(rng_.Range(0, 9)), 3), 0);
        r.f[7].clear();
        AppendMonth(r.f[7], MakeMonth(1951, 6), 0);
        break;
      case Fate::kAfterCutoff:
        r.f[6].clear();
        AppendMonth(r.f[6], p_.cutoff + static_cast<Month>(rng_.Range(1, 8)), 0);
        r.f[7].clear();
        break;
      case Fate::kEndBeforeStart:
        r.f[7].clear();
        AppendMonth(r.f[7], s.start - static_cast<Month>(rng_.Range(1, 24)), 0);
        break;
      case Fate::kMissingKey:
        if (rng_.Chance(0.5)) {
          r.f[0] = rng_.Chance(0.5) ? "" : "   ";
        } else {
          r.f[1] = "";
        }
        break;
      default:
        break;
    }
  }

  void EducationFields(RowFields& r, const EduRow& e, const std::string& user_id) {
    r.Reset(9);
    r.f[0] = user_id;
    if (e.number >= 0) AppendInt(r.f[1], e.number);
    const SynthUniversity& u = ref_.universities[e.university];
    r.f[2] = u.name;
    if (e.rsid) AppendInt(r.f[3], 300000 + e.university);
    r.f[4] = ref_.countries[u.country].name;
    r.f[5] = e.degree->text;
    r.f[6] = ref_.fields_of_study[e.field];
    if (e.start != kNoMonth) AppendMonth(r.f[7], e.start, 1);
    if (e.end != kNoMonth) AppendMonth(r.f[8], e.end, 28 - (e.end % 3));
  }

  void EmitEducation() {
    RowFields& r = scratch_;
    for (const EduRow& e : edu_) {
      EducationFields(r, e, user_id_);
      size_t at = out_->education.size();
      AppendRow(out_->education, r, Malform::kNone, 0);
      truth_->CountRow(Table::kEducation, Fate::kUsed);
      for (int d = 0; d < e.dups; ++d) {
        RepeatTail(out_->education, at);
        truth_->CountRow(Table::kEducation, Fate::kCollapsed);
      }
    }
    if (edu_.empty()) return;
    const EduRow& e0 = edu_[0];
    if (rng_.Chance(0.0005 * x_)) {
      EducationFields(r, e0, user_id_);
      r.f[7] = "2015-13-01";
      AppendRow(out_->education, r, Malform::kNone, 0);
      truth_->CountRow(Table::kEducation, Fate::kBadDate);
    }
    if (rng_.Chance(0.0005 * x_)) {
      EducationFields(r, e0, user_id_);
      r.f[1] = "first";
      AppendRow(out_->education, r, Malform::kNone, 0);
      truth_->CountRow(Table::kEducation, Fate::kBadNumber);
    }
    if (rng_.Chance(0.0005 * x_)) {
      EducationFields(r, e0, user_id_);
      r.f[0] = "  ";
      AppendRow(out_->education, r, Malform::kNone, 0);
      truth_->CountRow(Table::kEducation, Fate::kMissingKey);
    }
    if (rng_.Chance(0.0005 * x_)) {
      EducationFields(r, e0, fmt::format("98{:011d}", index_));
      AppendRow(out_->education, r, Malform::kNone, 0);
      truth_->CountRow(Table::kEducation, Fate::kUnknownUser);
    }
    if (rng_.Chance(0.0005 * x_)) {
      EducationFields(r, e0, user_id_);
      AppendRow(out_->education, r, RandomMalform(), 2);
      truth_->CountRow(Table::kEducation, Fate::kMalformedRow);
    }
  }

  // Users quarantined on purpose, with rows that then count as unknown_user.
  void EmitDecoys() {
    if (!rng_.Chance(0.002 * x_)) return;
    truth_->plants[static_cast<int>(Plant::kDecoyUser)]++;
    std::string id = fmt::format("99{:011d}", index_);
    RowFields& r = scratch_;
    int kind = static_cast<int>(rng_.Range(0, 3));
    UserFields(r, id);
    switch (kind) {
      case 0: {
        // Conflicting duplicates; one row's updated_dt is after the cutoff,
        // which must not move the default cutoff (only used users count).
        r.f[3].clear();
        AppendMonth(r.f[3], p_.cutoff + 2, 0);
        AppendRow(out_->users, r, Malform::kNone, 0);
        UserFields(r, id);
        r.f[4] = "17";
        AppendRow(out_->users, r, Malform::kNone, 0);
        truth_->CountRow(Table::kUser, Fate::kConflictingDuplicate, 2);
        break;
      }
      case 1:
        r.f[3] = "2023/01";
        AppendRow(out_->users, r, Malform::kNone, 0);
        truth_->CountRow(Table::kUser, Fate::kBadDate);
        break;
      case 2:
        if (rng_.Chance(0.5)) {
          r.f[4] = "500+";
        } else {
          r.f[8] = "19x5";
        }
        AppendRow(out_->users, r, Malform::kNone, 0);
        truth_->CountRow(Table::kUser, Fate::kBadNumber);
        break;
      default:
        r.f[0] = "";
        AppendRow(out_->users, r, Malform::kNone, 0);
        truth_->CountRow(Table::kUser, Fate::kMissingKey);
        break;
    }
    int positions = static_cast<int>(rng_.Range(1, 2));
    for (int i = 0; i < positions; ++i) {
      Spell s = MakeSpell(p_.before - 24 + i * 30, i == positions - 1 ? kNoMonth : p_.before + 5,
                          rng_.Chance(0.5) ? g_.target_ : DrawOutsideCountry(), -1);
      s.company = DrawCompany(s.country);
      s.id = NextPositionId(false);
      PositionFields(r, s, id);
      AppendRow(out_->positions, r, Malform::kNone, 0);
      truth_->CountRow(Table::kPositions, Fate::kUnknownUser);
    }
    if (!edu_.empty()) {
      EducationFields(r, edu_[0], id);
      AppendRow(out_->education, r, Malform::kNone, 0);
      truth_->CountRow(Table::kEducation, Fate::kUnknownUser);
    }
  }

  const Generator& g_;
  const SynthReference& ref_;
  const SynthParams& p_;
  int64_t index_;
  Rng rng_;
  UserBuffers* out_;
  TruthPartial* truth_;
  double x_;  // mess rate
  std::string user_id_;
  std::vector<double> outside_w_;
  PersonClass cls_ = PersonClass::kOutside;
  int cb_ = -1, ca_ = -1;
  bool kb_ = false, ka_ = false, same_ = false, linked_ = false;
  int birth_year_ = 1990;
  bool write_birth_year_ = false;
  int age_path_ = 0;
  bool asian_ = false;
  bool female_ = false;
  double ethnicity_roll_ = 0;
  int64_t connections_ = 0;
  double salary_median_ = 50000;
  Deg degree_ = Deg::kBachelor;
  Month career_ = 0;
  int company_b_ = -1, company_a_ = -1;
  std::vector<Spell> main_, extras_, spells_;
  std::vector<EduRow> edu_;
  int profile_country_ = -1;
  Month updated_ = 0;
  unsigned slot_ = 0;
  RowFields scratch_;
};

void Generator::GenerateUser(int64_t index, UserBuffers* out, TruthPartial* truth) const {
  PersonBuilder builder(*this, index, out, truth);
  builder.Run();
}

void Generator::GenerateCompanyMapping(std::string* out, TruthPartial* truth) const {
  Rng rng = Rng::Seeded(params_.seed, 0, 0xC0FFEE);
  RowFields r;
  auto fields = [&](const SynthCompany& c) {
    r.Reset(4);
    r.f[0] = c.rcid;
    r.f[1] = c.name;
    r.f[2] = c.parent_rcid;
    r.f[3] = c.country >= 0 ? ref_.countries[c.country].name : "";
  };
  const double x = params_.mess_rate;
  int64_t dup_every = x > 0 ? static_cast<int64_t>(std::max(50.0, 500.0 / x)) : 0;
  for (size_t i = 0; i < companies_.size(); ++i) {
    fields(companies_[i]);
    std::string row;
    AppendRow(row, r, Malform::kNone, 0);
    *out += row;
    truth->CountRow(Table::kMapping, Fate::kUsed);
    if (dup_every > 0 && static_cast<int64_t>(i) % dup_every == 7) {
      *out += row;
      truth->CountRow(Table::kMapping, Fate::kCollapsed);
    }
  }
  if (x <= 0) return;
  int decoys = std::max(1, static_cast<int>(std::lround(3 * x)));
  for (int d = 0; d < decoys; ++d) {
    // rcids no position uses, with two different contents each.
    SynthCompany c;
    c.rcid = fmt::format_int(9000000 + d).str();
    c.name = fmt::format("Shell Company {}", d);
    c.parent_rcid = c.rcid;
    c.country = target_;
    fields(c);
    AppendRow(*out, r, Malform::kNone, 0);
    c.parent_rcid = companies_[0].rcid;
    fields(c);
    AppendRow(*out, r, Malform::kNone, 0);
    truth->CountRow(Table::kMapping, Fate::kConflictingDuplicate, 2);
    fields(companies_[rng.Range(0, companies_.size() - 1)]);
    r.f[0] = " ";
    AppendRow(*out, r, Malform::kNone, 0);
    truth->CountRow(Table::kMapping, Fate::kMissingKey);
    fields(companies_[rng.Range(0, companies_.size() - 1)]);
    AppendRow(*out, r, d % 2 == 0 ? Malform::kTooMany : Malform::kTextAfterQuote, 1);
    truth->CountRow(Table::kMapping, Fate::kMalformedRow);
  }
}

}  // namespace talentflow::synth
