"""Vietnamese alphabetical order (apps.core.collation), against PostgreSQL's ICU collation vi-x-icu.

The Debian service is built with ICU; the embedded development server is not. Where the server has
vi-x-icu, random names are compared with it; where it has not, names drawn from DICTIONARY_ORDER (a list
written down from vi-x-icu on PostgreSQL 15) are compared with that written order. Neither case is skipped.
"""

import functools
import random

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from apps.core.collation import sort_by_name, vietnamese_key

COMMUNES = [
    "Hòa Bình 1",
    "Hòa Đồng",
    "Hòa Mỹ Đông",
    "Hòa Mỹ Tây",
    "Hòa Phong",
    "Hòa Phú",
    "Hòa Tân Tây",
    "Hòa Thịnh",
    "Phú Thứ",
    "Sơn Thành Đông",
    "Sơn Thành Tây",
]


def test_communes_read_in_vietnamese_order_whatever_order_they_come_in():
    shuffled = COMMUNES[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(shuffled, key=vietnamese_key) == COMMUNES
    # Code-point order is what the report used to print: Hòa Đồng after Hòa Tân Tây.
    assert sorted(COMMUNES).index("Hòa Đồng") > sorted(COMMUNES).index("Hòa Tân Tây")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("an", "ăn"),
        ("ăn", "ân"),
        ("dê", "đa"),
        ("đu", "em"),
        ("ô", "ơ"),
        ("ơn", "ưa"),
        ("ma", "mà"),  # tones: ngang, huyền, hỏi, ngã, sắc, nặng
        ("mà", "mả"),
        ("mả", "mã"),
        ("mã", "má"),
        ("má", "mạ"),
        ("mạ", "mai"),  # letters decide before tones
        ("Nhóm 2", "Nhóm 10"),  # numbers as numbers
        ("Ủy ban", "Văn phòng"),
    ],
)
def test_letters_first_then_tones(before, after):
    assert vietnamese_key(before) < vietnamese_key(after)


def test_rows_sort_by_a_named_field():
    rows = [{"name": "Tây"}, {"name": "Đông"}, {"name": "Dương"}]
    assert [r["name"] for r in sort_by_name(rows)] == ["Dương", "Đông", "Tây"]


VIETNAMESE_WORDS = st.lists(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
        min_size=1,
        max_size=6,
    ),
    min_size=1,
    max_size=3,
).map(" ".join)

# In the order PostgreSQL 15's ``ORDER BY n COLLATE "vi-x-icu"`` gave on the Debian service (02/12/2026):
# every letter of its own (ă, â, đ, ê, ô, ơ, ư), digraphs letter by letter (ch, gh, kh, ng, nh, ph, th, tr),
# capitals among small letters, and tones after letters ("mạ" before "mai", "Yên" before "yến").
DICTIONARY_ORDER = [
    "An", "ăn", "ân", "Ấp", "ba", "bă", "ca", "cá", "Chư Sê", "Cư Jút", "dê", "Dương", "đa", "Đông", "đu",
    "em", "ê", "gà", "ghế", "Hòa Đồng", "Hòa Tân Tây", "hồ", "i", "kẹo", "khế", "lá", "mạ", "mai", "nga",
    "ngà", "nhà", "o", "ô", "ơ", "ơn", "phở", "quê", "rau", "sông", "Tây", "thư", "trâu", "u", "uống",
    "Ủy ban", "ưa", "Văn phòng", "vịt", "xôi", "Yên", "yến",
]  # fmt: skip


@functools.cache
def _server_has_vietnamese_icu() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu')")
        return cursor.fetchone()[0]


def _icu_order(names: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute('SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "vi-x-icu"', [names])
        return [row[0] for row in cursor.fetchall()]


def _letters(name: str) -> tuple:
    return vietnamese_key(name)[0]


def test_the_written_dictionary_order_is_ours():
    shuffled = DICTIONARY_ORDER[:]
    random.Random(11).shuffle(shuffled)
    assert sorted(shuffled, key=vietnamese_key) == DICTIONARY_ORDER


@pytest.mark.django_db
def test_the_written_dictionary_order_is_the_servers_icu_order_where_it_has_one():
    if _server_has_vietnamese_icu():
        assert _icu_order(DICTIONARY_ORDER[::-1]) == DICTIONARY_ORDER
    else:  # the embedded build, without ICU: prove the collation is absent rather than misspelt
        with connection.cursor() as cursor:
            # PostgreSQL 16+ lists a "unicode" ICU collation even in a build without ICU.
            cursor.execute("SELECT count(*) FROM pg_collation WHERE collprovider = 'i' AND collname <> 'unicode'")
            assert cursor.fetchone()[0] == 0, "the server has ICU collations but not vi-x-icu"


@pytest.mark.django_db
@given(data=st.data())
def test_same_letter_order_as_postgresql_icu_vietnamese(data):
    """Names differing in their letters come in vi-x-icu's order (or, without ICU, in the written order)."""
    if _server_has_vietnamese_icu():
        names = data.draw(st.lists(VIETNAMESE_WORDS, min_size=2, max_size=8, unique=True), label="names")
        reference = _icu_order(names)
    else:
        names = data.draw(st.lists(st.sampled_from(DICTIONARY_ORDER), min_size=2, max_size=8, unique=True))
        reference = sorted(names, key=DICTIONARY_ORDER.index)

    # Compare on letters only: ICU weighs tones at the secondary level, from the end of the word in some locales.
    ours = sorted(names, key=vietnamese_key)
    assert [_letters(n) for n in ours] == sorted(_letters(n) for n in reference) == [_letters(n) for n in reference]
