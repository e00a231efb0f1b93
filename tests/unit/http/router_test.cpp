#include "http/router.hpp"

#include <gtest/gtest.h>

namespace p2j::http {
namespace {

Router makeRouter() {
  std::vector<Router::Route> routes;
  routes.push_back({"POST", config::PathTemplate::parse("/generate")});
  routes.push_back({"GET", config::PathTemplate::parse("/specs/{id}")});
  routes.push_back({"GET", config::PathTemplate::parse("/iterations/{session_id}/steps/{step}")});
  routes.push_back({"GET", config::PathTemplate::parse("/")});
  routes.push_back({"DELETE", config::PathTemplate::parse("/specs/{id}")});
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

}  // namespace
}  // namespace p2j::http
