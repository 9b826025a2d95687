// Block-style YAML in the layout of hand-written Compose files: 2-space indentation, sequences
// indented under their key, `- key: value` for maps inside sequences, flow style only where the
// document asks for it. One pass, appending to one string.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <variant>

#include "emit/emit.hpp"
#include "emit/scalar.hpp"
#include "support/background.hpp"

namespace deployc::emit {
namespace {

using lower::Map;
using lower::Node;
using lower::Null;
using lower::Seq;
using Entries = std::span<const Map::value_type>;

/// YAML limits implicit keys to 1024 characters; longer keys use the explicit `? key` form.
constexpr std::size_t kMaxImplicitKey = 1000;

/// The text being written, through a cursor: each write is a copy and a pointer bump, where a
/// std::string append checks the capacity and writes a terminator every time. Whoever writes
/// first makes room with `room_for`, for a whole line piece or scalar at once.
class Output {
 public:
  /// `room`: the capacity to reserve, about twice the expected size.
  explicit Output(std::size_t room)
      : grow_step_(std::clamp(room / 16, kMinGrowStep, kMaxGrowStep)) {
    text_.reserve(room);
    next_ = end_ = text_.data();
  }

  /// Makes room for `n` more bytes.
  void room_for(std::size_t n) {
    if (static_cast<std::size_t>(end_ - next_) < n) grow(n);
  }

  void put(char c) { *next_++ = c; }
  void put(std::string_view bytes) {
    std::memcpy(next_, bytes.data(), bytes.size());
    next_ += bytes.size();
  }
  void spaces(std::size_t n) {
    std::memset(next_, ' ', n);
    next_ += n;
  }
  void scalar(std::string_view text, bool quoted) {
    next_ = quoted ? write_yaml_double_quoted(next_, text) : write_yaml_scalar(next_, text);
  }
  void integer(std::int64_t value) {
    next_ = std::to_chars(next_, end_, value).ptr;  // room_for(kMaxIntegerSize) first
  }

  /// Where the next byte goes, for the rare writer that edits what it wrote.
  char* cursor() const { return next_; }
  void rewind_to(char* position) { next_ = position; }

  std::string finish() && {
    text_.resize(used());
    return std::move(text_);
  }

  static constexpr std::size_t kMaxIntegerSize = 20;

 private:
  std::size_t used() const { return static_cast<std::size_t>(next_ - text_.data()); }

  // Grows in steps rather than to the reserved capacity at once: resizing writes every new
  // byte, and a step is the most that is written in vain at the end. A step is an eighth of the
  // expected size, up to 64 KB: a fixed 64 KB zeroed (and faulted in) 16 pages for the bundled
  // example's 3 KB file.
  void grow(std::size_t n) {
    const std::size_t used = this->used();
    text_.resize(used + std::max(n, grow_step_));
    next_ = text_.data() + used;
    end_ = text_.data() + text_.size();
  }

  static constexpr std::size_t kMinGrowStep = 512;
  static constexpr std::size_t kMaxGrowStep = 64 * 1024;
  std::size_t grow_step_;
  std::string text_;
  char* next_ = nullptr;  // text_ holds the bytes before next_ and room up to end_
  char* end_ = nullptr;
};

class Writer {
 public:
  explicit Writer(Output& out) : out_(out) {}

  /// Entries at `indent`; the first one continues the current line when `inline_first`
  /// (after `- ` of a sequence item). Blank lines separate top-level entries and the block maps
  /// directly under them (each service, network, …), as in hand-written Compose files.
  /// `continued`: earlier entries of the same map were written before these, by another writer.
  void map(Entries entries, std::size_t indent, bool inline_first, int depth,
           bool continued = false) {
    bool first = !continued;
    for (const auto& [key, value] : entries) {
      this->key(key, value, indent, first, inline_first, depth);
      first = false;
      value_after_key(value, indent, key == "ports", depth);
    }
  }

  /// Before entries whose text is freed once they are written: their keys' addresses may
  /// next hold other keys, which the verdicts remembered by address would misjudge.
  void forget_keys() { key_verdicts_.fill({}); }

