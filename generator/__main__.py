"""`python -m generator`: the same as the `crmproof` command."""

from .cli import main

main()
