"""Hand-written facts of the demo district: communes, villages, units, groups, names.

Commune and unit names are the reference district's (PROGRAMME.md); village names are plausible
inventions; people's names are drawn from common Vietnamese and Ê Đê name parts.
"""

from __future__ import annotations

import datetime

PLAN_DATE = datetime.date(2014, 2, 14)  # Kế hoạch số 68-KH/HU
REVIEW_DATE = datetime.date(2018, 10, 24)  # sơ kết 4 năm
ELEVEN_GROUPS_START = datetime.date(2018, 11, 1)
MERGER_LAST_DAY = datetime.date(2025, 6, 30)
MERGER_FIRST_DAY = datetime.date(2025, 7, 1)
# The history drawn from the main seeded Random ends here; 2026 is added from its own Random so
# that every earlier row (the review period's above all) stays exactly as it was.
HISTORY_LAST_DAY = datetime.date(2025, 12, 31)
# The current phase: one year of pledges under the four new communes.
CURRENT_PHASE_START = datetime.date(2026, 1, 1)
CURRENT_PHASE_END = datetime.date(2026, 12, 31)
# The last day with demo donations: a fixed day, so the demo is the same whenever it is loaded.
LAST_DEMO_DAY = datetime.date(2026, 10, 31)

# The four communes created by the 2025 merger: code -> name.
NEW_COMMUNES = {
    "TAY_HOA_2025": "Tây Hòa",
    "HOA_THINH_2025": "Hòa Thịnh",
    "HOA_MY_2025": "Hòa Mỹ",
    "SON_THANH_2025": "Sơn Thành",
}

