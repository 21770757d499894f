"""Two legs with the same codec relay on the fast path: the payload goes through untouched, never
decoded and encoded again. Proved with bytes that a decode and encode would change: G.711
mu-law has two codes for zero (0x7F and 0xFF) and an encoder writes only 0xFF; every one of the
256 codes also arrives as sent."""

from __future__ import annotations

import pytest

from pbx_core.media import MediaEngine
from pbx_core.media.codecs import PCMU, get_decoder, get_encoder
from tests.component.media.phones import HOST, wait_for
from tests.component.media.test_media_relay import connect

NEGATIVE_ZERO = bytes([0x7F]) * 160
EVERY_CODE = (bytes(range(256)) * 2)[:160]


def test_a_decode_and_encode_would_change_these_payloads() -> None:
    decoder, encoder = get_decoder(PCMU), get_encoder(PCMU)
    for payload in (NEGATIVE_ZERO, EVERY_CODE):
        assert encoder.encode(decoder.decode(payload)) != payload


@pytest.mark.parametrize("payload", [NEGATIVE_ZERO, EVERY_CODE], ids=["minus-zero", "every-code"])
async def test_same_codec_payloads_pass_untouched(
    engine: MediaEngine, phone_factory, payload: bytes
) -> None:
    a_phone, b_phone = await phone_factory(), await phone_factory()
    a, b = await connect(engine, a_phone, b_phone)
    assert a.codec == b.codec == PCMU
    for _ in range(5):
        a_phone.send((HOST, a.local_port), payload, pt=96)
    await wait_for(lambda: len(b_phone.received) == 5)
    assert [p.payload for p in b_phone.packets()] == [payload] * 5
