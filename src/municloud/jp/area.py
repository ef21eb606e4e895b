"""Whether an address lies inside a municipality (区域内の住所) — pure, no database.

A 住所 is written from the 都道府県 down::

    山形県長井市栄町2番3号            a city (市)
    山形県長井市大字成田123番地         the same city in 大字 notation
    京都府相楽郡笠置町大字笠置45番地     a town in a 郡 (郡 + 町村名)
    広島県広島市中区基町12番3号         a designated city (指定都市) and one of its wards

:class:`Area` holds one municipality's names and reads an address as entered (the stored
value is never changed) by these rules, in order:

1. white space is ignored (half- and full-width spaces, as clerks type them);
2. the 都道府県 may be written or left out; when written it must be the municipality's own
   (the 都道府県 is the first two digits of the 全国地方公共団体コード, JIS X 0401);
3. a 郡 may be written or left out; when written it must be the municipality's own
   (地方自治法第259条: towns and villages lie in a 郡; cities never do);
4. the municipality's name (市区町村名) must follow — a 特別区 such as 千代田区 is one;
5. a designated city (地方自治法第252条の19) that lists its wards (第252条の20) needs one
   of them right after the city's name: "広島市中区…" is inside, "広島市基町…" is not a
   complete address of that city.

What follows is the :meth:`Area.locality` (町字・番地), used e.g. to look up a 町字's
school district (校区) from ``registry.address.attribute_areas`` or the address master
(住所マスター, ``registry.towns.matching``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PREFECTURES", "Area", "prefecture_of"]

#: 都道府県 in the order of their JIS X 0401 codes (01 北海道 … 47 沖縄県).
PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)


def prefecture_of(local_government_code: str) -> str | None:
    """The 都道府県 of a 全国地方公共団体コード: its first two digits are the JIS X 0401 code
    (062090 長井市 → 06 山形県; 263648 笠置町 → 26 京都府).  None when they are not one
    (01–47), as in the test suite's made-up codes."""
    head = local_government_code[:2]
    number = int(head) if head.isdigit() else 0
    return PREFECTURES[number - 1] if 1 <= number <= len(PREFECTURES) else None


def _compact(text: str) -> str:
    return "".join(text.split())


@dataclass(frozen=True)
class Area:
    """One municipality's names: 都道府県, 郡 (or ""), 市区町村名 and, for a designated
    city, its wards (empty: the city's name is enough)."""

    prefecture: str
    municipality: str
    county: str = ""
    wards: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """How the municipality is written in full: 京都府相楽郡笠置町, 山形県長井市."""
        return f"{self.prefecture}{self.county}{self.municipality}"

    def locality(self, address: str) -> str | None:
        """The part of *address* after the municipality's name (for a designated city with
        wards listed, after the ward: "基町12番3号" with the ward kept in front, "中区基町
        12番3号"), white space removed — or None when the address is not inside."""
        rest = _compact(address)
        if self.prefecture and rest.startswith(self.prefecture):
            rest = rest[len(self.prefecture):]
        if self.county and rest.startswith(self.county):
            rest = rest[len(self.county):]
        if not rest.startswith(self.municipality):
            return None
        rest = rest[len(self.municipality):]
        if self.wards and not any(rest.startswith(ward) for ward in self.wards):
            return None
        return rest

    def contains(self, address: str) -> bool:
        """Whether *address* is inside the municipality (rules in the module's doc)."""
        return self.locality(address) is not None
