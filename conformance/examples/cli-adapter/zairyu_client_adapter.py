#!/usr/bin/env python3
"""The example command adapter's wrapper: one client action of
zairyu-conformance (the request JSON, conformance/adapters/README.md) as
zairyu-client command lines, and the CLI's --json answer as the result JSON
{ok, error, message, value} on stdout.

usage: zairyu_client_adapter.py REQUEST_FILE
The session lives in the run's workdir (--session-file); PINs and passwords
go to the CLI through its environment variables, never argv.
"""
import json
import os
import shutil
import subprocess
import sys

DEFAULT_PASSWORD = "Zairyu-Lab-2026"  # the vocabulary's default (conformance/README.md)
CARD_CATEGORIES = {"foreign_national", "legal_representative", "relative"}

# CLI error kinds (client/README.md) -> the vocabulary's reasons.
KIND_REASONS = {
    "wrong_pin": "PIN_WRONG",
    "pin_blocked": "PIN_BLOCKED",
    "last_try_refused": "PIN_LAST_TRY",
    "card_removed": "CARD_REMOVED",
    "no_card": "CARD_REMOVED",
    "form_invalid": "FORM_INVALID",
    "not_logged_in": "NOT_LOGGED_IN",
    "usage": "BAD_ARGS",
}


class Refusal(Exception):
    def __init__(self, error, message, value=None):
        super().__init__(message)
        self.error, self.message, self.value = error, message, value or {}


