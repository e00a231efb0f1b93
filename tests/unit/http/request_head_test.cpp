#include "http/request_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace p2j::http {
namespace {

using Outcome = HeadParse::Outcome;

HeadParse parse(const std::string& text, RequestHead& head) { return parseRequestHead(text, head); }

TEST(RequestHead, ReadsTheRequestLineAndHeadersInPlace) {
  const std::string text =
      "POST /generate?x=1 HTTP/1.1\r\nHost: example\r\nContent-Type:  application/json \r\n"
      "X-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2\r\nContent-Length: 5\r\n\r\n{\"a\"}";
  RequestHead head;
  const HeadParse result = parse(text, head);
  ASSERT_EQ(result.outcome, Outcome::kComplete) << result.error;
  EXPECT_EQ(result.length, text.size() - 5);
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.target, "/generate?x=1");
  EXPECT_EQ(head.minor_version, 1);
  ASSERT_EQ(head.headers.size(), 5u);
  EXPECT_EQ(head.headers[1].first, "Content-Type");
  EXPECT_EQ(head.headers[1].second, "application/json");
  EXPECT_EQ(head.header("content-type"), "application/json");
  EXPECT_EQ(head.header("X-FORWARDED-FOR"), "10.0.0.1");  // the first of several
  EXPECT_FALSE(head.header("Authorization").has_value());
  EXPECT_EQ(head.content_length, 5);
  EXPECT_FALSE(head.chunked);
  EXPECT_TRUE(head.keep_alive);
  // Views into the text, not copies.
  EXPECT_GE(head.method.data(), text.data());
  EXPECT_LT(head.method.data(), text.data() + text.size());
}

// A connection parses every request into one RequestHead: nothing of the one before may stay.
TEST(RequestHead, ANextRequestParsedIntoTheSameHeadKeepsNothingOfTheLastOne) {
  const std::string first =
      "POST /iterate HTTP/1.0\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nA: 1\r\nB: 2\r\n"
      "C: 3\r\nD: 4\r\nE: 5\r\n\r\n";
  const std::string second = "GET /livez HTTP/1.1\r\nHost: t\r\n\r\n";
  RequestHead head;
  ASSERT_EQ(parse(first, head).outcome, Outcome::kComplete);
  ASSERT_EQ(parse(second, head).outcome, Outcome::kComplete);
  EXPECT_EQ(head.method, "GET");
  EXPECT_EQ(head.target, "/livez");
  EXPECT_EQ(head.minor_version, 1);
  ASSERT_EQ(head.headers.size(), 1u);
  EXPECT_EQ(head.headers[0].first, "Host");
  EXPECT_FALSE(head.content_length.has_value());
  EXPECT_FALSE(head.chunked);
  EXPECT_TRUE(head.keep_alive);
  EXPECT_FALSE(head.expect_continue);
  EXPECT_GE(head.headers.capacity(), 7u);  // the list's room stays for the connection's next request
}

TEST(RequestHead, AHeadWithoutItsBlankLineIsIncompleteAtEveryByte) {
  const std::string text = "GET /livez HTTP/1.1\r\nHost: t\r\nAccept: */*\r\n\r\n";
  RequestHead head;
  for (size_t cut = 0; cut < text.size(); ++cut) {
    EXPECT_EQ(parse(text.substr(0, cut), head).outcome, Outcome::kIncomplete) << cut;
  }
  EXPECT_EQ(parse(text, head).outcome, Outcome::kComplete);
}

TEST(RequestHead, BareLineFeedsAndLeadingEmptyLinesAreAccepted) {
  RequestHead head;
  const std::string text = "\r\n\nGET / HTTP/1.0\nHost: t\n\n";  // the head's views point into it
  const HeadParse result = parse(text, head);
  ASSERT_EQ(result.outcome, Outcome::kComplete) << result.error;
  EXPECT_EQ(head.target, "/");
  EXPECT_EQ(head.minor_version, 0);
  EXPECT_EQ(head.header("host"), "t");
}

TEST(RequestHead, KeepAliveFollowsTheVersionAndConnection) {
  RequestHead head;
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", head).outcome, Outcome::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n", head).outcome, Outcome::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\n\r\n", head).outcome, Outcome::kComplete);
  EXPECT_FALSE(head.keep_alive);
  ASSERT_EQ(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", head).outcome, Outcome::kComplete);
  EXPECT_TRUE(head.keep_alive);
}

TEST(RequestHead, ChunkedAndExpectContinueAreRecognised) {
  RequestHead head;
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\nExpect: 100-continue\r\n\r\n", head).outcome,
            Outcome::kComplete);
  EXPECT_TRUE(head.chunked);
  EXPECT_TRUE(head.expect_continue);
  EXPECT_FALSE(head.content_length.has_value());
  // HTTP/1.0 clients do not wait for a 100 Continue (RFC 9110 §10.1.1).
  ASSERT_EQ(parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", head).outcome,
            Outcome::kComplete);
  EXPECT_FALSE(head.expect_continue);
  // An HTTP/1.0 chunked body is faulty framing (RFC 9112 §6.1): read, but the connection is not kept.
  ASSERT_EQ(parse("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n", head).outcome,
            Outcome::kComplete);
  EXPECT_FALSE(head.keep_alive);
}

