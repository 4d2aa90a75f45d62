"""Measuring with real HTTP: one request, a series of samples interleaved with the floors, percentiles."""

from __future__ import annotations

import http.client
import itertools
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 bench"


@dataclass
class Response:
    status: int | str  # the HTTP status, or "timeout" / "error"
    ms: float
    size: int = 0
    cache: str = ""  # the page cache's X-Portal-Cache header: "hit", "miss" or ""
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Client:
    """Plain HTTP/1.1 to the server on loopback, one connection per request (gunicorn's sync workers close it)."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, path: str, *, method: str = "GET", body: bytes | None = None, headers=None) -> Response:
        sent = {"User-Agent": BROWSER, "Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            content = answer.read()
        except TimeoutError:
            return Response("timeout", (time.perf_counter() - started) * 1000)
        except (OSError, http.client.HTTPException) as error:
            return Response(f"error: {type(error).__name__}", (time.perf_counter() - started) * 1000)
        finally:
            connection.close()
        ms = (time.perf_counter() - started) * 1000
        for header, value in answer.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(
            answer.status,
            ms,
            len(content),
            answer.getheader("X-Portal-Cache", ""),
            content,
            {k.lower(): v for k, v in answer.getheaders()},
        )


def percentile(values: list[float], share: float) -> float | None:
    """The value below which ``share`` of the values lie (nearest rank; None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


@dataclass
class Series:
    """The samples of one figure, with the framework floor and database floor measured in the same rounds."""

    name: str
    samples: list[Response] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counted(self, *, hits_only: bool = False) -> list[float]:
        return [r.ms for r in self.samples if r.status == 200 and (not hits_only or r.cache == "hit")]

    def summary(self, *, hits_only: bool = False) -> dict[str, Any]:
        times = self.counted(hits_only=hits_only)
        statuses = [r.status for r in self.samples]
        return {
            "name": self.name,
            "n": len(times),
            "requests": len(self.samples),
            "p50_ms": _round(statistics.median(times) if times else None),
            "p95_ms": _round(percentile(times, 0.95)),
            "floor_p50_ms": _round(statistics.median(self.floor_ms) if self.floor_ms else None),
            "statuses": {str(status): statuses.count(status) for status in dict.fromkeys(statuses)},
            "cache": {state: [r.cache for r in self.samples].count(state) for state in ("hit", "miss")},
            "bytes": max((r.size for r in self.samples), default=0),
            "notes": self.notes,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class Sampler:
    """Takes samples of a figure until ``most`` are taken or ``budget_s`` is spent (at least one), each after a
    framework-floor request, and one database-floor query after the first, so that all share the machine's load."""

    floor: Callable[[], float]
    db_floor: Callable[[], None]
    budget_s: float = 25.0

    def series(self, name: str, subject: Callable[[int], Response], *, most: int) -> Series:
        series = Series(name)
        started = time.monotonic()
        for number in itertools.count():
            if number >= most or (number and time.monotonic() - started > self.budget_s):
                break
            series.floor_ms.append(self.floor())
            response = subject(number)
            series.samples.append(response)
            if number == 0:  # a database floor can take seconds at province scale: once per figure is enough
                self.db_floor()
            if response.status == "timeout" or str(response.status).startswith("error"):
                series.notes.append(f"{response.status} after {response.ms / 1000:.0f} s")
                break
        return series
