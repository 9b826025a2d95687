// The benchmark's floor: the least work any compiler of a spec must do as a process. It starts,
// reads the spec, and writes the bytes of the outputs (taken from files compiled beforehand)
// into the output directory, with the same C++ runtime deployc links. deployc's whole-process
// time is reported as a ratio to this one.
//
// usage: deployc_bench_floor SPEC OUTDIR (SOURCE NAME)...
//   reads SPEC, creates OUTDIR if needed, then writes the bytes of each SOURCE to OUTDIR/NAME.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace {

bool read_file(const char* path, std::string& out) {
  std::FILE* f = std::fopen(path, "rb");
  if (f == nullptr) return false;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
  std::fclose(f);
  return true;
}

bool write_file(const std::string& path, const std::string& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || (argc - 3) % 2 != 0) {
    std::fputs("usage: deployc_bench_floor SPEC OUTDIR (SOURCE NAME)...\n", stderr);
    return 2;
  }
  std::string spec;
  if (!read_file(argv[1], spec)) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  const std::string out_dir = argv[2];
  if (::mkdir(out_dir.c_str(), 0777) != 0 && errno != EEXIST) {
    std::fprintf(stderr, "cannot create %s\n", out_dir.c_str());
    return 2;
  }
  for (int i = 3; i < argc; i += 2) {
    std::string bytes;
    if (!read_file(argv[i], bytes) || !write_file(out_dir + "/" + argv[i + 1], bytes)) {
      std::fprintf(stderr, "cannot copy %s\n", argv[i]);
      return 2;
    }
  }
  return 0;
}
