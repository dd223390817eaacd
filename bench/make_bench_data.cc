// make_bench_data: writes a Revelio-layout dataset of N users for the ingest
// benchmark (bench/ingest_bench.sh). It is a throughput workload, not a
// calibrated synthetic population (that is `talentflow synth`): values are
// drawn from fixed vocabularies with a fixed seed so runs are repeatable, and
// rows look like real extracts in size and shape (quoted titles with commas,
// 24-digit position ids, open spells, Chinese place names).
//
// Usage: make_bench_data USERS OUT_DIR
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

const char* const kCountries[] = {
    "Hong Kong", "United Kingdom", "United States", "Singapore", "China",
    "Australia", "Canada",         "Japan",         "Germany",   "香港"};
const char* const kCities[] = {"Hong Kong", "London", "New York", "Singapore", "Shanghai", "Sydney",
                               "Toronto",   "Tokyo",  "Berlin",   "Shenzhen",  "深圳"};
const char* const kRegions[] = {"Asia", "Europe", "Northern America", "Oceania"};
const char* const kWords[] = {"Senior",    "Software", "Engineer",   "Manager",        "Director",
                              "Sales",     "Analyst",  "Associate",  "Vice President", "Head",
                              "Marketing", "Finance",  "Operations", "Consultant",     "Lead"};
const char* const kDegrees[] = {"Bachelor", "Master",      "MBA",       "PhD", "BSc",
                                "",         "High School", "Associate", "MSc", "Diploma"};
const char* const kUnis[] = {"The University of Hong Kong",
                             "香港科技大學",
                             "National University of Singapore",
                             "University of Oxford",
                             "Massachusetts Institute of Technology",
                             "Peking University",
                             "University of Toronto"};

template <size_t N>
const char* Pick(std::mt19937_64& rng, const char* const (&arr)[N]) {
  return arr[rng() % N];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_bench_data USERS OUT_DIR\n");
    return 2;
  }
  long users = std::atol(argv[1]);
  std::filesystem::path out = argv[2];
  std::filesystem::create_directories(out);
  std::mt19937_64 rng(20240601);
  FILE* fu = std::fopen((out / "individual_user.csv").c_str(), "w");
  FILE* fp = std::fopen((out / "individual_positions.csv").c_str(), "w");
  FILE* fe = std::fopen((out / "individual_user_education.csv").c_str(), "w");
  if (!fu || !fp || !fe) return 1;
  std::setvbuf(fp, nullptr, _IOFBF, 1 << 22);
  std::fprintf(fu,
               "user_id,user_location,user_country,updated_dt,numconnections,highest_degree,"
               "ethnicity_predicted,sex_predicted,birth_year\n");
  std::fprintf(fp,
               "user_id,position_id,startdate,enddate,country,metro_area,city,state,region,rcid,"
               "ultimate_parent_rcid,seniority,salary,weight,title_raw\n");
  std::fprintf(fe,
               "user_id,university_name,degree,education_number,rsid,university_country,field,"
               "startdate,enddate\n");
  unsigned long long position = 100000000000000000ULL;
  for (long u = 0; u < users; ++u) {
    unsigned long long uid = 100000000ULL + static_cast<unsigned long long>(u) * 7919ULL;
    std::fprintf(fu, "%llu,%s,%s,2023-%02d-01,%d,%s,%s,%s,%d\n", uid, Pick(rng, kCities),
                 Pick(rng, kCountries), static_cast<int>(1 + rng() % 6),
                 static_cast<int>(rng() % 2000), Pick(rng, kDegrees),
                 (rng() % 2) ? "Asian" : "White", (rng() % 2) ? "F" : "M",
                 static_cast<int>(1958 + rng() % 45));
    int npos = 1 + static_cast<int>(rng() % 9);
    int year = 1985 + static_cast<int>(rng() % 30);
    for (int k = 0; k < npos; ++k) {
      int sy = year + k * 2, sm = 1 + static_cast<int>(rng() % 12);
      bool open = k == npos - 1 && rng() % 2 == 0;
      char end[16] = "";
      if (!open)
        std::snprintf(end, sizeof end, "%04d-%02d", sy + 1 + static_cast<int>(rng() % 3), sm);
      unsigned rcid = static_cast<unsigned>(rng() % 500000);
      const char* w1 = Pick(rng, kWords);
      const char* w2 = Pick(rng, kWords);
      bool quoted = rng() % 4 == 0;
      std::fprintf(fp,
                   "%llu,%llu%06u,%04d-%02d-01,%s,%s,%s Metropolitan Area,%s,,%s,%u,%u,%d,%.2f,"
                   "%.4f,%s%s %s%s%s\n",
                   uid, ++position, static_cast<unsigned>(rng() % 1000000), sy, sm, end,
                   Pick(rng, kCountries), Pick(rng, kCities), Pick(rng, kCities),
                   Pick(rng, kRegions), rcid, rcid / 10, 1 + static_cast<int>(rng() % 7),
                   20000.0 + static_cast<double>(rng() % 300000), (rng() % 10000) / 1000.0,
                   quoted ? "\"" : "", w1, w2, quoted ? ", APAC" : "", quoted ? "\"" : "");
    }
    int nedu = static_cast<int>(rng() % 4);
    for (int k = 0; k < nedu; ++k) {
      std::fprintf(fe, "%llu,%s,%s,%d,%u,%s,Economics,%04d-09,%04d-06\n", uid, Pick(rng, kUnis),
                   Pick(rng, kDegrees), k + 1, static_cast<unsigned>(rng() % 10000),
                   Pick(rng, kCountries), year - 4 + k, year + k);
    }
  }
  std::fclose(fu);
  std::fclose(fp);
  std::fclose(fe);
  return 0;
}
