"""connectors.mime: MIME structure, charsets, transfer encodings, headers, threading, body splitting."""

from __future__ import annotations

import base64
import http.server
import threading
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.errors import ConnectorError
from connectors.mime import (
    MalformedMessage,
    decode_text,
    normalize_subject,
    parse_message,
    split_body,
    thread_key,
)


def _mail(body: bytes, *, headers: str = "", ctype: str = "text/plain; charset=utf-8", cte: str = "8bit") -> bytes:
    head = (
        "From: Sam Ortiz <sam@acme.example>\r\nTo: dana@northwind-robotics.example\r\nSubject: Test\r\n"
        "Date: Wed, 25 Nov 2026 09:30:00 -0500\r\nMessage-ID: <m1@acme.example>\r\nMIME-Version: 1.0\r\n"
        f"{headers}Content-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n"
    )
    return head.encode("ascii") + body


# -- structure ---------------------------------------------------------------------------------


def test_multipart_alternative_prefers_plain_text():
    raw = _mail(
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain wins.\r\n"
        b"--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML <b>loses</b></p>\r\n--B--\r\n",
        ctype='multipart/alternative; boundary="B"',
    )
    msg = parse_message(raw)
    assert msg.body_text == "Plain wins."
    assert msg.attachments == []


def test_html_only_is_converted_to_text_without_fetching_remote_content():
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - stdlib name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (f'<html><head><link rel="stylesheet" href="{url}/s.css"></head><body>'
                f'<h1>Quarterly</h1><p>Revenue is <b>up</b>.</p><img src="{url}/track.gif">'
                "<ul><li>one</li><li>two</li></ul><script>alert(1)</script></body></html>")
        msg = parse_message(_mail(html.encode(), ctype="text/html; charset=utf-8"))
    finally:
        server.shutdown()
        server.server_close()
    assert "Quarterly" in msg.body_text and "Revenue is up." in msg.body_text
    assert "one" in msg.body_text and "<b>" not in msg.body_text and "alert" not in msg.body_text
    assert hits == []


def test_empty_plain_alternative_falls_back_to_html():
    raw = _mail(
        b"--B\r\nContent-Type: text/plain\r\n\r\n\r\n"
        b"--B\r\nContent-Type: text/html\r\n\r\n<p>Only here</p>\r\n--B--\r\n",
        ctype='multipart/alternative; boundary="B"',
    )
    assert parse_message(raw).body_text == "Only here"


def test_attachments_are_metadata_and_inline_images_are_ignored():
    pdf = b"%PDF-1.4 fake" * 100
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
    em = EmailMessage()
    em["From"] = "a@b.example"
    em["Subject"] = "Invoice"
    em.set_content("See attached.")
    em.add_alternative('<p>See attached <img src="cid:logo"></p>', subtype="html")
    em.get_payload()[1].add_related(png, "image", "png", cid="<logo>")
    em.add_attachment(pdf, maintype="application", subtype="pdf", filename="INV-2026-114.pdf")
    forwarded = EmailMessage()
    forwarded["Subject"] = "inner"
    forwarded.set_content("SECRET INNER BODY")
    em.add_attachment(forwarded)
    msg = parse_message(em.as_bytes())
    assert msg.body_text == "See attached."
    names = [(a.filename, a.content_type) for a in msg.attachments]
    assert names == [("INV-2026-114.pdf", "application/pdf"), ("attached-message.eml", "message/rfc822")]
    assert msg.attachments[0].size == len(pdf)
    assert "SECRET" not in msg.body_text


