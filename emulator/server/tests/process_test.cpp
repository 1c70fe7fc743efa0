// Runs the real zairyu-emulator binary: it prints its port, serves ListSlots,
// and exits 0 on SIGTERM even with a following log stream open.
#define BOOST_TEST_MODULE server_process_test
#include <arpa/inet.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "emulator/server/tests/emulator_process.h"
#include "emulator/server/tests/server_test_support.h"
#include "zairyu/card/v1/card_control.grpc.pb.h"

namespace pb = zairyu::card::v1;
using namespace zairyu::server::testing;

namespace {

// Plays vpcd's side of one frame exchange on `fd`: sends the length-prefixed
// `payload`, returns the payload of the answer frame.
zairyu::card::Bytes vpcd_exchange(int fd, const zairyu::card::Bytes& payload) {
  zairyu::card::Bytes frame = {static_cast<std::uint8_t>(payload.size() >> 8),
                               static_cast<std::uint8_t>(payload.size() & 0xFF)};
  frame.insert(frame.end(), payload.begin(), payload.end());
  BOOST_REQUIRE(::send(fd, frame.data(), frame.size(), 0) == static_cast<ssize_t>(frame.size()));
  auto receive = [fd](std::size_t n) {
    zairyu::card::Bytes data(n);
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::recv(fd, data.data() + got, n - got, 0);
      BOOST_REQUIRE(r > 0);
      got += static_cast<std::size_t>(r);
    }
    return data;
  };
  const auto length = receive(2);
  return receive(static_cast<std::size_t>(length[0] << 8 | length[1]));
}

}  // namespace

