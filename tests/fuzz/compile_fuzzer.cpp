// libFuzzer target for the whole pipeline: the fuzz bytes are a spec, compiled by
// driver::compile_text (parse → analyze → lower → emit) and rendered, under ASan and UBSan. Any
// broken invariant of tests/robustness/invariants.hpp aborts, so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "invariants.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // SARIF rendering costs more than compiling: do it for one input in 16, chosen by content so
  // that a crashing input reproduces.
  std::uint32_t hash = 2166136261u;
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 16777619u;
  if (auto broken = deployc::testing::check_input("fuzz.deploy", text, {}, hash % 16 == 0)) {
    std::fprintf(stderr, "deployc invariant broken: %s\n", broken->c_str());
    std::abort();
  }
  return 0;
}
