"""The record's own copy (the shared copy file is full)."""

# Under the facts: the reminders are kept too (「何覚えてる？」 with only a reminder set is not 「何も」).
REMINDERS_KEPT = "設定中のお知らせが{count}件あります。「リマインダー」と送ると確かめられます。"
