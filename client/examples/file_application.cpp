// file_application: a small program over the public API of the online half.
// Checks an application form; with a server address it then logs in with the
// My Number Card in the first PC/SC reader and files the application, as
// `zairyu-client login` + `apply` do in one process.
//
//   zairyu_file_application FORM                  check the form only
//   zairyu_file_application FORM HOST:PORT        check, log in, file
//
// Secrets from the environment: ZAIRYU_USER_ID, ZAIRYU_PASSWORD,
// ZAIRYU_AUTH_PIN, ZAIRYU_SIGN_PIN.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "zairyu/client/application_form.h"
#include "zairyu/client/errors.h"
#include "zairyu/client/jpki_signer.h"
#include "zairyu/client/online_client.h"
#include "zairyu/client/pcsc_transport.h"

namespace zc = zairyu::client;

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  if (!value) throw std::invalid_argument(std::string("set ") + name);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: zairyu_file_application FORM [HOST:PORT]\n";
    return 1;
  }
  try {
    const zc::ApplicationForm form = zc::load_form_file(argv[1]);
    const auto violations = zc::validate_form(form);
    for (const auto& v : violations) std::cerr << v.field << ": " << v.description << '\n';
    if (!violations.empty()) return 7;
    for (const auto p : form.procedures) {
      std::cout << zc::english_name(p) << " (" << zc::japanese_name(p) << ")\n";
    }
    if (argc == 2) return 0;

    zc::PcscTransport transport;  // the first reader holding a card
    zc::CardChannel channel(transport);
    zc::JpkiCard card(channel);
    zc::JpkiSigner auth(card, zc::JpkiKey::kAuth, zc::SecretString(env("ZAIRYU_AUTH_PIN")));
    zc::JpkiSigner sign(card, zc::JpkiKey::kSign, zc::SecretString(env("ZAIRYU_SIGN_PIN")));

    zc::ServerOptions server;
    server.address = argv[2];
    zc::OnlineClient online(server);
    online.login({env("ZAIRYU_USER_ID"), zc::SecretString(env("ZAIRYU_PASSWORD")), {}}, &auth);
    const zc::SubmitResult result = online.submit(form, sign);
    std::cout << "provisional number " << result.provisional_number << '\n';
    return 0;
  } catch (const zc::FormError& e) {
    std::cerr << e.what() << '\n';
    return 7;
  } catch (const zc::OnlineError& e) {
    std::cerr << e.what() << '\n';
    return 9;
  } catch (const zc::CardError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << e.what() << '\n';
    return 1;
  }
}
