#include "pcsc_readers.h"

#include <fmt/format.h>
#include <winscard.h>

#include <algorithm>
#include <cstring>

#include "cli_error.h"
#include "zairyu/client/pcsc_transport.h"

namespace zairyu::cli {
namespace {

// Owns a PC/SC context.
class Context {
 public:
  Context() {
    const LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &context_);
    if (rc != SCARD_S_SUCCESS) fail("SCardEstablishContext", rc);
  }
  ~Context() { SCardReleaseContext(context_); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  SCARDCONTEXT get() const { return context_; }

  [[noreturn]] static void fail(const char* call, LONG rc) {
    const std::string name = client::pcsc_error_name(rc);
    if (rc == SCARD_E_NO_SERVICE || rc == SCARD_E_SERVICE_STOPPED) {
      throw CliError(ExitCode::kNoCard, "no_pcscd",
                     fmt::format("cannot reach pcscd ({}): is the PC/SC daemon running?", name),
                     {{"pcsc_error", name}});
    }
    throw CliError(ExitCode::kNoCard, "pcsc_error", fmt::format("PC/SC {} failed: {}", call, name),
                   {{"pcsc_error", name}});
  }

 private:
  SCARDCONTEXT context_ = 0;
};

std::vector<std::string> list_names(SCARDCONTEXT context) {
  DWORD size = 0;
  LONG rc = SCardListReaders(context, nullptr, nullptr, &size);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rc != SCARD_S_SUCCESS) Context::fail("SCardListReaders", rc);
  std::vector<char> buffer(size + 1, '\0');
  rc = SCardListReaders(context, nullptr, buffer.data(), &size);
  if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
  if (rc != SCARD_S_SUCCESS) Context::fail("SCardListReaders", rc);
  std::vector<std::string> names;
  for (const char* p = buffer.data(); p < buffer.data() + buffer.size() && *p != '\0';
       p += std::strlen(p) + 1) {
    names.emplace_back(p);
  }
  return names;
}

std::string name_list(const std::vector<ReaderState>& readers) {
  if (readers.empty()) return "there is no reader";
  std::string out = "readers:";
  for (const auto& r : readers) {
    out += fmt::format("\n  {}{}", r.name, r.card_present ? " (card)" : "");
  }
  return out;
}

nlohmann::json names_json(const std::vector<ReaderState>& readers) {
  auto names = nlohmann::json::array();
  for (const auto& r : readers) names.push_back(r.name);
  return {{"readers", names}};
}

bool usable(const ReaderState& r) { return r.card_present && !r.mute; }

}  // namespace

std::vector<ReaderState> scan_readers() {
  Context context;
  const std::vector<std::string> names = list_names(context.get());
  if (names.empty()) return {};
  std::vector<SCARD_READERSTATE> states(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    states[i].szReader = names[i].c_str();
    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
  }
  const LONG rc =
      SCardGetStatusChange(context.get(), 0, states.data(), static_cast<DWORD>(states.size()));
  if (rc != SCARD_S_SUCCESS && rc != SCARD_E_TIMEOUT) Context::fail("SCardGetStatusChange", rc);
  std::vector<ReaderState> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const DWORD event = states[i].dwEventState;
    if (event & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) continue;  // went away meanwhile
    ReaderState r;
    r.name = names[i];
    r.card_present = (event & SCARD_STATE_PRESENT) != 0;
    r.mute = (event & SCARD_STATE_MUTE) != 0;
    r.exclusive = (event & SCARD_STATE_EXCLUSIVE) != 0;
    r.in_use = (event & SCARD_STATE_INUSE) != 0;
    if (r.card_present) {
      const DWORD size = std::min<DWORD>(states[i].cbAtr, sizeof states[i].rgbAtr);
      r.atr.assign(states[i].rgbAtr, states[i].rgbAtr + size);
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string choose_reader(const std::vector<ReaderState>& readers, const std::string& wanted,
                          bool need_card) {
  if (readers.empty()) {
    throw CliError(ExitCode::kNoCard, "no_reader", "no smart-card reader found",
                   names_json(readers));
  }
  if (wanted.empty()) {
    const auto it = std::find_if(readers.begin(), readers.end(), usable);
    if (it == readers.end()) {
      throw CliError(ExitCode::kNoCard, "no_card", "no card in any reader; " + name_list(readers),
                     names_json(readers));
    }
    return it->name;
  }
  const ReaderState* chosen = nullptr;
  const auto exact = std::find_if(readers.begin(), readers.end(),
                                  [&](const ReaderState& r) { return r.name == wanted; });
  if (exact != readers.end()) {
    chosen = &*exact;
  } else {
    std::vector<ReaderState> matches;
    std::copy_if(readers.begin(), readers.end(), std::back_inserter(matches),
                 [&](const ReaderState& r) { return r.name.find(wanted) != std::string::npos; });
    if (matches.empty()) {
      throw CliError(ExitCode::kNoCard, "reader_not_found",
                     fmt::format("no reader matches '{}'; {}", wanted, name_list(readers)),
                     names_json(readers));
    }
    if (matches.size() > 1) {
      throw CliError(ExitCode::kUsage, "reader_ambiguous",
                     fmt::format("'{}' matches several readers; give one exactly; {}", wanted,
                                 name_list(matches)),
                     names_json(matches));
    }
    chosen = &*std::find_if(readers.begin(), readers.end(),
                            [&](const ReaderState& r) { return r.name == matches.front().name; });
  }
  if (need_card && !usable(*chosen)) {
    throw CliError(ExitCode::kNoCard, "no_card",
                   fmt::format("no card in reader '{}'{}", chosen->name,
                               chosen->mute ? " (a card is there but does not answer)" : ""),
                   {{"reader", chosen->name}});
  }
  return chosen->name;
}

}  // namespace zairyu::cli
