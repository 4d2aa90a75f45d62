"""Hostile workbooks: XML external entities (XXE), "billion laughs" and zip bombs (issue 11).

Each is refused with a message, reads no file of the server, stays within a small memory and time budget,
and writes nothing. The hostile files are built here, from a good workbook, part by part.
"""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import openpyxl.xml
import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from apps.imports import parsing
from apps.units.models import UnitGroup
from tests.imports.files import xlsx_bytes

pytestmark = pytest.mark.django_db

CODE = "TIMP-BOM"
GOOD = xlsx_bytes({"unit_groups": [["code", "name"], [CODE, "Nhóm Hòa"]]})
UNSAFE = "refused as unsafe"
# Generous: a refused file takes milliseconds; a parser that expands or inflates takes minutes and gigabytes.
MAX_SECONDS = 5
MAX_MEMORY = 64 * 1024 * 1024

# Excel keeps repeated texts in xl/sharedStrings.xml; openpyxl writes them inline, so the part is added here.
SHARED_STRINGS = (
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>" + CODE.encode() + b"</t></si></sst>"
)
SHARED_STRINGS_RELATION = (
    b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
    b' Target="sharedStrings.xml" Id="rIdS" /></Relationships>'
)
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml"'
    b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _with_shared_strings() -> dict[str, bytes]:
    """The good workbook's parts, its code cell moved to a shared string (as Excel saves it)."""
    with zipfile.ZipFile(io.BytesIO(GOOD)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    inline = b'<c r="A2" t="inlineStr"><is><t>' + CODE.encode() + b"</t></is></c>"
    assert inline in parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        inline, b'<c r="A2" t="s"><v>0</v></c>'
    )
    parts["xl/sharedStrings.xml"] = SHARED_STRINGS
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", SHARED_STRINGS_RELATION
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", SHARED_STRINGS_TYPE)
    return parts


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _hostile(part: str, declarations: bytes, reference: bytes) -> bytes:
    """The workbook with a DOCTYPE declaring ``declarations`` in ``part``, one of its texts (a cell, the sheet's
    name) replaced by the entity ``reference``."""
    parts = _with_shared_strings()
    xml = parts[part]
    prolog = b""
    if xml.startswith(b"<?xml"):
        prolog, xml = xml.split(b"?>", 1)
        prolog += b"?>"
    root = xml.lstrip()[1:].split(b" ", 1)[0].split(b">", 1)[0]
    if part == "xl/workbook.xml":
        xml = xml.replace(b'name="unit_groups"', b'name="' + reference + b'"', 1)
    else:  # the shared code cell, or the sheet's inline name cell
        target = CODE.encode() if part == "xl/sharedStrings.xml" else "Nhóm Hòa".encode()
        if target not in xml:  # written by lxml, which escapes every character outside ASCII
            target = target.decode().encode("ascii", "xmlcharrefreplace")
        assert target in xml, part
        xml = xml.replace(target, reference, 1)
    parts[part] = prolog + b"<!DOCTYPE " + root + b" [" + declarations + b"]>" + xml
    return _zip(parts)


SECRET = "BI-MAT-CUA-MAY-CHU-42"
PARTS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]
# Ten levels of ten: &j; would expand to 10^10 characters (10 GB) if a parser expanded it.
BILLION_LAUGHS = (
    b'<!ENTITY a "'
    + b"ha" * 5
    + b'">'
    + b"".join(b'<!ENTITY %c "%s">' % (ord("b") + level, b"&%c;" % (ord("a") + level) * 10) for level in range(9))
)


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def _measured(read):
    """Run ``read()``; return what it raised, with the seconds and peak Python memory it took."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        read()
    except parsing.ImportFileError as refused:
        outcome = refused
    else:
        outcome = None
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return outcome, seconds, peak


def test_the_good_workbook_with_shared_strings_is_read_so_the_hostile_ones_differ_only_by_their_attack():
    [table] = parsing.read_file(_zip(_with_shared_strings()), "tot.xlsx")
    assert table.rows == [(2, [CODE, "Nhóm Hòa"])]


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML, "defusedxml is not installed (requirements.txt) or OPENPYXL_DEFUSEDXML is off"


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("scheme", ["file://{path}", "{path}"])
def test_an_external_entity_is_refused_and_the_servers_file_is_never_read(run_import, secret_file, part, scheme):
    system = scheme.format(path=secret_file).encode()
    content = _hostile(part, b'<!ENTITY xxe SYSTEM "' + system + b'">', b"&xxe;")

    outcome = run_import("unit_groups", content, "xxe.xlsx")

    assert outcome.code == 1
    assert UNSAFE in outcome.err, outcome.err
    assert SECRET not in outcome.out + outcome.err
    assert not UnitGroup.objects.filter(code__in=[CODE, SECRET]).exists()


@pytest.mark.parametrize("part", PARTS)
def test_billion_laughs_is_refused_in_bounded_time_and_memory(run_import, part):
    content = _hostile(part, BILLION_LAUGHS, b"&j;")
    assert len(content) < 10_000  # a few kilobytes

    refused, seconds, peak = _measured(lambda: parsing.read_file(content, "cuoi.xlsx"))

    assert refused is not None and UNSAFE in refused.args[0]
    assert seconds < MAX_SECONDS and peak < MAX_MEMORY, (seconds, peak)
    groups = UnitGroup.objects.count()
    assert run_import("unit_groups", content, "cuoi.xlsx").code == 1
    assert UnitGroup.objects.count() == groups


def _deflated_zeros(gigabytes: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``gigabytes`` GB of "0" characters, built without holding them: (stream, size, crc).

    A block compressed after a full flush does not refer back to earlier data, so one 16 MB block repeats.
    """
    chunk_size = 16 * 1024 * 1024
    chunk = b"0" * chunk_size
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = gigabytes * 1024 // 16
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    return block * count + final, chunk_size * count, crc


