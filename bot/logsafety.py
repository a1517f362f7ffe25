"""Keep third-party loggers that print request and response bodies (message text) above DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterable


def keep_above_debug(names: Iterable[str]) -> None:
    """Give each logger its own level of at least INFO, whatever LOG_LEVEL or a parent says.

    Their own level, not the inherited one: a root or parent logger turned to DEBUG later must
    not make them print payloads.
    """
    for name in names:
        logger = logging.getLogger(name)
        if logger.level < logging.INFO:
            logger.setLevel(logging.INFO)
