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
