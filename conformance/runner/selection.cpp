#include "conformance/runner/selection.h"

#include <algorithm>
#include <charconv>

#include "conformance/scenario/expected_failures.h"

namespace zairyu::conformance {
namespace {

bool matches(const Scenario& scenario, const std::string& filter) {
  if (filter.rfind("tag:", 0) == 0) {
    const std::string pattern = filter.substr(4);
    return std::any_of(scenario.tags.begin(), scenario.tags.end(),
                       [&](const std::string& tag) { return glob_match(pattern, tag); });
  }
  return glob_match(filter, scenario.id);
}

}  // namespace

std::optional<Shard> parse_shard(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  Shard shard;
  const auto parse = [](std::string_view digits, std::size_t& out) {
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
    return ec == std::errc() && ptr == digits.data() + digits.size() && !digits.empty();
  };
  if (!parse(text.substr(0, slash), shard.index) || !parse(text.substr(slash + 1), shard.count)) {
    return std::nullopt;
  }
  if (shard.index < 1 || shard.index > shard.count) return std::nullopt;
  return shard;
}

std::vector<RunItem> select_runs(const Suite& suite, const std::vector<std::string>& filters,
                                 Shard shard, ShardMode mode) {
  std::vector<RunItem> runs;
  std::size_t position = 0;  // among scenarios that pass the filter
  for (std::size_t s = 0; s < suite.scenarios.size(); ++s) {
    const Scenario& scenario = suite.scenarios[s];
    if (!filters.empty() && std::none_of(filters.begin(), filters.end(), [&](const std::string& f) {
          return matches(scenario, f);
        })) {
      continue;
    }
    const std::uint64_t key = mode == ShardMode::kHash ? fnv1a64(scenario.id) : position;
    ++position;
    if (key % shard.count != shard.index - 1) continue;
    for (std::size_t v = 0; v < scenario.variants.size(); ++v) runs.push_back(RunItem{s, v});
  }
  return runs;
}

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::uint64_t run_seed(std::uint64_t suite_seed, std::string_view scenario_id,
                       std::string_view variant) {
  // NUL separators keep ("A-B", "C") and ("A", "B-C") apart.
  std::uint64_t hash = fnv1a64(std::to_string(suite_seed));
  hash = fnv1a64(std::string_view("\0", 1), hash);
  hash = fnv1a64(scenario_id, hash);
  hash = fnv1a64(std::string_view("\0", 1), hash);
  return fnv1a64(variant, hash);
}

}  // namespace zairyu::conformance
