#include "io/file_util.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace talentflow {
namespace {
namespace fs = std::filesystem;

TEST(FileUtilTest, Sha256OfKnownVector) {
  // FIPS 180-2 example "abc".
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(FileUtilTest, Sha256StreamOfPiecesIsTheHashOfTheWhole) {
  // FIPS 180-2 example of two blocks, given in pieces that cross the block
  // boundary, then the stream used again after its digest.
  const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  const std::string want = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
  EXPECT_EQ(Sha256Hex(text), want);
  Sha256Stream sha;
  for (size_t at = 0; at < text.size(); at += 5) sha.Update(std::string_view(text).substr(at, 5));
  EXPECT_EQ(sha.HexDigest(), want);
  sha.Update("a");
  sha.Update("");
  sha.Update("bc");
  EXPECT_EQ(sha.HexDigest(), Sha256Hex("abc"));
  EXPECT_EQ(sha.HexDigest(), Sha256Hex(""));
  Sha256Stream moved = std::move(sha);
  moved.Update("abc");
  EXPECT_EQ(moved.HexDigest(), Sha256Hex("abc"));
}

TEST(FileUtilTest, AtomicWriteCreatesParentsAndReplaces) {
  fs::path dir = fs::temp_directory_path() / fmt::format("tf_file_util_{}", ::getpid());
  fs::remove_all(dir);
  fs::path file = dir / "a" / "b.txt";
  ASSERT_TRUE(WriteFileAtomic(file, "first").ok());
  ASSERT_TRUE(WriteFileAtomic(file, "abc").ok());
  EXPECT_EQ(*ReadFile(file), "abc");
  EXPECT_EQ(*Sha256File(file), Sha256Hex("abc"));
  size_t entries = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir / "a")) ++entries;
  EXPECT_EQ(entries, 1u) << "no temporary file may be left behind";
  fs::remove_all(dir);
}

TEST(FileUtilTest, MissingFileIsNotFoundNamingThePath) {
  auto r = ReadFile("/nonexistent/dir/x.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/dir/x.csv"), std::string::npos);
}

}  // namespace
}  // namespace talentflow
