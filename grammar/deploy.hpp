// The grammar of `.deploy` files; the top rule is deployc::grammar::file. Rules only: include
// this from src/syntax/parse.cpp and from tests/grammar/, nowhere else.
#pragma once

#include "grammar/file.hpp"        // IWYU pragma: export
#include "grammar/lexical.hpp"     // IWYU pragma: export
#include "grammar/statements.hpp"  // IWYU pragma: export
#include "grammar/values.hpp"      // IWYU pragma: export
