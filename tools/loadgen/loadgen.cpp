// zairyu-loadgen: submits signed applications to zairyu-emulator over loopback
// gRPC from N concurrent clients, and sends Echo RPCs of the same size to the
// same server, alternating in rounds so load drift hits both; prints both
// rates and latency percentiles for each N (--clients 4,16) in one run.
// Optionally fills the store to a number of applications and reports the
// emulator's resident set size.
//
// Every submission is a distinct application (its own idempotency key, so its
// own signature); the signatures are made before the timed phase so the
// client's RSA work does not count. The emulator is started by the tool
// (--emulator) so its RSS can be read, or an already running one is used
// (--target, no RSS).
#include <grpcpp/create_channel.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "zairyu/emulator/v1/control.grpc.pb.h"
#include "zairyu/online/v1/online.grpc.pb.h"

namespace {

namespace opb = ::zairyu::online::v1;
namespace cpb = ::zairyu::emulator::v1;
using Clock = std::chrono::steady_clock;

constexpr char kPersona[] = "adult-valid";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// RSA PKCS#1 v1.5 SHA-256 signer over one PEM key.
class Signer {
 public:
  explicit Signer(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    key_ = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (key_ == nullptr) throw std::runtime_error("bad private key");
  }
  ~Signer() { EVP_PKEY_free(key_); }
  Signer(const Signer&) = delete;
  Signer& operator=(const Signer&) = delete;

  std::string sign(const std::string& data) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key_);
    EVP_DigestSign(ctx, nullptr, &len, in, data.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(len);
    return sig;
  }

 private:
  EVP_PKEY* key_ = nullptr;
};

// The emulator process the tool started (killed with SIGTERM at the end).
class EmulatorProcess {
 public:
  EmulatorProcess(const std::string& binary, const std::vector<std::string>& args,
                  const std::filesystem::path& port_file) {
    std::filesystem::remove(port_file);
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv{const_cast<char*>(binary.c_str())};
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    for (int i = 0; i < 100 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    port_ = std::stoi(read_file(port_file));
  }
  ~EmulatorProcess() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  int port() const { return port_; }
  // VmRSS in KiB.
  long rss_kib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

void check(const grpc::Status& status, const char* what) {
  if (!status.ok()) throw std::runtime_error(std::string(what) + ": " + status.error_message());
}

opb::ApplicationForm form() {
  opb::ApplicationForm f;
  auto* a = f.mutable_applicant();
  a->set_birth_date("1994-05-12");
  a->mutable_status()->set_name("技術・人文知識・国際業務");
  a->mutable_period_of_stay()->set_years(3);
  a->set_stay_expires_on("2027-06-30");
  f.add_procedures(opb::EXTENSION_OF_STAY);
  f.mutable_requested_status()->set_name("技術・人文知識・国際業務");
  f.set_delivery(opb::DELIVERY_POST);
  f.set_postal_address("東京都千代田区テスト町１丁目２番３号");
  return f;
}

// Signed requests with keys prefix-0, prefix-1, ..., made on `threads` threads.
std::vector<opb::SubmitApplicationRequest> make_requests(const Signer& signer,
                                                         const std::string& certificate,
                                                         const std::string& prefix, int count,
                                                         int threads) {
  std::vector<opb::SubmitApplicationRequest> out(static_cast<std::size_t>(count));
  const opb::ApplicationForm f = form();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = t; i < count; i += threads) {
        opb::SignedApplication signed_application;
        *signed_application.mutable_form() = f;
        const std::string key = prefix + "-" + std::to_string(i);
        signed_application.set_idempotency_key(key);
        auto& r = out[static_cast<std::size_t>(i)];
        r.set_signed_application(signed_application.SerializeAsString());
        r.set_signature(signer.sign(r.signed_application()));
        r.set_signature_certificate(certificate);
        r.set_idempotency_key(key);
      }
    });
  }
  for (auto& w : workers) w.join();
  return out;
}

struct Run {
  double seconds = 0;
  std::vector<double> latencies_us;  // sorted
  int failures = 0;

  // Adds another run's calls and time (the rounds of one measurement).
  void add(const Run& other) {
    seconds += other.seconds;
    latencies_us.insert(latencies_us.end(), other.latencies_us.begin(), other.latencies_us.end());
    std::sort(latencies_us.begin(), latencies_us.end());
    failures += other.failures;
  }
  double rate() const { return static_cast<double>(latencies_us.size()) / seconds; }
};

