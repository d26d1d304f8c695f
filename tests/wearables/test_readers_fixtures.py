"""Readers on small files our own code writes: GPX, TCX, CSV, RR, .hrm, FIT; hostile XML."""

from __future__ import annotations

import datetime as dt

import gpxpy.gpx
import pytest

from storage.readers import WearableFileError, detect_type, read_wearable
from tests.wearables.fit_writer import write_fit

START = dt.datetime(2024, 5, 1, 7, 0, tzinfo=dt.UTC)
TPX_NS = "http://www.garmin.com/xmlschemas/TrackPointExtension/v1"


def make_gpx(n: int = 60, hr: int | None = 140) -> bytes:
    doc = gpxpy.gpx.GPX()
    doc.nsmap["gpxtpx"] = TPX_NS
    track = gpxpy.gpx.GPXTrack()
    track.type = "running"
    segment = gpxpy.gpx.GPXTrackSegment()
    for i in range(n):
        point = gpxpy.gpx.GPXTrackPoint(
            46.0 + i * 0.0001, 14.0, elevation=300 + i * 0.5, time=START + dt.timedelta(seconds=i)
        )
        if hr is not None:
            from xml.etree.ElementTree import Element, SubElement

            ext = Element(f"{{{TPX_NS}}}TrackPointExtension")
            SubElement(ext, f"{{{TPX_NS}}}hr").text = str(hr)
            point.extensions.append(ext)
        segment.points.append(point)
    track.segments.append(segment)
    doc.tracks.append(track)
    return doc.to_xml().encode()


def make_tcx(laps: list[list[int]], sport: str = "Running") -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
           'TrainingCenterDatabase/v2"><Activities>', f'<Activity Sport="{sport}">']
    t = START
    dist = 0.0
    for beats in laps:
        out.append(f'<Lap StartTime="{t.isoformat()}"><TotalTimeSeconds>{len(beats) - 1}'
                   f"</TotalTimeSeconds><DistanceMeters>{(len(beats) - 1) * 3.0}</DistanceMeters>"
                   f"<AverageHeartRateBpm><Value>{round(sum(beats) / len(beats))}</Value>"
                   f"</AverageHeartRateBpm><MaximumHeartRateBpm><Value>{max(beats)}</Value>"
                   "</MaximumHeartRateBpm><Track>")
        for i, beat in enumerate(beats):
            stamp = t + dt.timedelta(seconds=i)
            out.append(f"<Trackpoint><Time>{stamp.isoformat()}</Time><DistanceMeters>"
                       f"{dist + i * 3.0}</DistanceMeters><HeartRateBpm><Value>{beat}</Value>"
                       "</HeartRateBpm></Trackpoint>")
        out.append("</Track></Lap>")
        t += dt.timedelta(seconds=len(beats))
        dist += len(beats) * 3.0
    out.append("</Activity></Activities></TrainingCenterDatabase>")
    return "".join(out).encode()


def test_fit_written_by_our_encoder_reads_back() -> None:
    data = write_fit(START, [120 + i % 20 for i in range(300)])
    (activity,) = read_wearable("run.fit", data).activities
    assert activity.sport == "running"
    assert len(activity.samples) == 300
    assert activity.samples[0].timestamp == START
    assert activity.summary is not None and activity.summary.distance_m == pytest.approx(897.0)


def test_fit_detected_by_content_even_when_named_bin() -> None:
    assert detect_type("document.bin", write_fit(START, [130, 131, 132])) == "fit"


def test_gpx_with_trackpoint_extension_heart_rate() -> None:
    (activity,) = read_wearable("a.gpx", make_gpx()).activities
    assert activity.sport == "running"
    assert [s.hr for s in activity.samples[:3]] == [140.0, 140.0, 140.0]
    assert all(s.timestamp.tzinfo is not None for s in activity.samples)


def test_tcx_laps_and_trackpoints() -> None:
    parsed = read_wearable("a.tcx", make_tcx([[130] * 60, [150] * 60]))
    (activity,) = parsed.activities
    assert len(activity.laps) == 2 and len(activity.samples) == 120
    assert activity.summary is not None and activity.summary.hr_max == 150


def test_tcx_with_billion_laughs_is_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><TrainingCenterDatabase>&lol2;'
            b"</TrainingCenterDatabase>")
    with pytest.raises(WearableFileError, match="DOCTYPE"):
        read_wearable("bomb.tcx", bomb)


def test_gpx_with_external_entity_is_refused() -> None:
    xxe = (b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b"<gpx><trk><name>&x;</name></trk></gpx>")
    with pytest.raises(WearableFileError, match="DOCTYPE"):
        read_wearable("x.gpx", xxe)


def test_xml_that_is_neither_gpx_nor_tcx_says_what_it_is() -> None:
    with pytest.raises(WearableFileError, match="html"):
        read_wearable("run.gpx", b"<html><body>Not found</body></html>")


def test_file_named_fit_without_fit_header_is_refused() -> None:
    with pytest.raises(WearableFileError, match="not a FIT file"):
        read_wearable("run.fit", b"hello there, this is text")


def test_fitbit_day_csv_with_title_line_and_thousands() -> None:
    data = (b"Activities\nDate,Calories Burned,Steps,Resting Heart Rate,Minutes Asleep\n"
            b'2024-05-01,2300,"10,234",52,420\n2024-05-02,2100,8000,0,400\n')
    days = read_wearable("fitbit.csv", data).days
    assert days[0].steps == 10234 and days[0].resting_hr == 52 and days[0].sleep_h == 7.0
    assert days[1].resting_hr is None  # 0 bpm is a missing reading, not a value


def test_garmin_day_csv_semicolons_and_hrv() -> None:
    data = (b"Calendar Date;Total Steps;Resting HR;Sleep Hours;HRV (ms)\n"
            b"01.05.2024;9000;48;7:30;62\n")
    (day,) = read_wearable("garmin.csv", data).days
    assert day.day == dt.date(2024, 5, 1) and day.sleep_h == 7.5 and day.hrv_ms == 62


def test_csv_without_measures_is_refused() -> None:
    with pytest.raises(WearableFileError, match="none of"):
        read_wearable("x.csv", b"Date,Colour\n2024-05-01,blue\n")


def test_rr_text_and_polar_hrm() -> None:
    rr = b"\n".join(str(800 + i % 7 * 10).encode() for i in range(100))
    (plain,) = read_wearable("rest.txt", rr).activities
    assert len(plain.rr_ms) == 100 and plain.rr_start is None
    hrm = (b"[Params]\r\nVersion=106\r\nDate=20240501\r\nStartTime=07:00:00.0\r\nInterval=238\r\n"
           b"\r\n[HRData]\r\n" + rr)
    (polar,) = read_wearable("rest.hrm", hrm).activities
    assert polar.rr_start == START and len(polar.rr_ms) == 100


def test_polar_hrm_sampled_heart_rate_mode() -> None:
    hrm = (b"[Params]\nDate=20240501\nStartTime=07:00:00.0\nInterval=5\n[HRData]\n"
           + b"\n".join(b"140\t0\t0" for _ in range(20)))
    (activity,) = read_wearable("x.hrm", hrm).activities
    assert len(activity.samples) == 20
    assert activity.samples[1].timestamp - activity.samples[0].timestamp == dt.timedelta(seconds=5)


def test_rr_values_in_seconds_are_refused() -> None:
    with pytest.raises(WearableFileError):
        read_wearable("rr.txt", b"0.8\n0.81\n0.79\n")


def test_empty_file_is_refused() -> None:
    with pytest.raises(WearableFileError, match="empty"):
        read_wearable("x.fit", b"")