class Cli:
    """zairyu-client with the run's server, reader and session file."""

    def __init__(self, request):
        run = request["run"]
        self.binary = os.environ.get("ZAIRYU_CLIENT") or shutil.which("zairyu-client")
        if not self.binary:
            raise Refusal("ADAPTER_SETUP", "no zairyu-client: set ZAIRYU_CLIENT or PATH")
        self.common = ["--json", "--server", run["server"],
                       "--session-file", os.path.join(run["workdir"], "session.json")]
        if run.get("reader"):
            self.common += ["--reader", run["reader"]]

    def __call__(self, args, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.run([self.binary, *args, *self.common], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=full_env)
        sys.stderr.write(proc.stderr)
        try:
            out = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise Refusal("ADAPTER_ERROR", f"zairyu-client exit {proc.returncode}: no JSON: "
                          f"{proc.stdout[:200]!r}")
        if out.get("ok"):
            return out
        error = out.get("error", {})
        reason = error.get("reason") or KIND_REASONS.get(error.get("kind"))
        if not reason and error.get("kind") == "card_status" and "sw" in error:
            reason = "SW_" + str(error["sw"]).upper()
        reason = reason or error.get("grpc_code") or error.get("kind", "CLIENT_ERROR").upper()
        value = {k: error[k] for k in ("violations", "tries_left", "rule_id") if k in error}
        raise Refusal(reason, error.get("message", ""), value)


def text(args, name, default=""):
    value = args.get(name, default)
    return value if isinstance(value, str) else json.dumps(value)


def auth_pin(request):
    persona = request.get("persona") or {}
    return request["args"].get("pin") or (persona.get("pins") or {}).get("auth") or ""


def register(cli, request):
    args, persona = request["args"], request.get("persona") or {}
    category = args.get("category", "foreign_national")
    card = category in CARD_CATEGORIES
    if args.get("with_card", card) != card:
        raise Refusal("CLIENT_REFUSED", f"zairyu-client registers {category} users "
                      f"{'with' if card else 'without'} a My Number Card")
    cmd = ["register", "--category", category,
           "--email", args.get("email") or persona.get("email", "")]
    rcn = args.get("residence_card_number", persona.get("residence_card_number", "") if card else "")
    if rcn:
        cmd += ["--residence-card", rcn]
    if args.get("notification_certificate_number"):
        cmd += ["--notification-certificate", args["notification_certificate_number"]]
    if args.get("organization"):
        cmd += ["--organization", args["organization"]]
    if args.get("requested_by_organization"):
        cmd += ["--requested-by-organization"]
    out = cli(cmd, {"ZAIRYU_PASSWORD": args.get("password", DEFAULT_PASSWORD),
                    "ZAIRYU_AUTH_PIN": auth_pin(request)})
    return {"user_id": out["user_id"]}


def login(cli, request):
    args, state = request["args"], request["state"]
    cmd = ["login", "--user-id", args.get("user_id") or state.get("user_id", "")]
    if args.get("notification_certificate_number"):
        cmd += ["--notification-certificate", args["notification_certificate_number"]]
    if not args.get("with_card", request.get("persona") is not None):
        cmd += ["--no-card"]
    password = args.get("password") or state.get("password") or DEFAULT_PASSWORD
    out = cli(cmd, {"ZAIRYU_PASSWORD": password, "ZAIRYU_AUTH_PIN": auth_pin(request)})
    return {k: out[k] for k in ("user_id", "category", "password_valid_until")}


def logout(cli, request):
    cli(["logout"])
    return {}


def apply(cli, request):
    args, persona = request["args"], request.get("persona") or {}
    if "form" not in args:
        raise Refusal("BAD_ARGS", "apply needs a form")
    cmd = ["apply", args["form"]]
    if args.get("idempotency_key"):
        cmd += ["--idempotency-key", args["idempotency_key"]]
    sign_pin = args.get("pin") or (persona.get("pins") or {}).get("sign") or ""
    out = cli(cmd, {"ZAIRYU_SIGN_PIN": sign_pin})
    return {"provisional_number": out["provisional_number"], "replayed": out["replayed"],
            "attachments": out.get("attachments", [])}


def application(request):
    number = request["args"].get("application") or request["state"].get("provisional_number")
    if not number:
        raise Refusal("NO_APPLICATION", "no application yet in this run")
    return number


def status_value(out):
    return {"provisional_number": out["provisional_number"],
            "receipt_number": out["receipt_number"], "state": out["state"],
            "procedures": [p["id"] for p in out["procedures"]]}


def status(cli, request):
    return status_value(cli(["status", application(request)]))


def list_applications(cli, request):
    applications = [status_value(a) for a in cli(["list"])["applications"]]
    return {"count": len(applications), "applications": applications}


def proof(cli, request):
    out = cli(["proof", application(request)])
    return {k: out[k] for k in ("receipt_number", "filed_on", "stay_expires_on",
                                "special_period_ends_on", "in_special_period")}


def notify(cli, request):
    args = request["args"]
    cmd = ["notify", "--kind", text(args, "kind")]
    for key, value in (args.get("fields") or {}).items():
        cmd += ["--field", f"{key}={value}"]
    return {"notification_id": cli(cmd)["notification_id"]}


def password_change(cli, request):
    args, state = request["args"], request["state"]
    old = args.get("old") or state.get("password") or DEFAULT_PASSWORD
    cli(["password", "change", "--user-id", state.get("user_id", "")],
        {"ZAIRYU_PASSWORD": old, "ZAIRYU_NEW_PASSWORD": text(args, "new")})
    return {}


def password_reset(cli, request):
    args, state, persona = request["args"], request["state"], request.get("persona") or {}
    cli(["password", "reset", "--user-id", args.get("user_id") or state.get("user_id", ""),
         "--email", args.get("email") or persona.get("email", "")])
    return {}


ACTIONS = {"register": register, "login": login, "logout": logout, "apply": apply,
           "status": status, "list": list_applications, "proof": proof, "notify": notify,
           "password.change": password_change, "password.reset": password_reset}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    action = ACTIONS.get(request["action"])
    try:
        if action is None:
            raise Refusal("BAD_ARGS", "the example adapter does not map " + request["action"])
        result = {"ok": True, "value": action(Cli(request), request)}
    except Refusal as r:
        result = {"ok": False, "error": r.error, "message": r.message}
        if r.value:
            result["value"] = r.value
    print(json.dumps(result))


if __name__ == "__main__":
    main()
