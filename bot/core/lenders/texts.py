"""The lender desk's own copy (lender-neutral: the names come from the flow files)."""

from __future__ import annotations

ASK_LENDER = (
    "どちらの会社のことですか？ 会社によって、電話番号や手続きが違います。下から選んでください"
    "（一度選ぶと、次からはおたずねしません）。"
)
# After an urgent answer given for any lender: the company's own number is one tap away.
ASK_LENDER_URGENT = "どちらの会社をご利用ですか？ 選んでいただくと、すぐにその会社の連絡先を表示します。"
# Said when the answer to the question was a lender: the question that waited is answered next.
LENDER_NOTED = "{name}についてご案内します。"
# Said when a message said only which lender: the question the person is in follows.
LENDER_HEARD = "{name}ですね。承知しました。"
LENDER_HEARD_OTHER = "ほかの会社ですね。承知しました。一般的なご案内になります。"
# Several lenders named at once: the first is answered; the others are a message away.
LOST_ALSO = "{names}のカードも、すぐに止めてもらってください。"
LENDER_ALSO = "{names}のことも、会社名を送っていただければ、続けてご案内します。"
# Said when a message names another lender than the one the conversation was about.
LENDER_SWITCHED = "ここからは{name}についてご案内します。"
# After either: the lender's own line for anything the bot cannot settle (its last step's contact).
LENDER_CALL = "困ったときの問い合わせ先は、{contact}です。{phone}"
# A lender this bot does not serve (BOT_LENDERS) was named.
LENDER_NOT_SERVED = "すみません、このボットは{served}についてご案内しています。"
LABEL_OTHER = "その他"
# With the status (several lenders): which lender the conversation is about, each lender's repayment day.
STATUS_LENDER = "いまご案内している会社：{name}"
STATUS_REPAY_HEAD = "返済日のお知らせ（会社ごと）："
STATUS_REPAY_LINE = "・{name}：{day}"
LENDER_UNSET = "会社の指定なし"
MONTH_END = "毎月末日"
DAY = "毎月{day}日"
# The status by lender (another lender than the one talked about has facts kept): one block each.
STATUS_SECTION = "【{name}】"
STATUS_COMMON = "【どの会社でも共通】"
STATUS_BUTTONS_FOR = "{name}の記録で違っているところは、下のボタンから直したり消したりできます。"
STATUS_OTHER_LENDER_FIX = "ほかの会社の記録を直すときは、その会社の名前を送ってください。"
# Several lenders' repayment days told in one message: each kept under its own lender.
DAYS_KEPT = "返済日を、会社ごとに記録しました。"
DAYS_KEPT_REMIND = "返済日を、会社ごとに記録しました。まず{first}のお知らせです。{others}の分は、このあと会社名を送ると、続けて設定できます。"
# The company corrected: what was just told about the first is now kept for the one meant.
FACTS_MOVED = "さきほどの内容（{facts}）は、{old}ではなく{new}の記録に移しました。"
# The company not told (「言いたくない」): not asked again; the advice is the general one.
LENDER_DECLINED = (
    "承知しました。会社名はなくても大丈夫です。一般的なご案内をします。"
    "お問い合わせ先は、カードの裏面や公式サイトにある番号をご確認ください。"
)
# Another lender said to work (「〇〇のほうは普通に入れてる」): heard; the current one goes on.
OTHER_FINE = "{name}のほうは、問題なく使えているのですね。では、続きをご案内します。"
