"""The national poverty standards the programme's years were reviewed under, their indicators and the causes list.

Written out here, not imported, so that this migration keeps meaning what it meant. Income lines are đồng per
person per month. Sources (checked against the texts as summarised in /work/shared/reviews/domain.md §6 and
PROGRAMME.md "After the 2025 reform"; where a figure or a text is from memory the comment says so):

- 2011-2015: Quyết định 09/2011/QĐ-TTg (30/01/2011). Income only: poor at or below 400.000 (rural) / 500.000
  (urban); near-poor up to 520.000 / 650.000. The demo's first lists (2014, 2015) were drawn under it.
- 2016-2020: Quyết định 59/2015/QĐ-TTg (19/11/2015). Poor: income at or below 700.000 (rural) / 900.000 (urban),
  or up to 1.000.000 / 1.300.000 with 3 or more of 10 deprivations in 5 dimensions; near-poor: up to
  1.000.000 / 1.300.000 with fewer than 3.
- 2021: the 2016-2020 standard stayed in use for the 2021 lists (drawn at the end of 2020), because the new
  standard (Nghị định 07/2021/NĐ-CP) applies from the 2022 lists. The text that formally extended Quyết định
  59/2015 into 2021 is NOT verified here (the domain review marks the extension [K/M] without a number): the
  legal basis below says so instead of guessing a number.
- 2022-2025: Nghị định 07/2021/NĐ-CP (27/01/2021), Điều 3 (amended by Nghị định 30/2025/NĐ-CP). Poor: income at
  or below 1.500.000 (rural) / 2.000.000 (urban) with 3 or more of 12 deprivations in 6 dimensions; near-poor:
  the same income with fewer than 3; average living standard: up to 2.250.000 / 3.000.000.
- 2026: Nghị định 351/2025/NĐ-CP kept the 2022-2025 standard in force for 2026 (PROGRAMME.md; the domain review
  [W7]). Its 2027-2030 lines (2.200.000 / 2.800.000) are not loaded: no list of this portal is under them yet,
  and the review's source for them is a newspaper, not the text.
"""

from django.db import migrations

