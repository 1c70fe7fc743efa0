// CardControlService over real gRPC on 127.0.0.1:0, with real personas, the
// generated test PKI and the real card model behind the slots.
#define BOOST_TEST_MODULE server_service_test
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>

#include <google/protobuf/util/time_util.h>
#include <boost/test/unit_test.hpp>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "emulator/server/emulator_server.h"
#include "emulator/server/environment.h"
#include "emulator/server/tests/server_test_support.h"
#include "zairyu/card/v1/card_control.grpc.pb.h"

namespace pb = zairyu::card::v1;
using namespace zairyu::server;
using namespace zairyu::server::testing;

namespace {

// An Environment with two slots and a card state directory, served on a free
// loopback port, plus a client stub.
struct Served {
  explicit Served(std::optional<std::string> token = std::nullopt)
      : environment(EnvironmentOptions{.personas_dir = personas_dir(),
                                       .pki_dir = pki_dir(),
                                       .card_state_dir = state_dir.path(),
                                       .slot_count = 2}),
        server(EmulatorServer::start(
            environment, ServerOptions{.listen = "127.0.0.1:0", .control_token = token})),
        stub(pb::CardControl::NewStub(grpc::CreateChannel(
            "127.0.0.1:" + std::to_string(server->port()), grpc::InsecureChannelCredentials()))) {}

  grpc::Status insert(int slot, const std::string& persona,
                      pb::StateMode mode = pb::STATE_MODE_UNSPECIFIED, bool replace = false) {
    grpc::ClientContext context;
    pb::InsertCardRequest request;
    request.set_slot(slot);
    request.set_persona_id(persona);
    request.set_state_mode(mode);
    request.set_replace(replace);
    pb::InsertCardResponse response;
    return stub->InsertCard(&context, request, &response);
  }
  grpc::Status remove(int slot) {
    grpc::ClientContext context;
    pb::RemoveCardRequest request;
    request.set_slot(slot);
    pb::RemoveCardResponse response;
    return stub->RemoveCard(&context, request, &response);
  }
  pb::PinStatus pin(int slot, pb::Pin which) {
    grpc::ClientContext context;
    pb::GetPinStatusRequest request;
    request.set_slot(slot);
    pb::GetPinStatusResponse response;
    BOOST_REQUIRE(stub->GetPinStatus(&context, request, &response).ok());
    for (const auto& p : response.pins()) {
      if (p.pin() == which) return p;
    }
    BOOST_FAIL("PIN not reported");
    return {};
  }
  std::vector<pb::ApduLogEntry> log(int slot, bool reveal, std::uint64_t after = 0) {
    grpc::ClientContext context;
    pb::StreamApduLogRequest request;
    request.set_slot(slot);
    request.set_reveal_pin_data(reveal);
    request.set_after_sequence(after);
    auto reader = stub->StreamApduLog(&context, request);
    std::vector<pb::ApduLogEntry> entries;
    pb::ApduLogEntry entry;
    while (reader->Read(&entry)) entries.push_back(entry);
    BOOST_REQUIRE(reader->Finish().ok());
    return entries;
  }
  // SELECT JPKI-AP and the auth PIN EF, then VERIFY `pin`; returns VERIFY's SW.
  std::string verify_auth(int slot, const std::string& pin) {
    auto& s = environment.slot(slot);
    BOOST_REQUIRE_EQUAL(sw(s.exchange(select_jpki_ap())), "90 00");
    BOOST_REQUIRE_EQUAL(sw(s.exchange(select_auth_pin_ef())), "90 00");
    return sw(s.exchange(verify(pin)));
  }

  TempDir state_dir;
  Environment environment;
  std::unique_ptr<EmulatorServer> server;
  std::unique_ptr<pb::CardControl::Stub> stub;
};

void check_error(const grpc::Status& status, grpc::StatusCode code, const std::string& reason) {
  BOOST_TEST(status.error_code() == code);
  const auto info = error_info(status);
  BOOST_TEST(info.reason() == reason);
  BOOST_TEST(info.domain() == "zairyu-lab");
}

}  // namespace

