// Replay driver for the normal (non-libFuzzer) build: runs a fuzz target's
// LLVMFuzzerTestOneInput over every regular file of each directory argument
// (sorted, not recursive) and over each file argument, so CTest keeps every
// corpus and regression input tested with g++ and without clang. A crash or
// abort in the target fails the test like it would under libFuzzer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Optional, as in libFuzzer: targets that need one-time setup define it.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

bool run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> raw((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
  // A fresh heap copy of exactly the input's size, so ASan builds (ZAIRYU_SANITIZE)
  // catch reads past the end as libFuzzer would.
  std::vector<std::uint8_t> bytes(raw.begin(), raw.end());
  bytes.shrink_to_fit();
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus dir | input file>...\n", argv[0]);
    return 2;
  }
  static const std::uint8_t empty = 0;
  LLVMFuzzerTestOneInput(&empty, 0);  // libFuzzer always tries the empty input
  std::size_t count = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::error_code ec;
    if (std::filesystem::is_directory(arg, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        ok = run_file(file) && ok;
        ++count;
      }
    } else {
      ok = run_file(arg) && ok;
      ++count;
    }
  }
  std::printf("replay: %zu inputs ran without a crash\n", count);
  return ok ? 0 : 1;
}
