#!/usr/bin/env python3
"""A stand-in vendor client for the command adapter tests: a real process
that reads the request file the runner wrote and prints result JSON.

usage: fake_client.py ACTION REQUEST_FILE
  echo      ok, value = what it was given (args, persona id, state, run, env)
  register  ok, value = {user_id: "U-<email>"}
  refuse    ok=false, error = args.reason
  garbage   prints text that is not JSON
  sleep     sleeps args.seconds, then answers
  crash     kills itself with SIGKILL
"""
import json
import os
import signal
import sys
import time


def main():
    action, request_file = sys.argv[1], sys.argv[2]
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    args = request["args"]
    print(f"fake client: {action}", file=sys.stderr)
    if action == "echo":
        value = {
            "args": args,
            "persona": (request.get("persona") or {}).get("id"),
            "state": request["state"],
            "reader": request["run"]["reader"],
            "server": request["run"]["server"],
            "pin_from_env": os.environ.get("FAKE_AUTH_PIN", ""),
            "argv_tail": sys.argv[3:],
            "cwd_is_workdir": os.getcwd() == request["run"]["workdir"],
        }
        print(json.dumps({"ok": True, "value": value}))
    elif action == "register":
        print(json.dumps({"ok": True, "value": {"user_id": "U-" + args["email"]}}))
    elif action == "refuse":
        print(json.dumps({"ok": False, "error": args["reason"], "message": "refused"}))
    elif action == "garbage":
        print("this is not JSON")
    elif action == "sleep":
        time.sleep(float(args["seconds"]))
        print(json.dumps({"ok": True}))
    elif action == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    else:
        print(json.dumps({"ok": False, "error": "BAD_ARGS", "message": "unknown " + action}))


if __name__ == "__main__":
    main()
