#include <gtest/gtest.h>

#include "sitrep/text.h"

namespace sitrep {
namespace {

TEST(Utf8, ValidatesWellFormedText) {
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("Zelens\xE2\x80\x99kyy \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("bad \xFF byte"));
  EXPECT_FALSE(IsValidUtf8("overlong \xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("surrogate \xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("truncated \xE2\x80"));
}

TEST(Utf8, RepairLeavesValidTextAlone) {
  std::string s = "Kyiv \xE2\x80\x94 talks";
  std::vector<uint32_t> offs;
  EXPECT_EQ(RepairUtf8(&s, &offs), 0u);
  EXPECT_EQ(s, "Kyiv \xE2\x80\x94 talks");
  EXPECT_TRUE(offs.empty());
}

// Data-driven: input, expected output, offsets of the replacements.
struct RepairCase {
  std::string in, out;
  std::vector<uint32_t> offsets;
};

TEST(Utf8, RepairReplacesMaximalSubparts) {
  const std::string R = "\xEF\xBF\xBD";
  std::vector<RepairCase> cases = {
      {"a\xFF" "b", "a" + R + "b", {1}},
      {"\xE2\x80", R, {0}},                       // truncated 3-byte sequence: one U+FFFD
      {"\xE2\x80z", R + "z", {0}},
      {"\xC0\xAF", R + R, {0, 3}},                // overlong: each byte replaced
      {"x\xED\xA0\x80y", "x" + R + R + R + "y", {1, 4, 7}},  // surrogate
      {"\xF0\x9F\x98", R, {0}},
  };
  for (const RepairCase& c : cases) {
    std::string s = c.in;
    std::vector<uint32_t> offs;
    RepairUtf8(&s, &offs);
    EXPECT_EQ(s, c.out);
    EXPECT_EQ(offs, c.offsets);
    EXPECT_TRUE(IsValidUtf8(s));
  }
}

}  // namespace
}  // namespace sitrep
