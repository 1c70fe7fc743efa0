// CardChannel: APDU-level access to a card with tracing, shared by the
// application classes (JpkiCard, InputHelperCard).
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "zairyu/client/apdu.h"
#include "zairyu/client/bytes.h"
#include "zairyu/client/transport.h"

namespace zairyu::client {

// One exchange as seen by a trace hook. For a sensitive command (a PIN) the
// data bytes of `command` are replaced by '*' and `masked` is true.
struct ApduTrace {
  Bytes command;
  Bytes response;  // empty when the transport raised an error
  bool masked = false;
};

// Sends Apdu objects over a CardTransport, calls the trace hook for every
// exchange and remembers which application is selected (until the transport's
// session changes). Not thread-safe; one channel per transport.
class CardChannel {
 public:
  using TraceHook = std::function<void(const ApduTrace&)>;

  explicit CardChannel(CardTransport& transport);
  void set_trace_hook(TraceHook hook) { trace_ = std::move(hook); }

  // Sends the command and returns the response; wipes the encoded command if
  // it is sensitive. Transport errors propagate after being traced.
  ResponseApdu transmit(const Apdu& command);

  // The application selected on this channel, if still valid. A SELECT sent
  // by hand through transmit() is not tracked: call forget_selection() after.
  bool is_selected(ByteView aid) const;
  void set_selected(ByteView aid);
  void forget_selection() { selected_.reset(); }
  // The transport's session (changes when the card lost its security state).
  std::uint64_t session() const { return transport_.session(); }

 private:
  CardTransport& transport_;
  TraceHook trace_;
  std::optional<Bytes> selected_;
  std::uint64_t selected_session_ = 0;
};

}  // namespace zairyu::client
