"""The 情報セキュリティの心得 cannot change silently: a change of its words needs a new
version (``kernel/security_guide.py`` GUIDE_VERSION), so that every member confirms again.

Markup-only edits (tags, spacing, template comments) keep the version.  When you change the
words: raise GUIDE_VERSION and GUIDE_ISSUED, then add the new version's digest below
(the failure message prints it)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from municloud.kernel.security_guide import GUIDE_VERSION

TEMPLATE = Path(__file__).resolve().parents[3] / "src/municloud/web/templates/guide/security_guide.html"

#: version → SHA-256 of the guide's words (as :func:`words_digest` reads them).
DIGESTS = {
    "1.0": "6dbfb6709387e440b6c1dee470e038a2c598c2b50c7da7d4bace1f99f09556b1",
}


def words_digest(template: str) -> str:
    """The digest of what a reader reads: template comments and tags removed, spaces collapsed."""
    text = re.sub(r"\{#.*?#\}", "", template, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_guide_words_belong_to_the_current_version():
    digest = words_digest(TEMPLATE.read_text(encoding="utf-8"))
    assert GUIDE_VERSION in DIGESTS, f"add {GUIDE_VERSION!r}: {digest!r} to DIGESTS"
    assert DIGESTS[GUIDE_VERSION] == digest, (
        f"the guide's words changed: raise GUIDE_VERSION (everyone confirms again) and add its digest {digest!r}"
    )


def test_markup_changes_keep_the_digest():
    assert words_digest('<p class="a">心得 {# note #}</p>') == words_digest("<li>\n心得\n</li>")
    assert words_digest("<p>心得</p>") != words_digest("<p>心得を改定</p>")
