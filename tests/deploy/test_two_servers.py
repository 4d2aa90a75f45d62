"""Two app servers behind one address share everything that matters (README.md, "Several app servers").

Two gunicorn instances on two loopback ports, started the way the deploy guide says: production
own), the same media and pending-upload folders. Every request looks as if nginx had passed it on:
one host name, https in X-Forwarded-Proto, the visitor's address in X-Real-IP.
"""

import http.client
import itertools
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest
import redis

from tests.deploy.conftest import BASE_DIR, create_database, database_url, drop_database, load_demo, manage

pytestmark = pytest.mark.slow

SITE = "giupdo.example.vn"
BATCH = 7
REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "11"))  # the tests own this Redis database; emptied before and after
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PASSWORD = "Hai-may-chu-2026"  # noqa: S105 - a test user's
PUBLIC_PAGES = ["/", "/ket-qua/", "/xa-thi-tran/", "/co-quan-don-vi/", "/tin-tuc/"]
_addresses = (f"10.11.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One visitor: keeps its cookies whichever server answers, like a browser behind the load balancer."""

    def __init__(self, address: str = "203.0.113.7") -> None:
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        sent = {
            "Host": SITE,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": self.address,
            "X-Forwarded-For": self.address,
            "User-Agent": FIREFOX,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if method == "POST":
            sent |= {"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{path}"}
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return response, content

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str]):
        fields = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}
        body = urlencode(fields).encode()
        return self.request(port, "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, port: int, path: str, fields: dict[str, str], file_name: str, content: bytes):
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in {"csrfmiddlewaretoken": self.cookies["csrftoken"], **fields}.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            f"Content-Type: text/csv\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(port, "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def log_in(self, port: int, username: str, password: str):
        self.get(port, "/admin/login/")  # the CSRF cookie
        return self.post(port, "/admin/login/", {"username": username, "password": password, "next": "/admin/"})


@pytest.fixture(scope="module")
def demo_database():
    name = create_database()
    try:
        url = database_url(name)
        load_demo(url)
        yield url
    finally:
        drop_database(name)


@pytest.fixture(scope="module")
def two_servers(demo_database, tmp_path_factory):
    """Ports of two gunicorn instances sharing the demo database, Redis and folders; stopped and emptied afterwards."""
    tmp_path = tmp_path_factory.mktemp("two_servers")
    cache = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB)
    cache.flushdb()  # fails, as it should, when Redis is not running: CI starts it (.ci/run)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "taybinh.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": demo_database,
        "ALLOWED_HOSTS": SITE,
        "CSRF_TRUSTED_ORIGINS": f"https://{SITE}",
        "CACHE_URL": f"rediscache://127.0.0.1:6379/{REDIS_DB}",
        "PORTAL_CLIENT_ADDRESS_META": "HTTP_X_REAL_IP",
        "SECURE_COOKIES": "False",  # plain HTTP between the test and gunicorn; nginx would speak https
        "MEDIA_ROOT": str(tmp_path / "media"),
        "IMPORT_PENDING_DIR": str(tmp_path / "pending"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "LOG_LEVEL": "WARNING",
        # Page views reach the database in batches of seven (the time threshold out of the way): the
        # interleaved traffic below crosses that threshold on both servers, flushing while the other counts.
        "PORTAL_VISITS_FLUSH_EVERY": str(BATCH),
        "PORTAL_VISITS_FLUSH_SECONDS": "600",
    }
    manage(demo_database, "collectstatic", "--noinput", "-v0", env=environment)
    manage(demo_database, "shell", "--no-imports", "-c", _USERS, env=environment)
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "taybinh.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"gunicorn-{port}.log", "w"),  # noqa: SIM115 - closed with the process
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_until_healthy(port, server, tmp_path / f"gunicorn-{port}.log")
        yield {"ports": ports, "database": demo_database, "pending": tmp_path / "pending", "environment": environment}
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        cache.flushdb()
        cache.close()


_USERS = f"""
from django.contrib.auth.models import User
User.objects.create_superuser("quan_tri", "", "{PASSWORD}")
User.objects.create_superuser("lanh_dao_2", "", "{PASSWORD}")
"""


def _wait_until_healthy(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            response, _ = Browser().request(port, "GET", "/healthz", headers={"Accept": "text/plain"})
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"gunicorn on {port} never became healthy:\n{log.read_text()[-3000:]}")


def _visits(port: int) -> dict[str, int]:
    return json.loads(Browser().get(port, "/open-data/visits.json")[1])


def _view(port_and_path: tuple[int, str]) -> int:
    """A page view by a new visitor (an address of its own): only a 200 counts."""
    port, path = port_and_path
    response, _ = Browser(next(_addresses)).get(port, path)
    return response.status


