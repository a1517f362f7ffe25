"""Situation turns of fresh conversations: what else is kept, not deleting after all, paid and
updated, only the company to keep, whether the reminder changes too."""


def test_what_else_is_kept_after_one_record_went(friday_talk):
    *_, answer = friday_talk(
        "レイクのカード失くしたって登録しといて", "見つかった！その情報だけ消して", "他は残ってる？"
    )
    assert "いまご案内している会社：レイク" in answer and "お答えができません" not in answer


def test_do_not_delete_after_all_keeps_everything(friday_talk):
    *_, answer = friday_talk("プロミス、毎月10日、延滞なし", "全部消して", "あ、待ってやっぱ消さないで")
    assert "削除はやめました" in answer


def test_paid_and_updated_is_no_deletion(friday_talk):
    *_, paid, shown = friday_talk(
        "今アコムで2週間延滞してる", "今日全部払った！延滞じゃなくなったから更新して", "今の状態は？"
    )
    assert "どれを消しますか" not in paid and "返済の遅れ：なし" in paid
    assert "返済の遅れ：あり" not in shown


def test_only_the_company_to_keep(friday_talk):
    _shown, answer = friday_talk("保存されてる情報を見せて", "そっか、じゃあレイク使ってることだけ覚えといて")
    assert "レイクですね" in answer and "そうなんですね" not in answer


def test_does_the_reminder_change_too_at_a_draft(friday_talk):
    *_, answer = friday_talk("レイク、返済日毎月１２日", "返済日を１２日から２２日に変更して", "リマインダーも変わる？")
    assert answer.startswith("まだ保存していません") and "毎月22日" in answer
