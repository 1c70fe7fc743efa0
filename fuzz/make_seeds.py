#!/usr/bin/env python3
"""Writes the hand-made seed corpora of the fuzz targets into fuzz/corpus/.

Seeds are real JPKI / input-helper traffic as public clients send it (OpenSC,
myna, jpki-rs; see ../shared/domain/my-number-card.md), vpcd frames, and the
shipped persona files. Each seed is named by the SHA-1 of its content, like
OpenSC's corpora, so running this twice changes nothing. Recorded traffic
(client <-> virtual card, certificates) comes from fuzz_seed_recorder.

Usage: fuzz/make_seeds.py
"""
import argparse
import hashlib
import pathlib
import struct

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

JPKI_AID = "D3 92 F0 00 26 01 00 00 00 01"
IH_AID = "D3 92 10 00 31 00 01 01 04 08"
# SHA-256 DigestInfo of "abc" (51 bytes: fits the fuzz card's RSA-512 key).
DIGEST_INFO = ("30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 "
               "BA 78 16 BF 8F 01 CF EA 41 41 40 DE 5D AE 22 23 B0 03 61 A3 "
               "96 17 7A 9C B4 10 FF 61 F2 00 15 AD")


def h(text):
    return bytes.fromhex(text.replace(" ", ""))


def apdu(hexstr):
    return h(hexstr)


def select_df(aid, fci=False):
    return apdu(f"00 A4 04 00 0A {aid} 00") if fci else apdu(f"00 A4 04 0C 0A {aid}")


def select_ef(fid):
    return apdu(f"00 A4 02 0C 02 {fid}")


def verify(pin, p2="80"):
    data = pin.encode()
    return apdu(f"00 20 00 {p2} {len(data):02X}") + data


def change(pin, p2="80"):
    data = pin.encode()
    return apdu(f"00 24 01 {p2} {len(data):02X}") + data


def cds(p2="80", digest=DIGEST_INFO):
    d = h(digest)
    return apdu(f"80 2A 00 {p2} {len(d):02X}") + d + b"\x00"


RESET = b""  # a zero-length chunk: card reset in fuzz_card_session

SESSIONS = {
    # OpenSC pkcs15-jpki: token, auth certificate, PIN tries, auth signature.
    "auth_sign": [
        select_df(JPKI_AID), select_ef("00 06"), apdu("00 B0 00 00 20"),
        select_ef("00 0A"), apdu("00 B0 00 00 04"), apdu("00 B0 00 00 00"),
        apdu("00 B0 01 00 00"), select_ef("00 18"), apdu("00 20 00 80"),
        verify("1234"), select_ef("00 17"), cds(),
    ],
    # Signature with the sign password, then the sign certificate.
    "sign": [
        select_df(JPKI_AID), select_ef("00 1B"), verify("ABC123"), select_ef("00 1A"),
        cds(), select_ef("00 01"), apdu("00 B0 00 00 00"), apdu("00 B0 01 00 00"),
        apdu("00 B0 02 00 00"), select_ef("00 08"), apdu("00 B0 00 00 03"),
    ],
    # SFI forms (no EF SELECT): MBE / MC style.
    "sfi": [
        select_df(JPKI_AID), apdu("00 B0 86 00 20"), apdu("00 20 00 98"),
        verify("1234", "98"), cds("97"), verify("ABC123", "9B"), cds("9A"),
        apdu("00 B0 81 00 00"), apdu("00 B0 8A 00 10"),
    ],
    # Input-helper AP: My Number and basic four information.
    "input_helper": [
        select_df(IH_AID), select_ef("00 11"), apdu("00 20 00 80"), verify("5678"),
        select_ef("00 01"), apdu("00 B0 00 00 00"), select_ef("00 02"),
        apdu("00 B0 00 00 00"), apdu("00 B0 00 00 05"), apdu("00 B0 00 05 40"),
    ],
    # Wrong PINs until blocked, then the right one, then a reset and again.
    "block_auth": [
        select_df(JPKI_AID), select_ef("00 18"), verify("0000"), verify("1111"),
        verify("12345"), verify("1234"), apdu("00 20 00 80"), RESET,
        select_df(JPKI_AID), select_ef("00 18"), verify("1234"), change("4321"),
    ],
    # PIN change, re-verify with the new value, a reset keeps the change.
    "change_pins": [
        select_df(JPKI_AID), select_ef("00 18"), verify("1234"), change("9876"),
        verify("9876"), select_ef("00 1B"), verify("ABC123"), change("NEWPASS1"),
        RESET, select_df(JPKI_AID), verify("NEWPASS1", "9B"), verify("1234", "98"),
        select_df(IH_AID), verify("5678", "91"), change("12AB", "91"), change("2468", "91"),
    ],
    # FCI select, GET CHALLENGE, extended forms, odd classes.
    "misc": [
        select_df(JPKI_AID, fci=True), apdu("00 84 00 00 08"), apdu("00 84 00 00 00"),
        apdu("00 84 00 00 00 00 10"), apdu("00 B0 00 00 00 00 00"), select_ef("00 0B"),
        apdu("00 B0 00 00 00 00 00"), apdu("00 B0 7F FF 01"), apdu("0C B0 00 00 10"),
        apdu("10 A4 04 0C 0A " + JPKI_AID), apdu("01 A4 00 00"), apdu("00 A4 00 00"),
        apdu("00 A4 00 0C 02 3F 00"), apdu("80 A4 00 00"), apdu("00 CA 01 00 00"),
        apdu("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 02"),
    ],
}