TEST(RequestHead, AmbiguousFramingIsInvalid) {
  RequestHead head;
  for (const char* text : {
           "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 5x\r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n",
           "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
           "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
       }) {
    EXPECT_EQ(parse(text, head).outcome, Outcome::kInvalid) << text;
  }
  // The same length twice is one length.
  ASSERT_EQ(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", head).outcome,
            Outcome::kComplete);
  EXPECT_EQ(head.content_length, 5);
}

TEST(RequestHead, CodingsOtherThanChunkedAreNotImplemented) {
  RequestHead head;
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", head).outcome,
            Outcome::kUnsupportedCoding);
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", head).outcome,
            Outcome::kUnsupportedCoding);
}

TEST(RequestHead, MalformedLinesAreInvalid) {
  RequestHead head;
  for (const std::string& text : std::vector<std::string>{
           "NOT HTTP AT ALL\r\n\r\n",
           "GET /livez SPDY/3\r\n\r\n",
           "GET /livez HTTP/2.0\r\n\r\n",
           "GET  /livez HTTP/1.1\r\n\r\n",
           "GET /livez\r\n\r\n",
           std::string(100, 'X') + " / HTTP/1.1\r\n\r\n",
           "G(T / HTTP/1.1\r\n\r\n",
           "GET /a\x01 HTTP/1.1\r\n\r\n",
           "GET / HTTP/1.1\r\nHost t\r\n\r\n",
           "GET / HTTP/1.1\r\nHost : t\r\n\r\n",
           "GET / HTTP/1.1\r\n: t\r\n\r\n",
           "GET / HTTP/1.1\r\nHost: t\r\n folded\r\n\r\n",
           "GET / HTTP/1.1\r\nX-A: a\x7f\r\n\r\n",
           std::string("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 28),
       }) {
    const HeadParse result = parse(text, head);
    EXPECT_EQ(result.outcome, Outcome::kInvalid) << text;
    EXPECT_FALSE(result.error.empty());
  }
}

TEST(RequestHead, OversizedHeadsAreTooLarge) {
  RequestHead head;
  const std::string huge_value = "GET / HTTP/1.1\r\nX-Big: " + std::string(kMaxRequestHeadBytes, 'a');
  EXPECT_EQ(parse(huge_value, head).outcome, Outcome::kTooLarge);
  EXPECT_EQ(parse(huge_value + "\r\n\r\n", head).outcome, Outcome::kTooLarge);
  std::string many = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i <= kMaxRequestHeaders; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(parse(many + "\r\n", head).outcome, Outcome::kTooLarge);
  const std::string long_line = "GET / HTTP/1.1\r\nX-Big: " + std::string(kMaxRequestHeaderLineBytes, 'a') + "\r\n\r\n";
  EXPECT_EQ(parse(long_line, head).outcome, Outcome::kTooLarge);
  // Just under the limits is fine.
  std::string under = "GET / HTTP/1.1\r\n";
  for (size_t i = 0; i < kMaxRequestHeaders; ++i) under += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(parse(under + "\r\n", head).outcome, Outcome::kComplete);
}

// Every byte at every place of a value longer than the eight bytes checked at once: control characters but
// tab, and DEL, are refused; the rest, obs-text included, is kept.
TEST(RequestHead, EachControlCharacterInAValueIsRefusedWhereverItIs) {
  for (int byte = 0; byte < 256; ++byte) {
    if (byte == '\r' || byte == '\n') continue;  // they end the line instead
    const bool allowed = (byte >= 0x20 || byte == '\t') && byte != 0x7f;
    for (size_t position = 1; position < 19; ++position) {
      std::string value(20, 'v');
      value[position] = static_cast<char>(byte);
      const std::string text = "GET / HTTP/1.1\r\nX-Token: " + value + "\r\n\r\n";
      RequestHead head;
      const HeadParse result = parse(text, head);
      EXPECT_EQ(result.outcome, allowed ? Outcome::kComplete : Outcome::kInvalid) << byte << " at " << position;
      if (allowed) {
        EXPECT_EQ(head.header("x-token"), value);
      }
    }
  }
}

TEST(RequestHead, AnEmptyValueIsKept) {
  RequestHead head;
  const std::string text = "GET / HTTP/1.1\r\nX-Empty:\r\nX-Spaces:   \r\n\r\n";
  ASSERT_EQ(parse(text, head).outcome, Outcome::kComplete);
  EXPECT_EQ(head.header("x-empty"), "");
  EXPECT_EQ(head.header("x-spaces"), "");
}

}  // namespace
}  // namespace p2j::http