BOOST_AUTO_TEST_CASE(list_slots_reports_every_slot) {
  Served s;
  BOOST_REQUIRE(s.insert(1, "adult-valid").ok());
  grpc::ClientContext context;
  pb::ListSlotsResponse response;
  BOOST_REQUIRE(s.stub->ListSlots(&context, pb::ListSlotsRequest(), &response).ok());
  BOOST_REQUIRE_EQUAL(response.slots_size(), 2);
  BOOST_TEST(!response.slots(0).card_present());
  BOOST_TEST(response.slots(0).state_mode() == pb::STATE_MODE_UNSPECIFIED);
  BOOST_TEST(response.slots(1).index() == 1);
  BOOST_TEST(response.slots(1).card_present());
  BOOST_TEST(response.slots(1).persona_id() == "adult-valid");
  // The fixture has a card state directory, so the default is persistent.
  BOOST_TEST(response.slots(1).state_mode() == pb::STATE_MODE_PERSISTENT);
  BOOST_TEST(!response.slots(1).has_vpcd_port());
}

BOOST_AUTO_TEST_CASE(inserted_card_answers_and_removal_empties_the_slot) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid").ok());
  BOOST_TEST(sw(s.environment.slot(0).exchange(select_jpki_ap())) == "90 00");
  BOOST_REQUIRE(s.remove(0).ok());
  BOOST_TEST(!s.environment.slot(0).present());
  BOOST_TEST(sw(s.environment.slot(0).exchange(select_jpki_ap())) == "none");
  check_error(s.remove(0), grpc::StatusCode::FAILED_PRECONDITION, "SLOT_EMPTY");
}

BOOST_AUTO_TEST_CASE(pin_status_counts_wrong_verifies) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_FRESH).ok());
  auto auth = s.pin(0, pb::PIN_JPKI_AUTH);
  BOOST_TEST(auth.tries_left() == 3);
  BOOST_TEST(auth.max_tries() == 3);
  BOOST_TEST(s.verify_auth(0, "9999") == "63 C2");
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_AUTH).tries_left() == 2);
  BOOST_TEST(s.verify_auth(0, "9999") == "63 C1");
  BOOST_TEST(s.verify_auth(0, "9999") == "63 C0");
  auth = s.pin(0, pb::PIN_JPKI_AUTH);
  BOOST_TEST(auth.tries_left() == 0);
  BOOST_TEST(auth.blocked());
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_SIGN).max_tries() == 5);
}

BOOST_AUTO_TEST_CASE(pin_overrides_set_counters_and_are_validated) {
  Served s;
  grpc::ClientContext context;
  pb::InsertCardRequest request;
  request.set_slot(0);
  request.set_persona_id("adult-valid");
  auto* o = request.add_pin_tries();
  o->set_pin(pb::PIN_JPKI_SIGN);
  o->set_tries_left(1);
  request.mutable_options()->set_eof_answers_6282(true);
  pb::InsertCardResponse response;
  BOOST_REQUIRE(s.stub->InsertCard(&context, request, &response).ok());
  BOOST_TEST(response.slot().persona_id() == "adult-valid");
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_SIGN).tries_left() == 1);
  BOOST_REQUIRE(s.remove(0).ok());

  o->set_tries_left(6);
  grpc::ClientContext context2;
  const auto status = s.stub->InsertCard(&context2, request, &response);
  check_error(status, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_PIN_OVERRIDE");
  const auto violations = bad_request(status);
  BOOST_REQUIRE_EQUAL(violations.field_violations_size(), 1);
  BOOST_TEST(violations.field_violations(0).field() == "pin_tries.jpki_sign");
  BOOST_TEST(!s.environment.slot(0).present());
}

BOOST_AUTO_TEST_CASE(persistent_state_survives_removal_fresh_does_not) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_PERSISTENT).ok());
  BOOST_TEST(s.verify_auth(0, "9999") == "63 C2");
  BOOST_REQUIRE(s.remove(0).ok());
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_PERSISTENT).ok());
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_AUTH).tries_left() == 2);
  BOOST_REQUIRE(s.remove(0).ok());
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_FRESH).ok());
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_AUTH).tries_left() == 3);
}

BOOST_AUTO_TEST_CASE(fresh_cards_are_copies_persistent_card_is_one) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_FRESH).ok());
  BOOST_REQUIRE(s.insert(1, "adult-valid", pb::STATE_MODE_FRESH).ok());
  // The copies are independent: a wrong PIN on one leaves the other alone.
  BOOST_TEST(s.verify_auth(0, "9999") == "63 C2");
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_AUTH).tries_left() == 2);
  BOOST_TEST(s.pin(1, pb::PIN_JPKI_AUTH).tries_left() == 3);
  // A fresh copy beside the persistent card is fine; a second persistent one is not.
  BOOST_REQUIRE(s.remove(1).ok());
  BOOST_REQUIRE(s.insert(1, "adult-valid", pb::STATE_MODE_PERSISTENT).ok());
  BOOST_REQUIRE(s.remove(0).ok());
  check_error(s.insert(0, "adult-valid", pb::STATE_MODE_PERSISTENT),
              grpc::StatusCode::FAILED_PRECONDITION, "PERSONA_CARD_IN_USE");
}

