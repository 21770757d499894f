"""The error tree of the PBX core: one root, drawn in one docstring."""

from __future__ import annotations

import pytest

from pbx_core import errors
from pbx_core.errors import PbxError
from pbx_core.signaling._tx_support import TransactionStateError
from pbx_core.signaling.message import SipParseError
from pbx_core.signaling.transport import FramingError

_SIP_INPUT = (SipParseError, FramingError, TransactionStateError)


def test_all_is_sorted() -> None:
    assert errors.__all__ == sorted(errors.__all__)


@pytest.mark.parametrize("kind", [*(getattr(errors, n) for n in errors.__all__), *_SIP_INPUT])
def test_every_error_is_a_pbx_error_drawn_in_the_tree(kind: type[Exception]) -> None:
    assert issubclass(kind, PbxError)
    assert errors.__doc__ is not None
    assert f"+ {kind.__name__} " in errors.__doc__ or kind is PbxError


@pytest.mark.parametrize("kind", _SIP_INPUT)
def test_malformed_input_errors_stay_value_errors(kind: type[Exception]) -> None:
    assert issubclass(kind, ValueError)


def test_sip_parse_error_is_caught_as_pbx_error() -> None:
    from pbx_core.signaling.message import parse_message

    with pytest.raises(PbxError):
        parse_message(b"NOT SIP\r\n\r\n")
