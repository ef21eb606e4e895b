from tests.factories import family
from tests.integration.screens.test_notification_screens import open_form, send


def test_dump(signed_in, platform, clerk, nagai):
    b = signed_in(nagai, "registry_clerk")
    home = family(platform, clerk)
    for kind in ("tennyu", "tenkyo", "tenshutsu", "shussei", "shibou", "setai_henko", "shimei_henko", "shokken_shusei", "torikeshi"):
        page = open_form(b, nagai, kind, atena_no=home.atena_nos[0]) if kind != "tennyu" else open_form(b, nagai, kind)
        open(f"/tmp/nf_{kind}.html", "w").write(page)
    page = open_form(b, nagai, "tennyu")
    r = send(b, nagai, "tennyu", page, {"persons.0.shimei_kana": "山田", "ido_date": "昭和64年1月8日"})
    open("/tmp/nf_err.html", "w").write(r.text)
    r = send(b, nagai, "tenkyo", open_form(b, nagai, "tenkyo", atena_no=home.atena_nos[1]), {"ido_date": "R8.1.1", "address.address": "x"})
    open("/tmp/nf_confirm.html", "w").write(r.text)
    open("/tmp/nf_menu.html", "w").write(b.get(f"/t/{nagai}/notifications/new", params={"atena_no": home.atena_nos[0]}).text)
