// The online half of zairyu-client: `register`, `login`, `logout`, `apply`,
// `status`, `list`, `proof`, `notify` and `password change|reset|complete-reset`. Each is
// one process: `login` leaves the session in the session file (session_file.h)
// and the others continue it. Passwords and PINs come from pin_input (never
// argv) and are never printed.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli_error.h"
#include "commands.h"
#include "session_file.h"
#include "zairyu/client/application_form.h"
#include "zairyu/client/jpki_signer.h"

namespace zairyu::cli {
namespace {

using client::JpkiKey;
using client::OnlineClient;

std::string procedure_text(client::Procedure p) {
  return fmt::format("{} ({})", client::english_name(p), client::japanese_name(p));
}

std::string procedures_text(const std::vector<client::Procedure>& procedures) {
  std::string out;
  for (const auto p : procedures) out += (out.empty() ? "" : ", ") + procedure_text(p);
  return out;
}

nlohmann::json procedures_json(const std::vector<client::Procedure>& procedures) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto p : procedures) {
    out.push_back({{"id", client::to_string(p)},
                   {"english", client::english_name(p)},
                   {"japanese", client::japanese_name(p)}});
  }
  return out;
}

std::string category_text(client::UserCategory c) {
  return fmt::format("{} ({})", client::to_string(c), client::japanese_name(c));
}

nlohmann::json verdicts_json(const std::vector<client::FileVerdict>& verdicts) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : verdicts) {
    out.push_back({{"file_name", v.file_name},
                   {"accepted", v.accepted},
                   {"error", v.error},
                   {"rule_id", v.rule_id}});
  }
  return out;
}

std::string verdicts_text(const std::vector<client::FileVerdict>& verdicts) {
  std::string out;
  for (const auto& v : verdicts) {
    out += v.accepted ? fmt::format("  attachment {}: accepted\n", v.file_name)
                      : fmt::format(
                            "  attachment {}: ERROR FILE {} ({}): send it by post or at "
                            "the counter\n",
                            v.file_name, v.error, v.rule_id);
  }
  return out;
}

nlohmann::json application_json(const client::ApplicationStatus& a) {
  return {{"provisional_number", a.provisional_number},
          {"receipt_number", a.receipt_number},
          {"state", a.state},
          {"procedures", procedures_json(a.procedures)},
          {"submitted_at", a.submitted_at},
          {"receipt_due_at", a.receipt_due_at},
          {"attachments", verdicts_json(a.attachments)},
          {"user_id", a.user_id}};
}

std::string application_text(const client::ApplicationStatus& a) {
  std::string out =
      fmt::format("{}  {}  {}\n", a.provisional_number, a.state, procedures_text(a.procedures));
  out += fmt::format("  submitted {}", a.submitted_at);
  out += a.receipt_number.empty() ? fmt::format(", receipt number due {}\n", a.receipt_due_at)
                                  : fmt::format(", receipt number {}\n", a.receipt_number);
  return out + verdicts_text(a.attachments);
}

// A client continuing the saved session (exit 11 without one).
std::unique_ptr<OnlineClient> resume(const CommandContext& context) {
  const client::ServerOptions server = context.server_options();
  const std::string path = context.session_file();
  auto saved = load_session(path);
  if (!saved) {
    throw CliError(
        ExitCode::kNotLoggedIn, "not_logged_in",
        fmt::format("not logged in (no session file {}): run zairyu-client login", path));
  }
  if (saved->server != server.address) {
    throw CliError(ExitCode::kNotLoggedIn, "not_logged_in",
                   fmt::format("the session in {} is for the server {}, not {}: log in again", path,
                               saved->server, server.address));
  }
  auto online = std::make_unique<OnlineClient>(server);
  online->resume_session(saved->session, std::move(saved->token));
  return online;
}

// A signer over one key of the card in the chosen reader; the PIN is read
// before the card is opened, so a missing PIN source fails without it.
struct CardKey {
  CardKey(const CommandContext& context, JpkiKey key)
      : pin(read_pin(key == JpkiKey::kSign ? PinKind::kSign : PinKind::kAuth,
                     context.options.pin_file)),
        card(context.open_card()),
        signer(card->jpki(), key, std::move(pin), context.verify_options()) {}

  client::SecretString pin;
  std::unique_ptr<CardSession> card;
  client::JpkiSigner signer;
};

