"""Which digest algorithms a phone is challenged with: SHA-256 only where it is known to work."""

from __future__ import annotations

from pbx_core.signaling.authenticator import DigestAuthenticator


def _auth(**options: object) -> DigestAuthenticator:
    return DigestAuthenticator("acme.local", lambda user: None, clock=lambda: 0.0, **options)  # type: ignore[arg-type]


def test_phones_known_for_sha256_get_both_others_md5_alone() -> None:
    auth = _auth()
    assert auth.offered("AcmePhone/1.4 (Windows)") == ("MD5", "SHA-256")
    assert auth.offered("Linphone-Desktop/5.2.4 (belle-sip/5.2.0)") == ("MD5", "SHA-256")
    assert auth.offered("PJSUA v2.13 Linux-6.1") == ("MD5", "SHA-256")
    assert auth.offered("baresip v1.0.0 (x86_64/linux)") == ("MD5",)
    assert auth.offered("") == ("MD5",)
    (header,) = auth.challenge(user_agent="baresip v1.0.0").headers
    assert header[0] == "WWW-Authenticate" and "algorithm=MD5" in header[1]


def test_configuration_decides() -> None:
    assert _auth(sha256_agents=("*",)).offered("baresip") == ("MD5", "SHA-256")
    assert _auth(algorithms=("SHA-256",)).offered("baresip") == ("SHA-256",)
    assert _auth(algorithms=("SHA-256", "MD5"), sha256_agents=()).offered("Linphone") == ("MD5",)