def test_the_visitor_counter_is_exact_across_both_servers(two_servers):
    first, second = two_servers["ports"]
    before = _visits(first)
    traffic = [(port, path) for path in PUBLIC_PAGES * 6 for port in (first, second)]  # interleaved
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(_view, traffic))
    assert statuses.count(200) == len(traffic)
    after_first, after_second = _visits(first), _visits(second)
    assert after_first == after_second
    assert after_first["today"] - before["today"] == len(traffic)
    assert after_first["total"] - before["total"] == len(traffic)
    # A view that crosses no threshold leaves the views since the last batch in Redis, shown but not written.
    while after_first["today"] % BATCH == 0:
        assert _view((first, "/")) == 200
        after_first = _visits(first)
    assert _views_in_the_database(two_servers["database"]) < after_first["today"]
    manage(two_servers["database"], "flush_visits", env=two_servers["environment"])
    assert _views_in_the_database(two_servers["database"]) == after_first["today"]
    assert _visits(first) == _visits(second) == after_first


def _views_in_the_database(url: str) -> int:
    with psycopg2.connect(_dsn(url)) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(views), 0) FROM portal_dailyvisits "
            "WHERE day = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
        )
        (views,) = cursor.fetchone()
    db.close()
    return views


def test_a_change_through_one_server_makes_both_servers_pages_stale(two_servers):
    first, second = two_servers["ports"]
    visitor = Browser()
    for port in (first, second, first, second):
        visitor.get(port, "/")
    assert [visitor.get(port, "/")[0].headers["X-Portal-Cache"] for port in (first, second)] == ["hit", "hit"]

    staff = Browser()
    assert staff.log_in(first, "quan_tri", PASSWORD)[0].status == 302
    link = {"title": "Cổng thông tin hai máy chủ", "url": "https://haimaychu.example.vn/", "position": "1"}
    response, _ = staff.post(first, "/admin/portal/websitelink/add/", {**link, "is_active": "on"})
    assert response.status == 302

    # The other server builds the page afresh; the first then serves that new page from the shared cache.
    for port, cache in ((second, "miss"), (first, "hit")):
        response, page = visitor.get(port, "/")
        assert response.headers["X-Portal-Cache"] == cache
        assert link["title"] in page.decode()


def test_a_session_made_on_one_server_works_on_the_other(two_servers):
    first, second = two_servers["ports"]
    staff = Browser()
    assert staff.log_in(first, "quan_tri", PASSWORD)[0].status == 302
    response, page = staff.get(second, "/admin/")
    assert response.status == 200 and b'id="logout-form"' in page
    assert Browser().get(second, "/admin/")[0].status == 302  # and nobody else is let in


def test_a_lockout_made_on_one_server_holds_on_the_other(two_servers):
    first, second = two_servers["ports"]
    assert Browser("198.51.100.99").log_in(second, "lanh_dao_2", PASSWORD)[0].status == 302  # the password works
    attacker = Browser("198.51.100.23")
    for port in (first, second, first, second, first):
        attacker.log_in(port, "lanh_dao_2", "wrong-password")
    response, _ = attacker.log_in(second, "lanh_dao_2", PASSWORD)
    assert response.status != 302  # locked out on the second server too
    assert "sessionid" not in attacker.cookies


def test_an_upload_previewed_on_one_server_is_confirmed_on_the_other(two_servers):
    first, second = two_servers["ports"]
    staff = Browser()
    staff.log_in(first, "quan_tri", PASSWORD)
    content = "code,name\nNHOM_HAI_MAY_CHU,Nhóm thử hai máy chủ\n".encode()
    response, page = staff.upload(first, "/staff/import/", {"kind": "unit_groups"}, "nhom.csv", content)
    assert response.status == 200, page.decode()[-2000:]
    token = re.search(rb'name="token" value="([^"]+)"', page).group(1).decode()
    assert list(two_servers["pending"].glob("*.upload"))  # kept in the folder both servers share

    response, _ = staff.post(second, "/staff/import/confirm/", {"token": token})
    assert response.status == 302 and response.headers["Location"].endswith("/staff/import/")
    with psycopg2.connect(_dsn(two_servers["database"])) as db, db.cursor() as cursor:
        cursor.execute("SELECT name FROM units_unitgroup WHERE code = %s", ["NHOM_HAI_MAY_CHU"])
        assert cursor.fetchone() == ("Nhóm thử hai máy chủ",)
    db.close()


def _dsn(url: str) -> str:
    """A libpq address for a django-environ URL (postgres://user@host:port/name or …@/name?host=/socket)."""
    match = re.fullmatch(r"postgres://([^@:]*)(?::([^@]*))?@([^/:]*)(?::(\d+))?/([^?]+)(?:\?host=(.+))?", url)
    assert match, url
    user, password, host, port, name, socket_dir = match.groups()
    parts = {"user": user, "password": password, "host": socket_dir or host, "port": port, "dbname": name}
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)
