#include "emulator/server/card_control_service.h"

#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <exception>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "emulator/server/control_call.h"
#include "emulator/server/control_error.h"
#include "emulator/server/json_log.h"
#include "emulator/server/rich_status.h"

namespace zairyu::server {
namespace pb = ::zairyu::card::v1;
namespace {

// How often a following StreamApduLog checks for cancellation and shutdown.
constexpr std::chrono::milliseconds kStreamPoll{100};
// Upper bound of a DELAY fault: longer ones are surely a unit mistake.
constexpr std::chrono::milliseconds kMaxFaultDelay{60'000};

// ---- request -> core ----

card::PinId to_core(pb::Pin pin, const std::string& field) {
  switch (pin) {
    case pb::PIN_JPKI_AUTH:
      return card::PinId::kJpkiAuth;
    case pb::PIN_JPKI_SIGN:
      return card::PinId::kJpkiSign;
    case pb::PIN_INPUT_HELPER:
      return card::PinId::kInputHelper;
    default:
      throw invalid_field("INVALID_PIN_OVERRIDE", field, "must name a PIN");
  }
}

CertificateKind to_core(pb::Certificate certificate) {
  switch (certificate) {
    case pb::CERTIFICATE_AUTH:
      return CertificateKind::kAuth;
    case pb::CERTIFICATE_SIGN:
      return CertificateKind::kSign;
    default:
      throw invalid_field("REQUEST_INVALID", "certificate", "must be AUTH or SIGN");
  }
}

CertificateState to_core(pb::CertificateState state) {
  switch (state) {
    case pb::CERTIFICATE_STATE_VALID:
      return CertificateState::kValid;
    case pb::CERTIFICATE_STATE_EXPIRED:
      return CertificateState::kExpired;
    case pb::CERTIFICATE_STATE_NOT_YET_VALID:
      return CertificateState::kNotYetValid;
    case pb::CERTIFICATE_STATE_REVOKED:
      return CertificateState::kRevoked;
    default:
      throw invalid_field("REQUEST_INVALID", "state", "must be a certificate state");
  }
}

google::protobuf::Timestamp timestamp(online::Instant t) {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(t.time_since_epoch().count());
}

StateMode to_core(pb::StateMode mode) {
  switch (mode) {
    case pb::STATE_MODE_FRESH:
      return StateMode::kFresh;
    case pb::STATE_MODE_PERSISTENT:
      return StateMode::kPersistent;
    case pb::STATE_MODE_UNSPECIFIED:
      return StateMode::kDefault;
    default:
      throw invalid_field("INVALID_STATE_MODE", "state_mode", "unknown state mode");
  }
}

std::optional<bool> to_core_flag(bool has, bool value) {
  return has ? std::optional<bool>(value) : std::nullopt;
}

InsertCardArgs to_core(const pb::InsertCardRequest& request) {
  InsertCardArgs args;
  args.slot = request.slot();
  args.persona_id = request.persona_id();
  for (int i = 0; i < request.pin_tries_size(); ++i) {
    const auto& o = request.pin_tries(i);
    const std::string field = "pin_tries[" + std::to_string(i) + "]";
    const card::PinId pin = to_core(o.pin(), field + ".pin");
    if (!args.pin_tries.emplace(pin, o.tries_left()).second) {
      throw invalid_field("INVALID_PIN_OVERRIDE", field + ".pin", "PIN given twice");
    }
  }
  const auto& o = request.options();
  args.options.empty_verify_after_success_answers_9000 = to_core_flag(
      o.has_empty_verify_after_success_answers_9000(), o.empty_verify_after_success_answers_9000());
  args.options.clear_security_on_df_change =
      to_core_flag(o.has_clear_security_on_df_change(), o.clear_security_on_df_change());
  args.options.extended_length = to_core_flag(o.has_extended_length(), o.extended_length());
  args.options.eof_answers_6282 = to_core_flag(o.has_eof_answers_6282(), o.eof_answers_6282());
  args.state_mode = to_core(request.state_mode());
  args.replace = request.replace();
  const auto bytes = [](const std::string& der) { return card::Bytes(der.begin(), der.end()); };
  if (!request.auth_certificate_der().empty()) {
    args.certificates.auth = bytes(request.auth_certificate_der());
  }
  if (!request.sign_certificate_der().empty()) {
    args.certificates.sign = bytes(request.sign_certificate_der());
  }
  return args;
}

slots::CardFault to_core(const pb::SetFaultRequest& request) {
  if (!request.has_fault()) throw invalid_field("INVALID_FAULT", "fault", "is required");
  const pb::Fault& f = request.fault();
  slots::CardFault fault;
  if (f.has_ins()) {
    if (f.ins() > 0xFF) throw invalid_field("INVALID_FAULT", "fault.ins", "must be 0-255");
    fault.ins = static_cast<std::uint8_t>(f.ins());
  }
  fault.nth = f.nth();
  switch (f.action()) {
    case pb::FAULT_ACTION_MUTE:
      fault.action = slots::CardFault::Action::kMute;
      break;
    case pb::FAULT_ACTION_DELAY: {
      fault.action = slots::CardFault::Action::kDelay;
      const auto ms = google::protobuf::util::TimeUtil::DurationToMilliseconds(f.delay());
      if (ms <= 0 || ms > kMaxFaultDelay.count()) {
        throw invalid_field("INVALID_FAULT", "fault.delay", "must be > 0 and <= 60 s");
      }
      fault.delay = std::chrono::milliseconds(ms);
      break;
    }
    case pb::FAULT_ACTION_STATUS_WORD:
      fault.action = slots::CardFault::Action::kStatusWord;
      if (f.status_word() > 0xFFFF) {
        throw invalid_field("INVALID_FAULT", "fault.status_word", "must be 0x0000-0xFFFF");
      }
      fault.status_word = static_cast<std::uint16_t>(f.status_word());
      break;
    case pb::FAULT_ACTION_TRUNCATE:
      fault.action = slots::CardFault::Action::kTruncate;
      break;
    default:
      throw invalid_field("INVALID_FAULT", "fault.action", "must name an action");
  }
  return fault;
}

// ---- core -> response ----

pb::Pin to_proto(card::PinId pin) {
  switch (pin) {
    case card::PinId::kJpkiAuth:
      return pb::PIN_JPKI_AUTH;
    case card::PinId::kJpkiSign:
      return pb::PIN_JPKI_SIGN;
    case card::PinId::kInputHelper:
      return pb::PIN_INPUT_HELPER;
  }
  return pb::PIN_UNSPECIFIED;
}

pb::StateMode to_proto(StateMode mode) {
  switch (mode) {
    case StateMode::kFresh:
      return pb::STATE_MODE_FRESH;
    case StateMode::kPersistent:
      return pb::STATE_MODE_PERSISTENT;
    case StateMode::kDefault:
      break;
  }
  return pb::STATE_MODE_UNSPECIFIED;
}

void to_proto(const SlotInfo& info, pb::Slot& out) {
  out.set_index(info.index);
  out.set_card_present(info.persona_id.has_value());
  out.set_persona_id(info.persona_id.value_or(""));
  if (info.vpcd_port) out.set_vpcd_port(*info.vpcd_port);
  out.set_state_mode(to_proto(info.state_mode));
}

void to_proto(int slot, const slots::ApduLogEntry& entry, bool revealed, pb::ApduLogEntry& out) {
  out.set_slot(slot);
  out.set_sequence(entry.sequence);
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(entry.time.time_since_epoch());
  *out.mutable_time() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(ns.count());
  out.set_command(entry.command.data(), entry.command.size());
  out.set_response(entry.response.data(), entry.response.size());
  out.set_pin_data(entry.is_pin_data);
  out.set_pin_data_masked(entry.is_pin_data && !revealed);
  out.set_fault(entry.fault.value_or(""));
}

}  // namespace

CardControlService::CardControlService(Environment& environment,
                                       std::optional<std::string> control_token)
    : environment_(environment), control_token_(std::move(control_token)) {}

template <typename Body>
grpc::Status CardControlService::handle(const char* method, grpc::ServerContext& context,
                                        Body&& body) {
  return control_call("CardControl", method, context, control_token_, std::forward<Body>(body));
}

grpc::Status CardControlService::ListSlots(grpc::ServerContext* context,
                                           const pb::ListSlotsRequest*,
                                           pb::ListSlotsResponse* response) {
  return handle("ListSlots", *context, [&] {
    for (const SlotInfo& info : environment_.list_slots()) to_proto(info, *response->add_slots());
  });
}

grpc::Status CardControlService::InsertCard(grpc::ServerContext* context,
                                            const pb::InsertCardRequest* request,
                                            pb::InsertCardResponse* response) {
  return handle("InsertCard", *context, [&] {
    to_proto(environment_.insert_card(to_core(*request)), *response->mutable_slot());
  });
}

grpc::Status CardControlService::RemoveCard(grpc::ServerContext* context,
                                            const pb::RemoveCardRequest* request,
                                            pb::RemoveCardResponse*) {
  return handle("RemoveCard", *context, [&] { environment_.remove_card(request->slot()); });
}

grpc::Status CardControlService::ResetCard(grpc::ServerContext* context,
                                           const pb::ResetCardRequest* request,
                                           pb::ResetCardResponse*) {
  return handle("ResetCard", *context, [&] { environment_.reset_card(request->slot()); });
}

grpc::Status CardControlService::GetPinStatus(grpc::ServerContext* context,
                                              const pb::GetPinStatusRequest* request,
                                              pb::GetPinStatusResponse* response) {
  return handle("GetPinStatus", *context, [&] {
    for (const PinInfo& info : environment_.pin_status(request->slot())) {
      auto* out = response->add_pins();
      out->set_pin(to_proto(info.pin));
      out->set_tries_left(info.status.tries_left);
      out->set_max_tries(info.status.max_tries);
      out->set_blocked(info.status.blocked);
    }
  });
}

grpc::Status CardControlService::SetFault(grpc::ServerContext* context,
                                          const pb::SetFaultRequest* request,
                                          pb::SetFaultResponse*) {
  return handle("SetFault", *context, [&] {
    slots::CardSlot& slot = environment_.slot(request->slot());
    slot.add_fault(to_core(*request));
  });
}

grpc::Status CardControlService::ClearFaults(grpc::ServerContext* context,
                                             const pb::ClearFaultsRequest* request,
                                             pb::ClearFaultsResponse*) {
  return handle("ClearFaults", *context,
                [&] { environment_.slot(request->slot()).clear_faults(); });
}

grpc::Status CardControlService::StreamApduLog(grpc::ServerContext* context,
                                               const pb::StreamApduLogRequest* request,
                                               grpc::ServerWriter<pb::ApduLogEntry>* writer) {
  return handle("StreamApduLog", *context, [&] {
    const slots::CardSlot& slot = environment_.slot(request->slot());
    const bool reveal = request->reveal_pin_data();
    std::uint64_t after = request->after_sequence();
    // Tells the client the stream is live before any entry exists, so it can
    // wait for that (WaitForInitialMetadata) before it triggers APDUs.
    writer->SendInitialMetadata();
    while (!stopping_ && !context->IsCancelled()) {
      for (const auto& entry : slot.log_since(after, reveal)) {
        pb::ApduLogEntry out;
        to_proto(slot.index(), entry, reveal, out);
        if (!writer->Write(out)) return;  // the client went away
        after = entry.sequence;
      }
      if (!request->follow()) return;
      // Short waits, so cancellation and shutdown end the stream promptly.
      while (!slot.wait_for_log(after, kStreamPoll)) {
        if (stopping_ || context->IsCancelled()) break;
      }
    }
    if (stopping_) {
      throw ControlError(ControlError::Kind::kUnavailable, "SHUTTING_DOWN",
                         "the emulator is shutting down");
    }
  });
}

grpc::Status CardControlService::SetCertificateState(grpc::ServerContext* context,
                                                     const pb::SetCertificateStateRequest* request,
                                                     pb::SetCertificateStateResponse* response) {
  return handle("SetCertificateState", *context, [&] {
    const CertificateKind kind = to_core(request->certificate());
    const CertificateState state = to_core(request->state());
    const auto reissued = environment_.set_certificate_state(request->persona_id(), kind, state);
    if (!reissued) return;
    response->set_certificate_der(
        std::string(reissued->certificate.begin(), reissued->certificate.end()));
    response->set_serial(fmt::format("{:X}", reissued->serial));
    *response->mutable_not_before() = timestamp(reissued->not_before);
    *response->mutable_not_after() = timestamp(reissued->not_after);
  });
}

}  // namespace zairyu::server
