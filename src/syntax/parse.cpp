// text → ast::File. The only translation unit of the compiler that includes PEGTL: the
// grammar is in grammar/, the AST builder in actions.hpp, the error map in errors.hpp.

#include "syntax/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/background.hpp"
#include "support/utf8.hpp"
#include "syntax/actions.hpp"
#include "syntax/control.hpp"
#include "syntax/errors.hpp"

namespace deployc::syntax {

namespace pegtl = tao::pegtl;

namespace detail {

namespace {

// The grammar's byte classes, so that messages name a token exactly as the rules read it.
using grammar::chars::digit;
using grammar::chars::ident_first;
using grammar::chars::ident_other;

bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

/// Words shown in messages are cut so a megabyte-long token cannot flood the terminal.
std::string clip(std::string_view word) {
  constexpr std::size_t max_shown = 32;
  if (word.size() <= max_shown) return std::string(word);
  return std::string(word.substr(0, max_shown)) + "…";
}

/// "found …" text for the input at `at`, and how many bytes the primary label should cover.
std::string describe_found(std::string_view text, std::uint32_t at, std::uint32_t& width) {
  width = 0;
  if (at >= text.size()) return "end of file";
  const char c = text[at];
  if (c == '\n' || text.substr(at, 2) == "\r\n") return "end of line";
  auto run = [&](auto pred) {
    std::size_t end = at;
    while (end < text.size() && pred(text[end])) ++end;
    width = static_cast<std::uint32_t>(end - at);
    return "`" + clip(text.substr(at, end - at)) + "`";
  };
  if (ident_first(c)) return run(ident_other);
  if (digit(c)) return run(ident_other);
  width = 1;
  const auto byte = static_cast<unsigned char>(c);
  if (byte == 0) return "a NUL byte";
  if (byte < 0x20 || byte == 0x7F) return fmt::format("control character 0x{:02X}", byte);
  if (byte >= 0x80) {
    const std::size_t len = utf8_length(text, at);
    if (len == 0) return fmt::format("byte 0x{:02X}", byte);
    width = static_cast<std::uint32_t>(len);
    return "`" + std::string(text.substr(at, len)) + "`";
  }
  return "`" + std::string(1, c) + "`";
}

/// Reports NUL bytes and malformed UTF-8 before parsing; the grammar itself is byte-based.
/// Returns the sorted offsets of the bad bytes.
std::vector<std::uint32_t> scan_encoding(std::string_view text, FileId file,
                                         diag::DiagnosticEngine& diags) {
  constexpr std::size_t max_reported = 20;
  std::size_t reported = 0;
  std::vector<std::uint32_t> bad_bytes;
  const auto span = [file](std::uint32_t begin, std::uint32_t end) {
    return Span{file, begin, end};
  };
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < text.size()) {
    // Eight bytes at a time while they are all ASCII other than NUL: almost the whole spec.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    const auto suspect = [&](std::size_t at) {  // a high bit or a NUL among the eight at `at`
      std::uint64_t word;
      std::memcpy(&word, text.data() + at, sizeof word);
      return (word | ((word - kOnes) & ~word)) & kHighs;
    };
    // Thirty-two bytes per test of the loop: the scan reads every byte of the spec.
    while (i + 32 <= text.size() &&
           (suspect(i) | suspect(i + 8) | suspect(i + 16) | suspect(i + 24)) == 0) {
      i += 32;
    }
    while (i + 8 <= text.size() && suspect(i) == 0) i += 8;
    if (i >= text.size()) break;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte - 1u < 0x7Fu) {  // ASCII other than NUL, almost every byte: no decoding
      ++i;
      continue;
    }
    const std::size_t len = byte == 0 ? 0 : utf8_length(text, i);
    if (len > 0) {
      i += len;
      continue;
    }
    const auto at = static_cast<std::uint32_t>(i);
    // One report per malformed sequence: its stray continuation bytes go with it.
    std::size_t end = i + 1;
    if (byte != 0) {
      while (end < text.size() && end < i + 4 &&
             is_continuation(static_cast<unsigned char>(text[end]))) {
        ++end;
      }
    }
    for (std::size_t k = i; k < end; ++k) bad_bytes.push_back(static_cast<std::uint32_t>(k));
    if (reported++ < max_reported) {
      if (byte == 0) {
        diags.report(Code::NulByte, span(at, at + 1), at)
            .help("a .deploy file is text; remove the NUL byte");
      } else {
        diags
            .report(Code::InvalidUtf8, span(at, static_cast<std::uint32_t>(end)),
                    fmt::format("{:02X}", byte), at)
            .help(".deploy files are UTF-8; re-save the file as UTF-8");
      }
    }
    i = end;
  }
  return bad_bytes;
}

