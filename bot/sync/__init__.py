"""Wearable sync: activities, sleep and HRV that arrive by themselves from providers.

Pure HTTP clients with a configurable base URL (`intervals`, `strava`, `oura`), a
per-provider request budget (`ratelimit`), the shared transport that honours 429 and the
providers' rate headers (`transport`), and the orchestration (`importer`): fetch -> match ->
store through the same path an uploaded file takes (`bot.uploads`), so a synced session
drives load, readiness and plans as an upload does.
"""

from bot.sync.config import SyncConfig

__all__ = ["SyncConfig"]
