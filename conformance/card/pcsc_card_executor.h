// PcscCardExecutor: the card actions through a real pcscd. The client talks
// PC/SC (client::PcscTransport) to its worker's reader; the cards behind the
// reader are put in, pulled out and reset through the emulator's CardControl
// gRPC service.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "conformance/card/card_executor.h"
#include "emulator/card/card_profile.h"
#include "emulator/card/card_state_store.h"

namespace zairyu::conformance {

// The emulator's CardControl service, shared by the executors of all workers.
// Thread-safe. RPC failures throw std::runtime_error naming the call.
class EmulatorCardControl {
 public:
  // `address`: host:port of the emulator's gRPC server.
  explicit EmulatorCardControl(const std::string& address);
  ~EmulatorCardControl();

  // Inserts a fresh copy of `persona`'s card (copies are independent, so
  // workers never wait for each other's persona). `tries`: PIN counters to
  // set; the persona's own for PINs not listed. `replace`: swap it for the
  // card in the slot without the reader ever looking empty. `certificates`:
  // when set, the card holds its auth and sign certificates instead of the
  // persona's (ones the online emulator re-issued).
  void insert(int slot, const std::string& persona, const std::map<card::PinId, int>& tries,
              bool replace, const card::CardProfile* certificates = nullptr);
  void remove(int slot);
  void reset(int slot);
  std::map<card::PinId, int> pin_tries(int slot);

 private:
  struct Stub;
  std::unique_ptr<Stub> stub_;
};

// One worker's card executor: every card of `given` goes into `emulator_slot`,
// read through `reader`. Scenarios using any other slot than 0 fail in
// `given` (a worker has one reader).
//
// A run's card stays in the reader after the run: the next run swaps its own
// card in (InsertCard replace) and reconnects with a card reset, instead of
// waiting twice for pcscd to poll the reader (remove, insert). `remove` steps
// still pull the card for real.
//
// A run without cards gets an empty reader when `empty_reader_without_cards`
// (a client under test that opens the reader itself could see a leftover
// card). Without it (our in-process client reaches cards only through this
// executor, so a card-less run cannot see the reader), the leftover card
// stays until the next run swaps it: emptying and refilling the reader would
// cost two pcscd polls (~0.8 s) for nothing.
class PcscCardExecutor final : public CardExecutor {
 public:
  PcscCardExecutor(std::filesystem::path personas_dir, std::filesystem::path pki_dir,
                   std::shared_ptr<EmulatorCardControl> control, int emulator_slot,
                   std::string reader, bool empty_reader_without_cards);
  // Takes the last run's card out of the slot (best effort).
  ~PcscCardExecutor() override;

  void prepare(const Given& given, RunContext& context) override;

 private:
  std::unique_ptr<CardBackend> open_card(const CardSetup& setup, const LoadedPersona& loaded,
                                         RunContext& context) override;

  std::shared_ptr<EmulatorCardControl> control_;
  int emulator_slot_;
  std::string reader_;
  bool empty_reader_without_cards_;
  bool card_in_slot_ = false;  // a card (of this or an earlier run) is in the slot
};

}  // namespace zairyu::conformance