BOOST_AUTO_TEST_CASE(prints_its_port_serves_and_exits_cleanly_on_sigterm) {
  TempDir dir;
  const auto port_file = dir.path() / "port";
  EmulatorProcess emulator({"--listen", "127.0.0.1:0", "--personas", personas_dir().string(),
                            "--pki", pki_dir().string(), "--card-state",
                            (dir.path() / "cards").string(), "--slots", "2", "--insert",
                            "1=adult-valid", "--port-file", port_file.string(), "--control-token",
                            "t0ken", "--state", ":memory:"});
  const auto line = emulator.line();
  BOOST_REQUIRE(line.has_value());
  BOOST_REQUIRE(line->starts_with(kListening));
  const std::string port = line->substr(std::string(kListening).size());
  std::string from_file;
  std::ifstream(port_file) >> from_file;
  BOOST_TEST(from_file == port);

  auto stub = pb::CardControl::NewStub(
      grpc::CreateChannel("127.0.0.1:" + port, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer t0ken");
  pb::ListSlotsResponse response;
  BOOST_REQUIRE(stub->ListSlots(&context, pb::ListSlotsRequest(), &response).ok());
  BOOST_REQUIRE_EQUAL(response.slots_size(), 2);
  BOOST_TEST(response.slots(1).persona_id() == "adult-valid");

  // A following stream is open while the emulator stops.
  grpc::ClientContext stream_context;
  stream_context.AddMetadata("authorization", "Bearer t0ken");
  pb::StreamApduLogRequest request;
  request.set_slot(1);
  request.set_follow(true);
  auto reader = stub->StreamApduLog(&stream_context, request);
  reader->WaitForInitialMetadata();  // the stream is live on the server

  grpc::Status stream_status;
  std::thread drain([&] {
    pb::ApduLogEntry entry;
    while (reader->Read(&entry)) {
    }
    stream_status = reader->Finish();
  });
  emulator.signal(SIGTERM);
  BOOST_TEST(emulator.wait() == 0);
  drain.join();
  BOOST_TEST(stream_status.error_code() == grpc::StatusCode::UNAVAILABLE);
}

BOOST_AUTO_TEST_CASE(sigint_stops_it_too) {
  EmulatorProcess emulator({"--listen", "127.0.0.1:0", "--personas", personas_dir().string(),
                            "--pki", pki_dir().string(), "--state", ":memory:"});
  const auto line = emulator.line();
  BOOST_REQUIRE(line.has_value());
  BOOST_TEST(line->starts_with(kListening));
  emulator.signal(SIGINT);
  BOOST_TEST(emulator.wait() == 0);
}

BOOST_AUTO_TEST_CASE(without_state_it_keeps_a_sqlite_file_under_xdg_state_home) {
  TempDir dir;
  ::setenv("XDG_STATE_HOME", dir.path().c_str(), 1);
  EmulatorProcess emulator({"--listen", "127.0.0.1:0", "--personas", personas_dir().string(),
                            "--pki", pki_dir().string()});
  ::unsetenv("XDG_STATE_HOME");
  const auto line = emulator.line();
  BOOST_REQUIRE(line.has_value());
  BOOST_TEST(line->starts_with(kListening));
  const auto state = dir.path() / "zairyu-lab" / "emulator.sqlite";
  BOOST_TEST(std::filesystem::is_regular_file(state));
  std::string header(15, '\0');
  std::ifstream(state, std::ios::binary).read(header.data(), 15);
  BOOST_TEST(header == "SQLite format 3");
  emulator.signal(SIGTERM);
  BOOST_TEST(emulator.wait() == 0);
}

BOOST_AUTO_TEST_CASE(a_failed_start_up_exits_non_zero_without_listening) {
  EmulatorProcess emulator({"--listen", "127.0.0.1:0", "--personas", personas_dir().string(),
                            "--pki", pki_dir().string(), "--insert", "0=nobody", "--state",
                            ":memory:"});
  BOOST_TEST(!emulator.line().has_value());
  BOOST_TEST(emulator.wait() == 1);
}

BOOST_AUTO_TEST_CASE(bad_online_flags_exit_non_zero_without_listening) {
  const std::vector<std::vector<std::string>> extra = {
      {"--trusted-proxy", "not-a-cidr"},
      {"--start-time", "yesterday"},
      {"--state", "/nonexistent-dir/state.db"},
  };
  for (const auto& flags : extra) {
    std::vector<std::string> args = {"--listen",   "127.0.0.1:0",
                                     "--personas", personas_dir().string(),
                                     "--pki",      pki_dir().string()};
    args.insert(args.end(), flags.begin(), flags.end());
    EmulatorProcess emulator(args);
    BOOST_TEST_CONTEXT(flags[0]) {
      BOOST_TEST(!emulator.line().has_value());
      BOOST_TEST(emulator.wait() != 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(serves_a_slot_to_vpcd) {
  // vpcd's reversed mode: the emulator listens (on a free port here) and this
  // test connects as vpcd would.
  EmulatorProcess emulator({"--listen", "127.0.0.1:0", "--personas", personas_dir().string(),
                            "--pki", pki_dir().string(), "--vpcd-slots", "1", "--vpcd-mode",
                            "listen", "--vpcd-port-base", "0", "--insert", "0=adult-valid",
                            "--state", ":memory:"});
  const auto line = emulator.line();
  BOOST_REQUIRE(line.has_value() && line->starts_with(kListening));
  auto stub = pb::CardControl::NewStub(
      grpc::CreateChannel("127.0.0.1:" + line->substr(std::string(kListening).size()),
                          grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  pb::ListSlotsResponse response;
  BOOST_REQUIRE(stub->ListSlots(&context, pb::ListSlotsRequest(), &response).ok());
  BOOST_REQUIRE_EQUAL(response.slots_size(), 1);
  BOOST_REQUIRE(response.slots(0).has_vpcd_port());

  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(response.slots(0).vpcd_port()));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  BOOST_TEST(zairyu::card::to_hex(vpcd_exchange(fd, {0x04})) == "3B E0 00 FF 81 31 FE 45 14");
  BOOST_TEST(sw(vpcd_exchange(fd, select_jpki_ap())) == "90 00");
  ::close(fd);

  emulator.signal(SIGTERM);
  BOOST_TEST(emulator.wait() == 0);
}