// Runs calls first..last-1 of `one(client, i)` spread over `clients` threads.
template <typename One>
Run run(int clients, int first, int last, One one) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<int> next{first};
  std::atomic<int> failures{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      for (int i = next++; i < last; i = next++) {
        const auto t0 = Clock::now();
        if (!one(c, i)) ++failures;
        latencies[static_cast<std::size_t>(c)].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  Run r;
  r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& l : latencies) r.latencies_us.insert(r.latencies_us.end(), l.begin(), l.end());
  std::sort(r.latencies_us.begin(), r.latencies_us.end());
  r.failures = failures;
  return r;
}

double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[i];
}

void print(const char* name, const Run& r) {
  fmt::print(
      "{:<10} {:>8} calls {:>9.0f}/s  p50 {:>7.0f} us  p90 {:>7.0f} us  p99 {:>7.0f} us  "
      "max {:>7.0f} us  failures {}\n",
      name, r.latencies_us.size(), r.rate(), percentile(r.latencies_us, 0.5),
      percentile(r.latencies_us, 0.9), percentile(r.latencies_us, 0.99),
      r.latencies_us.empty() ? 0.0 : r.latencies_us.back(), r.failures);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"zairyu-loadgen: signed submissions vs. Echo of the same size, over loopback"};
  std::string target;
  std::string emulator;
  std::string personas;
  std::string pki;
  std::string state = ":memory:";
  std::vector<int> client_counts{4, 16};
  int requests = 4000;
  int rounds = 4;
  int fill = 0;
  app.add_option("--target", target, "a running emulator, 127.0.0.1:PORT");
  app.add_option("--emulator", emulator, "start this zairyu-emulator binary (RSS is reported)");
  app.add_option("--personas", personas, "persona directory (with --emulator)");
  app.add_option("--pki", pki, "test PKI directory (keys of adult-valid)")->required();
  app.add_option("--state", state, "the started emulator's --state")->capture_default_str();
  app.add_option("--clients", client_counts, "concurrent clients; one measurement per count")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--requests", requests, "timed submissions (and as many echoes) per client count")
      ->capture_default_str();
  app.add_option("--rounds", rounds,
                 "submissions and echoes alternate in this many rounds (load drift hits both)")
      ->capture_default_str();
  app.add_option("--fill", fill, "then fill the store to this many applications, report RSS");
  CLI11_PARSE(app, argc, argv);
  const int clients = *std::max_element(client_counts.begin(), client_counts.end());
  if (clients < 1 || rounds < 1 || requests < rounds) {
    std::cerr << "--clients, --rounds and --requests must be positive, requests >= rounds\n";
    return 2;
  }
  if (target.empty() == emulator.empty()) {
    std::cerr << "give exactly one of --target and --emulator\n";
    return 2;
  }

  try {
    std::unique_ptr<EmulatorProcess> process;
    if (!emulator.empty()) {
      const auto port_file = std::filesystem::temp_directory_path() /
                             ("zairyu-loadgen-" + std::to_string(getpid()) + ".port");
      process = std::make_unique<EmulatorProcess>(
          emulator,
          std::vector<std::string>{"--listen", "127.0.0.1:0", "--port-file", port_file.string(),
                                   "--personas", personas, "--pki", pki, "--state", state},
          port_file);
      target = "127.0.0.1:" + std::to_string(process->port());
    }
    const std::filesystem::path persona_dir = std::filesystem::path(pki) / "personas" / kPersona;
    const Signer auth(read_file(persona_dir / "auth.key.pem"));
    const Signer sign(read_file(persona_dir / "sign.key.pem"));
    const std::string sign_certificate = read_file(persona_dir / "sign.crt.der");

    // One channel per client: separate HTTP/2 connections, as separate PCs.
    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int c = 0; c < clients; ++c) {
      grpc::ChannelArguments args;
      args.SetInt("loadgen.client", c);  // distinct arguments: no shared subchannel
      channels.push_back(
          grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
    }
    auto control = cpb::EmulatorControl::NewStub(channels[0]);
    auto online = opb::OnlineSystem::NewStub(channels[0]);

    // The applicant: adult-valid, in its extension window.
    {
      grpc::ClientContext context;
      cpb::SetTimeRequest request;
      *request.mutable_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
          1806537600);  // 2027-04-01T09:00:00+09:00
      cpb::TimeResponse response;
      check(control->SetTime(&context, request, &response), "SetTime");
    }
    auto card = [&](bool login) {
      grpc::ClientContext context;
      opb::Challenge challenge;
      check(login ? online->GetLoginChallenge(&context, {}, &challenge)
                  : online->GetRegistrationChallenge(&context, {}, &challenge),
            "challenge");
      opb::CardAuthentication proof;
      proof.set_challenge(challenge.challenge());
      proof.set_signature(auth.sign(challenge.challenge()));
      proof.set_auth_certificate(read_file(persona_dir / "auth.crt.der"));
      return proof;
    };
    std::string user_id;
    {
      grpc::ClientContext context;
      opb::RegisterUserRequest request;
      request.set_category(opb::FOREIGN_NATIONAL);
      request.set_email("loadgen@example.com");
      request.set_password("loadgen");
      request.set_residence_card_number("AB12345678CD");
      *request.mutable_card() = card(false);
      opb::RegisterUserResponse response;
      const auto status = online->RegisterUser(&context, request, &response);
      if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
        check(status, "RegisterUser");
      }
      user_id = response.user_id();
    }
    std::vector<std::string> sessions;
    for (int c = 0; c < clients; ++c) {
      grpc::ClientContext context;
      opb::LoginRequest request;
      request.set_user_id(user_id);
      request.set_password("loadgen");
      *request.mutable_card() = card(true);
      opb::LoginResponse response;
      check(online->Login(&context, request, &response), "Login");
      sessions.push_back(response.session_token());
    }

    const int signers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const auto prefix = "run-" + std::to_string(getpid());
    const int total = requests * static_cast<int>(client_counts.size());
    const auto submissions = make_requests(sign, sign_certificate, prefix, total, signers);
    const std::size_t size = submissions.front().ByteSizeLong();
    fmt::print("{} submissions of {} bytes per client count, target {}\n", requests, size, target);

    std::vector<std::unique_ptr<opb::OnlineSystem::Stub>> online_stubs;
    std::vector<std::unique_ptr<cpb::EmulatorControl::Stub>> control_stubs;
    for (const auto& ch : channels) {
      online_stubs.push_back(opb::OnlineSystem::NewStub(ch));
      control_stubs.push_back(cpb::EmulatorControl::NewStub(ch));
    }
    auto submit_one = [&](const std::vector<opb::SubmitApplicationRequest>& from) {
      return [&](int c, int i) {
        grpc::ClientContext context;
        context.AddMetadata("x-zairyu-session", sessions[static_cast<std::size_t>(c)]);
        opb::SubmitApplicationResponse response;
        return online_stubs[static_cast<std::size_t>(c)]
            ->SubmitApplication(&context, from[static_cast<std::size_t>(i)], &response)
            .ok();
      };
    };
    cpb::EchoRequest echo_request;
    echo_request.set_payload(std::string(size, 'x'));
    auto echo_one = [&](int c, int) {
      grpc::ClientContext context;
      cpb::EchoResponse response;
      return control_stubs[static_cast<std::size_t>(c)]
          ->Echo(&context, echo_request, &response)
          .ok();
    };
    int offset = 0;
    for (const int n : client_counts) {
      Run submit;
      Run echo;
      for (int round = 0; round < rounds; ++round) {
        const int first = offset + requests * round / rounds;
        const int last = offset + requests * (round + 1) / rounds;
        submit.add(run(n, first, last, submit_one(submissions)));
        echo.add(run(n, first, last, echo_one));
      }
      offset += requests;
      fmt::print("{} clients\n", n);
      print("submit", submit);
      print("echo", echo);
      fmt::print("submit/echo rate ratio {:.2f}\n", submit.rate() / echo.rate());
    }
    if (process) fmt::print("emulator RSS {} MiB\n", process->rss_kib() / 1024);

    if (fill > total) {
      const auto more =
          make_requests(sign, sign_certificate, prefix + "-fill", fill - total, signers);
      const Run filled = run(clients, 0, fill - total, submit_one(more));
      print("fill", filled);
      if (process) {
        fmt::print("emulator RSS with {} applications: {} MiB\n", fill, process->rss_kib() / 1024);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "zairyu-loadgen: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
