from .reminders import Reminder

__all__ = ["Reminder"]
