"""Builders of hostile inputs shared by the hostile-input tests and `bench/hostile_bench.py`.

Each returns bytes a user could receive or be sent: small files that ask a parser for unbounded work
(deep nesting, recurrence bombs, zip bombs) or plain huge ones.
"""

from __future__ import annotations

import io
import zipfile

__all__ = ["huge_header_mail", "mbox_of", "nested_multipart", "recurrence_bomb", "zip_bomb_docx", "deep_html",
           "pdf_flate_bomb"]

_HEAD = b"From: Mallory <m@evil.example>\r\nTo: ceo@northwind.example\r\nSubject: hi\r\nMessage-ID: <bomb@evil>\r\n"


def nested_multipart(levels: int, *, message_id: bytes = b"<bomb@evil>") -> bytes:
    """`levels` multiparts nested inside each other around one text part (1,200 levels = ~80 KB)."""
    out = [_HEAD.replace(b"<bomb@evil>", message_id), b"MIME-Version: 1.0\r\n"]
    for i in range(levels):
        out.append(b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i))
    out.append(b"Content-Type: text/plain\r\n\r\nhello\r\n")
    out.extend(b"--b%d--\r\n" % i for i in reversed(range(levels)))
    return b"".join(out)


def huge_header_mail(header_bytes: int) -> bytes:
    """A mail whose Subject is one folded header of `header_bytes` bytes and that has 20,000 extra headers."""
    fold = b"\r\n ".join([b"x" * 70] * (header_bytes // 73))
    many = b"".join(b"X-Junk-%d: %d\r\n" % (i, i) for i in range(20_000))
    return _HEAD.replace(b"Subject: hi", b"Subject: " + fold) + many + b"\r\nbody\r\n"


def mbox_of(*messages: bytes) -> bytes:
    """An mbox file holding `messages` in order."""
    return b"".join(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + m.replace(b"\r\n", b"\n") + b"\n"
                    for m in messages)


def recurrence_bomb(freq: str = "SECONDLY", *, dtstart: str = "20260101T000000Z", old_event: bool = True) -> bytes:
    """A ~300-byte .ics whose one series repeats every second (or minute); with `old_event` a 1970 event
    stretches the default window over 56 years."""
    old = (b"BEGIN:VEVENT\r\nUID:old\r\nDTSTART:19700101T000000Z\r\nSUMMARY:old\r\nEND:VEVENT\r\n"
           if old_event else b"")
    return (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//evil//EN\r\nBEGIN:VEVENT\r\nUID:bomb\r\n"
            b"DTSTART:" + dtstart.encode() + b"\r\nRRULE:FREQ=" + freq.encode() + b"\r\nSUMMARY:bomb\r\nEND:VEVENT\r\n"
            + old + b"END:VCALENDAR\r\n")


def zip_bomb_docx(inflated_bytes: int = 300 * 2**20) -> bytes:
    """A valid-looking DOCX whose word/document.xml inflates to `inflated_bytes` (300 MB -> ~300 KB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("_rels/.rels",
                    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                    '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with zf.open("word/document.xml", "w") as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            chunk = b"A" * 2**20
            for _ in range(inflated_bytes // len(chunk)):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def deep_html(levels: int = 100_000) -> bytes:
    """HTML nested `levels` <div>s deep (lxml caps its tree depth; a recursive walker would not)."""
    return b"<html><body>" + b"<div>" * levels + b"deep" + b"</div>" * levels + b"</body></html>"


def pdf_flate_bomb(inflated_bytes: int = 200 * 2**20) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated_bytes` of page operators."""
    import zlib

    comp = zlib.compressobj(9)
    block = b"BT /F1 12 Tf 72 712 Td (A) Tj ET\n" * 32768
    parts = [comp.compress(block) for _ in range(max(1, inflated_bytes // len(block)))]
    stream = b"".join(parts) + comp.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
