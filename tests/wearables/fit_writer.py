"""A minimal FIT encoder for our own fixtures (file_id, record, session, accelerometer messages).

Follows the FIT protocol: 14-byte header with ".FIT" and a header CRC, definition messages
(local type, global message number, field number/size/base type), data messages, and the
file CRC (the SDK's nibble-table CRC-16). Array fields (``accelerometer_data`` carries up to 30
samples per message) are a field whose size is a multiple of its base type's size.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence

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


# struct code -> FIT base type byte (e = enum, stored as one byte)
_TYPES = {"B": 0x02, "H": 0x84, "I": 0x86, "i": 0x85, "f": 0x88, "e": 0x00}
# A field: (field number, struct code) or (field number, struct code, array length).
Field = tuple[int, str] | tuple[int, str, int]
Value = int | float | list[int] | list[float]


def _code(code: str) -> str:
    return "B" if code == "e" else code


def _definition(local: int, global_num: int, fields: Sequence[Field]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    for spec in fields:
        number, code = spec[0], spec[1]
        count = spec[2] if len(spec) == 3 else 1
        size = struct.calcsize("<" + _code(code)) * count
        out += struct.pack("<BBB", number, size, _TYPES[code])
    return out


def _data(local: int, fields: Sequence[Field], values: Sequence[Value]) -> bytes:
    out = struct.pack("<B", local)
    for spec, value in zip(fields, values, strict=True):
        items = value if isinstance(value, list) else [value]
        count = spec[2] if len(spec) == 3 else 1
        if len(items) != count:
            raise ValueError(f"field {spec[0]} wants {count} values, got {len(items)}")
        out += struct.pack(f"<{count}{_code(spec[1])}", *items)
    return out


def _ts(stamp: dt.datetime) -> int:
    return int((stamp - FIT_EPOCH).total_seconds())


def write_fit(
    start: dt.datetime,
    hr: list[int],
    speed_ms: float = 3.0,
    sport: int = 1,
    session_hr: tuple[int, int] | None = None,
    accel: tuple[list[float], list[float], list[float]] | None = None,
    accel_hz: int = 25,
    accel_raw: bool = False,
    orientation: list[float] | None = None,
    calibration: bool = True,
) -> bytes:
    """A 1 Hz activity: one record per heart-rate value, a session message with totals.

    ``accel`` (x, y, z in g, ``accel_hz`` samples a second from ``start``) adds
    ``accelerometer_data`` messages of one second each: ``calibrated_accel_*`` floats, or with
    ``accel_raw`` ADC counts plus a ``three_d_sensor_calibration`` message (1000 counts per g
    around a level shift of 32768, ``orientation`` as the row-major 3 x 3 matrix, identity by
    default) that the reader must apply; ``calibration=False`` leaves that message out.
    """
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
    if accel is not None:
        body += _accelerometer(start, accel, accel_hz, accel_raw, orientation, calibration)
    header = struct.pack("<BBHI4s", 14, 0x20, 2140, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    payload = header + body
    return payload + struct.pack("<H", fit_crc(payload))


RAW_LEVEL_SHIFT = 32768
RAW_COUNTS_PER_G = 1000


def _accelerometer(
    start: dt.datetime,
    accel: tuple[list[float], list[float], list[float]],
    rate: int,
    raw: bool,
    orientation: list[float] | None,
    calibration: bool = True,
) -> bytes:
    """``accelerometer_data`` (global 165) per second, after a calibration (167) if raw."""
    if rate > 30:
        raise ValueError("FIT carries at most 30 accelerometer samples per message")
    xs, ys, zs = accel
    body = b""
    if raw and calibration:
        matrix = orientation or [1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
        # sensor_type, calibration_factor, calibration_divisor, level_shift, offset_cal,
        # orientation_matrix (scale 65535), timestamp
        cal: list[Field] = [(0, "e"), (1, "I"), (2, "I"), (3, "I"), (4, "i", 3), (5, "i", 9),
                            (253, "I")]
        body += _definition(3, 167, cal) + _data(
            3, cal,
            [0, 1, RAW_COUNTS_PER_G, RAW_LEVEL_SHIFT, [0, 0, 0],
             [round(v * 65535) for v in matrix], _ts(start)],
        )
    seconds = len(xs) // rate
    axes = (2, 3, 4) if raw else (5, 6, 7)
    code = "H" if raw else "f"
    fields: list[Field] = [(253, "I"), (0, "H"), (1, "H", rate)]
    fields += [(n, code, rate) for n in axes]
    body += _definition(4, 165, fields)
    offsets = [round(1000 * k / rate) for k in range(rate)]
    for second in range(seconds):
        part = slice(second * rate, (second + 1) * rate)
        values: list[Value] = [_ts(start + dt.timedelta(seconds=second)), 0, offsets]
        for axis in (xs[part], ys[part], zs[part]):
            if raw:
                values.append([round(g * RAW_COUNTS_PER_G) + RAW_LEVEL_SHIFT for g in axis])
            else:
                values.append(list(axis))
        body += _data(4, fields, values)
    return body
