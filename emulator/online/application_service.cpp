#include "emulator/online/application_service.h"

#include <algorithm>

#include "emulator/online/receipt_numbers.h"
#include "emulator/online/rule_catalog.h"

namespace zairyu::online {
namespace {

bool Has(const ApplicationRequest& r, Procedure p) {
  return std::find(r.procedures.begin(), r.procedures.end(), p) != r.procedures.end();
}

bool OnlyOtherActivity(const ApplicationRequest& r) {
  return r.procedures == std::vector<Procedure>{Procedure::kOtherActivityPermission};
}

// What is handed over after an approval (other than a COE).
std::string HandoverItem(const ApplicationRequest& r) {
  if (Has(r, Procedure::kChangeOfStatus) || Has(r, Procedure::kExtensionOfStay) ||
      Has(r, Procedure::kAcquisitionOfStatus)) {
    return "在留カード";
  }
  if (Has(r, Procedure::kEmploymentCertificate)) return "就労資格証明書";
  return "資格外活動許可書";
}

Rejection NotFound(std::string_view id) {
  return Reject("RAS-LIFE-003", "APPLICATION_NOT_FOUND", ErrorCategory::kNotFound,
                "no application " + std::string(id));
}

Rejection WrongState(std::string_view rule, const ApplicationRecord& a, std::string what) {
  return Reject(rule, "APPLICATION_STATE_INVALID", ErrorCategory::kFailedPrecondition,
                what + " (application " + a.id + " is " + std::string(StateName(a.state)) + ")");
}

}  // namespace

ApplicationService::ApplicationService(const Clock& clock, Store& store, EligibilityOptions options,
                                       const RuleCalendar& rules)
    : clock_(clock), store_(store), options_(options), rules_(rules) {}

void ApplicationService::Mail(StoreBatch& batch, const ApplicationRecord& a, Instant at,
                              std::string_view kind, std::string_view rule, std::string subject,
                              std::string body, bool also_applicant) {
  std::vector<std::string> to = {a.user_email};
  if (also_applicant && !a.applicant_email.empty() && a.applicant_email != a.user_email) {
    to.push_back(a.applicant_email);
  }
  for (const std::string& address : to) {
    batch.outbox.push_back({Channel::kEmail, std::string(kind), address,
                            "【在留申請オンラインシステム】" + subject, body, a.id, at,
                            std::string(rule)});
  }
}

void ApplicationService::Post(StoreBatch& batch, const ApplicationRecord& a, std::string_view kind,
                              std::string_view rule, std::string item) {
  batch.outbox.push_back({Channel::kPost, std::string(kind), a.postal_address, item,
                          "receipt number " + a.receipt_number.value_or(a.id), a.id, clock_.Now(),
                          std::string(rule)});
}

void ApplicationService::Event(StoreBatch& batch, const ApplicationRecord& a, Instant at,
                               std::string kind, std::string detail) {
  batch.events.push_back({at, std::move(kind), a.id, std::move(detail)});
}

std::optional<ApplicationRecord> ApplicationService::EarlierFilingLocked(
    std::unique_lock<std::mutex>& lock, const std::string& user_id, const std::string& key) {
  filed_.wait(lock, [&] { return !filing_.contains({user_id, key}); });
  return store_.FindByIdempotencyKey(user_id, key);
}

Result<SubmitResult> ApplicationService::Submit(const SubmitRequest& request) {
  std::unique_lock lock(mu_);
  CatchUpLocked();
  if (request.idempotency) {
    const IdempotencyKey& key = *request.idempotency;
    if (auto earlier = EarlierFilingLocked(lock, request.user_id, key.key)) {
      if (earlier->idempotency->request_digest != key.request_digest) {
        Rejection r{"IDEMPOTENCY_KEY_REUSED",
                    "",
                    ErrorCategory::kAlreadyExists,
                    "the idempotency key was used for another submission",
                    {}};
        r.field_violations.push_back({"idempotency_key", r.message});
        return r;
      }
      return SubmitResult{earlier->id, earlier->attachments, true};
    }
  }
  StoreBatch batch;
  const Instant now = clock_.Now();
  const Date today = JstDate(now);
  if (Check c = CheckApplication(request.application, today, options_, rules_)) return *c;
  if (OnlyOtherActivity(request.application) && request.delivery == CardDelivery::kPost &&
      !rules_.InForce("RAS-LIFE-006", today)) {
    Rejection r = Reject("RAS-LIFE-006", "DELIVERY_NOT_AVAILABLE", ErrorCategory::kInvalidArgument,
                         "資格外活動許可 can be received by post only from 2024-01");
    r.field_violations.push_back({"delivery", r.message});
    return r;
  }
  auto verdicts = CheckAttachments(request.attachments, today, rules_);
  if (!verdicts.ok()) return verdicts.rejection();

  ApplicationRecord a;
  a.id = ProvisionalNumber(today, store_.NextSequence("provisional"));
  a.user_id = request.user_id;
  a.user_email = request.user_email;
  a.applicant_email = request.applicant_email;
  a.postal_address = request.postal_address;
  a.request = request.application;
  a.delivery = request.delivery;
  a.attachments = verdicts.value();
  a.submitted_at = now;
  a.receipt_due_at = ReceiptDueAt(now);
  a.idempotency = request.idempotency;
  Mail(batch, a, clock_.Now(), "ACCEPTANCE_NOTICE", "RAS-LIFE-001", "申請受付完了のお知らせ",
       "仮受付番号: " + a.id, false);
  Event(batch, a, clock_.Now(), "APPLICATION_SUBMITTED", "user " + a.user_id);
  batch.applications.push_back(a);
  // The new record has a fresh number no other call touches and is due only
  // tomorrow, so concurrent submissions may share the store's durable commit.
  // Its key stays reserved until the commit ends, stored or not.
  const KeyReservation reservation(*this, request);
  lock.unlock();
  store_.Apply(batch);
  return SubmitResult{a.id, a.attachments, false};
}

ApplicationService::KeyReservation::KeyReservation(ApplicationService& service,
                                                   const SubmitRequest& request)
    : service_(service) {
  if (!request.idempotency) return;
  key_.emplace(request.user_id, request.idempotency->key);
  service_.filing_.insert(*key_);
}

ApplicationService::KeyReservation::~KeyReservation() {
  if (!key_) return;
  {
    const std::lock_guard lock(service_.mu_);
    service_.filing_.erase(*key_);
  }
  service_.filed_.notify_all();
}

int ApplicationService::ProcessDue() {
  std::lock_guard lock(mu_);
  return CatchUpLocked();
}

int ApplicationService::CatchUpLocked() {
  StoreBatch batch;
  const Instant now = clock_.Now();
  std::vector<ApplicationRecord> due = store_.DueForReceiptNumber(now);
  for (ApplicationRecord& a : due) {
    const Date issued_on = JstDate(a.receipt_due_at);
    const auto year = std::to_string(static_cast<int>(issued_on.year()));
    a.receipt_number = FormalReceiptNumber(issued_on, store_.NextSequence("receipt-" + year));
    a.state = ApplicationState::kReceived;
    Mail(batch, a, a.receipt_due_at, "RECEIPT_NUMBER_NOTICE", "RAS-LIFE-002",
         "申請受付番号のお知らせ", "申請受付番号: " + *a.receipt_number + "\n仮受付番号: " + a.id,
         true);
    Event(batch, a, a.receipt_due_at, "RECEIPT_NUMBER_ISSUED", *a.receipt_number);
    batch.applications.push_back(a);
  }
  store_.Apply(batch);
  return static_cast<int>(due.size());
}

Result<ApplicationRecord> ApplicationService::Find(std::string_view id) const {
  auto a = store_.GetApplication(id);
  if (!a) return NotFound(id);
  return *a;
}

Result<ApplicationRecord> ApplicationService::Get(std::string_view id, std::string_view user_id) {
  ProcessDue();
  auto a = Find(id);
  if (a.ok() && a.value().user_id != user_id) return NotFound(id);
  return a;
}

std::vector<ApplicationRecord> ApplicationService::List(std::string_view user_id) {
  ProcessDue();
  return store_.ListApplications(user_id);
}

Result<ApplicationRecord> ApplicationService::Decide(std::string_view id, Decision decision,
                                                     std::string note) {
  std::lock_guard lock(mu_);
  CatchUpLocked();
  auto found = Find(id);
  if (!found.ok()) return found;
  ApplicationRecord a = found.value();
  if (a.state != ApplicationState::kReceived) {
    return WrongState("RAS-LIFE-003", a,
                      "only a received application under examination is decided");
  }
  StoreBatch batch;
  if (decision != Decision::kRequestMaterial) a.decided_at = clock_.Now();
  switch (decision) {
    case Decision::kRequestMaterial:
      a.state = ApplicationState::kMaterialRequested;
      Mail(batch, a, clock_.Now(), "MATERIAL_REQUEST", "RAS-LIFE-003", "資料提出通知のお知らせ",
           note, false);
      break;
    case Decision::kRefuse:
      a.state = ApplicationState::kRefused;
      Mail(batch, a, clock_.Now(), "EXAMINATION_COMPLETE", "RAS-LIFE-003",
           "審査完了に関するお知らせ", note, false);
      break;
    case Decision::kApprove:
      a.state = ApplicationState::kApproved;
      Mail(batch, a, clock_.Now(), "EXAMINATION_COMPLETE", "RAS-LIFE-003",
           "審査完了に関するお知らせ", note, false);
      if (Has(a.request, Procedure::kCertificateOfEligibility)) {
        // RAS-LIFE-005: the 受領方法 chosen at submission (e-mail only from 2023-03-17).
        if (a.request.coe_receipt == CoeReceipt::kEmail) {
          Mail(batch, a, clock_.Now(), "COE_ELECTRONIC", "RAS-LIFE-005",
               "在留資格認定証明書の交付について", "在留資格認定証明書（電子）受領登録用URL",
               false);
        } else {
          Post(batch, a, "COE_PAPER", "RAS-LIFE-005", "在留資格認定証明書");
        }
        a.state = ApplicationState::kCompleted;
      }
      break;
  }
  Event(batch, a, clock_.Now(), "DECISION", std::string(StateName(a.state)));
  batch.applications.push_back(a);
  store_.Apply(batch);
  return a;
}

Result<ApplicationRecord> ApplicationService::SubmitMaterial(std::string_view id,
                                                             std::string_view user_id,
                                                             const AttachmentUpload& files) {
  std::lock_guard lock(mu_);
  CatchUpLocked();
  auto found = Find(id);
  if (!found.ok() || found.value().user_id != user_id) return NotFound(id);
  ApplicationRecord a = found.value();
  if (a.state != ApplicationState::kMaterialRequested) {
    return WrongState("RAS-LIFE-003", a, "no material was requested");
  }
  auto verdicts = CheckAttachments(files, JstDate(clock_.Now()), rules_);
  if (!verdicts.ok()) return verdicts.rejection();
  a.attachments.insert(a.attachments.end(), verdicts.value().begin(), verdicts.value().end());
  a.state = ApplicationState::kReceived;
  StoreBatch batch;
  Event(batch, a, clock_.Now(), "MATERIAL_SUBMITTED",
        std::to_string(verdicts.value().size()) + " file(s)");
  batch.applications.push_back(a);
  store_.Apply(batch);
  return a;
}

Result<ApplicationRecord> ApplicationService::CompleteHandover(std::string_view id) {
  std::lock_guard lock(mu_);
  CatchUpLocked();
  auto found = Find(id);
  if (!found.ok()) return found;
  ApplicationRecord a = found.value();
  if (a.state != ApplicationState::kApproved) {
    return WrongState("RAS-LIFE-004", a, "only an approved application is handed over");
  }
  StoreBatch batch;
  const std::string item = HandoverItem(a.request);
  if (a.delivery == CardDelivery::kPost) {
    const char* rule = item == "資格外活動許可書" ? "RAS-LIFE-006" : "RAS-LIFE-004";
    Post(batch, a, "HANDOVER_POST", rule, item);
    Mail(batch, a, clock_.Now(), "DISPATCH_NOTICE", rule,
         "在留カード・就労資格証明書送付に関するお知らせ", item + " を発送しました", false);
  }
  a.state = ApplicationState::kCompleted;
  Event(batch, a, clock_.Now(), "HANDED_OVER",
        item + (a.delivery == CardDelivery::kPost ? " by post" : " at the counter"));
  batch.applications.push_back(a);
  store_.Apply(batch);
  return a;
}

Result<PendingProof> ApplicationService::ProofOfPending(std::string_view id,
                                                        std::string_view user_id) {
  auto found = Get(id, user_id);
  if (!found.ok()) return found.rejection();
  const ApplicationRecord& a = found.value();
  const ApplicationRequest& r = a.request;
  const auto& expiry = r.applicant.stay_expires_on;
  const PeriodOfStay& p = r.applicant.period_of_stay;
  const bool qualifies =
      (Has(r, Procedure::kChangeOfStatus) || Has(r, Procedure::kExtensionOfStay)) && expiry &&
      (p.indefinite || p.years > 0 || p.months > 0 || p.days > 30);
  if (!qualifies) {
    return Reject("RAS-LIFE-007", "NO_SPECIAL_PERIOD", ErrorCategory::kFailedPrecondition,
                  "only an extension or change filed during a stay of more than 30 days gives a "
                  "special period");
  }
  if (!a.receipt_number) {
    return WrongState("RAS-LIFE-007", a,
                      "the proof is the receipt-number mail, sent at 02:10 JST after acceptance");
  }
  if (a.state != ApplicationState::kReceived && a.state != ApplicationState::kMaterialRequested) {
    return WrongState("RAS-LIFE-007", a, "the application is no longer pending");
  }
  const Date today = JstDate(clock_.Now());
  const Date ends = AddMonths(*expiry, 2);
  if (today > ends) {
    return Reject("RAS-LIFE-007", "SPECIAL_PERIOD_ENDED", ErrorCategory::kFailedPrecondition,
                  "the special period ended on " + FormatDate(ends));
  }
  return PendingProof{*a.receipt_number, JstDate(a.submitted_at), *expiry, ends, today > *expiry};
}

}  // namespace zairyu::online