BOOST_AUTO_TEST_CASE(replace_swaps_the_card_without_emptying_the_slot) {
  std::vector<zairyu::slots::SlotEvent> events;  // outlives the slot's listener
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_FRESH).ok());
  BOOST_TEST(s.verify_auth(0, "9999") == "63 C2");
  s.environment.slot(0).set_listener([&](zairyu::slots::SlotEvent e) { events.push_back(e); });
  BOOST_REQUIRE(s.insert(0, "child-14", pb::STATE_MODE_FRESH, true).ok());
  BOOST_TEST(s.environment.slot_info(0).persona_id.value_or("") == "child-14");
  // A swap shows as a reset, never as a removal (a vpcd link would drop).
  BOOST_TEST((events == std::vector{zairyu::slots::SlotEvent::kReset}));
  // The new card is as issued, with nothing selected.
  BOOST_TEST(sw(s.environment.slot(0).exchange(select_auth_pin_ef())) != "90 00");
  BOOST_REQUIRE(s.insert(0, "adult-valid", pb::STATE_MODE_FRESH, true).ok());
  BOOST_TEST(s.pin(0, pb::PIN_JPKI_AUTH).tries_left() == 3);
  // Into an empty slot, replace simply inserts.
  BOOST_REQUIRE(s.insert(1, "adult-valid", pb::STATE_MODE_FRESH, true).ok());
  BOOST_TEST(s.environment.slot(1).present());
}

BOOST_AUTO_TEST_CASE(faults_are_aimed_and_cleared) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid").ok());
  {
    grpc::ClientContext context;
    pb::SetFaultRequest request;
    request.set_slot(0);
    request.mutable_fault()->set_ins(0xA4);
    request.mutable_fault()->set_nth(2);
    request.mutable_fault()->set_action(pb::FAULT_ACTION_STATUS_WORD);
    request.mutable_fault()->set_status_word(0x6A82);
    pb::SetFaultResponse response;
    BOOST_REQUIRE(s.stub->SetFault(&context, request, &response).ok());
  }
  auto& slot = s.environment.slot(0);
  BOOST_TEST(sw(slot.exchange(select_jpki_ap())) == "90 00");
  BOOST_TEST(sw(slot.exchange(select_jpki_ap())) == "6A 82");
  BOOST_TEST(sw(slot.exchange(select_jpki_ap())) == "90 00");
  {
    grpc::ClientContext context;
    pb::SetFaultRequest request;
    request.set_slot(0);
    request.mutable_fault()->set_action(pb::FAULT_ACTION_MUTE);
    pb::SetFaultResponse response;
    BOOST_REQUIRE(s.stub->SetFault(&context, request, &response).ok());
  }
  BOOST_TEST(sw(slot.exchange(select_jpki_ap())) == "none");
  {
    grpc::ClientContext context;
    pb::ClearFaultsRequest request;
    request.set_slot(0);
    pb::ClearFaultsResponse response;
    BOOST_REQUIRE(s.stub->ClearFaults(&context, request, &response).ok());
  }
  BOOST_TEST(sw(slot.exchange(select_jpki_ap())) == "90 00");
}

BOOST_AUTO_TEST_CASE(invalid_faults_are_rejected_with_the_field) {
  Served s;
  grpc::ClientContext context;
  pb::SetFaultRequest request;
  request.set_slot(0);
  request.mutable_fault()->set_ins(300);
  request.mutable_fault()->set_action(pb::FAULT_ACTION_TRUNCATE);
  pb::SetFaultResponse response;
  const auto status = s.stub->SetFault(&context, request, &response);
  check_error(status, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FAULT");
  BOOST_REQUIRE_EQUAL(bad_request(status).field_violations_size(), 1);
  BOOST_TEST(bad_request(status).field_violations(0).field() == "fault.ins");

  grpc::ClientContext context2;
  request.mutable_fault()->clear_ins();
  request.mutable_fault()->set_action(pb::FAULT_ACTION_DELAY);  // without a delay
  check_error(s.stub->SetFault(&context2, request, &response), grpc::StatusCode::INVALID_ARGUMENT,
              "INVALID_FAULT");
}

BOOST_AUTO_TEST_CASE(apdu_log_masks_pins_unless_revealed) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid").ok());
  BOOST_TEST(s.verify_auth(0, "1234") == "90 00");

  const auto masked = s.log(0, false);
  BOOST_REQUIRE_EQUAL(masked.size(), 3u);
  BOOST_TEST(masked[0].sequence() < masked[2].sequence());
  BOOST_TEST(masked[0].slot() == 0);
  BOOST_TEST(masked[0].time().seconds() > 0);
  BOOST_TEST(!masked[0].pin_data());
  BOOST_TEST(masked[2].pin_data());
  BOOST_TEST(masked[2].pin_data_masked());
  BOOST_TEST(masked[2].command().find("1234") == std::string::npos);
  BOOST_TEST(masked[2].command().substr(5) == "****");
  BOOST_TEST(masked[2].response() == std::string("\x90\x00", 2));

  const auto revealed = s.log(0, true);
  BOOST_REQUIRE_EQUAL(revealed.size(), 3u);
  BOOST_TEST(!revealed[2].pin_data_masked());
  BOOST_TEST(revealed[2].command().substr(5) == "1234");

  const auto tail = s.log(0, false, masked[1].sequence());
  BOOST_REQUIRE_EQUAL(tail.size(), 1u);
  BOOST_TEST(tail[0].sequence() == masked[2].sequence());
}

