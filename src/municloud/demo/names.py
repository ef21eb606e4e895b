"""Name pools for synthetic residents: Faker ja_JP's data, widened, plus 旧字 and IVS forms.

Faker's ja_JP person provider has 50 surnames with their real frequencies and ~50 given
names, all with フリガナ.  That is the core of the pools (read once from the provider class,
never by calling Faker per person: picking from precomputed tuples with ``random.Random``
is ~50× faster).  With only 50 × 50 names a city of a million would have hundreds of people
per full name, so the pools add a long tail of common surnames and given names by
generation (a 1940s 和子 and a 2010s 陽葵 do not share a pool).

旧字 and IVS surnames are the ones registries really hold and that search must fold
(髙橋 → 高橋 by MJ 縮退, 辻 + U+E0102 → 辻): every IVS here is a Moji_Joho sequence
(``tests/unit/demo`` checks it with ``jp.chars.ivs_collection``).
"""

from __future__ import annotations

from faker.providers.person.ja_JP import Provider as _FakerJa

Pair = tuple[str, str]  # (name as written, フリガナ)

#: Faker's weighted surnames (frequency = weight), as (name, kana) → weight.
FAKER_SURNAMES: dict[Pair, float] = {(k, kana): float(w) for (k, kana, _r), w in _FakerJa.last_name_pairs.items()}
FAKER_MALE: tuple[Pair, ...] = tuple((k, kana) for k, kana, _r in _FakerJa.first_name_male_pairs)
FAKER_FEMALE: tuple[Pair, ...] = tuple((k, kana) for k, kana, _r in _FakerJa.first_name_female_pairs)


def _pairs(text: str) -> tuple[Pair, ...]:
    """'山田:ヤマダ VAN_NAM:ヴァン_ナム' → (('山田', 'ヤマダ'), ('VAN NAM', 'ヴァン\u3000ナム')).

    ``_`` joins words: a space in the name, U+3000 (全角空白) in the フリガナ.
    """
    out = []
    for item in text.split():
        name, kana = item.split(":")
        out.append((name.replace("_", " "), kana.replace("_", "\u3000")))
    return tuple(out)


#: Long tail of surnames (weight 20,000–50,000 each: below Faker's top 50).
EXTRA_SURNAMES = _pairs(
    "小島:コジマ 新井:アライ 宮崎:ミヤザキ 大野:オオノ 高木:タカギ 桜井:サクライ 工藤:クドウ 菊地:キクチ "
    "原田:ハラダ 武田:タケダ 上田:ウエダ 杉山:スギヤマ 千葉:チバ 村田:ムラタ 増田:マスダ 小野:オノ "
    "田村:タムラ 竹内:タケウチ 和田:ワダ 中山:ナカヤマ 石田:イシダ 上野:ウエノ 森田:モリタ 原:ハラ "
    "柴田:シバタ 酒井:サカイ 横山:ヨコヤマ 宮本:ミヤモト 内田:ウチダ 高野:タカノ 安藤:アンドウ 谷口:タニグチ "
    "大塚:オオツカ 丸山:マルヤマ 今井:イマイ 河野:コウノ 藤本:フジモト 小山:コヤマ 松井:マツイ 岩崎:イワサキ "
    "野口:ノグチ 菅原:スガワラ 松尾:マツオ 木下:キノシタ 野村:ノムラ 佐野:サノ 大西:オオニシ 杉本:スギモト "
    "片山:カタヤマ 市川:イチカワ 平野:ヒラノ 菅野:カンノ 小松:コマツ 飯田:イイダ 渡部:ワタナベ 荒木:アラキ "
    "土屋:ツチヤ 本田:ホンダ 久保:クボ 大島:オオシマ 浅野:アサノ 星野:ホシノ 岩田:イワタ 北村:キタムラ "
    "桑原:クワハラ 松浦:マツウラ 中野:ナカノ 秋山:アキヤマ 五十嵐:イガラシ 今野:コンノ 梅津:ウメツ 大沼:オオヌマ "
    "安達:アダチ 奥山:オクヤマ 黒田:クロダ 永井:ナガイ 川口:カワグチ 堀:ホリ 西田:ニシダ 吉川:ヨシカワ "
    "沖:オキ 広田:ヒロタ 檜山:ヒヤマ 宇野:ウノ 三宅:ミヤケ 尾崎:オザキ 河本:カワモト 沖田:オキタ "
    "国重:クニシゲ 谷本:タニモト 平田:ヒラタ 西本:ニシモト 宮田:ミヤタ 奥田:オクダ 植田:ウエダ 辻本:ツジモト"
)

