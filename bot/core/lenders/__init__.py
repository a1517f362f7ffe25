"""Which lender a conversation is about: the loaded lenders, finding one in a message, and the desk
that routes each turn to that lender's conversation (asking once, only when the answer depends on it).

Every lender is data (``bot/flows/<id>.toml`` + ``<id>.utterances.tsv``); nothing here names one.
"""

from bot.core.lenders.detect import Detector
from bot.core.lenders.registry import Lenders, load_lenders, parse_lender_ids

__all__ = ["Detector", "Lenders", "load_lenders", "parse_lender_ids"]