  /// The key of a top-level entry whose value is a block map: its entries are written by
  /// `map(…, 2, false, 1)` and follow.
  void top_level_key(const Map::value_type& entry, bool first) {
    key(entry.first, entry.second, 0, first, false, 0);
    out_.put('\n');
  }

  void seq(const Seq& seq, std::size_t indent, bool inline_first, bool quote_strings) {
    bool first = true;
    for (const auto& item : seq) {
      out_.room_for(indent + 2);
      if (!(first && inline_first)) out_.spaces(indent);
      first = false;
      out_.put("- ");
      if (is_block_collection(item)) {
        if (const auto* m = std::get_if<Map>(&item.value)) {
          map(*m, indent + 2, true, 2);
        } else {
          this->seq(std::get<Seq>(item.value), indent + 2, true, false);
        }
      } else {
        inline_value(item, quote_strings);
        out_.room_for(1);
        out_.put('\n');
      }
    }
  }

 private:
  /// What an entry writes before its value: a blank line, the indentation, the key and `:`, or
  /// the `? key` form of a long key.
  void key(std::string_view key, const Node& value, std::size_t indent, bool first,
           bool inline_first, int depth) {
    out_.room_for(2 * indent + yaml_scalar_max_size(key.size()) + 8);
    if (!first && !inline_first &&
        (depth == 0 ||
         (depth == 1 && is_block_collection(value) && std::holds_alternative<Map>(value.value)))) {
      out_.put('\n');
    }
    if (!(first && inline_first)) out_.spaces(indent);
    char* const key_start = out_.cursor();
    if (key_is_plain(key)) {
      out_.put(key);
    } else {
      out_.scalar(key, true);
    }
    const auto key_size = static_cast<std::size_t>(out_.cursor() - key_start);
    if (key_size > kMaxImplicitKey) {
      std::memmove(key_start + 2, key_start, key_size);
      std::memcpy(key_start, "? ", 2);
      out_.rewind_to(key_start + 2 + key_size);
      out_.put('\n');
      out_.spaces(indent);
    }
    out_.put(':');
  }

  static bool is_block_collection(const Node& node) {
    if (node.style == Node::Style::Flow) return false;
    if (const auto* m = std::get_if<Map>(&node.value)) return !m->empty();
    if (const auto* s = std::get_if<Seq>(&node.value)) return !s->empty();
    return false;
  }

  // Short-syntax ports are always quoted, as Compose linters expect (`"8000:8000"` would be a
  // base-60 number in YAML 1.1 anyway).
  void value_after_key(const Node& value, std::size_t indent, bool ports, int depth) {
    if (!is_block_collection(value)) {
      out_.put(' ');  // room made with the key's
      inline_value(value, false);
      out_.room_for(1);
      out_.put('\n');
      return;
    }
    out_.put('\n');
    if (const auto* m = std::get_if<Map>(&value.value)) {
      map(*m, indent + 2, false, depth + 1);
    } else {
      seq(std::get<Seq>(value.value), indent + 2, false, ports);
    }
  }

