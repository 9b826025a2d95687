// text → ast::File. The only translation unit of the compiler that includes PEGTL: the
// grammar is in grammar/, the AST builder in actions.hpp, the error map in errors.hpp.

#include "syntax/parse.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "support/utf8.hpp"
#include "syntax/actions.hpp"
#include "syntax/control.hpp"
#include "syntax/errors.hpp"

namespace deployc::syntax {

namespace pegtl = tao::pegtl;

namespace detail {

namespace {

bool is_ident_first(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_other(char c) {
  return is_ident_first(c) || is_digit(c) || c == '-' || c == '.';
}
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
  if (is_ident_first(c)) return run(is_ident_other);
  if (is_digit(c)) return run([](char d) { return is_ident_other(d); });
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
void scan_encoding(ParseState& s) {
  constexpr std::size_t max_reported = 20;
  std::size_t reported = 0;
  const std::string_view text = s.text;
  std::size_t i = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (i < text.size()) {
    // Eight bytes at a time while they are all ASCII other than NUL: almost the whole spec.
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHighs = 0x8080808080808080ull;
    while (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, sizeof word);
      if (((word | ((word - kOnes) & ~word)) & kHighs) != 0) break;  // a high bit or a NUL
      i += 8;
    }
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
    for (std::size_t k = i; k < end; ++k) s.bad_bytes.push_back(static_cast<std::uint32_t>(k));
    if (reported++ < max_reported) {
      if (byte == 0) {
        s.diags->report(Code::NulByte, s.span(at, at + 1), at)
            .help("a .deploy file is text; remove the NUL byte");
      } else {
        s.diags
            ->report(Code::InvalidUtf8, s.span(at, static_cast<std::uint32_t>(end)),
                     fmt::format("{:02X}", byte), at)
            .help(".deploy files are UTF-8; re-save the file as UTF-8");
      }
    }
    i = end;
  }
}

/// The name the open statement declares or sets, as error messages quote it.
std::string frame_name(const ParseState& s, const Frame* f) {
  if (!f) return {};
  return std::visit(overloaded{[](const ast::Import&) { return std::string(); },
                               [](const ast::When& n) {
                                 return (n.negated ? "!" : "") + std::string(n.flag.text);
                               },
                               [](const ast::Setting& n) { return std::string(n.keyword.text); },
                               [](const auto& n) { return std::string(n.name.text); }},
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
      if (!s.type_marks.empty()) detail = s.types[s.type_marks.back()].name.text;
      break;
    case ErrorContext::ArgKey:
      detail = (s.pending_key ? std::string(s.pending_key->text) : std::string()) + "=";
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
          detail = sub->name.text;
        }
      }
      break;
    case ErrorContext::NumberText: {
      std::uint32_t begin = at;
      while (begin > 0 && is_ident_other(s.text[begin - 1])) --begin;
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

}  // namespace detail

ast::File parse(const SourceManager& sources, FileId file, diag::DiagnosticEngine& diags) {
  const std::string_view text = sources.text(file);
  detail::ParseState state(file, text, diags);
  try {
    detail::scan_encoding(state);
    state.reserve_comments();
    pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf> in(
        text.data(), text.size(), std::string(sources.name(file)));
    pegtl::parse<grammar::file, detail::action, detail::control>(in, state);
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
  return std::move(state.out);
}

}  // namespace deployc::syntax
