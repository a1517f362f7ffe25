"""The bot's own Japanese copy, lender-neutral.

The lender's name, company and disclaimer come from the flow file (``[lender]``) and fill the
``{name}`` / ``{company}`` / ``{disclaimer}`` fields; numbers, hours and ID lists live there too.
"""

from __future__ import annotations

WELCOME = (
    "こんにちは。{name}の会員サービスにログインできないときの原因探しと、返済日などのお知らせを"
    "お手伝いします。\n"
    "※{name}（{company}）の公式サービスではありません。ロックの解除などはできません。\n"
    "カード番号・暗証番号・ログインID・パスワードは送らないでください。"
    "このボットからお聞きすることもありません。"
)

MENU = "何をお手伝いしましょうか？"

HELP = (
    "このボットでできること\n"
    "・ログインできない原因を、一緒に探します（「暗証番号を忘れた」などと送るとすぐご案内します）\n"
    "・返済日や来店の日を、前もってお知らせします（例：「返済日は25日」「明日の10時に電話する」）\n"
    "・「リマインダー」「わたしの状況」：設定中のお知らせと、教えていただいた内容の確認・変更\n"
    "・「記録を見る」「記録を消す」：このボットの記録の確認と、すべての削除\n"
    "・「通知に内容を表示」「通知の内容を隠す」：ロック画面の通知に、お知らせの内容を出すかどうか（最初は隠しています）\n"
    "いつでも「最初から」「戻る」「メニュー」が使えます。\n{disclaimer}"
)

SECRET_WARNING = (
    "暗証番号・パスワード・カード番号は大切な情報です。ここにも、だれにも送らないでください。"
    "このメッセージは保存していません（トーク画面から送信を取り消すこともできます）。このボットからお聞きすることはありません。"
)

NOT_UNDERSTOOD = "すみません、うまく読み取れませんでした。もう一度、下から選んでいただけますか？"
# A remark about something else (「お腹すいた〜」): a short word back before the question again.
REMARK_HEARD = "そうなんですね。"
REMARK_HEARD_IDLE = "そうなんですね。ログインのことやお知らせのことで困ったら、いつでも送ってください。"
NOT_UNDERSTOOD_MENU = (
    "すみません、うまく読み取れませんでした。下から選ぶか、「ログインできない」「暗証番号を忘れた」"
    "のように送ってみてください。"
)
NONE_OF_THESE = "わかりました。下から選ぶか、困っていることを短い言葉で送ってください。"
MAYBE = "もしかして、次のどれですか？"
MAYBE_ONE = "もしかして、「{label}」ということでしょうか？"
LABEL_MAYBE_YES = "はい"
LABEL_MAYBE_NO = "いいえ、違います"
# For someone who does not know where to start: what the bot does, and three things to send.
NEWCOMER = (
    "ようこそ。このボットでできることは、{name}の会員サービスにログインできないときの原因探しと、"
    "返済日などのお知らせです。\n"
    "困っていることを、そのまま短く送ってください。たとえば：\n"
    "「暗証番号を忘れた」\n"
    "「ロックされたと表示される」\n"
    "「返済日は25日」\n"
    "下のボタンから選んでも大丈夫です。"
)
LABEL_NONE_OF_THESE = "どれでもない"
ENGLISH_NOTE = "Sorry, I can only reply in Japanese for now. Type 「ヘルプ」 for help. (日本語でお答えします)"
SETUP_KEPT = "さきほどのお知らせは、この内容で設定しておきました。取り消すときは「リマインダー」からどうぞ。"
SETUP_DROPPED = "設定の途中だったお知らせは保存していません。必要になったら、あとでもう一度設定できます。"
ALSO_CAUSES = "「{titles}」についても、下のボタンから続けてご案内します。"
LABEL_NEXT_CAUSE = "続けて：{title}"
THANKS = "どういたしまして。ほかにもお手伝いできることがあれば、いつでも送ってください。"
ACKNOWLEDGED = "承知しました。ほかにもお手伝いできることがあれば、いつでも送ってください。"
LABEL_BACK_TO_RESULT = "さっきの案内に戻る"
CARD_AT_HAND = "わかりました。カードはお手元にあるのですね。"
PHISHING = (
    "それは詐欺の可能性が高いです。リンクは開かず、返信もしないでください。"
    "暗証番号やパスワードは、{name}を名乗る相手にも、だれにも教えないでください。"
    "もし教えてしまったときは、すぐに{name}に連絡して、カードを止めてもらってください。"
)
# Speaking of an illegal lender (闇金): not a lecture, the reason in one line, then free help.
LOAN_SHARK = (
    "闇金のような登録のない業者から借りると、高い利息や厳しい取り立てで、かえって苦しくなるおそれがあります。"
    "借りる前に、まずは無料の窓口に相談してみませんか。"
)
SOLVED = "ログインできてよかったです。ほかにもお手伝いできることがあれば、下から選んでください。"
ABOUT_BOT = (
    "人ではなく、プログラムが自動でお答えしています。{name}の会員サービスにログインできないときの原因探しと、"
    "返済日などのお知らせをお手伝いします。{name}の公式サービスではないため、ロックの解除などはできません。\n"
    "カード番号・暗証番号・ログインID・パスワードをお聞きすることはありません。"
)
BYE = "ご利用ありがとうございました。また何かあれば、いつでも話しかけてください。"
QUIT = "わかりました。ここでいったん終わります。必要なときは、下のメニューからどうぞ。"
CANCEL_THIS = "このお知らせを取り消しますか？"
NOT_CANCELLED = "取り消しはやめました。お知らせはこれまでどおり届きます。"
CHANGE_WHICH = "どのお知らせを変えますか？ 下から選んでください。"
CANCEL_WHICH = "取り消したいお知らせを選んでください。"
ASK_FREE_WHAT = "いつ、何をお知らせしましょうか？「明日の10時に電話する」のように、日時と内容をまとめて送ってください。"

