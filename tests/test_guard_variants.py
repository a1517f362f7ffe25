"""The guard against secrets in stored text: numbers written as words, spaced, hidden or circled, and
any value after a credential keyword, the way careless users and attackers write them."""

from __future__ import annotations

import pytest

from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.safety.guard import looks_secret

SOFT_HYPHEN, WORD_JOINER, ZERO_WIDTH, ZWNJ, BOM = "\u00ad", "\u2060", "\u200b", "\u200c", "\ufeff"

SECRETS = [
    # spelled in kana, one word a digit
    "暗証番号は いち に さん よん", "ななさんきゅうご", "ナナサンキュウゴ", "ｲﾁﾆｻﾝﾖﾝ", "ぜろ いち に さん", "きゅうはちななろく",
    "しちはちきゅうぜろ", "まるまるいちに", "よん、ご、ろく、なな", "ごーごーごーご", "いち・に・さん・し",
    "番号はれいれいれいいち", "たぶんはちはちはちはちだったかな", "ろくろくろくろくで合ってる？",
    # kanji digits and kanji numbers
    "七四〇二", "一二三四", "九八七六です", "〇〇〇〇", "七千四百二", "三千五百", "九千九百九十九", "千二百三十四",
    "暗証番号は五六七八", "ぴんは四四四四", "番号は二千二十二かも",
    # digits set apart
    "7、4、0、6", "7,4,0,6", "7.4.0.6", "7-4-0-6", "7 4 0 6", "7・4・0・6", "1 - 2 - 3 - 4", "９、８、７、６",
    "暗証番号 1 2 3 4 で合ってますか", "4 3 2 1 で試した", "１ ２ ３ ４",
    # hidden by invisible characters
    f"1{SOFT_HYPHEN}2{SOFT_HYPHEN}3{SOFT_HYPHEN}4", f"1{WORD_JOINER}2{WORD_JOINER}3{WORD_JOINER}4",
    f"1{ZERO_WIDTH}2{ZERO_WIDTH}3{ZERO_WIDTH}4", f"9{ZWNJ}8{ZWNJ}7{ZWNJ}6", f"{BOM}5{BOM}5{BOM}5{BOM}5",
    f"暗証番号は4{ZERO_WIDTH}3{ZERO_WIDTH}2{ZERO_WIDTH}1", f"pin 1{SOFT_HYPHEN}111",
    # circled, full-width, mixed widths
    "①②③④", "⑨⑧⑦⑥", "１２３４", "１2３4", "暗証番号は①⑨⑨⑦", "ＰＩＮ＝１１１１",
    # a value after a credential keyword, any script
    "パスワードは さくらもち", "パスワードはさくらもち", "パスワードは「さくらもち」です", "WebIDは やまだたろう",
    "web-idは yamada.taro", "ログインIDは taro_yamada", "IDは taro88", "ID: hanako", "pwはsakura", "PW=mochimochi",
    "ぱすは もちもち です", "ぱすわーどはhimitsu", "パスはねこねこ", "password is tanuki", "pass: kitsune",
    "暗証はななななだよ", "ピンは ごごごご", "ウェブIDはぷろみす太郎", "パスワードって ひまわり なんだけど",
    "パスワードは→ ウサギ", "Web-ID＝ミカン", "pw: Cat-Dog", "パスワードはTaro!", "IDは山田太郎です",
    "パスワードは私の誕生日の0101です", "パスワードは hello-world", "暗証番号は猫の名前です", "パスワ は くまさん",
    # plain numbers and tokens as before, in new dress
    "４９８０１２３４１２３４１２３４", "4980 1234 1234 1234", "4980-1234-1234-1234", "カードは 4980 1234 5678 9012",
    "1111", "0000です", "暗証番号：２２２２", "pin 4321", "PIN=1111", "Abc1234.", "taro2024", "qwerty123",
    "passw0rd", "明日10時に1234で試す", "5555で試したけどだめ", "番号 8 8 8 8 を入れた",
    "よんよんよんよん", "に・に・に・に", "サンサンサンサン", "暗証番号は 9 9 9 9", "ID→ yamada", "pin: ①①①①",
    "ぱすわどは たろう", "ＩＤは ｔａｒｏ", "いち、いち、いち、いち", "きゅう きゅう きゅう きゅう",
    # a value said to be typed in, after a comma
    "Webのパスワード、さくらもち って入れてる", "PW sakura123 で入力した", "暗証、ごごごご で入れた",
]  # fmt: skip

ORDINARY = [
    "暗証番号忘れた", "パスワードは忘れました", "パスワードを忘れてしまいました", "パスワードは8文字以上ですか",
    "パスワードはどこで変えられますか", "IDが違うと出ます", "IDはどれのことですか", "Web-IDは登録していません",
    "暗証番号はわからない", "パスワードは覚えてない", "PIN忘れた", "パスワードが違いますって出る",
    "ログインできない", "明日の10時", "返済日は25日", "2026年12月5日に行く", "12/5 9:00", "9:30pm",
    "返済額は50000円です", "プロミスコールは0120-24-0365ですか", "3回以上", "さんにんで行く", "いちにちじゅう入れない",
    "午後7時に電話", "ごごしちじ", "にさんにち前から", "一日中だめ", "三日後の朝", "十二月五日",
    "パスポートでもいい？", "passport を持っていけばいい？", "androidは最新です", "アプリは最新版です",
    "カード落とした", "毎月15日の10時に振込、3回", "2時間後", "一二回間違えた", "ロックされた",
    "パスワード、ちゃんと入れてるのに", "パスワード、きちんと入力してます", "パスワード、何回も入れてるのに",
    "明日の10時に〇〇さんに電話", "〇〇さんに連絡する",
]  # fmt: skip


def test_the_table_is_large():
    assert len(SECRETS) >= 100


@pytest.mark.parametrize("text", SECRETS)
def test_every_variant_is_caught(text):
    assert looks_secret(text), text


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_talk_about_secrets_passes(text):
    assert not looks_secret(text), text


@pytest.mark.parametrize(
    "text",
    ["明日の10時に ななさんきゅうご を試す", "毎週金曜に 7、4、0、6 で入る", "リマインダー: パスワードは さくらもち"],
)
def test_a_secret_never_reaches_a_reminder_or_the_state(service, text):
    user = UserRef("console", "careless")
    replies = service.handle(Incoming(user, text=text))
    # Warned; the request itself may go on with the value hidden, or be dropped when it cannot be placed.
    assert any("保存していません" in r.text or "伏せました。" in r.text for r in replies)
    replies += service.handle(Incoming(user, text="はい"))
    uid = service.store.find_user("console", "careless")
    kept = str(service.store.reminders.for_user(uid)) + str(service.store.load_state(uid) or {})
    kept += " ".join(r.text for r in replies)
    assert "7395" not in kept and "さくらもち" not in kept and "7、4" not in kept and "7406" not in kept


def test_no_message_of_the_corpus_or_the_independent_sets_is_taken_for_a_secret():
    """Thousands of ordinary messages, in Japanese and English, that talk about PINs and passwords."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [
        root / "bot" / "flows" / "promise.utterances.tsv",
        root / "bot" / "corpus" / "general.tsv",
        *(root / "tests" / "fixtures" / "independent").glob("messages*.tsv"),
    ]
    texts = [
        line.split("\t", 1)[1]
        for f in files
        for line in f.read_text(encoding="utf-8").splitlines()
        if "\t" in line and not line.startswith("#")
    ]
    assert len(texts) > 4000
    assert [t for t in texts if looks_secret(t)] == []
