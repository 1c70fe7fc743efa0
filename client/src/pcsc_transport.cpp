#include "zairyu/client/pcsc_transport.h"

#include <fmt/format.h>
#include <winscard.h>

#include <algorithm>
#include <array>
#include <utility>

#include "zairyu/client/errors.h"

namespace zairyu::client {

struct PcscTransport::Handles {
  SCARDCONTEXT context = 0;
  SCARDHANDLE card = 0;
  DWORD protocol = 0;
  bool connected = false;
};

namespace {

// pcsc-lite reports the failing call's code; map it to our typed errors.
[[noreturn]] void throw_pcsc(const char* call, LONG rc) {
  const std::string name = pcsc_error_name(rc);
  const std::string message = fmt::format("PC/SC {} failed: {}", call, name);
  switch (rc) {
    case SCARD_W_REMOVED_CARD:
    case SCARD_E_NO_SMARTCARD:
      throw CardRemovedError(message, name, rc);
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_E_NO_READERS_AVAILABLE:
      throw ReaderNotFoundError(message, name, rc);
    case SCARD_E_TIMEOUT:
      throw TimeoutError(message, name, rc);
    case SCARD_W_RESET_CARD:
      throw CardResetError(message, name, rc);
    default:
      throw TransportError(message, name, rc);
  }
}

// Parses a PC/SC multi-string ("a\0b\0\0").
std::vector<std::string> split_multistring(const std::vector<char>& buffer) {
  std::vector<std::string> out;
  for (const char* p = buffer.data(); p < buffer.data() + buffer.size() && *p != '\0';) {
    out.emplace_back(p);
    p += out.back().size() + 1;
  }
  return out;
}

std::vector<std::string> readers_of(SCARDCONTEXT context) {
  DWORD size = 0;
  LONG rc = SCardListReaders(context, nullptr, nullptr, &size);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardListReaders", rc);
  std::vector<char> buffer(size + 1, '\0');
  rc = SCardListReaders(context, nullptr, buffer.data(), &size);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardListReaders", rc);
  return split_multistring(buffer);
}

// Owns an SCARDCONTEXT for list_readers().
struct ContextGuard {
  SCARDCONTEXT context = 0;
  ContextGuard() {
    const LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context);
    if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardEstablishContext", rc);
  }
  ~ContextGuard() { SCardReleaseContext(context); }
  ContextGuard(const ContextGuard&) = delete;
  ContextGuard& operator=(const ContextGuard&) = delete;
};

}  // namespace

std::string pcsc_error_name(long code) {
  switch (code) {
#define ZAIRYU_PCSC_NAME(x) \
  case x:                   \
    return #x;
    ZAIRYU_PCSC_NAME(SCARD_S_SUCCESS)
    ZAIRYU_PCSC_NAME(SCARD_F_INTERNAL_ERROR)
    ZAIRYU_PCSC_NAME(SCARD_E_CANCELLED)
    ZAIRYU_PCSC_NAME(SCARD_E_INVALID_HANDLE)
    ZAIRYU_PCSC_NAME(SCARD_E_INVALID_PARAMETER)
    ZAIRYU_PCSC_NAME(SCARD_E_NO_MEMORY)
    ZAIRYU_PCSC_NAME(SCARD_E_INSUFFICIENT_BUFFER)
    ZAIRYU_PCSC_NAME(SCARD_E_UNKNOWN_READER)
    ZAIRYU_PCSC_NAME(SCARD_E_TIMEOUT)
    ZAIRYU_PCSC_NAME(SCARD_E_SHARING_VIOLATION)
    ZAIRYU_PCSC_NAME(SCARD_E_NO_SMARTCARD)
    ZAIRYU_PCSC_NAME(SCARD_E_PROTO_MISMATCH)
    ZAIRYU_PCSC_NAME(SCARD_E_NOT_READY)
    ZAIRYU_PCSC_NAME(SCARD_E_INVALID_VALUE)
    ZAIRYU_PCSC_NAME(SCARD_E_SYSTEM_CANCELLED)
    ZAIRYU_PCSC_NAME(SCARD_F_COMM_ERROR)
    ZAIRYU_PCSC_NAME(SCARD_E_NOT_TRANSACTED)
    ZAIRYU_PCSC_NAME(SCARD_E_READER_UNAVAILABLE)
    ZAIRYU_PCSC_NAME(SCARD_E_NO_SERVICE)
    ZAIRYU_PCSC_NAME(SCARD_E_SERVICE_STOPPED)
    ZAIRYU_PCSC_NAME(SCARD_E_NO_READERS_AVAILABLE)
    ZAIRYU_PCSC_NAME(SCARD_W_UNSUPPORTED_CARD)
    ZAIRYU_PCSC_NAME(SCARD_W_UNRESPONSIVE_CARD)
    ZAIRYU_PCSC_NAME(SCARD_W_UNPOWERED_CARD)
    ZAIRYU_PCSC_NAME(SCARD_W_RESET_CARD)
    ZAIRYU_PCSC_NAME(SCARD_W_REMOVED_CARD)
#undef ZAIRYU_PCSC_NAME
    default:
      return fmt::format("0x{:08X}", static_cast<unsigned long>(code) & 0xFFFFFFFFul);
  }
}

