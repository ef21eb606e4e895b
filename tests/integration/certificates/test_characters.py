"""Names with IVS and rare characters print with their own glyphs in IPAmj明朝 and come back
from ``pdftotext -enc UTF-8`` with exactly the stored code points (never normalised)."""

from __future__ import annotations

from tests.factories import move_in, person, resident
from tests.integration.certificates.helpers import fonts, has, issue, pages, squash

TSUJI_MJ = "辻\U000E0102"  # 辻 + VS19: Moji_Joho, the one-dot しんにょう (MJ025760)
KATSURA_MJ = "葛\U000E0102"  # 葛 + VS19: Moji_Joho (MJ022335)
NAMES = [
    f"{TSUJI_MJ}　太郎",
    f"{TSUJI_MJ}　{KATSURA_MJ}子",
    "\U00020BB7野　一郎",  # 𠮷 (つちよし), outside the BMP
    "髙橋　次郎",  # 髙 (はしごだか) U+9AD9
]


def _family(platform, ctx):
    people = [person(NAMES[0], "ツジ　タロウ", "1950-01-08", "1", "世帯主"),
              person(NAMES[1], "ツジ　カツコ", "1955-03-03", "2", "妻"),
              person(NAMES[2], "ヨシノ　イチロウ", "1990-06-06", "1", "子"),
              person(NAMES[3], "タカハシ　ジロウ", "2019-05-01", "1", "子")]
    return move_in(platform, ctx, people)


def test_ivs_and_rare_names_come_back_from_the_pdf_with_the_same_code_points(platform, mayor, clerk):
    family = _family(platform, clerk)
    assert [resident(platform, clerk, a).shimei for a in family.atena_nos] == NAMES  # stored exactly
    cert = issue(platform, clerk, setai_no=family.setai_nos[0])
    [page] = pages(cert.pdf)

    for name in NAMES:
        assert squash(name) in squash(page), [hex(ord(c)) for c in name]
    assert page.count(TSUJI_MJ) >= 2 and KATSURA_MJ in page and "\U00020BB7" in page and "髙" in page
    # nothing was folded: no bare 辻/葛 without the selector, no 吉 or 高 for 𠮷 and 髙
    assert page.replace(TSUJI_MJ, "").count("辻") == 0 and page.replace(KATSURA_MJ, "").count("葛") == 0
    assert "吉野" not in page and "高橋" not in page


def test_the_selector_picks_its_own_glyph_beside_the_plain_character(platform, mayor, clerk):
    """One font, one PDF, 辻+E0102 and plain 辻: the ToUnicode map can give each back only if
    they are different glyphs (a font lacking the sequence would draw the base glyph for both)."""
    family = move_in(platform, clerk, [person(NAMES[0], "ツジ　タロウ", "1950-01-08", "1", "世帯主"),
                                       person("辻　次郎", "ツジ　ジロウ", "1980-01-01", "1", "子")])
    [page] = pages(issue(platform, clerk, setai_no=family.setai_nos[0]).pdf)
    assert has(page, NAMES[0]) and has(page, "辻　次郎")
    assert squash(page).count("辻次郎") == 1 and squash(page).count(f"{TSUJI_MJ}次郎") == 0


def test_every_font_in_the_certificate_is_ipamj_mincho(platform, mayor, clerk):
    family = _family(platform, clerk)
    cert = issue(platform, clerk, setai_no=family.setai_nos[0], with_history=True,
                 include_head_and_relationship=True)
    names = fonts(cert.pdf)
    assert len(names) == 1 and "IPAmjMincho" in names[0], names  # one font, embedded once (no synthesised bold)
