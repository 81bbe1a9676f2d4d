from .reminders import Reminder  # noqa: F401
