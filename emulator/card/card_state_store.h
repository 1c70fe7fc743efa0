// Persistent card state: PIN retry counters, blocked flags and changed PINs.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace zairyu::card {

// The card's PINs (IEF FIDs in brackets).
enum class PinId {
  kJpkiAuth,     // JPKI-AP 0018, 4 digits, 3 tries
  kJpkiSign,     // JPKI-AP 001B, 6-16 A-Z0-9, 5 tries
  kInputHelper,  // input-helper AP 0011, 4 digits, 3 tries
};

// The stored state of one PIN. A value absent from the store means "as issued".
struct PinRecord {
  int tries_left = 0;
  std::optional<std::string> changed_value;  // set after CHANGE REFERENCE DATA
};

// Where a card keeps what survives a power cycle. Implementations: in memory
// (tests, benchmarks, fuzzing) and one file per card (the emulator).
class CardStateStore {
 public:
  virtual ~CardStateStore() = default;
  virtual std::optional<PinRecord> load(PinId pin) const = 0;
  // Must be durable when it returns (a real card writes EEPROM before answering).
  virtual void save(PinId pin, const PinRecord& record) = 0;
  // Forget everything: the card is as issued again.
  virtual void clear() = 0;
};

// Keeps state in memory only.
class MemoryCardStateStore final : public CardStateStore {
 public:
  std::optional<PinRecord> load(PinId pin) const override;
  void save(PinId pin, const PinRecord& record) override;
  void clear() override;

 private:
  std::map<PinId, PinRecord> records_;
};

// Keeps state in one small text file per card, replaced atomically
// (write temp, fsync, rename) on every change. A missing file means "as
// issued"; a corrupt or truncated one makes the constructor throw
// std::runtime_error (never silently unblock a blocked card). save() and
// clear() throw std::system_error when the disk fails.
class FileCardStateStore final : public CardStateStore {
 public:
  explicit FileCardStateStore(std::string path);
  std::optional<PinRecord> load(PinId pin) const override;
  void save(PinId pin, const PinRecord& record) override;
  void clear() override;

 private:
  std::string path_;
  std::map<PinId, PinRecord> records_;
};

}  // namespace zairyu::card