void add_register(CLI::App& app, CommandContext& context) {
  struct Args {
    std::string category = "foreign_national";
    std::string email, residence_card, notification_certificate, organization;
    bool requested_by_organization = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "register",
      "利用者情報登録: create an account; card categories prove their My Number Card with the "
      "auth key (auth PIN). Prints the user ID (認証ID)");
  cmd->add_option("--category", args->category,
                  "foreign_national (外国人本人), legal_representative, relative, "
                  "lawyer_or_scrivener, organization_staff, public_interest_corp_staff, "
                  "registered_support_org_staff")
      ->type_name("CATEGORY");
  cmd->add_option("--email", args->email, "where the online system sends every mail")->required();
  cmd->add_option("--residence-card", args->residence_card, "在留カード番号 (e.g. AB12345678CD)");
  cmd->add_option("--notification-certificate", args->notification_certificate,
                  "届出済証明書 number (lawyers and scriveners)");
  cmd->add_option("--organization", args->organization, "organization ID (staff categories)");
  cmd->add_flag("--requested-by-organization", args->requested_by_organization,
                "the organization asked this staff member to act (公益法人, 登録支援機関)");
  cmd->callback([&context, args] {
    client::Registration r;
    try {
      r.category = client::parse_user_category(args->category);
    } catch (const std::invalid_argument& e) {
      throw CliError(ExitCode::kUsage, "usage", e.what());
    }
    r.email = args->email;
    r.residence_card_number = args->residence_card;
    r.notification_certificate_number = args->notification_certificate;
    r.organization_id = args->organization;
    r.requested_by_organization = args->requested_by_organization;
    r.password = read_password(context.options.password_file);
    OnlineClient online(context.server_options());
    std::unique_ptr<CardKey> auth;
    if (client::needs_card(r.category)) auth = std::make_unique<CardKey>(context, JpkiKey::kAuth);
    const std::string user_id = online.register_user(r, auth ? &auth->signer : nullptr);
    context.print({{"user_id", user_id}, {"category", client::to_string(r.category)}},
                  fmt::format("registered {}: user ID {}", category_text(r.category), user_id));
  });
}

void add_login(CLI::App& app, CommandContext& context) {
  struct Args {
    std::string user_id, notification_certificate;
    bool no_card = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "login",
      "log in (password, plus the My Number Card's auth key unless --no-card) and keep the "
      "session in the session file for the next commands");
  cmd->add_option("--user-id", args->user_id, "the 認証ID from `register`")->required();
  cmd->add_option("--notification-certificate", args->notification_certificate,
                  "届出済証明書 number (lawyers and scriveners; implies --no-card)");
  cmd->add_flag("--no-card", args->no_card, "categories without a card (staff, lawyers)");
  cmd->callback([&context, args] {
    client::Credentials credentials{args->user_id, read_password(context.options.password_file),
                                    args->notification_certificate};
    const bool card = !args->no_card && args->notification_certificate.empty();
    std::unique_ptr<CardKey> auth;
    if (card) auth = std::make_unique<CardKey>(context, JpkiKey::kAuth);
    const client::ServerOptions server = context.server_options();
    OnlineClient online(server);
    const client::Session session = online.login(credentials, auth ? &auth->signer : nullptr);
    const std::string path = context.session_file();
    save_session(path,
                 {server.address, session, client::SecretString(online.session_token().reveal())});
    context.print({{"user_id", session.user_id},
                   {"category", client::to_string(session.category)},
                   {"password_valid_until", session.password_valid_until},
                   {"session_file", path}},
                  fmt::format("logged in as {} ({}); password valid until {}; session kept in {}",
                              session.user_id, category_text(session.category),
                              session.password_valid_until, path));
  });
}

void add_logout(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("logout", "forget the session (removes the session file)");
  cmd->callback([&context] {
    const std::string path = context.session_file();
    const bool removed = remove_session(path);
    context.print({{"removed", removed}, {"session_file", path}},
                  removed ? "logged out: removed " + path : "not logged in (no " + path + ")");
  });
}