/// The name the open statement declares or sets, as error messages quote it.
std::string frame_name(const ParseState& s, const Frame* f) {
  if (!f) return {};
  return std::visit(overloaded{[](const ast::Import&) { return std::string(); },
                               [](const ast::When& n) {
                                 return (n.negated ? "!" : "") + std::string(n.flag.text());
                               },
                               [](const ast::Setting& n) { return std::string(n.keyword.text()); },
                               [](const auto& n) { return std::string(n.name.text()); }},
                    s.stmts[f->index].node);
}

}  // namespace

void ParseState::enter_nesting(std::uint32_t at, std::uint32_t width) {
  if (++depth <= max_nesting) return;
  // Nesting this deep is generated or hostile input. Recovering would re-parse the same nest
  // from every line inside it, so the parser stops here.
  diags->report(Code::NestingTooDeep, span(at, at + width), max_nesting)
      .note("the rest of the file was not parsed")
      .help("split the nested part into separate statements");
  throw StopParsing{};
}

void throw_syntax_error(std::uint32_t at) {
  // The position is never shown (diagnostics carry byte spans); building it from the offset
  // keeps lazy tracking from rescanning the input.
  throw pegtl::parse_error("syntax error", pegtl::position(at, 1, 1, std::string()));
}

void report_syntax_error(ParseState& s, const SyntaxErrorInfo& info, std::uint32_t at) {
  // A part of a file with an error is parsed again with the whole file, which reports it.
  if (s.part_of_file) throw StopParsing{};
  if (std::binary_search(s.bad_bytes.begin(), s.bad_bytes.end(), at)) return;
  if (++s.syntax_errors > max_syntax_errors) {
    s.diags->report(Code::TooManySyntaxErrors, s.span(at, at), max_syntax_errors)
        .help("fix the first errors and run again");
    throw StopParsing{};
  }

  std::uint32_t width = 0;
  const std::string found = describe_found(s.text, at, width);
  const Frame* frame = s.open_frame();
  const std::string keyword = frame ? std::string(frame->keyword) : std::string();
  std::string detail;
  Span primary = s.span(at, at + width);

  switch (info.context) {
    case ErrorContext::StringOpen:
      primary = s.span(s.string_begin, at);
      break;
    case ErrorContext::TypeName:
      if (!s.type_marks.empty()) detail = s.types[s.type_marks.back()].name.text();
      break;
    case ErrorContext::ArgKey:
      detail = (s.pending_key ? std::string(s.pending_key->text()) : std::string()) + "=";
      break;
    case ErrorContext::Equals:
      detail = "=";
      break;
    case ErrorContext::Escape:
      // `at` is just past the backslash; the label covers `\x`.
      width = at < s.text.size() && found != "end of line"
                  ? static_cast<std::uint32_t>(std::max<std::size_t>(1, utf8_length(s.text, at)))
                  : 0;
      detail = std::string(s.text.substr(at, width));
      primary = s.span(at - 1, at + width);
      break;
    case ErrorContext::SubstName:
      if (!s.string_parts.empty()) {
        if (const auto* sub = std::get_if<ast::Substitution>(&s.string_parts.back())) {
          detail = sub->name.text();
        }
      }
      break;
    case ErrorContext::NumberText: {
      std::uint32_t begin = at;
      while (begin > 0 && ident_other(s.text[begin - 1])) --begin;
      detail = clip(s.text.substr(begin, at - begin));
      break;
    }
    case ErrorContext::None:
    case ErrorContext::BlockOpen:
    case ErrorContext::ListOpen:
      break;
  }

  auto builder = s.diags->report(info.code, primary, found, keyword, frame_name(s, frame), detail);
  if (info.context == ErrorContext::BlockOpen && frame && frame->block_open) {
    const std::uint32_t open = *frame->block_open;
    builder.label(s.span(open, open + 1), fmt::format("the block of `{}` opens here", keyword));
  }
  if (info.context == ErrorContext::ListOpen && !s.list_opens.empty()) {
    const std::uint32_t open = s.list_opens.back();
    builder.label(s.span(open, open + 1), "the list opens here");
  }
  if (!info.help.empty()) builder.help(std::string(info.help));
}

