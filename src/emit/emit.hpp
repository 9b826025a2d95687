// Output documents → bytes. Deterministic: same document, same bytes, on every machine.
#pragma once

#include <string>

#include "lower/document.hpp"

namespace deployc::emit {

/// YAML 1.2 text that a YAML 1.1 reader reads the same way (ambiguous scalars are quoted).
std::string yaml(const lower::YamlDocument& document);

/// A `.env` file as Docker Compose parses it.
std::string env(const lower::EnvDocument& document);

}  // namespace deployc::emit
