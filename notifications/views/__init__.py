"""The pages of the notifications app (inbox.py, preferences.py)."""
