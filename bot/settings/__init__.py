"""/settings: the screens (view.py) and the parsing of times typed by the user (times.py)."""
