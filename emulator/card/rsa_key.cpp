#include "emulator/card/rsa_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace zairyu::card {
namespace {

// Refuses encrypted PEM instead of letting OpenSSL prompt on the terminal.
int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return 0; }

}  // namespace

std::shared_ptr<const RsaPrivateKey> RsaPrivateKey::from_pem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) throw std::runtime_error("BIO_new_mem_buf failed");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  if (key == nullptr) {
    ERR_clear_error();
    throw std::invalid_argument("card profile: unreadable PEM private key");
  }
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || EVP_PKEY_get_size(key) < 64) {
    EVP_PKEY_free(key);
    throw std::invalid_argument("card profile: private key is not RSA");
  }
  return std::shared_ptr<const RsaPrivateKey>(new RsaPrivateKey(key));
}

RsaPrivateKey::RsaPrivateKey(EVP_PKEY* key)
    : key_(key), modulus_bytes_(static_cast<std::size_t>(EVP_PKEY_get_size(key))) {}

RsaPrivateKey::~RsaPrivateKey() { EVP_PKEY_free(key_); }

bool RsaPrivateKey::sign_pkcs1_v15(ByteView input, Bytes& out) const {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key_, nullptr);
  if (ctx == nullptr) return false;
  const std::size_t start = out.size();
  out.resize(start + modulus_bytes_);
  std::size_t sig_len = modulus_bytes_;
  // No signature MD is set, so OpenSSL pads the input as given.
  const bool ok = EVP_PKEY_sign_init(ctx) == 1 &&
                  EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                  EVP_PKEY_sign(ctx, out.data() + start, &sig_len, input.data(), input.size()) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok || sig_len != modulus_bytes_) {
    ERR_clear_error();  // leave no stale errors in this thread's queue
    out.resize(start);
    return false;
  }
  return true;
}

}  // namespace zairyu::card