  /// A scalar, an empty collection or a flow collection, on the current line.
  void inline_value(const Node& node, bool quote_strings) {
    // Strings first: nearly every inline value is one.
    if (const auto* text = std::get_if<std::string_view>(&node.value)) {
      out_.room_for(yaml_scalar_max_size(text->size()));
      out_.scalar(*text, quote_strings);
      return;
    }
    out_.room_for(Output::kMaxIntegerSize);  // the longest of the other scalars and brackets
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, Null>) {
            out_.put("null");
          } else if constexpr (std::is_same_v<T, bool>) {
            out_.put(v ? "true" : "false");
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            out_.integer(v);
          } else if constexpr (std::is_same_v<T, std::string_view>) {
            // Handled above.
          } else if constexpr (std::is_same_v<T, Seq>) {
            out_.put('[');
            for (std::size_t i = 0; i < v.size(); ++i) {
              if (i != 0) {
                out_.room_for(2);
                out_.put(", ");
              }
              inline_value(v[i], true);
            }
            out_.room_for(1);
            out_.put(']');
          } else {
            out_.put('{');
            for (std::size_t i = 0; i < v.size(); ++i) {
              out_.room_for(yaml_scalar_max_size(v[i].first.size()) + 4);
              if (i != 0) out_.put(", ");
              out_.scalar(v[i].first, true);
              out_.put(": ");
              inline_value(v[i].second, true);
            }
            out_.room_for(1);
            out_.put('}');
          }
        },
        node.value);
  }

  /// yaml_plain_safe(key), remembered by the key's address: lowering writes most keys from
  /// string literals (`deploy`, `limits`, …), so the same few dozen texts recur at the same
  /// addresses in every service. Each slot holds the last key that hashed to it; a key that
  /// finds another one there is checked and takes the slot. The document does not change while
  /// it is written, so the same address and size always mean the same text.
  bool key_is_plain(std::string_view key) {
    const auto address = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(key.data()));
    const auto slot_index =
        static_cast<std::size_t>((address * 0x9E3779B97F4A7C15u) >> (64 - kKeySlotBits));
    KeyVerdict& slot = key_verdicts_[slot_index];
    if (slot.data != key.data() || slot.size != key.size()) {
      slot = {key.data(), key.size(), yaml_plain_safe(key)};
    }
    return slot.plain;
  }

  struct KeyVerdict {
    const char* data = nullptr;
    std::size_t size = 0;
    bool plain = false;  // right for the initial null data and size 0: the empty key is quoted
  };
  static constexpr unsigned kKeySlotBits = 8;

  Output& out_;
  std::array<KeyVerdict, std::size_t{1} << kKeySlotBits> key_verdicts_{};
};

/// An upper-bound guess of the output size: one allocation instead of repeated regrowth,
/// which costs more than this walk.
std::size_t estimate(const Node& node);

std::size_t estimate(Entries entries) {
  std::size_t total = 0;
  for (const auto& [key, value] : entries) total += key.size() + 8 + estimate(value);
  return total;
}

std::size_t estimate(const Node& node) {
  if (const auto* s = std::get_if<std::string_view>(&node.value)) return s->size() + 4;
  if (const auto* m = std::get_if<Map>(&node.value)) return estimate(Entries(*m)) + 8;
  if (const auto* q = std::get_if<Seq>(&node.value)) {
    std::size_t total = 8;
    for (const auto& item : *q) total += estimate(item) + 8;
    return total;
  }
  return 8;
}

/// The last entries of a large top-level map, written into their own text: on a second thread,
/// while the calling thread writes everything before them.
std::string tail_text(Entries entries) {
  Output out(estimate(entries) * 2 + 64);
  Writer(out).map(entries, 2, false, 1, true);
  return std::move(out).finish();
}

/// The top-level entry worth writing in two halves: a block map of at least `threshold` entries.
const Map::value_type* large_map_entry(const Map& root, std::size_t threshold) {
  for (const auto& entry : root) {
    const auto* map = std::get_if<Map>(&entry.second.value);
    if (map && entry.second.style == Node::Style::Block && map->size() >= 2 &&
        map->size() >= threshold) {
      return &entry;
    }
  }
  return nullptr;
}

std::string header_text(const lower::YamlDocument& document) {
  std::string header;
  for (const auto& line : document.header) append_comment(header, line);
  if (!document.header.empty()) header += '\n';
  return header;
}

/// A run of a StreamedMap's entries, and the text they view.
struct Run {
  Map entries;
  support::TextStore text;
};

Run lower_run(const StreamedMap& streamed, std::size_t first, std::size_t count) {
  Run run;
  run.entries.reserve(count);
  streamed.lower_run(first, count, run.entries, run.text);
  return run;
}

/// Room for `count` entries like those of `run`: twice the guess, as for a whole document.
std::size_t room_for_entries(const Run& run, std::size_t count) {
  const std::size_t per_entry =
      estimate(Entries(run.entries)) / std::max<std::size_t>(run.entries.size(), 1) + 1;
  return 2 * per_entry * count;
}

