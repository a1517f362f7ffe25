"""Platform-free conversation core.

Nothing here imports a platform SDK, the storage layer, the scheduler or aiohttp: every door turns
its native event into an :class:`~bot.core.dialogue.messages.Incoming` and renders the returned
:class:`~bot.core.dialogue.messages.Reply` objects in its own idiom.
"""