# code, name, kind, disadvantaged, merged into, villages as (kind, name).
# Mountain communes have buôn (ethnic-minority villages); the town has khu phố.
COMMUNES: list[tuple[str, str, str, bool, str, list[tuple[str, str]]]] = [
    (
        "PHU_THU",
        "Phú Thứ",
        "thi_tran",
        False,
        "TAY_HOA_2025",
        [
            ("khu_pho", "Phú Thứ"),
            ("khu_pho", "Mỹ Lệ Đông"),
            ("khu_pho", "Mỹ Lệ Tây"),
            ("khu_pho", "Phú Thạnh"),
            ("khu_pho", "Phước Mỹ"),
        ],
    ),
    (
        "HOA_BINH_1",
        "Hòa Bình 1",
        "xa",
        False,
        "TAY_HOA_2025",
        [
            ("thon", "Mỹ Thạnh Đông"),
            ("thon", "Mỹ Thạnh Tây"),
            ("thon", "Phú Nông"),
            ("thon", "Vạn Lộc"),
            ("thon", "Phước Nông"),
        ],
    ),
    (
        "HOA_DONG",
        "Hòa Đồng",
        "xa",
        True,
        "HOA_THINH_2025",
        [
            ("thon", "Phú Diễn"),
            ("thon", "Vạn Hòa"),
            ("thon", "Cẩm Thạch"),
            ("thon", "Mỹ Hòa"),
            ("thon", "Phú Thạnh"),
            ("thon", "Phước Khánh"),
        ],
    ),
    (
        "HOA_MY_DONG",
        "Hòa Mỹ Đông",
        "xa",
        True,
        "HOA_MY_2025",
        [
            ("thon", "Phú Thuận"),
            ("thon", "Mỹ Xuân"),
            ("thon", "Phú Hữu"),
            ("thon", "Đông Phước"),
            ("thon", "Quang Thuận"),
            ("thon", "Hàn Lâm"),
        ],
    ),
    (
        "HOA_MY_TAY",
        "Hòa Mỹ Tây",
        "xa",
        True,
        "HOA_MY_2025",
        [
            ("thon", "Mỹ Điền"),
            ("thon", "Phước Lộc"),
            ("thon", "Hòa Thuận"),
            ("thon", "Đồng Thạnh"),
            ("buon", "Ma Đao"),
            ("buon", "Hố Hầm"),
            ("buon", "Suối Cối"),
        ],
    ),
    (
        "HOA_PHONG",
        "Hòa Phong",
        "xa",
        False,
        "TAY_HOA_2025",
        [
            ("thon", "Mỹ Thành"),
            ("thon", "Phước Thịnh"),
            ("thon", "Phong Niên"),
            ("thon", "Mỹ Xuân"),
            ("thon", "Bàn Nham"),
        ],
    ),
    (
        "HOA_PHU",
        "Hòa Phú",
        "xa",
        True,
        "SON_THANH_2025",
        [
            ("thon", "Ngọc Lãnh"),
            ("thon", "Phú Sen Đông"),
            ("thon", "Phú Sen Tây"),
            ("thon", "Thạnh Đông"),
            ("thon", "Mỹ Phú"),
            ("thon", "Phước Trung"),
        ],
    ),
    (
        "HOA_TAN_TAY",
        "Hòa Tân Tây",
        "xa",
        False,
        "TAY_HOA_2025",
        [
            ("thon", "Phú Hòa"),
            ("thon", "Mỹ Trung"),
            ("thon", "Bình Thắng"),
            ("thon", "Lương Phước"),
        ],
    ),
    (
        "HOA_THINH",
        "Hòa Thịnh",
        "xa",
        True,
        "HOA_THINH_2025",
        [
            ("thon", "Mỹ Xuân 1"),
            ("thon", "Mỹ Xuân 2"),
            ("thon", "Phú Thịnh"),
            ("thon", "Mỹ Hòa"),
            ("thon", "Phú Thuận"),
            ("thon", "Đồng Thạnh"),
            ("thon", "Mỹ Trung"),
        ],
    ),
    (
        "SON_THANH_DONG",
        "Sơn Thành Đông",
        "xa",
        True,
        "SON_THANH_2025",
        [
            ("thon", "Lạc Mỹ"),
            ("thon", "Lạc Chỉ"),
            ("thon", "Lạc Điền"),
            ("thon", "Suối Mây"),
            ("thon", "Lạc Thạnh"),
            ("buon", "Quang Dù"),
            ("buon", "Mùi"),
        ],
    ),
    (
        "SON_THANH_TAY",
        "Sơn Thành Tây",
        "xa",
        True,
        "SON_THANH_2025",
        [
            ("thon", "Tân Mỹ"),
            ("thon", "Tân Thạnh"),
            ("thon", "Mỹ Lâm"),
            ("thon", "Đồng Tròn"),
            ("buon", "Chung Tăng"),
            ("buon", "Lé"),
            ("buon", "Ly"),
            ("buon", "Dành"),
        ],
    ),
]

