"""The portal's part of the demo district: news of the 2018 review and of 2025, website links, the counter.

Called at the end of ``manage.py load_demo``. Idempotent: it creates what is missing and never
overwrites a record someone has edited since.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from apps.portal.models import Article, ReviewPeriod, VisitCounterSettings, WebsiteLink

REVIEW_SLUG = "so-ket-4-nam-co-quan-don-vi-giup-do-xa-thon-kho-khan-va-ho-ngheo"
# The district's own published article on the review (PROGRAMME.md, reviews/domain.md §1), in its words.
REVIEW_BODY = """\
Ngày 24/10/2018, Huyện ủy Tây Hòa tổ chức Hội nghị sơ kết 4 năm thực hiện Kế hoạch số 68-KH/HU ngày \
14/02/2014 của Ban Thường vụ Huyện ủy về việc cơ quan, đơn vị giúp đỡ xã, thôn (buôn) khó khăn và cán bộ, \
đảng viên, công chức, viên chức giúp đỡ hộ nghèo. Đồng chí Hồ Thị Nguyên Thảo, Tỉnh ủy viên, Bí thư Huyện ủy \
chủ trì Hội nghị.

Qua hơn 4 năm, 7 nhóm cơ quan, đơn vị của huyện đã vận động cán bộ, đảng viên, công chức, viên chức, người lao \
động ủng hộ giúp đỡ với tổng số tiền gần 500 triệu đồng, 30 kg gạo, 48 kg đường, và cho hộ nghèo mượn vốn chăn \
nuôi với số tiền 49 triệu đồng.

Đảng ủy các xã, thị trấn đã vận động ủng hộ trên 745 triệu đồng, 1.009 kg gạo, 97 bộ sách, 1.075 quyển vở, \
59 bộ quần áo, 17 chiếc xe đạp và 40 ngày công.

Nhờ đó, 1.325 lượt hộ nghèo khó khăn được giúp đỡ, 796 học sinh là con em hộ nghèo có điều kiện tiếp tục \
đến trường.

Hội nghị đề ra hướng đi cho giai đoạn mới: giúp các thôn xây dựng thôn kiểu mẫu và các hộ xây dựng vườn \
kiểu mẫu gắn với tăng thu nhập; mở rộng giúp đỡ hộ cận nghèo, hộ có nguy cơ tái nghèo và nhận đỡ đầu học \
sinh hoàn cảnh khó khăn học giỏi; chuyển từ giúp thôn sang giúp xã và hộ nghèo, với 11 nhóm cơ quan, đơn vị \
phân công giúp 11 xã, thị trấn; tăng cường kiểm tra, giám sát, kịp thời biểu dương, nhân rộng cách làm hay và \
đôn đốc, nhắc nhở những nơi còn chậm.
"""
# After the 2025 reform the new communes' party committees carry the programme on (PROGRAMME.md).
REFORM_SLUG = "cac-xa-moi-tiep-tuc-giup-do-ho-ngheo-sau-sap-xep"
REFORM_BODY = """\
Từ ngày 01/7/2025, khi chính quyền địa phương hai cấp đi vào hoạt động, 11 xã, thị trấn của huyện Tây Hòa cũ \
được sắp xếp thành 4 xã: Tây Hòa, Hòa Thịnh, Hòa Mỹ và Sơn Thành, thuộc tỉnh Đắk Lắk. Các cơ quan, đơn vị cấp \
huyện kết thúc hoạt động ngày 30/6/2025.

Đảng ủy 4 xã mới tiếp tục thực hiện chủ trương cơ quan, đơn vị giúp đỡ thôn, buôn khó khăn và cán bộ, đảng \
viên, công chức, viên chức, người lao động giúp đỡ hộ nghèo trên địa bàn mình. Các thôn, buôn, khu phố và \
các hộ được giúp đỡ trước đây tiếp tục được theo dõi, giúp đỡ; cán bộ, đảng viên của xã đăng ký giúp đỡ hộ \
nghèo, hộ cận nghèo và nhận đỡ đầu học sinh.

