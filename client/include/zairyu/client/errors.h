// Typed errors of the card-access layer. No message ever contains a PIN.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace zairyu::client {

// Base of every error raised while talking to a card.
class CardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The transport failed (PC/SC or another link). `code_name()` is the PC/SC
// constant name ("SCARD_E_NO_SERVICE") or a transport-specific name.
class TransportError : public CardError {
 public:
  TransportError(const std::string& message, std::string code_name, long code = 0);
  const std::string& code_name() const noexcept { return code_name_; }
  long code() const noexcept { return code_; }

 private:
  std::string code_name_;
  long code_;
};

// The card left the reader (SCARD_W_REMOVED_CARD, SCARD_E_NO_SMARTCARD).
class CardRemovedError : public TransportError {
 public:
  using TransportError::TransportError;
};

// No such reader, or no reader at all.
class ReaderNotFoundError : public TransportError {
 public:
  using TransportError::TransportError;
};

// The card was reset by someone else (SCARD_W_RESET_CARD). The transport has
// already reconnected, but the card's security state (verified PINs, selected
// application) is gone: the command was not executed and the caller must redo
// the whole operation, PIN included. The library never replays a PIN itself.
class CardResetError : public TransportError {
 public:
  using TransportError::TransportError;
};

// Waiting for a card (or another bounded wait) ran out of time.
class TimeoutError : public TransportError {
 public:
  using TransportError::TransportError;
};

// The card answered something a real card would not: wrong length, bad
// encoding, an oversized object, or an unexpected status word.
class CardProtocolError : public CardError {
 public:
  using CardError::CardError;
};

// The card answered a status word the operation cannot continue with.
class CardStatusError : public CardProtocolError {
 public:
  CardStatusError(const std::string& operation, std::uint16_t sw);
  std::uint16_t sw() const noexcept { return sw_; }

 private:
  std::uint16_t sw_;
};

// A PIN given by the caller does not have the card's format. Raised before
// anything is sent; the message names the rule, never the PIN.
class PinFormatError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Short English meaning of a status word ("security status not satisfied").
std::string describe_status_word(std::uint16_t sw);

}  // namespace zairyu::client
