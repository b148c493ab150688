"""`ediary-bot invite`: being built (linking issue)."""


def register(subparsers) -> None:  # noqa: ANN001
    pass
