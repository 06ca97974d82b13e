"""Sending through SMTP (standard library smtplib) with TLS and credentials from the environment.

One connection serves a whole delivery round; it is checked (NOOP) before each reuse, so a mail is
only ever written to a connection known to be alive. Errors are sorted for the outbox:
  permanent   the server refused the mail or every recipient with a 5xx code: retrying won't help
  temporary   4xx codes, time-outs, refused connections, TLS or login failures: retried with back-off
A connection-level failure ends the round (the next mails would fail the same way).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType

from .settings import SmtpSettings


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool, connection: bool) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.connection = connection  # the server or the connection failed, not this one mail


def _code_text(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


class Mailer:
    """`with Mailer(settings) as mailer: mailer.send(message)`; the connection opens at the first send."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.quit()
            except (smtplib.SMTPException, OSError):
                self._client.close()
            self._client = None

    def _context(self) -> ssl.SSLContext:
        ca = str(self.settings.ca_file) if self.settings.ca_file else None
        return ssl.create_default_context(cafile=ca)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            client: smtplib.SMTP
            if s.tls == "ssl":
                client = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=self._context())
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            try:
                client.ehlo()
                if s.tls == "starttls":
                    client.starttls(context=self._context())
                    client.ehlo()
                if s.user and s.password:
                    client.login(s.user, s.password)
            except BaseException:
                client.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"máy chủ thư {where} không chấp nhận tài khoản {s.user} "
                            f"({_code_text(exc.smtp_code, exc.smtp_error)}): kiểm tra CONGBO_SMTP_USER và "
                            "CONGBO_SMTP_PASSWORD", permanent=False, connection=True) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise SendError(f"máy chủ thư {where} không hỗ trợ STARTTLS: đặt CONGBO_SMTP_TLS=ssl hoặc dùng máy "
                            "chủ khác", permanent=False, connection=True) from exc
        except ssl.SSLError as exc:
            raise SendError(f"lỗi mã hóa TLS với máy chủ thư {where}: {exc.reason or exc}",
                            permanent=False, connection=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"không kết nối được máy chủ thư {where}: {exc or type(exc).__name__}",
                            permanent=False, connection=True) from exc
        return client

    def _alive(self) -> smtplib.SMTP:
        if self._client is not None:
            try:
                if self._client.noop()[0] == 250:
                    return self._client
            except (smtplib.SMTPException, OSError):
                pass
            self._client.close()
            self._client = None
        self._client = self._connect()
        return self._client

    def send(self, message: EmailMessage) -> str:
        """Hand the message to the server. Returns the recipients it accepted; raises SendError."""
        client = self._alive()
        recipients = [a.strip() for a in str(message["To"]).split(",") if a.strip()]
        try:
            refused = client.send_message(message, to_addrs=recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            detail = "; ".join(f"{addr}: {_code_text(c, t)}" for addr, (c, t) in exc.recipients.items())
            raise SendError(f"máy chủ thư từ chối người nhận: {detail}", permanent=all(c >= 500 for c in codes),
                            connection=False) from exc
        except smtplib.SMTPSenderRefused as exc:  # our configuration, not this mail: keep retrying
            self.close()
            raise SendError(f"máy chủ thư không nhận địa chỉ gửi {exc.sender} "
                            f"({_code_text(exc.smtp_code, exc.smtp_error)}): kiểm tra CONGBO_SMTP_FROM",
                            permanent=False, connection=True) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise SendError(f"máy chủ thư từ chối thư: {_code_text(exc.smtp_code, exc.smtp_error)}",
                            permanent=exc.smtp_code >= 500, connection=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SendError(f"mất kết nối máy chủ thư khi gửi: {exc or type(exc).__name__}",
                            permanent=False, connection=True) from exc
        accepted = [r for r in recipients if r not in refused]
        return ", ".join(accepted)
