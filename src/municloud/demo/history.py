"""A little history on top of the bulk load: real notifications and one 支援措置.

After the load every resident has one history row (職権記載).  A clerk then registers,
through ``register_notification`` as at the counter, a 転居 of a whole household, a 出生,
a 死亡 and a 転出 (予定), and a supervisor starts one 支援措置 — so the demo shows
histories with several 履歴番号, a 除票, a household that changed, and a protected person.
Residents are found the way a clerk would, by 住民票コード search (which is audited).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from municloud.demo.generator import HouseholdGenerator
from municloud.demo.profiles import TenantProfile
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.modules.registry.schemas import (
    AddressIn,
    PersonIn,
    Shibou,
    Shussei,
    SupportMeasureIn,
    Tenkyo,
    Tenshutsu,
)
from municloud.modules.registry.services.notifications import register_notification
from municloud.modules.registry.services.queries import SearchQuery, search_residents
from municloud.modules.registry.services.support import period_end, start_support_measure

Household = list[dict]


def _age(member: dict, on: date) -> int:
    born = member["birth_date"]
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class HistoryMaker:
    def __init__(self, platform, profile: TenantProfile, ctx: Context, households: list[Household], seed: int) -> None:
        self.platform, self.profile, self.ctx = platform, profile, ctx
        self.households = households
        self.used: set[int] = set()
        self.today = today_jst()
        self.gen = HouseholdGenerator(profile, seed + 1)  # new addresses and names, deterministic
        self.done: list[str] = []

    def run(self) -> list[str]:
        self.tenkyo()
        self.shussei()
        self.shibou()
        self.tenshutsu()
        self.support()
        return self.done

    # --- helpers -----------------------------------------------------------------------

    def pick(self, wanted: Callable[[Household], bool]) -> tuple[int, Household] | None:
        for i, members in enumerate(self.households):
            if i not in self.used and wanted(members):
                self.used.add(i)
                return i, members
        return None

    def atena(self, member: dict) -> tuple[str, str]:
        """(宛名番号, 世帯番号) of a generated member, found by 住民票コード."""
        uow = self.platform.uow(self.profile.code)
        (hit,) = search_residents(uow, self.ctx, SearchQuery(juminhyo_code=member["juminhyo_code"])).rows
        return hit.atena_no, hit.setai_no

    def day(self, days_ago: int) -> str:
        return (self.today - timedelta(days=days_ago)).isoformat()

    def register(self, notification) -> None:
        result = register_notification(self.platform.uow(self.profile.code), self.ctx, notification)
        self.done.append(f"{result.ido_jiyu}（異動番号 {result.notification_id}・宛名番号 {'・'.join(result.atena_nos)}）")

    # --- the notifications ---------------------------------------------------------------

    def tenkyo(self) -> None:
        """A whole household moves to another address in the municipality (転居)."""
        found = self.pick(lambda h: len(h) >= 2)
        if found is None:
            return
        home = self.gen.address()
        address = AddressIn(address=home["address"], katagaki=home["katagaki"], postal_code=home["postal_code"],
                            attributes=dict(home["attributes"]))
        atena_nos = [self.atena(m)[0] for m in found[1]]
        self.register(Tenkyo(kind="tenkyo", ido_date=self.day(40), todoke_date=self.day(38), atena_nos=atena_nos,
                             address=address))

    def shussei(self) -> None:
        """A child is born to a couple with a wife of 22–42 (出生)."""
        found = self.pick(lambda h: len(h) >= 2 and h[1]["zokugara"] == "妻" and h[1]["resident_kind"] == "日本人"
                          and 22 <= _age(h[1], self.today) <= 42)
        if found is None:
            return
        head = found[1][0]
        _atena, setai_no = self.atena(head)
        born = self.today - timedelta(days=21)
        sex = "2" if self.gen.random() < 0.5 else "1"
        given = self.gen.given(sex, born.toordinal())
        surname, surname_kana = head["shimei"].split("\u3000")[0], head["shimei_kana"].split("\u3000")[0]
        child = PersonIn(shimei=f"{surname}\u3000{given[0]}", shimei_kana=f"{surname_kana}\u3000{given[1]}",
                         birth_date=born.isoformat(), sex=sex, zokugara="子", resident_kind="日本人")
        self.register(Shussei(kind="shussei", ido_date=born.isoformat(), todoke_date=self.day(14), setai_no=setai_no,
                              person=child))

    def shibou(self) -> None:
        """An elderly 父 or 母 living with the family dies (死亡; the household keeps its head)."""
        found = self.pick(lambda h: any(m["zokugara"] in ("父", "母") for m in h))
        if found is None:
            return
        member = next(m for m in found[1] if m["zokugara"] in ("父", "母"))
        self.register(Shibou(kind="shibou", ido_date=self.day(10), todoke_date=self.day(9),
                             atena_no=self.atena(member)[0]))

    def tenshutsu(self) -> None:
        """A young person living alone moves to Tokyo (転出予定, planned for next week)."""
        found = self.pick(lambda h: len(h) == 1 and 18 <= _age(h[0], self.today) <= 40)
        if found is None:
            return
        self.register(Tenshutsu(kind="tenshutsu", stage="yotei", ido_date=self.day(-7), todoke_date=self.day(3),
                                atena_nos=[self.atena(found[1][0])[0]], destination="東京都新宿区西新宿二丁目8番1号"))

    def support(self) -> None:
        """A 支援措置 (DV) for a woman of 25–55 (third-party requests about her are refused)."""
        found = self.pick(lambda h: any(m["sex"] == "2" and 25 <= _age(m, self.today) <= 55 for m in h))
        if found is None:
            return
        member = next(m for m in found[1] if m["sex"] == "2" and 25 <= _age(m, self.today) <= 55)
        atena_no = self.atena(member)[0]
        applied = date.fromisoformat(self.day(45))
        with self.platform.uow(self.profile.code, read_only=True) as uow:  # the usual period, as a clerk proposes it
            months = uow.params.get("registry.support_measure.period_months", applied)
        data = SupportMeasureIn(stage="本", category="DV", applied_on=applied.isoformat(), start_on=applied.isoformat(),
                                end_on=period_end(applied, months).isoformat(), note="デモ：配偶者からの暴力",
                                consult_agency="デモ警察署 生活安全課", opinion_on=applied.isoformat(),
                                opinion="デモ：配偶者からの暴力があり、支援の必要性があると認める")
        measure = start_support_measure(self.platform.uow(self.profile.code), self.ctx, atena_no, data)
        self.done.append(f"支援措置の開始（措置番号 {measure.measure_id}・宛名番号 {atena_no}・{measure.end_on} まで）")
