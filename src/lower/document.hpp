// Output documents: what the emitters write, in the order they write it. Lowering decides every
// key, value and its order; the emitters only decide how bytes spell it.
//
// Documents hold views, not copies, of their text: of string literals, of the model's strings
// (so a document is valid only while the model it was lowered from is alive and unchanged) and
// of Outputs::text, which owns the text lowering composes (interpolations, joined ports, …).
// A document of a large stack is mostly keys like `deploy` or `limits` repeated per service;
// viewing them costs nothing, where an owned string per key costs an allocation and its bytes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "support/text_store.hpp"

namespace deployc::lower {

using support::TextStore;

struct Node;
using Seq = std::vector<Node>;
using Map = std::vector<std::pair<std::string_view, Node>>;  ///< insertion order = output order
struct Null {
  friend bool operator==(Null, Null) = default;
};

/// A YAML node. Strings are always strings: the emitter quotes any text a YAML 1.1 or 1.2
/// reader would take for another type.
struct Node {
  enum class Style : std::uint8_t { Block, Flow };  ///< Flow: `["CMD", "curl"]` on one line
  using Value = std::variant<Null, bool, std::int64_t, std::string_view, Seq, Map>;

  // Node is recursive through Map = vector<pair<string_view, Node>>: the special members are only
  // declared here and defaulted below, where Node is complete, because a pair of an incomplete
  // type cannot be copied (clang with libstdc++ rejects the implicit ones).
  Node();
  template <class T, class = std::enable_if_t<!std::is_same_v<std::decay_t<T>, Node>>>
  Node(T&& v, Style s = Style::Block) : value(std::forward<T>(v)), style(s) {}  // NOLINT: a value
  /// A node only views its text: a temporary string would be gone before the node is emitted.
  Node(std::string&&, Style = Style::Block) = delete;
  Node(const Node&);
  Node(Node&&) noexcept;
  Node& operator=(const Node&);
  Node& operator=(Node&&) noexcept;
  ~Node();

  Value value;
  Style style = Style::Block;
};

inline Node::Node() = default;
inline Node::Node(const Node&) = default;
inline Node::Node(Node&&) noexcept = default;
inline Node& Node::operator=(const Node&) = default;
inline Node& Node::operator=(Node&&) noexcept = default;
inline Node::~Node() = default;

struct YamlDocument {
  std::vector<std::string> header;  ///< comment lines at the top, without `# `
  Map root;
};

struct EnvEntry {
  std::span<const std::string_view> doc;  ///< comment lines directly above
  std::string_view key;
  std::string_view value;  ///< the raw value; the env emitter quotes it as the .env format needs
};

struct EnvBlock {
  std::span<const std::string_view> heading;
  std::vector<EnvEntry> entries;
};

struct EnvSection {
  std::string title;
  std::vector<EnvBlock> blocks;
};

struct EnvDocument {
  std::vector<std::string> header;
  std::vector<EnvSection> sections;
};

/// The names of the files a deployment is written to, and of the real env file the operator
/// fills in from the example (never written by deployc).
inline constexpr std::string_view kComposeFile = "compose.production.yml";
inline constexpr std::string_view kBuildFile = "compose.build.yml";
inline constexpr std::string_view kEnvExample = ".env.production.example";
inline constexpr std::string_view kEnvFile = ".env.production";

struct Outputs {
  YamlDocument compose;               ///< compose.production.yml
  EnvDocument env;                    ///< .env.production.example
  std::optional<YamlDocument> build;  ///< compose.build.yml, when a service declares a build
  TextStore text;                     ///< the composed text the documents above view
};

}  // namespace deployc::lower
