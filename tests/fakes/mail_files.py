"""Mail files for import tests."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path


def mail_with_attachments(folder: Path) -> Path:
    """An .eml with a Markdown, a PNG and a damaged PDF attachment, written into `folder`."""
    msg = EmailMessage()
    msg["From"] = "Alice Buyer <alice@contoso.example>"
    msg["To"] = "Ines Carvalho <ines@tidewater.example>"
    msg["Subject"] = "Our requirements"
    msg["Message-ID"] = "<req-1@contoso.example>"
    msg["Date"] = "Mon, 23 Nov 2026 09:15:00 +0000"
    msg.set_content("Hi Ines, our requirements are attached. Could you quote by Friday?")
    msg.add_attachment(b"# Requirements\n\nWe need 40 gateways with a marigold-blue enclosure.\n",
                       maintype="text", subtype="markdown", filename="requirements.md")
    msg.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, maintype="image", subtype="png", filename="logo.png")
    msg.add_attachment(b"%PDF-1.4 not really a pdf", maintype="application", subtype="pdf", filename="broken.pdf")
    path = folder / "req.eml"
    path.write_bytes(bytes(msg))
    return path


def mail_bytes(subject: str, body: str, attachments: list[tuple[str, bytes, str]]) -> bytes:
    """A raw RFC 822 message (what Gmail's `format=raw` carries) with (file name, bytes, MIME type) attached."""
    msg = EmailMessage()
    msg["From"] = "Alice Buyer <alice@contoso.example>"
    msg["To"] = "Ines Carvalho <ines@tidewater.example>"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 23 Nov 2026 09:15:00 +0000"
    msg.set_content(body)
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(msg)
