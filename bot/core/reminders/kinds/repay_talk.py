"""Words at a repayment reminder's confirmation that are neither a yes nor a no, and change or confirm
one thing of the draft: 「今月分はもう払った」 (the first month skipped), 「当日も」 (it already comes on
the day), 「月末ってことだと思う」 (the day restated), 「来月から25日に変わるんだった」 and
「27日じゃなくて17日」 (a new day)."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.dialogue import texts
from bot.core.dialogue.messages import RecordFacts, Reply
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import confirm
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds import repay_setup as setup
from bot.core.reminders.refs import PAID_OFF_WORDS
from bot.core.reminders.repayment import MONTH_END
from bot.core.reminders.setup_state import Spec
from bot.core.safety.card_hand import card_at_hand
from bot.core.situation.statements import stated_facts
from bot.core.understanding.textnorm import normalize

PAID_NOTED = "今月分はお支払い済みなのですね。今月のお知らせは飛ばして、来月の分からお知らせします。"
DAY_OF_TOO = "はい、返済日の当日にもお知らせします。"
FACTS_NOTED = "わかりました。そのことも記録しておきます。"
MONTH_END_SAID = "はい、毎月、月末（その月の最後の日）で設定します。"

_PAID_THIS = re.compile(
    r"(?:今月|こんげつ|今回|こんかい|\d{1,2}月|今月分|こんげつぶん)(?:の)?(?:分|ぶん)?(?:は|も)?(?:もう|既に|すでに)?"
    r"(?:払|はら|返済し|へんさいし|返し|かえし|入金し|にゅうきんし|入れ|いれ|振り込|ふりこ|支払|しはら)"
    r"|(?:払|はら|返済し|返し|入金し|入れ|振り込ん|支払っ)(?:った|た|だ)(?:ので|から).{0,8}(?:今月|こんげつ|今回|こんかい)(?:は|の)?(?:いらない|不要|ふよう|なし|飛ばし|とばし|大丈夫)"
    r"|(?:今月|こんげつ|今回)(?:は|の分は|のは)(?:いらない|いりません|不要|ふよう|なしで|飛ばし|とばし)"
    # 「今月の10日はもう口座に入れたからいらない」: this month named, then paid, a few words apart
    r"|(?:今月|こんげつ|今回)[^。]{0,14}(?:払|はら|返済し|返し|入金し|入れ|いれ|振り込ん|支払っ)(?:った|た|だ|ちゃった|ました)"
)
_NOT_PAID = re.compile(
    r"(?:払|はら|返済し|入金し|入れ|いれ|振り込|支払)(?:って|え|わ)?(?:ない|ません|てない|れない|えない)|まだ"
)
_DAY_OF = re.compile(
    r"当日(?:も|にも)|とうじつ(?:も|にも)|その日(?:も|にも)|そのひ(?:も|にも)|返済日(?:も|にも)(?:教え|お知らせ|通知|よろしく|お願い)"
)
_MONTH_END_WORDS = re.compile(
    r"(?:つまり|要は|ようは|たぶん|多分|あ、?)?(?:月末|げつまつ|末日|まつじつ|月の終わり|つきのおわり)"
    r"(?:って(?:こと)?|のこと|ということ|ってことか)?"
    r"(?:だと思う|だとおもう|だと思います|かな|です|だ|でいい(?:と思う|とおもう|と思います|です|よ|かな)?|で|でお願い(?:します)?|ね|だね|か)?[。!！]*"
)
# 「来月から25日に変わる」 「27日じゃなくて17日」 「25日になった」: a new due day told.
_NEW_DAY = re.compile(
    r"(?<!\d)(\d{1,2})日(?:に|へ)(?:変わ|かわ|変更|へんこう|なる|なり|なっ)"
    r"|(?<!\d)\d{1,2}日?(?:じゃなくて|じゃなく|ではなく|やなくて|でなく)[、,]?(\d{1,2})日?"
)


def talk_at_confirm(ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
    """One of the module's readings at the draft's confirmation; False when none applies."""
    key = normalize(text)
    if PAID_OFF_WORDS.search(key):
        # 「もう完済したんだった。さっきのいらない」: nothing to remind of; the draft goes, gladly.
        out.state.pending = None
        out.replies += [Reply(texts.PAID_OFF), Reply(texts.CANCELLED_SETUP, ctx.host.menu_choices())]
        return True
    day = _new_day(key)
    if day is not None and day != spec.due_day:
        setup.confirm_day(ctx, out, spec.but(due_day=day), now)
        return True
    # 「やっぱ1週間前にして」: seven days before (not 「1週間前はいらんわ。5日前で」: the days said win).
    weeks = re.search(r"(?<!\d)1\s*週間(?:前|まえ)(?!(?:は|の|も)?(?:いら|要ら|なし|無し|じゃ|やな|ではな))", key)
    if weeks and not re.search(r"(?<!\d)\d\s*日(?:前|まえ)", key):
        confirm(ctx, out, spec.but(days_before=7), now)
        return True
    if _PAID_THIS.search(key) and not _NOT_PAID.search(key):
        confirm(ctx, out, spec.but(skip_first=True), now, lead=PAID_NOTED)
        return True
    if _DAY_OF.search(key) and not re.search(r"\d", key):
        confirm(ctx, out, spec, now, lead=DAY_OF_TOO)
        return True
    if spec.due_day == MONTH_END and _MONTH_END_WORDS.fullmatch(key):
        confirm(ctx, out, spec, now, lead=MONTH_END_SAID)
        return True
    return _facts_told(ctx, out, spec, key, now)


# 「先月少し遅れた」: a recent late repayment, told (kept as such).
_LATE_BEFORE = re.compile(
    r"(?:先月|せんげつ|前回|ぜんかい|この前|このまえ|こないだ)[^。]{0,6}(?:遅れ|おくれ|延滞|えんたい)(?:た|ちゃった|てしまった|ました)"
)


def _facts_told(ctx: Ctx, out: Outcome, spec: Spec, key: str, now: datetime) -> bool:
    """「アプリで確認したら延滞してなかった」 「カードは手元にある」 at the draft: kept, the draft asked again."""
    told = {k: v for k, v in stated_facts(key).items() if k in ("overdue", "card_lost")}
    if card_at_hand(key) == "have":
        told["card_lost"] = False  # 「カードはなくしてない」
    if _LATE_BEFORE.search(key) and "overdue" not in told:
        told["overdue"] = True
    if not told:
        return False
    out.effects.append(RecordFacts(told))
    confirm(ctx, out, spec, now, lead=FACTS_NOTED)
    return True


def _new_day(key: str) -> int | None:
    match = _NEW_DAY.search(key)
    if match is None:
        return None
    day = int(match.group(1) or match.group(2))
    return day if 1 <= day <= 31 else None