#: Surnames in 旧字 (old or variant forms kept on the 戸籍 and so on the 住民票).
KYUJI_SURNAMES = _pairs(
    "髙橋:タカハシ 𠮷田:ヨシダ 渡邊:ワタナベ 渡邉:ワタナベ 齋藤:サイトウ 齊藤:サイトウ 﨑山:サキヤマ "
    "山﨑:ヤマザキ 宮﨑:ミヤザキ 濱田:ハマダ 澤田:サワダ 櫻井:サクライ 廣瀬:ヒロセ 眞鍋:マナベ 冨田:トミタ "
    "嶋田:シマダ 國分:コクブン 髙木:タカギ 邊見:ヘンミ 德永:トクナガ"
)

#: Surnames with an ideographic variation sequence (Moji_Joho collection).
IVS_SURNAMES = _pairs(
    "辻\U000e0102:ツジ 辻\U000e0102本:ツジモト 辻\U000e0102村:ツジムラ 葛\U000e0102西:カサイ "
    "葛\U000e0103城:カツラギ 渡邊\U000e0109:ワタナベ 渡邉\U000e0110:ワタナベ 齋\U000e0102藤:サイトウ "
    "濱\U000e0101田:ハマダ 澤\U000e0101田:サワダ 廣\U000e0103瀬:ヒロセ 榊\U000e0102原:サカキバラ "
    "柳\U000e0101田:ヤナギダ 祇\U000e0102園:ギオン"
)

# Given names by generation: born before 1950, 1950–79, 1980–99, from 2000.
MALE_OLD = _pairs(
    "清:キヨシ 茂:シゲル 勇:イサム 正雄:マサオ 博:ヒロシ 実:ミノル 進:ススム 弘:ヒロシ 武:タケシ 昭:アキラ "
    "一郎:イチロウ 三郎:サブロウ 正:タダシ 隆:タカシ 勝:マサル 義雄:ヨシオ 幸雄:ユキオ 和夫:カズオ 秀夫:ヒデオ "
    "敏夫:トシオ 勝利:カツトシ 榮一:エイイチ 與一:ヨイチ"
)
FEMALE_OLD = _pairs(
    "和子:カズコ 幸子:サチコ 節子:セツコ 久子:ヒサコ 洋子:ヨウコ 信子:ノブコ 京子:キョウコ 美代子:ミヨコ "
    "文子:フミコ 悦子:エツコ 恵子:ケイコ 千代子:チヨコ ハル:ハル トシ:トシ キヨ:キヨ 静子:シズコ 富子:トミコ "
    "君子:キミコ 照子:テルコ 澄子:スミコ 惠子:ケイコ 眞理子:マリコ"
)
MALE_MID = FAKER_MALE + _pairs(
    "誠:マコト 浩二:コウジ 健二:ケンジ 哲也:テツヤ 剛:ツヨシ 隆之:タカユキ 秀樹:ヒデキ 正樹:マサキ "
    "達也:タツヤ 雅之:マサユキ 浩之:ヒロユキ 伸一:シンイチ 和彦:カズヒコ 賢治:ケンジ 俊介:シュンスケ"
)
FEMALE_MID = FAKER_FEMALE + _pairs(
    "由美子:ユミコ 真由美:マユミ 久美子:クミコ 美穂:ミホ 智子:トモコ 裕子:ユウコ 恵美:エミ 純子:ジュンコ "
    "典子:ノリコ 直美:ナオミ 聡子:サトコ 美香:ミカ 紀子:ノリコ 早苗:サナエ"
)
MALE_YOUNG = FAKER_MALE + _pairs(
    "大輔:ダイスケ 拓也:タクヤ 翔:ショウ 健太:ケンタ 直也:ナオヤ 大樹:ダイキ 雄太:ユウタ 亮:リョウ "
    "駿:シュン 航:ワタル 祐介:ユウスケ 悠斗:ユウト"
)
FEMALE_YOUNG = FAKER_FEMALE + _pairs(
    "愛:アイ 彩:アヤ 麻衣:マイ 沙織:サオリ 美咲:ミサキ 千尋:チヒロ 恵:メグミ 優子:ユウコ 彩香:アヤカ "
    "明日香:アスカ 遥:ハルカ 萌:モエ"
)
MALE_CHILD = _pairs(
    "蓮:レン 陽翔:ハルト 湊:ミナト 蒼:アオイ 樹:イツキ 大翔:ヒロト 悠真:ユウマ 颯太:ソウタ 陽向:ヒナタ "
    "悠人:ユウト 律:リツ 朝陽:アサヒ 翔太:ショウタ 拓海:タクミ 大和:ヤマト 奏太:カナタ 結翔:ユイト 碧:アオ"
)
FEMALE_CHILD = _pairs(
    "陽葵:ヒマリ 凛:リン 結菜:ユイナ 葵:アオイ 芽依:メイ 紬:ツムギ さくら:サクラ 結愛:ユア 莉子:リコ "
    "美桜:ミオ 杏:アン 心春:コハル 花:ハナ 美羽:ミウ 結衣:ユイ 澪:ミオ 凜:リン 琴音:コトネ"
)

