#include "rules/person.h"

#include <gtest/gtest.h>

namespace talentflow::rules {
namespace {

using nlohmann::json;

Status ParseError(const char* text) {
  StatusOr<Person> person = ParsePersonJson(json::parse(text), "p.json");
  return person.ok() ? Status::Ok() : person.status();
}

TEST(PersonTest, ParsesAllStructuredParts) {
  StatusOr<Person> person = ParsePersonJson(json::parse(R"({
    "id": "x", "birth_date": "1990-05-01", "nationality": "GB",
    "degrees": [{"level": "master", "institution": "ETH Zurich", "country": "CH",
                 "graduation_date": "2015-06-30", "stem": true}],
    "jobs": [{"start": "2015-09", "end": "2020-12-31", "senior": true}],
    "annual_income_hkd": 1000000, "languages_good": ["english", "chinese"]})"),
                                            "p.json");
  ASSERT_TRUE(person.ok()) << person.status().message();
  EXPECT_EQ(person->degrees->at(0).graduation_year, 2015);
  EXPECT_EQ(FormatMonth(*person->jobs->at(0).end), "2020-12");
  FieldSet fields = ResolveFields(*person, *ParseDate("2025-04-30"));
  EXPECT_EQ(std::get<NumRange>(*fields["age"].value), (NumRange{34, 34}));
  EXPECT_EQ(std::get<std::string>(*fields["highest_degree"].value), "master");
  EXPECT_EQ(std::get<bool>(*fields["chinese_good"].value), true);
  EXPECT_EQ(std::get<NumRange>(*fields["languages_good_count"].value), (NumRange{2, 2}));
  EXPECT_FALSE(fields["monthly_salary_sgd"].value.has_value());
}

TEST(PersonTest, BirthYearGivesAgeRange) {
  StatusOr<Person> person = ParsePersonJson(json::parse(R"({"birth_year": 1984})"), "p.json");
  ASSERT_TRUE(person.ok());
  FieldSet fields = ResolveFields(*person, *ParseDate("2024-06-01"));
  EXPECT_EQ(std::get<NumRange>(*fields["age"].value), (NumRange{39, 40}));
}

TEST(PersonTest, ErrorsNameTheField) {
  EXPECT_EQ(ParseError(R"({"salary": 5})").message(),
            "p.json: field \"salary\": unknown field; see the person schema in docs/schemes.md "
            "(or `talentflow schemes fields`)");
  EXPECT_EQ(ParseError(R"({"annual_income_hkd": "lots"})").message(),
            "p.json: field \"annual_income_hkd\": expected a number, got string");
  EXPECT_EQ(ParseError(R"({"degrees": [{"level": "bachelor", "graduation_date": "2019-02-30"}]})")
                .message(),
            "p.json: field \"degrees[0].graduation_date\": \"2019-02-30\": day 30 does not exist "
            "in 2019-02");
  EXPECT_EQ(ParseError(R"({"degrees": [{"level": "diploma"}]})").message(),
            "p.json: field \"degrees[0].level\": \"diploma\": expected one of sub_degree, "
            "bachelor, master, mba, doctorate");
  EXPECT_EQ(ParseError(R"({"jobs": [{"start": "2020-01", "boss": 1}]})").message(),
            "p.json: field \"jobs[0].boss\": unknown field; allowed here: start, end, employer, "
            "country, sector, full_time, senior, multinational, international");
  EXPECT_EQ(ParseError(R"({"jobs": [{"start": "2020-05", "end": "2020-01"}]})").message(),
            "p.json: field \"jobs[0].end\": 2020-01 is before start 2020-05");
  EXPECT_EQ(ParseError(R"({"age": 30})").message(),
            "p.json: field \"age\": is derived by the engine and may not be given");
  EXPECT_EQ(ParseError(R"({"born_overseas": "yes"})").message(),
            "p.json: field \"born_overseas\": expected true or false, got string");
  EXPECT_EQ(ParseError(R"([1])").message(), "p.json: expected a JSON object, got array");
  EXPECT_EQ(ParseError(R"({"birth_date": "1990-01-01", "birth_year": 1991})").message(),
            "p.json: field \"birth_year\": disagrees with birth_date");
}

// Found by the person fuzzer: a whole number beyond long long's range was
// cast to it (undefined behaviour) when a trace printed it.
TEST(PersonTest, FormatNumberPrintsWholeNumbersOfAnySize) {
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(-3), "-3");
  EXPECT_EQ(FormatNumber(2.5), "2.50");
  EXPECT_EQ(FormatNumber(1e19), "10000000000000000000");
  EXPECT_EQ(FormatNumber(-4e20), "-400000000000000000000");
  EXPECT_EQ(FormatNumber(1.5e300).size(), 301u);
}

TEST(PersonTest, NormalizeName) {
  EXPECT_EQ(NormalizeName("The University of Hong Kong"), NormalizeName("University of Hong Kong"));
  EXPECT_EQ(NormalizeName("Texas A&M"), "texasaandm");
  EXPECT_EQ(NormalizeName("Theodor University"), "theodoruniversity");
}

}  // namespace
}  // namespace talentflow::rules
