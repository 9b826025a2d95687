// Whole-grammar checks: no rule can loop without consuming input (PEGTL's analyze), and the
// reference example parses without reaching a single error point.
#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/deploy.hpp"

namespace pegtl = tao::pegtl;

namespace {

// Counts raised error points. The top-level recovery swallows them, so without this a broken
// example would still "parse".
struct RaiseCount {
  int raised = 0;
};

template <typename Rule>
struct counting_control : pegtl::normal<Rule> {
  template <typename ParseInput>
  [[noreturn]] static void raise(const ParseInput& in, RaiseCount& count) {
    ++count.raised;
    pegtl::normal<Rule>::raise(in, count);
  }
};

int raised_in(const std::string& text) {
  pegtl::memory_input in(text, "test");
  RaiseCount count;
  const bool ok = pegtl::parse<deployc::grammar::file, pegtl::nothing, counting_control>(in, count);
  REQUIRE(ok);  // `file` recovers from every error, so it always matches
  return count.raised;
}

}  // namespace

TEST_CASE("the grammar has no cycles without progress") {
  REQUIRE(pegtl::analyze<deployc::grammar::file>() == 0);
}

TEST_CASE("the acme-shop example reaches no error point") {
  pegtl::file_input in(DEPLOYC_SOURCE_DIR "/examples/acme-shop/app.deploy");
  RaiseCount count;
  REQUIRE(pegtl::parse<deployc::grammar::file, pegtl::nothing, counting_control>(in, count));
  CHECK(count.raised == 0);
}

TEST_CASE("the file rule recovers at the next top-level statement") {
  CHECK(raised_in("a b\nc d\n") == 0);
  CHECK(raised_in("a )\nb c\n") == 1);
  // Both broken statements are reported: recovery resumes at `good` and again at `c`.
  CHECK(raised_in("a )\ngood x\nc (\nd e\n") == 2);
  // Indented lines are inside the broken statement and are skipped with it.
  CHECK(raised_in("s {\n  x = \n  y )\n}\nt u\n") == 1);
}

TEST_CASE("the file rule accepts a byte-order mark and CRLF line ends") {
  CHECK(raised_in("\xEF\xBB\xBFparam x: int = 1\r\nflag f\r\n") == 0);
  CHECK(raised_in("s {\r\n  a b # c\r\n}\r\n") == 0);
}
