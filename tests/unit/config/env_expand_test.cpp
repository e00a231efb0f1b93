#include "config/env_expand.hpp"

#include <gtest/gtest.h>

#include <map>

namespace p2j::config {
namespace {

EnvironmentLookup fakeEnvironment(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(EnvExpand, ReplacesSetVariables) {
  const auto env = fakeEnvironment({{"HOST", "db.local"}, {"PORT", "5432"}});
  EXPECT_EQ(expandEnvironment("postgres://${HOST}:${PORT}/p2j", env), "postgres://db.local:5432/p2j");
}

TEST(EnvExpand, UsesDefaultWhenUnsetOrEmpty) {
  const auto env = fakeEnvironment({{"EMPTY", ""}});
  EXPECT_EQ(expandEnvironment("${MISSING:-./data}/p2j.db", env), "./data/p2j.db");
  EXPECT_EQ(expandEnvironment("${EMPTY:-fallback}", env), "fallback");
  EXPECT_EQ(expandEnvironment("${MISSING:-}", env), "");
}

TEST(EnvExpand, PrefersValueOverDefault) {
  EXPECT_EQ(expandEnvironment("${A:-no}", fakeEnvironment({{"A", "yes"}})), "yes");
}

TEST(EnvExpand, UnsetWithoutDefaultIsAnError) {
  try {
    expandEnvironment("key=${P2J_SECRET}", fakeEnvironment({}));
    FAIL() << "expected an ExpansionError";
  } catch (const ExpansionError& e) {
    EXPECT_NE(std::string(e.what()).find("P2J_SECRET is not set"), std::string::npos) << e.what();
  }
}

TEST(EnvExpand, SetButEmptyWithoutDefaultIsEmpty) {
  EXPECT_EQ(expandEnvironment("[${E}]", fakeEnvironment({{"E", ""}})), "[]");
}

TEST(EnvExpand, DollarDollarIsALiteralDollar) {
  EXPECT_EQ(expandEnvironment("cost $$5 and $${HOME}", fakeEnvironment({})), "cost $5 and ${HOME}");
}

TEST(EnvExpand, LoneDollarStays) { EXPECT_EQ(expandEnvironment("$5 $ x$", fakeEnvironment({})), "$5 $ x$"); }

TEST(EnvExpand, RejectsMalformedReferences) {
  const auto env = fakeEnvironment({});
  EXPECT_THROW(expandEnvironment("${UNTERMINATED", env), ExpansionError);
  EXPECT_THROW(expandEnvironment("${1BAD}", env), ExpansionError);
  EXPECT_THROW(expandEnvironment("${}", env), ExpansionError);
  EXPECT_THROW(expandEnvironment("${A-B}", env), ExpansionError);
}

TEST(EnvExpand, DefaultMayContainColonsAndSlashes) {
  EXPECT_EQ(expandEnvironment("${L:-127.0.0.1:8000}", fakeEnvironment({})), "127.0.0.1:8000");
}

}  // namespace
}  // namespace p2j::config