void add_apply(CLI::App& app, CommandContext& context) {
  struct Args {
    std::string form, idempotency_key;
    bool check = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "apply",
      "file the application in FORM (YAML, or JSON when it ends in .json; see client/README.md): "
      "checked locally, signed with the sign key (sign PIN), submitted");
  cmd->add_option("FORM", args->form, "the application form file")->required();
  cmd->add_option("--idempotency-key", args->idempotency_key,
                  "repeat a submission whose answer was lost (the key printed before); the "
                  "server files it at most once")
      ->type_name("KEY");
  cmd->add_flag("--check", args->check, "only check the form locally (no card, no server)");
  cmd->callback([&context, args] {
    const client::ApplicationForm form = client::load_form_file(args->form);
    if (auto violations = client::validate_form(form); !violations.empty()) {
      throw client::FormError(fmt::format("the form {} is invalid", args->form),
                              std::move(violations));
    }
    for (const auto& w : client::attachment_warnings(form)) {
      std::cerr << "zairyu-client: warning: " << w.field << ": " << w.description << '\n';
    }
    if (args->check) {
      context.print({{"form", args->form}, {"procedures", procedures_json(form.procedures)}},
                    fmt::format("{}: valid ({})", args->form, procedures_text(form.procedures)));
      return;
    }
    auto online = resume(context);
    CardKey sign(context, JpkiKey::kSign);
    const client::SubmitResult r = online->submit(form, sign.signer, args->idempotency_key);
    context.print(
        {{"provisional_number", r.provisional_number},
         {"replayed", r.replayed},
         {"idempotency_key", r.idempotency_key},
         {"procedures", procedures_json(form.procedures)},
         {"attachments", verdicts_json(r.attachments)}},
        fmt::format("{} {}: provisional number {} (仮受付番号){}\n{}",
                    r.replayed ? "already filed" : "filed", procedures_text(form.procedures),
                    r.provisional_number, r.replayed ? " (the earlier submission's answer)" : "",
                    verdicts_text(r.attachments)));
  });
}

void print_list(const CommandContext& context, OnlineClient& online) {
  const auto list = online.list_applications();
  nlohmann::json json = nlohmann::json::array();
  std::string text = list.empty() ? "no applications\n" : "";
  for (const auto& a : list) {
    json.push_back(application_json(a));
    text += application_text(a);
  }
  context.print({{"applications", json}}, text);
}

void add_status_and_list(CLI::App& app, CommandContext& context) {
  auto number = std::make_shared<std::string>();
  auto* status = app.add_subcommand(
      "status", "one application by its provisional number, or all of the user's");
  status->add_option("NUMBER", *number, "provisional number (仮受付番号), e.g. P20270415-000001");
  status->callback([&context, number] {
    auto online = resume(context);
    if (number->empty()) return print_list(context, *online);
    const auto a = online->status(*number);
    context.print(application_json(a), application_text(a));
  });
  auto* list = app.add_subcommand("list", "the user's applications, in submission order");
  list->callback([&context] {
    auto online = resume(context);
    print_list(context, *online);
  });
}

void add_proof(CLI::App& app, CommandContext& context) {
  auto number = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "proof", "proof of a pending application within the special period (RAS-LIFE-007)");
  cmd->add_option("NUMBER", *number, "provisional number")->required();
  cmd->callback([&context, number] {
    auto online = resume(context);
    const auto p = online->pending_proof(*number);
    context.print(
        {{"receipt_number", p.receipt_number},
         {"filed_on", p.filed_on},
         {"stay_expires_on", p.stay_expires_on},
         {"special_period_ends_on", p.special_period_ends_on},
         {"in_special_period", p.in_special_period}},
        fmt::format("receipt number {} filed on {}; stay expired on {}; special period "
                    "until {}{}",
                    p.receipt_number, p.filed_on, p.stay_expires_on, p.special_period_ends_on,
                    p.in_special_period ? " (in it now)" : " (not in it)"));
  });
}

nlohmann::json receipt_json(const client::NotificationReceipt& r) {
  return {{"notification_id", r.notification_id},
          {"deadline", r.deadline},
          {"late", r.late},
          {"filed_at", r.filed_at}};
}

std::string receipt_text(const client::NotificationReceipt& r) {
  return fmt::format("{} filed {}; due by {}{}", r.notification_id, r.filed_at, r.deadline,
                     r.late ? " (LATE: filed after the deadline)" : "");
}

