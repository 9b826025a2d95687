// "did you mean": edit distance and the choice of candidate.
#include <catch2/catch.hpp>

#include "diag/suggest.hpp"

using deployc::diag::closest;
using deployc::diag::edit_distance;

TEST_CASE("edit distance counts insertions, deletions, substitutions and adjacent swaps") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "abc") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("DATABSE_URL", "DATABASE_URL") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("teh", "the") == 1);
  CHECK(edit_distance("memroy", "memory") == 1);
  CHECK(edit_distance("abcd", "badc") == 2);
}

TEST_CASE("closest picks the nearest candidate within distance 2") {
  const std::vector<std::string> env{"DATABASE_URL", "REDIS_URL", "LOG_LEVEL"};
  CHECK(closest("DATABSE_URL", env) == "DATABASE_URL");
  CHECK(closest("REDIS_URI", env) == "REDIS_URL");
  CHECK(closest("LOGLEVL", env) == "LOG_LEVEL");
  CHECK_FALSE(closest("SENTRY_DSN", env));
  CHECK_FALSE(closest("LOG_LVEEELL", env));  // distance 3
  CHECK_FALSE(closest("x", {}));
}

TEST_CASE("closest never suggests the name itself and prefers a case-only difference") {
  CHECK_FALSE(closest("cpu", {"cpu"}));
  CHECK(closest("database_url", {"DATABASE_URL", "database_uri"}) == "DATABASE_URL");
  CHECK(closest("Memory", {"memory", "Memor"}) == "memory");
}

TEST_CASE("short names do not match everything") {
  CHECK_FALSE(closest("x", {"y", "ab"}));
  CHECK_FALSE(closest("ab", {"cd"}));
  CHECK(closest("ab", {"ac"}) == "ac");
}

TEST_CASE("ties are broken the same way whatever the candidates' order") {
  CHECK(closest("cat", {"cut", "bat", "cap"}) == "bat");
  CHECK(closest("cat", {"cap", "cut", "bat"}) == "bat");
  CHECK(closest("cat", {"cats", "ca"}) == "ca");
  CHECK(closest("cat", {"ca", "cats"}) == "ca");
  // The nearer one wins over the alphabetically first one.
  CHECK(closest("restart", {"reset", "restarts"}) == "restarts");
}
