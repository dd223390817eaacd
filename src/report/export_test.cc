// Reads the Excel and Stata exports back and checks every cell against the
// tables' CSV files: .xlsx by unzipping it (the `unzip` tool) and reading the
// sheet XML, .dta with ReadStat's own reader.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <readstat.h>

#include <cmath>
#include <cstdio>
#include <map>

#include "io/file_util.h"
#include "io/table.h"
#include "report/csv_file.h"
#include "report/export_dta.h"
#include "report/export_xlsx.h"

namespace talentflow::report {
namespace {

namespace fs = std::filesystem;
const fs::path kTables = "tests/report/fixture_out/tables";

std::vector<Table> FixtureTables() {
  std::vector<Table> tables;
  for (const std::string& name : ListTables(kTables)) {
    auto table = ReadTable(kTables, name);
    EXPECT_TRUE(table.ok()) << table.status().message();
    if (table.ok()) tables.push_back(std::move(*table));
  }
  return tables;
}

class ExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("tf_export_{}_{}", ::getpid(),
                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

// ------------------------------------------------------------------ xlsx

std::string Unzip(const fs::path& zip, const std::string& member) {
  std::string command = fmt::format("unzip -p '{}' '{}'", zip.string(), member);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "";
  std::string out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::string XmlUnescape(std::string text) {
  const std::pair<std::string, std::string> entities[] = {{"&lt;", "<"},    {"&gt;", ">"},
                                                          {"&quot;", "\""}, {"&apos;", "'"},
                                                          {"&#39;", "'"},   {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (size_t pos = text.find(from); pos != std::string::npos;
         pos = text.find(from, pos + to.size())) {
      text.replace(pos, from.size(), to);
    }
  }
  return text;
}

// All <si><t>..</t></si> of sharedStrings.xml, in order.
std::vector<std::string> SharedStrings(const std::string& xml) {
  std::vector<std::string> strings;
  for (size_t pos = xml.find("<si>"); pos != std::string::npos; pos = xml.find("<si>", pos + 1)) {
    size_t end = xml.find("</si>", pos);
    std::string si = xml.substr(pos, end - pos);
    size_t t = si.find("<t");
    size_t open_end = si.find('>', t);
    size_t close = si.find("</t>", open_end);
    strings.push_back(XmlUnescape(si.substr(open_end + 1, close - open_end - 1)));
  }
  return strings;
}

struct XlsxCell {
  bool is_string = false;
  std::string text;
  double number = 0;
};

// Cells of a sheet by (row, column), both 0-based.
std::map<std::pair<int, int>, XlsxCell> SheetCells(const std::string& xml,
                                                   const std::vector<std::string>& strings) {
  std::map<std::pair<int, int>, XlsxCell> cells;
  for (size_t pos = xml.find("<c r=\""); pos != std::string::npos;
       pos = xml.find("<c r=\"", pos + 1)) {
    size_t ref_end = xml.find('"', pos + 6);
    std::string ref = xml.substr(pos + 6, ref_end - pos - 6);
    int col = 0;
    size_t i = 0;
    while (i < ref.size() && std::isalpha(static_cast<unsigned char>(ref[i])))
      col = col * 26 + (ref[i++] - 'A' + 1);
    int row = std::stoi(ref.substr(i)) - 1;
    size_t tag_end = xml.find('>', pos);
    std::string tag = xml.substr(pos, tag_end - pos);
    if (xml[tag_end - 1] == '/') continue;  // empty styled cell
    size_t v = xml.find("<v>", tag_end);
    size_t v_end = xml.find("</v>", v);
    std::string value = xml.substr(v + 3, v_end - v - 3);
    XlsxCell cell;
    if (tag.find("t=\"s\"") != std::string::npos) {
      cell.is_string = true;
      cell.text = strings.at(std::stoul(value));
    } else {
      cell.number = std::stod(value);
    }
    cells[{row, col - 1}] = cell;
  }
  return cells;
}

TEST_F(ExportTest, XlsxSheetsMatchTheCsvFiles) {
  std::vector<Table> tables = FixtureTables();
  ASSERT_GE(tables.size(), 10u);
  fs::path xlsx = dir_ / "tables.xlsx";
  ASSERT_TRUE(WriteTablesXlsx(xlsx, tables, Lang::kBoth).ok());
  std::string workbook = Unzip(xlsx, "xl/workbook.xml");
  ASSERT_FALSE(workbook.empty()) << "unzip is needed for this test (scripts/packages.txt)";
  std::vector<std::string> strings = SharedStrings(Unzip(xlsx, "xl/sharedStrings.xml"));
  std::vector<std::string> sheet_names = XlsxSheetNames(tables);
  int suppressed_seen = 0;
  for (size_t table_idx = 0; table_idx < tables.size(); ++table_idx) {
    const Table& table = tables[table_idx];
    SCOPED_TRACE(table.name);
    EXPECT_NE(workbook.find(fmt::format("<sheet name=\"{}\" sheetId=\"{}\"", sheet_names[table_idx],
                                        table_idx + 1)),
              std::string::npos);
    auto cells =
        SheetCells(Unzip(xlsx, fmt::format("xl/worksheets/sheet{}.xml", table_idx + 1)), strings);
    // The CSV as text, independent of ReadTable's typing.
    auto csv = ReadCsvFile(kTables / (table.name + ".csv"));
    ASSERT_TRUE(csv.ok());
    ASSERT_EQ(csv->header.size(), table.columns.size());
    for (size_t col = 0; col < table.columns.size(); ++col) {
      EXPECT_EQ(csv->header[col], table.columns[col].name);
      auto header = cells.find(std::make_pair(0, static_cast<int>(col)));
      ASSERT_NE(header, cells.end());
      EXPECT_EQ(header->second.text, XlsxHeader(table.columns[col], Lang::kBoth));
    }
    ASSERT_EQ(csv->rows.size(), table.rows.size());
    for (size_t row = 0; row < csv->rows.size(); ++row) {
      for (size_t col = 0; col < csv->header.size(); ++col) {
        const std::string& text = csv->rows[row][col];
        auto it = cells.find({static_cast<int>(row) + 1, static_cast<int>(col)});
        bool suppressed = std::holds_alternative<Suppressed>(table.rows[row][col]);
        if (suppressed) {
          ++suppressed_seen;
          ASSERT_NE(it, cells.end());
          EXPECT_EQ(it->second.text, "suppressed");
          EXPECT_TRUE(text.empty());
        } else if (text.empty()) {
          EXPECT_EQ(it, cells.end()) << "row " << row << " col " << col;
        } else if (table.columns[col].type == ColumnType::kString) {
          ASSERT_NE(it, cells.end());
          EXPECT_TRUE(it->second.is_string);
          EXPECT_EQ(it->second.text, text);
        } else {
          ASSERT_NE(it, cells.end());
          EXPECT_FALSE(it->second.is_string);
          double expected = std::stod(text);
          EXPECT_NEAR(it->second.number, expected, std::fabs(expected) * 1e-15 + 1e-300) << text;
        }
      }
    }
  }
  EXPECT_GT(suppressed_seen, 20);
  // Notes sheet last, listing every column.
  EXPECT_NE(workbook.find(fmt::format("<sheet name=\"notes\" sheetId=\"{}\"", tables.size() + 1)),
            std::string::npos);
  // Same tables, same bytes.
  fs::path again = dir_ / "again.xlsx";
  ASSERT_TRUE(WriteTablesXlsx(again, tables, Lang::kBoth).ok());
  EXPECT_EQ(*ReadFile(xlsx), *ReadFile(again));
}

// Text beyond a cell's 32,767 characters is cut and marked, not dropped
// (libxlsxwriter refused such a cell and left it empty, unnoticed).
TEST(XlsxCellText, LongTextIsCutToWhatACellHolds) {
  EXPECT_EQ(ExcelCellText(std::string(32767, 'x')), std::string(32767, 'x'));
  EXPECT_EQ(ExcelCellText(std::string(40000, 'x')), std::string(32766, 'x') + "…");
  std::string han;
  for (int i = 0; i < 33000; ++i) han += "香";
  std::string cut = ExcelCellText(han);
  EXPECT_EQ(cut.size(), 32766u * 3 + 3);  // characters, not bytes, are counted
}

TEST_F(ExportTest, XlsxKeepsTheStartOfLongCells) {
  Table table{.name = "long", .title_en = "Long"};
  table.columns = {{"community", "Community", "社群", ColumnType::kString}};
  table.rows = {{std::string(40000, 'y')}};
  fs::path xlsx = dir_ / "long.xlsx";
  ASSERT_TRUE(WriteTablesXlsx(xlsx, {table}, Lang::kEn).ok());
  std::vector<std::string> strings = SharedStrings(Unzip(xlsx, "xl/sharedStrings.xml"));
  EXPECT_NE(std::find(strings.begin(), strings.end(), std::string(32766, 'y') + "…"),
            strings.end());
}

TEST(XlsxSheetNames, CutToThirtyOneAndUnique) {
  std::vector<Table> tables(3);
  tables[0].name = std::string(40, 'a');
  tables[1].name = std::string(35, 'a');
  tables[2].name = "notes";
  auto names = XlsxSheetNames(tables);
  EXPECT_EQ(names[0], std::string(31, 'a'));
  EXPECT_EQ(names[1], std::string(29, 'a') + "~2");
  EXPECT_EQ(names[2], "notes~2");
}

// ------------------------------------------------------------------- dta

struct DtaValue {
  bool is_string = false;
  std::string text;
  double number = 0;
  bool system_missing = false;
  char tag = 0;
};

struct DtaContents {
  std::vector<std::string> names, labels;
  std::vector<readstat_type_t> types;
  std::string file_label;
  int rows = -1;
  std::map<std::pair<int, int>, DtaValue> values;
};

int OnMetadata(readstat_metadata_t* metadata, void* ctx) {
  auto* c = static_cast<DtaContents*>(ctx);
  c->rows = readstat_get_row_count(metadata);
  const char* label = readstat_get_file_label(metadata);
  c->file_label = label ? label : "";
  return READSTAT_HANDLER_OK;
}

int OnVariable(int, readstat_variable_t* variable, const char*, void* ctx) {
  auto* c = static_cast<DtaContents*>(ctx);
  c->names.push_back(readstat_variable_get_name(variable));
  const char* label = readstat_variable_get_label(variable);
  c->labels.push_back(label ? label : "");
  c->types.push_back(readstat_variable_get_type(variable));
  return READSTAT_HANDLER_OK;
}

int OnValue(int obs, readstat_variable_t* variable, readstat_value_t value, void* ctx) {
  auto* c = static_cast<DtaContents*>(ctx);
  DtaValue v;
  if (readstat_value_type(value) == READSTAT_TYPE_STRING) {
    v.is_string = true;
    const char* s = readstat_string_value(value);
    v.text = s ? s : "";
  } else if (readstat_value_is_tagged_missing(value)) {
    v.tag = readstat_value_tag(value);
  } else if (readstat_value_is_system_missing(value)) {
    v.system_missing = true;
  } else {
    v.number = readstat_double_value(value);
  }
  c->values[{obs, readstat_variable_get_index(variable)}] = v;
  return READSTAT_HANDLER_OK;
}

DtaContents ReadDta(const fs::path& path) {
  DtaContents contents;
  readstat_parser_t* parser = readstat_parser_init();
  readstat_set_metadata_handler(parser, &OnMetadata);
  readstat_set_variable_handler(parser, &OnVariable);
  readstat_set_value_handler(parser, &OnValue);
  readstat_error_t error = readstat_parse_dta(parser, path.c_str(), &contents);
  readstat_parser_free(parser);
  EXPECT_EQ(error, READSTAT_OK) << readstat_error_message(error);
  return contents;
}

TEST_F(ExportTest, DtaFilesMatchTheCsvFiles) {
  int suppressed_seen = 0;
  for (const Table& table : FixtureTables()) {
    SCOPED_TRACE(table.name);
    fs::path dta = dir_ / (table.name + ".dta");
    ASSERT_TRUE(WriteTableDta(dta, table).ok());
    DtaContents c = ReadDta(dta);
    auto csv = ReadCsvFile(kTables / (table.name + ".csv"));
    ASSERT_TRUE(csv.ok());
    ASSERT_EQ(c.names, csv->header);
    EXPECT_EQ(c.file_label, table.title_en);
    ASSERT_EQ(c.rows, static_cast<int>(csv->rows.size()));
    for (size_t col = 0; col < table.columns.size(); ++col) {
      EXPECT_EQ(c.labels[col], table.columns[col].label_en);
      readstat_type_t expected = table.columns[col].type == ColumnType::kInt ? READSTAT_TYPE_INT32
                                 : table.columns[col].type == ColumnType::kDouble
                                     ? READSTAT_TYPE_DOUBLE
                                     : READSTAT_TYPE_STRING;
      EXPECT_EQ(c.types[col], expected);
    }
    for (size_t row = 0; row < csv->rows.size(); ++row) {
      for (size_t col = 0; col < csv->header.size(); ++col) {
        const std::string& text = csv->rows[row][col];
        const DtaValue& v = c.values.at({static_cast<int>(row), static_cast<int>(col)});
        if (table.columns[col].type == ColumnType::kString) {
          EXPECT_EQ(v.text, text);
        } else if (std::holds_alternative<Suppressed>(table.rows[row][col])) {
          ++suppressed_seen;
          EXPECT_EQ(v.tag, 's');
        } else if (text.empty()) {
          EXPECT_TRUE(v.system_missing);
        } else {
          EXPECT_EQ(v.number, std::stod(text)) << text;  // doubles are stored exactly
        }
      }
    }
  }
  EXPECT_GT(suppressed_seen, 20);
}

TEST_F(ExportTest, DtaBigIntegersBecomeDoubleAndOutputIsStable) {
  Table table{.name = "big", .title_en = "Big numbers"};
  table.columns = {{"id", "Identifier", "編號", ColumnType::kString},
                   {"bytes", "Bytes", "位元組", ColumnType::kInt}};
  table.rows = {{std::string("香港"), int64_t{9120331000}}, {std::string(""), Missing{}}};
  ASSERT_TRUE(WriteTableDta(dir_ / "big.dta", table).ok());
  DtaContents c = ReadDta(dir_ / "big.dta");
  EXPECT_EQ(c.types[1], READSTAT_TYPE_DOUBLE);
  EXPECT_EQ((c.values.at({0, 1}).number), 9120331000.0);
  EXPECT_EQ((c.values.at({0, 0}).text), "香港");
  EXPECT_TRUE((c.values.at({1, 1}).system_missing));
  ASSERT_TRUE(WriteTableDta(dir_ / "again.dta", table).ok());
  EXPECT_EQ(*ReadFile(dir_ / "big.dta"), *ReadFile(dir_ / "again.dta"));
}

// A string longer than a str# column holds (2,045 bytes) goes to a strL
// column (before, the whole report failed with an internal error).
TEST_F(ExportTest, DtaLongStringsBecomeStrL) {
  Table table{.name = "long", .title_en = "Long"};
  table.columns = {{"community", "Community", "", ColumnType::kString},
                   {"posts", "Posts", "", ColumnType::kInt}};
  const std::string long_text(3000, 'x');
  table.rows = {{long_text + "香港", int64_t{3}}, {Suppressed{}, int64_t{4}}};
  ASSERT_TRUE(WriteTableDta(dir_ / "long.dta", table).ok());
  DtaContents c = ReadDta(dir_ / "long.dta");
  EXPECT_EQ((c.values.at({0, 0}).text), long_text + "香港");
  EXPECT_EQ((c.values.at({1, 0}).text), "");
  EXPECT_EQ((c.values.at({1, 1}).number), 4.0);
  ASSERT_TRUE(WriteTableDta(dir_ / "long2.dta", table).ok());
  EXPECT_EQ(*ReadFile(dir_ / "long.dta"), *ReadFile(dir_ / "long2.dta"));
}

// Column names Stata cannot hold are made valid, not refused: before, a
// community named "Hong Kong 香港" in the opinion tables made the whole
// report fail.
TEST(DtaNames, InvalidNamesAreMadeValidAndUnique) {
  auto col = [](std::string name) { return Column{std::move(name), "", "", ColumnType::kInt}; };
  std::vector<std::string> names = StataVariableNames(
      {col("topic"), col("Hong Kong 香港_posts"), col("1st"), col("if"), col("a b"), col("a_b"),
       col(std::string(40, 'x')), col(std::string(40, 'x') + "!"), col("香港"), col("str12")});
  EXPECT_EQ(names, (std::vector<std::string>{"topic", "Hong_Kong_posts", "v_1st", "v_if", "a_b_2",
                                             "a_b", std::string(32, 'x'),
                                             std::string(30, 'x') + "_2", "v", "v_str12"}));
}

TEST_F(ExportTest, DtaWritesColumnsUnderTheirStataNames) {
  Table table{.name = "communities", .title_en = "Communities"};
  table.columns = {{"Hong Kong 香港_posts", "Posts: Hong Kong 香港", "", ColumnType::kInt},
                   {"topic", "Topic", "", ColumnType::kString}};
  table.rows = {{int64_t{12}, std::string("jobs")}};
  ASSERT_TRUE(WriteTableDta(dir_ / "c.dta", table).ok());
  DtaContents c = ReadDta(dir_ / "c.dta");
  EXPECT_EQ(c.names, (std::vector<std::string>{"Hong_Kong_posts", "topic"}));
  EXPECT_EQ(c.labels[0], "Posts: Hong Kong 香港");
  EXPECT_EQ((c.values.at({0, 0}).number), 12.0);
}

}  // namespace
}  // namespace talentflow::report