EMPTY = "メッセージが空のようです。次から選んでください。"

NO_SUCH_NUMBER = "その番号の選択肢はありません。次の番号から選んでください。"

STALE_BUTTON = "このボタンは古くなっているため使えません。お手数ですが、メニューからもう一度お選びください。"

RESUME = "前回の続きからご案内します。"

CONTINUE = "続けて、次から選んでください。"

AFTER_RESULT = "この方法で解決しないときは、「まだ解決しない」を選んでください。"
AFTER_LAST_STEP = "ほかにお手伝いできることはありますか？"
LABEL_NOT_SOLVED = "まだ解決しない"
LABEL_DETAILS = "くわしく"
NO_MORE_DETAILS = "この結果のご案内は、ここまでです。"
PICK_CLOSEST = "今の状況にいちばん近いものを、下から選んでください。わからないときは「わからない」で大丈夫です。"
STEP_UP_CAUSE = "ほかの原因も考えられます。こちらもご確認ください。"
STEP_UP_ASK = "ほかの原因も考えられます。もう少し教えてください。"
# 「まだ解決しない」 when no likely cause is left: said before the call step (a request for the number needs no such words).
STEP_UP_CALL = "ここまでの方法では解決しなかったのですね。"
STILL_STUCK_AT_END = "これ以上は、このボットではお調べできません。お手数ですが、{name}にご相談ください。"
BRING = "持ち物：{ids}"
MAINTENANCE_ADVICE = "少し時間をおいてから、もう一度お試しください。"
REPAY_REMINDER_OFFER = "次の返済日の前に、このボットからお知らせすることもできます。"

NOTHING_KEPT_YET = "いま、記録している内容はありません。"
STATUS_EMPTY = (
    "まだ何も教えていただいていません。「返済日は25日」「カードをなくした」のように送っていただくと、ここに記録します。"
)

STATUS_HEAD = "これまでに教えていただいた内容です。"

STATUS_FOOT = "違っているところは、下のボタンから直したり消したりできます。"
LABEL_DELETE_FACT = "記録をひとつ消す"
LABEL_BACK_TO_STATUS = "状況に戻る"
DELETE_WHICH = "消したい記録を選んでください。"
FACT_FIXED = "「{label}」を「{value}」に修正しました。"
REMINDER_TIME_IS_DEFAULT = (
    "これから設定するお知らせの時刻です。設定中のお知らせの時刻は、「リマインダー」から変えられます。"
)
FACT_NOT_RECORDED = "「{label}」の記録は、もともとありません。"
FACT_DELETED = "「{label}」の記録を消しました。"
REPAY_REMINDER_STAYS = (
    "返済日のお知らせは、これまでどおり届きます。止めたいときは、下の「返済日のお知らせを見る」から取り消せます。"
)
LABEL_SEE_REPAY_REMINDER = "返済日のお知らせを見る"

