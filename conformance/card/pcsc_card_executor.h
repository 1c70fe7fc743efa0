// PcscCardExecutor: the card actions through a real pcscd. The client talks
// PC/SC (client::PcscTransport) to its worker's reader; the cards behind the
// reader are put in, pulled out and reset through the emulator's CardControl
// gRPC service.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "conformance/card/card_executor.h"
#include "emulator/card/card_state_store.h"

namespace zairyu::conformance {

// The emulator's CardControl service, shared by the executors of all workers.
// Thread-safe. RPC failures throw std::runtime_error naming the call.
class EmulatorCardControl {
 public:
  // `address`: host:port of the emulator's gRPC server.
  explicit EmulatorCardControl(const std::string& address);
  ~EmulatorCardControl();

  // The emulator holds one card per persona (a person has one card, in one
  // reader at a time), so workers take turns: claim() waits until no other
  // worker has `persona`'s card in a reader.
  void claim(const std::string& persona);
  void release(const std::string& persona);

  // `tries`: PIN counters to set; the persona's own for PINs not listed.
  void insert(int slot, const std::string& persona, const std::map<card::PinId, int>& tries);
  void remove(int slot);
  void reset(int slot);
  std::map<card::PinId, int> pin_tries(int slot);

 private:
  struct Stub;
  std::unique_ptr<Stub> stub_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::set<std::string> claimed_;
};

// One worker's card executor: every card of `given` goes into `emulator_slot`,
// read through `reader`. Scenarios using any other slot than 0 fail in
// `given` (a worker has one reader).
class PcscCardExecutor final : public CardExecutor {
 public:
  PcscCardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir,
                   std::shared_ptr<EmulatorCardControl> control, int emulator_slot,
                   std::string reader);

 private:
  std::unique_ptr<CardBackend> open_card(const CardSetup& setup, const LoadedPersona& loaded,
                                         RunContext& context) override;

  std::shared_ptr<EmulatorCardControl> control_;
  int emulator_slot_;
  std::string reader_;
};

}  // namespace zairyu::conformance
