"""Everything stored about one user, as plain JSON-ready data (the "export my data" file)."""

from __future__ import annotations

import json
from typing import Any

from storage import StorePort


def export_data(store: StorePort, platform: str, platform_user_id: str) -> dict[str, Any]:
    """The user's situation, its history, their reminders and planned sends; {} for an unknown user."""
    with store.transaction():
        user_id = store.find_user(platform, platform_user_id)
        if user_id is None:
            return {}
        row = store.user_row(user_id) or {"created_at": None, "last_seen_at": None}
        reminders = store.reminders.for_user(user_id, ("active", "sent", "done", "cancelled"))
        sends = [
            {k: v for k, v in send.items() if k not in ("id", "key")}
            for r in reminders
            for send in store.reminders.outbox_rows(r["id"])
        ]
        return {
            "user": {
                "platform": platform,
                "id": platform_user_id,
                "first_seen": row["created_at"],
                "last_seen": row["last_seen_at"],
            },
            "situation": store.load_situation(user_id),
            # What was told about each lender, by its flow file's name (the person's own row above).
            "situation_by_lender": {k: v for k, v in store.load_situations(user_id).items() if k},
            "situation_history": store.situation_history(user_id),
            "reminders": [{k: v for k, v in r.items() if k != "user_id"} for r in reminders],
            "planned_sends": sends,
            "conversation": store.load_state(user_id) or {},
        }


def export_json(store: StorePort, platform: str, platform_user_id: str) -> bytes:
    """:func:`export_data` as pretty UTF-8 JSON."""
    data = export_data(store, platform, platform_user_id)
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