LABEL_BACK = "戻る"
LABEL_RESTART = "最初から"
LABEL_MENU = "メニューに戻る"
LABEL_QUIT = "やめる"
LABEL_DIAGNOSE = "ログインできない"
LABEL_STATUS = "わたしの状況"
LABEL_HELP = "ヘルプ"
LABEL_REMINDERS = "リマインダー"
LABEL_EXPORT = "記録を見る"
LABEL_FORGET = "記録を消す"

LATE_NOTICE = "（遅れてのお知らせです）"

ASK_REPAY_DAY = "返済日（約定日）はいつですか？ 1〜31の数字か「末日」で送るか、次から選んでください。"
ASK_REPAY_DAY_AGAIN = "返済日は、1〜31の数字（例：25）か「末日」で教えてください。"
# A lender whose due day is one of a few days (``monthly_days`` of its flow; {days}: 「5日・15日・末日」).
ASK_REPAY_DAY_FROM = "返済日（約定日）はいつですか？ {name}の返済日は、{days}から選ぶ形です。次から選んでください。"
ASK_REPAY_DAY_AGAIN_FROM = "返済日は、次から選んでください（{days}）。"
# A typed day that lender does not offer ({day}: 「20日」): said kindly, with its days again.
REPAY_DAY_NOT_OFFERED = (
    "{name}の返済日は、{days}から選ぶ形のため、{day}は選べないはずです。ご契約の返済日を、次から選んでください。"
)
# Automatic debit on a few days whatever the bank (``debit_days``): which one.
ASK_DEBIT_DAYS = "口座振替の返済日は、{days}のどれかです。どれですか？"
# The day is not known: automatic debit from other banks fixes it ({banks}: the lender's own banks).
ASK_DEBIT = "返済は、{banks}以外の銀行口座からの自動引き落とし（口座振替）ですか？ その場合、返済日は毎月{day}日です。"
DEBIT_FIXED = "{banks}以外の口座からの口座振替では、返済日は毎月{day}日に決まっています。"
# The same for a lender whose debit day is fixed whatever the bank.
ASK_DEBIT_ANY = "返済は、銀行口座からの自動引き落とし（口座振替）ですか？ その場合、返済日は毎月{day}日です。"
DEBIT_FIXED_ANY = "口座振替では、返済日は毎月{day}日に決まっています。"
ASK_REPAY_DAY_UNKNOWN = "返済日がわかったら、「25日」のように送ってください。{name}に電話で確認することもできます。"
LABEL_DAY_UNKNOWN = "わからない"
LABEL_DEBIT_YES = "はい、ほかの銀行から"
LABEL_DEBIT_YES_ANY = "はい、口座振替"
LABEL_DEBIT_NO = "いいえ・わからない"
# A due date on a closed day: moved (the lender is known to move it), or kept (not known: said softly).
REPAY_SHIFT_NOTE = "※返済日が土日祝・年末年始（12月31日〜1月3日）にあたるときは、翌営業日で計算します。"
REPAY_NO_SHIFT_NOTE = (
    "※返済日が土日祝・年末年始にあたるとき、{name}で翌営業日になるかはわかっていないため、日付どおりにお知らせします。"
    "{name}の公式サイトか、カードに書かれた番号でご確認ください。"
)
REPAY_CLOSED_DAY_NOTE = (
    "{date}は{reason}です。この日の返済の扱いは、{name}の公式サイトか、カードに書かれた番号でご確認ください。"
)
# Said once in a repayment set-up: the lender's own reminder e-mail is switched on in its member service.
REPAY_MAIL_NOTE = "※{name}からの返済日お知らせメールは、会員サービスで受け取る設定をした場合だけ届きます。"
ASK_DAYS_BEFORE = "何日前にお知らせしますか？（1〜7日前。当日にもお知らせします）"
ASK_DAYS_AGAIN = "1〜7の数字で教えてください（例：3）。"
ASK_TIME = "何時にお知らせしますか？（例：9時、20:30、夜8時）"
ASK_TIME_AGAIN = "時刻を読み取れませんでした。「9時」「20:30」「夜8時」のように送ってください。"
ASK_VISIT_WHEN = "自動契約機にはいつ行く予定ですか？ 次から選ぶか、「明日の10時」「12月5日 18時」「土曜の午後2時」のように送ってください。"
CALL_TASK = "{name}に電話する"
ASK_CALL_WHEN = "「{what}」を、いつお知らせしますか？（例：明日の10時、月曜の9時）"
ASK_REPEAT_CHANGE = "「{what}」の新しい日時を、「毎週土曜の9時」「明日の10時」のように送ってください。"
ASK_FREE_WHEN = "いつお知らせしますか？（例：明日の10時、3日後、12/5 9:00）"
WHEN_EXAMPLES = "「明日の10時」「3日後の朝」「来週の金曜 18時」「12/5 9:00」のように送ってください。"
WHEN_PAST = "その日時はもう過ぎているようです。これから先の日時を、" + WHEN_EXAMPLES
WHEN_INVALID_DATE = "その日付はカレンダーにないようです（例：2月30日）。もう一度、" + WHEN_EXAMPLES
WHEN_INVALID_TIME = "その時刻は使えないようです（0:00〜23:59）。もう一度、" + WHEN_EXAMPLES
WHEN_UNPARSED = "日時を読み取れませんでした。" + WHEN_EXAMPLES
WHEN_TOMORROW = "今日の{time}は過ぎています。明日の{time}にしますか？ 下から選ぶか、別の日時を送ってください。"
WHEN_TONIGHT = "{said}は、今夜の{evening}ですか？ 明日の朝{time}ですか？ 下から選ぶか、別の日時を送ってください。"
WHEN_AMPM = "{said}は、午後{said}（{pm}）のことですか？ {night}の{said}（{am}）のことですか？ 下から選んでください。"
WHEN_PICK_ONE = "どちらにしますか？ 下から選ぶか、別の日時を送ってください。"
WHEN_WEEKDAY = "{day}は{weekday}曜日です。どちらの日にしますか？"
WHEN_WHICH_ONE = "「{understood}」は、どの日のことですか？ 下から選ぶか、日付で送ってください。"
WHEN_WHAT_TIME = "「{understood}」の何時にお知らせしますか？（例：18時）"
WHEN_WHICH_DAY = "「{understood}」だけでは日にちが決まりません。曜日か日付と時刻を添えて、「来週の月曜 10時」「来月5日の10時」のように送ってください。"
WHEN_VAGUE = "「{understood}」だけでは日時が決まりません。「土曜の10時」のように、日と時刻を送ってください。"
WHEN_REPEAT = (
    "「{understood}」の繰り返しは設定できませんでした。「毎週金曜の20時に電話」のように曜日や日にちを入れるか、"
    "1回分の日時を送ってください。"
)
WHEN_WHICH_WEEKDAY = "毎週何曜日にお知らせしますか？「毎週金曜の20時に電話」のように送ってください。"
WHEN_PART_UNREAD = (
    "日時の一部が読み取れませんでした（「{understood}」）。「明日の10時」「12/5 9:00」のように送ってください。"
)
ASK_WHAT = "{when}に、何をお知らせしますか？（例：電話する、書類を探す）"
WHEN_MONTHLY_ONCE = "毎月のお知らせは返済日だけ設定できます。1回だけの日時を、" + WHEN_EXAMPLES
REPAY_LEAD_MAX = "お知らせは、返済日の7日前からにできます。いちばん早い7日前にしました。"
CONFIRM_QUESTION = "この内容で設定しますか？"
LABEL_SAVE = "はい、設定する"
ALREADY_SAVED = "はい、さきほどの内容で設定してあります。「リマインダー」から、いつでも確認・変更・取り消しができます。"
CONFIRM_UNSURE = "念のため確認させてください。このまま設定してよければ「はい、設定する」、設定しない場合は「やめる」を選んでください。"
CONFIRM_THINKING = "ゆっくりで大丈夫です。時刻を変えるときは「11時で」のように送ってください。"
CONFIRM_WHAT_TO_CHANGE = (
    "失礼しました。どこを変えますか？ 下から選ぶか、新しい日数（例：5日前）や時刻（例：20時）を送ってください。"
)
SAVED = "設定しました。「リマインダー」から、いつでも確認・変更・取り消しができます。"
CANCELLED_SETUP = "設定をやめました。"
REPEAT_NO_DAY_LEFT = "その曜日をのぞくと、お知らせする日がなくなります。曜日は「月水金で」のように送ってください。"
REMINDER_CANCELLED = "このお知らせを取り消しました。これ以降はお知らせしません。"
VISIT_EVE = "前日の{when}にも、持ち物（本人確認書類）をお知らせします。"
CHANGE_TIME_HINT = "変えるときは「日時を変える」を選んでください。"
CALL_OUTSIDE_HOURS = "この時間は、{name}につながりにくいかもしれません（{hours}）。" + CHANGE_TIME_HINT
STOP_WHICH = "繰り返しのお知らせです。今回の分だけ止めますか？ それとも、今後すべて止めますか？"
PAID_OFF = "完済、おめでとうございます。ここまで本当におつかれさまでした。"
WHEN_UNDECIDED = "わかりました。日にちが決まったら、「来週の水曜10時」のように送ってください。"
SKIP_WHICH = "どのお知らせを、今回だけ止めますか？"
SKIP_NOT_YET = (
    "いま止められるのは、次の回（{coming}の分）だけです。{month}月の分は、{coming}が過ぎてから"
    "「今回だけ止めて」と送ってください。"
)
SKIPPED_ONE = "{when}の「{what}」は止めました。その次からまたお知らせします。"
SKIPPED_REPAY = "今回の返済日のお知らせ（当日分も）は止めました。次の返済日の分から、またお知らせします。"
REPEAT_DONE = "今回の分を完了にしました。おつかれさまでした。次回もお知らせします。"
REPEAT_INVALID = "その繰り返しは、お知らせする日がないため設定できませんでした。「毎月25日の9時」「毎週金曜の20時」のように送ってください。"
REMINDER_NOT_FOUND = "そのお知らせは見つかりませんでした（すでに取り消されたか、終わっています）。"
REMINDERS_EMPTY = "設定中のお知らせはありません。"
REMINDERS_HEAD = "設定中のお知らせです。変更または取り消すものを選んでください。"
VISIT_DONE = "おつかれさまでした。自動契約機に行ったことを記録しました。"
REPAY_DONE = "おつかれさまでした。今月分のお知らせはここまでにします。次の返済日の分から、またお知らせします。"
FREE_DONE = "完了にしました。おつかれさまでした。"

