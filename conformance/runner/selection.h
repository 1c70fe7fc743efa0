// Which scenario runs a process executes: --filter, --shard and seeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/scenario/suite.h"

namespace zairyu::conformance {

// One scenario x variant of a suite.
struct RunItem {
  std::size_t scenario = 0;  // index into Suite::scenarios
  std::size_t variant = 0;   // index into Scenario::variants
};

// --shard i/n, 1-based as GitLab's CI_NODE_INDEX/CI_NODE_TOTAL.
struct Shard {
  std::size_t index = 1;
  std::size_t count = 1;
};
// "2/4" -> {2, 4}; nullopt unless 1 <= i <= n.
std::optional<Shard> parse_shard(std::string_view text);

// How runs are spread over shards. kHash (default) puts a scenario, with all
// its variants, on shard (fnv1a64(id) mod n) + 1: membership never changes
// when other scenarios are added. kIndex deals scenarios round-robin in suite
// order: shards are as even as possible, but adding a file moves others.
enum class ShardMode { kHash, kIndex };

// The suite's runs in suite order that match any filter (all when `filters`
// is empty) and fall in `shard`. A filter is a glob over the scenario id, or
// "tag:GLOB" over its tags.
std::vector<RunItem> select_runs(const Suite& suite, const std::vector<std::string>& filters,
                                 Shard shard, ShardMode mode);

// 64-bit FNV-1a: stable across platforms and runs (std::hash is not).
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t hash = 0xcbf29ce484222325ULL);

// Seed of one run: FNV-1a over the suite seed, scenario id and variant name.
std::uint64_t run_seed(std::uint64_t suite_seed, std::string_view scenario_id,
                       std::string_view variant);

}  // namespace zairyu::conformance
