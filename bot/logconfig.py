"""Logging set-up: plain text lines for people, or one JSON object a line for log shippers.

``LOG_FORMAT=json`` writes each record as ``{"time", "level", "logger", "message", ...}`` plus the
identifiers a line is about, as fields of their own (``event_id``, ``user``, ``send_key``,
``reminder_id``, ``interaction``) when the code passed them. Logs never carry message text: the
lines themselves name ids and counts only, and an exception is written as its type and where it was
raised, never its message (which could quote a value).

At INFO an idle bot is quiet: APScheduler's per-run lines ("Running job ...", "... executed
successfully", "Added job ...") are kept below INFO unless ``LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any, Final, TextIO

FORMATS: Final = ("text", "json")
TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Identifiers a log call may pass with ``extra=``: each becomes a JSON field of its own.
ID_FIELDS: Final = ("event_id", "user", "send_key", "reminder_id", "interaction")
# Loggers that speak at INFO on every scheduler run (about 60 lines a minute on an idle bot).
CHATTY: Final = ("apscheduler",)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message and the ids given."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ID_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                data[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            data["exception"] = type(exc).__name__
            # Where it happened, not what it said: an exception's text may quote the value it choked on.
            data["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(exc.__traceback__)
            ]
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(level: int, log_format: str = "text", stream: TextIO | None = None) -> None:
    """Send every log record to ``stream`` (stderr) at ``level``, as text or JSON."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CHATTY:
        # Their own level: at DEBUG everything shows, otherwise only their warnings and errors.
        logging.getLogger(name).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)