# -- charsets and transfer encodings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("charset", "cte", "payload", "expected"),
    [
        ("iso-8859-1", "quoted-printable", b"Caf=E9 cr=E8me br=FBl=E9e", "Café crème brûlée"),
        ("windows-1252", "8bit", "“Quoted” – €5".encode("cp1252"), "“Quoted” – €5"),
        # Latin-1 labelled mail with cp1252 bytes (curly quotes) is read as cp1252, as browsers do.
        ("iso-8859-1", "8bit", b"\x93smart\x94", "“smart”"),
        ("koi8-r", "base64", base64.b64encode("Привет".encode("koi8-r")), "Привет"),
        ("shift_jis", "base64", base64.b64encode("会議".encode("shift_jis")), "会議"),
        ("utf-8", "base64", base64.b64encode("naïve ✓".encode()), "naïve ✓"),
        ("x-bogus-charset", "8bit", "unknown but utf-8 ✓".encode(), "unknown but utf-8 ✓"),
        ("unknown-8bit", "8bit", "déjà".encode("latin-1"), "déjà"),
        ("utf-8", "8bit", b"broken \xff\xfe bytes", "broken"),
    ],
)
def test_charsets_and_transfer_encodings(charset, cte, payload, expected):
    msg = parse_message(_mail(payload, ctype=f"text/plain; charset={charset}", cte=cte))
    assert msg.body_text.startswith(expected)


def test_decode_text_never_raises_on_odd_charset_names():
    for name in ("", None, "'\"", "utf-7", "bogus", "base64", "idna", "rot13", "uu_codec"):
        assert isinstance(decode_text(b"abc \xe9", name), str)


# -- headers ------------------------------------------------------------------------------------


def test_headers_addresses_and_dates():
    raw = _mail(
        b"Hello",
        headers=(
            "Cc: =?utf-8?b?SsO8cmdlbiBNw7xsbGVy?= <JM@Example.com>, \"Lee, Ana\" <ana@x.example>\r\n"
            "List-Unsubscribe: <https://news.example/u?id=1>, <mailto:u@news.example>\r\n"
            "Precedence: bulk\r\nAuto-Submitted: auto-generated\r\nIn-Reply-To: <p@x>\r\n"
            "References: <root@x>\r\n <p@x>\r\nReceived: from somewhere\r\n"
        ),
    )
    msg = parse_message(raw)
    assert [(c.name, c.email) for c in msg.cc] == [("Jürgen Müller", "jm@example.com"), ("Lee, Ana", "ana@x.example")]
    assert msg.sender.name == "Sam Ortiz" and msg.sender.email == "sam@acme.example"
    assert msg.sent_at == datetime(2026, 11, 25, 14, 30, tzinfo=timezone.utc)
    assert msg.sent_at.utcoffset() == timedelta(hours=-5)
    assert msg.headers["List-Unsubscribe"].startswith("<https://news.example/u?id=1>")
    assert msg.headers["Precedence"] == "bulk" and msg.headers["Auto-Submitted"] == "auto-generated"
    assert msg.headers["References"] == "<root@x> <p@x>"
    assert "Received" not in msg.headers
    assert (msg.message_id_header, msg.in_reply_to, msg.thread_key) == ("m1@acme.example", "p@x", "mid:root@x")


def test_odd_dates_and_raw_8bit_headers():
    raw = ("From: Zoë <zoe@x.example>\r\nSubject: Größe\r\nDate: Wed, 25 Nov 2026 09:30:00 -0000\r\n\r\nx").encode()
    msg = parse_message(raw)
    assert msg.subject == "Größe" and msg.sender.name == "Zoë"
    assert msg.sent_at is not None and msg.sent_at.tzinfo is not None and msg.sent_at.hour == 9
    bad = parse_message(b"From: a@b.example\r\nDate: not a date\r\n\r\nx")
    assert bad.sent_at is None


def test_provider_ids_are_stable():
    raw = b"From: a@b.example\r\nSubject: no id\r\n\r\nbody"
    assert parse_message(raw).provider_id == parse_message(raw).provider_id
    assert parse_message(raw).provider_id.startswith("sha256:")
    assert parse_message(raw, provider_id="gm-1", provider_thread_id="t-9").thread_key == "t-9"


# -- threading ----------------------------------------------------------------------------------


def test_thread_key_precedence():
    assert thread_key(provider_thread_id="T", references=["r"], message_id="m") == "T"
    assert thread_key(references=["root", "parent"], in_reply_to="parent", message_id="m") == "mid:root"
    assert thread_key(in_reply_to="parent", message_id="m") == "mid:parent"
    assert thread_key(message_id="m", subject="x") == "mid:m"
    assert thread_key(subject="RE: Fwd: [team] Budget  Q3") == "subj:budget q3"