# The 45 district agencies and units: code, name.
DISTRICT_UNITS: list[tuple[str, str]] = [
    ("VP_HUYEN_UY", "Văn phòng Huyện ủy"),
    ("BAN_TO_CHUC_HU", "Ban Tổ chức Huyện ủy"),
    ("BAN_TUYEN_GIAO_HU", "Ban Tuyên giáo Huyện ủy"),
    ("BAN_DAN_VAN_HU", "Ban Dân vận Huyện ủy"),
    ("UBKT_HU", "Ủy ban Kiểm tra Huyện ủy"),
    ("TT_BDCT", "Trung tâm Bồi dưỡng chính trị huyện"),
    ("VP_HDND_UBND", "Văn phòng HĐND và UBND huyện"),
    ("PHONG_NOI_VU", "Phòng Nội vụ"),
    ("PHONG_TU_PHAP", "Phòng Tư pháp"),
    ("PHONG_TC_KH", "Phòng Tài chính - Kế hoạch"),
    ("PHONG_KT_HT", "Phòng Kinh tế và Hạ tầng"),
    ("PHONG_TN_MT", "Phòng Tài nguyên và Môi trường"),
    ("PHONG_LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("PHONG_VH_TT", "Phòng Văn hóa và Thông tin"),
    ("PHONG_GD_DT", "Phòng Giáo dục và Đào tạo"),
    ("PHONG_Y_TE", "Phòng Y tế"),
    ("PHONG_NN_PTNT", "Phòng Nông nghiệp và PTNT"),
    ("THANH_TRA", "Thanh tra huyện"),
    ("PHONG_DAN_TOC", "Phòng Dân tộc"),
    ("MTTQ", "Ủy ban MTTQ Việt Nam huyện"),
    ("HUYEN_DOAN", "Huyện đoàn"),
    ("HOI_PHU_NU", "Hội Liên hiệp Phụ nữ huyện"),
    ("HOI_NONG_DAN", "Hội Nông dân huyện"),
    ("HOI_CCB", "Hội Cựu chiến binh huyện"),
    ("LD_LAO_DONG", "Liên đoàn Lao động huyện"),
    ("CONG_AN", "Công an huyện"),
    ("BCH_QUAN_SU", "Ban Chỉ huy Quân sự huyện"),
    ("TOA_AN", "Tòa án nhân dân huyện"),
    ("VIEN_KIEM_SAT", "Viện Kiểm sát nhân dân huyện"),
    ("THI_HANH_AN", "Chi cục Thi hành án dân sự huyện"),
    ("CHI_CUC_THUE", "Chi cục Thuế huyện"),
    ("KHO_BAC", "Kho bạc Nhà nước huyện"),
    ("NH_CSXH", "Ngân hàng Chính sách xã hội huyện"),
    ("AGRIBANK", "Ngân hàng Nông nghiệp và PTNT chi nhánh huyện"),
    ("TT_Y_TE", "Trung tâm Y tế huyện"),
    ("TT_VH_TT", "Trung tâm Văn hóa - Thông tin và Thể thao huyện"),
    ("TT_GDNN", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên"),
    ("BQL_DU_AN", "Ban Quản lý dự án đầu tư xây dựng huyện"),
    ("THPT_NTMK", "Trường THPT Nguyễn Thị Minh Khai"),
    ("THPT_PBC", "Trường THPT Phan Bội Châu"),
    ("THPT_NGUYEN_TRAI", "Trường THPT Nguyễn Trãi"),
    ("THPT_LE_LOI", "Trường THPT Lê Lợi"),
    ("DIEN_LUC", "Điện lực Tây Hòa"),
    ("BUU_DIEN", "Bưu điện huyện"),
    ("HAT_KIEM_LAM", "Hạt Kiểm lâm huyện"),
]

# Units that are neither district units nor party committees; they join after 2018.
OTHER_UNITS: list[tuple[str, str]] = [
    ("CTY_NONG_SAN", "Công ty TNHH Nông sản Phú Thứ"),
    ("HTX_HOA_DONG", "Hợp tác xã Nông nghiệp Hòa Đồng"),
]

# Party committees of the four merged communes, from 01/07/2025: code, commune code, name.
NEW_COMMITTEES: list[tuple[str, str, str]] = [
    ("DU_TAY_HOA_2025", "TAY_HOA_2025", "Đảng ủy xã Tây Hòa"),
    ("DU_HOA_THINH_2025", "HOA_THINH_2025", "Đảng ủy xã Hòa Thịnh"),
    ("DU_HOA_MY_2025", "HOA_MY_2025", "Đảng ủy xã Hòa Mỹ"),
    ("DU_SON_THANH_2025", "SON_THANH_2025", "Đảng ủy xã Sơn Thành"),
]

# From 01/07/2025 the district level is gone: bodies of Đắk Lắk province (which Phú Yên joined) carry on the
# district units' help, in one group for each new commune. Kind district_unit: the contract's sector key for
# agencies and units above the communes. New commune code -> (group code, group name, [(unit code, name)]).
# The tax office's number and the two enterprises are invented.
PROVINCIAL_GROUPS: dict[str, tuple[str, str, list[tuple[str, str]]]] = {
    "TAY_HOA_2025": (
        "NHOM_TINH_TAY_HOA",
        "Nhóm cơ quan tỉnh giúp đỡ xã Tây Hòa",
        [
            ("DL_BAN_TGDV_TU", "Ban Tuyên giáo và Dân vận Tỉnh ủy Đắk Lắk"),
            ("DL_SO_NN_MT", "Sở Nông nghiệp và Môi trường tỉnh Đắk Lắk"),
            ("DL_THUE_CO_SO_9", "Thuế cơ sở 9 tỉnh Đắk Lắk"),
            ("DL_CTY_NONG_SAN_SONG_BA", "Công ty Cổ phần Chế biến Nông sản Sông Ba"),
        ],
    ),
    "HOA_THINH_2025": (
        "NHOM_TINH_HOA_THINH",
        "Nhóm cơ quan tỉnh giúp đỡ xã Hòa Thịnh",
        [
            ("DL_NH_CSXH", "Chi nhánh Ngân hàng Chính sách xã hội tỉnh Đắk Lắk"),
            ("DL_SO_Y_TE", "Sở Y tế tỉnh Đắk Lắk"),
            ("DL_MTTQ", "Ủy ban MTTQ Việt Nam tỉnh Đắk Lắk"),
            ("DL_TT_Y_TE_TAY_HOA", "Trung tâm Y tế khu vực Tây Hòa"),
        ],
    ),
    "HOA_MY_2025": (
        "NHOM_TINH_HOA_MY",
        "Nhóm cơ quan tỉnh giúp đỡ xã Hòa Mỹ",
        [
            ("DL_SO_GD_DT", "Sở Giáo dục và Đào tạo tỉnh Đắk Lắk"),
            ("DL_SO_NOI_VU", "Sở Nội vụ tỉnh Đắk Lắk"),
            ("DL_BCH_QUAN_SU", "Bộ Chỉ huy Quân sự tỉnh Đắk Lắk"),
            ("DL_CTY_XAY_DUNG_TAY_HOA", "Công ty TNHH Xây dựng Tây Hòa"),
        ],
    ),
    "SON_THANH_2025": (
        "NHOM_TINH_SON_THANH",
        "Nhóm cơ quan tỉnh giúp đỡ xã Sơn Thành",
        [
            ("DL_SO_DAN_TOC_TON_GIAO", "Sở Dân tộc và Tôn giáo tỉnh Đắk Lắk"),
            ("DL_CONG_AN", "Công an tỉnh Đắk Lắk"),
            ("DL_TINH_DOAN", "Tỉnh đoàn Đắk Lắk"),
            ("DL_HOI_PHU_NU", "Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk"),
        ],
    ),
}
# The share of a district unit's help in a new commune that its commune's party committee carries on
# (the district's cadres moved to the communes); provincial bodies of the commune's group carry on the rest.
CARRIED_ON_BY_COMMITTEE = 0.3

# 2014-2018: seven groups, each helping one disadvantaged commune (PROGRAMME.md).
GROUPS_2014: list[tuple[str, str, str]] = [
    ("NHOM_2014_1", "Nhóm 1 (2014-2018)", "SON_THANH_TAY"),
    ("NHOM_2014_2", "Nhóm 2 (2014-2018)", "SON_THANH_DONG"),
    ("NHOM_2014_3", "Nhóm 3 (2014-2018)", "HOA_MY_TAY"),
    ("NHOM_2014_4", "Nhóm 4 (2014-2018)", "HOA_MY_DONG"),
    ("NHOM_2014_5", "Nhóm 5 (2014-2018)", "HOA_PHU"),
    ("NHOM_2014_6", "Nhóm 6 (2014-2018)", "HOA_THINH"),
    ("NHOM_2014_7", "Nhóm 7 (2014-2018)", "HOA_DONG"),
]

POSITIONS = [
    "Trưởng ban",
    "Phó Trưởng ban",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Chánh Văn phòng",
    "Chuyên viên",
    "Chuyên viên",
    "Chuyên viên",
    "Cán sự",
    "Kế toán",
    "Văn thư",
    "Nhân viên",
    "Bí thư chi bộ",
    "Giáo viên",
    "Cán bộ",
    "Cán bộ",
]
COMMITTEE_POSITIONS = [
    "Bí thư Đảng ủy",
    "Phó Bí thư Đảng ủy",
    "Ủy viên Ban Thường vụ",
    "Chủ tịch UBND",
    "Chủ tịch UBMTTQ",
    "Bí thư Đoàn",
    "Chủ tịch Hội Phụ nữ",
    "Chủ tịch Hội Nông dân",
    "Văn phòng Đảng ủy",
    "Cán bộ địa chính",
    "Công chức văn hóa - xã hội",
    "Bí thư chi bộ thôn",
]

FAMILY_NAMES = [
    "Nguyễn",
    "Nguyễn",
    "Nguyễn",
    "Trần",
    "Trần",
    "Lê",
    "Lê",
    "Phạm",
    "Huỳnh",
    "Võ",
    "Võ",
    "Phan",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đoàn",
    "Trương",
    "Lương",
    "Mai",
    "Tô",
]
MIDDLE_MALE = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Ngọc", "Thanh", "Công", "Xuân", "Tấn"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thị Kim", "Thị Thu", "Ngọc", "Thị Mỹ", "Thanh", "Thị Hồng"]
GIVEN_MALE = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Huy",
    "Khánh",
    "Lâm",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Phúc",
    "Quân",
    "Sơn",
    "Tài",
    "Thành",
    "Thắng",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Lợi",
    "Hòa",
    "Nhân",
    "Phát",
]
GIVEN_FEMALE = [
    "Anh",
    "Bích",
    "Châu",
    "Dung",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Sương",
    "Thảo",
    "Thủy",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Xuân",
    "Diệu",
]
# Ê Đê and Chăm H'roi naming: family name, then Y (men) or H' (women) with the given name.
ETHNIC_FAMILY = ["Ksor", "Nay", "Rơ Chăm", "Kpă", "Rơ Mah", "Siu", "La Ô", "Ma"]
ETHNIC_GIVEN_MALE = ["Y Blăk", "Y Thuận", "Y Sơn", "Y Bhin", "Y Đức", "Y Kiơ", "Y Năm", "Y Luân"]
ETHNIC_GIVEN_FEMALE = ["H'Lan", "H'Nga", "H'Mai", "H'Bla", "H'Loan", "H'Yên", "H'Xuân", "H'Dơn"]

