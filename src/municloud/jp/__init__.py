"""Japanese text utilities (日本語処理): era dates, kana, public codes, names, addresses.

Imports only the standard library, jntajis, and municloud.errors.  Stored values
(names, addresses) are never normalised here; search keys are derived separately.

* :mod:`.wareki` — 和暦 parse/format with exact era boundaries.
* :mod:`.kana` — フリガナ validation and kana search keys.
* :mod:`.codes` — 団体コード, 個人番号, 住民票コード check digits; 郵便番号.
* :mod:`.chars` — IVS handling and name search keys (MJ 縮退 via jntajis).
* :mod:`.address` — address search keys.
"""

from municloud.jp.address import address_search_key, normalize_hyphens
from municloud.jp.chars import (
    has_ivs,
    has_variation_selector,
    is_moji_joho_ivs,
    iter_ivs,
    ivs_collection,
    name_search_key,
    strip_variation_selectors,
)
from municloud.jp.codes import (
    format_postal_code,
    generate_juminhyo_code,
    generate_my_number,
    juminhyo_code_check_digit,
    local_government_check_digit,
    local_government_code,
    mask_my_number,
    my_number_check_digit,
    validate_juminhyo_code,
    validate_local_government_code,
    validate_my_number,
    validate_postal_code,
)
from municloud.jp.kana import hiragana_to_katakana, is_kana_query, kana_search_key, to_furigana
from municloud.jp.wareki import (
    ERAS,
    Era,
    format_wareki,
    format_wareki_short,
    parse_date,
    parse_wareki,
    to_wareki,
)

__all__ = [
    "ERAS",
    "Era",
    "address_search_key",
    "format_postal_code",
    "format_wareki",
    "format_wareki_short",
    "generate_juminhyo_code",
    "generate_my_number",
    "has_ivs",
    "has_variation_selector",
    "hiragana_to_katakana",
    "is_kana_query",
    "is_moji_joho_ivs",
    "iter_ivs",
    "ivs_collection",
    "juminhyo_code_check_digit",
    "kana_search_key",
    "local_government_check_digit",
    "local_government_code",
    "mask_my_number",
    "my_number_check_digit",
    "name_search_key",
    "normalize_hyphens",
    "parse_date",
    "parse_wareki",
    "strip_variation_selectors",
    "to_furigana",
    "to_wareki",
    "validate_juminhyo_code",
    "validate_local_government_code",
    "validate_my_number",
    "validate_postal_code",
]
