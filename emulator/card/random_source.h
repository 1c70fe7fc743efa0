// RandomSource: where the card's randomness (GET CHALLENGE) comes from.
#pragma once

#include <cstdint>
#include <random>

#include "emulator/card/bytes.h"

namespace zairyu::card {

// Deterministic by default: tests, fuzzing and the harness seed it, so the
// same seed gives the same card answers.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual Bytes bytes(std::size_t count) = 0;
};

// A seeded pseudo-random source (not for real secrets: this is a test card).
class SeededRandomSource final : public RandomSource {
 public:
  explicit SeededRandomSource(std::uint64_t seed) : engine_(seed) {}
  Bytes bytes(std::size_t count) override;

 private:
  std::mt19937_64 engine_;
};

}  // namespace zairyu::card
