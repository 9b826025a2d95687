// Output documents → bytes. Deterministic: same document, same bytes, on every machine.
#pragma once

#include <cstddef>
#include <string>

#include "lower/document.hpp"

namespace deployc::emit {

struct YamlOptions {
  /// A top-level map with this many entries or more (the services of a large stack) is written
  /// in two halves, the second on a second thread: the same size as lower::Options'
  /// parallel_services, for the same reason. The bytes are the same either way; tests set it to
  /// 1 or SIZE_MAX to compare.
  std::size_t parallel_entries = 512;
};

/// YAML 1.2 text that a YAML 1.1 reader reads the same way (ambiguous scalars are quoted).
std::string yaml(const lower::YamlDocument& document, const YamlOptions& options = {});

/// A `.env` file as Docker Compose parses it.
std::string env(const lower::EnvDocument& document);

}  // namespace deployc::emit
