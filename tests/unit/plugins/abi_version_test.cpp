#include "plugins/abi_version.hpp"

#include <gtest/gtest.h>

namespace p2j::plugins {
namespace {

TEST(AbiVersion, SameVersionLoads) { EXPECT_EQ(abiIncompatibility({1, 0}, {1, 0}), std::nullopt); }

TEST(AbiVersion, OlderMinorLoads) { EXPECT_EQ(abiIncompatibility({1, 0}, {1, 3}), std::nullopt); }

TEST(AbiVersion, NewerMinorIsRefusedWithBothVersions) {
  const auto why = abiIncompatibility({1, 4}, {1, 3});
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("needs plugin ABI 1.4"), std::string::npos) << *why;
  EXPECT_NE(why->find("implements only ABI 1.3"), std::string::npos) << *why;
}

TEST(AbiVersion, OtherMajorIsRefusedEitherWay) {
  for (const AbiVersion plugin : {AbiVersion{2, 0}, AbiVersion{0, 9}}) {
    const auto why = abiIncompatibility(plugin, {1, 0});
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("built for plugin ABI " + toString(plugin)), std::string::npos) << *why;
    EXPECT_NE(why->find("implements ABI 1.0"), std::string::npos) << *why;
    EXPECT_NE(why->find("rebuild the plugin"), std::string::npos) << *why;
  }
}

}  // namespace
}  // namespace p2j::plugins
