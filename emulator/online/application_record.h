// A stored application and its place in the lifecycle.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/online/attachment_rules.h"
#include "emulator/online/clock.h"
#include "emulator/online/eligibility.h"

namespace zairyu::online {

// How the residence card (or certificate) is received ([OS][BD]).
enum class CardDelivery { kPost, kCounter };

enum class ApplicationState {
  kProvisional,        // accepted, provisional number only
  kReceived,           // formal receipt number issued (02:10 JST next day)
  kMaterialRequested,  // the examiner asked for more material
  kApproved,           // examination done, permitted
  kRefused,            // examination done, not permitted
  kCompleted,          // card, certificate or permit handed over
};

std::string_view StateName(ApplicationState s);

// The client's idempotency key of a submission and a digest of what it
// submitted: a retried submission with the same key and digest gets the
// stored result instead of a second filing. Not a rule of the real system
// (which has none we know of); it makes client retries safe and is kept with
// the record, so it survives restarts.
struct IdempotencyKey {
  std::string key;
  std::string request_digest;  // e.g. SHA-256 hex of the signed bytes

  bool operator==(const IdempotencyKey&) const = default;
};

struct ApplicationRecord {
  std::string id;                             // the provisional number (仮受付番号); the key
  std::optional<std::string> receipt_number;  // formal 受付番号
  std::string user_id;
  std::string user_email;
  std::string applicant_email;  // the foreigner's own notification address [PEND]
  std::string postal_address;   // where posted items go
  ApplicationRequest request;
  CardDelivery delivery = CardDelivery::kPost;
  std::vector<FileVerdict> attachments;
  ApplicationState state = ApplicationState::kProvisional;
  Instant submitted_at;
  Instant receipt_due_at;  // when the formal number is issued
  std::optional<Instant> decided_at;
  std::optional<IdempotencyKey> idempotency;  // unique per user_id when present
};

}  // namespace zairyu::online
