"""Fixtures of the media engine component tests: an engine on free ports, loopback phones."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from pbx_core.media import MediaEngine
from tests.component.media.phones import HOST, Phone, free_port_range


@pytest.fixture
async def engine() -> AsyncIterator[MediaEngine]:
    low, high = free_port_range(16)
    media = MediaEngine(HOST, HOST, low, high)
    yield media
    await media.close()


@pytest.fixture
async def phone_factory() -> AsyncIterator[Callable[..., Awaitable[Phone]]]:
    phones: list[Phone] = []

    async def make(port: int = 0) -> Phone:
        phone = await Phone().open(port)
        phones.append(phone)
        return phone

    yield make
    for phone in phones:
        phone.close()
