"""Case lists: tabs, search, export."""