REMINDER_FAILED_NOTE = (
    "設定していたお知らせのひとつを、通信の問題で時間内にお届けできませんでした。申し訳ありません。\n"
    "「リマインダー」からご確認ください。"
)
REPLY_LATE_NOTE = (
    "混み合っていたため、前回いただいたメッセージにお返事できませんでした。申し訳ありません。\n"
    "お手数ですが、必要なときはもう一度送ってください。"
)
LATE_REPLY_LEAD = "お返事が遅くなり、申し訳ありません。"
TURN_FAILED = (
    "すみません、このメッセージはうまく処理できませんでした。お手数ですが、下から選ぶか、別の言い方で送ってください。"
)

NON_TEXT = "スタンプや画像などは読み取れません。文字で送るか、ボタンを押してください。"
WELCOME_BACK = (
    "おかえりなさい。止めていたお知らせを再開します。止まっていた間のお知らせが、まとめて届くことがあります。"
)
GROUP_ONLY = (
    "このボットは1対1のトークで使えます。グループでは個人の情報をおあずかりしません。"
    "ボットを友だち追加して、1対1のトークで話しかけてください。"
)

FORGET_CONFIRM = (
    "このボットの記録（教えていただいた状況、お知らせ、会話の途中経過）をすべて削除します。\n"
    "設定中のお知らせも届かなくなります。\n"
    "元に戻せません。削除してよろしいですか？"
)
FORGOTTEN = "すべて削除しました。ご利用ありがとうございました。また何かあれば、いつでも話しかけてください。"
FORGET_KEPT = "削除はやめました。記録はそのままです。"
EXPORT_HEAD = "このボットが記録している、あなたについての内容です。"
EXPORT_FOOT = "削除したいときは「記録を消す」と送ってください。"
EXPORT_NOTHING = "記録している内容はありません。"
EXPORT_SUMMARY_HEAD = "このボットが記録している内容の要約です。"
EXPORT_SUMMARY_FOOT = "全部の内容は「すべて見る」で表示します。削除は「記録を消す」からできます。"
LABEL_EXPORT_ALL = "すべて見る"