INDICATORS_2016 = [
    ("2016_y_te_dich_vu", "Tiếp cận các dịch vụ y tế", "health"),
    ("2016_bao_hiem_y_te", "Bảo hiểm y tế", "health"),
    ("2016_giao_duc_nguoi_lon", "Trình độ giáo dục của người lớn", "education"),
    ("2016_tre_em_di_hoc", "Tình trạng đi học của trẻ em", "education"),
    ("2016_chat_luong_nha", "Chất lượng nhà ở", "housing"),
    ("2016_dien_tich_nha", "Diện tích nhà ở bình quân đầu người", "housing"),
    ("2016_nuoc_sinh_hoat", "Nguồn nước sinh hoạt", "water"),
    ("2016_nha_tieu", "Hố xí/nhà tiêu hợp vệ sinh", "water"),
    ("2016_vien_thong", "Sử dụng dịch vụ viễn thông", "information"),
    ("2016_tai_san_thong_tin", "Tài sản phục vụ tiếp cận thông tin", "information"),
]
INDICATORS_2022 = [
    ("2022_viec_lam", "Việc làm", "employment"),
    ("2022_nguoi_phu_thuoc", "Người phụ thuộc trong hộ gia đình", "employment"),
    ("2022_dinh_duong", "Dinh dưỡng", "health"),
    ("2022_bao_hiem_y_te", "Bảo hiểm y tế", "health"),
    ("2022_giao_duc_nguoi_lon", "Trình độ giáo dục của người lớn", "education"),
    ("2022_tre_em_di_hoc", "Tình trạng đi học của trẻ em", "education"),
    ("2022_chat_luong_nha", "Chất lượng nhà ở", "housing"),
    ("2022_dien_tich_nha", "Diện tích nhà ở bình quân đầu người", "housing"),
    ("2022_nuoc_sinh_hoat", "Nguồn nước sinh hoạt", "water"),
    ("2022_nha_tieu", "Nhà tiêu hợp vệ sinh", "water"),
    ("2022_vien_thong", "Sử dụng dịch vụ viễn thông", "information"),
    ("2022_phuong_tien_thong_tin", "Phương tiện phục vụ tiếp cận thông tin", "information"),
]
# The causes of poverty of the review forms (phiếu rà soát), in their order.
CAUSES = [
    ("thieu_von", "Thiếu vốn sản xuất, kinh doanh"),
    ("thieu_dat", "Thiếu đất canh tác"),
    ("thieu_phuong_tien", "Thiếu phương tiện sản xuất, kinh doanh"),
    ("thieu_lao_dong", "Thiếu lao động"),
    ("thieu_ky_nang", "Không biết cách làm ăn, không có kỹ năng lao động, sản xuất"),
    ("om_dau", "Có người ốm đau, bệnh nặng, tai nạn"),
    ("khong_viec_lam", "Có lao động nhưng không có việc làm"),
    ("dong_nguoi_an_theo", "Đông người ăn theo"),
    ("thien_tai", "Thiên tai, rủi ro"),
    ("khac", "Nguyên nhân khác"),
]
STANDARDS = [
    {
        "code": "CN_2011_2015",
        "name": "Chuẩn nghèo giai đoạn 2011–2015",
        "legal_basis": "Quyết định số 09/2011/QĐ-TTg",
        "first_year": 2011,
        "last_year": 2015,
        "lines": (400_000, 500_000, 520_000, 650_000, None, None),
        "poor_from_deprivations": None,
        "indicators": [],
    },
    {
        "code": "CN_2016_2020",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2016–2020",
        "legal_basis": "Quyết định số 59/2015/QĐ-TTg",
        "first_year": 2016,
        "last_year": 2020,
        "lines": (700_000, 900_000, 1_000_000, 1_300_000, None, None),
        "poor_from_deprivations": 3,
        "indicators": INDICATORS_2016,
    },
    {
        "code": "CN_2016_2020_NAM_2021",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2016–2020, áp dụng cho năm 2021",
        "legal_basis": "Quyết định số 59/2015/QĐ-TTg, tiếp tục áp dụng cho danh sách năm 2021",
        "extends": "CN_2016_2020",
        "first_year": 2021,
        "last_year": 2021,
        "lines": (700_000, 900_000, 1_000_000, 1_300_000, None, None),
        "poor_from_deprivations": 3,
        "indicators": INDICATORS_2016,
    },
    {
        "code": "CN_2022_2025",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
        "legal_basis": "Nghị định số 07/2021/NĐ-CP (sửa đổi bởi Nghị định số 30/2025/NĐ-CP)",
        "first_year": 2022,
        "last_year": 2025,
        "lines": (1_500_000, 2_000_000, 1_500_000, 2_000_000, 2_250_000, 3_000_000),
        "poor_from_deprivations": 3,
        "indicators": INDICATORS_2022,
    },
    {
        "code": "CN_2022_2025_NAM_2026",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025, áp dụng cho năm 2026",
        "legal_basis": "Nghị định số 351/2025/NĐ-CP (kéo dài chuẩn nghèo của Nghị định số 07/2021/NĐ-CP)",
        "extends": "CN_2022_2025",
        "first_year": 2026,
        "last_year": 2026,
        "lines": (1_500_000, 2_000_000, 1_500_000, 2_000_000, 2_250_000, 3_000_000),
        "poor_from_deprivations": 3,
        "indicators": INDICATORS_2022,
    },
]


def load(apps, schema_editor):
    PovertyStandard = apps.get_model("households", "PovertyStandard")
    DeprivationIndicator = apps.get_model("households", "DeprivationIndicator")
    PovertyCause = apps.get_model("households", "PovertyCause")
    for order, (code, name) in enumerate(CAUSES, start=1):
        PovertyCause.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for row in STANDARDS:
        rural, urban, rural_near, urban_near, rural_average, urban_average = row["lines"]
        standard, _created = PovertyStandard.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "legal_basis": row["legal_basis"],
                "extends": PovertyStandard.objects.get(code=row["extends"]) if "extends" in row else None,
                "first_year": row["first_year"],
                "last_year": row["last_year"],
                "rural_poverty_line_vnd": rural,
                "urban_poverty_line_vnd": urban,
                "rural_near_poverty_line_vnd": rural_near,
                "urban_near_poverty_line_vnd": urban_near,
                "rural_average_line_vnd": rural_average,
                "urban_average_line_vnd": urban_average,
                "poor_from_deprivations": row["poor_from_deprivations"],
            },
        )
        indicators = [
            DeprivationIndicator.objects.update_or_create(code=code, defaults={"name": name, "dimension": dimension})[0]
            for code, name, dimension in row["indicators"]
        ]
        standard.indicators.set(indicators)


class Migration(migrations.Migration):
    dependencies = [("households", "0007_poverty_standards_and_classifications")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