namespace {

void run_grammar(ParseState& s, std::size_t begin, std::size_t end,
                 const std::string& source_name) {
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf> in(
      s.text.data() + begin, s.text.data() + end, source_name);
  pegtl::parse<grammar::file, action, control>(in, s);
}

// ---- parsing a large file in two parts ----------------------------------------------------------
//
// A large file is parsed as two parts, each on its own thread with its own state, arena and
// diagnostics, and the two statement lists are joined. When both parse without errors, the
// second starts where the whole-file parse is between two top-level statements, and the tree
// is the same:
//
// - Only a part without any diagnostic is used. If either has one, both are dropped and the
//   file is parsed whole, which reports exactly what a whole-file parse reports (messages,
//   order, error limit, nesting limit). A split inside a block or a multi-line list leaves the
//   first part with an unclosed construct, a syntax error, so it never produces a wrong tree;
//   it costs a second parse, which the choice of the split line below makes rare.
// - Parsing a part without errors ends at the top level, between statements. Every rule looks
//   ahead at most to the next line end except those that continue over lines (blocks, lists,
//   separators), so the first part matches what the whole-file parse matches up to the split,
//   and the second part, starting at the top level, what it matches after it.
// - Nothing else carries over statements at the top level but the doc comments waiting for
//   the next statement, and a statement takes doc comments only from the line right above it:
//   the split line's previous line is never a comment line.
// - A part stops at its first error, and at its next statement once the other part failed:
//   the whole-file parse that follows is then the only real cost of a failed split.

/// Whether the second part can start at `line`, the start of a line: it starts with a name or
/// a comment in column 1, as top-level statements and their doc comments do (and a BOM cannot
/// follow), and the line above is not a comment line, whose doc comment would belong to a
/// statement of the second part.
bool can_split_at(std::string_view text, std::size_t line) {
  if (line >= text.size()) return false;
  const char first = text[line];
  if (!ident_first(first) && first != '#') return false;
  std::size_t above = line >= 2 ? text.rfind('\n', line - 2) : std::string_view::npos;
  above = above == std::string_view::npos ? 0 : above + 1;
  if (above == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") above = 3;
  while (above < line - 1 && ParseState::is_blank(text[above])) ++above;
  return above >= line - 1 || text[above] != '#';
}

/// Where the second part of `text` starts: the line start closest to `middle` where
/// can_split_at holds, or nothing when there is none within a quarter of the file from it
/// (more uneven parts would save little).
std::optional<std::size_t> find_split(std::string_view text, std::size_t middle) {
  constexpr std::size_t npos = std::string_view::npos;
  middle = std::min(middle, text.size());
  const std::size_t reach = text.size() / 4;
  std::optional<std::size_t> after;
  for (std::size_t end = text.find('\n', middle); end != npos && end + 1 - middle <= reach;
       end = text.find('\n', end + 1)) {
    if (can_split_at(text, end + 1)) {
      after = end + 1;
      break;
    }
  }
  // Only a line start closer to the middle than `after` is worth looking for before it.
  const std::size_t back_reach = after ? *after - middle : reach + 1;
  for (std::size_t from = middle; from > 0;) {
    const std::size_t end = text.rfind('\n', from - 1);
    if (end == npos || middle - (end + 1) >= back_reach) break;
    if (can_split_at(text, end + 1)) return end + 1;
    from = end;
  }
  return after;
}

/// Parses `s`'s part [begin, end): whether it parsed without any diagnostic. Sets `failed`
/// when not, so that the other part stops too.
bool parse_part(ParseState& s, std::size_t begin, std::size_t end, const std::string& source_name,
                std::atomic<bool>& failed) noexcept {
  bool clean = false;
  try {
    run_grammar(s, begin, end, source_name);
    clean = s.diags->unsorted().empty();
  } catch (...) {
    // A syntax error, the nesting limit, or memory exhaustion: the whole-file parse reports it.
  }
  if (!clean) failed.store(true, std::memory_order_relaxed);
  return clean;
}

/// The tree of `text` parsed as [0, split) on this thread and [split, end) on another one, or
/// nothing when either part has a diagnostic or the thread cannot run. Each part is a chunk of
/// the tree (ast::Chunk), and the top-level statements are in an arena of their own, so that
/// freeing either chunk leaves them in place.
std::optional<ast::File> parse_in_two_parts(std::string_view text, FileId file,
                                            std::string_view name, std::size_t split,
                                            bool keep_comments) {
  try {
    // Own engines for both parts: the caller's is not thread-safe, and gets its diagnostics
    // from the whole-file parse when there are any.
    diag::DiagnosticEngine first_diags;
    diag::DiagnosticEngine second_diags;
    std::atomic<bool> failed{false};
    ParseState first(file, text, first_diags, split);
    first.part_of_file = true;
    first.other_part_failed = &failed;
    const std::string source_name(name);

    // The second part's state, and so its arena, is made on the thread that parses it: its
    // memory comes from the workers' malloc arena (driver/heap.cpp), which the back end's
    // workers reuse once the tree is freed, instead of taking new memory beside the freed tree.
    std::optional<ParseState> second;
    support::Background<bool> second_part([&] {
      second.emplace(file, text, second_diags, text.size() - split);
      second->part_of_file = true;
      second->other_part_failed = &failed;
      return parse_part(*second, split, text.size(), source_name, failed);
    });
    const bool first_clean = parse_part(first, 0, split, source_name, failed);
    const bool second_clean = second_part.get();
    if (!first_clean || !second_clean) return std::nullopt;
    ParseState& second_state = *second;

    first.out.chunks.push_back(first.take_chunk());
    first.out.chunks.push_back(second_state.take_chunk());
    first.out.chunks.back().first = first.top_stmts.size();
    first.top_stmts.insert(first.top_stmts.end(), second_state.top_stmts.begin(),
                           second_state.top_stmts.end());
    first.out.arena = std::make_unique<ast::Arena>(
        std::max<std::size_t>(first.top_stmts.size() * sizeof(ast::Stmt), 64));
    first.out.stmts = first.out.arena->copy(std::span<const ast::Stmt>(first.top_stmts));
    std::vector<ast::Comment> comments;  // of exact size, as after a whole-file parse
    if (keep_comments) {
      comments.reserve(first.out.comments.size() + second_state.out.comments.size());
      comments.insert(comments.end(), first.out.comments.begin(), first.out.comments.end());
      comments.insert(comments.end(), second_state.out.comments.begin(),
                      second_state.out.comments.end());
    }
    first.out.comments = std::move(comments);
    return std::move(first.out);
  } catch (...) {
    // No thread (std::system_error) or no memory: the whole-file parse reports what it must.
    return std::nullopt;
  }
}

}  // namespace

}  // namespace detail

