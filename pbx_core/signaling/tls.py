"""SIP over TLS (RFC 3261 §26.2.1, RFC 5630): the certificate, the TLS contexts and a sans-IO
TLS session that the stream transport wraps around its TCP framing.

The session works on memory buffers (``ssl.MemoryBIO``), never on a socket: ``receive`` takes
ciphertext and returns the plaintext and the bytes to send back, ``send`` takes plaintext and
returns ciphertext. The transport owns the socket; a failed handshake is a :class:`TlsError`
it logs once with the peer and closes the connection, whatever event loop runs it.

Certificates: a configured pair (``--tls-cert``/``--tls-key``) or, for the embedded PBX, a
self-signed one made once in the data dir (key file mode 0600) and reused on every start.
Only TLS 1.2 and later are accepted. Phones present no client certificate, and the PBX does not
verify the certificates of phones it connects to (their listeners are self-signed).
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pbx_core.errors import PbxError

if TYPE_CHECKING:
    from pbx_core.config import PbxConfig

__all__ = [
    "TlsError",
    "TlsSession",
    "TlsSettings",
    "client_context",
    "ensure_self_signed",
    "server_context",
    "tls_contexts",
]

_log = logging.getLogger(__name__)

CERT_FILE = "sip-tls-cert.pem"
KEY_FILE = "sip-tls-key.pem"
_READ_CHUNK = 65536


class TlsError(PbxError, ConnectionError):
    """A TLS handshake or record failed; the connection is closed."""


@dataclass(frozen=True, slots=True)
class TlsSettings:
    """The SIP/TLS listener's port and certificate (none given: self-signed in ``data_dir``)."""

    port: int | None = None  # None: the SIP port + 1 (5061), else a free one; 0: no TLS
    cert_file: Path | None = None
    key_file: Path | None = None
    data_dir: Path | None = None

    @classmethod
    def of(cls, config: PbxConfig) -> TlsSettings:
        return cls(config.sip_tls_port, config.tls_cert, config.tls_key, config.data_dir)


def tls_contexts(
    settings: TlsSettings, hosts: tuple[str, ...] = ()
) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """The listener's and the client's contexts for ``settings``; TlsError if the
    certificate cannot be loaded or made."""
    if settings.cert_file is not None and settings.key_file is not None:
        cert, key = settings.cert_file, settings.key_file
    elif settings.cert_file is not None or settings.key_file is not None:
        raise TlsError("give both a TLS certificate and its key, or neither")
    elif settings.data_dir is not None:
        try:
            cert, key = ensure_self_signed(settings.data_dir / "tls", hosts)
        except OSError as exc:
            raise TlsError(f"cannot make a TLS certificate: {exc}") from exc
    else:
        raise TlsError("no TLS certificate and no data dir for a self-signed one")
    return server_context(cert, key), client_context()


def ensure_self_signed(directory: Path, hosts: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """A self-signed certificate and key in ``directory``, made on first use and kept.

    The key file is created with mode 0600. ``hosts`` (names or addresses) go into the
    certificate's subjectAltName next to ``localhost`` and 127.0.0.1.
    """
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    if cert_path.is_file() and key_path.is_file():
        return cert_path, key_path
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    addresses = {"127.0.0.1"}
    for host in hosts:
        try:
            address = ipaddress.ip_address(host)
            if not address.is_unspecified:  # 0.0.0.0 is a bind-all, not an address
                addresses.add(str(address))
        except ValueError:
            if host and host != "localhost":
                names.append(x509.DNSName(host))
    names += [x509.IPAddress(ipaddress.ip_address(a)) for a in sorted(addresses)]
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AcmePhone PBX")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key_pem)
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _log.info("made a self-signed SIP/TLS certificate: %s", cert_path)
    return cert_path, key_path


def server_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    """The listener's context: TLS 1.2+, our certificate, no client certificate asked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(cert_file, key_file)
    except (OSError, ssl.SSLError) as exc:
        raise TlsError(f"cannot load the TLS certificate {cert_file}: {exc}") from exc
    return context


def client_context(verify: bool = False, cafile: Path | None = None) -> ssl.SSLContext:
    """The context of connections we open: TLS 1.2+; phones' self-signed certificates are
    accepted unless ``verify``."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if verify:
        if cafile is not None:
            context.load_verify_locations(cafile)
    else:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class TlsSession:
    """One TLS connection over memory buffers. Sans-IO: bytes in, bytes out."""

    def __init__(
        self, context: ssl.SSLContext, *, server_side: bool, server_hostname: str | None = None
    ) -> None:
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(
            self._incoming,
            self._outgoing,
            server_side=server_side,
            server_hostname=None if server_side else server_hostname,
        )
        self._waiting: list[bytes] = []
        self.established = False
        self.closed = False

    @property
    def version(self) -> str | None:
        """The negotiated protocol ("TLSv1.3"), once established."""
        return self._tls.version()

    def start(self) -> bytes:
        """The first flight of a client (its ClientHello); nothing for a server."""
        self._handshake()
        return self._outgoing.read()

    def receive(self, data: bytes) -> tuple[bytes, bytes]:
        """Feed ciphertext; return (plaintext received, ciphertext to send). TlsError on a
        failed handshake or a corrupt record."""
        self._incoming.write(data)
        plain = bytearray()
        if not self.established:
            self._handshake()
        if self.established:
            plain += self._read()
        return bytes(plain), self._outgoing.read()

    def send(self, data: bytes) -> bytes:
        """Plaintext to send; the ciphertext to write (held until the handshake is done)."""
        if not self.established:
            self._waiting.append(data)
            return b""
        try:
            self._tls.write(data)
        except ssl.SSLError as exc:
            raise TlsError(f"TLS write failed: {exc.reason or exc}") from exc
        return self._outgoing.read()

    def _handshake(self) -> None:
        try:
            self._tls.do_handshake()
        except ssl.SSLWantReadError:
            return
        except ssl.SSLError as exc:
            raise TlsError(f"TLS handshake failed: {exc.reason or exc}") from exc
        self.established = True
        waiting, self._waiting = self._waiting, []
        for data in waiting:
            self._tls.write(data)

    def _read(self) -> bytes:
        out = bytearray()
        while True:
            try:
                chunk = self._tls.read(_READ_CHUNK)
            except ssl.SSLWantReadError:
                return bytes(out)
            except ssl.SSLZeroReturnError:
                self.closed = True
                return bytes(out)
            except ssl.SSLError as exc:
                raise TlsError(f"TLS record failed: {exc.reason or exc}") from exc
            if not chunk:
                self.closed = True
                return bytes(out)
            out += chunk