def test_root_and_replies_share_a_thread_key():
    root = parse_message(b"From: a@x.example\r\nSubject: Plan\r\nMessage-ID: <r@x>\r\n\r\nA")
    reply = parse_message(b"From: b@x.example\r\nSubject: Re: Plan\r\nMessage-ID: <s@x>\r\nIn-Reply-To: <r@x>\r\n\r\nB")
    deeper = parse_message(b"From: a@x.example\r\nSubject: Re: Plan\r\nMessage-ID: <t@x>\r\n"
                           b"In-Reply-To: <s@x>\r\nReferences: <r@x> <s@x>\r\n\r\nC")
    assert root.thread_key == reply.thread_key == deeper.thread_key == "mid:r@x"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [("Re: RE: Fw: Budget", "budget"), ("AW: WG: Angebot", "angebot"), ("Re[2]: Hi", "hi"),
     ("[Northwind] Re:  Weekly   update", "weekly update"), ("Regarding plans", "regarding plans")],
)
def test_normalize_subject(subject, expected):
    assert normalize_subject(subject) == expected


# -- new text / quoted / signature --------------------------------------------------------------


def test_split_gmail_reply_with_wrapped_attribution_and_signoff():
    body = ("Sounds good, I'll send the revised deck by Friday.\n\nBest,\nPriya\nVP Sales | Northwind\n\n"
            "On Mon, Nov 23, 2026 at 9:14 AM Dana Whitfield <\ndana@northwind-robotics.example> wrote:\n"
            "> Can you send the deck?\n> Thanks")
    parts = split_body(body)
    assert parts.new == "Sounds good, I'll send the revised deck by Friday."
    assert parts.signature == "Best,\nPriya\nVP Sales | Northwind"
    assert parts.quoted.startswith("On Mon, Nov 23") and parts.quoted.endswith("> Thanks")


def test_split_outlook_blocks():
    for banner in ("-----Original Message-----\nFrom: Dana\nSent: Monday\nSubject: x",
                   "________________________________\nFrom: Dana Whitfield\nSent: Monday, November 23\nTo: Me",
                   "From: Dana Whitfield <dana@x>\nSent: Monday, November 23, 2026 9:00 AM\nTo: Me\n\nold"):
        parts = split_body(f"Approved.\n\n{banner}")
        assert parts.new == "Approved." and parts.quoted.startswith(banner.split("\n")[0])


def test_split_inline_quotes_dash_signature_and_mobile_footer():
    parts = split_body("> question one?\nAnswer one.\n> question two?\nAnswer two.\n-- \nLee Park\n+1 555 0100")
    assert parts.new == "Answer one.\nAnswer two."
    assert parts.quoted == "> question one?\n> question two?"
    assert parts.signature == "--\nLee Park\n+1 555 0100"  # trailing space of the delimiter is tidied
    assert split_body("On it.\n\nSent from my iPhone").signature == "Sent from my iPhone"


def test_split_keeps_short_messages_and_mid_text_thanks():
    assert split_body("Thanks!").new == "Thanks!" and split_body("Thanks!").signature == ""
    text = "Thanks for the numbers.\nCould you also add churn by segment?"
    assert split_body(text).new == text and split_body(text).signature == ""


# -- not a message ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"hello world, no headers here", b"\x00\x01\x02\xff"])
def test_non_messages_raise_malformed(raw):
    with pytest.raises(MalformedMessage) as info:
        parse_message(raw)
    assert isinstance(info.value, ConnectorError) and info.value.next_step


def test_non_bytes_input_is_malformed():
    with pytest.raises(MalformedMessage):
        parse_message("From: a@b\r\n\r\nx")  # type: ignore[arg-type]


# -- fuzzing ------------------------------------------------------------------------------------

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_malformed(raw):
    try:
        msg = parse_message(raw)
    except MalformedMessage:
        return
    assert isinstance(msg.body_text, str) and isinstance(msg.subject, str)
    msg.body_text.encode("utf-8")  # no surrogates leak out
    msg.subject.encode("utf-8")


