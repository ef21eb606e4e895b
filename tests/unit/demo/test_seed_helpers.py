"""Demo passwords, mayors and overrides: deterministic and acceptable to the services."""

from __future__ import annotations

from municloud.demo.profiles import PROFILES, overrides_for, profile_for
from municloud.demo.seed import demo_password, mayor_name, residents_at
from municloud.kernel.identity.passwords import check_password_rule
from municloud.kernel.parameters.definitions import Definitions
from municloud.kernel.platform import KERNEL_PARAMETERS
from municloud.modules import registry


def test_demo_passwords_are_deterministic_distinct_and_pass_the_password_rule():
    names = ["operator", "nagai-clerk", "nagai-admin"]
    passwords = [demo_password(20261126, n) for n in names]
    assert passwords == [demo_password(20261126, n) for n in names]
    assert len(set(passwords)) == 3 and demo_password(1, "operator") != passwords[0]
    for name, password in zip(names, passwords, strict=True):
        check_password_rule(name, password)


def test_mayors_are_fictional_faker_names_fixed_by_the_seed():
    nagai = profile_for("062090")
    assert mayor_name(nagai, 5) == mayor_name(nagai, 5)
    assert "\u3000" in mayor_name(nagai, 5)


def test_every_override_is_a_defined_parameter_with_a_valid_value_and_a_reason():
    definitions = Definitions()
    definitions.load_dir(KERNEL_PARAMETERS)
    definitions.load_dir(registry.PARAMETERS_DIR)
    for profile in PROFILES:
        for override in overrides_for(profile, "山田\u3000太郎"):
            definitions.get(override.key).check(override.value)
            assert override.reason.strip()
    keys = {o.key: o.value for o in overrides_for(profile_for("341002"), "x")}
    assert keys["tenant.designated_city"] is True and keys["registry.address.notation"] == "通称"


def test_scale_multiplies_every_municipality():
    assert [residents_at(p, 1.0) for p in PROFILES] == [1_800, 28_000, 50_000]
    assert residents_at(profile_for("341002"), 20) == 1_000_000
    assert residents_at(profile_for("263648"), 0.0001) == 1
