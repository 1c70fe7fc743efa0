// The application backend a gRPC handler calls: submit, look up, the
// examiner's decisions, handover of the card, and the proof of a pending
// application. Time comes from the Clock, state from the Store. Every call
// first issues what fell due on the clock (formal receipt numbers), so a jump
// of the virtual clock shows in the next call. Access, login and the
// certificate and signature checks run before (access_policy,
// certificate_check); this class assumes an authenticated user.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "emulator/online/application_record.h"
#include "emulator/online/attachment_rules.h"
#include "emulator/online/clock.h"
#include "emulator/online/eligibility.h"
#include "emulator/online/rule_calendar.h"
#include "emulator/online/store.h"

namespace zairyu::online {

struct SubmitRequest {
  std::string user_id;
  std::string user_email;
  std::string applicant_email;  // optional; gets the receipt-number mail too [PEND]
  std::string postal_address;
  ApplicationRequest application;
  CardDelivery delivery = CardDelivery::kPost;
  AttachmentUpload attachments;
  std::optional<IdempotencyKey> idempotency;
};

struct SubmitResult {
  std::string provisional_number;
  std::vector<FileVerdict> attachments;  // error files are accepted silently
  bool replayed = false;                 // the idempotency key's earlier filing, not a new one
};

enum class Decision { kApprove, kRefuse, kRequestMaterial };

// RAS-LIFE-007: what the holder shows instead of the 申請中 stamp.
struct PendingProof {
  std::string receipt_number;
  Date filed_on;
  Date stay_expires_on;
  Date special_period_ends_on;     // last day: 2 months after the expiry, unless decided sooner
  bool in_special_period = false;  // the old period of stay has ended
};

class ApplicationService {
 public:
  // `rules` says which day's rule set applies (the clock still decides time).
  ApplicationService(const Clock& clock, Store& store, EligibilityOptions options = {},
                     const RuleCalendar& rules = RuleCalendar::FollowingTheDate());

  // CheckApplication + CheckAttachments, then stores the application and
  // mails 申請受付完了のお知らせ with the provisional number (RAS-LIFE-001).
  // With an idempotency key the user's earlier filing under that key is
  // answered instead (replayed; IDEMPOTENCY_KEY_REUSED when its digest
  // differs), before any rule is applied again; a concurrent call with the
  // same key waits until the first one is stored. Submissions with distinct
  // keys share the store's durable commit.
  Result<SubmitResult> Submit(const SubmitRequest& request);
  // Issues formal receipt numbers that are due (RAS-LIFE-002). Returns how many.
  int ProcessDue();
  // NOT_FOUND also for another user's application (no existence leak).
  Result<ApplicationRecord> Get(std::string_view id, std::string_view user_id);
  std::vector<ApplicationRecord> List(std::string_view user_id);
  // The examiner (control plane). Needs the formal number; RAS-LIFE-003/005.
  Result<ApplicationRecord> Decide(std::string_view id, Decision decision, std::string note);
  // Answers a request for more material (back under examination).
  Result<ApplicationRecord> SubmitMaterial(std::string_view id, std::string_view user_id,
                                           const AttachmentUpload& files);
  // RAS-LIFE-004/006: the approved item is handed over. By post once the old
  // card, fee stamp and return envelope arrived (the item is posted and
  // 在留カード・就労資格証明書送付に関するお知らせ mailed); at the counter the
  // pickup is recorded.
  Result<ApplicationRecord> CompleteHandover(std::string_view id);
  Result<PendingProof> ProofOfPending(std::string_view id, std::string_view user_id);

 private:
  // A submission's (user, idempotency key) in filing_ while its filing
  // commits: reserved with mu_ held, released (taking mu_, waking the
  // retries waiting in EarlierFilingLocked) on destruction. None without a key.
  class KeyReservation {
   public:
    KeyReservation(ApplicationService& service, const SubmitRequest& request);
    ~KeyReservation();
    KeyReservation(const KeyReservation&) = delete;
    KeyReservation& operator=(const KeyReservation&) = delete;

   private:
    ApplicationService& service_;
    std::optional<std::pair<std::string, std::string>> key_;
  };

  // The user's earlier filing under `key`, waiting (on mu_ in `lock`) while
  // another call is filing under it.
  std::optional<ApplicationRecord> EarlierFilingLocked(std::unique_lock<std::mutex>& lock,
                                                       const std::string& user_id,
                                                       const std::string& key);
  // ProcessDue with mu_ held; applies its own batch.
  int CatchUpLocked();
  Result<ApplicationRecord> Find(std::string_view id) const;
  // Outbox and audit entries are dated `at`: the receipt-number mail carries
  // its 02:10 JST time even when the clock jumped past it.
  void Mail(StoreBatch& batch, const ApplicationRecord& a, Instant at, std::string_view kind,
            std::string_view rule, std::string subject, std::string body, bool also_applicant);
  void Post(StoreBatch& batch, const ApplicationRecord& a, std::string_view kind,
            std::string_view rule, std::string item);
  void Event(StoreBatch& batch, const ApplicationRecord& a, Instant at, std::string kind,
             std::string detail);

  const Clock& clock_;
  Store& store_;
  EligibilityOptions options_;
  const RuleCalendar& rules_;
  std::mutex mu_;  // one state change at a time
  // (user, idempotency key) of the filings between check and durable commit.
  std::set<std::pair<std::string, std::string>> filing_;
  std::condition_variable filed_;  // a key left filing_
};

}  // namespace zairyu::online