_HEADER_NAMES = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
                 "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "List-Unsubscribe", "X-Junk"]
_CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "koi8-r", "shift_jis", "bogus", "", "utf-16", "unknown-8bit"]
_CTES = ["7bit", "8bit", "base64", "quoted-printable", "binary", "x-uuencode", "garbage"]
_TYPES = ["text/plain", "text/html", "application/pdf", "image/png", "message/rfc822", "multipart/mixed",
          "multipart/alternative", "text/calendar"]


@st.composite
def _structured_messages(draw) -> bytes:
    text = st.text(max_size=80)
    lines = [f"{name}: {draw(text)}" for name in draw(st.lists(st.sampled_from(_HEADER_NAMES), min_size=1, max_size=8))]
    lines.insert(0, "From: " + draw(st.sampled_from(["a@b.example", "=?utf-8?q?=C3=A9?= <e@x>", "<>", "\"x", "@@"])))
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        ptype = draw(st.sampled_from(_TYPES))
        head = (f"Content-Type: {ptype}; charset={draw(st.sampled_from(_CHARSETS))}; name={draw(text)!r}\r\n"
                f"Content-Transfer-Encoding: {draw(st.sampled_from(_CTES))}\r\n"
                f"Content-Disposition: {draw(st.sampled_from(['inline', 'attachment', '', 'attachment; filename=']))}"
                f"{draw(text)}\r\n\r\n")
        parts.append(head.encode("utf-8", "surrogatepass") + draw(st.binary(max_size=200)))
    if parts:
        lines.append('Content-Type: multipart/mixed; boundary="ZZ"')
        body = b"".join(b"--ZZ\r\n" + p + b"\r\n" for p in parts) + draw(st.sampled_from([b"--ZZ--\r\n", b""]))
    else:
        body = draw(st.binary(max_size=300))
    return "\r\n".join(lines).encode("utf-8", "surrogatepass") + b"\r\n\r\n" + body


@FUZZ
@given(_structured_messages())
def test_generated_messages_parse_without_raising(raw):
    msg = parse_message(raw)  # every generated message has a From header, so it is a message
    msg.body_text.encode("utf-8")
    for contact in msg.participants:
        contact.email.encode("utf-8")
    assert msg.sent_at is None or msg.sent_at.tzinfo is not None


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300),
       st.sampled_from(["base64", "quoted-printable", "8bit"]), st.sampled_from(["plain", "html"]))
def test_text_bodies_round_trip(text, cte, subtype):
    em = EmailMessage()
    em["From"] = "a@b.example"
    em["Subject"] = "round trip"
    if subtype == "html":
        import html as html_lib

        em.set_content(f"<p>{html_lib.escape(text)}</p>", subtype="html", charset="utf-8", cte=cte)
    else:
        em.set_content(text, charset="utf-8", cte=cte)
    body = parse_message(em.as_bytes()).body_text
    assert " ".join(body.split()) == " ".join(text.split())


# -- header decoding on the compat32 fast path (encoded words, folding, dates) ------------------


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        ("=?utf-8?b?R3LDtsOfZSBCZXN0ZWxsdW5n?=", "Größe Bestellung"),
        ("=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=", "Café crème"),
        ("=?iso-8859-1?q?Ren=E9e?= Dubois", "Renée Dubois"),
        ("=?windows-1252?q?=93quoted=94?=", "“quoted”"),
        ("=?koi8-r?b?" + base64.b64encode("Привет мир".encode("koi8-r")).decode() + "?=", "Привет мир"),
        ("=?shift_jis?b?" + base64.b64encode("会議の議題".encode("shift_jis")).decode() + "?=", "会議の議題"),
        # whitespace between adjacent encoded words is not part of the text (RFC 2047 section 6.2)
        ("=?utf-8?q?Quarterly_?= =?utf-8?q?update?=", "Quarterly update"),
        ("=?utf-8?q?a?=   =?iso-8859-1?q?=E9?=", "aé"),
        ("Re: =?utf-8?q?Gr=C3=BC=C3=9Fe?= from Berlin", "Re: Grüße from Berlin"),
        # an unknown charset label falls back to UTF-8, then Windows-1252, like bodies do
        ("=?x-unknown?q?d=C3=A9j=C3=A0?=", "déjà"),
        ("=?bogus?b?" + base64.b64encode("d\xe9j\xe0".encode("latin-1")).decode() + "?=", "déjà"),
        # broken base64 in an encoded word keeps the raw text rather than failing the message
        ("=?utf-8?b?A?= tail", "=?utf-8?b?A?= tail"),
        ("no encoded words =? here", "no encoded words =? here"),
    ],
)
def test_encoded_word_subjects_in_several_charsets(encoded, expected):
    raw = f"From: a@b.example\r\nSubject: {encoded}\r\n\r\nbody".encode()
    assert parse_message(raw).subject == expected