BOOST_AUTO_TEST_CASE(following_stream_sends_new_entries_and_ends_on_cancel_and_shutdown) {
  Served s;
  BOOST_REQUIRE(s.insert(0, "adult-valid").ok());
  pb::StreamApduLogRequest request;
  request.set_slot(0);
  request.set_follow(true);

  grpc::ClientContext cancelled;
  auto reader = s.stub->StreamApduLog(&cancelled, request);
  BOOST_TEST(sw(s.environment.slot(0).exchange(select_jpki_ap())) == "90 00");
  pb::ApduLogEntry entry;
  BOOST_REQUIRE(reader->Read(&entry));
  BOOST_TEST(entry.command().substr(0, 4) == std::string("\x00\xA4\x04\x0C", 4));
  cancelled.TryCancel();
  while (reader->Read(&entry)) {
  }
  BOOST_TEST(reader->Finish().error_code() == grpc::StatusCode::CANCELLED);

  // A following stream must not hold up shutdown; the client sees its end.
  grpc::ClientContext open;
  auto open_reader = s.stub->StreamApduLog(&open, request);
  BOOST_REQUIRE(open_reader->Read(&entry));  // the entry logged above
  std::thread stopper([&] { s.server->shutdown(); });
  while (open_reader->Read(&entry)) {
  }
  const auto status = open_reader->Finish();
  stopper.join();
  check_error(status, grpc::StatusCode::UNAVAILABLE, "SHUTTING_DOWN");
}

BOOST_AUTO_TEST_CASE(bad_slots_and_personas_are_named) {
  Served s;
  auto status = s.insert(7, "adult-valid");
  check_error(status, grpc::StatusCode::INVALID_ARGUMENT, "SLOT_OUT_OF_RANGE");
  BOOST_TEST(error_info(status).metadata().at("slot_count") == "2");
  BOOST_REQUIRE_EQUAL(bad_request(status).field_violations_size(), 1);
  BOOST_TEST(bad_request(status).field_violations(0).field() == "slot");
  check_error(s.insert(-1, "adult-valid"), grpc::StatusCode::INVALID_ARGUMENT, "SLOT_OUT_OF_RANGE");
  check_error(s.insert(0, "nobody"), grpc::StatusCode::NOT_FOUND, "PERSONA_NOT_FOUND");
  check_error(s.insert(0, "../personas/adult-valid"), grpc::StatusCode::INVALID_ARGUMENT,
              "PERSONA_ID_INVALID");
  check_error(s.insert(0, ""), grpc::StatusCode::INVALID_ARGUMENT, "PERSONA_ID_INVALID");

  BOOST_REQUIRE(s.insert(0, "adult-valid").ok());
  check_error(s.insert(0, "child-14"), grpc::StatusCode::FAILED_PRECONDITION, "SLOT_OCCUPIED");
  check_error(s.insert(1, "adult-valid"), grpc::StatusCode::FAILED_PRECONDITION,
              "PERSONA_CARD_IN_USE");

  grpc::ClientContext context;
  pb::GetPinStatusRequest request;
  request.set_slot(1);
  pb::GetPinStatusResponse response;
  check_error(s.stub->GetPinStatus(&context, request, &response),
              grpc::StatusCode::FAILED_PRECONDITION, "SLOT_EMPTY");
  grpc::ClientContext context2;
  pb::StreamApduLogRequest log_request;
  log_request.set_slot(9);
  auto reader = s.stub->StreamApduLog(&context2, log_request);
  pb::ApduLogEntry entry;
  BOOST_TEST(!reader->Read(&entry));
  check_error(reader->Finish(), grpc::StatusCode::INVALID_ARGUMENT, "SLOT_OUT_OF_RANGE");
}

