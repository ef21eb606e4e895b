"""Foreign residents (外国人住民) for the generator: households and spouses of Japanese.

A foreign resident's 住民票 has no 本籍・筆頭者 but 国籍・地域, 在留資格, 在留期間 and its
end, and the 在留カード番号 (特別永住者: 特別永住者証明書の番号, same format); a 通称 may be
recorded (most often by 特別永住者, and by spouses of Japanese who use the family name).
Names are written as on the card: Latin capitals surname first, or 漢字 for 中国・韓国.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from municloud.demo import names as N
from municloud.modules.registry.domain import FOREIGN, HEAD

if TYPE_CHECKING:
    from municloud.demo.generator import HouseholdGenerator

CARD_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
KIKAN = {  # 在留資格 → (在留期間, its length in days); None: no limit
    "技能実習": ("1年", 365), "特定技能": ("1年", 365), "留学": ("2年3月", 820),
    "技術・人文知識・国際業務": ("3年", 1095), "家族滞在": ("3年", 1095), "定住者": ("5年", 1826),
    "永住者の配偶者等": ("3年", 1095), "日本人の配偶者等": ("3年", 1095), "永住者": (None, 0),
    "特別永住者": (None, 0),
}
FAMILY_STATUS = {  # head's 在留資格 → that of spouse and children
    "永住者": "永住者の配偶者等", "定住者": "定住者", "技術・人文知識・国際業務": "家族滞在", "特別永住者": "特別永住者",
}
SINGLE_STATUS = (("技能実習", 40), ("特定技能", 20), ("留学", 20), ("技術・人文知識・国際業務", 20))
KEEPS_OWN_SURNAME = ("中国", "韓国", "ベトナム")


def _card(gen: HouseholdGenerator) -> str:
    rng = gen.rng
    return (rng.choice(CARD_LETTERS) + rng.choice(CARD_LETTERS) + f"{rng.randrange(10**8):08d}"
            + rng.choice(CARD_LETTERS) + rng.choice(CARD_LETTERS))


def _name(surname: N.Pair, given: N.Pair, latin: bool) -> tuple[str, str]:
    return (f"{surname[0]} {given[0]}" if latin else f"{surname[0]}\u3000{given[0]}", f"{surname[1]}\u3000{given[1]}")


def _status_items(gen: HouseholdGenerator, status: str) -> dict:
    kikan, days = KIKAN[status]
    items = {"zairyu_shikaku": status, "zairyu_card_no": _card(gen)}
    if kikan:
        items["zairyu_kikan"] = kikan
        items["zairyu_kikan_end"] = date.fromordinal(gen.ref + gen.rng.randrange(30, days))
    return items


def _member(gen: HouseholdGenerator, nation: str, name: tuple[str, str], sex: str, birth: int, zokugara: str,
            home: dict, since: int, status: str, tsusho: tuple[str, str] | None = None) -> dict:
    became = max(birth, since)
    row = {
        "resident_kind": FOREIGN, "zokugara": zokugara, "sex": sex, "shimei": name[0], "shimei_kana": name[1],
        "birth_date": date.fromordinal(birth), "juminhyo_code": gen.jumin.next(), "my_number": gen.mynumber.next(),
        "address": home["address"], "postal_code": home["postal_code"], "address_attributes": dict(home["attributes"]),
        "became_resident_on": date.fromordinal(became), "address_fixed_on": date.fromordinal(became),
        "nationality": nation, **_status_items(gen, status),
    }
    if home["katagaki"]:
        row["katagaki"] = home["katagaki"]
    if became > birth:
        row["previous_address"] = nation  # 国外からの転入: 転入前住所 is the country
    if tsusho:
        row["tsusho"], row["tsusho_kana"] = tsusho
    return row


def foreign_household(gen: HouseholdGenerator) -> list[dict]:
    """A household of foreign residents of one nationality: a single worker or student,
    a couple, or a family; 韓国 households are often 特別永住者 with 通称."""
    rng = gen.rng
    nation, (_w, surnames, males, females, latin) = gen.nations.pick(rng)
    home = gen.address()
    r = rng.random()
    special = nation == "韓国" and rng.random() < 0.5
    if r < 0.55 and not special:
        status = rng.choices([s for s, _ in SINGLE_STATUS], [w for _, w in SINGLE_STATUS])[0]
        sex = rng.choice("12")
        birth = gen.birth(rng.randint(19, 34))
        name = _name(rng.choice(surnames), rng.choice(males if sex == "1" else females), latin)
        since = gen.ref - rng.randrange(30, 3 * 365)
        return [_member(gen, nation, name, sex, birth, HEAD, home, since, status)]
    if special:
        status = "特別永住者"
    else:
        status = rng.choices(("永住者", "定住者", "技術・人文知識・国際業務"), (40, 20, 40))[0]
    head_age = rng.randint(55, 90) if special else rng.randint(26, 55)
    head_birth = gen.birth(head_age)
    wife_birth = gen.birth(max(18, head_age + rng.randint(-6, 2)))
    since = head_birth if special else rng.randint(min(head_birth + 7000, gen.ref - 30), gen.ref - 30)
    family = rng.choice(surnames)
    wife_surname = rng.choice(surnames) if nation in KEEPS_OWN_SURNAME else family
    tsusho_family = rng.choice(N.TSUSHO_SURNAMES) if (special and rng.random() < 0.7) or rng.random() < 0.1 else None

    def tsusho(sex: str, birth: int) -> tuple[str, str] | None:
        if tsusho_family is None:
            return None
        g = gen.given(sex, birth)
        return f"{tsusho_family[0]}\u3000{g[0]}", f"{tsusho_family[1]}\u3000{g[1]}"

    family_status = FAMILY_STATUS[status]
    members = [
        _member(gen, nation, _name(family, rng.choice(males), latin), "1", head_birth, HEAD, home, since, status,
                tsusho("1", head_birth)),
        _member(gen, nation, _name(wife_surname, rng.choice(females), latin), "2", wife_birth, "妻", home, since,
                family_status, tsusho("2", wife_birth)),
    ]
    if r < 0.7 and not special:
        return members
    mother_age = (gen.ref - wife_birth) // 365
    for _ in range(rng.randint(1, 3)):
        sex = rng.choice("12")
        birth = gen.birth(rng.randint(max(0, mother_age - 42), max(0, mother_age - 20)))
        name = _name(family, rng.choice(males if sex == "1" else females), latin)
        members.append(_member(gen, nation, name, sex, birth, "子", home, since, family_status, tsusho(sex, birth)))
    return members


def foreign_spouse(gen: HouseholdGenerator, family: N.Pair, birth: int, home: dict, since: int, fixed: int) -> dict:
    """The foreign wife of a Japanese head (日本人の配偶者等), using the family name as 通称."""
    rng = gen.rng
    nation, (_w, surnames, _males, females, latin) = gen.nations.pick(rng)
    given = rng.choice(females)
    tsusho_given = given[1] if latin else given[0]
    row = _member(gen, nation, _name(rng.choice(surnames), given, latin), "2", birth, "妻", home, since,
                  "日本人の配偶者等", (f"{family[0]}\u3000{tsusho_given}", f"{family[1]}\u3000{given[1]}"))
    row["address_fixed_on"] = date.fromordinal(max(row["became_resident_on"].toordinal(), fixed))
    return row
