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

TEST(FileUtilTest, Sha256OfInputsLongerThanAHashPiece) {
  // The digest is fed a page (4,096 bytes) at a time: lengths on either side
  // of a page boundary, and FIPS 180-2's one million "a". The expected
  // digests are sha256sum's (coreutils) of the same bytes.
  auto pattern = [](size_t n) {
    std::string s(n, '\0');
    for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 31) % 251);
    return s;
  };
  EXPECT_EQ(Sha256Hex(pattern(4095)),
            "e6b8d57f1c6f01c92d48a1b5c243a69015b98595b784633b0b932e41466c8d99");
  EXPECT_EQ(Sha256Hex(pattern(4096)),
            "3110f7587108b9ddafd7f94d2d5f8aa22dfde829a2996c0335b1a8929ddd2fb0");
  EXPECT_EQ(Sha256Hex(pattern(4097)),
            "ca49cc1cfad40f3f02ea1f1b0811516a2f41f152442e30b24bb11bbfb47419ea");
  const std::string long_pattern = pattern(8193);
  EXPECT_EQ(Sha256Hex(long_pattern),
            "146bf01d763a449d1527cca2afd8c84d2520b7669beed098f8f7e1cb1f1165b2");
  Sha256Stream sha;
  sha.Update(std::string_view(long_pattern).substr(0, 4097));
  sha.Update(std::string_view(long_pattern).substr(4097));
  EXPECT_EQ(sha.HexDigest(), "146bf01d763a449d1527cca2afd8c84d2520b7669beed098f8f7e1cb1f1165b2");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
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
