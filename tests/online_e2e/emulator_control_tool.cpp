// online_e2e_control: the EmulatorControl calls the end-to-end test needs
// (grpc_cli is not installed on Debian 12):
//   online_e2e_control HOST:PORT set-time RFC3339
//   online_e2e_control HOST:PORT outbox APPLICATION_ID KIND
// `outbox` prints every item about the application (kind, channel, to,
// subject) and exits 0 only when one of them has KIND. Exit 2 on a failed call.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/create_channel.h>

#include <iostream>
#include <string>

#include "zairyu/emulator/v1/control.grpc.pb.h"

namespace cpb = zairyu::emulator::v1;
using google::protobuf::util::TimeUtil;

namespace {

int usage() {
  std::cerr << "usage: online_e2e_control HOST:PORT set-time RFC3339\n"
               "       online_e2e_control HOST:PORT outbox APPLICATION_ID KIND\n";
  return 1;
}

int failed(const char* call, const grpc::Status& status) {
  std::cerr << "online_e2e_control: " << call << " failed: " << status.error_message() << '\n';
  return 2;
}

// Each call gets a bounded deadline: the test must never hang on a dead server.
void bound(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return usage();
  auto stub = cpb::EmulatorControl::NewStub(
      grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  const std::string command = argv[2];
  if (command == "set-time" && argc == 4) {
    cpb::SetTimeRequest request;
    if (!TimeUtil::FromString(argv[3], request.mutable_time())) {
      std::cerr << "online_e2e_control: not RFC 3339: " << argv[3] << '\n';
      return 1;
    }
    cpb::TimeResponse response;
    grpc::ClientContext context;
    bound(context);
    const auto status = stub->SetTime(&context, request, &response);
    return status.ok() ? 0 : failed("SetTime", status);
  }
  if (command == "outbox" && argc == 5) {
    cpb::ListOutboxRequest request;
    request.set_application_id(argv[3]);
    cpb::ListOutboxResponse response;
    grpc::ClientContext context;
    bound(context);
    const auto status = stub->ListOutbox(&context, request, &response);
    if (!status.ok()) return failed("ListOutbox", status);
    bool found = false;
    for (const auto& item : response.items()) {
      std::cout << item.kind() << '\t' << item.channel() << '\t' << item.to() << '\t'
                << item.subject() << '\n';
      found = found || item.kind() == argv[4];
    }
    if (!found) std::cerr << "online_e2e_control: no " << argv[4] << " for " << argv[3] << '\n';
    return found ? 0 : 3;
  }
  return usage();
}
