"""A minimal FIT encoder for our own fixtures (file_id, record, session messages).

Follows the FIT protocol: 14-byte header with ".FIT" and a header CRC, definition messages
(local type, global message number, field number/size/base type), data messages, and the
file CRC (the SDK's nibble-table CRC-16).
"""

from __future__ import annotations

import datetime as dt
import struct

FIT_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)


def fit_crc(data: bytes, crc: int = 0) -> int:
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


# (field number, struct code, FIT base type byte)
_TYPES = {"B": 0x02, "H": 0x84, "I": 0x86, "e": 0x00}


def _definition(local: int, global_num: int, fields: list[tuple[int, str]]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    for number, code in fields:
        size = struct.calcsize("<" + ("B" if code == "e" else code))
        out += struct.pack("<BBB", number, size, _TYPES[code])
    return out


def _data(local: int, fields: list[tuple[int, str]], values: list[int]) -> bytes:
    out = struct.pack("<B", local)
    for (_, code), value in zip(fields, values, strict=True):
        out += struct.pack("<" + ("B" if code == "e" else code), value)
    return out


def _ts(stamp: dt.datetime) -> int:
    return int((stamp - FIT_EPOCH).total_seconds())


def write_fit(
    start: dt.datetime,
    hr: list[int],
    speed_ms: float = 3.0,
    sport: int = 1,
    session_hr: tuple[int, int] | None = None,
) -> bytes:
    """A 1 Hz activity: one record per heart-rate value, a session message with totals."""
    body = b""
    file_id = [(0, "e"), (1, "H"), (4, "I")]  # type, manufacturer, time_created
    body += _definition(0, 0, file_id) + _data(0, file_id, [4, 255, _ts(start)])
    record = [(253, "I"), (3, "B"), (5, "I"), (6, "H")]  # timestamp, hr, distance, speed
    body += _definition(1, 20, record)
    for i, beat in enumerate(hr):
        stamp = start + dt.timedelta(seconds=i)
        body += _data(1, record, [_ts(stamp), beat, int(i * speed_ms * 100), int(speed_ms * 1000)])
    n = len(hr)
    avg, peak = session_hr or (round(sum(hr) / n), max(hr))
    session = [(253, "I"), (2, "I"), (7, "I"), (8, "I"), (9, "I"), (5, "e"), (16, "B"), (17, "B")]
    body += _definition(2, 18, session)
    end = start + dt.timedelta(seconds=n - 1)
    body += _data(
        2,
        session,
        [_ts(end), _ts(start), (n - 1) * 1000, (n - 1) * 1000,
         int((n - 1) * speed_ms * 100), sport, avg, peak],
    )
    header = struct.pack("<BBHI4s", 14, 0x20, 2140, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    payload = header + body
    return payload + struct.pack("<H", fit_crc(payload))
