// libFuzzer target for the `.env` parser of `deployc env-check` (driver/dotenv.hpp), which reads
// files written by hand on deploy hosts. The invariants are tests/robustness/dotenv_invariants.hpp.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "dotenv_invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto broken = deployc::testing::check_dotenv(text)) {
    std::fprintf(stderr, "dotenv invariant broken: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