def test_folded_headers_are_unfolded():
    raw = (b"From: =?utf-8?q?J=C3=BCrgen?=\r\n =?utf-8?q?_M=C3=BCller?=\r\n\t<jm@example.com>\r\n"
           b"To: Ana <ana@x.example>,\r\n  Bo <bo@x.example>\r\n"
           b"Subject: A long subject that was\r\n folded by the sender\r\n\t =?utf-8?q?with_=C3=BCmlaut?=\r\n"
           b"Message-ID:\r\n <m1@x.example>\r\n"
           b"References: <a@x>\r\n\t<b@x>\r\n <c@x>\r\n"
           b"List-Unsubscribe: <https://news.example/u?id=1>,\r\n <mailto:u@news.example>\r\n\r\nbody")
    msg = parse_message(raw)
    assert msg.subject == "A long subject that was folded by the sender with ümlaut"
    assert (msg.sender.name, msg.sender.email) == ("Jürgen Müller", "jm@example.com")
    assert [c.email for c in msg.to] == ["ana@x.example", "bo@x.example"]
    assert msg.message_id_header == "m1@x.example"
    assert msg.headers["References"] == "<a@x> <b@x> <c@x>"
    assert msg.headers["List-Unsubscribe"] == "<https://news.example/u?id=1>, <mailto:u@news.example>"
    assert msg.thread_key == "mid:a@x"


def test_encoded_display_names_with_commas_stay_one_address():
    raw = (b"From: a@b.example\r\nTo: =?utf-8?q?Lee=2C_Ana?= <ana@x.example>, \"=?utf-8?q?M=C3=BCller?=\" "
           b"<m@x.example>, plain@x.example\r\nCc: undisclosed-recipients:;\r\n\r\nbody")
    msg = parse_message(raw)
    assert [(c.name, c.email) for c in msg.to] == [
        ("Lee, Ana", "ana@x.example"), ("Müller", "m@x.example"), ("", "plain@x.example")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 25 Nov 2026 09:30:00 +0100", datetime(2026, 11, 25, 8, 30, tzinfo=timezone.utc)),
        ("25 Nov 2026 09:30:00 GMT", datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)),
        ("Wed, 25 Nov 2026 09:30 -0000", datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)),
        ("Wed, 25 Nov 26 09:30:00 +0000", datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)),
        ("Wed,\r\n 25 Nov 2026\r\n 09:30:00 +0000", datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)),
        ("", None), ("garbage", None), ("Wed, 99 Foo 2026 99:99:99 +0000", None), ("2026-11-25", None),
        ("Wed, 31 Feb 2026 09:30:00 +0000", None), ("Wed, 25 Nov 2026 09:30:00 +9999", None),
    ],
)
def test_dates_parse_or_degrade_to_none(value, expected):
    msg = parse_message(f"From: a@b.example\r\nDate: {value}\r\n\r\nx".encode())
    assert msg.sent_at == expected
    assert msg.sent_at is None or msg.sent_at.tzinfo is not None


