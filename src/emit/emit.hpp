// Output documents → bytes. Deterministic: same document, same bytes, on every machine.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "lower/document.hpp"

namespace deployc::emit {

struct YamlOptions {
  /// A top-level map with this many entries or more (the services of a large stack) is written
  /// in two halves, the second on a second thread: the same size as lower::Options'
  /// parallel_services, for the same reason. The bytes are the same either way; tests set it to
  /// 1 or SIZE_MAX to compare.
  std::size_t parallel_entries = 512;
  /// How many entries of a StreamedMap are lowered and written at a time: about 0.6 MB of
  /// documents for the benchmark's services, which stay in the caches while they are written.
  /// The bytes are the same for any size; tests vary it.
  std::size_t run_entries = 128;
};

/// YAML 1.2 text that a YAML 1.1 reader reads the same way (ambiguous scalars are quoted).
std::string yaml(const lower::YamlDocument& document, const YamlOptions& options = {});

/// The entries of one top-level block map of a document, lowered a run at a time as they are
/// written, so that only a run's documents are in memory at once: a large stack's services
/// (lower::Options::service_entries, lower::lower_services).
struct StreamedMap {
  /// The key of the map's entry in the document, whose value is an empty map, in its place.
  std::string_view key;
  std::size_t count = 0;  ///< how many entries the map has
  /// Appends entries [first, first + n) to `out`. They may view `text`, which lives until they
  /// are written, and whatever outlives the call to yaml(). Called on two threads at once when
  /// `count` is YamlOptions::parallel_entries or more.
  std::function<void(std::size_t first, std::size_t n, lower::Map& out, support::TextStore& text)>
      lower_run;
};

/// The text of `document` with `streamed`'s entries in its map: the bytes yaml() writes for the
/// document that holds them.
std::string yaml(const lower::YamlDocument& document, const StreamedMap& streamed,
                 const YamlOptions& options = {});

/// A `.env` file as Docker Compose parses it.
std::string env(const lower::EnvDocument& document);

}  // namespace deployc::emit