#: (male, female) pools by the first birth year of each generation, newest last.
GIVEN_BY_GENERATION: tuple[tuple[int, tuple[Pair, ...], tuple[Pair, ...]], ...] = (
    (0, MALE_OLD, FEMALE_OLD),
    (1950, MALE_MID, FEMALE_MID),
    (1980, MALE_YOUNG, FEMALE_YOUNG),
    (2000, MALE_CHILD, FEMALE_CHILD),
)

# Foreign residents: 国籍・地域 → (weight, surnames, male, female, written in Latin letters).
# Names follow the 在留カード: Latin capitals, surname first (漢字 for 中国・韓国).
FOREIGN = {
    "中国": (25, _pairs("王:ワン 李:リ 張:チャン 劉:リュウ 陳:チン 楊:ヤン 趙:チョウ 黄:コウ"),
             _pairs("偉:ウェイ 強:チャン 磊:レイ 軍:ジュン 洋:ヤン 浩然:ハオラン"),
             _pairs("芳:ファン 静:ジン 麗:リー 敏:ミン 婷:ティン 雪:シュエ"), False),
    "ベトナム": (18, _pairs("NGUYEN:グエン TRAN:チャン LE:レ PHAM:ファム HOANG:ホアン VU:ヴー"),
                 _pairs("VAN_HUNG:ヴァン_フン DUC_ANH:ドゥック_アイン MINH_TUAN:ミン_トゥアン VAN_NAM:ヴァン_ナム"),
                 _pairs("THI_LAN:ティ_ラン THI_HUONG:ティ_フオン THU_TRANG:トゥ_チャン THI_MAI:ティ_マイ"), True),
    "韓国": (13, _pairs("金:キム 李:イ 朴:パク 崔:チェ 鄭:チョン 姜:カン"),
             _pairs("民俊:ミンジュン 成浩:ソンホ 永洙:ヨンス 哲:チョル 東賢:ドンヒョン"),
             _pairs("智恵:ジヘ 美英:ミヨン 恩貞:ウンジョン 秀賢:スヒョン 英姫:ヨンヒ"), False),
    "フィリピン": (9, _pairs("SANTOS:サントス REYES:レイエス CRUZ:クルス GARCIA:ガルシア BAUTISTA:バウティスタ"),
                   _pairs("JOSE:ホセ MARK:マーク JOHN_PAUL:ジョン_ポール RAMON:ラモン"),
                   _pairs("MARIA:マリア MARY_ANN:メアリー_アン JOY:ジョイ CRISTINA:クリスティナ"), True),
    "ブラジル": (6, _pairs("SILVA:シルバ SANTOS:サントス OLIVEIRA:オリベイラ SOUZA:ソウザ"),
                 _pairs("LUCAS:ルーカス GABRIEL:ガブリエル RAFAEL:ハファエル"),
                 _pairs("ANA:アナ JULIANA:ジュリアナ BEATRIZ:ベアトリス"), True),
    "ネパール": (5, _pairs("GURUNG:グルン TAMANG:タマン SHRESTHA:シュレスタ RAI:ライ"),
                 _pairs("RAM:ラム BIKASH:ビカス SURESH:スレシュ"),
                 _pairs("SITA:シタ ANITA:アニタ PRAMILA:プラミラ"), True),
    "インドネシア": (5, _pairs("SAPUTRA:サプトラ WIJAYA:ウィジャヤ HIDAYAT:ヒダヤット"),
                     _pairs("AHMAD:アフマド RIZKY:リズキ BUDI:ブディ"),
                     _pairs("SITI:シティ DEWI:デウィ PUTRI:プトリ"), True),
    "米国": (3, _pairs("SMITH:スミス JOHNSON:ジョンソン BROWN:ブラウン MILLER:ミラー"),
             _pairs("JOHN:ジョン MICHAEL:マイケル DAVID:デイビッド"),
             _pairs("EMILY:エミリー SARAH:サラ JESSICA:ジェシカ"), True),
}

#: Japanese surnames used as 通称 by foreign residents (mostly 特別永住者).
TSUSHO_SURNAMES = _pairs("金本:カネモト 新井:アライ 松本:マツモト 岩本:イワモト 金田:カネダ 安田:ヤスダ 張本:ハリモト")

#: Places elsewhere in Japan (本籍 of people from outside, 転入前住所).
ELSEWHERE = (
    "東京都世田谷区太子堂四丁目", "大阪府大阪市北区梅田一丁目", "宮城県仙台市青葉区一番町二丁目",
    "山形県山形市旅篭町二丁目", "山形県米沢市金池五丁目", "京都府京都市左京区下鴨松原町",
    "奈良県奈良市二条大路南一丁目", "広島県呉市中央四丁目", "岡山県岡山市北区大供一丁目",
    "福岡県福岡市中央区天神一丁目", "北海道札幌市中央区北一条西二丁目", "愛知県名古屋市中区三の丸三丁目",
)
