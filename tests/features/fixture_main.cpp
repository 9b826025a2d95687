// features_fixture OUTDIR SPEC…: compiles each spec (with every stdlib module loaded, as an
// import would) and writes OUTDIR/<spec name>/{compose.production.yml,.env.production.example,
// compose.build.yml} for validate_outputs.py. Exit 1 when a spec does not compile.
#include <cstdio>
#include <filesystem>
#include <string>

#include "../presets/stdlib_harness.hpp"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using namespace deployc::testing;
  if (argc < 3) {
    std::fprintf(stderr, "usage: features_fixture OUTDIR SPEC...\n");
    return 2;
  }
  int status = 0;
  for (int i = 2; i < argc; ++i) {
    const fs::path spec(argv[i]);
    const Compiled c = compile_with_modules(spec.filename().string(), read_text(spec.string()));
    if (!c.ok) {
      std::fprintf(stderr, "%s does not compile:\n%s", argv[i], c.rendered().c_str());
      status = 1;
      continue;
    }
    const fs::path dir = fs::path(argv[1]) / spec.stem();
    fs::create_directories(dir);
    write_text((dir / "compose.production.yml").string(), c.compose);
    write_text((dir / ".env.production.example").string(), c.env);
    if (!c.build.empty()) write_text((dir / "compose.build.yml").string(), c.build);
  }
  return status;
}