def _zip_with_raw_member(parts: dict[str, bytes], name: str, stream: bytes, size: int, crc: int, *, said: int) -> bytes:
    """A zip holding ``parts`` plus member ``name`` whose deflated ``stream`` inflates to ``size`` bytes; its
    headers state ``said`` as the inflated size (a liar's zip states less than the truth)."""
    head = _zip(parts)
    with zipfile.ZipFile(io.BytesIO(head)) as archive:
        infos, local_headers_end = archive.infolist(), archive.start_dir
    body = io.BytesIO()
    body.write(head[:local_headers_end])
    offset = body.tell()
    encoded = name.encode()
    body.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), said, len(encoded), 0))
    body.write(encoded + stream)
    directory = body.tell()
    for info in infos:
        body.write(
            _central_entry(info.filename.encode(), info.CRC, info.compress_size, info.file_size, info.header_offset)
        )
    body.write(_central_entry(encoded, crc, len(stream), said, offset))
    end = body.tell()
    body.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(infos) + 1, len(infos) + 1, end - directory, directory, 0)
    )
    return body.getvalue()


def _central_entry(name: bytes, crc: int, packed: int, size: int, offset: int) -> bytes:
    return (
        struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, packed, size, len(name), 0, 0, 0, 0, 0, offset
        )
        + name
    )


@pytest.fixture(scope="module")
def two_gigabytes():
    return _deflated_zeros(2)


def test_a_zip_bomb_of_two_gigabytes_is_refused_before_anything_is_inflated(run_import, two_gigabytes):
    stream, size, crc = two_gigabytes
    parts = _with_shared_strings()
    del parts["xl/worksheets/sheet1.xml"]
    content = _zip_with_raw_member(parts, "xl/worksheets/sheet1.xml", stream, size, crc, said=size)
    assert len(content) < 3 * 1024 * 1024 and size == 2 * 1024**3

    refused, seconds, peak = _measured(lambda: parsing.read_file(content, "bom.xlsx"))

    assert refused is not None and UNSAFE in refused.args[0]
    assert seconds < MAX_SECONDS and peak < MAX_MEMORY, (seconds, peak)
    outcome = run_import("unit_groups", content, "bom.xlsx")
    assert outcome.code == 1 and UNSAFE in outcome.err
    assert not UnitGroup.objects.filter(code=CODE).exists()


def test_a_zip_bomb_whose_headers_understate_its_size_is_read_no_further_than_they_say(run_import, two_gigabytes):
    stream, size, crc = two_gigabytes
    parts = _with_shared_strings()
    del parts["xl/worksheets/sheet1.xml"]
    content = _zip_with_raw_member(parts, "xl/worksheets/sheet1.xml", stream, size, crc, said=1024)

    refused, seconds, peak = _measured(lambda: parsing.read_file(content, "bom.xlsx"))

    assert refused is not None and "damaged" in refused.args[0]
    assert seconds < MAX_SECONDS and peak < MAX_MEMORY, (seconds, peak)
    assert run_import("unit_groups", content, "bom.xlsx").code == 1
    assert not UnitGroup.objects.filter(code=CODE).exists()


def test_the_import_page_refuses_an_external_entity_in_vietnamese_and_writes_nothing(client, secret_file):
    user = User.objects.create_user("import_officer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="units", codename__in=["add_unitgroup", "change_unitgroup"])
    )
    client.force_login(user)
    content = _hostile(
        "xl/worksheets/sheet1.xml", b'<!ENTITY xxe SYSTEM "file://%s">' % str(secret_file).encode(), b"&xxe;"
    )

    response = client.post(
        "/staff/import/",
        {"kind": "unit_groups", "file": SimpleUploadedFile("xxe.xlsx", content)},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    page = response.content.decode()
    assert response.status_code == 200
    with translation.override("vi"):
        assert escape(str(parsing._damaged_or_unsafe(_entities_forbidden()))) in page
    assert "không an toàn" in page and SECRET not in page
    assert not UnitGroup.objects.filter(code=CODE).exists()


def _entities_forbidden() -> Exception:
    from defusedxml import EntitiesForbidden

    return EntitiesForbidden("xxe", None, "file:///", None, None, None)