void add_notify(CLI::App& app, CommandContext& context) {
  struct Args {
    client::Notification notification;
    std::string status;
    std::vector<std::string> fields;
    bool list = false;
  };
  auto args = std::make_shared<Args>();
  auto& form = args->notification;
  auto* cmd = app.add_subcommand("notify", "電子届出: file an e-notification, or --list them");
  cmd->add_option("--kind", form.kind,
                  "ACTIVITY_ORGANIZATION, CONTRACT_ORGANIZATION, SPOUSE, "
                  "ORGANIZATION_ACCEPTANCE, SSW_AD_HOC, SSW_PERIODIC, SUPPORT_ORG_AD_HOC, "
                  "SUPPORT_ORG_PERIODIC, or the Japanese title (e.g. 契約機関に関する届出)");
  cmd->add_option("--event", form.event, "what happened, e.g. CONTRACT_ENDED, DIVORCE");
  cmd->add_option("--event-date", form.event_date, "YYYY-MM-DD (periodic: the period's last day)");
  cmd->add_option("--status", args->status, "status of residence of the foreigner concerned");
  cmd->add_option("--organization", form.organization_name, "the organization it is about");
  cmd->add_option("--field", args->fields, "KEY=VALUE (repeatable)")->type_name("KEY=VALUE");
  cmd->add_flag("--list", args->list, "list the notifications filed (届出状況参照)");
  cmd->callback([&context, args] {
    client::Notification n = args->notification;
    if (!args->list && (n.kind.empty() || n.event.empty() || n.event_date.empty())) {
      throw CliError(ExitCode::kUsage, "usage",
                     "notify needs --kind, --event and --event-date (or --list)");
    }
    if (!args->status.empty()) n.status = client::StatusOfResidence{args->status, {}};
    for (const auto& f : args->fields) {
      const auto eq = f.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw CliError(ExitCode::kUsage, "usage", "--field wants KEY=VALUE, got \"" + f + "\"");
      }
      n.fields[f.substr(0, eq)] = f.substr(eq + 1);
    }
    auto online = resume(context);
    if (args->list) {
      nlohmann::json json = nlohmann::json::array();
      std::string text = "";
      for (const auto& r : online->list_notifications()) {
        nlohmann::json item = receipt_json(r.receipt);
        item.update({{"kind", r.kind},
                     {"event", r.event},
                     {"event_date", r.event_date},
                     {"organization_name", r.organization_name},
                     {"fields", r.fields}});
        json.push_back(item);
        text += fmt::format("{} {} on {}: {}\n", r.kind, r.event, r.event_date,
                            receipt_text(r.receipt));
      }
      context.print({{"notifications", json}}, text.empty() ? "no notifications" : text);
      return;
    }
    const auto receipt = online->submit_notification(n);
    context.print(receipt_json(receipt), "notification filed: " + receipt_text(receipt));
  });
}

void add_password(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("password", "change the password, or ask for a reset");
  cmd->require_subcommand(1);
  auto user_id = std::make_shared<std::string>();
  auto new_file = std::make_shared<std::string>();
  auto* change = cmd->add_subcommand(
      "change",
      "current password (--password-file / ZAIRYU_PASSWORD / prompt), then the new one "
      "(--new-password-file / ZAIRYU_NEW_PASSWORD / prompt twice)");
  change->add_option("--user-id", *user_id, "the 認証ID")->required();
  change->add_option("--new-password-file", *new_file, "first line = the new password")
      ->type_name("FILE");
  change->callback([&context, user_id, new_file] {
    const auto old_password = read_password(context.options.password_file);
    const auto new_password = read_new_password(*new_file);
    OnlineClient(context.server_options()).change_password(*user_id, old_password, new_password);
    context.print({{"user_id", *user_id}}, "password changed for " + *user_id);
  });
  auto email = std::make_shared<std::string>();
  auto* reset = cmd->add_subcommand(
      "reset", "パスワードを忘れた場合: the server mails a single-use reset code to the address");
  reset->add_option("--user-id", *user_id, "the 認証ID")->required();
  reset->add_option("--email", *email, "the registered e-mail address")->required();
  reset->callback([&context, user_id, email] {
    const std::string expires =
        OnlineClient(context.server_options()).request_password_reset(*user_id, *email);
    context.print({{"user_id", *user_id}, {"code_expires_at", expires}},
                  fmt::format("reset code mailed for {}; it works until {} (then run `password "
                              "complete-reset`)",
                              *user_id, expires));
  });
  auto code_file = std::make_shared<std::string>();
  auto* complete =
      cmd->add_subcommand("complete-reset",
                          "set a new password with the mailed code (--reset-code-file / "
                          "ZAIRYU_RESET_CODE / prompt; new password as for `change`)");
  complete->add_option("--user-id", *user_id, "the 認証ID")->required();
  complete->add_option("--reset-code-file", *code_file, "first line = the reset code")
      ->type_name("FILE");
  complete->add_option("--new-password-file", *new_file, "first line = the new password")
      ->type_name("FILE");
  complete->callback([&context, user_id, code_file, new_file] {
    const auto code = read_reset_code(*code_file);
    const auto new_password = read_new_password(*new_file);
    const std::string valid_until = OnlineClient(context.server_options())
                                        .complete_password_reset(*user_id, code, new_password);
    context.print({{"user_id", *user_id}, {"password_valid_until", valid_until}},
                  fmt::format("password set for {}; valid until {}", *user_id, valid_until));
  });
}

}  // namespace

void add_online_commands(CLI::App& app, CommandContext& context) {
  add_register(app, context);
  add_login(app, context);
  add_logout(app, context);
  add_apply(app, context);
  add_status_and_list(app, context);
  add_proof(app, context);
  add_notify(app, context);
  add_password(app, context);
}

}  // namespace zairyu::cli
