// Password hashing for stored accounts: PBKDF2-HMAC-SHA256. The salt is the
// user id (unique per account and deterministic, so runs replay exactly); the
// iteration count is low on purpose: this guards test data, not real secrets.
#pragma once

#include <string>
#include <string_view>

namespace zairyu::online {

std::string HashPassword(std::string_view user_id, std::string_view password);
// Constant-time comparison of the hash of `password` with `stored_hash`.
bool PasswordMatches(std::string_view user_id, std::string_view password,
                     std::string_view stored_hash);

}  // namespace zairyu::online
