"""Vietnamese alphabetical order (apps.core.collation), against PostgreSQL's ICU collation vi-x-icu."""

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


@pytest.mark.django_db
@given(st.lists(VIETNAMESE_WORDS, min_size=2, max_size=8, unique=True))
def test_same_letter_order_as_postgresql_icu_vietnamese(names):
    """Names differing in their letters come in the order of PostgreSQL's vi-x-icu collation."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT n FROM unnest(%s::text[]) AS n ORDER BY n COLLATE "vi-x-icu"',
            [names],
        )
        icu = [row[0] for row in cursor.fetchall()]

    def letters(name):
        return vietnamese_key(name)[0]

    # Compare on letters only: ICU weighs tones at the secondary level, from the end of the word in some locales.
    ours = sorted(names, key=vietnamese_key)
    assert [letters(n) for n in ours] == sorted(letters(n) for n in icu) == [letters(n) for n in icu]
