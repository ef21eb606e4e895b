"""The three demo municipalities, modelled on those in the 2010 council's minutes.

* 笠置町 (京都府, 263648): 原田委員 (京都府) described one shared system "from a city of
  200,000 to a town of 1,800" — 笠置町 is Kyoto prefecture's town of about that size.
* 長井市 (山形県, 062090): 遠藤委員's city, "under 30,000", 大字 address notation with the
  elementary-school district (校区) recorded beside the address (山戸委員: 校区・自治区).
* 広島市 (341002): 豊田委員's designated city (政令指定都市) with eight wards and 住居表示
  addresses (通称 notation); a modest 50,000 at ``--scale 1`` so the demo loads in seconds.

``scale`` multiplies all three (``--scale 20`` makes 広島市 about 1,000,000).  Districts,
their shares and 郵便番号 follow each municipality's real geography and postal ranges but
were not checked one by one against the Japan Post list; 校区 assignments are illustrative.
Household sizes and the elderly shares are set so that residents aged 65+ come out near
41% (笠置町), 31% (長井市) and 28% (広島市) — close to the real towns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from municloud.errors import NotFoundError


@dataclass(frozen=True)
class District:
    """An area of the municipality addresses are drawn from."""

    name: str  # 大字・町名 (e.g. 成田, 本町), prefixed by its ward in a designated city
    postal_code: str
    weight: float  # share of households
    form: str = "ban"  # "oaza" 大字○○123番地 · "ban" ○○12番3号 · "chome" ○○二丁目4番5号
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. {"校区": "長井小学校区"}
    max_chome: int = 4


@dataclass(frozen=True)
class Override:
    key: str
    effective_from: date
    value: object
    reason: str


@dataclass(frozen=True)
class TenantProfile:
    """What the generator needs to make a believable population for one municipality."""

    code: str
    name: str
    kind: str  # 町 / 市 / 指定都市
    slug: str  # ASCII, for demo user names
    prefix: str  # address up to the municipality (都道府県 + 郡 + 市町村)
    base_residents: int  # residents at scale 1.0
    districts: tuple[District, ...]
    household_sizes: tuple[float, ...]  # weights of sizes 1..6
    single_elderly: float  # share of one-person households aged 65+
    couple_elderly: float  # share of two-person households that are elderly couples
    foreign_households: float  # share of households of foreign residents
    katagaki_share: float  # share of households with a 方書 (apartment)
    mayor_title: str = ""
    surname_boost: tuple[str, ...] = ()  # regionally common surnames (weight ×3)


_APR_2000 = date(2000, 4, 1)

KASAGI = TenantProfile(
    code="263648", name="笠置町", kind="町", slug="kasagi", prefix="京都府相楽郡笠置町",
    base_residents=1_800,
    districts=(
        District("笠置", "6191303", 55, "oaza"),
        District("有市", "6191301", 20, "oaza"),
        District("飛鳥路", "6191302", 13, "oaza"),
        District("切山", "6191304", 12, "oaza"),
    ),
    household_sizes=(30, 36, 15, 10, 5, 4), single_elderly=0.85, couple_elderly=0.85,
    foreign_households=0.012, katagaki_share=0.02, mayor_title="笠置町長",
    surname_boost=("田中", "山本", "中村", "吉田", "西村", "奥田", "辻本"),
)

NAGAI = TenantProfile(
    code="062090", name="長井市", kind="市", slug="nagai", prefix="山形県長井市",
    base_residents=28_000,
    districts=(
        District("本町", "9930011", 9, "chome", {"校区": "長井小学校区"}, 2),
        District("栄町", "9930012", 8, "ban", {"校区": "長井小学校区"}),
        District("館町北", "9930014", 7, "ban", {"校区": "長井小学校区"}),
        District("館町南", "9930015", 6, "ban", {"校区": "長井小学校区"}),
        District("高野町", "9930003", 6, "chome", {"校区": "長井小学校区"}, 2),
        District("小出", "9930016", 8, "oaza", {"校区": "致芳小学校区"}),
        District("九野本", "9930061", 7, "oaza", {"校区": "致芳小学校区"}),
        District("草岡", "9930062", 5, "oaza", {"校区": "致芳小学校区"}),
        District("成田", "9930051", 8, "oaza", {"校区": "西根小学校区"}),
        District("五十川", "9930031", 5, "oaza", {"校区": "西根小学校区"}),
        District("平山", "9930052", 5, "oaza", {"校区": "平野小学校区"}),
        District("寺泉", "9930053", 5, "oaza", {"校区": "平野小学校区"}),
        District("今泉", "9930041", 6, "oaza", {"校区": "豊田小学校区"}),
        District("時庭", "9930042", 5, "oaza", {"校区": "豊田小学校区"}),
        District("伊佐沢", "9930071", 6, "oaza", {"校区": "伊佐沢小学校区"}),
    ),
    household_sizes=(28, 30, 18, 13, 6.5, 4.5), single_elderly=0.72, couple_elderly=0.72,
    foreign_households=0.015, katagaki_share=0.1, mayor_title="長井市長",
    surname_boost=("佐藤", "鈴木", "高橋", "斎藤", "伊藤", "遠藤", "五十嵐", "梅津", "今野", "菅野",
                   "渡部", "大沼", "奥山", "安達"),
)

HIROSHIMA = TenantProfile(
    code="341002", name="広島市", kind="指定都市", slug="hiroshima", prefix="広島県広島市",
    base_residents=50_000,
    districts=(
        District("中区基町", "7300011", 2.5, "ban"), District("中区大手町", "7300051", 2.5, "chome", max_chome=5),
        District("中区八丁堀", "7300013", 2, "ban"), District("中区千田町", "7300052", 3, "chome", max_chome=3),
        District("中区幟町", "7300016", 2, "ban"), District("中区吉島町", "7300822", 2, "ban"),
        District("東区光町", "7320052", 4, "chome", max_chome=2), District("東区牛田本町", "7320066", 4, "chome", max_chome=6),
        District("東区戸坂", "7320001", 4, "ban"),
        District("南区皆実町", "7340007", 5, "chome", max_chome=6), District("南区宇品東", "7340003", 5, "chome", max_chome=7),
        District("南区段原", "7320818", 4, "chome", max_chome=3),
        District("西区横川町", "7330011", 4, "chome", max_chome=3), District("西区己斐本町", "7330003", 5, "chome", max_chome=3),
        District("西区庚午北", "7330822", 5, "chome", max_chome=4), District("西区井口", "7330842", 5, "chome", max_chome=5),
        District("安佐南区祇園", "7310138", 6, "chome", max_chome=3), District("安佐南区緑井", "7310103", 6, "chome", max_chome=8),
        District("安佐南区古市", "7310123", 6, "chome", max_chome=4), District("安佐南区八木", "7310101", 5, "chome", max_chome=9),
        District("安佐北区可部", "7310221", 7, "chome", max_chome=6), District("安佐北区亀山", "7310231", 6, "chome", max_chome=9),
        District("安芸区船越", "7360081", 4, "chome", max_chome=6), District("安芸区矢野西", "7360085", 4, "chome", max_chome=7),
        District("佐伯区五日市", "7315127", 7, "chome", max_chome=9), District("佐伯区楽々園", "7315136", 6, "chome", max_chome=6),
    ),
    household_sizes=(40, 27, 16, 12.5, 3.3, 1.2), single_elderly=0.45, couple_elderly=0.6,
    foreign_households=0.022, katagaki_share=0.45, mayor_title="広島市長",
    surname_boost=("山本", "藤井", "田中", "村上", "岡田", "中村", "河野", "沖田", "国重", "三宅", "檜山"),
)

PROFILES: tuple[TenantProfile, ...] = (KASAGI, NAGAI, HIROSHIMA)

#: 広島市's eight wards (地方自治法第252条の20), as its districts' names begin.
HIROSHIMA_WARDS = ("中区", "東区", "南区", "西区", "安佐南区", "安佐北区", "安芸区", "佐伯区")


def attribute_areas(profile: TenantProfile) -> dict[str, dict[str, str]]:
    """町字 → 付加情報 (e.g. 長井市's 校区) from the profile's districts: the demo tenant's
    ``registry.address.attribute_areas``, so a 転入・転居 records the 校区 of its address."""
    return {d.name: dict(d.attributes) for d in profile.districts if d.attributes}


def profile_for(code: str) -> TenantProfile:
    """The demo profile of 団体コード *code* (263648, 062090 or 341002)."""
    for profile in PROFILES:
        if profile.code == code:
            return profile
    raise NotFoundError(
        "DEMO_PROFILE_NOT_FOUND",
        f"団体コード {code} のデモ用プロファイルはありません（{', '.join(p.code for p in PROFILES)}）",
    )


def overrides_for(profile: TenantProfile, mayor_name: str) -> tuple[Override, ...]:
    """Parameter overrides that make each demo tenant differ as real ones do (R12, R13)."""
    common = (
        Override("tenant.mayor.title", _APR_2000, profile.mayor_title, f"認証文の職名を{profile.mayor_title}とする（デモ）"),
        Override("tenant.mayor.name", date(2023, 4, 30), mayor_name, "首長選挙の結果による（架空の氏名・デモ）"),
    )
    own = {
        "263648": (
            Override("registry.address.notation", _APR_2000, "大字", "町内は住居表示未実施のため大字・地番で表記する"),
            Override("tenant.county", _APR_2000, "相楽郡", "住所は京都府相楽郡笠置町と書く（相楽郡の町）"),
        ),
        "062090": (
            Override("registry.address.notation", _APR_2000, "大字", "市内の大部分が住居表示未実施のため大字で表記する"),
            Override("registry.address.attributes", _APR_2000, ["校区"],
                     "就学事務のため、住所とあわせて小学校の校区を記録する（山戸委員の指摘した団体独自項目）"),
            Override("registry.address.attribute_areas", _APR_2000, attribute_areas(NAGAI),
                     "通学区域の規則による町字ごとの小学校区（デモ：住所マスターにも同じ校区がある）"),
            Override("welfare.livelihood_grade", date(2023, 10, 1), 3, "令和5年10月の級地区分の見直しにより3級地"),
        ),
        "341002": (
            Override("tenant.designated_city", _APR_2000, True, "昭和55年4月1日に政令指定都市へ移行（区を置く市）"),
            Override("tenant.wards", _APR_2000, list(HIROSHIMA_WARDS), "区の設置等に関する条例による8区"),
            Override("registry.address.notation", _APR_2000, "通称", "住居表示実施区域が大部分のため住居表示で表記する"),
            Override("welfare.livelihood_grade", date(2023, 10, 1), 1, "令和5年10月の級地区分の見直しにより1級地"),
        ),
    }
    return common + own.get(profile.code, ())
