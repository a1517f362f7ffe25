"""The safety net's own copy (the shared copy file is full): what is said of a fraud that asks for money."""

# 「融資の前に保証料を振り込めって」 「解除に5000円って」: money asked first is the fraud's mark.
FRAUD_MONEY = (
    "それは詐欺の可能性が高いです。お金を先に払うように言われるのは、よくある手口です。振り込まないでください。"
    "{name}の名前を出されても、届いた連絡の番号ではなく、公式の番号にご自分からかけて確かめてください。"
    "詐欺かもしれないときは、警察相談専用電話（#9110）や消費者ホットライン（188）で相談できます。"
)
# An offer only an unregistered lender makes, come as a message (「ブラックOKってDM来た」).
SHARK_MESSAGE = "それは詐欺の可能性が高いです（闇金の勧誘かもしれません）。返信せず、リンクも開かないでください。"
# 「ロック解除代行します」: an offer to unlock from anyone but the lender.
UNLOCK_OFFER = (
    "それは詐欺の可能性が高いです。ロックを解除できるのは、ご利用中の会社だけです。"
    "相手に返信したり、お金を振り込んだりせず、暗証番号やパスワードも教えないでください。"
    "ロックのことは、届いたメッセージの番号ではなく、カードや公式サイトにある番号にご自分から電話して確かめてください。"
)
# After a fraud warning, fear (「怖い」): the one step that matters, again.
FRAUD_FEAR = (
    "怖いですよね。まず、下の番号に電話して、カードを止めてもらってください。入力してしまったパスワードは、"
    "公式の方法で変えてください。心配なときは、警察相談専用電話（#9110）でも相談できます。"
)
# 「知り合いの知り合いなんだけど」: someone known asks for the ID and the password.
FRAUD_KNOWN_PERSON = (
    "知っている人からでも、IDやパスワードは教えないでください。人に代わりにログインしてもらうと、"
    "悪用されたときに取り戻せないことがあります。ロックのことは、ご本人がご利用中の会社に電話して確かめてください。"
)
# After a money-first fraud, or an offer to unlock: 「はい、わかった」 and the like.
# 「でも名前も知ってたし」: the sender knowing a name proves nothing.
FRAUD_KNEW = (
    "名前などを知っていても、本物とは限りません。どこかで漏れた情報が使われていることもあります。"
    "届いた連絡ではなく、カードや公式サイトにある番号にご自分からかけて確かめてください。"
)
# Asked for a PIN on the phone (「〇〇から電話きて暗証番号聞かれた」): no link to speak of; call back.
PHISHING_CALL = (
    "電話で暗証番号やパスワードを聞かれても、教えないでください。{name}を名乗っていても、詐欺の可能性があります。"
    "いったん電話を切って、カードや公式サイトにある番号に、ご自分からかけて確かめてください。"
    "もし教えてしまったときは、すぐに{name}に連絡して、カードを止めてもらってください。"
)
# Calls from an unknown number, nothing asked yet (「知らない番号から何回も電話来てて怖い」).
UNKNOWN_CALLS = (
    "心当たりのない番号からの電話には、無理に出なくて大丈夫です。かけ直す前に、その番号がカードや公式サイトにある"
    "番号と同じか確かめてください。暗証番号やパスワードは、電話でだれに聞かれても教えないでください。"
    "脅されたり、怖い思いをしたりしたときは、警察相談専用電話（#9110）に相談できます。"
)
# After a fraud warning, the message's threat (「払わないと裁判」 「返信しないと利用停止」): a scare.
FRAUD_SCARE = (
    "「裁判」「利用停止」などと書いて急がせるのも、よくある手口です。届いた連絡には返信せず、書かれた番号にも"
    "連絡しないでください。本当かどうかは、カードや公式サイトにある番号で確かめられます。心配なときは、"
    "消費者ホットライン（188）か警察相談専用電話（#9110）でも相談できます。"
)
# Already borrowing from an unregistered lender (「SNSで借りた人に利息すごい取られてる」): not "don't
# borrow", but where to talk it over (法テラス's number: questions.toml, read 2026-12-04).
SHARK_OWED = (
    "登録のない業者（闇金）からの借金は、ひとりで払い続けずに相談してください。"
    "警察相談専用電話（#9110）のほか、弁護士や司法書士にも相談できます。"
    "無料の相談先は、法テラス・サポートダイヤル（0570-078374）で教えてもらえます。"
)
# An unregistered lender's offer that asks for money first (「個人間融資で先に保証料5万」).
SHARK_FEE = "貸す前にお金（保証料・手数料など）を求めるのは、詐欺の手口です。振り込まないでください。"
# A call in the lender's name that threatens (「今日中に払わないと裁判って電話」): not paid on the spot.
CALL_SCARE = (
    "{name}を名乗る電話でも、本物とは限りません。「今日中に払わないと裁判」などと急がせるのは、よくある手口です。"
    "その場でお金を払ったり、番号を教えたりせず、いったん電話を切って、カードや公式サイトにある番号にご自分から"
    "かけて確かめてください。心配なときは、消費者ホットライン（188）か警察相談専用電話（#9110）でも相談できます。"
)
