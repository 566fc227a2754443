"""Offline US geography: ZIP centroids from the ``zipcodes`` package, great-circle distance.

All distances are haversine miles with an earth radius of 3958.8 (see DESIGN.md).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

EARTH_RADIUS_MILES = 3958.8
MIN_RADIUS_MILES = 1
MAX_RADIUS_MILES = 500


@dataclass(frozen=True)
class Place:
    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str


@functools.cache
def _zip_table() -> dict[str, Place]:
    import zipcodes

    table: dict[str, Place] = {}
    for row in zipcodes.list_all():
        try:
            lat, lng = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        if lat == 0 and lng == 0:  # mostly military ZIPs: no usable centroid
            continue
        table[row["zip_code"]] = Place(
            zip_code=row["zip_code"],
            city=(row.get("city") or "").title(),
            state=row.get("state") or "",
            latitude=lat,
            longitude=lng,
            timezone=row.get("timezone") or "",
        )
    return table


@functools.cache
def _city_table() -> dict[tuple[str, str], tuple[float, float]]:
    sums: dict[tuple[str, str], list[float]] = {}
    for place in _zip_table().values():
        key = (place.city.lower(), place.state.upper())
        acc = sums.setdefault(key, [0.0, 0.0, 0.0])
        acc[0] += place.latitude
        acc[1] += place.longitude
        acc[2] += 1
    return {key: (acc[0] / acc[2], acc[1] / acc[2]) for key, acc in sums.items()}


def normalize_zip(raw: str | None) -> str | None:
    """Five-digit ZIP from user input ('20009', '20009-1234', ' 2009 ' -> '02009'), else None."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = text.split("-")[0].strip()
    if not text.isdigit() or not 3 <= len(text) <= 5:
        return None
    return text.zfill(5)


def zip_place(raw: str | None) -> Place | None:
    code = normalize_zip(raw)
    return _zip_table().get(code) if code else None


def city_centroid(city: str, state: str) -> tuple[float, float] | None:
    return _city_table().get((city.strip().lower(), state.strip().upper()))


def locate(*, zip_code: str = "", city: str = "", state: str = "") -> tuple[float, float] | None:
    """A point for an address: its ZIP centroid, else its city/state centroid."""
    place = zip_place(zip_code)
    if place is not None:
        return place.latitude, place.longitude
    if city and state:
        return city_centroid(city, state)
    return None


def haversine_miles(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) that contains every point within the radius."""
    dlat = math.degrees(radius_miles / EARTH_RADIUS_MILES)
    cos_lat = math.cos(math.radians(lat))
    if cos_lat < 1e-6 or abs(lat) + dlat >= 90:
        return lat - dlat, lat + dlat, -180.0, 180.0
    dlng = math.degrees(math.asin(min(1.0, math.sin(radius_miles / EARTH_RADIUS_MILES) / cos_lat)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}  # fmt: skip
