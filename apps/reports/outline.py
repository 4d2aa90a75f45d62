"""The outline of a sơ kết / tổng kết report, stated once: the parts and sections of the document.

Source: the convention of party reports that review a plan's implementation (báo cáo sơ kết at mid-term,
tổng kết at its end), as the project's domain review records it (/work/shared/reviews/domain.md, "structure
of a báo cáo sơ kết": I. leadership, direction and results; II. assessment — ưu điểm, hạn chế, nguyên nhân,
bài học kinh nghiệm; III. directions and tasks; IV. kiến nghị). Hướng dẫn 36-HD/VPTW (03/4/2018) sets the
document's form (heading, number, signature, recipients), not this outline.

Each section holds text that people type (``ReportDraft.sections[key]``); the portal places its computed
figures and tables after the text of the section named by ``figures``. The headings are Vietnamese by
nature, like the rest of the document (see :mod:`apps.reports.vietnamese`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    # What the portal computes and places after the typed text: "results", "pledges", "commend", "remind".
    figures: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Part:
    heading: str
    sections: tuple[Section, ...]


OUTLINE: tuple[Part, ...] = (
    Part(
        "TÌNH HÌNH VÀ KẾT QUẢ THỰC HIỆN",
        (
            Section(
                "leadership",
                "Công tác lãnh đạo, chỉ đạo",
                hint="Văn bản đã ban hành, phân công, kiểm tra, đôn đốc của cấp ủy.",
            ),
            Section(
                "results",
                "Kết quả thực hiện",
                figures="results",
                hint="Nhận xét chung; các số liệu và bảng kết quả do cổng thông tin tính và đặt sau đoạn này.",
            ),
            Section(
                "pledges",
                "Thực hiện đăng ký giúp đỡ và kết quả giảm nghèo",
                figures="pledges",
                hint="Nhận xét về việc thực hiện đăng ký; bảng tổng hợp do cổng thông tin tính.",
            ),
        ),
    ),
    Part(
        "ĐÁNH GIÁ CHUNG",
        (
            Section("strengths", "Ưu điểm", figures="commend", hint="Kèm bảng đơn vị có kết quả tốt."),
            Section("weaknesses", "Hạn chế", figures="remind", hint="Kèm bảng đơn vị chậm thực hiện đăng ký."),
            Section("causes", "Nguyên nhân", hint="Nguyên nhân khách quan và chủ quan của ưu điểm, hạn chế."),
            Section("lessons", "Bài học kinh nghiệm"),
        ),
    ),
    Part("PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", (Section("directions", ""),)),
    Part("KIẾN NGHỊ, ĐỀ XUẤT", (Section("proposals", ""),)),
)

SECTION_KEYS: tuple[str, ...] = tuple(section.key for part in OUTLINE for section in part.sections)


def clean_sections(data: dict[str, object]) -> dict[str, str]:
    """Only the outline's sections, as text without trailing blanks (unknown keys are dropped)."""
    return {key: str(data.get(key) or "").strip() for key in SECTION_KEYS}


def paragraphs(text: str) -> list[str]:
    """Typed text as the document's paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


ROMAN = ("I", "II", "III", "IV", "V", "VI")


def document_parts(sections: dict[str, str], figures_shown: set[str]) -> list[dict[str, object]]:
    """The parts and sections the document prints, numbered as printed ("I.", "1."): a section with neither
    typed text nor figures of its own is left out, and so is a part left empty."""
    parts: list[dict[str, object]] = []
    for part in OUTLINE:
        shown = [
            {
                "key": s.key,
                "heading": s.heading,
                "paragraphs": paragraphs(sections.get(s.key, "")),
                "figures": s.figures,
            }
            for s in part.sections
            if paragraphs(sections.get(s.key, "")) or s.figures in figures_shown
        ]
        if not shown:
            continue
        numbered = [s for s in shown if s["heading"]]
        for n, section in enumerate(numbered, start=1):
            section["heading"] = f"{n}. {section['heading']}" if len(numbered) > 1 else section["heading"]
        parts.append({"heading": f"{ROMAN[len(parts)]}. {part.heading}", "sections": shown})
    return parts
