"""Free-text understanding: map what a user typed to a command or straight to a cause of the flow.

Everything is compared after :func:`~bot.core.textnorm.normalize`, so full-width, half-width and
katakana/hiragana spellings all match one table entry.
"""

from __future__ import annotations

from bot.core.flow import Flow, Node
from bot.core.textnorm import clean, normalize


def _words(text: str) -> tuple[str, ...]:
    """A space-separated word list, each word normalised (tables stay one readable line each)."""
    return tuple(normalize(w) for w in text.split())


# Whole-message commands: action -> ways people write it.
_COMMAND_WORDS: dict[str, str] = {
    "help": "ヘルプ help 使い方 つかいかた 何ができる なにができる できること 説明",
    "menu": "メニュー menu ホーム トップ はじめ こんにちは こんばんは おはよう hi hello やめる やめます キャンセル 中止",
    "restart": "最初から はじめから 初めから やり直し やりなおし リセット restart 最初",
    "back": "戻る もどる back 前に戻る ひとつ戻る 一つ戻る 戻って",
    "status": "状況 じょうきょう 私の状況 わたしの状況 自分の状況 status 登録内容 situation",
    "show_ids": "本人確認書類 持ち物 もちもの 必要なもの 身分証",
    "diagnose": "ログイン login ログインヘルプ",
    "reminders": "リマインダー一覧 リマインダー リマインド一覧 お知らせ一覧 一覧 予定 reminders reminder",
    "remind_repay": "返済リマインダー 返済リマインダーを設定 返済日リマインダー 返済日のお知らせ 返済日を登録",
    "remind_visit": "来店リマインダー 来店リマインダーを設定 来店 自動契約機に行く",
    "forget": "データを削除 データ削除 データを消す 記録を消す 削除 忘れて 全部消して forget 退会",
    "export": "データ確認 データを確認 データを見る 保存内容 登録データ export エクスポート",
}
COMMANDS: dict[str, str] = {w: action for action, words in _COMMAND_WORDS.items() for w in _words(words)}

# "I can't log in" in its many spellings: a word for logging in plus a word for failing.
_LOGIN_WORDS = _words("ログイン login サインイン 会員ページ 会員サービス アプリ マイページ")
_FAIL_WORDS = _words(
    "できな 出来な できず 出来ず できません 出来ません 失敗 エラー 入れな はいれな 入れません はいれません"
    " 無理 むり cant cannot fail だめ ダメ 駄目 開かな ひらかな 困"
)


def match_command(text: str) -> str | None:
    """The action a whole message asks for ("ヘルプ" -> "help"), or None."""
    raw = clean(text)
    if raw in {"?", "？"}:
        return "help"
    return COMMANDS.get(normalize(raw))


def wants_diagnosis(text: str) -> bool:
    """True when the message says, in any spelling, that the user cannot log in."""
    key = normalize(text)
    return any(w in key for w in _LOGIN_WORDS) and any(f in key for f in _FAIL_WORDS)


def match_cause(flow: Flow, text: str) -> Node | None:
    """The result node whose keywords best match the text (most matched characters wins), or None."""
    key = normalize(text)
    best: Node | None = None
    best_score = 0
    for node in flow.results:
        for parts in node.keywords:
            if all(p in key for p in parts):
                score = sum(len(p) for p in parts)
                if score > best_score:
                    best, best_score = node, score
    return best
