"""Hostile bytes: every reader raises only WearableFileError, never another exception."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.readers import WearableFileError, read_wearable
from storage.readers.day_csv import read_day_csv
from storage.readers.fit import read_fit
from storage.readers.gpx import read_gpx
from storage.readers.rr import read_hrm, read_rr_text
from storage.readers.tcx import read_tcx
from tests.wearables.fit_writer import write_fit
from tests.wearables.test_readers_fixtures import make_gpx, make_tcx

READERS = [read_fit, read_gpx, read_tcx, read_hrm, read_rr_text, read_day_csv]
VALID = {
    "fit": write_fit(dt.datetime(2024, 5, 1, tzinfo=dt.UTC), [130 + i % 9 for i in range(40)]),
    "gpx": make_gpx(20),
    "tcx": make_tcx([[140] * 20]),
    "csv": b"Date,Steps,Resting HR\n2024-05-01,9000,50\n2024-05-02,8000,51\n",
    "hrm": b"[Params]\nDate=20240501\nStartTime=07:00:00\nInterval=238\n[HRData]\n800\n810\n790\n",
}


def _only_domain_error(reader: object, data: bytes) -> None:
    with contextlib.suppress(WearableFileError):  # any other exception fails the test
        reader(data)  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600))
@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.__name__)
def test_random_bytes_raise_only_domain_error(reader: object, data: bytes) -> None:
    _only_domain_error(reader, data)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600))
def test_dispatcher_on_random_bytes(data: bytes) -> None:
    _only_domain_error(lambda d: read_wearable("upload", d), data)


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(sorted(VALID)), cut=st.floats(0.0, 1.0))
def test_truncated_valid_files_raise_only_domain_error(kind: str, cut: float) -> None:
    data = VALID[kind]
    _only_domain_error(lambda d: read_wearable(f"x.{kind}", d), data[: int(len(data) * cut)])


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(sorted(VALID)), pos=st.integers(0, 10_000), byte=st.integers(0, 255))
def test_corrupted_byte_raises_only_domain_error(kind: str, pos: int, byte: int) -> None:
    data = bytearray(VALID[kind])
    data[pos % len(data)] = byte
    _only_domain_error(lambda d: read_wearable(f"x.{kind}", d), bytes(data))


def test_truncated_fit_is_refused_as_damaged() -> None:
    with pytest.raises(WearableFileError, match="damaged or incomplete"):
        read_wearable("x.fit", VALID["fit"][:-50])


def test_a_line_of_only_separators_is_a_clear_error() -> None:
    # found by hypothesis on CI: b"," used to raise IndexError
    import pytest

    from storage.readers import WearableFileError
    from storage.readers.rr import read_rr_text

    with pytest.raises(WearableFileError, match="not a number"):
        read_rr_text(b",")