VARIANTS = {"auth_sign": [0x00, 0x20], "sign": [0x00, 0x08], "sfi": [0x00, 0x02],
            "input_helper": [0x00], "block_auth": [0x00, 0x01, 0x40], "change_pins": [0x00, 0x40],
            "misc": [0x00, 0x04, 0x10]}


def card_session_input(variant, seed, commands):
    out = bytes([variant]) + struct.pack(">Q", seed)
    for c in commands:
        out += struct.pack(">H", len(c)) + c
    return out


def vpcd_stream(split_seed, max_sel, payloads):
    body = b"".join(struct.pack(">H", len(p)) + p for p in payloads)
    return bytes([split_seed, max_sel]) + body


def write(target, content, written):
    d = HERE / "corpus" / target
    d.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(content).hexdigest()
    (d / name).write_bytes(content)
    written.setdefault(target, set()).add(name)


def main():
    argparse.ArgumentParser(description=__doc__).parse_args()
    written = {}

    # fuzz_command_apdu: every APDU of the sessions, plus extended cases.
    for cmds in SESSIONS.values():
        for c in cmds:
            if c:
                write("fuzz_command_apdu", c, written)
    for extra in ["00 B0 00 00 00 01 00", "80 2A 00 80 00 00 33 " + DIGEST_INFO + " 00 00",
                  "80 2A 00 80 00 00 33 " + DIGEST_INFO, "00 84 00 00"]:
        write("fuzz_command_apdu", h(extra), written)

    # fuzz_card_session: whole sessions on several card variants.
    for name, cmds in SESSIONS.items():
        for i, variant in enumerate(VARIANTS[name]):
            write("fuzz_card_session", card_session_input(variant, 1 + i, cmds), written)

    # fuzz_vpcd_stream: what vpcd sends (power on, ATR, APDUs, reset, off).
    session = [b"\x01", b"\x04"] + [c for c in SESSIONS["auth_sign"] if c] + [b"\x02", b"\x00"]
    write("fuzz_vpcd_stream", vpcd_stream(0x00, 0x00, session), written)
    write("fuzz_vpcd_stream", vpcd_stream(0x37, 0x00, session), written)
    write("fuzz_vpcd_stream", vpcd_stream(0x05, 0x10, session), written)
    write("fuzz_vpcd_stream", vpcd_stream(0x11, 0x00, [b"\x01", b"", b"\x07", b"\x04"]), written)

    # fuzz_persona: the shipped persona files.
    personas = ROOT / "fixtures" / "personas"
    for f in sorted(personas.glob("*.yaml")):
        write("fuzz_persona", f.read_bytes(), written)

    # fuzz_form: the sample forms in both formats (byte 0 bit 0: JSON), the PDF
    # after a NUL as every attachment's content, and a protected variant.
    forms = ROOT / "client" / "examples" / "forms"
    pdf = (forms / "employment-certificate.pdf").read_bytes()
    for f in sorted(forms.glob("*.yaml")) + sorted(forms.glob("*.json")):
        text = f.read_bytes()
        write("fuzz_form", b"\x00" + text, written)
        if f.suffix == ".json":
            write("fuzz_form", b"\x01" + text, written)
        write("fuzz_form", b"\x00" + text + b"\x00" + pdf, written)
    encrypted = pdf.replace(b"trailer", b"trailer\n<< /Encrypt 9 0 R >>\n", 1)
    write("fuzz_form", b"\x00" + (forms / "extension-with-pdf.yaml").read_bytes() + b"\x00" +
          encrypted, written)
    write("fuzz_form", b"\x01" + b'{"applicant": {"birth_date": "2000-02-29"}, '
          b'"procedures": ["reentry_permit"], "delivery": "counter", '
          b'"attachments": [{"path": "a.pdf", "content_type": "application/pdf"}]}' +
          b"\x00junk %PDF-1.7\n/Encr#79pt", written)

    # Certificates and card answers come from fuzz_seed_recorder (tools/fuzz --record-seeds).

    for target, names in sorted(written.items()):
        print(f"{target}: {len(names)} seeds")


if __name__ == "__main__":
    main()
