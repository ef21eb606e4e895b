"""住所マスター（町字）: the tenant's dated list of 町字 (大字・丁目・小字) with their 郵便番号
and the tenant's own attributes (校区・自治区・投票区 …).

* :mod:`.layout` reads a CSV in the アドレス・ベース・レジストリ (ABR) 町字マスター layout
  (every problem with its line, nothing half-read);
* :mod:`.matching` finds the 町字 of an address on a day (pure);
* :mod:`.orm` is the table; the use cases are in ``registry.services.towns``.

How to load and use it: ``docs/address-master.md``.
"""
