#include "http/router.hpp"

#include <gtest/gtest.h>

namespace p2j::http {
namespace {

Router makeRouter() {
  std::vector<Router::Route> routes;
  routes.push_back({"POST", RoutePattern::parse("/generate")});
  routes.push_back({"GET", RoutePattern::parse("/specs/{id}")});
  routes.push_back({"GET", RoutePattern::parse("/iterations/{session_id}/steps/{step}")});
  routes.push_back({"GET", RoutePattern::parse("/")});
  routes.push_back({"DELETE", RoutePattern::parse("/specs/{id}")});
  return Router(std::move(routes));
}

TEST(Router, MatchesLiteralRoutes) {
  const auto match = makeRouter().match("POST", "/generate");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.endpoint, 0u);
}

TEST(Router, ExtractsParameters) {
  const auto match = makeRouter().match("GET", "/iterations/abc/steps/3");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.endpoint, 2u);
  EXPECT_EQ(match.parameters.at("session_id"), "abc");
  EXPECT_EQ(match.parameters.at("step"), "3");
}

TEST(Router, PercentDecodesParameters) {
  const auto match = makeRouter().match("GET", "/specs/a%20b%2Fc");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.parameters.at("id"), "a b/c");
}

TEST(Router, MalformedEscapeDoesNotMatch) {
  EXPECT_EQ(makeRouter().match("GET", "/specs/%zz").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(Router, RootPath) {
  EXPECT_EQ(makeRouter().match("GET", "/").outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(makeRouter().match("GET", "/").endpoint, 3u);
}

TEST(Router, UnknownPathIs404) {
  const Router router = makeRouter();
  EXPECT_EQ(router.match("GET", "/nope").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.match("POST", "/generate/").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.match("GET", "/specs").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.match("GET", "/specs/").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.match("GET", "/specs/1/2").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.match("GET", "").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.match("GET", "generate").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(Router, WrongMethodIs405WithAllow) {
  const auto match = makeRouter().match("PUT", "/specs/42");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "DELETE, GET, HEAD");
  const auto post = makeRouter().match("GET", "/generate");
  EXPECT_EQ(post.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(post.allow, "POST");
}

TEST(Router, HeadIsServedByGet) {
  const auto match = makeRouter().match("HEAD", "/specs/1");
  EXPECT_EQ(match.outcome, RouteMatch::Outcome::kFound);
  EXPECT_EQ(match.endpoint, 1u);
}

TEST(RoutePattern, RejectsBadTemplates) {
  EXPECT_THROW(RoutePattern::parse(""), std::invalid_argument);
  EXPECT_THROW(RoutePattern::parse("x"), std::invalid_argument);
  EXPECT_THROW(RoutePattern::parse("/a//b"), std::invalid_argument);
  EXPECT_THROW(RoutePattern::parse("/a/{id}x"), std::invalid_argument);
  EXPECT_THROW(RoutePattern::parse("/a/{}"), std::invalid_argument);
  EXPECT_THROW(RoutePattern::parse("/a/{id}/{id}"), std::invalid_argument);
  EXPECT_THROW(RoutePattern::parse("/a b"), std::invalid_argument);
}

TEST(RoutePattern, CanonicalFormIgnoresParameterNames) {
  EXPECT_EQ(RoutePattern::parse("/specs/{id}").canonical(), RoutePattern::parse("/specs/{spec_id}").canonical());
  EXPECT_EQ(RoutePattern::parse("/").canonical(), "/");
  EXPECT_EQ(RoutePattern::parse("/v2/generate").canonical(), "/v2/generate");
}

}  // namespace
}  // namespace p2j::http
