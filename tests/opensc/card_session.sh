# Sourced by the OpenSC tests and tools/demo: brings up pcscd (tools/pcscd-vpcd)
# and a zairyu-emulator serving one persona's card in slot 0, and tears both
# down on exit. Needs: ZAIRYU_ROOT, ZAIRYU_BUILD, PORT_BASE, PERSONA, RUN_DIR.

card_session_stop() {
  if [[ -n "${emulator_pid:-}" ]]; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=
  fi
  "$ZAIRYU_ROOT/tools/pcscd-vpcd" stop --dir "$RUN_DIR/pcscd" >/dev/null 2>&1 || true
}

card_session_start() {
  "$ZAIRYU_ROOT/tools/pcscd-vpcd" start --dir "$RUN_DIR/pcscd" --slots 1 \
    --port-base "$PORT_BASE" >/dev/null
  local netns
  netns=$("$ZAIRYU_ROOT/tools/pcscd-vpcd" netns --dir "$RUN_DIR/pcscd")
  "$ZAIRYU_BUILD/emulator/server/zairyu-emulator" --listen 127.0.0.1:0 \
    --personas "$ZAIRYU_ROOT/fixtures/personas" --pki "$ZAIRYU_BUILD/fixtures/pki" \
    --vpcd-slots 1 --vpcd-port-base "$PORT_BASE" ${netns:+--vpcd-netns "$netns"} \
    --insert "0=$PERSONA" --state :memory: >"$RUN_DIR/emulator.out" 2>"$RUN_DIR/emulator.log" &
  emulator_pid=$!
  # The card is in once OpenSC can read its ATR through pcscd.
  local i
  for i in $(seq 1 100); do
    if opensc-tool --atr >/dev/null 2>&1; then return 0; fi
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "card did not appear; emulator log:" >&2
  cat "$RUN_DIR/emulator.log" >&2
  return 1
}
