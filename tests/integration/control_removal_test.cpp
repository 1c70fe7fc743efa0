// Card removal and reinsertion through the emulator's CardControl gRPC service
// are seen by PC/SC programs: the real zairyu-emulator process serves a slot to
// the real pcscd (tools/pcscd-vpcd), and an application watching the reader
// with SCardGetStatusChange sees the card go and come back, and can use it.
#define BOOST_TEST_MODULE control_removal
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/pcscd_fixture.h"
#include "zairyu/card/v1/card_control.grpc.pb.h"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using zairyu::card::Bytes;
using zairyu::card::from_hex;
using zairyu::testing::PcscClient;
using zairyu::testing::PcscdRun;
namespace cardv1 = zairyu::card::v1;

constexpr std::uint16_t kPortBase = 42500;

// The zairyu-emulator binary serving one vpcd slot; killed with SIGTERM.
class EmulatorProcess {
 public:
  EmulatorProcess(const PcscdRun& pcscd, const std::string& dir) {
    const std::string port_file = dir + "/emulator.port";
    std::vector<std::string> args{ZAIRYU_EMULATOR,
                                  "--listen=127.0.0.1:0",
                                  "--port-file=" + port_file,
                                  std::string("--personas=") + ZAIRYU_PERSONAS_DIR,
                                  std::string("--pki=") + ZAIRYU_PKI_DIR,
                                  "--vpcd-slots=1",
                                  "--vpcd-port-base=" + std::to_string(kPortBase),
                                  "--state=:memory:"};
    if (!pcscd.netns().empty()) args.push_back("--vpcd-netns=" + pcscd.netns());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    BOOST_TEST_REQUIRE(posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
    for (int i = 0; i < 200 && port_.empty(); ++i) {
      std::ifstream in(port_file);
      std::getline(in, port_);
      if (port_.empty()) std::this_thread::sleep_for(50ms);
    }
    BOOST_TEST_REQUIRE(!port_.empty());
  }
  ~EmulatorProcess() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  std::string address() const { return "127.0.0.1:" + port_; }

 private:
  pid_t pid_ = 0;
  std::string port_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(remove_and_reinsert_through_card_control_are_seen_by_pcsc) {
  PcscdRun pcscd("control_removal", 1, kPortBase, "normal", PcscdRun::Network::kAuto);
  pcscd.start();
  EmulatorProcess emulator(pcscd, pcscd.dir());
  auto control = cardv1::CardControl::NewStub(
      grpc::CreateChannel(emulator.address(), grpc::InsecureChannelCredentials()));
  const std::string reader = PcscdRun::reader_name(0);
  PcscClient pcsc;
  BOOST_TEST(pcsc.wait_card(reader, false, 10s));

  auto insert = [&] {
    grpc::ClientContext context;
    cardv1::InsertCardRequest request;
    request.set_slot(0);
    request.set_persona_id("adult-valid");
    cardv1::InsertCardResponse response;
    return control->InsertCard(&context, request, &response);
  };
  const Bytes select_jpki = from_hex("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01");

  BOOST_TEST_REQUIRE(insert().ok());
  BOOST_TEST_REQUIRE(pcsc.wait_card(reader, true, 10s));
  pcsc.connect(reader);
  BOOST_TEST(pcsc.transmit(select_jpki) == from_hex("90 00"));

  {
    grpc::ClientContext context;
    cardv1::RemoveCardRequest request;
    request.set_slot(0);
    cardv1::RemoveCardResponse response;
    BOOST_TEST_REQUIRE(control->RemoveCard(&context, request, &response).ok());
  }
  BOOST_TEST(pcsc.wait_card(reader, false, 10s));
  BOOST_CHECK_THROW(pcsc.transmit(select_jpki), std::runtime_error);

  BOOST_TEST_REQUIRE(insert().ok());
  BOOST_TEST_REQUIRE(pcsc.wait_card(reader, true, 10s));
  pcsc.connect(reader);
  BOOST_TEST(pcsc.transmit(select_jpki) == from_hex("90 00"));
}