/// Writes the streamed entries [first, end) a run at a time, starting with `run`, the first
/// one, already lowered. `continued`: entries of the same map were written before these.
void write_runs(Writer& writer, const StreamedMap& streamed, Run run, std::size_t first,
                std::size_t end, bool continued, std::size_t run_entries) {
  for (std::size_t at = first;;) {
    writer.forget_keys();
    writer.map(Entries(run.entries), 2, false, 1, continued || at != first);
    at += std::min(run_entries, end - at);
    if (at >= end) return;
    run = Run{};  // the last run's documents go before the next run's are made
    run = lower_run(streamed, at, std::min(run_entries, end - at));
  }
}

/// The text of `document` whose top-level entry `at` is a block map written in parts: after its
/// key, what `write_entries(writer)` writes of its entries, then `tail`'s text, the rest of them
/// written on a second thread, when there is one. `entries_room`: the guessed size of them all.
template <typename WriteEntries>
std::string write_around(const lower::YamlDocument& document, const Map::value_type& at,
                         std::size_t entries_room, const WriteEntries& write_entries,
                         std::optional<support::Background<std::string>>& tail) {
  const std::string header = header_text(document);
  const Entries root(document.root);
  const auto index = static_cast<std::size_t>(&at - root.data());
  const Entries before = root.first(index);
  const Entries after = root.subspan(index + 1);
  Output out(header.size() + (estimate(before) + estimate(after)) * 2 + entries_room + 64);
  out.room_for(header.size());
  out.put(header);
  Writer writer(out);
  writer.map(before, 0, false, 0);
  writer.top_level_key(at, before.empty());
  write_entries(writer);
  if (tail) {
    const std::string text = tail->get();
    out.room_for(text.size());
    out.put(text);
  }
  writer.map(after, 0, false, 0, true);
  return std::move(out).finish();
}

}  // namespace

std::string yaml(const lower::YamlDocument& document, const YamlOptions& options) {
  const Map& root = document.root;
  const Map::value_type* const large = large_map_entry(root, options.parallel_entries);
  if (!large) {
    const std::string header = header_text(document);
    Output out(header.size() + estimate(Entries(root)) * 2 + 64);
    out.room_for(header.size() + 3);
    out.put(header);
    if (root.empty()) {
      out.put("{}\n");
    } else {
      Writer(out).map(root, 0, false, 0);
    }
    return std::move(out).finish();
  }

  const Entries entries = std::get<Map>(large->second.value);
  const std::size_t half = entries.size() / 2;
  std::optional<support::Background<std::string>> tail;
  tail.emplace([rest = entries.subspan(half)] { return tail_text(rest); });
  // Room for the tail too, guessed from the head: it is copied in after the head.
  const std::size_t head_estimate = estimate(entries.first(half));
  return write_around(
      document, *large, 4 * head_estimate,
      [&](Writer& writer) { writer.map(entries.first(half), 2, false, 1); }, tail);
}

std::string yaml(const lower::YamlDocument& document, const StreamedMap& streamed,
                 const YamlOptions& options) {
  const Map& root = document.root;
  const auto streamed_entry = std::find_if(
      root.begin(), root.end(), [&](const Map::value_type& e) { return e.first == streamed.key; });
  if (streamed_entry == root.end() || streamed.count == 0) return yaml(document, options);

  const std::size_t count = streamed.count;
  const std::size_t run_entries = std::max<std::size_t>(options.run_entries, 1);
  std::size_t half = count >= 2 && count >= options.parallel_entries ? count / 2 : count;
  // As yaml() does for a large map: the second half on a second thread, into its own text.
  std::optional<support::Background<std::string>> tail;
  if (half < count) {
    try {
      tail.emplace([&streamed, half, count, run_entries] {
        Run first_run = lower_run(streamed, half, std::min(run_entries, count - half));
        Output out(room_for_entries(first_run, count - half) + 64);
        Writer writer(out);
        write_runs(writer, streamed, std::move(first_run), half, count, true, run_entries);
        return std::move(out).finish();
      });
    } catch (const std::system_error&) {
      half = count;  // no thread: all of them on this one
    }
  }
  Run first_run = lower_run(streamed, 0, std::min(run_entries, half));
  const std::size_t room = room_for_entries(first_run, count);
  return write_around(
      document, *streamed_entry, room,
      [&](Writer& writer) {
        write_runs(writer, streamed, std::move(first_run), 0, half, false, run_entries);
      },
      tail);
}

}  // namespace deployc::emit