std::vector<std::string> PcscTransport::list_readers() {
  ContextGuard guard;
  return readers_of(guard.context);
}

PcscTransport::PcscTransport(PcscOptions options)
    : options_(std::move(options)), handles_(std::make_unique<Handles>()) {
  LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &handles_->context);
  if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardEstablishContext", rc);
  try {
    std::vector<std::string> candidates;
    if (options_.reader.empty()) {
      candidates = readers_of(handles_->context);
      if (candidates.empty()) {
        throw ReaderNotFoundError("no smart-card reader found", "SCARD_E_NO_READERS_AVAILABLE",
                                  SCARD_E_NO_READERS_AVAILABLE);
      }
    } else {
      candidates = {options_.reader};
    }
    // Wait until one of the candidate readers holds a card.
    std::vector<SCARD_READERSTATE> states(candidates.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      states[i].szReader = candidates[i].c_str();
      states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    const auto deadline = std::chrono::steady_clock::now() + options_.card_wait;
    while (reader_.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      rc = SCardGetStatusChange(handles_->context,
                                static_cast<DWORD>(std::max<long long>(left.count(), 0)),
                                states.data(), static_cast<DWORD>(states.size()));
      if (rc == SCARD_E_TIMEOUT) {
        throw TimeoutError(fmt::format("no card inserted within {} ms", options_.card_wait.count()),
                           "SCARD_E_TIMEOUT", rc);
      }
      if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardGetStatusChange", rc);
      for (std::size_t i = 0; i < states.size(); ++i) {
        if (states[i].dwEventState & SCARD_STATE_UNKNOWN) {
          throw ReaderNotFoundError(fmt::format("reader '{}' not found", candidates[i]),
                                    "SCARD_E_UNKNOWN_READER", SCARD_E_UNKNOWN_READER);
        }
        if ((states[i].dwEventState & SCARD_STATE_PRESENT) &&
            !(states[i].dwEventState & SCARD_STATE_MUTE)) {
          reader_ = candidates[i];
          break;
        }
        states[i].dwCurrentState = states[i].dwEventState;
      }
    }
    DWORD protocols =
        (options_.allow_t0 ? SCARD_PROTOCOL_T0 : 0) | (options_.allow_t1 ? SCARD_PROTOCOL_T1 : 0);
    rc = SCardConnect(handles_->context, reader_.c_str(),
                      options_.exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED, protocols,
                      &handles_->card, &handles_->protocol);
    if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardConnect", rc);
    handles_->connected = true;
  } catch (...) {
    SCardReleaseContext(handles_->context);
    throw;
  }
}

PcscTransport::~PcscTransport() {
  if (handles_->connected) SCardDisconnect(handles_->card, SCARD_LEAVE_CARD);
  SCardReleaseContext(handles_->context);
}

int PcscTransport::protocol() const { return handles_->protocol == SCARD_PROTOCOL_T0 ? 0 : 1; }

void PcscTransport::reconnect(bool reset_card) {
  DWORD protocols =
      (options_.allow_t0 ? SCARD_PROTOCOL_T0 : 0) | (options_.allow_t1 ? SCARD_PROTOCOL_T1 : 0);
  const LONG rc = SCardReconnect(
      handles_->card, options_.exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED, protocols,
      reset_card ? SCARD_RESET_CARD : SCARD_LEAVE_CARD, &handles_->protocol);
  ++session_;  // whatever happened, earlier security state is not to be trusted
  if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardReconnect", rc);
}

void PcscTransport::reset() { reconnect(true); }

Bytes PcscTransport::atr() const {
  std::array<BYTE, MAX_ATR_SIZE> atr{};
  DWORD atr_size = atr.size();
  DWORD state = 0, protocol = 0, name_size = 0;
  const LONG rc =
      SCardStatus(handles_->card, nullptr, &name_size, &state, &protocol, atr.data(), &atr_size);
  if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardStatus", rc);
  return Bytes(atr.begin(), atr.begin() + std::min<DWORD>(atr_size, atr.size()));
}

Bytes PcscTransport::transmit_raw(ByteView command) {
  const SCARD_IO_REQUEST* pci =
      handles_->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  Bytes response(258);  // 256 data bytes + SW (short Le)
  DWORD size = response.size();
  const LONG rc =
      SCardTransmit(handles_->card, pci, command.data(), static_cast<DWORD>(command.size()),
                    nullptr, response.data(), &size);
  if (rc == SCARD_W_RESET_CARD) {
    // Someone reset the card: reconnect so the next operation can proceed,
    // then tell the caller that this one did not run (CardResetError).
    reconnect(false);
    throw CardResetError(
        "card was reset by another program; reconnected, but the command did not run and "
        "verified PINs are lost: repeat the operation",
        pcsc_error_name(rc), rc);
  }
  if (rc != SCARD_S_SUCCESS) throw_pcsc("SCardTransmit", rc);
  response.resize(size);
  return response;
}

Bytes PcscTransport::transmit(ByteView command) {
  return transmit_resolving_iso_chaining(command,
                                         [this](ByteView raw) { return transmit_raw(raw); });
}

}  // namespace zairyu::client