BOOST_AUTO_TEST_CASE(control_token_is_enforced) {
  Served s("s3cret");
  auto list = [&](const std::optional<std::string>& authorization) {
    grpc::ClientContext context;
    if (authorization) context.AddMetadata("authorization", *authorization);
    pb::ListSlotsResponse response;
    return s.stub->ListSlots(&context, pb::ListSlotsRequest(), &response);
  };
  check_error(list(std::nullopt), grpc::StatusCode::UNAUTHENTICATED, "CONTROL_TOKEN_REQUIRED");
  check_error(list("Bearer wrong!"), grpc::StatusCode::UNAUTHENTICATED, "CONTROL_TOKEN_REQUIRED");
  check_error(list("s3cret"), grpc::StatusCode::UNAUTHENTICATED, "CONTROL_TOKEN_REQUIRED");
  BOOST_TEST(list("Bearer s3cret").ok());
  // Refused calls change nothing.
  check_error(s.insert(0, "adult-valid"), grpc::StatusCode::UNAUTHENTICATED,
              "CONTROL_TOKEN_REQUIRED");
  BOOST_TEST(!s.environment.slot(0).present());
}

BOOST_AUTO_TEST_CASE(health_service_answers_serving_without_a_token) {
  Served s("s3cret");
  // grpc.health.v1.Health/Check by hand (Debian ships no health .proto):
  // an empty HealthCheckRequest; SERVING is HealthCheckResponse{status: 1}.
  grpc::GenericStub generic(grpc::CreateChannel("127.0.0.1:" + std::to_string(s.server->port()),
                                                grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  const grpc::Slice empty(std::string{});
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status status) { done.set_value(status); });
  BOOST_REQUIRE(done.get_future().get().ok());
  std::vector<grpc::Slice> slices;
  BOOST_REQUIRE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  BOOST_TEST(bytes == std::string("\x08\x01", 2));
}

namespace {

grpc::Status set_certificate_state(Served& s, const std::string& persona, pb::Certificate which,
                                   pb::CertificateState state,
                                   pb::SetCertificateStateResponse* response) {
  grpc::ClientContext context;
  pb::SetCertificateStateRequest request;
  request.set_persona_id(persona);
  request.set_certificate(which);
  request.set_state(state);
  return s.stub->SetCertificateState(&context, request, response);
}

}  // namespace

// SetCertificateState re-issues relative to the virtual clock (2026-01-01
// 09:00 JST at start) and names what is wrong with a request.
BOOST_AUTO_TEST_CASE(certificate_states_are_set_and_validated) {
  Served s;
  pb::SetCertificateStateResponse response;
  BOOST_REQUIRE(set_certificate_state(s, "adult-valid", pb::CERTIFICATE_AUTH,
                                      pb::CERTIFICATE_STATE_EXPIRED, &response)
                    .ok());
  const auto start = s.environment.online().clock().Now().time_since_epoch().count();
  BOOST_TEST(response.not_after().seconds() == start - 86400);
  BOOST_TEST(!response.serial().empty());
  BOOST_TEST(!response.certificate_der().empty());
  BOOST_REQUIRE(set_certificate_state(s, "adult-valid", pb::CERTIFICATE_AUTH,
                                      pb::CERTIFICATE_STATE_VALID, &response)
                    .ok());
  BOOST_TEST(response.certificate_der().empty());
  check_error(set_certificate_state(s, "adult-valid", pb::CERTIFICATE_UNSPECIFIED,
                                    pb::CERTIFICATE_STATE_EXPIRED, &response),
              grpc::StatusCode::INVALID_ARGUMENT, "REQUEST_INVALID");
  check_error(set_certificate_state(s, "adult-valid", pb::CERTIFICATE_SIGN,
                                    pb::CERTIFICATE_STATE_UNSPECIFIED, &response),
              grpc::StatusCode::INVALID_ARGUMENT, "REQUEST_INVALID");
  check_error(set_certificate_state(s, "nobody", pb::CERTIFICATE_AUTH,
                                    pb::CERTIFICATE_STATE_EXPIRED, &response),
              grpc::StatusCode::NOT_FOUND, "PERSONA_NOT_FOUND");
  check_error(set_certificate_state(s, "child-14", pb::CERTIFICATE_SIGN,
                                    pb::CERTIFICATE_STATE_REVOKED, &response),
              grpc::StatusCode::FAILED_PRECONDITION, "CERTIFICATE_NOT_ISSUED");
}