def test_nested_multiparts_prefer_plain_and_collect_attachments_at_any_depth():
    raw = _mail(
        b"--OUT\r\nContent-Type: multipart/related; boundary=\"REL\"\r\n\r\n"
        b"--REL\r\nContent-Type: multipart/alternative; boundary=\"ALT\"\r\n\r\n"
        b"--ALT\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Gr=FC=DFe aus Berlin.\r\n"
        b"--ALT\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML twin</p>\r\n--ALT--\r\n"
        b"--REL\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgo=\r\n--REL--\r\n"
        b"--OUT\r\nContent-Type: application/vnd.ms-excel; name=\"=?utf-8?q?Umsatz_Q3_=E2=82=AC.xls?=\"\r\n"
        b"Content-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n"
        b"--OUT\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=utf-8''Bericht%20f%C3%BCr%20Dana.pdf\r\n\r\n%PDF\r\n"
        b"--OUT--\r\n",
        ctype='multipart/mixed; boundary="OUT"',
    )
    msg = parse_message(raw)
    assert msg.body_text == "Grüße aus Berlin."
    assert [(a.filename, a.content_type, a.size) for a in msg.attachments] == [
        ("Umsatz Q3 €.xls", "application/vnd.ms-excel", 4), ("Bericht für Dana.pdf", "application/pdf", 4)]


def _attached_message(inner_ctype: str, inner_body: bytes) -> bytes:
    return (b"--OUT\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n"
            b"From: eve@x.example\r\nSubject: inner\r\nMIME-Version: 1.0\r\n"
            + f"Content-Type: {inner_ctype}\r\n\r\n".encode() + inner_body + b"\r\n")


@pytest.mark.parametrize(
    ("outer_body", "inner_ctype", "inner_body"),
    [
        (b"Content-Type: text/plain\r\n\r\nOuter text.\r\n", "text/plain", b"SECRET INNER PLAIN"),
        (b"Content-Type: text/html\r\n\r\n<p>Outer text.</p>\r\n", "text/html", b"<p>SECRET INNER HTML</p>"),
        (b"Content-Type: text/html\r\n\r\n<p>Outer text.</p>\r\n", 'multipart/alternative; boundary="IN"',
         b"--IN\r\nContent-Type: text/plain\r\n\r\nSECRET A\r\n"
         b"--IN\r\nContent-Type: text/html\r\n\r\nSECRET B\r\n--IN--"),
    ],
)
def test_attached_messages_never_leak_into_the_body(outer_body, inner_ctype, inner_body):
    raw = _mail(b"--OUT\r\n" + outer_body + _attached_message(inner_ctype, inner_body) + b"--OUT--\r\n",
                ctype='multipart/mixed; boundary="OUT"')
    msg = parse_message(raw)
    assert msg.body_text == "Outer text."
    assert "SECRET" not in msg.body_text and "SECRET" not in msg.snippet
    assert [(a.filename, a.content_type) for a in msg.attachments] == [("attached-message.eml", "message/rfc822")]
    assert msg.attachments[0].size > len(inner_body)


def test_raw_8bit_filenames_and_display_names_are_decoded():
    raw = ("From: \"Zoë Ås\" <zoe@x.example>\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
           "--B\r\nContent-Type: text/plain\r\n\r\nSee file.\r\n"
           "--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"Prüfbericht.pdf\"\r\n"
           "\r\n%PDF\r\n--B--\r\n").encode()
    msg = parse_message(raw)
    assert msg.sender.name == "Zoë Ås" and msg.body_text == "See file."
    assert [a.filename for a in msg.attachments] == ["Prüfbericht.pdf"]


_HEADER_CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "koi8-r", "shift_jis", "iso-2022-jp", "big5"]


@FUZZ
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=120),
       st.sampled_from(_HEADER_CHARSETS))
def test_encoded_word_subjects_round_trip(text, charset):
    from email.header import Header

    try:
        text.encode(charset)
    except UnicodeEncodeError:
        charset = "utf-8"
    encoded = Header(text, charset, header_name="Subject").encode(linesep="\r\n")
    raw = b"From: a@b.example\r\nSubject: " + encoded.encode("ascii") + b"\r\n\r\nbody"
    assert " ".join(parse_message(raw).subject.split()) == " ".join(text.split())