ABOUT_REPAYING = (
    "返済のことですね。返済日の前に、お知らせを設定できます。返済日は「返済日は25日」のように送っても設定できます。"
)

# A reminder the platform would not take this month (LINE's monthly message limit), shown with the
# user's next answer.
HELD_REMINDER_NOTE = (
    "LINEの送信数の上限のため、お知らせをお届けできませんでした。申し訳ありません。\n"
    "届くはずだったお知らせを、ここでお伝えします。\n"
    "来月1日までは、メッセージを送っていただいたときにお伝えします。"
)

# ---------------------------------------------------------------- the safety net
SECRET_HIDDEN = (
    "暗証番号やパスワードらしい部分は伏せて、保存していません。大切な情報なので、ここには送らないでくださいね。"
)
WITHDRAW = (
    "{name}の解約や退会の手続きは、このボットではできません。{name}に直接お問い合わせください。\n"
    "このボットの記録は、いつでも削除できます。"
)
DELETE_SCOPE = "どれを消しますか？下のボタンから選んでください。"
LABEL_CANCEL_SOME = "お知らせを取り消す"
LABEL_CANCEL_ALL = "お知らせをすべて取り消す"
LABEL_FORGET_ALL = "すべての記録を削除"
CANCEL_ALL_CONFIRM = (
    "設定中のお知らせをすべて（全{count}件）取り消します。状況の記録はそのまま残ります。よろしいですか？"
)
ALL_CANCELLED = "お知らせをすべて（全{count}件）取り消しました。状況の記録はそのまま残っています。"
CANCEL_NUMBERED = "{number}番のお知らせを取り消しますか？"
NO_SUCH_REMINDER = "その番号のお知らせは見つかりませんでした。一覧から選んでください。"
PHONE_KNOWN = "はい、このボットの手元の情報では「{name}」の番号です。念のため、最新の番号は公式サイトでご確認ください。"
PHONE_UNKNOWN = (
    "その番号は、このボットが知っている{name}の番号の中にはありません。心当たりのない番号からの電話やSMSには折り返さず、"
    "カードや公式サイトに書かれた番号にかけてください。"
)
DANGER_NOW = (
    "いま身の危険を感じるときは、すぐに110番に電話してください。相手が外にいるならドアは開けず、家の中にいるなら、"
    "できれば外や人のいる場所へ逃げてください。落ち着いてから、警察相談専用電話（#9110）で相談することもできます。"
)
# Threatened by an illegal lender: the police first (110; #9110 to talk it over: the government's
# public-relations page on fraud, gov-online.go.jp, read 2026-12-04), then the free counselling.
THREATENED = (
    "脅されたり、家や職場に取り立てが来たりするときは、ひとりで抱えずに警察に相談してください。"
    "急ぐときは110番、相談は警察相談専用電話（#9110）です。返済のことは、下の窓口（貸金業相談・紛争解決センター）でも無料で相談できます。"
)
EMERGENCY_HELP = "近くに人がいれば、すぐに声をかけてください。ご自分で電話するのがつらければ、その人に119番へ電話してもらってください。"
CARE_AGAIN = (
    "話してくださって、ありがとうございます。つらい気持ちは、人に話すだけでも少し軽くなることがあります。"
    "よければ、下の番号に電話してみてください。いまからでも話を聞いてもらえます。"
)
KEEP_GOING = "では、お知らせの設定に戻ります。"
HEARD_FEAR = "不安になりますよね。一つずつ、一緒に確認していきましょう。"
COUNSELLING = "相談できるところです。お金のことも、気持ちのことも、話を聞いてもらえます。"
PHONE_NOT_THROUGH = "つながらなかったのですね。混み合う時間帯は、つながりにくいことがあります。受付時間内に、時間をおいてもう一度おかけください。"
HEARD_DESPAIR = (
    "お話ししてくださって、ありがとうございます。おつらいですよね。ひとりで抱えずに、無料の窓口に相談してみてください。"
)
HEARD_ANGER = "嫌な思いをさせていたら、すみません。できることを、一緒に確認させてください。"
# What a notification preview shows (the lock screen is as public as the room the phone is in).
PREVIEW_REMINDER = "お知らせが1件あります"
PREVIEW_RESULT = "ご案内が届きました"
PREVIEWS_ON = (
    "これからは、通知にお知らせの内容（件名と1行目）を表示します。ロック画面は周りの人にも見えることがあります。\n"
    "元に戻すときは「通知の内容を隠す」と送ってください。"
)
PREVIEWS_OFF = (
    "これからは、通知には「お知らせが1件あります」とだけ表示します。内容は、開いたときに表示されます。\n"
    "内容も表示したいときは「通知に内容を表示」と送ってください。"
)
LATE_PAID = "お支払いが済んだのですね。記録を「返済の遅れ：なし」にしておきました。"
# After a fraud warning: 「本物？」 and 「押しちゃった」.
FRAUD_REAL = (
    "本物かどうかは、届いたメールやSMSのリンク・番号からではなく、公式アプリや公式サイト、"
    "カードに書かれた番号から、ご自分で確かめるのが安全です。リンクから暗証番号やパスワードを入力しないでください。"
)
FRAUD_CLICKED = (
    "リンクを開いただけで何も入力していなければ、そのページを閉じてください。"
    "暗証番号・パスワード・カード番号を入力してしまったときは、すぐに下の番号に連絡して、カードを止めてもらってください。"
    "アプリを入れてしまったときは、何も入力せずに削除してください。"
)
# A question about a result that the bot has no sourced answer for: said honestly, with whom to ask.
RESULT_WHERE = "お問い合わせは、{name}です。"
RESULT_HOURS = "{name}の受付時間は、こちらです。曜日や時間帯によっては、つながりにくいこともあります。"
RESULT_QUESTION = (
    "ごめんなさい。そのご質問には、ここでは確かなお答えができません。いちばん確かなのは、{name}に聞いてみることです。"
)
# A question that nothing here answers: said honestly, and who can (the lender's main contact).
UNKNOWN_QUESTION = (
    "ごめんなさい。そのご質問には、ここでは確かなお答えができません。{name}に直接聞いてみてください。\n{contact}"
)
# A question outside the bot's subject (the weather, small talk): what the bot is for, kindly.
OFF_TOPIC = (
    "ごめんなさい、それはこのボットではお答えできません。ここでは、ログインできないときの原因探しと、"
    "返済日などのお知らせをお手伝いしています。"
)
UNKEPT_FACT = (
    "教えてくださって、ありがとうございます。ただ、{what}は記録しないことにしています。"
    "このボットが記録するのは、ログインの状況と、お知らせに必要なことだけです。"
)
BACK_TO_QUESTION = "では、続きに戻りますね。"
# Facts about oneself told in a sentence: what was kept, and the reminder they make possible.
FACTS_KEPT = "教えてくださって、ありがとうございます。次のように記録しました。"
FACTS_FIXED = "わかりました。記録を次のように直しました。"
FACTS_KEPT_OFFER = "返済日の前に、お知らせを送ることもできます。"
LABEL_REPAY_REMINDER = "返済日のお知らせを設定"
TAKE_YOUR_TIME = "ゆっくりで大丈夫です。いちばん近いものを選んでください。"
DETAILS_LATER = "くわしいご案内は、原因がしぼれたところでお出しします。まずは、こちらを教えてください。"
DRAFT_NOT_SAVED = "下のお知らせは、まだ設定していません。これでよければ「はい」と送ってください。"
SETUP_WAITING = "設定中のお知らせは、まだ保存していません。保存するときは「はい」と送ってください。"