Các cơ quan, đơn vị, doanh nghiệp của tỉnh Đắk Lắk được phân thành nhóm giúp đỡ từng xã, tiếp tục ủng hộ \
tiền, hiện vật, ngày công và cho hộ nghèo mượn vốn chăn nuôi.
"""
WEBSITE_LINKS = [
    ("Cổng Thông tin điện tử Chính phủ", "https://www.chinhphu.vn/", 10),
    ("Báo điện tử Đảng Cộng sản Việt Nam", "https://dangcongsan.vn/", 20),
    ("Bộ Nông nghiệp và Môi trường", "https://www.mae.gov.vn/", 30),
    ("Ngân hàng Chính sách xã hội Việt Nam", "https://vbsp.org.vn/", 40),
]
CARRIED_OVER_TOTAL = 10_114_391


REVIEW_CREDIT = {
    "author": "Ngọc Phương – Ban Tuyên giáo Huyện ủy Tây Hòa",
    "publisher": "Ban Tuyên giáo Huyện ủy Tây Hòa",
}
# Demos loaded before the review was credited to its author signed it "Ban Dân vận Huyện ủy" under the
# byline "Ban Tuyên giáo Huyện ủy" (two boards for one article). An article still exactly as that loader
# left it is corrected; one that staff edited is not.
WRONG_REVIEW_CREDIT = {"author": "Ban Dân vận Huyện ủy", "publisher": "Ban Tuyên giáo Huyện ủy"}


@transaction.atomic
def load_portal_content() -> dict[str, int]:
    """Create the demo's article, reviewed period, website links and counter row if they are missing."""
    created = {"articles": 0, "links": 0, "reviews": 0}
    Article.objects.filter(slug=REVIEW_SLUG, **WRONG_REVIEW_CREDIT).update(**REVIEW_CREDIT)
    article, made = Article.objects.get_or_create(
        slug=REVIEW_SLUG,
        defaults={
            "title": "Sơ kết 4 năm cơ quan, đơn vị giúp đỡ xã, thôn khó khăn và hộ nghèo",
            "summary": "1.325 lượt hộ nghèo và 796 học sinh con hộ nghèo được giúp đỡ trong 4 năm 2014 - 2018; "
            "giai đoạn tới, 11 nhóm cơ quan, đơn vị được phân công giúp 11 xã, thị trấn.",
            "body": REVIEW_BODY,
            **REVIEW_CREDIT,
            "published_on": datetime.date(2018, 10, 26),
            "is_published": True,
        },
    )
    created["articles"] += made
    _article, made = Article.objects.get_or_create(
        slug=REFORM_SLUG,
        defaults={
            "title": "Các xã mới tiếp tục giúp đỡ thôn, buôn khó khăn và hộ nghèo",
            "summary": "Từ 01/7/2025, Đảng ủy 4 xã Tây Hòa, Hòa Thịnh, Hòa Mỹ, Sơn Thành cùng các cơ quan, đơn vị "
            "của tỉnh Đắk Lắk tiếp tục giúp đỡ hộ nghèo.",
            "body": REFORM_BODY,
            "author": "Văn phòng Đảng ủy xã Tây Hòa",
            "publisher": "Đảng ủy xã Tây Hòa",
            "published_on": datetime.date(2025, 8, 20),
            "is_published": True,
        },
    )
    created["articles"] += made
    _review, made = ReviewPeriod.objects.get_or_create(
        start=datetime.date(2014, 2, 14),
        end=datetime.date(2018, 10, 24),
        defaults={"title": "Sơ kết 4 năm thực hiện Kế hoạch số 68-KH/HU", "article": article},
    )
    created["reviews"] += made
    for title, url, position in WEBSITE_LINKS:
        _link, made = WebsiteLink.objects.get_or_create(url=url, defaults={"title": title, "position": position})
        created["links"] += made
    VisitCounterSettings.objects.get_or_create(pk=1, defaults={"carried_over_total": CARRIED_OVER_TOTAL})
    return created