PRIMARY_SCHOOL = "Trường Tiểu học {commune}"
LOWER_SECONDARY_SCHOOL = "Trường THCS {commune}"
HIGH_SCHOOLS = [
    "Trường THPT Nguyễn Thị Minh Khai",
    "Trường THPT Phan Bội Châu",
    "Trường THPT Nguyễn Trãi",
    "Trường THPT Lê Lợi",
]

# Lunar New Year (Tết): units visit households in the weeks before it.
TET = {
    2015: datetime.date(2015, 2, 19),
    2016: datetime.date(2016, 2, 8),
    2017: datetime.date(2017, 1, 28),
    2018: datetime.date(2018, 2, 16),
    2019: datetime.date(2019, 2, 5),
    2020: datetime.date(2020, 1, 25),
    2021: datetime.date(2021, 2, 12),
    2022: datetime.date(2022, 2, 1),
    2023: datetime.date(2023, 1, 22),
    2024: datetime.date(2024, 2, 10),
    2025: datetime.date(2025, 1, 29),
    2026: datetime.date(2026, 2, 17),
}
SCHOOL_YEAR_START_MONTH = 9

VILLAGE_PROJECTS = [
    "Hỗ trợ làm đường bê tông nông thôn",
    "Hỗ trợ sửa chữa nhà văn hóa thôn",
    "Hỗ trợ mua dụng cụ thể thao",
    "Hỗ trợ xây dựng thôn kiểu mẫu",
    "Hỗ trợ thắp sáng đường quê",
    "Hỗ trợ nạo vét kênh mương",
]
HOUSEHOLD_NOTES = [
    "Thăm, tặng quà Tết",
    "Hỗ trợ lúc ốm đau",
    "Hỗ trợ sửa chữa nhà",
    "Hỗ trợ giống cây trồng",
    "Thăm hỏi, động viên",
    "Hỗ trợ sau bão lụt",
]
