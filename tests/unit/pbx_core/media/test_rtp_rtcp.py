"""RTP and RTCP wire formats: captured packets round-trip, bad captures fail with exact text."""

from __future__ import annotations

from pathlib import Path

import pytest

from pbx_core.media.rtcp import (
    RtcpByePacket,
    RtcpRrPacket,
    RtcpSdesPacket,
    RtcpSrPacket,
    RtcpUnknownPacket,
    parse_rtcp,
    serialize_rtcp,
)
from pbx_core.media.rtp import RtpPacket, is_rtcp, peek_header, rewrite_header

FIXTURES = Path(__file__).parents[3] / "fixtures" / "rtp"


def load(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_pcmu_packet_fields_and_round_trip() -> None:
    data = load("rtp_pcmu.bin")
    packet = RtpPacket.parse(data)
    assert (packet.version, packet.payload_type, packet.marker) == (2, 0, False)
    assert (packet.sequence_number, packet.timestamp, packet.ssrc) == (0x1234, 0xA0000, 0xDEADBEEF)
    assert packet.payload == b"\xff" * 160
    assert packet.csrc == [] and packet.extension_profile is None and not packet.padding
    assert bytes(packet) == data
    assert not is_rtcp(data)
    assert peek_header(data) == (0, 0x1234, 0xA0000, 0xDEADBEEF)


def test_telephone_event_packet_keeps_marker() -> None:
    data = load("rtp_telephone_event.bin")
    packet = RtpPacket.parse(data)
    assert (packet.payload_type, packet.marker, packet.payload) == (101, True, b"\x01\x0a\x00\xa0")
    assert bytes(packet) == data


def test_csrc_extension_and_padding_round_trip() -> None:
    data = load("rtp_csrc_extension_padding.bin")
    packet = RtpPacket.parse(data)
    assert packet.csrc == [1, 2]
    assert (packet.extension_profile, packet.extension) == (0xBEDE, b"\x10\xaa\x00\x00")
    assert (packet.padding, packet.padding_size) == (True, 4)
    assert packet.payload == b"\xd5" * 160
    assert (packet.sequence_number, packet.timestamp) == (65535, 0xFFFFFFFF)
    assert bytes(packet) == data


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("rtp_truncated.bin", "RTP packet length is less than 12 bytes"),
        ("rtp_bad_version.bin", "RTP packet has invalid version"),
        ("rtp_bad_padding.bin", "RTP packet padding length is invalid"),
        ("rtp_truncated_csrc.bin", "RTP packet has truncated CSRC"),
    ],
)
def test_bad_rtp_captures(name: str, error: str) -> None:
    with pytest.raises(ValueError, match=rf"^{error}$"):
        RtpPacket.parse(load(name))


def test_truncated_extension_is_refused() -> None:
    data = bytearray(load("rtp_csrc_extension_padding.bin")[:26])
    data[0] &= ~0x20  # no padding: the extension runs past the end
    with pytest.raises(ValueError, match=r"^RTP packet has truncated extension$"):
        RtpPacket.parse(bytes(data))


def test_serialising_invalid_packets_fails() -> None:
    with pytest.raises(ValueError, match=r"^RTP packet has more than 15 CSRC$"):
        bytes(RtpPacket(csrc=list(range(16))))
    with pytest.raises(ValueError, match=r"^RTP extension length is not a multiple of 4$"):
        bytes(RtpPacket(extension_profile=1, extension=b"abc"))


def test_rewrite_header_changes_only_the_fixed_header() -> None:
    data = load("rtp_csrc_extension_padding.bin")
    out = rewrite_header(data, 0, True, 70000, 2**32 + 5, 0x55)
    packet = RtpPacket.parse(out)
    assert (packet.payload_type, packet.marker, packet.sequence_number) == (0, True, 70000 - 65536)
    assert (packet.timestamp, packet.ssrc) == (5, 0x55)
    assert out[12:] == data[12:]


def test_demux_by_packet_type() -> None:
    assert is_rtcp(load("rtcp_sr_sdes.bin"))
    assert is_rtcp(load("rtcp_rr_bye.bin"))
    assert not is_rtcp(load("rtp_telephone_event.bin"))  # PT 101 with marker = 229
    assert not is_rtcp(b"\x80")
    assert peek_header(load("rtp_bad_version.bin")) is None


def test_sender_report_and_sdes() -> None:
    data = load("rtcp_sr_sdes.bin")
    sr, sdes = parse_rtcp(data)
    assert isinstance(sr, RtcpSrPacket) and isinstance(sdes, RtcpSdesPacket)
    assert sr.ssrc == 0x11111111
    assert sr.sender_info.rtp_timestamp == 123456
    assert (sr.sender_info.packet_count, sr.sender_info.octet_count) == (50, 8000)
    (block,) = sr.reports
    assert (block.ssrc, block.fraction_lost, block.packets_lost) == (0x22222222, 12, -3)
    assert (block.highest_sequence, block.jitter, block.dlsr) == (0x1FFFF, 37, 65536)
    assert sdes.chunks[0].ssrc == 0x11111111
    assert sdes.chunks[0].items == [(1, b"alice@192.168.1.20")]
    assert serialize_rtcp([sr, sdes]) == data


def test_receiver_report_and_bye_with_reason() -> None:
    data = load("rtcp_rr_bye.bin")
    rr, bye = parse_rtcp(data)
    assert rr == RtcpRrPacket(0x33333333, [])
    assert bye == RtcpByePacket([0x33333333], b"hangup")
    assert serialize_rtcp([rr, bye]) == data


def test_unknown_rtcp_types_are_kept_verbatim() -> None:
    app = bytes([0x80, 204, 0, 2]) + b"\x00\x00\x00\x01NAME"
    (packet,) = parse_rtcp(app)
    assert packet == RtcpUnknownPacket(204, 0, b"\x00\x00\x00\x01NAME")
    assert bytes(packet) == app


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("rtcp_truncated.bin", "RTCP packet is truncated"),
        ("rtcp_bye_bad_length.bin", "RTCP bye length is invalid"),
        ("rtcp_bad_version.bin", "RTCP packet has invalid version"),
    ],
)
def test_bad_rtcp_captures(name: str, error: str) -> None:
    with pytest.raises(ValueError, match=rf"^{error}$"):
        parse_rtcp(load(name))


def test_short_rtcp_and_bad_report_blocks() -> None:
    with pytest.raises(ValueError, match=r"^RTCP packet length is less than 4 bytes$"):
        parse_rtcp(b"\x80\xc9")
    data = bytearray(load("rtcp_sr_sdes.bin")[:28])
    data[0] = 0x82  # claims two report blocks
    data[3] = 6
    with pytest.raises(ValueError, match=r"^RTCP report blocks are truncated$"):
        parse_rtcp(bytes(data))
