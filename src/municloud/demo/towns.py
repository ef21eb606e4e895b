"""The demo tenants' 住所マスター (町字) in the ABR 町字 layout, made from their districts.

Every district of a profile (``profiles.py``) becomes a 町字 — one per 丁目 for a district
written with 丁目 (一丁目 … its ``max_chome``) — with the district's 郵便番号 and attributes
(長井市's 校区 as ``attr:校区``), so every address the generator makes lies in the master.
A district written in 大字 notation keeps 大字 in its name (大字小出), as the demo's
addresses write it.  Two dated rows of 長井市 show the master's history (illustrative,
not the real town's): 館町 was divided into 館町北 and 館町南 on 1975-04-01 (住居表示), and
the 町字 now called 栄町 was 新栄町 until then.

The files are shipped in ``demo/data/towns-{団体コード}.csv`` (an operator's example of
the layout); ``python -m municloud.demo.towns`` writes them again, and a test checks that
they are what this module makes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from municloud.demo.generator import KANJI_DIGITS
from municloud.demo.profiles import HIROSHIMA_WARDS, PROFILES, District, TenantProfile

DATA = Path(__file__).parent / "data"
COLUMNS = ("lg_code", "machiaza_id", "machiaza_type", "pref", "city", "ward", "ward_kana", "oaza_cho",
           "oaza_cho_kana", "chome", "chome_kana", "chome_number", "efct_date", "ablt_date", "post_code")

KANA = {
    "笠置": "カサギ", "有市": "アルイチ", "飛鳥路": "アスカジ", "切山": "キリヤマ",
    "本町": "ホンチョウ", "栄町": "サカエマチ", "館町北": "タテマチキタ", "館町南": "タテマチミナミ",
    "高野町": "タカノマチ", "小出": "コイデ", "九野本": "クノモト", "草岡": "クサオカ", "成田": "ナリタ",
    "五十川": "イカガワ", "平山": "ヒラヤマ", "寺泉": "テライズミ", "今泉": "イマイズミ", "時庭": "トキニワ",
    "伊佐沢": "イサザワ",
    "中区": "ナカク", "東区": "ヒガシク", "南区": "ミナミク", "西区": "ニシク", "安佐南区": "アサミナミク",
    "安佐北区": "アサキタク", "安芸区": "アキク", "佐伯区": "サエキク",
    "基町": "モトマチ", "大手町": "オオテマチ", "八丁堀": "ハッチョウボリ", "千田町": "センダマチ", "幟町": "ノボリチョウ",
    "吉島町": "ヨシジマチョウ", "光町": "ヒカリマチ", "牛田本町": "ウシタホンマチ", "戸坂": "ヘサカ", "皆実町": "ミナミマチ",
    "宇品東": "ウジナヒガシ", "段原": "ダンバラ", "横川町": "ヨコガワチョウ", "己斐本町": "コイホンマチ",
    "庚午北": "コウゴキタ", "井口": "イノクチ", "祇園": "ギオン", "緑井": "ミドリイ", "古市": "フルイチ", "八木": "ヤギ",
    "可部": "カベ", "亀山": "カメヤマ", "船越": "フナコシ", "矢野西": "ヤノニシ", "五日市": "イツカイチ",
    "楽々園": "ラクラクエン",
}
CHOME_KANA = ("", "イッチョウメ", "ニチョウメ", "サンチョウメ", "ヨンチョウメ", "ゴチョウメ", "ロクチョウメ",
              "ナナチョウメ", "ハッチョウメ", "キュウチョウメ")
RESIDENTIAL_ADDRESSING = "1975-04-01"  # 長井市's (illustrative) 住居表示 of 館町 and 栄町


def _split(profile: TenantProfile, d: District) -> tuple[str, str]:
    ward = next((w for w in HIROSHIMA_WARDS if d.name.startswith(w)), "") if profile.code == "341002" else ""
    return ward, d.name[len(ward):]


def rows(profile: TenantProfile) -> list[dict[str, str]]:
    """The profile's 町字 as rows of the file (attribute columns ``attr:…`` included)."""
    pref, city = profile.prefix[:3] if profile.prefix[2] in "都道府県" else profile.prefix[:4], profile.name
    out: list[dict[str, str]] = []
    for number, d in enumerate(profile.districts, start=1):
        ward, town = _split(profile, d)
        name = f"大字{town}" if d.form == "oaza" else town
        base = {"lg_code": profile.code, "pref": pref, "city": city, "ward": ward,
                "ward_kana": KANA.get(ward, "") if ward else "", "oaza_cho": name, "oaza_cho_kana": KANA[town],
                "post_code": d.postal_code, **{f"attr:{k}": v for k, v in d.attributes.items()}}
        chomes = range(1, d.max_chome + 1) if d.form == "chome" else [0]
        for chome in chomes:
            row = {**base, "machiaza_id": f"{number:04d}{chome:03d}", "machiaza_type": "2" if chome else "1",
                   "chome": f"{KANJI_DIGITS[chome]}丁目" if chome else "", "chome_kana": CHOME_KANA[chome],
                   "chome_number": f"{chome:02d}" if chome else ""}
            if profile.code == "062090" and town in ("館町北", "館町南", "栄町"):
                row["efct_date"] = RESIDENTIAL_ADDRESSING
            out.append(row)
        if profile.code == "062090" and town == "栄町":  # the same 町字ID before its rename
            out.append({**base, "machiaza_id": f"{number:04d}000", "machiaza_type": "1", "oaza_cho": "新栄町",
                        "oaza_cho_kana": "シンサカエマチ", "ablt_date": RESIDENTIAL_ADDRESSING})
    if profile.code == "062090":  # 館町, divided into 館町北 and 館町南
        attributes = {f"attr:{k}": v for k, v in profile.districts[2].attributes.items()}
        out.append({"lg_code": profile.code, "pref": pref, "city": city, "machiaza_id": "9001000",
                    "machiaza_type": "1", "oaza_cho": "館町", "oaza_cho_kana": "タテマチ",
                    "ablt_date": RESIDENTIAL_ADDRESSING, "post_code": "9930014", **attributes})
    return out


def town_csv(profile: TenantProfile) -> str:
    """The profile's 住所マスター as the text of a CSV file in the ABR 町字 layout."""
    data = rows(profile)
    attributes = sorted({k for r in data for k in r if k.startswith("attr:")})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *attributes], restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(data)
    return out.getvalue()


def town_file(profile: TenantProfile) -> Path:
    return DATA / f"towns-{profile.code}.csv"


if __name__ == "__main__":
    DATA.mkdir(exist_ok=True)
    for p in PROFILES:
        town_file(p).write_text(town_csv(p), encoding="utf-8")
        print(town_file(p))
