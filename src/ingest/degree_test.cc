#include "ingest/internal/degree.h"

#include <gtest/gtest.h>

namespace talentflow::ingest_internal {
namespace {

TEST(DegreeTest, NormalisationTable) {
  struct Case {
    const char* raw;
    Degree want;
  };
  const Case cases[] = {
      {"Bachelor", Degree::kBachelor},
      {"bachelors", Degree::kBachelor},
      {"Bachelor's", Degree::kBachelor},
      {"Bachelor\xE2\x80\x99s", Degree::kBachelor},
      {"B.A.", Degree::kBachelor},
      {"BS", Degree::kBachelor},
      {" B.Sc. ", Degree::kBachelor},
      {"BEng", Degree::kBachelor},
      {"BBA", Degree::kBachelor},
      {"Undergraduate", Degree::kBachelor},
      {"MASTER", Degree::kMaster},
      {"Masters", Degree::kMaster},
      {"master's", Degree::kMaster},
      {"M.A.", Degree::kMaster},
      {"MS", Degree::kMaster},
      {"M.Sc", Degree::kMaster},
      {"MEng", Degree::kMaster},
      {"MPhil", Degree::kMaster},
      {"MBA", Degree::kMba},
      {"e.m.b.a.", Degree::kMba},
      {"Doctor", Degree::kDoctor},
      {"Doctorate", Degree::kDoctor},
      {"doctoral", Degree::kDoctor},
      {"Ph.D.", Degree::kDoctor},
      {"DPhil", Degree::kDoctor},
      {"MD", Degree::kOther},
      {"J.D.", Degree::kOther},
      {"Associate", Degree::kAssociate},
      {"associates", Degree::kAssociate},
      {"High School", Degree::kHighSchool},
      {"HIGH SCHOOL", Degree::kHighSchool},
      {"Secondary", Degree::kHighSchool},
      {"", Degree::kNone},
      {"   ", Degree::kNone},
      {"Diploma", Degree::kOther},
      {"學士", Degree::kOther},
      {"Bachelor of Arts", Degree::kOther},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeDegree(c.raw), c.want) << c.raw;
}

TEST(DegreeTest, Names) {
  EXPECT_EQ(DegreeName(Degree::kMba), "MBA");
  EXPECT_EQ(DegreeName(Degree::kHighSchool), "High School");
  EXPECT_EQ(DegreeName(Degree::kOther), "other");
  EXPECT_EQ(DegreeName(Degree::kNone), "none");
}

}  // namespace
}  // namespace talentflow::ingest_internal
