"""E-mail for a new voicemail message, with the audio attached, through a configured SMTP
server (seed 004 "Voicemail-Indstillinger": notify by e-mail, optionally with the message).

:func:`build_email` is pure; :class:`Mailer` sends on a worker thread (``smtplib``), so the
loop never waits on the mail server. A failure is logged: the message itself is kept.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, TypeAlias, get_args

from pbx_core.voicemail.repository import VoicemailMessage

__all__ = [
    "DEFAULT_EMAIL_NOTIFICATION",
    "EMAIL_NOTIFICATIONS",
    "EmailNotification",
    "Mailer",
    "build_email",
    "email_notification_of",
]

_log = logging.getLogger(__name__)

EmailNotification: TypeAlias = Literal["with_audio", "without_audio", "off"]
"""A user's choice: an e-mail for each new message with the WAV attached, without it, or none."""
EMAIL_NOTIFICATIONS: tuple[EmailNotification, ...] = get_args(EmailNotification)
DEFAULT_EMAIL_NOTIFICATION: EmailNotification = "with_audio"


def email_notification_of(stored: str | None) -> EmailNotification:
    """A stored choice (None, or an unknown word: the default)."""
    for choice in EMAIL_NOTIFICATIONS:
        if stored == choice:
            return choice
    return DEFAULT_EMAIL_NOTIFICATION


def build_email(
    sender: str, to: str, message: VoicemailMessage, audio: bytes | None
) -> EmailMessage:
    """The notification for ``message``; ``audio`` (WAV bytes) is attached when given."""
    who = f"{message.caller_name} ({message.caller})" if message.caller_name else message.caller
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = f"New voicemail from {who}"
    when = message.received_at.strftime("%Y-%m-%d %H:%M UTC")
    mail.set_content(
        f"{who} left you a voicemail message of {message.duration_s:.0f} s on {when}.\n"
    )
    if audio is not None:
        name = f"voicemail-{message.id}.wav"
        mail.add_attachment(audio, maintype="audio", subtype="wav", filename=name)
    return mail


class Mailer:
    """Sends notifications through ``host``:``port`` (plain SMTP, no login)."""

    def __init__(self, host: str, port: int, sender: str, *, attach: bool = True) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.attach = attach

    async def send(
        self, to: str, message: VoicemailMessage, audio: Path, *, attach: bool = True
    ) -> None:
        """Mail ``message`` to ``to``; the WAV attached when both this mailer and the user's
        choice (``attach``) want it."""
        try:
            await asyncio.to_thread(self._send, to, message, audio, attach and self.attach)
        except (OSError, smtplib.SMTPException) as exc:
            _log.warning("voicemail e-mail to %s failed: %s", to, exc)

    def _send(self, to: str, message: VoicemailMessage, audio: Path, attach: bool) -> None:
        data = audio.read_bytes() if attach else None
        mail = build_email(self.sender, to, message, data)
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(mail)