ast::File parse(const SourceManager& sources, FileId file, diag::DiagnosticEngine& diags,
                const ParseOptions& options) {
  const std::string_view text = sources.text(file);
  std::vector<std::uint32_t> bad_bytes;
  try {
    bad_bytes = detail::scan_encoding(text, file, diags);
  } catch (const std::exception&) {
    diags.report(diag::Code::InternalParserState, Span{file, 0, 0});
    return ast::File{file, nullptr, {}, {}, {}};
  }
  // Only a file free of encoding errors is split: those are reported here, once, and the
  // parts would have to skip the same bytes.
  if (bad_bytes.empty() && text.size() >= options.min_parallel_bytes) {
    const std::size_t middle = options.split_near.value_or(text.size() / 2);
    if (const std::optional<std::size_t> split = detail::find_split(text, middle)) {
      if (std::optional<ast::File> tree = detail::parse_in_two_parts(
              text, file, sources.name(file), *split, options.keep_comments)) {
        if (options.parsed_in_two_parts) *options.parsed_in_two_parts = true;
        return std::move(*tree);
      }
    }
  }
  if (options.parsed_in_two_parts) *options.parsed_in_two_parts = false;

  detail::ParseState state(file, text, diags, text.size());
  state.bad_bytes = std::move(bad_bytes);
  try {
    detail::run_grammar(state, 0, text.size(), std::string(sources.name(file)));
  } catch (const detail::StopParsing&) {
    // The error limit was reached; what parsed so far is kept.
  } catch (const std::exception&) {
    // Every syntax error is caught by the top-level recovery, so this is a parser bug or
    // memory exhaustion; it becomes a diagnostic rather than escaping.
    diags.report(diag::Code::InternalParserState, Span{file, 0, 0});
  } catch (...) {
    diags.report(diag::Code::InternalParserState, Span{file, 0, 0});
  }
  state.out.stmts = state.arena().copy(std::span<const ast::Stmt>(state.top_stmts));
  // The comments grew by doubling; the tree is alive through the compiler's peak memory, and
  // keeps no slack.
  if (!options.keep_comments) state.out.comments.clear();
  state.out.comments.shrink_to_fit();
  return std::move(state.out);
}

}  // namespace deployc::syntax
