"""Files a citizen opens: the results page as Excel, each chart as an SVG or PNG picture."""

import csv
import datetime
import io
import subprocess

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

pytestmark = pytest.mark.django_db

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
SVG = "{http://www.w3.org/2000/svg}"


def _workbook(client, params):
    response = client.get(reverse("portal:results_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-2014-02-14-2018-10-24.xlsx"'
    return response, load_workbook(io.BytesIO(response.content))


def test_the_results_workbook_has_vietnamese_headers_names_real_dates_and_numbers(visitor):
    _response, workbook = _workbook(visitor, REVIEW)
    sheet = workbook["Kết quả"]
    assert sheet["B2"].value == datetime.datetime(2014, 2, 14) and sheet["B2"].number_format == "dd/mm/yyyy"
    assert sheet["B3"].value == datetime.datetime(2018, 10, 24)
    assert sheet["B4"].value == "Tất cả các xã, thị trấn"
    headers = [cell.value for cell in sheet[7]]
    assert headers == [
        "Nội dung giúp đỡ",
        "Đơn vị tính",
        "Các nhóm cơ quan, đơn vị huyện",
        "Đảng ủy các xã, thị trấn",
        "Các nhà hảo tâm khác",
        "Tổng cộng",
    ]
    rows = {row[0].value: [cell.value for cell in row[1:]] for row in sheet.iter_rows(min_row=8)}
    assert rows["Tiền"] == ["đồng", 499_650_000, 745_320_000, 0, 1_244_970_000]
    assert rows["Gạo"][0] == "kg" and rows["Gạo"][-1] == 1039
    assert rows["Hộ nghèo được giúp đỡ"][-1] == 1325
    years = workbook["Theo năm"]
    assert [cell.value for cell in years[1]][:2] == ["Năm", "Tiền (đồng)"]
    assert [row[0].value for row in years.iter_rows(min_row=2)] == [2014, 2015, 2016, 2017, 2018]


def test_the_results_workbook_names_the_commune_not_its_code(visitor):
    response = visitor.get(reverse("portal:results_xlsx"), {**REVIEW, "commune": "HOA_MY_DONG"})
    sheet = load_workbook(io.BytesIO(response.content))["Kết quả"]
    assert sheet["B4"].value == "Xã Hòa Mỹ Đông"


def test_libreoffice_opens_the_results_workbook_with_its_headers_and_numbers(visitor, tmp_path):
    response, _workbook_ = _workbook(visitor, REVIEW)
    (tmp_path / "ket-qua.xlsx").write_bytes(response.content)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            # comma separated, quoted, UTF-8 (76), Vietnamese locale (1066) as a Vietnamese office PC
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,1066",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "ket-qua.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader((tmp_path / "ket-qua.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[1][:2] == ["Từ ngày", "14/02/2014"]
    assert rows[6][0] == "Nội dung giúp đỡ" and rows[6][-1] == "Tổng cộng"
    money = next(row for row in rows if row[0] == "Tiền")
    # Shown grouped by the cell's number format: LibreOffice holds a number, not a text.
    assert money[-1] in ("1.244.970.000", "1,244,970,000")


def test_a_bad_period_gives_a_vietnamese_message_not_a_workbook(visitor):
    response = visitor.get(reverse("portal:results_xlsx"), {"from": "2018-02-30"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_each_chart_downloads_as_svg_with_its_title_and_the_unit_of_its_values(visitor):
    url = reverse("portal:chart", args=["money-per-year", "svg"])
    response = visitor.get(url, REVIEW)
    assert response["Content-Disposition"] == 'attachment; filename="money-per-year.svg"'
    svg = ET.fromstring(response.content)
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts[0] == "Tiền ủng hộ theo năm · 14/02/2014 – 24/10/2018"
    assert "triệu đồng" in texts
    assert {"2014", "2018"} <= set(texts)
    assert svg.get("width") == "760"


def test_each_chart_downloads_as_a_png_drawn_on_the_server(visitor):
    response = visitor.get(reverse("portal:chart", args=["visits-per-year", "png"]), {"group": "NHOM_2014_1"})
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size[0] == 1520  # the file's 760 px at twice the size
    assert len(image.getcolors(1_000_000)) > 2  # bars and text, not a blank picture


def test_a_unit_page_offers_its_charts_for_its_own_figures(visitor):
    page = visitor.get(reverse("portal:unit", args=["HOI_PHU_NU"])).content.decode()
    assert f'href="{reverse("portal:chart", args=["money-per-year", "png"])}?unit=HOI_PHU_NU"' in page
    assert (
        visitor.get(reverse("portal:chart", args=["money-per-year", "svg"]), {"unit": "HOI_PHU_NU"}).status_code == 200
    )


def test_an_unknown_chart_or_unit_is_refused(visitor):
    assert visitor.get("/bieu-do/khong-co.svg").status_code == 404
    assert visitor.get("/bieu-do/money-per-year.svg", {"unit": "KHONG_CO"}).status_code == 400


def test_the_results_page_offers_excel_beside_the_unchanged_open_data_files(visitor):
    page = visitor.get(reverse("portal:results"), REVIEW).content.decode()
    assert f"{reverse('portal:results_xlsx')}?from=2014-02-14&amp;to=2018-10-24" in page
    assert "/open-data/summary.csv?from=2014-02-14&amp;to=2018-10-24" in page


def test_the_downloads_and_the_open_data_guide_run_a_fixed_number_of_queries(visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # period and scope, bodies, totals by sector, per year
        visitor.get(reverse("portal:results_xlsx"), {**REVIEW, "commune": "HOA_MY_DONG"})
    with django_assert_max_num_queries(4):
        visitor.get(reverse("portal:chart", args=["money-per-year", "svg"]), {"unit": "HOI_PHU_NU"})
    with django_assert_max_num_queries(15):
        visitor.get(reverse("portal:open_data"))


def test_the_commune_and_group_pages_offer_their_figures_as_excel(visitor):
    commune_page = visitor.get(reverse("portal:commune", args=["HOA_MY_2025"])).content.decode()
    assert f'href="{reverse("portal:results_xlsx")}?commune=HOA_MY_2025"' in commune_page
    group_page = visitor.get(reverse("portal:group", args=["NHOM_2014_1"])).content.decode()
    assert f'href="{reverse("portal:results_xlsx")}?group=NHOM_2014_1"' in group_page
    sheet = load_workbook(io.BytesIO(visitor.get(reverse("portal:results_xlsx"), {"group": "NHOM_2014_1"}).content))[
        "Kết quả"
    ]
    assert sheet["B5"].value == "Nhóm 1 (2014-2018)" and sheet["B2"].value == "không giới hạn"
