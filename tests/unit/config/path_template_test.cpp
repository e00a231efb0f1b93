#include "config/path_template.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace p2j::config {
namespace {

TEST(PathTemplate, RejectsBadTemplates) {
  EXPECT_THROW(PathTemplate::parse(""), std::invalid_argument);
  EXPECT_THROW(PathTemplate::parse("x"), std::invalid_argument);
  EXPECT_THROW(PathTemplate::parse("/a//b"), std::invalid_argument);
  EXPECT_THROW(PathTemplate::parse("/a/{id}x"), std::invalid_argument);
  EXPECT_THROW(PathTemplate::parse("/a/{}"), std::invalid_argument);
  EXPECT_THROW(PathTemplate::parse("/a/{id}/{id}"), std::invalid_argument);
  EXPECT_THROW(PathTemplate::parse("/a b"), std::invalid_argument);
}

TEST(PathTemplate, CanonicalFormIgnoresParameterNames) {
  EXPECT_EQ(PathTemplate::parse("/specs/{id}").canonical(), PathTemplate::parse("/specs/{spec_id}").canonical());
  EXPECT_EQ(PathTemplate::parse("/").canonical(), "/");
  EXPECT_EQ(PathTemplate::parse("/v2/generate").canonical(), "/v2/generate");
}

TEST(PathTemplate, NamesItsParameters) {
  const auto names = PathTemplate::parse("/iterations/{session_id}/steps/{step}").parameterNames();
  EXPECT_EQ(names, (std::vector<std::string>{"session_id", "step"}));
  EXPECT_TRUE(PathTemplate::parse("/").segments().empty());
}

}  // namespace
}  // namespace p2j::config
