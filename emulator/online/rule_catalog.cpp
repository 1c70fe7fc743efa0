#include "emulator/online/rule_catalog.h"

#include <algorithm>
#include <array>

namespace zairyu::online {
namespace {

using std::nullopt;
using std::chrono::January;

// Sources in brackets are the keys listed at the end of online-system.md.
constexpr std::array kRules = {
    // The e-notification system (電子届出システム), online-system.md §5.
    RuleInfo{"ENS-DATE-001", "[GOO][IWASAKA][EBISUDO][SSW] online-system.md §5",
             "ad-hoc 届出 within 14 days of the event; a late one is accepted and marked late "
             "(emulator choice, configurable)",
             nullopt, nullopt},
    RuleInfo{"ENS-DATE-002", "emulator choice (README): a 届出 reports what has happened",
             "an event date after today, or a reporting period not yet over, is refused", nullopt,
             nullopt},
    RuleInfo{"ENS-DATE-003", "[SSW][MAYSHOSI][JICWELS] online-system.md §5",
             "特定技能 periodic reports: quarterly (due the 15th of the next month) up to the "
             "quarter ending 2025-03-31, then yearly April-March, filed 4/1-5/31",
             nullopt, nullopt},
    RuleInfo{"ENS-EVENT-001", "[GOO][IWASAKA][ENSPDF][SSW] online-system.md §5",
             "each kind of 届出 covers its own events (e.g. divorce only for the spouse 届出)",
             nullopt, nullopt},
    RuleInfo{"ENS-FILER-001", "[ENS][S1][ENSREG] online-system.md §5",
             "19-16 届出 by the mid/long-term resident; 19-17 and 特定技能 by the organization's "
             "staff; 登録支援機関 届出 by its staff",
             nullopt, nullopt},
    RuleInfo{"ENS-KIND-001", "[GOO][IWASAKA] Act 19-16 item 1; online-system.md §5",
             "活動機関に関する届出 only for the activity-based statuses (教授 ... 研修)", nullopt,
             nullopt},
    RuleInfo{"ENS-KIND-002", "[GOO][IWASAKA] Act 19-16 item 2; online-system.md §5",
             "契約機関に関する届出 only for the contract-based statuses (研究, 技人国, 技能 ...)",
             nullopt, nullopt},
    RuleInfo{"ENS-KIND-003", "[RIRI][NAGATA] Act 19-16 item 3; online-system.md §5",
             "配偶者に関する届出 only for 家族滞在, 特定活動 (spouse), 日本人/永住者の配偶者等",
             nullopt, nullopt},
    RuleInfo{"ENS-KIND-004", "[GOO2][IURIS][ENSPDF] Act 19-17; online-system.md §5",
             "the organization's 受入れ届出 for the Rule 19-16 statuses, not 特定技能", nullopt,
             nullopt},
    RuleInfo{"ENS-KIND-005", "[SSW][MAYSHOSI] Act 19-18; online-system.md §5",
             "特定技能所属機関の随時届出 concern a foreigner with 特定技能", nullopt, nullopt},
    RuleInfo{"ENS-LIFE-001", "[ENSMAIL] online-system.md §5",
             "届出受付のお知らせ is mailed at once; status under 届出状況参照", nullopt, nullopt},
    RuleInfo{"ENS-OPEN-001", "[SSW] online-system.md §5",
             "特定技能 and 登録支援機関 届出 exist from 2019-04-01",
             Date{std::chrono::year{2019}, std::chrono::April, std::chrono::day{1}}, nullopt},
    // Access.
    RuleInfo{"RAS-ACC-001", "[S0][S2] online-system.md §4",
             "access from an address outside Japan is refused before anything else", nullopt,
             nullopt},
    RuleInfo{"RAS-ACC-002", "DESIGN.md (time, origin and identity)",
             "a forwarded-for address counts only when the peer is a trusted proxy", nullopt,
             nullopt},
    // Attachments.
    RuleInfo{"RAS-ATT-001", "[KANTAN][DAISEI] online-system.md §2.3",
             "one PDF attachment of at most 10 MB", nullopt, kNewSystem},
    RuleInfo{"RAS-ATT-002", "[NEW26a][NEW26c] online-system.md §2.3",
             "several attachments, at most 25 MB in total including the photo", kNewSystem,
             nullopt},
    RuleInfo{"RAS-ATT-003", "[KANTAN] online-system.md §2.3",
             "a .pdf file that is not a PDF is silently marked an error file", nullopt, nullopt},
    RuleInfo{"RAS-ATT-004", "[KANTAN][DAISEI] online-system.md §2.3",
             "a password-, print- or copy-protected PDF is silently marked an error file", nullopt,
             nullopt},
    RuleInfo{"RAS-ATT-005", "[S1] online-system.md §5 (helpdesk list)",
             "files with a blocked extension (exe, zip, js, ...) are refused", nullopt, nullopt},
    // Certificates of the My Number Card.
    RuleInfo{"RAS-CERT-001", "[S4] online-system.md §1.2, §6",
             "a card certificate must chain to the JPKI CA", nullopt, nullopt},
    RuleInfo{"RAS-CERT-002", "[ADACHI][MIHAMA] online-system.md §6",
             "an expired certificate is refused (fixed-period residents: ends with the stay)",
             nullopt, nullopt},
    RuleInfo{"RAS-CERT-003", "[SETTSU] online-system.md §6",
             "a certificate before its notBefore is refused", nullopt, nullopt},
    RuleInfo{"RAS-CERT-004", "[FUCHU][KOCHI][MINAMIASHIGARA] online-system.md §6",
             "a certificate revoked on the CRL at the virtual time is refused", nullopt, nullopt},
    RuleInfo{"RAS-CERT-005", "[S4] online-system.md §6",
             "user-auth certificate for login (digitalSignature), signature certificate for "
             "signing (nonRepudiation)",
             nullopt, nullopt},
    RuleInfo{"RAS-CERT-006", "[S4][NICRAS] online-system.md §7",
             "the RSA PKCS#1 v1.5 SHA-256 signature must verify with the certificate's key",
             nullopt, nullopt},
    RuleInfo{"RAS-CERT-007", "[S4] online-system.md §1.2 (emulator choice, README)",
             "the signature certificate must be of the same card holder as the login card "
             "(the filer signs, also for someone else)",
             nullopt, nullopt},
    // Applicant eligibility.
    RuleInfo{"RAS-ELIG-001", "[S3] 注4; [OS][ENSSYS][AICHI] online-system.md §1.3",
             "本人 must be a mid/long-term resident (not 外交, 公用, 短期滞在, 特別永住者, none)",
             nullopt, nullopt},
    RuleInfo{"RAS-ELIG-002", "[S3] 注4; [OS] online-system.md §1.3",
             "本人 with a period of stay of 3 months or less cannot use the system", nullopt,
             nullopt},
    RuleInfo{"RAS-ELIG-003", "[S3] 注4; [OS] online-system.md §1.3",
             "a person under 15 cannot file as 本人", nullopt, nullopt},
    RuleInfo{"RAS-ELIG-004", "[S3] 注5; [IND] online-system.md §1.3",
             "a relative may file only for an applicant under 16 or unable because of illness",
             nullopt, nullopt},
    RuleInfo{"RAS-ELIG-005", "[BYUSER] online-system.md §2.2",
             "a relative may not file 就労資格証明書 or 資格外活動", nullopt, nullopt},
    RuleInfo{"RAS-ELIG-006", "[SCOPE] online-system.md §2.1, §3.1",
             "no filing for a status held or sought of 外交, 短期滞在, 特定活動(出国準備期間)",
             nullopt, nullopt},
    RuleInfo{"RAS-ELIG-007", "[S3][S0][LEAF22] online-system.md §3.2",
             "日本人の配偶者等, 永住者の配偶者等, 定住者 are in scope only from 2022-03-16",
             nullopt, kIndividualsOpening},
    RuleInfo{"RAS-ELIG-008", "[S3] 1※; [SCOPE] online-system.md §1.1, §3.1",
             "技能実習 (団体監理型) only through 監理団体 staff", nullopt, nullopt},
    // After submission: mail, post, numbers, proof of a pending application.
    RuleInfo{"RAS-LIFE-001", "[MAHARI][POLARIS][LASTDAY] online-system.md §4",
             "申請受付完了のお知らせ with a provisional number is mailed at once", nullopt,
             nullopt},
    RuleInfo{"RAS-LIFE-002", "[MAHARI][PEND][HOREIGIS] online-system.md §4",
             "申請受付番号のお知らせ with the formal number at 02:10 JST the next day, to the "
             "user and the foreigner",
             nullopt, nullopt},
    RuleInfo{"RAS-LIFE-003", "[MAHARI][TAKEUCHI] online-system.md §4",
             "審査完了 mail on a decision; requests for more material by mail", nullopt, nullopt},
    RuleInfo{"RAS-LIFE-004", "[OS][BD][POLARIS] online-system.md §4",
             "residence card by post once the materials arrive, or at the counter", nullopt,
             nullopt},
    RuleInfo{"RAS-LIFE-005", "[S3][COE][EMB] online-system.md §4",
             "a COE chosen by メール is e-mailed (from 2023-03-17), otherwise posted", nullopt,
             nullopt},
    RuleInfo{"RAS-LIFE-006", "[S3][SHIKAKUGAI] online-system.md §3.2",
             "資格外活動許可書 by post from 2024-01 (before: at the counter)", kOtherActivityByPost,
             nullopt},
    RuleInfo{"RAS-LIFE-007", "[PEND][TOKUTEIKATSUDO][HOREIGIS] online-system.md §4",
             "proof of a pending extension/change within the special period (Act 20(6))", nullopt,
             nullopt},
    // Opening dates per user category.
    RuleInfo{"RAS-OPEN-001", "[API][COCO] online-system.md §3.2",
             "RAS is open to organization staff and lawyers/scriveners from 2019-07-25",
             kRasOpening, nullopt},
    RuleInfo{"RAS-OPEN-002", "[S3][LEAF22][S0] online-system.md §3.2",
             "本人, 法定代理人 and 親族 can use RAS from 2022-03-16", kIndividualsOpening, nullopt},
    // Procedures and timing.
    RuleInfo{"RAS-PROC-001", "[S0][S3] online-system.md §2.1 (conflict: [ASOF])",
             "再入国 and 資格外活動 only together with change, extension or acquisition", nullopt,
             nullopt},
    RuleInfo{"RAS-PROC-002", "[BD] online-system.md §2.3",
             "an extension may be filed from 3 months before the expiry of the stay", nullopt,
             nullopt},
    RuleInfo{"RAS-PROC-003", "[LASTDAY] online-system.md §2.3",
             "filing on the last day of the period of stay is refused", nullopt, nullopt},
    RuleInfo{"RAS-PROC-004", "emulator choice (README): Immigration Act, overstay",
             "filing after the period of stay has ended is refused", nullopt, nullopt},
    RuleInfo{"RAS-PROC-005", "[S3][COE] online-system.md §3.2",
             "受領方法 メール for a COE only from 2023-03-17", kCoeByEmail, nullopt},
    RuleInfo{"RAS-PROC-006", "[S0][S3] online-system.md §2.1",
             "an application names at least one of the seven procedures, each once", nullopt,
             nullopt},
    // Users: what each category needs to register and log in.
    RuleInfo{"RAS-USER-001", "[S4][S0] online-system.md §1.2",
             "本人, 法定代理人, 親族 need a My Number Card with both certificates", nullopt,
             nullopt},
    RuleInfo{"RAS-USER-002", "[S4] online-system.md §1.2",
             "本人 needs a residence card; 代理人・親族 only when mid/long-term residents", nullopt,
             nullopt},
    RuleInfo{"RAS-USER-003", "[S3][S4] online-system.md §1.2",
             "弁護士・行政書士 need the 届出済証明書", nullopt, nullopt},
    RuleInfo{"RAS-USER-004", "[S3] 注1, 注2; [ORG] online-system.md §1.3",
             "organization, 公益法人 and 登録支援機関 staff need an approval (利用申出)", nullopt,
             nullopt},
    RuleInfo{"RAS-USER-005", "[RM][TK] online-system.md §1.3",
             "an approval is valid 1 year from the password setting, +1 year per periodic "
             "report; login stops at expiry",
             nullopt, nullopt},
    RuleInfo{"RAS-USER-006", "[NEW26b] online-system.md §1.3",
             "approvals and periodic reports approved from 2026-01-05 are valid 3 years",
             kNewSystem, nullopt},
    RuleInfo{"RAS-USER-007", "[S3] 注3; [QA] online-system.md §1.3",
             "公益法人 and 登録支援機関 staff need a request from the 所属機関", nullopt, nullopt},
    RuleInfo{"RAS-USER-008", "[UPD] online-system.md §1.4",
             "a password is valid 1 year from setting; no login after expiry", nullopt, nullopt},
    RuleInfo{"RAS-USER-009", "[UPD] online-system.md §1.4",
             "password reminders 30 and 7 days before expiry", nullopt, nullopt},
    RuleInfo{"RAS-USER-010", "[TK] online-system.md §1.3",
             "approval reminder mail 2 months before expiry", nullopt, nullopt},
    RuleInfo{"RAS-USER-011", "[S0][S3][UPD] online-system.md §1.4",
             "login with the 認証ID and password; one registration per ID", nullopt, nullopt},
    RuleInfo{
        "RAS-USER-012", "[UPD][S0] online-system.md §1.4",
        "「パスワードを忘れた場合」: a single-use reset code by mail to the registered address "
        "(24 h, emulator choice)",
        nullopt, nullopt},
};

}  // namespace

std::span<const RuleInfo> AllRules() { return kRules; }

const RuleInfo* FindRule(std::string_view id) {
  const auto* it =
      std::find_if(kRules.begin(), kRules.end(), [id](const RuleInfo& r) { return r.id == id; });
  return it == kRules.end() ? nullptr : &*it;
}

bool RuleInForce(std::string_view id, Date d) {
  const RuleInfo* rule = FindRule(id);
  if (rule == nullptr) return false;
  if (rule->from && d < *rule->from) return false;
  if (rule->until && d >= *rule->until) return false;
  return true;
}

Rejection Reject(std::string_view rule_id, std::string_view reason, ErrorCategory category,
                 std::string message) {
  return Rejection{std::string(reason), std::string(rule_id), category, std::move(message), {}};
}

}  // namespace zairyu::online
