// The rules of grammar/ that match with a hand-written loop or dispatch (`blanks`, `ident`,
// `sep`, `args`, `statement`, …) keep their PEG definition as their base: what PEGTL's grammar
// analysis and the language reference see. Each must match exactly as that definition does,
// on any input: succeed or fail alike, consume the same bytes, and raise at the same byte.
// Here each one is run beside its definition on generated inputs and on every line of the
// examples.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/deploy.hpp"

namespace pegtl = tao::pegtl;
namespace g = deployc::grammar;
namespace fs = std::filesystem;

namespace {

/// What matching did: whether it matched, where it stopped (the input's position after a
/// match or a failure, the error's byte after a raise).
struct Outcome {
  enum class Kind { Matched, Failed, Raised };
  Kind kind = Kind::Failed;
  std::size_t at = 0;

  friend bool operator==(const Outcome&, const Outcome&) = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  const char* kind = o.kind == Outcome::Kind::Matched  ? "matched"
                     : o.kind == Outcome::Kind::Failed ? "failed"
                                                       : "raised";
  return os << kind << " at byte " << o.at;
}

/// Matches `Rule` at the start of `text`, as the parser's input does (lazy line tracking), with
/// PEGTL's plain control and no actions.
template <typename Rule>
Outcome match(std::string_view text) {
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.data() + text.size(),
                                                     "test");
  try {
    const bool matched =
        pegtl::match<Rule, pegtl::apply_mode::nothing, pegtl::rewind_mode::required, pegtl::nothing,
                     pegtl::normal>(in);
    return {matched ? Outcome::Kind::Matched : Outcome::Kind::Failed,
            static_cast<std::size_t>(in.current() - text.data())};
  } catch (const pegtl::parse_error& e) {
    return {Outcome::Kind::Raised, e.positions().front().byte};
  }
}

/// Bytes the rules decide on, the ones that start or end their tokens most of all.
constexpr std::string_view kAlphabet =
    "aeinrstvwxyzAEZ_019-.+=:;,\"'[](){}<>|!#\\ \t\r\n\x01\xC3\xA9";
/// Whole tokens and keywords, so that generated inputs hold real statements, not just noise.
const std::vector<std::string_view> kWords = {
    "env",   "envx", "flag", "param", "import",     "when",      "service", "image",   "cpu=1.0",
    "512M",  "30s",  "1m",   "\"a\"", "\"{x}\"",    "\"\\n\"",   "{{",      "}}",      "## doc\n",
    "# c\n", "    ", "\t",   "\r\n",  "url<https>", "enum(a|b)", "[a, b]",  "x=\"v\"", "!",
};

std::vector<std::string> generated_inputs() {
  std::mt19937 random(20261205);  // fixed: the same inputs every run
  std::vector<std::string> inputs{""};
  for (int i = 0; i < 6000; ++i) {
    std::string text;
    const auto pieces = random() % 12;
    for (std::uint32_t p = 0; p < pieces; ++p) {
      if (random() % 3 == 0) {
        text += kWords[random() % kWords.size()];
      } else {
        const auto run = 1 + random() % 20;  // long runs reach the loops' wide steps
        const char c = kAlphabet[random() % kAlphabet.size()];
        for (std::uint32_t r = 0; r < run; ++r) {
          text += random() % 4 == 0 ? kAlphabet[random() % kAlphabet.size()] : c;
        }
      }
    }
    inputs.push_back(std::move(text));
  }
  return inputs;
}

/// Every line of the examples, and every suffix of it from each of its first bytes: the real
/// shapes of statements, and inputs that end in the middle of a token.
std::vector<std::string> example_inputs() {
  std::vector<std::string> inputs;
  for (const char* name : {"examples/acme-shop/app.deploy", "examples/saas-platform/app.deploy"}) {
    std::ifstream file(fs::path(DEPLOYC_SOURCE_DIR) / name, std::ios::binary);
    REQUIRE(file);
    std::stringstream text;
    text << file.rdbuf();
    std::string line;
    while (std::getline(text, line)) {
      for (std::size_t from = 0; from < line.size() && from < 24; ++from) {
        inputs.push_back(line.substr(from) + "\n");
        inputs.push_back(line.substr(from));
      }
    }
  }
  return inputs;
}

/// `Rule` against its own definition (`Rule::rule_t`, the PEGTL rule it derives from), on
/// every input.
template <typename Rule>
void same_as_definition(const std::vector<std::string>& inputs) {
  static_assert(!std::is_same_v<typename Rule::rule_t, Rule>,
                "a rule with a hand-written match derives from its definition");
  std::size_t mismatches = 0;
  for (const std::string& text : inputs) {
    const Outcome fast = match<Rule>(text);
    const Outcome definition = match<typename Rule::rule_t>(text);
    if (fast != definition && ++mismatches <= 5) {
      INFO("input: `" << text << "`");
      CHECK(fast == definition);
    }
  }
  CHECK(mismatches == 0);
}

template <typename... Rules>
void all_same_as_definition(const std::vector<std::string>& inputs) {
  (same_as_definition<Rules>(inputs), ...);
}

}  // namespace

// Every rule with a match of its own. A new one belongs here.
#define DEPLOYC_FAST_RULES                                                                    \
  g::blanks, g::comment_body, g::ident, g::str_plain, g::str_pieces, g::sep, g::arg_boundary, \
      g::arg, g::args, g::statement, g::value, g::type_name

TEST_CASE("each fast rule matches as its definition on generated inputs") {
  all_same_as_definition<DEPLOYC_FAST_RULES>(generated_inputs());
}

TEST_CASE("each fast rule matches as its definition on the examples' lines") {
  all_same_as_definition<DEPLOYC_FAST_RULES>(example_inputs());
}
